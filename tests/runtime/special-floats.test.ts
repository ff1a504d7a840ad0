/**
 * A slot value JSON cannot write (Infinity, -Infinity, NaN, -0) survives a state stored with
 * `JSON.stringify` and read with `loadState`, as it survives Rasa's tracker store (Python's
 * `json` writes `Infinity`, `-Infinity`, `NaN` and `-0.0`). Such values come from Python's
 * `float()` of a command's value (rasa/shared/core/slots.py FloatSlot.coerce_value: `inf`,
 * `nan`, `-0`), from an `initial_value` (`.inf` in YAML) or from a custom action.
 */
import { describe, expect, it } from "vitest";
import type { Assistant, TurnResult } from "../../runtime/assistant.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { assistantFromYaml } from "../support/assistant.ts";
import { project, testReport } from "../support/cli.ts";

const DOMAIN = `
slots:
  price:
    type: float
    mappings: [{type: from_llm}]
  limit:
    type: float
    initial_value: .inf
    mappings: [{type: controlled}]
  note:
    type: any
    mappings: [{type: controlled}]
responses:
  utter_ask_price:
    - text: "What price?"
  utter_price:
    - text: "It costs {price}, the limit is {limit}, the note {note}"
  utter_high:
    - text: "That is a lot"
  utter_done:
    - text: "Done"
actions:
  - set_note
`;

const FLOWS = `
flows:
  quote:
    description: Asks for a price and says it.
    persisted_slots: [price]
    steps:
      - collect: price
      - action: utter_price
  judge:
    description: Says the price and whether it is high.
    steps:
      - action: utter_price
        next:
          - if: slots.price > 1000
            then:
              - action: utter_high
                next: END
          - else: END
  noting:
    description: Has an action set the note and says everything.
    steps:
      - action: set_note
      - action: utter_price
  again:
    description: Starts over.
    steps:
      - action: action_restart
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

/** The state as an application stores it and reads it back. */
function stored(bot: Assistant, state: ConversationState): ConversationState {
  return bot.loadState(JSON.stringify(state));
}

async function run(bot: Assistant, state: ConversationState, lines: readonly string[]): Promise<TurnResult> {
  return bot.handle(state, bot.parseCommands(state, lines));
}

describe("special numbers in a stored state", () => {
  it.each([
    ["inf", Infinity, "inf", true],
    ["-inf", -Infinity, "-inf", false],
    ["nan", NaN, "nan", false],
    ["-0", -0, "-0.0", false],
  ])("set slot price %s: the number and what the bot says of it are the same after the state was stored", async (spelling, number, said, high) => {
    const bot = newBot();
    const asking = (await run(bot, bot.initialState(), ["start flow quote"])).state;
    const answered = await run(bot, stored(bot, asking), [`set slot price ${spelling}`]);
    expect(Object.is(answered.state.slots["price"], number)).toBe(true);
    const reloaded = stored(bot, answered.state);
    expect(Object.is(reloaded.slots["price"], number)).toBe(true);
    const message = `It costs ${said}, the limit is inf, the note None`;
    expect(answered.messages[0]?.text).toBe(message);
    // the next turn reads the number in a message and in a condition
    const judged = await run(bot, reloaded, ["start flow judge"]);
    expect(judged.messages[0]?.text).toBe(message);
    expect(judged.messages.some((m) => m.text === "That is a lot")).toBe(high);
  });

  it("keeps an initial value of .inf through a store and a restart", async () => {
    const bot = newBot();
    const initial = stored(bot, bot.initialState());
    expect(initial.slots["limit"]).toBe(Infinity);
    const restarted = await run(bot, initial, ["start flow again"]);
    expect(stored(bot, restarted.state).slots["limit"]).toBe(Infinity);
  });

  it("forgets the number once the slot holds another value", async () => {
    const bot = newBot();
    const asking = (await run(bot, bot.initialState(), ["start flow quote"])).state;
    const infinite = (await run(bot, asking, ["set slot price inf"])).state;
    const changed = await run(bot, infinite, ["start flow quote", "set slot price 12"]);
    expect(changed.state.specialFloats).not.toHaveProperty("price");
    expect(stored(bot, changed.state).slots["price"]).toBe(12);
  });

  it("keeps a custom action's special number in a slot of any type", async () => {
    const bot = newBot({ actions: { set_note: () => ({ slots: { note: -Infinity } }) } });
    const noted = await run(bot, bot.initialState(), ["start flow noting"]);
    expect(noted.messages[0]?.text).toBe("It costs None, the limit is inf, the note -inf");
    expect(stored(bot, noted.state).slots["note"]).toBe(-Infinity);
  });

  it("refuses a stored state whose specialFloats is not what a turn writes, and keeps a slot changed since", async () => {
    const bot = newBot();
    const asking = (await run(bot, bot.initialState(), ["start flow quote"])).state;
    const saved = JSON.parse(JSON.stringify((await run(bot, asking, ["set slot price nan"])).state)) as Record<string, unknown>;
    expect(saved["specialFloats"]).toEqual({ limit: "Infinity", price: "NaN" });
    expect(() => bot.loadState({ ...saved, specialFloats: { price: "nan" } })).toThrow(/specialFloats\["price"\] must be one of/);
    expect(() => bot.loadState({ ...saved, specialFloats: ["price"] })).toThrow(/specialFloats must be an object/);
    const slots = saved["slots"] as Record<string, unknown>;
    // an application changed the slot in the stored state without its entry: the slot's value stays
    expect(bot.loadState({ ...saved, slots: { ...slots, price: 7 } }).slots["price"]).toBe(7);
    expect(bot.loadState({ ...saved, slots: { ...slots, price: 7 } }).specialFloats).toEqual({ limit: "Infinity" });
    // the entry of a slot the assistant does not have goes with the slot
    expect(bot.loadState({ ...saved, specialFloats: { ...(saved["specialFloats"] as object), gone: "NaN" } }).specialFloats).toEqual({ limit: "Infinity", price: "NaN" });
  });

  it("reads a state stored before flowc kept specialFloats, and one never written as JSON", async () => {
    const bot = newBot();
    const older = JSON.parse(JSON.stringify(bot.initialState())) as Record<string, unknown>;
    delete older["specialFloats"];
    expect(bot.loadState(older).slots["limit"]).toBe(null); // what JSON made of it: nothing says more
    const asking = (await run(bot, bot.initialState(), ["start flow quote"])).state;
    const inMemory = (await run(bot, asking, ["set slot price -0"])).state;
    expect(Object.is(bot.loadState(inMemory).slots["price"], -0)).toBe(true);
  });

  it("flowc test: a fixture sets a slot whose initial value is .inf, to a number or to null", async () => {
    const dir = project({
      "domain.yml": DOMAIN,
      "flows.yml": FLOWS,
      "e2e/limits.yml": `
fixtures:
  - limited:
      - limit: 5
  - unlimited:
      - limit: null
test_cases:
  - test_case: limited
    fixtures: [limited]
    steps:
      - user: note it
        commands: [start flow noting]
        assertions:
          - bot_uttered: {text_matches: "the limit is 5,"}
  - test_case: unlimited
    fixtures: [unlimited]
    steps:
      - user: note it
        commands: [start flow noting]
        assertions:
          - bot_uttered: {text_matches: "the limit is None,"}
`,
    });
    const report = await testReport(dir);
    expect(report("limited").passed).toBe(true);
    expect(report("unlimited").passed).toBe(true);
  });
});
