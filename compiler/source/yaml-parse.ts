/**
 * YAML text → a syntax tree with the position of every node, through js-yaml.
 *
 * js-yaml only returns plain values; its `listener` reports where each node it composes opens
 * and closes. This module records those events as a tree, and reads from it and from the
 * source the nodes the YAML spec describes: mappings with their pairs, sequences, scalars with
 * their style, aliases with their target. Where js-yaml composes a node in a nested call (a
 * scalar read as a would-be mapping key, a mapping key that carries the anchor written before
 * it) or tries a reading and abandons it, the events are interpreted as js-yaml uses them.
 *
 * Positions follow the conventions of the `yaml` package that flowc used before, so that
 * every diagnostic points where it did: a node starts at its content (after its anchor and
 * tag); a block collection ends where its last entry ends, including that entry's line break
 * and comment, and comment lines at its indentation after it; an empty value sits just after
 * its `:` or `-` and the spaces that follow.
 *
 * Scalars are resolved as by the YAML 1.2 core schema (js-yaml itself is run with the failsafe
 * schema, so that every plain scalar arrives as text), and duplicate keys are found here, as
 * the `yaml` package finds them: two scalar keys with the same resolved value.
 *
 * js-yaml stops at the first syntax error. Where it accepts what YAML does not, this module
 * refuses it: continuation lines indented less than their node, a comment right after a quote
 * or bracket, an implicit key over 1,024 characters, more than one document. And where js-yaml
 * misreads a `-` alone on its line followed by a less indented `-`, the file is refused with
 * a way around it rather than read wrongly.
 */
import { FAILSAFE_SCHEMA, loadAll, Type, YAMLException, type LoadOptions } from "js-yaml";
import { pythonFloat } from "../../runtime/slots.ts";
import { readBlockSubset, type SubsetBuilt, type SubsetHost } from "./yaml-block-subset.ts";
import type { ConvertedValues } from "./yaml-tree.ts";

export type ScalarStyle = "plain" | "single-quoted" | "double-quoted" | "literal" | "folded";

export interface YamlScalar {
  readonly kind: "scalar";
  /** Offset of the first character (after any anchor or tag). */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
  readonly style: ScalarStyle;
  /** The value, resolved as Rasa's reader resolves it (before `${VAR}` expansion). */
  readonly value: unknown;
  /** The explicit tag, if any (a tagged plain scalar is not resolved, nor expanded, by its text). */
  readonly tag?: string;
}

export interface YamlAlias {
  readonly kind: "alias";
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** The node the alias refers to: the last one before it with that anchor. */
  readonly target: YamlNode | undefined;
}

export interface YamlPair {
  readonly key: YamlNode | null;
  readonly value: YamlNode | null;
}

export interface YamlMap {
  readonly kind: "map";
  readonly start: number;
  readonly end: number;
  readonly pairs: readonly YamlPair[];
}

export interface YamlSeq {
  readonly kind: "seq";
  readonly start: number;
  readonly end: number;
  readonly items: readonly (YamlNode | null)[];
}

export type YamlNode = YamlScalar | YamlAlias | YamlMap | YamlSeq;

export interface YamlError {
  readonly kind: "syntax" | "duplicate-key" | "too-deep";
  /** For a syntax error, the reason (js-yaml's, without position or excerpt); for a duplicate key, the key as written. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedYaml {
  /** The document's root (`null` for a file without a document); unset when there are errors. */
  readonly root: YamlNode | null;
  /** The plain values, when they were converted while reading (for `YamlTree`). */
  readonly values?: ConvertedValues | undefined;
  readonly errors: readonly YamlError[];
}

export interface ParseOptions {
  /**
   * The deepest nesting allowed (the root is at depth 0). The caller checks it on the tree;
   * parsing goes on to twice as deep so that the caller sees the node. A document deeper
   * still is reported here, at the first node below `maxDepth`.
   */
  readonly maxDepth: number;
  /** False: always through js-yaml, never the direct reader of yaml-block-subset.ts (for tests). */
  readonly direct?: boolean;
}

// ---------------------------------------------------------------------------------------------
// js-yaml's events

