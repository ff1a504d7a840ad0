/**
 * `flowc test` judged against Rasa Pro 3.12's e2e runner, rule by rule (second round): how each
 * assertion kind and each step-style step decides, with values of every slot type, fixtures,
 * the order of assertions and the texts of steps. Each expectation comes from the contract
 * (design §3.2, the README's `flowc test` section) or from a fact about Rasa's runner, noted
 * beside it, and from the YAML written here (lines are looked up in it), never from flowc's
 * output.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkTurn, type TurnRecord } from "../../compiler/e2e/check-turn.ts";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { lineAfter, project, run, testReport } from "../support/cli.ts";
import { TRANSFER_AND_BALANCE_FLOWS, transferDomain } from "../support/transfer-flows.ts";

const DOMAIN = transferDomain({
  slots: "  tags:\n    type: list\n  plan:\n    type: categorical\n    values: [basic, premium]\n",
  responses: "  utter_plan:\n    - text: You are on the {plan} plan.\n  utter_tags:\n    - text: Tagged.\n",
  actions: "  - tag_account\n",
  amountButtons: [50],
});

const FLOWS = `${TRANSFER_AND_BALANCE_FLOWS}  show_plan:
    description: Tell the user their plan.
    steps:
      - action: utter_plan
  tag_account:
    description: Tag the account.
    steps:
      - action: tag_account
      - action: utter_tags
`;

/** The turn that sets `amount` to 50 and, the funds being short, ends the flow, which resets it. */
const SHORT_OF_FUNDS = `      - user: send 50 to John
        commands: [start flow transfer_money, set slot recipient John, set slot amount 50]
        stub_custom_actions:
          check_funds:
            events: [{event: slot, name: has_funds, value: false}]
`;

const SEND = "start flow transfer_money, set slot recipient John";

const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
  tag_account:
    events: [{event: slot, name: tags, value: [gold, "2024"]}]
fixtures:
  - basic_plan:
      - plan: basic
  - premium_plan:
      - plan: premium
test_cases:
  - test_case: step_not_set_fails_on_a_reset
    steps:
      - user: send money to John
        commands: [${SEND}]
      - user: stop
        commands: [cancel flow]
      - slot_was_not_set:
          - recipient
  - test_case: step_not_set_fails_on_a_value_later_replaced
    steps:
${SHORT_OF_FUNDS}      - slot_was_not_set:
          - amount: 50
  - test_case: step_not_set_passes_for_another_value
    steps:
      - user: send money to John
        commands: [${SEND}]
      - slot_was_not_set:
          - recipient: Mary
  - test_case: assertion_not_set_reads_the_last_value
    steps:
${SHORT_OF_FUNDS}        assertions:
          - slot_was_not_set:
              - name: amount
                value: 50
              - name: recipient
  - test_case: step_set_by_name_counts_a_reset
    steps:
      - user: send money to John
        commands: [${SEND}]
      - user: stop
        commands: [cancel flow]
      - slot_was_set:
          - recipient
  - test_case: assertion_set_to_null
    steps:
${SHORT_OF_FUNDS}        assertions:
          - slot_was_set:
              - name: amount
                value: null
  - test_case: bool_slot_equals_one
    steps:
      - user: send 50 to John
        commands: [${SEND}, set slot amount 50]
      - user: "yes"
        commands: [set slot confirmed true]
        assertions:
          - slot_was_set:
              - name: confirmed
                value: 1
  - test_case: bool_slot_equals_one_in_the_step_style
    steps:
      - user: send 50 to John
        commands: [${SEND}, set slot amount 50]
      - user: "yes"
        commands: [set slot confirmed true]
      - slot_was_set:
          - confirmed: 1.0
  - test_case: float_slot_equals_a_whole_number
    steps:
      - user: send 50 to John
        commands: [${SEND}, set slot amount 50]
        assertions:
          - slot_was_set:
              - name: amount
                value: 50
          - slot_was_set:
              - name: amount
                value: 50.0
  - test_case: float_slot_is_not_its_text
    steps:
      - user: send 50 to John
        commands: [${SEND}, set slot amount 50]
        assertions:
          - slot_was_set:
              - name: amount
                value: "50"
  - test_case: list_slot_equals_the_same_items
    steps:
      - user: tag my account
        commands: [start flow tag_account]
        assertions:
          - slot_was_set:
              - name: tags
                value: [gold, "2024"]
  - test_case: list_slot_in_another_order
    steps:
      - user: tag my account
        commands: [start flow tag_account]
        assertions:
          - slot_was_set:
              - name: tags
                value: ["2024", gold]
  - test_case: list_slot_with_a_number_for_a_text
    steps:
      - user: tag my account
        commands: [start flow tag_account]
        assertions:
          - slot_was_set:
              - name: tags
                value: [gold, 2024]
  - test_case: empty_buttons_ask_nothing
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - bot_did_not_utter:
              utter_name: utter_ask_amount
              buttons: []
  - test_case: ordered_slot_without_value_marks_its_first_event
    steps:
