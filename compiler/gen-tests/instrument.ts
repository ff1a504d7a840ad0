/**
 * What `flowc gen-tests` aims at, and how it sees what a turn reached. The goals are the
 * coverage items of `flowc test --coverage` (every step of every user flow, every `if` and the
 * `else` of each conditional `next`; e2e/coverage.ts lists them) plus every rejection of each
 * collect step. Steps and branches are seen through the runtime's execution observer, as
 * `--coverage` sees them; rejections through a copy of the compiled assistant whose rejection
 * conditions record when they hold (and otherwise return what the compiled ones return).
 */
import type { CollectStep, CompiledAssistant, Flow, Rejection, RejectionPredicate, Step } from "../../runtime/model.ts";
import { flowFields } from "../../runtime/define-flow.ts";
import type { ExecutionObserver } from "../../runtime/observer.ts";
import { computeCoverage, type CoverageItem } from "../e2e/coverage.ts";
import type { AssistantIR } from "../model/ir.ts";

export type GoalKind = "step" | "branch" | "rejection";

export interface Goal {
  /** Stable and unique: `step:flow:step`, `branch:flow:step:index` (the else: the number of ifs), `rejection:flow:step:index`. */
  readonly key: string;
  readonly kind: GoalKind;
  readonly flow: string;
  readonly step: string;
  /** For a branch, its index (the else: the number of ifs); for a rejection, its index in the step. */
  readonly index?: number;
  /** Readable: `step ask_amount`, `branch if slots.x > 3 of step check`, ... */
  readonly label: string;
  /** `file:line` of the step or condition. */
  readonly location: string;
}

export interface Instrumented {
  /** The compiled assistant, with rejections observed. */
  readonly assistant: CompiledAssistant;
  /** Pass to every `handle` call whose goals {@link take} should see. */
  readonly observer: ExecutionObserver;
  /** Every goal, in flow and step order. */
  readonly goals: readonly Goal[];
  /** The goals reached since the last call. */
  take(): Set<string>;
}

export function instrument(compiled: CompiledAssistant, ir?: AssistantIR): Instrumented {
  const hits = new Set<string>();
  const goals: Goal[] = [];
  const flows: Record<string, Flow> = {};
  const coverage = computeCoverage(compiled, { steps: new Set(), branches: new Set() }, ir);
  const rejections = new Map<string, Goal[]>();
  for (const flow of Object.values<Flow>(compiled.flows)) {
    if (flow.isPattern) {
      flows[flow.id] = flow;
      continue;
    }
    const steps: Record<string, Step> = {};
    for (const step of Object.values<Step>(flow.steps)) {
      if (step.kind !== "collect" || step.rejections.length === 0) {
        steps[step.id] = step;
        continue;
      }
      const own: Goal[] = [];
      steps[step.id] = { ...step, rejections: step.rejections.map((rejection, i) => observedRejection(flow, step, rejection, i, own, hits)) };
      rejections.set(`${flow.id} ${step.id}`, own);
    }
    flows[flow.id] = { ...flowFields(flow), steps };
  }
  const userSteps = new Set<string>();
  for (const flow of coverage.flows) {
    for (const item of flow.items) {
      const goal = goalOf(item);
      goals.push(goal);
      if (item.kind === "step") {
        userSteps.add(goal.key);
        goals.push(...(rejections.get(`${item.flowId} ${item.stepId}`) ?? []));
      }
    }
  }
  const observer: ExecutionObserver = {
    step: (flowId, stepId) => {
      const key = goalKey("step", flowId, stepId);
      if (userSteps.has(key)) hits.add(key);
    },
    branch: (flowId, stepId, index) => void hits.add(goalKey("branch", flowId, stepId, index)),
  };
  return {
    assistant: { ...compiled, flows },
    observer,
    goals,
    take() {
      const taken = new Set(hits);
      hits.clear();
      return taken;
    },
  };
}

/** The key of a goal: what to reach, named the same way wherever goals are counted. */
export function goalKey(kind: Goal["kind"], flow: string, step: string, index?: number): string {
  return index === undefined ? `${kind}:${flow}:${step}` : `${kind}:${flow}:${step}:${index}`;
}

/** The key of the goal a coverage item stands for. */
export function coverageKey(item: CoverageItem): string {
  return item.kind === "step" ? goalKey("step", item.flowId, item.stepId) : goalKey("branch", item.flowId, item.stepId, item.branch ?? 0);
}

function goalOf(item: CoverageItem): Goal {
  const location = `${item.file}:${item.line}`;
  if (item.kind === "step") return { key: coverageKey(item), kind: "step", flow: item.flowId, step: item.stepId, label: `step ${item.stepId}`, location };
  const label = item.label === "else" ? `the else branch of step ${item.stepId}` : `branch \`${item.label ?? String(item.branch)}\` of step ${item.stepId}`;
  const index = item.branch ?? 0;
  return { key: coverageKey(item), kind: "branch", flow: item.flowId, step: item.stepId, index, label, location };
}

function observedRejection(flow: Flow, step: CollectStep, rejection: Rejection, index: number, goals: Goal[], hits: Set<string>): Rejection {
  const key = goalKey("rejection", flow.id, step.id, index);
  goals.push({ key, kind: "rejection", flow: flow.id, step: step.id, index, label: `rejection \`if ${rejection.condition.source}\` of step ${step.id}`, location: rejection.condition.location ?? step.location });
  const test: RejectionPredicate = (slots) => {
    const holds = rejection.condition.test(slots);
    if (holds) hits.add(key);
    return holds;
  };
  return { ...rejection, condition: { ...rejection.condition, test } };
}

