/**
 * The application API end to end, on small assistants compiled from YAML: the failure paths
 * the runtime issue names (a custom action that throws, a corrupt saved state, a state from an
 * older assistant), the run-time safety nets, and that a turn leaves its input state alone.
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../../runtime/commands.ts";
import { flowFields } from "../../runtime/define-flow.ts";
import type { CompiledAssistant, Flow } from "../../runtime/model.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import { StateError } from "../../runtime/state.ts";
import { MAX_ACTIONS_PER_TURN } from "../../runtime/turn.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  amount:
    type: float
    mappings: [{type: from_llm}]
  approved:
    type: bool
    mappings: [{type: controlled}]
responses:
  utter_ask_amount:
    - text: "How much?"
  utter_done:
    - text: "Done: {amount}."
actions:
  - check_amount
`;

const FLOWS = `
flows:
  pay:
    description: Pay an amount.
    steps:
      - collect: amount
      - action: check_amount
      - action: utter_done
`;


const newPay = await assistantFromYaml(DOMAIN, FLOWS);

describe("custom actions", () => {
  it("runs a response named like a property every object has", async () => {
    const domain = DOMAIN.replace("responses:\n", "responses:\n  constructor:\n    - text: \"Built.\"\n");
    const flows = "flows:\n  pay:\n    description: Pay.\n    steps:\n      - action: constructor\n";
    const [turn] = await talk((await assistantFromYaml(domain, flows))(), [["start flow pay"]]);
    expect(turn!.messages.map((m) => m.text)[0]).toBe("Built.");
  });

  it("runs the application's action for a default action's name the domain lists as its own, as Rasa does", async () => {
    const flows = `
flows:
  pay:
    description: Pay an amount.
    steps:
      - action: action_restart
      - action: utter_done
`;
    const listed = await assistantFromYaml(DOMAIN.replace("  - check_amount", "  - check_amount\n  - action_restart"), flows);
    const own = await talk(listed({ actions: { action_restart: () => ({ messages: [{ text: "Mine." }] }) } }), [["start flow pay"]]);
    expect(own[0]!.messages.map((m) => m.text)).toEqual(["Mine.", "Done: None.", expect.any(String)]);
    // Not listed: the built-in restart runs and ends the conversation's flows.
    const builtIn = await talk((await assistantFromYaml(DOMAIN, flows))(), [["start flow pay"]]);
    expect(builtIn[0]!.actions).not.toContain("utter_done");
  });

  it("runs an implementation and applies the slots and messages it returns", async () => {
    const bot = newPay({ actions: { check_amount: async () => ({ slots: { approved: true }, messages: [{ text: "Checked." }] }) } });
    const [, second] = await talk(bot, [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(second!.messages.map((m) => m.text)).toEqual(["Checked.", "Done: 20.0.", expect.any(String)]);
    expect(second!.events).toContainEqual({ event: "slot", name: "approved", value: true });
  });

  it("undoes a throwing action, reports an internal error and goes on with the flow", async () => {
    const bot = newPay({
      actions: {
        check_amount: () => {
          throw new Error("bank is down");
        },
      },
    });
    const [, second] = await talk(bot, [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_internal_error_rasa", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(second!.events).toContainEqual({ event: "action", name: "check_amount", error: "bank is down" });
    expect(second!.state.slots["approved"]).toBeNull();
  });

  it("reports a throwing action through an overridden internal error pattern, also in an interrupting flow", async () => {
    // runtime-semantics.md §c: a flow named pattern_internal_error replaces the default, so its
    // message comes instead of utter_internal_error_rasa; the interrupting flow then goes on, ends,
    // and the continue-interrupted pattern leads back to the pending question (§b.7.3, §b.8, f.15).
    const domain = DOMAIN.replace("responses:\n", 'responses:\n  utter_sorry:\n    - text: "Sorry, that failed."\n  utter_checked:\n    - text: "Checked."\n');
    const flows = `${FLOWS}
  check:
    description: Check the balance.
    steps:
      - action: check_amount
      - action: utter_checked
  pattern_internal_error:
    description: Apologises in its own words.
    steps:
      - action: utter_sorry
`;
    const bot = (await assistantFromYaml(domain, flows))({
      actions: {
        check_amount: () => {
          throw new Error("bank is down");
        },
      },
    });
    const [, second, third] = await talk(bot, [["start flow pay"], ["start flow check"], ["set slot amount 20"]]);
    expect(second!.actions).toEqual(["check_amount", "utter_sorry", "utter_checked", "utter_flow_continue_interrupted", "action_run_slot_rejections", "utter_ask_amount", "action_listen"]);
    expect(third!.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_sorry", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(third!.messages.map((m) => m.text)).toEqual(["Sorry, that failed.", "Done: 20.0.", expect.any(String)]);
  });

  it("treats setting a slot the domain does not have as a failure of the action", async () => {
    const bot = newPay({ actions: { check_amount: () => ({ slots: { approved: true, nonsense: 1 } }) } });
    const [, second] = await talk(bot, [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.actions).toContain("utter_internal_error_rasa");
    expect(second!.state.slots["approved"]).toBeNull(); // the action's other slot is undone too
  });

  it("runs an action without implementation and without effect", async () => {
    const [, second] = await talk(newPay(), [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_done", "utter_can_do_something_else", "action_listen"]);
  });
});

describe("conversation state", () => {
  it("survives a JSON round trip and leaves the state a turn started from unchanged", async () => {
    const bot = newPay();
    const start = bot.initialState();
    const snapshot = JSON.stringify(start);
    const first = await bot.handle(start, bot.parseCommands(start, ["start flow pay"]));
    expect(JSON.stringify(start)).toBe(snapshot);
    const reloaded = bot.loadState(JSON.stringify(first.state));
    const second = await bot.handle(reloaded, bot.parseCommands(reloaded, ["set slot amount 5"]));
    expect(second.actions).toContain("utter_done");
  });

  it("leaves the slots set and the collect records of the state it is given unchanged", async () => {
    const bot = newPay();
    const start = bot.initialState();
    const { state } = await bot.handle(start, bot.parseCommands(start, ["start flow pay"]));
    expect(state.collected.length).toBeGreaterThan(0);
    const before = JSON.stringify(state);
    const second = await bot.handle(state, bot.parseCommands(state, ["set slot amount 20"]));
    expect(JSON.stringify(state)).toBe(before);
    expect(second.state.slotsSet).toContain("amount");
    expect(second.state.collected).toEqual([]);
  });

  it("records every stack as it was then, though frames move step by step within the turn", async () => {
    const [first, second] = await talk(newPay(), [["start flow pay"], ["set slot amount 20"]]);
    const stacks = second!.events.flatMap((event) => (event.event === "stack" ? [JSON.stringify(event.stack)] : []));
    // The commands only set a slot: the first stack of the turn is the one the turn started from.
    expect(stacks[0]).toBe(JSON.stringify(first!.state.stack));
    expect(new Set(stacks).size).toBe(stacks.length); // every action changed the stack
    expect(stacks[stacks.length - 1]).toBe("[]");
    expect(JSON.parse(stacks[1]!)).toEqual(JSON.parse(stacks[0]!).map((frame: { step_id: string }, i: number) => (i === 1 ? { ...frame, step_id: "start" } : frame)));
  });

  it("keeps the slots in the order of the state it is given", async () => {
    const bot = newPay({ actions: { check_amount: () => ({ slots: { approved: true } }) } });
    const start = bot.initialState();
    const reversed = Object.fromEntries(Object.entries(start.slots).reverse());
    const { state } = await bot.handle({ ...start, slots: reversed }, bot.parseCommands(start, ["start flow pay", "set slot amount 3"]));
    expect(Object.keys(state.slots)).toEqual(Object.keys(reversed));
    expect(state.slots["approved"]).toBe(true);
  });

  it.each([
    ["not JSON", "{", /not JSON/],
    ["not an object", "[]", /the state must be an object/],
    ["an unknown version", { version: 7 }, /version 7/],
    ["a stack that is no list", { version: 1, assistantHash: "x", stack: {}, slots: {}, slotsSet: [], lastBotTurn: [], collected: [], turns: 0 }, /stack must be a list/],
    ["a frame without a type", { version: 1, assistantHash: "x", stack: [{ frame_id: "a", flow_id: "pay", step_id: "START" }], slots: {}, slotsSet: [], lastBotTurn: [], collected: [], turns: 0 }, /stack\[0\]\.type must be a string/],
    ["a bad frame type", { version: 1, assistantHash: "x", stack: [{ frame_id: "a", type: "flow", flow_id: "pay", step_id: "START", frame_type: "sideways" }], slots: {}, slotsSet: [], lastBotTurn: [], collected: [], turns: 0 }, /frame_type/],
    ["a negative turn count", { version: 1, assistantHash: "x", stack: [], slots: {}, slotsSet: [], lastBotTurn: [], collected: [], turns: -1 }, /turns/],
  ])("rejects a state with %s as a StateError", (_, json, message) => {
    const error = thrown(() => newPay().loadState(json));
    // The runtime under test is the copy the generated modules load, so compare by name.
    expect(error.name).toBe(StateError.name);
    expect(error.message).toMatch(message);
  });

  it("rejects a state of this assistant that names a step its flow does not have", () => {
    const bot = newPay();
    const state = { ...bot.initialState(), stack: [{ frame_id: "a", type: "flow", flow_id: "pay", step_id: "nowhere", frame_type: "regular" }] };
    expect(() => bot.loadState(JSON.parse(JSON.stringify(state)))).toThrow(/step "nowhere"/);
  });

  it("rejects a state of this assistant whose collected stack names a flow it does not have (a correction would restore that stack)", async () => {
    const bot = newPay();
    const [first] = await talk(bot, [["start flow pay"]]);
    const json = JSON.parse(JSON.stringify(first!.state));
    const frame = json.stack[0];
    json.collected = [{ frameId: frame.frame_id, flowId: "pay", stepId: frame.step_id, slot: "amount", stack: [{ ...frame, flow_id: "payx" }] }];
    expect(() => bot.loadState(json)).toThrow(/collected\[0\]\.stack\[0\] names flow "payx"/);
  });

  it("winds up a conversation whose running flow changed in another version of the assistant with pattern_code_change", async () => {
    const oldBot = newPay();
    const [first] = await talk(oldBot, [["start flow pay"]]);
    const newer = await assistantFromYaml(DOMAIN, FLOWS.replace("      - action: utter_done\n", ""));
    const bot = newer();
    expect(bot.compiled.hash).not.toBe(oldBot.compiled.hash);
    const state = bot.loadState(JSON.stringify(first!.state));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot amount 20"]));
    expect(turn.actions).toEqual(["utter_inform_code_change", "action_clean_stack", "utter_can_do_something_else", "action_listen"]);
    expect(turn.state.stack).toEqual([]);
    expect(turn.state.assistantHash).toBe(bot.compiled.hash);
  });

  it("goes on with a conversation under another version of the assistant when the flows on its stack did not change", async () => {
    const oldBot = newPay();
    const [first] = await talk(oldBot, [["start flow pay"]]);
    // Another question text and the flow moved down its file: the flow does the same.
    const newer = await assistantFromYaml(DOMAIN.replace("How much?", "What amount?"), FLOWS.replace("flows:\n", "flows:\n\n\n"));
    const bot = newer();
    expect(bot.compiled.hash).not.toBe(oldBot.compiled.hash);
    const state = bot.loadState(JSON.stringify(first!.state));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot amount 20"]));
    expect(turn.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(turn.state.assistantHash).toBe(bot.compiled.hash);
  });

  it("loads a state of another version whose collected stack names a flow that version no longer has", async () => {
    const oldBot = newPay();
    const [first] = await talk(oldBot, [["start flow pay"]]);
    const json = JSON.parse(JSON.stringify(first!.state));
    const frame = json.stack[0];
    json.collected = [{ ...json.collected[0], stack: [{ ...frame, frame_id: "gone", flow_id: "retired_flow" }, ...json.collected[0].stack] }];
    expect(() => oldBot.loadState(json)).toThrow(/collected\[0\]\.stack\[0\] names flow "retired_flow"/);
    const bot = (await assistantFromYaml(DOMAIN.replace("How much?", "What amount?"), FLOWS))();
    const state = bot.loadState(json);
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot amount 20"]));
    expect(turn.actions).toEqual(["action_run_slot_rejections", "check_amount", "utter_done", "utter_can_do_something_else", "action_listen"]);
  });

  it("counts every flow of a state without fingerprints as changed under another version", async () => {
    const [first] = await talk(newPay(), [["start flow pay"]]);
    const { flowHashes, ...older } = first!.state;
    expect(Object.keys(flowHashes)).toEqual(["pay", "pattern_collect_information"]);
    const [, second] = await talk(newPay(), [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.state.flowHashes).toEqual({}); // the flows left the stack
    const bot = (await assistantFromYaml(DOMAIN.replace("How much?", "What amount?"), FLOWS))();
    const state = bot.loadState(JSON.stringify(older));
    const turn = await bot.handle(state, bot.parseCommands(state, ["set slot amount 20"]));
    expect(turn.actions[0]).toBe("utter_inform_code_change");
  });

  it("keeps the fingerprint of a flow whose id is __proto__ as its own key", async () => {
    const bot = (await assistantFromYaml(DOMAIN, FLOWS.replace("  pay:", "  __proto__:")))();
    const [first] = await talk(bot, [["start flow __proto__"]]);
    const hashes = first!.state.flowHashes;
    expect(Object.keys(hashes)).toEqual(["__proto__", "pattern_collect_information"]);
    expect(Object.getPrototypeOf(hashes)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(first!.state)).flowHashes).toEqual(hashes);
  });

  it("runs a slot named __proto__ like any other: asked, filled, shown and stored", async () => {
    const domain = `
slots:
  __proto__:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask___proto__:
    - text: "Which one?"
  utter_got:
    - text: "Got {__proto__}."
`;
    const flows = `
flows:
  pick:
    description: Pick one.
    steps:
      - collect: __proto__
      - action: utter_got
`;
    const bot = (await assistantFromYaml(domain, flows))();
    expect(Object.hasOwn(bot.initialState().slots, "__proto__")).toBe(true);
    const [first, second] = await talk(bot, [["start flow pick"], ["set slot __proto__ red"]]);
    expect(first!.actions).toContain("utter_ask___proto__");
    expect(second!.messages.map((m) => m.text)).toContain("Got red.");
    const stored = bot.loadState(JSON.stringify(first!.state));
    expect(stored.slots).toEqual(first!.state.slots);
  });

  it("takes no function every object has for a custom action the application does not implement", async () => {
    const domain = `
actions:
  - constructor
  - toString
responses:
  utter_done:
    - text: "Done."
`;
    const flows = `
flows:
  odd:
    description: Odd action names.
    steps:
      - action: constructor
      - action: toString
      - action: utter_done
`;
    const newOdd = await assistantFromYaml(domain, flows);
    const [bare] = await talk(newOdd(), [["start flow odd"]]);
    expect(bare!.actions).toEqual(["constructor", "toString", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(bare!.events.filter((e) => e.event === "slot")).toEqual([]);
    class Implemented {
      toString() {
        return { messages: [{ text: "from toString" }] };
      }
    }
    const [implemented] = await talk(newOdd({ actions: new Implemented() }), [["start flow odd"]]);
    expect(implemented!.messages.map((m) => m.text)).toEqual(["from toString", "Done.", expect.any(String)]);
  });

  it.each(["constructor", "toString", "__proto__"])("drops commands for a slot or flow named %s that the assistant lacks, as for any unknown name", async (name) => {
    const bot = newPay();
    const [started] = await talk(bot, [["start flow pay"]]);
    const state = started!.state;
    for (const commands of [bot.parseCommands(state, [`set slot ${name} 3`, `start flow ${name}`]), [{ command: "set slot", name, value: "3", extractor: "LLM" }, { command: "start flow", flow: name }] satisfies Command[]]) {
      const turn = await bot.handle(state, commands);
      expect(turn.state.slots).toEqual(state.slots);
      expect(turn.state.stack).toEqual(state.stack);
    }
  });

  it("refuses a custom action's setting of a slot named like an object's own member the domain lacks", async () => {
    const bot = newPay({ actions: { check_amount: () => ({ slots: { constructor: 1 } }) } });
    const [, second] = await talk(bot, [["start flow pay"], ["set slot amount 20"]]);
    expect(second!.events).toContainEqual({ event: "action", name: "check_amount", error: "custom action check_amount set slot constructor, which the domain does not have" });
    expect(Object.hasOwn(second!.state.slots, "constructor")).toBe(false);
  });

  it("reports an implementation that is not a function as the action's error, like one that throws", async () => {
    const bot = newPay({ actions: { check_amount: "not a function" } });
    const [, second] = await talk(bot, [["start flow pay"], ["set slot amount 20"]]);
    const failed = second!.events.find((e) => e.event === "action" && e.name === "check_amount");
    expect(failed).toMatchObject({ error: expect.stringMatching(/not a function/) });
    expect(second!.actions).toContain("utter_internal_error_rasa");
  });

  it("rejects a state whose flow fingerprints are not texts", () => {
    const bot = newPay();
    const state = { ...bot.initialState(), flowHashes: { pay: 3 } };
    expect(() => bot.loadState(JSON.parse(JSON.stringify(state)))).toThrow(/flowHashes\["pay"\] must be a string/);
  });
});

describe("what handle is given", () => {
  it.each([
    ["commands that are no list", "start flow pay", /the commands must be a list/],
    ["a command that is no object", [null], /commands\[0\] is not an object/],
    ["a command flowc does not know", [{ command: "start flow", flow: "pay" }, { command: "begin flow", flow: "pay" }], /commands\[1\] names no command flowc knows \(`command`: "begin flow"\)/],
    ["a start flow without its flow", [{ command: "start flow", name: "pay" }], /commands\[0\] has no text `flow`/],
    ["a set slot without its extractor", [{ command: "set slot", name: "amount", value: 3 }], /commands\[0\] has no `extractor`/],
    ["a clarify whose options are no texts", [{ command: "clarify", options: "pay" }], /commands\[0\] has no list of texts `options`/],
  ])("refuses %s with a TypeError that names it, and the state stays usable", async (_, commands, message) => {
    const bot = newPay();
    const state = bot.initialState();
    const before = JSON.stringify(state);
    const error = await bot.handle(state, commands as unknown as Command[]).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toMatch(message);
    expect(JSON.stringify(state)).toBe(before);
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow pay"]));
    expect(turn.actions).toContain("utter_ask_amount");
  });

  it.each([
    ["one text instead of a list", "start flow pay", /the command lines must be a list of texts/],
    ["a line that is no text", ["start flow pay", 5], /line 1 is not a text: 5/],
  ])("parseCommands refuses %s with a TypeError", (_, lines, message) => {
    const bot = newPay();
    expect(() => bot.parseCommands(bot.initialState(), lines as never)).toThrow(message);
  });

  it("parseCommands refuses what is not a conversation state with a StateError", () => {
    const error = thrown(() => newPay().parseCommands({} as never, ["start flow pay"]));
    expect(error.name).toBe(StateError.name);
    expect(error.message).toMatch(/^parseCommands: the state is not a conversation state/);
  });

  it("createAssistant refuses what is not a generated assistant", async () => {
    const { createAssistant } = await import("../../runtime/assistant.ts");
    expect(() => createAssistant(undefined as never)).toThrow(/give it the `assistant` that flowc's generated index.ts exports/);
    expect(() => createAssistant({ flows: {} } as never)).toThrow(TypeError);
  });

  it.each([
    ["nothing", undefined],
    ["a state of another version", { ...newPay().initialState(), version: 2 }],
    ["stored JSON text", JSON.stringify(newPay().initialState())],
    ["a state without its slot records", { ...newPay().initialState(), slotsSet: undefined }],
  ])("refuses %s as the state with a StateError that points at loadState", async (_, state) => {
    const error = await newPay()
      .handle(state as never, [])
      .then(
        () => undefined,
        (reason: unknown) => reason as Error,
      );
    expect(error?.name).toBe(StateError.name);
    expect(error?.message).toMatch(/^handle: the state is not a conversation state.*loadState\(\)/);
  });
});

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("nothing was thrown");
}

/** The compiled assistant with one flow replaced, for paths that valid YAML cannot reach. */
function withFlow(compiled: CompiledAssistant, flow: Flow): CompiledAssistant {
  return { ...compiled, flows: { ...compiled.flows, [flow.id]: flow } };
}

