/**
 * Python's operators on template values: `==` and the orderings, `in`, the arithmetic (Jinja's
 * undefined value refuses all of it), `~`, slices and `**`.
 */
import { compareCodePoints } from "../conditions/pypred.ts";
import { floatFloorDiv, floatMod, intFloorDiv, intMod } from "../python-numbers.ts";
import { positivePower } from "../python-pow.ts";
import { percentFormat } from "./printf.ts";
import { DictView, hashable, isDict, isInt, iterate, Namespace, numeric, PyFloat, pyFloat, PyRange, str, TemplateTypeError, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

/** Python's `==`. */
export function eq(left: unknown, right: unknown): boolean {
  if (left instanceof Undefined || right instanceof Undefined) return left instanceof Undefined && right instanceof Undefined;
  const x = numeric(left);
  const y = numeric(right);
  if (x && y) return x.n === y.n;
  if (left === null || left === undefined || right === null || right === undefined) return (left ?? null) === (right ?? null);
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((v, i) => eq(v, right[i]));
  if (left instanceof Tuple && right instanceof Tuple) return left.items.length === right.items.length && left.items.every((v, i) => eq(v, right.items[i]));
  if (left instanceof PyRange && right instanceof PyRange) return left.length === right.length && (left.length === 0 || (left.start === right.start && (left.length === 1 || left.step === right.step)));
  if (left instanceof Namespace || right instanceof Namespace) return left === right;
  if (isDict(left) && isDict(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && eq(left[k], right[k]));
  }
  return left === right;
}

function orderable(value: unknown, operator: string): void {
  if (value instanceof Undefined) undefinedError(value, `, so it cannot be compared with '${operator}'`);
}

/** Python's `<`, `<=`, `>`, `>=`. */
export function compare(left: unknown, operator: "<" | "<=" | ">" | ">=", right: unknown): boolean {
  orderable(left, operator);
  orderable(right, operator);
  const order = ordering(left, right, operator);
  return operator === "<" ? order < 0 : operator === "<=" ? order <= 0 : operator === ">" ? order > 0 : order >= 0;
}

export function ordering(left: unknown, right: unknown, operator: string): number {
  // (Also inside lists: `[x] < [1]` with x undefined raises as `x < 1` does.)
  orderable(left, operator);
  orderable(right, operator);
  const x = numeric(left);
  const y = numeric(right);
  // NaN (a comparison with `nan`) makes every operator false, as in Python.
  if (x && y) return x.n === y.n ? 0 : x.n < y.n ? -1 : x.n > y.n ? 1 : NaN;
  if (typeof left === "string" && typeof right === "string") return compareCodePoints(left, right);
  const sequences = Array.isArray(left) && Array.isArray(right) ? [left, right] : left instanceof Tuple && right instanceof Tuple ? [left.items, right.items] : undefined;
  if (sequences) {
    const [a, b] = sequences as [readonly unknown[], readonly unknown[]];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return ordering(a[i], b[i], operator);
    }
    return a.length - b.length;
  }
  throw new TemplateTypeError(`'${operator}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
}

/**
 * Python's `needle in haystack`, its operands evaluated in Python's order (the needle first).
 * Jinja's `Undefined` iterates as empty, so nothing is in it; a dict (or its keys) looks the
 * needle up by hash, which fails on a list or dict.
 */
export function isIn(needle: unknown, haystack: unknown): boolean {
  if (haystack instanceof Undefined) return false;
  if (typeof haystack === "string") {
    if (typeof needle !== "string") throw new TemplateTypeError(`'in <string>' requires string as left operand, not ${needle instanceof Undefined ? "Undefined" : typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (haystack instanceof PyRange) {
    const x = numeric(needle);
    if (x) return haystack.includes(x.n);
  }
  const keys = isDict(haystack) ? Object.keys(haystack) : haystack instanceof DictView && haystack.kind === "keys" ? haystack.items : undefined;
  if (keys) {
    if (!hashable(needle)) throw new TemplateTypeError(`unhashable type: '${typeName(needle)}'`);
    return typeof needle === "string" && keys.includes(needle);
  }
  return iterate(haystack).some((v) => eq(v, needle));
}

/** `needle in haystack` with the operands the other way round (what modules compiled before isIn call). */
export function contains(haystack: unknown, needle: unknown): boolean {
  return isIn(needle, haystack);
}

function undefinedOperand(operator: string, left: unknown, right: unknown): void {
  if (left instanceof Undefined) undefinedError(left, `, so it cannot be used with '${operator}'`);
  if (right instanceof Undefined) undefinedError(right, `, so it cannot be used with '${operator}'`);
}

function operandError(operator: string, left: unknown, right: unknown): never {
  throw new TemplateTypeError(`unsupported operand type(s) for ${operator}: '${typeName(left)}' and '${typeName(right)}'`);
}

/** A number result: a float when either operand was one. */
function numberResult(value: number, float: boolean): number | PyFloat {
  return float ? pyFloat(value) : value;
}

/** Python's `a + b`: numbers, or two strings, lists or tuples joined. */
export function add(left: unknown, right: unknown): unknown {
  undefinedOperand("+", left, right);
  const x = numeric(left);
  const y = numeric(right);
  if (x && y) return numberResult(x.n + y.n, x.float || y.float);
  if (typeof left === "string" && typeof right === "string") return left + right;
  if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  if (left instanceof Tuple && right instanceof Tuple) return new Tuple([...left.items, ...right.items]);
  return operandError("+", left, right);
}

/** Python's `a - b` */
export function sub(left: unknown, right: unknown): unknown {
  undefinedOperand("-", left, right);
  const x = numeric(left);
  const y = numeric(right);
  if (x && y) return numberResult(x.n - y.n, x.float || y.float);
  return operandError("-", left, right);
}

/** `count` copies of a string, list or tuple (none for a count below 1). */
function repeat(value: unknown, count: number): unknown {
  const times = Math.max(0, count);
  if (typeof value === "string") return value.repeat(times);
  const items = Array.isArray(value) ? value : value instanceof Tuple ? value.items : undefined;
  if (!items) return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return Array.isArray(value) ? out : new Tuple(out);
}

/** Python's `a * b`: numbers, or a string, list or tuple repeated an int number of times. */
export function mul(left: unknown, right: unknown): unknown {
  undefinedOperand("*", left, right);
  const x = numeric(left);
  const y = numeric(right);
  if (x && y) return numberResult(x.n * y.n, x.float || y.float);
  const repeated = isInt(right) ? repeat(left, Number(right)) : isInt(left) ? repeat(right, Number(left)) : undefined;
  return repeated ?? operandError("*", left, right);
}

function divisor(operator: string, left: unknown, right: unknown): [{ readonly n: number; readonly float: boolean }, { readonly n: number; readonly float: boolean }] {
  undefinedOperand(operator, left, right);
  const x = numeric(left);
  const y = numeric(right);
  if (!x || !y) return operandError(operator, left, right);
  if (y.n === 0) throw new TemplateTypeError(operator === "/" ? "division by zero" : operator === "//" ? "integer division or modulo by zero" : "modulo by zero");
  return [x, y];
}

/** Python's `a / b`: always a float. */
export function truediv(left: unknown, right: unknown): unknown {
  const [x, y] = divisor("/", left, right);
  return pyFloat(x.n / y.n);
}

/** Python's `a // b`: rounded down; an int for two ints. */
export function floordiv(left: unknown, right: unknown): unknown {
  const [x, y] = divisor("//", left, right);
  return x.float || y.float ? pyFloat(floatFloorDiv(x.n, y.n)) : intFloorDiv(x.n, y.n);
}

/** Python's `a % b`: the remainder with the sign of `b`, or, with a string on the left, printf-style formatting. */
export function mod(left: unknown, right: unknown): unknown {
  if (typeof left === "string") return percentFormat(left, right);
  const [x, y] = divisor("%", left, right);
  return x.float || y.float ? pyFloat(floatMod(x.n, y.n)) : intMod(x.n, y.n);
}

/** Python's `-a` */
export function neg(value: unknown): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be negated");
  const x = numeric(value);
  if (!x) throw new TemplateTypeError(`bad operand type for unary -: '${typeName(value)}'`);
  return x.float ? pyFloat(-x.n) : 0 - x.n;
}

/** Python's `+a` */
export function pos(value: unknown): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be used with unary +");
  const x = numeric(value);
  if (!x) throw new TemplateTypeError(`bad operand type for unary +: '${typeName(value)}'`);
  return x.float ? pyFloat(x.n) : x.n;
}

