/**
 * Parses one flow condition into the AST of ast.ts and decides whether pypred would accept it
 * (shared/spec/conditions.md §2–§4, §7). The token rules and the grammar live in
 * grammar.peggy (generated into generated-parser.js); this module adds what a grammar cannot
 * say well: the Jinja pre-check, messages worded for a person with exact spans, and pypred's
 * validity rules that apply after a successful parse. Whether a regex compiles under Python's
 * `re` is checked elsewhere.
 */
import type { Expression, Span } from "./ast.ts";
import { fastParse } from "./fast-parse.ts";
import { childrenOf, unwrapGroups } from "./walk.ts";
import { parse, SyntaxError as PeggySyntaxError } from "./generated-parser.js";
import type { Expectation, LexItem, LexProblem } from "./generated-parser.js";

export interface ConditionSyntaxError {
  /** "lex": no token matches; "syntax": tokens in a wrong order; "ast": pypred's rules (§4). */
  kind: "lex" | "syntax" | "ast";
  message: string;
  /** Offsets in the condition text (UTF-16 code units, end exclusive). */
  span: Span;
  /** For syntax errors: what could have come at `span`, in readable form. */
  expected?: readonly string[];
}

export type ParseResult = { ok: true; ast: Expression } | { ok: false; error: ConditionSyntaxError };

export interface ParseConditionOptions {
  /** Jinja `{{ path }}` holes are rendered before parsing (branch, rejection, response sites). */
  templates: boolean;
}

export function parseCondition(text: string, options: ParseConditionOptions): ParseResult {
  const templates = options.templates;
  const jinjaError = templates ? findUnsupportedJinja(text) : undefined;
  if (jinjaError !== undefined) return failure(jinjaError);

  let ast: Expression;
  try {
    ast = fastParse(text, templates) ?? parse(text, { startRule: "Condition", templates });
  } catch (error) {
    // The parser is recursive: thousands of `(`, `not` or `and` overflow the stack.
    if (error instanceof RangeError) return failure(tooDeepError({ start: 0, end: text.length }));
    if (!(error instanceof PeggySyntaxError)) throw error;
    return failure(explainFailure(error, text, templates));
  }
  const deepNode = firstNodeDeeperThan(ast, MAX_CONDITION_DEPTH);
  if (deepNode !== undefined) return failure(tooDeepError(deepNode.span));
  const astError = firstAstError(ast, templates);
  return astError === undefined ? { ok: true, ast } : failure(astError);
}

/**
 * A parse that consumed the whole text used only valid tokens, so the token list is needed
 * only after a failure: a lexer problem anywhere wins over the syntax error (pypred rejects
 * the text either way, and the lexer's message is the more precise one).
 */
function explainFailure(error: PeggySyntaxError, text: string, templates: boolean): ConditionSyntaxError {
  const tokens = parse(text, { startRule: "Tokens", templates });
  if (tokens.length === 0) return emptyConditionError(text);
  return firstLexError(tokens, text) ?? describeSyntaxError(error, tokens, text, templates);
}

function failure(error: ConditionSyntaxError): ParseResult {
  return { ok: false, error };
}

/** Deeper conditions are rejected, so that the passes that walk a tree recursively are safe. */
export const MAX_CONDITION_DEPTH = 200;

function tooDeepError(span: Span): ConditionSyntaxError {
  return { kind: "ast", message: `the condition nests more than ${MAX_CONDITION_DEPTH} levels deep (parentheses, sets, \`not\`, \`and\`/\`or\` chains)`, span };
}

