/**
 * A condition's Jinja step put together from the pieces flowc compiles it into, for the
 * differential tests: the text as Rasa's `Template(condition).render(document)` would give it
 * to pypred (conditions.md §7), rendered by flowc's compile-time parse (jinja.ts) and its
 * run-time helpers (runtime/conditions/template.ts). flowc itself never builds the whole text
 * (it splices the holes into a predicate compiled at build time); this puts the same pieces
 * in a row.
 */
import { holeCode, JinjaError, needsJinja, parseJinja, testCode, type Decision, type JinjaTemplate } from "../../compiler/conditions/jinja.ts";
import { PLAIN_HOLE_PATTERN } from "../../compiler/conditions/parse-condition.ts";
import { ConditionError } from "../../runtime/conditions/pypred.ts";
import { renderFloatSlot, renderPath } from "../../runtime/conditions/template.ts";
import * as templates from "../../runtime/templates.ts";
import { validatorHole, validatorRendering } from "../../compiler/conditions/validator-rendering.ts";

export type Rendered = string | { readonly error: "undefined" | "syntax" | "unsupported" | "other" };

const PLAIN_HOLE = new RegExp(PLAIN_HOLE_PATTERN, "gu");

/**
 * The rendered text of `template` with `{root: values}` (`context` for a branch, `slots` for a
 * rejection, whose slot `floatSlot` holds a Python float); `{error}` where Jinja raises
 * (undefined: Jinja's UndefinedError; other: any other error), Jinja refuses the text (syntax)
 * or flowc refuses it at build time (unsupported).
 */
export function renderCondition(template: string, root: "context" | "slots", values: Readonly<Record<string, unknown>>, floatSlot?: string): Rendered {
  const site = root === "context" ? "branch" : "rejection";
  /** The code flowc generates for a test or a hole, run on `values`. */
  const run = (code: string): unknown => (new Function("$t", root, `"use strict"; return ${code};`) as (t: object, v: object) => unknown)(templates, values);
  const hole = (path: readonly string[]): string => {
    const [first, ...rest] = path;
    if (first !== root) {
      if (rest.length > 0) throw new ConditionError(`'${first}' is undefined`, "invalid");
      return "";
    }
    if (root === "slots" && floatSlot !== undefined && (rest.length === 0 || (rest.length === 1 && rest[0] === floatSlot))) return renderFloatSlot(values, rest);
    return renderPath(values, rest);
  };
  try {
    // Jinja drops one trailing line break; pypred reads the plain text with it, as white space.
    if (!needsJinja(template)) return template.replace(/\n$/, "").replace(PLAIN_HOLE, (_match, path: string) => hole(path.split(".")));
    const parsed: JinjaTemplate = parseJinja(template);
    let decision: Decision = parsed.decision;
    while (decision.kind === "if") {
      const taken = decision.tests.findIndex((test) => run(testCode(test, site, floatSlot)) === true);
      decision = decision.branches[taken < 0 ? decision.tests.length : taken]!;
    }
    // (Holes render in the order written, as Jinja renders them: the first that raises decides.)
    return decision.text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (_marker, index: string) => {
      const h = parsed.holes[Number(index)]!;
      return h.path ? hole(h.path) : String(run(holeCode(h, site, floatSlot)));
    });
  } catch (error) {
    if (error instanceof JinjaError) return { error: error.kind === "syntax" ? "syntax" : "unsupported" };
    if (error instanceof ConditionError || templates.isTemplateError(error, "UndefinedError")) return { error: "undefined" };
    if (error instanceof Error) return { error: "other" };
    throw error;
  }
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
    const rendered = validatorRendering(parseJinja(template), template, site, names, false);
    return rendered.failure ? { error: "undefined" } : rendered.text;
  } catch (error) {
    if (error instanceof JinjaError) return { error: error.kind === "syntax" ? "syntax" : "unsupported" };
    throw error;
  }
}
