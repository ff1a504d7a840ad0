/**
 * `startSession`: a new conversation's `action_session_start` (Rasa's MessageProcessor runs it
 * before the first message): the assistant's own when the domain lists it, run as a custom
 * action, else Rasa's default, which changes nothing flowc keeps.
 */
import { describe, expect, it } from "vitest";
import type { AssistantOptions } from "../../runtime/assistant.ts";
import { StateError } from "../../runtime/state.ts";
import { assistantFromYaml } from "../support/assistant.ts";

const DOMAIN = `
slots:
  user_name:
    type: text
    mappings: [{type: controlled}]
  tier:
    type: categorical
    values: [gold, basic]
    mappings: [{type: controlled}]
responses:
  utter_welcome:
    - text: "Welcome {user_name}!"
  utter_gold:
    - text: "Gold service."
  utter_basic:
    - text: "Basic service."
actions:
  - action_session_start
`;

const FLOWS = `
flows:
  help:
    description: Get help.
    steps:
      - noop: true
        next:
          - if: slots.tier = "gold"
            then:
              - action: utter_gold
                next: END
          - else:
              - action: utter_basic
                next: END
`;

const newOwn = await assistantFromYaml(DOMAIN, FLOWS);
const newDefault = await assistantFromYaml(DOMAIN.replace("actions:\n  - action_session_start\n", ""), FLOWS);

/** A session start that reads the user's profile from the channel's metadata. */
const profile = {
  action_session_start: ({ metadata }: { metadata?: Readonly<Record<string, unknown>> }) => ({
    messages: [{ text: "Hello there." }, { response: "utter_welcome" }],
    slots: { user_name: metadata?.["name"] ?? null, tier: metadata?.["tier"] ?? null },
  }),
};

