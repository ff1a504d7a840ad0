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
 * refuses it: a comment right after a quote or bracket, an implicit key over 1,024 characters,
 * more than one document. Continuation lines of a quoted scalar or a flow collection indented
 * less than their node are the exception: Rasa's reader (ruamel, like PyYAML, checks no
 * indentation there) takes them as they are, so the first such line of each node comes back in
 * `lenient`, to warn about, and the file is read as js-yaml reads it, to the same values. And where js-yaml
 * misreads a `-` alone on its line followed by a less indented `-`, the file is refused with
 * a way around it rather than read wrongly.
 *
 * This module runs js-yaml and records its events; the tree's nodes are declared in
 * yaml-nodes.ts, built from the events by yaml-tree-builder.ts (reading the source around them
 * with yaml-scan.ts), and their scalars resolved by yaml-scalars.ts.
 */
import { FAILSAFE_SCHEMA, loadAll, Type, YAMLException, type LoadOptions } from "js-yaml";
import { readBlockSubset } from "./yaml-block-subset.ts";
import { Event, NO_EVENTS, type YamlError, type YamlMap, type YamlNode } from "./yaml-nodes.ts";
import { documentMarkerEnd, firstStolenDash, HASH, skipProperty, skipSeparation, startOfContent, startOfNextDocument, stolenDashError, toEndOfLine } from "./yaml-scan.ts";
import { isNothing, SubsetBuilder, TreeBuilder } from "./yaml-tree-builder.ts";
import type { ConvertedValues } from "./yaml-tree.ts";

export interface ParsedYaml {
  /** The document's root (`null` for a file without a document); unset when there are errors. */
  readonly root: YamlNode | null;
  /** The plain values, when they were converted while reading (for `YamlTree`). */
  readonly values?: ConvertedValues | undefined;
  readonly errors: readonly YamlError[];
  /**
   * With errors only in its nodes (an unknown tag, a duplicate key), a document that is a
   * mapping still shows its top-level keys: enough for a caller to tell that the file is none
   * of its business (another tool's YAML, such as a CloudFormation template's `!Ref`).
   */
  readonly keys?: readonly string[];
  /** Lines the YAML spec refuses but Rasa's reader accepts (see the header); each is a problem to warn about. */
  readonly lenient?: readonly YamlError[];
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
  const lenient: YamlError[] = [];
  const lenientNodes = new Set<Event>();
  const limit = text.length;
  const loadOptions: LoadOptions & { maxDepth: number } = {
    schema: SCHEMA,
    // Only turns off js-yaml's own duplicate-key check: duplicates are found below, on
    // resolved keys, with the position of every one.
    json: true,
    maxDepth: PARSE_DEPTH_FACTOR * options.maxDepth,
    onWarning(warning) {
      // Continuation lines of a quoted scalar or a flow collection indented less than the
      // node they belong to: the YAML spec refuses them, Rasa's reader does not.
      // Once per node, at its first such line.
      const node = stack[stack.length - 1];
      if (warning.reason !== "deficient indentation" || (node !== undefined && lenientNodes.has(node))) return;
      if (node !== undefined) lenientNodes.add(node);
      const found = syntaxError(text, warning, shift, undefined, node);
      // js-yaml may read a node twice (first as a would-be mapping key): the line once.
      if (!lenient.some((line) => line.start === found.start)) lenient.push(found);
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
  if (builder.errors.length > 0) return { root: null, errors: builder.errors, ...(root?.kind === "map" ? { keys: topLevelKeys(root) } : {}), ...(lenient.length > 0 ? { lenient } : {}) };
  return { root, errors: [], ...(lenient.length > 0 ? { lenient } : {}) };
}

/** The keys of a mapping that are scalars, as text. */
function topLevelKeys(root: YamlMap): string[] {
  return root.pairs.flatMap(({ key }) => (key?.kind === "scalar" ? [String(key.value)] : []));
}

/**
 * What js-yaml's "bad indentation" leaves out: how far the line is indented, and the indentation
 * of the blocks it sits between, found by walking up the lines above it (a line less indented
 * than every line after it opens an enclosing block; `- key:` opens a list and a mapping). So
 * `     - collect: b` under `      - collect: a` and `    steps:` gets `: this line is indented
 * by 5 spaces, between `- collect: a` (line 9, 6 spaces) and `steps:` (line 8, 4 spaces)`.
 * Nothing when the line is indented as one of those blocks (the fault is elsewhere) or lies
 * inside a flow collection or a block scalar, which this walk does not follow.
 */
function indentationHint(text: string, at: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  const row = text.slice(0, at).split(/\r\n|\r|\n/).length - 1;
  const own = lines[row];
  if (own === undefined || /[[{|>]\s*$/.test(text.slice(0, at).trimEnd())) return "";
  const indent = own.length - own.trimStart().length;
  const blocks: { column: number; line: number; shown: string }[] = [];
  let limit = Infinity;
  for (let i = row - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i]!;
    const content = line.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    const column = line.length - content.length;
    // Only a key or a list item opens a block: not a line of a block scalar or a multi-line text.
    if (column >= limit || !/^(?:- +)*(?:-$|[^\s#][^:]*:(?:\s|$))/.test(content)) continue;
    const shown = content.replace(/\s+#.*$/, "").replace(/^((?:- +)*[^:]*?:)(?:\s.*)?$/, "$1");
    const item = /^(- +)+(?=\S)/.exec(content);
    if (item && !content.slice(item[0].length).startsWith("#") && column + item[0].length < limit) {
      blocks.push({ column: column + item[0].length, line: i + 1, shown: content.slice(item[0].length).replace(/^([^:]*?:)(?:\s.*)?$/, "$1") });
    }
    blocks.push({ column, line: i + 1, shown: shown.length > 40 ? `${shown.slice(0, 40)}…` : shown });
    limit = column;
  }
  if (blocks.some((block) => block.column === indent)) return "";
  const deeper = blocks.filter((block) => block.column > indent).at(-1);
  const shallower = blocks.find((block) => block.column < indent);
  const spaces = (n: number) => `${n} space${n === 1 ? "" : "s"}`;
  const describe = (block: { column: number; line: number; shown: string }) => `\`${block.shown}\` (line ${block.line}, ${spaces(block.column)})`;
  if (deeper && shallower) return `: this line is indented by ${spaces(indent)}, between ${describe(deeper)} and ${describe(shallower)}`;
  const near = deeper ?? shallower;
  return near ? `: this line is indented by ${spaces(indent)}, and ${describe(near)} above it` : "";
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
        ? `this line continues the quoted text above but is indented less than it (is a closing ${quote} missing?)`
        : "this line continues the value above but is indented less than it";
  }
  const at = Math.min(Math.max(0, (error.mark?.position ?? 0) + shift), text.length);
  if (/^bad indentation of a (?:mapping|sequence) entry$/.test(reason)) reason += indentationHint(text, at);
  const unclosed = open ? /^unexpected end of the (stream|document) within a (?:single|double) quoted scalar/.exec(reason) : null;
  if (open && unclosed) {
    // At the opening quote, not at the end of the file (or at the `---` that ends the
    // document), where nothing is wrong: a closing quote is missing somewhere after it.
    const start = startOfContent(text, open.open);
    const quote = text[start];
    if ((quote === '"' || quote === "'") && start < at) {
      const end = unclosed[1] === "stream" ? "the file ends" : "the document ends (at `---` or `...`)";
      return { kind: "syntax", message: `this quoted text is never closed: ${end} before a closing ${quote}`, start, end: start + 1 };
    }
  }
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