/** The first node (in pre-order) below `limit` levels of nesting, found without recursion. */
function firstNodeDeeperThan(root: Expression, limit: number): Expression | undefined {
  const stack: [Expression, number][] = [[root, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > limit) return node;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
  return undefined;
}

function emptyConditionError(text: string): ConditionSyntaxError {
  return { kind: "syntax", message: "empty condition", span: { start: 0, end: text.length } };
}

// ---------------------------------------------------------------------------
// Jinja (§7): only `{{ dotted.path }}` holes are supported. Jinja does not know about quotes,
// so `{{`, `{%` and `{#` count wherever they are, even inside a quoted string.

/** A plain `{{ dotted.path }}` hole, its path captured (flags `u` and more to be added). */
export const PLAIN_HOLE_PATTERN = String.raw`\{\{[ \t\r\n]*([\p{ID_Start}_][\p{ID_Continue}]*(?:\.[\p{ID_Start}_][\p{ID_Continue}]*)*)[ \t\r\n]*\}\}`;

const HOLE = new RegExp(PLAIN_HOLE_PATTERN, "uy");

function findUnsupportedJinja(text: string): ConditionSyntaxError | undefined {
  let index = text.indexOf("{");
  while (index !== -1 && index < text.length - 1) {
    const next = text[index + 1];
    if (next === "%" || next === "#") return unsupportedJinjaBlock(text, index, next);
    if (next === "{") {
      HOLE.lastIndex = index;
      if (!HOLE.test(text)) return unsupportedHole(text, index);
      index = HOLE.lastIndex;
    } else {
      index += 1;
    }
    index = text.indexOf("{", index);
  }
  return undefined;
}

function unsupportedJinjaBlock(text: string, start: number, marker: "%" | "#"): ConditionSyntaxError {
  const close = text.indexOf(`${marker}}`, start + 2);
  const end = close === -1 ? start + 2 : close + 2;
  const what = marker === "%" ? "statements `{% … %}`" : "comments `{# … #}`";
  return {
    kind: "lex",
    message: `Jinja ${what} are not supported in conditions; only holes such as \`{{ context.collect }}\` are`,
    span: { start, end },
  };
}

function unsupportedHole(text: string, start: number): ConditionSyntaxError {
  const close = text.indexOf("}}", start + 2);
  if (close === -1) {
    return {
      kind: "lex",
      message: "unterminated Jinja hole: `{{` has no closing `}}`",
      span: { start, end: start + 2 },
    };
  }
  return {
    kind: "lex",
    message: "only a dotted name such as `{{ context.collect }}` is supported inside `{{ … }}`",
    span: { start, end: close + 2 },
  };
}

// ---------------------------------------------------------------------------
// Lexer errors (§2)

function isLexProblem(item: LexItem): item is LexProblem {
  return "problem" in item;
}

function firstLexError(items: readonly LexItem[], text: string): ConditionSyntaxError | undefined {
  const problem = items.find(isLexProblem);
  if (problem === undefined) return undefined;
  return { kind: "lex", message: lexMessage(problem, items, text), span: problem.span };
}

function lexMessage(problem: LexProblem, items: readonly LexItem[], text: string): string {
  switch (problem.problem) {
    case "unterminated-string":
      return unterminatedStringMessage(problem, text);
    case "unterminated-regex":
      return "`/` starts a regex literal `/…/` but the closing `/` is missing";
    case "illegal-character":
      return illegalCharacterMessage(problem, items);
  }
}

function unterminatedStringMessage(problem: LexProblem, text: string): string {
  const quote = problem.text[0] ?? '"';
  const message = `unterminated string: the closing \`${quote}\` is missing`;
  return /\\["']/.test(text) ? `${message} (a backslash does not escape a quote in a condition)` : message;
}

const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  "!": "`!` is not an operator; use `not` to negate or `!=` to compare",
  "&": "`&` is not an operator; use `and`",
  "|": "`|` is not an operator; use `or`",
  "[": "`[` is not allowed: there are no list literals; use a set literal `{ … }`",
  "]": "`]` is not allowed: there are no list literals; use a set literal `{ … }`",
  "+": "`+` is not allowed; write a positive number without a sign",
  "\u00a0": "a non-breaking space (U+00A0) is not allowed; use a plain space",
};

function illegalCharacterMessage(problem: LexProblem, items: readonly LexItem[]): string {
  const char = problem.text;
  if (char === ",") return commaMessage(problem, items);
  const hint = CHARACTER_HINTS[char];
  if (hint !== undefined) return hint;
  if (/^\s$/u.test(char)) {
    return `${codePointName(char)} is not allowed: only spaces, tabs and line breaks separate tokens`;
  }
  const shown = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) ? `\`${char}\`` : codePointName(char);
  return `${shown} is not allowed in a condition`;
}

