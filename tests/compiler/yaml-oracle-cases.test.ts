/**
 * YAML read as Rasa 3.12 reads it: each case of yaml-oracle-cases.jsonl was found by
 * differential testing against ruamel.yaml configured as Rasa's `read_yaml` configures it
 * (YAML 1.2, the safe loader, Rasa's `${VAR}` resolver and constructor, timestamps read back
 * as text), then minimised. `expected` is the value the reference read, or `{error: code}`
 * when it refused the file (the code is flowc's for the reference's kind of error: FLW1002 a
 * duplicate key (Y2), FLW1003 an environment variable (Y4), FLW1001 any other (Y1)).
 * `rule` names what the case shows.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.ts";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { parseYamlFiles } from "../../compiler/passes/load-yaml-files.ts";

interface OracleCase {
  readonly rule: string;
  readonly text: string;
  readonly env: Readonly<Record<string, string>>;
  readonly expected: unknown;
}

const cases: OracleCase[] = readFileSync(new URL("./yaml-oracle-cases.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as OracleCase);

/** What flowc reads: the document's value, or the first error's code. */
function read(c: OracleCase): unknown {
  const diagnostics = new DiagnosticBag();
  const files = parseYamlFiles([{ path: "case.yml", text: c.text }], diagnostics, { env: c.env });
  const error = diagnostics.all.find((d) => d.severity === "error");
  if (error) return { error: error.code };
  return files[0]?.tree.root;
}

describe("YAML as Rasa's reader reads it (cases answered by ruamel.yaml)", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  for (const c of cases) {
    it(c.rule, () => {
      expect(read(c)).toEqual(c.expected);
    });
  }

  it("reads e2e test files the same way", () => {
    const loaded = parseTestTexts([{ path: "tests.yml", text: "test_cases:\n  - test_case: t\n    steps:\n      - user: =\n" }], {});
    expect(loaded.problems.map((p) => p.message).join("\n")).toContain("`=` is a YAML key indicator");
    const expanded = parseTestTexts([{ path: "tests.yml", text: "test_cases:\n  - test_case: t\n    steps:\n      - user: x${NAME}y\n" }], { NAME: "Ann" });
    expect(expanded.problems).toEqual([]);
    expect(expanded.suite.testCases[0]?.steps[0]).toMatchObject({ user: "xAnny" });
  });
});
