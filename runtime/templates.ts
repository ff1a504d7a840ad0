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
import { compareCodePoints } from "./conditions/pypred.ts";
import { jinjaTitle, pythonCapitalize, pythonFloat, pythonRepr as valueRepr } from "./conditions/template.ts";
import { floatFloorDiv, floatMod, formatExponent, formatFixed, formatGeneral, intFloorDiv, intMod, parseFloatText, parseIntText, PythonOverflowError, PythonValueError, roundFloat, roundInt } from "./python-numbers.ts";
import { FAILS, parseFormatSteps, type FormatField, type FormatStep } from "./python-format.ts";
import { formatNumber, formatText } from "./python-format-spec.ts";
import { positivePower } from "./python-pow.ts";
import { htmlUnescape } from "./html-unescape.ts";
import { htmlEscape, isUriScheme, urlize as urlizeText } from "./jinja-urlize.ts";
import { pyCount, pyFind, pyIsClass, pyJustify, pyRsplit, pySplit, pySplitlines, pyStrip, pyTailMatch, pyTitle, pyZfill } from "./python-str.ts";
import { wrapText } from "./python-textwrap.ts";
import { pythonStrip } from "./python-strip.ts";

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

/**
 * A Python float whose value is a whole number (`2.0`, the result of `4 / 2`), which a
 * JavaScript number alone would not tell from the int: it prints as `2.0`. A float that is not
 * a whole number (`2.5`, `inf`, `nan`) stays a plain number, which can only be a float; a whole
 * plain number is an int.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A float result as the templates hold it: whole numbers boxed in a {@link PyFloat}. */
