/**
 * Every problem `flowc test` finds in its test files has a code of the diagnostic catalogue
 * (FLW5xxx for the files' own problems, the FLW0xxx and FLW1xxx codes of reading YAML): one row
 * per place in compiler/e2e/load-test-files.ts that reports one, each the smallest test file that
 * has exactly that problem. Then the problems as `flowc test` prints them: the JSON diagnostics
 * of `compile --format json`, and `compile`'s text form.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics, type DiagnosticKey } from "../../compiler/diagnostics/catalogue.ts";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { loadTestFiles, parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import type { TestFileProblem } from "../../compiler/e2e/test-model.ts";
import { project, run, runBin } from "../support/cli.ts";
import { temporaryFolder } from "../support/temp.ts";

interface Row {
  readonly key: DiagnosticKey;
  readonly title: string;
  /** The test files, by path; a string is `t.yml`. */
  readonly files: string | Readonly<Record<string, string>>;
  /** 1-based line of the problem in the first file. */
  readonly line?: number;
}

/** A test file with one test case `t`, whose first step is `user: hi` followed by the lines of `rest` (indented as that step's keys). */
function userStep(rest: string): string {
  return `test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n${rest.split("\n").map((line) => `        ${line}`).join("\n")}\n`;
}

/** A test file with one test case `t`: `user: hi`, then the steps of `rest` (each a list item). */
function steps(rest: string): string {
  return `test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n${rest.split("\n").map((line) => `      ${line}`).join("\n")}\n`;
}

/** A test file whose one user step has the assertion `assertion` (the text after `- `). */
function assertion(text: string): string {
  return userStep(`assertions:\n  - ${text}`);
}

/** A test file with one good test case and the top-level `extra` lines before it. */
function topLevel(extra: string): string {
  return `${extra}\n${steps("- utter: utter_greet")}`;
}

