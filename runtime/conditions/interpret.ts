/**
 * The fallback for templated conditions whose rendered text has a different shape than the
 * template (`{{context.is_reset_only}}` renders the keyword `True`, a dict renders as a set
 * literal): a small tokenizer, parser and evaluator of pypred's language (conditions.md §2–§6),
 * run on the rendered text. Compiled predicates call it only in that case, and the compiler
 * warns about every condition that may need it.
 */
import * as py from "./pypred.ts";
import { decimalValue, KEYWORDS, patternOfToken, tokenize as lex } from "./tokens.ts";

type Token =
  | { readonly type: "number"; readonly value: number }
  | { readonly type: "keyword"; readonly text: string }
  | { readonly type: "word" | "string" | "regex"; readonly text: string }
  | { readonly type: "op"; readonly text: string };

type Node =
  | { readonly kind: "and" | "or"; readonly left: Node; readonly right: Node }
  | { readonly kind: "not"; readonly operand: Node }
  | { readonly kind: "binary"; readonly op: string; readonly left: Node; readonly right: Node }
  | { readonly kind: "group"; readonly inner: Node }
  | { readonly kind: "set"; readonly elements: readonly Node[] }
  | { readonly kind: "token"; readonly token: Token };

/** Turns a regex's Python source and flags into a JavaScript RegExp, or throws for an invalid one. */
export type RegexTranslator = (pattern: string, flags: string) => RegExp;

let regexTranslator: RegexTranslator | undefined;

/** Installs the translator the fallback uses for `matches` (kept out of the default bundle). */
export function setRegexTranslator(translator: RegexTranslator): void {
  regexTranslator = translator;
}

const invalid = (message: string): never => {
  throw new py.ConditionError(message, "invalid");
};

/** Parses and evaluates a rendered condition against `{slots, context}` (or `{slots}` for rejections). */
export function evaluateText(text: string, document: Readonly<Record<string, unknown>>, _rejection: boolean): boolean {
  const parser = new Parser(tokenize(text));
  const root = parser.expression();
  if (!parser.done()) invalid("unexpected token");
  const regexes = new Map<Node, RegExp>();
  validate(root, true, regexes);
  return py.truthy(evaluate(root, document, regexes));
}

// ----------------------------------------------------------------------------- tokens

function tokenize(text: string): Token[] {
  const { tokens, illegalAt } = lex(text);
  if (illegalAt !== undefined) invalid(`illegal character ${JSON.stringify(text[illegalAt])}`);
  return tokens.map((token): Token => {
    if (token.type === "number") return { type: "number", value: decimalValue(token.text) };
    if (token.type === "word" && KEYWORDS.has(token.text.toLowerCase())) return { type: "keyword", text: token.text.toLowerCase() };
    return { type: token.type, text: token.text };
  });
}

// ----------------------------------------------------------------------------- grammar

class Parser {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {
    if (tokens.length === 0) invalid("empty condition");
  }

  done(): boolean {
    return this.at === this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token?.type === "keyword" && token.text === text;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token?.type === "op" && token.text === text;
  }

  /** expression := prim (("and" | "or") expression)?: one level, grouped to the right. */
  expression(): Node {
    const left = this.prim();
    if (this.isKeyword("and") || this.isKeyword("or")) {
      const kind = (this.tokens[this.at++] as { text: "and" | "or" }).text;
      return { kind, left, right: this.expression() };
    }
    return left;
  }

  private prim(): Node {
    if (this.isKeyword("not")) {
      this.at++;
      return { kind: "not", operand: this.prim() };
    }
    return this.term();
  }

  private term(): Node {
    const left = this.factor();
    const token = this.peek();
    if (token?.type === "op" && [">", ">=", "<", "<=", "=", "==", "!="].includes(token.text)) {
      this.at++;
      const op = token.text === "==" ? "=" : token.text;
      return { kind: "binary", op, left, right: this.factor() };
    }
    if (token?.type === "keyword" && ["is", "contains", "matches"].includes(token.text)) {
      this.at++;
      let op = token.text === "is" ? "=" : token.text;
      if (token.text === "is" && this.isKeyword("not")) {
        this.at++;
        op = "!=";
      }
      return { kind: "binary", op, left, right: this.factor() };
    }
    return left;
  }

  private factor(): Node {
    const token = this.peek();
    if (!token) return invalid("unexpected end of the condition");
    if (token.type === "op" && token.text === "(") {
      this.at++;
      const inner = this.expression();
      if (!this.isOp(")")) invalid("missing `)`");
      this.at++;
      return { kind: "group", inner };
    }
    if (token.type === "op" && token.text === "{") {
      this.at++;
      const elements: Node[] = [];
      while (!this.isOp("}")) elements.push(this.factor());
      this.at++;
      return { kind: "set", elements };
    }
    if (token.type === "op" || (token.type === "keyword" && ["is", "and", "or", "not", "contains", "matches"].includes(token.text))) {
      return invalid("a value is missing");
    }
    this.at++;
    return { kind: "token", token };
  }
}

