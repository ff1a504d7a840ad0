/**
 * A direct reader for the YAML that assistants are almost always written in: block mappings
 * with plain keys, block sequences, one-line plain or quoted scalars, and empty `[]` and `{}`.
 * It builds the very nodes `parseYaml` builds from js-yaml's events, with the same positions
 * (the end of a block collection and the scalar values come from the same code), in one pass
 * over the text instead of js-yaml's parse, its events and their reading: that was most of
 * the time of parsing an assistant.
 *
 * It gives up (returns `undefined`) at the first thing outside that subset — a tab, a carriage
 * return, an anchor, alias or tag, another flow collection, a block or multi-line scalar, an
 * escape, an empty value, a key that is not a plain word, a key seen before in its mapping,
 * any syntax error — and the file is then read by js-yaml as before: every error and every
 * unusual construct is its.
 */
import type { YamlMap, YamlNode, YamlPair, YamlScalar, YamlSeq } from "./yaml-nodes.ts";
import { defineValue, keyText, MAX_PAIRS_WITHOUT_MAP, type ConvertedValues } from "./yaml-tree.ts";

/** What the reader shares with `parseYaml`'s tree builder (see `Built` there). */
export interface SubsetBuilt {
  readonly node: YamlNode;
  readonly tail: "end" | "block" | "empty" | "collection";
  readonly trail: number;
  readonly pending: unknown;
}

export interface SubsetHost {
  /** Ends a block collection after its last entry, as `parseYaml` does. */
  endCollection(node: YamlMap | YamlSeq, last: SubsetBuilt | undefined, indent: number): SubsetBuilt;
  /** A scalar's value by the YAML 1.2 core schema (no tag). */
  resolve(text: string, plain: boolean): unknown;
}

/** Deeper than this, the reader gives up (the depth limits are js-yaml's path's to report). */
const MAX_SUBSET_DEPTH = 64;

const SPACE = 0x20;
const LF = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const SINGLE = 0x27;
const DOUBLE = 0x22;

class GiveUp {}
const GIVE_UP = new GiveUp();

export interface SubsetResult {
  readonly root: YamlNode;
  /**
   * The plain values, converted as `YamlTree` converts the nodes (read at the same time,
   * rather than in a second walk); unset when a scalar needs `${VAR}` expansion.
   */
  readonly values: ConvertedValues | undefined;
}

