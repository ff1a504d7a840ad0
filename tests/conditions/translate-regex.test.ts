/**
 * translatePythonRegex must give every `matches` pattern the meaning CPython 3.11's `re.search`
 * gives it (shared/spec/conditions.md §6.6, §9). The expectations are written from the rules of
 * CPython's `re` (Lib/re/_parser.py, Lib/re/_compiler.py, Modules/_sre/sre_lib.h), cited next to
 * each group; the corpus test replays every regex line the reference library produced.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Expression, MatchesNode } from "../../compiler/conditions/ast.ts";
import { parse as parseTokens } from "../../compiler/conditions/generated-parser.js";
import { parseCondition } from "../../compiler/conditions/parse-condition.ts";
import { regexInternals, translatePythonRegex } from "../../compiler/conditions/translate-regex.ts";
import { UNICODE_PROPERTY_RANGES } from "../../compiler/conditions/unicode-property-ranges.ts";
import type { RegexTranslation } from "../../compiler/conditions/translate-regex.ts";
import { forEachNode, slotNameOf, unwrapGroups } from "../../compiler/conditions/walk.ts";

type Ok = Extract<RegexTranslation, { ok: true }>;

function translateOk(pattern: string, flags = ""): Ok {
  const result = translatePythonRegex(pattern, flags);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(pattern)} (${flags}) to translate: ${result.kind}: ${result.message}`);
  return result;
}

/** Python: `re.search(pattern, text, flags) is not None`. */
function search(pattern: string, text: string, flags = ""): boolean {
  const result = translateOk(pattern, flags);
  return new RegExp(result.source, result.flags).test(text);
}

function refused(pattern: string, flags = ""): Exclude<RegexTranslation, { ok: true }> {
  const result = translatePythonRegex(pattern, flags);
  if (result.ok) throw new Error(`expected ${JSON.stringify(pattern)} (${flags}) to be refused, got /${result.source}/${result.flags}`);
  return result;
}

/** [pattern, pypred flags, text, what re.search finds] */
type SearchCase = readonly [string, string, string, boolean];

function checkAll(cases: readonly SearchCase[]): void {
  const wrong: string[] = [];
  for (const [pattern, flags, text, expected] of cases) {
    if (search(pattern, text, flags) !== expected) wrong.push(`${JSON.stringify(pattern)} /${flags}/ on ${JSON.stringify(text)}: expected ${expected}`);
  }
  expect(wrong).toEqual([]);
}

// ---------------------------------------------------------------------------
// Matching: every row is what CPython 3.11 answers.

/** re.search is unanchored; literals, `.` and the escapes of _escape(). */
const BASICS: SearchCase[] = [
  ["lic", "", "Alice", true],
  ["^lic", "", "Alice", false],
  ["", "", "", true],
  ["", "", "x", true],
  ["a.b", "", "a\nb", false], // ANY excludes only "\n" ...
  ["a.b", "", "a\rb", true], // ... so "\r", U+2028 and U+2029 match (JS `.` would refuse them)
  ["a.b", "", "a\u2028b", true],
  ["a.b", "", "a\u2029b", true],
  ["a.b", "s", "a\nb", true], // DOTALL: ANY_ALL
  ["(?s)a.b", "", "a\nb", true],
  [".", "", "😀", true], // one code point
  ["^.$", "", "😀", true],
  ["^..$", "", "😀", false],
  ["\\x41", "", "A", true], // \x: exactly two hex digits
  ["\\u00e4", "", "ä", true], // \u: exactly four
  ["\\U0001F600", "", "😀", true], // \U: exactly eight
  ["\\0", "", "\0", true], // \0 and up to two more octal digits
  ["\\012", "", "\n", true],
  ["\\101", "", "A", true], // three octal digits: an octal escape, not a group reference
  ["\\1010", "", "A0", true],
  ["\\a\\f\\v", "", "\x07\x0c\x0b", true],
  ["\\t\\n\\r", "", "\t\n\r", true],
  ["\\.", "", "x", false],
  ["\\-\\ \\#\\é", "", "- #é", true], // an escaped non-letter is itself
  ["a\\\\b", "", "a\\b", true],
  ["]", "", "]", true], // "]" and "}" are literals outside a class
  ["}", "", "}", true],
  ["/", "", "/", true],
];

