/**
 * What compiled Jinja response templates call at run time. The compiler turns each
 * `metadata: {template: jinja}` text into a plain function (see
 * compiler/passes/compile-response-templates.ts); that function reads values through these
 * helpers so they behave as Jinja does under Rasa: a missing name is Jinja's `Undefined` (it
 * prints as nothing, is false, iterates as empty and has length 0), anything asked *of* an
 * undefined value raises {@link UndefinedError} (Rasa then sends the template as written), and
 * values print as Python's `str()` (`None`, `True`, `['a', 'b']`). A value of the wrong type
 * raises {@link TemplateTypeError}, as Python's `TypeError` would.
 */
import { jinjaTitle, pythonFloat, pythonRepr as valueRepr } from "./conditions/template.ts";

const SCOPE = Symbol.for("flowc.VariableScope");

/**
 * Variables that answer for their names without being one object: a response's variables are
 * every slot (an assistant may have thousands), `context` and the message's extra values, and
 * copying them all into one record for each message would cost more than rendering it.
 */
export abstract class VariableScope {
  /** The brand {@link lookup} knows a scope by: a generated module may have been handed another copy of this module, where `instanceof` fails. */
  readonly [SCOPE] = true;
  abstract has(name: string): boolean;
  abstract get(name: string): unknown;
  /** Whether the number `name` holds is a Python float (a float slot's), which prints as one (`50.0`). */
  isFloat(_name: string): boolean {
    return false;
  }
}

function isScope(variables: TemplateVariables): variables is VariableScope {
  return (variables as { readonly [SCOPE]?: unknown })[SCOPE] === true;
}

/**
 * Whether `error` is this module's {@link UndefinedError} or {@link TemplateTypeError}, by name:
 * a compiled template may throw it from another copy of this module.
 */
export function isTemplateError(error: unknown, name: "UndefinedError" | "TemplateTypeError"): boolean {
  return error instanceof Error && error.name === name;
}

/** The variables a template sees: every slot by name, `context` (the current frame) and extra values; a record or a {@link VariableScope}. */
export type TemplateVariables = Readonly<Record<string, unknown>> | VariableScope;

/** Jinja's `Undefined`: a name or key that is not there. */
export class Undefined {
  constructor(readonly name: string) {}
}

/** Raised where Jinja raises `UndefinedError`: Rasa then sends the template text unrendered. */
export class UndefinedError extends Error {
  override readonly name = "UndefinedError";
}

/** Raised where Python would raise a `TypeError` or `ValueError`: Rasa's action then fails and sends nothing. */
export class TemplateTypeError extends Error {
  override readonly name = "TemplateTypeError";
}

/** A Python tuple (the pairs of `.items()`). */
export class Tuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** What `.keys()`, `.values()` and `.items()` return: Python's dict views. */
export class DictView {
  constructor(
    readonly kind: "keys" | "values" | "items",
    readonly items: readonly unknown[],
  ) {}
}

/**
 * The `loop` variable inside `{% for %}`: Jinja's LoopContext, which prints as `<LoopContext 1/3>`
 * and is true. Iterating it (which in Jinja advances the loop itself) is a TemplateTypeError here.
 */
export class LoopContext {
  readonly index: number;
  readonly revindex: number;
  readonly revindex0: number;
  readonly first: boolean;
  readonly last: boolean;
  readonly depth = 1;
  readonly depth0 = 0;
  /** The items before and after (absent at the ends, where Jinja's are undefined). */
  declare readonly previtem?: unknown;
  declare readonly nextitem?: unknown;

  constructor(
    readonly index0: number,
    readonly length: number,
    items?: readonly unknown[],
  ) {
    this.index = index0 + 1;
    this.revindex = length - index0;
    this.revindex0 = length - index0 - 1;
    this.first = index0 === 0;
    this.last = index0 === length - 1;
    if (items && index0 > 0) this.previtem = items[index0 - 1];
    if (items && index0 < length - 1) this.nextitem = items[index0 + 1];
  }
}

