/**
 * Condition cases beyond the shared corpus, each written from a sentence of
 * shared/spec/conditions.md (its `why` field cites it; expectations never come from flowc).
 * Lines tagged `oracle` were found by differential fuzzing; their expectations are the reference
 * library's own answers (pypred and Jinja run the way Rasa runs them), and `why` names the rule.
 * Every case goes through both of flowc's paths: the compiled predicate (what generated modules
 * run) and the runtime's fallback interpreter (what runs when a Jinja hole changes the shape of
 * the condition), given the rendered text. The corpus also goes through the interpreter here,
 * since compiled predicates may hand any rendered condition to it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConditionSite } from "../../compiler/conditions/ast.ts";
import { compileCondition } from "../../compiler/conditions/compile-condition.ts";
import { ConditionEvaluator } from "../../compiler/conditions/condition-function.ts";
import { parseCondition } from "../../compiler/conditions/parse-condition.ts";
import { guardIsStaticallyFalse } from "../../compiler/conditions/static-guard.ts";
import type { FlowGuardInput } from "../../compiler/model/input.ts";
import { ConditionError, evaluateText } from "../../runtime/conditions/index.ts";
import { readShared } from "../support/shared.ts";

interface Case {
  readonly expr: string;
  readonly doc: { slots?: Record<string, unknown>; context?: Record<string, unknown> };
  readonly valid: boolean;
  readonly result: boolean | null;
  readonly site?: ConditionSite;
  /** The text after the Jinja step, where it differs from `expr` and rendering succeeds. */
  readonly rendered?: string;
  readonly error?: string | null;
  readonly why?: string;
}

const parseLines = (text: string): Case[] => text.trim().split("\n").map((line) => JSON.parse(line) as Case);
const cases = parseLines(readFileSync(new URL("./more-cases.jsonl", import.meta.url), "utf8"));

interface Answer {
  readonly valid: boolean;
  readonly result: boolean | null;
}

