/**
 * `flowc test` against Rasa Pro 3.12's e2e test runner, assertion type by assertion type and
 * step form by step form (third round, design §3.2). Each expectation comes from Rasa's code,
 * named beside it (rasa/e2e_test/assertions.py, e2e_test_runner.py, e2e_test_case.py,
 * assertions_schema.yml, rasa/core/actions/action.py), and from the YAML written here (lines are
 * looked up in it), never from flowc's output.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { lineAfter, project, run, testReport } from "../support/cli.ts";
import { TRANSFER_AND_BALANCE_FLOWS, transferDomain } from "../support/transfer-flows.ts";

const DOMAIN = transferDomain({
  responses: "  utter_checked:\n    - text: Funds checked.\n",
  amountButtons: [50, 100],
});

const FLOWS = TRANSFER_AND_BALANCE_FLOWS;

const SEND = "start flow transfer_money, set slot recipient John";

/** The turn that reaches the custom action `check_funds` (stubbed per test case below). */
const TO_FUNDS = `      - user: send 50 to John
        commands: [${SEND}, set slot amount 50]
`;

const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
  stub_names_a_response::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_checked}]
  stub_response_in_the_step_style::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_checked}]
  bot_uttered_utter_name_and_text_of_two_messages::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_checked}]
  stub_fills_a_response::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_ask_amount, recipient: Bob}]
  stub_names_no_response_of_the_domain::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_no_such_response}, {text: After it.}]
  ordered_bot_uttered_marks_its_last_property::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_checked}]
  ordered_bot_uttered_utter_name_alone::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{response: utter_checked}]
  stub_adds_buttons_to_a_response::check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses:
      - response: utter_ask_amount
        buttons: [{title: "75", payload: /SetSlots(amount=75)}]
test_cases:
  - test_case: stub_adds_buttons_to_a_response
    steps:
${TO_FUNDS}        assertions:
          - bot_uttered:
              utter_name: utter_ask_amount
              buttons:
                - title: "50"
                  payload: /SetSlots(amount=50)
                - title: "100"
                  payload: /SetSlots(amount=100)
                - title: "75"
                  payload: /SetSlots(amount=75)
          - bot_did_not_utter:
              buttons:
                - title: "75"
                  payload: /SetSlots(amount=75)
  - test_case: empty_utter_name_beside_a_pattern
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_uttered:
              utter_name: ""
              text_matches: "^How much"
  - test_case: empty_pattern_beside_an_utter_name
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_uttered:
              utter_name: utter_ask_amount
              text_matches: ""
  - test_case: forbidden_empty_pattern
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_did_not_utter:
              utter_name: utter_no_such_response
              text_matches: ""
  - test_case: forbidden_empty_utter_name
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_did_not_utter:
              utter_name: ""
              text_matches: "Mary"
  - test_case: ordered_bot_uttered_marks_its_last_property
    steps:
${TO_FUNDS}        assertion_order_enabled: true
        assertions:
          - bot_uttered:
              utter_name: utter_checked
              text_matches: "^Send"
          - action_executed: utter_ask_confirmed
  - test_case: ordered_bot_uttered_utter_name_alone
    steps:
${TO_FUNDS}        assertion_order_enabled: true
        assertions:
          - bot_uttered:
              utter_name: utter_checked
          - action_executed: utter_ask_confirmed
  - test_case: stub_names_no_response_of_the_domain
    steps:
${TO_FUNDS}        assertions:
          - bot_uttered:
              text_matches: "^After it\\\\.$"
          - bot_did_not_utter:
              utter_name: utter_internal_error_rasa
          - slot_was_set:
              - name: has_funds
                value: true
          - bot_uttered:
              utter_name: utter_ask_confirmed
  - test_case: stub_fills_a_response
    steps:
${TO_FUNDS}        assertions:
          - bot_uttered:
              utter_name: utter_ask_amount
              text_matches: "^How much should Bob get\\\\?$"
  - test_case: empty_slot_lists_ask_nothing
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - slot_was_set: []
          - slot_was_not_set: []
  - test_case: bot_uttered_properties_on_different_messages
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_uttered:
              utter_name: utter_ask_amount
              text_matches: "^How much should John"
              buttons:
                - title: "50"
                  payload: /SetSlots(amount=50)
  - test_case: bot_uttered_utter_name_and_text_of_two_messages
    steps:
