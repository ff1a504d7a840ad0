/**
 * Stage 4: every step against the domain (flows-format.md §d, V1–V6, V20): collected and set
 * slots exist and are not list slots, each collect step has exactly one way to ask (its
 * `utter_*` response or `action_ask_<slot>`, unless the slot has an initial value), and every
 * action is a custom action, a response, a default action or a `flow_<id>` action. Responses
 * named by rejections are not checked by Rasa; flowc warns when they are missing.
 *
 * Rejects, for example:  - action: action_check_balance   with no such action in the domain (FLW2008)
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { CollectStepInput } from "../model/input.ts";
import { DEFAULT_ACTIONS, type AssistantIR, type FlowIR, type StepIR } from "../model/ir.ts";
import { closest, didYouMean } from "../util/suggest.ts";

/** An action name that Rasa fills in from the frame at run time, such as `{{context.utter}}` (V6). */
const CONTEXT_HOLE = /\{context\..+?\}/;

export function checkStepsAgainstDomain(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const knownActions = new Set<string>([
    ...assistant.domain.actions.keys(),
    ...assistant.domain.responses.keys(),
    ...DEFAULT_ACTIONS,
    ...assistant.flows.map((f) => `flow_${f.id}`),
  ]);
  for (const flow of assistant.flows) {
    for (const step of flow.steps) {
      const input = step.input;
      const where = { range: input.headRange, flow: flow.id, step: step.id };
      switch (input.kind) {
        case "collect":
          checkCollect(assistant, flow, step, input, diagnostics);
          break;
        case "set_slots":
          for (const assignment of input.assignments) {
            const slot = assistant.domain.slots.get(assignment.slot);
            const at = { ...where, range: assignment.range };
            if (!slot) diagnostics.report("setSlotNotInDomain", { slot: assignment.slot }, { ...at, suggestion: didYouMean(assignment.slot, assistant.domain.slots.keys()) });
            else if (slot.type === "list") diagnostics.report("setListSlot", { slot: assignment.slot }, at);
          }
          break;
        case "action":
          if (CONTEXT_HOLE.test(input.action)) break; // rendered at run time; Rasa skips the check
          if (!knownActions.has(input.action)) {
            // An `utter_` name is a response's name: the response is what is missing, not a custom action.
            // A near name may be a slip, or only a neighbour of a new name not yet declared: say both.
            const missing = input.action.startsWith("utter_") ? "add it under `responses:` in the domain, with the text to send" : "list it under `actions:` in the domain";
            const near = didYouMean(input.action, knownActions);
            diagnostics.report("actionNotInDomain", { action: input.action }, { ...where, suggestion: near === undefined ? missing : `${near} If not, ${missing}` });
          }
          break;
        default:
          break;
      }
    }
  }
}

function checkCollect(assistant: AssistantIR, flow: FlowIR, step: StepIR, input: CollectStepInput, diagnostics: DiagnosticBag): void {
  const { domain } = assistant;
  const where = { range: input.headRange, flow: flow.id, step: step.id };
  const slot = domain.slots.get(input.collect);
  if (input.resetAfterFlowEnds === false) {
    diagnostics.report("resetAfterFlowEndsDeprecated", {}, { ...where, range: input.resetAfterFlowEndsRange ?? input.headRange });
  }
  for (const rejection of input.rejections) {
    if (!domain.responses.has(rejection.utter)) {
      diagnostics.report("responseNotInDomain", { response: rejection.utter }, { range: rejection.utterRange, flow: flow.id, step: step.id, suggestion: didYouMean(rejection.utter, domain.responses.keys()) });
    }
  }
  if (!slot) {
    diagnostics.report("collectSlotNotInDomain", { slot: input.collect }, { ...where, suggestion: didYouMean(input.collect, domain.slots.keys()) });
    return;
  }
  if (slot.type === "list") {
    diagnostics.report("collectListSlot", { slot: input.collect }, where);
    return;
  }
  const response = input.utter ?? `utter_ask_${input.collect}`;
  const action = `action_ask_${input.collect}`;
  const hasResponse = response.startsWith("utter_") && domain.responses.has(response);
  // A response is an action too (Rasa looks the name up among both): a response named
  // `action_ask_<slot>` asks as the action would (V4), and next to the utter response it asks twice (V3).
  const hasAction = domain.actions.has(action) || domain.responses.has(action);
  if (hasResponse && hasAction) {
    diagnostics.report("collectAskedTwice", { slot: input.collect, response, action }, where);
  } else if (!hasResponse && !hasAction && !slot.hasInitialValue) {
    const notes = input.utter !== undefined && !input.utter.startsWith("utter_") ? [`\`${input.utter}\` does not start with \`utter_\`, so it does not count as a question`] : undefined;
    diagnostics.report("collectCannotAsk", { slot: input.collect, response, action }, { ...where, range: input.utterRange ?? input.headRange, notes, suggestion: nearQuestion(response, input.utter !== undefined, assistant) });
  }
}

/**
 * FLW2016's help when a response's name is a near miss of the question's: a public assistant
 * collected `fields` beside the response `utter_ask_field`. The step may name its question with
 * `utter:` instead of renaming the response. For the default name, slot names are compared (the
 * shared `utter_ask_` would let far names pass), and a response that asks for another slot of
 * the domain is no slip.
 */
function nearQuestion(response: string, named: boolean, assistant: AssistantIR): string | undefined {
  const { responses, slots } = assistant.domain;
  if (named) return didYouMean(response, [...responses.keys()].filter((name) => name.startsWith("utter_")));
  const prefix = "utter_ask_";
  const others = [...responses.keys()].filter((name) => name.startsWith(prefix) && !slots.has(name.slice(prefix.length)));
  const near = closest(response.slice(prefix.length), others.map((name) => name.slice(prefix.length)));
  if (near === undefined) return undefined;
  return `the response \`${prefix}${near}\` is close: rename it \`${response}\`, or give this step \`utter: ${prefix}${near}\``;
}