${SHORT_OF_FUNDS}        assertion_order_enabled: true
        assertions:
          - slot_was_set:
              - name: amount
          - action_executed: check_funds
  - test_case: bot_text_is_stripped
    steps:
      - user: "   how is my balance   "
        commands: [start flow check_balance]
      - bot: "  Your balance is fine.  "
  - test_case: fixtures_apply_in_their_order_of_definition
    fixtures: [premium_plan, basic_plan]
    steps:
      - user: which plan
        commands: [start flow show_plan]
        assertions:
          - bot_uttered:
              text_matches: "the premium plan"
  - test_case: fixture_is_no_event_of_the_first_turn
    fixtures: [basic_plan]
    steps:
      - user: which plan
        commands: [start flow show_plan]
        assertions:
          - slot_was_not_set:
              - name: plan
          - bot_uttered:
              text_matches: "the basic plan"
  - test_case: failing_slot_reported_at_its_entry
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - slot_was_set:
              - name: recipient
                value: John
              - name: amount
                value: 50
  - test_case: flow_started_for_a_pattern
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - flow_started: pattern_collect_information
  - test_case: flow_cancelled_at_its_step
    steps:
      - user: send money
        commands: [start flow transfer_money]
      - user: stop
        commands: [cancel flow]
        assertions:
          - flow_cancelled:
              flow_id: transfer_money
              flow_step_id: transfer_money_0_collect_recipient
  - test_case: flow_cancelled_at_another_step
    steps:
      - user: send money
        commands: [start flow transfer_money]
      - user: stop
        commands: [cancel flow]
        assertions:
          - flow_cancelled:
              flow_id: transfer_money
              flow_step_id: transfer_money_1_collect_amount
  - test_case: flow_completed_at_another_step
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - flow_completed:
              flow_id: check_balance
              flow_step_id: utter_balance
  - test_case: action_executed_names_responses_and_listen
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - action_executed: utter_balance
          - action_executed: action_listen
  - test_case: text_matches_searches_with_python_syntax
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - bot_uttered:
              text_matches: "(?P<what>balance) is"
          - bot_uttered:
              text_matches: "fine\\\\.\\\\Z"
  - test_case: bot_did_not_utter_text_in_any_message
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - bot_did_not_utter:
              text_matches: "anything else"
  - test_case: user_step_without_commands
    steps:
      - user: start flow check_balance
      - utter: utter_balance
  - test_case: user_step_without_commands_fails
    steps:
      - user: zzz qqq
      - utter: utter_balance
