/**
 * Stage 4: flow names and descriptions must be unique across all flows, default patterns
 * included (V8, V9): the command generator tells flows apart by them. A missing name defaults
 * to the id with `_` and `-` turned into spaces; descriptions compare with ASCII punctuation
 * removed. flowc's default patterns are worded in its own way, so a default pattern takes part
 * with the names and descriptions Rasa's pattern of that id has: those are the values a user
 * flow clashes with in Rasa. Rasa 3.12 (its default_flows_for_patterns.yml, the one with
 * `pattern_handle_digressions`) and the 3.14 baseline of flows-format.md word a few of them
 * differently; a user flow that takes either wording is refused, so that an assistant flowc
 * accepts passes the check of both versions:
 *   - the repeat pattern: "Voice conversation repair pattern to repeat bot messages" (3.12),
 *     "Conversation repair flow for repeating previous messages" (3.14);
 *   - `pattern_cannot_handle`'s description is a `|` block in 3.12, so it ends in a newline;
 *   - `pattern_handle_digressions` exists only in 3.12;
 *   - 3.14 names `pattern_cannot_handle` and `pattern_internal_error` by their ids.
 *
 * Rejects, for example: flows `transfer_money` and `transfer-money`, both named "transfer money" (FLW2019).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { FlowIR } from "../model/ir.ts";

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** What Rasa's default pattern of each id is named and described as (V8/V9 only): 3.12's wording, then 3.14's where it differs. */
const RASA_PATTERN_NAMES: Readonly<Record<string, readonly string[]>> = {
  pattern_cancel_flow: ["pattern_cancel_flow"],
  pattern_cannot_handle: ["pattern cannot handle", "pattern_cannot_handle"],
  pattern_internal_error: ["pattern internal error", "pattern_internal_error"],
  pattern_user_silence: ["pattern react to silence"],
};
const RASA_PATTERN_DESCRIPTIONS: Readonly<Record<string, string | readonly string[]>> = {
  pattern_cancel_flow: "Conversation repair flow that starts when a flow is cancelled",
  pattern_cannot_handle: ["Conversation repair flow for addressing failed command generation scenarios\n", "Conversation repair flow for addressing failed command generation scenarios"],
  pattern_chitchat: "Conversation repair flow for off-topic interactions that won't disrupt the main conversation",
  pattern_clarification: "Conversation repair flow for handling ambiguous requests that could match multiple flows",
  pattern_code_change: "Conversation repair flow for cleaning the stack after an assistant update",
  pattern_collect_information: "Flow for collecting information from users",
  pattern_completed: "Flow that asks if the user needs more help after completing their initiated use cases",
  pattern_continue_interrupted: "Conversation repair flow for managing when users switch between different flows",
  pattern_correction: "Conversation repair flow for managing user input changes or error corrections",
  pattern_handle_digressions: "Conversation repair flow for handling digressions",
  pattern_human_handoff: "Conversation repair flow for switching users to a human agent if their request can't be handled",
  pattern_internal_error: "Conversation repair flow for informing users about internal errors",
  pattern_restart: "Flow for restarting the conversation",
  pattern_search: "Flow for handling knowledge-based questions",
  pattern_session_start: "Flow for starting the conversation",
  pattern_skip_question: "Conversation repair flow for managing user intents to skip questions (steps)",
  pattern_repeat_bot_messages: ["Voice conversation repair pattern to repeat bot messages", "Conversation repair flow for repeating previous messages"],
  pattern_user_silence: "Reacting to user silence in voice bots",
  pattern_validate_slot: "Flow for running validations on slots",
};

/** The names a flow takes: a default pattern's are Rasa's (both versions'), a user flow's its own. */
function namesOf(flow: FlowIR): readonly string[] {
  return (flow.input.isDefault ? RASA_PATTERN_NAMES[flow.id] : undefined) ?? [flow.name];
}

/** The descriptions a flow takes, with ASCII punctuation removed. */
function descriptionKeysOf(flow: FlowIR): readonly string[] {
  const rasa = flow.input.isDefault ? RASA_PATTERN_DESCRIPTIONS[flow.id] : undefined;
  const descriptions = rasa === undefined ? [flow.input.description] : typeof rasa === "string" ? [rasa] : rasa;
  return descriptions.map((description) => description.replace(ASCII_PUNCTUATION, ""));
}

export function checkFlowUniqueness(flows: readonly FlowIR[], diagnostics: DiagnosticBag): void {
  const names = new Map<string, FlowIR>();
  const descriptions = new Map<string, FlowIR>();
  // User flows are reported, not the default patterns they clash with.
  const ordered = [...flows.filter((f) => f.input.isDefault), ...flows.filter((f) => !f.input.isDefault)];
  for (const flow of ordered) {
    for (const name of namesOf(flow)) {
      const other = names.get(name);
      if (other) {
        diagnostics.report("duplicateFlowName", { flow: flow.id, name, other: other.id }, { range: flow.input.nameRange ?? flow.input.idRange, flow: flow.id });
      } else names.set(name, flow);
    }
    for (const key of descriptionKeysOf(flow)) {
      const same = descriptions.get(key);
      if (same) {
        diagnostics.report("duplicateDescription", { flow: flow.id, other: same.id }, { range: flow.input.descriptionRange, flow: flow.id });
      } else descriptions.set(key, flow);
    }
  }
}
