/**
 * pattern_code_change in the shapes the scenario files cannot express (they never save a state
 * under one version of an assistant and load it under another): several user flows on the
 * stack, an interrupted flow, a called child, a flow without completion, and the events of the
 * wind-up (runtime-semantics.md §a.2.2, §c pattern_code_change, §b.7, §e).
 */
import { describe, expect, it } from "vitest";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  name:
    type: text
    mappings: [{type: from_llm}]
  city:
    type: text
    mappings: [{type: from_llm}]
  note:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_name:
    - text: "Name?"
  utter_ask_city:
    - text: "City?"
  utter_ask_note:
    - text: "Note?"
  utter_hello:
    - text: "Hello."
  utter_bye:
    - text: "Bye."
`;

const FLOWS = `
flows:
  greet:
    description: Greet by name.
    steps:
      - collect: name
      - action: utter_hello
  travel:
    description: Ask for a city.
    steps:
      - collect: city
      - action: utter_bye
  parent:
    description: Calls the note flow.
    steps:
      - collect: name
      - call: child
      - action: utter_hello
  child:
    description: Asks for a note.
    if: False
    steps:
      - collect: note
      - action: utter_bye
`;

/** The state after `turns` under the assistant of FLOWS, loaded under the assistant of `newFlows`. */
async function carriedOver(turns: string[][], newFlows: string) {
  const old = (await assistantFromYaml(DOMAIN, FLOWS))();
  const results = await talk(old, turns);
  const bot = (await assistantFromYaml(DOMAIN, newFlows))();
  expect(bot.compiled.hash).not.toBe(old.compiled.hash);
  return { bot, state: bot.loadState(JSON.stringify(results[results.length - 1]!.state)) };
}

describe("pattern_code_change", () => {
  it("winds up an interrupted flow and its interrupter together: no continue-interrupted, one completion, every slot reset", async () => {
    // §c action_clean_stack: "every flow frame → NEXT:END, user frames made regular so no
    // continue-interrupted"; §b.7.2 completion only when the stack is empty; §b.7.4 resets.
    const { bot, state } = await carriedOver([["start flow greet"], ["start flow travel"]], FLOWS.replace("      - action: utter_bye\n  parent", "      - action: utter_hello\n  parent"));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot city Rome", "set slot name Ann"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "utter_can_do_something_else", "action_listen"]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.slots).toMatchObject({ name: null, city: null });
    const kinds = turn.events.filter((e) => e.event === "flow_completed" || e.event === "flow_resumed" || e.event === "flow_interrupted").map((e) => `${e.event}:${(e as { flow_id: string }).flow_id}`);
    expect(kinds).toContain("flow_completed:travel");
    expect(kinds).toContain("flow_completed:greet");
    expect(kinds.some((k) => k.startsWith("flow_resumed") || k.startsWith("flow_interrupted"))).toBe(false);
  });

  it("runs when only the interrupted flow below changed", async () => {
    // §a.2.2 "if any flow that has a frame on the stack changed its fingerprint".
    const { bot, state } = await carriedOver([["start flow greet"], ["start flow travel"]], FLOWS.replace("      - action: utter_hello\n  travel", "      - action: utter_bye\n  travel"));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot city Rome"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "utter_can_do_something_else", "action_listen"]);
    expect(turn.state.slots).toMatchObject({ city: null });
  });

  it("runs when a called child changed, and resets the child's slot with the parent", async () => {
    const { bot, state } = await carriedOver([["start flow parent", "set slot name Ann"]], FLOWS.replace("      - collect: note\n      - action: utter_bye", "      - collect: note\n      - action: utter_hello"));
    expect(state.stack.map((f) => f.flow_id)).toEqual(["parent", "child", "pattern_collect_information"]);
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot note hi"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "utter_can_do_something_else", "action_listen"]);
    expect(turn.state.slots).toMatchObject({ name: null, note: null });
  });

  it("has no completion when the flow that empties the stack says run_pattern_completed: false", async () => {
    // §b.7.2 "run_pattern_completed: false is read from the flow whose end emptied the stack";
    // the wind-up is a flow end like any other (f.14 "after a code-change wrap-up").
    const { bot, state } = await carriedOver([["start flow greet"]], FLOWS.replace("    description: Greet by name.\n", "    description: Greet by name.\n    run_pattern_completed: false\n"));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot name Ann"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "action_listen"]);
  });

  it("replaces every command of the message, a cancel and a start included", async () => {
    // §a.2.2 "*all* commands are replaced by a single HandleCodeChangeCommand".
    const { bot, state } = await carriedOver([["start flow greet"]], FLOWS.replace("      - action: utter_hello\n  travel", "      - action: utter_bye\n  travel"));
    const turn = await bot.handle(state, bot.parseCommands(state, ["cancel flow", "start flow travel"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "utter_can_do_something_else", "action_listen"]);
    expect(turn.events.some((e) => e.event === "flow_cancelled")).toBe(false);
  });

  it("leaves a stack of patterns only as it is: no user flow is active, so nothing is pushed, and the message's commands are still dropped", async () => {
    // Rasa's HandleCodeChangeCommand (every stored version, 3.7 to the newest) pushes
    // pattern_code_change only when the original stack has a top user flow frame
    // (top_user_flow_frame: call and link frames skipped); otherwise it changes nothing. The
    // commands of the message are replaced all the same (§a.2.2), so the slot stays empty and
    // the waiting collect goes on: rejections, then the question again (§b.5, §a.3 "the list
    // ends up empty ... at a collect this re-asks the question").
    const asking = FLOWS + "  pattern_completed:\n    description: Asks what the user thought.\n    steps:\n      - collect: city\n";
    const old = (await assistantFromYaml(DOMAIN, asking))();
    const [first] = await talk(old, [["start flow greet", "set slot name Ann"]]);
    expect(first!.state.stack.map((f) => f.flow_id)).toEqual(["pattern_completed", "pattern_collect_information"]);
    const bot = (await assistantFromYaml(DOMAIN, `${asking}      - action: utter_hello\n`))();
    const state = bot.loadState(JSON.stringify(first!.state));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot city Rome"]));
    expect(turn.actions).toEqual(["action_run_slot_rejections", "utter_ask_city", "action_listen"]);
    expect(turn.state.stack.map((f) => f.flow_id)).toEqual(["pattern_completed", "pattern_collect_information"]);
    expect(turn.state.slots).toMatchObject({ city: null });
  });

  it("leaves a flow reached by a link with nothing below it running: a link frame is no active user flow", async () => {
    // Rasa's HandleCodeChangeCommand reads the active flow with top_user_flow_frame, which skips
    // link frames (§b.3): with only the linked flow on the stack nothing is pushed; the message's
    // commands are replaced all the same (§a.2.2), so the linked flow asks its question again.
    const linking = FLOWS + "  linker:\n    description: Hands over to greet.\n    steps:\n      - link: greet\n";
    const old = (await assistantFromYaml(DOMAIN, linking))();
    const [first] = await talk(old, [["start flow linker"]]);
    expect(first!.state.stack.map((f) => [f.flow_id, (f as { frame_type?: string }).frame_type])).toEqual([["greet", "link"], ["pattern_collect_information", undefined]]);
    const bot = (await assistantFromYaml(DOMAIN, linking.replace("      - collect: name\n      - action: utter_hello\n  travel", "      - collect: name\n      - action: utter_bye\n  travel")))();
    const state = bot.loadState(JSON.stringify(first!.state));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot name Ann"]));
    expect(turn.actions).toEqual(["action_run_slot_rejections", "utter_ask_name", "action_listen"]);
    expect(turn.state.slots).toMatchObject({ name: null });
  });

  it("does nothing when the changed flow is not on the stack", async () => {
    const { bot, state } = await carriedOver([["start flow greet"]], FLOWS.replace("      - action: utter_bye\n  parent", "      - action: utter_hello\n  parent"));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot name Ann"]));
    expect(turn.actions).toEqual(["action_run_slot_rejections", "utter_hello", "utter_can_do_something_else", "action_listen"]);
  });
});