`;

interface Failure {
  note?: string;
  step: number;
  user: string;
  file: string;
  line: number;
  expected: string;
  actual: string;
  trace?: { test_case: string; step: number; user: string; commands: { command: string }[] };
}

/** The line of TESTS that holds `needle`, after the line holding `after`. */
const lineOf = (needle: string, after: string): number => lineAfter(TESTS, needle, after);

describe("flowc test judges as Rasa's e2e runner does", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/cases.yml": TESTS });
  let testCase: Awaited<ReturnType<typeof testReport<Failure>>>;

  beforeAll(async () => {
    testCase = await testReport<Failure>(dir);
  });

  function verdict(name: string): boolean {
    return testCase(name).passed;
  }

  function failures(name: string): Failure[] {
    return testCase(name).failures;
  }

  it("fails a `slot_was_not_set` step on any event of the slot in the turn, a reset to null too", () => {
    // Rasa's runner: a slot_was_not_set step fails when a SlotSet of the turn matches it (by name,
    // or by name and value), wherever it is in the turn; cancelling the flow resets `recipient`.
    // The failure is at the step's line (TestCase.from_dict copies the step for each entry).
    expect(verdict("step_not_set_fails_on_a_reset")).toBe(false);
    expect(failures("step_not_set_fails_on_a_reset")).toEqual([
      expect.objectContaining({ step: 1, user: "stop", line: lineOf("- slot_was_not_set:", "test_case: step_not_set_fails_on_a_reset"), expected: "slot_was_not_set recipient" }),
    ]);
    expect(verdict("step_not_set_fails_on_a_value_later_replaced")).toBe(false);
    expect(verdict("step_not_set_passes_for_another_value")).toBe(true);
  });

  it("reads the slot's last value in the turn for the `slot_was_not_set` assertion", () => {
    // The same turn as above: amount was 50 and is null at the end, recipient is null at the end.
    expect(failures("assertion_not_set_reads_the_last_value")).toEqual([]);
  });

  it("passes a `slot_was_set` step or assertion by name, or with `value: null`, on a reset to null", () => {
    expect(verdict("step_set_by_name_counts_a_reset")).toBe(true);
    expect(verdict("assertion_set_to_null")).toBe(true);
  });

  it("compares slot values with Python's `==`: a bool equals 1, a float its whole number, a text never a number", () => {
    expect(failures("bool_slot_equals_one")).toEqual([]);
    expect(failures("bool_slot_equals_one_in_the_step_style")).toEqual([]);
    expect(failures("float_slot_equals_a_whole_number")).toEqual([]);
    expect(verdict("float_slot_is_not_its_text")).toBe(false);
  });

  it("compares a list slot item by item, in order and by type", () => {
    expect(failures("list_slot_equals_the_same_items")).toEqual([]);
    expect(verdict("list_slot_in_another_order")).toBe(false);
    expect(verdict("list_slot_with_a_number_for_a_text")).toBe(false);
  });

  it("asks nothing of a message's buttons for `buttons: []` of `bot_did_not_utter` beside another property", () => {
    // Rasa's BotDidNotUtterAssertion forbids no button for an empty list; utter_ask_recipient is sent, not utter_ask_amount.
    expect(failures("empty_buttons_ask_nothing")).toEqual([]);
  });

  it("with assertion_order_enabled, marks a `slot_was_set` without value at the slot's first event", () => {
    // amount is set to 50 before check_funds runs and reset after it: Rasa 3.12 goes on after the first event.
    expect(failures("ordered_slot_without_value_marks_its_first_event")).toEqual([]);
  });

  it("strips the text of `user` and `bot` steps, as Rasa reads them", () => {
    expect(failures("bot_text_is_stripped")).toEqual([]);
    const stripped = failures("float_slot_is_not_its_text")[0]!;
    expect(stripped.user).toBe("send 50 to John");
  });

  it("applies fixtures in the order they are defined, not the order the test case names them", () => {
    // Rasa filters the file's fixtures by the test case's names: premium_plan, defined last, wins.
    expect(failures("fixtures_apply_in_their_order_of_definition")).toEqual([]);
  });

  it("sets fixtures before the first turn: they are no slot event of it", () => {
    expect(failures("fixture_is_no_event_of_the_first_turn")).toEqual([]);
  });

  it("reports a failing slot of `slot_was_set` at its own entry's line", () => {
    expect(failures("failing_slot_reported_at_its_entry")).toEqual([
      expect.objectContaining({ line: lineOf("- name: amount", "test_case: failing_slot_reported_at_its_entry"), expected: "slot_was_set amount=50" }),
    ]);
  });

  it("takes `flow_started` of a pattern", () => {
    expect(failures("flow_started_for_a_pattern")).toEqual([]);
  });

  it("checks `flow_cancelled` and `flow_completed` at a step, saying at which step the flow ended", () => {
    expect(failures("flow_cancelled_at_its_step")).toEqual([]);
    expect(failures("flow_cancelled_at_another_step")).toEqual([
      expect.objectContaining({
        step: 1,
        line: lineOf("- flow_cancelled:", "test_case: flow_cancelled_at_another_step"),
        expected: "flow_cancelled transfer_money at step transfer_money_1_collect_amount",
        actual: expect.stringContaining("transfer_money at step transfer_money_0_collect_recipient"),
      }),
    ]);
    expect(failures("flow_completed_at_another_step")).toEqual([
      expect.objectContaining({ expected: "flow_completed check_balance at step utter_balance", actual: expect.stringContaining("check_balance at step tell_balance") }),
    ]);
  });

  it("counts responses and action_listen as executed actions", () => {
    expect(failures("action_executed_names_responses_and_listen")).toEqual([]);
  });

  it("searches `text_matches` anywhere in the text, in Python's dialect", () => {
    expect(failures("text_matches_searches_with_python_syntax")).toEqual([]);
  });

  it("fails `bot_did_not_utter` when any message of the turn matches, the closing question included", () => {
    expect(failures("bot_did_not_utter_text_in_any_message")).toEqual([
      expect.objectContaining({ expected: "bot_did_not_utter text matching /anything else/", actual: expect.stringContaining("utter_can_do_something_else") }),
    ]);
  });

  it("sends a user step without `commands` to the command generator, which takes command DSL text as it is", () => {
    expect(failures("user_step_without_commands")).toEqual([]);
  });

  it("says so when a failing step had no `commands`, with what the command generator made of its text", async () => {
    const [failure] = failures("user_step_without_commands_fails");
    expect(failure!.note).toMatch(/no `commands`.*command generator.*: cannot handle$/);
    // a step with `commands` needs no such note
    expect(failures("float_slot_is_not_its_text")[0]!.note).toBeUndefined();
    const text = (await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir)).out.split("\n");
    const at = text.indexOf("failed: user_step_without_commands_fails");
    expect(text.slice(at + 1, at + 5).map((line) => line.trim().split(":")[0])).toEqual([`e2e/cases.yml`, "expected", "actual", "note"]);
  });
});

describe("assertions Rasa refuses to load", () => {
  function problems(assertion: string): [number | undefined, string][] {
    const text = `test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        assertions:\n          - ${assertion}\n`;
    return parseTestTexts([{ path: "t.yml", text }]).problems.map((problem) => [problem.line, problem.message]);
  }

  it("refuses a `bot_uttered` or `bot_did_not_utter` whose properties are all empty", () => {
    // Rasa raises on an assertion without a non-empty utter_name, text_matches or buttons.
    expect(problems("bot_uttered: {buttons: []}")).toEqual([[6, expect.stringContaining("`buttons` of `bot_uttered` is an empty list")]]);
    expect(problems('bot_did_not_utter: {utter_name: "", buttons: []}')).toEqual([[6, expect.stringContaining("`bot_did_not_utter` takes at least one of")]]);
    expect(problems('bot_uttered: {utter_name: "", text_matches: "x"}')).toEqual([]);
  });

  it("refuses `buttons: []` in a `bot_uttered`, even beside another property", () => {
    // Rasa's schema check require_assertion_keys (rasa/e2e_test/pykwalify_extensions.py, run for
    // assertions_schema.yml) refuses a bot_uttered whose buttons are null or an empty list.
    expect(problems("bot_uttered: {utter_name: utter_ask_recipient, buttons: []}")).toEqual([[6, expect.stringContaining("`buttons` of `bot_uttered` is an empty list")]]);
    expect(problems("bot_did_not_utter: {utter_name: utter_ask_recipient, buttons: []}")).toEqual([]);
  });

  it("refuses `flow_completed` and `flow_cancelled` given a flow id alone, not `{flow_id, flow_step_id?}`", () => {
    // Rasa's assertions schema (rasa/e2e_test/assertions_schema.yml) takes a mapping with a
    // required flow_id, and FlowCompletedAssertion.from_dict (assertions.py) reads flow_id off it.
    expect(problems("flow_completed: transfer_money")).toEqual([[6, expect.stringContaining("`flow_completed` takes `{flow_id, flow_step_id?}`")]]);
    expect(problems("flow_cancelled: transfer_money")).toEqual([[6, expect.stringContaining("`flow_cancelled` takes `{flow_id, flow_step_id?}`")]]);
    expect(problems("flow_cancelled: {flow_id: transfer_money}")).toEqual([]);
  });
});

describe("pattern_clarification_contains", () => {
  const state = (stack: ConversationState["stack"]): ConversationState => ({ version: 1, assistantHash: "test", stack, flowHashes: {}, slots: {}, slotsSet: [], floatSlots: [], specialFloats: {}, nluSlots: [], lastBotTurn: [], collected: [], turns: 2 });
  const text = "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        assertions:\n          - pattern_clarification_contains: [check balance, transfer money]\n";
  const testCase = parseTestTexts([{ path: "t.yml", text }]).suite.testCases[0]!;
  const frame = { frame_id: "F1", type: "pattern_clarification" as const, flow_id: "pattern_clarification", step_id: "ask", names: ["check balance", "transfer money"] };

  it("needs the clarification to start in the turn: one an earlier turn left on the stack does not count", () => {
    // Rasa reads the names off the turn's FlowStarted event of pattern_clarification.
    const leftOver: TurnRecord = { actions: ["action_listen"], messages: [], events: [{ event: "stack", stack: [frame] }], state: state([frame]) };
    expect(checkTurn(testCase, testCase.steps[0]!, leftOver).map((failure) => failure.actual)).toEqual(["no clarification in the turn"]);
    const started: TurnRecord = { ...leftOver, events: [{ event: "stack", stack: [frame] }, { event: "flow_started", flow_id: "pattern_clarification", metadata: frame }] };
    expect(checkTurn(testCase, testCase.steps[0]!, started)).toEqual([]);
  });
});

describe("the turn the assertions of a message sent twice read", () => {
  // Rasa's runner (rasa/e2e_test/e2e_test_runner.py, run_assertions and
  // _get_current_user_turn_and_prior_events) checks assertions once the conversation is over, on
  // the events after the first user message with the step's text (and, when the step names
  // metadata, that metadata): a message sent a second time is checked on its first turn.
  const tests = `metadata:
  - web:
      channel: web
  - app:
      channel: app
