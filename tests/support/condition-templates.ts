/**
 * A condition's Jinja step put together from the pieces flowc compiles it into, for the
 * differential tests: the text as Rasa's `Template(condition).render(document)` would give it
 * to pypred (conditions.md §7), rendered by flowc's compile-time parse (jinja.ts) and its
 * run-time helpers (runtime/conditions/template.ts). flowc itself never builds the whole text
 * (it splices the holes into a predicate compiled at build time); this puts the same pieces
 * in a row.
 */
import { JinjaError, needsJinja, parseJinja, type JinjaTest } from "../../compiler/conditions/jinja.ts";
import { PLAIN_HOLE_PATTERN } from "../../compiler/conditions/parse-condition.ts";
import { ConditionError, truthy } from "../../runtime/conditions/pypred.ts";
import { applyFilters, renderFloatSlot, renderPath, templateEquals, templateValue } from "../../runtime/conditions/template.ts";
import { renderValidatorHoles, validatorAlternative, validatorHole } from "../../compiler/conditions/validator-rendering.ts";

export type Rendered = string | { readonly error: "undefined" | "syntax" | "unsupported" };

const PLAIN_HOLE = new RegExp(PLAIN_HOLE_PATTERN, "gu");

/**
 * The rendered text of `template` with `{root: values}` (`context` for a branch, `slots` for a
 * rejection, whose slot `floatSlot` holds a Python float); `{error}` where Jinja raises
 * (undefined), Jinja refuses the text (syntax) or flowc refuses it at build time (unsupported).
 */
export function renderCondition(template: string, root: "context" | "slots", values: Readonly<Record<string, unknown>>, floatSlot?: string): Rendered {
  const hole = (path: readonly string[], filters: readonly string[] = []): string => {
    const [first, ...rest] = path;
    let text: string;
    if (first !== root) {
      if (rest.length > 0) throw new ConditionError(`'${first}' is undefined`, "invalid");
      text = "";
    } else if (root === "slots" && floatSlot !== undefined && (rest.length === 0 || (rest.length === 1 && rest[0] === floatSlot))) text = renderFloatSlot(values, rest);
    else text = renderPath(values, rest);
    return applyFilters(text, filters);
  };
  try {
    // Jinja drops one trailing line break; pypred reads the plain text with it, as white space.
    if (!needsJinja(template)) return template.replace(/\n$/, "").replace(PLAIN_HOLE, (_match, path: string) => hole(path.split(".")));
    const parsed = parseJinja(template);
    const choices = parsed.blocks.map((tests) => {
      const index = tests.findIndex((test) => holds(test, root, values));
      return index < 0 ? tests.length : index;
    });
    const alternative = parsed.alternatives.find((a) => a.choices.every((choice, block) => choice === choices[block]));
    if (!alternative) throw new Error("no alternative");
    return alternative.text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (_marker, index: string) => {
      const h = parsed.holes[Number(index)]!;
      return h.literal ?? hole(h.path!, h.filters);
    });
  } catch (error) {
    if (error instanceof JinjaError) return { error: error.kind === "syntax" ? "syntax" : "unsupported" };
    if (error instanceof ConditionError) return { error: "undefined" };
    throw error;
  }
}

function holds(test: JinjaTest, root: string, values: Readonly<Record<string, unknown>>): boolean {
  if (test.kind === "literal") return test.holds;
  if (test.kind === "and") return holds(test.left, root, values) && holds(test.right, root, values);
  if (test.kind === "or") return holds(test.left, root, values) || holds(test.right, root, values);
  if (test.kind === "not") return !holds(test.operand, root, values);
  const [first, ...rest] = test.path;
  let value: unknown;
  if (first === root) value = templateValue(values, rest);
  else if (rest.length > 0) throw new ConditionError(`'${first}' is undefined`, "invalid");
  if (test.kind === "truthy") return truthy(value) !== test.negated;
  if (test.kind === "defined") return (value !== undefined) !== test.negated;
  if (test.kind === "none") return (value === null) !== test.negated;
  return templateEquals(value, test.value) !== (test.operator === "!=");
}

/**
 * The text Rasa's validator renders `template` to at training time (conditions.md §2: every
 * frame field and every domain slot `None`), as flowc's validator-rendering.ts has it; `{error:
 * "undefined"}` where that rendering fails.
 */
export function renderForValidator(template: string, site: "branch" | "response", slots: readonly string[]): Rendered {
  const names = new Set(slots);
  try {
    if (!needsJinja(template)) {
      let failed = false;
      const text = template.replace(/\n$/, "").replace(PLAIN_HOLE, (_match, path: string) => {
        const hole = validatorHole(path.split("."), site, names);
        if (hole === undefined) failed = true;
        return hole ?? "";
      });
      return failed ? { error: "undefined" } : text;
    }
    const parsed = parseJinja(template);
    const { alternative, failure } = validatorAlternative(parsed, site, names);
    if (failure || !alternative) return { error: "undefined" };
    const rendered = renderValidatorHoles(parsed, alternative.text, site, names, false);
    return rendered.failure ? { error: "undefined" } : rendered.text;
  } catch (error) {
    if (error instanceof JinjaError) return { error: error.kind === "syntax" ? "syntax" : "unsupported" };
    throw error;
  }
}