export function pyFloat(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/** A number and whether it is a Python float; booleans are the ints 0 and 1, as in Python. Anything else is undefined. */
function numeric(value: unknown): { readonly n: number; readonly float: boolean } | undefined {
  if (typeof value === "number") return { n: value, float: !Number.isInteger(value) };
  if (typeof value === "boolean") return { n: Number(value), float: false };
  if (value instanceof PyFloat) return { n: value.value, float: true };
  return undefined;
}

/** Whether `value` is a Python int (a bool is one). */
function isInt(value: unknown): value is number | boolean {
  return typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
}

/** A Python tuple (the pairs of `.items()`). */
export class Tuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** What `| groupby` gives for each group: Jinja's `_GroupTuple`, a tuple `(grouper, list)` whose items are also its attributes (it prints as the tuple). */
export class GroupTuple extends Tuple {
  get grouper(): unknown {
    return this.items[0];
  }

  get list(): unknown {
    return this.items[1];
  }
}

/** What `.keys()`, `.values()` and `.items()` return: Python's dict views. */
export class DictView {
  constructor(
    readonly kind: "keys" | "values" | "items",
    readonly items: readonly unknown[],
  ) {}
}

/**
 * A Python iterator: what `map`, `select`, `reject`, `selectattr`, `rejectattr`, `unique` and
 * `items` give (generators) and `reverse` of a list, tuple or dict. Its items are computed as
 * they are walked, once (a second walk finds none), it is true even when empty, has no length,
 * and prints as Python prints the object (without the address, which Python's has).
 */
export class PyIterator {
  constructor(
    readonly kind: string,
    readonly source: Iterator<unknown>,
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

/**
 * Python's `range` (what the global `range(...)` gives): a sequence of ints computed from its
 * bounds, printed as `range(0, 3)`.
 */
export class PyRange {
  readonly length: number;

  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    this.length = Math.max(0, Math.ceil((stop - start) / step));
  }

  at(index: number): number {
    return this.start + index * this.step;
  }

  get items(): number[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** Python's `n in range(...)` of a number, without walking the range. */
  includes(n: number): boolean {
    if (!Number.isInteger(n) || this.length === 0) return false;
    const offset = n - this.start;
    return offset % this.step === 0 && offset / this.step >= 0 && offset / this.step < this.length;
  }
}

/** Jinja's `joiner(sep)`: called, it gives nothing the first time and `sep` after. */
export class Joiner {
  used = false;

  constructor(readonly separator: unknown) {}
}

/** Jinja's `cycler(...)`: `.next()` gives its items in turn, round and round; `.current`, `.reset()`. */
export class Cycler {
  position = 0;

  constructor(readonly values: readonly unknown[]) {}
}

/** Jinja's `namespace(...)`: attributes a `{% set ns.x = ... %}` may change from anywhere, printed as `<Namespace {'x': 1}>`. */
export class Namespace {
  constructor(readonly attributes: Record<string, unknown>) {}
}

function isDict(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Tuple) && !(value instanceof DictView) && !(value instanceof Undefined) && !(value instanceof LoopContext) && !(value instanceof PyFloat) && !(value instanceof PyIterator) && !(value instanceof PyRange) && !(value instanceof Namespace) && !(value instanceof Joiner) && !(value instanceof Cycler);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (value instanceof PyFloat) return "float";
  if (typeof value === "string") return "str";
  if (value instanceof Undefined) return "Undefined";
  if (Array.isArray(value)) return "list";
  if (value instanceof GroupTuple) return "_GroupTuple";
  if (value instanceof Tuple) return "tuple";
  if (value instanceof DictView) return `dict_${value.kind}`;
  if (value instanceof LoopContext) return "LoopContext";
  if (value instanceof PyIterator) return value.kind;
  if (value instanceof PyRange) return "range";
  if (value instanceof Namespace) return "Namespace";
  if (value instanceof Joiner) return "Joiner";
  if (value instanceof Cycler) return "Cycler";
  return "dict";
}

function undefinedError(value: Undefined, what: string): never {
  throw new UndefinedError(`'${value.name}' is undefined${what}`);
}

/**
 * A top-level name: a slot, `context`, or an extra value of the message. A whole number its
 * scope knows for a Python float (a float slot's) comes as a {@link PyFloat}, so that it stays
 * one through filters and arithmetic (`{{ amount + 1 }}` → `51.0`).
 */
export function lookup(variables: TemplateVariables, name: string): unknown {
  if (isScope(variables)) {
    if (!variables.has(name)) return new Undefined(name);
    const value = variables.get(name);
    return typeof value === "number" && Number.isInteger(value) && variables.isFloat(name) ? new PyFloat(value) : value;
  }
  return Object.hasOwn(variables, name) ? variables[name] : new Undefined(name);
}

/**
 * A rejection's `slots` when the collected slot is a float slot: Rasa coerced its value with
 * `float()` before the rejections run, so a whole number is a Python float there (`18.0`).
 */
export function floatSlot(slots: Readonly<Record<string, unknown>>, name: string): Readonly<Record<string, unknown>> {
  const value = slots[name];
  return typeof value === "number" && Number.isInteger(value) && Object.hasOwn(slots, name) ? { ...slots, [name]: new PyFloat(value) } : slots;
}

/** A name the template is not rendered with: Jinja's undefined (a condition's names but its one root). */
export function undefinedName(name: string): unknown {
  return new Undefined(name);
}

/** `value.name` */
export function attr(value: unknown, name: string): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${name}'`);
  if ((isDict(value) || value instanceof LoopContext) && Object.hasOwn(value, name)) return (value as unknown as Readonly<Record<string, unknown>>)[name];
  if (value instanceof Namespace && Object.hasOwn(value.attributes, name)) return value.attributes[name];
  if (value instanceof GroupTuple && (name === "grouper" || name === "list")) return value[name];
  if (value instanceof Cycler) {
    if (name === "current") return value.values[value.position];
    if (name === "items") return new Tuple(value.values);
    if (name === "pos") return value.position;
  }
  return new Undefined(name);
}

/** `value[key]` */
export function item(value: unknown, key: unknown): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no item ${pythonRepr(key)}`);
  if (key instanceof Undefined) return new Undefined(key.name);
  // A bool is an int to Python: `s[false]` is `s[0]`.
  if (typeof key === "boolean") key = Number(key);
  if (value instanceof PyRange && typeof key === "number" && Number.isInteger(key)) {
    const index = key < 0 ? value.length + key : key;
    return index >= 0 && index < value.length ? value.at(index) : new Undefined(String(key));
  }
  const sequence = Array.isArray(value) ? value : value instanceof Tuple ? value.items : typeof value === "string" ? [...value] : undefined;
  if (sequence && typeof key === "number" && Number.isInteger(key)) {
    const index = key < 0 ? sequence.length + key : key;
    return index >= 0 && index < sequence.length ? sequence[index] : new Undefined(String(key));
  }
  if (isDict(value) && typeof key === "string" && Object.hasOwn(value, key)) return value[key];
  // Jinja's item lookup falls back to the attribute: `loop['index']`, `ns['x']`, a group's `['grouper']`.
  if ((value instanceof LoopContext || value instanceof Namespace || value instanceof GroupTuple) && typeof key === "string") return attr(value, key);
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
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (value instanceof PyIterator) return `<${value.kind} object>`;
  if (value instanceof PyRange) return value.step === 1 ? `range(${value.start}, ${value.stop})` : `range(${value.start}, ${value.stop}, ${value.step})`;
  if (value instanceof Namespace) return `<Namespace ${pythonRepr(value.attributes)}>`;
  return valueRepr(value);
}

/** Python's truth value. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined || value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Tuple || value instanceof DictView) return value.items.length > 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  if (value instanceof PyRange) return value.length > 0;
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
  if (value instanceof PyIterator) return [...{ [Symbol.iterator]: () => value.source }];
  if (value instanceof PyRange) return value.items;
  throw new TemplateTypeError(`'${typeName(value)}' object is not iterable`);
}

/** The items of `value` as Python walks them: an iterator's one at a time (its errors come when its item is reached), any other's as {@link iterate}. */
function each(value: unknown): Iterable<unknown> {
  return value instanceof PyIterator ? { [Symbol.iterator]: () => value.source } : iterate(value);
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

function ordering(left: unknown, right: unknown, operator: string): number {
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
  if (value instanceof LoopContext || value instanceof PyRange) return value.length;
  throw new TemplateTypeError(`object of type '${typeName(value)}' has no len()`);
}

/** `| join(separator)` */
export function join(value: unknown, separator: unknown = "", attribute: unknown = null): string {
  const read = attributeGetter(attribute);
  return iterate(value).map((entry) => str(read(entry))).join(str(separator));
}

// ---- arithmetic (Python's operators on the values; Jinja's Undefined refuses all of them)

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

/** A `{% set %}` name before its assignment where Jinja's analysis of the scope leaves it undefined. */
export function missing(name: string): unknown {
  return new Undefined(name);
}

/** What an inline `… if …` without `else` gives when its test fails: Jinja's Undefined. */
export function noElse(): Undefined {
  return new Undefined("the inline if-expression");
}

// ---- helpers of the conversions

function argumentError(filter: string, what: string): never {
  throw new TemplateTypeError(`${filter}(): ${what}`);
}

/** An int argument (a bool is one); a float or anything else is a TypeError, as in Python. */
function intArgument(filter: string, value: unknown): number {
  if (!isInt(value)) argumentError(filter, `'${typeName(value)}' object cannot be interpreted as an integer`);
  return Number(value);
}

/** Python's `int()` of a number (truncated toward zero); nan (ValueError) and infinities (OverflowError) raise. */
function integral(n: number): number {
  if (Number.isNaN(n)) throw new PythonValueError("cannot convert float NaN to integer");
  if (!Number.isFinite(n)) throw new PythonOverflowError("cannot convert float infinity to integer");
  return Math.trunc(n) + 0; // (+ 0: no negative zero, which no int is)
}

// ---- more filters

/** `| capitalize`: Python's `str.capitalize()` of the text. */
export function capitalize(value: unknown): string {
  return pythonCapitalize(str(value));
}

/** `| trim(chars)`: Python's `str.strip()`, of white space or of the characters given. */
export function trim(value: unknown, chars: unknown = null): string {
  const text = str(value);
  if (chars === null) return pythonStrip(text);
  if (typeof chars !== "string") return argumentError("strip", `arg must be None or str, not ${typeName(chars)}`);
  const set = new Set(chars);
  const points = [...text];
  let start = 0;
  let end = points.length;
  while (start < end && set.has(points[start]!)) start++;
  while (end > start && set.has(points[end - 1]!)) end--;
  return points.slice(start, end).join("");
}

/** `| string`: Python's `str()` (an undefined value is empty). */
export function string(value: unknown): string {
  return str(value);
}

/** `| replace(old, new, count)`: Python's `str.replace()` on the values as text. */
export function replace(value: unknown, old?: unknown, replacement?: unknown, count: unknown = null): string {
  if (old === undefined || replacement === undefined) argumentError("replace", "missing a required argument");
  const limit = count === null ? -1 : intArgument("replace", count);
  const text = str(value);
  const from = str(old);
  const to = str(replacement);
  if (limit < 0) return from === "" ? insertEverywhere(text, to, Infinity) : text.split(from).join(to);
  if (from === "") return insertEverywhere(text, to, limit);
  let out = "";
  let at = 0;
  for (let done = 0; done < limit; done++) {
    const next = text.indexOf(from, at);
    if (next < 0) break;
    out += text.slice(at, next) + to;
    at = next + from.length;
  }
  return out + text.slice(at);
}

/** Python's `text.replace("", to, limit)`: `to` before each character and at the end, `limit` times at most. */
function insertEverywhere(text: string, to: string, limit: number): string {
  const points = [...text];
  let out = "";
  let done = 0;
  for (let i = 0; i <= points.length; i++) {
    if (done < limit) {
      out += to;
      done++;
    }
    if (i < points.length) out += points[i];
  }
  return out;
}

/** `| first`: the first item (an undefined value when there is none). */
export function first(value: unknown): unknown {
  if (value instanceof PyIterator) {
    const next = value.source.next();
    return next.done ? new Undefined("No first item, sequence was empty.") : next.value;
  }
  if (value instanceof PyRange) return value.length > 0 ? value.at(0) : new Undefined("No first item, sequence was empty.");
  const items = iterate(value);
  return items.length > 0 ? items[0] : new Undefined("No first item, sequence was empty.");
}

/** `| last`: the last item (an undefined value when there is none). */
export function last(value: unknown): unknown {
  // Jinja's `last` walks the value backwards: an iterator cannot be.
  if (value instanceof PyIterator) throw new TemplateTypeError(`'${value.kind}' object is not reversible`);
  if (value instanceof PyRange) return value.length > 0 ? value.at(value.length - 1) : new Undefined("No last item, sequence was empty.");
  const items = iterate(value);
  return items.length > 0 ? items[items.length - 1] : new Undefined("No last item, sequence was empty.");
}

/** `| abs`: Python's `abs()`, of numbers only. */
export function abs(value: unknown): unknown {
  const x = numeric(value);
  if (!x) throw new TemplateTypeError(`bad operand type for abs(): '${typeName(value)}'`);
  return x.float ? pyFloat(Math.abs(x.n)) : Math.abs(x.n);
}

/**
 * `| round(precision, method)`: Jinja's `round`. "common" is Python's `round()` (half to even on
 * the exact value; an int stays an int, a float stays a float); "ceil" and "floor" multiply by
 * 10 ** precision, round and divide again, which always gives a float.
 */
export function round(value: unknown, precision: unknown = 0, method: unknown = "common"): unknown {
  if (method !== "common" && method !== "ceil" && method !== "floor") throw new TemplateTypeError("method must be common, ceil or floor");
  if (method === "common") {
    const x = numeric(value);
    if (!x) throw new TemplateTypeError(`type ${typeName(value)} doesn't define __round__ method`);
    const digits = intArgument("round", precision);
    return x.float ? pyFloat(roundFloat(x.n, digits)) : roundInt(x.n, digits);
  }
  const digits = intArgument("round", precision);
  // 10 ** precision is an int for a precision from 0 (exact, and an int times it too) and a
  // float below; the float is the correctly rounded one, as CPython's.
  const scale = Number(`1e${digits}`);
  const x = numeric(value);
  if (digits >= 0 && x && !x.float) return pyFloat(x.n); // a whole int rounds to itself
  if (digits >= 0 && scale === Infinity && x) throw new TemplateTypeError("int too large to convert to float");
  const scaled = mul(value, digits >= 0 ? scale : new PyFloat(scale));
  const y = numeric(scaled);
  if (!y) throw new TemplateTypeError(`must be real number, not ${typeName(scaled)}`);
  if (!Number.isFinite(y.n)) throw new TemplateTypeError(`cannot convert float ${pythonRepr(scaled)} to integer`);
  // math.ceil and math.floor give an int, which has no -0 (`-0.5 | round(0, 'ceil')` is 0.0).
  const whole = (method === "ceil" ? Math.ceil(y.n) : Math.floor(y.n)) + 0;
  if (digits < 0) {
    if (scale === 0) throw new TemplateTypeError("float division by zero");
    return pyFloat(whole / scale);
  }
  // An int divided by an int: the exact quotient correctly rounded, as reading its decimal text is.
  return pyFloat(Number(`${BigInt(whole)}e-${digits}`));
}

/**
 * `| int(default, base)`: Jinja's `int` (3.1.6's `do_int`). A text is read as an int in `base`,
 * else as a float and truncated ("42.23" → 42, "1e400" and "nan" give the default); a number is
 * truncated, nan giving the default. `int()` of an infinite float number is an OverflowError,
 * which do_int catches only in its fallback: nothing is sent.
 */
export function toInt(value: unknown, fallback: unknown = 0, base: unknown = 10): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to int");
  const attempt = (read: () => number, overflowToo: boolean): number | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof PythonValueError || (overflowToo && error instanceof PythonOverflowError)) return undefined;
      if (error instanceof PythonOverflowError) throw new TemplateTypeError(error.message);
      throw error;
    }
  };
  if (typeof value === "string") {
    const direct = attempt(() => {
      if (!isInt(base)) throw new PythonValueError("base");
      return parseIntText(value, Number(base));
    }, false);
    if (direct !== undefined) return direct;
    return attempt(() => integral(parseFloatText(value)), true) ?? fallback;
  }
  const x = numeric(value);
  if (!x) return fallback;
  return attempt(() => integral(x.n), false) ?? fallback;
}

