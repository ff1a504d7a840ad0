/**
 * The value semantics of Rasa's flow conditions (pypred under Python), for compiled predicates.
 * See shared/spec/conditions.md §5–§6. Values are JSON values as JavaScript holds them — null
 * for None, numbers for int and float, arrays for lists, plain objects for dicts — plus three
 * of pypred's own: `undefined` (a lookup that found nothing), `EMPTY` (the `empty` keyword)
 * and `PySet` (a set literal). Where pypred raises, these functions throw `ConditionError`;
 * every call site decides what that means (false for branches and guards, a violation for
 * rejections).
 *
 * Pure functions, no dependencies: generated predicates import them.
 */

/** pypred's `empty` marker. */
export const EMPTY: unique symbol = Symbol("empty");
export type Empty = typeof EMPTY;

/** Evaluation raised (pypred's exception), or the condition turned out invalid at run time. */
export class ConditionError extends Error {
  constructor(
    message: string,
    /** "invalid": a rendered template made the condition invalid; "eval": evaluation raised. */
    readonly kind: "invalid" | "eval" = "eval",
  ) {
    super(message);
    this.name = "ConditionError";
  }
}

/** A set literal `{a b c}`: a frozenset whose members compare with Python's equality. */
export class PySet {
  /** String members, for a fast membership test. */
  private readonly strings = new Set<string>();
  readonly items: readonly unknown[];

  constructor(elements: readonly unknown[]) {
    const items: unknown[] = [];
    for (const element of elements) {
      if (element === EMPTY) throw new ConditionError("a set cannot hold `empty`");
      if (Array.isArray(element) || isDict(element) || element instanceof PySet) throw new ConditionError("unhashable value in a set");
      if (!items.some((item) => equal(item, element))) items.push(element);
    }
    this.items = items;
    for (const item of items) if (typeof item === "string") this.strings.add(item);
  }

  has(value: unknown): boolean {
    if (typeof value === "string") return this.strings.has(value);
    return this.items.some((item) => equal(item, value));
  }

  /** `set contains value`: membership, raising for an unhashable value as Python does. */
  contains(value: unknown): boolean {
    if (typeof value === "string") return this.strings.has(value);
    if (Array.isArray(value) || isDict(value)) throw new ConditionError(`unhashable ${typeName(value)}`);
    return this.has(value);
  }

  get size(): number {
    return this.items.length;
  }
}

export function raise(message: string): never {
  throw new ConditionError(message);
}

function isDict(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof PySet);
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === "number" || typeof value === "boolean";
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (value instanceof PySet) return value.size;
  if (isDict(value)) return Object.keys(value).length;
  return undefined;
}

/** Python truthiness, with undefined and empty false. */
export function truthy(value: unknown): boolean {
  if (value === true) return true;
  if (value === undefined || value === null || value === EMPTY || value === false || value === 0 || value === "") return false;
  if (value === true || typeof value === "number" || typeof value === "string") return true;
  return lengthOf(value) !== 0;
}

/** Python `==` on document values (bool is a number; no other conversion). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (typeof a === "string" || typeof b === "string" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  if (a instanceof PySet) return b instanceof PySet && a.size === b.size && a.items.every((item) => b.has(item));
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/** pypred's `=` (also `==` and `is`). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) return b === undefined || b === EMPTY;
  if (a === EMPTY) return b === undefined || b === EMPTY || lengthOf(b) === 0;
  if (b === undefined) return false;
  if (b === EMPTY) return lengthOf(a) === 0;
  return pyEquals(a, b);
}

/** `value = n` for a number literal `n`: only numbers and booleans can be equal to it. */
export function equalNumber(value: unknown, n: number): boolean {
  return value === n || (typeof value === "boolean" && Number(value) === n);
}

/** pypred's `!=` (also `is not`): `undefined != empty` is true although they are equal. */
export function notEqual(a: unknown, b: unknown): boolean {
  if (a === undefined && b === EMPTY) return true;
  return !equal(a, b);
}

type Ordering = "<" | "<=" | ">" | ">=";

function ordered(a: unknown, b: unknown, op: Ordering): boolean {
  if (a === undefined || b === undefined || a === EMPTY || b === EMPTY) return false;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(Number(a), Number(b), op);
  if (typeof a === "string" && typeof b === "string") return compareNumbers(compareCodePoints(a, b), 0, op);
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (!pyEquals(a[i], b[i])) return ordered(a[i], b[i], op);
    }
    return compareNumbers(a.length, b.length, op);
  }
  if (a instanceof PySet && b instanceof PySet) {
    const subset = a.items.every((item) => b.has(item));
    const superset = b.items.every((item) => a.has(item));
    if (op === "<=") return subset;
    if (op === ">=") return superset;
    if (op === "<") return subset && a.size < b.size;
    return superset && a.size > b.size;
  }
  throw new ConditionError(`cannot order ${typeName(a)} and ${typeName(b)}`);
}

