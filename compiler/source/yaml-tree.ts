/**
 * YAML → plain values, keeping the source node of every value. zod and the passes work on
 * plain objects and arrays; when they need a position they ask the tree for the node of a
 * value (`rangeOf`), of a key (`keyRange`) or of a path (`rangeAt`). Lookups are O(depth).
 *
 * The nodes come from `parseYaml` (scalars already resolved by the YAML 1.2 core schema).
 * Conversion expands `${VAR}` in plain scalars as Rasa does, applies `<<` merge keys, and
 * expands every alias into a copy of its own, bounding the nodes that aliases produce so that
 * an alias bomb is an error, not a hang (and no later pass ever walks one).
 */
import type { YamlMap, YamlNode, YamlPair, YamlScalar } from "./yaml-nodes.ts";
import { ENV_VAR_TAG, MERGE_TAG } from "./yaml-scalars.ts";
import type { SourceFile, SourceRange } from "./source-file.ts";

export type PathSegment = string | number;

/**
 * Where the text of a node ends. A block collection's `end` is the `yaml` package's: after its
 * last entry's line break and the comment lines after that, and a block scalar's is after its
 * last line break, so that a range to there ends at the start of the next line. The text ends
 * with the last entry's text (at its last character, nothing after it on its line); a block
 * scalar's with its last line that holds more than white space; a flow collection's with its
 * closing bracket, where its `end` is.
 */
function textEnd(text: string, node: YamlNode): number {
  let current: YamlNode | null = node;
  let end = node.start;
  while (current) {
    end = current.end;
    if (current.kind === "scalar") {
      if (current.style === "literal" || current.style === "folded") {
        while (end > current.start + 1 && isWhiteSpace(text.charCodeAt(end - 1))) end--;
      }
      break;
    }
    if (current.kind === "alias" || isFlowCollection(text, current)) break;
    const last: YamlNode | null | undefined = current.kind === "map" ? (current.pairs.at(-1)?.value ?? current.pairs.at(-1)?.key) : current.items.at(-1);
    // An empty block collection (only in a tree of errors), or an empty entry: where it starts.
    if (!last) {
      end = current.start + 1;
      break;
    }
    current = last;
  }
  // An empty value (`key:` alone) sits at the end of its line, perhaps after spaces.
  while (end > node.start && isBlankCode(text.charCodeAt(end - 1))) end--;
  return end;
}

/** `[…]` or `{…}`: its `end` is just after its closing bracket. */
function isFlowCollection(text: string, node: YamlNode): boolean {
  const open = text.charCodeAt(node.start);
  const close = text.charCodeAt(node.end - 1);
  return (open === 0x5b && close === 0x5d) || (open === 0x7b && close === 0x7d);
}

function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function isWhiteSpace(c: number): boolean {
  return isBlankCode(c) || c === 0x0a || c === 0x0d;
}

/** A mapping's entry: the pair itself, or for a key merged with `<<` without one, its source. */
interface Entry {
  readonly key?: YamlNode | null | undefined;
  readonly value: YamlNode | null;
}

export interface ConversionProblem {
  readonly kind: "alias-bomb" | "too-deep" | "undefined-env" | "bad-merge";
  readonly node: YamlNode | null;
  readonly detail: string;
  readonly text?: string;
}

export interface ConversionLimits {
  /** Maximum number of nodes produced by expanding aliases, over the whole document. */
  readonly maxAliasNodes: number;
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: ConversionLimits = { maxAliasNodes: 100_000, maxDepth: 200 };

class LimitExceeded extends Error {}

/** A document's plain values with the nodes of their containers, as `YamlTree` converts them. */
export interface ConvertedValues {
  readonly root: unknown;
  readonly containers: Map<object, YamlNode>;
  /** The entries of the mappings that need them (see `pairsAreEntries`), each pair under its key's text. */
  readonly entries: Map<object, Map<PathSegment, YamlPair>>;
}

export class YamlTree {
  /**
   * The node of every container. Maps rather than WeakMaps: the containers live as long as the
   * tree (its root holds them all), and a WeakMap's entries cost the garbage collector (and
   * `set`) about twice as much, over hundreds of thousands of containers.
   */
  private readonly containers: Map<object, YamlNode>;
  /**
   * The entries of mappings, for those that need them (`pairsAreEntries`); the entries of the
   * others are their node's pairs, and a sequence's are its node's items.
   */
  private readonly entries: Map<object, Map<PathSegment, Entry>>;
  readonly problems: ConversionProblem[] = [];
  readonly root: unknown;
  private aliasNodes = 0;