/** `| float(default)`: Python's `float()`, or the default when it cannot read the value. */
export function toFloat(value: unknown, fallback: unknown = new PyFloat(0)): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
  if (typeof value === "string") {
    try {
      return pyFloat(parseFloatText(value));
    } catch (error) {
      if (error instanceof PythonValueError) return fallback;
      throw error;
    }
  }
  const x = numeric(value);
  return x ? pyFloat(x.n) : fallback;
}

/**
 * `| format(…)`: Jinja's `do_format`, `str(value) % args` with the positional arguments as a
 * tuple, or the keyword arguments as a dict (both at once is an error).
 */
export function format(value: unknown, args: readonly unknown[], keywords: readonly (readonly [string, unknown])[]): string {
  if (args.length > 0 && keywords.length > 0) throw new TemplateTypeError("can't handle positional and keyword arguments at the same time");
  return percentFormat(str(value), keywords.length > 0 ? Object.fromEntries(keywords) : new Tuple(args));
}

/** `| list`: Python's `list()` (a dict gives its keys, a text its characters). */
export function list(value: unknown): unknown[] {
  return [...iterate(value)];
}

/**
 * What Jinja's `attribute=` arguments read of an item: the parts of a dotted path in turn
 * (`"address.city"`, a part of digits is an index), each as `item[part]`.
 */
function attributeGetter(attribute: unknown): (value: unknown) => unknown {
  if (attribute === null || attribute === undefined) return (value) => value;
  const parts = attributeParts(attribute);
  return (value) => parts.reduce((current, part) => item(current, part), value);
}

/** The parts of an `attribute=` path: `"a.0"` is `a`, then index 0. */
function attributeParts(attribute: unknown): readonly unknown[] {
  return typeof attribute === "string" ? attribute.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [attribute];
}

/** `| sum(attribute, start)`: Python's `sum()`, adding the items (or their attribute) to `start` in turn. */
export function sum(value: unknown, attribute: unknown = null, start: unknown = 0): unknown {
  if (typeof start === "string") throw new TemplateTypeError("sum() can't sum strings [use ''.join(seq) instead]");
  const read = attributeGetter(attribute);
  let total = start;
  for (const entry of each(value)) total = add(total, read(entry));
  return total;
}

/** `| min` and `| max`: the first smallest (largest) item, by its attribute, texts compared in lower case unless case_sensitive. */
function minOrMax(value: unknown, operator: "<" | ">", caseSensitive: unknown, attribute: unknown): unknown {
  const read = attributeGetter(attribute);
  const key = (entry: unknown): unknown => {
    const k = read(entry);
    return !truthy(caseSensitive) && typeof k === "string" ? k.toLowerCase() : k;
  };
  let found = false;
  let best: unknown;
  let bestKey: unknown;
  for (const entry of each(value)) {
    const k = key(entry);
    if (!found || compare(k, operator, bestKey)) {
      best = entry;
      bestKey = k;
      found = true;
    }
  }
  return found ? best : new Undefined("No aggregated item, sequence was empty.");
}

/** `| min(case_sensitive, attribute)` */
export function min(value: unknown, caseSensitive: unknown = false, attribute: unknown = null): unknown {
  return minOrMax(value, "<", caseSensitive, attribute);
}

/** `| max(case_sensitive, attribute)` */
export function max(value: unknown, caseSensitive: unknown = false, attribute: unknown = null): unknown {
  return minOrMax(value, ">", caseSensitive, attribute);
}

/**
 * `| truncate(length, killwords, end, leeway)`: Jinja's `do_truncate`. A text no longer than
 * `length + leeway` (leeway 5 by default) is kept; else it is cut to `length` with `end`, at the
 * last space before unless killwords. A length below the end's is an AssertionError.
 */
export function truncate(value: unknown, width: unknown = 255, killwords: unknown = false, end: unknown = "...", leeway: unknown = null): unknown {
  const limit = numeric(width);
  const margin = leeway === null ? { n: 5, float: false } : numeric(leeway);
  if (!limit || !margin) throw new TemplateTypeError("'>=' not supported between these operands");
  const endLength = length(end);
  if (limit.n < endLength || margin.n < 0) throw new TemplateTypeError("AssertionError");
  const size = length(value); // Undefined: 0, so it comes back
  if (size <= limit.n + margin.n) return value;
  // Jinja slices the value itself and joins it to `end`: only a text can be cut.
  if (typeof value !== "string" || typeof end !== "string" || limit.float) throw new TemplateTypeError(`cannot truncate a '${typeName(value)}'`);
  const kept = [...value].slice(0, limit.n - endLength).join("");
  if (truthy(killwords)) return kept + end;
  const space = kept.lastIndexOf(" ");
  return (space < 0 ? kept : kept.slice(0, space)) + end;
}

/** `| wordcount`: the runs of Python's word characters (`\w`: letters, digits, `_`) in the text. */
export function wordcount(value: unknown): number {
  return str(value).match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

// ---- filters that order, pick or reshape the items

/** Jinja's `ignore_case`: a text in lower case, anything else as it is. */
function ignoreCase(value: unknown): unknown {
  return typeof value === "string" ? value.toLowerCase() : value;
}

/** The items sorted by `key` as Python's `sorted()` does (stable; `reverse` keeps equal items in order). */
function sortedBy<T>(items: readonly T[], key: (item: T) => unknown, reverse: boolean): T[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => (reverse ? -1 : 1) * ordering(a.key, b.key, "<"));
  return keyed.map(({ item }) => item);
}

/** `| reverse`: a text backwards; anything else as Python's `reversed()` iterator (a generator as a reversed list). */
export function reverse(value: unknown): unknown {
  if (typeof value === "string") return [...value].reverse().join("");
  if (value instanceof PyIterator) return iterate(value).slice().reverse();
  const kind = Array.isArray(value) ? "list_reverseiterator" : value instanceof PyRange ? "range_iterator" : value instanceof Tuple || value instanceof Undefined ? "reversed" : value instanceof DictView ? `dict_reverse${value.kind === "keys" ? "key" : value.kind === "values" ? "value" : "item"}iterator` : isDict(value) ? "dict_reversekeyiterator" : undefined;
  if (kind === undefined) throw new TemplateTypeError("argument must be iterable");
  return new PyIterator(kind, iterate(value).slice().reverse()[Symbol.iterator]());
}

/** `| sort(reverse, case_sensitive, attribute)`: a sorted list, by the items or their attributes (`"a,b.c"`: several, in turn). */
export function sort(value: unknown, reverse: unknown = false, caseSensitive: unknown = false, attribute: unknown = null): unknown[] {
  const fold = truthy(caseSensitive) ? (k: unknown) => k : ignoreCase;
  const getters = typeof attribute === "string" ? attribute.split(",").map(attributeGetter) : [attributeGetter(attribute)];
  return sortedBy(iterate(value), (item) => getters.map((get) => fold(get(item))), truthy(reverse));
}

/** `| dictsort(case_sensitive, by, reverse)`: a dict's `(key, value)` pairs sorted by key or by value. */
export function dictsort(value: unknown, caseSensitive: unknown = false, by: unknown = "key", reverse: unknown = false): Tuple[] {
  if (by !== "key" && by !== "value") throw new TemplateTypeError('You can only sort by either "key" or "value"');
  if (value instanceof Undefined) undefinedError(value, ", so it has no attribute 'items'");
  if (!isDict(value)) throw new TemplateTypeError(`'${typeName(value)}' object has no attribute 'items'`);
  const pairs = dictView(value, "items").items as Tuple[];
  const at = by === "key" ? 0 : 1;
  return sortedBy(pairs, (pair) => (truthy(caseSensitive) ? pair.items[at] : ignoreCase(pair.items[at])), truthy(reverse));
}

/** `| items`: a dict's `(key, value)` pairs as a generator (an undefined value gives none; anything else fails when walked). */
export function items(value: unknown): PyIterator {
  return new PyIterator("generator", (function* () {
    if (value instanceof Undefined) return;
    if (!isDict(value)) throw new TemplateTypeError("Can only get item pairs from a mapping.");
    yield* dictView(value, "items").items;
  })());
}

/** Whether Python's `in` finds `key` among `seen` (a set: the key must be hashable). */
function seenBefore(seen: unknown[], key: unknown): boolean {
  if (!hashable(key)) throw new TemplateTypeError(`unhashable type: '${typeName(key)}'`);
  if (seen.some((k) => eq(k, key))) return true;
  seen.push(key);
  return false;
}

