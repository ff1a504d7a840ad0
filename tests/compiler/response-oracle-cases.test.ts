/**
 * Response templates whose expected text comes from the reference: each case of
 * response-oracle-cases.jsonl was found by differential testing against Jinja 2 (3.1) and
 * Python's `str.format` as Rasa 3.12's interpolator calls them, then minimised, and its
 * `expected` is what the reference sent (null: the action failed and nothing was sent; an
 * object `{refused: code}`: the template is refused at build time because Jinja refuses it).
 * `rule` names what the case shows. The cases whose rule starts with "differential test against
 * Jinja 3.1.6" are templates of the operators, floats, filters and tests of response templates
 * as rendered by Jinja 3.1.6 on Python 3.11 (`Template(text).render(values)`, as Rasa's
 * interpolate_jinja_template calls it), not minimised. The cases of
 * response-filter-oracle-cases.jsonl are random templates over the filters reverse, sort,
 * dictsort, items, tojson, unique, map, select, reject, selectattr, rejectattr, center, indent
 * and `{% set %}`, rendered by Jinja 3.1.6 the same way (scripts/oracles/response-filters.py,
 * run by hand: CI has no Python); those of response-method-oracle-cases.jsonl random templates
 * over method calls, the globals `range`, `dict` and `namespace`, slices, `**`, dict literals
 * and `{% set x %}…{% endset %}` (scripts/oracles/response-methods.py); those of
 * response-addition-oracle-cases.jsonl fixed and random templates over the filters random (where
 * its pick is certain) and pprint, loop.changed, globals read as values and the attributes and
 * methods of numbers (scripts/oracles/response-additions.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pythonStr } from "../../runtime/conditions/template.ts";
import { interpolate } from "../../runtime/responses.ts";
import { isTemplateError } from "../../runtime/templates.ts";
import { refused, render } from "../support/templates.ts";

interface OracleCase {
  readonly rule: string;
  readonly engine: "format" | "jinja";
  readonly template: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly expected: string | null | { readonly refused: string };
}

const cases: OracleCase[] = ["./response-oracle-cases.jsonl", "./response-filter-oracle-cases.jsonl", "./response-method-oracle-cases.jsonl", "./response-addition-oracle-cases.jsonl"].flatMap((file) =>
  readFileSync(new URL(file, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as OracleCase),
);

/** What flowc sends for a case: the text, or null when the response fails. */
function sent(c: OracleCase): string | null {
  try {
    if (c.engine === "jinja") return render(c.template, { ...c.values });
    const values = new Map(Object.entries(c.values));
    return interpolate(c.template, { has: (k) => values.has(k), get: (k) => values.get(k), text: (k) => pythonStr(values.get(k)) });
  } catch (error) {
    if (isTemplateError(error, "UndefinedError")) return c.template;
    if (isTemplateError(error, "TemplateTypeError")) return null;
    throw error;
  }
}

const CODES = { syntax: "FLW1060", unsupported: "FLW1061" } as const;

describe.each([...new Set(cases.map((c) => c.engine))])("%s templates against the reference", (engine) => {
  const ofEngine = cases.filter((c) => c.engine === engine);
  it.each(ofEngine.map((c) => [c.rule, c] as const))("%s", (_rule, c) => {
    if (c.expected !== null && typeof c.expected === "object") {
      expect(CODES[refused(c.template).kind]).toBe(c.expected.refused);
    } else {
      expect(sent(c)).toBe(c.expected);
    }
  });
});