describe("startSession with the assistant's own action_session_start", () => {
  it("runs it: its slots are set before the first turn, which branches on them", async () => {
    const bot = newOwn({ actions: profile });
    const start = await bot.startSession(bot.initialState(), { metadata: { name: "Ann", tier: "gold" } });
    expect(start.state.slots).toMatchObject({ user_name: "Ann", tier: "gold" });
    const turn = await bot.handle(start.state, bot.parseCommands(start.state, ["start flow help"]));
    expect(turn.messages.map((m) => m.text)).toContain("Gold service.");
    // Without the session start the same turn takes the else branch.
    const cold = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow help"]));
    expect(cold.messages.map((m) => m.text)).toContain("Basic service.");
  });

  it("sends its messages, rendered from the slots as the action found them, and keeps them for a repeat", async () => {
    const bot = newOwn({ actions: profile });
    const start = await bot.startSession(bot.initialState(), { metadata: { name: "Ann" } });
    expect(start.messages).toEqual([{ text: "Hello there." }, { response: "utter_welcome", text: "Welcome None!" }]);
    expect(start.state.lastBotTurn).toEqual(start.messages);
    const repeat = await bot.handle(start.state, bot.parseCommands(start.state, ["repeat message"]));
    expect(repeat.messages.map((m) => m.text)).toEqual(["Hello there.", "Welcome None!"]);
  });

  it("records action_session_start, its messages, session_started, its slots, then action_listen", async () => {
    const bot = newOwn({ actions: profile });
    const start = await bot.startSession(bot.initialState(), { metadata: { name: "Ann", tier: "basic" } });
    expect(start.actions).toEqual(["action_session_start", "action_listen"]);
    expect(start.events).toEqual([
      { event: "action", name: "action_session_start" },
      { event: "bot", text: "Hello there." },
      { event: "bot", response: "utter_welcome", text: "Welcome None!" },
      { event: "session_started" },
      { event: "slot", name: "user_name", value: "Ann" },
      { event: "slot", name: "tier", value: "basic" },
      { event: "action", name: "action_listen" },
    ]);
  });

  it("is no user turn: turns stay at 0, no user event, and the state that went in is left alone", async () => {
    const bot = newOwn({ actions: profile });
    const before = bot.initialState();
    const copy = structuredClone(before);
    const start = await bot.startSession(before, { metadata: { name: "Ann" } });
    expect(start.state.turns).toBe(0);
    expect(start.events.some((e) => e.event === "user")).toBe(false);
    expect(before).toEqual(copy);
    const first = await bot.handle(start.state, bot.parseCommands(start.state, ["start flow help"]));
    expect(first.state.turns).toBe(1);
  });

  it("waits for an action that returns a promise, and the session's options override the assistant's actions", async () => {
    const bot = newOwn({ actions: profile });
    const start = await bot.startSession(bot.initialState(), { actions: { action_session_start: async () => ({ slots: { tier: "gold" } }) } });
    expect(start.messages).toEqual([]);
    expect(start.state.slots).toMatchObject({ user_name: null, tier: "gold" });
  });

  it("records a throwing action with its error and changes nothing, without pattern_internal_error", async () => {
    const bot = newOwn({ actions: { action_session_start: () => { throw new Error("profile service down"); } } });
    const start = await bot.startSession(bot.initialState());
    expect(start.events).toEqual([{ event: "action", name: "action_session_start", error: "profile service down" }]);
    expect(start.actions).toEqual(["action_session_start"]);
    expect(start.messages).toEqual([]);
    expect(start.state.stack).toEqual([]);
    expect(start.state.slots).toEqual(bot.initialState().slots);
    // The conversation goes on.
    const turn = await bot.handle(start.state, bot.parseCommands(start.state, ["start flow help"]));
    expect(turn.messages.map((m) => m.text)).toContain("Basic service.");
  });

  it("records a rejected promise or an unknown slot the same way", async () => {
    const rejecting = newOwn({ actions: { action_session_start: () => Promise.reject(new Error("timeout")) } });
    const rejected = await rejecting.startSession(rejecting.initialState());
    expect(rejected.events).toEqual([{ event: "action", name: "action_session_start", error: "timeout" }]);
    const unknown = newOwn({ actions: { action_session_start: () => ({ slots: { nickname: "A" }, messages: [{ text: "Hi" }] }) } });
    const refused = await unknown.startSession(unknown.initialState());
    expect(refused.events).toEqual([{ event: "action", name: "action_session_start", error: expect.stringContaining("nickname") }]);
    expect(refused.messages).toEqual([]);
  });

  it("runs and returns nothing without an implementation", async () => {
    const bot = newOwn();
    const start = await bot.startSession(bot.initialState());
    expect(start.events).toEqual([{ event: "action", name: "action_session_start" }, { event: "session_started" }, { event: "action", name: "action_listen" }]);
    expect(start.state.slots).toEqual(bot.initialState().slots);
  });

  it("refuses a state that is none, as handle does", async () => {
    const bot = newOwn({ actions: profile });
    const error = await bot.startSession("{}" as never).catch((e: unknown) => e as Error);
    expect((error as Error).name).toBe(StateError.name);
    expect((error as Error).message).toMatch(/^startSession: /);
  });
});

describe("startSession with Rasa's default action_session_start", () => {
  it("sets no slot, sends nothing and does not run an action of the application by that name", async () => {
    let ran = false;
    const bot = newDefault({ actions: { action_session_start: () => { ran = true; return { slots: { tier: "gold" }, messages: [{ text: "Hi" }] }; } } });
    const start = await bot.startSession(bot.initialState(), { metadata: { tier: "gold" } });
    expect(ran).toBe(false);
    expect(start.messages).toEqual([]);
    expect(start.state.slots).toEqual(bot.initialState().slots);
    expect(start.state.turns).toBe(0);
    expect(start.actions).toEqual(["action_session_start", "action_listen"]);
    expect(start.events).toEqual([{ event: "action", name: "action_session_start" }, { event: "session_started" }, { event: "action", name: "action_listen" }]);
  });
});

