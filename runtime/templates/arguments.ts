/** The arguments of filters, methods and globals as Python checks them: ints, counts, keywords. */
import { PythonOverflowError, PythonValueError } from "../python-numbers.ts";
import { isInt, TemplateTypeError, typeName } from "./values.ts";

export function argumentError(filter: string, what: string): never {
  throw new TemplateTypeError(`${filter}(): ${what}`);
}

/** An int argument (a bool is one); a float or anything else is a TypeError, as in Python. */
export function intArgument(filter: string, value: unknown): number {
  if (!isInt(value)) argumentError(filter, `'${typeName(value)}' object cannot be interpreted as an integer`);
  return Number(value);
}

/** Python's `int()` of a number (truncated toward zero); nan (ValueError) and infinities (OverflowError) raise. */
export function integral(n: number): number {
  if (Number.isNaN(n)) throw new PythonValueError("cannot convert float NaN to integer");
  if (!Number.isFinite(n)) throw new PythonOverflowError("cannot convert float infinity to integer");
  return Math.trunc(n) + 0; // (+ 0: no negative zero, which no int is)
}

/** A call's keyword arguments, in the order written. */
export type Keywords = readonly (readonly [string, unknown])[];

/** A method or global as the templates call it: positional arguments, keyword arguments. */
export type Callable = (args: readonly unknown[], keywords: Keywords) => unknown;

/** The positional arguments of a method that takes none by keyword, between `least` and `most` of them. */
export function positional(name: string, args: readonly unknown[], keywords: Keywords, least: number, most: number): readonly unknown[] {
  if (keywords.length > 0) throw new TemplateTypeError(`${name}() takes no keyword arguments`);
  if (args.length < least || args.length > most) throw new TemplateTypeError(`${name}() takes ${least === most ? least : `${least} to ${most}`} arguments (${args.length} given)`);
  return args;
}

/** A text argument of a str method (Python accepts nothing else). */
export function textArgument(name: string, value: unknown): string {
  if (typeof value !== "string") throw new TemplateTypeError(`${name}() argument must be str, not ${typeName(value)}`);
  return value;
}

/** An optional int argument (a bool is one; None or left out is null). */
export function optionalInt(name: string, value: unknown): number | null {
  return value === null || value === undefined ? null : intArgument(name, value);
}
