/**
 * The values compiled response templates hold, as Jinja and Python have them: Jinja's
 * `Undefined`, whole Python floats ({@link PyFloat}), tuples, dict views, iterators, `loop`,
 * `range`, and the objects of the globals joiner, cycler and namespace; how a name, an attribute
 * and an item are read; and what a value prints as (`str()`, `repr()`), its truth and its items.
 */
import { pythonFloat, pythonRepr as valueRepr } from "../conditions/template.ts";

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

  /** A number in [0, 1) for Jinja's `random` filter: a response's scope draws it from the assistant's variation choice. */
  random(): number {
    return Math.random();
  }
}

function isScope(variables: TemplateVariables): variables is VariableScope {
  return (variables as { readonly [SCOPE]?: unknown })[SCOPE] === true;
}

/** A number in [0, 1) drawn from the variables' random source (a plain record has none: Math.random). */
export function randomOf(variables: TemplateVariables): number {
  return isScope(variables) ? variables.random() : Math.random();
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
export function numeric(value: unknown): { readonly n: number; readonly float: boolean } | undefined {
  if (typeof value === "number") return { n: value, float: !Number.isInteger(value) };
  if (typeof value === "boolean") return { n: Number(value), float: false };
  if (value instanceof PyFloat) return { n: value.value, float: true };
  return undefined;
}

/** Whether `value` is a Python int (a bool is one). */
export function isInt(value: unknown): value is number | boolean {
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
  /** How deep a recursive loop's pass is: 1 (0) but inside `loop(items)`. */
  readonly depth: number;
  readonly depth0: number;
  /** The items before and after (absent at the ends, where Jinja's are undefined). */
  declare readonly previtem?: unknown;
  declare readonly nextitem?: unknown;

  constructor(
    readonly index0: number,
    readonly length: number,
    items?: readonly unknown[],
    /** What `loop.changed(values)` was last called with, kept across the loop's passes (absent where the template never calls it). */
    readonly changes?: LoopChanges,
    /** A recursive loop's body over other items, one level deeper: what `loop(items)` calls (absent for a loop without `recursive`). */
    readonly walk?: RecursiveLoop,
    depth0 = 0,
  ) {
    this.depth0 = depth0;
    this.depth = depth0 + 1;
    this.index = index0 + 1;
    this.revindex = length - index0;
    this.revindex0 = length - index0 - 1;
    this.first = index0 === 0;
    this.last = index0 === length - 1;
    if (items && index0 > 0) this.previtem = items[index0 - 1];
    if (items && index0 < length - 1) this.nextitem = items[index0 + 1];
  }
}

/** A `{% for … recursive %}` loop's body as a function of its items and the depth0 of its passes, giving the text it prints. */
export type RecursiveLoop = (iterable: unknown, depth0: number) => string;

/** The attributes of `loop` (Jinja's LoopContext), which {@link attr} reads. */
const LOOP_ATTRIBUTES: ReadonlySet<string> = new Set(["index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0", "previtem", "nextitem"]);

/** The values of the last `loop.changed(…)` of a loop (none before the first call). */
export interface LoopChanges {
  last?: Tuple;
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

/**
 * One of Jinja's globals `range`, `dict`, `namespace`, `joiner` and `cycler` read as a value
 * (`{{ range }}`, `{% set r = range %}`): the Python class, printed as Python prints it.
 */
export class PyClass {
  constructor(
    readonly name: string,
    readonly text: string,
    /** The attributes Python's class has besides its dunder ones (`range.start`, a descriptor flowc does not hold). */
    readonly members: readonly string[],
  ) {}
}

/**
 * A `{% macro %}` (or the `caller` of a `{% call %}` block): Jinja's Macro, printed as
 * `<Macro 'name'>`. `render` takes the arguments as Jinja binds them (see callMacro): the
 * parameters (JavaScript's undefined for one not given), then `caller`, `kwargs` and `varargs` where
 * the body reads them.
 */
export class Macro {
  constructor(
    /** null: a `{% call %}` block's caller, which Jinja prints as `<Macro anonymous>`. */
    readonly name: string | null,
    readonly parameters: readonly string[],
    readonly catches: { readonly caller: boolean; readonly kwargs: boolean; readonly varargs: boolean },
    readonly render: (...args: unknown[]) => string,
  ) {}
}

/** Jinja's globals that are classes, by name (`lipsum`, a function, the compiler refuses). */
const GLOBAL_CLASSES: ReadonlyMap<string, PyClass> = new Map([
  ["range", new PyClass("range", "<class 'range'>", ["count", "index", "start", "step", "stop"])],
  ["dict", new PyClass("dict", "<class 'dict'>", ["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"])],
  ["namespace", new PyClass("namespace", "<class 'jinja2.utils.Namespace'>", [])],
  ["joiner", new PyClass("joiner", "<class 'jinja2.utils.Joiner'>", [])],
  ["cycler", new PyClass("cycler", "<class 'jinja2.utils.Cycler'>", ["current", "next", "reset"])],
]);

/** A name the variables do not have: Jinja's global of that name, or its undefined value. */
function unboundName(name: string): unknown {
  return GLOBAL_CLASSES.get(name) ?? new Undefined(name);
}

export function isDict(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Tuple) && !(value instanceof DictView) && !(value instanceof Undefined) && !(value instanceof LoopContext) && !(value instanceof PyFloat) && !(value instanceof PyIterator) && !(value instanceof PyRange) && !(value instanceof Namespace) && !(value instanceof Joiner) && !(value instanceof Cycler) && !(value instanceof PyClass) && !(value instanceof Macro);
}

export function typeName(value: unknown): string {
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
  if (value instanceof PyClass) return "type";
  if (value instanceof Macro) return "Macro";
  return "dict";
}

export function undefinedError(value: Undefined, what: string): never {
  throw new UndefinedError(`'${value.name}' is undefined${what}`);
}

/**
 * A top-level name: a slot, `context`, or an extra value of the message. A whole number its
 * scope knows for a Python float (a float slot's) comes as a {@link PyFloat}, so that it stays
 * one through filters and arithmetic (`{{ amount + 1 }}` → `51.0`).
 */
export function lookup(variables: TemplateVariables, name: string): unknown {
  if (isScope(variables)) {
    if (!variables.has(name)) return unboundName(name);
    const value = variables.get(name);
    return typeof value === "number" && Number.isInteger(value) && variables.isFloat(name) ? new PyFloat(value) : value;
  }
  return Object.hasOwn(variables, name) ? variables[name] : unboundName(name);
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
  return unboundName(name);
}

/** `value.name` */
export function attr(value: unknown, name: string): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${name}'`);
  if ((isDict(value) || (value instanceof LoopContext && LOOP_ATTRIBUTES.has(name))) && Object.hasOwn(value, name)) return (value as unknown as Readonly<Record<string, unknown>>)[name];
  if (value instanceof Namespace && Object.hasOwn(value.attributes, name)) return value.attributes[name];
  if (value instanceof GroupTuple && (name === "grouper" || name === "list")) return value[name];
  if (value instanceof Cycler) {
    if (name === "current") return value.values[value.position];
    if (name === "items") return new Tuple(value.values);
    if (name === "pos") return value.position;
  }
  if (typeof value === "number" || typeof value === "boolean" || value instanceof PyFloat) return numberAttribute(value, name);
  if (value instanceof PyClass) return classAttribute(value, name);
  if (value instanceof Macro) return macroAttribute(value, name);
  return new Undefined(name);
}