/** One call of js-yaml's `composeNode`. */
class Event {
  close = -1;
  kind: string | null = null;
  /**
   * js-yaml's value: a scalar's text, or null; `COMPOSED` for a mapping or sequence, whose
   * values are not used and not kept (only a sequence's `length`).
   */
  result: unknown = null;
  /** The number of entries js-yaml composed for a sequence; -1 for other nodes. */
  length = -1;
  tag: string | null = null;
  anchor: string | null = null;
  children: Event[] | undefined = undefined;
  /**
   * What js-yaml goes on with in place of its value (see the listener): the value itself, but
   * `COMPOSED` for a mapping and "" for a sequence.
   */
  stands: unknown = null;

  constructor(readonly open: number) {}
}

/** The part of js-yaml's loader state the listener reads (the type declarations lack some). */
interface ListenerState {
  readonly position: number;
  readonly kind: string | null;
  result: unknown;
  readonly tag: string | null;
  readonly anchor: string | null;
}

/**
 * The failsafe schema (every plain scalar stays text), plus types that accept any tag as it
 * is, as the `yaml` package does (it only warns about an unknown tag).
 */
const SCHEMA = FAILSAFE_SCHEMA.extend(
  (["scalar", "sequence", "mapping"] as const).map((kind) => new Type("", { kind, multi: true, resolve: () => true, construct: (data: unknown) => data })),
);

const NO_EVENTS: readonly Event[] = [];

/** The `result` of an event for a mapping or a sequence. */
const COMPOSED = Symbol("composed");