/** The root node of `text`, or `undefined` when the text is not of the subset. */
export function readBlockSubset(text: string, host: SubsetHost): SubsetResult | undefined {
  // Tabs, carriage returns, a byte-order mark or NUL: js-yaml's path.
  if (/[\t\r\0\uFEFF]/.test(text)) return undefined;
  const reader = new SubsetReader(text, host);
  try {
    const root = reader.document();
    return { root, values: reader.expands ? undefined : { root: reader.value, containers: reader.containers, entries: reader.entries } };
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** A mutable map or sequence while it is read. */
interface OpenMap {
  kind: "map";
  start: number;
  end: number;
  pairs: YamlPair[];
}

interface OpenSeq {
  kind: "seq";
  start: number;
  end: number;
  items: (YamlNode | null)[];
}

class SubsetReader {
  /** Where the next line with content starts (its first character), or `s.length`. */
  private next = 0;
  /** That line's indentation (-1 at the end of the text). */
  private nextIndent = -1;
  /** The plain value of the node read last. */
  value: unknown = null;
  /** Whether a plain scalar contains `${`: `YamlTree` converts the nodes then. */
  expands = false;
  readonly containers = new Map<object, YamlNode>();
  readonly entries = new Map<object, Map<string | number, YamlPair>>();

  constructor(
    private readonly s: string,
    private readonly host: SubsetHost,
  ) {}

  document(): YamlNode {
    this.seek(0);
    // The root must be a block mapping at the first column.
    if (this.nextIndent !== 0 || !this.isKey(this.next)) throw GIVE_UP;
    const root = this.mapping(0, this.next, 0);
    if (this.nextIndent >= 0) throw GIVE_UP;
    return root.node;
  }

  /**
   * From the start of a line at `p`: past blank and comment lines, to the first line with
   * content; sets `next` and `nextIndent`.
   */
  private seek(p: number): void {
    const s = this.s;
    const n = s.length;
    while (p < n) {
      let q = p;
      while (s.charCodeAt(q) === SPACE) q++;
      const c = s.charCodeAt(q);
      if (q >= n) break;
      if (c === LF) {
        p = q + 1;
        continue;
      }
      if (c === HASH) {
        const eol = s.indexOf("\n", q);
        if (eol < 0) break;
        p = eol + 1;
        continue;
      }
      this.next = q;
      this.nextIndent = q - p;
      return;
    }
    this.next = n;
    this.nextIndent = -1;
  }

  /** Past the end of the line at `p` (after its line break). */
  private lineAfter(p: number): number {
    const eol = this.s.indexOf("\n", p);
    return eol < 0 ? this.s.length : eol + 1;
  }

  /** Whether a plain key (a word, then `:` and a space or the end of the line) is at `p`. */
  private isKey(p: number): boolean {
    return this.keyEnd(p) > p;
  }

  /** The end of the key at `p` (its `:`), or -1. */
  private keyEnd(p: number): number {
    const s = this.s;
    let q = p;
    let c = s.charCodeAt(q);
    if (!isWordStart(c)) return -1;
    for (q++; ; q++) {
      c = s.charCodeAt(q);
      if (!isWordPart(c)) break;
    }
    // An implicit key over 1,024 characters is an error (js-yaml's path reports it).
    if (c !== COLON || q - p > 1000) return -1;
    const after = s.charCodeAt(q + 1);
    return after === SPACE || after === LF || Number.isNaN(after) ? q : -1;
  }

  /** A block mapping whose first key is at `start`, at column `indent`. */
  private mapping(indent: number, start: number, depth: number): SubsetBuilt {
    if (depth > MAX_SUBSET_DEPTH) throw GIVE_UP;
    const s = this.s;
    const host = this.host;
    const node: OpenMap = { kind: "map", start, end: start, pairs: [] };
    const out: Record<string, unknown> = {};
    this.containers.set(out, node);
    let last: SubsetBuilt | undefined;
    let p = start;
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon < 0) throw GIVE_UP;
      const word = s.slice(p, colon);
      const key: YamlScalar = { kind: "scalar", start: p, end: colon, style: "plain", value: host.resolve(word, true) };
      let q = colon + 1;
      while (s.charCodeAt(q) === SPACE) q++;
      const c = s.charCodeAt(q);
      let value: SubsetBuilt;
      if (c === LF || c === HASH || Number.isNaN(c)) {
        // The value is a block collection on the lines below.
        this.seek(this.lineAfter(q));
        if (this.nextIndent <= indent) throw GIVE_UP; // empty, or a sequence at the key's column
        value = this.block(this.nextIndent, this.next, depth + 1);
      } else {
        value = this.inlineValue(q);
        if (this.nextIndent > indent) throw GIVE_UP; // a scalar continued on the next line
      }
      // Keys with the same value have the same text: a key seen before may be a duplicate,
      // which js-yaml's path reports (and the rare keys of the same text but not the same
      // value, such as `1e999` and `Infinity`, are read there too).
      // A boolean key may equal a number key (`true` is 1 to Rasa's reader): js-yaml's path.
      if (typeof key.value === "boolean") throw GIVE_UP;
      const text = keyText(key.value);
      if (Object.prototype.hasOwnProperty.call(out, text)) throw GIVE_UP;
      node.pairs.push({ key, value: value.node });
      defineValue(out, text, this.value);
      last = value;
      if (this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw GIVE_UP;
      p = this.next;
    }
    if (node.pairs.length > MAX_PAIRS_WITHOUT_MAP) {
      // As `YamlTree` keeps the entries of a large mapping.
      const entries = new Map<string | number, YamlPair>();
      for (const pair of node.pairs) entries.set(keyText((pair.key as YamlScalar).value), pair);
      this.entries.set(out, entries);
    }
    this.value = out;
    return host.endCollection(node, last, indent);
  }

  /** A block sequence whose first `-` is at `start`, at column `indent`. */
  private sequence(indent: number, start: number, depth: number): SubsetBuilt {
    if (depth > MAX_SUBSET_DEPTH) throw GIVE_UP;
    const s = this.s;
    const node: OpenSeq = { kind: "seq", start, end: start, items: [] };
    const out: unknown[] = [];
    this.containers.set(out, node);
    let last: SubsetBuilt | undefined;
    let dash = start;
    for (;;) {
      if (s.charCodeAt(dash) !== DASH || s.charCodeAt(dash + 1) !== SPACE) throw GIVE_UP;
      let q = dash + 2;
      while (s.charCodeAt(q) === SPACE) q++;
      const c = s.charCodeAt(q);
      if (c === LF || c === HASH || Number.isNaN(c)) throw GIVE_UP; // an entry on the lines below, or empty
      let entry: SubsetBuilt;
      if (c === DASH && isBlankOrEnd(s.charCodeAt(q + 1))) throw GIVE_UP; // `- - a`
      if (this.isKey(q)) entry = this.mapping(q - lineStart(s, q), q, depth + 1);
      else {
        entry = this.inlineValue(q);
        if (this.nextIndent > indent) throw GIVE_UP;
      }
      node.items.push(entry.node);
      out.push(this.value);
      last = entry;
      if (this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw GIVE_UP;
      dash = this.next;
      if (s.charCodeAt(dash) !== DASH) throw GIVE_UP; // a key at the sequence's column
    }
    this.value = out;
    return this.host.endCollection(node, last, indent);
  }

  /** The block collection at `start` (column `indent`). */
  private block(indent: number, start: number, depth: number): SubsetBuilt {
    const s = this.s;
    if (s.charCodeAt(start) === DASH && s.charCodeAt(start + 1) === SPACE) return this.sequence(indent, start, depth);
    if (this.isKey(start)) return this.mapping(indent, start, depth);
    throw GIVE_UP;
  }

  /**
   * A value on one line from `p`: a plain, single-quoted, or double-quoted scalar without
   * escapes, or an empty `[]` or `{}`; then perhaps a comment. Moves on to the next line with
   * content.
   */
  private inlineValue(p: number): SubsetBuilt {
    const s = this.s;
    const n = s.length;
    const c = s.charCodeAt(p);
    let node: YamlScalar;
    let q: number;
    if (c === SINGLE || c === DOUBLE) {
      let text = "";
      let from = p + 1;
      q = p + 1;
      for (;;) {
        const d = s.charCodeAt(q);
        if (q >= n || d === LF) throw GIVE_UP; // unclosed on this line
        if (c === DOUBLE && d === 0x5c) throw GIVE_UP; // an escape
        if (d === c) {
          if (c === SINGLE && s.charCodeAt(q + 1) === SINGLE) {
            text += s.slice(from, q + 1);
            q += 2;
            from = q;
            continue;
          }
          break;
        }
        q++;
      }
      text += s.slice(from, q);
      const end = q + 1;
      node = { kind: "scalar", start: p, end, style: c === SINGLE ? "single-quoted" : "double-quoted", value: this.host.resolve(text, false) };
      q = end;
      while (s.charCodeAt(q) === SPACE) q++;
      const after = s.charCodeAt(q);
      if (after === HASH) {
        if (q === end) throw GIVE_UP; // a comment right after the quote
      } else if (after !== LF && q < n) throw GIVE_UP;
    } else if ((c === 0x5b && s.charCodeAt(p + 1) === 0x5d) || (c === 0x7b && s.charCodeAt(p + 1) === 0x7d)) {
      // `[]` or `{}`, then perhaps a comment.
      const end = p + 2;
      q = end;
      while (s.charCodeAt(q) === SPACE) q++;
      const after = s.charCodeAt(q);
      if (after === HASH ? q === end : after !== LF && q < n) throw GIVE_UP;
      const collection: YamlNode = c === 0x5b ? { kind: "seq", start: p, end, items: [] } : { kind: "map", start: p, end, pairs: [] };
      const value = c === 0x5b ? [] : {};
      this.containers.set(value, collection);
      this.value = value;
      this.seek(this.lineAfter(q));
      return { node: collection, tail: "end", trail: -1, pending: undefined };
    } else {
      // What cannot start a plain scalar (or starts something else): js-yaml's path.
      if (NOT_PLAIN_START.has(c)) throw GIVE_UP;
      if ((c === DASH || c === 0x3f || c === COLON) && isBlankOrEnd(s.charCodeAt(p + 1))) throw GIVE_UP;
      let end = p;
      for (q = p; q < n; q++) {
        const d = s.charCodeAt(q);
        if (d === LF) break;
        if (d === COLON && isBlankOrEnd(s.charCodeAt(q + 1))) throw GIVE_UP; // a mapping
        if (d === HASH && s.charCodeAt(q - 1) === SPACE) break; // a comment
        if (d !== SPACE) end = q + 1;
      }
      const text = s.slice(p, end);
      // `=` and `<<` cannot be values in Rasa's reader: js-yaml's path reports them.
      if (text === "=" || text === "<<") throw GIVE_UP;
      node = { kind: "scalar", start: p, end, style: "plain", value: this.host.resolve(text, true) };
      if (typeof node.value === "string" && node.value.includes("${")) this.expands = true;
    }
    this.value = node.value;
    this.seek(this.lineAfter(q));
    return { node, tail: "end", trail: -1, pending: undefined };
  }
}

/** The characters that cannot start a plain scalar in block context (or start another node). */
const NOT_PLAIN_START: ReadonlySet<number> = new Set([..."#&*!|>'\"%@`,[]{}"].map((c) => c.charCodeAt(0)));

function isWordStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || c === DASH || c === 0x2e;
}

function isBlankOrEnd(c: number): boolean {
  return c === SPACE || c === LF || Number.isNaN(c);
}

function lineStart(s: string, p: number): number {
  return s.lastIndexOf("\n", p - 1) + 1;
}