function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

function commaMessage(problem: LexProblem, items: readonly LexItem[]): string {
  let depth = 0;
  for (const item of items) {
    if (item.span.start >= problem.span.start) break;
    if (item.text === "{" && !isLexProblem(item)) depth += 1;
    if (item.text === "}" && !isLexProblem(item)) depth -= 1;
  }
  return depth > 0
    ? "a comma is not allowed here: set elements are separated by spaces"
    : "a comma is not allowed in a condition";
}

// ---------------------------------------------------------------------------
// Syntax errors (§3): peggy reports the failure at the start of a token, with the display
// names of the token rules it tried there.

const VALUE_EXPECTATIONS = [
  "a number",
  "a quoted string",
  "a name",
  "a /regex/ literal",
  "`true`",
  "`false`",
  "`null`",
  "`undefined`",
  "`empty`",
  "`(`",
  "`{`",
];
const OPERATOR_EXPECTATIONS = ["`is`", "a comparison operator", "`contains`", "`matches`"];
const EXPECTATION_ORDER = [
  "`not`",
  "a value",
  ...VALUE_EXPECTATIONS,
  "`and`",
  "`or`",
  "an operator",
  ...OPERATOR_EXPECTATIONS,
  "`)`",
  "`}`",
  "the end of the condition",
];
const COMPARISON_TOKENS = new Set([">=", "<=", "==", "!=", ">", "<", "=", "is", "contains", "matches"]);

function describeSyntaxError(
  error: PeggySyntaxError,
  items: readonly LexItem[],
  text: string,
  templates: boolean,
): ConditionSyntaxError {
  const offset = error.location.start.offset;
  const found = items.find((item) => item.span.start === offset);
  const previous = items.filter((item) => item.span.end <= offset).at(-1);
  const expected = readableExpectations(error.expected ?? []);
  const where = previous === undefined ? "at the start of the condition" : `after ${quoteToken(previous)}`;
  const what = found === undefined ? "unexpected end of the condition" : `unexpected ${quoteToken(found)}`;
  const hint = syntaxHint(found, expected, text, templates);
  return {
    kind: "syntax",
    message: `${what} ${where}; expected ${joinAlternatives(expected)}${hint}`,
    span: found === undefined ? { start: text.length, end: text.length } : found.span,
    expected,
  };
}

function readableExpectations(expectations: readonly Expectation[]): string[] {
  const names = new Set(expectations.map(expectationName));
  collapse(names, VALUE_EXPECTATIONS, "a value");
  collapse(names, OPERATOR_EXPECTATIONS, "an operator");
  return [...names].sort((a, b) => orderOf(a) - orderOf(b));
}

function expectationName(expectation: Expectation): string {
  if (expectation.type === "end") return "the end of the condition";
  return expectation.description ?? expectation.text ?? expectation.type;
}

function collapse(names: Set<string>, group: readonly string[], name: string): void {
  if (!group.every((member) => names.has(member))) return;
  for (const member of group) names.delete(member);
  names.add(name);
}

function orderOf(name: string): number {
  const index = EXPECTATION_ORDER.indexOf(name);
  return index === -1 ? EXPECTATION_ORDER.length : index;
}