/**
 * A flow step that runs Rasa's default `action_session_start` in a conversation: the action's
 * SessionStarted resets the tracker (its dialogue stack emptied, its slots back to their
 * initial values), then, with `carry_over_slots_to_new_session` (the default), the session's
 * slot events are set again. The flows on the stack are gone, without completing, and the turn
 * ends; a public meter-reading assistant greeted and then ran it before its questions.
 */
const IN_FLOW_DOMAIN = (sessionConfig: string) => `
slots:
  customer:
    type: text
    mappings: [{type: controlled}]
  reading:
    type: float
    mappings: [{type: from_llm}]
responses:
  utter_greet:
    - text: "Hello!"
  utter_ask_reading:
    - text: "What does the meter read?"
  utter_done:
    - text: "Noted {reading}."
${sessionConfig}`;

const IN_FLOW = `
flows:
  meter_reading:
    description: Takes a meter reading.
    steps:
      - set_slots:
          - customer: "C-1"
      - action: utter_greet
      - action: action_session_start
      - collect: reading
      - action: utter_done
`;

describe("action_session_start run by a flow step", () => {
  it("empties the stack and ends the turn, with no flow completed, the slots carried over", async () => {
    const bot = (await assistantFromYaml(IN_FLOW_DOMAIN(""), IN_FLOW))();
    const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
    expect(turn.actions).toEqual(["utter_greet", "action_session_start", "action_listen"]);
    expect(turn.messages.map((m) => m.text)).toEqual(["Hello!"]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.slots["customer"]).toBe("C-1");
    const at = turn.events.findIndex((e) => e.event === "action" && e.name === "action_session_start");
    expect(turn.events.slice(at)).toEqual([
      { event: "action", name: "action_session_start" },
      { event: "session_started" },
      { event: "stack", stack: [] },
      { event: "action", name: "action_listen" },
    ]);
    const kinds = turn.events.map((e) => e.event);
    expect(kinds).not.toContain("flow_completed");
    // The question after it is never asked: the next answer finds no flow that collects it.
    const next = await bot.handle(turn.state, bot.parseCommands(turn.state, ["set slot reading 42"]));
    expect(next.actions).toEqual(["action_listen"]);
    expect(next.state.slots["reading"]).toBeNull();
  });

  it("puts the slots back to their initial values when the domain carries none over to a new session", async () => {
    const bot = (await assistantFromYaml(IN_FLOW_DOMAIN("session_config:\n  carry_over_slots_to_new_session: false\n"), IN_FLOW))();
    const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
    expect(turn.actions).toEqual(["utter_greet", "action_session_start", "action_listen"]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.slots["customer"]).toBeNull();
    expect(turn.state.slotsSet).toEqual([]);
  });
});

/** A conversation under way: the flow has set `customer` and waits for the reading. */
const ASKING = IN_FLOW.replace("      - action: utter_greet\n      - action: action_session_start\n", "");

const OWN_ACTION = "actions:\n  - action_session_start\n";
const NO_CARRY_OVER = "session_config:\n  carry_over_slots_to_new_session: false\n";

/** The domain above with a response that reads the customer. */
const withHello = (tail: string) => IN_FLOW_DOMAIN(tail).replace("responses:\n", 'responses:\n  utter_hello:\n    - text: "Hello {customer}."\n');

async function underWay(domainTail: string, options: AssistantOptions = {}) {
  const bot = (await assistantFromYaml(withHello(domainTail), ASKING))(options);
  const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
  expect(turn.state.stack.map((frame) => frame.flow_id)).toEqual(["meter_reading", "pattern_collect_information"]);
  return { bot, state: turn.state };
}

