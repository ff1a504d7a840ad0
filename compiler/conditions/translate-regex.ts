/**
 * Translates the regular expression of a pypred `matches` (shared/spec/conditions.md §6.6) from
 * Python's `re` dialect into a JavaScript RegExp with the same meaning, once, at compile time.
 * CPython 3.11 is the reference (§9).
 *
 * The module mirrors CPython's own two stages (their parts are the modules of python-regex/):
 *
 * 1. `parse` is a port of `re._parser` (3.11): the same tokenizer (a backslash and the next
 *    character form one token), the same recursive descent, the same error messages and
 *    positions, and the same tree (LITERAL, IN, BRANCH, SUBPATTERN, REPEAT, ...), including the
 *    optimisations that change the tree (common prefixes of alternatives are factored out,
 *    alternatives of single characters become a set, `[x]` becomes a literal), because
 *    case-insensitive matching depends on the shape of that tree. The compile-time checks of
 *    `re._compiler` (fixed-width look-behind, flag compatibility) follow.
 * 2. `emit` produces the JavaScript source the way `re._compiler` produces its code, so that
 *    every construct gets Python's meaning rather than JavaScript's:
 *    - the only JS flag is `u` (code-point semantics). `i`, `m` and `s` are never used: their JS
 *      meanings differ from Python's (JS `m` and `.` also treat `\r`, U+2028, U+2029 as line
 *      breaks; JS `iu` uses simple case folding, Python compares lower-case forms plus a table of
 *      extra equivalences). Python's IGNORECASE is compiled into explicit character sets,
 *      computed with Python's algorithm (`_optimize_charset`, `unicode_iscased`,
 *      `unicode_tolower`, `_casefix._EXTRA_CASES`);
 *    - `\d` is `\p{Nd}`, `\w` is `[\p{L}\p{N}_]` (Python: `str.isalnum()` or `_`), `\s` is the
 *      exact list of `str.isspace()` characters, `\b`/`\B` are look-arounds over that `\w`
 *      (`\B` never matches an empty input in Python ≤ 3.13), `$` is "at the end or before a final
 *      `\n`", `.` is `[^\n]`.
 *
 *    - V8 also tries start positions inside a surrogate pair; a pattern that can match the empty
 *      string through assertions alone gets a guard so that it cannot match there.
 *
 * What JavaScript cannot express with the same meaning is refused with `kind: "untranslatable"`
 * and names the construct: atomic groups and possessive quantifiers inside a look-behind
 * (elsewhere they are emulated with a look-ahead and a backreference), conditional groups, `\N{name}` (no Unicode name table here), backreferences whose group may
 * not have taken part in the match (JS then matches the empty string, Python fails) or that are
 * case-insensitive (Python compares lower-case forms), two Python 3.11 bugs whose behaviour later
 * versions changed (gh-126505), and groups nested more than 100 deep.
 *
 * Finally a static check looks for super-linear backtracking (ReDoS): exponential ambiguity (a
 * state of the position automaton with two different loops over the same text: `(a+)+`,
 * `(a|a)*`, `(\w+\s?)+$`), polynomial ambiguity (two loops that can read the same text one after
 * the other and are followed by something that can fail: `\d+\d+$`, `(.*a){20}`), and
 * backreferences. It reports the construct and its span; it is a warning, the translation stands.
 *
 * Known residual differences (see the tests for the checks that pin them down):
 * - Unicode versions: Python 3.11 uses the Unicode 14.0 database; JavaScript uses the ICU of the
 *   running Node (Unicode 17 on Node 20.20). Compared code point by code point with CPython
 *   3.11.7, `\w`, `\d`, `\s` and IGNORECASE differ only on characters that Unicode 14 does not
 *   assign (for `\w`: 14,049 of them, e.g. U+088F; case pairs such as ɤ/Ɤ whose capital is new).
 * - Python's `\w` is `str.isalnum()` or `_`; `[\p{L}\p{N}_]` is the same set on the data above
 *   (characters with a numeric value outside L and N are Han ideographs, which are Lo).
 * - Python strings may contain unpaired surrogates as separate code points; a JS string with a
 *   high surrogate followed by a low surrogate is one code point.
 * - The search for super-linear patterns ignores the restart of an unanchored search at every
 *   position (which makes `a*b` quadratic on `aaaa…` in both engines).
 */