export function parseYaml(text: string, options: ParseOptions): ParsedYaml {
  // Most files are plain block YAML, read directly; js-yaml reads the others.
  const direct = options.direct === false ? undefined : readBlockSubset(text, new SubsetBuilder(text));
  if (direct !== undefined) return { root: direct.root, values: direct.values, errors: [] };
  // js-yaml drops a byte-order mark: its positions are one less than ours then.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const top = new Event(0);
  top.close = 0;
  const stack: Event[] = [top];
  // Where the first node nested deeper than `maxDepth` opens, for when js-yaml gives up
  // (or runs out of stack) before the tree is complete.
  let tooDeepAt = -1;
  let lastClosed: Event | undefined;
  let unseparatedComment = -1;
  const limit = text.length;
  const loadOptions: LoadOptions & { maxDepth: number } = {
    schema: SCHEMA,
    // Only turns off js-yaml's own duplicate-key check: duplicates are found below, on
    // resolved keys, with the position of every one.
    json: true,
    maxDepth: PARSE_DEPTH_FACTOR * options.maxDepth,
    onWarning(warning) {
      // Continuation lines of a quoted scalar or a flow collection indented less than the
      // node they belong to: the YAML spec (and the `yaml` package) refuse them.
      if (warning.reason === "deficient indentation") throw warning;
    },
    listener(type, raw) {
      const state = raw as unknown as ListenerState;
      if (type === "open") {
        const event = new Event(Math.min(state.position + shift, limit));
        (stack[stack.length - 1]!.children ??= []).push(event);
        stack.push(event);
        if (tooDeepAt < 0 && stack.length > options.maxDepth + 2) tooDeepAt = event.open;
        return;
      }
      const event = stack.pop();
      if (!event) return;
      event.close = Math.min(state.position + shift, limit);
      event.kind = state.kind;
      // Keeping js-yaml's objects and arrays until the tree is built made them live long
      // enough for the garbage collector to copy them.
      const composed = state.result;
      const result = composed instanceof Event ? composed.stands : composed;
      if (Array.isArray(result)) event.length = result.length;
      event.result = result !== null && typeof result === "object" ? COMPOSED : result;
      event.tag = state.tag;
      event.anchor = state.anchor;
      lastClosed = event;
      // `"text"# comment`: js-yaml takes the comment; YAML (and the `yaml` package) want a space.
      if (unseparatedComment < 0 && text.charCodeAt(event.close) === HASH && /["'\]}]/.test(text[event.close - 1] ?? "")) {
        unseparatedComment = event.close;
      }
      // js-yaml's own values are not used (only the text of scalars and the length of
      // sequences, kept above). A sequence used as a mapping key would make js-yaml refuse
      // nested sequences and write the key out as text, however large an alias makes it: ""
      // stands for it. And js-yaml goes on with the event instead of any value, so that it
      // stores every pair of the objects it builds under the same key ("[object Object]"):
      // under their own keys, that was a good part of its time. Where js-yaml passes a value
      // on (a node that turned out not to be a mapping's key, an alias), the event that
      // arrives in its place says what that value stood for.
      event.stands = Array.isArray(result) ? "" : event.result;
      if (event.stands !== null && event.stands !== undefined) state.result = event;
    },
  };
  try {
    loadAll(text, null, loadOptions);
  } catch (error) {
    // js-yaml recurses once per level of nesting: far deeper than `maxDepth`, it stops or
    // overflows the stack.
    const deep = error instanceof RangeError || (error instanceof YAMLException && /exceeded maxDepth/.test(error.reason));
    if (deep) {
      const at = tooDeepAt >= 0 ? startOfContent(text, tooDeepAt) : 0;
      return { root: null, errors: [{ kind: "too-deep", message: "", start: at, end: at + 1 }] };
    }
    if (!(error instanceof YAMLException)) throw error;
    let found = syntaxError(text, error, shift, lastClosed, stack[stack.length - 1]);
    // js-yaml's misreading of an empty entry may be what it stumbled on.
    const dash = firstStolenDash(text, top);
    if (dash >= 0 && dash <= found.start) found = stolenDashError(dash);
    if (unseparatedComment < 0 || found.start < unseparatedComment) return { root: null, errors: [found] };
  }
  if (unseparatedComment >= 0) {
    const end = toEndOfLine(text, unseparatedComment);
    return { root: null, errors: [{ kind: "syntax", message: "a comment must be separated from what precedes it by a space", start: unseparatedComment, end }] };
  }
  const documents = top.children ?? NO_EVENTS;
  if (documents.length > 1) {
    // As the `yaml` package: from the start of the second document to the end.
    const second = startOfNextDocument(text, documents[0]!.close);
    return { root: null, errors: [{ kind: "syntax", message: "the file contains more than one YAML document", start: second, end: text.length }] };
  }
  const first = documents[0];
  if (!first) return { root: null, errors: [] };
  const builder = new TreeBuilder(text);
  let root: YamlNode | null;
  if (isNothing(first)) {
    // An empty document: nothing, or an empty node after an explicit `---`.
    const marker = documentMarkerEnd(text, shift);
    root = marker < 0 ? null : builder.node(first, marker, null);
  } else root = builder.node(first, first.open, null);
  return { root: builder.errors.length > 0 ? null : root, errors: builder.errors };
}

/** js-yaml parses this many times deeper than the depth limit, so that the tree shows where it is exceeded. */
const PARSE_DEPTH_FACTOR = 5;

/**
 * js-yaml's error, at its position; an implicit key without its `:` (a file cut short, often)
 * is shown at the key, as the `yaml` package did.
 */
function syntaxError(text: string, error: YAMLException, shift: number, lastClosed: Event | undefined, open: Event | undefined): YamlError {
  let reason = error.reason || error.message;
  if (reason === "deficient indentation") {
    const quote = open ? text[startOfContent(text, open.open)] : undefined;
    reason =
      quote === '"' || quote === "'"
        ? `this line is indented less than the quoted text it would continue: is a closing ${quote} missing?`
        : "this line is indented less than the value it continues";
  }
  const at = Math.min(Math.max(0, (error.mark?.position ?? 0) + shift), text.length);
  if (open && /^alias node should not have any properties/.test(reason)) {
    // At the anchor or tag, not after the alias.
    const start = skipSeparation(text, open.open);
    if (start < at) return { kind: "syntax", message: reason, start, end: skipProperty(text, start) };
  }
  if (lastClosed && /a colon is missed|a multiline key may not be an implicit key/.test(reason)) {
    const start = startOfContent(text, lastClosed.open);
    let end = Math.min(lastClosed.close, at);
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (start < end) return { kind: "syntax", message: reason, start, end };
  }
  return { kind: "syntax", message: reason, start: at, end: at + 1 };
}

// ---------------------------------------------------------------------------------------------
// Reading the source

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/** Past spaces and tabs. */
function skipBlanks(s: string, p: number): number {
  while (isBlank(s.charCodeAt(p))) p++;
  return p;
}

/** Past the rest of the line (not its line break). */
function toEndOfLine(s: string, p: number): number {
  const n = s.length;
  while (p < n && !isBreak(s.charCodeAt(p))) p++;
  return p;
}

/** Past one line break, if there is one at `p`. */
function skipBreak(s: string, p: number): number {
  const c = s.charCodeAt(p);
  if (c === CR) return s.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
  return c === LF ? p + 1 : p;
}

/** Past white space, line breaks and comments (js-yaml's `skipSeparationSpace`). */
function skipSeparation(s: string, p: number): number {
  for (;;) {
    p = skipBlanks(s, p);
    if (s.charCodeAt(p) === HASH) p = toEndOfLine(s, p);
    const after = skipBreak(s, p);
    if (after === p) return p;
    p = after;
  }
}

/** The start of the line of `p` (on the first line, after a byte-order mark). */
function lineStartOf(s: string, p: number): number {
  let i = p;
  while (i > 0 && !isBreak(s.charCodeAt(i - 1))) i--;
  return i === 0 && p > 0 && s.charCodeAt(0) === 0xfeff ? 1 : i;
}

/** Past an anchor (`&a`) or a tag (`!t`, `!<t>`) at `p`. */
function skipProperty(s: string, p: number): number {
  const n = s.length;
  if (s.charCodeAt(p) === 0x21 && s.charCodeAt(p + 1) === 0x3c) {
    const close = s.indexOf(">", p + 2);
    return close < 0 ? n : close + 1;
  }
  const anchor = s.charCodeAt(p) === 0x26;
  p++;
  for (; p < n; p++) {
    const c = s.charCodeAt(p);
    if (isBlank(c) || isBreak(c) || (anchor && isFlowIndicator(c))) break;
  }
  return p;
}

/** Where the content of a node opened at `open` starts: past separation, anchor and tag. */
function startOfContent(s: string, open: number): number {
  const first = s.charCodeAt(open);
  if (first !== SPACE && first !== TAB && first !== LF && first !== CR && first !== HASH && first !== 0x21 && first !== 0x26) return open;
  let p = skipSeparation(s, open);
  let sawBreak = hasBreak(s, open, p);
  let tag = false;
  let anchor = false;
  for (;;) {
    const c = s.charCodeAt(p);
    // After a line break, a second tag or anchor belongs to a nested node (js-yaml's rule).
    if (c === 0x21 && !(sawBreak && tag)) tag = true;
    else if (c === 0x26 && !(sawBreak && anchor)) anchor = true;
    else return p;
    const after = skipProperty(s, p);
    const next = skipSeparation(s, after);
    if (!sawBreak && hasBreak(s, after, next)) sawBreak = true;
    p = next;
  }
}

function hasBreak(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isBreak(s.charCodeAt(i))) return true;
  return false;
}