describe("a session started in a conversation under way (the application's startSession after a pause)", () => {
  it("empties the stack and, with Rasa's default action, keeps the slots", async () => {
    const { bot, state } = await underWay("");
    const start = await bot.startSession(state);
    expect(start.state.stack).toEqual([]);
    expect(start.state.slots).toMatchObject({ customer: "C-1", reading: null });
    // The question is gone with the stack: its answer now fills nothing.
    const next = await bot.handle(start.state, bot.parseCommands(start.state, ["set slot reading 42"]));
    expect(next.state.slots["reading"]).toBeNull();
    expect(next.messages).toEqual([]);
  });

  it("puts the slots back to their initial values when the domain carries none over", async () => {
    const { bot, state } = await underWay(NO_CARRY_OVER);
    const start = await bot.startSession(state);
    expect(start.state.stack).toEqual([]);
    expect(start.state.slots).toEqual(bot.initialState().slots);
    expect(start.state.slotsSet).toEqual([]);
  });

  it("with the assistant's own action, keeps only the slots the action returns, its messages rendered from the slots it found", async () => {
    const hello = { action_session_start: () => ({ messages: [{ response: "utter_hello" }] }) };
    const { bot, state } = await underWay(OWN_ACTION, { actions: hello });
    const start = await bot.startSession(state);
    expect(start.messages.map((m) => m.text)).toEqual(["Hello C-1."]);
    expect(start.state.stack).toEqual([]);
    expect(start.state.slots).toEqual(bot.initialState().slots);
    // Carrying a slot over is the action's business, as with an action server's session start.
    const carrying = { action_session_start: ({ slots }: { slots: Readonly<Record<string, unknown>> }) => ({ slots: { customer: slots["customer"] } }) };
    const carried = await bot.startSession(state, { actions: carrying });
    expect(carried.state.slots).toMatchObject({ customer: "C-1" });
    expect(carried.events.map((e) => e.event)).toEqual(["action", "session_started", "slot", "action"]);
  });

  it("changes nothing when the assistant's own action fails", async () => {
    const { bot, state } = await underWay(OWN_ACTION, { actions: { action_session_start: () => { throw new Error("down"); } } });
    const start = await bot.startSession(state);
    expect(start.state.stack).toEqual(state.stack);
    expect(start.state.slots).toEqual(state.slots);
  });
});

describe("the assistant's own action_session_start run by a flow step", () => {
  it("starts a session: its messages, session_started, the tracker reset, its slots; the turn ends", async () => {
    const own = { action_session_start: () => ({ messages: [{ response: "utter_hello" }], slots: { reading: 7 } }) };
    const bot = (await assistantFromYaml(withHello(OWN_ACTION), IN_FLOW))({ actions: own });
    const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
    expect(turn.actions).toEqual(["utter_greet", "action_session_start", "action_listen"]);
    expect(turn.messages.map((m) => m.text)).toEqual(["Hello!", "Hello C-1."]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.slots).toMatchObject({ customer: null, reading: 7 });
    const at = turn.events.findIndex((e) => e.event === "action" && e.name === "action_session_start");
    expect(turn.events.slice(at).map((e) => e.event)).toEqual(["action", "bot", "session_started", "slot", "stack", "action"]);
  });

  it("starts a session without an implementation too, as an action that returns nothing", async () => {
    const bot = (await assistantFromYaml(IN_FLOW_DOMAIN(OWN_ACTION), IN_FLOW))();
    const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
    expect(turn.actions).toEqual(["utter_greet", "action_session_start", "action_listen"]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.slots["customer"]).toBeNull();
  });

  it("runs pattern_internal_error when it fails, and the flow stays as it was", async () => {
    const bot = (await assistantFromYaml(IN_FLOW_DOMAIN(OWN_ACTION), IN_FLOW))({ actions: { action_session_start: () => { throw new Error("down"); } } });
    const turn = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow meter_reading"]));
    expect(turn.actions).toContain("utter_internal_error_rasa");
    expect(turn.state.slots["customer"]).toBe("C-1");
    expect(turn.events.some((e) => e.event === "session_started")).toBe(false);
  });
});
