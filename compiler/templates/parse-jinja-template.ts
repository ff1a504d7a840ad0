/**
 * The Jinja that response templates (`metadata: {template: jinja}`) may use, parsed into a
 * syntax tree at build time: text, `{{ expression }}`, `{# comments #}`, `{% if %}` /
 * `{% elif %}` / `{% else %}` / `{% endif %}`, `{% for a in b %}` / `{% for k, v in … %}` /
 * `{% else %}` / `{% endfor %}` (also with a loop filter, `{% for x in l if x %}`),
 * `{% set a = … %}` (also `a, b = …` and `ns.x = …`), `{% set a | filters %}…{% endset %}`,
 * `{% macro m(a, b=…) %}…{% endmacro %}` and `{% call(x) m(…) %}…{% endcall %}`, and
 * whitespace control with `-`. Expressions: names, literals (strings, numbers,
 * `true`/`false`/`none`, lists, tuples, dicts with string keys), `a.b`, `a[b]`, slices
 * `a[b:c:d]`, the methods, globals, filters and tests that jinja-syntax.ts lists, the operators
 * `+`, `-`, `*`, `/`, `//`, `%`, `**`, `~` and unary `-` and `+` (with Jinja's precedence: `~`
 * binds tighter than `+` and `-`), comparisons, `in`, `not`, `and`, `or`, and the inline
 * `a if b else c` (also without `else`).
 *
 * This module reads the template's text and tags; an expression's tokens come from
 * jinja-lexer.ts, its tree from jinja-expressions.ts, and jinja-checks.ts checks it.
 *
 * Anything else raises a {@link TemplateError}: of kind "syntax" when Jinja itself would
 * refuse the template, of kind "unsupported" when it is valid Jinja outside this subset (the
 * message names the construct). Offsets are into the template text as given.
 *
 * Branch and rejection conditions are Jinja templates too (conditions.md §7): they use this
 * parser with {@link ParseOptions} that name them in messages and allow only some statements.
 */
import { checkExpression } from "./jinja-checks.ts";
import { describe, ExpressionParser } from "./jinja-expressions.ts";
import { tokenize, type Token } from "./jinja-lexer.ts";
import { ALL_STATEMENTS, RESPONSE_TEMPLATES, TemplateError, type Expr, type MacroDefinition, type ParseOptions, type TemplateNode } from "./jinja-syntax.ts";

/** What a `{% set … %}…{% endset %}` block assigns its text to: names, or a namespace's attribute. */
type SetTarget = { readonly targets: readonly string[] } | { readonly namespace: Expr; readonly name: string };

/** A test of an `{% if %}` block being read, with the text it guards. */
interface IfBranch {
  readonly test: Expr;
  readonly body: TemplateNode[];
  readonly at: number;
  readonly end: number;
}

type OpenBlock =
  | { readonly kind: "if"; readonly at: Token; readonly branches: IfBranch[]; otherwise: TemplateNode[] | undefined }
  | { readonly kind: "set"; readonly at: Token; readonly target: SetTarget; readonly value: Expr; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "filter"; readonly at: Token; readonly value: Expr; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "with"; readonly at: Token; readonly assignments: readonly (readonly [string, Expr])[]; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "for"; readonly at: Token; readonly targets: readonly string[]; readonly iterable: Expr; readonly test: Expr | undefined; readonly recursive: boolean; readonly body: TemplateNode[]; otherwise: TemplateNode[] | undefined }
  | { readonly kind: "macro"; readonly at: Token; readonly name: string; readonly parameters: MacroDefinition["parameters"]; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "call"; readonly at: Token; readonly call: Expr; readonly parameters: MacroDefinition["parameters"]; readonly body: TemplateNode[]; readonly otherwise?: undefined };

/** Python's white space (`\s` of Python's `re`), which whitespace control strips. */
const PY_SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");
/** `{% raw %}` (Jinja's lexer reads it before any other tag): the text up to `{% endraw %}` as written. */
const RAW_BEGIN = new RegExp(`\\{%([-+]?)[${PY_SPACE}]*raw[${PY_SPACE}]*(-%\\}[${PY_SPACE}]*|%\\})`, "uy");
const RAW_END = new RegExp(`\\{%([-+]?)[${PY_SPACE}]*endraw[${PY_SPACE}]*(\\+%\\}|-%\\}[${PY_SPACE}]*|%\\})`, "u");

/**
 * Parses a response template. Jinja drops one newline at the very end of a template, and so
 * does this parser.
 */
