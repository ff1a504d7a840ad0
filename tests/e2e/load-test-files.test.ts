/**
 * Reading e2e test files (design §3.2): Rasa's format with flowc's two extensions, and every
 * malformed file reported with its file and line instead of an exception.
 */
import { describe, expect, it } from "vitest";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { formatText } from "../../compiler/diagnostics/format.ts";

function load(text: string, path = "tests/e2e/money.yml") {
  return parseTestTexts([{ path, text }]);
}

const GOOD = `stub_custom_actions:
  check_funds:
    events:
      - event: slot
        name: has_funds
        value: true
    responses:
      - text: Checked.
  transfer_low_funds::check_funds:
    events: [{event: slot, name: has_funds, value: false}]
fixtures:
  - premium:
      - membership: premium
metadata:
  - web:
      channel: web
test_cases:
  - test_case: transfer_happy
    fixtures: [premium]
    metadata: web
    steps:
      - user: I want to send money to John
        commands:
          - start flow transfer_money
          - set slot recipient John
        stub_custom_actions:
          check_funds:
            responses: [{response: utter_checked}]
        assertions:
          - bot_uttered:
              utter_name: utter_ask_amount
              text_matches: "How much"
          - slot_was_set:
              - name: recipient
                value: John
              - name: amount
          - flow_started: transfer_money
          - flow_completed: {flow_id: transfer_money}
          - flow_cancelled: {flow_id: other, flow_step_id: ask}
          - action_executed: action_run_slot_rejections
          - pattern_clarification_contains: [a, b]
      - user: 50
      - utter: utter_ask_confirm
      - bot: Send 50 to John?
      - slot_was_set:
          - amount: 50
          - recipient
      - slot_was_not_set: [confirm]
      - user: ok
        commands: []
  - test_case: transfer_low_funds
    steps:
      - user: hi
`;

