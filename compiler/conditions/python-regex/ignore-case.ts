/**
 * Case-insensitive matching as `re._compiler` compiles it (`_compile` for LITERAL and
 * NOT_LITERAL, `_optimize_charset`): every literal and class under IGNORECASE becomes an
 * explicit set of the code points Python's comparison of lower-case forms accepts.
 */
import { F_ASCII, F_IGNORECASE, isAsciiLetter } from "./constants.ts";
import { categoryMatcher } from "./matchers.ts";
import { hex, RangeSet, type Range } from "./range-set.ts";
import type { Category, CpSpan, SetItem } from "./tree.ts";
import { asciiLower, caseTable, EXTRA_CASES, uniLower, uniUpper, UPPER_ASCII } from "./unicode.ts";

export interface Untranslatable {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Every code point `ch` with `lower(ch) ∈ target`, i.e. what Python matches when it tests
 * `lower(ch)` against a set built from lowered characters.
 */
function lowerPreimage(target: RangeSet, ascii: boolean): RangeSet {
  if (ascii) {
    const uppers: Range[] = [];
    for (let cp = 0x41; cp <= 0x5a; cp++) if (target.has(cp + 32)) uppers.push([cp, cp]);
    return target.subtract(UPPER_ASCII).union(RangeSet.from(uppers));
  }
  const table = caseTable();
  const extra: number[] = [];
  for (const [cp, l] of table.lower) if (target.has(l)) extra.push(cp);
  return target.subtract(table.lowered).union(RangeSet.fromCodePoints(extra));
}

function isCased(cp: number, ascii: boolean): boolean {
  if (ascii) return cp < 128 && isAsciiLetter(cp);
  return uniLower(cp) !== cp || uniUpper(cp) !== cp;
}

/** A literal (or `[^x]` when negate) under IGNORECASE. */
export function ignoreCaseLiteral(cp: number, ascii: boolean): RangeSet {
  if (!isCased(cp, ascii)) return RangeSet.of(cp);
  const lo = ascii ? asciiLower(cp) : uniLower(cp);
  const target = RangeSet.fromCodePoints([lo, ...(ascii ? [] : (EXTRA_CASES.get(lo) ?? []))]);
  if (ascii) return lowerPreimage(target, true);
  // Faster than scanning the table for a handful of targets.
  const out: number[] = [];
  for (const t of [lo, ...(EXTRA_CASES.get(lo) ?? [])]) {
    if (uniLower(t) === t) out.push(t);
    for (const c of caseTable().lowerInverse.get(t) ?? []) out.push(c);
  }
  return RangeSet.fromCodePoints(out);
}

/** The positive part of a class (items without NEGATE) under the given flags. */
export function classMatcherParts(items: readonly SetItem[], flags: number, span: CpSpan, problems: Untranslatable[]): { ranges: RangeSet; props: string[]; notWord: boolean } {
  const ascii = (flags & F_ASCII) !== 0;
  const props: string[] = [];
  let notWord = false;
  let categories = RangeSet.EMPTY;
  const addCategory = (cat: Category): void => {
    const part = categoryMatcher(cat, ascii);
    categories = categories.union(part.ranges);
    for (const prop of part.props) if (!props.includes(prop)) props.push(prop);
    notWord ||= part.notWord;
  };
  const raw: Range[] = [];
  for (const item of items) {
    if (item.op === "LITERAL") raw.push([item.cp, item.cp]);
    else if (item.op === "RANGE") raw.push([item.lo, item.hi]);
    else if (item.op === "CATEGORY") addCategory(item.cat);
  }
  if (!(flags & F_IGNORECASE)) return { ranges: RangeSet.from(raw).union(categories), props, notWord };

  // _optimize_charset with fixup = tolower: a map of lowered characters, a "tail" for non-BMP
  // items; `hascased` decides whether the set is tested with lower(ch) or with ch.
  const lowerFn = ascii ? asciiLower : uniLower;
  const charmap: number[] = [];
  const mapped: Range[] = [];
  const tailLiterals: number[] = [];
  const tailRanges: Range[] = [];
  let hascased = false;
  for (const item of items) {
    if (item.op === "LITERAL") {
      if (item.cp > 0xffff) {
        hascased = true;
        tailLiterals.push(item.cp);
        if (!ascii && uniLower(item.cp) !== item.cp) {
          problems.push({
            message: `the case-insensitive character set contains ${describeCp(item.cp)}, an upper-case letter outside the BMP: Python 3.11 never matches it there (gh-126505, fixed in later versions)`,
            start: span.start,
            end: span.end,
          });
        }
        continue;
      }
      const lo = lowerFn(item.cp);
      charmap.push(lo);
      if (!ascii) charmap.push(...(EXTRA_CASES.get(lo) ?? []));
      if (isCased(item.cp, ascii)) hascased = true;
    } else if (item.op === "RANGE") {
      const bmpHi = Math.min(item.hi, 0xffff);
      if (item.lo <= bmpHi) {
        mapped.push([item.lo, bmpHi]);
        if (!hascased && item.hi <= 0xffff) hascased = rangeHasCased(item.lo, bmpHi, ascii);
      }
      if (item.hi > 0xffff) {
        hascased = true;
        tailRanges.push([item.lo, item.hi]);
        if (ascii && unicodeUpperEntersRange(item.lo, item.hi)) {
          problems.push({
            message: "a case-insensitive ASCII character range reaching beyond U+FFFF: Python 3.11 applies Unicode case rules to it (gh-126505, fixed in later versions)",
            start: span.start,
            end: span.end,
          });
        }
      }
    }
  }
  if (!hascased) return { ranges: RangeSet.from(raw).union(categories), props, notWord };

  // The lowered images of the BMP parts of ranges, with the extra equivalences.
  let target = RangeSet.fromCodePoints(charmap);
  for (const [lo, hi] of mapped) target = target.union(lowerImage(lo, hi, ascii));
  target = target.union(RangeSet.fromCodePoints(tailLiterals));
  if (tailRanges.length > 0) {
    // RANGE_UNI_IGNORE: lower(ch) in range, or upper(lower(ch)) in range.
    const rangeSet = RangeSet.from(tailRanges);
    const raised: number[] = [];
    for (const [cp, u] of caseTable().upper) if (rangeSet.has(u)) raised.push(cp);
    target = target.union(rangeSet).union(RangeSet.fromCodePoints(raised));
  }
  // Categories give the same answer for ch and lower(ch) (checked by the tests), so they stay.
  return { ranges: lowerPreimage(target, ascii).union(categories), props, notWord };
}

/** Some non-ASCII character outside [lo, hi] has its Unicode upper case inside. */
function unicodeUpperEntersRange(lo: number, hi: number): boolean {
  for (const [cp, upper] of caseTable().upper) if (cp > 0x7f && (cp < lo || cp > hi) && upper >= lo && upper <= hi) return true;
  return false;
}

function describeCp(cp: number): string {
  return `U+${hex(cp).padStart(4, "0")}`;
}

function rangeHasCased(lo: number, hi: number, ascii: boolean): boolean {
  if (ascii) return RangeSet.of(lo, hi).intersect(RangeSet.from([[0x41, 0x5a], [0x61, 0x7a]])).isEmpty === false;
  const table = caseTable();
  if (!table.lowered.intersect(RangeSet.of(lo, hi)).isEmpty) return true;
  for (const cp of table.upper.keys()) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** { lower(i) + extra equivalences : i in [lo, hi] } for a BMP range. */
function lowerImage(lo: number, hi: number, ascii: boolean): RangeSet {
  const range = RangeSet.of(lo, hi);
  if (ascii) {
    const uppers = range.intersect(UPPER_ASCII);
    const lowered = uppers.ranges.map(([a, b]) => [a + 32, b + 32] as const);
    return range.subtract(UPPER_ASCII).union(RangeSet.from(lowered));
  }
  const table = caseTable();
  const unchanged = range.subtract(table.lowered);
  const images: number[] = [];
  for (const [a, b] of range.intersect(table.lowered).ranges) for (let cp = a; cp <= b; cp++) images.push(uniLower(cp));
  let image = unchanged.union(RangeSet.fromCodePoints(images));
  const extras: number[] = [];
  for (const [key, values] of EXTRA_CASES) if (image.has(key)) extras.push(...values);
  image = image.union(RangeSet.fromCodePoints(extras));
  return image;
}