export function parseTemplate(source: string, options: ParseOptions = RESPONSE_TEMPLATES): TemplateNode[] {
  // Jinja reads `\r\n`, `\r` and `\n` all as `\n`, and drops one trailing line break.
  const text = source.endsWith("\r\n") ? source.slice(0, -2) : source.endsWith("\n") || source.endsWith("\r") ? source.slice(0, -1) : source;
  const root: TemplateNode[] = [];
  const open: OpenBlock[] = [];
  const target = (): TemplateNode[] => {
    const block = open[open.length - 1];
    if (!block) return root;
    if (block.otherwise) return block.otherwise;
    return block.kind === "if" ? block.branches[block.branches.length - 1]!.body : block.body;
  };
  let pendingText = "";
  let stripNext = false;
  const flushText = (stripEnd: boolean): void => {
    let piece = pendingText.replace(/\r\n?/g, "\n");
    if (stripEnd) piece = piece.replace(TRAILING_SPACE, "");
    pendingText = "";
    if (piece !== "") target().push({ kind: "text", text: piece });
  };
  let at = 0;
  while (at < text.length) {
    const next = text.slice(at).search(/\{[{%#]/);
    if (next < 0) {
      pendingText += stripNext ? text.slice(at).replace(LEADING_SPACE, "") : text.slice(at);
      break;
    }
    const chunk = text.slice(at, at + next);
    pendingText += stripNext ? chunk.replace(LEADING_SPACE, "") : chunk;
    const start = at + next;
    RAW_BEGIN.lastIndex = start;
    const raw = RAW_BEGIN.exec(text);
    if (raw) {
      const contentFrom = start + raw[0].length;
      const end = RAW_END.exec(text.slice(contentFrom));
      if (!end) throw new TemplateError("missing end of raw directive (`{% endraw %}`)", "syntax", start, contentFrom);
      flushText(raw[1] === "-");
      const content = text.slice(contentFrom, contentFrom + end.index);
      pendingText += end[1] === "-" ? content.replace(TRAILING_SPACE, "") : content;
      stripNext = false;
      at = contentFrom + end.index + end[0].length;
      continue;
    }
    const marker = text[start + 1]!;
    const stripBefore = text[start + 2] === "-";
    const contentStart = start + 2 + (stripBefore || text[start + 2] === "+" ? 1 : 0);
    if (marker === "#") {
      const close = text.indexOf("#}", contentStart);
      if (close < 0) throw new TemplateError("missing end of comment tag `#}`", "syntax", start, start + 2);
      flushText(stripBefore);
      stripNext = text[close - 1] === "-" && close - 1 >= contentStart;
      at = close + 2;
      continue;
    }
    const closer = marker === "{" ? "}}" : "%}";
    const close = findClose(text, contentStart, closer, start);
    const stripAfter = text[close - 1] === "-" && close - 1 >= contentStart;
    // `+%}` keeps the white space after a block tag (it only undoes `trim_blocks`, which Rasa does not set).
    const keepAfter = marker === "%" && text[close - 1] === "+" && close - 1 >= contentStart;
    const contentEnd = stripAfter || keepAfter ? close - 1 : close;
    flushText(stripBefore);
    stripNext = stripAfter;
    at = close + 2;
    const parser = new ExpressionParser(tokenize(text, contentStart, contentEnd, options.where), options.where);
    if (marker === "{") {
      if (parser.atEnd()) throw new TemplateError("an empty `{{ }}`", "syntax", start, close + 2);
      const exprAt = parser.current.at;
      const expr = parser.tuple(true);
      if (!parser.atEnd()) parser.syntax(`unexpected ${describe(parser.current)}`);
      checkExpression(expr, true, options);
      target().push({ kind: "output", expr, at: exprAt, end: parser.previousEnd });
      continue;
    }
    statement(parser, open, target, start, close + 2, options);
  }
  flushText(false);
  const unclosed = open[open.length - 1];
  if (unclosed) throw new TemplateError(`the \`{% ${unclosed.kind} %}\` block has no \`{% end${unclosed.kind} %}\``, "syntax", unclosed.at.at, unclosed.at.end);
  return root;
}

/**
 * Reads a statement tag (`start` to `end` in the text; `parser` holds its content): one
 * function per statement reads what follows its keyword. A block's opening tag goes on `open`
 * and into the tree when its end tag closes it; `{% set x = … %}` and `{% print %}` go into
 * the tree at once.
 */
function statement(parser: ExpressionParser, open: OpenBlock[], target: () => TemplateNode[], start: number, end: number, options: ParseOptions): void {
  if (parser.atEnd()) throw new TemplateError("a statement tag without a statement", "syntax", start, end);
  const keyword = parser.expectName();
  if ((ALL_STATEMENTS as readonly string[]).includes(keyword.text) && !(options.statements as readonly string[]).includes(keyword.text)) unsupportedStatement(keyword, options);
  const block = open[open.length - 1];
  switch (keyword.text) {
    case "if":
      open.push(ifStatement(parser, keyword, options));
      return;
    case "elif":
      return elifStatement(parser, keyword, block, options);
    case "else":
      return elseStatement(parser, keyword, block);
    case "endif":
    case "endfor":
    case "endset":
    case "endfilter":
    case "endwith":
    case "endmacro":
    case "endcall":
      return endStatement(parser, keyword, open, target);
    case "for":
      open.push(forStatement(parser, keyword, options));
      return;
    case "raw":
    case "endraw":
      // (A well-formed `{% raw %}` never gets here: the text scanner takes it whole.)
      return parser.syntax(`Jinja reads \`{% ${keyword.text} … %}\` as an unknown tag`, keyword);
    case "filter":
      open.push(filterStatement(parser, keyword, options));
      return;
    case "with":
      open.push(withStatement(parser, keyword, options));
      return;
    case "set":
      return setStatement(parser, keyword, open, target, options);
    case "macro":
      open.push(macroStatement(parser, keyword, options));
      return;
    case "call":
      open.push(callStatement(parser, keyword, options));
      return;
    case "print":
      return printStatement(parser, target, options);
    default:
      // Jinja's other statements are valid Jinja outside the subset; any other tag is Jinja's syntax error.
      if (!JINJA_STATEMENTS.has(keyword.text)) parser.syntax(`Jinja has no tag \`{% ${keyword.text} %}\` (\`break\`, \`continue\` and \`do\` are extensions Rasa does not load)`, keyword);
      return unsupportedStatement(keyword, options);
  }
}

/** The end of a statement tag: anything left in it is Jinja's syntax error. */
function expectTagEnd(parser: ExpressionParser): void {
  if (!parser.atEnd()) parser.syntax(`unexpected ${describe(parser.current)}`);
}

/** `{% if test %}`: the block, with its first branch. */
function ifStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const branch = ifBranch(parser, options);
  expectTagEnd(parser);
  return { kind: "if", at: keyword, branches: [branch], otherwise: undefined };
}

/** `{% elif test %}`: a further branch of the open `{% if %}` block. */
function elifStatement(parser: ExpressionParser, keyword: Token, block: OpenBlock | undefined, options: ParseOptions): void {
  if (block?.kind !== "if" || block.otherwise) parser.syntax("`{% elif %}` outside an `{% if %}` block (or after its `{% else %}`)", keyword);
  const branch = ifBranch(parser, options);
  expectTagEnd(parser);
  block.branches.push(branch);
}

/** `{% else %}` of the open `{% if %}` or `{% for %}` block. */
function elseStatement(parser: ExpressionParser, keyword: Token, block: OpenBlock | undefined): void {
  expectTagEnd(parser);
  if (!block || block.otherwise || (block.kind !== "if" && block.kind !== "for")) parser.syntax("`{% else %}` outside an `{% if %}` or `{% for %}` block", keyword);
  block.otherwise = [];
}

/** `{% endif %}`, `{% endfor %}`, …: closes the open block of its kind, which goes into the tree. */
function endStatement(parser: ExpressionParser, keyword: Token, open: OpenBlock[], target: () => TemplateNode[]): void {
  expectTagEnd(parser);
  const block = open[open.length - 1];
  const kind = keyword.text.slice(3) as OpenBlock["kind"];
  if (block?.kind !== kind) parser.syntax(block ? `\`{% ${keyword.text} %}\` closes a \`{% ${block.kind} %}\` block; expected \`{% end${block.kind} %}\`` : `\`{% ${keyword.text} %}\` without an open \`{% ${kind} %}\``, keyword);
  open.pop();
  target().push(closedBlock(block, keyword.end));
}

/** `{% for a, b in iterable if test recursive %}`. */
function forStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const targets = [parser.expectName().text];
  while (parser.isOp(",")) {
    parser.next();
    targets.push(parser.expectName().text);
  }
  if (!parser.isName("in")) parser.syntax(`expected \`in\`, found ${describe(parser.current)}`);
  parser.next();
  const iterable = parser.tuple(false);
  checkExpression(iterable, false, options);
  let test: Expr | undefined;
  if (parser.isName("if")) {
    parser.next();
    test = parser.expression();
    checkExpression(test, true, options);
  }
  const recursive = parser.isName("recursive");
  if (recursive && !options.recursiveLoops) parser.unsupported("a recursive `{% for %}` loop");
  if (recursive) parser.next();
  expectTagEnd(parser);
  return { kind: "for", at: keyword, targets, iterable, test, recursive, body: [], otherwise: undefined };
}

/** `{% filter upper | replace('a', 'b') %}…{% endfilter %}`: the text between, through the filters. */
function filterStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const value = parser.filterStatement();
  checkExpression(value, true, options);
  expectTagEnd(parser);
  return { kind: "filter", at: keyword, value, body: [] };
}

/** `{% with a = …, b = … %}`. */
function withStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const assignments: (readonly [string, Expr])[] = [];
  while (!parser.atEnd()) {
    if (assignments.length > 0) parser.expectOp(",");
    const name = parser.expectName();
    if (/^(true|false|none|True|False|None)$/.test(name.text)) parser.syntax(`can't assign to \`${name.text}\``, name);
    parser.expectOp("=");
    const value = parser.expression();
    checkExpression(value, false, options);
    assignments.push([name.text, value]);
  }
  return { kind: "with", at: keyword, assignments, body: [] };
}

