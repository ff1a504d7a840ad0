/**
 * Every warning `flowc test` gives of its test files has a code of the diagnostic catalogue
 * (FLW504x): one row per kind, each the smallest test file that has exactly that warning, run
 * through the command line against a small assistant. With `--format json` a warning takes the
 * JSON form of `compile --format json` (code, severity, range, suggestion) under `warnings`; as
 * text, `compile`'s `file:line:col: warning FLW5041: message` with an excerpt and a `help:`.
 */
import { describe, expect, it } from "vitest";
import { Diagnostics, type DiagnosticKey } from "../../compiler/diagnostics/catalogue.ts";
import { formatWarningText, warningJson } from "../../compiler/e2e/report.ts";
import { testWarning } from "../../compiler/e2e/test-model.ts";
import { project, run } from "../support/cli.ts";

const DOMAIN = "slots:\n  name:\n    type: text\n    mappings: [{type: controlled}]\nresponses:\n  utter_greet:\n    - text: Hello!\n";
const FLOWS = "flows:\n  greet:\n    description: Greets the user.\n    steps:\n      - action: utter_greet\n";

/** A test file with one test case `t` (with the test case's keys `keys`), whose steps are `user: hi` starting greet and the steps of `rest`. */
function testFile(rest: string, keys = "", top = ""): string {
  return `${top}test_cases:\n  - test_case: t\n${keys}    steps:\n      - user: hi\n        commands: [start flow greet]\n${rest}`;
}

interface Row {
  readonly key: DiagnosticKey;
  readonly title: string;
  readonly file: string;
  /** The warning as `--format json` gives it, less its code and severity. */
  readonly json: Readonly<Record<string, unknown>>;
  /** More files beside t.yml, given as paths too. */
  readonly others?: Readonly<Record<string, string>>;
}

const ROWS: readonly Row[] = [
  {
    key: "blankUserStep",
    title: "a blank `user:` step",
    file: testFile('      - user: " "\n'),
    json: { message: "a blank `user:` step sends no message: Rasa's runner skips it, and the steps after it are checked against the turn before it", file: "t.yml", line: 6, column: 15, endLine: 6, endColumn: 18 },
  },
  {
    key: "notOfTheAssistant",
    title: "a response the assistant does not have, with the closest as the suggestion",
    file: testFile("      - utter: utter_gret\n"),
    json: { message: "`utter_gret` is not a response of the assistant", file: "t.yml", line: 6, column: 16, endLine: 6, endColumn: 26, suggestion: "did you mean `utter_greet`?" },
  },
  {
    key: "notOfTheAssistant",
    title: "a slot the assistant does not have, nothing close",
    file: testFile("        assertions:\n          - slot_was_not_set:\n              - name: colour\n"),
    json: { message: "`colour` is not a slot of the assistant", file: "t.yml", line: 8, column: 23, endLine: 8, endColumn: 29 },
  },
  {
    key: "notOfTheAssistant",
    title: "a flow the assistant does not have",
    file: testFile("        assertions:\n          - flow_started: gret\n"),
    json: { message: "`gret` is not a flow of the assistant", file: "t.yml", line: 7, column: 27, endLine: 7, endColumn: 31, suggestion: "did you mean `greet`?" },
  },
  {
    key: "undefinedTestName",
    title: "a fixture no test file defines",
    file: testFile("", "    fixtures: [silver]\n"),
    json: { message: "no fixture named `silver`: Rasa's runner sets nothing for it", file: "t.yml", line: 3, column: 16, endLine: 3, endColumn: 22 },
  },
  {
    key: "undefinedTestName",
    title: "a metadata name no test file defines",
    file: testFile("", "    metadata: mobile\n", "metadata:\n  - web: {channel: web}\n"),
    json: { message: "no metadata named `mobile` (metadata: web): Rasa's runner sends none for it", file: "t.yml", line: 5, column: 15, endLine: 5, endColumn: 21 },
  },
  {
    key: "fixtureSlotUnknown",
    title: "a fixture that sets a slot the assistant does not have",
    file: testFile("", "    fixtures: [gold]\n", "fixtures:\n  - gold: [{colour: red}]\n"),
    json: { message: "the fixture `gold` sets `colour`, which is not a slot of the assistant: left out, as Rasa leaves it out", file: "t.yml", line: 2, column: 5, endLine: 2, endColumn: 26 },
  },
  {
    key: "testCaseOutsideList",
    title: "a file with one test case at its top, without the `test_cases` list (a public ebook shop's test)",
    file: testFile(""),
    others: { "one.yml": "test_case: buys a book\nsteps:\n  - user: hi\n  - utter: utter_greet\n" },
    json: {
      message: "this file has `test_case` and `steps` at its top but no `test_cases` list, so it is not read as a test file: its test case does not run",
      file: "one.yml",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 10,
      suggestion: "write it as an item of a list: `test_cases:`, then `- test_case: …` with its `steps:` under it",
    },
  },
  {
    key: "stepCheckIgnored",
    title: "a step-style check in a test case with assertions, which Rasa's runner never reads",
    file: testFile("        assertions:\n          - flow_started: greet\n      - utter: utter_greet\n"),
    json: {
      message: "this `utter:` step is never checked: the test case has `assertions` (line 6), and Rasa's runner judges a test case with assertions by its assertions alone",
      file: "t.yml",
      line: 8,
      column: 9,
      endLine: 8,
      endColumn: 14,
      suggestion: "move it into the `user:` step of line 4, as an item of its `assertions`: `- bot_uttered: {utter_name: utter_greet}`",
    },
  },
];

