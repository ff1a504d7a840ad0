/**
 * FLW5045: a step-style check (`utter:`, `bot:`, `slot_was_set:`, `slot_was_not_set:`) in a test
 * case that uses assertions. Rasa's runner judges such a test case by its assertions alone
 * (TestCase.uses_assertions: some step has the key `assertions`, an empty list too), so the
 * step is never checked. flowc warns of each such step, at its key, with the assertion that
 * checks the same thing as the help; the test case runs as written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadAssistant, type LoadedAssistant } from "../../compiler/e2e/load-assistant.ts";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { runTestCases } from "../../compiler/e2e/run-test-cases.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import { project } from "../support/cli.ts";

const DOMAIN = `
slots:
  name:
    type: text
    mappings:
      - type: from_llm
  age:
    type: float
    mappings:
      - type: from_llm
responses:
  utter_greet:
    - text: Hello!
  utter_ask_name:
    - text: "What is your name? (first name only)"
  utter_ask_age:
    - text: How old are you?
`;

const FLOWS = `
flows:
  greet:
    description: Greets the user.
    # Kept when the flow ends, so that the last turn's slot_was_not_set sees age's value.
    persisted_slots: [name, age]
    steps:
      - action: utter_greet
      - collect: name
      - collect: age
`;

function warningsOf(text: string) {
  const loaded = parseTestTexts([{ path: "t.yml", text }]);
  expect(loaded.problems).toEqual([]);
  return loaded.warnings.filter((warning) => warning.code === "FLW5045");
}

const MIXED = `test_cases:
  - test_case: mixed
    steps:
      - user: hi
        commands: [start flow greet]
        assertions:
          - flow_started: greet
      - utter: utter_greet
      - bot: "What is your name? (first name only)"
      - user: Ann
        commands: [set slot name Ann]
      - slot_was_set:
          - name
          - name: Ann
      - user: "42"
        commands: [set slot age 42]
      - slot_was_not_set: [name, {age: 41}]
`;

describe("FLW5045: a step-style check in a test case with assertions", () => {
  it("warns of each step-style step, at its key, naming the line of the assertions", () => {
    const warnings = warningsOf(MIXED);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual(
      [
        ["8:9", "utter:"],
        ["9:9", "bot:"],
        ["12:9", "slot_was_set:"],
        ["17:9", "slot_was_not_set:"],
      ].map(([at, kind]) => `${at} this \`${kind}\` step is never checked: the test case has \`assertions\` (line 6), and Rasa's runner judges a test case with assertions by its assertions alone`),
    );
    expect(warnings.map((w) => w.severity)).toEqual(["warning", "warning", "warning", "warning"]);
  });

  it("helps with the assertion that checks the same, under the user step the check follows", () => {
    expect(warningsOf(MIXED).map((w) => w.suggestion)).toEqual([
      "move it into the `user:` step of line 4, as an item of its `assertions`: `- bot_uttered: {utter_name: utter_greet}`",
      "move it into the `user:` step of line 4, as an item of its `assertions`: `- bot_uttered: {text_matches: '^What is your name\\? \\(first name only\\)$'}`",
      "move it into the `user:` step of line 10, as an item of its `assertions`: `- slot_was_set: [{name: name}, {name: name, value: Ann}]`",
      "move it into the `user:` step of line 15, as an item of its `assertions`: `- slot_was_not_set: [{name: name}, {name: age, value: 41}]`",
    ]);
  });

  it("counts an empty `assertions` list, as Rasa does, and any user step's", () => {
    const text = "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        commands: [start flow greet]\n      - utter: utter_greet\n      - user: Ann\n        commands: [set slot name Ann]\n        assertions: []\n";
    const warnings = warningsOf(text);
    expect(warnings.map((w) => `${w.line}:${w.column}`)).toEqual(["6:9"]);
    expect(warnings[0]!.message).toContain("(line 9)");
  });

  it("says that nothing checks the session's start in a test case with assertions", () => {
    const text = "test_cases:\n  - test_case: t\n    steps:\n      - slot_was_not_set: [name]\n      - user: hi\n        commands: [start flow greet]\n        assertions:\n          - flow_started: greet\n";
    expect(warningsOf(text).map((w) => [w.line, w.suggestion])).toEqual([
      [4, "an assertion reads the turn of a `user:` step, so nothing checks the session's start in a test case with assertions: remove this step, or check the session's start in a test case without `assertions`"],
    ]);
  });

  it("does not warn of a test case without assertions, beside one with them", () => {
    const text = `${MIXED}  - test_case: steps_only\n    steps:\n      - user: hi\n        commands: [start flow greet]\n      - utter: utter_greet\n      - slot_was_not_set: [name]\n`;
    expect(warningsOf(text).map((w) => w.line)).toEqual([8, 9, 12, 17]);
  });

  it("writes names and values that YAML would read otherwise in quotes, and a text's line break as an escape", () => {
    const text = 'test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        commands: [start flow greet]\n        assertions: []\n      - slot_was_set:\n          - "yes": "no"\n          - name: "it\'s 5"\n          - age: 5\n      - bot: "a\\nb"\n';
    expect(warningsOf(text).map((w) => w.suggestion)).toEqual([
      'move it into the `user:` step of line 4, as an item of its `assertions`: `- slot_was_set: [{name: "yes", value: "no"}, {name: name, value: "it\'s 5"}, {name: age, value: 5}]`',
      'move it into the `user:` step of line 4, as an item of its `assertions`: `- bot_uttered: {text_matches: "^a\\nb$"}`',
    ]);
  });

  describe("against the assistant", () => {
    let assistant: LoadedAssistant;
    beforeAll(async () => {
      assistant = await loadAssistant(["domain.yml", "flows.yml"], project({ "domain.yml": DOMAIN, "flows.yml": FLOWS }));
    });

    async function verdicts(text: string): Promise<Record<string, boolean>> {
      const loaded = parseTestTexts([{ path: "t.yml", text }]);
      expect(loaded.problems).toEqual([]);
      const results = await runTestCases(() => assistant.create!({ frameIds: sequentialFrameIds() }), loaded.suite);
      return Object.fromEntries(results.map((result) => [result.name, result.failures.length === 0]));
    }

    it("the warned steps are not checked: a test case whose step-style checks all fail passes", async () => {
      const wrong = MIXED.replace("utter: utter_greet", "utter: utter_ask_age").replace("name: Ann", "name: Bob").replace("[name, {age: 41}]", "[name, {age: 42}]");
      expect(warningsOf(wrong)).toHaveLength(4);
      expect(await verdicts(wrong)).toEqual({ mixed: true });
    });

    it("the helps' assertions, moved into their user steps, check what the steps meant: they pass, and fail when the turn differs", async () => {
      const moved = (bot: string, name: string, age: number) => `test_cases:
  - test_case: moved
    steps:
      - user: hi
        commands: [start flow greet]
        assertions:
          - flow_started: greet
          - bot_uttered: {utter_name: ${bot}}
          - bot_uttered: {text_matches: '^What is your name\\? \\(first name only\\)$'}
      - user: Ann
        commands: [set slot name Ann]
        assertions:
          - slot_was_set: [{name: name}, {name: name, value: ${name}}]
      - user: "42"
        commands: [set slot age 42]
        assertions:
          - slot_was_not_set: [{name: name}, {name: age, value: ${age}}]
`;
      expect(warningsOf(moved("utter_greet", "Ann", 41))).toEqual([]);
      expect(await verdicts(moved("utter_greet", "Ann", 41))).toEqual({ moved: true });
      expect(await verdicts(moved("utter_ask_age", "Ann", 41))).toEqual({ moved: false });
      expect(await verdicts(moved("utter_greet", "Bob", 41))).toEqual({ moved: false });
      expect(await verdicts(moved("utter_greet", "Ann", 42))).toEqual({ moved: false });
    });
  });
});