/** `{% set a = … %}` (also `a, b = …` and `ns.x = …`), or the block `{% set a | filters %}`. */
function setStatement(parser: ExpressionParser, keyword: Token, open: OpenBlock[], target: () => TemplateNode[], options: ParseOptions): void {
  const setTarget = assignTarget(parser);
  if (!parser.isOp("=")) {
    // A block assignment: `{% set x | filters %}…{% endset %}` assigns the text between.
    const value = parser.filterChain({ kind: "captured" });
    checkExpression(value, false, options);
    expectTagEnd(parser);
    open.push({ kind: "set", at: keyword, target: setTarget, value, body: [] }); // goes into the tree when it closes
    return;
  }
  parser.next();
  const valueAt = parser.current.at;
  const value = parser.tuple(true);
  checkExpression(value, false, options);
  const valueEnd = parser.previousEnd;
  expectTagEnd(parser);
  target().push("targets" in setTarget ? { kind: "set", targets: setTarget.targets, value, at: valueAt, end: valueEnd } : { kind: "setAttribute", namespace: setTarget.namespace, name: setTarget.name, value });
}

/** `{% macro name(a, b=…) %}`. */
function macroStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const name = parser.expectName();
  if (!parser.isOp("(")) parser.syntax(`expected \`(\`, found ${describe(parser.current)}`);
  const parameters = macroParameters(parser, options);
  expectTagEnd(parser);
  return { kind: "macro", at: keyword, name: name.text, parameters, body: [] };
}

