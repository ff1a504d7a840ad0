/**
 * Stage 4, flowc's own analysis: steps that follow a step which ends every flow on the
 * dialogue stack. Three of Rasa 3.12's default actions do that when a flow step runs them:
 * `action_restart` (its Restarted event resets the tracker), `action_session_start` (its
 * SessionStarted resets the tracker too; the assistant's own action as well, which flowc's
 * runtime runs as a session start: runtime/turn.ts `applySessionStartResult`) and
 * `action_clean_stack` (every frame goes to its END). The flow that ran the step is gone with the
 * others, so whatever comes after it in the flow never runs: no message, no question. Rasa's
 * validator accepts such a flow and says nothing, and neither did flowc; a public meter-reading
 * assistant greeted, ran `action_session_start` and then asked two questions that Rasa never
 * asks. Since Rasa accepts it, this is a warning (an error with `--strict`).
 *
 * It fires for a step of a user flow (an override of a pattern included; flowc's default
 * patterns are left alone) whose action is written as exactly one of these names and that has a
 * successor other than END: the next step of its list, a `next` naming a step, or branches that
 * do not all lead to END. A name with a Jinja template is not looked at (what it renders to is
 * not known here), nor is an `action_restart` or `action_clean_stack` the domain lists as its
 * own custom action: that one replaces Rasa's (action_for_name_or_text), flowc's runtime runs it
 * as a custom action and goes on with the flow, and what the action server does is not known.
 *
 * Warns, for example:
 *   - action: utter_greet
 *   - action: action_session_start       # FLW4106
 *   - collect: meter_number              # never asked
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ActionStepInput } from "../model/input.ts";
import { END, type AssistantIR, type FlowIR, type StepIR } from "../model/ir.ts";

/** The actions that end every flow on the stack, with why and where steps meant to follow them belong. */
const STACK_RESETS: ReadonlyMap<string, { readonly why: string; readonly instead: string; readonly customReplaces: boolean }> = new Map([
  [
    "action_restart",
    {
      why: "`action_restart`'s Restarted event resets the conversation: the dialogue stack is emptied and every slot is back at its initial value",
      instead: "; what the user should see on a restart belongs in an override of `pattern_restart`, before its `action_restart`",
      customReplaces: true,
    },
  ],
  [
    "action_session_start",
    {
      why: "`action_session_start`'s SessionStarted resets the conversation as a restart does: the dialogue stack is emptied (the assistant's own `action_session_start` too)",
      instead: "; what the user should see at a session's start belongs in an override of `pattern_session_start`, before its `action_session_start` or in its place",
      customReplaces: false,
    },
  ],
  [
    "action_clean_stack",
    {
      why: "`action_clean_stack` moves every frame on the dialogue stack to its END",
      instead: "",
      customReplaces: true,
    },
  ],
]);

export function reportStepsAfterStackReset(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  for (const flow of assistant.flows) {
    if (flow.input.isDefault) continue;
    for (const step of flow.steps) {
      const input = step.input;
      if (input.kind !== "action") continue;
      const reset = STACK_RESETS.get(input.action);
      if (reset === undefined || (reset.customReplaces && assistant.domain.actions.has(input.action))) continue;
      const following = successors(step);
      if (following.length > 0) report(diagnostics, flow, step, input, following, reset);
    }
  }
}

/** The steps a step goes on to, END left out (the next step of its list, a `next`'s target, its branches' targets). */
function successors(step: StepIR): string[] {
  return [...new Set(step.links.map((link) => link.target).filter((target) => target !== END))];
}

function report(diagnostics: DiagnosticBag, flow: FlowIR, step: StepIR, input: ActionStepInput, following: readonly string[], reset: { readonly why: string; readonly instead: string }): void {
  const next = following.map((id) => `\`${id}\``).join(", ");
  diagnostics.report(
    "stepsAfterStackReset",
    { action: input.action, flow: flow.id },
    {
      range: input.actionRange,
      flow: flow.id,
      step: step.id,
      suggestion: `remove the steps after it, move them before it, or end the flow there with \`next: END\`${reset.instead}`,
      notes: [reset.why, `so ${following.length === 1 ? `step ${next}` : `steps ${next}`} and what follows never run; Rasa 3.12 accepts the flow and says nothing`],
    },
  );
}