/** `| unique(case_sensitive, attribute)`: the items whose key was not seen before, as a generator. */
export function unique(value: unknown, caseSensitive: unknown = false, attribute: unknown = null): PyIterator {
  const get = attributeGetter(attribute);
  return new PyIterator("generator", (function* () {
    const seen: unknown[] = [];
    for (const entry of each(value)) {
      const key = get(entry);
      if (!seenBefore(seen, truthy(caseSensitive) ? key : ignoreCase(key))) yield entry;
    }
  })());
}

/** `| map(attribute=…, default=…)`: each item's attribute (the default where it is undefined), as a generator. */
export function mapAttribute(value: unknown, attribute: unknown, fallback: unknown = null): PyIterator {
  return new PyIterator("generator", (function* () {
    if (!truthy(value)) return;
    const parts = attributeParts(attribute);
    for (const entry of each(value)) {
      let current = entry;
      for (const part of parts) {
        current = item(current, part);
        if (fallback !== null && fallback !== undefined && current instanceof Undefined) current = fallback;
      }
      yield current;
    }
  })());
}

/** `| map('filter', …)`: each item through the filter `apply` (with the filter's arguments), as a generator. */
export function mapFilter(value: unknown, apply: (item: unknown, ...args: unknown[]) => unknown, args: readonly unknown[]): PyIterator {
  return new PyIterator("generator", (function* () {
    if (!truthy(value)) return;
    for (const entry of each(value)) yield apply(entry, ...args);
  })());
}

/**
 * `| select(test, …)`, `| reject(…)` (keep false), and with `attribute` `| selectattr(attribute,
 * test, …)` and `| rejectattr(…)`: the items whose value (or attribute) passes the test (without
 * a test: is true), as a generator.
 */
export function select(value: unknown, keep: boolean, attribute: unknown, test: string | null, args: readonly unknown[]): PyIterator {
  return new PyIterator("generator", (function* () {
    if (!truthy(value)) return;
    const get = attribute === undefined ? (entry: unknown) => entry : attributeGetter(attribute);
    for (const entry of each(value)) {
      const checked = get(entry);
      // A test that takes an argument called without one: Python's TypeError, at the first item.
      if (test !== null && args.length === 0 && TESTS_WITH_ARGUMENT.has(test)) throw new TemplateTypeError(`test '${test}' is missing an argument`);
      if ((test === null ? truthy(checked) : jinjaTest(test, checked, ...args)) === keep) yield entry;
    }
  })());
}

const TESTS_WITH_ARGUMENT: ReadonlySet<string> = new Set(["divisibleby", "in", "eq", "ne", "gt", "ge", "lt", "le"]);

/** Python's `str.center(width)`: the text in the middle of spaces, the odd one on the left when the width is odd. */
export function center(value: unknown, width: unknown = 80): string {
  const text = str(value);
  const size = intArgument("center", width);
  const margin = size - [...text].length;
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & size & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

/** Python's `str.splitlines()`: lines split at any of Python's line boundaries, without them. */
const LINE_BOUNDARY = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

/**
 * `| indent(width, first, blank)`: Jinja 3.1's `do_indent`, every line but the first indented by
 * `width` spaces (or the text `width`), blank lines only with `blank`, the first with `first`.
 * Only a text can be indented.
 */
export function indent(value: unknown, width: unknown = 4, first: unknown = false, blank: unknown = false): string {
  const indention = typeof width === "string" ? width : " ".repeat(Math.max(0, intArgument("indent", width)));
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be used with '+'");
  if (typeof value !== "string") throw new TemplateTypeError(`unsupported operand type(s) for +=: '${typeName(value)}' and 'str'`);
  const lines = (value + "\n").split(LINE_BOUNDARY);
  lines.pop(); // (the text ends with a line break: the last piece is empty)
  let out: string;
  if (truthy(blank)) out = lines.join("\n" + indention);
  else out = lines[0]! + (lines.length > 1 ? "\n" + lines.slice(1).map((line) => (line ? indention + line : line)).join("\n") : "");
  return truthy(first) ? indention + out : out;
}

/** Python's `json.dumps` of a text (ensure_ascii: every character beyond ASCII as `\uXXXX`). */
function jsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i]!;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\b") out += "\\b";
    else if (char === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return out + '"';
}

/** Python's `json.dumps(value, sort_keys=True, indent=…)`. */
function jsonDumps(value: unknown, indention: string | undefined, depth: number): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return jsonString(value);
  if (typeof value === "number" || value instanceof PyFloat) {
    const n = typeof value === "number" ? value : value.value;
    if (Number.isNaN(n)) return "NaN";
    if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
    return pythonRepr(value);
  }
  let entries: string[];
  let open: string;
  let close: string;
  if (Array.isArray(value) || value instanceof Tuple) {
    entries = (Array.isArray(value) ? value : value.items).map((v) => jsonDumps(v, indention, depth + 1));
    [open, close] = ["[", "]"];
  } else if (isDict(value)) {
    const keys = Object.keys(value).sort(compareCodePoints);
    entries = keys.map((k) => `${jsonString(k)}: ${jsonDumps(value[k], indention, depth + 1)}`);
    [open, close] = ["{", "}"];
  } else throw new TemplateTypeError(`Object of type ${typeName(value)} is not JSON serializable`);
  if (entries.length === 0) return open + close;
  if (indention === undefined) return open + entries.join(", ") + close;
  const inner = "\n" + indention.repeat(depth + 1);
  return open + inner + entries.join("," + inner) + "\n" + indention.repeat(depth) + close;
}

/**
 * `| tojson(indent)`: the value as JSON with its keys sorted (Jinja's default `json.dumps`
 * arguments), `<`, `>`, `&` and `'` escaped as `\u003c` … so that it is safe in HTML.
 */
