/**
 * How a whole number in a float slot prints: as Rasa holds it, a Python float (`50.0`) or a
 * Python int (`50`). Expectations from Rasa Pro 3.12's code:
 * * rasa/shared/core/slots.py `FloatSlot.coerce_value` is `float(value)`, and
 *   SetSlotCommand.run_command_on_tracker stores `slot.coerce_value(value)` (runtime-semantics
 *   §a.6): a value a command gives is a float;
 * * a custom action's events arrive as JSON, and Python's `json` reads `50` as an int; a
 *   `set_slots` step and an `initial_value` keep the YAML value (`3` is an int); FloatSlot
 *   coerces neither;
 * * rasa/core/actions/action_run_slot_rejections.py: the collect step coerces the value with
 *   `float()` and sets it again when the value or its *type* changed
 *   (`type(slot_value) != type(typed_slot_value)`); a rejection's message is rendered with
 *   `value=slot_value`, the value as the slot held it;
 * * rasa/core/nlg/interpolator.py: `{price}` is Python's `str()` of the value.
 */
import { describe, expect, it } from "vitest";
import type { CustomActionMap } from "../../runtime/assistant.ts";
import { assistantFromYaml } from "../support/assistant.ts";
import { project, testReport } from "../support/cli.ts";

const DOMAIN = `
slots:
  price:
    type: float
    mappings: [{type: from_llm}]
  fee:
    type: float
    initial_value: 4
    mappings: [{type: controlled}]
  tip:
    type: float
    initial_value: 0.0
    mappings: [{type: controlled}]
  note:
    type: any
    mappings: [{type: controlled}]
responses:
  utter_ask_price:
    - text: "What price?"
  utter_price:
    - text: "It costs {price}"
  utter_fee:
    - text: "The fee is {fee}"
  utter_price_jinja:
    - text: "Jinja says {{ price }} and {{ price + 1 }}"
      metadata: {template: jinja}
  utter_price_rejected:
    - text: "Not {value}"
  utter_literals:
    - text: "{price} {note} {tip}"
  utter_tip:
    - text: "Tip {tip}"
actions:
  - set_price
`;

