/**
 * Character matchers: what one position of the pattern matches (explicit ranges plus Unicode
 * property classes), and how to write that as a JavaScript character class.
 */
import { hex, RangeSet } from "./range-set.ts";
import type { Category } from "./tree.ts";
import { ASCII_DIGIT, ASCII_SPACE, ASCII_WORD, propertySet, UNICODE_DIGIT_CLASS, UNICODE_SPACE, UNICODE_WORD_CLASS } from "./unicode.ts";

export interface CharMatcher {
  /** Explicit code points. */
  readonly ranges: RangeSet;
  /** JS class bodies for Unicode properties (`\p{Nd}`, `\P{Nd}`, `\p{L}\p{N}_`). */
  readonly props: readonly string[];
  /** Python `\W` (Unicode): the complement of `[\p{L}\p{N}_]`, which no class body can list. */
  readonly notWord: boolean;
  readonly negate: boolean;
}

export function categoryMatcher(cat: Category, ascii: boolean): { ranges: RangeSet; props: string[]; notWord: boolean } {
  const none = RangeSet.EMPTY;
  switch (cat) {
    case "DIGIT":
      return ascii ? { ranges: ASCII_DIGIT, props: [], notWord: false } : { ranges: none, props: [UNICODE_DIGIT_CLASS], notWord: false };
    case "NOT_DIGIT":
      return ascii ? { ranges: ASCII_DIGIT.complement(), props: [], notWord: false } : { ranges: none, props: ["\\P{Nd}"], notWord: false };
    case "SPACE":
      return { ranges: ascii ? ASCII_SPACE : UNICODE_SPACE, props: [], notWord: false };
    case "NOT_SPACE":
      return { ranges: (ascii ? ASCII_SPACE : UNICODE_SPACE).complement(), props: [], notWord: false };
    case "WORD":
      return ascii ? { ranges: ASCII_WORD, props: [], notWord: false } : { ranges: none, props: [UNICODE_WORD_CLASS], notWord: false };
    case "NOT_WORD":
      return ascii ? { ranges: ASCII_WORD.complement(), props: [], notWord: false } : { ranges: none, props: [], notWord: true };
  }
}

export function matcherSet(matcher: CharMatcher): RangeSet {
  let set = matcher.ranges;
  for (const prop of matcher.props) {
    if (prop.startsWith("\\P{")) set = set.union(propertySet(`\\p{${prop.slice(3)}`).complement());
    else set = set.union(propertySet(prop));
  }
  if (matcher.notWord) set = set.union(propertySet(UNICODE_WORD_CLASS).complement());
  return matcher.negate ? set.complement() : set;
}

function escapeCodePoint(cp: number, inClass: boolean): string {
  if (cp >= 0x20 && cp <= 0x7e) {
    const char = String.fromCharCode(cp);
    const special = inClass ? "\\]-[^/" : "^$\\.*+?()[]{}|/";
    return special.includes(char) ? `\\${char}` : char;
  }
  if (cp === 0x09) return "\\t";
  if (cp === 0x0a) return "\\n";
  if (cp === 0x0d) return "\\r";
  if (cp < 0x100) return `\\x${hex(cp).padStart(2, "0")}`;
  if (cp < 0x10000 && !(cp >= 0xd800 && cp <= 0xdfff)) return `\\u${hex(cp).padStart(4, "0")}`;
  return `\\u{${hex(cp)}}`;
}

function classBody(ranges: RangeSet): string {
  let body = "";
  for (const [lo, hi] of ranges.ranges) {
    body += escapeCodePoint(lo, true);
    if (hi === lo + 1) body += escapeCodePoint(hi, true);
    else if (hi > lo) body += `-${escapeCodePoint(hi, true)}`;
  }
  return body;
}

export function emitMatcher(matcher: CharMatcher): string {
  const body = classBody(matcher.ranges) + matcher.props.join("");
  if (!matcher.notWord) {
    if (!matcher.negate && matcher.props.length === 0) {
      const single = matcher.ranges.single;
      if (single !== undefined) return escapeCodePoint(single, false);
    }
    if (!matcher.negate && matcher.props.length === 1 && matcher.ranges.isEmpty && matcher.props[0] === UNICODE_DIGIT_CLASS) return UNICODE_DIGIT_CLASS;
    if (matcher.negate && body === "") return "[\\s\\S]";
    return matcher.negate ? `[^${body}]` : `[${body}]`;
  }
  const word = `[${UNICODE_WORD_CLASS}]`;
  if (!matcher.negate) return body === "" ? `[^${UNICODE_WORD_CLASS}]` : `(?:[${body}]|[^${UNICODE_WORD_CLASS}])`;
  // not (body or not-word) = word and not body
  return body === "" ? word : `(?:(?![${body}])${word})`;
}
