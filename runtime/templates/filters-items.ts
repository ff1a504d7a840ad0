/**
 * The filters of sequences and dicts: default, length, join, first, last, list, sum, min, max,
 * and those that order, pick or reshape the items (sort, dictsort, unique, map, select, batch,
 * slice, groupby), several of them generators as in Jinja.
 */
import { argumentError, intArgument } from "./arguments.ts";
import { add, compare, eq, floordiv, mod, mul, ordering, slice, sub } from "./operators.ts";
import { jinjaTest } from "./tests.ts";
import { dictView, DictView, each, GroupTuple, hashable, isDict, item, iterate, LoopContext, PyIterator, PyRange, randomOf, str, TemplateTypeError, type TemplateVariables, truthy, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

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

/**
 * `| random`: Python's `random.choice` of the value, an item picked with `draw` (a number in
 * [0, 1): the assistant's variation choice, see VariableScope.random). Its length first (none is
 * a type error); an empty value gives Jinja's undefined value, without a draw; then the item at
 * the index drawn, which a dict (whose keys are texts) or a view does not have.
 */
export function random(value: unknown, variables: TemplateVariables): unknown {
  const size = length(value);
  if (size === 0) return new Undefined("No random item, sequence was empty.");
  const index = Math.min(Math.max(Math.floor(randomOf(variables) * size), 0), size - 1);
  if (typeof value === "string") return [...value][index];
  if (Array.isArray(value)) return value[index];
  if (value instanceof Tuple) return value.items[index];
  if (value instanceof PyRange) return value.at(index);
  if (isDict(value)) throw new TemplateTypeError(`KeyError: ${index}`);
  throw new TemplateTypeError(`'${typeName(value)}' object is not subscriptable`);
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
