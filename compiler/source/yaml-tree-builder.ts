/**
 * js-yaml's events (yaml-parse.ts) → the syntax tree: mappings with their pairs, sequences,
 * scalars with their style and resolved value, aliases with their target, each with the
 * position the `yaml` package gave it; duplicate keys found as that package finds them.
 */
import type { SubsetBuilt, SubsetHost } from "./yaml-block-subset.ts";
import { Event, NO_EVENTS, type ScalarStyle, type YamlAlias, type YamlError, type YamlMap, type YamlNode, type YamlPair, type YamlScalar, type YamlSeq } from "./yaml-nodes.ts";
import { COLLECTION_TAGS, MERGE_TAG, resolveScalar, Unreadable } from "./yaml-scalars.ts";
import { CR, emptyPosition, HASH, isBlank, isBreak, isFlowIndicator, LF, lineStartOf, skipBlanks, skipBreak, skipSeparation, SPACE, startOfContent, stolenDashError, toEndOfLine } from "./yaml-scan.ts";

/**
 * A node with what the `yaml` package counted after it: the end of a block collection is
 * the end of its last entry including these. (Only the last entry's matter.)
 */
interface Built {
  readonly node: YamlNode;
  /**
   * `end`: a scalar, alias or flow collection, which takes the spaces, comment and line break
   * after it on its line, and comment lines indented deeper than its collection after that;
   * `block`: a block scalar, which takes nothing more; `empty`: an empty node, which takes the
   * lines up to the next token when they hold a comment; `collection`: a block collection.
   */
  readonly tail: "end" | "block" | "empty" | "collection";
  /**
   * The end with what follows on its line (the `yaml` package's `range[2]`); -1 for `end`:
   * only the last entry of a block collection needs it (`trailOfBuilt`).
   */
  readonly trail: number;
  /** For a collection: blank and comment lines after it that its parent takes (or not). */
  readonly pending: Pending | undefined;
}

/** Lines of white space and comments after a block collection's last entry. */
interface Pending {
  readonly end: number;
  /** The deepest indentation of a comment among them (-1: none). */
  readonly commentIndent: number;
}

interface MutableMap {
  kind: "map";
  start: number;
  end: number;
  pairs: YamlPair[];
}

interface MutableSeq {
  kind: "seq";
  start: number;
  end: number;
  items: (YamlNode | null)[];
}

export function isNothing(event: Event): boolean {
  return event.kind === null && event.result === null && event.tag === null && event.anchor === null && event.children === undefined;
}

export class TreeBuilder {
  readonly errors: YamlError[] = [];
  private readonly anchors = new Map<string, YamlNode>();
  /** Whether a mapping's key is being built (where a plain `<<` is a merge key). */
  private inKey = false;

  constructor(protected readonly s: string) {}

  /** The node of an event; `emptyAt`: just after the indicator before it, where an empty node sits. */
  node(event: Event, emptyAt: number, outerTag: string | null): YamlNode {
    return this.build(event, emptyAt, outerTag).node;
  }

  private build(event: Event, emptyAt: number, outerTag: string | null): Built {
    const s = this.s;
    const content = startOfContent(s, event.open);
    let children = event.children ?? NO_EVENTS;
    if (children.length > 0) {
      const first = children[0]!;
      if (first.open < content) {
        // js-yaml re-read the anchor or tag before the content as the first key's: a mapping
        // when that worked, else the events of the attempt are void.
        if (event.kind === "mapping") return this.mapping(event, children, false);
        children = NO_EVENTS;
      } else if (children.length === 1 && first.open === content) {
        // js-yaml tried the content as the first key of a block mapping.
        if (isNothing(first)) children = NO_EVENTS;
        else {
          const inner = this.build(first, emptyAt, event.tag ?? outerTag);
          if (event.anchor !== null) this.anchors.set(event.anchor, inner.node);
          return inner;
        }
      }
    }
    const c = s.charCodeAt(content);
    // A block mapping's first key opens where the mapping's content starts; a sequence's
    // entries open after `-` or `[`, a flow mapping's after `{`.
    if (children.length > 0 && children[0]!.open === content) return this.mapping(event, children, false);
    if (event.kind === "sequence") {
      if (c === 0x2d) return this.blockSequence(event, children, content);
      if (c === 0x5b) return this.flowSequence(event, children, content);
    }
    if (event.kind === "mapping" && c === 0x7b) return this.mapping(event, children, true);
    if (children.length > 0) return this.mapping(event, children, false); // starting with `?`
    if (event.kind === null && !(c === 0x2a && event.close > content)) return this.empty(event, emptyAt, outerTag);
    switch (c) {
      case 0x2a:
        return this.alias(content);
      case 0x22:
        return this.scalar(event, "double-quoted", content, event.close, outerTag);
      case 0x27:
        return this.scalar(event, "single-quoted", content, event.close, outerTag);
      case 0x7c:
        return this.blockScalar(event, "literal", content, outerTag);
      case 0x3e:
        return this.blockScalar(event, "folded", content, outerTag);
      default: {
        let end = Math.max(event.close, content);
        while (end > content && (isBlank(s.charCodeAt(end - 1)) || isBreak(s.charCodeAt(end - 1)))) end--;
        return this.scalar(event, "plain", content, end, outerTag);
      }
    }
  }