const ROWS: readonly Row[] = [
  // ---- the files as YAML, and the paths (as the assistant's files are read)
  { key: "yamlSyntax", title: "YAML that does not parse", files: "test_cases:\n  - test_case: t\n    steps: [\n", line: 4 },
  { key: "duplicateKey", title: "a key twice in a mapping", files: "test_cases:\n  - test_case: t\n    test_case: u\n    steps: [{user: hi}]\n", line: 3 },
  { key: "undefinedEnvVar", title: "an unset ${VAR}", files: steps("- user: I am ${FLOWC_TEST_FILE_CODES_UNSET}"), line: 5 },

  // ---- FLW5010 unknown keys, at every level
  { key: "unknownTestKey", title: "at the top level", files: topLevel("stubs: {}"), line: 1 },
  { key: "unknownTestKey", title: "of a test case", files: "test_cases:\n  - test_case: t\n    tags: [a]\n    steps: [{user: hi}]\n", line: 3 },
  { key: "unknownTestKey", title: "of a user step", files: userStep("asserts: []"), line: 5 },
  { key: "unknownTestKey", title: "of a bot step", files: steps("- utter: utter_greet\n  extra: 1"), line: 6 },
  { key: "unknownTestKey", title: "of flow_completed", files: assertion("flow_completed: {flow_id: f, step: s}"), line: 6 },
  { key: "unknownTestKey", title: "of bot_uttered", files: assertion("bot_uttered: {utter_name: utter_greet, text: hi}"), line: 6 },
  { key: "unknownTestKey", title: "of an asserted button", files: assertion("bot_uttered: {buttons: [{title: a, payload: b, extra: c}]}"), line: 6 },
  { key: "unknownTestKey", title: "of an entry of slot_was_set", files: assertion("slot_was_set: [{name: a, val: 1}]"), line: 6 },
  { key: "unknownTestKey", title: "of a stub", files: topLevel("stub_custom_actions:\n  a: {events: [], extra: 1}"), line: 2 },
  { key: "unknownTestKey", title: "of a stub's slot event", files: topLevel("stub_custom_actions:\n  a: {events: [{event: slot, name: s, value: 1, extra: 2}]}"), line: 2 },
  { key: "unknownTestKey", title: "of a stub's response", files: topLevel("stub_custom_actions:\n  a: {responses: [{text: hi, extra: 1}]}"), line: 2 },

  // ---- FLW5011 values of the wrong type or shape
  { key: "wrongTestValue", title: "`test_cases` not a list", files: "test_cases: {t: 1}\n", line: 1 },
  { key: "wrongTestValue", title: "a test case not a mapping", files: "test_cases: [t]\n", line: 1 },
  { key: "wrongTestValue", title: "a step not a mapping", files: steps("- hello"), line: 5 },
  { key: "wrongTestValue", title: "`utter` not a name", files: steps("- utter: [a]"), line: 5 },
  { key: "wrongTestValue", title: "`bot` not a text", files: steps("- bot: [a]"), line: 5 },
  { key: "wrongTestValue", title: "`user` not a text", files: "test_cases:\n  - test_case: t\n    steps:\n      - user: [hi]\n      - user: hello\n", line: 4 },
  { key: "wrongTestValue", title: "`assertion_order_enabled` not a boolean", files: userStep("assertion_order_enabled: yes\nassertions: [{flow_started: f}]"), line: 5 },
  { key: "wrongTestValue", title: "`commands` not a list", files: userStep("commands: start flow f"), line: 5 },
  { key: "wrongTestValue", title: "a command line not a text", files: userStep("commands: [[start flow f]]"), line: 5 },
  { key: "wrongTestValue", title: "a step's `slot_was_set` not a list", files: steps("- slot_was_set: s"), line: 5 },
  { key: "wrongTestValue", title: "an entry of a step's `slot_was_set` a list", files: steps("- slot_was_set: [[s]]"), line: 5 },
  { key: "wrongTestValue", title: "`assertions` not a list", files: userStep("assertions: {flow_started: f}"), line: 5 },
  { key: "wrongTestValue", title: "an assertion not a mapping", files: userStep("assertions: [flow_started]"), line: 5 },
  { key: "wrongTestValue", title: "`flow_started` not a flow id", files: assertion("flow_started: [f]"), line: 6 },
  { key: "wrongTestValue", title: "`flow_completed` a flow id", files: assertion("flow_completed: f"), line: 6 },
  { key: "wrongTestValue", title: "`flow_step_id` not a step id", files: assertion("flow_cancelled: {flow_id: f, flow_step_id: [s]}"), line: 6 },
  { key: "wrongTestValue", title: "the `slot_was_set` assertion not a list", files: assertion("slot_was_set: s"), line: 6 },
  { key: "wrongTestValue", title: "an entry of the `slot_was_set` assertion without a name", files: assertion("slot_was_not_set: [{value: 1}]"), line: 6 },
  { key: "wrongTestValue", title: "`bot_uttered` without any property", files: assertion("bot_uttered: {}"), line: 6 },
  { key: "wrongTestValue", title: "`utter_name` not a name", files: assertion("bot_uttered: {utter_name: [a]}"), line: 6 },
  { key: "wrongTestValue", title: "`text_matches` not a text", files: assertion("bot_uttered: {text_matches: [a]}"), line: 6 },
  { key: "wrongTestValue", title: "asserted `buttons` not a list", files: assertion("bot_uttered: {buttons: b}"), line: 6 },
  { key: "wrongTestValue", title: "`pattern_clarification_contains` not a list", files: assertion("pattern_clarification_contains: f"), line: 6 },
  { key: "wrongTestValue", title: "a test case's `fixtures` not names", files: "test_cases:\n  - test_case: t\n    fixtures: [[f]]\n    steps: [{user: hi}]\n", line: 3 },
  { key: "wrongTestValue", title: "a test case's `metadata` not a name", files: "test_cases:\n  - test_case: t\n    metadata: [m]\n    steps: [{user: hi}]\n", line: 3 },
  { key: "wrongTestValue", title: "`stub_custom_actions` not a mapping", files: topLevel("stub_custom_actions: [a]"), line: 1 },
  { key: "wrongTestValue", title: "a stub not a mapping", files: topLevel("stub_custom_actions:\n  a: x"), line: 2 },
  { key: "wrongTestValue", title: "a stub's `events` not a list", files: topLevel("stub_custom_actions:\n  a: {events: x}"), line: 2 },
  { key: "wrongTestValue", title: "a stub's event not a slot event", files: topLevel("stub_custom_actions:\n  a: {events: [{event: action}]}"), line: 2 },
  { key: "wrongTestValue", title: "a stub's `responses` not a list", files: topLevel("stub_custom_actions:\n  a: {responses: x}"), line: 2 },
  { key: "wrongTestValue", title: "a stub's response neither text nor response", files: topLevel("stub_custom_actions:\n  a: {responses: [{foo: 1}]}"), line: 2 },
  { key: "wrongTestValue", title: "a stub's response text not a text", files: topLevel("stub_custom_actions:\n  a: {responses: [{text: [hi]}]}"), line: 2 },
  { key: "wrongTestValue", title: "a stub's response buttons without payloads", files: topLevel("stub_custom_actions:\n  a: {responses: [{text: hi, buttons: [{title: a}]}]}"), line: 2 },
  { key: "wrongTestValue", title: "`fixtures` not a list", files: topLevel("fixtures: {f: []}"), line: 1 },
  { key: "wrongTestValue", title: "a fixture without a name", files: topLevel("fixtures: [f]"), line: 1 },
  { key: "wrongTestValue", title: "a fixture's slots not a list", files: topLevel("fixtures: [{f: x}]"), line: 1 },
  { key: "wrongTestValue", title: "`metadata` not a list", files: topLevel("metadata: {m: {}}"), line: 1 },

  // ---- FLW5012, FLW5013, FLW5014: what a test case and a step need
  { key: "missingTestKey", title: "a test case without a name", files: "test_cases:\n  - steps: [{user: hi}]\n", line: 2 },
  { key: "missingTestKey", title: "a slot event without a name", files: topLevel("stub_custom_actions:\n  a: {events: [{event: slot, value: 1}]}"), line: 2 },
  { key: "testCaseWithoutSteps", title: "no `steps`", files: "test_cases:\n  - test_case: t\n", line: 2 },
  { key: "testCaseWithoutSteps", title: "`steps: []`", files: "test_cases:\n  - test_case: t\n    steps: []\n", line: 3 },
  { key: "testCaseWithoutSteps", title: "no user step that sends a message, nor a step before it", files: "test_cases:\n  - test_case: t\n    steps:\n      - user: ''\n", line: 4 },
  { key: "stepKind", title: "a step of no kind", files: steps("- say: hi"), line: 5 },
  { key: "stepKind", title: "a step of two kinds", files: steps("- utter: utter_greet\n  bot: Hello"), line: 5 },

  // ---- FLW5020, FLW5021: names defined twice, or naming nothing
  { key: "secondTestDefinition", title: "a test case of the same name in one file", files: `${steps("- utter: utter_greet")}  - test_case: t\n    steps: [{user: hi}]\n`, line: 6 },
  { key: "secondTestDefinition", title: "a second `test_case::action` stub", files: { "a.yml": topLevel("stub_custom_actions:\n  t::a: {}"), "b.yml": "stub_custom_actions:\n  t::a: {}\n" } },
  { key: "secondTestDefinition", title: "an action stubbed in two files without test cases", files: { "a.yml": topLevel(""), "s1.yml": "stub_custom_actions:\n  a: {}\n", "s2.yml": "stub_custom_actions:\n  a: {}\n" } },
  { key: "secondTestDefinition", title: "a second fixture of the same name", files: topLevel("fixtures:\n  - f: [{s: 1}]\n  - f: [{s: 2}]"), line: 3 },
  { key: "secondTestDefinition", title: "a second metadata entry of the same name", files: topLevel("metadata:\n  - m: {k: 1}\n  - m: {k: 2}"), line: 3 },
  { key: "stubForNoTestCase", title: "a `test_case::action` stub of no test case", files: topLevel("stub_custom_actions:\n  nobody::a: {}"), line: 2 },

  // ---- FLW5030: names Rasa's schema does not allow
  { key: "testNameNotAllowed", title: "a stub named with the test case's spaces", files: "stub_custom_actions:\n  t t::a: {}\ntest_cases:\n  - test_case: t t\n    steps: [{user: hi}]\n", line: 2 },
  { key: "testNameNotAllowed", title: "a stub name with a `-`", files: topLevel("stub_custom_actions:\n  a-b: {}"), line: 2 },
  { key: "testNameNotAllowed", title: "a step's stub for `test_case::action`", files: userStep("stub_custom_actions:\n  t::a: {}"), line: 6 },
  { key: "testNameNotAllowed", title: "a fixture name starting with a digit", files: topLevel("fixtures:\n  - 1f: [{s: 1}]"), line: 2 },
  { key: "testNameNotAllowed", title: "a fixture's slot name with a space", files: topLevel("fixtures:\n  - f: [{my slot: 1}]"), line: 2 },
  { key: "testNameNotAllowed", title: "a metadata key with a `-`", files: topLevel("metadata:\n  - m: {a-b: 1}"), line: 2 },

  // ---- FLW5031: checks that, as written, have nothing to check
  { key: "checksNothing", title: "a blank user step with assertions", files: "test_cases:\n  - test_case: t\n    steps:\n      - user: ' '\n        assertions: [{flow_started: f}]\n      - user: hi\n", line: 4 },
  { key: "checksNothing", title: "a blank bot step", files: steps("- bot: ' '"), line: 5 },
  { key: "checksNothing", title: "`assertion_order_enabled` without assertions", files: userStep("assertion_order_enabled: true"), line: 5 },
  { key: "checksNothing", title: "`buttons: []` in bot_uttered", files: assertion("bot_uttered: {buttons: []}"), line: 6 },
  { key: "checksNothing", title: "an assertion of empty properties only", files: assertion('bot_did_not_utter: {utter_name: ""}'), line: 6 },

  // ---- FLW5032 to FLW5034: assertions flowc does not know or cannot run
  { key: "unknownAssertion", title: "an assertion Rasa does not have", files: assertion("what_is_this: x"), line: 6 },
  { key: "llmJudgeAssertion", title: "an assertion that needs an LLM judge", files: assertion("generative_response_is_relevant: {threshold: 0.9}"), line: 6 },
  { key: "regexNotRunnable", title: "a `text_matches` that is no regular expression", files: assertion('bot_uttered: {text_matches: "("}'), line: 6 },
];

