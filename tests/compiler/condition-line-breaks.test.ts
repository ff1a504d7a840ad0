/**
 * Branch and rejection conditions are read after Rasa's Jinja step, which turns `\r\n` and a
 * lone `\r` into `\n` (conditions.md §7). Every compile-time check reads that same text —
 * parsing, the Jinja template, type checks, template-name checks — and its diagnostics still
 * point at the right line and column of the YAML, where `\r\n` was written (here as the
 * double-quoted escape `\r\n`, four characters of the file).
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts";
import { compileStrings } from "../support/compile.ts";
import { branch, rejection } from "../support/condition-flows.ts";

const DOMAIN = `
slots:
  age:
    type: float
  tier:
    type: categorical
    values: ["a\\nb", plain]
responses:
  utter_ask_age:
    - text: How old are you?
  utter_rejected:
    - text: No.
  utter_adult:
    - text: Adult.
`;

function at(diagnostic: Diagnostic | undefined): [number, number] {
  const range = diagnostic!.range!;
  const position = range.file.position(range.start);
  return [position.line, position.column];
}

/** The file column of the condition's character at `index`, each `\r`/`\n` before it written as two characters. */
function column(condition: string, index: number): number {
  return 18 + index + (condition.slice(0, index).match(/[\r\n]/g)?.length ?? 0);
}

describe("condition text after the Jinja step's line breaks", () => {
  it("points a template error after a \\r\\n at the template's unknown tag", () => {
    // Jinja: `{% bogus %}` is a TemplateSyntaxError ("Encountered unknown tag 'bogus'").
    const condition = "slots.age > 1 and\r\n {% bogus %}";
    const [error, ...rest] = compileStrings({ domain: DOMAIN, flows: branch(condition) }).errors;
    expect(rest).toEqual([]);
    expect(error?.code).toBe("FLW1040");
    expect(at(error)).toEqual([8, column(condition, condition.indexOf("bogus"))]);
  });

  it("points a syntax error after a \\r\\n at the offending token", () => {
    const condition = "slots.age > 1 and\r\n\r\n slots.age >";
    const [error] = compileStrings({ domain: DOMAIN, flows: branch(condition) }).errors;
    expect(error?.code).toBe("FLW1040");
    expect(at(error)).toEqual([8, column(condition, condition.length)]); // just after the `>`
  });

  it("checks a categorical literal as the condition reads it: 'a\\r\\nb' is the value a\\nb", () => {
    const result = compileStrings({ domain: DOMAIN, flows: branch("slots.age > 1 and slots.tier = 'a\r\nb'") });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.code)).not.toContain("FLW3103");
    const lone = compileStrings({ domain: DOMAIN, flows: branch("slots.age > 1 and slots.tier = 'a\rb'") });
    expect(lone.warnings.map((w) => w.code)).not.toContain("FLW3103");
    // A guard is not rendered: its \r\n stays, and the literal is not a value.
    const guard = compileStrings({ domain: DOMAIN, flows: branch("slots.age > 1").replace("description:", "if: \"slots.tier = 'a\\r\\nb'\"\n    description:") });
    expect(guard.warnings.map((w) => w.code)).toContain("FLW3103");
  });

  it("points a template-name read after a \\r\\n at the name", () => {
    const condition = "slots.age > 1 and\r\n{{ slots.age }} > 1";
    const warnings = compileStrings({ domain: DOMAIN, flows: branch(condition) }).warnings.filter((w) => w.code === "FLW3110");
    expect(warnings).toHaveLength(1);
    expect(at(warnings[0])).toEqual([8, column(condition, condition.indexOf("slots.age }"))]);
  });

  it("points a rejection's template error after a lone \\r at the construct flowc does not compile", () => {
    // (A recursive loop: valid Jinja, outside the subset flowc compiles.)
    const condition = "slots.age < 1 or\r {% for x in y recursive %}{% endfor %}";
    const [error] = compileStrings({ domain: DOMAIN, flows: rejection(condition) }).errors;
    expect(error?.code).toBe("FLW1044");
    const range = error!.range!;
    expect(range.file.position(range.start)).toMatchObject({ line: 8, column: column(condition, condition.indexOf("recursive")) });
  });
});
