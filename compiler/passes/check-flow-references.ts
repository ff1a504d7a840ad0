/**
 * Stage 3: the rules that relate flows to each other (flows-format.md §d, F11–F17, F20):
 * call and link targets exist, patterns are neither called nor linked from user flows (except
 * `pattern_human_handoff`), patterns do not call, a called flow does not link, an intent
 * triggers one flow only, and no flow calls itself through a chain of calls.
 *
 * Rejects, for example:  main: steps: [ {call: child} ]  with  child: steps: [ {link: bye} ]  (FLW4007)
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { FlowIR, StepIR } from "../model/ir.ts";
import type { CallStepInput, LinkStepInput } from "../model/input.ts";
import { didYouMean } from "../util/suggest.ts";

const HANDOFF = "pattern_human_handoff";
const CHITCHAT = "pattern_chitchat";
const INTERNAL_ERROR = "pattern_internal_error";
const SUB_AGENT_HELP = "a call with `exit_if` calls a sub-agent (Rasa 3.14), and flowc compiles the flows of Rasa 3.12, which has none: here a call step calls a flow";

type CallStep = StepIR & { input: CallStepInput };
type LinkStep = StepIR & { input: LinkStepInput };

export function checkFlowReferences(flows: readonly FlowIR[], diagnostics: DiagnosticBag): void {
  const byId = new Map(flows.map((f) => [f.id, f]));
  checkNluTriggers(flows, diagnostics);
  const callers = new Map<string, { flow: FlowIR; step: StepIR }>();
  for (const flow of flows) {
    for (const step of flow.steps) {
      if (step.input.kind === "call") checkCall(flow, step as CallStep, byId, diagnostics, callers);
      if (step.input.kind === "link") checkLink(flow, step as LinkStep, byId, diagnostics);
    }
  }
  for (const [calleeId, caller] of callers) {
    const callee = byId.get(calleeId);
    const link = callee?.steps.find((s) => s.input.kind === "link");
    if (callee && link) {
      diagnostics.report("calledFlowLinks", { flow: callee.id, caller: caller.flow.id, step: link.id }, { range: link.input.headRange, flow: callee.id, step: link.id });
    }
  }
  reportCallCycles(flows, byId, diagnostics);
}

/**
 * F11 among the user's flows only: Rasa checks the structure of the merged user flows before
 * it adds the default patterns (flows-format.md §a.1), so a user flow may share an intent
 * with a default pattern such as `pattern_restart`.
 */
function checkNluTriggers(flows: readonly FlowIR[], diagnostics: DiagnosticBag): void {
  const owner = new Map<string, string>();
  for (const flow of flows) {
    if (flow.input.isDefault) continue;
    for (const trigger of flow.input.nluTrigger) {
      const other = owner.get(trigger.intent);
      if (other !== undefined && other !== flow.id) {
        diagnostics.report("nluTriggerIntentTwice", { intent: trigger.intent, flow: flow.id, other }, { range: trigger.range, flow: flow.id });
      } else owner.set(trigger.intent, flow.id);
    }
  }
}

function checkCall(flow: FlowIR, step: CallStep, byId: ReadonlyMap<string, FlowIR>, diagnostics: DiagnosticBag, callers: Map<string, { flow: FlowIR; step: StepIR }>): void {
  const target = step.input.call;
  const where = { range: step.input.headRange, flow: flow.id, step: step.id };
  if (flow.isPattern) {
    diagnostics.report("patternUsesFlow", { flow: flow.id, reason: `step \`${step.id}\` calls \`${target}\`, but patterns cannot use call steps` }, where);
    return;
  }
  if (!byId.has(target)) {
    // `exit_if` belongs to calls of sub-agents (Rasa 3.14, out of scope: flows-format.md F13/F14).
    const suggestion = didYouMean(target, userFlowIds(byId)) ?? (step.input.exitIfRange ? SUB_AGENT_HELP : undefined);
    diagnostics.report("unknownCalledFlow", { step: step.id, target }, { ...where, suggestion });
    return;
  }
  if (target.startsWith("pattern_")) {
    diagnostics.report("userFlowUsesPattern", { step: step.id, verb: "calls", target, reason: "patterns cannot be called" }, where);
    return;
  }
  if (step.input.exitIfRange) {
    diagnostics.report("exitIfOnFlowCall", { target }, { ...where, range: step.input.exitIfRange });
  }
  if (!callers.has(target)) callers.set(target, { flow, step });
}

function checkLink(flow: FlowIR, step: LinkStep, byId: ReadonlyMap<string, FlowIR>, diagnostics: DiagnosticBag): void {
  const target = step.input.link;
  const where = { range: step.input.headRange, flow: flow.id, step: step.id };
  const targetIsPattern = target.startsWith("pattern_");
  if (flow.isPattern) {
    // As Rasa orders it: links to the handoff and chitchat patterns are allowed in every
    // pattern, `pattern_internal_error` included; only its links to user flows are not.
    if (targetIsPattern && target !== HANDOFF && target !== CHITCHAT) {
      diagnostics.report("patternUsesFlow", { flow: flow.id, reason: `step \`${step.id}\` links to pattern \`${target}\`; patterns may link only to user flows, \`${HANDOFF}\` and \`${CHITCHAT}\`` }, where);
      return;
    }
    if (flow.id === INTERNAL_ERROR && !targetIsPattern) {
      diagnostics.report("patternUsesFlow", { flow: flow.id, reason: `step \`${step.id}\` links to \`${target}\`, but \`${INTERNAL_ERROR}\` cannot link to user flows (only to \`${HANDOFF}\` and \`${CHITCHAT}\`)` }, where);
      return;
    }
  } else if (targetIsPattern && target !== HANDOFF) {
    diagnostics.report("userFlowUsesPattern", { step: step.id, verb: "links to", target, reason: `only \`${HANDOFF}\` may be linked from a flow` }, where);
    return;
  }
  if (!byId.has(target) && target !== HANDOFF) {
    diagnostics.report("unknownLinkedFlow", { step: step.id, target }, { ...where, suggestion: didYouMean(target, userFlowIds(byId)) });
  }
}

function userFlowIds(byId: ReadonlyMap<string, FlowIR>): string[] {
  return [...byId.keys()].filter((id) => !id.startsWith("pattern_"));
}

/** Reports each cycle of the call graph once, as a path. */
function reportCallCycles(flows: readonly FlowIR[], byId: ReadonlyMap<string, FlowIR>, diagnostics: DiagnosticBag): void {
  const callees = (flow: FlowIR): { target: string; step: StepIR }[] =>
    flow.steps.flatMap((step) => (step.input.kind === "call" && byId.has(step.input.call) ? [{ target: step.input.call, step }] : []));
  const state = new Map<string, "visiting" | "done">();
  const path: { flow: string; step: StepIR | undefined }[] = [];
  const visit = (flow: FlowIR): void => {
    state.set(flow.id, "visiting");
    for (const { target, step } of callees(flow)) {
      path.push({ flow: flow.id, step });
      const status = state.get(target);
      if (status === "visiting") {
        const start = path.findIndex((p) => p.flow === target);
        const cycle = [...path.slice(start).map((p) => p.flow), target].join(" -> ");
        diagnostics.report("recursiveCall", { cycle }, { range: step.input.headRange, flow: flow.id, step: step.id });
      } else if (status === undefined) visit(byId.get(target)!);
      path.pop();
    }
    state.set(flow.id, "done");
  };
  for (const flow of flows) if (!state.has(flow.id)) visit(flow);
}
