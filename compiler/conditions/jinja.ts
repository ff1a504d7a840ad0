/**
 * The Jinja step of branch and rejection conditions, at compile time. Rasa renders a condition
 * as a Jinja template before pypred parses it; flowc supports the part of Jinja that conditions
 * use: holes `{{ path | filter }}` with dotted paths, literals and the string filters, comments
 * `{# … #}`, and `{% if %}` / `{% elif %}` / `{% else %}` / `{% endif %}` at the top level. Each
 * combination of `if` branches becomes one alternative condition text, compiled separately; the
 * generated code picks the alternative at run time.
 */
import { applyFilters, pythonFloat } from "../../runtime/conditions/template.ts";
import type { ConditionSite } from "./ast.ts";

/** Offsets in the template text (the condition's read text, condition-text.ts). */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export interface JinjaHole {
  readonly path?: readonly string[];
  /** Where the hole's expression is written (`slots . age` in `{{ slots . age | lower }}`). */
  readonly span: TextSpan;
  /** A literal rendered at compile time (`{{1}}`, `{{'x'}}`). */
  readonly literal?: string;
  readonly filters: readonly string[];
}

/** `span`: where the test's name is written (`slots.age` in `{% if not slots.age %}`). */
export type JinjaTest =
  | { readonly kind: "truthy"; readonly path: readonly string[]; readonly negated: boolean; readonly span: TextSpan }
  | { readonly kind: "compare"; readonly path: readonly string[]; readonly operator: "==" | "!="; readonly value: string | number | boolean | null; readonly span: TextSpan }
  /** `x is defined`, `x is none` (`negated`: `is not …`, or `is undefined`). */
  | { readonly kind: "defined"; readonly path: readonly string[]; readonly negated: boolean; readonly span: TextSpan }
  | { readonly kind: "none"; readonly path: readonly string[]; readonly negated: boolean; readonly span: TextSpan }
  /** A test of a literal (`{% if true %}`, `{% if not 0 %}`): its outcome is known at compile time. */
  | { readonly kind: "literal"; readonly path?: undefined; readonly holds: boolean; readonly span: TextSpan }
  /** `a and b`, `a or b` (Python's short circuit: `b` is read only when `a` does not decide), `not (a == b)`. */
  | { readonly kind: "and"; readonly path?: undefined; readonly left: JinjaTest; readonly right: JinjaTest; readonly span: TextSpan }
  | { readonly kind: "or"; readonly path?: undefined; readonly left: JinjaTest; readonly right: JinjaTest; readonly span: TextSpan }
  | { readonly kind: "not"; readonly path?: undefined; readonly operand: JinjaTest; readonly span: TextSpan };

/** The tests inside `test` that read a value (itself, or the parts of an `and`, `or` or `not`), in order. */
export function testReads(test: JinjaTest): JinjaTest[] {
  if (test.kind === "and" || test.kind === "or") return [...testReads(test.left), ...testReads(test.right)];
  if (test.kind === "not") return testReads(test.operand);
  return [test];
}

export interface Alternative {
  /** For each `if` block in order: the branch index taken (branches.length = none taken). */
  readonly choices: readonly number[];
  /** Condition text for pypred, with `{{__jinja.hN}}` standing for hole N. */
  readonly text: string;
}

export interface JinjaTemplate {
  readonly holes: readonly JinjaHole[];
  /** One entry per `if` block: the tests of its `if` and `elif` branches, in order. */
  readonly blocks: readonly (readonly JinjaTest[])[];
  readonly alternatives: readonly Alternative[];
}

/**
 * The one name a site's template is rendered with (conditions.md §7): a branch sees
 * `{"context": …}`, a rejection `{"slots": {slot: value}}`. Any other name is undefined there:
 * alone it renders as empty text (and is false in `{% if %}`), but reading an attribute of it raises.
 */
export function templateRoot(site: ConditionSite): "slots" | "context" {
  return site === "rejection" ? "slots" : "context";
}

export class JinjaError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** "syntax": Jinja itself refuses the template; "unsupported": valid Jinja flowc does not compile. */
    readonly kind: "syntax" | "unsupported" = "syntax",
  ) {
    super(message);
  }
}

export { SUPPORTED_FILTERS } from "../../runtime/conditions/template.ts";
import { SUPPORTED_FILTERS } from "../../runtime/conditions/template.ts";
import { isPythonSpace } from "../../runtime/python-strip.ts";

/**
 * Whether the text needs this module: anything beyond plain `{{ dotted.path }}` holes, and a
 * hole that is a literal's name (`{{ true }}` prints `True`, `{{ none }}` prints `None`).
 */