describe("loading e2e test files", () => {
  it("reads test cases, steps, assertions, stubs and fixtures", () => {
    const { suite, problems } = load(GOOD);
    expect(problems).toEqual([]);
    expect(suite.testCases.map((t) => t.name)).toEqual(["transfer_happy", "transfer_low_funds"]);
    const [happy] = suite.testCases;
    expect(happy!.fixtures).toEqual(["premium"]);
    expect(happy!.usesAssertions).toBe(true);
    expect(happy!.at).toMatchObject({ file: "tests/e2e/money.yml", line: 18 });
    const [first, second, third] = happy!.steps;
    expect(first!.commands).toEqual(["start flow transfer_money", "set slot recipient John"]);
    expect(first!.stubs.get("check_funds")).toEqual({ slots: [], messages: [{ response: "utter_checked" }] });
    expect(first!.assertions.map((a) => a.kind)).toEqual([
      "bot_uttered",
      "slot_was_set",
      "flow_started",
      "flow_completed",
      "flow_cancelled",
      "action_executed",
      "pattern_clarification_contains",
    ]);
    expect(first!.assertions[4]).toMatchObject({ flowId: "other", stepId: "ask" });
    expect(first!.assertions[1]).toMatchObject({ slots: [{ name: "recipient", value: { is: "John" } }, { name: "amount" }] });
    expect(first!.assertions[1]!.kind === "slot_was_set" && "value" in first!.assertions[1]!.slots[1]!).toBe(false);
    // `user: 50` is the text the test wrote, not a number; no `commands`: the generator's turn.
    expect(second!.user).toBe("50");
    expect(second!.commands).toBeUndefined();
    expect(second!.botSteps).toMatchObject([{ kind: "utter", response: "utter_ask_confirm" }, { kind: "bot", text: "Send 50 to John?" }]);
    expect(second!.slotWasSet).toMatchObject([{ name: "amount", value: { is: 50 } }, { name: "recipient" }]);
    expect(second!.slotWasNotSet).toMatchObject([{ name: "confirm" }]);
    expect(third!.commands).toEqual([]);
    expect(suite.stubs.get("check_funds")).toEqual({ slots: [{ name: "has_funds", value: true }], messages: [{ text: "Checked." }] });
    expect(suite.stubs.get("transfer_low_funds::check_funds")).toEqual({ slots: [{ name: "has_funds", value: false }], messages: [] });
    expect(suite.fixtures.get("premium")).toEqual([{ name: "membership", value: "premium" }]);
  });

  it("skips YAML files that are not test files", () => {
    const { suite, problems } = load("flows:\n  greet:\n    steps: []\n", "flows.yml");
    expect(problems).toEqual([]);
    expect(suite.testCases).toEqual([]);
  });

  it("reports invalid YAML with its file and line", () => {
    const { problems } = load("test_cases:\n  - test_case: a\n    steps: [\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "tests/e2e/money.yml" });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]!.message).toMatch(/invalid YAML/);
  });

  it("reports every bad step with its line", () => {
    const text = `test_cases:
  - test_case: a
    steps:
      - user: hi
        asserts: []
      - user: hi
        bot: hello
      - user: hi
        commands: start flow x
      - slot_was_set: recipient
      - user: hi
        assertions:
          - bot_uttered: {}
          - flow_started: {flow_id: x}
          - generative_response_is_relevant: {threshold: 0.9}
          - bot_uttered: {text_matches: "("}
          - what_is_this: x
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, expect.stringContaining("unknown key `asserts` of a `user` step")],
      [6, expect.stringContaining("a step has one kind")],
      [9, expect.stringContaining("`commands` must be a list")],
      [10, expect.stringContaining("`slot_was_set` takes a list")],
      [13, expect.stringContaining("`bot_uttered` takes at least one of")],
      [14, expect.stringContaining("`flow_started` takes a flow id")],
      [15, expect.stringContaining("needs an LLM judge")],
      [16, expect.stringContaining("`text_matches` is not a regular expression")],
      [17, expect.stringContaining("unknown assertion `what_is_this`")],
    ]);
    expect(problems.map((p) => p.code)).toEqual(["FLW5010", "FLW5014", "FLW5011", "FLW5011", "FLW5011", "FLW5011", "FLW5033", "FLW5034", "FLW5032"]);
    expect(problems[0]).toMatchObject({ column: 9 });
    expect(formatText(problems[0]!)).toContain("\n5 |         asserts: []\n  |         ^^^^^^^");
  });

  it("says that `flow_started` with `operator` and `flow_ids` is a later Rasa's form, and how Rasa 3.12 writes it", () => {
    const text = `test_cases:
  - test_case: a
    steps:
      - user: hi
        assertions:
          - flow_started:
              operator: "all"
              flow_ids:
                - "flow_get_store_hours"
          - flow_started:
              operator: any
              flow_ids: [a, b]
          - flow_started: {operator: all}
          - flow_started: {flow_id: x}
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.code, p.line])).toEqual([["FLW5011", 6], ["FLW5011", 10], ["FLW5011", 13], ["FLW5011", 14]]);
    expect(problems[0]!.message).toBe("`flow_started` takes a flow id: `operator` and `flow_ids` are the form of a Rasa version after 3.12, which Rasa 3.12 does not read; write `- flow_started: flow_get_store_hours`");
    expect(problems[1]!.message).toContain("one `- flow_started: <flow id>` for the flow that starts (`operator: any` has no 3.12 form)");
    expect(problems[2]!.message).toContain("write `- flow_started: <flow id>`");
    expect(problems[3]!.message).toBe("`flow_started` takes a flow id");
  });

  it("keeps the steps before the first user step (or after a leading blank one) for the session's start, as Rasa's runner checks them there", () => {
    const text = `test_cases:
  - test_case: greeted
    steps:
      - utter: utter_greet
      - slot_was_set:
          - tier: gold
      - user: hi
      - utter: utter_hello
  - test_case: only_the_start
    steps:
      - bot: Welcome!
  - test_case: after_a_blank_one
    steps:
      - user: ""
      - slot_was_not_set:
          - tier
  - test_case: nothing_to_check
    steps:
      - user: "  "
`;
    const { suite, problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([[19, "a test case needs at least one `user` step"]]);
    const [greeted, start, blank] = suite.testCases;
    expect(greeted!.sessionStart).toMatchObject({ botSteps: [{ kind: "utter", response: "utter_greet" }], slotWasSet: [{ name: "tier", value: { is: "gold" } }], slotWasNotSet: [], at: { line: 4, column: 9 } });
    expect(greeted!.steps.map((step) => [step.user, step.botSteps.length])).toEqual([["hi", 1]]);
    expect(start!.sessionStart?.botSteps).toMatchObject([{ kind: "bot", text: "Welcome!" }]);
    expect(start!.steps).toEqual([]);
    expect(blank!.sessionStart?.slotWasNotSet).toMatchObject([{ name: "tier" }]);
  });

  it("reports a blank `bot:` step, which Rasa reads as no text", () => {
    // Rasa's TestStep.from_dict (e2e_test_case.py) keeps a blank text as None, and such a `bot:`
    // step matches no message, its verdict left to the step before it (find_test_failures).
    const text = `test_cases:
  - test_case: a
    steps:
      - user: hi
      - bot: "  "
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([[5, expect.stringContaining("a blank `bot:` step")]]);
  });

  it("reports fixture and metadata names and keys that Rasa's schema refuses", () => {
    // rasa/e2e_test/e2e_test_schema.yml: the names of fixtures and metadata entries, the slots a
    // fixture sets and the keys of a metadata entry are letters, digits and `_`, not starting with a digit.
    const text = `fixtures:
  - gold-plan:
      - membership: gold
  - silver:
      - member-ship: silver
metadata:
  - 1st:
      channel: web
  - web:
      user-id: 7
test_cases:
  - test_case: a
    steps:
      - user: hi
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringContaining("the fixture name `gold-plan`")],
      [5, expect.stringContaining("the slot name `member-ship`")],
      [7, expect.stringContaining("the metadata name `1st`")],
      [10, expect.stringContaining("the metadata key `user-id`")],
    ]);
  });

  it("reads an empty top-level `fixtures:`, `metadata:`, `stub_custom_actions:` or `test_cases:` as none", () => {
    // Rasa's schema leaves them nullable, and rasa/e2e_test/utils/io.py reads each with `or []` / `or {}`.
    const { suite, problems } = load("fixtures:\nmetadata:\nstub_custom_actions:\ntest_cases:\n");
    expect(problems).toEqual([]);
    expect(suite.testCases).toEqual([]);
    expect(load("fixtures:\nmetadata:\nstub_custom_actions:\ntest_cases:\n  - test_case: a\n    steps: [{user: hi}]\n").problems).toEqual([]);
  });

  it("reports a test case without a name or steps, and duplicate names", () => {
    const text = `test_cases:
  - steps: [{user: hi}]
  - test_case: a
  - test_case: b
    steps: [{user: hi}]
  - test_case: b
    steps: [{user: hi}]
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringContaining("needs a name")],
      [3, expect.stringContaining("needs `steps`")],
      [6, expect.stringContaining("a second test case named `b`")],
    ]);
  });

  it("reports stubs and fixtures that are malformed or name nothing (a fixture name no file defines is no problem: Rasa's runner goes on)", () => {
    const text = `stub_custom_actions:
  nobody::check_funds: {}
  check_funds:
    events:
      - event: bot
        text: hi
    responses:
      - {}
fixtures:
  - premium: {membership: premium}
test_cases:
  - test_case: a
    fixtures: [gold]
    steps:
      - user: hi
        stub_custom_actions:
          a::check_funds: {}
`;
    const { problems } = load(text);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, expect.stringContaining("a stub's events are slot events")],
      [8, expect.stringContaining("a stub's response is")],
      [10, expect.stringContaining("the fixture `premium` takes a list")],
      [17, expect.stringContaining("name the action without `test_case::`")],
      [2, expect.stringContaining("names no test case `nobody`")],
    ]);
  });
});

describe("a stub's responses with quick_replies, attachment and elements", () => {
  // rasa/e2e_test/stub_custom_action.py: StubCustomAction.from_dict keeps each response as given,
  // and RemoteAction._utter_responses sends its keys on (create_bot_utterance: quick_replies,
  // attachment and elements are bot event data), so Rasa takes them in a stub.
  it("reads them as the message's, with or without a response", () => {
    const text = `stub_custom_actions:
  show_cards:
    responses:
      - text: Pick
        quick_replies: [{title: A, payload: a}]
        attachment: {type: image}
        elements: [{title: E}]
      - response: utter_checked
        quick_replies: [{title: B, payload: b}]
        name: Ann
test_cases:
  - test_case: t
    steps:
      - user: hi
`;
    const { suite, problems } = load(text);
    expect(problems).toEqual([]);
    expect(suite.stubs.get("show_cards")?.messages).toEqual([
      { text: "Pick", quick_replies: [{ title: "A", payload: "a" }], attachment: { type: "image" }, elements: [{ title: "E" }] },
      { response: "utter_checked", quick_replies: [{ title: "B", payload: "b" }], values: { name: "Ann" } },
    ]);
  });
});

describe("a YAML file beside the test files that is not one", () => {
  // Rasa's conftest.yml (the LLM judge's settings) may name `${OPENAI_API_KEY}`; flowc skips it.
  it("is skipped without expanding its variables", () => {
    const loaded = parseTestTexts([
      { path: "e2e/conftest.yml", text: "llm_as_judge:\n  api_key: ${JUDGE_KEY}\n" },
      { path: "e2e/t.yml", text: "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n" },
    ]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.suite.testCases.map((testCase) => testCase.name)).toEqual(["t"]);
    const broken = parseTestTexts([{ path: "e2e/t.yml", text: "test_cases:\n  - test_case: t\n    steps:\n      - user: ${GREETING}\n" }]);
    expect(broken.problems.map((problem) => problem.message)).toEqual([expect.stringContaining("`GREETING` is not set")]);
  });
});
