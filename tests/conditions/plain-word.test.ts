/**
 * `isPlainWord` (runtime/conditions/template.ts) decides whether a rendered Jinja word is still
 * one plain word token. ASCII text takes a regex without Unicode classes; it must agree with
 * pypred's word token (letters, numbers, `_-.:;`, not a number first, not a keyword) everywhere.
 */
import { describe, expect, it } from "vitest";
import { isPlainWord } from "../../runtime/conditions/template.ts";

/** pypred's word token, as the fallback lexer reads it. */
const WORD = /^(?!-?\p{Nd})[\p{L}\p{N}_\-.:;]+$/u;
const KEYWORDS = new Set(["and", "or", "not", "true", "false", "null", "is", "contains", "matches", "undefined", "empty"]);

describe("isPlainWord", () => {
  it("agrees with the Unicode word token on every ASCII character, alone and inside a word", () => {
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      for (const text of [c, `a${c}`, `${c}1`, `-${c}`, `slots.${c}x`]) {
        expect(isPlainWord(text), JSON.stringify(text)).toBe(WORD.test(text) && !KEYWORDS.has(text.toLowerCase()));
      }
    }
  });

  it("reads words with letters and digits outside ASCII", () => {
    expect(isPlainWord("slots.caf\u00e9")).toBe(true);
    expect(isPlainWord("\u0661\u0662")).toBe(false); // Arabic-Indic digits first: a number
    expect(isPlainWord("x\u0661")).toBe(true);
    expect(isPlainWord("a\u2014b")).toBe(false); // a dash that is not a word character
    expect(isPlainWord("slots.amount")).toBe(true);
    expect(isPlainWord("-5")).toBe(false);
    expect(isPlainWord("and")).toBe(false);
    expect(isPlainWord("")).toBe(false);
  });
});
