/**
 * Several blocked digressions (Rasa 3.12): the conversations of Rasa's processor tests for
 * `pattern_handle_digressions` (clarification of two pending digressions, cancelling them,
 * and the same flow blocked twice), replayed as command DSL turns. Each test asserts the bot's
 * messages over the whole conversation as Rasa's test lists them, plus the stack flowc keeps.
 * The pizza assistant is the one of the scenario `digression_blocked_runs_after_current_flow`.
 */
import { CORE_SCHEMA, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { Assistant } from "../../runtime/assistant.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";
import { readShared } from "../support/shared.ts";

/** Runs the turns; returns every result and the names of all bot messages in order. */
async function conversation(bot: Assistant, turns: readonly (readonly string[])[]) {
  const results = await talk(bot, turns);
  return { results, state: results[results.length - 1]!.state, messages: results.flatMap((r) => r.messages.map((m) => m.response)) };
}

const scenario = (load(readShared("runtime/scenarios.yml"), { schema: CORE_SCHEMA }) as { name: string; domain: string; flows: string }[]).find(
  (s) => s.name === "digression_blocked_runs_after_current_flow",
)!;
const pizza = (await assistantFromYaml(scenario.domain, scenario.flows))();

/** Up to the end of the pizza order, with `payment_flow` and `check_balance` both blocked on the way. */
const TWO_BLOCKED = [
  ["start flow order_pizza", "set slot pizza_type pepperoni", "set slot quantity 1"],
  ["start flow payment_flow"],
  ["/SetSlots(continue_previous_flow=True)"],
  ["set slot address 1 Clerkenwell Road"],
  ["start flow check_balance"],
  ["/SetSlots(order_confirmation=True)"],
] as const;

const MESSAGES_UP_TO_THE_CLARIFICATION = [
  "utter_ask_address",
  "utter_ask_continue_previous_flow",
  "utter_block_digressions",
  "utter_ask_address",
  "utter_ask_order_confirmation",
  "utter_block_digressions",
  "utter_ask_order_confirmation",
  "utter_place_order",
  "utter_clarification_options_rasa",
];

describe("several blocked digressions", () => {
  it("asks which one to continue once the current flow ends, and waits for the answer", async () => {
    const { results, state, messages } = await conversation(pizza, TWO_BLOCKED);
    expect(messages).toEqual(MESSAGES_UP_TO_THE_CLARIFICATION);
    expect(results.at(-1)!.actions.slice(-3)).toEqual(["action_clarify_flows", "utter_clarification_options_rasa", "action_listen"]);
    expect(state.stack.map((f) => f.flow_id)).toEqual(["check_balance", "pattern_continue_interrupted", "payment_flow", "pattern_continue_interrupted", "pattern_clarification"]);
    const clarification = state.stack.at(-1) as unknown as { names: string[]; clarification_options: string };
    expect(clarification.names).toEqual(["check balance", "payment flow"]);
    expect(clarification.clarification_options).toBe("check balance or payment flow");
  });

  it("runs the chosen flow, then the other one after its announcement", async () => {
    const { state, messages } = await conversation(pizza, [...TWO_BLOCKED, ["start flow check_balance"]]);
    expect(messages).toEqual([...MESSAGES_UP_TO_THE_CLARIFICATION, "utter_check_balance", "utter_flow_continue_interrupted", "utter_ask_payment_option"]);
    expect(state.stack.map((f) => f.flow_id)).toEqual(["payment_flow", "pattern_collect_information"]);
  });

  it("runs the chosen flow also when it is the topmost parked one", async () => {
    const { results } = await conversation(pizza, [...TWO_BLOCKED, ["start flow payment_flow"], ["set slot payment_option cash"]]);
    const [chosen, finished] = results.slice(-2).map((r) => r.messages.map((m) => m.response));
    expect(chosen).toEqual(["utter_ask_payment_option"]);
    expect(finished).toEqual(["utter_invalid_payment_option", "utter_flow_continue_interrupted", "utter_check_balance", "utter_can_do_something_else"]);
  });

  it("cancels every pending flow when the user cancels at the clarification", async () => {
    const { results, state, messages } = await conversation(pizza, [...TWO_BLOCKED, ["cancel flow"]]);
    expect(messages).toEqual([...MESSAGES_UP_TO_THE_CLARIFICATION, "utter_flow_cancelled_rasa", "utter_flow_cancelled_rasa", "utter_can_do_something_else"]);
    const cancelled = results.at(-1)!.events.filter((e) => e.event === "flow_cancelled").map((e) => (e as { flow_id: string }).flow_id);
    expect(cancelled.sort()).toEqual(["check_balance", "payment_flow"]);
    expect(state.stack).toEqual([]);
  });

  it("keeps waiting when the answer chooses nothing", async () => {
    const { results, state } = await conversation(pizza, [...TWO_BLOCKED, ["set slot card_number 1234"]]);
    expect(results.at(-1)!.actions).toEqual(["action_listen"]);
    expect(state.stack.at(-1)!.flow_id).toBe("pattern_clarification");
  });

  it("runs a single blocked digression right after the flow, without asking", async () => {
    const { messages } = await conversation(pizza, [TWO_BLOCKED[0], ["set slot address 1 Clerkenwell Road"], ["start flow check_balance"], ["/SetSlots(order_confirmation=True)"]]);
    expect(messages.slice(-4)).toEqual(["utter_place_order", "utter_flow_continue_interrupted", "utter_check_balance", "utter_can_do_something_else"]);
  });
});

const CONTACTS_DOMAIN = `
slots:
  contact_name:
    type: text
    mappings: [{type: from_llm}]
  contact_number:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_contact_name:
    - text: "What is the contact's name?"
  utter_ask_contact_number:
    - text: "What is the number?"
  utter_contact_added:
    - text: "Contact added."
  utter_check_balance:
    - text: "You have 1000 dollars."
`;

const CONTACTS_FLOWS = `
flows:
  add_contact:
    description: Add a contact to the address book.
    steps:
      - collect: contact_name
        block_digressions: [check_balance]
      - collect: contact_number
        ask_confirm_digressions: [check_balance]
      - action: utter_contact_added
  check_balance:
    description: Report the current account balance.
    steps:
      - action: utter_check_balance
`;

const contacts = (await assistantFromYaml(CONTACTS_DOMAIN, CONTACTS_FLOWS))();

/** The same flow blocked, then requested again at a question that asks for confirmation. */
const BLOCKED_THEN_ASKED = [["start flow add_contact"], ["start flow check_balance"], ["set slot contact_name Loki"], ["start flow check_balance"]] as const;

const MESSAGES_UP_TO_THE_CONFIRMATION = ["utter_ask_contact_name", "utter_block_digressions", "utter_ask_contact_name", "utter_ask_contact_number", "utter_ask_continue_previous_flow"];

describe("the same digression requested twice", () => {
  it("is not parked a second time when blocked again", async () => {
    const { messages, state } = await conversation(contacts, [...BLOCKED_THEN_ASKED, ["/SetSlots(continue_previous_flow=True)"], ["set slot contact_number 0712345678"]]);
    expect(messages).toEqual([
      ...MESSAGES_UP_TO_THE_CONFIRMATION,
      "utter_block_digressions",
      "utter_ask_contact_number",
      "utter_contact_added",
      "utter_flow_continue_interrupted",
      "utter_check_balance",
      "utter_can_do_something_else",
    ]);
    expect(state.stack).toEqual([]);
  });

  it("is taken off the bottom of the stack when the user continues with it now", async () => {
    const { messages, state } = await conversation(contacts, [...BLOCKED_THEN_ASKED, ["/SetSlots(continue_previous_flow=False)"], ["set slot contact_number 0712345678"]]);
    expect(messages).toEqual([
      ...MESSAGES_UP_TO_THE_CONFIRMATION,
      "utter_continue_interruption",
      "utter_check_balance",
      "utter_flow_continue_interrupted",
      "utter_ask_contact_number",
      "utter_contact_added",
      "utter_can_do_something_else",
    ]);
    expect(state.stack).toEqual([]);
  });
});
