/**
 * Every assertion type and every step style of the e2e format (design §3.2), plus fixtures,
 * `test_case::action` stubs and metadata, against the real runtime: for each, one test case
 * that passes and one that fails, and the failure says what was expected and what the turn
 * did, with the trace line of the failing turn.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkTestNames } from "../../compiler/e2e/check-test-names.ts";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";
import { loadTestFiles, parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { runTestCases } from "../../compiler/e2e/run-test-cases.ts";
import type { CustomActionMap } from "../../runtime/assistant.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import { project, run } from "../support/cli.ts";
import { TRANSFER_AND_BALANCE_FLOWS, transferDomain } from "../support/transfer-flows.ts";

const DOMAIN = transferDomain({
  slots: "  membership:\n    type: text\n  channel:\n    type: text\n",
  responses: "  utter_welcome:\n    - text: Welcome, {membership} member.\n",
  actions: "  - detect_channel\n",
  amountButtons: [50, 100],
});

const FLOWS = `${TRANSFER_AND_BALANCE_FLOWS}  welcome:
    description: Greet a member.
    steps:
      - action: detect_channel
      - action: utter_welcome
`;

/** One test case `<name>` with one user step: `commands` and then `lines` (YAML under the step). */
function userStep(name: string, commands: string, lines: string, extra = ""): string {
  return `  - test_case: ${name}\n${extra}    steps:\n      - user: ${name}\n        commands: [${commands}]\n${lines}`;
}

function assertions(...items: string[]): string {
  return `        assertions:\n${items.map((item) => `          - ${item}\n`).join("")}`;
}

const START = "start flow transfer_money";
const JOHN = `${START}, set slot recipient John`;