/** `{` only starts a repeat when `{m}`, `{m,}`, `{,n}`, `{m,n}` or `{,}` follows; otherwise it is a literal. */
const BRACES: SearchCase[] = [
  ["a{", "", "a{", true],
  ["a{,", "", "a{,", true],
  ["{x}", "", "{x}", true],
  ["a{}", "", "a{}", true], // `{` followed by `}` is a literal
  ["a{1,2", "", "a{1,2", true],
  ["x{2, 3}", "", "x{2, 3}", true], // no spaces inside a repeat
  ["^a{,}$", "", "aaa", true], // {,} = {0,MAXREPEAT} = *
  ["^a{,}$", "", "", true],
  ["^a{2}$", "", "aa", true],
  ["^a{2}$", "", "aaa", false],
  ["^a{2,}$", "", "aaaa", true],
  ["^a{2,}$", "", "a", false],
  ["^a{,2}$", "", "", true],
  ["^a{,2}$", "", "aaa", false],
  ["^a{1,2}$", "", "aa", true],
  ["^a{0}$", "", "", true],
  ["^a{0}$", "", "a", false],
  ["^(?:ab){2}$", "", "abab", true],
  ["^a*?$", "", "aa", true], // lazy quantifiers
  ["^a+?b$", "", "aab", true],
  ["^a??$", "", "a", true],
  ["^a{1,3}?$", "", "aaa", true],
  ["(?=a)*b", "", "b", true], // Python may repeat a look-ahead (JS needs a group around it)
  ["a(?#note)*", "", "aaa", true], // a comment is not an item: `*` repeats the `a`
  ["^\\d{5}(-\\d{4})?$", "", "12345-6789", true],
  ["^\\d{5}(-\\d{4})?$", "", "12345-678", false],
];

/** Character classes (_parse, "[" branch; _class_escape). */
const CLASSES: SearchCase[] = [
  ["[a-c]", "", "b", true],
  ["[a-c]", "", "d", false],
  ["[^a-c]", "", "d", true],
  ["[^a-c]", "", "\n", true], // a negated class matches "\n"
  ["^[]a]+$", "", "]a]", true], // "]" first in a class is a literal
  ["^[^]a]$", "", "]", false],
  ["^[^]a]$", "", "b", true],
  ["^[a-]+$", "", "a-", true], // "-" last is a literal
  ["^[-a]+$", "", "-a", true],
  ["^[\\]]$", "", "]", true],
  ["^[\\-x]+$", "", "x-", true],
  ["^[\\^x]+$", "", "^x", true],
  ["^[x^]+$", "", "^x", true],
  ["^[[]$", "", "[", true], // "[" inside a class is a literal
  ["^[\\\\]$", "", "\\", true],
  ["[[:alpha:]]", "", "x", false], // not a POSIX class: the set "[:alph" then a literal "]" (§6.6)
  ["[[:alpha:]]", "", "a]", true],
  ["[[:alpha:]]", "", ":]", true],
  ["^[\\b]$", "", "\b", true], // \b in a class is a backspace
  ["^[\\d]+$", "", "٣4", true],
  ["^[\\w-]+$", "", "a-é_1", true],
  ["^[\\W\\d]+$", "", "- 1", true], // union with a negated category
  ["^[\\W\\d]+$", "", "a", false],
  ["^[^\\W\\d]+$", "", "aé_", true], // word characters that are not digits
  ["^[^\\W\\d]+$", "", "a1", false],
  ["^[^\\Wa]$", "", "a", false],
  ["^[^\\Wa]$", "", "b", true],
  ["^[^\\Wa]$", "", "-", false],
  ["^[\\s\\S]$", "", "\n", true],
  ["^[^\\s\\S]$", "", "x", false],
  ["[\\u00c0-\\u00ff]", "", "é", true],
  ["[\\u00c0-\\u00ff]", "", "e", false],
  ["^[😀-😂]$", "", "😁", true],
  ["^[\\x00-\\x1f]$", "", "\x1f", true],
  ["^[.*+?]+$", "", "*.?+", true],
];

/** Python str categories: \d = Nd, \w = str.isalnum() or "_", \s = str.isspace(). */
const CATEGORIES: SearchCase[] = [
  ["\\d", "", "٣", true], // ARABIC-INDIC DIGIT THREE (Nd)
  ["\\d", "", "²", false], // SUPERSCRIPT TWO is No, not a decimal digit
  ["\\D", "", "²", true],
  ["^\\w$", "", "é", true],
  ["^\\w$", "", "²", true], // isalnum: numeric characters count
  ["^\\w$", "", "Ⅷ", true], // Nl
  ["^\\w$", "", "_", true],
  ["^\\w$", "", "-", false],
  ["^\\w$", "", "\u00b7", false],
  ["^\\W$", "", "-", true],
  ["^\\W$", "", "é", false],
  ["^\\s$", "", "\x1c", true], // isspace includes the separators 0x1c–0x1f ...
  ["^\\s$", "", "\x85", true], // ... NEL ...
  ["^\\s$", "", "\xa0", true],
  ["^\\s$", "", "\u2028", true],
  ["^\\s$", "", "\u3000", true],
  ["^\\s$", "", "\ufeff", false], // ... but not BOM (JS \s has it) ...
  ["^\\s$", "", "\u200b", false], // ... nor ZERO WIDTH SPACE
  ["^\\s$", "", "\u180e", false],
  ["^\\S$", "", "\ufeff", true],
  // ASCII flag: SRE_IS_DIGIT / SRE_IS_WORD / SRE_IS_SPACE look at ASCII only
  ["(?a)\\d", "", "٣", false],
  ["(?a)\\w", "", "é", false],
  ["(?a)\\s", "", "\x1c", false],
  ["(?a)\\s", "", "\xa0", false],
  ["(?a)\\s", "", "\v", true],
  ["(?a)^\\W$", "", "é", true],
  ["(?a:\\w)", "", "é", false], // scoped
  ["(?a:\\w)\\w", "", "aé", true],
];