/** Where an empty node sits after an indicator (`:`, `-`) ending at `p`: past spaces and any anchor or tag on that line. */
function emptyPosition(s: string, p: number): number {
  p = skipBlanks(s, p);
  for (;;) {
    const c = s.charCodeAt(p);
    if (c !== 0x21 && c !== 0x26) return p;
    p = skipBlanks(s, skipProperty(s, p));
  }
}

/**
 * js-yaml reads a `-` after an empty entry (`-` alone on its line) as the next entry of the
 * same sequence even when it is less indented (it belongs to a sequence around it). Where
 * that happened in the block sequence whose content starts at `content`: the `-`, or -1.
 */
function stolenDash(s: string, content: number, children: readonly Event[]): number {
  if (s.charCodeAt(content) !== 0x2d) return -1;
  const column = content - lineStartOf(s, content);
  let dash = content;
  let next = 0;
  let afterEmpty = false;
  for (;;) {
    const c = s.charCodeAt(dash + 1);
    if (s.charCodeAt(dash) !== 0x2d || !(Number.isNaN(c) || isBlank(c) || isBreak(c))) return -1;
    if (dash - lineStartOf(s, dash) !== column) return afterEmpty ? dash : -1;
    const at = skipSeparation(s, dash + 1);
    const child = children[next];
    if (child && child.open === at) {
      if (child.close < child.open) return -1; // still open: js-yaml stopped inside it
      next++;
      afterEmpty = false;
      dash = skipSeparation(s, child.close);
    } else {
      afterEmpty = true;
      dash = at;
    }
  }
}