/** `{% call(x) m(…) %}`: a call of a macro, handed the block as its `caller`. */
function callStatement(parser: ExpressionParser, keyword: Token, options: ParseOptions): OpenBlock {
  const parameters = parser.isOp("(") ? macroParameters(parser, options) : [];
  const callAt = parser.current;
  const call = parser.expression();
  // (Jinja's parser wants a call; a method's, flowc's methods would refuse the `caller=` it is handed.)
  if (call.kind !== "call" && call.kind !== "global") {
    if (call.kind === "method") parser.unsupported("a `{% call %}` of a method", callAt, parser.previousEnd);
    throw new TemplateError("expected a call after `{% call %}`", "syntax", callAt.at, parser.previousEnd);
  }
  // (Jinja hands the call `caller=` itself: one written too is Python's syntax error when Jinja compiles the template.)
  if (call.keywords.some(([key]) => key === "caller")) throw new TemplateError("the keyword argument `caller` is repeated", "syntax", callAt.at, parser.previousEnd);
  checkExpression(call, false, options);
  expectTagEnd(parser);
  return { kind: "call", at: keyword, call, parameters, body: [] };
}

/** `{% print a, b %}` prints each expression in turn. */
function printStatement(parser: ExpressionParser, target: () => TemplateNode[], options: ParseOptions): void {
  if (parser.atEnd()) return;
  for (;;) {
    const exprAt = parser.current.at;
    const expr = parser.expression();
    checkExpression(expr, true, options);
    target().push({ kind: "output", expr, at: exprAt, end: parser.previousEnd });
    if (parser.atEnd()) return;
    parser.expectOp(",");
  }
}

/** The test of `{% if %}` or `{% elif %}`, as a branch with no body yet. */
function ifBranch(parser: ExpressionParser, options: ParseOptions): IfBranch {
  const at = parser.current.at;
  const test = parser.tuple(false);
  checkExpression(test, true, options);
  return { test, body: [], at, end: parser.previousEnd };
}

function unsupportedStatement(keyword: Token, options: ParseOptions): never {
  throw new TemplateError(`the statement \`{% ${keyword.text} %}\` is not supported in ${options.where}; supported statements: ${options.statements.join(", ")}`, "unsupported", keyword.at, keyword.end);
}

