/**
 * The deterministic command generator, rule by rule, on a small hand-made assistant: DSL lines
 * kept, cancel, answers coerced to the pending slot's type, flows started by their words (ties
 * clarified, guards respected, slots of the message set), corrections, and the fallbacks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCommandLines, matchCategorical, parseNumber, parseYesNo, pendingSlot } from "../../runtime/command-generator.ts";
import { parseCommandLines } from "../../runtime/commands.ts";
import type { CompiledAssistant, FlowCatalogueEntry, SlotDefinition, SlotType } from "../../runtime/model.ts";
import type { Frame } from "../../runtime/stack.ts";
import type { ConversationState } from "../../runtime/state.ts";

function slot(name: string, type: SlotType, values?: readonly string[]): SlotDefinition {
  return { name, type, initialValue: null, mappings: [{ type: "from_llm" }], ...(values ? { values } : {}) };
}

const SLOTS = [
  slot("recipient", "text"),
  slot("amount", "float"),
  slot("transfer_confirmed", "bool"),
  slot("card_type", "categorical", ["credit", "debit", "prepaid"]),
  slot("reason", "text"),
  slot("vip", "bool"),
];

const CATALOGUE: FlowCatalogueEntry[] = [
  {
    id: "transfer_money",
    name: "send money",
    description: "Send money to another person.",
    alwaysIncludeInPrompt: false,
    slots: [
      { name: "recipient", type: "text", description: "name of the person who gets the money" },
      { name: "amount", type: "float" },
      { name: "transfer_confirmed", type: "bool" },
    ],
  },
  { id: "check_balance", name: "check account balance", description: "Tell the user how much money is in the account.", alwaysIncludeInPrompt: false, slots: [] },
  {
    id: "replace_card",
    name: "replace a bank card",
    description: "Order a new card when one was lost or stolen.",
    alwaysIncludeInPrompt: false,
    slots: [
      { name: "card_type", type: "categorical", allowedValues: ["credit", "debit", "prepaid"] },
      { name: "reason", type: "text" },
    ],
  },
  { id: "block_card", name: "block a card", description: "Block a card at once.", alwaysIncludeInPrompt: false, slots: [] },
  { id: "vip_lounge", name: "book the vip lounge", description: "Book the lounge for premium members.", guard: "slots.vip", alwaysIncludeInPrompt: false, slots: [] },
];

/** Only what the generator reads: slots, the catalogue, and each flow's guard for availability. */
const assistant = {
  hash: "h",
  flows: Object.fromEntries(
    CATALOGUE.map((entry) => [entry.id, { id: entry.id, isPattern: false, ...(entry.id === "vip_lounge" ? { guard: { kind: "always", value: false } } : {}) }]),
  ),
  slots: Object.fromEntries(SLOTS.map((s) => [s.name, s])),
  responses: {},
  customActions: [],
  domainActions: [],
  intents: [],
  catalogue: CATALOGUE,
} as unknown as CompiledAssistant;

function state(stack: Frame[] = [], slots: Record<string, unknown> = {}): ConversationState {
  const all = Object.fromEntries(SLOTS.map((s) => [s.name, Object.hasOwn(slots, s.name) ? slots[s.name] : null]));
  return { version: 1, assistantHash: "h", stack, flowHashes: {}, slots: all, slotsSet: Object.keys(slots), floatSlots: [], specialFloats: {}, nluSlots: [], lastBotTurn: [], collected: [], turns: 1 };
}

const flowFrame = (flow: string, step: string): Frame => ({ frame_id: "F1", type: "flow", flow_id: flow, step_id: step, frame_type: "regular" });
const asking = (slotName: string): Frame => ({ frame_id: "F2", type: "pattern_collect_information", flow_id: "pattern_collect_information", step_id: "listen", collect: slotName });

/** The state of a transfer waiting for the answer to `slotName`, with `slots` filled. */
const transferAsking = (slotName: string, slots: Record<string, unknown> = {}) => state([flowFrame("transfer_money", `ask_${slotName}`), asking(slotName)], slots);

const lines = (message: string, at: ConversationState = state()) => generateCommandLines(assistant, at, message);

describe("command DSL lines", () => {
  it.each(["start flow transfer_money", "set slot amount 50", "/SetSlots(amount=50)", "<error>", "cancel flow", "StartFlow(check_balance)", "  disambiguate flows a b  "])(
    "keeps %j as it is",
    (line) => {
      expect(lines(line, transferAsking("amount"))).toEqual([line.trim()]);
    },
  );
});