  // -- scalars and aliases

  private scalar(event: Event, style: ScalarStyle, start: number, end: number, outerTag: string | null): Built {
    const text = typeof event.result === "string" ? event.result : "";
    // Rasa's reader resolves a scalar with the non-specific tag `!` as one without a tag.
    const tag = event.tag === null || event.tag === "?" || event.tag === "!" ? (outerTag === "!" ? null : outerTag) : event.tag;
    let value = resolveScalar(text, tag, style === "plain");
    if (tag === MERGE_TAG && !this.inKey) value = new Unreadable("`!!merge` is for a merge key only");
    // `<<` (a merge) and `=` (YAML's value key) are read as keys only: as values, Rasa's
    // reader has no constructor for them.
    if ((value === "<<" || value === "=") && tag === null && style === "plain" && !this.inKey) {
      value = new Unreadable(`\`${value}\` is a YAML key indicator; quote it to write the text \`${value}\``);
    }
    if (value instanceof Unreadable) {
      this.errors.push({ kind: "syntax", message: value.reason, start, end: Math.max(end, start + 1) });
      value = text;
    }
    const node: YamlScalar = tag === null ? { kind: "scalar", start, end, style, value } : { kind: "scalar", start, end, style, value, tag };
    if (event.anchor !== null) this.anchors.set(event.anchor, node);
    return { node, tail: "end", trail: -1, pending: undefined };
  }

  /** A node without content (`key:`), perhaps with an anchor or a tag. */
  private empty(event: Event, emptyAt: number, outerTag: string | null): Built {
    const s = this.s;
    const at = emptyPosition(s, emptyAt);
    const written = event.tag ?? outerTag;
    // As for a scalar, the non-specific tag `!` is no tag: an empty node is null.
    const tag = written === "!" ? null : written;
    let value = resolveScalar("", tag, true);
    if (value instanceof Unreadable) {
      this.errors.push({ kind: "syntax", message: value.reason, start: at, end: at + 1 });
      value = "";
    }
    const node: YamlScalar = { kind: "scalar", start: at, end: at, style: "plain", value };
    if (event.anchor !== null) this.anchors.set(event.anchor, node);
    return { node, tail: "empty", trail: this.emptyTrail(at), pending: undefined };
  }

  /** With a comment between it and the next token, an empty node extends to that token. */
  private emptyTrail(at: number): number {
    const s = this.s;
    const next = skipSeparation(s, at);
    for (let i = at; i < next; i++) if (s.charCodeAt(i) === HASH) return next;
    return at;
  }

