/**
 * What `flowc test` prints: one line per test case and the closing `N passed, N failed`
 * (design §3.1), or the same as one JSON report; and the warnings of the test files (their
 * problems are diagnostics with a range, or none, printed as `compile` prints them).
 */
import { formatText, toJson, type JsonDiagnostic } from "../diagnostics/format.ts";
import type { TestCaseResult } from "./run-test-cases.ts";
import type { TestWarning } from "./test-model.ts";

/** `more` (the coverage) goes before the closing line, which stays the last (design §3.1). */
export function formatResultsText(results: readonly TestCaseResult[], more?: string): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.passed ? "passed" : "failed"}: ${result.name}`);
    for (const failure of result.failures) {
      const where = failure.step < 0 ? "before the first user step" : `step ${failure.step}, user ${JSON.stringify(failure.user)}`;
      lines.push(`  ${failure.at.file}:${failure.at.line} (${where}):`);
      lines.push(`    expected: ${failure.expected}`);
      lines.push(`    actual:   ${failure.actual}`);
      if (failure.note !== undefined) lines.push(`    note:     ${failure.note}`);
      if (failure.trace) lines.push(`    trace:    ${JSON.stringify(failure.trace)}`);
    }
  }
  if (more !== undefined) lines.push(more);
  lines.push(summaryLine(results));
  return lines.join("\n");
}

export function summaryLine(results: readonly TestCaseResult[]): string {
  const passed = results.filter((result) => result.passed).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

export function resultsJson(results: readonly TestCaseResult[]): unknown {
  const passed = results.filter((result) => result.passed).length;
  return {
    test_cases: results.map((result) => ({
      name: result.name,
      file: result.at.file,
      line: result.at.line,
      passed: result.passed,
      failures: result.failures.map((failure) => ({ step: failure.step, user: failure.user, file: failure.at.file, line: failure.at.line, expected: failure.expected, actual: failure.actual, ...(failure.note !== undefined ? { note: failure.note } : {}), ...(failure.trace ? { trace: failure.trace } : {}) })),
    })),
    passed,
    failed: results.length - passed,
  };
}

/**
 * A warning of the test files as `compile` prints one: `file:line:col: warning FLW5041: …`, an
 * excerpt with carets where its range is known, and its `help:`.
 */
export function formatWarningText(warning: TestWarning): string {
  if (warning.range) return formatText(warning);
  return `${warning.file}:${warning.line}:${warning.column}: ${formatText(warning)}`;
}

/** A warning of the test files in the JSON form of `compile --format json`; without a range, its place (endLine and endColumn null). */
export function warningJson(warning: TestWarning): JsonDiagnostic {
  const json = toJson(warning);
  return warning.range ? json : { ...json, file: warning.file, line: warning.line, column: warning.column };
}