describe("cancel, repeat, hand over", () => {
  it.each(["cancel", "Stop", "stop it", "Cancel the transfer!", "forget it", "never mind", "please cancel that", "Oh, nevermind", "I don't want to do this anymore"])("%j cancels the flow", (message) => {
    expect(lines(message, transferAsking("amount"))).toEqual(["cancel flow"]);
  });

  it("does not cancel on a message that only mentions stopping", () => {
    expect(lines("I want my card stopped because it was stolen")).toEqual(["start flow replace_card"]);
  });

  it("repeats on request and hands over to a human", () => {
    expect(lines("say that again")).toEqual(["repeat message"]);
    expect(lines("can I talk to a human")).toEqual(["hand over"]);
  });
});

describe("an answer to the pending question", () => {
  it("fills a text slot with the message itself", () => {
    expect(lines("John Smith", transferAsking("recipient"))).toEqual(["set slot recipient John Smith"]);
  });

  it.each([
    ["50", "50"],
    ["50.5", "50.5"],
    ["$1,250.50", "1250.5"],
    ["50,5 EUR", "50.5"],
    ["send 40 euros", "40"],
    ["fifty five", "55"],
    ["one hundred and twenty", "120"],
    ["a thousand", "1000"],
    ["-5", "-5"],
    ["minus five", "-5"],
  ])("reads %j as the number %s for a float slot", (message, value) => {
    expect(lines(message, transferAsking("amount"))).toEqual([`set slot amount ${value}`]);
  });

  it.each([
    ["yes", "true"],
    ["Y", "true"],
    ["Sure!", "true"],
    ["of course", "true"],
    ["no", "false"],
    ["Nope", "false"],
    ["No, don't send", "false"],
    ["no thanks", "false"],
  ])("reads %j as %s for a bool slot", (message, value) => {
    expect(lines(message, transferAsking("transfer_confirmed", { recipient: "John", amount: 50 }))).toEqual([`set slot transfer_confirmed ${value}`]);
  });

  it.each([
    ["Credit", "credit"],
    ["the debit one", "debit"],
    ["pre", "prepaid"],
    ["PREPAID card please", "prepaid"],
  ])("matches %j loosely to the categorical value %s", (message, value) => {
    const at = state([flowFrame("replace_card", "ask_card"), asking("card_type")]);
    expect(lines(message, at)).toEqual([`set slot card_type ${value}`]);
  });

  it("passes an answer that does not fit the slot's type on as typed, for the collect step to reject", () => {
    expect(lines("lots", transferAsking("amount"))).toEqual(["set slot amount lots"]);
    expect(lines("maybe", transferAsking("transfer_confirmed"))).toEqual(["set slot transfer_confirmed maybe"]);
    const at = state([flowFrame("replace_card", "ask_card"), asking("card_type")]);
    expect(lines("gold", at)).toEqual(["set slot card_type gold"]);
  });

  it("finds the pending slot of a slot validation too", () => {
    const validating: Frame = { frame_id: "F3", type: "pattern_validate_slot", flow_id: "pattern_validate_slot", step_id: "ask_refill", validate: "amount" };
    expect(pendingSlot(assistant, { stack: [validating] })?.name).toBe("amount");
    expect(pendingSlot(assistant, { stack: [flowFrame("check_balance", "s")] })).toBeUndefined();
  });

  it("starts another flow named in a message that does not answer the question", () => {
    expect(lines("check my balance", transferAsking("recipient"))).toEqual(["start flow check_balance"]);
    expect(lines("what is my balance", transferAsking("amount"))).toEqual(["start flow check_balance"]);
    // one name word is not enough while a free-text question waits, unless asked as a question
    expect(lines("the balance", transferAsking("recipient"))).toEqual(["set slot recipient the balance"]);
    expect(lines("what about the balance", transferAsking("recipient"))).toEqual(["start flow check_balance"]);
    expect(lines("the balance?", transferAsking("recipient"))).toEqual(["start flow check_balance"]);
  });
});