/** The first `stolenDash` among the events under `top` (for a file js-yaml could not read). */
function firstStolenDash(s: string, top: Event): number {
  let first = -1;
  const stack: Event[] = [top];
  while (stack.length > 0) {
    const event = stack.pop()!;
    const children = event.children ?? NO_EVENTS;
    if (event !== top && (event.kind === "sequence" || event.close < 0)) {
      const dash = stolenDash(s, startOfContent(s, event.open), children);
      if (dash >= 0 && (first < 0 || dash < first)) first = dash;
    }
    for (const child of children) stack.push(child);
  }
  return first;
}

function stolenDashError(dash: number): YamlError {
  return {
    kind: "syntax",
    message: "a `-` with nothing after it, followed by a less indented `-`, is not supported (js-yaml reads both into one list): write `- null` or remove the empty item",
    start: dash,
    end: dash + 1,
  };
}

/** Just after the `---` that starts the file's document, or -1 when it has none. */
function documentMarkerEnd(s: string, shift: number): number {
  let p = skipSeparation(s, shift);
  while (s.charCodeAt(p) === 0x25) p = skipSeparation(s, toEndOfLine(s, p)); // directives
  if (!s.startsWith("---", p)) return -1;
  const c = s.charCodeAt(p + 3);
  return Number.isNaN(c) || isBlank(c) || isBreak(c) ? p + 3 : -1;
}

/** Where the file's next document begins, after one that ended at `end`. */
function startOfNextDocument(s: string, end: number): number {
  let p = skipSeparation(s, end);
  if (s.startsWith("...", p)) p = skipSeparation(s, p + 3);
  return Math.min(p, s.length);
}

// ---------------------------------------------------------------------------------------------
// Events → nodes

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

function isNothing(event: Event): boolean {
  return event.kind === null && event.result === null && event.tag === null && event.anchor === null && event.children === undefined;
}

class TreeBuilder {
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
        // At the key's first character, as the `yaml` package reported it.
        if (seen.has(normalized)) this.errors.push({ kind: "duplicate-key", message: this.s.slice(key.start, key.end).trim(), start: key.start, end: key.start + 1 });
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
class SubsetBuilder extends TreeBuilder implements SubsetHost {
  endCollection(node: YamlMap | YamlSeq, last: SubsetBuilt | undefined, indent: number): SubsetBuilt {
    return this.endBlock(node as MutableMap | MutableSeq, last as Built | undefined, indent);
  }