/** Anchors (AT codes): ^, $, \A, \Z, \b, \B; MULTILINE uses "\n" only. */
const ANCHORS: SearchCase[] = [
  ["a$", "", "a", true],
  ["a$", "", "a\n", true], // AT_END: at the end or before a final "\n"
  ["a$", "", "a\n\n", false],
  ["a$", "", "a\nb", false],
  ["a$", "", "a\r", false],
  ["^$", "", "\n", true],
  ["a\\Z", "", "a\n", false], // \Z is the very end
  ["a\\Z", "", "a", true],
  ["\\Aa", "", "ba", false],
  ["^b", "", "a\nb", false],
  ["^b", "m", "a\nb", true], // AT_BEGINNING_LINE: after "\n" ...
  ["^b", "m", "a\rb", false], // ... only (JS `m` would accept "\r", U+2028, U+2029)
  ["^b", "m", "a\u2028b", false],
  ["a$", "m", "a\nb", true], // AT_END_LINE: before any "\n"
  ["a$", "m", "a\rb", false],
  ["(?m)a$", "", "a\u2029b", false],
  ["\\Ab", "m", "a\nb", false], // \A ignores MULTILINE
  ["(?m:^b)", "", "a\nb", true],
  ["^(yes|y|true)$", "", "y", true],
  ["^(yes|y|true)$", "", "yes\n", true],
  // \b and \B use Python's Unicode \w
  ["\\bcaf\\b", "", "café", false],
  ["\\bcafé\\b", "", "café!", true],
  ["\\b٣", "", "x٣", false],
  ["\\b", "", "", false],
  ["\\B", "", "", false], // CPython ≤ 3.13: \B never matches an empty string
  ["\\B", "", " ", true],
  ["a\\B", "", "ab", true],
  ["a\\B", "", "a-", false],
  ["\\bAl", "", "Alice", true],
  ["\\bAl", "", "xAlice", false],
  ["(?a)\\bé", "", "xé", true], // ASCII: é is not a word character
  ["(?a)\\Bé", "", "xé", false],
  // a match can only start at a code point: nothing between the halves of an astral character
  ["\\B", "", "𐐀", false],
  ["(?m)^$", "", "𐐀", false],
  ["(?m)^$", "", "𐐀\n", true],
  ["(?<!\\w)(?!\\w)", "", "𐐀", false],
];

/** IGNORECASE: _compile compares lower(ch) (sre_lower_unicode) with lowered literals plus _EXTRA_CASES. */
const IGNORE_CASE: SearchCase[] = [
  ["ALICE", "i", "alice", true],
  ["(?i)ALICE", "", "Alice", true],
  ["k", "i", "\u212a", true], // KELVIN SIGN lowers to "k"
  ["K", "i", "\u212a", true],
  ["s", "i", "ſ", true], // LONG S: extra case of "s"
  ["S", "i", "ſ", true],
  ["ſ", "i", "S", true],
  ["i", "i", "ı", true], // DOTLESS I: extra case of "i" (JS `iu` says no)
  ["I", "i", "ı", true],
  ["i", "i", "İ", true], // CAPITAL I WITH DOT lowers to "i" (first character of "i̇")
  ["ı", "i", "İ", true], // lower(İ) = "i", an extra case of "ı"
  ["ß", "i", "ẞ", true],
  ["ẞ", "i", "ß", true],
  ["ß", "i", "ss", false],
  ["µ", "i", "Μ", true], // MICRO SIGN: extra case of "μ"
  ["σ", "i", "ς", true],
  ["Σ", "i", "ς", true],
  ["ǆ", "i", "ǅ", true], // title case lowers to ǆ
  ["ᾳ", "i", "ᾼ", true],
  ["ΐ", "i", "\u1fd3", true],
  ["в", "i", "ᲀ", true],
  ["Ꭰ", "i", "ꭰ", true],
  ["𐐀", "i", "𐐨", true], // outside the BMP
  ["[a-z]", "i", "ı", true],
  ["[a-z]", "i", "İ", true],
  ["[a-z]", "i", "\u212a", true],
  ["[a-z]", "i", "ſ", true],
  ["[^a-z]", "i", "ı", false],
  ["[^a-z]", "i", "K", false],
  ["^[^k]$", "i", "\u212a", false],
  ["^[h-j]$", "i", "ı", true],
  ["^[A-Z]$", "i", "é", false],
  ["[À-Þ]", "i", "é", true],
  ["^[𐐀-𐐧]$", "i", "𐐨", true], // beyond the BMP: lower(ch) or upper(lower(ch)) in the range
  ["[0-9]", "i", "٣", false],
  ["^\\w$", "i", "\u212a", true],
  ["(?ai)k", "", "\u212a", false], // ASCII: only ASCII letters fold
  ["(?ai)k", "", "K", true],
  ["(?ai)[a-z]", "", "ſ", false],
  ["(?ai)é", "", "É", false],
  ["(?i:a)b", "", "AB", false], // scoped
  ["(?i:a)b", "", "Ab", true],
  ["(?-i:a)b", "i", "aB", true],
  ["(?-i:a)b", "i", "AB", false],
  ["(?i).*rasa.*", "", "I love RASA", true],
  ["(?i)(stolen|theft|fraud)", "", "THEFT!", true],
  ["(?i)(stolen|theft|fraud)", "", "the ft", false],
];