// ----------------------------------------------------------------------------- validity (§4)

function unwrap(node: Node): Node {
  return node.kind === "group" ? unwrap(node.inner) : node;
}

/**
 * Checks §4's rules. pypred compiles every regex while validating, so a pattern that does not
 * compile makes the whole condition invalid even where evaluation would never reach it
 * (`true or slots.x matches "["`): the regexes are compiled here, into `regexes`.
 */
function validate(node: Node, isRoot: boolean, regexes: Map<Node, RegExp>): void {
  const inner = unwrap(node);
  if (isRoot) {
    const falsy = (inner.kind === "token" && inner.token.type === "keyword" && (inner.token.text === "undefined" || inner.token.text === "empty")) || (inner.kind === "set" && inner.elements.length === 0);
    if (falsy) invalid("the condition is always empty");
  }
  switch (inner.kind) {
    case "and":
    case "or":
      validate(inner.left, false, regexes);
      validate(inner.right, false, regexes);
      return;
    case "not":
      validate(inner.operand, false, regexes);
      return;
    case "binary": {
      validate(inner.left, false, regexes);
      validate(inner.right, false, regexes);
      const right = unwrap(inner.right);
      const token = right.kind === "token" ? right.token : undefined;
      if (inner.op === "contains" && !(token && (token.type !== "keyword" || ["true", "false", "null"].includes(token.text)))) invalid("`contains` needs a value on its right");
      if (inner.op === "matches" && !(token && (token.type === "string" || token.type === "word" || token.type === "regex"))) invalid("`matches` needs a pattern on its right");
      if (inner.op === "matches" && token?.type === "regex" && /l/i.test(token.text.slice(token.text.lastIndexOf("/")))) invalid("the LOCALE flag is not allowed");
      if (inner.op === "matches") regexes.set(inner, regexOf(right));
      return;
    }
    case "set":
      for (const element of inner.elements) if (unwrap(element).kind === "set") invalid("a set cannot hold a set");
      return;
    default:
      return;
  }
}

// ----------------------------------------------------------------------------- evaluation

function evaluate(node: Node, document: Readonly<Record<string, unknown>>, regexes: ReadonlyMap<Node, RegExp>): unknown {
  switch (node.kind) {
    case "group":
      return evaluate(node.inner, document, regexes);
    case "and":
      return py.truthy(evaluate(node.left, document, regexes)) && py.truthy(evaluate(node.right, document, regexes));
    case "or":
      return py.truthy(evaluate(node.left, document, regexes)) || py.truthy(evaluate(node.right, document, regexes));
    case "not":
      return !py.truthy(evaluate(node.operand, document, regexes));
    case "set":
      return new py.PySet(node.elements.map((element) => setElement(element, document)));
    case "token":
      return tokenValue(node.token, document);
    case "binary":
      return binary(node, document, regexes);
  }
}

function setElement(element: Node, document: Readonly<Record<string, unknown>>): unknown {
  const inner = unwrap(element);
  if (inner.kind !== "token") return py.raise("a set element must be a value");
  if (inner.token.type === "keyword" && (inner.token.text === "undefined" || inner.token.text === "empty")) return py.raise("`undefined` or `empty` in a set");
  return tokenValue(inner.token, document);
}

function tokenValue(token: Token, document: Readonly<Record<string, unknown>>): unknown {
  switch (token.type) {
    case "number":
      return token.value;
    case "string":
      return token.text.slice(1, -1);
    case "keyword":
      return token.text === "true" ? true : token.text === "false" ? false : token.text === "null" ? null : token.text === "empty" ? py.EMPTY : undefined;
    default:
      return py.lookup(document, token.text);
  }
}

function binary(node: Node & { kind: "binary" }, document: Readonly<Record<string, unknown>>, regexes: ReadonlyMap<Node, RegExp>): boolean {
  const { op } = node;
  const left = evaluate(node.left, document, regexes);
  if (op === "contains") return py.canContain(left) && py.contains(left, evaluate(node.right, document, regexes));
  if (op === "matches") return py.matches(left, regexes.get(node) ?? regexOf(unwrap(node.right)));
  const right = evaluate(node.right, document, regexes);
  switch (op) {
    case "=":
      return py.equal(left, right);
    case "!=":
      return py.notEqual(left, right);
    case "<":
      return py.less(left, right);
    case "<=":
      return py.lessOrEqual(left, right);
    case ">":
      return py.greater(left, right);
    default:
      return py.greaterOrEqual(left, right);
  }
}

/** The pattern of a `matches` operand, taken from the token's text (§6.6). */
function regexOf(node: Node): RegExp {
  const text = node.kind === "token" && "text" in node.token ? node.token.text : "";
  const { pattern, flags } = patternOfToken(text);
  if (!regexTranslator) return invalid("a regex in a rendered condition needs the regex translator");
  try {
    return regexTranslator(pattern, flags);
  } catch {
    return invalid("the regex does not compile");
  }
}
