/**
 * pypred's lexer (conditions.md §2), shared by the runtime's fallback parser and the
 * compiler's fast path: at each position, after whitespace and `#` comments, a NUMBER (tried
 * first), a word, a quoted string, a `/regex/flags` literal or an operator. Keywords are words
 * whose lower-cased text is one of KEYWORDS; consumers decide what that means.
 */

export const KEYWORDS: ReadonlySet<string> = new Set(["is", "and", "or", "not", "contains", "matches", "true", "false", "undefined", "null", "empty"]);

export interface Token {
  readonly type: "number" | "word" | "string" | "regex" | "op";
  /** The token as written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

type Lexemes = readonly (readonly [Token["type"], RegExp])[];

let lexemes: Lexemes | undefined;

/**
 * The token regexes, built on first use: V8 checks each regex literal of a module when it
 * parses it, and for one with Unicode property classes that means building the classes, a
 * cost at every process's start even when nothing is ever lexed at run time.
 */
function lexemesOf(): Lexemes {
  return (lexemes ??= [
    ["number", new RegExp(String.raw`-?\p{Nd}+(?:\.\p{Nd}+)?`, "uy")],
    ["word", new RegExp(String.raw`[\p{L}\p{N}_\-.:;]+`, "uy")],
    ["string", /"[^"]*"|'[^']*'/y],
    ["regex", /\/[^/]*\/[simluSIMLU]*/y],
    ["op", />=|<=|==|!=|[()><={}]/y],
  ]);
}

/** The tokens of `text`, or the offset of the first character no token matches. */
export function tokenize(text: string): { readonly tokens: readonly Token[]; readonly illegalAt?: number } {
  const tokens: Token[] = [];
  let at = 0;
  scan: while (at < text.length) {
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
    for (const [type, pattern] of lexemesOf()) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (!match) continue;
      tokens.push({ type, text: match[0], start: at, end: at + match[0].length });
      at += match[0].length;
      continue scan;
    }
    return { tokens, illegalAt: at };
  }
  return { tokens };
}

/** Python's float() of a NUMBER token, whose digits may be any Unicode decimal digits. */
export function decimalValue(text: string): number {
  let ascii = "";
  for (const char of text) {
    if (char === "-" || char === ".") ascii += char;
    else ascii += String(digitValue(char.codePointAt(0)!));
  }
  return Number(ascii);
}

function digitValue(codePoint: number): number {
  let start = codePoint;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

/**
 * §6.6: the regex `matches` uses, from its right token's text: a token starting with a quote
 * or slash and matching `^['"/](.*)['"/]([simluSIMLU]*)$` gives group 1 and the lower-cased
 * flags; any other loses its leading and trailing quotes and has no flags.
 */
export function patternOfToken(text: string): { readonly pattern: string; readonly flags: string } {
  const match = /^['"/]([^\n]*)['"/]([simluSIMLU]*)$/.exec(text);
  return match ? { pattern: match[1]!, flags: match[2]!.toLowerCase() } : { pattern: text.replace(/^['"]+|['"]+$/g, ""), flags: "" };
}
