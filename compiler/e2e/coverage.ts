/**
 * Coverage of the user flows by e2e tests (`flowc test --coverage`): which steps ran and which
 * branches of each conditional `next` were taken, against all there are.
 *
 * The coverable items of a user flow (patterns are not counted) are its steps and, for each
 * step with a conditional `next`, every `if` branch and the `else`. They come from the compiled
 * assistant, which is what runs, so that an observed branch index always names the same
 * branch; each has the `file:line` of its step or condition (the `else` takes its line from
 * the IR when given one, else its step's line).
 *
 * What ran is observed through the runtime's `ExecutionObserver` ({@link coverageRecorder}):
 * * a step counts when the executor reaches it and runs it — for a `collect` step that is when
 *   it hands over to `pattern_collect_information`, whether the question is then asked or
 *   skipped because the slot is already filled;
 * * a step reached through `call` counts for the called flow (its own flow id);
 * * a branch counts when the step's `next` is evaluated and that branch is the one taken.
 */
import type { CompiledAssistant, Flow, Step } from "../../runtime/model.ts";
import type { ExecutionObserver } from "../../runtime/observer.ts";
import type { AssistantIR, LinkIR } from "../model/ir.ts";

/** What the tests exercised: keys of steps (`flow step`) and branches (`flow step index`). */
export interface ObservedExecution {
  readonly steps: ReadonlySet<string>;
  readonly branches: ReadonlySet<string>;
}

/** An observer for `handle(..., { observer })` that records what ran, over any number of turns. */
export interface CoverageRecorder extends ExecutionObserver, ObservedExecution {}

export function coverageRecorder(): CoverageRecorder {
  const steps = new Set<string>();
  const branches = new Set<string>();
  return {
    steps,
    branches,
    step: (flowId, stepId) => void steps.add(stepKey(flowId, stepId)),
    branch: (flowId, stepId, index) => void branches.add(branchKey(flowId, stepId, index)),
  };
}

export interface CoverageCount {
  readonly covered: number;
  readonly total: number;
  /** covered / total in percent (100 when there is nothing to cover). */
  readonly pct: number;
}

/** A step, or a branch of a step's conditional `next`. */
export interface CoverageItem {
  readonly kind: "step" | "branch";
  readonly flowId: string;
  readonly stepId: string;
  /** For a branch: its index among the `if` branches, or their number for the `else`. */
  readonly branch?: number;
  /** For a branch: `if <condition>` or `else`. */
  readonly label?: string;
  readonly file: string;
  readonly line: number;
  readonly covered: boolean;
}

export interface FlowCoverage {
  readonly flowId: string;
  readonly file: string;
  readonly line: number;
  readonly steps: CoverageCount;
  readonly branches: CoverageCount;
  /** Every coverable item, steps in the flow's order, each step followed by its branches. */
  readonly items: readonly CoverageItem[];
  readonly uncovered: readonly CoverageItem[];
}

export interface CoverageReport {
  /** The user flows, by file and line. */
  readonly flows: readonly FlowCoverage[];
  readonly total: { readonly steps: CoverageCount; readonly branches: CoverageCount };
}

/**
 * The coverage of every user flow of `assistant` by what `observed` saw run. `ir` (the
 * compile result's `assistant`) gives the `else` branches their own lines.
 */
export function computeCoverage(assistant: CompiledAssistant, observed: ObservedExecution, ir?: AssistantIR): CoverageReport {
  const flows = (Object.values(assistant.flows) as Flow[])
    .filter((flow) => !flow.isPattern)
    .map((flow) => flowCoverage(flow, observed, ir))
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const sum = (pick: (flow: FlowCoverage) => CoverageCount) => count(flows.reduce((n, flow) => n + pick(flow).covered, 0), flows.reduce((n, flow) => n + pick(flow).total, 0));
  return { flows, total: { steps: sum((flow) => flow.steps), branches: sum((flow) => flow.branches) } };
}

