/**
 * What `flowc gen-tests` aims at, and how it sees what a turn reached: the goals are every
 * step of every user flow, every branch (each `if` and the `else`) of each step's `next`, and
 * every rejection of each collect step. A copy of the compiled assistant records them as the
 * runtime runs: a step when the executor reads where it goes next (or when it is on the stack
 * after an action), a branch when its condition is the first to hold (the `else` when the last
 * one fails), a rejection when its condition holds. The copy behaves exactly as the original:
 * only the reads are observed, and every condition returns what the compiled one returns.
 */
import type { TurnResult } from "../../runtime/assistant.ts";
import type { CollectStep, CompiledAssistant, Condition, Flow, Next, Predicate, Rejection, RejectionPredicate, Step } from "../../runtime/model.ts";

export type GoalKind = "step" | "branch" | "rejection";

export interface Goal {
  /** Stable and unique: `step:flow:step`, `branch:flow:step:1` (1-based) or `branch:flow:step:else`, `rejection:flow:step:1`. */
  readonly key: string;
  readonly kind: GoalKind;
  readonly flow: string;
  readonly step: string;
  /** Readable: `step ask_amount`, `branch 2 (if slots.x > 3) of step check`, ... */
  readonly label: string;
  /** `file:line` of the step. */
  readonly location: string;
}

export interface Instrumented {
  readonly assistant: CompiledAssistant;
  /** Every goal, in flow and step order. */
  readonly goals: readonly Goal[];
  /** The goals reached since the last call, including those the turn's stacks show. */
  take(turn: TurnResult): Set<string>;
}

export function instrument(compiled: CompiledAssistant): Instrumented {
  const hits = new Set<string>();
  const goals: Goal[] = [];
  const flows: Record<string, Flow> = {};
  const userSteps = new Set<string>();
  for (const flow of Object.values<Flow>(compiled.flows)) {
    if (flow.isPattern) {
      flows[flow.id] = flow;
      continue;
    }
    const steps: Record<string, Step> = {};
    for (const step of Object.values<Step>(flow.steps)) {
      const stepKey = `step:${flow.id}:${step.id}`;
      userSteps.add(stepKey);
      goals.push({ key: stepKey, kind: "step", flow: flow.id, step: step.id, label: `step ${step.id}`, location: step.location });
      const copy: Record<string, unknown> = { ...step };
      if (step.kind === "collect") copy["rejections"] = step.rejections.map((rejection, i) => observedRejection(flow, step, rejection, i, goals, hits));
      if (step.kind === "link") {
        Object.defineProperty(copy, "flow", { enumerable: true, get: () => (hits.add(stepKey), step.flow) });
      } else {
        const next = observedNext(flow, step, goals, hits);
        Object.defineProperty(copy, "next", { enumerable: true, get: () => (hits.add(stepKey), next) });
      }
      steps[step.id] = copy as unknown as Step;
    }
    flows[flow.id] = { ...flow, steps };
  }
  return {
    assistant: { ...compiled, flows },
    goals,
    take(turn) {
      for (const event of turn.events) {
        if (event.event !== "stack") continue;
        for (const frame of event.stack) {
          const key = `step:${frame.flow_id}:${frame.step_id}`;
          if (userSteps.has(key)) hits.add(key);
        }
      }
      const taken = new Set(hits);
      hits.clear();
      return taken;
    },
  };
}

function observedNext(flow: Flow, step: Step & { readonly next: Next }, goals: Goal[], hits: Set<string>): Next {
  const next = step.next;
  if (next.kind !== "branch") return next;
  const base = `branch:${flow.id}:${step.id}`;
  const last = next.branches.length - 1;
  next.branches.forEach((branch, i) => goals.push({ key: `${base}:${i + 1}`, kind: "branch", flow: flow.id, step: step.id, label: `branch ${i + 1} (if ${branch.condition.source}) of step ${step.id}`, location: step.location }));
  goals.push({ key: `${base}:else`, kind: "branch", flow: flow.id, step: step.id, label: `the else branch of step ${step.id}`, location: step.location });
  const branches = next.branches.map((branch, i) => {
    const test: Predicate = (slots, context) => {
      let holds: boolean;
      try {
        holds = branch.condition.test(slots, context);
      } catch (error) {
        if (i === last) hits.add(`${base}:else`);
        throw error;
      }
      if (holds) hits.add(`${base}:${i + 1}`);
      else if (i === last) hits.add(`${base}:else`);
      return holds;
    };
    const condition: Condition = { ...branch.condition, test };
    return { ...branch, condition };
  });
  return { ...next, branches };
}

function observedRejection(flow: Flow, step: CollectStep, rejection: Rejection, index: number, goals: Goal[], hits: Set<string>): Rejection {
  const key = `rejection:${flow.id}:${step.id}:${index + 1}`;
  goals.push({ key, kind: "rejection", flow: flow.id, step: step.id, label: `rejection ${index + 1} (if ${rejection.condition.source}) of step ${step.id}`, location: step.location });
  const test: RejectionPredicate = (slots) => {
    const holds = rejection.condition.test(slots);
    if (holds) hits.add(key);
    return holds;
  };
  return { ...rejection, condition: { ...rejection.condition, test } };
}