/** Inline flags: global ones only at the very start (3.11); VERBOSE ignores whitespace and comments. */
const INLINE_FLAGS: SearchCase[] = [
  ["(?i)a", "", "A", true],
  ["(?im)^A", "", "x\na", true],
  ["(?i)(?s)a.b", "", "A\nB", true],
  ["(?#c)(?i)a", "", "A", true], // a comment before the flags is fine
  ["(?x) a b # comment", "", "ab", true],
  ["(?x) a b # comment", "", "a b", false],
  ["(?x)a\\ b", "", "a b", true], // escaped space
  ["(?x)a[ ]b", "", "a b", true], // whitespace inside a class counts
  ["(?x)a\\#b", "", "a#b", true],
  ["(?x)a # x\n b", "", "ab", true],
  ["(?x)a {2}", "", "aa", true], // whitespace between an item and its repeat
  ["(?x: a )b", "", "ab", true],
  ["(?x)(?-x: a )", "", " a ", true],
  ["(?u)é", "", "é", true],
  ["(?t)abc", "", "abc", true], // deprecated TEMPLATE flag: no effect without repeats
];

/** Groups, named groups, look-arounds, backreferences that always refer to a matched group. */
// Python 3.11: an atomic group `(?>…)` or a possessive quantifier (`*+`, `++`, `?+`, `{m,n}+`)
// keeps the first way its body matched and is never re-entered; groups inside it still count.
const ATOMIC: SearchCase[] = [
  ["(?>a+)b", "", "aaab", true],
  ["^(?>a|ab)c", "", "abc", false],
  ["^(?:a|ab)c", "", "abc", true],
  ["^a*+a", "", "aaaa", false],
  ["^a{1,2}+a$", "", "aaa", true],
  ["^a{1,2}+a$", "", "aa", false],
  ["^(?:ab|a)?+b", "", "ab", false],
  ["^(x)(?>(a+))b\\2\\1", "", "xaabaax", true],
  ["^(x)(?>(a+))b\\2\\1", "", "xaabax", false],
  ["(?P<n>a)(?>b)(?P=n)", "", "aba", true],
  ["(\\w)(?>\\d++)\\1", "", "x123x", true],
  ["(?>.*)x", "", "abx", false],
  ["😀*+😀", "", "😀😀", false],
  ["(?>SS|x)$", "i", "ss", true],
  // inside a look-behind Python allows fixed widths only, where atomicity changes nothing
  ["(?<=(?>a))b", "", "ab", true],
  ["(?<=(?>ab|cd))e", "", "cde", true],
  ["(?<=x(?>a{2}+))b", "", "xaab", true],
];

const GROUPS: SearchCase[] = [
  ["(?P<x>l)", "", "Alice", true],
  ["(?P<x>l)(?P=x)", "", "Alice", false],
  ["(?P<x>l)(?P=x)", "", "ball", true],
  ["(a)\\1", "", "aa", true],
  ["(a)\\1", "", "ab", false],
  ["(?P<é>x)(?P=é)", "", "xx", true], // any identifier is a group name
  ["(?:(a)b){2}\\1", "", "ababa", true],
  ["(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", "", "abcdefghijj", true],
  ["(a)\\1 0", "", "aa 0", true],
  ["(?=ab)a", "", "ab", true],
  ["(?!ab)a", "", "ab", false],
  ["(?<=a)b", "", "ab", true],
  ["(?<=a)b", "", "cb", false],
  ["(?<!a)b", "", "cb", true],
  ["(?<=ab|cd)e", "", "cde", true], // alternatives of one width are fixed-width
  ["(?<=a{2})b", "", "aab", true],
  ["(?<=\\b)a", "", " a", true],
  ["(?<=(?=a)a)b", "", "ab", true],
  ["(a)(?<=\\1)b", "", "ab", true],
  ["(a|b)c", "", "bc", true],
  ["a|b|", "", "x", true],
  ["ab|ac", "", "ac", true], // common prefixes are factored out
  ["x(?:)y", "", "xy", true],
];