function joinAlternatives(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "nothing";
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

function quoteToken(item: LexItem): string {
  const shown = item.text.length > 40 ? `${item.text.slice(0, 37)}…` : item.text;
  return `\`${shown.replace(/\s+/g, " ")}\``;
}

function syntaxHint(
  found: LexItem | undefined,
  expected: readonly string[],
  text: string,
  templates: boolean,
): string {
  if (found === undefined) return "";
  if (!templates && text.startsWith("{{", found.span.start)) {
    return " (`{{ … }}` templates are not rendered in this condition)";
  }
  const isComparison = COMPARISON_TOKENS.has(found.text.toLowerCase());
  if (isComparison && !expected.includes("an operator")) {
    return " (comparisons cannot be chained; combine them with `and`)";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Validity beyond syntax (§4). pypred checks some rules while building the tree (everywhere)
// and the others in a validation pass that never looks inside set literals: `{(a contains
// {})}` is valid there and only fails when evaluated.

function firstAstError(root: Expression, templates: boolean): ConditionSyntaxError | undefined {
  const errors: ConditionSyntaxError[] = [];
  const rootError = falsyRootError(root);
  if (rootError !== undefined) errors.push(rootError);
  collectAstErrors(root, false, { errors, templates });
  errors.sort((a, b) => a.span.start - b.span.start);
  return errors[0];
}

interface AstCheck {
  readonly errors: ConditionSyntaxError[];
  readonly templates: boolean;
}

function astError(message: string, span: Span): ConditionSyntaxError {
  return { kind: "ast", message, span };
}

function falsyRootError(root: Expression): ConditionSyntaxError | undefined {
  const node = unwrapGroups(root);
  const isFalsyConstant = node.kind === "constant" && (node.value === "undefined" || node.value === "empty");
  if (isFalsyConstant) {
    return astError(`a condition cannot be just \`${node.text}\`: Rasa rejects it as invalid`, node.span);
  }
  if (node.kind === "set" && node.elements.length === 0) {
    return astError("a condition cannot be just an empty set `{}`: Rasa rejects it as invalid", node.span);
  }
  return undefined;
}

function collectAstErrors(node: Expression, insideSet: boolean, check: AstCheck): void {
  switch (node.kind) {
    case "set":
      for (const element of node.elements) {
        checkSetElement(element, node, check);
        collectAstErrors(element, true, check);
      }
      return;
    case "contains":
      if (!insideSet) checkContainsOperand(node.right, check);
      break;
    case "matches":
      checkMatchesOperand(node.right, check);
      if (!insideSet && node.flags.includes("l")) check.errors.push(localeFlagError(node.right));
      break;
    default:
      break;
  }
  for (const child of childrenOf(node)) collectAstErrors(child, insideSet, check);
}

function checkSetElement(element: Expression, set: Expression, check: AstCheck): void {
  const inner = unwrapGroups(element);
  if (inner.kind !== "set") return;
  const looksLikeJinja = !check.templates && inner.span.start === set.span.start + 1;
  const hint = looksLikeJinja ? " (`{{ … }}` templates are not rendered in this condition)" : "";
  check.errors.push(astError(`a set literal cannot contain another set literal${hint}`, inner.span));
}

function checkContainsOperand(right: Expression, check: AstCheck): void {
  const operand = unwrapGroups(right);
  const isConstantOk = operand.kind === "constant" && (operand.value === true || operand.value === false || operand.value === null);
  const isTokenOk = operand.kind === "string" || operand.kind === "word" || operand.kind === "regex" || operand.kind === "number";
  if (isConstantOk || isTokenOk) return;
  check.errors.push(
    astError(
      `the right side of \`contains\` must be a quoted string, a name, a number, \`true\`, \`false\` or \`null\`, not ${describeNode(operand)}`,
      operand.span,
    ),
  );
}

function checkMatchesOperand(right: Expression, check: AstCheck): void {
  const operand = unwrapGroups(right);
  if (operand.kind === "string" || operand.kind === "word" || operand.kind === "regex") return;
  check.errors.push(
    astError(
      `the right side of \`matches\` must be a pattern (a quoted string, a /regex/ literal or a word), not ${describeNode(operand)}`,
      operand.span,
    ),
  );
}

function localeFlagError(right: Expression): ConditionSyntaxError {
  const message = "the regex flag `l` (locale) cannot be used with text patterns";
  const operand = unwrapGroups(right);
  if (operand.kind !== "regex") return astError(message, operand.span);
  const flagsStart = operand.span.end - operand.flags.length;
  const index = operand.flags.toLowerCase().indexOf("l");
  return astError(message, { start: flagsStart + index, end: flagsStart + index + 1 });
}

function describeNode(node: Expression): string {
  switch (node.kind) {
    case "number":
      return `the number \`${node.text}\``;
    case "constant":
      return `\`${node.text}\``;
    case "set":
      return "a set literal";
    case "and":
      return "an `and` expression";
    case "or":
    case "not":
    case "contains":
    case "matches":
      return `a \`${node.kind}\` expression`;
    case "compare":
      return "a comparison";
    default:
      return `\`${node.kind}\``;
  }
}
