/**
 * The checks of one user turn, against hand-made turn results: each assertion passes on a
 * turn that has what it asks for and fails, saying what the turn did, on one that has not;
 * step-style bot steps must be exactly the turn's messages.
 */
import { describe, expect, it } from "vitest";
import { checkTurn, type TurnRecord } from "../../compiler/e2e/check-turn.ts";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import type { TestCase } from "../../compiler/e2e/test-model.ts";
import type { RuntimeEvent } from "../../runtime/events.ts";
import type { ConversationState } from "../../runtime/state.ts";
import type { Stack } from "../../runtime/stack.ts";

function state(stack: Stack = []): ConversationState {
  return { version: 1, assistantHash: "test", stack, flowHashes: {}, slots: {}, slotsSet: [], floatSlots: [], specialFloats: {}, nluSlots: [], lastBotTurn: [], collected: [], turns: 1 };
}

/** A turn of the money transfer: asks for the amount after setting the recipient. */
const TURN: TurnRecord = {
  actions: ["action_run_slot_rejections", "check_funds", "utter_ask_amount", "action_listen"],
  messages: [
    { response: "utter_ask_amount", text: "How much do you want to send?", buttons: [{ title: "50", payload: "/SetSlots(amount=50)" }] },
    { text: "Checked." },
  ],
  events: [
    { event: "flow_started", flow_id: "transfer_money", metadata: {} },
    { event: "slot", name: "recipient", value: "John" },
    { event: "slot", name: "amount", value: null },
    { event: "flow_completed", flow_id: "check_balance", step_id: "utter_balance" },
    { event: "flow_cancelled", flow_id: "book_hotel", step_id: "collect_city" },
    { event: "flow_started", flow_id: "pattern_clarification", metadata: { type: "pattern_clarification", names: ["transfer money", "check balance"] } },
    {
      event: "stack",
      stack: [{ frame_id: "F1", type: "pattern_clarification", flow_id: "pattern_clarification", step_id: "START", names: ["transfer money", "check balance"] }],
    },
  ] satisfies RuntimeEvent[],
  state: state(),
};

/** One test case with one user step carrying `lines` (YAML, indented under the step). */
function testCaseWith(lines: string): TestCase {
  const text = `test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n${lines}`;
  const { suite, problems } = parseTestTexts([{ path: "t.yml", text }]);
  expect(problems).toEqual([]);
  return suite.testCases[0]!;
}

function check(lines: string, turn: TurnRecord = TURN) {
  const testCase = testCaseWith(lines);
  return checkTurn(testCase, testCase.steps[0]!, turn);
}

function assertion(yaml: string): string {
  return `        assertions:\n${yaml
    .split("\n")
    .map((line) => `          ${line}`)
    .join("\n")}\n`;
}