describe("action names with a compiled template (ActionStep.render)", () => {
  it("runs the name the template renders from the frame's context, and skips the step where rendering raises", async () => {
    const bot = newPay({ actions: { check_amount: () => ({ slots: { approved: true } }) } });
    const pay = (bot.compiled.flows as Record<string, Flow>)["pay"]!;
    const seen: unknown[] = [];
    const rendered: Flow = {
      ...flowFields(pay),
      start: "raises",
      steps: {
        raises: {
          id: "raises",
          location: "test",
          kind: "action",
          action: "utter_{{context.nothing.deeper}}",
          render: () => {
            throw new Error("'nothing' is undefined");
          },
          next: { kind: "static", to: "check" },
        },
        check: {
          id: "check",
          location: "test",
          kind: "action",
          action: "{{context.flow_id|replace('pay', 'check_amount')}}",
          render: (context) => {
            seen.push(context["flow_id"]);
            return "check_amount";
          },
          next: { kind: "static", to: "END" },
        },
      } as Flow["steps"],
    };
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const handMade = createAssistant(withFlow(bot.compiled, rendered), { frameIds: sequentialFrameIds(), actions: { check_amount: () => ({ slots: { approved: true } }) } });
    const [turn] = await talk(handMade, [["start flow pay"]]);
    expect(turn!.actions).toEqual(["check_amount", "utter_can_do_something_else", "action_listen"]);
    expect(seen).toEqual(["pay"]);
    expect(turn!.state.slots["approved"]).toBe(true);
  });
});