function isDict(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Tuple) && !(value instanceof DictView) && !(value instanceof Undefined) && !(value instanceof LoopContext);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  if (value instanceof Tuple) return "tuple";
  if (value instanceof DictView) return `dict_${value.kind}`;
  if (value instanceof LoopContext) return "LoopContext";
  return "dict";
}

function undefinedError(value: Undefined, what: string): never {
  throw new UndefinedError(`'${value.name}' is undefined${what}`);
}

/** A top-level name: a slot, `context`, or an extra value of the message. */
export function lookup(variables: TemplateVariables, name: string): unknown {
  if (isScope(variables)) return variables.has(name) ? variables.get(name) : new Undefined(name);
  return Object.hasOwn(variables, name) ? variables[name] : new Undefined(name);
}

/** `value.name` */
export function attr(value: unknown, name: string): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${name}'`);
  if ((isDict(value) || value instanceof LoopContext) && Object.hasOwn(value, name)) return (value as unknown as Readonly<Record<string, unknown>>)[name];
  return new Undefined(name);
}

/** `value[key]` */
export function item(value: unknown, key: unknown): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no item ${pythonRepr(key)}`);
  if (key instanceof Undefined) return new Undefined(key.name);
  // A bool is an int to Python: `s[false]` is `s[0]`.
  if (typeof key === "boolean") key = Number(key);
  const sequence = Array.isArray(value) ? value : value instanceof Tuple ? value.items : typeof value === "string" ? [...value] : undefined;
  if (sequence && typeof key === "number" && Number.isInteger(key)) {
    const index = key < 0 ? sequence.length + key : key;
    return index >= 0 && index < sequence.length ? sequence[index] : new Undefined(String(key));
  }
  if (isDict(value) && typeof key === "string" && Object.hasOwn(value, key)) return value[key];
  // Jinja's item lookup falls back to the attribute: `loop['index']`.
  if (value instanceof LoopContext && typeof key === "string") return attr(value, key);
  return new Undefined(String(key));
}

/** `value.keys()`, `value.values()`, `value.items()`: only dicts have them. */
export function dictView(value: unknown, kind: "keys" | "values" | "items"): DictView {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${kind}'`);
  if (!isDict(value)) throw new UndefinedError(`'${typeName(value)} object' has no attribute '${kind}'`);
  const entries = Object.entries(value);
  return new DictView(kind, kind === "keys" ? entries.map(([k]) => k) : kind === "values" ? entries.map(([, v]) => v) : entries.map(([k, v]) => new Tuple([k, v])));
}

/** What `{{ value }}` prints. */
export function output(value: unknown): string {
  return str(value);
}

/** What `{{ name }}` prints for a variable: as {@link output}, but a number its scope knows for a Python float as Python prints one (`50.0`). */
export function outputVariable(variables: TemplateVariables, name: string): string {
  const value = lookup(variables, name);
  return typeof value === "number" && isScope(variables) && variables.isFloat(name) ? pythonFloat(value) : str(value);
}

/** Python's `str()`, with Jinja's `Undefined` as the empty string. */
export function str(value: unknown): string {
  if (value instanceof Undefined) return "";
  if (typeof value === "string") return value;
  return pythonRepr(value);
}