describe("matching agrees with CPython 3.11 re.search", () => {
  it("literals, `.`, escapes", () => checkAll(BASICS));
  it("repeats and literal braces", () => checkAll(BRACES));
  it("character classes", () => checkAll(CLASSES));
  it("\\d, \\w, \\s and the ASCII flag", () => checkAll(CATEGORIES));
  it("anchors, MULTILINE, \\b and \\B", () => checkAll(ANCHORS));
  it("IGNORECASE with Python's case folding", () => checkAll(IGNORE_CASE));
  it("inline and scoped flags, VERBOSE", () => checkAll(INLINE_FLAGS));
  it("groups, look-arounds, backreferences", () => checkAll(GROUPS));
  it("atomic groups and possessive quantifiers (Python 3.11)", () => checkAll(ATOMIC));

  it("always uses the `u` flag alone, and named groups keep their names", () => {
    const result = translateOk("(?P<year>\\d{4})-(?P=year)", "ms");
    expect(result.flags).toBe("u");
    expect(result.source).toContain("(?<year>");
    expect(result.source).toContain("\\k<year>");
    expect(new RegExp(result.source, result.flags).exec("2024-2024")?.groups?.["year"]).toBe("2024");
  });

  it("writes a readable source for plain patterns", () => {
    expect(translateOk("^\\d{5}(-\\d{4})?$").source).toBe("^\\p{Nd}{5}(-\\p{Nd}{4})?(?=\\n?$)");
    expect(translateOk("east-web-\\d+").source).toBe("east-web-\\p{Nd}+");
    expect(translateOk("a{").source).toBe("a\\{");
    expect(translateOk("(?i)k").source).toBe("[Kk\\u212A]");
  });
});

// ---------------------------------------------------------------------------
// Invalid: CPython raises, so pypred rejects the predicate (§4). Messages are Python's.

describe("patterns Python's re refuses are invalid", () => {
  const cases: [string, string, string][] = [
    ["(unbalanced", "", "missing ), unterminated subpattern at position 0"],
    ["a)", "", "unbalanced parenthesis at position 1"],
    ["[", "", "unterminated character set at position 0"],
    ["[]", "", "unterminated character set at position 0"],
    ["a{2,1}", "", "min repeat greater than max repeat at position 2"],
    ["*a", "", "nothing to repeat at position 0"],
    ["a|*", "", "nothing to repeat at position 2"],
    ["{1}", "", "nothing to repeat at position 0"],
    ["^*", "", "nothing to repeat at position 1"],
    ["\\b+", "", "nothing to repeat at position 2"],
    ["a**", "", "multiple repeat at position 2"],
    ["a{2}{3}", "", "multiple repeat at position 4"],
    ["a*?+", "", "multiple repeat at position 3"],
    ["\\p{L}", "", "bad escape \\p at position 0"],
    ["\\q", "", "bad escape \\q at position 0"],
    ["\\e", "", "bad escape \\e at position 0"],
    ["[\\A]", "", "bad escape \\A at position 1"],
    ["[\\8]", "", "bad escape \\8 at position 1"],
    ["a\\", "", "bad escape (end of pattern) at position 1"],
    ["\\x4", "", "incomplete escape \\x4 at position 0"],
    ["\\u00e", "", "incomplete escape \\u00e at position 0"],
    ["\\U00110000", "", "bad escape \\U00110000 at position 0"],
    ["\\400", "", "octal escape value \\400 outside of range 0-0o377 at position 0"],
    ["\\1", "", "invalid group reference 1 at position 1"],
    ["(a)\\2", "", "invalid group reference 2 at position 4"],
    ["(a\\1)", "", "cannot refer to an open group at position 2"],
    ["\\N", "", "missing { at position 2"],
    ["\\N{}", "", "missing character name at position 3"],
    ["[z-a]", "", "bad character range z-a at position 1"],
    ["[\\d-z]", "", "bad character range \\d-z at position 1"],
    ["(?", "", "unexpected end of pattern at position 2"],
    ["(?<n>x)", "", "unknown extension ?<n at position 1"], // (?<name>…) is not Python 3.11 syntax
    ["(?Px)", "", "unknown extension ?Px at position 1"],
    ["(?P<1a>x)", "", "bad character in group name '1a' at position 4"],
    ["(?P<a>x)(?P<a>y)", "", "redefinition of group name 'a' as group 2; was group 1 at position 12"],
    ["(?P=nope)", "", "unknown group name 'nope' at position 4"],
    ["(?#unterminated", "", "missing ), unterminated comment at position 0"],
    ["Al(?i)ICE", "", "global flags not at the start of the expression at position 2"], // §8 table
    ["a|(?i)b", "", "global flags not at the start of the expression at position 2"],
    ["((?i)a)", "", "global flags not at the start of the expression at position 1"],
    ["(?L)a", "", "bad inline flags: cannot use 'L' flag with a str pattern at position 3"],
    ["(?au)a", "", "bad inline flags: flags 'a', 'u' and 'L' are incompatible at position 4"],
    ["(?-a:a)", "", "bad inline flags: cannot turn off flags 'a', 'u' and 'L' at position 4"],
    ["(?i-i:a)", "", "bad inline flags: flag turned on and off at position 5"],
    ["(?i-m)a", "", "missing : at position 5"],
    ["(?z)a", "", "unknown extension ?z at position 1"],
    ["(?iz)a", "", "unknown flag at position 3"],
    ["(?t:a)", "", "bad inline flags: cannot turn on global flag at position 3"],
    ["(?t)a*", "", "internal: unsupported template operator MAX_REPEAT"],
    ["(?<=a+)b", "", "look-behind requires fixed-width pattern"],
    ["(?<=a|bc)d", "", "look-behind requires fixed-width pattern"],
    ["(?<!a*)b", "", "look-behind requires fixed-width pattern"],
    ["(?(1)a|b|c)(x)", "", "conditional backref with more than two branches at position 8"],
    ["(?(0)a)", "", "bad group number at position 3"],
    ["(?(x)a)", "", "unknown group name 'x' at position 3"],
    ["(?(2)a)(b)", "", "invalid group reference 2 at position 3"],
    ["a{4294967295}", "", "the repetition number is too large"],
    ["x", "l", "cannot use LOCALE flag with a str pattern"], // pypred's `l` flag (§4)
    ["(?a)x", "u", "ASCII and UNICODE flags are incompatible"],
    ["a\n(", "", "missing ), unterminated subpattern at position 2 (line 2, column 1)"],
  ];
  for (const [pattern, flags, message] of cases) {
    it(`${JSON.stringify(pattern)} ${flags}`, () => {
      const result = refused(pattern, flags);
      expect(result.kind).toBe("invalid");
      expect(result.message).toBe(message);
    });
  }

  it("spans point at the offending text (UTF-16 offsets)", () => {
    const span = (pattern: string): string => {
      const result = refused(pattern);
      return pattern.slice(result.span.start, result.span.end);
    };
    expect(span("ab\\p{L}")).toBe("\\p");
    expect(span("😀(x")).toBe("(x");
    expect(span("x**")).toBe("*");
    expect(span("(?<=a+)b")).toBe("(?<=a+)");
  });
});

