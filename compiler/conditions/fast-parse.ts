/**
 * A fast path for parsing conditions: pypred's tokenizer (runtime/conditions/tokens.ts, shared
 * with the runtime's fallback parser) and a recursive-descent parser for the common case — ASCII text without Jinja holes that parses without error — producing
 * exactly the syntax tree grammar.peggy produces (same nodes, spans and key order). It returns
 * undefined for anything else, and parse-condition.ts then runs the peggy parser, which also
 * words every error. Conditions are parsed once per compile, and peggy's parser is the slow
 * part of checking a large assistant.
 */
import { KEYWORDS, patternOfToken, tokenize as lex, type Token } from "../../runtime/conditions/tokens.ts";
import type { ComparisonOperator, Expression, Span } from "./ast.ts";

class Decline extends Error {}

const decline = (): never => {
  throw new Decline();
};

const SYMBOLS: Readonly<Record<string, ComparisonOperator>> = { ">=": ">=", "<=": "<=", "==": "=", "!=": "!=", ">": ">", "<": "<", "=": "=" };

/** The syntax tree of `text`, or undefined when the fast path does not apply. */
export function fastParse(text: string, templates: boolean): Expression | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text) || (templates && text.includes("{{"))) return undefined;
  try {
    const parser = new Parser(tokenize(text));
    const expression = parser.expression();
    return parser.done() ? expression : undefined;
  } catch (error) {
    if (error instanceof Decline || error instanceof RangeError) return undefined;
    throw error;
  }
}

function tokenize(text: string): readonly Token[] {
  const { tokens, illegalAt } = lex(text);
  return illegalAt === undefined ? tokens : decline();
}

function span(token: Token): Span {
  return { start: token.start, end: token.end };
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private keyword(name: string): Token | undefined {
    const token = this.peek();
    return token?.type === "word" && token.text.toLowerCase() === name ? token : undefined;
  }

  expression(): Expression {
    const left = this.prim();
    const operator = this.keyword("and") ?? this.keyword("or");
    if (!operator) return left;
    this.at++;
    const right = this.expression();
    return { kind: operator.text.toLowerCase() as "and" | "or", left, right, operatorSpan: span(operator), span: { start: left.span.start, end: right.span.end } };
  }

  private prim(): Expression {
    const not = this.keyword("not");
    if (not) {
      this.at++;
      const operand = this.prim();
      return { kind: "not", operand, span: { start: span(not).start, end: operand.span.end } };
    }
    return this.term();
  }

  private term(): Expression {
    const left = this.factor();
    const token = this.peek();
    if (!token) return left;
    const spanTo = (right: Expression): Span => ({ start: left.span.start, end: right.span.end });
    if (token.type === "op" && token.text in SYMBOLS) {
      this.at++;
      const right = this.factor();
      return { kind: "compare", operator: SYMBOLS[token.text]!, operatorText: token.text, operatorSpan: span(token), left, right, span: spanTo(right) };
    }
    if (token.type !== "word") return left;
    const word = token.text.toLowerCase();
    if (word === "is") {
      this.at++;
      const not = this.keyword("not");
      if (not) this.at++;
      const right = this.factor();
      const operatorText = not ? `${token.text} ${not.text}` : token.text;
      const operatorSpan = not ? { start: span(token).start, end: span(not).end } : span(token);
      return { kind: "compare", operator: not ? "!=" : "=", operatorText, operatorSpan, left, right, span: spanTo(right) };
    }
    if (word === "contains") {
      this.at++;
      const right = this.factor();
      return { kind: "contains", left, right, operatorSpan: span(token), span: spanTo(right) };
    }
    if (word === "matches") {
      this.at++;
      const right = this.factor();
      const { pattern, flags } = patternOf(right);
      return { kind: "matches", left, right, pattern: pattern === "" ? [] : [pattern], flags, operatorSpan: span(token), span: spanTo(right) };
    }
    return left;
  }

  private factor(): Expression {
    const token = this.peek() ?? decline();
    this.at++;
    switch (token.type) {
      case "number":
        return { kind: "number", value: Number(token.text), text: token.text, span: span(token) };
      case "string":
        return { kind: "string", quote: token.text[0] as '"' | "'", value: token.text.length > 2 ? [token.text.slice(1, -1)] : [], text: token.text, span: span(token) };
      case "regex": {
        const end = token.text.lastIndexOf("/");
        const pattern = token.text.slice(1, end);
        return { kind: "regex", pattern: pattern === "" ? [] : [pattern], flags: token.text.slice(end + 1), text: token.text, span: span(token) };
      }
      case "word": {
        const word = token.text.toLowerCase();
        if (word === "true" || word === "false" || word === "null" || word === "undefined" || word === "empty") {
          const value = word === "true" ? true : word === "false" ? false : word === "null" ? null : word;
          return { kind: "constant", value, text: token.text, span: span(token) };
        }
        if (KEYWORDS.has(word)) return decline();
        return { kind: "word", parts: [token.text], text: token.text, span: span(token) };
      }
      case "op": {
        if (token.text === "(") {
          const expression = this.expression();
          const close = this.peek();
          if (close?.type !== "op" || close.text !== ")") return decline();
          this.at++;
          return { kind: "group", expression, span: { start: span(token).start, end: span(close).end } };
        }
        if (token.text === "{") {
          const elements: Expression[] = [];
          for (;;) {
            const next = this.peek() ?? decline();
            if (next.type === "op" && next.text === "}") {
              this.at++;
              return { kind: "set", elements, span: { start: span(token).start, end: span(next).end } };
            }
            elements.push(this.factor());
          }
        }
        return decline();
      }
    }
  }
}

/** The pattern of `matches` (§6.6), from its right operand's token text. */
function patternOf(right: Expression): { pattern: string; flags: string } {
  let inner = right;
  while (inner.kind === "group") inner = inner.expression;
  if (inner.kind !== "string" && inner.kind !== "regex" && inner.kind !== "word") return decline();
  return patternOfToken(inner.text);
}
