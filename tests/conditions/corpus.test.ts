/**
 * All 3,200 lines of the shared conditions corpus, computed by the reference library: `valid`
 * and `result` must come out exactly, at every `site`, from the compiled predicates — once
 * through the API and once through `flowc eval --jsonl`, the command other tools use.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConditionSite } from "../../compiler/conditions/ast.ts";
import { ConditionEvaluator } from "../../compiler/conditions/condition-function.ts";
import { readShared } from "../support/shared.ts";

interface CorpusLine {
  readonly expr: string;
  readonly doc: { slots?: Record<string, unknown>; context?: Record<string, unknown> };
  readonly valid: boolean;
  readonly result: boolean | null;
  readonly site?: ConditionSite;
  readonly tag: string;
}

const corpusText = readShared("conditions/corpus.jsonl");
const lines = corpusText.trim().split("\n").map((line) => JSON.parse(line) as CorpusLine);

function mismatches(answers: readonly { valid: boolean; result: boolean | null }[]): string[] {
  return lines.flatMap((line, i) => {
    const answer = answers[i];
    if (answer?.valid === line.valid && answer.result === line.result) return [];
    return [`line ${i + 1} [${line.tag}${line.site ? `, ${line.site}` : ""}] ${line.expr}: expected ${line.valid}/${line.result}, got ${answer?.valid}/${answer?.result}`];
  });
}

describe("conditions corpus", () => {
  it("has the 3,200 lines", () => {
    expect(lines).toHaveLength(3200);
  });

  it("answers every line as the reference library does", () => {
    const evaluator = new ConditionEvaluator();
    const answers = lines.map((line) => evaluator.evaluate(line.expr, line.doc, line.site ?? "guard"));
    expect(mismatches(answers)).toEqual([]);
  });

  it("answers every line the same through flowc eval --jsonl", () => {
    const bin = fileURLToPath(new URL("../../bin/flowc.js", import.meta.url));
    const run = spawnSync(process.execPath, [bin, "eval", "--jsonl"], { input: corpusText, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const answers = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { valid: boolean; result: boolean | null });
    expect(answers).toHaveLength(lines.length);
    expect(mismatches(answers)).toEqual([]);
  }, 60_000);
});
