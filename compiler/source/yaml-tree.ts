/**
 * YAML → plain values, keeping the source node of every value. zod and the passes work on
 * plain objects and arrays; when they need a position they ask the tree for the node of a
 * value (`rangeOf`), of a key (`keyRange`) or of a path (`rangeAt`). Lookups are O(depth).
 *
 * Conversion follows YAML 1.2 (core schema), expands `${VAR}` in plain scalars as Rasa does,
 * applies `<<` merge keys, and bounds alias expansion so an alias bomb is an error, not a hang.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Scalar, type Alias, type Document, type Node } from "yaml";
import type { SourceFile, SourceRange } from "./source-file.ts";

export type PathSegment = string | number;

interface Entry {
  readonly key?: Node | undefined;
  readonly value: Node | null;
}

export interface ConversionProblem {
  readonly kind: "alias-bomb" | "too-deep" | "undefined-env" | "bad-merge";
  readonly node: Node | null;
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

export class YamlTree {
  private readonly containers = new WeakMap<object, Node>();
  private readonly entries = new WeakMap<object, Map<PathSegment, Entry>>();
  readonly problems: ConversionProblem[] = [];
  readonly root: unknown;
  private aliasNodes = 0;
  private aliasTargets: Map<Alias, Node> | undefined;

  constructor(
    readonly file: SourceFile,
    readonly document: Document,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly limits: ConversionLimits = DEFAULT_LIMITS,
  ) {
    let root: unknown = null;
    try {
      root = this.convert(document.contents, 0, false);
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
  valueNode(container: object, key: PathSegment): Node | null | undefined {
    return this.entries.get(container)?.get(key)?.value;
  }

  /** The range of `container[key]`'s value (falling back to its key, then the container). */
  valueRange(container: object, key: PathSegment): SourceRange | undefined {
    const entry = this.entries.get(container)?.get(key);
    return this.nodeRange(entry?.value ?? entry?.key) ?? this.rangeOf(container);
  }

  /** The range of the key `key` of a mapping (falling back to its value, then the container). */
  keyRange(container: object, key: PathSegment): SourceRange | undefined {
    const entry = this.entries.get(container)?.get(key);
    return this.nodeRange(entry?.key ?? entry?.value) ?? this.rangeOf(container);
  }

  /** The deepest range that exists along `path` from the root. */
  rangeAt(path: readonly PathSegment[], preferKey = false): SourceRange | undefined {
    let current: unknown = this.root;
    let best = this.nodeRange(this.document.contents);
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

  nodeRange(node: Node | null | undefined): SourceRange | undefined {
    if (!node || !node.range) return undefined;
    const [start, valueEnd] = node.range;
    return { file: this.file, start, end: Math.max(valueEnd, start) };
  }

  private convert(node: Node | null, depth: number, viaAlias: boolean): unknown {
    if (depth > this.limits.maxDepth) {
      this.problems.push({ kind: "too-deep", node, detail: String(this.limits.maxDepth) });
      throw new LimitExceeded();
    }
    if (viaAlias && ++this.aliasNodes > this.limits.maxAliasNodes) {
      this.problems.push({ kind: "alias-bomb", node, detail: String(this.limits.maxAliasNodes) });
      throw new LimitExceeded();
    }
    if (node === null) return null;
    if (isAlias(node)) {
      // Not `node.resolve(document)`: that walks the whole document for every alias.
      this.aliasTargets ??= findAliasTargets(this.document);
      const target = this.aliasTargets.get(node);
      if (!target) return null;
      return this.convert(target as Node, depth + 1, true);
    }
    if (isScalar(node)) return this.scalar(node);
    if (isSeq(node)) {
      const out: unknown[] = [];
      const entries = new Map<PathSegment, Entry>();
      this.containers.set(out, node);
      this.entries.set(out, entries);
      for (const item of node.items) {
        const child = item as Node | null;
        entries.set(out.length, { value: child });
        out.push(this.convert(child, depth + 1, viaAlias));
      }
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const entries = new Map<PathSegment, Entry>();
      this.containers.set(out, node);
      this.entries.set(out, entries);
      const merges: Node[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const valueNode = pair.value as Node | null;
        const rawKey = keyNode === null ? null : this.convert(keyNode, depth + 1, viaAlias);
        if (rawKey === "<<" && isScalar(keyNode) && keyNode.type === Scalar.PLAIN) {
          if (valueNode) merges.push(valueNode);
          continue;
        }
        const key = keyText(rawKey);
        entries.set(key, { key: keyNode ?? undefined, value: valueNode });
        defineValue(out, key, this.convert(valueNode, depth + 1, viaAlias));
      }
      for (const merge of merges) this.applyMerge(out, entries, merge, depth, viaAlias);
      return out;
    }
    return null;
  }

  /** `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping lacks. */
  private applyMerge(
    out: Record<string, unknown>,
    entries: Map<PathSegment, Entry>,
    mergeNode: Node,
    depth: number,
    viaAlias: boolean,
  ): void {
    const sources = isSeq(mergeNode) ? (mergeNode.items as Node[]) : [mergeNode];
    for (const source of sources) {
      const value = this.convert(source, depth + 1, viaAlias || isAlias(source));
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        this.problems.push({ kind: "bad-merge", node: source, detail: "a `<<` merge key needs a mapping or a list of mappings" });
        continue;
      }
      for (const key of Object.keys(value)) {
        if (Object.prototype.hasOwnProperty.call(out, key)) continue;
        defineValue(out, key, (value as Record<string, unknown>)[key]);
        const entry = this.entries.get(value)?.get(key);
        entries.set(key, entry ?? { value: source });
      }
    }
  }

  private scalar(node: Scalar): unknown {
    const value = node.value;
    if (typeof value === "string" && node.type === Scalar.PLAIN && value.includes("${")) {
      return this.expandEnv(node, value);
    }
    if (typeof value === "bigint") return Number(value);
    if (value === undefined) return null;
    return value;
  }

  /** Rasa expands `${VAR}` (and then any `$VAR`) in plain scalars; an unset variable is an error. */
  private expandEnv(node: Scalar, text: string): string {
    let missing: string | undefined;
    const expanded = text.replace(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? "";
      const value = this.env[name];
      if (value === undefined) {
        missing ??= name;
        return whole;
      }
      return value;
    });
    if (missing !== undefined) {
      this.problems.push({ kind: "undefined-env", node, detail: missing, text });
    }
    return expanded;
  }
}

/**
 * The node each alias refers to: the last node before it (in document order) with its anchor,
 * as `Alias.resolve` finds it, for all aliases in one walk (without recursion: the document
 * may be deep).
 */
function findAliasTargets(document: Document): Map<Alias, Node> {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isScalar(node) || isCollection(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return targets;
}

function keyText(key: unknown): string {
  if (typeof key === "string") return key;
  if (key === null) return "null";
  if (typeof key === "object") return JSON.stringify(key);
  return String(key);
}

/** Assigns without ever touching a prototype (`__proto__` is an ordinary key here). */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