export function tojson(value: unknown, indentArgument: unknown = null): string {
  const indention = indentArgument === null || indentArgument === undefined ? undefined : typeof indentArgument === "string" ? indentArgument : " ".repeat(Math.max(0, intArgument("tojson", indentArgument)));
  return jsonDumps(value, indention, 0).replace(/[<>&']/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);
}

// ---- tests (`x is even`, `x is divisibleby 3`)

/** Python's `str.islower()` (`upper`: `str.isupper()`): a cased character, and none of the other case. */
function isCase(text: string, upper: boolean): boolean {
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

// ---- printf-style formatting (`'%.2f' % amount`)

const FORMAT_SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([\s\S])?/y;

/** Python's `ascii()`: `repr()` with the characters beyond ASCII escaped. */
function asciiRepr(value: unknown): string {
  return [...pythonRepr(value)]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return char;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
    })
    .join("");
}

/**
 * Python's `text % values`: a tuple gives the values in order, a dict (or anything Python takes
 * for a mapping) the `%(key)s` ones, anything else is the one value. The conversions `s`, `r`,
 * `a`, `d`, `i`, `u`, `o`, `x`, `X`, `e`, `E`, `f`, `F`, `g`, `G`, `c` and `%`, with flags,
 * width and precision (also `*`). A wrong value or count is a TypeError or ValueError, as in
 * Python.
 */
export function percentFormat(format: string, values: unknown): string {
  const positional = values instanceof Tuple ? values.items : undefined;
  // Python takes any object with `__getitem__` other than a tuple or string for a mapping: a dict, a list, a range, Undefined.
  const mapping = !positional && typeof values !== "string" && (isDict(values) || Array.isArray(values) || values instanceof PyRange || values instanceof Undefined) ? values : undefined;
  let used = 0;
  let single = positional === undefined;
  const next = (): unknown => {
    if (positional) {
      if (used >= positional.length) throw new TemplateTypeError("not enough arguments for format string");
      return positional[used++];
    }
    if (!single) throw new TemplateTypeError("not enough arguments for format string");
    single = false;
    used = 1;
    return values;
  };
  let out = "";
  let at = 0;
  while (at < format.length) {
    const percent = format.indexOf("%", at);
    if (percent < 0) {
      out += format.slice(at);
      break;
    }
    out += format.slice(at, percent);
    FORMAT_SPEC.lastIndex = percent;
    const match = FORMAT_SPEC.exec(format);
    const [whole = "", key, flags = "", widthText, precisionText, conversion] = match ?? [];
    if (!match || conversion === undefined) throw new TemplateTypeError("incomplete format");
    at = percent + whole.length;
    if (conversion === "%") {
      // Only a bare `%%` is a percent sign: with a key, flags, width or precision Python refuses it.
      if (whole !== "%%") throw new TemplateTypeError("unsupported format character '%'");
      out += "%";
      continue;
    }
    let value: unknown;
    const width = widthText === "*" ? intArgument("format", next()) : widthText ? Number(widthText) : 0;
    const precisionValue = precisionText === "*" ? intArgument("format", next()) : precisionText !== undefined ? Number(precisionText || "0") : undefined;
    if (key !== undefined) {
      if (mapping === undefined) throw new TemplateTypeError("format requires a mapping");
      if (mapping instanceof Undefined) undefinedError(mapping, `, so it has no item '${key}'`);
      if (!isDict(mapping)) throw new TemplateTypeError(`list indices must be integers or slices, not str`);
      if (!Object.hasOwn(mapping, key)) throw new TemplateTypeError(`KeyError: '${key}'`);
      value = mapping[key];
    } else value = next();
    const left = flags.includes("-") || width < 0;
    const fieldWidth = Math.abs(width);
    const zero = flags.includes("0") && !left;
    const signFor = (negative: boolean): string => (negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "");
    const pad = (sign: string, body: string, numeric: boolean): string => {
      const length = [...sign].length + [...body].length;
      if (length >= fieldWidth) return sign + body;
      const fill = fieldWidth - length;
      if (left) return sign + body + " ".repeat(fill);
      if (zero && numeric) return sign + "0".repeat(fill) + body;
      return " ".repeat(fill) + sign + body;
    };
    switch (conversion) {
      case "s":
      case "r":
      case "a": {
        let text = conversion === "s" ? str(value) : conversion === "r" ? pythonRepr(value) : asciiRepr(value);
        if (precisionValue !== undefined) text = [...text].slice(0, precisionValue).join("");
        out += pad("", text, false);
        break;
      }
      case "d":
      case "i":
      case "u":
      case "o":
      case "x":
      case "X": {
        if (value instanceof Undefined && "diu".includes(conversion)) undefinedError(value, ", so it cannot be converted to int");
        const x = numeric(value);
        if (!x || (x.float && !"diu".includes(conversion))) {
          throw new TemplateTypeError(`%${conversion} format: ${"diu".includes(conversion) ? "a real number" : "an integer"} is required, not ${typeName(value)}`);
        }
        let n = x.n;
        try {
          if (x.float) n = integral(x.n);
        } catch (error) {
          // Python's ValueError (nan) or OverflowError (inf): nothing is sent.
          throw new TemplateTypeError((error as Error).message);
        }
        const magnitude = BigInt(n < 0 ? -n : n);
        let digits = conversion === "o" ? magnitude.toString(8) : conversion === "x" ? magnitude.toString(16) : conversion === "X" ? magnitude.toString(16).toUpperCase() : magnitude.toString();
        if (precisionValue !== undefined) digits = digits.padStart(precisionValue, "0");
        const prefix = flags.includes("#") ? (conversion === "o" ? "0o" : conversion === "x" ? "0x" : conversion === "X" ? "0X" : "") : "";
        out += pad(signFor(n < 0) + prefix, digits, true);
        break;
      }
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G": {
        if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
        const x = numeric(value);
        if (!x) throw new TemplateTypeError(`must be real number, not ${typeName(value)}`);
        const precision = precisionValue ?? 6;
        const alternate = flags.includes("#");
        const negative = x.n < 0 || Object.is(x.n, -0);
        const lower = conversion.toLowerCase();
        let body: string;
        if (!Number.isFinite(x.n)) body = Number.isNaN(x.n) ? "nan" : "inf";
        else body = lower === "f" ? formatFixed(x.n, precision, alternate) : lower === "e" ? formatExponent(x.n, precision, alternate) : formatGeneral(x.n, precision, alternate);
        if (conversion !== lower) body = body.toUpperCase();
        out += pad(signFor(negative && !Number.isNaN(x.n)), body, true); // (`%05f` pads inf with zeros too)
        break;
      }
      case "c": {
        let char: string;
        if (typeof value === "string" && [...value].length === 1) char = value;
        else if (isInt(value)) {
          const code = Number(value);
          if (code < 0 || code > 0x10ffff) throw new TemplateTypeError("%c arg not in range(0x110000)");
          char = String.fromCodePoint(code);
        } else throw new TemplateTypeError(`%c requires int or char`);
        out += pad("", char, false);
        break;
      }
      default:
        throw new TemplateTypeError(`unsupported format character '${conversion}'`);
    }
  }
  if (positional ? used < positional.length : single && mapping === undefined) throw new TemplateTypeError("not all arguments converted during string formatting");
  return out;
}

// ---- calls: Python's methods of the values, Jinja's globals `range`, `dict` and `namespace`

/** A call's keyword arguments, in the order written. */
export type Keywords = readonly (readonly [string, unknown])[];

/** A method or global as the templates call it: positional arguments, keyword arguments. */
type Callable = (args: readonly unknown[], keywords: Keywords) => unknown;

/** The positional arguments of a method that takes none by keyword, between `least` and `most` of them. */
function positional(name: string, args: readonly unknown[], keywords: Keywords, least: number, most: number): readonly unknown[] {
  if (keywords.length > 0) throw new TemplateTypeError(`${name}() takes no keyword arguments`);
  if (args.length < least || args.length > most) throw new TemplateTypeError(`${name}() takes ${least === most ? least : `${least} to ${most}`} arguments (${args.length} given)`);
  return args;
}

/** A text argument of a str method (Python accepts nothing else). */
function textArgument(name: string, value: unknown): string {
  if (typeof value !== "string") throw new TemplateTypeError(`${name}() argument must be str, not ${typeName(value)}`);
  return value;
}

/** An optional int argument (a bool is one; None or left out is null). */
function optionalInt(name: string, value: unknown): number | null {
  return value === null || value === undefined ? null : intArgument(name, value);
}

/** `chars` of strip, lstrip and rstrip: None or a text. */
function stripChars(name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new TemplateTypeError(`${name} arg must be None or str`);
  return value;
}

/** startswith's and endswith's prefix: a text or a tuple of texts. */
function tailMatch(name: string, text: string, args: readonly unknown[], keywords: Keywords, atEnd: boolean): boolean {
  const [prefix, start, end] = positional(name, args, keywords, 1, 3);
  const from = optionalInt(name, start);
  const to = optionalInt(name, end);
  if (prefix instanceof Tuple) return prefix.items.some((item) => pyTailMatch(text, textArgument(name, item), from, to, atEnd));
  if (typeof prefix !== "string") throw new TemplateTypeError(`${name} first arg must be str or a tuple of str, not ${typeName(prefix)}`);
  return pyTailMatch(text, prefix, from, to, atEnd);
}

/** `str.split(sep=None, maxsplit=-1)` and `rsplit`, the str methods here that take keyword arguments. */
function splitText(text: string, args: readonly unknown[], keywords: Keywords, fromRight = false): string[] {
  if (args.length > 2) throw new TemplateTypeError(`split() takes at most 2 arguments (${args.length} given)`);
  const values: unknown[] = [args[0] ?? null, args[1] ?? -1];
  for (const [key, value] of keywords) {
    const at = key === "sep" ? 0 : key === "maxsplit" ? 1 : -1;
    if (at < 0 || at < args.length) throw new TemplateTypeError(`split() got an unexpected keyword argument '${key}'`);
    values[at] = value;
  }
  const [sep, maxsplit] = values;
  if (sep !== null && typeof sep !== "string") throw new TemplateTypeError(`must be str or None, not ${typeName(sep)}`);
  if (sep === "") throw new TemplateTypeError("empty separator");
  return (fromRight ? pyRsplit : pySplit)(text, sep as string | null, intArgument("split", maxsplit));
}

/** A fill character: a text of exactly one character. */
function fillCharacter(value: unknown): string {
  if (typeof value !== "string") throw new TemplateTypeError(`The fill character must be a unicode character, not ${typeName(value)}`);
  if ([...value].length !== 1) throw new TemplateTypeError("The fill character must be exactly one character long");
  return value;
}

/**
 * Python's `format(value, spec)` of a template value: texts, ints and floats by the spec, and
 * anything else (None, lists, dicts; Jinja's undefined value prints as nothing) only without one.
 */