function flowCoverage(flow: Flow, observed: ObservedExecution, ir: AssistantIR | undefined): FlowCoverage {
  const items: CoverageItem[] = [];
  for (const step of Object.values(flow.steps) as Step[]) {
    const at = parseLocation(step.location);
    items.push({ kind: "step", flowId: flow.id, stepId: step.id, ...at, covered: observed.steps.has(stepKey(flow.id, step.id)) });
    if (step.kind === "link" || step.next.kind !== "branch") continue;
    const next = step.next;
    next.branches.forEach((branch, index) => {
      items.push({ kind: "branch", flowId: flow.id, stepId: step.id, branch: index, label: `if ${branch.condition.source}`, ...(branch.condition.location !== undefined ? parseLocation(branch.condition.location) : (ifLocation(ir, flow.id, step.id, index) ?? at)), covered: observed.branches.has(branchKey(flow.id, step.id, index)) });
    });
    const index = next.branches.length;
    items.push({ kind: "branch", flowId: flow.id, stepId: step.id, branch: index, label: "else", ...(elseLocation(ir, flow.id, step.id) ?? at), covered: observed.branches.has(branchKey(flow.id, step.id, index)) });
  }
  const of = (kind: CoverageItem["kind"]) => items.filter((item) => item.kind === kind);
  const tally = (list: CoverageItem[]) => count(list.filter((item) => item.covered).length, list.length);
  return { flowId: flow.id, ...parseLocation(flow.location), steps: tally(of("step")), branches: tally(of("branch")), items, uncovered: items.filter((item) => !item.covered) };
}

function elseLocation(ir: AssistantIR | undefined, flowId: string, stepId: string): { file: string; line: number } | undefined {
  return linkLocation(ir?.flowsById.get(flowId)?.stepsById.get(stepId)?.links.find((candidate) => candidate.kind === "else"));
}

/** The `if` of branch `index`: generated flows keep no condition locations, and leave out `if: true`/`if: false` branches. */
function ifLocation(ir: AssistantIR | undefined, flowId: string, stepId: string, index: number): { file: string; line: number } | undefined {
  const ifs = ir?.flowsById.get(flowId)?.stepsById.get(stepId)?.links.filter((candidate) => candidate.kind === "if" && candidate.booleanValue === undefined);
  return linkLocation(ifs?.[index]);
}

function linkLocation(link: LinkIR | undefined): { file: string; line: number } | undefined {
  return link && { file: link.range.file.path, line: link.range.file.position(link.range.start).line };
}

function count(covered: number, total: number): CoverageCount {
  return { covered, total, pct: total === 0 ? 100 : (covered / total) * 100 };
}

/** `file:line` (the file may hold colons) into its parts. */
function parseLocation(location: string): { file: string; line: number } {
  const colon = location.lastIndexOf(":");
  const line = Number(location.slice(colon + 1));
  return colon < 0 || !Number.isInteger(line) ? { file: location, line: 0 } : { file: location.slice(0, colon), line };
}

function stepKey(flowId: string, stepId: string): string {
  return `${flowId} ${stepId}`;
}

function branchKey(flowId: string, stepId: string, index: number): string {
  return `${flowId} ${stepId} ${index}`;
}

/** A percentage for people: whole when it is, else one decimal rounded down (never a false 100%). */
export function formatPct(pct: number): string {
  if (Number.isInteger(pct)) return `${pct}%`;
  return `${(Math.floor(pct * 10) / 10).toFixed(1)}%`;
}

export function formatCount(name: string, c: CoverageCount): string {
  return `${name} ${c.covered}/${c.total} (${formatPct(c.pct)})`;
}

/** A count as `--format json` writes it. */
export function countJson(c: CoverageCount): { covered: number; total: number; pct: number } {
  return { covered: c.covered, total: c.total, pct: c.pct };
}

/** `file:line  flow_id step_id [branch if …]` */
export function formatItem(item: CoverageItem): string {
  return `${item.file}:${item.line}  ${item.flowId} ${item.stepId}${item.kind === "branch" ? ` branch ${item.label ?? String(item.branch)}` : ""}`;
}

/** The text `flowc test --coverage` prints before its closing line. */
export function formatCoverageText(report: CoverageReport): string {
  const lines = ["coverage of the user flows:"];
  for (const flow of report.flows) {
    lines.push(`  ${flow.flowId} (${flow.file}:${flow.line}): ${formatCount("steps", flow.steps)}, ${formatCount("branches", flow.branches)}`);
    for (const item of flow.uncovered) lines.push(`    ${formatItem(item)}`);
  }
  lines.push(`  total: ${formatCount("steps", report.total.steps)}, ${formatCount("branches", report.total.branches)}`);
  return lines.join("\n");
}

/** The `coverage` object of `flowc test --coverage --format json`. */
export function coverageJson(report: CoverageReport): unknown {
  const itemJson = (item: CoverageItem) => ({
    kind: item.kind,
    flow: item.flowId,
    step: item.stepId,
    ...(item.kind === "branch" ? { branch: item.label, index: item.branch } : {}),
    file: item.file,
    line: item.line,
  });
  return {
    flows: report.flows.map((flow) => ({
      flow: flow.flowId,
      file: flow.file,
      line: flow.line,
      steps: countJson(flow.steps),
      branches: countJson(flow.branches),
      uncovered: flow.uncovered.map(itemJson),
    })),
    total: { steps: countJson(report.total.steps), branches: countJson(report.total.branches) },
  };
}