describe("assertions", () => {
  const cases: { name: string; passes: string; fails: string; actual: RegExp }[] = [
    { name: "bot_uttered by name", passes: "- bot_uttered: {utter_name: utter_ask_amount}", fails: "- bot_uttered: {utter_name: utter_ask_recipient}", actual: /the turn sent: utter_ask_amount, "Checked\."/ },
    { name: "bot_uttered by text", passes: '- bot_uttered: {text_matches: "^Checked"}', fails: '- bot_uttered: {text_matches: "^How many"}', actual: /the turn sent/ },
    {
      name: "bot_uttered with name and buttons",
      passes: '- bot_uttered: {utter_name: utter_ask_amount, buttons: [{title: "50", payload: "/SetSlots(amount=50)"}]}',
      fails: '- bot_uttered: {utter_name: utter_ask_amount, buttons: [{title: "60", payload: "/SetSlots(amount=60)"}]}',
      actual: /the turn sent/,
    },
    { name: "bot_did_not_utter", passes: "- bot_did_not_utter: {utter_name: utter_ask_recipient}", fails: "- bot_did_not_utter: {utter_name: utter_ask_amount}", actual: /the turn sent: utter_ask_amount/ },
    { name: "slot_was_set with a value", passes: "- slot_was_set: [{name: recipient, value: John}]", fails: "- slot_was_set: [{name: recipient, value: Mary}]", actual: /slots set in the turn: recipient="John", amount=null/ },
    { name: "slot_was_set with any value", passes: "- slot_was_set: [{name: amount}]", fails: "- slot_was_set: [{name: confirm}]", actual: /slots set in the turn: recipient/ },
    { name: "slot_was_set to null", passes: "- slot_was_set: [{name: amount, value: null}]", fails: "- slot_was_set: [{name: recipient, value: null}]", actual: /recipient="John"/ },
    { name: "slot_was_not_set", passes: "- slot_was_not_set: [{name: confirm}]", fails: "- slot_was_not_set: [{name: recipient}]", actual: /slots set in the turn/ },
    { name: "action_executed", passes: "- action_executed: check_funds", fails: "- action_executed: execute_transfer", actual: /actions of the turn: action_run_slot_rejections, check_funds, utter_ask_amount, action_listen/ },
    { name: "flow_started", passes: "- flow_started: transfer_money", fails: "- flow_started: check_balance", actual: /flows started in the turn: transfer_money/ },
    { name: "flow_completed by id", passes: "- flow_completed: {flow_id: check_balance}", fails: "- flow_completed: {flow_id: transfer_money}", actual: /flows completed in the turn: check_balance at step utter_balance/ },
    {
      name: "flow_completed with its step",
      passes: "- flow_completed: {flow_id: check_balance, flow_step_id: utter_balance}",
      fails: "- flow_completed: {flow_id: check_balance, flow_step_id: other}",
      actual: /check_balance at step utter_balance/,
    },
    { name: "flow_cancelled", passes: "- flow_cancelled: {flow_id: book_hotel}", fails: "- flow_cancelled: {flow_id: transfer_money}", actual: /flows cancelled in the turn: book_hotel at step collect_city/ },
    { name: "pattern_clarification_contains", passes: "- pattern_clarification_contains: [check balance, transfer money]", fails: "- pattern_clarification_contains: [transfer money]", actual: /the clarification offered: transfer money, check balance/ },
  ];

  for (const { name, passes, fails, actual } of cases) {
    it(`${name}: passes when the turn has it, fails with what the turn did`, () => {
      expect(check(assertion(passes))).toEqual([]);
      const failures = check(assertion(fails));
      expect(failures).toHaveLength(1);
      expect(failures[0]!.expected).toContain(fails.slice(2, fails.indexOf(":")));
      expect(failures[0]!.actual).toMatch(actual);
      expect(failures[0]!.at).toMatchObject({ file: "t.yml", line: 6 });
    });
  }

  it("pattern_clarification_contains fails when there is no clarification", () => {
    const failures = check(assertion("- pattern_clarification_contains: [a]"), { ...TURN, events: [] });
    expect(failures.map((f) => f.actual)).toEqual(["no clarification in the turn"]);
  });

  it("follows Rasa's verdicts where they are not the obvious ones", () => {
    // each property of bot_uttered may be matched by another message
    expect(check(assertion('- bot_uttered: {utter_name: utter_ask_amount, text_matches: "^Checked"}'))).toEqual([]);
    // buttons are compared pairwise up to the shorter list, and the message must have some
    expect(check(assertion('- bot_uttered: {buttons: [{title: "50", payload: "/SetSlots(amount=50)"}, {title: "70", payload: "/SetSlots(amount=70)"}]}'))).toEqual([]);
    expect(check(assertion('- bot_uttered: {buttons: [{title: "60", payload: "/SetSlots(amount=60)"}]}'))).toHaveLength(1);
    // bot_did_not_utter fails on any one of its properties
    expect(check(assertion('- bot_did_not_utter: {utter_name: utter_ask_recipient, text_matches: "^Checked"}'))).toHaveLength(1);
    expect(check(assertion('- bot_did_not_utter: {buttons: [{title: "50", payload: "/SetSlots(amount=50)"}, {title: "x", payload: "/x"}]}'))).toHaveLength(1);
    // slot_was_not_set without a value passes when the slot was only reset to null
    expect(check(assertion("- slot_was_not_set: [{name: amount}]"))).toEqual([]);
    expect(check(assertion("- slot_was_not_set: [{name: amount, value: null}]"))).toHaveLength(1);
    // flow_completed with a step id looks at the flow's first completion in the turn
    const twice: TurnRecord = { ...TURN, events: [...TURN.events, { event: "flow_completed", flow_id: "check_balance", step_id: "other" }] };
    expect(check(assertion("- flow_completed: {flow_id: check_balance, flow_step_id: utter_balance}"), twice)).toEqual([]);
    expect(check(assertion("- flow_completed: {flow_id: check_balance, flow_step_id: other}"), twice)).toHaveLength(1);
    // pattern_clarification_contains wants exactly the names offered
    expect(check(assertion("- pattern_clarification_contains: [transfer money, check balance, book hotel]"))).toHaveLength(1);
    // ... and reads them off the turn's first start of the clarification pattern, not the stack
    const second: RuntimeEvent = { event: "flow_started", flow_id: "pattern_clarification", metadata: { names: ["book hotel"] } };
    const twiceClarified: TurnRecord = { ...TURN, events: [...TURN.events, second] };
    expect(check(assertion("- pattern_clarification_contains: [transfer money, check balance]"), twiceClarified)).toEqual([]);
    expect(check(assertion("- pattern_clarification_contains: [book hotel]"), twiceClarified)).toHaveLength(1);
    const fromTheStackOnly: TurnRecord = { ...TURN, events: TURN.events.map((event) => (event.event === "flow_started" ? { ...event, metadata: {} } : event)) };
    expect(check(assertion("- pattern_clarification_contains: [transfer money, check balance]"), fromTheStackOnly)).toHaveLength(1);
  });

  it("a turn with assertions but no bot steps may send anything", () => {
    expect(check(assertion("- action_executed: check_funds"))).toEqual([]);
  });
});