describe("safety nets", () => {
  it("trips the circuit breaker on a loop without actions, ending the flow with an internal error", async () => {
    const bot = newPay();
    const pay = (bot.compiled.flows as Record<string, Flow>)["pay"]!;
    const looping: Flow = { ...flowFields(pay), start: "spin", steps: { spin: { id: "spin", location: "test", kind: "set_slots", slots: [{ slot: "approved", value: true }], next: { kind: "static", to: "spin" } } } as Flow["steps"] };
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const broken = createAssistant(withFlow(bot.compiled, looping), { frameIds: sequentialFrameIds() });
    const [turn] = await talk(broken, [["start flow pay"]]);
    expect(turn!.actions).toEqual(["utter_internal_error_rasa", "utter_can_do_something_else", "action_listen"]);
    expect(turn!.state.stack).toEqual([]);
  });

  it("records the stack the last action left when a turn stops at its limit of actions", async () => {
    const bot = newPay();
    const pay = (bot.compiled.flows as Record<string, Flow>)["pay"]!;
    const polling: Flow = { ...flowFields(pay), start: "poll", steps: { poll: { id: "poll", location: "test", kind: "action", action: "check_amount", next: { kind: "static", to: "poll" } } } as Flow["steps"] };
    let calls = 0;
    const checkAmount = () => {
      if (++calls === MAX_ACTIONS_PER_TURN) throw new Error("bank is down");
    };
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const broken = createAssistant(withFlow(bot.compiled, polling), { frameIds: sequentialFrameIds(), actions: { check_amount: checkAmount } });
    const [turn] = await talk(broken, [["start flow pay"]]);
    expect(turn!.actions).toHaveLength(MAX_ACTIONS_PER_TURN + 1);
    expect(turn!.state.stack.at(-1)?.flow_id).toBe("pattern_internal_error");
    expect(turn!.events.filter((event) => event.event === "stack").at(-1)).toEqual({ event: "stack", stack: turn!.state.stack });
  });

  it("keeps a slot the domain does not have that a hand-made flow sets, through the copies of the slots after a custom action", async () => {
    const bot = newPay({ actions: { check_amount: () => ({ slots: { approved: true } }) } });
    const pay = (bot.compiled.flows as Record<string, Flow>)["pay"]!;
    const setsExtra: Flow = {
      ...flowFields(pay),
      start: "extra",
      steps: {
        extra: { id: "extra", location: "test", kind: "set_slots", slots: [{ slot: "extra", value: 1 }], next: { kind: "static", to: "check" } },
        check: { id: "check", location: "test", kind: "action", action: "check_amount", next: { kind: "static", to: "END" } },
      } as Flow["steps"],
    };
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const handMade = createAssistant(withFlow(bot.compiled, setsExtra), { frameIds: sequentialFrameIds(), actions: { check_amount: () => ({ slots: { approved: true } }) } });
    const [turn] = await talk(handMade, [["start flow pay"]]);
    expect(turn!.actions).toContain("check_amount");
    expect(turn!.state.slots["extra"]).toBe(1);
    expect(turn!.state.slots["approved"]).toBe(true);
  });

  it("keeps a slot the domain does not have that a hand-made flow set into the turn's copy of the slots, in the next turn", async () => {
    const bot = newPay();
    const pay = (bot.compiled.flows as Record<string, Flow>)["pay"]!;
    const setsExtra: Flow = {
      ...flowFields(pay),
      start: "known",
      steps: {
        // the turn's one copy of the slots is made for `approved`; `extra` is then written into that copy
        known: {
          id: "known",
          location: "test",
          kind: "set_slots",
          slots: [{ slot: "approved", value: true }],
          // only the first time: the second turn writes `approved` alone, into a copy of the first turn's slots
          next: { kind: "branch", branches: [{ condition: { source: "slots.extra is null", test: (slots) => slots["extra"] === undefined }, to: "extra" }], otherwise: "END" },
        },
        extra: { id: "extra", location: "test", kind: "set_slots", slots: [{ slot: "extra", value: 1 }], next: { kind: "static", to: "END" } },
      } as Flow["steps"],
    };
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const handMade = createAssistant(withFlow(bot.compiled, setsExtra), { frameIds: sequentialFrameIds() });
    const [first, second] = await talk(handMade, [["start flow pay"], ["start flow pay"]]);
    expect(first!.state.slots["extra"]).toBe(1);
    expect(second!.events.some((e) => e.event === "slot" && e.name === "extra")).toBe(false);
    expect(second!.state.slots["extra"]).toBe(1);
    expect(Object.keys(second!.state.slots)).toEqual(Object.keys(first!.state.slots));
  });

  it("cancels the flow when a collect step has no way to ask (Rasa's run-time check)", async () => {
    const bot = newPay();
    const { utter_ask_amount: _, ...responses } = bot.compiled.responses;
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const broken = createAssistant({ ...bot.compiled, responses }, { frameIds: sequentialFrameIds() });
    const [turn] = await talk(broken, [["start flow pay"]]);
    expect(turn!.actions).toEqual(["utter_internal_error_rasa", "action_cancel_flow", "utter_flow_cancelled_rasa", "utter_can_do_something_else", "action_listen"]);
    // Rasa's executor pushes the cancel frame itself (cancel_flow_and_push_internal_error): no FlowCancelled event.
    expect(turn!.events.some((e) => e.event === "flow_cancelled")).toBe(false);
  });

  it("names the flow whose collect step cannot ask in the cancel pattern, a called child rather than its parent", async () => {
    // Rasa's flow_executor.py (cancel_flow_and_push_internal_error, every stored version): the cancel
    // frame's canceled_name is the flow of the collect step (its readable name, or in older versions
    // the top frame's flow id: "fc" either way for an unnamed flow), while the frames ended reach down
    // to the parent (select_canceled_frames).
    const flows = `
flows:
  pattern_cancel_flow:
    description: Cancels and tells whose flow it was.
    steps:
      - action: action_cancel_flow
      - noop: true
        next:
          - if: context.canceled_name = "fc"
            then:
              - action: utter_child
                next: END
          - else:
              - action: utter_parent
                next: END
  fp:
    name: the parent
    description: Calls the child.
    steps:
      - call: fc
  fc:
    description: Asks x.
    if: False
    steps:
      - collect: x
`;
    const domain = `
slots:
  x:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_x:
    - text: "x?"
  utter_child:
    - text: "child"
  utter_parent:
    - text: "parent"
`;
    const bot = (await assistantFromYaml(domain, flows))();
    const { utter_ask_x: _, ...responses } = bot.compiled.responses;
    const { createAssistant } = await import("../../runtime/assistant.ts");
    const broken = createAssistant({ ...bot.compiled, responses }, { frameIds: sequentialFrameIds() });
    const [turn] = await talk(broken, [["start flow fp"]]);
    expect(turn!.actions).toEqual(["utter_internal_error_rasa", "action_cancel_flow", "utter_child", "utter_can_do_something_else", "action_listen"]);
    expect(turn!.state.stack).toEqual([]);
  });
});