/** Pairs of test cases, `<name>_passes` and `<name>_fails`, and what the failing one must say. */
const PAIRS: { name: string; passes: string; fails: string; expected: string; actual: string }[] = [
  {
    name: "bot_uttered_utter_name",
    passes: userStep("bot_uttered_utter_name_passes", START, assertions("bot_uttered: {utter_name: utter_ask_recipient}")),
    fails: userStep("bot_uttered_utter_name_fails", START, assertions("bot_uttered: {utter_name: utter_ask_amount}")),
    expected: "bot_uttered utter_ask_amount",
    actual: "the turn sent: utter_ask_recipient",
  },
  {
    name: "bot_uttered_text_matches",
    // a Python regular expression: the inline flag makes it ignore case
    passes: userStep("bot_uttered_text_matches_passes", JOHN, assertions('bot_uttered: {text_matches: "(?i)^how much should JOHN"}')),
    fails: userStep("bot_uttered_text_matches_fails", JOHN, assertions('bot_uttered: {text_matches: "Mary"}')),
    expected: "bot_uttered text matching /Mary/",
    actual: 'the turn sent: utter_ask_amount with text "How much should John get?"',
  },
  {
    name: "bot_uttered_buttons",
    // as in Rasa, the buttons are compared pairwise: listing the first one is enough
    passes: userStep("bot_uttered_buttons_passes", JOHN, assertions('bot_uttered: {buttons: [{title: "50", payload: /SetSlots(amount=50)}]}')),
    fails: userStep("bot_uttered_buttons_fails", JOHN, assertions('bot_uttered: {buttons: [{title: "50", payload: /SetSlots(amount=60)}]}')),
    expected: 'bot_uttered buttons "50" → /SetSlots(amount=60)',
    actual: 'the turn sent: utter_ask_amount with buttons "50" → /SetSlots(amount=50), "100" → /SetSlots(amount=100)',
  },
  {
    name: "bot_did_not_utter",
    passes: userStep("bot_did_not_utter_passes", START, assertions("bot_did_not_utter: {utter_name: utter_ask_amount}")),
    fails: userStep("bot_did_not_utter_fails", START, assertions("bot_did_not_utter: {utter_name: utter_ask_recipient}")),
    expected: "bot_did_not_utter utter_ask_recipient",
    actual: "the turn sent: utter_ask_recipient",
  },
  {
    name: "slot_was_set",
    passes: userStep("slot_was_set_passes", JOHN, assertions("slot_was_set: [{name: recipient, value: John}]")),
    fails: userStep("slot_was_set_fails", JOHN, assertions("slot_was_set: [{name: recipient, value: Mary}]")),
    expected: 'slot_was_set recipient="Mary"',
    actual: 'slots set in the turn: recipient="John"',
  },
  {
    name: "slot_was_not_set",
    passes: userStep("slot_was_not_set_passes", JOHN, assertions("slot_was_not_set: [{name: amount}]")),
    fails: userStep("slot_was_not_set_fails", JOHN, assertions("slot_was_not_set: [{name: recipient}]")),
    expected: "slot_was_not_set recipient",
    actual: 'slots set in the turn: recipient="John"',
  },
  {
    name: "flow_started",
    passes: userStep("flow_started_passes", START, assertions("flow_started: transfer_money")),
    fails: userStep("flow_started_fails", START, assertions("flow_started: check_balance")),
    expected: "flow_started check_balance",
    actual: "flows started in the turn: transfer_money, pattern_collect_information",
  },
  {
    name: "flow_completed",
    passes: userStep("flow_completed_passes", "start flow check_balance", assertions("flow_completed: {flow_id: check_balance, flow_step_id: tell_balance}")),
    fails: userStep("flow_completed_fails", "start flow check_balance", assertions("flow_completed: {flow_id: transfer_money}")),
    expected: "flow_completed transfer_money",
    actual: "flows completed in the turn: check_balance at step tell_balance, pattern_completed at step",
  },
  {
    name: "flow_cancelled",
    passes: `${userStep("flow_cancelled_passes", START, "      - utter: utter_ask_recipient\n")}      - user: stop\n        commands: [cancel flow]\n${assertions("flow_cancelled: {flow_id: transfer_money}")}`,
    fails: `${userStep("flow_cancelled_fails", START, "      - utter: utter_ask_recipient\n")}      - user: stop\n        commands: [cancel flow]\n${assertions("flow_cancelled: {flow_id: check_balance}")}`,
    expected: "flow_cancelled check_balance",
    actual: "flows cancelled in the turn: transfer_money at step transfer_money_0_collect_recipient",
  },
  {
    name: "action_executed",
    passes: userStep("action_executed_passes", `${JOHN}, set slot amount 50`, assertions("action_executed: check_funds")),
    fails: userStep("action_executed_fails", `${JOHN}, set slot amount 50`, assertions("action_executed: utter_done")),
    expected: "action_executed utter_done",
    actual: "actions of the turn: action_run_slot_rejections, action_run_slot_rejections, check_funds, action_run_slot_rejections, utter_ask_confirmed, action_listen",
  },
  {
    name: "pattern_clarification_contains",
    passes: userStep("pattern_clarification_contains_passes", "disambiguate flows transfer_money check_balance", assertions("pattern_clarification_contains: [transfer money, check balance]")),
    fails: userStep("pattern_clarification_contains_fails", "disambiguate flows transfer_money check_balance", assertions("pattern_clarification_contains: [welcome]")),
    expected: "pattern_clarification_contains welcome",
    actual: "the clarification offered: check balance, transfer money",
  },
  // The step style: a user step's turn must send exactly the bot steps that follow it.
  {
    name: "user",
    // A bot step needs one message of the turn that matches; the turn may send others too.
    passes: userStep("user_passes", "start flow check_balance", "      - utter: utter_can_do_something_else\n"),
    fails: userStep("user_fails", START, "      - utter: utter_balance\n"),
    expected: "a bot message utter_balance",
    actual: "the turn sent: utter_ask_recipient",
  },
  {
    name: "bot",
    passes: userStep("bot_passes", START, "      - bot: Who should get the money?\n"),
    fails: userStep("bot_fails", START, "      - bot: Who gets it?\n"),
    expected: 'a bot message "Who gets it?"',
    actual: 'the turn sent: utter_ask_recipient "Who should get the money?"',
  },
  {
    name: "utter",
    passes: userStep("utter_passes", START, "      - utter: utter_ask_recipient\n"),
    fails: userStep("utter_fails", START, "      - utter: utter_ask_amount\n"),
    expected: "a bot message utter_ask_amount",
    actual: "the turn sent: utter_ask_recipient",
  },
  {
    name: "step_slot_was_set",
    passes: userStep("step_slot_was_set_passes", JOHN, "      - utter: utter_ask_amount\n      - slot_was_set:\n          - recipient: John\n"),
    fails: userStep("step_slot_was_set_fails", JOHN, "      - utter: utter_ask_amount\n      - slot_was_set:\n          - recipient: Mary\n"),
    expected: 'slot_was_set recipient="Mary"',
    actual: 'slots set in the turn: recipient="John"',
  },
  {
    name: "step_slot_was_not_set",
    passes: userStep("step_slot_was_not_set_passes", JOHN, "      - utter: utter_ask_amount\n      - slot_was_not_set:\n          - amount\n"),
    fails: userStep("step_slot_was_not_set_fails", JOHN, "      - utter: utter_ask_amount\n      - slot_was_not_set:\n          - recipient\n"),
    expected: "slot_was_not_set recipient",
    actual: 'slots set in the turn: recipient="John"',
  },
  // Fixtures set slots before the first message: the welcome names the fixture's membership.
  {
    name: "fixtures",
    passes: userStep("fixtures_passes", "start flow welcome", assertions('bot_uttered: {text_matches: "Welcome, gold member"}'), "    fixtures: [gold]\n"),
    fails: userStep("fixtures_fails", "start flow welcome", assertions('bot_uttered: {text_matches: "Welcome, gold member"}'), "    fixtures: [silver]\n"),
    expected: "bot_uttered text matching /Welcome, gold member/",
    actual: 'the turn sent: utter_welcome with text "Welcome, silver member.", utter_can_do_something_else with text',
  },
  // `test_case::check_funds` stubs the action for its own test case only.
  {
    name: "stub_for_a_test_case",
    passes: userStep("stub_for_a_test_case_passes", `${JOHN}, set slot amount 50`, assertions("bot_uttered: {utter_name: utter_no_funds}")),
    fails: userStep("stub_for_a_test_case_fails", `${JOHN}, set slot amount 50`, assertions("bot_uttered: {utter_name: utter_no_funds}")),
    expected: "bot_uttered utter_no_funds",
    actual: "the turn sent: utter_ask_confirmed",
  },
];

