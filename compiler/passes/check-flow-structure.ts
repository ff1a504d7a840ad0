/**
 * Stage 3: the structural rules Rasa applies to each flow before anything else
 * (flows-format.md §d, F1–F10 and F18): steps exist, ids are well-formed and unique, every
 * `next` target resolves, every branch list has an `else`, nested lists end with a `next`,
 * link steps have none, and every step can be reached from the first one.
 *
 * Rejects, for example:
 *   steps:
 *     - action: utter_greet
 *       next: END
 *     - action: utter_bye        # FLW4005: nothing leads here
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { END, START, type FlowIR, type StepIR } from "../model/ir.ts";
import { didYouMean } from "../util/suggest.ts";

export const FLOW_ID = /^[a-zA-Z0-9_][a-zA-Z0-9_-]*$/;
const SLOT_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

/**
 * `flowIds`: the ids of every flow of the assistant, so that a `next` naming another flow
 * (rather than a step of this one) is told how to go to that flow: with a link step.
 */
export function checkFlowStructure(flow: FlowIR, diagnostics: DiagnosticBag, flowIds: ReadonlySet<string> = new Set()): void {
  const input = flow.input;
  if (!FLOW_ID.test(flow.id)) {
    diagnostics.report("invalidFlowId", { flow: flow.id }, { range: input.idRange, flow: flow.id });
  }
  if (flow.steps.length === 0) {
    diagnostics.report("emptyFlow", { flow: flow.id }, { range: input.stepsRange, flow: flow.id });
    return;
  }
  const seen = new Set<string>();
  for (const step of flow.steps) {
    const where = { range: step.input.idRange ?? step.input.headRange, flow: flow.id, step: step.id };
    if (seen.has(step.id)) diagnostics.report("duplicateStepId", { step: step.id, flow: flow.id }, where);
    seen.add(step.id);
    if (step.input.customId !== undefined && isReservedId(step.input.customId)) {
      diagnostics.report("reservedStepId", { step: step.id }, where);
    }
    checkStepLinks(flow, step, diagnostics, flowIds);
  }
  reportUnreachable(flow, diagnostics);
}

function isReservedId(id: string): boolean {
  return id === START || id === END || id.startsWith("NEXT:");
}

function checkStepLinks(flow: FlowIR, step: StepIR, diagnostics: DiagnosticBag, flowIds: ReadonlySet<string>): void {
  const input = step.input;
  const where = { range: input.headRange, flow: flow.id, step: step.id };
  if (input.kind === "link" && input.next) {
    diagnostics.report("linkWithNext", { step: step.id }, { ...where, range: input.next.range });
  }
  if (step.missingNext) diagnostics.report("missingNext", { step: step.id }, where);
  if (input.kind === "collect" && !SLOT_NAME.test(input.collect)) {
    diagnostics.report("invalidSlotName", { slot: input.collect }, where);
  }
  const next = input.next;
  if (next?.kind === "branches" && next.branches.some((b) => b.kind === "if") && !next.branches.some((b) => b.kind === "else")) {
    diagnostics.report("missingElse", { step: step.id }, { ...where, range: next.range, suggestion: "add `- else: END` (or the step to go to when no condition holds)" });
  }
  for (const link of step.links) {
    if (link.target === START || link.target === END || flow.stepsById.has(link.target)) continue;
    const candidates = [...flow.stepsById.keys(), START, END];
    diagnostics.report("unknownStep", { step: step.id, target: link.target, flow: flow.id }, {
      range: targetRange(step, link.target) ?? link.range,
      flow: flow.id,
      step: step.id,
      suggestion: flowIds.has(link.target) ? otherFlowHelp(link.target) : didYouMean(link.target, candidates),
    });
  }
}

/**
 * A `next` that names a flow: Rasa resolves `next`, `then` and `else` ids among the steps of
 * the flow only (F5), and a flow is started from another with a link (or call) step.
 */
function otherFlowHelp(target: string): string {
  return `\`${target}\` is a flow, and \`next\`, \`then\` and \`else\` go only to steps of this flow; to go on in flow \`${target}\`, use a link step: \`- link: ${target}\``;
}

/** The range of the written target id (`next: x`, `then: x`, `else: x`). */
function targetRange(step: StepIR, target: string) {
  const next = step.input.next;
  if (!next) return undefined;
  if (next.kind === "static") return next.range;
  for (const branch of next.branches) {
    const t = branch.kind === "if" ? branch.then : branch.target;
    if (t.kind === "id" && t.id === target) return t.range;
  }
  return undefined;
}

/** Steps that no path from the first step reaches (START and END count as reached). */
export function reachableSteps(flow: FlowIR): Set<string> {
  const reached = new Set<string>();
  const queue = flow.firstStepId === undefined ? [] : [flow.firstStepId];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    const step = flow.stepsById.get(id);
    if (!step) continue;
    for (const link of step.links) if (link.target !== END && link.target !== START) queue.push(link.target);
  }
  return reached;
}

function reportUnreachable(flow: FlowIR, diagnostics: DiagnosticBag): void {
  const reached = reachableSteps(flow);
  for (const step of flow.steps) {
    if (reached.has(step.id) || step.id === START || step.id === END) continue; // reserved ids count as reached
    if (flow.stepsById.get(step.id) !== step) continue; // a duplicate id, reported already
    diagnostics.report("unreachableStep", { step: step.id, flow: flow.id }, { range: step.input.headRange, flow: flow.id, step: step.id });
  }
}
