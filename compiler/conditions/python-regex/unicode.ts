/**
 * The Unicode data of CPython 3.11's `_sre`, derived from the JavaScript engine's tables (and
 * compressed into unicode-property-ranges.ts for the characters the engines disagree on):
 * `str.isspace()`, `\d`, `\w`, lower and upper case, and `re._casefix`'s extra equivalences.
 */
import { UNICODE_CASE_MAPPINGS, UNICODE_PROPERTY_RANGES } from "../unicode-property-ranges.ts";
import { MAX_CP } from "./constants.ts";
import { hex, RangeSet, type Range } from "./range-set.ts";

/** Python str.isspace(): what `\s` matches in a str pattern. */
export const UNICODE_SPACE = RangeSet.from([
  [0x09, 0x0d],
  [0x1c, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
]);
export const ASCII_SPACE = RangeSet.from([
  [0x09, 0x0d],
  [0x20, 0x20],
]);
export const ASCII_DIGIT = RangeSet.of(0x30, 0x39);
export const ASCII_WORD = RangeSet.from([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
export const UPPER_ASCII = RangeSet.of(0x41, 0x5a);

/** Python's \w in a str pattern: str.isalnum() (L*, and characters with a numeric value) or `_`. */
export const UNICODE_WORD_CLASS = "\\p{L}\\p{N}_";
export const UNICODE_DIGIT_CLASS = "\\p{Nd}";

const propertyCache = new Map<string, RangeSet>();

/** UTF-16 units of the code points below 0x10000 other than surrogates. */
const BMP_UNITS = 0x10000 - 0x800;
let everyCodePointCache: string | undefined;

/**
 * Every code point but the surrogates, in order, as one string: the chunks `propertySet` tests
 * are slices of it. Building them one code point at a time was half of computing a set.
 */
function everyCodePoint(): string {
  if (everyCodePointCache !== undefined) return everyCodePointCache;
  const units = new Uint16Array(BMP_UNITS + 2 * 0x100000);
  for (let i = 0; i < 0xd800; i++) units[i] = i;
  for (let i = 0xd800; i < BMP_UNITS; i++) units[i] = i + 0x800;
  for (let c = 0, i = BMP_UNITS; c < 0x100000; c++, i += 2) {
    units[i] = 0xd800 + (c >> 10);
    units[i + 1] = 0xdc00 + (c & 0x3ff);
  }
  everyCodePointCache = new TextDecoder("utf-16le").decode(units);
  return everyCodePointCache;
}

/** Where code point `cp` (or, for a surrogate, the next code point) starts in `everyCodePoint()`. */
function unitOf(cp: number): number {
  if (cp < 0xd800) return cp;
  if (cp < 0xe000) return 0xd800;
  if (cp < 0x10000) return cp - 0x800;
  return BMP_UNITS + 2 * (cp - 0x10000);
}

/**
 * The code points a one-character JS class matches, once per process: from the table that
 * scripts/build-unicode-tables.ts wrote for the classes `\d` and `\w` use (scanning for them
 * was a good part of a compile), else by scanning.
 */
export function propertySet(classBody: string): RangeSet {
  const cached = propertyCache.get(classBody);
  if (cached !== undefined) return cached;
  const table = UNICODE_PROPERTY_RANGES.get(classBody);
  const set = table !== undefined ? decodeRanges(table) : scanPropertySet(classBody);
  propertyCache.set(classBody, set);
  return set;
}

/** The class bodies scripts/build-unicode-tables.ts writes tables for. */
export const TABLED_CLASSES: readonly string[] = [UNICODE_DIGIT_CLASS, UNICODE_WORD_CLASS];

/** Ranges as written by `encodeRanges`. */
function decodeRanges(table: string): RangeSet {
  const ranges: Range[] = table.split(" ").map((range) => {
    const [lo, hi = lo] = range.split("-");
    return [parseInt(lo!, 16), parseInt(hi!, 16)];
  });
  return RangeSet.from(ranges);
}

/** Ranges as hexadecimal `lo-hi` (or `cp` alone), separated by spaces. */
export function encodeRanges(set: RangeSet): string {
  return set.ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join(" ");
}

/** The code points a one-character JS class matches, by testing every code point. */
export function scanPropertySet(classBody: string): RangeSet {
  const one = new RegExp(`^[${classBody}]$`, "u");
  const all = new RegExp(`^[${classBody}]*$`, "u");
  const none = new RegExp(`^[^${classBody}]*$`, "u");
  const ranges: Range[] = [];
  const text = everyCodePoint();
  for (let base = 0; base <= MAX_CP; base += 256) {
    if (base >= 0xd800 && base < 0xe000) continue;
    const chunk = text.slice(unitOf(base), base + 256 > MAX_CP ? text.length : unitOf(base + 256));
    if (none.test(chunk)) continue;
    if (all.test(chunk)) {
      ranges.push([base, base + 255]);
      continue;
    }
    for (let cp = base; cp < base + 256; cp++) if (one.test(String.fromCodePoint(cp))) ranges.push([cp, cp]);
  }
  return RangeSet.from(ranges);
}

/** _casefix._EXTRA_CASES (3.11): lower-case characters with the same upper case. */
export const EXTRA_CASES: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  [0x0069, [0x0131]],
  [0x0073, [0x017f]],
  [0x00b5, [0x03bc]],
  [0x0131, [0x0069]],
  [0x017f, [0x0073]],
  [0x0345, [0x03b9, 0x1fbe]],
  [0x0390, [0x1fd3]],
  [0x03b0, [0x1fe3]],
  [0x03b2, [0x03d0]],
  [0x03b5, [0x03f5]],
  [0x03b8, [0x03d1]],
  [0x03b9, [0x0345, 0x1fbe]],
  [0x03ba, [0x03f0]],
  [0x03bc, [0x00b5]],
  [0x03c0, [0x03d6]],
  [0x03c1, [0x03f1]],
  [0x03c2, [0x03c3]],
  [0x03c3, [0x03c2]],
  [0x03c6, [0x03d5]],
  [0x03d0, [0x03b2]],
  [0x03d1, [0x03b8]],
  [0x03d5, [0x03c6]],
  [0x03d6, [0x03c0]],
  [0x03f0, [0x03ba]],
  [0x03f1, [0x03c1]],
  [0x03f5, [0x03b5]],
  [0x0432, [0x1c80]],
  [0x0434, [0x1c81]],
  [0x043e, [0x1c82]],
  [0x0441, [0x1c83]],
  [0x0442, [0x1c84, 0x1c85]],
  [0x044a, [0x1c86]],
  [0x0463, [0x1c87]],
  [0x1c80, [0x0432]],
  [0x1c81, [0x0434]],
  [0x1c82, [0x043e]],
  [0x1c83, [0x0441]],
  [0x1c84, [0x0442, 0x1c85]],
  [0x1c85, [0x0442, 0x1c84]],
  [0x1c86, [0x044a]],
  [0x1c87, [0x0463]],
  [0x1c88, [0xa64b]],
  [0x1e61, [0x1e9b]],
  [0x1e9b, [0x1e61]],
  [0x1fbe, [0x0345, 0x03b9]],
  [0x1fd3, [0x0390]],
  [0x1fe3, [0x03b0]],
  [0xa64b, [0x1c88]],
  [0xfb05, [0xfb06]],
  [0xfb06, [0xfb05]],
]);

interface CaseTable {
  /** sre_lower_unicode: the first code point of the full lower-case mapping, when it differs. */
  readonly lower: ReadonlyMap<number, number>;
  /** sre_upper_unicode: the first code point of the full upper-case mapping, when it differs. */
  readonly upper: ReadonlyMap<number, number>;
  /** Code points whose lower case differs from themselves, as a set. */
  readonly lowered: RangeSet;
  /** lower value → the code points (other than itself) that lower to it. */
  readonly lowerInverse: ReadonlyMap<number, readonly number[]>;
}

let caseTableCache: CaseTable | undefined;

/**
 * The case mappings Python's `re` uses under IGNORECASE, once per process, from the table
 * scripts/build-unicode-tables.ts wrote with `scanCaseMappings` (scanning every code point
 * took about 100 ms of a compile).
 */
export function caseTable(): CaseTable {
  if (caseTableCache !== undefined) return caseTableCache;
  const mappings = decodeCaseMappings(UNICODE_CASE_MAPPINGS);
  const lowerInverse = new Map<number, number[]>();
  for (const [cp, l] of mappings.lower) {
    const list = lowerInverse.get(l);
    if (list === undefined) lowerInverse.set(l, [cp]);
    else list.push(cp);
  }
  caseTableCache = { ...mappings, lowered: RangeSet.fromCodePoints(mappings.lower.keys()), lowerInverse };
  return caseTableCache;
}

interface CaseMappings {
  readonly lower: ReadonlyMap<number, number>;
  readonly upper: ReadonlyMap<number, number>;
}

/**
 * CPython's `_PyUnicode_ToLowercase`/`ToUppercase` return the simple mapping, or for characters
 * with special casing the first character of the full mapping; JS `toLowerCase`/`toUpperCase`
 * apply the full mappings (locale-independent), so the first code point of their result is
 * Python's value. Found by testing every code point, in increasing order.
 */
export function scanCaseMappings(): CaseMappings {
  const lower = new Map<number, number>();
  const upper = new Map<number, number>();
  for (let base = 0; base <= MAX_CP; base += 256) {
    if (base >= 0xd800 && base < 0xe000) continue;
    let chunk = "";
    for (let cp = base; cp < base + 256; cp++) chunk += String.fromCodePoint(cp);
    if (chunk.toLowerCase() === chunk && chunk.toUpperCase() === chunk) continue;
    for (let cp = base; cp < base + 256; cp++) {
      const char = String.fromCodePoint(cp);
      const l = char.toLowerCase().codePointAt(0) ?? cp;
      const u = char.toUpperCase().codePointAt(0) ?? cp;
      if (l !== cp) lower.set(cp, l);
      if (u !== cp) upper.set(cp, u);
    }
  }
  return { lower, upper };
}

/** Mappings as written by `encodeCaseMappings`. */
function decodeCaseMappings(table: { readonly lower: string; readonly upper: string }): CaseMappings {
  const decode = (text: string) =>
    new Map(
      text.split(" ").map((pair) => {
        const [from, to] = pair.split(":");
        return [parseInt(from!, 16), parseInt(to!, 16)] as const;
      }),
    );
  return { lower: decode(table.lower), upper: decode(table.upper) };
}

/** Each mapping as hexadecimal `from:to`, separated by spaces, in increasing order of `from`. */
export function encodeCaseMappings(map: ReadonlyMap<number, number>): string {
  return [...map].map(([from, to]) => `${hex(from)}:${hex(to)}`).join(" ");
}

export function uniLower(cp: number): number {
  return caseTable().lower.get(cp) ?? cp;
}

export function uniUpper(cp: number): number {
  return caseTable().upper.get(cp) ?? cp;
}

export function asciiLower(cp: number): number {
  return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
}