function formatValue(value: unknown, spec: string): string {
  try {
    if (typeof value === "string") return formatText(value, spec);
    if (spec === "" && (typeof value === "boolean" || !numeric(value))) return str(value);
    const x = numeric(value);
    if (x) return formatNumber(x.n, x.float, spec);
  } catch (error) {
    if (error instanceof PythonValueError) throw new TemplateTypeError(error.message);
    throw error;
  }
  throw new TemplateTypeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

/** Python's `value[key]` as `str.format` takes a field's `[key]` (an all-digit key is an int). */
function formatItem(value: unknown, key: string | number): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no item ${pythonRepr(key)}`);
  const sequence = Array.isArray(value) ? value : value instanceof Tuple ? value.items : typeof value === "string" ? [...value] : value instanceof PyRange ? value.items : undefined;
  if (sequence) {
    if (typeof key !== "number") throw new TemplateTypeError(`${typeName(value)} indices must be integers or slices, not str`);
    if (key >= sequence.length) throw new TemplateTypeError(`${typeName(value)} index out of range`);
    return sequence[key];
  }
  if (isDict(value)) {
    if (typeof key === "string" && Object.hasOwn(value, key)) return value[key];
    throw new TemplateTypeError(`KeyError: ${pythonRepr(key)}`);
  }
  throw new TemplateTypeError(`'${typeName(value)}' object is not subscriptable`);
}

/** Automatic (`{}`) or manual (`{0}`) field numbering, which one text cannot mix. */
interface FieldNumbering {
  mode: "" | "auto" | "manual";
  next: number;
}

/** One `{field!conversion:spec}` of `str.format`. */
function formatField(step: FormatField, args: readonly unknown[], keywords: Keywords, numbering: FieldNumbering, depth: number): string {
  const { first } = step;
  if (first === FAILS) throw new TemplateTypeError("Too many decimal digits in format string");
  let value: unknown;
  if (typeof first === "string" && first !== "") {
    const found = keywords.find(([key]) => key === first);
    if (!found) throw new TemplateTypeError(`KeyError: '${first}'`);
    value = found[1];
  } else {
    const auto = first === "";
    if (numbering.mode === (auto ? "manual" : "auto")) throw new TemplateTypeError(auto ? "cannot switch from manual field specification to automatic field numbering" : "cannot switch from automatic field numbering to manual field specification");
    numbering.mode = auto ? "auto" : "manual";
    const index = auto ? numbering.next++ : (first as number);
    if (index >= args.length) throw new TemplateTypeError(`Replacement index ${index} out of range for positional args tuple`);
    value = args[index];
  }
  for (const accessor of step.accessors) {
    // (An attribute, `.name`: Python's getattr, which flowc's values answer for none of but Jinja's undefined value, which raises.)
    if (accessor === FAILS) {
      if (value instanceof Undefined) undefinedError(value, ", so it has no attribute");
      throw new TemplateTypeError("an attribute in a format field");
    }
    value = formatItem(value, accessor);
  }
  const conversion = step.conversion;
  if (conversion === "s") value = str(value);
  else if (conversion === "r") value = pythonRepr(value);
  else if (conversion === "a") value = asciiRepr(value);
  else if (conversion !== undefined) throw new TemplateTypeError(`Unknown conversion specifier ${conversion}`);
  const spec = step.nestedSpec ? formatSteps(parseFormatSteps(step.spec), args, keywords, numbering, depth - 1) : step.spec;
  return formatValue(value, spec);
}

function formatSteps(steps: readonly FormatStep[], args: readonly unknown[], keywords: Keywords, numbering: FieldNumbering, depth: number): string {
  if (depth <= 0) throw new TemplateTypeError("Max string recursion exceeded");
  let out = "";
  for (const step of steps) {
    if (typeof step === "string") out += step;
    else if (step === FAILS) throw new TemplateTypeError("invalid format string");
    else out += formatField(step, args, keywords, numbering, depth);
  }
  return out;
}

/** Python's `text.format(*args, **keywords)`. */
function strFormat(text: string, args: readonly unknown[], keywords: Keywords): string {
  return formatSteps(parseFormatSteps(text), args, keywords, { mode: "", next: 0 }, 2);
}

/** The methods of a text, by name. */
function textMethod(text: string, name: string): Callable | undefined {
  switch (name) {
    case "upper":
      return (args, kw) => (positional(name, args, kw, 0, 0), text.toUpperCase());
    case "lower":
      return (args, kw) => (positional(name, args, kw, 0, 0), text.toLowerCase());
    case "title":
      return (args, kw) => (positional(name, args, kw, 0, 0), pyTitle(text));
    case "capitalize":
      return (args, kw) => (positional(name, args, kw, 0, 0), pythonCapitalize(text));
    case "strip":
    case "lstrip":
    case "rstrip":
      return (args, kw) => pyStrip(text, stripChars(name, positional(name, args, kw, 0, 1)[0]), name !== "rstrip", name !== "lstrip");
    case "replace":
      return (args, kw) => {
        const [old, replacement, count = -1] = positional(name, args, kw, 2, 3);
        return replace(text, textArgument(name, old), textArgument(name, replacement), intArgument(name, count));
      };
    case "split":
    case "rsplit":
      return (args, kw) => splitText(text, args, kw, name === "rsplit");
    case "splitlines": {
      return (args, kw) => {
        if (args.length > 1) throw new TemplateTypeError("splitlines() takes at most 1 argument");
        const keepends = kw.length === 1 && kw[0]![0] === "keepends" && args.length === 0 ? kw[0]![1] : kw.length === 0 ? args[0] ?? false : undefined;
        if (keepends === undefined) throw new TemplateTypeError("splitlines() got an unexpected keyword argument");
        return pySplitlines(text, truthy(intArgument("splitlines", keepends)));
      };
    }
    case "center":
    case "ljust":
    case "rjust":
      return (args, kw) => {
        const [width, fill = " "] = positional(name, args, kw, 1, 2);
        return pyJustify(text, intArgument(name, width), fillCharacter(fill), name);
      };
    case "zfill":
      return (args, kw) => pyZfill(text, intArgument(name, positional(name, args, kw, 1, 1)[0]));
    case "rfind":
    case "rindex":
      return (args, kw) => {
        const [sub, start, end] = positional(name, args, kw, 1, 3);
        const at = pyFind(text, textArgument(name, sub), optionalInt(name, start), optionalInt(name, end), true);
        if (at < 0 && name === "rindex") throw new TemplateTypeError("substring not found");
        return at;
      };
    case "isdigit":
    case "isdecimal":
    case "isalpha":
    case "isalnum":
    case "isspace":
      return (args, kw) => (positional(name, args, kw, 0, 0), pyIsClass(text, name));
    case "islower":
    case "isupper":
      return (args, kw) => (positional(name, args, kw, 0, 0), isCase(text, name === "isupper"));
    case "removeprefix":
    case "removesuffix":
      return (args, kw) => {
        const affix = textArgument(name, positional(name, args, kw, 1, 1)[0]);
        if (affix === "") return text;
        if (name === "removeprefix") return text.startsWith(affix) ? text.slice(affix.length) : text;
        return text.endsWith(affix) ? text.slice(0, text.length - affix.length) : text;
      };
    case "partition":
    case "rpartition":
      return (args, kw) => {
        const sep = textArgument(name, positional(name, args, kw, 1, 1)[0]);
        if (sep === "") throw new TemplateTypeError("empty separator");
        const at = name === "partition" ? text.indexOf(sep) : text.lastIndexOf(sep);
        if (at < 0) return new Tuple(name === "partition" ? [text, "", ""] : ["", "", text]);
        return new Tuple([text.slice(0, at), sep, text.slice(at + sep.length)]);
      };
    case "format":
      return (args, kw) => strFormat(text, args, kw);
    case "startswith":
    case "endswith":
      return (args, kw) => tailMatch(name, text, args, kw, name === "endswith");
    case "join":
      return (args, kw) => {
        const [items] = positional(name, args, kw, 1, 1);
        return [...each(items)]
          .map((item, i) => {
            if (typeof item !== "string") throw new TemplateTypeError(`sequence item ${i}: expected str instance, ${typeName(item)} found`);
            return item;
          })
          .join(text);
      };
    case "count":
    case "find":
    case "index":
      return (args, kw) => {
        const [sub, start, end] = positional(name, args, kw, 1, 3);
        const from = optionalInt(name, start);
        const to = optionalInt(name, end);
        const needle = textArgument(name, sub);
        if (name === "count") return pyCount(text, needle, from, to);
        const at = pyFind(text, needle, from, to);
        if (at < 0 && name === "index") throw new TemplateTypeError("substring not found");
        return at;
      };
    default:
      return undefined;
  }
}

/** `list.count(x)`, `list.index(x, start, end)` (also of tuples; a range's index takes no bounds). */
function sequenceMethod(items: readonly unknown[], name: string, bounded: boolean): Callable | undefined {
  if (name === "count") {
    return (args, kw) => {
      const [wanted] = positional(name, args, kw, 1, 1);
      return items.filter((item) => eq(item, wanted)).length;
    };
  }
  if (name !== "index") return undefined;
  return (args, kw) => {
    const [wanted, start, end] = positional(name, args, kw, 1, bounded ? 3 : 1);
    const [from, to] = sliceBounds(items.length, start === undefined ? null : intArgument(name, start), end === undefined ? null : intArgument(name, end));
    for (let i = from; i < to; i++) if (eq(items[i], wanted)) return i;
    throw new TemplateTypeError(`${pythonRepr(wanted)} is not in list`);
  };
}

/** `start` and `end` of list.index, clamped as Python clamps them. */
function sliceBounds(length: number, start: number | null, end: number | null): [number, number] {
  const clamp = (n: number): number => (n < 0 ? Math.max(0, n + length) : Math.min(n, length));
  return [start === null ? 0 : clamp(start), end === null ? length : clamp(end)];
}

/** The method `name` of `value`, as Python has it (undefined: the value has no such method). */
function methodOf(value: unknown, name: string): Callable | undefined {
  if (typeof value === "string") return textMethod(value, name);
  if (Array.isArray(value) || value instanceof Tuple || value instanceof PyRange) return sequenceMethod(iterate(value), name, !(value instanceof PyRange));
  if (isDict(value)) {
    if (name === "get") {
      return (args, kw) => {
        const [key, fallback = null] = positional(name, args, kw, 1, 2);
        if (!hashable(key)) throw new TemplateTypeError(`unhashable type: '${typeName(key)}'`);
        return typeof key === "string" && Object.hasOwn(value, key) ? value[key] : fallback;
      };
    }
    if (name === "keys" || name === "values" || name === "items") return (args, kw) => (positional(name, args, kw, 0, 0), dictView(value, name));
  }
  if (value instanceof Cycler && (name === "next" || name === "reset")) {
    return (args, kw) => {
      positional(name, args, kw, 0, 0);
      if (name === "reset") {
        value.position = 0;
        return null;
      }
      const current = value.values[value.position];
      value.position = (value.position + 1) % value.values.length;
      return current;
    };
  }
  if (value instanceof LoopContext && name === "cycle") {
    return (args, kw) => {
      if (kw.length > 0) throw new TemplateTypeError("cycle() got an unexpected keyword argument");
      if (args.length === 0) throw new TemplateTypeError("no items for cycling given");
      return args[value.index0 % args.length];
    };
  }
  return undefined;
}

/**
 * `value.name(...)`: Python's method of the value. Where the value has none, Jinja looks the name
 * up as an item: calling an item found (a dict's value) is a TypeError, calling nothing (Jinja's
 * undefined value) an UndefinedError, which sends the template as written.
 */
export function callMethod(value: unknown, name: string, args: readonly unknown[], keywords: Keywords = []): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${name}'`);
  const method = methodOf(value, name);
  if (method) return method(args, keywords);
  const found = attr(value, name);
  if (!(found instanceof Undefined)) throw new TemplateTypeError(`'${typeName(found)}' object is not callable`);
  throw new UndefinedError(`'${typeName(value)} object' has no attribute '${name}'`);
}

