/**
 * Compiled predicates beyond the corpus: what the generated code looks like where it matters
 * (no parsing or regex construction per call), templates, the compile-time warnings and
 * errors, and every condition of the example assistant and the default patterns.
 */
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { compileCondition } from "../../compiler/conditions/compile-condition.ts";
import { conditionFunction, evaluateCondition, instantiate } from "../../compiler/conditions/condition-function.ts";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { ConditionError } from "../../runtime/conditions/pypred.ts";
import { compileStrings, codes, warningCodes } from "../support/compile.ts";

function compiled(text: string, site: "guard" | "branch" | "rejection" = "guard") {
  const result = compileCondition(text, site);
  if (!result.ok) throw new Error(result.error.message);
  return result.compiled;
}

describe("compile predicates", () => {
  it("hoists regexes and constant sets out of the function", () => {
    const code = compiled(`slots.zip matches "\\d{5}" and {'a' 'b'} contains slots.x`);
    expect(code.hoisted.map((h) => h.code)).toEqual([expect.stringContaining("new $.LazyRegExp"), expect.stringContaining("new $.PySet")]);
    expect(code.body).not.toContain("new ");
  });

  it("reads slots directly, and inherited names only as own keys", () => {
    expect(compiled("slots.age < 18").body).toBe("return $.less(slots.age, 18);");
    expect(compiled("slots.constructor").body).toContain('$.own(slots, "constructor")');
    expect(evaluateCondition("slots.constructor is undefined", { slots: {} })).toEqual({ valid: true, result: true, error: null });
  });

  it("groups and/or to the right, as pypred does", () => {
    expect(evaluateCondition("false and true or true", {}).result).toBe(false);
    expect(evaluateCondition("true or false and false", {}).result).toBe(true);
  });

  it("throws ConditionError where pypred raises, and nothing else", () => {
    const fn = conditionFunction("slots.name > 1 or true", "branch");
    if (!fn.ok) throw new Error(fn.error);
    expect(() => fn.predicate({ name: "Alice" }, {})).toThrow(ConditionError);
    expect(fn.predicate({ name: 2 }, {})).toBe(true);
  });

  it("renders template holes as Python's str() would", () => {
    const doc = (value: unknown) => ({ slots: {}, context: { x: value } });
    expect(evaluateCondition('"{{context.x}}" = "None"', doc(null), "branch").result).toBe(true);
    expect(evaluateCondition('"{{context.x}}" = "True"', doc(true), "branch").result).toBe(true);
    expect(evaluateCondition('"{{context.x}}" = "1.5"', doc(1.5), "branch").result).toBe(true);
    expect(evaluateCondition('"{{context.x}}" = "1e-05"', doc(0.00001), "branch").result).toBe(true);
    expect(evaluateCondition('"{{context.x}}" = ""', { slots: {}, context: {} }, "branch").result).toBe(true);
  });

  it("falls back to parsing the rendered text when a hole changes the tokens", () => {
    const code = compiled("{{context.flag}} and slots.a", "branch");
    expect(code.reparseHoles.map((h) => h.path)).toEqual(["context.flag"]);
    const predicate = instantiate(code);
    expect(predicate({ a: 1 }, { flag: true })).toBe(true); // renders the keyword True
    expect(predicate({ a: 1 }, { flag: false })).toBe(false);
    expect(() => predicate({ a: 1 }, {})).toThrow(ConditionError); // renders "", an invalid condition
  });

  it("compiles the Jinja statements conditions use", () => {
    const text = "{% if context.collect %}slots.{{context.collect}} is not null{% else %}false{% endif %}";
    expect(evaluateCondition(text, { slots: { age: 3 }, context: { collect: "age" } }, "branch").result).toBe(true);
    expect(evaluateCondition(text, { slots: { age: 3 }, context: {} }, "branch").result).toBe(false);
    expect(evaluateCondition("{{ context.collect | upper }} = AGE", { context: { collect: "age" } }, "branch").result).toBe(true);
  });
});

describe("conditions in an assistant", () => {
  const domain = `
slots:
  text: {type: text}
responses:
  utter_ask_text: [{text: "Say something"}]
`;
  const branch = (condition: string) => `flows:
  talk:
    description: Talks.
    steps:
      - collect: text
        next:
          - if: ${condition}
            then: END
          - else: END
`;

  it("warns about a regex whose matching time can explode", () => {
    const result = compileStrings({ domain, flows: branch('slots.text matches "(\\w+\\s?)+$"') });
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).toEqual([Diagnostics.superLinearRegex.code]);
  });

  it("does not warn about ordinary regexes", () => {
    expect(compileStrings({ domain, flows: branch('slots.text matches "\\d{5}(-\\d{4})?"') }).warnings).toEqual([]);
  });

  it("refuses a regex JavaScript cannot run with the same meaning, naming the construct", () => {
    const result = compileStrings({ domain, flows: branch('slots.text matches "(a)?(?(1)b|c)"') });
    expect(codes(result)).toEqual([Diagnostics.conditionNotCompilable.code]);
    expect(result.errors[0]?.message).toMatch(/conditional group/i);
  });

  it("reports a regex Python refuses as an invalid condition", () => {
    expect(codes(compileStrings({ domain, flows: branch('slots.text matches "(?P<1>x)"') }))).toEqual([Diagnostics.conditionInvalid.code]);
  });

  it("warns about a hole that can change the condition's tokens", () => {
    const result = compileStrings({ domain, flows: branch("slots.{{context.collect}} is not null") });
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).toEqual([Diagnostics.templateChangesTokens.code]);
  });

  it("compiles and runs every condition of the example assistant and the default patterns", () => {
    const result = compileFlows({ paths: ["flows"] });
    expect(result.errors).toEqual([]);
    const conditions = [...(result.predicates?.entries() ?? [])];
    expect(conditions.length).toBeGreaterThan(15);
    for (const [input, { compiled: code }] of conditions) {
      const predicate = instantiate(code);
      for (const slots of [{}, { amount: 0, card_type: "credit", replacement_reason: "stolen", service_rating: 2, dress_style: "evening" }]) {
        let outcome: unknown;
        try {
          outcome = predicate(slots, { collect: "amount", flow_id: "transfer_money", step_id: "ask_amount" });
        } catch (error) {
          outcome = error instanceof ConditionError ? "raises" : error;
        }
        expect([true, false, "raises"], input.text).toContain(outcome);
      }
    }
  });
});
