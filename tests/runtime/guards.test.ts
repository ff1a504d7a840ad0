/**
 * Flow guards when commands are parsed (runtime-semantics.md §b.9): `parseCommands` asks for
 * the availability of just the flows a message names. It must answer exactly as the full list
 * of available flows does, for every flow, in every state: guards on slots and on `context`,
 * a guard that raises, `if: False`, flows on the stack (a call included), patterns, unknown ids;
 * and likewise for the startable flows its StartFlow commands are checked against at the end.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../../runtime/assistant.ts";
import { parseCommandLines } from "../../runtime/commands.ts";
import { availableFlows, flowAvailability, flowStartability, startableFlows } from "../../runtime/guards.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { assistantFromYaml } from "../support/assistant.ts";

const DOMAIN = `
slots:
  member:
    type: bool
  age:
    type: float
  tier:
    type: categorical
    values: [gold, silver]
responses:
  utter_ask_member:
    - text: "Are you a member?"
  utter_ask_age:
    - text: "How old are you?"
  utter_hi:
    - text: "Hi!"
`;

const FLOWS = `
flows:
  open:
    description: Open to everyone.
    steps:
      - collect: member
      - call: child
  members_only:
    description: Only for members.
    if: slots.member
    steps:
      - action: utter_hi
  adults:
    description: Only for adults.
    if: slots.age >= 18
    steps:
      - collect: age
  gold:
    description: Only for gold members who are asked their age.
    if: slots.tier = "gold" and context.collect = "age"
    steps:
      - action: utter_hi
  never:
    description: Never started by a command.
    if: False
    steps:
      - action: utter_hi
  child:
    description: Called only.
    if: False
    steps:
      - collect: age
`;

const NAMES = ["open", "members_only", "adults", "gold", "never", "child", "pattern_chitchat", "pattern_search", "nope", "constructor"] as const;

describe("flow availability while parsing commands", () => {
  let bot: Assistant;
  const states: ConversationState[] = [];

  beforeAll(async () => {
    bot = (await assistantFromYaml(DOMAIN, FLOWS))();
    // States along a few conversations: empty stack, a collect on top, a called child, ended flows.
    const conversations = [
      [["start flow open"], ["set slot member true"], ["set slot age 20"], ["cancel flow"]],
      [["start flow open"], ["set slot member false"], ["set slot tier gold"]],
      [["start flow adults"], ["set slot age 12"], ["set slot age abc"]],
    ];
    for (const turns of conversations) {
      let state = bot.initialState();
      states.push(state);
      for (const lines of turns) {
        state = (await bot.handle(state, bot.parseCommands(state, lines))).state;
        states.push(state);
      }
    }
  });

  it("answers for each flow exactly as the list of available flows", () => {
    for (const state of states) {
      const all = availableFlows(bot.compiled, state);
      const one = flowAvailability(bot.compiled, state);
      for (const id of NAMES) expect([state.turns, id, one.has(id)]).toEqual([state.turns, id, all.has(id)]);
    }
  });

  it("answers for each flow exactly as the list of startable flows", () => {
    for (const state of states) {
      const all = startableFlows(bot.compiled, state);
      const one = flowStartability(bot.compiled, state);
      for (const id of NAMES) expect([state.turns, id, one.has(id)]).toEqual([state.turns, id, all.has(id)]);
    }
  });

  it("parses every message as the list of available flows parses it", () => {
    const line = fc.oneof(
      fc.constantFrom(...NAMES).map((id) => `start flow ${id}`),
      fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES)).map(([a, b]) => `clarify flows ${a} ${b}`),
      fc.constantFrom(...NAMES).map((id) => `set slot flow_name ${id}`),
      fc.constantFrom(...NAMES).map((id) => `StartFlow(${id})`),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: states.length - 1 }), fc.array(line, { minLength: 1, maxLength: 3 }), (at, lines) => {
        const state = states[at]!;
        const slots = { has: (name: string) => Object.hasOwn(bot.compiled.slots, name) };
        const expected = parseCommandLines(lines, { availableFlows: availableFlows(bot.compiled, state), startableFlows: startableFlows(bot.compiled, state), slots });
        expect(bot.parseCommands(state, lines)).toEqual(expected);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it("evaluates a guard only for a flow the message names", () => {
    const state = states[0]!;
    const asked: string[] = [];
    const flows = new Proxy(bot.compiled.flows, {
      get(target, key, receiver) {
        if (typeof key === "string" && Object.hasOwn(target, key)) asked.push(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const available = flowAvailability({ ...bot.compiled, flows }, state);
    expect(available.has("members_only")).toBe(false);
    expect(asked).toEqual(["members_only"]);
  });
});