  resolve(text: string, plain: boolean): unknown {
    return resolveScalar(text, null, plain);
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars: YAML 1.2 as Rasa's reader (ruamel.yaml) resolves and constructs them

/**
 * A scalar Rasa's reader refuses to construct: `=` (YAML's value key), a `<<` that is not a
 * merge key, an unknown tag, or a tagged text its type cannot read (`!!int abc`).
 */
export class Unreadable {
  constructor(readonly reason: string) {}
}

/**
 * Plain scalars are resolved by ruamel.yaml's YAML 1.2 rules, which are wider than the core
 * schema's: `_` may separate digits (`1_000`), `0b101` is binary, hexadecimal, octal and
 * binary take a sign (`-0o7`), `1.e5` is a float and `.5e3` (exponent without a sign after a
 * bare fraction) is text. Timestamps stay text (Rasa reads `2024-01-01` back as text).
 */
const FLOAT_PLAIN = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_PLAIN = /^[-+]?(?:0b[01_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)$/;
const NULL_PLAIN = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_PLAIN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** The texts starting with a letter that resolve to something else than text (all start with n, t or f). */
const CORE_WORDS: ReadonlySet<string> = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

const CORE_PREFIX = "tag:yaml.org,2002:";

/**
 * Whether a number was written as a float (`3.0`, `1e3`, `!!float 3`): Rasa's reader makes a
 * Python float of it, which prints as one (`3.0`) though JavaScript holds it as `3`.
 */
export function writtenAsFloat(node: YamlNode | null | undefined, source: string): boolean {
  const scalar = node?.kind === "alias" ? node.target : node;
  if (scalar?.kind !== "scalar" || typeof scalar.value !== "number") return false;
  if (scalar.tag !== undefined) return scalar.tag === CORE_PREFIX + "float";
  return scalar.style === "plain" && FLOAT_PLAIN.test(source.slice(scalar.start, scalar.end));
}

/** `!!merge <<` is a merge key, as a plain `<<` is. */
export const MERGE_TAG = CORE_PREFIX + "merge";

/** Rasa registers this tag: its scalar has environment variables expanded, as a plain one. */
export const ENV_VAR_TAG = "!env_var";

/** `!!bool` reads these (any case), as YAML 1.1 did. */
const TAGGED_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ["yes", true], ["no", false], ["y", true], ["n", false], ["true", true], ["false", false], ["on", true], ["off", false],
]);

/** Tags Rasa's reader constructs a scalar for (the others, `!!binary` aside, read as text here). */
const SCALAR_TAGS: ReadonlySet<string> = new Set(["str", "null", "bool", "int", "float", "binary", "timestamp"]);

/** The tags a mapping or sequence may carry. */
export const COLLECTION_TAGS: ReadonlySet<string> = new Set([CORE_PREFIX + "map", CORE_PREFIX + "seq", CORE_PREFIX + "omap", CORE_PREFIX + "pairs", CORE_PREFIX + "set", "!"]);

/** An integer as ruamel.yaml constructs one: `_` dropped, a sign, then `0b`/`0x`/`0o` or decimal. */
function constructInt(text: string): number | Unreadable {
  let digits = text.replace(/_/g, "");
  const sign = digits[0] === "-" ? -1 : 1;
  if (digits[0] === "-" || digits[0] === "+") digits = digits.slice(1);
  const prefixed = /^0([box])(.*)$/.exec(digits);
  const [base, body] = prefixed ? [prefixed[1] === "b" ? 2 : prefixed[1] === "o" ? 8 : 16, prefixed[2]!] : [10, digits.trim()];
  const valid = base === 2 ? /^[01]+$/ : base === 8 ? /^[0-7]+$/ : base === 16 ? /^[0-9a-fA-F]+$/ : /^[-+]?[0-9]+$/;
  if (!valid.test(body)) return new Unreadable(`\`${text}\` is not an integer`);
  return sign * (base === 10 ? Number(body) : parseInt(body, base)) + 0; // never -0
}

/** A float as ruamel.yaml constructs one: `_` dropped, a sign, `.inf`/`.nan`, else Python's `float()` of the rest. */
function constructFloat(text: string): number | Unreadable {
  let digits = text.replace(/_/g, "").toLowerCase();
  const sign = digits[0] === "-" ? -1 : 1;
  if (digits[0] === "-" || digits[0] === "+") digits = digits.slice(1);
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return NaN;
  const value = pythonFloat(digits);
  return value === undefined ? new Unreadable(`\`${text}\` is not a float`) : sign * value;
}

/**
 * A plain scalar without a tag is resolved as Rasa's reader does; a quoted or block one is
 * text; with a tag, the tag's type constructs it (and an unknown tag is refused, as Rasa does).
 */
function resolveScalar(text: string, tag: string | null, plain: boolean): unknown {
  if (tag === null) {
    if (!plain) return text;
    // Only these can start a null, a boolean or a number; and after a letter, only a word of
    // CORE_WORDS is one (keys such as `type` and `flows` are the most frequent scalars).
    if (text !== "" && !/^[-+.0-9~=]/.test(text) && !CORE_WORDS.has(text)) return text;
    if (NULL_PLAIN.test(text)) return null;
    if (BOOL_PLAIN.test(text)) return text[0] === "t" || text[0] === "T";
    if (FLOAT_PLAIN.test(text)) return constructFloat(text);
    if (INT_PLAIN.test(text)) return constructInt(text);
    return text;
  }
  if (tag === "!" || tag === ENV_VAR_TAG || tag === MERGE_TAG) return text;
  if (!tag.startsWith(CORE_PREFIX) || !SCALAR_TAGS.has(tag.slice(CORE_PREFIX.length))) return new Unreadable(`unknown tag \`${tag}\``);
  switch (tag.slice(CORE_PREFIX.length)) {
    case "null":
      return null;
    case "bool": {
      const value = TAGGED_BOOLS.get(text.toLowerCase());
      return value ?? new Unreadable(`\`${text}\` is not a boolean`);
    }
    case "int":
      return constructInt(text);
    case "float":
      return constructFloat(text);
    default:
      return text;
  }
}