/** Python's `repr()` of a template value. */
export function pythonRepr(value: unknown): string {
  if (value instanceof Undefined) return "Undefined";
  if (value instanceof Tuple) return value.items.length === 1 ? `(${pythonRepr(value.items[0])},)` : `(${value.items.map(pythonRepr).join(", ")})`;
  if (value instanceof DictView) return `dict_${value.kind}([${value.items.map(pythonRepr).join(", ")}])`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (isDict(value)) return `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  if (value instanceof LoopContext) return `<LoopContext ${value.index}/${value.length}>`;
  return valueRepr(value);
}

/** Python's truth value. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined || value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Tuple || value instanceof DictView) return value.items.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's `a or b` (the value of `a` when it is true, else `b`). */
export function or(left: unknown, right: () => unknown): unknown {
  return truthy(left) ? left : right();
}

/** Python's `a and b` (the value of `a` when it is false, else `b`). */
export function and(left: unknown, right: () => unknown): unknown {
  return truthy(left) ? right() : left;
}

/** What `{% for x in value %}` walks over. */
export function iterate(value: unknown): readonly unknown[] {
  if (value instanceof Undefined) return [];
  if (Array.isArray(value)) return value;
  if (value instanceof Tuple || value instanceof DictView) return value.items;
  if (typeof value === "string") return [...value];
  if (isDict(value)) return Object.keys(value);
  throw new TemplateTypeError(`'${typeName(value)}' object is not iterable`);
}

/** `{% for a, b in … %}`: one item split into `count` names. */
export function unpack(value: unknown, count: number): readonly unknown[] {
  const items = iterate(value);
  if (items.length !== count) throw new TemplateTypeError(`cannot unpack ${items.length} values into ${count} names`);
  return items;
}

/** The `loop` variable inside `{% for %}` over `items` (modules compiled before passed no items). */
export function loopInfo(index0: number, length: number, items?: readonly unknown[]): LoopContext {
  return new LoopContext(index0, length, items);
}

// ---- comparisons

/** Python's `==`. */
export function eq(left: unknown, right: unknown): boolean {
  if (left instanceof Undefined || right instanceof Undefined) return left instanceof Undefined && right instanceof Undefined;
  if ((typeof left === "number" || typeof left === "boolean") && (typeof right === "number" || typeof right === "boolean")) return Number(left) === Number(right);
  if (left === null || left === undefined || right === null || right === undefined) return (left ?? null) === (right ?? null);
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((v, i) => eq(v, right[i]));
  if (left instanceof Tuple && right instanceof Tuple) return left.items.length === right.items.length && left.items.every((v, i) => eq(v, right.items[i]));
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

function ordering(left: unknown, right: unknown, operator: string): number {
  if ((typeof left === "number" || typeof left === "boolean") && (typeof right === "number" || typeof right === "boolean")) return Number(left) - Number(right);
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0;
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      if (!eq(left[i], right[i])) return ordering(left[i], right[i], operator);
    }
    return left.length - right.length;
  }
  throw new TemplateTypeError(`'${operator}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
}

/** Whether Python can hash `value` (a dict key must be): lists, dicts, `.keys()` and `.items()` cannot be hashed (`.values()` hashes by identity). */
function hashable(value: unknown): boolean {
  if (value instanceof Tuple) return value.items.every(hashable);
  return !Array.isArray(value) && !isDict(value) && !(value instanceof DictView && value.kind !== "values");
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

// ---- tests (`x is defined`)

export function isDefined(value: unknown): boolean {
  return !(value instanceof Undefined);
}

export function isNone(value: unknown): boolean {
  return value === null;
}

// ---- filters

/** `| lower` */
export function lower(value: unknown): string {
  return str(value).toLowerCase();
}

/** `| upper` */
export function upper(value: unknown): string {
  return str(value).toUpperCase();
}

/** `| title`, as Jinja's filter does it (not Python's `str.title`): see jinjaTitle. */
export function title(value: unknown): string {
  return jinjaTitle(str(value));
}

/** `| default(fallback, boolean)`: the fallback for an undefined value (or, with `boolean`, any false one). */
export function defaultTo(value: unknown, fallback: unknown = "", boolean: unknown = false): unknown {
  return value instanceof Undefined || (truthy(boolean) && !truthy(value)) ? fallback : value;
}

/** `| length` (and `| count`) */
export function length(value: unknown): number {
  if (value instanceof Undefined) return 0;
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Tuple || value instanceof DictView) return value.items.length;
  if (isDict(value)) return Object.keys(value).length;
  if (value instanceof LoopContext) return value.length;
  throw new TemplateTypeError(`object of type '${typeName(value)}' has no len()`);
}

/** `| join(separator)` */
export function join(value: unknown, separator: unknown = ""): string {
  return iterate(value).map(str).join(str(separator));
}
