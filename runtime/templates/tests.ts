/** Jinja's tests, `x is even`, `x is divisibleby 3` (jinja2/tests.py). */
import { compare, eq, isIn, mod } from "./operators.ts";
import { DictView, isDefined, isDict, isNone, LoopContext, numeric, PyFloat, PyIterator, PyRange, str, TemplateTypeError, Tuple, Undefined } from "./values.ts";

/** Python's `str.islower()` (`upper`: `str.isupper()`): a cased character, and none of the other case. */
export function isCase(text: string, upper: boolean): boolean {
  const wanted = upper ? /\p{Uppercase}/u : /\p{Lowercase}/u;
  const other = upper ? /[\p{Lowercase}\p{Lt}]/u : /[\p{Uppercase}\p{Lt}]/u;
  return wanted.test(text) && !other.test(text);
}

/** Jinja's tests (jinja2/tests.py) other than `defined`, `undefined` and `none`. */
export function jinjaTest(name: string, value: unknown, argument?: unknown): boolean {
  switch (name) {
    case "defined":
      return isDefined(value);
    case "undefined":
      return !isDefined(value);
    case "none":
      return isNone(value);
    case "odd":
      return eq(mod(value, 2), 1);
    case "even":
      return eq(mod(value, 2), 0);
    case "divisibleby":
      return eq(mod(value, argument), 0);
    case "boolean":
      return typeof value === "boolean";
    case "true":
      return value === true;
    case "false":
      return value === false;
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "float":
      return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
    case "number":
      return numeric(value) !== undefined;
    case "string":
      return typeof value === "string";
    case "mapping":
      return isDict(value);
    case "sequence":
      // len() and __getitem__: not a dict view or the loop (which have no __getitem__); Undefined has both.
      return typeof value === "string" || Array.isArray(value) || value instanceof Tuple || isDict(value) || value instanceof Undefined || value instanceof PyRange;
    case "iterable":
      return typeof value === "string" || Array.isArray(value) || value instanceof Tuple || value instanceof DictView || isDict(value) || value instanceof Undefined || value instanceof LoopContext || value instanceof PyIterator || value instanceof PyRange;
    case "lower":
      return isCase(str(value), false);
    case "upper":
      return isCase(str(value), true);
    case "in":
      return isIn(value, argument);
    case "eq":
      return eq(value, argument);
    case "ne":
      return !eq(value, argument);
    case "gt":
      return compare(value, ">", argument);
    case "ge":
      return compare(value, ">=", argument);
    case "lt":
      return compare(value, "<", argument);
    case "le":
      return compare(value, "<=", argument);
    default:
      throw new TemplateTypeError(`no test named '${name}'`);
  }
}