export function needsJinja(text: string): boolean {
  return /\{[%#]/.test(text) || /\{\{[ \t\r\n]*(?:true|True|false|False|none|None)[ \t\r\n]*\}\}/.test(text) || /\{\{(?![ \t\r\n]*[\p{ID_Start}_][\p{ID_Continue}]*(?:\.[\p{ID_Start}_][\p{ID_Continue}]*)*[ \t\r\n]*\}\})/u.test(text);
}

type Piece = { readonly kind: "text"; readonly text: string } | { readonly kind: "hole"; readonly index: number };
type Block = { readonly kind: "if"; readonly branches: Piece[][] };

/**
 * Parses a condition's template: `text` is the condition's read text (condition-text.ts), whose
 * line breaks are already the `\n` Jinja's lexer makes of them, so that offsets into the
 * template are offsets into that text. Whitespace control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`,
 * `-#}`) strips the white space before or after the tag, as Jinja does; `+` is accepted and
 * changes nothing (it only undoes `lstrip_blocks`/`trim_blocks`, which Rasa does not set).
 */
/** {@link parseJinja}, or undefined where the template does not parse (an error reported elsewhere). */
export function parseJinjaOrUndefined(source: string): JinjaTemplate | undefined {
  try {
    return parseJinja(source);
  } catch (error) {
    if (error instanceof JinjaError) return undefined;
    throw error;
  }
}

export function parseJinja(source: string): JinjaTemplate {
  // Jinja drops one trailing newline.
  const text = source.endsWith("\n") ? source.slice(0, -1) : source;
  const holes: JinjaHole[] = [];
  const blocks: JinjaTest[][] = [];
  const top: (Piece | Block)[] = [];
  let open: { block: Block; tests: JinjaTest[]; closedElse: boolean } | undefined;
  const emit = (piece: Piece): void => {
    if (open) open.block.branches[open.block.branches.length - 1]!.push(piece);
    else top.push(piece);
  };
  let stripNext = false; // the last tag ended with `-`: the text after it loses its leading white space
  const emitText = (piece: string, stripEnd: boolean): void => {
    let from = 0;
    let to = piece.length;
    if (stripNext) while (from < to && isPythonSpace(piece.charCodeAt(from))) from++;
    if (stripEnd) while (to > from && isPythonSpace(piece.charCodeAt(to - 1))) to--;
    stripNext = false;
    if (to > from) emit({ kind: "text", text: piece.slice(from, to) });
  };
  let at = 0;
  while (at < text.length) {
    TAG.lastIndex = at;
    const found = TAG.exec(text);
    if (!found) {
      emitText(text.slice(at), false);
      break;
    }
    const start = found.index;
    const marker = text[start + 1];
    const control = text[start + 2];
    emitText(text.slice(at, start), control === "-");
    const bodyStart = start + 2 + (control === "-" || control === "+" ? 1 : 0);
    if (marker === "#") {
      const end = text.indexOf("#}", bodyStart);
      if (end < 0) throw new JinjaError("unterminated comment `{#`", start);
      stripNext = end > bodyStart && text[end - 1] === "-";
      at = end + 2;
      continue;
    }
    const close = marker === "{" ? "}}" : "%}";
    const end = findClose(text, bodyStart, close);
    const dash = end > bodyStart && text[end - 1] === "-";
    const plus = close === "%}" && end > bodyStart && text[end - 1] === "+";
    const body = text.slice(bodyStart, dash || plus ? end - 1 : end);
    const innerStart = bodyStart + (body.length - body.trimStart().length);
    const inner = body.trim();
    at = end + 2;
    stripNext = dash;
    if (marker === "{") {
      holes.push(parseHole(inner, innerStart, start));
      emit({ kind: "hole", index: holes.length - 1 });
      continue;
    }
    const head = /^([\p{ID_Start}_][\p{ID_Continue}]*)?\s*/u.exec(inner)!;
    const keyword = head[1] ?? "";
    const argument = inner.slice(head[0].length);
    const argumentStart = innerStart + head[0].length;
    if (keyword === "if") {
      if (open) throw new JinjaError("flowc supports `{% if %}` blocks only at the top level of a condition", start, "unsupported");
      const block: Block = { kind: "if", branches: [[]] };
      open = { block, tests: [parseTest(argument, argumentStart, start)], closedElse: false };
      top.push(block);
    } else if (keyword === "elif" || keyword === "else") {
      if (!open || open.closedElse) throw new JinjaError(`unexpected \`{% ${keyword} %}\``, start);
      if (keyword === "elif") open.tests.push(parseTest(argument, argumentStart, start));
      else open.closedElse = true;
      open.block.branches.push([]);
    } else if (keyword === "endif") {
      if (!open) throw new JinjaError("unexpected `{% endif %}`", start);
      blocks.push(open.tests);
      open = undefined;
    } else {
      throw new JinjaError(`\`{% ${keyword} %}\` is not supported in conditions (only if, elif, else, endif)`, start, "unsupported");
    }
  }
  if (open) throw new JinjaError("missing `{% endif %}`", text.length);
  return { holes, blocks, alternatives: expand(top, holes, blocks) };
}

/** The start of a tag: a hole, a statement or a comment. */
const TAG = /\{[{%#]/g;

/**
 * The offset of the `close` that ends the tag whose body starts at `from`. As in Jinja's lexer,
 * a `}}` or `%}` inside a string literal or inside brackets (`{{ {'a': 1}.a }}`) does not end it.
 */
function findClose(text: string, from: number, close: string): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (depth === 0 && text.startsWith(close, i)) return i;
    else if (char === "{" || char === "(" || char === "[") depth++;
    else if (char === "}" || char === ")" || char === "]") {
      if (depth === 0) throw new JinjaError(`unexpected \`${char}\``, i);
      depth--;
    }
  }
  throw new JinjaError(quote ? `unexpected char '${quote}'` : `missing \`${close}\``, from);
}

const NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

function parsePath(text: string, offset: number): string[] {
  const parts = text.split(".").map((p) => p.trim());
  if (!parts.every((part) => NAME.test(part))) throw new JinjaError(`\`${text}\` is not a name flowc can render`, offset, "unsupported");
  return parts;
}

/** A hole's expression and filters; `at` is where `inner` starts in the text, `tag` where its `{{` does. */
function parseHole(inner: string, at: number, tag: number): JinjaHole {
  const [first = "", ...filterTexts] = inner.split("|");
  const expression = first.trim();
  const span = { start: at, end: at + first.trimEnd().length };
  const filters = filterTexts.map((text) => {
    const name = text.trim();
    if (!SUPPORTED_FILTERS.has(name)) throw new JinjaError(`the filter \`${name}\` is not supported in conditions`, tag, "unsupported");
    return name;
  });
  if (expression === "") throw new JinjaError("an empty `{{ }}`", tag);
  const literal = literalValue(expression);
  if (literal !== undefined) {
    const rendered = applyFilters(literalText(expression, literal), filters);
    // Spliced into the condition, a brace would read as the start or end of another template.
    if (/[{}]/.test(rendered)) throw new JinjaError(`the literal \`${expression}\` renders a brace, which flowc cannot splice into a condition`, tag, "unsupported");
    return { literal: rendered, filters: [], span };
  }
  return { path: parsePath(expression, tag), filters, span };
}

/**
 * The pieces of `text` between the word `keyword` (`or`, `and`) where it stands outside quotes
 * and brackets, each with its offset in `text`.
 */
function splitAtWord(text: string, keyword: string): { readonly text: string; readonly at: number }[] {
  const pieces: { text: string; at: number }[] = [];
  let quote: string | undefined;
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") depth--;
    else if (depth === 0 && /\s/.test(char) && text.startsWith(keyword, i + 1) && /\s/.test(text[i + 1 + keyword.length] ?? "")) {
      pieces.push({ text: text.slice(from, i), at: from });
      from = i + 1 + keyword.length;
      i = from - 1;
    }
  }
  pieces.push({ text: text.slice(from), at: from });
  return pieces;
}

/**
 * An `if`/`elif` test; `at` is where `argument` starts in the text, `tag` where its `{%` does.
 * `or` binds loosest, then `and`, then `not`, as in Jinja.
 */
function parseTest(argument: string, at: number, tag: number): JinjaTest {
  const combine = (keyword: "or" | "and", parse: (text: string, offset: number) => JinjaTest) => (text: string, offset: number): JinjaTest => {
    const pieces = splitAtWord(text, keyword);
    if (pieces.some((piece) => piece.text.trim() === "")) throw new JinjaError(`\`${argument}\`: \`${keyword}\` without an operand`, tag);
    return pieces
      .map((piece) => parse(piece.text, offset + piece.at))
      .reduce((left, right): JinjaTest => ({ kind: keyword, left, right, span: { start: left.span.start, end: right.span.end } }) as JinjaTest);
  };
  return combine("or", combine("and", parseSimpleTest(tag)))(argument, at);
}

/** A test without `and` or `or`: `[not] a.b`, `a.b ==/!= literal`, `a.b is [not] defined/none`, `not <test>`, a literal. */
function parseSimpleTest(tag: number): (written: string, writtenAt: number) => JinjaTest {
  return (written, writtenAt) => {
    const argument = written.trim();
    const at = writtenAt + (written.length - written.trimStart().length);
    const not = /^not\s+/.exec(argument);
    const rest = not ? argument.slice(not[0].length) : "";
    // `not a == b` is `not (a == b)`; `not a` alone stays a negated truthiness test (below).
    if (not && (/\s+is\s+/.test(rest) || /==|!=/.test(rest) || /^not\s/.test(rest))) {
      const operand = parseSimpleTest(tag)(rest, at + not[0].length);
      return { kind: "not", operand, span: { start: at, end: at + argument.length } };
    }
    // (Jinja has no test named `None`: `x is None` raises when rendered, and is refused here.)
    const is = /^([\s\S]+?)\s+is\s+(not\s+)?(defined|undefined|none)$/.exec(argument);
    if (is) {
      const name = is[3]!;
      const span = { start: at, end: at + is[1]!.length };
      return { kind: name === "none" ? "none" : "defined", path: parsePath(is[1]!, tag), negated: (is[2] !== undefined) !== (name === "undefined"), span } as JinjaTest;
    }
    return parseTestAtom(argument, at, tag);
  };
}

/** `[not] a.b`, `a.b ==/!= literal` or a literal; `at` is where `argument` starts in the text, `tag` where its `{%` does. */
function parseTestAtom(argument: string, at: number, tag: number): JinjaTest {
  const compare = /^([\s\S]+?)\s*(==|!=)\s*([\s\S]+)$/.exec(argument);
  if (compare) {
    const value = literalValue(compare[3]!.trim());
    if (value === undefined) throw new JinjaError(`\`${argument}\`: flowc compares only with a literal in \`{% if %}\``, tag, "unsupported");
    if (typeof value === "number" && !Number.isSafeInteger(value) && !compare[3]!.includes(".")) throw new JinjaError(`\`${compare[3]!.trim()}\`: flowc compares only with integers of at most 53 bits`, tag, "unsupported");
    const span = { start: at, end: at + compare[1]!.length };
    return { kind: "compare", path: parsePath(compare[1]!, tag), operator: compare[2] as "==" | "!=", value, span };
  }
  const not = /^not\s+/.exec(argument);
  const skip = not ? not[0].length : 0;
  // `true`, `none`, `1`, `'x'` are Jinja literals, not names: the test is their Python truth.
  const literal = literalValue(argument.slice(skip).trim());
  if (literal !== undefined) return { kind: "literal", holds: (literal !== null && literal !== false && literal !== 0 && literal !== "") !== (not !== null), span: { start: at + skip, end: at + argument.length } };
  return { kind: "truthy", path: parsePath(argument.slice(skip), tag), negated: not !== null, span: { start: at + skip, end: at + argument.length } };
}

/**
 * The value of a literal flowc reads: a number, a string without escapes (flowc does not
 * unescape them as Jinja does: such a literal is no literal here, and so refused), a boolean
 * or none in either spelling.
 */
function literalValue(text: string): string | number | boolean | null | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^'[^'\\]*'$|^"[^"\\]*"$/.test(text)) return text.slice(1, -1);
  if (/^(true|True)$/.test(text)) return true;
  if (/^(false|False)$/.test(text)) return false;
  if (/^(none|None)$/.test(text)) return null;
  return undefined;
}