${TO_FUNDS}        assertions:
          - bot_uttered:
              utter_name: utter_ask_confirmed
              text_matches: "^Funds checked"
  - test_case: bot_did_not_utter_fails_on_one_property
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_did_not_utter:
              utter_name: utter_ask_amount
              text_matches: "nothing like this"
  - test_case: bot_did_not_utter_passes_when_no_property_matches
    steps:
      - user: send money to John
        commands: [${SEND}]
        assertions:
          - bot_did_not_utter:
              utter_name: utter_ask_recipient
              text_matches: "Mary"
              buttons:
                - title: "75"
                  payload: /SetSlots(amount=75)
  - test_case: stub_names_a_response
    steps:
${TO_FUNDS}        assertions:
          - bot_uttered:
              utter_name: utter_checked
          - bot_uttered:
              text_matches: "^Funds checked\\\\.$"
  - test_case: stub_response_in_the_step_style
    steps:
${TO_FUNDS}      - utter: utter_checked
      - utter: utter_ask_confirmed
  - test_case: flow_completed_in_a_later_turn
    steps:
${TO_FUNDS}        assertions:
          - flow_completed:
              flow_id: transfer_money
      - user: "yes"
        commands: [set slot confirmed true]
  - test_case: flow_completed_in_its_turn
    steps:
${TO_FUNDS}      - user: "yes"
        commands: [set slot confirmed true]
        assertions:
          - flow_completed:
              flow_id: transfer_money
  - test_case: action_of_an_earlier_turn
    steps:
${TO_FUNDS}      - user: "yes"
        commands: [set slot confirmed true]
        assertions:
          - action_executed: utter_done
          - action_executed: check_funds
  - test_case: ordered_flow_then_question
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertion_order_enabled: true
        assertions:
          - flow_started: transfer_money
          - bot_uttered:
              utter_name: utter_ask_recipient
  - test_case: ordered_question_then_flow
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertion_order_enabled: true
        assertions:
          - bot_uttered:
              utter_name: utter_ask_recipient
          - flow_started: transfer_money
  - test_case: unordered_question_then_flow
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - bot_uttered:
              utter_name: utter_ask_recipient
          - flow_started: transfer_money
  - test_case: step_slot_entry_fails_at_the_step
    steps:
      - user: send money to John
        commands: [${SEND}]
      - slot_was_set:
          - recipient: John
          - amount
      - slot_was_not_set:
          - has_funds
          - recipient
  - test_case: step_failures_in_the_order_of_the_steps
    steps:
      - user: send money to John
        commands: [${SEND}]
      - slot_was_not_set:
          - recipient
      - bot: No such text.
      - slot_was_set:
          - amount
      - utter: utter_ask_recipient
