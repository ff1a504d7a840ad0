/**
 * Spec-traceability tests for runtime-semantics.md §c (default patterns) and the pattern items
 * of §f, for paths a scenario file cannot reach because flowc refuses the assistant at compile
 * time (a collect step with no way to ask is FLW2016, as in `rasa data validate`): the run-time
 * check is exercised by taking the ask response out of the compiled assistant, as
 * tests/runtime/turn.test.ts does for a top-level flow.
 */
import { describe, expect, it } from "vitest";
import { createAssistant } from "../../runtime/assistant.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  x:
    type: text
    mappings: [{type: from_llm}]
  secret:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_x:
    - text: "x?"
  utter_ask_secret:
    - text: "secret?"
`;

const FLOWS = `
flows:
  fa:
    description: Asks x.
    steps:
      - collect: x
  fb:
    description: Asks a secret it has no question for.
    steps:
      - collect: secret
`;

describe("a collect step that cannot ask (§c pattern_cancel_flow / pattern_internal_error, §f.19)", () => {
  it("in an interrupting flow cancels only that flow: the error, the cancel, then the interrupted flow's question again", async () => {
    // Rasa 3.12 flow_executor.py validate_collect_step / cancel_flow_and_push_internal_error: the
    // cancel frame ends the frames select_canceled_frames picks (from the top down to the first
    // user frame that is not a call: fb alone), pattern_internal_error is pushed above it and runs
    // first (§c). fb is an interrupt frame whose end leaves fa unfinished: pattern_continue_interrupted
    // (§b.7.3), then fa's pending question is asked again (§b.8, §f.15); frames remain, so no
    // pattern_completed (§b.7.2). No action_run_slot_rejections for fb: the check runs before the
    // collect pattern is pushed.
    const bot = (await assistantFromYaml(DOMAIN, FLOWS))();
    const { utter_ask_secret: _, ...responses } = bot.compiled.responses;
    const broken = createAssistant({ ...bot.compiled, responses }, { frameIds: sequentialFrameIds() });
    const [first, second] = await talk(broken, [["start flow fa"], ["start flow fb"]]);
    expect(first!.actions).toEqual(["action_run_slot_rejections", "utter_ask_x", "action_listen"]);
    expect(second!.actions).toEqual([
      "utter_internal_error_rasa",
      "action_cancel_flow",
      "utter_flow_cancelled_rasa",
      "utter_flow_continue_interrupted",
      "action_run_slot_rejections",
      "utter_ask_x",
      "action_listen",
    ]);
    expect(second!.state.stack.map((frame) => frame.flow_id)).toEqual(["fa", "pattern_collect_information"]);
  });
});
