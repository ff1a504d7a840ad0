/**
 * What `flowc gen-tests` prints: the files written, how much of the user flows the generated
 * tests reach (steps, branches, rejections), every step or branch they cannot reach with its
 * place, and whether the generated tests pass.
 */
import type { GenerateResult } from "./gen-tests.ts";
import type { GoalKind } from "./instrument.ts";

type Generated = NonNullable<GenerateResult["generated"]>;

const KINDS: readonly GoalKind[] = ["step", "branch", "rejection"];

function counts(generated: Generated): Record<GoalKind, { reached: number; total: number }> {
  const out = { step: { reached: 0, total: 0 }, branch: { reached: 0, total: 0 }, rejection: { reached: 0, total: 0 } };
  for (const goal of generated.goals) {
    out[goal.kind].total++;
    if (generated.reached.has(goal.key)) out[goal.kind].reached++;
  }
  return out;
}

export function genTestsText(generated: Generated, out: string): string {
  const lines: string[] = [];
  const cases = generated.files.reduce((sum, file) => sum + file.testCases, 0);
  lines.push(`wrote ${generated.files.length} test file${generated.files.length === 1 ? "" : "s"} (${cases} test case${cases === 1 ? "" : "s"}) to ${out}/`);
  const c = counts(generated);
  lines.push(`reached ${KINDS.map((kind) => `${c[kind].reached}/${c[kind].total} ${kind === "branch" ? "branches" : `${kind}s`}`).join(", ")} of the user flows`);
  for (const goal of generated.unreached) lines.push(`${goal.location}: not reached: flow ${goal.flow}, ${goal.label}`);
  const failed = generated.results.filter((result) => !result.passed);
  for (const result of failed) lines.push(`FAILED ${result.name}: ${result.failures.map((f) => `expected ${f.expected}, but ${f.actual}`).join("; ")}`);
  lines.push(`generated tests: ${generated.results.length - failed.length} passed, ${failed.length} failed`);
  return lines.join("\n");
}

export function genTestsJson(generated: Generated, out: string): unknown {
  const c = counts(generated);
  return {
    out,
    files: generated.files.map((file) => ({ path: file.path, test_cases: file.testCases })),
    coverage: c,
    unreached: generated.unreached.map((goal) => ({ kind: goal.kind, flow: goal.flow, step: goal.step, label: goal.label, location: goal.location })),
    passed: generated.results.filter((result) => result.passed).length,
    failed: generated.results.filter((result) => !result.passed).map((result) => ({ test_case: result.name, failures: result.failures })),
  };
}
