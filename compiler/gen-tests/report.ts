/**
 * What `flowc gen-tests` prints: the files written, how much of the user flows the generated
 * tests reach (steps and branches as `flowc test --coverage` counts them, and rejections),
 * every question no reply can answer (FLW4105, left unanswered) and every step, branch or
 * rejection they cannot reach with its place, and whether the generated tests pass.
 */
import { countJson, formatCount } from "../e2e/coverage.ts";
import { plural } from "../util/plural.ts";
import type { Generated } from "./gen-tests.ts";

export function genTestsText(generated: Generated, out: string): string {
  const lines: string[] = [];
  const cases = generated.files.reduce((sum, file) => sum + file.testCases, 0);
  lines.push(`wrote ${plural(generated.files.length, "test file")} (${plural(cases, "test case")}) to ${out}/`);
  const { steps, branches } = generated.coverage.total;
  const { reached, total } = generated.rejections;
  lines.push(`the generated tests reach: ${formatCount("steps", steps)}, ${formatCount("branches", branches)}, rejections ${reached}/${total} of the user flows`);
  for (const goal of generated.unanswered) lines.push(`${goal.location}: not answered: flow ${goal.flow}, ${goal.label}: no reply can answer its question (FLW4105)`);
  for (const goal of generated.unreached) lines.push(`${goal.location}: not reached: flow ${goal.flow}, ${goal.label}`);
  const failed = generated.results.filter((result) => !result.passed);
  for (const result of failed) lines.push(`FAILED ${result.name}: ${result.failures.map((f) => `expected ${f.expected}, but ${f.actual}`).join("; ")}`);
  lines.push(`${generated.results.length - failed.length} passed, ${failed.length} failed`);
  return lines.join("\n");
}

export function genTestsJson(generated: Generated, out: string): unknown {
  return {
    out,
    files: generated.files.map((file) => ({ path: file.path, test_cases: file.testCases })),
    coverage: { steps: countJson(generated.coverage.total.steps), branches: countJson(generated.coverage.total.branches), rejections: { covered: generated.rejections.reached, total: generated.rejections.total } },
    unanswered: generated.unanswered.map((goal) => ({ flow: goal.flow, step: goal.step, label: goal.label, location: goal.location })),
    unreached: generated.unreached.map((goal) => ({ kind: goal.kind, flow: goal.flow, step: goal.step, ...(goal.index !== undefined ? { index: goal.index } : {}), label: goal.label, location: goal.location })),
    passed: generated.results.filter((result) => result.passed).length,
    failed: generated.results.filter((result) => !result.passed).map((result) => ({ test_case: result.name, failures: result.failures })),
  };
}