describe("starting flows", () => {
  it("starts the flow whose name, id or description the message shares most words with", () => {
    expect(lines("I want to send money")).toEqual(["start flow transfer_money"]);
    expect(lines("How much is in my account?")).toEqual(["start flow check_balance"]);
    expect(lines("my card was stolen")).toEqual(["start flow replace_card"]);
    expect(lines("I need to pay my rent")).toEqual(["start flow transfer_money"]);
  });

  it("sets the slots of the started flow that the message fills", () => {
    expect(lines("Send 50 to John Smith")).toEqual(["start flow transfer_money", "set slot amount 50", "set slot recipient John Smith"]);
    expect(lines("I lost my credit card")).toEqual(["start flow replace_card", "set slot card_type credit"]);
    expect(lines("I need to pay Mary 30 euros")).toEqual(["start flow transfer_money", "set slot amount 30", "set slot recipient Mary"]);
    expect(lines("send money to my sister")).toEqual(["start flow transfer_money"]);
  });

  it("reads only digits, not number words, when setting slots alongside a flow", () => {
    expect(lines("send money to the other one")).toEqual(["start flow transfer_money"]);
  });

  it("asks the user to choose between flows that match equally well", () => {
    expect(lines("card")).toEqual(["disambiguate flows replace_card block_card"]);
    expect(parseCommandLines(lines("card"), { availableFlows: new Set(["replace_card", "block_card"]), slots: new Set() })).toEqual([{ command: "clarify", options: ["block_card", "replace_card"] }]);
  });

  it("only starts flows whose guard allows them now", () => {
    expect(lines("book the vip lounge")).toEqual(["cannot handle"]);
    // Rasa's prompt lists only startable flows (LLMBasedCommandGenerator.filter_flows), not a
    // flow on the stack whose guard is false, unless it is the flow of the current context
    const below = state([flowFrame("vip_lounge", "s"), flowFrame("block_card", "t")]);
    expect(lines("book the vip lounge", below)).toEqual(["cannot handle"]);
    const current = state([flowFrame("vip_lounge", "s")]);
    expect(lines("book the vip lounge", current)).toEqual(["start flow vip_lounge"]);
  });

  it("cannot handle a message that matches nothing", () => {
    expect(lines("what is the weather like")).toEqual(["cannot handle"]);
  });

  it("reads an empty or blank message as the empty-input error, as Rasa's command generators do (spec §d.2)", () => {
    expect(lines("")).toEqual(["<error rasa_internal_error_user_input_empty>"]);
    expect(lines(" \t\n")).toEqual(["<error rasa_internal_error_user_input_empty>"]);
    expect(parseCommandLines(lines("   "), { availableFlows: new Set(), slots: new Set() })).toEqual([{ command: "error", errorType: "rasa_internal_error_user_input_empty" }]);
  });

  it("reads a message of more than 420 characters as the too-long error, Rasa's default limit, counted in code points", () => {
    const words = (n: number): string => "send money ".repeat(Math.ceil(n / 11)).slice(0, n);
    expect(lines(words(420))).not.toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    expect(lines(words(421))).toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    // 420 euro signs and 420 emoji (two UTF-16 units each) are 420 characters for Python.
    expect(lines("\u20ac".repeat(420))).not.toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    expect(lines("\u{1f4b6}".repeat(420))).not.toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    expect(lines("\u{1f4b6}".repeat(421))).toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    // The limit counts the message as read (stripped), and a command line is read before it.
    expect(lines(`  ${words(420)}  `)).not.toEqual(["<error rasa_internal_error_user_input_too_long>"]);
    const payload = `/SetSlots(${Array.from({ length: 10 }, (_, i) => `slot_${i}=${"x".repeat(40)}`).join(", ")})`;
    expect(lines(payload)).toEqual([payload]);
  });
});