/**
 * A macro's `name`, `arguments` (its parameters' names), `catch_kwargs`, `catch_varargs` and
 * `caller` (whether its body reads them), and Jinja's `explicit_caller`, `_argument_count` and
 * `_default_autoescape` (no parameter is named caller; Rasa's templates do not autoescape).
 */
function macroAttribute(value: Macro, name: string): unknown {
  if (name === "name") return value.name;
  if (name === "explicit_caller" || name === "_default_autoescape") return false;
  if (name === "_argument_count") return value.parameters.length;
  if (name === "arguments") return new Tuple(value.parameters);
  if (name === "catch_kwargs") return value.catches.kwargs;
  if (name === "catch_varargs") return value.catches.varargs;
  if (name === "caller") return value.catches.caller;
  return new Undefined(name);
}

/** `.real`, `.imag` of an int or float, `.numerator`, `.denominator` of an int (a bool is one): Python's number attributes. */
function numberAttribute(value: number | boolean | PyFloat, name: string): unknown {
  const x = numeric(value)!;
  if (name === "real") return x.float ? value : x.n;
  if (name === "imag") return x.float ? new PyFloat(0) : 0;
  if (!x.float && name === "numerator") return x.n;
  if (!x.float && name === "denominator") return 1;
  return new Undefined(name);
}