describe("the step style", () => {
  it("passes when utter and bot steps are the turn's messages in order", () => {
    expect(check("      - utter: utter_ask_amount\n      - bot: Checked.\n")).toEqual([]);
  });

  it("passes each bot step that some message of the turn matches, in any order, as Rasa's runner does", () => {
    expect(check("      - utter: utter_ask_amount\n")).toEqual([]);
    expect(check("      - bot: Checked.\n      - utter: utter_ask_amount\n")).toEqual([]);
    expect(check("      - utter: utter_ask_amount\n      - bot: Checked.\n")).toEqual([]);
  });

  it("fails each bot step no message of the turn matches, showing what the turn sent", () => {
    const failures = check("      - utter: utter_ask_amount\n      - utter: utter_ask_confirm\n      - bot: Checked!\n");
    expect(failures).toEqual([
      { at: expect.objectContaining({ line: 6 }), expected: "a bot message utter_ask_confirm", actual: 'the turn sent: utter_ask_amount, "Checked."' },
      { at: expect.objectContaining({ line: 7 }), expected: 'a bot message "Checked!"', actual: 'the turn sent: utter_ask_amount "How much do you want to send?", "Checked."' },
    ]);
  });

  it("leaves step-style steps unread in a test case that uses assertions, as Rasa's runner does", () => {
    const lines = `${assertion("- bot_uttered: {utter_name: utter_ask_amount}")}      - utter: utter_ask_confirm\n      - slot_was_set:\n          - recipient: Mary\n`;
    expect(check(lines)).toEqual([]);
    expect(check(lines.replace("utter_name: utter_ask_amount", "utter_name: utter_ask_confirm"))).toHaveLength(1);
  });

  it("expects nothing of the messages after a user step without bot steps", () => {
    expect(check("")).toEqual([]);
    expect(check("", { ...TURN, messages: [] })).toEqual([]);
  });

  it("checks slot_was_set and slot_was_not_set steps against the turn's slot events", () => {
    const quiet = { ...TURN, messages: [] };
    expect(check("      - slot_was_set:\n          - recipient: John\n          - amount\n      - slot_was_not_set: [confirm]\n", quiet)).toEqual([]);
    const failures = check("      - slot_was_set:\n          - recipient: Mary\n      - slot_was_not_set:\n          - recipient\n", quiet);
    expect(failures).toEqual([
      // at the step's line, as Rasa reports a step-style slot entry (TestCase.from_dict copies the step)
      { at: expect.objectContaining({ line: 5 }), expected: 'slot_was_set recipient="Mary"', actual: 'slots set in the turn: recipient="John", amount=null' },
      { at: expect.objectContaining({ line: 7 }), expected: "slot_was_not_set recipient", actual: 'slots set in the turn: recipient="John", amount=null' },
    ]);
  });
});