describe("what a turn tells an observer, and what custom actions see of the message", () => {
  const ROUTE = `
flows:
  route:
    description: Route by amount.
    steps:
      - id: ask
        collect: amount
        next:
          - if: slots.amount > 10
            then: big
          - else: small
      - id: big
        action: utter_done
        next: END
      - id: small
        action: utter_done
`;

  it("reports each step the flows run and each branch they take, patterns included", async () => {
    const newRoute = await assistantFromYaml(DOMAIN, ROUTE);
    const bot = newRoute();
    const calls: string[] = [];
    const observer = { step: (flow: string, step: string) => void calls.push(`step ${flow} ${step}`), branch: (flow: string, step: string, index: number) => void calls.push(`branch ${flow} ${step} ${index}`) };
    let state = bot.initialState();
    for (const [lines, from] of [[["start flow route"], "first"], [["set slot amount 20"], "second"]] as const) {
      const turn = await bot.handle(state, bot.parseCommands(state, lines), { observer });
      state = turn.state;
      calls.push(`-- ${from} turn done`);
    }
    const own = calls.filter((call) => call.startsWith("--") || call.includes(" route "));
    expect(own).toEqual(["step route ask", "-- first turn done", "branch route ask 0", "step route big", "-- second turn done"]);
    expect(calls.some((call) => call.startsWith("step pattern_collect_information "))).toBe(true);

    const other: string[] = [];
    const small = newRoute();
    const first = await small.handle(small.initialState(), small.parseCommands(small.initialState(), ["start flow route", "set slot amount 5"]), { observer: { step: (f, s) => void other.push(`step ${f} ${s}`), branch: (f, s, i) => void other.push(`branch ${f} ${s} ${i}`) } });
    expect(first.actions).toContain("utter_done");
    expect(other.filter((call) => call.includes(" route "))).toEqual(["step route ask", "branch route ask 1", "step route small"]);
  });

  it("passes the message's metadata to custom actions, and none when there is none", async () => {
    const seen: unknown[] = [];
    const bot = newPay({ actions: { check_amount: (context) => void seen.push(context.metadata) } });
    const state = bot.initialState();
    await bot.handle(state, bot.parseCommands(state, ["start flow pay", "set slot amount 5"]), { metadata: { channel: "web" } });
    await bot.handle(state, bot.parseCommands(state, ["start flow pay", "set slot amount 5"]));
    expect(seen).toEqual([{ channel: "web" }, undefined]);
  });
});
