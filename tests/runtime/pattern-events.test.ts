/**
 * Events (runtime-semantics.md §e) on the pattern paths the scenario files cannot check (they
 * compare actions, messages, slots and stack, not events): a flow started while only a pattern
 * asks, a restart in the middle of a flow, and the empty-input error.
 */
import { describe, expect, it } from "vitest";
import { generateCommandLines } from "../../runtime/command-generator.ts";
import type { RuntimeEvent } from "../../runtime/events.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  name:
    type: text
    mappings: [{type: from_llm}]
  feedback:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_name:
    - text: "Name?"
  utter_ask_feedback:
    - text: "How was it?"
  utter_hello:
    - text: "Hello."
`;

const FLOWS = `
flows:
  greet:
    description: Greet by name, then start over.
    steps:
      - collect: name
      - action: utter_hello
      - action: action_restart
  other:
    description: Say hello.
    steps:
      - action: utter_hello
  pattern_completed:
    description: Asks for feedback.
    steps:
      - collect: feedback
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

function kinds(events: readonly RuntimeEvent[]): string[] {
  return events.filter((e) => e.event !== "stack" && e.event !== "action" && e.event !== "bot").map((e) => ("flow_id" in e ? `${e.event} ${e.flow_id}` : "name" in e ? `${e.event} ${e.name}` : e.event));
}

describe("events on pattern paths (§e)", () => {
  it("a flow started while only a pattern asks is regular: no FlowInterrupted, no FlowResumed (§b.3, §b.7.3)", async () => {
    const [, second] = await talk(newBot(), [["start flow other"], ["start flow other"]]);
    expect(second!.state.stack.map((f) => f.flow_id)).toEqual(["pattern_completed", "pattern_collect_information"]);
    const events = kinds(second!.events);
    expect(events).toContain("flow_started other");
    expect(events).toContain("flow_completed other");
    expect(events.some((e) => e.startsWith("flow_interrupted") || e.startsWith("flow_resumed"))).toBe(false);
    const frame = second!.events.flatMap((e) => (e.event === "stack" ? e.stack : [])).find((f) => f.flow_id === "other");
    expect(frame).toMatchObject({ frame_type: "regular" });
  });

  it("action_restart records Restarted and no FlowCompleted for the flow it wipes out", async () => {
    const [, second] = await talk(newBot(), [["start flow greet"], ["set slot name Ann"]]);
    const events = kinds(second!.events);
    expect(events).toContain("restarted");
    expect(events).not.toContain("flow_completed greet");
    expect(second!.actions).toEqual(["action_run_slot_rejections", "utter_hello", "action_restart", "action_listen"]);
    expect(second!.state.stack).toEqual([]);
  });

  it("an empty message is recorded with the empty-input ErrorCommand and runs pattern_internal_error (§d.2)", async () => {
    const bot = newBot();
    const state = bot.initialState();
    const turn = await bot.handle(state, bot.parseCommands(state, generateCommandLines(bot.compiled, state, "  ")), { message: "  " });
    expect(turn.events[0]).toMatchObject({ event: "user", commands: [{ command: "error", error_type: "rasa_internal_error_user_input_empty" }] });
    expect(kinds(turn.events)).toEqual(["user", "flow_started pattern_internal_error", "flow_completed pattern_internal_error"]);
    expect(turn.actions).toEqual(["utter_user_input_empty_error_rasa", "action_listen"]);
  });
});