/** The statements of Jinja outside the subset (the others in a tag are unknown to Jinja). */
const JINJA_STATEMENTS: ReadonlySet<string> = new Set(["block", "extends", "include", "from", "import", "autoescape"]);

/** The names a macro's caller, extra positional and keyword arguments have in its body, which flowc does not take for parameters. */
const MACRO_SPECIAL_NAMES: ReadonlySet<string> = new Set(["caller", "varargs", "kwargs"]);

/**
 * `(a, b=default, …)` of `{% macro %}` and `{% call %}` (Jinja's parse_signature): names, those
 * after the first with a default all with one, no trailing comma.
 */
function macroParameters(parser: ExpressionParser, options: ParseOptions): MacroDefinition["parameters"] {
  const parameters: { name: string; fallback?: Expr }[] = [];
  parser.expectOp("(");
  while (!parser.isOp(")")) {
    if (parameters.length > 0) parser.expectOp(",");
    const name = parser.expectName();
    if (/^(true|false|none|True|False|None)$/.test(name.text)) parser.syntax(`can't assign to \`${name.text}\``, name);
    if (parameters.some((p) => p.name === name.text)) parser.syntax(`the parameter \`${name.text}\` is repeated`, name);
    if (MACRO_SPECIAL_NAMES.has(name.text)) parser.unsupported(`a macro parameter named \`${name.text}\``, name);
    if (parser.isOp("=")) {
      parser.next();
      const fallback = parser.expression();
      checkExpression(fallback, false, options);
      parameters.push({ name: name.text, fallback });
    } else {
      if (parameters.some((p) => p.fallback)) parser.syntax("a parameter without a default follows one with a default", name);
      parameters.push({ name: name.text });
    }
  }
  parser.expectOp(")");
  return parameters;
}

/** What `{% set %}` assigns to (Jinja's assign target with a namespace): `ns.name`, or one or more names. */
function assignTarget(parser: ExpressionParser): SetTarget {
  const targets: string[] = [];
  do {
    if (targets.length > 0) parser.next();
    const target = parser.expectName();
    // Jinja's constants cannot be assigned to.
    if (/^(true|false|none|True|False|None)$/.test(target.text)) parser.syntax(`can't assign to \`${target.text}\``, target);
    if (targets.length === 0 && parser.isOp(".")) {
      parser.next();
      const name = parser.expectName();
      return { namespace: { kind: "name", name: target.text, at: target.at }, name: name.text };
    }
    targets.push(target.text);
  } while (parser.isOp(","));
  return { targets };
}

/** The node of a block at its end tag, which ends at `end`. */
function closedBlock(block: OpenBlock, end: number): TemplateNode {
  const at = block.at.at;
  switch (block.kind) {
    case "if":
      return { kind: "if", branches: block.branches, otherwise: block.otherwise ?? [] };
    case "for": {
      const loop = block.test
        ? { kind: "for" as const, targets: block.targets, iterable: block.iterable, test: block.test, body: block.body, otherwise: block.otherwise ?? [], at, end }
        : { kind: "for" as const, targets: block.targets, iterable: block.iterable, body: block.body, otherwise: block.otherwise ?? [], at, end };
      return block.recursive ? { ...loop, recursive: true } : loop;
    }
    case "filter":
      return { kind: "output", expr: block.value, block: block.body, at, end };
    case "with":
      return { kind: "with", assignments: block.assignments, body: block.body };
    case "macro":
      return { kind: "macro", name: block.name, macro: { parameters: block.parameters, body: block.body } };
    case "call":
      return { kind: "callBlock", call: block.call, caller: { parameters: block.parameters, body: block.body } };
    case "set":
      return "targets" in block.target ? { kind: "set", targets: block.target.targets, value: block.value, block: block.body, at, end } : { kind: "setAttribute", namespace: block.target.namespace, name: block.target.name, value: block.value, block: block.body };
  }
}

/**
 * The offset of `closer` after `from`, skipping quoted strings and, as Jinja's lexer does, any
 * closer inside open brackets (`{{ {'a': {'b': 1}} }}` ends at the last `}}`).
 */
function findClose(text: string, from: number, closer: string, tagStart: number): number {
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
    else if (depth === 0 && text.startsWith(closer, i)) return i;
    else if (char === "(" || char === "[" || char === "{") depth++;
    else if ((char === ")" || char === "]" || char === "}") && depth > 0) depth--;
  }
  throw new TemplateError(`missing end of tag \`${closer}\``, "syntax", tagStart, tagStart + 2);
}