/** Jinja's `a ~ b ~ …`: the operands as text, joined (an undefined one is empty). */
export function concat(...values: unknown[]): string {
  return values.map(str).join("");
}

/** A slice bound: an int (a bool is one) or None. */
function sliceIndex(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (!isInt(value)) throw new TemplateTypeError("slice indices must be integers or None or have an __index__ method");
  return Number(value);
}

/** Python's `slice.indices(length)`: where a slice of `length` items starts and stops. */
function sliceIndices(length: number, start: number | null, stop: number | null, step: number): [number, number] {
  const backwards = step < 0;
  const lower = backwards ? -1 : 0;
  const upper = backwards ? length - 1 : length;
  const bound = (n: number | null, fallback: number): number => (n === null ? fallback : n < 0 ? Math.max(n + length, lower) : Math.min(n, upper));
  return [bound(start, backwards ? upper : lower), bound(stop, backwards ? lower : upper)];
}

/** `value[start:stop:step]` of a text, list, tuple or range (an undefined value raises; anything else cannot be sliced). */
export function slice(value: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be sliced");
  const sequence = typeof value === "string" ? [...value] : Array.isArray(value) ? value : value instanceof Tuple ? value.items : undefined;
  if (sequence === undefined && !(value instanceof PyRange)) throw new TemplateTypeError(isDict(value) ? "unhashable type: 'slice'" : `'${typeName(value)}' object is not subscriptable`);
  const [from, to, by] = [sliceIndex(start), sliceIndex(stop), sliceIndex(step) ?? 1];
  if (by === 0) throw new TemplateTypeError("slice step cannot be zero");
  const length = sequence ? sequence.length : (value as PyRange).length;
  const [first, end] = sliceIndices(length, from, to, by);
  // A range's slice is a range, its bounds computed from the slice's (`range(10)[2:8:3]` is `range(2, 8, 3)`).
  if (value instanceof PyRange) return new PyRange(value.at(first), value.at(end), value.step * by);
  const picked: unknown[] = [];
  for (let i = first; by < 0 ? i > end : i < end; i += by) picked.push(sequence![i]);
  return typeof value === "string" ? picked.join("") : Array.isArray(value) ? picked : new Tuple(picked);
}