// ---------------------------------------------------------------------------
// Untranslatable: valid in Python 3.11, but JavaScript cannot say the same thing.

describe("constructs JavaScript cannot express are refused, naming the construct", () => {
  const cases: [string, string, string, string][] = [
    ["(a)?(?(1)b|c)", "", "conditional", "(?(1)b|c)"],
    ["\\N{EM DASH}", "", "\\N{EM DASH}", "\\N{EM DASH}"],
    ["[\\N{EM DASH}x]", "", "\\N{EM DASH}", "[\\N{EM DASH}x]"],
    ["(a)\\1", "i", "case-insensitive backreference", "\\1"],
    // JS: a backreference to a group that did not take part matches ""; Python fails
    ["(a)?\\1", "", "may not take part", "\\1"],
    ["(a)|\\1", "", "may not take part", "\\1"],
    ["(?:(a)|b)+\\1", "", "may not take part", "\\1"],
    ["(?=(a))\\1", "", "may not take part", "\\1"],
    ["(a){0}\\1", "", "may not take part", "\\1"],
    ["(?:(a)x)*\\1", "", "may not take part", "\\1"],
    // Python 3.11 bug gh-126505 (later versions differ): an upper-case astral letter in a
    // case-insensitive set never matches
    ["[𐐀x]", "i", "gh-126505", "[𐐀x]"],
    ["𐐀|x", "i", "gh-126505", "𐐀|x"],
  ];
  for (const [pattern, flags, words, offending] of cases) {
    it(`${JSON.stringify(pattern)} ${flags}`, () => {
      const result = refused(pattern, flags);
      expect(result.kind).toBe("untranslatable");
      expect(result.message).toContain(words);
      expect(pattern.slice(result.span.start, result.span.end)).toBe(offending);
    });
  }

  it("reports invalid rather than untranslatable when Python refuses the pattern anyway", () => {
    expect(refused("(?>a)(").kind).toBe("invalid");
    expect(refused("a*+\\q").kind).toBe("invalid");
  });
});

// ---------------------------------------------------------------------------
// Super-linear backtracking warnings