describe("assertion_order_enabled after a `slot_was_not_set`", () => {
  it("goes on after the first event equal to the slot's last one, as Rasa's runner finds it", () => {
    // Rasa's runner (e2e_test_runner.py, _slice_turn_events) cuts the turn at
    // turn_events.index(matching_event), the first event equal to it, and SlotSet events are equal
    // by name and value (rasa/shared/core/events.py): the slot_was_not_set assertion matches the
    // slot's last event (amount=null), which equals the turn's first one, before utter_ask_amount.
    const turn: TurnRecord = {
      ...TURN,
      events: [
        { event: "slot", name: "amount", value: null },
        { event: "bot", response: "utter_ask_amount", text: "How much?" },
        { event: "slot", name: "amount", value: 50 },
        { event: "slot", name: "amount", value: null },
        { event: "action", name: "action_listen" },
      ],
    };
    const lines = `        assertion_order_enabled: true\n${assertion("- slot_was_not_set:\n    - name: amount\n      value: 50\n- bot_uttered: {utter_name: utter_ask_amount}")}`;
    expect(check(lines, turn)).toEqual([]);
  });
});

describe("assertion buttons without a title or a payload", () => {
  // Rasa's assertions schema (assertions_schema.yml) requires neither `title` nor `payload` of a
  // button, and an AssertedButton without one compares None with the message button's
  // (assertions.py, _button_matches / _is_forbidden_button): it matches no button that has one.
  it("are read, and match no button of the turn", () => {
    expect(check(assertion('- bot_uttered: {buttons: [{title: "50"}]}'))).toHaveLength(1);
    expect(check(assertion('- bot_did_not_utter: {buttons: [{title: "50"}]}'))).toEqual([]);
    expect(check(assertion('- bot_did_not_utter: {buttons: [{payload: "/SetSlots(amount=50)"}]}'))).toEqual([]);
  });

  it("go unread past the message's buttons, which bot_uttered compares pairwise up to the shorter list", () => {
    expect(check(assertion('- bot_uttered: {buttons: [{title: "50", payload: "/SetSlots(amount=50)"}, {title: "100"}]}'))).toEqual([]);
  });
});

describe("bot_uttered buttons against messages with more than title and payload", () => {
  // rasa/e2e_test/assertions.py BotUtteredAssertion._buttons_match: the bot event's
  // `data["buttons"]` (empty: no match), each compared with `_button_matches` by title and
  // payload only; quick replies are another key of the data and are not buttons to it.
  const withFields = (message: TurnRecord["messages"][number]): TurnRecord => ({ ...TURN, messages: [message], events: [{ event: "bot", ...message }] });

  it("a button's other keys do not matter", () => {
    const turn = withFields({ response: "utter_site", text: "Go", buttons: [{ title: "Site", payload: "site", url: "https://a.example", type: "web_url" }] });
    expect(check(assertion('- bot_uttered: {buttons: [{title: "Site", payload: "site"}]}'), turn)).toEqual([]);
  });

  it("quick replies are not buttons", () => {
    const turn = withFields({ response: "utter_pick", text: "Pick", quick_replies: [{ title: "A", payload: "a" }] });
    expect(check(assertion('- bot_uttered: {buttons: [{title: "A", payload: "a"}]}'), turn)).toHaveLength(1);
  });
});