/** C's `pow()` as CPython's float `**` calls it (correctly rounded; JavaScript's `**` is not always). */
function floatPower(x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || Number.isNaN(x) || Number.isNaN(y)) return x ** y;
  const magnitude = positivePower(Math.abs(x), y);
  return x < 0 && Math.abs(y % 2) === 1 ? -magnitude : magnitude;
}

/**
 * Python's `a ** b`: an int for two ints and an exponent from 0 (rounded beyond 2^53, as
 * flowc's ints are; beyond a float's range a TypeError here, where Python prints the exact int),
 * else a float; a zero to a negative power and an overflow raise, and a negative number to a
 * fractional power (a complex number in Python) is a TypeError here.
 */
export function pow(left: unknown, right: unknown): unknown {
  undefinedOperand("**", left, right);
  const x = numeric(left);
  const y = numeric(right);
  if (!x || !y) return operandError("** or pow()", left, right);
  if (!x.float && !y.float && y.n >= 0) {
    const exact = Number(BigInt(x.n) ** BigInt(y.n));
    if (!Number.isFinite(exact)) throw new TemplateTypeError("an int too large for flowc");
    return exact;
  }
  if (y.n === 0) return new PyFloat(1);
  if (x.n === 0 && y.n < 0) throw new TemplateTypeError("0.0 cannot be raised to a negative power");
  if (x.n === 1 || (x.n === -1 && !Number.isFinite(y.n))) return new PyFloat(1);
  if (x.n < 0 && Number.isFinite(y.n) && !Number.isInteger(y.n)) throw new TemplateTypeError("a complex number (flowc has none)");
  const result = floatPower(x.n, y.n);
  if (!Number.isFinite(result) && Number.isFinite(x.n) && Number.isFinite(y.n)) throw new TemplateTypeError("(34, 'Numerical result out of range')");
  return pyFloat(result);
}
