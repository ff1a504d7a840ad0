/**
 * The constants of CPython 3.11's `re._constants` and `re._parser` that the translation
 * of Python regexes (../translate-regex.ts) uses: the flags, the limits, and the characters
 * the tokenizer and the parser treat specially.
 */

export const F_TEMPLATE = 1;
export const F_IGNORECASE = 2;
export const F_LOCALE = 4;
export const F_MULTILINE = 8;
export const F_DOTALL = 16;
export const F_UNICODE = 32;
export const F_VERBOSE = 64;
export const F_ASCII = 256;

export const PYPRED_FLAGS: ReadonlyMap<string, number> = new Map([
  ["i", F_IGNORECASE],
  ["m", F_MULTILINE],
  ["s", F_DOTALL],
  ["u", F_UNICODE],
  ["l", F_LOCALE],
]);

/** Inline flags `(?aiLmsux)`; `t` (TEMPLATE) is deprecated in 3.11 but still accepted. */
export const INLINE_FLAGS: ReadonlyMap<string, number> = new Map([
  ["i", F_IGNORECASE],
  ["L", F_LOCALE],
  ["m", F_MULTILINE],
  ["s", F_DOTALL],
  ["x", F_VERBOSE],
  ["a", F_ASCII],
  ["t", F_TEMPLATE],
  ["u", F_UNICODE],
]);
export const TYPE_FLAGS = F_ASCII | F_LOCALE | F_UNICODE;
export const GLOBAL_FLAGS = F_TEMPLATE;

export const MAXREPEAT = 4294967295;
export const MAXGROUPS = 2147483647;
export const MAX_CP = 0x10ffff;

export const SPECIAL_CHARS = new Set([".", "\\", "[", "{", "(", ")", "*", "+", "?", "^", "$", "|"]);
export const REPEAT_CHARS = new Set(["*", "+", "?", "{"]);
export const DIGITS = new Set("0123456789");
export const OCTDIGITS = new Set("01234567");
export const HEXDIGITS = new Set("0123456789abcdefABCDEF");
export const WHITESPACE = new Set([" ", "\t", "\n", "\r", "\v", "\f"]);

export function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}
