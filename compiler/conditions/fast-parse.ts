/**
 * A fast path for parsing conditions: a hand-written tokenizer and recursive-descent parser
 * for the common case — ASCII text without Jinja holes that parses without error — producing
 * exactly the syntax tree grammar.peggy produces (same nodes, spans and key order). It returns
 * undefined for anything else, and parse-condition.ts then runs the peggy parser, which also
 * words every error. Conditions are parsed once per compile, and peggy's parser is the slow
 * part of checking a large assistant.
 */
import type { ComparisonOperator, Expression, Span } from "./ast.ts";

type Token =
  | { readonly type: "number"; readonly text: string; readonly span: Span }
  | { readonly type: "word"; readonly text: string; readonly span: Span }
  | { readonly type: "string"; readonly text: string; readonly quote: '"' | "'"; readonly span: Span }
  | { readonly type: "regex"; readonly text: string; readonly pattern: string; readonly flags: string; readonly span: Span }
  | { readonly type: "op"; readonly text: string; readonly span: Span };

class Decline extends Error {}

const decline = (): never => {
  throw new Decline();
};

const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const WORD = /[A-Za-z0-9_\-.:;]+/y;
const STRING = /"[^"]*"|'[^']*'/y;
const REGEX = /\/([^/]*)\/([simluSIMLU]*)/y;
const OPERATOR = />=|<=|==|!=|[()><={}]/y;
const KEYWORDS = new Set(["is", "and", "or", "not", "contains", "matches", "true", "false", "undefined", "null", "empty"]);
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

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const sticky = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(text);
  };
  while (at < text.length) {
    const char = text[at]!;
    if (char === " " || char === "\t" || char === "\r" || char === "\n") {
      at++;
      continue;
    }
    if (char === "#") {
      const end = text.indexOf("\n", at);
      at = end < 0 ? text.length : end;
      continue;
    }
    const start = at;
    let match: RegExpExecArray | null;
    if ((match = sticky(NUMBER))) {
      at += match[0].length;
      tokens.push({ type: "number", text: match[0], span: { start, end: at } });
    } else if ((match = sticky(WORD))) {
      at += match[0].length;
      tokens.push({ type: "word", text: match[0], span: { start, end: at } });
    } else if ((match = sticky(STRING))) {
      at += match[0].length;
      tokens.push({ type: "string", text: match[0], quote: match[0][0] as '"' | "'", span: { start, end: at } });
    } else if ((match = sticky(REGEX))) {
      at += match[0].length;
      tokens.push({ type: "regex", text: match[0], pattern: match[1]!, flags: match[2]!, span: { start, end: at } });
    } else if ((match = sticky(OPERATOR))) {
      at += match[0].length;
      tokens.push({ type: "op", text: match[0], span: { start, end: at } });
    } else decline();
  }
  return tokens;
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
    return { kind: operator.text.toLowerCase() as "and" | "or", left, right, operatorSpan: operator.span, span: { start: left.span.start, end: right.span.end } };
  }

  private prim(): Expression {
    const not = this.keyword("not");
    if (not) {
      this.at++;
      const operand = this.prim();
      return { kind: "not", operand, span: { start: not.span.start, end: operand.span.end } };
    }
    return this.term();
  }

  private term(): Expression {
    const left = this.factor();
    const token = this.peek();
    if (!token) return left;
    const span = (right: Expression): Span => ({ start: left.span.start, end: right.span.end });
    if (token.type === "op" && token.text in SYMBOLS) {
      this.at++;
      const right = this.factor();
      return { kind: "compare", operator: SYMBOLS[token.text]!, operatorText: token.text, operatorSpan: token.span, left, right, span: span(right) };
    }
    if (token.type !== "word") return left;
    const word = token.text.toLowerCase();
    if (word === "is") {
      this.at++;
      const not = this.keyword("not");
      if (not) this.at++;
      const right = this.factor();
      const operatorText = not ? `${token.text} ${not.text}` : token.text;
      const operatorSpan = not ? { start: token.span.start, end: not.span.end } : token.span;
      return { kind: "compare", operator: not ? "!=" : "=", operatorText, operatorSpan, left, right, span: span(right) };
    }
    if (word === "contains") {
      this.at++;
      const right = this.factor();
      return { kind: "contains", left, right, operatorSpan: token.span, span: span(right) };
    }
    if (word === "matches") {
      this.at++;
      const right = this.factor();
      const { pattern, flags } = patternOf(right);
      return { kind: "matches", left, right, pattern: pattern === "" ? [] : [pattern], flags, operatorSpan: token.span, span: span(right) };
    }
    return left;
  }

  private factor(): Expression {
    const token = this.peek() ?? decline();
    this.at++;
    switch (token.type) {
      case "number":
        return { kind: "number", value: Number(token.text), text: token.text, span: token.span };
      case "string":
        return { kind: "string", quote: token.quote, value: token.text.length > 2 ? [token.text.slice(1, -1)] : [], text: token.text, span: token.span };
      case "regex":
        return { kind: "regex", pattern: token.pattern === "" ? [] : [token.pattern], flags: token.flags, text: token.text, span: token.span };
      case "word": {
        const word = token.text.toLowerCase();
        if (word === "true" || word === "false" || word === "null" || word === "undefined" || word === "empty") {
          const value = word === "true" ? true : word === "false" ? false : word === "null" ? null : word;
          return { kind: "constant", value, text: token.text, span: token.span };
        }
        if (KEYWORDS.has(word)) return decline();
        return { kind: "word", parts: [token.text], text: token.text, span: token.span };
      }
      case "op": {
        if (token.text === "(") {
          const expression = this.expression();
          const close = this.peek();
          if (close?.type !== "op" || close.text !== ")") return decline();
          this.at++;
          return { kind: "group", expression, span: { start: token.span.start, end: close.span.end } };
        }
        if (token.text === "{") {
          const elements: Expression[] = [];
          for (;;) {
            const next = this.peek() ?? decline();
            if (next.type === "op" && next.text === "}") {
              this.at++;
              return { kind: "set", elements, span: { start: token.span.start, end: next.span.end } };
            }
            elements.push(this.factor());
          }
        }
        return decline();
      }
    }
  }
}

/** §6.6: the pattern of `matches`, from the right operand's token text (see grammar.peggy). */
function patternOf(right: Expression): { pattern: string; flags: string } {
  let inner = right;
  while (inner.kind === "group") inner = inner.expression;
  if (inner.kind !== "string" && inner.kind !== "regex" && inner.kind !== "word") return decline();
  const text = inner.text;
  const match = /^['"/]([^\n]*)['"/]([simluSIMLU]*)$/.exec(text);
  return match ? { pattern: match[1]!, flags: match[2]!.toLowerCase() } : { pattern: text.replace(/^['"]+|['"]+$/g, ""), flags: "" };
}