function compareNumbers(a: number, b: number, op: Ordering): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/**
 * Compares by Unicode code point, as Python does (JavaScript compares UTF-16 units, which puts
 * the characters beyond U+FFFF before U+E000–U+FFFF). Where the texts first differ, the code
 * points there are compared, a lone surrogate (which Python's text can hold) as the code point
 * it is: below U+E000 and below any character beyond U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === length) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (x < 0xd800 && y < 0xd800) return x - y; // the usual case
  // A high surrogate both share may start a pair in one text only: compare from it.
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) {
    const order = a.codePointAt(i - 1)! - b.codePointAt(i - 1)!;
    if (order !== 0) return order; // (0: a lone high surrogate in both)
  }
  return a.codePointAt(i)! - b.codePointAt(i)!;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export function less(a: unknown, b: unknown): boolean {
  return typeof a === "number" && typeof b === "number" ? a < b : ordered(a, b, "<");
}
export function lessOrEqual(a: unknown, b: unknown): boolean {
  return typeof a === "number" && typeof b === "number" ? a <= b : ordered(a, b, "<=");
}
export function greater(a: unknown, b: unknown): boolean {
  return typeof a === "number" && typeof b === "number" ? a > b : ordered(a, b, ">");
}
export function greaterOrEqual(a: unknown, b: unknown): boolean {
  return typeof a === "number" && typeof b === "number" ? a >= b : ordered(a, b, ">=");
}

/** Whether `contains` evaluates its right operand at all for this left value. */
export function canContain(left: unknown): boolean {
  return left === undefined || typeof left === "string" || Array.isArray(left) || left instanceof PySet || isDict(left);
}

/** `left contains right`, once `canContain(left)` holds. */
export function contains(left: unknown, right: unknown): boolean {
  if (left === undefined) return false;
  if (typeof left === "string") {
    if (typeof right !== "string") throw new ConditionError(`'in <string>' requires a string, not ${typeName(right)}`);
    return left.includes(right);
  }
  if (Array.isArray(left)) return right !== undefined && right !== EMPTY && left.some((item) => pyEquals(item, right));
  if (Array.isArray(right) || isDict(right) || (right instanceof PySet && !(left instanceof PySet))) {
    throw new ConditionError(`unhashable ${typeName(right)}`);
  }
  if (left instanceof PySet) return left.has(right);
  if (isDict(left)) return typeof right === "string" && Object.prototype.hasOwnProperty.call(left, right);
  return false;
}

/**
 * The regex of a compiled `matches`, built on its first test. Building a regex with Unicode
 * properties (`\p{Nd}`, which Python's `\d` becomes) costs milliseconds the first time and
 * about 0.2 ms each after: built at import, a module's regexes made up much of a cold start
 * while most conversations never test them.
 */
export class LazyRegExp {
  private compiled: RegExp | undefined;

  constructor(
    readonly source: string,
    readonly flags: string,
  ) {}

  test(text: string): boolean {
    return (this.compiled ??= new RegExp(this.source, this.flags)).test(text);
  }
}

/** `left matches /re/`: Python's `re.search` on strings; anything else does not match. */
export function matches(left: unknown, pattern: RegExp | LazyRegExp): boolean {
  return typeof left === "string" && pattern.test(left);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `dict[key]` for a key computed at run time on a dict known to be one (the slots, the context). */
export function ownKey(dict: Readonly<Record<string, unknown>>, key: string): unknown {
  return hasOwn.call(dict, key) ? dict[key] : undefined;
}

/** A key of a dict, never an inherited property. */
export function own(dict: unknown, key: string): unknown {
  return isDict(dict) && Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

/** One step of a dotted path (`a.b.c`) from `value`, as pypred walks it. */
export function step(value: unknown, part: string): unknown {
  if (value === undefined) return undefined;
  if (isDict(value)) return Object.prototype.hasOwnProperty.call(value, part) ? value[part] : undefined;
  if (typeof value === "string") {
    if (value.includes(part)) throw new ConditionError(`string indices must be integers (looking up \`${part}\`)`);
    return undefined;
  }
  if (Array.isArray(value)) {
    if (value.some((item) => item === part)) throw new ConditionError(`list indices must be integers (looking up \`${part}\`)`);
    return undefined;
  }
  throw new ConditionError(`${typeName(value)} is not iterable (looking up \`${part}\`)`);
}

/** Resolves a word token against the document (conditions.md §6.1). */
export function lookup(document: Readonly<Record<string, unknown>>, word: string): unknown {
  let text = word;
  const first = text[0];
  if (text.length >= 2 && (first === '"' || first === "'") && text[text.length - 1] === first) text = text.slice(1, -1);
  if (Object.prototype.hasOwnProperty.call(document, text)) return document[text];
  if (!text.includes(".")) return undefined;
  let current: unknown = document;
  for (const part of text.split(".")) {
    current = step(current, part);
    if (current === undefined) return undefined;
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === EMPTY) return "empty";
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  if (value instanceof PySet) return "frozenset";
  return "dict";
}