const FLOWS = `
flows:
  quote:
    description: Takes a price from an action, says it, then asks for it (filled, so not asked) and says it again.
    steps:
      - action: set_price
      - action: utter_price
      - action: utter_price_jinja
      - collect: price
        rejections:
          - if: slots.price <= 0
            utter: utter_price_rejected
      - action: utter_price
  fixed:
    description: Sets a price in a set_slots step and says it, then the fee at its initial value.
    steps:
      - set_slots:
          - price: 3
      - action: utter_price
      - action: utter_fee
  overwrite:
    description: Asks for a price, has an action set it again, and says it.
    steps:
      - collect: price
      - action: set_price
      - action: utter_price
  again:
    description: Asks for a price, then starts over.
    steps:
      - collect: price
      - action: action_restart
  literals:
    description: Sets numbers written as floats and says them.
    steps:
      - set_slots:
          - price: 3.0
          - note: !!float 2
      - action: utter_literals
  tipping:
    description: Sets the tip to a whole number and says it; the tip goes back to its initial value at the end.
    steps:
      - set_slots:
          - tip: 5
      - action: utter_tip
  show_tip:
    description: Says the tip.
    steps:
      - action: utter_tip
  ask:
    description: Asks for a price and says it back.
    steps:
      - collect: price
        rejections:
          - if: slots.price <= 0
            utter: utter_price_rejected
      - action: utter_price
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

async function turn(lines: readonly string[], actions: CustomActionMap = {}) {
  const bot = newBot();
  const state = bot.initialState();
  return bot.handle(state, bot.parseCommands(state, lines), { actions });
}

describe("whole numbers in float slots", () => {
  it("prints a custom action's whole number as an int, until a collect step of the slot coerces it to a float", async () => {
    const result = await turn(["start flow quote"], { set_price: () => ({ slots: { price: 7 } }) });
    expect(result.messages.slice(0, 3).map((m) => m.text)).toEqual(["It costs 7", "Jinja says 7 and 8", "It costs 7.0"]);
    // the coercion is a SlotSet of its own in Rasa (the type changed, the value compares equal)
    const rejections = result.events.findIndex((e) => e.event === "action" && e.name === "action_run_slot_rejections");
    expect(result.events.slice(rejections + 1).find((e) => e.event === "slot" && e.name === "price")).toEqual({ event: "slot", name: "price", value: 7 });
  });

  it("prints a custom action's whole number named in its result's floats as a float, as an action server's JSON 50.0 is", async () => {
    const result = await turn(["start flow quote"], { set_price: () => ({ slots: { price: 7 }, floats: ["price"] }) });
    expect(result.messages.slice(0, 3).map((m) => m.text)).toEqual(["It costs 7.0", "Jinja says 7.0 and 8.0", "It costs 7.0"]);
    // already a float: the collect step's coercion changes nothing, so no second slot event (the one above sets 7)
    expect(result.events.filter((e) => e.event === "slot" && e.name === "price" && !("reset" in e))).toEqual([{ event: "slot", name: "price", value: 7 }]);
    const wrong = await turn(["start flow quote"], { set_price: () => ({ slots: { price: 7 }, floats: "price" }) as never });
    expect(wrong.events.find((e) => e.event === "action" && e.name === "set_price")).toMatchObject({ error: expect.stringMatching(/floats that are not a list/) });
  });

  it("prints a number that is not whole the same either way, and sets no slot again for it", async () => {
    const result = await turn(["start flow quote"], { set_price: () => ({ slots: { price: 7.5 } }) });
    expect(result.messages.slice(0, 3).map((m) => m.text)).toEqual(["It costs 7.5", "Jinja says 7.5 and 8.5", "It costs 7.5"]);
    const rejections = result.events.findIndex((e) => e.event === "action" && e.name === "action_run_slot_rejections");
    const after = result.events.slice(rejections + 1);
    expect(after.slice(0, after.findIndex((e) => e.event === "action")).some((e) => e.event === "slot" && e.name === "price")).toBe(false);
  });

  it("prints a value a command set as a float", async () => {
    const result = await turn(["start flow ask", "set slot price 50"]);
    expect(result.messages[0]?.text).toBe("It costs 50.0");
  });

  it("prints a set_slots value and an initial value as the ints the YAML holds", async () => {
    const result = await turn(["start flow fixed"]);
    expect(result.messages.slice(0, 2).map((m) => m.text)).toEqual(["It costs 3", "The fee is 4"]);
  });

  it("renders a rejection's value as the slot held it: an action's int, a command's float", async () => {
    const byAction = await turn(["start flow quote"], { set_price: () => ({ slots: { price: 0 } }) });
    expect(byAction.messages.map((m) => m.text)).toContain("Not 0");
    const byCommand = await turn(["start flow ask", "set slot price 0"]);
    expect(byCommand.messages.map((m) => m.text)).toContain("Not 0.0");
  });

  it("keeps what it knows in the saved state; a state saved without it prints every number of a float slot as a float", async () => {
    const bot = newBot();
    const asking = (await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow ask"]))).state;
    const saved = JSON.parse(JSON.stringify(asking)) as Record<string, unknown>;
    const withPrice = { ...saved, slots: { ...(saved["slots"] as object), price: 9 }, slotsSet: ["price"] };
    // an int (say a custom action's): the collect step coerces it, and it is said back as a float
    const asInt = bot.loadState(JSON.stringify(withPrice));
    expect(asInt.floatSlots).not.toContain("price");
    const older = bot.loadState(JSON.stringify({ ...withPrice, floatSlots: undefined }));
    expect(older.floatSlots).toEqual(expect.arrayContaining(["price", "fee"]));
    expect(older.floatSlots.every((name) => typeof older.slots[name] === "number")).toBe(true);
    expect(() => bot.loadState(JSON.stringify({ ...withPrice, floatSlots: "price" }))).toThrow(/floatSlots must be a list/);
    const answered = await bot.handle(bot.loadState(JSON.stringify(withPrice)), []);
    expect(answered.messages.map((m) => m.text)).toContain("It costs 9.0");
  });

  it("forgets the float when an action sets the slot again, when the slot is reset, and at a restart", async () => {
    const overwritten = await turn(["start flow overwrite", "set slot price 50"], { set_price: () => ({ slots: { price: 50 } }) });
    expect(overwritten.messages[0]?.text).toBe("It costs 50");
    const ended = await turn(["start flow ask", "set slot price 50"]);
    expect(ended.state.slots["price"]).toBe(null);
    expect(ended.state.floatSlots).not.toContain("price");
    const restarted = await turn(["start flow again", "set slot price 50"]);
    expect(restarted.actions).toContain("action_restart");
    expect(restarted.state.floatSlots).toEqual(newBot().initialState().floatSlots);
    expect(restarted.state.floatSlots).toEqual(expect.arrayContaining(["tip"]));
    expect(restarted.state.floatSlots).not.toContain("price");
  });

  it("prints a number written as a float in a set_slots step or an initial value as one, whatever the slot's type (Rasa's reader makes a Python float of it)", async () => {
    const result = await turn(["start flow literals"]);
    expect(result.messages[0]?.text).toBe("3.0 2.0 0.0");
    const bot = newBot();
    const tipped = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow tipping"]));
    expect(tipped.messages[0]?.text).toBe("Tip 5");
    // the reset at the flow's end puts the initial 0.0 back: a float again
    const shown = await bot.handle(tipped.state, bot.parseCommands(tipped.state, ["start flow show_tip"]));
    expect(shown.messages[0]?.text).toBe("Tip 0.0");
  });

  it("flowc test: a fixture's or a stub's whole number is an int, even in a slot whose initial value is a float, and one written as a float is a float", async () => {
    // Rasa sets a fixture as a SlotSet of the YAML value: `5` is an int, `5.0` a float (rasa/e2e_test/e2e_test_case.py Fixture)
    const dir = project({
      "domain.yml": DOMAIN,
      "flows.yml": FLOWS,
      "e2e/tips.yml": `