/**
 * What Jinja prints for a literal as written: a float literal (`1.0`) as a Python float, an
 * integer of any size exactly; anything else as Python's `str()`.
 */
function literalText(written: string, value: string | number | boolean | null): string {
  if (typeof value !== "number") return pythonStr(value);
  if (written.includes(".")) return pythonFloat(value);
  return BigInt(written).toString();
}

function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function expand(top: readonly (Piece | Block)[], holes: readonly JinjaHole[], blocks: readonly (readonly JinjaTest[])[]): Alternative[] {
  let alternatives: { choices: number[]; pieces: Piece[] }[] = [{ choices: [], pieces: [] }];
  let blockIndex = 0;
  for (const item of top) {
    if (item.kind !== "if") {
      for (const alternative of alternatives) alternative.pieces.push(item);
      continue;
    }
    const tests = blocks[blockIndex++]!;
    const branches = item.branches.length > tests.length ? item.branches : [...item.branches, []];
    alternatives = alternatives.flatMap((alternative) => branches.map((branch, choice) => ({ choices: [...alternative.choices, choice], pieces: [...alternative.pieces, ...branch] })));
  }
  return alternatives.map(({ choices, pieces }) => ({
    choices,
    text: pieces.map((piece) => (piece.kind === "text" ? piece.text : holes[piece.index]!.literal ?? `{{__jinja.h${piece.index}}}`)).join(""),
  }));
}
