/**
 * The tokens of one Jinja tag's expression, as Jinja's lexer reads them: names, numbers (binary,
 * octal, hex, decimal, with `_` between digits), quoted strings with Python's escapes, and
 * operators.
 */
import { TemplateError, type Literal } from "./jinja-syntax.ts";

export interface Token {
  readonly kind: "name" | "string" | "number" | "op" | "end";
  readonly text: string;
  readonly value?: Literal;
  readonly at: number;
  readonly end: number;
}

const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
/** Jinja's number literals: binary, octal and hex ints (`0x1F`), and decimal ints and floats, with `_` between digits. */
const NUMBER = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?/y;
/** Right after a `.`, Jinja's lexer reads no float: `a.1.1` is `a[1][1]`. */
const INTEGER = /\d+(?:_\d+)*/y;
const STRING = /'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)"/y;
const OPERATOR = /\/\/|\*\*|==|!=|<=|>=|[-+*/%~|.,()[\]{}:<>=]/y;
const SPACE = /\s+/y;

export function tokenize(source: string, from: number, to: number, where: string): Token[] {
  const tokens: Token[] = [];
  let at = from;
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    const m = re.exec(source);
    return m && m.index + m[0].length <= to ? m : null;
  };
  while (at < to) {
    const space = match(SPACE);
    if (space) {
      at += space[0].length;
      continue;
    }
    const name = match(NAME);
    const number = name ? null : match(source[at - 1] === "." ? INTEGER : NUMBER);
    const string = name || number ? null : match(STRING);
    const op = name || number || string ? null : match(OPERATOR);
    const m = name ?? number ?? string ?? op;
    if (!m) {
      const char = source[at]!;
      const message = char === "'" || char === '"' ? `unterminated string starting with ${char}` : `unexpected character \`${char}\``;
      throw new TemplateError(message, "syntax", at, at + 1);
    }
    const end = at + m[0].length;
    if (name) tokens.push({ kind: "name", text: m[0], at, end });
    else if (number) tokens.push({ kind: "number", text: m[0], value: Number(m[0].replace(/_/g, "")), at, end });
    else if (string) tokens.push({ kind: "string", text: m[0], value: unescape(m[1] ?? m[2] ?? "", at, at + m[0].length, where), at, end });
    else tokens.push({ kind: "op", text: m[0], at, end });
    at = end;
  }
  tokens.push({ kind: "end", text: "end of tag", at: to, end: to });
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "", a: "\x07", b: "\b", f: "\f", v: "\v" };

/**
 * A string literal's value as Jinja's lexer makes it: line breaks made `\n`, the text written
 * as ASCII with Python's `backslashreplace` (`é` as `\xe9`), then read with Python's
 * `unicode-escape` codec: `\n`, `\t`, `\\`, `\'`, `\a`, `\b`, `\f`, `\v`, octal `\101`,
 * `\x41`, `\u00e9`, `\U0001F600`, a backslash before a line break drops both, any other
 * escape stays as written. A cut-short `\x`, `\u` or `\U` is a syntax error in Jinja; `\N{…}`
 * (a character by its Unicode name) is refused. `at`: where the literal starts.
 */
function unescape(text: string, at: number, end: number, where: string): string {
  if (!text.includes("\\")) return text.replace(/\r\n?/g, "\n");
  const ascii = [...text.replace(/\r\n?/g, "\n")].map((char) => (char.charCodeAt(0) < 0x80 ? char : pythonEscapeCode(char.codePointAt(0)!))).join("");
  let out = "";
  let named = false;
  for (let i = 0; i < ascii.length; i++) {
    const char = ascii[i]!;
    if (char !== "\\" || i === ascii.length - 1) {
      out += char;
      continue;
    }
    const next = ascii[++i]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (next >= "0" && next <= "7") {
      const digits = /^[0-7]{1,3}/.exec(ascii.slice(i))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (next === "x" || next === "u" || next === "U") {
      const size = next === "x" ? 2 : next === "u" ? 4 : 8;
      const digits = ascii.slice(i + 1, i + 1 + size);
      const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === size ? parseInt(digits, 16) : undefined;
      if (code === undefined || code > 0x10ffff) throw new TemplateError(`a string literal with a malformed \\${next} escape`, "syntax", at, end);
      out += String.fromCodePoint(code);
      i += size;
    } else if (next === "N") {
      // (Refused after the whole literal is read: a malformed escape after it is Jinja's syntax error.)
      const name = /^\{[^}]*\}/.exec(ascii.slice(i + 1));
      if (!name) throw new TemplateError("a string literal with a malformed \\N escape", "syntax", at, end);
      named = true;
      i += name[0].length;
    } else out += `\\${next}`;
  }
  if (named) throw new TemplateError(`a \`\\N{…}\` escape (a character by its Unicode name) is not supported in ${where}`, "unsupported", at, end);
  return out;
}

/** Python's `backslashreplace` of a character beyond ASCII. */
function pythonEscapeCode(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}