describe("corrections", () => {
  const confirming = transferAsking("transfer_confirmed", { recipient: "John", amount: 50 });

  it("sets the one filled slot of the active flow that fits the new value, after a cue", () => {
    expect(lines("actually make it 60", confirming)).toEqual(["set slot amount 60"]);
    expect(lines("Sorry, I meant 80", confirming)).toEqual(["set slot amount 80"]);
    expect(lines("send it to Mary instead", confirming)).toEqual(["set slot recipient Mary"]);
  });

  it("corrects nothing when the value fits several filled slots", () => {
    const twoNumbers = { ...CATALOGUE[0]!, slots: [...CATALOGUE[0]!.slots, { name: "fee", type: "float" as const }] };
    const withFee = { ...assistant, catalogue: [twoNumbers], slots: { ...assistant.slots, fee: slot("fee", "float") } } as CompiledAssistant;
    const at = { ...confirming, slots: { ...confirming.slots, fee: 2 } };
    expect(generateCommandLines(withFee, at, "actually make it 60")).toEqual(["set slot transfer_confirmed actually make it 60"]);
    expect(generateCommandLines(withFee, at, "actually make the fee 3")).toEqual(["set slot fee 3"]);
  });

  it("finds the one slot a value fits among filled slots of the same type", () => {
    const withNote = { ...CATALOGUE[0]!, slots: [...CATALOGUE[0]!.slots, { name: "reason", type: "text" as const }] };
    const at = { ...confirming, slots: { ...confirming.slots, reason: "rent" } };
    expect(generateCommandLines({ ...assistant, catalogue: [withNote] } as CompiledAssistant, at, "no wait, send it to Mary instead")).toEqual(["set slot recipient Mary"]);
  });

  it("takes a \"no\" followed by a new value as a correction, and a bare \"no\" as the answer", () => {
    expect(lines("No, 40", confirming)).toEqual(["set slot amount 40"]);
    expect(lines("no, don't send it", confirming)).toEqual(["set slot transfer_confirmed false"]);
  });

  it("sets the slot the message names", () => {
    expect(lines("change the amount to 70", confirming)).toEqual(["set slot amount 70"]);
    const withIban = { ...CATALOGUE[0]!, slots: [...CATALOGUE[0]!.slots, { name: "recipient_iban", type: "text" as const }] };
    const at = { ...confirming, slots: { ...confirming.slots, recipient_iban: "DE00" } };
    const generated = generateCommandLines({ ...assistant, catalogue: [withIban] } as CompiledAssistant, at, "change the recipient to Mary");
    expect(generated).toEqual(["set slot recipient Mary"]);
  });

  it("reads no number words in a correction", () => {
    expect(lines("actually, the other one", confirming)).toEqual(["set slot transfer_confirmed actually, the other one"]);
  });

  it("takes a value that does not answer a typed question as a correction", () => {
    expect(lines("60", confirming)).toEqual(["set slot amount 60"]);
  });

  it("answers the pending question when the cue corrects nothing", () => {
    expect(lines("sorry, 50", transferAsking("amount", { recipient: "John" }))).toEqual(["set slot amount 50"]);
    expect(lines("actually 50", confirming)).toEqual(["set slot transfer_confirmed actually 50"]);
  });
});

describe("value readers", () => {
  it("reads numbers and rejects text without one", () => {
    expect(parseNumber("twenty")).toBe(20);
    expect(parseNumber("€ 2,000")).toBe(2000);
    expect(parseNumber("order DS123456")).toBeUndefined();
    expect(parseNumber("nothing")).toBeUndefined();
  });

  it("reads yes and no, and nothing else", () => {
    expect(parseYesNo("yeah sure")).toBe(true);
    expect(parseYesNo("nah")).toBe(false);
    expect(parseYesNo("perhaps")).toBeUndefined();
  });

  it("matches a categorical value only when one fits", () => {
    expect(matchCategorical(["S", "M", "L"], "size M please")).toBe("M");
    expect(matchCategorical(["credit", "debit"], "credit or debit")).toBeUndefined();
    expect(matchCategorical(["credit", "debit"], "x")).toBeUndefined();
    expect(matchCategorical(["S", "M", "L"], "I'm not sure")).toBeUndefined();
    expect(matchCategorical(["new york", "paris"], "fly me to New York")).toBe("new york");
    expect(matchCategorical(["C++", "Go"], "C++ please")).toBe("C++");
  });
});

describe("any message", () => {
  it("gives at least one command line that the parser reads, in any state", () => {
    const states = [state(), transferAsking("amount"), transferAsking("transfer_confirmed", { recipient: "John", amount: 50 }), state([flowFrame("replace_card", "ask_card"), asking("card_type")])];
    const parse = { availableFlows: new Set(CATALOGUE.map((entry) => entry.id)), slots: new Set(SLOTS.map((s) => s.name)) };
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("no, 4", "$", "minus", "a", "to Ann", "€,5", "change the  to")), fc.nat(states.length - 1), (message, index) => {
        const generated = generateCommandLines(assistant, states[index]!, message);
        expect(generated.length).toBeGreaterThan(0);
        expect(parseCommandLines(generated, parse).length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