fixtures:
  - tipped:
      - tip: 5
  - tipped_float:
      - tip: 5.0
test_cases:
  - test_case: fixture_int
    fixtures: [tipped]
    steps:
      - user: what is the tip?
        commands: [start flow show_tip]
        assertions:
          - bot_uttered: {text_matches: "^Tip 5$"}
  - test_case: fixture_float
    fixtures: [tipped_float]
    steps:
      - user: what is the tip?
        commands: [start flow show_tip]
        assertions:
          - bot_uttered: {text_matches: '^Tip 5\\.0$'}
  - test_case: initial_float
    steps:
      - user: what is the tip?
        commands: [start flow show_tip]
        assertions:
          - bot_uttered: {text_matches: '^Tip 0\\.0$'}
  - test_case: stub_int
    steps:
      - user: a quote
        commands: [start flow quote]
        stub_custom_actions:
          set_price: {events: [{event: slot, name: price, value: 1250}]}
        assertions:
          - bot_uttered: {text_matches: "^It costs 1250$"}
  - test_case: stub_float
    steps:
      - user: a quote
        commands: [start flow quote]
        stub_custom_actions:
          set_price: {events: [{event: slot, name: price, value: 1250.0}]}
        assertions:
          # the collect step later says it as a float in either case; before it, only the float does
          - bot_did_not_utter: {text_matches: "^It costs 1250$"}
          - bot_uttered: {text_matches: '^It costs 1250\\.0$'}
`,
    });
    const report = await testReport(dir);
    expect(report("fixture_int").passed).toBe(true);
    expect(report("fixture_float").passed).toBe(true);
    expect(report("initial_float").passed).toBe(true);
    // a stub's slot event is Rasa's SlotSet of the YAML value: `1250` an int, `1250.0` a float
    expect(report("stub_int").passed).toBe(true);
    expect(report("stub_float").passed).toBe(true);
  });
});