/**
 * An attribute of a global's class: Python's class has its methods and descriptors (`range.start`
 * prints `<member 'start' of 'range' objects>`), which flowc does not hold, a type error here;
 * any other name is Jinja's undefined value, as in Jinja.
 */
function classAttribute(value: PyClass, name: string): unknown {
  if (value.members.includes(name) || name === "mro" || /^__.*__$/.test(name)) throw new TemplateTypeError(`the attribute '${name}' of ${value.text} (flowc holds no class attributes)`);
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
  if ((value instanceof LoopContext || value instanceof Namespace || value instanceof GroupTuple || value instanceof Macro || typeof value === "number" || typeof value === "boolean" || value instanceof PyFloat) && typeof key === "string") return attr(value, key);
  if (value instanceof PyClass) {
    // (`dict['a']` is Python's generic alias `dict['a']`; another class cannot be subscripted, and Jinja falls back to the attribute.)
    if (value.name === "dict") throw new TemplateTypeError("a generic alias of dict (flowc has none)");
    return typeof key === "string" ? attr(value, key) : new Undefined(String(key));
  }
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
  if (value instanceof PyClass) return value.text;
  if (value instanceof Macro) return `<Macro ${value.name === null ? "anonymous" : pythonRepr(value.name)}>`;
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
export function each(value: unknown): Iterable<unknown> {
  return value instanceof PyIterator ? { [Symbol.iterator]: () => value.source } : iterate(value);
}

/** `{% for a, b in … %}`: one item split into `count` names. */
export function unpack(value: unknown, count: number): readonly unknown[] {
  const items = iterate(value);
  if (items.length !== count) throw new TemplateTypeError(`cannot unpack ${items.length} values into ${count} names`);
  return items;
}

/** The `loop` variable inside `{% for %}` over `items` (modules compiled before passed no items). */
export function loopInfo(index0: number, length: number, items?: readonly unknown[], changes?: LoopChanges, walk?: RecursiveLoop, depth0?: number): LoopContext {
  return new LoopContext(index0, length, items, changes, walk, depth0);
}

/** A `{% for … recursive %}` loop's body (typed for the generated code, which calls it with the loop's items and depth0 0). */
export function recursiveLoop(walk: RecursiveLoop): RecursiveLoop {
  return walk;
}

/** The memory of `loop.changed(…)` for one run of a loop (made before its first pass, given to each pass's `loop`). */
export function loopChanges(): LoopChanges {
  return {};
}

/** Whether Python can hash `value` (a dict key must be): lists, dicts, `.keys()` and `.items()` cannot be hashed (`.values()` hashes by identity). */
export function hashable(value: unknown): boolean {
  if (value instanceof Tuple) return value.items.every(hashable);
  return !Array.isArray(value) && !isDict(value) && !(value instanceof DictView && value.kind !== "values");
}

export function isDefined(value: unknown): boolean {
  return !(value instanceof Undefined);
}

export function isNone(value: unknown): boolean {
  return value === null;
}

/** A `{% set %}` name before its assignment where Jinja's analysis of the scope leaves it undefined. */
export function missing(name: string): unknown {
  return new Undefined(name);
}

/** What an inline `… if …` without `else` gives when its test fails: Jinja's Undefined. */
export function noElse(): Undefined {
  return new Undefined("the inline if-expression");
}