async function flowcTest(file: string, json: boolean, others: Readonly<Record<string, string>> = {}): Promise<{ code: number; out: string; err: string }> {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "t.yml": file, ...others });
  return run(["test", "t.yml", ...Object.keys(others), "--project", "domain.yml", "--project", "flows.yml", ...(json ? ["--format", "json"] : [])], dir);
}

describe("every warning of a test file has its code", () => {
  for (const row of ROWS) {
    const { code } = Diagnostics[row.key];
    it(`${code} ${row.key}: ${row.title} (--format json)`, async () => {
      const result = await flowcTest(row.file, true, row.others);
      const report = JSON.parse(result.out) as { warnings?: Record<string, unknown>[]; errors?: unknown[] };
      expect(report.errors).toBeUndefined();
      expect(report.warnings).toHaveLength(1);
      const warning = report.warnings![0]!;
      expect(warning).toEqual({ code, severity: "warning", endLine: expect.any(Number), endColumn: expect.any(Number), ...row.json });
      // compile's key order: code, severity, message, the range, then the suggestion.
      expect(Object.keys(warning)).toEqual(["code", "severity", "message", "file", "line", "column", "endLine", "endColumn", ...("suggestion" in row.json ? ["suggestion"] : [])]);
    });

    it(`${code} ${row.key}: ${row.title} (text)`, async () => {
      const result = await flowcTest(row.file, false, row.others);
      const { file, line, column, message, suggestion } = row.json as { file: string; line: number; column: number; message: string; suggestion?: string };
      const lines = result.err.split("\n");
      expect(lines[0]).toBe(`${file}:${line}:${column}: warning ${code}: ${message}`);
      // An excerpt of the line with carets under the range.
      expect(lines[1]).toMatch(new RegExp(`^${line} \\| `));
      expect(lines[2]).toMatch(/^ +\| +\^+$/);
      expect(lines.filter((text) => text.startsWith("  help: "))).toEqual(suggestion === undefined ? [] : [`  help: ${suggestion}`]);
      expect(result.out.split("\n").at(-1)).toMatch(/^\d passed, \d failed$/);
    });
  }

  it("each warning code of the e2e test files has a row, and is an FLW504x", () => {
    const warnings = Object.entries(Diagnostics).filter(([, d]) => d.category === "e2e-tests" && d.severity === "warning");
    expect(warnings.map(([key]) => key).filter((key) => !ROWS.some((row) => row.key === key))).toEqual([]);
    expect(warnings.map(([, d]) => d.code).every((code) => /^FLW504\d$/.test(code))).toBe(true);
  });

  it("a file with one test case at its top and nothing else: FLW5001, with the warning that says why beside it", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "one.yml": "test_case: t\nsteps:\n  - user: hi\n" });
    const json = await run(["test", "one.yml", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as { errors: { code: string }[]; warnings: { code: string }[] };
    expect(report.errors.map((error) => error.code)).toEqual(["FLW5001"]);
    expect(report.warnings.map((warning) => warning.code)).toEqual(["FLW5044"]);
    const text = await run(["test", "one.yml", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(text.err).toContain("one.yml:1:1: warning FLW5044: ");
  });

  it("a fixture's unknown slot is warned of once, however many test cases name the fixture", async () => {
    const file = `fixtures:\n  - gold: [{colour: red}]\ntest_cases:\n${["t", "u"].map((name) => `  - test_case: ${name}\n    fixtures: [gold]\n    steps: [{user: hi, commands: [start flow greet]}]\n`).join("")}`;
    const result = await flowcTest(file, true);
    expect((JSON.parse(result.out) as { warnings: { code: string }[] }).warnings.map((warning) => warning.code)).toEqual(["FLW5043"]);
  });

  it("a warning with only a place, no range: file, line and column, endLine and endColumn null; text without an excerpt", () => {
    const warning = testWarning("notOfTheAssistant", { name: "nam", kind: "slot" }, { file: "t.yml", line: 4, column: 9 }, undefined, "did you mean `name`?");
    expect(warningJson(warning)).toEqual({ code: "FLW5041", severity: "warning", message: "`nam` is not a slot of the assistant", file: "t.yml", line: 4, column: 9, endLine: null, endColumn: null, suggestion: "did you mean `name`?" });
    expect(formatWarningText(warning)).toBe("t.yml:4:9: warning FLW5041: `nam` is not a slot of the assistant\n  help: did you mean `name`?");
  });
});
