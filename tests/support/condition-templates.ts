/**
 * A condition's Jinja step put together from the pieces flowc compiles it into, for the
 * differential tests: the text as Rasa's `Template(condition).render(document)` would give it
 * to pypred (conditions.md §7), rendered by flowc's compile-time parse (jinja.ts) and its
 * run-time helpers (runtime/conditions/template.ts). flowc itself never builds the whole text
 * (it splices the holes into a predicate compiled at build time); this puts the same pieces
 * in a row.
 */
import { holeCode, JinjaError, needsJinja, parseJinja, testCode, walkDecision, type JinjaTemplate } from "../../compiler/conditions/jinja.ts";
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
  type Env = Readonly<Record<string, unknown>>;
  /** The names a `{% set %}` assigned so far, read from the environment. */
  const assignments = (env: Env): Map<string, string> => new Map(Object.keys(env).map((name) => [name, `env[${JSON.stringify(name)}]`]));
  /** The code flowc generates for a test, a hole or a value, run on `values` and the assignments. */
  const run = (code: string, env: Env): unknown => (new Function("$t", root, "env", `"use strict"; return ${code};`) as (t: object, v: object, e: Env) => unknown)(templates, values, env);
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
    // Tests, holes that are not a dotted name of the root and `{% set %}` values in Jinja's order, as the generated code runs them.
    const way = walkDecision<Env>(parsed, {}, {
      choose: (tests, env) => {
        const taken = tests.findIndex((test) => run(testCode(test, site, floatSlot, assignments(env)), env) === true);
        return taken < 0 ? tests.length : taken;
      },
      hole: (index, env) => String(run(holeCode(parsed.holes[index]!, site, floatSlot, assignments(env)), env)),
      set: (targets, value, env) => {
        const assigned = run(testCode(value, site, floatSlot, assignments(env), "value"), env);
        const list = targets.length === 1 ? [assigned] : templates.unpack(assigned, targets.length);
        return { ...env, ...Object.fromEntries(targets.map((target, i) => [target, list[i]])) };
      },
    });
    return way.text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (_marker, index: string) => way.holes.get(Number(index)) ?? hole(parsed.holes[Number(index)]!.path!));
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