  constructor(
    readonly file: SourceFile,
    /** The document's root node (from `parseYaml`). */
    readonly rootNode: YamlNode | null,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly limits: ConversionLimits = DEFAULT_LIMITS,
    /** The values, already converted (by yaml-block-subset.ts, which reads no alias, merge or `${VAR}`). */
    converted?: ConvertedValues,
  ) {
    if (converted) {
      this.containers = converted.containers;
      this.entries = converted.entries;
      this.root = converted.root;
      return;
    }
    this.containers = new Map();
    this.entries = new Map();
    let root: unknown = null;
    try {
      root = this.convert(rootNode, 0, false);
    } catch (error) {
      if (!(error instanceof LimitExceeded)) throw error;
      root = null;
    }
    this.root = root;
  }

  /** The range of the YAML node a container (object or array) came from. */
  rangeOf(container: object): SourceRange | undefined {
    return this.nodeRange(this.containers.get(container));
  }

  /** The YAML node of `container[key]`. */
  valueNode(container: object, key: PathSegment): YamlNode | null | undefined {
    return this.entry(container, key)?.value;
  }

  /** The range of `container[key]`'s value (falling back to its key, then the container). */
  valueRange(container: object, key: PathSegment): SourceRange | undefined {
    const entry = this.entry(container, key);
    return this.nodeRange(entry?.value ?? entry?.key) ?? this.rangeOf(container);
  }

  /** The range of the key `key` of a mapping (falling back to its value, then the container). */
  keyRange(container: object, key: PathSegment): SourceRange | undefined {
    const entry = this.entry(container, key);
    return this.nodeRange(entry?.key ?? entry?.value) ?? this.rangeOf(container);
  }

  private entry(container: object, key: PathSegment): Entry | undefined {
    if (!Array.isArray(container)) {
      const entries = this.entries.get(container);
      if (entries) return entries.get(key);
      const node = this.containers.get(container);
      return node?.kind === "map" ? pairWithKey(node, key) : undefined;
    }
    const node = this.containers.get(container);
    if (node?.kind !== "seq" || typeof key !== "number" || !(key >= 0 && key < node.items.length)) return undefined;
    return { value: node.items[key] ?? null };
  }

  /** The deepest range that exists along `path` from the root. */
  rangeAt(path: readonly PathSegment[], preferKey = false): SourceRange | undefined {
    let current: unknown = this.root;
    let best = this.nodeRange(this.rootNode);
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (current === null || typeof current !== "object") break;
      const isLast = i === path.length - 1;
      const range = isLast && preferKey ? this.keyRange(current, segment) : this.valueRange(current, segment);
      if (range) best = range;
      current = (current as Record<PathSegment, unknown>)[segment];
    }
    return best;
  }

  /** The range of a node's own text: to the end of its last line with content (see `textEnd`). */
  nodeRange(node: YamlNode | null | undefined): SourceRange | undefined {
    if (!node) return undefined;
    return { file: this.file, start: node.start, end: Math.max(textEnd(this.file.text, node), node.start) };
  }

  private convert(node: YamlNode | null, depth: number, viaAlias: boolean): unknown {
    if (depth > this.limits.maxDepth) {
      this.problems.push({ kind: "too-deep", node, detail: String(this.limits.maxDepth) });
      throw new LimitExceeded();
    }
    if (viaAlias && ++this.aliasNodes > this.limits.maxAliasNodes) {
      this.problems.push({ kind: "alias-bomb", node, detail: String(this.limits.maxAliasNodes) });
      throw new LimitExceeded();
    }
    if (node === null) return null;
    if (node.kind === "alias") {
      if (!node.target) return null;
      return this.convert(node.target, depth + 1, true);
    }
    if (node.kind === "scalar") return this.scalar(node);
    if (node.kind === "seq") {
      const out: unknown[] = [];
      this.containers.set(out, node);
      for (const child of node.items) out.push(this.convert(child, depth + 1, viaAlias));
      return out;
    }
    const out: Record<string, unknown> = {};
    this.containers.set(out, node);
    if (pairsAreEntries(node)) {
      for (const pair of node.pairs) {
        const key = keyText(this.convert(pair.key, depth + 1, viaAlias));
        defineValue(out, key, this.convert(pair.value, depth + 1, viaAlias));
      }
      return out;
    }
    const entries = new Map<PathSegment, Entry>();
    this.entries.set(out, entries);
    const merges: YamlNode[] = [];
    for (const pair of node.pairs) {
      const keyNode = pair.key;
      const valueNode = pair.value;
      const rawKey = keyNode === null ? null : this.convert(keyNode, depth + 1, viaAlias);
      if (rawKey === "<<" && keyNode?.kind === "scalar" && keyNode.style === "plain" && (keyNode.tag === undefined || keyNode.tag === MERGE_TAG)) {
        if (valueNode) merges.push(valueNode);
        continue;
      }
      const key = keyText(rawKey);
      entries.set(key, pair);
      defineValue(out, key, this.convert(valueNode, depth + 1, viaAlias));
    }
    for (const merge of merges) this.applyMerge(out, entries, merge, depth, viaAlias);
    return out;
  }