const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
  stub_for_a_test_case_passes::check_funds:
    events: [{event: slot, name: has_funds, value: false}]
fixtures:
  - gold:
      - membership: gold
  - silver:
      - membership: silver
test_cases:
${PAIRS.map((pair) => `${pair.passes}${pair.fails}`).join("")}`;

interface Failure {
  step: number;
  expected: string;
  actual: string;
  trace?: { test_case: string; step: number };
}

describe("e2e assertions and step styles against the runtime", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/cases.yml": TESTS });
  let report: { test_cases: { name: string; passed: boolean; failures: Failure[] }[] };
  let text: string;

  beforeAll(async () => {
    const json = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(json.err).toBe("");
    report = JSON.parse(json.out) as typeof report;
    text = (await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir)).out;
  });

  for (const pair of PAIRS) {
    it(`${pair.name}: passes, and fails saying what was expected and what the turn did`, () => {
      const passes = report.test_cases.find((result) => result.name === `${pair.name}_passes`);
      expect(passes?.failures).toEqual([]);
      expect(passes?.passed).toBe(true);
      const fails = report.test_cases.find((result) => result.name === `${pair.name}_fails`);
      expect(fails?.passed).toBe(false);
      expect(fails?.failures).toHaveLength(1);
      const failure = fails!.failures[0]!;
      expect(failure.expected).toBe(pair.expected);
      expect(failure.actual.startsWith(pair.actual), failure.actual).toBe(true);
      expect(failure.trace).toMatchObject({ test_case: `${pair.name}_fails`, step: failure.step });
    });
  }

  it("prints the failing turn's trace line under expected and actual", () => {
    const lines = text.split("\n");
    const at = lines.indexOf("failed: utter_fails");
    expect(lines.slice(at + 2, at + 4)).toEqual(["    expected: a bot message utter_ask_amount", "    actual:   the turn sent: utter_ask_recipient"]);
    const trace = JSON.parse(lines[at + 4]!.replace(/^ {4}trace: {4}/, "")) as Record<string, unknown>;
    expect(trace).toMatchObject({
      test_case: "utter_fails",
      step: 0,
      actions: ["action_run_slot_rejections", "utter_ask_recipient", "action_listen"],
      bot: [{ response: "utter_ask_recipient", text: "Who should get the money?" }],
    });
    expect(lines.at(-1)).toBe(`${PAIRS.length} passed, ${PAIRS.length} failed`);
  });
});

describe("metadata", () => {
  const METADATA = `metadata:
  - web:
      channel: web
  - voice:
      channel: voice
test_cases:
  - test_case: metadata_passes
    metadata: web
    steps:
      - user: hi
        commands: [start flow welcome]
        assertions:
          - slot_was_set: [{name: channel, value: web}]
  - test_case: metadata_fails
    metadata: web
    steps:
      - user: hi
        metadata: voice
        commands: [start flow welcome]
        assertions:
          - slot_was_set: [{name: channel, value: web}]
`;
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/metadata.yml": METADATA });

  it("goes with the user message to custom actions, the step's over the test case's", async () => {
    const loaded = await loadAssistant(["domain.yml", "flows.yml"], dir);
    const tests = loadTestFiles(["e2e"], dir);
    expect(tests.problems).toEqual([]);
    // An implementation of detect_channel that reads the message's metadata.
    const actions: CustomActionMap = { detect_channel: (context) => ({ slots: { channel: context.metadata?.["channel"] ?? null } }) };
    const results = await runTestCases(() => loaded.create!({ actions, frameIds: sequentialFrameIds() }), tests.suite);
    expect(results.map((result) => [result.name, result.passed])).toEqual([
      ["metadata_passes", true],
      ["metadata_fails", false],
    ]);
    expect(results[1]!.failures.map((failure) => [failure.expected, failure.actual])).toEqual([['slot_was_set channel="web"', 'slots set in the turn: channel="voice"']]);
  });

  it("that names no entry of `metadata` is warned of, and the message goes without it (Rasa's runner logs it)", async () => {
    const text = "metadata:\n  - web: {channel: web}\ntest_cases:\n  - test_case: t\n    metadata: mobile\n    steps:\n      - user: hi\n";
    const { problems, suite } = parseTestTexts([{ path: "t.yml", text }]);
    expect(problems).toEqual([]);
    const loaded = await loadAssistant(["domain.yml", "flows.yml"], dir);
    expect(checkTestNames(suite, loaded.compiled!).map((warning) => [warning.code, warning.line, warning.message])).toEqual([["FLW5042", 5, "no metadata named `mobile` (metadata: web): Rasa's runner sends none for it"]]);
  });
});
