/**
 * One condition from text to a callable predicate: parse, translate its regexes, compile it
 * (compile-predicate.ts) and instantiate the compiled code with the runtime helpers. `flowc
 * eval` and the tests run conditions this way, so they run exactly the code that generated
 * modules contain.
 */
import * as runtime from "../../runtime/conditions/index.ts";
import * as templates from "../../runtime/templates.ts";
import { PythonOverflowError, PythonValueError } from "../../runtime/python-numbers.ts";
import type { ConditionSite, Expression } from "./ast.ts";
import { compileCondition } from "./compile-condition.ts";
import type { CompiledPredicate } from "./compile-predicate.ts";
import { simplifyForSearch } from "./simplify-search-regex.ts";
import { translatePythonRegex } from "./translate-regex.ts";

export type Predicate = (slots: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>> | undefined) => boolean;

export type ConditionFunction =
  | { readonly ok: true; readonly predicate: Predicate; readonly compiled: CompiledPredicate }
  | { readonly ok: false; readonly error: string };

// The fallback parser of templated conditions compiles regexes it meets at run time.
runtime.setRegexTranslator((pattern, flags) => {
  const translation = translatePythonRegex(pattern, flags);
  if (!translation.ok) throw new Error(translation.message);
  return new RegExp(simplifyForSearch(translation.source), translation.flags);
});

/** `ast`: the condition's syntax tree when the caller has already parsed it. */
export function conditionFunction(text: string, site: ConditionSite, ast?: Expression): ConditionFunction {
  const compilation = compileCondition(text, site, { ast });
  if (!compilation.ok) return { ok: false, error: `${compilation.error.kind}: ${compilation.error.message}` };
  return { ok: true, predicate: instantiate(compilation.compiled), compiled: compilation.compiled };
}

/** The helpers as a plain object: property loads on it are cheaper than on a module namespace. */
const helpers = { ...runtime };

export function instantiate(compiled: CompiledPredicate): Predicate {
  const constants = compiled.hoisted.map((h) => `const ${h.name} = ${h.code};`).join("\n");
  // Code compiled for a TypeScript module types its temporaries and holes; plain JavaScript does not.
  const body = compiled.body.replace(/^(\s*let [^;\n]*);$/gm, (line) => line.replace(/: unknown/g, "")).replace(/^(\s*const \w+): string = /gm, "$1 = ");
  const factory = new Function("$", "$t", `"use strict";\n${constants}\nreturn function predicate(slots, context) {\n${body}\n};`) as (helpers: typeof runtime, templateHelpers: typeof templates) => Predicate;
  return factory(helpers, templates);
}

export interface Evaluation {
  readonly valid: boolean;
  readonly result: boolean | null;
  readonly error: string | null;
}

export interface EvalDocument {
  readonly slots?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
}

/** What the template helpers raise where Jinja or Python raise. */
const RENDERING_ERRORS = [templates.UndefinedError, templates.TemplateTypeError, PythonValueError, PythonOverflowError];

/** Evaluates conditions as `flowc eval` reports them, compiling each text once. */
export class ConditionEvaluator {
  private readonly cache = new Map<string, ConditionFunction>();

  evaluate(text: string, document: EvalDocument, site: ConditionSite = "guard"): Evaluation {
    const key = `${site}\u0000${text}`;
    let fn = this.cache.get(key);
    if (!fn) this.cache.set(key, (fn = conditionFunction(text, site)));
    if (!fn.ok) return { valid: false, result: null, error: fn.error };
    try {
      return { valid: true, result: fn.predicate(document.slots ?? {}, site === "rejection" ? undefined : (document.context ?? {})), error: null };
    } catch (error) {
      if (error instanceof runtime.ConditionError) {
        return error.kind === "invalid" ? { valid: false, result: null, error: `invalid: ${error.message}` } : { valid: true, result: null, error: `eval: ${error.message}` };
      }
      // Jinja raised while rendering the condition (`{{ foo.bar }}`, `{{ 'a' + 1 }}`): pypred never sees it.
      if (RENDERING_ERRORS.some((type) => error instanceof type)) return { valid: false, result: null, error: `invalid: template: ${(error as Error).message}` };
      throw error;
    }
  }
}

/** Evaluates one condition on a document `{slots, context}`. */
export function evaluateCondition(text: string, document: EvalDocument, site: ConditionSite = "guard"): Evaluation {
  return new ConditionEvaluator().evaluate(text, document, site);
}
