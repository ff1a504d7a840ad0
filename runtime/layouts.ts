/**
 * Fast copies of the runtime's plain objects whose keys are known: the slot values (the
 * assistant's slots, in domain order) and frames. V8 copies an object spread of an object
 * literal quickly, but takes a slow path, many times slower, for a spread of an object that was
 * itself made by a spread, which is what slot values and frames are after their first change.
 * A copier made for one layout (the keys, in order) builds the copy as an object literal and
 * stays on the fast path. Copiers are compiled once per layout with `new Function`, the keys
 * written as JSON strings; where code generation from strings is not allowed they are spreads.
 */

export type Layout = readonly string[];
type Values = Readonly<Record<string, unknown>>;

/** A copy of an object of the layout, with the same keys in the same order. */
export type Copier = (source: Values) => Record<string, unknown>;
/** `{ ...over, ...under }` of two objects of known layouts. */
export type Merger = (over: Values, under: Values) => Record<string, unknown>;

/**
 * True when `value` has exactly the keys of `layout`, in its order (a for-in loop, which
 * allocates nothing; an inherited enumerable key makes it false, and the caller spreads).
 */
export function hasLayout(value: Values, layout: Layout): boolean {
  let i = 0;
  for (const key in value) if (key !== layout[i++]) return false;
  return i === layout.length;
}

/** A function returning an object literal of `entries` (each key read from the named parameter), or undefined when one cannot or must not be compiled. */
function compile(parameters: readonly string[], entries: readonly (readonly [key: string, source: string])[]): ((...args: Values[]) => Record<string, unknown>) | undefined {
  // `__proto__: x` in a literal sets the prototype instead of a key: such objects are spread.
  if (entries.some(([key]) => key === "__proto__")) return undefined;
  const body = `return {${entries.map(([key, source]) => `${JSON.stringify(key)}: ${source}[${JSON.stringify(key)}]`).join(", ")}};`;
  try {
    return new Function(...parameters, body) as (...args: Values[]) => Record<string, unknown>;
  } catch {
    return undefined; // code generation from strings is not allowed here
  }
}

export function copierFor(layout: Layout): Copier {
  return (compile(["o"], layout.map((key) => [key, "o"] as const)) as Copier | undefined) ?? ((source) => ({ ...source }));
}

export function mergerFor(over: Layout, under: Layout): Merger {
  const below = new Set(under);
  const entries = [...over.map((key) => [key, below.has(key) ? "u" : "o"] as const), ...under.filter((key) => !over.includes(key)).map((key) => [key, "u"] as const)];
  return (compile(["o", "u"], entries) as Merger | undefined) ?? ((o, u) => ({ ...o, ...u }));
}

interface CachedCopier {
  readonly layout: Layout;
  readonly copy: Copier;
}

interface CachedMerger {
  readonly over: Layout;
  readonly under: Layout;
  readonly merge: Merger;
}

/**
 * Copiers and mergers by layout, looked up by a cheap tag (a frame's type) and checked
 * against the objects' keys; a few layouts are kept per tag, beyond that objects are spread.
 */
export class LayoutCache {
  private readonly copiers = new Map<string, CachedCopier[]>();
  private readonly mergers = new Map<string, CachedMerger[]>();
  /** The layout of each copier {@link copier} made, and the mergers of pairs of them. */
  private readonly layoutOfCopier = new Map<Copier, Layout>();
  private readonly mergersOfCopiers = new Map<Copier, Map<Copier, Merger>>();

  /** `{ ...value }`. */
  copy(tag: string, value: Values): Record<string, unknown> {
    return this.copier(tag, value)(value);
  }

  /** What copies `value`: the copier of its layout (it then copies every object of that layout, such as its copies). */
  copier(tag: string, value: Values): Copier {
    const entries = entriesOf(this.copiers, tag);
    for (const entry of entries) if (hasLayout(value, entry.layout)) return entry.copy;
    if (entries.length >= MAX_LAYOUTS_PER_TAG) return spread;
    const entry = { layout: Object.keys(value), copy: copierFor(Object.keys(value)) };
    entries.push(entry);
    this.layoutOfCopier.set(entry.copy, entry.layout);
    return entry.copy;
  }

  /**
   * `{ ...over, ...under }` for objects of the layouts of two copiers this cache handed out,
   * without checking their keys; undefined when either copier is not one of them (a spread).
   */
  mergerOf(over: Copier, under: Copier): Merger | undefined {
    let byUnder = this.mergersOfCopiers.get(over);
    let merger = byUnder?.get(under);
    if (merger !== undefined) return merger;
    const overLayout = this.layoutOfCopier.get(over);
    const underLayout = this.layoutOfCopier.get(under);
    if (overLayout === undefined || underLayout === undefined) return undefined;
    merger = mergerFor(overLayout, underLayout);
    if (byUnder === undefined) {
      byUnder = new Map();
      this.mergersOfCopiers.set(over, byUnder);
    }
    byUnder.set(under, merger);
    return merger;
  }

  /** `{ ...over, ...under }`. */
  merge(tag: string, over: Values, under: Values): Record<string, unknown> {
    const entries = entriesOf(this.mergers, tag);
    for (const entry of entries) if (hasLayout(over, entry.over) && hasLayout(under, entry.under)) return entry.merge(over, under);
    if (entries.length >= MAX_LAYOUTS_PER_TAG) return { ...over, ...under };
    const entry = { over: Object.keys(over), under: Object.keys(under), merge: mergerFor(Object.keys(over), Object.keys(under)) };
    entries.push(entry);
    return entry.merge(over, under);
  }
}

const spread: Copier = (source) => ({ ...source });

function entriesOf<T>(map: Map<string, T[]>, tag: string): T[] {
  let entries = map.get(tag);
  if (entries === undefined) {
    entries = [];
    map.set(tag, entries);
  }
  return entries;
}

/** Beyond this many layouts under one tag (frames of stored states with extra fields), objects are spread. */
const MAX_LAYOUTS_PER_TAG = 4;