/** Python's `dict(mapping_or_pairs, **keywords)`: a dict of text keys (flowc's dicts have no others). */
function dictOf(name: string, args: readonly unknown[], keywords: Keywords): Record<string, unknown> {
  if (args.length > 1) throw new TemplateTypeError(`${name} expected at most 1 argument, got ${args.length}`);
  const out: Record<string, unknown> = {};
  const put = (key: unknown, value: unknown): void => {
    if (!hashable(key)) throw new TemplateTypeError(`unhashable type: '${typeName(key)}'`);
    if (typeof key !== "string") throw new TemplateTypeError(`flowc's dicts have text keys only, not ${typeName(key)}`);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const [source] = args;
  // (Python's dict() first looks up the argument's `keys`, which Jinja's undefined value refuses.)
  if (source instanceof Undefined) undefinedError(source, "");
  if (isDict(source)) for (const [key, value] of Object.entries(source)) put(key, value);
  else if (source !== undefined) {
    [...each(source)].forEach((pair, i) => {
      const items = pair instanceof Undefined || !(typeof pair === "string" || Array.isArray(pair) || pair instanceof Tuple || pair instanceof DictView || pair instanceof PyRange || isDict(pair)) ? undefined : iterate(pair);
      if (items === undefined) throw new TemplateTypeError(`cannot convert dictionary update sequence element #${i} to a sequence`);
      if (items.length !== 2) throw new TemplateTypeError(`dictionary update sequence element #${i} has length ${items.length}; 2 is required`);
      put(items[0], items[1]);
    });
  }
  for (const [key, value] of keywords) put(key, value);
  return out;
}

/** Python's `range(stop)`, `range(start, stop, step)`. */
function rangeOf(args: readonly unknown[], keywords: Keywords): PyRange {
  if (keywords.length > 0) throw new TemplateTypeError("range() takes no keyword arguments");
  if (args.length === 0 || args.length > 3) throw new TemplateTypeError(`range expected at least 1 argument, got ${args.length}`);
  const ints = args.map((arg) => intArgument("range", arg));
  const [start, stop, step = 1] = ints.length === 1 ? [0, ints[0]!] : ints;
  if (step === 0) throw new TemplateTypeError("range() arg 3 must not be zero");
  return new PyRange(start!, stop!, step);
}

/** Jinja's globals a template may call. */
const GLOBALS: Readonly<Record<string, Callable>> = {
  joiner: (args, keywords) => {
    if (args.length > 1 || keywords.some(([key]) => key !== "sep") || (args.length === 1 && keywords.length > 0)) throw new TemplateTypeError("joiner() takes one argument, sep");
    return new Joiner(args.length === 1 ? args[0] : keywords.length === 1 ? keywords[0]![1] : ", ");
  },
  cycler: (args, keywords) => {
    if (keywords.length > 0) throw new TemplateTypeError("cycler() got an unexpected keyword argument");
    if (args.length === 0) throw new TemplateTypeError("at least one item has to be provided");
    return new Cycler(args);
  },
  range: rangeOf,
  dict: (args, keywords) => dictOf("dict", args, keywords),
  namespace: (args, keywords) => new Namespace(dictOf("Namespace", args, keywords)),
};

/** `name(...)`: the global `range`, `dict` or `namespace`, unless a variable of that name hides it (calling a value is a TypeError). */
export function callGlobal(variables: TemplateVariables, name: string, args: readonly unknown[], keywords: Keywords = []): unknown {
  const value = lookup(variables, name);
  if (!(value instanceof Undefined)) throw new TemplateTypeError(`'${typeName(value)}' object is not callable`);
  return GLOBALS[name]!(args, keywords);
}

/** `{% set ns.name = value %}`: only a namespace's attributes can be set (checked before the value is computed, as Jinja does). */
export function setAttribute(target: unknown, name: string, value: () => unknown): void {
  if (!(target instanceof Namespace)) throw new TemplateTypeError("cannot assign attribute on non-namespace object");
  Object.defineProperty(target.attributes, name, { value: value(), enumerable: true, writable: true, configurable: true });
}

/** A dict literal `{'a': 1, ...}` (its keys are texts): a later key replaces the value of an earlier equal one. */
export function dictLiteral(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  return dictOf("dict", [], entries);
}

// ---- slices and `**`

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

// ---- the filters batch, slice, groupby, wordwrap, striptags, urlencode and filesizeformat

/** `| batch(linecount, fill_with)`: the items in lists of `linecount` (the last filled up with `fill_with`, if given), as a generator. */
export function batch(value: unknown, linecount?: unknown, fillWith: unknown = null): PyIterator {
  if (linecount === undefined) argumentError("do_batch", "missing 1 required positional argument: 'linecount'");
  return new PyIterator("generator", (function* () {
    let row: unknown[] = [];
    for (const entry of each(value)) {
      if (eq(row.length, linecount)) {
        yield row;
        row = [];
      }
      row.push(entry);
    }
    if (row.length > 0) {
      if (fillWith !== null && compare(row.length, "<", linecount)) row = add(row, mul([fillWith], sub(linecount, row.length))) as unknown[];
      yield row;
    }
  })());
}

/** `| slice(slices, fill_with)`: the items in `slices` lists of near-equal length (the shorter ones filled up with `fill_with`, if given), as a generator. */
export function sliceFilter(value: unknown, slices?: unknown, fillWith: unknown = null): PyIterator {
  if (slices === undefined) argumentError("sync_do_slice", "missing 1 required positional argument: 'slices'");
  return new PyIterator("generator", (function* () {
    const items = [...each(value)];
    const perSlice = floordiv(items.length, slices);
    const withExtra = mod(items.length, slices);
    let offset = 0;
    for (let number = 0; number < intArgument("range", slices); number++) {
      const start = add(offset, mul(number, perSlice));
      if (compare(number, "<", withExtra)) offset++;
      const end = add(offset, mul(number + 1, perSlice));
      const part = slice(items, start, end, null) as unknown[];
      if (fillWith !== null && compare(number, ">=", withExtra)) part.push(fillWith);
      yield part;
    }
  })());
}

/**
 * `| groupby(attribute, default, case_sensitive)`: the items sorted by the attribute and
 * grouped where it is equal, as a list of `(grouper, list)`; texts grouped in lower case unless
 * case_sensitive, the grouper then the first item's own.
 */
export function groupby(value: unknown, attribute?: unknown, fallback: unknown = null, caseSensitive: unknown = false): GroupTuple[] {
  if (attribute === undefined) argumentError("sync_do_groupby", "missing 1 required positional argument: 'attribute'");
  const parts = attributeParts(attribute);
  const read = (entry: unknown): unknown => {
    let current = entry;
    for (const part of parts) {
      current = item(current, part);
      if (fallback !== null && current instanceof Undefined) current = fallback;
    }
    return current;
  };
  const key = truthy(caseSensitive) ? read : (entry: unknown) => ignoreCase(read(entry));
  const groups: GroupTuple[] = [];
  let current: { key: unknown; items: unknown[] } | undefined;
  for (const entry of sortedBy(iterate(value), key, false)) {
    const k = key(entry);
    if (current && eq(current.key, k)) current.items.push(entry);
    else {
      if (current) groups.push(new GroupTuple([current.key, current.items]));
      current = { key: k, items: [entry] };
    }
  }
  if (current) groups.push(new GroupTuple([current.key, current.items]));
  return truthy(caseSensitive) ? groups : groups.map((group) => new GroupTuple([read((group.list as unknown[])[0]), group.list]));
}

/**
 * `| wordwrap(width, break_long_words, wrapstring, break_on_hyphens)`: Jinja's `do_wordwrap`,
 * each line of the text wrapped by Python's textwrap on its own, the lines joined by
 * `wrapstring` (a line break by default).
 */
export function wordwrap(value: unknown, width: unknown = 79, breakLongWords: unknown = true, wrapstring: unknown = null, breakOnHyphens: unknown = true): string {
  // (In Jinja's order: `wrapstring.join` is looked up before the text is split.)
  const joint = wrapstring === null ? "\n" : wrapstring;
  if (typeof joint !== "string") throw new TemplateTypeError(`'${typeName(joint)}' object has no attribute 'join'`);
  if (value instanceof Undefined) undefinedError(value, ", so it has no attribute 'splitlines'");
  if (typeof value !== "string") throw new TemplateTypeError(`'${typeName(value)}' object has no attribute 'splitlines'`);
  // Python's splitlines(): no piece after a last line break.
  const lines = value.split(LINE_BOUNDARY);
  if (lines[lines.length - 1] === "") lines.pop();
  const size = numeric(width);
  return lines
    .map((line) => {
      if (!size) throw new TemplateTypeError(`'<=' not supported between instances of '${typeName(width)}' and 'int'`);
      try {
        return wrapText(line, size.n, truthy(breakLongWords), truthy(breakOnHyphens)).join(joint);
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) throw new TemplateTypeError(error.message);
        throw error;
      }
    })
    .join(joint);
}