`;

interface Failure {
  step: number;
  line: number;
  expected: string;
  actual: string;
}

/** The line of TESTS that holds `needle`, after the line holding `after`. */
const lineOf = (needle: string, after: string): number => lineAfter(TESTS, needle, after);

describe("flowc test, assertion by assertion, as Rasa's e2e runner judges", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/cases.yml": TESTS });
  let testCase: Awaited<ReturnType<typeof testReport<Failure>>>;

  beforeAll(async () => {
    testCase = await testReport<Failure>(dir);
  });

  const failures = (name: string): Failure[] => testCase(name).failures;

  it("passes `slot_was_set: []` and `slot_was_not_set: []`, which check no slot", () => {
    // assertions_schema.yml allows an empty list; SlotWasSetAssertion.run and
    // SlotWasNotSetAssertion.run loop over no slot and return no failure.
    expect(failures("empty_slot_lists_ask_nothing")).toEqual([]);
  });

  it("lets each property of `bot_uttered` match on its own (one message here, two messages there)", () => {
    // BotUtteredAssertion.run looks for utter_name, text_matches and buttons each with its own
    // next(...) over the turn's BotUttered events.
    expect(failures("bot_uttered_properties_on_different_messages")).toEqual([]);
    expect(failures("bot_uttered_utter_name_and_text_of_two_messages")).toEqual([]);
  });

  it("fails `bot_did_not_utter` when one of its properties matches a message, and passes when none does", () => {
    // BotDidNotUtterAssertion.run: a message that matches the utter name, or the pattern, or
    // has one of the buttons fails it.
    expect(failures("bot_did_not_utter_fails_on_one_property")).toEqual([
      expect.objectContaining({ step: 0, line: lineOf("- bot_did_not_utter:", "test_case: bot_did_not_utter_fails_on_one_property") }),
    ]);
    expect(failures("bot_did_not_utter_passes_when_no_property_matches")).toEqual([]);
  });

  it("reads an empty `utter_name` or `text_matches` beside another property as given, as Rasa checks `is not None`", () => {
    // BotUtteredAssertion.run: utter_name "" wants a message whose utter_action is "" (none);
    // re.compile("").search(text) finds every text. BotDidNotUtterAssertion: the same tests.
    expect(failures("empty_utter_name_beside_a_pattern")).toEqual([expect.objectContaining({ line: lineOf("- bot_uttered:", "test_case: empty_utter_name_beside_a_pattern") })]);
    expect(failures("empty_pattern_beside_an_utter_name")).toEqual([]);
    expect(failures("forbidden_empty_pattern")).toEqual([expect.objectContaining({ line: lineOf("- bot_did_not_utter:", "test_case: forbidden_empty_pattern") })]);
    expect(failures("forbidden_empty_utter_name")).toEqual([]);
  });

  it("counts a stub's `response: utter_x` message as that response, for `bot_uttered` and `utter:` steps", () => {
    // RemoteAction._utter_responses (rasa/core/actions/action.py) renders `response` with the NLG
    // and sets the message's `utter_action` metadata to it, which utter_name and `utter:` match.
    expect(failures("stub_names_a_response")).toEqual([]);
    expect(failures("stub_response_in_the_step_style")).toEqual([]);
  });

  it("fills a stub's `response` with the stub's other keys, over the slots", () => {
    // RemoteAction._utter_responses passes the response's other keys to nlg.generate(..., **response),
    // and the templated generator fills the response with them over the slot values.
    expect(failures("stub_fills_a_response")).toEqual([]);
    // ... and a response the domain lacks is left out (nlg.generate gives nothing: `continue`),
    // the action's other messages and events going on.
    expect(failures("stub_names_no_response_of_the_domain")).toEqual([]);
    // ... and its `buttons` go after the response's (draft["buttons"].extend(buttons)): the
    // bot_did_not_utter of the added button fails.
    expect(failures("stub_adds_buttons_to_a_response")).toEqual([
      expect.objectContaining({ line: lineOf("- bot_did_not_utter:", "test_case: stub_adds_buttons_to_a_response") }),
    ]);
  });

  it("reads `flow_completed` and `action_executed` on the events of the step's own turn only", () => {
    // _get_current_user_turn_and_prior_events: the events from the step's user message up to the
    // next user message of another text.
    expect(failures("flow_completed_in_a_later_turn")).toEqual([
      expect.objectContaining({ step: 0, expected: "flow_completed transfer_money" }),
    ]);
    expect(failures("flow_completed_in_its_turn")).toEqual([]);
    expect(failures("action_of_an_earlier_turn")).toEqual([
      expect.objectContaining({ step: 1, line: lineOf("- action_executed: check_funds", "test_case: action_of_an_earlier_turn") }),
    ]);
  });

  it("with assertion_order_enabled, reads each assertion after the event the one before it matched", () => {
    // _slice_turn_events: the flow starts before its first question is uttered, so the
    // question cannot come first; without the order, any order passes.
    expect(failures("ordered_flow_then_question")).toEqual([]);
    expect(failures("ordered_question_then_flow")).toEqual([
      expect.objectContaining({ line: lineOf("- flow_started: transfer_money", "test_case: ordered_question_then_flow") }),
    ]);
    expect(failures("unordered_question_then_flow")).toEqual([]);
  });

  it("with assertion_order_enabled, goes on after the message a `bot_uttered`'s last property matched", () => {
    // BotUtteredAssertion.run keeps the match of utter_name, then of text_matches, then of
    // buttons: the last one given is the matching event; and the processor logs an action's
    // ActionExecuted before the BotUttered it sends (_log_action_on_tracker).
    expect(failures("ordered_bot_uttered_marks_its_last_property")).toEqual([
      expect.objectContaining({ line: lineOf("- action_executed: utter_ask_confirmed", "test_case: ordered_bot_uttered_marks_its_last_property") }),
    ]);
    expect(failures("ordered_bot_uttered_utter_name_alone")).toEqual([]);
  });

  it("reports a failing entry of a `slot_was_set` / `slot_was_not_set` step at the step's line", () => {
    // TestCase.from_dict (e2e_test_case.py) makes one TestStep per entry from step.copy(), which
    // keeps the step's own line (ruamel's copy_attributes), and find_test_failures reports
    // TestFailure(test_case, step.line).
    const name = "test_case: step_slot_entry_fails_at_the_step";
    expect(failures("step_slot_entry_fails_at_the_step").map((failure) => [failure.line, failure.expected])).toEqual([
      [lineOf("- slot_was_set:", name), "slot_was_set amount"],
      [lineOf("- slot_was_not_set:", name), "slot_was_not_set recipient"],
    ]);
  });

  it("reports the failing steps of a turn in the order they are written", () => {
    // find_test_failures (e2e_test_runner.py) walks the steps by position, and the first failure
    // gives the test case's error line.
    const name = "test_case: step_failures_in_the_order_of_the_steps";
    expect(failures("step_failures_in_the_order_of_the_steps").map((failure) => [failure.line, failure.expected])).toEqual([
      [lineOf("- slot_was_not_set:", name), "slot_was_not_set recipient"],
      [lineOf("- bot: No such text.", name), 'a bot message "No such text."'],
      [lineOf("- slot_was_set:", name), "slot_was_set amount"],
      [lineOf("- utter: utter_ask_recipient", name), "a bot message utter_ask_recipient"],
    ]);
  });
});

describe("flowc test and an assertion item with several keys", () => {
  // assertions_schema.yml lets one item of `assertions` map several assertion keys, and
  // Assertion.create_typed_assertion (assertions.py) reads only the first: the others check
  // nothing, as in a step-style slot entry with several pairs.
  const tests = `test_cases:
  - test_case: first_key_counts
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - flow_started: transfer_money
            action_executed: no_such_action
  - test_case: first_key_fails
    steps:
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - action_executed: no_such_action
            flow_started: transfer_money