  private alias(start: number): Built {
    const s = this.s;
    let end = start + 1;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (isBlank(c) || isBreak(c) || isFlowIndicator(c)) break;
      end++;
    }
    const name = s.slice(start + 1, end);
    const node: YamlAlias = { kind: "alias", start, end, name, target: this.anchors.get(name) };
    return { node, tail: "end", trail: -1, pending: undefined };
  }

  /**
   * A block scalar runs from its indicator to its last line break; with `+` (keep), also over
   * the empty lines after it, and otherwise over none (but the first line of the body).
   */
  private blockScalar(event: Event, style: ScalarStyle, start: number, outerTag: string | null): Built {
    const s = this.s;
    const header = toEndOfLine(s, start);
    const keep = /^[|>][0-9]*\+/.test(s.slice(start, Math.min(header, start + 4)));
    const body = skipBreak(s, header);
    // The indentation of the first line with content (or of the line that ends the scalar).
    let indent = 0;
    for (let i = body; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === SPACE) indent++;
      else if (isBreak(c)) indent = 0;
      else break;
    }
    // js-yaml stops on the first line indented less than the body, after its spaces.
    let end = event.close < s.length ? lineStartOf(s, Math.max(event.close, body)) : s.length;
    if (end < body) end = body;
    if (keep) {
      // At the end of a file without a last line break, a last line of no more spaces than
      // the body's indentation adds no line break (js-yaml, which ends the file with one,
      // keeps it), and with fewer it is not even the scalar's.
      const last = lineStartOf(s, s.length);
      if (end === s.length && last > body && last < s.length && /^ *$/.test(s.slice(last)) && s.length - last <= indent) {
        if (s.length - last < indent) end = last;
        if (typeof event.result === "string" && event.result.endsWith("\n")) event.result = event.result.slice(0, -1);
      }
    } else {
      for (;;) {
        // Drop the last line when it is only spaces, no more than `indent` of them, and not
        // the first of the body (at the end of the file, a line without a line break too).
        if (end <= body) break;
        let lineEnd = end;
        if (isBreak(s.charCodeAt(end - 1))) {
          lineEnd = end - 1;
          if (s.charCodeAt(lineEnd) === LF && s.charCodeAt(lineEnd - 1) === CR) lineEnd--;
        } else if (end < s.length) break;
        const lineStart = lineStartOf(s, lineEnd);
        if (lineStart <= body) break;
        const line = s.slice(lineStart, lineEnd);
        if (!/^ *$/.test(line) || line.length > indent) break;
        end = lineStart;
      }
    }
    return { node: this.scalar(event, style, start, end, outerTag).node, tail: "block", trail: end, pending: undefined };
  }

  private trailOfBuilt(built: Built): number {
    return built.tail === "end" ? this.trailOf(built.node.end) : built.trail;
  }

  /** After a node in block context: its spaces, comment and line break. */
  private trailOf(end: number): number {
    const s = this.s;
    let p = skipBlanks(s, end);
    if (s.charCodeAt(p) === HASH) p = toEndOfLine(s, p);
    const after = skipBreak(s, p);
    return after > p || p >= s.length ? after : end;
  }

  // -- collections

  private blockSequence(event: Event, children: readonly Event[], start: number): Built {
    const s = this.s;
    this.checkCollectionTag(event, start);
    const node: MutableSeq = { kind: "seq", start, end: start, items: [] };
    if (event.anchor !== null) this.anchors.set(event.anchor, node);
    const count = event.length >= 0 ? event.length : children.length;
    const column = start - lineStartOf(s, start);
    let last: Built | undefined;
    if (count === children.length) {
      for (const child of children) {
        const built = this.build(child, child.open, null);
        last = built.tail === "empty" ? this.emptyEntry(built, last, column) : built;
        node.items.push(last.node);
      }
    } else {
      // Some entries are empty (`-` alone on its line): js-yaml composes no node for them.
      let dash = start;
      let next = 0;
      for (let i = 0; i < count; i++) {
        if (dash - lineStartOf(s, dash) !== column) {
          this.errors.push(stolenDashError(dash));
          break;
        }
        const after = dash + 1;
        const at = skipSeparation(s, after);
        const child = children[next];
        if (child && child.open === at) {
          next++;
          const built = this.build(child, after, null);
          last = built.tail === "empty" ? this.emptyEntry(built, last, column) : built;
          node.items.push(last.node);
          dash = skipSeparation(s, child.close);
        } else {
          const position = emptyPosition(s, after);
          const empty: YamlScalar = { kind: "scalar", start: position, end: position, style: "plain", value: null };
          last = this.emptyEntry({ node: empty, tail: "empty", trail: this.emptyTrail(position), pending: undefined }, last, column);
          node.items.push(empty);
          dash = at;
        }
      }
    }
    return this.endBlock(node, last, start - lineStartOf(s, start));
  }

  /**
   * An empty entry of a block sequence: a comment since the entry before (that the entry
   * before did not take) extends it, as one after its `-` does, to the next token.
   */
  private emptyEntry(entry: Built, before: Built | undefined, column: number): Built {
    if (!before || entry.trail !== entry.node.end) return entry;
    const pending = before.tail === "collection" ? before.pending : this.afterLastEntry(before, column).pending;
    if (!pending || pending.commentIndent < 0) return entry;
    return { node: entry.node, tail: "empty", trail: skipSeparation(this.s, entry.node.end), pending: undefined };
  }

  private flowSequence(event: Event, children: readonly Event[], start: number): Built {
    const s = this.s;
    this.checkCollectionTag(event, start);
    const node: MutableSeq = { kind: "seq", start, end: Math.max(event.close, start + 1), items: [] };
    if (event.anchor !== null) this.anchors.set(event.anchor, node);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const colon = skipSeparation(s, child.close);
      const value = children[i + 1];
      if (s.charCodeAt(colon) === 0x3a && value && (value.open === colon + 1 || value.open === skipSeparation(s, colon + 1))) {
        // `[a: 1]`: a mapping of one pair.
        this.inKey = true;
        const key = this.build(child, child.open, null).node;
        this.inKey = false;
        const built = this.build(value, colon + 1, null).node;
        node.items.push({ kind: "map", start: key.start, end: built.end, pairs: [{ key, value: built }] });
        i++;
        continue;
      }
      const item = this.build(child, child.open, null).node;
      let before = child.open - 1;
      while (before > start && (isBlank(s.charCodeAt(before)) || isBreak(s.charCodeAt(before)))) before--;
      if (before > start && s.charCodeAt(before) === 0x3f) {
        // `[? a]`: a mapping of one pair without a value.
        node.items.push({ kind: "map", start: item.start, end: item.end, pairs: [{ key: item, value: null }] });
      } else node.items.push(item);
    }
    return { node, tail: "end", trail: -1, pending: undefined };
  }

  /** A block mapping, or with `flow` a `{…}` one. */
  private mapping(event: Event, children: readonly Event[], flow: boolean): Built {
    const s = this.s;
    const content = startOfContent(s, event.open);
    // A block mapping starts at its first key (after the key's anchor or tag), or at the `?` of an explicit one.
    const start = flow || s.charCodeAt(content) === 0x3f ? content : -1;
    const node: MutableMap = { kind: "map", start, end: start, pairs: [] };
    if (event.anchor !== null) this.anchors.set(event.anchor, node);
    this.checkCollectionTag(event, content);
    const seen = new Set<unknown>();
    let last: Built | undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const colon = skipSeparation(s, child.close);
      const next = children[i + 1];
      const hasValue = s.charCodeAt(colon) === 0x3a && next !== undefined && (next.open === colon + 1 || next.open === skipSeparation(s, colon + 1));
      if (!hasValue && isNothing(child)) continue; // js-yaml's look for another key
      this.inKey = true;
      const key = this.build(child, child.open, null);
      this.inKey = false;
      if (node.start < 0) node.start = key.node.start;
      // A mapping cannot be a key in Rasa's reader (Python cannot hash it).
      const keyTarget = key.node.kind === "alias" ? key.node.target : key.node;
      if (keyTarget?.kind === "map") this.errors.push({ kind: "syntax", message: "a mapping cannot be a mapping's key", start: key.node.start, end: Math.max(key.node.end, key.node.start + 1) });
      if (!flow && hasValue && colon - key.node.start > 1024 && !this.isExplicitKey(child)) {
        this.errors.push({ kind: "syntax", message: "an implicit key must end with its `:` at most 1024 characters after it starts", start: key.node.start, end: colon });
      }
      if (hasValue) {
        last = this.build(next, colon + 1, null);
        node.pairs.push(this.pair(key.node, last.node, seen));
        i++;
      } else {
        node.pairs.push(this.pair(key.node, null, seen));
        last = { node: key.node, tail: "end", trail: -1, pending: undefined };
      }
    }
    if (node.start < 0) node.start = content;
    if (flow) {
      node.end = Math.max(event.close, node.start + 1);
      return { node, tail: "end", trail: -1, pending: undefined };
    }
    const first = children[0];
    return this.endBlock(node, last, first ? first.open - lineStartOf(s, first.open) : 0);
  }

  /** A mapping or sequence may only carry a collection tag of YAML's (Rasa's reader refuses others). */
  private checkCollectionTag(event: Event, at: number): void {
    if (event.tag === null || event.tag === "?" || COLLECTION_TAGS.has(event.tag)) return;
    this.errors.push({ kind: "syntax", message: `unknown tag \`${event.tag}\` on a collection`, start: at, end: at + 1 });
  }

  /** Whether a key is written after `?`. */
  private isExplicitKey(key: Event): boolean {
    const s = this.s;
    let p = key.open - 1;
    while (p >= 0 && (isBlank(s.charCodeAt(p)) || isBreak(s.charCodeAt(p)))) p--;
    return p >= 0 && s.charCodeAt(p) === 0x3f;
  }

  /** A pair; a key equal to an earlier one (as scalars, by value) is a duplicate. */
  private pair(key: YamlNode, value: YamlNode | null, seen: Set<unknown>): YamlPair {
    if (key.kind === "scalar") {
      const v = key.value;
      // Compared as Python compares the keys Rasa's reader builds: `true` is 1, `false` is 0,
      // 0 and -0 are equal, and every NaN is the same one.
      {
        const normalized = typeof v === "boolean" ? Number(v) : Object.is(v, -0) ? 0 : typeof v === "number" && Number.isNaN(v) ? NAN_KEY : v;
        // Over the second key, which starts where the `yaml` package reported it.
        if (seen.has(normalized)) this.errors.push({ kind: "duplicate-key", message: this.s.slice(key.start, key.end).trim(), start: key.start, end: Math.max(key.end, key.start + 1) });
        else seen.add(normalized);
      }
    }
    return { key, value };
  }

  /**
   * Where a block collection ends, by the `yaml` package's rules: at the end of its last entry
   * with what that entry takes after it. Blank and comment lines after that belong to the
   * collection when one of the comments is indented at least as deep as its entries (except at
   * the top level); otherwise they pass to the collection around it, which applies the same rule.
   */
  protected endBlock(node: MutableMap | MutableSeq, last: Built | undefined, indent: number): Built {
    let end = last ? this.trailOfBuilt(last) : node.start;
    let pending: Pending | undefined;
    if (last?.tail === "collection") pending = last.pending;
    else if (last && last.tail !== "empty") ({ end, pending } = this.afterLastEntry(last, indent));
    node.end = end;
    if (pending && indent > 0 && pending.commentIndent >= indent) return { node, tail: "collection", trail: pending.end, pending: undefined };
    return { node, tail: "collection", trail: end, pending };
  }

  /**
   * The lines after a collection's last entry: a comment indented deeper than the entries
   * (after nothing but blank lines) extends a scalar's end; the rest is pending.
   */
  private afterLastEntry(last: Built, indent: number): { end: number; pending: Pending | undefined } {
    const s = this.s;
    let end = this.trailOfBuilt(last);
    // The lines not (yet) taken by the entry, as the `yaml` package's parser collects them.
    let pending: { end: number; commentIndent: number; onlyBlank: boolean } | undefined;
    let endsWithComment = false;
    let p = end;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (isBlank(c)) {
        p = skipBlanks(s, p);
        if (pending) pending.end = p;
        else pending = { end: p, commentIndent: -1, onlyBlank: true };
      } else if (c === HASH) {
        const column = p - lineStartOf(s, p);
        p = toEndOfLine(s, p);
        if (!pending) pending = { end: p, commentIndent: column, onlyBlank: false };
        else if (pending.onlyBlank && column > indent && last.tail === "end") {
          end = p;
          endsWithComment = true;
          pending = undefined;
        } else {
          pending.end = p;
          pending.onlyBlank = false;
          pending.commentIndent = Math.max(pending.commentIndent, column);
        }
      } else if (isBreak(c)) {
        p = skipBreak(s, p);
        if (pending) pending.end = p;
        else if (endsWithComment) end = p;
        else pending = { end: p, commentIndent: -1, onlyBlank: true };
        endsWithComment = false;
      } else break;
    }
    return { end, pending };
  }

}

/** Stands for every NaN key, which Rasa's reader reads as one and the same float. */
const NAN_KEY = Symbol("NaN");

/** The tree builder's rules for the direct reader of yaml-block-subset.ts. */
export class SubsetBuilder extends TreeBuilder implements SubsetHost {
  endCollection(node: YamlMap | YamlSeq, last: SubsetBuilt | undefined, indent: number): SubsetBuilt {
    return this.endBlock(node as MutableMap | MutableSeq, last as Built | undefined, indent);
  }

  resolve(text: string, plain: boolean): unknown {
    return resolveScalar(text, null, plain);
  }
}