describe("super-linear backtracking (ReDoS) warnings", () => {
  const warns: [string, string, string][] = [
    ["(a+)+", "nested quantifier", "(a+)+"],
    ["(a*)*", "nested quantifier", "(a*)*"],
    ["(a|a)*", "overlapping alternatives", "(a|a)*"],
    ["(a|aa)*c", "overlapping alternatives", "(a|aa)*"],
    ["(?:a|b|ab)*c", "overlapping alternatives", "(?:a|b|ab)*"],
    ["(\\w+\\s?)+$", "nested quantifier", "(\\w+\\s?)+"],
    ["^(\\w+\\s?)*$", "nested quantifier", "(\\w+\\s?)*"],
    ["((a+)+b)*c", "nested quantifier", "(a+)+"],
    ["([a-z0-9]+[._-]?)+@", "nested quantifier", "([a-z0-9]+[._-]?)+"],
    ["(?:[a-z0-9]{1,10}-?){1,10}\\.", "nested quantifier", "(?:[a-z0-9]{1,10}-?){1,10}"],
    ["(.*a){20}", "nested quantifier", "(.*a){20}"],
    ["(?=(a+)+b)", "nested quantifier", "(a+)+"],
    ["\\d+\\d+$", "polynomial", "\\d+\\d+"],
    ["^\\d+\\d+x", "polynomial", "\\d+\\d+"],
    ["^\\S+@\\S+$", "polynomial", "\\S+@\\S+"],
    ["(a)\\1", "backreference", "\\1"],
  ];
  for (const [pattern, words, construct] of warns) {
    it(`warns for ${pattern}`, () => {
      const result = translateOk(pattern);
      expect(result.superLinear?.construct).toContain(words);
      expect(result.superLinear?.construct).toContain(`\`${construct}\``);
      const span = result.superLinear?.span ?? { start: 0, end: 0 };
      expect(pattern.slice(span.start, span.end)).toBe(construct);
    });
  }

  const quiet = [
    "\\d{5}(-\\d{4})?",
    "^\\d{5}(-\\d{4})?$",
    ".*rasa.*",
    "(?i).*rasa.*",
    "(?i)(stolen|theft|fraud)",
    "^.{3,}$",
    "^-?\\d+(\\.\\d+)?$",
    "^\\w+@\\w+\\.\\w+$",
    "^[a-z]+( [a-z]+)*$",
    "^(\\d+,)*\\d+$",
    "^(\\w+\\s)*\\w+$",
    "(?:\\s*,\\s*\\w+)*$",
    "^my life,\\s-.How much.*brief\\.$",
    "east-web-\\d+",
    "error \\d{3}",
    "^(yes|y|true)$",
    "\\d+\\d+", // nothing after the second loop can fail: the first success ends the search
    // unambiguous: "ab" can only be read one way, so backtracking stays linear
    "(a|ab)*c",
  ];
  for (const pattern of quiet) {
    it(`does not warn for ${pattern}`, () => {
      expect(translateOk(pattern).superLinear).toBeUndefined();
    });
  }
});

// ---------------------------------------------------------------------------
// The Unicode assumptions the translation makes, checked on the running engine's tables.