import { PYPRED_FLAGS } from "./python-regex/constants.ts";
import { Emitter } from "./python-regex/emit.ts";
import { PyError, TooDeep, utf16Offsets } from "./python-regex/errors.ts";
import { compileChecks, parse, type Parsed } from "./python-regex/parser.ts";
import { findSuperLinear, nullability } from "./python-regex/super-linear.ts";
import { caseTable, encodeCaseMappings, encodeRanges, propertySet, scanCaseMappings, scanPropertySet, TABLED_CLASSES, UNICODE_WORD_CLASS, uniLower, uniUpper } from "./python-regex/unicode.ts";

export type RegexTranslation =
  | { ok: true; source: string; flags: string; superLinear?: { construct: string; span: { start: number; end: number } } }
  | { ok: false; kind: "invalid"; message: string; span: { start: number; end: number } }
  | { ok: false; kind: "untranslatable"; message: string; span: { start: number; end: number } };

/**
 * Translates `pattern` (the text pypred passes to `re.compile`) compiled with pypred's flags
 * (`i` IGNORECASE, `m` MULTILINE, `s` DOTALL, `u` UNICODE, `l` LOCALE; lower-case). Spans are
 * UTF-16 offsets into `pattern`, end exclusive.
 */
export function translatePythonRegex(pattern: string, pyFlags: string): RegexTranslation {
  let flags = 0;
  for (const flag of pyFlags) {
    const value = PYPRED_FLAGS.get(flag);
    if (value === undefined) throw new Error(`translatePythonRegex: unknown pypred flag ${JSON.stringify(flag)}`);
    flags |= value;
  }
  const offsets = utf16Offsets(pattern);
  const toSpan = (start: number, end: number): { start: number; end: number } => {
    const s = offsets[Math.max(0, Math.min(start, offsets.length - 1))] ?? 0;
    const e = offsets[Math.max(0, Math.min(end, offsets.length - 1))] ?? s;
    return { start: s, end: Math.max(s, e) };
  };

  let parsed: Parsed;
  try {
    parsed = parse(pattern, flags);
    compileChecks(parsed);
  } catch (error) {
    if (error instanceof PyError) {
      return { ok: false, kind: "invalid", message: error.format(pattern), span: toSpan(error.start, error.end) };
    }
    if (error instanceof TooDeep) {
      return { ok: false, kind: "untranslatable", message: error.message, span: toSpan(error.start, error.start + 1) };
    }
    throw error;
  }

  const emitter = new Emitter(parsed);
  const root = emitter.emitSub(parsed.root, parsed.flags, []);
  const problem = emitter.problems.sort((a, b) => a.start - b.start)[0];
  if (problem !== undefined) {
    return { ok: false, kind: "untranslatable", message: problem.message, span: toSpan(problem.start, problem.end) };
  }
  // V8 also tries the positions inside a surrogate pair, where it reads no character in either
  // direction; only a match made of assertions alone can succeed there (`\B`, `(?m)^$`), and
  // Python, which works on code points, has no such position. The guard refuses them.
  const empty = nullability(root.an);
  const source = empty.any && !empty.clean ? `(?:^|(?<=[\\s\\S]))(?:${root.src})` : root.src;
  try {
    new RegExp(source, "u");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: "untranslatable", message: `JavaScript refuses the translated pattern (${message})`, span: toSpan(0, offsets.length - 1) };
  }

  const finding = findSuperLinear(root.an, emitter.lookBodies, emitter.backrefs);
  if (finding === undefined) return { ok: true, source, flags: "u" };
  const span = toSpan(finding.start, finding.end);
  return { ok: true, source, flags: "u", superLinear: { construct: `${finding.label} \`${pattern.slice(span.start, span.end)}\``, span } };
}

/** For the tests and scripts/build-unicode-tables.ts: the Unicode tables the translation relies on. */
export const regexInternals = {
  pythonLower: uniLower,
  pythonUpper: uniUpper,
  caseTable,
  scanCaseMappings,
  encodeCaseMappings,
  propertySet,
  scanPropertySet,
  encodeRanges,
  TABLED_CLASSES,
  UNICODE_WORD_CLASS,
};