  /** `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping lacks. */
  private applyMerge(
    out: Record<string, unknown>,
    entries: Map<PathSegment, Entry>,
    mergeNode: YamlNode,
    depth: number,
    viaAlias: boolean,
  ): void {
    const sources = mergeNode.kind === "seq" ? mergeNode.items : [mergeNode];
    for (const source of sources) {
      const value = this.convert(source, depth + 1, viaAlias || source?.kind === "alias");
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        this.problems.push({ kind: "bad-merge", node: source, detail: "a `<<` merge key needs a mapping or a list of mappings" });
        continue;
      }
      for (const key of Object.keys(value)) {
        if (Object.prototype.hasOwnProperty.call(out, key)) continue;
        defineValue(out, key, (value as Record<string, unknown>)[key]);
        const entry = this.entry(value, key);
        entries.set(key, entry ?? { value: source });
      }
    }
  }

  private scalar(node: YamlScalar): unknown {
    const value = node.value;
    // Rasa's reader expands a plain scalar of one line that has `${` and a later `}`.
    if (typeof value !== "string") return value;
    if (node.tag === ENV_VAR_TAG || (node.tag === undefined && node.style === "plain" && value.includes("${") && ENV_CANDIDATE.test(value))) {
      return this.expandEnv(node, value);
    }
    return value;
  }

  /**
   * As Rasa does it (Python's `os.path.expandvars`): every `${NAME}` and `$NAME` of a set
   * variable is replaced. Rasa then refuses the text when a word (split at white space) of the
   * result still starts with `$` and was in the text as it is (`${UNSET}`, `a ${UNSET}`, a lone
   * `$`). The spec makes every unset variable an error (flows-format.md §a.3, Y4), so one inside
   * a word (`x${UNSET}y`, which Rasa would keep as written) is refused too.
   */
  private expandEnv(node: YamlScalar, text: string): string {
    let missing: string | undefined;
    const expanded = text.replace(/\$([A-Za-z0-9_]+|\{[^}]*\})/g, (whole, name: string) => {
      const variable = name[0] === "{" ? name.slice(1, -1) : name;
      const value = this.env[variable];
      if (value === undefined) missing ??= variable;
      return value === undefined ? whole : value;
    });
    const unexpanded = missing === undefined ? expanded.split(PYTHON_WHITESPACE).find((word) => word.startsWith("$") && text.includes(word)) : undefined;
    if (missing !== undefined || unexpanded !== undefined) {
      const name = missing === undefined ? /^\$(?:\{([^}]*)\}|([A-Za-z0-9_]*))/.exec(unexpanded!) : null;
      this.problems.push({ kind: "undefined-env", node, detail: missing ?? name?.[1] ?? (name?.[2] || unexpanded!), text });
    }
    return expanded;
  }
}

/** A line with `${` and a `}` after it (Rasa's resolver for environment variables; `.` stops at a line break). */
const ENV_CANDIDATE = /^[^\n]*\$\{[^\n]*\}[^\n]*$/;

/** What Python's `str.split()` splits at. */
const PYTHON_WHITESPACE = /[\s\x1c-\x1f\x85]+/;

/**
 * Mappings up to this size find an entry by going through their pairs, rather than keeping a
 * `Map` of them: an assistant has hundreds of thousands of small mappings (every step, branch
 * and slot), and their maps were a good part of the memory (and garbage collection) of parsing.
 */
export const MAX_PAIRS_WITHOUT_MAP = 16;

/**
 * Whether a mapping's entries are its pairs, each under its key's value as written: it is
 * small, and its keys are scalars that neither merge (`<<`) nor expand `${VAR}`.
 */
function pairsAreEntries(node: YamlMap): boolean {
  if (node.pairs.length > MAX_PAIRS_WITHOUT_MAP) return false;
  for (const { key } of node.pairs) {
    if (key === null || key.kind !== "scalar") return false;
    if (key.style === "plain" && (key.value === "<<" || (typeof key.value === "string" && key.value.includes("${")))) return false;
  }
  return true;
}

/** The pair of a mapping whose key is `key` (the last one, as in the converted object). */
function pairWithKey(node: YamlMap, key: PathSegment): YamlPair | undefined {
  for (let i = node.pairs.length - 1; i >= 0; i--) {
    const pair = node.pairs[i]!;
    if (pair.key?.kind === "scalar" && keyText(pair.key.value) === key) return pair;
  }
  return undefined;
}

export function keyText(key: unknown): string {
  if (typeof key === "string") return key;
  if (key === null) return "null";
  if (typeof key === "object") return JSON.stringify(key);
  return String(key);
}

/** Assigns without ever touching a prototype (`__proto__` is an ordinary key here). */
export function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  // Only `__proto__` has a setter on a plain object; `defineProperty` is slow for the others.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