/** The interpreter on the text pypred sees, or undefined when there is none (the Jinja step fails). */
function interpreted(line: Case): Answer | undefined {
  const site = line.site ?? "guard";
  const templated = site !== "guard" && /\{[{%#]/.test(line.expr);
  const text = line.rendered ?? (templated ? undefined : line.expr);
  if (text === undefined || line.error?.startsWith("jinja")) return undefined;
  const document = site === "rejection" ? { slots: line.doc.slots ?? {} } : { slots: line.doc.slots ?? {}, context: line.doc.context ?? {} };
  try {
    return { valid: true, result: evaluateText(text, document, site === "rejection") };
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    return { valid: error.kind !== "invalid", result: null };
  }
}

describe("more condition cases (from the spec text)", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  const evaluator = new ConditionEvaluator();
  it.each(cases.map((line, i) => [i + 1, line.expr, line] as const))("%i %j", (_n, _expr, line) => {
    const expected = { valid: line.valid, result: line.result };
    const compiled = evaluator.evaluate(line.expr, line.doc, line.site ?? "guard");
    expect({ valid: compiled.valid, result: compiled.result }, `compiled; ${line.why}`).toEqual(expected);
    const fallback = interpreted(line);
    if (fallback !== undefined) expect(fallback, `interpreter; ${line.why}`).toEqual(expected);
  });
});

describe("the fallback interpreter on the shared corpus", () => {
  it("answers every line whose text reaches pypred as the reference library does", () => {
    const corpus = parseLines(readShared("conditions/corpus.jsonl"));
    const wrong = corpus.flatMap((line, i) => {
      const answer = interpreted(line);
      if (answer === undefined || (answer.valid === line.valid && answer.result === line.result)) return [];
      return [`line ${i + 1} ${line.rendered ?? line.expr}: expected ${line.valid}/${line.result}, got ${answer.valid}/${answer.result}`];
    });
    expect(wrong).toEqual([]);
  });
});

describe("the Jinja step's line breaks (§7: `\\r\\n` becomes `\\n`)", () => {
  const text = "slots.multi = 'a\r\nb' and\r\n slots.x matches '('";
  it("points errors at the condition as written", () => {
    const branch = compileCondition(text, "branch");
    const guard = compileCondition(text, "guard");
    expect(branch.ok || guard.ok).toBe(false);
    if (branch.ok || guard.ok) return;
    expect(branch.error.span).toEqual(guard.error.span);
    expect(text.slice(branch.error.span.start, branch.error.span.end)).toContain("(");
  });
});

describe("names a template is not rendered with (Jinja's default Undefined)", () => {
  const evaluator = new ConditionEvaluator();
  const doc = { slots: { multi: "a\nb", age: 20 }, context: { collect: "age" } };

  it("reads a lone \\r as \\n too, as Jinja's lexer does", () => {
    expect(evaluator.evaluate("slots.multi = 'a\rb'", doc, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate("slots.multi = 'a\rb'", doc, "guard")).toMatchObject({ valid: true, result: false });
  });

  it("renders such a name alone as empty text and is false for it in `{% if %}`, but raises on an attribute of it", () => {
    expect(evaluator.evaluate('"{{slots}}" = ""', doc, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate('"{{context}}" = ""', doc, "rejection")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate("{% if slots %}false{% else %}true{% endif %}", doc, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate("{{slots.age}} > 18", doc, "branch")).toMatchObject({ valid: false });
    expect(evaluator.evaluate("{% if slots.age %}true{% endif %}", doc, "branch")).toMatchObject({ valid: false });
  });
});

describe("static analysis agrees with evaluation", () => {
  // conditions.md §1 (guard "link only" check): a guard without identifiers is decided on an
  // empty document; whatever flowc calls statically false must come out false (or raise, which
  // a guard also counts as false) on every document.
  function guard(text: string): FlowGuardInput {
    const parsed = parseCondition(text, { templates: false });
    const range = { file: { path: "f.yml", text, position: () => ({ line: 1, column: 1 }) }, start: 0, end: 0 } as never;
    return { kind: "condition", condition: { text, range, tree: undefined as never, node: undefined, ast: parsed.ok ? parsed.ast : undefined } };
  }

  it("a guard called statically false is never true, on the corpus and the cases above", () => {
    const evaluator = new ConditionEvaluator();
    const lines = [...cases, ...parseLines(readShared("conditions/corpus.jsonl"))].filter((line) => (line.site ?? "guard") === "guard");
    let staticallyFalse = 0;
    const wrong = lines.flatMap((line) => {
      if (!guardIsStaticallyFalse(guard(line.expr))) return [];
      staticallyFalse++;
      const answers = [evaluator.evaluate(line.expr, line.doc, "guard"), evaluator.evaluate(line.expr, {}, "guard")];
      return answers.some((answer) => answer.result === true) ? [line.expr] : [];
    });
    expect(wrong).toEqual([]);
    expect(staticallyFalse).toBeGreaterThan(20);
  });
});

describe("Jinja's whitespace control in a condition's template", () => {
  const evaluator = new ConditionEvaluator();
  const doc = { slots: { s: "xy", t: "x y" }, context: { f: true } };

  it("strips the white space before `{%-` and after `-%}`, line breaks included", () => {
    expect(evaluator.evaluate('slots.s = "x \n {%- if context.f -%} \n y {%- endif %}"', doc, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate('slots.t = "x {{- \' y\' }}"', doc, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate('slots.t = "x {#- a comment -#} y"', doc, "branch")).toMatchObject({ valid: true, result: false });
    expect(evaluator.evaluate('slots.s = "x {#- a comment -#} y"', doc, "branch")).toMatchObject({ valid: true, result: true });
  });

  it("keeps it without the `-`, and with `+`", () => {
    expect(evaluator.evaluate('slots.t = "x {%+ if context.f %}y{% endif +%}"', doc, "branch")).toMatchObject({ valid: true, result: true });
  });
});
