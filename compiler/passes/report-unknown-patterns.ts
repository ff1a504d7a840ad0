/**
 * Stage 4, flowc's own analysis: a flow whose id starts with `pattern_` but is none of Rasa's
 * patterns. Rasa takes every flow with that prefix for a pattern (`Flow.is_rasa_default_flow`),
 * and a pattern runs only when Rasa pushes it: its own patterns, by their ids, from commands, the
 * flow executor and its default actions. Nothing pushes a pattern of another name: the LLM
 * command generator sees and may start user flows only (a `start flow pattern_x` is dropped), a
 * user flow may neither call nor link to a pattern (F16), and a pattern may not link to another
 * one but the handoff and chitchat patterns (F17). So such a flow never runs, and Rasa accepts it
 * without a word. Public assistants had several: `pattern_employer` and `pattern_work` beside
 * user flows they were meant to be, `pattern_handle_continue` "with the highest priority",
 * `pattern_license_info`, `pattern_not_recognized`, each with a description written for the LLM,
 * which never sees it. Since Rasa accepts them, this is a warning (an error with `--strict`).
 *
 * Left alone: a flow with an `nlu_trigger` (which versions start a pattern from an intent, and
 * which patterns, differs), and one that some step starts with its `flow_<id>` action.
 *
 * Warns, for example:
 *   pattern_employer:                   # FLW4107
 *     description: Flow for handling employer information
 *     steps:
 *       - action: utter_ask_is_self_employed
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { editDistance } from "../util/suggest.ts";

const PATTERN_PREFIX = "pattern_";

/** `rasaPatterns`: the ids of Rasa's patterns (those of flowc's default patterns). */
export function reportUnknownPatterns(assistant: AssistantIR, rasaPatterns: ReadonlySet<string>, diagnostics: DiagnosticBag): void {
  const started = new Set<string>();
  for (const flow of assistant.flows) {
    for (const step of flow.steps) if (step.input.kind === "action" && step.input.action.startsWith("flow_")) started.add(step.input.action.slice("flow_".length));
  }
  const defined = new Set(assistant.flows.map((flow) => flow.id));
  for (const flow of assistant.flows) {
    if (flow.input.isDefault || !flow.id.startsWith(PATTERN_PREFIX) || rasaPatterns.has(flow.id)) continue;
    if (flow.input.nluTrigger.length > 0 || started.has(flow.id)) continue;
    const bare = flow.id.slice(PATTERN_PREFIX.length);
    const rename = bare !== "" && !defined.has(bare) ? `\`${bare}\`` : "an id without it";
    // Within two edits of a pattern the assistant does not override yet, it is likely a typo of that id.
    const near = [...rasaPatterns].find((id) => assistant.flowsById.get(id)?.input.isDefault !== false && editDistance(flow.id, id) <= 2);
    diagnostics.report(
      "unknownPattern",
      { flow: flow.id },
      {
        range: flow.input.idRange,
        flow: flow.id,
        suggestion: near !== undefined ? `did you mean \`${near}\`? Otherwise rename the flow to ${rename}, so that it is a user flow` : `rename the flow to ${rename}, so that it is a user flow; to change one of Rasa's patterns, give the flow that pattern's id`,
        notes: [
          "Rasa takes every flow whose id starts with `pattern_` for a pattern, and runs a pattern only when it pushes it itself, by the ids of its own patterns (`pattern_correction`, `pattern_cancel_flow`, ...)",
          "an LLM may start user flows only (patterns are left out of its prompt, and a `start flow` naming one is dropped), and no flow may call or link to a pattern; Rasa 3.12 accepts the flow and says nothing",
        ],
      },
    );
  }
}