function parse(row: Row): readonly TestFileProblem[] {
  const files = typeof row.files === "string" ? { "t.yml": row.files } : row.files;
  return parseTestTexts(Object.entries(files).map(([path, text]) => ({ path, text }))).problems;
}

/** A temporary folder with the given files. */
function folder(files: Readonly<Record<string, string>>): string {
  const dir = temporaryFolder("flowc-test-codes-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("every problem of a test file has its code", () => {
  for (const row of ROWS) {
    const { code } = Diagnostics[row.key];
    it(`${code} ${row.key}: ${row.title}`, () => {
      const problems = parse(row);
      const summary = problems.map((p) => `${p.line}: ${p.code} ${p.message}`).join("\n");
      expect(problems.map((p) => p.code), summary).toEqual([code]);
      expect(problems[0]!.severity).toBe("error");
      if (row.line !== undefined) expect(problems[0]!.line, summary).toBe(row.line);
      // Its JSON form (that of `compile --format json`) has the same place, and a range.
      const json = toJson(problems[0]!);
      expect([json.file, json.line, json.column]).toEqual([problems[0]!.file, problems[0]!.line, problems[0]!.column]);
      expect(json.endLine).not.toBeNull();
    });
  }

  it("of the paths given: none holds a test case (or no YAML file is there), a `PATH::name` names none, a path does not exist", () => {
    const dir = folder({ "flows.yml": "flows: {}\n", "e2e/t.yml": steps("- utter: utter_greet"), "empty/notes.txt": "" });
    const codesOf = (paths: string[]) => loadTestFiles(paths, dir).problems.map((p) => p.code);
    expect(codesOf(["flows.yml"])).toEqual([Diagnostics.noTestCases.code]);
    expect(codesOf(["e2e::nobody"])).toEqual([Diagnostics.testCaseNotFound.code]);
    expect(codesOf(["missing"])).toEqual([Diagnostics.cannotRead.code]);
    expect(codesOf(["empty"])).toEqual([Diagnostics.noTestCases.code]);
    expect(codesOf(["e2e::t"])).toEqual([]);
  });

  it("each code of the e2e test files' problems has a row (their warnings: test-warning-codes.test.ts)", () => {
    const ofTests = Object.entries(Diagnostics).filter(([, d]) => d.category === "e2e-tests" && d.severity === "error").map(([key]) => key);
    const covered = new Set<string>([...ROWS.map((row) => row.key), "noTestCases", "testCaseNotFound"]);
    expect(ofTests.filter((key) => !covered.has(key))).toEqual([]);
    expect(ofTests.every((key) => Diagnostics[key as DiagnosticKey].code.startsWith("FLW5"))).toBe(true);
  });
});

