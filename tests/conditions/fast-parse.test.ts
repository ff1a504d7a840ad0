/**
 * The fast path of condition parsing must build exactly the tree the peggy grammar builds
 * (nodes, spans, key order), and decline whatever it does not handle.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../compiler/conditions/generated-parser.js";
import { fastParse } from "../../compiler/conditions/fast-parse.ts";
import { readShared } from "../support/shared.ts";

const corpus = readShared("conditions/corpus.jsonl")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as { expr: string; site?: string; rendered?: string });

function peggy(text: string, templates: boolean): string | undefined {
  try {
    return JSON.stringify(parse(text, { startRule: "Condition", templates }));
  } catch {
    return undefined;
  }
}

describe("fast condition parser", () => {
  it("agrees with the grammar on every corpus condition it accepts", () => {
    let accepted = 0;
    const disagreements: string[] = [];
    for (const line of corpus) {
      for (const [text, templates] of [[line.expr, line.site === "branch" || line.site === "rejection"], [line.rendered ?? line.expr, false]] as const) {
        const fast = fastParse(text, templates);
        if (fast === undefined) continue;
        accepted++;
        if (JSON.stringify(fast) !== peggy(text, templates)) disagreements.push(text);
      }
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(4000);
  });

  it("agrees on typical conditions and their variations", () => {
    const samples = [
      "slots.age < 18",
      "slots.a is not null and (slots.b = 'x' or slots.c)",
      "not not slots.flag",
      "{'WARN' 'ERR' 'CRIT'} contains slots.level",
      'slots.zip matches "\\d{5}(-\\d{4})?"',
      "slots.t matches /^ab/i",
      "slots.x IS  NOT empty # comment\n or TRUE",
      "slots.x matches ''",
      "(slots.a > -1.5) = true",
      "{} or slots.b",
    ];
    for (const text of samples) {
      expect(fastParse(text, true), text).toBeDefined();
      expect(JSON.stringify(fastParse(text, true))).toBe(peggy(text, true));
    }
  });

  it("declines errors, non-ASCII text and template holes", () => {
    for (const text of ["", "slots.age <", "18abc", "a b", "slots.x = Ä", "slots.{{context.collect}} is null", "x is not not y", "(a", "{a"]) {
      expect(fastParse(text, true), text).toBeUndefined();
    }
  });
});