describe("Unicode tables", () => {
  const { caseTable, pythonLower, pythonUpper, propertySet, scanPropertySet, scanCaseMappings, TABLED_CLASSES, UNICODE_WORD_CLASS } = regexInternals;

  it("the written tables of \\d and \\w are the engine's (else run scripts/build-unicode-tables.ts)", () => {
    expect(TABLED_CLASSES).toEqual(["\\p{Nd}", UNICODE_WORD_CLASS]);
    for (const body of TABLED_CLASSES) {
      expect(UNICODE_PROPERTY_RANGES.has(body)).toBe(true);
      expect(propertySet(body).ranges).toEqual(scanPropertySet(body).ranges);
    }
    const digit = propertySet("\\p{Nd}");
    expect([0x30, 0x39, 0x660, 0xff19, 0x1d7ce].every((cp) => digit.has(cp))).toBe(true);
    expect([0x2f, 0x3a, 0x41, 0xb2, 0x2460].some((cp) => digit.has(cp))).toBe(false);
  });

  it("the written case mappings are the engine's (else run scripts/build-unicode-tables.ts)", () => {
    const scanned = scanCaseMappings();
    expect([...caseTable().lower]).toEqual([...scanned.lower]);
    expect([...caseTable().upper]).toEqual([...scanned.upper]);
    // Python's simple mappings: the first code point of a full mapping (U+0130 lowers to "i̇").
    expect([pythonLower(0x41), pythonLower(0x130), pythonUpper(0xdf), pythonUpper(0x1e943)]).toEqual([0x61, 0x69, 0x53, 0x1e921]);
  });

  it("case mapping never changes whether a character is \\w, \\d or \\s (so categories ignore IGNORECASE)", () => {
    const word = propertySet(UNICODE_WORD_CLASS);
    const digit = propertySet("\\p{Nd}");
    const space = /^[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
    const differing: string[] = [];
    for (const [cp, lower] of caseTable().lower) {
      const same = word.has(cp) === word.has(lower) && digit.has(cp) === digit.has(lower) && space.test(String.fromCodePoint(cp)) === space.test(String.fromCodePoint(lower));
      if (!same) differing.push(cp.toString(16));
    }
    expect(differing).toEqual([]);
  });

  it("nothing lowers to an uncased character (so Python's literal and set paths agree)", () => {
    // _compile matches an uncased literal exactly, a set tests lower(ch): the same thing only if
    // no other character lowers to an uncased one.
    const offending = [...caseTable().lower].filter(([, l]) => pythonLower(l) === l && pythonUpper(l) === l);
    expect(offending).toEqual([]);
  });

  it("lower-casing stays inside or outside the BMP", () => {
    const crossing = [...caseTable().lower].filter(([cp, l]) => cp > 0xffff !== l > 0xffff);
    expect(crossing).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The corpus

interface CorpusLine {
  expr: string;
  doc: { slots: Record<string, unknown>; context: Record<string, unknown> };
  valid: boolean;
  result: boolean | null;
  error: string | null;
  tag: string;
  site?: "branch" | "rejection" | "guard";
}

describe("corpus (shared/conditions/corpus.jsonl)", () => {
  const corpusUrl = new URL("../../../shared/conditions/corpus.jsonl", import.meta.url);
  const lines: CorpusLine[] = readFileSync(corpusUrl, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusLine);
  const regexLines = lines.filter((line) => (line.expr.includes("matches") || line.tag === "regex") && (line.site === undefined || line.site === "guard"));

  /** The tree, also for lines the condition parser rejects only because of pypred's `l` flag. */
  function treeOf(expr: string): Expression | undefined {
    const parsed = parseCondition(expr, { templates: false });
    if (parsed.ok) return parsed.ast;
    if (!parsed.error.message.includes("locale")) return undefined;
    return parseTokens(expr, { startRule: "Condition", templates: false });
  }

  function matchesNodes(ast: Expression): MatchesNode[] {
    const found: MatchesNode[] = [];
    forEachNode(ast, (node) => {
      if (node.kind === "matches") found.push(node);
    });
    return found;
  }

  function patternText(node: MatchesNode): string {
    return node.pattern.map((part) => (typeof part === "string" ? part : "")).join("");
  }

  it("translates every pattern of a valid line and refuses every pattern Python cannot compile", () => {
    const counts = { lines: regexLines.length, notParsed: 0, withPatterns: 0, patterns: 0, translated: 0, invalid: 0 };
    const problems: string[] = [];
    for (const line of regexLines) {
      const ast = treeOf(line.expr);
      if (ast === undefined) {
        counts.notParsed += 1;
        if (line.valid) problems.push(`valid line does not parse: ${line.expr}`);
        continue;
      }
      const nodes = matchesNodes(ast);
      if (nodes.length === 0) continue;
      counts.withPatterns += 1;
      const results = nodes.map((node) => translatePythonRegex(patternText(node), node.flags));
      counts.patterns += results.length;
      if (line.valid) {
        for (const [i, result] of results.entries()) {
          if (result.ok) counts.translated += 1;
          else problems.push(`${JSON.stringify(patternText(nodes[i]!))}: ${result.kind}: ${result.message}`);
        }
        continue;
      }
      // a parsed line that pypred rejects: only Python's re can be the reason
      const reason = /^ast: regex does not compile \((.*)\)$/.exec(line.error ?? "");
      if (reason === null) {
        problems.push(`invalid for another reason: ${line.expr}: ${line.error}`);
        continue;
      }
      const invalid = results.find((result) => !result.ok && result.kind === "invalid");
      if (invalid === undefined || invalid.ok) problems.push(`should be invalid: ${line.expr}`);
      else {
        counts.invalid += 1;
        expect(invalid.message, line.expr).toBe(reason[1]);
      }
    }
    expect(problems).toEqual([]);
    // 506 lines in scope (3 more go through the template step); 115 fail earlier (lexer, grammar,
    // pypred's operand rules); 375 valid lines hold 390 patterns; 16 lines have a pattern CPython
    // refuses, each reported with CPython's own message.
    expect(counts).toEqual({ lines: 506, notParsed: 115, withPatterns: 391, patterns: 407, translated: 390, invalid: 16 });
  });

  it("matches like pypred on `slots.x matches …` (and `\"text\" matches …`), possibly under `not`", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const line of regexLines) {
      if (!line.valid || line.result === null) continue;
      const ast = treeOf(line.expr);
      if (ast === undefined) continue;
      let node = unwrapGroups(ast);
      let negated = false;
      while (node.kind === "not") {
        negated = !negated;
        node = unwrapGroups(node.operand);
      }
      if (node.kind !== "matches") continue;
      const left = unwrapGroups(node.left);
      let text: unknown;
      const slot = slotNameOf(left);
      if (slot !== undefined) text = line.doc.slots[slot];
      else if (left.kind === "string" && left.value.every((part) => typeof part === "string")) text = left.value.join("");
      if (typeof text !== "string") continue;
      const result = translateOk(patternText(node), node.flags);
      const found = new RegExp(result.source, result.flags).test(text);
      checked += 1;
      if ((negated ? !found : found) !== line.result) wrong.push(`${line.expr} on ${JSON.stringify(text)}: expected ${line.result}`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(137);
  });
});