`;

  it("checks its first assertion only", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/items.yml": tests });
    const testCase = await testReport<Failure>(dir);
    expect(testCase("first_key_counts").failures).toEqual([]);
    expect(testCase("first_key_fails").failures).toEqual([expect.objectContaining({ expected: "action_executed no_such_action" })]);
  });
});

describe("flowc test and the assertions that need an LLM judge", () => {
  // assertions.py: generative_response_is_relevant / _is_grounded call an LLM judge
  // (llm_factory, completion); flowc runs without an LLM, so it refuses them before running
  // anything (design §3.2: "The assertions that need an LLM judge ... are refused").
  const tests = `test_cases:
  - test_case: plain
    steps:
      - user: balance
        commands: [start flow check_balance]
      - utter: utter_balance
  - test_case: judged
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - generative_response_is_relevant:
              threshold: 0.9
          - generative_response_is_grounded:
              threshold: 0.8
              utter_name: utter_balance
              ground_truth: The balance is fine.
`;

  it("says so at each of them, exits 2 and runs no test case", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/judged.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.code).toBe(2);
    expect(result.out).not.toContain("passed");
    const lines = tests.split("\n");
    const at = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;
    expect(result.err).toContain(`e2e/judged.yml:${at("generative_response_is_relevant")}:13: error FLW5033: \`generative_response_is_relevant\` needs an LLM judge`);
    expect(result.err).toContain(`e2e/judged.yml:${at("generative_response_is_grounded")}:13: error FLW5033: \`generative_response_is_grounded\` needs an LLM judge`);
  });

  it("gives the same problems as JSON", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/judged.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as { errors: { file: string; message: string }[] };
    expect(report.errors.map((error) => error.message)).toEqual([
      expect.stringContaining("`generative_response_is_relevant` needs an LLM judge"),
      expect.stringContaining("`generative_response_is_grounded` needs an LLM judge"),
    ]);
  });
});