/** `| striptags`: markupsafe's `striptags` - comments, then tags, removed, white space runs made one space, references unescaped. */
export function striptags(value: unknown): string {
  let text = str(value);
  for (let start = text.indexOf("<!--"); start >= 0; start = text.indexOf("<!--")) {
    const end = text.indexOf("-->", start);
    if (end < 0) break;
    text = text.slice(0, start) + text.slice(end + 3);
  }
  for (let start = text.indexOf("<"); start >= 0; start = text.indexOf("<")) {
    const end = text.indexOf(">", start);
    if (end < 0) break;
    text = text.slice(0, start) + text.slice(end + 1);
  }
  return htmlUnescape(pySplit(text, null, -1).join(" "));
}

/** Python's `urllib.parse.quote` of a text's UTF-8 (letters, digits and `_.-~` kept, `/` too unless `forQuery`, which writes a space as `+`). */
function urlQuote(value: unknown, forQuery: boolean): string {
  let quoted: string;
  try {
    quoted = encodeURIComponent(str(value));
  } catch {
    throw new TemplateTypeError("'utf-8' codec can't encode a surrogate: surrogates not allowed");
  }
  quoted = quoted.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return forQuery ? quoted.replace(/%20/g, "+") : quoted.replace(/%2F/g, "/");
}

/** `| urlencode`: a text (or anything not iterable, as text) quoted for a URL; a dict's or an iterable's `(key, value)` pairs as a query string. */
export function urlencode(value: unknown): string {
  const iterable = !(typeof value === "string") && jinjaTest("iterable", value);
  if (!iterable) return urlQuote(value, false);
  const pairs = isDict(value) ? dictView(value, "items").items : [...each(value)];
  return pairs
    .map((pair) => {
      const [key, entry] = unpack(pair, 2);
      return `${urlQuote(key, true)}=${urlQuote(entry, true)}`;
    })
    .join("&");
}

const SIZE_PREFIXES = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_SIZE_PREFIXES = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/** `| filesizeformat(binary)`: a number of bytes (Python's `float()` of the value) for people: `1 Byte`, `12 Bytes`, `1.5 kB` (`1.5 KiB` binary). */
export function filesizeformat(value: unknown, binary: unknown = false): string {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
  let bytes: number;
  if (typeof value === "string") {
    try {
      bytes = parseFloatText(value);
    } catch (error) {
      if (error instanceof PythonValueError) throw new TemplateTypeError(error.message);
      throw error;
    }
  } else {
    const x = numeric(value);
    if (!x) throw new TemplateTypeError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
    bytes = x.n;
  }
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? BINARY_SIZE_PREFIXES : SIZE_PREFIXES;
  if (bytes === 1) return "1 Byte";
  if (bytes < base) {
    if (!Number.isFinite(bytes)) throw new TemplateTypeError("cannot convert float infinity to integer");
    return `${integral(bytes)} Bytes`;
  }
  const fixed = (n: number): string => (n < 0 || Object.is(n, -0) ? "-" : "") + (Number.isFinite(n) ? formatFixed(Math.abs(n), 1) : Number.isNaN(n) ? "nan" : "inf");
  for (let i = 0; i < prefixes.length; i++) {
    const unit = base ** (i + 2);
    if (bytes < unit || i === prefixes.length - 1) return `${fixed((base * bytes) / unit)} ${prefixes[i]}`;
  }
  return "";
}

// ---- filters of HTML: escape, xmlattr, urlize (plain text, as Jinja gives them without autoescape)

/**
 * `| escape` (`| e`) and `| forceescape`: markupsafe's `escape` of the value's text. (Jinja's
 * result is `Markup`; the compiler accepts the filter only where that makes no difference.)
 */
export function escape(value: unknown): string {
  return htmlEscape(str(value));
}

/** `| safe`: the value's text (Jinja's Markup, accepted by the compiler only where that makes no difference). */
export function safe(value: unknown): string {
  return str(value);
}

/**
 * `| attr(name)`: Python's getattr, without Jinja's fall back to the item: a namespace's, the
 * loop's and a group's attributes; anything else has none flowc holds (a dict's keys are not
 * attributes), so the result is undefined.
 */
export function attrFilter(value: unknown, name?: unknown): unknown {
  if (name === undefined) argumentError("do_attr", "missing 1 required positional argument: 'name'");
  if (typeof name !== "string") throw new TemplateTypeError(`attribute name must be string, not '${typeName(name)}'`);
  const key = name;
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${key}'`);
  if (value instanceof Namespace || value instanceof LoopContext || value instanceof GroupTuple) return attr(value, key);
  return new Undefined(key);
}

/** `| forceescape` */
export function forceescape(value: unknown): string {
  return htmlEscape(str(value));
}

const ATTRIBUTE_KEY = /[ \t\n\r\f\v/>=]/;

/** `| xmlattr(autospace)`: a dict's items as `key="value"` attributes (values escaped; None and undefined ones left out). */
export function xmlattr(value: unknown, autospace: unknown = true): string {
  if (value instanceof Undefined) undefinedError(value, ", so it has no attribute 'items'");
  if (!isDict(value)) throw new TemplateTypeError(`'${typeName(value)}' object has no attribute 'items'`);
  const attributes: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || entry instanceof Undefined) continue;
    if (ATTRIBUTE_KEY.test(key)) throw new TemplateTypeError(`Invalid character in attribute name: ${pythonRepr(key)}`);
    attributes.push(`${htmlEscape(key)}="${htmlEscape(str(entry))}"`);
  }
  const out = attributes.join(" ");
  return truthy(autospace) && out ? " " + out : out;
}

/** `| urlize(trim_url_limit, nofollow, target, rel, extra_schemes)`: web and e-mail addresses in the text made links (`rel="noopener"`, Jinja's policy). */
export function urlize(value: unknown, trimUrlLimit: unknown = null, nofollow: unknown = false, target: unknown = null, rel: unknown = null, extraSchemes: unknown = null): string {
  const relText = truthy(rel) ? rel : "";
  if (typeof relText !== "string") throw new TemplateTypeError(`'${typeName(relText)}' object has no attribute 'split'`);
  const parts = new Set(pySplit(relText, null, -1));
  if (truthy(nofollow)) parts.add("nofollow");
  parts.add("noopener");
  const schemes = extraSchemes === null ? null : [...each(extraSchemes)];
  for (const scheme of schemes ?? []) {
    if (typeof scheme !== "string" || !isUriScheme(scheme)) throw new TemplateTypeError(`${pythonRepr(scheme)} is not a valid URI scheme prefix.`);
  }
  if (trimUrlLimit !== null && !numeric(trimUrlLimit)) throw new TemplateTypeError("'>' not supported");
  return urlizeText(str(value), {
    trimUrlLimit: trimUrlLimit === null ? null : numeric(trimUrlLimit)!.n,
    rel: [...parts].sort(compareCodePoints).join(" "),
    target: target === null || !truthy(target) ? null : str(target),
    extraSchemes: schemes as string[] | null,
  });
}

/** `value(...)`: only a joiner can be called (Jinja's undefined value raises UndefinedError, anything else is not callable). */
export function callValue(value: unknown, args: readonly unknown[], keywords: Keywords = []): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be called");
  if (value instanceof Joiner) {
    positional("Joiner.__call__", args, keywords, 0, 0);
    if (!value.used) {
      value.used = true;
      return "";
    }
    return value.separator;
  }
  throw new TemplateTypeError(`'${typeName(value)}' object is not callable`);
}