describe("flowc test prints them as compile prints diagnostics", () => {
  const FILE = `${steps("- utter: [a]")}  - test_case: u\n    steps: []\n`;

  it("--format json: the document of `compile --format json`, each problem with its code and range", async () => {
    const dir = project({ "t.yml": FILE });
    const result = await run(["test", "t.yml", "--project", "missing", "--format", "json"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toBe("");
    const report = JSON.parse(result.out) as { errors: Record<string, unknown>[]; warnings: unknown[] };
    expect(Object.keys(report)).toEqual(["errors", "warnings"]);
    expect(report.errors).toEqual([
      { code: "FLW5011", severity: "error", message: "`utter` takes a response name", file: "t.yml", line: 5, column: 16, endLine: 5, endColumn: 19 },
      { code: "FLW5013", severity: "error", message: "a test case needs `steps`: a list with at least one `user` step", file: "t.yml", line: 7, column: 12, endLine: 7, endColumn: 14 },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("text: `file:line:col: error FLW5011: message` with an excerpt and carets, on standard error", async () => {
    const dir = project({ "t.yml": FILE });
    const result = await run(["test", "t.yml", "--project", "missing"], dir);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toContain("t.yml:5:16: error FLW5011: `utter` takes a response name\n5 |       - utter: [a]\n  |                ^^^");
    expect(result.err).toContain("t.yml:7:12: error FLW5013: a test case needs `steps`");
  });

  it("a problem without a place in a file: `error FLW5001: …`, and file, line and column null in JSON", async () => {
    const dir = project({ "flows.yml": "flows: {}\n" });
    const text = await run(["test", "flows.yml", "--project", "flows.yml"], dir);
    expect(text.err.trim()).toBe("error FLW5001: no e2e test cases found in flows.yml (a test file has a top-level `test_cases` list)");
    const json = await run(["test", "flows.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(JSON.parse(json.out)).toEqual({
      errors: [{ code: "FLW5001", severity: "error", message: "no e2e test cases found in flows.yml (a test file has a top-level `test_cases` list)", file: null, line: null, column: null, endLine: null, endColumn: null }],
      warnings: [],
    });
  });

  it("the installed bin prints the same JSON document, and exits 2", () => {
    const dir = project({ "t.yml": FILE });
    const result = runBin(["test", "t.yml", "--project", "missing", "--format", "json"], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("");
    expect((JSON.parse(result.stdout) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(["FLW5011", "FLW5013"]);
  });
});
