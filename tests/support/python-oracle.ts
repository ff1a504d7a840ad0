/**
 * flowc's answer to a case of the Python oracle (scripts/oracles/python-oracle.py): the same
 * target run through flowc's TypeScript reimplementation, encoded as the oracle encodes
 * CPython's answer (a float as its repr in `{float}`, an exception as `{error}`, a failing
 * format template as null), so that the two compare with `toEqual`.
 */
import { translatePythonRegex } from "../../compiler/conditions/translate-regex.ts";
import { greater, less } from "../../runtime/conditions/pypred.ts";
import * as templates from "../../runtime/templates.ts";
import { pythonFloat, pythonNumber, pythonRepr, pythonStr } from "../../runtime/conditions/template.ts";
import { parseFloatText, parseIntText } from "../../runtime/python-numbers.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";
import { interpolate } from "../../runtime/responses.ts";
import { pythonCasefold, pythonFloat as slotFloat } from "../../runtime/slots.ts";
import { compare, isTemplateError } from "../../runtime/templates.ts";
import { refused, render } from "./templates.ts";

export interface PythonOracleCase {
  readonly target: string;
  readonly args: readonly unknown[];
  readonly expected: unknown;
}

function decodeFloat(arg: unknown): number {
  const text = (arg as { float: string }).float;
  return text === "inf" ? Infinity : text === "-inf" ? -Infinity : text === "nan" ? NaN : Number(text);
}

function errorOf(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return { error: error instanceof Error && error.name === "PythonValueError" ? "ValueError" : String(error) };
  }
}

/** flowc's answers, one per way flowc reimplements the target (they must all agree with Python). */
export function flowcAnswers(c: PythonOracleCase): unknown[] {
  const [a, b] = c.args;
  switch (c.target) {
    case "repr":
      return [pythonRepr(a)];
    case "str":
      return [pythonStr(a)];
    case "float_repr":
      return [pythonFloat(decodeFloat(a))];
    case "int_repr":
      return [pythonNumber(decodeFloat(a))];
    case "float_text": {
      const slot = slotFloat(a);
      return [slot === undefined ? { error: "ValueError" } : { float: pythonFloat(slot) }, errorOf(() => ({ float: pythonFloat(parseFloatText(a as string)) }))];
    }
    case "int_text": {
      const expected = c.expected as { beyond?: string };
      return [
        errorOf(() => {
          const n = parseIntText(a as string, b as number);
          // An int beyond 2^53 is read into the nearest double.
          return expected?.beyond !== undefined && n === Number(expected.beyond) ? expected : String(n);
        }),
      ];
    }
    case "casefold":
      return [pythonCasefold(a as string)];
    case "strip":
      return [pythonStrip(a as string), templates.trim(a as string)];
    case "upper":
    case "lower":
    case "capitalize":
    case "title":
      return [templates[c.target as "upper" | "lower" | "capitalize" | "title"](a as string)];
    case "order":
      // Conditions (pypred) and Jinja templates order texts the same way.
      return [
        [less(a, b), a === b, greater(a, b)],
        [compare(a, "<", b), a === b, compare(a, ">", b)],
      ];
    case "regex": {
      // A condition's `matches`: Python's re.search with pypred's flags.
      const translation = translatePythonRegex(a as string, b as string);
      if (!translation.ok) return [translation.kind === "invalid" ? { error: "error" } : { untranslatable: translation.message }];
      return [new RegExp(translation.source, translation.flags).test(c.args[2] as string)];
    }
    case "format": {
      const values = new Map(Object.entries(b as Record<string, unknown>));
      try {
        return [interpolate(a as string, { has: (k) => values.has(k), get: (k) => values.get(k), text: (k) => pythonStr(values.get(k)) })];
      } catch (error) {
        if (isTemplateError(error, "TemplateTypeError")) return [null];
        throw error;
      }
    }
    case "jinja":
    case "jinja_num": {
      const template = a as string;
      try {
        refused(template);
        return [{ refused: template }];
      } catch {
        // accepted
      }
      try {
        return [render(template, { ...(b as Record<string, unknown>) })];
      } catch (error) {
        if (isTemplateError(error, "UndefinedError")) return [template];
        if (isTemplateError(error, "TemplateTypeError")) return [null];
        throw error;
      }
    }
    default:
      throw new Error(`unknown target ${c.target}`);
  }
}
