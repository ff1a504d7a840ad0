/**
 * How reading a Python regex fails: Python's `re.error` ({@link PyError}, with its message
 * and position as Python prints them) and {@link TooDeep} for groups nested beyond what the
 * translation takes; with the helpers for Python's positions (code points) and `repr()`.
 */

/** An error Python's `re` raises: the pattern is invalid. Positions are code-point indices. */
export class PyError {
  constructor(
    readonly msg: string,
    /** Python's `error.pos` (null for errors raised without a position). */
    readonly pos: number | null,
    readonly start: number,
    readonly end: number,
  ) {}

  /** `str(error)` as Python prints it. */
  format(pattern: string): string {
    if (this.pos === null) return this.msg;
    let message = `${this.msg} at position ${this.pos}`;
    if (pattern.includes("\n")) {
      const before = Array.from(pattern).slice(0, this.pos).join("");
      const lineno = before.split("\n").length;
      const colno = this.pos - (Array.from(before).lastIndexOf("\n") + 1) + 1;
      message += ` (line ${lineno}, column ${colno})`;
    }
    return message;
  }
}

export class TooDeep {
  constructor(
    readonly message: string,
    readonly start: number,
  ) {}
}

/** Nesting deeper than this is refused (CPython's parser would hit its recursion limit). */
export const MAX_NESTING = 200;

export function utf16Offsets(pattern: string): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const char of pattern) {
    offsets.push(offset);
    offset += char.length;
  }
  offsets.push(offset);
  return offsets;
}

/** Python's `repr()` of a str, close enough for error messages. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (char === "\\") out += "\\\\";
    else if (char === quote) out += `\\${quote}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char !== " " && /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(char)) {
      // not str.isprintable(): escaped as Python's repr() does
      out += cp < 0x100 ? `\\x${cp.toString(16).padStart(2, "0")}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
    } else out += char;
  }
  return out + quote;
}

/** `len()` of a token string in Python (code points). */
export function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function isIdentifier(name: string): boolean {
  return /^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(name);
}