test_cases:
  - test_case: second_sending_reads_the_first_turn
    steps:
      - user: go
        commands: [start flow check_balance]
      - user: go
        commands: [start flow transfer_money]
        assertions:
          - flow_started: transfer_money
  - test_case: second_sending_passes_on_the_first_turn
    steps:
      - user: go
        commands: [start flow check_balance]
      - user: go
        commands: [start flow transfer_money]
        assertions:
          - bot_uttered:
              utter_name: utter_balance
  - test_case: other_metadata_reads_its_own_turn
    steps:
      - user: go
        metadata: web
        commands: [start flow check_balance]
      - user: go
        metadata: app
        commands: [start flow transfer_money]
        assertions:
          - flow_started: transfer_money
  - test_case: a_first_sending_spans_the_same_text_with_other_metadata
    steps:
      - user: go
        metadata: web
        commands: [start flow check_balance]
        assertions:
          - flow_started: transfer_money
      - user: go
        metadata: app
        commands: [start flow transfer_money]
`;
  const dir = project({ "domain.yml": transferDomain(), "flows.yml": TRANSFER_AND_BALANCE_FLOWS, "e2e/cases.yml": tests });
  let testCase: Awaited<ReturnType<typeof testReport<Failure>>>;

  beforeAll(async () => {
    testCase = await testReport<Failure>(dir);
  });

  it("checks the assertions of a message sent before on the turn of its first sending", () => {
    expect(testCase("second_sending_reads_the_first_turn").passed).toBe(false);
    expect(testCase("second_sending_reads_the_first_turn").failures).toEqual([
      expect.objectContaining({ step: 1, expected: "flow_started transfer_money", actual: "flows started in the turn: check_balance, pattern_completed", note: expect.stringContaining("checked on the turn of step 0") }),
    ]);
    expect(testCase("second_sending_passes_on_the_first_turn").failures).toEqual([]);
  });

  it("tells messages apart by their metadata when the step names some", () => {
    expect(testCase("other_metadata_reads_its_own_turn").failures).toEqual([]);
    // Rasa reads the first sending's events up to the next user message of another text: a
    // message of the same text that its metadata tells apart is read too.
    expect(testCase("a_first_sending_spans_the_same_text_with_other_metadata").failures).toEqual([]);
  });
});

describe("a message sent twice in the step style", () => {
  it("is checked on its own turn, with no word of another", async () => {
    // Rasa's step style (e2e_test_runner.py find_test_failures) reads the events since the
    // message before: a repeated text changes nothing there.
    const tests = "test_cases:\n  - test_case: t\n    steps:\n      - user: go\n        commands: [start flow check_balance]\n      - user: go\n        commands: [start flow transfer_money]\n      - utter: utter_balance\n";
    const dir = project({ "domain.yml": transferDomain(), "flows.yml": TRANSFER_AND_BALANCE_FLOWS, "e2e/cases.yml": tests });
    const [failure] = (await testReport<Failure>(dir))("t").failures;
    expect(failure).toEqual(expect.objectContaining({ step: 1, expected: "a bot message utter_balance" }));
    expect(failure!.note).toBeUndefined();
  });
});
