/**
 * Translates the regular expression of a pypred `matches` (shared/spec/conditions.md §6.6) from
 * Python's `re` dialect into a JavaScript RegExp with the same meaning, once, at compile time.
 * CPython 3.11 is the reference (§9).
 *
 * The module mirrors CPython's own two stages:
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
import { UNICODE_CASE_MAPPINGS, UNICODE_PROPERTY_RANGES } from "./unicode-property-ranges.ts";

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

// ---------------------------------------------------------------------------
// Constants of re._constants / re._parser (3.11)

const F_TEMPLATE = 1;
const F_IGNORECASE = 2;
const F_LOCALE = 4;
const F_MULTILINE = 8;
const F_DOTALL = 16;
const F_UNICODE = 32;
const F_VERBOSE = 64;
const F_ASCII = 256;

const PYPRED_FLAGS: ReadonlyMap<string, number> = new Map([
  ["i", F_IGNORECASE],
  ["m", F_MULTILINE],
  ["s", F_DOTALL],
  ["u", F_UNICODE],
  ["l", F_LOCALE],
]);

/** Inline flags `(?aiLmsux)`; `t` (TEMPLATE) is deprecated in 3.11 but still accepted. */
const INLINE_FLAGS: ReadonlyMap<string, number> = new Map([
  ["i", F_IGNORECASE],
  ["L", F_LOCALE],
  ["m", F_MULTILINE],
  ["s", F_DOTALL],
  ["x", F_VERBOSE],
  ["a", F_ASCII],
  ["t", F_TEMPLATE],
  ["u", F_UNICODE],
]);
const TYPE_FLAGS = F_ASCII | F_LOCALE | F_UNICODE;
const GLOBAL_FLAGS = F_TEMPLATE;

const MAXREPEAT = 4294967295;
const MAXGROUPS = 2147483647;
const MAX_CP = 0x10ffff;

const SPECIAL_CHARS = new Set([".", "\\", "[", "{", "(", ")", "*", "+", "?", "^", "$", "|"]);
const REPEAT_CHARS = new Set(["*", "+", "?", "{"]);
const DIGITS = new Set("0123456789");
const OCTDIGITS = new Set("01234567");
const HEXDIGITS = new Set("0123456789abcdefABCDEF");
const WHITESPACE = new Set([" ", "\t", "\n", "\r", "\v", "\f"]);

function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

// ---------------------------------------------------------------------------
// Errors

/** An error Python's `re` raises: the pattern is invalid. Positions are code-point indices. */
class PyError {
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

class TooDeep {
  constructor(
    readonly message: string,
    readonly start: number,
  ) {}
}

/** Nesting deeper than this is refused (CPython's parser would hit its recursion limit). */
const MAX_NESTING = 200;

function utf16Offsets(pattern: string): number[] {
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
function pyRepr(text: string): string {
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
function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function isIdentifier(name: string): boolean {
  return /^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(name);
}

// ---------------------------------------------------------------------------
// Parse tree (re._parser's SubPattern data)

type Category = "DIGIT" | "NOT_DIGIT" | "SPACE" | "NOT_SPACE" | "WORD" | "NOT_WORD";
type SetItem = { op: "NEGATE" } | { op: "LITERAL"; cp: number } | { op: "RANGE"; lo: number; hi: number } | { op: "CATEGORY"; cat: Category };
type AtCode = "BEGINNING" | "BEGINNING_STRING" | "END" | "END_STRING" | "BOUNDARY" | "NON_BOUNDARY";

interface CpSpan {
  readonly start: number;
  readonly end: number;
}

/** `\N{...}`: the code point is not known here (no Unicode name table in JS). */
const UNKNOWN_CP = -1;

type Op =
  | { op: "LITERAL"; cp: number; span: CpSpan }
  | { op: "NOT_LITERAL"; cp: number; span: CpSpan }
  | { op: "IN"; items: SetItem[]; span: CpSpan }
  | { op: "ANY"; span: CpSpan }
  | { op: "AT"; at: AtCode; span: CpSpan }
  | { op: "BRANCH"; branches: Sub[]; span: CpSpan }
  | { op: "SUBPATTERN"; group: number | null; name: string | null; add: number; del: number; p: Sub; span: CpSpan }
  | { op: "REPEAT"; kind: "MAX" | "MIN" | "POSSESSIVE"; min: number; max: number; item: Sub; span: CpSpan }
  | { op: "GROUPREF"; gid: number; span: CpSpan }
  | { op: "GROUPREF_EXISTS"; gid: number; yes: Sub; no: Sub | null; span: CpSpan }
  | { op: "ASSERT"; dir: 1 | -1; negate: boolean; p: Sub; span: CpSpan }
  | { op: "ATOMIC"; p: Sub; span: CpSpan }
  | { op: "NAMED"; name: string; span: CpSpan };

class Sub {
  width: [number, number] | null = null;
  constructor(readonly data: Op[] = []) {}
}

function setItemEquals(a: SetItem, b: SetItem): boolean {
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "NEGATE":
      return true;
    case "LITERAL":
      return a.cp === (b as typeof a).cp;
    case "RANGE":
      return a.lo === (b as typeof a).lo && a.hi === (b as typeof a).hi;
    case "CATEGORY":
      return a.cat === (b as typeof a).cat;
  }
}

/** Python's `(op, av) == (op, av)`: sub-patterns compare by identity. */
function opEquals(a: Op, b: Op): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "LITERAL":
    case "NOT_LITERAL":
      return a.cp === (b as typeof a).cp;
    case "ANY":
      return true;
    case "AT":
      return a.at === (b as typeof a).at;
    case "GROUPREF":
      return a.gid === (b as typeof a).gid;
    case "IN": {
      const other = (b as typeof a).items;
      return a.items.length === other.length && a.items.every((item, i) => setItemEquals(item, other[i]!));
    }
    case "NAMED":
      return a.name === (b as typeof a).name;
    default:
      return false;
  }
}

function uniq(items: SetItem[]): SetItem[] {
  const out: SetItem[] = [];
  for (const item of items) if (!out.some((seen) => setItemEquals(seen, item))) out.push(item);
  return out;
}

// ---------------------------------------------------------------------------
// Tokenizer (re._parser.Tokenizer over code points)

class Source {
  readonly cps: number[];
  private index = 0;
  next: string | null = null;
  private nextLen = 0;

  constructor(pattern: string) {
    this.cps = Array.from(pattern, (char) => char.codePointAt(0) ?? 0);
    this.advance();
  }

  private advance(): void {
    const i = this.index;
    const c = this.cps[i];
    if (c === undefined) {
      this.next = null;
      this.nextLen = 0;
      return;
    }
    if (c === 0x5c) {
      const d = this.cps[i + 1];
      if (d === undefined) {
        const pos = this.cps.length - 1;
        throw new PyError("bad escape (end of pattern)", pos, pos, pos + 1);
      }
      this.next = "\\" + String.fromCodePoint(d);
      this.nextLen = 2;
      this.index = i + 2;
    } else {
      this.next = String.fromCodePoint(c);
      this.nextLen = 1;
      this.index = i + 1;
    }
  }

  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const token = this.next;
    this.advance();
    return token;
  }

  getwhile(n: number, charset: ReadonlySet<string>): string {
    let result = "";
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || !charset.has(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }

  getuntil(terminator: string, name: string): string {
    let result = "";
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (result === "") throw this.error(`missing ${name}`);
        throw this.error(`missing ${terminator}, unterminated name`, pyLen(result));
      }
      if (c === terminator) {
        if (result === "") throw this.error(`missing ${name}`, 1);
        break;
      }
      result += c;
    }
    return result;
  }

  tell(): number {
    return this.index - this.nextLen;
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }

  error(msg: string, offset = 0): PyError {
    const here = this.tell();
    const pos = here - offset;
    const end = Math.min(this.cps.length, Math.max(here, pos + 1));
    return new PyError(msg, pos, pos, Math.max(end, pos));
  }

  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) throw this.error(`bad character in group name ${pyRepr(name)}`, pyLen(name) + offset);
  }
}

class State {
  flags: number;
  readonly groupdict = new Map<string, number>();
  readonly groupwidths: ([number, number] | null)[] = [null];
  readonly groupnames: (string | null)[] = [null];
  lookbehindgroups: number | null = null;
  readonly grouprefpos = new Map<number, number>();

  constructor(flags: number) {
    this.flags = flags;
  }

  get groups(): number {
    return this.groupwidths.length;
  }

  opengroup(name: string | null, source: Source): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    this.groupnames.push(name);
    if (this.groups > MAXGROUPS) throw source.error("too many groups");
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw source.error(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${ogid}`, pyLen(name) + 1);
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }

  closegroup(gid: number, p: Sub): void {
    this.groupwidths[gid] = getwidth(p, this);
  }

  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] != null;
  }

  checklookbehindgroup(gid: number, source: Source): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error("cannot refer to an open group");
      if (gid >= this.lookbehindgroups) throw source.error("cannot refer to group defined in the same lookbehind subpattern");
    }
  }
}

/** SubPattern.getwidth(): (min, max) length in code points, capped like CPython. */
function getwidth(sub: Sub, state: State): [number, number] {
  if (sub.width !== null) return sub.width;
  let lo = 0;
  let hi = 0;
  for (const op of sub.data) {
    switch (op.op) {
      case "BRANCH": {
        let i = MAXREPEAT - 1;
        let j = 0;
        for (const branch of op.branches) {
          const [l, h] = getwidth(branch, state);
          i = Math.min(i, l);
          j = Math.max(j, h);
        }
        lo += i;
        hi += j;
        break;
      }
      case "ATOMIC":
      case "SUBPATTERN": {
        const [i, j] = getwidth(op.p, state);
        lo += i;
        hi += j;
        break;
      }
      case "REPEAT": {
        const [i, j] = getwidth(op.item, state);
        lo += i * op.min;
        hi += j * op.max;
        break;
      }
      case "ANY":
      case "IN":
      case "LITERAL":
      case "NOT_LITERAL":
      case "NAMED":
        lo += 1;
        hi += 1;
        break;
      case "GROUPREF": {
        const [i, j] = state.groupwidths[op.gid] ?? [0, 0];
        lo += i;
        hi += j;
        break;
      }
      case "GROUPREF_EXISTS": {
        let [i, j] = getwidth(op.yes, state);
        if (op.no !== null) {
          const [l, h] = getwidth(op.no, state);
          i = Math.min(i, l);
          j = Math.max(j, h);
        } else {
          i = 0;
        }
        lo += i;
        hi += j;
        break;
      }
      case "AT":
      case "ASSERT":
        break;
    }
  }
  sub.width = [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
  return sub.width;
}

// ---------------------------------------------------------------------------
// Escapes

const CATEGORY_ESCAPES: ReadonlyMap<string, Category> = new Map([
  ["\\d", "DIGIT"],
  ["\\D", "NOT_DIGIT"],
  ["\\s", "SPACE"],
  ["\\S", "NOT_SPACE"],
  ["\\w", "WORD"],
  ["\\W", "NOT_WORD"],
]);
const AT_ESCAPES: ReadonlyMap<string, AtCode> = new Map([
  ["\\A", "BEGINNING_STRING"],
  ["\\b", "BOUNDARY"],
  ["\\B", "NON_BOUNDARY"],
  ["\\Z", "END_STRING"],
]);
const CHAR_ESCAPES: ReadonlyMap<string, number> = new Map([
  ["\\a", 0x07],
  ["\\b", 0x08],
  ["\\f", 0x0c],
  ["\\n", 0x0a],
  ["\\r", 0x0d],
  ["\\t", 0x09],
  ["\\v", 0x0b],
  ["\\\\", 0x5c],
]);

type EscapeResult = { kind: "literal"; cp: number } | { kind: "category"; cat: Category } | { kind: "named"; name: string };

/** The escapes shared by classes and the main pattern: \x \u \U \N. Undefined when not one of them. */
function numericEscape(source: Source, escape: string): EscapeResult | undefined {
  const c = escape[1];
  if (c === "x") {
    const full = escape + source.getwhile(2, HEXDIGITS);
    if (full.length !== 4) throw source.error(`incomplete escape ${full}`, full.length);
    return { kind: "literal", cp: parseInt(full.slice(2), 16) };
  }
  if (c === "u") {
    const full = escape + source.getwhile(4, HEXDIGITS);
    if (full.length !== 6) throw source.error(`incomplete escape ${full}`, full.length);
    return { kind: "literal", cp: parseInt(full.slice(2), 16) };
  }
  if (c === "U") {
    const full = escape + source.getwhile(8, HEXDIGITS);
    if (full.length !== 10) throw source.error(`incomplete escape ${full}`, full.length);
    const cp = parseInt(full.slice(2), 16);
    // chr() raises ValueError, which _escape turns into "bad escape".
    if (cp > MAX_CP) throw source.error(`bad escape ${full}`, full.length);
    return { kind: "literal", cp };
  }
  if (c === "N") {
    if (!source.match("{")) throw source.error("missing {");
    const name = source.getuntil("}", "character name");
    return { kind: "named", name };
  }
  return undefined;
}

function badEscape(source: Source, escape: string): PyError {
  return source.error(`bad escape ${escape}`, pyLen(escape));
}

/** re._parser._class_escape */
function classEscape(source: Source, escape: string): EscapeResult {
  const simple = CHAR_ESCAPES.get(escape);
  if (simple !== undefined) return { kind: "literal", cp: simple };
  const category = CATEGORY_ESCAPES.get(escape);
  if (category !== undefined) return { kind: "category", cat: category };
  const numeric = numericEscape(source, escape);
  if (numeric !== undefined) return numeric;
  const c = escape.slice(1);
  if (OCTDIGITS.has(c)) {
    const full = escape + source.getwhile(2, OCTDIGITS);
    const cp = parseInt(full.slice(1), 8);
    if (cp > 0o377) throw source.error(`octal escape value ${full} outside of range 0-0o377`, full.length);
    return { kind: "literal", cp };
  }
  if (DIGITS.has(c)) throw badEscape(source, escape);
  const cp = c.codePointAt(0) ?? 0;
  if (isAsciiLetter(cp)) throw badEscape(source, escape);
  return { kind: "literal", cp };
}

/** re._parser._escape: an escape outside a class. */
function mainEscape(source: Source, escape: string, state: State, start: number): Op {
  const span = (): CpSpan => ({ start, end: source.tell() });
  const at = AT_ESCAPES.get(escape);
  if (at !== undefined) return { op: "AT", at, span: span() };
  const category = CATEGORY_ESCAPES.get(escape);
  if (category !== undefined) return { op: "IN", items: [{ op: "CATEGORY", cat: category }], span: span() };
  const simple = CHAR_ESCAPES.get(escape);
  if (simple !== undefined) return { op: "LITERAL", cp: simple, span: span() };
  const numeric = numericEscape(source, escape);
  if (numeric !== undefined) {
    if (numeric.kind === "named") return { op: "NAMED", name: numeric.name, span: span() };
    if (numeric.kind === "literal") return { op: "LITERAL", cp: numeric.cp, span: span() };
  }
  const c = escape.slice(1);
  if (c === "0") {
    const full = escape + source.getwhile(2, OCTDIGITS);
    return { op: "LITERAL", cp: parseInt(full.slice(1), 8), span: span() };
  }
  if (DIGITS.has(c)) {
    // octal escape *or* decimal group reference
    let full = escape;
    if (source.next !== null && DIGITS.has(source.next)) {
      full += source.get();
      if (OCTDIGITS.has(full[1]!) && OCTDIGITS.has(full[2]!) && source.next !== null && OCTDIGITS.has(source.next)) {
        full += source.get();
        const cp = parseInt(full.slice(1), 8);
        if (cp > 0o377) throw source.error(`octal escape value ${full} outside of range 0-0o377`, full.length);
        return { op: "LITERAL", cp, span: span() };
      }
    }
    const group = parseInt(full.slice(1), 10);
    if (group < state.groups) {
      if (!state.checkgroup(group)) throw source.error("cannot refer to an open group", full.length);
      state.checklookbehindgroup(group, source);
      return { op: "GROUPREF", gid: group, span: span() };
    }
    throw source.error(`invalid group reference ${group}`, full.length - 1);
  }
  const cp = c.codePointAt(0) ?? 0;
  if (isAsciiLetter(cp)) throw badEscape(source, escape);
  return { op: "LITERAL", cp, span: span() };
}

// ---------------------------------------------------------------------------
// Parser (re._parser._parse_sub / _parse / _parse_flags / parse)

interface Parsed {
  readonly pattern: string;
  readonly root: Sub;
  /** The global flags after fix_flags (UNICODE added unless ASCII). */
  readonly flags: number;
  readonly state: State;
}

function parse(pattern: string, flags: number): Parsed {
  const source = new Source(pattern);
  const state = new State(flags);
  const root = parseSub(source, state, (flags & F_VERBOSE) !== 0, 0);
  state.flags = fixFlags(state.flags, source.cps.length);
  if (source.next !== null) throw source.error("unbalanced parenthesis");
  for (const [g, pos] of state.grouprefpos) {
    if (g >= state.groups) throw new PyError(`invalid group reference ${g}`, pos, pos, pos + 1);
  }
  return { pattern, root, flags: state.flags, state };
}

function fixFlags(flags: number, length: number): number {
  if (flags & F_LOCALE) throw new PyError("cannot use LOCALE flag with a str pattern", null, 0, length);
  if (!(flags & F_ASCII)) return flags | F_UNICODE;
  if (flags & F_UNICODE) throw new PyError("ASCII and UNICODE flags are incompatible", null, 0, length);
  return flags;
}

function parseSub(source: Source, state: State, verbose: boolean, nested: number): Sub {
  if (nested > MAX_NESTING) throw new TooDeep(`the pattern nests groups more than ${MAX_NESTING} levels deep`, source.tell());
  const items: Sub[] = [];
  const start = source.tell();
  for (;;) {
    items.push(parseSeq(source, state, verbose, nested + 1, nested === 0 && items.length === 0));
    if (!source.match("|")) break;
    if (nested === 0) verbose = (state.flags & F_VERBOSE) !== 0;
  }
  if (items.length === 1) return items[0]!;
  const span: CpSpan = { start, end: source.tell() };
  const sub = new Sub();

  // check if all items share a common "prefix"; move it out of the branch
  for (;;) {
    let prefix: Op | null = null;
    let shared = true;
    for (const item of items) {
      const head = item.data[0];
      if (head === undefined) {
        shared = false;
        break;
      }
      if (prefix === null) prefix = head;
      else if (!opEquals(head, prefix)) {
        shared = false;
        break;
      }
    }
    if (!shared || prefix === null) break;
    for (const item of items) item.data.shift();
    sub.data.push(prefix);
  }

  // check if the branch can be replaced by a character set
  const set: SetItem[] = [];
  let allSet = true;
  for (const item of items) {
    const op = item.data[0];
    if (item.data.length !== 1 || op === undefined) {
      allSet = false;
      break;
    }
    if (op.op === "LITERAL" && op.cp !== UNKNOWN_CP) set.push({ op: "LITERAL", cp: op.cp });
    else if (op.op === "IN" && op.items[0]?.op !== "NEGATE") set.push(...op.items);
    else {
      allSet = false;
      break;
    }
  }
  if (allSet) {
    sub.data.push({ op: "IN", items: uniq(set), span });
    return sub;
  }
  sub.data.push({ op: "BRANCH", branches: items, span });
  return sub;
}

function parseSeq(source: Source, state: State, verbose: boolean, nested: number, first: boolean): Sub {
  const sub = new Sub();
  const data = sub.data;
  for (;;) {
    const tokenStart = source.tell();
    const token = source.next;
    if (token === null) break;
    if (token === "|" || token === ")") break;
    source.get();

    if (verbose) {
      if (WHITESPACE.has(token)) continue;
      if (token === "#") {
        for (;;) {
          const t = source.get();
          if (t === null || t === "\n") break;
        }
        continue;
      }
    }

    if (token[0] === "\\") {
      data.push(mainEscape(source, token, state, tokenStart));
    } else if (!SPECIAL_CHARS.has(token)) {
      data.push({ op: "LITERAL", cp: token.codePointAt(0) ?? 0, span: { start: tokenStart, end: source.tell() } });
    } else if (token === "[") {
      data.push(parseClass(source, tokenStart));
    } else if (REPEAT_CHARS.has(token)) {
      const here = source.tell();
      let min: number;
      let max: number;
      if (token === "?") [min, max] = [0, 1];
      else if (token === "*") [min, max] = [0, MAXREPEAT];
      else if (token === "+") [min, max] = [1, MAXREPEAT];
      else {
        if (source.next === "}") {
          data.push({ op: "LITERAL", cp: 0x7b, span: { start: tokenStart, end: here } });
          continue;
        }
        [min, max] = [0, MAXREPEAT];
        let lo = "";
        let hi = "";
        while (source.next !== null && DIGITS.has(source.next)) lo += source.get();
        if (source.match(",")) {
          while (source.next !== null && DIGITS.has(source.next)) hi += source.get();
        } else {
          hi = lo;
        }
        if (!source.match("}")) {
          data.push({ op: "LITERAL", cp: 0x7b, span: { start: tokenStart, end: here } });
          source.seek(here);
          continue;
        }
        if (lo !== "") {
          if (BigInt(lo) >= BigInt(MAXREPEAT)) throw new PyError("the repetition number is too large", null, tokenStart, source.tell());
          min = Number(lo);
        }
        if (hi !== "") {
          if (BigInt(hi) >= BigInt(MAXREPEAT)) throw new PyError("the repetition number is too large", null, tokenStart, source.tell());
          max = Number(hi);
          if (max < min) throw source.error("min repeat greater than max repeat", source.tell() - here);
        }
      }
      const last = data[data.length - 1];
      if (last === undefined || last.op === "AT") throw source.error("nothing to repeat", source.tell() - here + 1);
      if (last.op === "REPEAT") throw source.error("multiple repeat", source.tell() - here + 1);
      const item = last.op === "SUBPATTERN" && last.group === null && last.add === 0 && last.del === 0 ? last.p : new Sub([last]);
      const kind = source.match("?") ? "MIN" : source.match("+") ? "POSSESSIVE" : "MAX";
      data[data.length - 1] = { op: "REPEAT", kind, min, max, item, span: { start: last.span.start, end: source.tell() } };
    } else if (token === ".") {
      data.push({ op: "ANY", span: { start: tokenStart, end: source.tell() } });
    } else if (token === "(") {
      const result = parseGroup(source, state, verbose, nested, first, sub, tokenStart);
      if (result === "global-flags") verbose = (state.flags & F_VERBOSE) !== 0;
    } else if (token === "^") {
      data.push({ op: "AT", at: "BEGINNING", span: { start: tokenStart, end: source.tell() } });
    } else if (token === "$") {
      data.push({ op: "AT", at: "END", span: { start: tokenStart, end: source.tell() } });
    }
  }

  // unpack non-capturing groups
  for (let i = data.length - 1; i >= 0; i--) {
    const op = data[i]!;
    if (op.op === "SUBPATTERN" && op.group === null && op.add === 0 && op.del === 0) data.splice(i, 1, ...op.p.data);
  }
  return sub;
}

function parseClass(source: Source, here: number): Op {
  const set: SetItem[] = [];
  const negate = source.match("^");
  const toItem = (result: EscapeResult): SetItem =>
    result.kind === "category" ? { op: "CATEGORY", cat: result.cat } : { op: "LITERAL", cp: result.kind === "literal" ? result.cp : UNKNOWN_CP };
  let named: string | null = null;
  const noteNamed = (result: EscapeResult): void => {
    if (result.kind === "named" && named === null) named = result.name;
  };
  for (;;) {
    const token = source.get();
    if (token === null) throw source.error("unterminated character set", source.tell() - here);
    if (token === "]" && set.length > 0) break;
    let code1: SetItem;
    if (token[0] === "\\") {
      const result = classEscape(source, token);
      noteNamed(result);
      code1 = toItem(result);
    } else {
      code1 = { op: "LITERAL", cp: token.codePointAt(0) ?? 0 };
    }
    if (source.match("-")) {
      const that = source.get();
      if (that === null) throw source.error("unterminated character set", source.tell() - here);
      if (that === "]") {
        set.push(code1, { op: "LITERAL", cp: 0x2d });
        break;
      }
      let code2: SetItem;
      if (that[0] === "\\") {
        const result = classEscape(source, that);
        noteNamed(result);
        code2 = toItem(result);
      } else {
        code2 = { op: "LITERAL", cp: that.codePointAt(0) ?? 0 };
      }
      const message = `bad character range ${token}-${that}`;
      if (code1.op !== "LITERAL" || code2.op !== "LITERAL") throw source.error(message, pyLen(token) + 1 + pyLen(that));
      if (code1.cp === UNKNOWN_CP || code2.cp === UNKNOWN_CP) {
        set.push({ op: "LITERAL", cp: UNKNOWN_CP });
        continue;
      }
      if (code2.cp < code1.cp) throw source.error(message, pyLen(token) + 1 + pyLen(that));
      set.push({ op: "RANGE", lo: code1.cp, hi: code2.cp });
    } else {
      set.push(code1);
    }
  }
  const span: CpSpan = { start: here, end: source.tell() };
  if (named !== null) return { op: "NAMED", name: named, span };
  const items = uniq(set);
  const only = items[0];
  if (items.length === 1 && only !== undefined && only.op === "LITERAL") {
    return negate ? { op: "NOT_LITERAL", cp: only.cp, span } : { op: "LITERAL", cp: only.cp, span };
  }
  return { op: "IN", items: negate ? [{ op: "NEGATE" }, ...items] : items, span };
}

/** `(` has been read. Appends to `sub`; "global-flags" when the group was `(?flags)`. */
function parseGroup(source: Source, state: State, verbose: boolean, nested: number, first: boolean, sub: Sub, start: number): "global-flags" | undefined {
  const data = sub.data;
  const span = (): CpSpan => ({ start, end: source.tell() });
  let capture = true;
  let atomic = false;
  let name: string | null = null;
  let add = 0;
  let del = 0;
  if (source.match("?")) {
    const char = source.get();
    if (char === null) throw source.error("unexpected end of pattern");
    if (char === "P") {
      if (source.match("<")) {
        name = source.getuntil(">", "group name");
        source.checkgroupname(name, 1);
      } else if (source.match("=")) {
        const ref = source.getuntil(")", "group name");
        source.checkgroupname(ref, 1);
        const gid = state.groupdict.get(ref);
        if (gid === undefined) throw source.error(`unknown group name ${pyRepr(ref)}`, pyLen(ref) + 1);
        if (!state.checkgroup(gid)) throw source.error("cannot refer to an open group", pyLen(ref) + 1);
        state.checklookbehindgroup(gid, source);
        data.push({ op: "GROUPREF", gid, span: span() });
        return undefined;
      } else {
        const next = source.get();
        if (next === null) throw source.error("unexpected end of pattern");
        throw source.error(`unknown extension ?P${next}`, pyLen(next) + 2);
      }
    } else if (char === ":") {
      capture = false;
    } else if (char === "#") {
      for (;;) {
        if (source.next === null) throw source.error("missing ), unterminated comment", source.tell() - start);
        if (source.get() === ")") break;
      }
      return undefined;
    } else if (char === "=" || char === "!" || char === "<") {
      let dir: 1 | -1 = 1;
      let kind = char;
      let outerLookbehind: number | null = null;
      if (kind === "<") {
        const next = source.get();
        if (next === null) throw source.error("unexpected end of pattern");
        if (next !== "=" && next !== "!") throw source.error(`unknown extension ?<${next}`, pyLen(next) + 2);
        kind = next;
        dir = -1;
        outerLookbehind = state.lookbehindgroups;
        if (outerLookbehind === null) state.lookbehindgroups = state.groups;
      }
      const p = parseSub(source, state, verbose, nested + 1);
      if (dir < 0 && outerLookbehind === null) state.lookbehindgroups = null;
      if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
      data.push({ op: "ASSERT", dir, negate: kind === "!", p, span: span() });
      return undefined;
    } else if (char === "(") {
      parseConditional(source, state, verbose, nested, data, start);
      return undefined;
    } else if (char === ">") {
      capture = false;
      atomic = true;
    } else if (INLINE_FLAGS.has(char) || char === "-") {
      const flags = parseFlags(source, state, char);
      if (flags === null) {
        if (!first || data.length > 0) throw source.error("global flags not at the start of the expression", source.tell() - start);
        return "global-flags";
      }
      [add, del] = flags;
      capture = false;
    } else {
      throw source.error(`unknown extension ?${char}`, pyLen(char) + 1);
    }
  }

  const group = capture ? state.opengroup(name, source) : null;
  const subVerbose = (verbose || (add & F_VERBOSE) !== 0) && (del & F_VERBOSE) === 0;
  const p = parseSub(source, state, subVerbose, nested + 1);
  if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
  if (group !== null) state.closegroup(group, p);
  if (atomic) data.push({ op: "ATOMIC", p, span: span() });
  else data.push({ op: "SUBPATTERN", group, name, add, del, p, span: span() });
  return undefined;
}

function parseConditional(source: Source, state: State, verbose: boolean, nested: number, data: Op[], start: number): void {
  const condname = source.getuntil(")", "group name");
  let condgroup: number;
  if (isIdentifier(condname)) {
    const gid = state.groupdict.get(condname);
    if (gid === undefined) throw source.error(`unknown group name ${pyRepr(condname)}`, pyLen(condname) + 1);
    condgroup = gid;
  } else {
    const value = pyInt(condname);
    if (value === null || value < 0) throw source.error(`bad character in group name ${pyRepr(condname)}`, pyLen(condname) + 1);
    if (value === 0) throw source.error("bad group number", pyLen(condname) + 1);
    if (value >= MAXGROUPS) throw source.error(`invalid group reference ${value}`, pyLen(condname) + 1);
    if (!state.grouprefpos.has(value)) state.grouprefpos.set(value, source.tell() - pyLen(condname) - 1);
    condgroup = value;
  }
  state.checklookbehindgroup(condgroup, source);
  const yes = parseSeq(source, state, verbose, nested + 1, false);
  let no: Sub | null = null;
  if (source.match("|")) {
    no = parseSeq(source, state, verbose, nested + 1, false);
    if (source.next === "|") throw source.error("conditional backref with more than two branches");
  }
  if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
  data.push({ op: "GROUPREF_EXISTS", gid: condgroup, yes, no, span: { start, end: source.tell() } });
}

/** Python's int(text) for a group number: whitespace, a sign, Unicode digits, single underscores. */
function pyInt(text: string): number | null {
  const trimmed = text.replace(/^[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu, "");
  const match = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(trimmed);
  if (match === null) return null;
  let value = 0;
  for (const char of (match[2] ?? "").replaceAll("_", "")) {
    let cp = char.codePointAt(0) ?? 0;
    let zero = cp;
    while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
    cp = (cp - zero) % 10;
    value = value * 10 + cp;
  }
  return match[1] === "-" ? -value : value;
}

function parseFlags(source: Source, state: State, first: string): [number, number] | null {
  let char: string | null = first;
  let add = 0;
  let del = 0;
  if (char !== "-") {
    for (;;) {
      const flag: number = INLINE_FLAGS.get(char) ?? 0;
      if (char === "L") throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      char = source.get();
      if (char === null) throw source.error("missing -, : or )");
      if (char === ")" || char === "-" || char === ":") break;
      if (!INLINE_FLAGS.has(char)) {
        throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing -, : or )", pyLen(char));
      }
    }
  }
  if (char === ")") {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw source.error("bad inline flags: cannot turn on global flag", 1);
  if (char === "-") {
    char = source.get();
    if (char === null) throw source.error("missing flag");
    if (!INLINE_FLAGS.has(char)) throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing flag", pyLen(char));
    for (;;) {
      const flag: number = INLINE_FLAGS.get(char) ?? 0;
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      char = source.get();
      if (char === null) throw source.error("missing :");
      if (char === ":") break;
      if (!INLINE_FLAGS.has(char)) throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing :", pyLen(char));
    }
  }
  if (del & GLOBAL_FLAGS) throw source.error("bad inline flags: cannot turn off global flag", 1);
  if (add & del) throw source.error("bad inline flags: flag turned on and off", 1);
  return [add, del];
}

/**
 * The checks re._compiler makes while generating code: look-behind must be fixed-width, and the
 * (deprecated, otherwise meaningless) TEMPLATE flag refuses every repeat.
 */
function compileChecks(parsed: Parsed): void {
  const walk = (sub: Sub): void => {
    for (const op of sub.data) {
      if (op.op === "REPEAT" && parsed.flags & F_TEMPLATE) {
        const name = op.kind === "MAX" ? "MAX_REPEAT" : op.kind === "MIN" ? "MIN_REPEAT" : "POSSESSIVE_REPEAT";
        throw new PyError(`internal: unsupported template operator ${name}`, null, op.span.start, op.span.end);
      }
      switch (op.op) {
        case "BRANCH":
          op.branches.forEach(walk);
          break;
        case "SUBPATTERN":
        case "ATOMIC":
          walk(op.p);
          break;
        case "REPEAT":
          walk(op.item);
          break;
        case "GROUPREF_EXISTS":
          walk(op.yes);
          if (op.no !== null) walk(op.no);
          break;
        case "ASSERT":
          if (op.dir < 0) {
            const [lo, hi] = getwidth(op.p, parsed.state);
            if (lo !== hi) throw new PyError("look-behind requires fixed-width pattern", null, op.span.start, op.span.end);
          }
          walk(op.p);
          break;
        default:
          break;
      }
    }
  };
  walk(parsed.root);
}

// ---------------------------------------------------------------------------
// Sets of code points

type Range = readonly [number, number];

class RangeSet {
  static readonly EMPTY = new RangeSet([]);
  static readonly ALL = new RangeSet([[0, MAX_CP]]);

  private constructor(readonly ranges: readonly Range[]) {}

  static of(lo: number, hi = lo): RangeSet {
    return new RangeSet([[lo, hi]]);
  }

  static from(list: Iterable<Range>): RangeSet {
    const sorted = [...list].sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return new RangeSet(out);
  }

  static fromCodePoints(cps: Iterable<number>): RangeSet {
    const list: Range[] = [];
    for (const cp of cps) list.push([cp, cp]);
    return RangeSet.from(list);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = this.ranges[mid]!;
      if (cp < range[0]) hi = mid - 1;
      else if (cp > range[1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: RangeSet): RangeSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return RangeSet.from([...this.ranges, ...other.ranges]);
  }

  complement(): RangeSet {
    const out: Range[] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CP) out.push([next, MAX_CP]);
    return new RangeSet(out);
  }

  intersect(other: RangeSet): RangeSet {
    const out: Range[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const a = this.ranges[i]!;
      const b = other.ranges[j]!;
      const lo = Math.max(a[0], b[0]);
      const hi = Math.min(a[1], b[1]);
      if (lo <= hi) out.push([lo, hi]);
      if (a[1] < b[1]) i++;
      else j++;
    }
    return new RangeSet(out);
  }

  subtract(other: RangeSet): RangeSet {
    return this.intersect(other.complement());
  }

  get key(): string {
    return this.ranges.map(([lo, hi]) => `${lo}-${hi}`).join(",");
  }

  /** The single code point of the set, if it has exactly one. */
  get single(): number | undefined {
    const only = this.ranges[0];
    return this.ranges.length === 1 && only !== undefined && only[0] === only[1] ? only[0] : undefined;
  }
}

// ---------------------------------------------------------------------------
// Unicode data, as CPython 3.11's _sre sees it, derived from the JS engine's tables

/** Python str.isspace(): what `\s` matches in a str pattern. */
const UNICODE_SPACE = RangeSet.from([
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
const ASCII_SPACE = RangeSet.from([
  [0x09, 0x0d],
  [0x20, 0x20],
]);
const ASCII_DIGIT = RangeSet.of(0x30, 0x39);
const ASCII_WORD = RangeSet.from([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const UPPER_ASCII = RangeSet.of(0x41, 0x5a);

/** Python's \w in a str pattern: str.isalnum() (L*, and characters with a numeric value) or `_`. */
const UNICODE_WORD_CLASS = "\\p{L}\\p{N}_";
const UNICODE_DIGIT_CLASS = "\\p{Nd}";

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
function propertySet(classBody: string): RangeSet {
  const cached = propertyCache.get(classBody);
  if (cached !== undefined) return cached;
  const table = UNICODE_PROPERTY_RANGES.get(classBody);
  const set = table !== undefined ? decodeRanges(table) : scanPropertySet(classBody);
  propertyCache.set(classBody, set);
  return set;
}

/** The class bodies scripts/build-unicode-tables.ts writes tables for. */
const TABLED_CLASSES: readonly string[] = [UNICODE_DIGIT_CLASS, UNICODE_WORD_CLASS];

/** Ranges as written by `encodeRanges`. */
function decodeRanges(table: string): RangeSet {
  const ranges: Range[] = table.split(" ").map((range) => {
    const [lo, hi = lo] = range.split("-");
    return [parseInt(lo!, 16), parseInt(hi!, 16)];
  });
  return RangeSet.from(ranges);
}

/** Ranges as hexadecimal `lo-hi` (or `cp` alone), separated by spaces. */
function encodeRanges(set: RangeSet): string {
  return set.ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join(" ");
}

/** The code points a one-character JS class matches, by testing every code point. */
function scanPropertySet(classBody: string): RangeSet {
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
const EXTRA_CASES: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
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
function caseTable(): CaseTable {
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
function scanCaseMappings(): CaseMappings {
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
function encodeCaseMappings(map: ReadonlyMap<number, number>): string {
  return [...map].map(([from, to]) => `${hex(from)}:${hex(to)}`).join(" ");
}

function uniLower(cp: number): number {
  return caseTable().lower.get(cp) ?? cp;
}

function uniUpper(cp: number): number {
  return caseTable().upper.get(cp) ?? cp;
}

function asciiLower(cp: number): number {
  return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
}

// ---------------------------------------------------------------------------
// Character matchers: what one position of the pattern matches, and how to write it in JS

interface CharMatcher {
  /** Explicit code points. */
  readonly ranges: RangeSet;
  /** JS class bodies for Unicode properties (`\p{Nd}`, `\P{Nd}`, `\p{L}\p{N}_`). */
  readonly props: readonly string[];
  /** Python `\W` (Unicode): the complement of `[\p{L}\p{N}_]`, which no class body can list. */
  readonly notWord: boolean;
  readonly negate: boolean;
}

function categoryMatcher(cat: Category, ascii: boolean): { ranges: RangeSet; props: string[]; notWord: boolean } {
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

function matcherSet(matcher: CharMatcher): RangeSet {
  let set = matcher.ranges;
  for (const prop of matcher.props) {
    if (prop.startsWith("\\P{")) set = set.union(propertySet(`\\p{${prop.slice(3)}`).complement());
    else set = set.union(propertySet(prop));
  }
  if (matcher.notWord) set = set.union(propertySet(UNICODE_WORD_CLASS).complement());
  return matcher.negate ? set.complement() : set;
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase();
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

function emitMatcher(matcher: CharMatcher): string {
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

// ---------------------------------------------------------------------------
// Case-insensitive sets (re._compiler: _compile for LITERAL/NOT_LITERAL, _optimize_charset)

interface Untranslatable {
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
function ignoreCaseLiteral(cp: number, ascii: boolean): RangeSet {
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
function classMatcherParts(items: readonly SetItem[], flags: number, span: CpSpan, problems: Untranslatable[]): { ranges: RangeSet; props: string[]; notWord: boolean } {
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

// ---------------------------------------------------------------------------
// Emission

/** The analysis view of the pattern (for the super-linear check). */
type ANode =
  | { k: "pos"; matcher: CharMatcher }
  | { k: "eps"; clean: boolean }
  | { k: "seq"; items: ANode[] }
  | { k: "alt"; items: ANode[] }
  | { k: "rep"; min: number; max: number; body: ANode; op: Op & { op: "REPEAT" } };

interface Emitted {
  readonly src: string;
  /** A JS quantifier may follow directly. */
  readonly atom: boolean;
  readonly an: ANode;
}

type PathEntry = Op | { alternative: Sub };

function combineFlags(flags: number, add: number, del: number): number {
  if (add & TYPE_FLAGS) flags &= ~TYPE_FLAGS;
  return (flags | add) & ~del;
}

class Emitter {
  readonly problems: Untranslatable[] = [];
  readonly lookBodies: ANode[] = [];
  readonly backrefs: CpSpan[] = [];
  private readonly groupPaths = new Map<number, PathEntry[]>();
  private readonly jsNames = new Map<number, string>();
  /** JS capture group numbers: Python's groups, shifted by the groups that emulate atomic ones. */
  private readonly jsNumbers = new Map<number, number>();
  private jsGroups = 0;

  constructor(parsed: Parsed) {
    parsed.state.groupnames.forEach((name, gid) => {
      if (name !== null && jsGroupNameOk(name)) this.jsNames.set(gid, name);
    });
  }

  private refuse(message: string, span: CpSpan): void {
    this.problems.push({ message, start: span.start, end: span.end });
  }

  emitSub(sub: Sub, flags: number, path: PathEntry[]): Emitted {
    if (sub.data.length === 1) return this.emitOp(sub.data[0]!, flags, path);
    const parts = sub.data.map((op) => this.emitOp(op, flags, path));
    return { src: parts.map((part) => part.src).join(""), atom: false, an: { k: "seq", items: parts.map((part) => part.an) } };
  }

  private charOp(matcher: CharMatcher): Emitted {
    return { src: emitMatcher(matcher), atom: true, an: { k: "pos", matcher } };
  }

  private emitOp(op: Op, flags: number, path: PathEntry[]): Emitted {
    const ignoreCase = (flags & F_IGNORECASE) !== 0;
    const ascii = (flags & F_ASCII) !== 0;
    switch (op.op) {
      case "LITERAL":
      case "NOT_LITERAL": {
        const ranges = ignoreCase ? ignoreCaseLiteral(op.cp, ascii) : RangeSet.of(op.cp);
        return this.charOp({ ranges, props: [], notWord: false, negate: op.op === "NOT_LITERAL" });
      }
      case "NAMED":
        this.refuse(`the named character escape \\N{${op.name}} is not supported (flowc has no Unicode name table); write the character itself or \\uXXXX`, op.span);
        return { src: "(?:)", atom: true, an: { k: "eps", clean: true } };
      case "IN": {
        const negate = op.items[0]?.op === "NEGATE";
        const parts = classMatcherParts(op.items, flags, op.span, this.problems);
        return this.charOp({ ...parts, negate });
      }
      case "ANY":
        // DOTALL: any character; otherwise anything but "\n" (JS `.` also excludes "\r", U+2028, U+2029)
        return this.charOp({ ranges: flags & F_DOTALL ? RangeSet.EMPTY : RangeSet.of(0x0a), props: [], notWord: false, negate: true });
      case "AT":
        return { src: emitAt(op.at, flags), atom: false, an: { k: "eps", clean: false } };
      case "BRANCH": {
        const branches = op.branches.map((branch) => this.emitSub(branch, flags, [...path, op, { alternative: branch }]));
        return { src: `(?:${branches.map((b) => b.src).join("|")})`, atom: true, an: { k: "alt", items: branches.map((b) => b.an) } };
      }
      case "SUBPATTERN": {
        const inner = combineFlags(flags, op.add, op.del);
        const innerPath = [...path, op];
        if (op.group !== null) this.groupPaths.set(op.group, innerPath);
        // Numbered before the body's groups, in the order of their opening parentheses.
        if (op.group !== null) this.jsNumbers.set(op.group, ++this.jsGroups);
        const body = this.emitSub(op.p, inner, innerPath);
        if (op.group === null) return { src: `(?:${body.src})`, atom: true, an: body.an };
        const jsName = this.jsNames.get(op.group);
        const open = jsName === undefined ? "(" : `(?<${jsName}>`;
        return { src: `${open}${body.src})`, atom: true, an: body.an };
      }
      case "REPEAT": {
        // Possessive = an atomic group around the greedy repeat (Python 3.11).
        const atomic = op.kind === "POSSESSIVE" ? this.openAtomic(path) : undefined;
        const body = this.emitSub(op.item, flags, [...path, op]);
        const bodySrc = body.atom ? body.src : `(?:${body.src})`;
        const quantifier = quantifierText(op.min, op.max) + (op.kind === "MIN" ? "?" : "");
        const an: ANode = { k: "rep", min: op.min, max: op.max, body: body.an, op };
        if (atomic !== undefined) return { src: atomic(bodySrc + quantifier), atom: true, an };
        return { src: bodySrc + quantifier, atom: false, an };
      }
      case "GROUPREF":
        return this.emitBackref(op, flags, path);
      case "GROUPREF_EXISTS":
        this.refuse("conditional groups `(?(group)yes|no)` have no JavaScript equivalent", op.span);
        return { src: "(?:)", atom: true, an: { k: "eps", clean: false } };
      case "ASSERT": {
        const body = this.emitSub(op.p, flags, [...path, op]);
        this.lookBodies.push(body.an);
        const open = op.dir > 0 ? (op.negate ? "(?!" : "(?=") : op.negate ? "(?<!" : "(?<=";
        return { src: `${open}${body.src})`, atom: false, an: { k: "eps", clean: false } };
      }
      case "ATOMIC": {
        const atomic = this.openAtomic(path);
        const body = this.emitSub(op.p, flags, [...path, op]);
        return { src: atomic(body.src), atom: true, an: body.an };
      }
    }
  }

  /**
   * Atomic groups and possessive quantifiers (Python 3.11) as JavaScript's usual emulation
   * `(?=(X))\N`: a look-ahead is never re-entered once it has matched, and the backreference
   * consumes exactly what it matched. The capture group is numbered here, before the body's
   * groups. Inside a look-behind JavaScript matches right to left, so the backreference would
   * come before its group; but there Python allows only fixed-width patterns, whose atomic parts
   * end where they would end anyway, so a plain group means the same.
   */
  private openAtomic(path: readonly PathEntry[]): (body: string) => string {
    if (path.some((entry) => "op" in entry && entry.op === "ASSERT" && entry.dir < 0)) return (body) => `(?:${body})`;
    const number = ++this.jsGroups;
    return (body) => `(?:(?=(${body}))\\${number})`;
  }

  private emitBackref(op: Op & { op: "GROUPREF" }, flags: number, path: PathEntry[]): Emitted {
    this.backrefs.push(op.span);
    const an: ANode = { k: "eps", clean: false };
    if (flags & F_IGNORECASE) {
      this.refuse("a case-insensitive backreference: Python compares lower-case forms, JavaScript has no equivalent without its own `i` flag", op.span);
      return { src: "(?:)", atom: true, an };
    }
    const groupPath = this.groupPaths.get(op.gid) ?? [];
    let common = 0;
    while (common < groupPath.length && common < path.length && groupPath[common] === path[common]) common++;
    for (const entry of groupPath.slice(common)) {
      if (!mandatoryOnTheWay(entry)) {
        this.refuse(
          `the backreference refers to group ${op.gid}, which may not take part in the match where the reference is used: Python then fails, JavaScript matches the empty string`,
          op.span,
        );
        return { src: "(?:)", atom: true, an };
      }
    }
    const jsName = this.jsNames.get(op.gid);
    return { src: jsName === undefined ? `(?:\\${this.jsNumbers.get(op.gid) ?? op.gid})` : `\\k<${jsName}>`, atom: true, an };
  }
}

/** Whether a group below this entry always takes part once the entry is passed. */
function mandatoryOnTheWay(entry: PathEntry): boolean {
  if ("alternative" in entry) return false;
  // An atomic group keeps the captures of the one way its body matched.
  if (entry.op === "SUBPATTERN" || entry.op === "ATOMIC") return true;
  // JS resets captures at each iteration; with an exact count every iteration sets the group.
  if (entry.op === "REPEAT") return entry.min === entry.max && entry.min >= 1 && entry.kind !== "POSSESSIVE";
  return false;
}

function jsGroupNameOk(name: string): boolean {
  try {
    new RegExp(`(?<${name}>)`, "u");
    return true;
  } catch {
    return false;
  }
}

function quantifierText(min: number, max: number): string {
  const unbounded = max === MAXREPEAT;
  if (min === 0 && unbounded) return "*";
  if (min === 1 && unbounded) return "+";
  if (min === 0 && max === 1) return "?";
  if (unbounded) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

function emitAt(at: AtCode, flags: number): string {
  const multiline = (flags & F_MULTILINE) !== 0;
  const ascii = (flags & F_ASCII) !== 0;
  switch (at) {
    case "BEGINNING_STRING":
      return "^";
    case "END_STRING":
      return "$";
    case "BEGINNING":
      // MULTILINE: at the start or after "\n" (only "\n": JS `m` would also accept "\r", U+2028, U+2029)
      return multiline ? "(?<![^\\n])" : "^";
    case "END":
      // MULTILINE: before "\n" or at the end; otherwise at the end or before a final "\n"
      return multiline ? "(?![^\\n])" : "(?=\\n?$)";
    case "BOUNDARY":
      return ascii ? "\\b" : `(?:(?<=[${UNICODE_WORD_CLASS}])(?![${UNICODE_WORD_CLASS}])|(?<![${UNICODE_WORD_CLASS}])(?=[${UNICODE_WORD_CLASS}]))`;
    case "NON_BOUNDARY":
      // CPython ≤ 3.13: \B never matches an empty input.
      return ascii ? "(?!^$)\\B" : `(?!^$)(?:(?<=[${UNICODE_WORD_CLASS}])(?=[${UNICODE_WORD_CLASS}])|(?<![${UNICODE_WORD_CLASS}])(?![${UNICODE_WORD_CLASS}]))`;
  }
}

// ---------------------------------------------------------------------------
// Super-linear backtracking (ReDoS)

interface Finding {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Counted repeats up to this bound are unrolled; larger ones are analysed as loops (`x{≤2}x*`):
 * an ambiguous body repeated `{1,10}` times is as bad in practice as one under `*`.
 */
const UNROLL_LIMIT = 3;
const MAX_POSITIONS = 300;
const MAX_TRIPLES = 200_000;
const MAX_PRODUCT_EDGES = 2_000_000;

class TooLarge {}

interface Frag {
  first: Map<number, number>;
  last: Map<number, number>;
  /** Positions after which the fragment can end without passing an assertion. */
  lastClean: Set<number>;
  /** Number of ways (capped at 2) to match the empty string. */
  nullAny: number;
  /** Can match the empty string without any assertion. */
  nullClean: boolean;
}

function cap(n: number): number {
  return Math.min(2, n);
}

function addInto(target: Map<number, number>, source: Map<number, number>, times: number): void {
  if (times === 0) return;
  for (const [id, mult] of source) target.set(id, cap((target.get(id) ?? 0) + mult * times));
}

/** The position automaton (Glushkov) of a pattern, with edge multiplicities. */
class Positions {
  readonly sets: RangeSet[] = [];
  /** For each position, the enclosing repeats that can loop (max ≥ 2), outermost first. */
  readonly loops: (Op & { op: "REPEAT" })[][] = [];
  /** follow[0] is the initial state; position ids start at 1. */
  readonly follow: Map<number, number>[] = [new Map()];
  /** Where each transition comes from ("x,y" → multiplicity and the repeat looping back, if any). */
  readonly origins = new Map<string, { mult: number; loop: (Op & { op: "REPEAT" }) | null }[]>();

  build(node: ANode, loops: (Op & { op: "REPEAT" })[]): Frag {
    switch (node.k) {
      case "pos": {
        if (this.sets.length >= MAX_POSITIONS) throw new TooLarge();
        this.sets.push(matcherSet(node.matcher));
        this.loops.push(loops);
        this.follow.push(new Map());
        const id = this.sets.length;
        return { first: new Map([[id, 1]]), last: new Map([[id, 1]]), lastClean: new Set([id]), nullAny: 0, nullClean: false };
      }
      case "eps":
        return { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: node.clean };
      case "seq": {
        let result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
        for (const item of node.items) result = this.concat(result, this.build(item, loops));
        return result;
      }
      case "alt": {
        const result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 0, nullClean: false };
        for (const item of node.items) {
          const frag = this.build(item, loops);
          addInto(result.first, frag.first, 1);
          addInto(result.last, frag.last, 1);
          for (const id of frag.lastClean) result.lastClean.add(id);
          result.nullAny = cap(result.nullAny + frag.nullAny);
          result.nullClean ||= frag.nullClean;
        }
        return result;
      }
      case "rep":
        return this.repeat(node, loops);
    }
  }

  private repeat(node: ANode & { k: "rep" }, loops: (Op & { op: "REPEAT" })[]): Frag {
    const { min, max, body } = node;
    if (max === 0) return { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
    const inner = max >= 2 ? [...loops, node.op] : loops;
    const unbounded = max === MAXREPEAT || max > UNROLL_LIMIT;
    const copies = unbounded ? Math.min(min, 2) : min;
    let result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
    for (let i = 0; i < copies; i++) result = this.concat(result, this.build(body, inner));
    if (unbounded) return this.concat(result, this.star(body, inner, node.op));
    // x{0,k} = (x(x(…)?)?)?
    let optional: Frag | null = null;
    for (let i = 0; i < max - min; i++) {
      const frag = this.build(body, inner);
      const seq: Frag = optional === null ? frag : this.concat(frag, optional);
      optional = { ...seq, nullAny: cap(1 + seq.nullAny), nullClean: true };
    }
    return optional === null ? result : this.concat(result, optional);
  }

  private star(body: ANode, loops: (Op & { op: "REPEAT" })[], op: Op & { op: "REPEAT" }): Frag {
    const frag = this.build(body, loops);
    this.link(frag.last, frag.first, op);
    return { first: frag.first, last: frag.last, lastClean: new Set(frag.lastClean), nullAny: 1, nullClean: true };
  }

  private link(from: Map<number, number>, to: Map<number, number>, loop: (Op & { op: "REPEAT" }) | null = null): void {
    for (const [x, mx] of from) {
      const follow = this.follow[x]!;
      for (const [y, my] of to) {
        follow.set(y, cap((follow.get(y) ?? 0) + mx * my));
        const key = `${x},${y}`;
        const list = this.origins.get(key);
        const origin = { mult: cap(mx * my), loop };
        if (list === undefined) this.origins.set(key, [origin]);
        else list.push(origin);
      }
    }
  }

  private concat(a: Frag, b: Frag): Frag {
    this.link(a.last, b.first);
    const first = new Map(a.first);
    addInto(first, b.first, a.nullAny);
    const last = new Map(b.last);
    addInto(last, a.last, b.nullAny);
    const lastClean = new Set(b.lastClean);
    if (b.nullClean) for (const id of a.lastClean) lastClean.add(id);
    return { first, last, lastClean, nullAny: cap(a.nullAny * b.nullAny), nullClean: a.nullClean && b.nullClean };
  }
}

function findSuperLinear(root: ANode, lookBodies: readonly ANode[], backrefs: readonly CpSpan[]): Finding | undefined {
  for (const node of [root, ...lookBodies]) {
    if (!hasLoop(node)) continue;
    const finding = analyse(node);
    if (finding !== undefined) return finding;
  }
  const backref = backrefs[0];
  if (backref !== undefined) return { label: "backreference", start: backref.start, end: backref.end };
  return undefined;
}

/** Whether the node can match the empty string: at all, and without passing an assertion. */
function nullability(node: ANode): { any: boolean; clean: boolean } {
  switch (node.k) {
    case "pos":
      return { any: false, clean: false };
    case "eps":
      return { any: true, clean: node.clean };
    case "seq": {
      const parts = node.items.map(nullability);
      return { any: parts.every((part) => part.any), clean: parts.every((part) => part.clean) };
    }
    case "alt": {
      const parts = node.items.map(nullability);
      return { any: parts.some((part) => part.any), clean: parts.some((part) => part.clean) };
    }
    case "rep":
      return node.min === 0 ? { any: true, clean: true } : nullability(node.body);
  }
}

function hasLoop(node: ANode): boolean {
  switch (node.k) {
    case "pos":
    case "eps":
      return false;
    case "seq":
    case "alt":
      return node.items.some(hasLoop);
    case "rep":
      return node.max >= 2 || hasLoop(node.body);
  }
}

function analyse(root: ANode): Finding | undefined {
  const automaton = new Positions();
  let frag: Frag;
  try {
    frag = automaton.build(root, []);
  } catch (error) {
    if (error instanceof TooLarge) return undefined;
    throw error;
  }
  for (const [id, mult] of frag.first) automaton.follow[0]!.set(id, mult);
  const n = automaton.sets.length + 1;
  const succ: [number, number][][] = automaton.follow.map((follow) => [...follow]);

  // Intersections between the distinct character sets.
  const setIds: number[] = [0];
  const distinct: RangeSet[] = [];
  const byKey = new Map<string, number>();
  for (const set of automaton.sets) {
    const key = set.key;
    let id = byKey.get(key);
    if (id === undefined) {
      id = distinct.length;
      byKey.set(key, id);
      distinct.push(set);
    }
    setIds.push(id);
  }
  const pairCache = new Map<number, RangeSet>();
  const pairSet = (a: number, b: number): RangeSet => {
    const key = a * distinct.length + b;
    let set = pairCache.get(key);
    if (set === undefined) {
      set = distinct[a]!.intersect(distinct[b]!);
      pairCache.set(key, set);
    }
    return set;
  };
  const overlap = (x: number, y: number): boolean => !pairSet(setIds[x]!, setIds[y]!).isEmpty;
  const tripleCache = new Map<number, boolean>();
  const overlap3 = (x: number, y: number, z: number): boolean => {
    const [a, b, c] = [setIds[x]!, setIds[y]!, setIds[z]!];
    const key = (a * distinct.length + b) * distinct.length + c;
    let result = tripleCache.get(key);
    if (result === undefined) {
      result = !pairSet(a, b).intersect(distinct[c]!).isEmpty;
      tripleCache.set(key, result);
    }
    return result;
  };

  const eda = exponentialAmbiguity(n, succ, overlap, [0]);
  if (eda !== undefined) {
    const loop = culpritLoop(automaton, eda, overlap);
    if (loop !== undefined) return { label: repeatLabel(loop), start: loop.span.start, end: loop.span.end };
  }

  const pruned = frag.lastClean;
  const ida = polynomialAmbiguity(n, succ, pruned, overlap3, overlap);
  if (ida !== undefined) {
    const [p, q] = ida;
    const loopsP = automaton.loops[p - 1] ?? [];
    const loopsQ = automaton.loops[q - 1] ?? [];
    const lp = loopsP[loopsP.length - 1];
    const lq = loopsQ[loopsQ.length - 1];
    if (lp !== undefined && lq !== undefined) {
      if (lp === lq) {
        // Two copies of one loop: the counted repeat around it made them.
        const common = innermostCommonLoop([loopsP.slice(0, -1), loopsQ.slice(0, -1)]);
        const loop = common ?? lp;
        return { label: "quantified parts that can match the same text one after the other (polynomial backtracking)", start: loop.span.start, end: loop.span.end };
      }
      return {
        label: "quantified parts that can match the same text one after the other (polynomial backtracking)",
        start: Math.min(lp.span.start, lq.span.start),
        end: Math.max(lp.span.end, lq.span.end),
      };
    }
  }
  return undefined;
}

/**
 * The innermost repeat that is exponentially ambiguous on its own: its positions, with only the
 * transitions made inside it (`(a+)+` is named, not its inner `a+`).
 */
function culpritLoop(automaton: Positions, ids: readonly number[], overlap: (x: number, y: number) => boolean): (Op & { op: "REPEAT" }) | undefined {
  const chainOf = (id: number): readonly (Op & { op: "REPEAT" })[] => automaton.loops[id - 1] ?? [];
  const candidates: { loop: Op & { op: "REPEAT" }; depth: number }[] = [];
  for (const id of ids) {
    chainOf(id).forEach((loop, depth) => {
      if (!candidates.some((c) => c.loop === loop)) candidates.push({ loop, depth });
    });
  }
  candidates.sort((a, b) => b.depth - a.depth);
  const n = automaton.sets.length + 1;
  for (const { loop } of candidates) {
    const inside = (id: number): boolean => chainOf(id).includes(loop);
    const succ: [number, number][][] = [];
    for (let x = 0; x < n; x++) {
      const edges: [number, number][] = [];
      if (x > 0 && inside(x)) {
        const chain = chainOf(x);
        const depth = chain.indexOf(loop);
        for (const y of automaton.follow[x]!.keys()) {
          if (!inside(y)) continue;
          let mult = 0;
          for (const origin of automaton.origins.get(`${x},${y}`) ?? []) {
            if (origin.loop === null || chain.indexOf(origin.loop) >= depth) mult = cap(mult + origin.mult);
          }
          if (mult > 0) edges.push([y, mult]);
        }
      }
      succ.push(edges);
    }
    const starts: number[] = [];
    for (let x = 1; x < n; x++) if (inside(x)) starts.push(x * n + x);
    if (exponentialAmbiguity(n, succ, overlap, starts) !== undefined) return loop;
  }
  return candidates[candidates.length - 1]?.loop;
}

function repeatLabel(loop: Op & { op: "REPEAT" }): string {
  const nested = (sub: Sub): boolean =>
    sub.data.some((op) => {
      switch (op.op) {
        case "REPEAT":
          return op.max >= 2 || nested(op.item);
        case "SUBPATTERN":
        case "ATOMIC":
          return nested(op.p);
        case "BRANCH":
          return op.branches.some(nested);
        default:
          return false;
      }
    });
  if (nested(loop.item)) return "nested quantifier (exponential backtracking)";
  if (loop.item.data.some((op) => op.op === "BRANCH" || (op.op === "SUBPATTERN" && op.p.data.some((inner) => inner.op === "BRANCH")))) {
    return "overlapping alternatives under a quantifier (exponential backtracking)";
  }
  return "ambiguous repetition (exponential backtracking)";
}

function innermostCommonLoop(chains: readonly (readonly (Op & { op: "REPEAT" })[])[]): (Op & { op: "REPEAT" }) | undefined {
  const firstChain = chains[0];
  if (firstChain === undefined) return undefined;
  let common = firstChain.length;
  for (const chain of chains) {
    let i = 0;
    while (i < common && i < chain.length && chain[i] === firstChain[i]) i++;
    common = i;
  }
  return common === 0 ? undefined : firstChain[common - 1];
}

/**
 * Exponential degree of ambiguity: a state with two different paths back to itself reading the
 * same text. In the product automaton: a strongly connected component holding a pair (q, q)
 * and a pair (p, p') with p ≠ p', or a doubled transition. Returns the positions involved.
 */
function exponentialAmbiguity(
  n: number,
  succ: readonly (readonly [number, number])[][],
  overlap: (x: number, y: number) => boolean,
  starts: readonly number[],
): number[] | undefined {
  // A transition made in two ways on a cycle (`(a*)*`) is enough, and cheap to find.
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>([from]);
    const todo = [from];
    for (let head = 0; head < todo.length; head++) {
      for (const [y] of succ[todo[head]!]!) {
        if (y === to) return true;
        if (!seen.has(y)) {
          seen.add(y);
          todo.push(y);
        }
      }
    }
    return false;
  };
  const startPositions = new Set(starts.map((node) => Math.floor(node / n)));
  for (let x = 1; x < n; x++) {
    if (!startPositions.has(x) && !starts.includes(0)) continue;
    for (const [y, mult] of succ[x]!) if (mult >= 2 && overlap(y, y) && (y === x || reaches(y, x))) return [x, y];
  }
  if (n > 160) return undefined;
  let budget = MAX_PRODUCT_EDGES;
  const index = new Int32Array(n * n).fill(-1);
  const low = new Int32Array(n * n);
  const onStack = new Uint8Array(n * n);
  const stack: number[] = [];
  let counter = 0;
  const edges = (node: number): number[] => {
    const a = Math.floor(node / n);
    const b = node % n;
    const out: number[] = [];
    budget -= succ[a]!.length * succ[b]!.length;
    for (const [y1] of succ[a]!) for (const [y2] of succ[b]!) if (overlap(y1, y2)) out.push(y1 * n + y2);
    return out;
  };
  const doubled = (a: number, y: number): boolean => succ[a]!.some(([target, mult]) => target === y && mult >= 2);

  let found: number[] | undefined;
  const work: { node: number; edges: number[]; i: number }[] = [];
  const visit = (node: number): void => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    work.push({ node, edges: edges(node), i: 0 });
  };
  for (const start of starts) {
    if (found !== undefined) break;
    if (index[start] !== -1) continue;
    visit(start);
    while (work.length > 0 && found === undefined) {
      if (budget < 0) return undefined;
      const frame = work[work.length - 1]!;
      if (frame.i < frame.edges.length) {
        const next = frame.edges[frame.i++]!;
        if (index[next] === -1) visit(next);
        else if (onStack[next]) low[frame.node] = Math.min(low[frame.node]!, index[next]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] !== index[frame.node]) continue;
      const component: number[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack[member] = 0;
        component.push(member);
        if (member === frame.node) break;
      }
      const members = new Set(component);
      const diagonal = component.filter((node) => Math.floor(node / n) === node % n);
      if (diagonal.length === 0) continue;
      const offDiagonal = component.some((node) => Math.floor(node / n) !== node % n);
      let doubledInside = false;
      for (const node of diagonal) {
        const a = Math.floor(node / n);
        for (const [y] of succ[a]!) if (members.has(y * n + y) && doubled(a, y)) doubledInside = true;
      }
      if (offDiagonal || doubledInside) {
        const ids = new Set<number>();
        for (const node of component) {
          ids.add(Math.floor(node / n));
          ids.add(node % n);
        }
        ids.delete(0);
        found = [...ids];
      }
    }
  }
  return found;
}

/**
 * Polynomial degree of ambiguity: positions p ≠ q such that some text leads p→p, p→q and q→q
 * (the triple product reaches (p, q, q) from (p, p, q)). Positions after which the pattern can
 * end without any assertion are left out: a backtracking matcher that reaches them has matched.
 */
function polynomialAmbiguity(
  n: number,
  succ: readonly (readonly [number, number])[][],
  pruned: ReadonlySet<number>,
  overlap3: (x: number, y: number, z: number) => boolean,
  overlap: (x: number, y: number) => boolean,
): [number, number] | undefined {
  if (n > 160) return undefined;
  const budget = { left: MAX_TRIPLES };
  const live = (x: number): boolean => x !== 0 && !pruned.has(x);
  // reach[x] = positions reachable from x in one or more steps (through live positions)
  const reach: Set<number>[] = [];
  for (let x = 0; x < n; x++) {
    const seen = new Set<number>();
    const todo = [x];
    while (todo.length > 0) {
      const cur = todo.pop()!;
      for (const [y] of succ[cur]!) {
        if (!live(y) || seen.has(y)) continue;
        seen.add(y);
        todo.push(y);
      }
    }
    reach.push(seen);
  }
  for (let p = 1; p < n; p++) {
    if (!live(p) || !reach[p]!.has(p)) continue;
    for (const q of reach[p]!) {
      if (q === p || !reach[q]!.has(q)) continue;
      // quick necessary condition: (p,p) reaches (p,q) and (p,q) reaches (q,q) in the pair product
      if (!pairReaches(n, succ, live, overlap, budget, [p, p], [p, q]) || !pairReaches(n, succ, live, overlap, budget, [p, q], [q, q])) continue;
      const seen = new Set<number>();
      const todo: number[] = [(p * n + p) * n + q];
      for (let head = 0; head < todo.length; head++) {
        if (--budget.left < 0) return undefined;
        const cur = todo[head]!;
        const c = cur % n;
        const b = Math.floor(cur / n) % n;
        const a = Math.floor(cur / (n * n));
        for (const [y1] of succ[a]!) {
          if (!live(y1)) continue;
          for (const [y2] of succ[b]!) {
            if (!live(y2) || !overlap(y1, y2)) continue;
            for (const [y3] of succ[c]!) {
              if (!live(y3) || !overlap3(y1, y2, y3)) continue;
              if (y1 === p && y2 === q && y3 === q) return [p, q];
              const key = (y1 * n + y2) * n + y3;
              if (seen.has(key)) continue;
              seen.add(key);
              todo.push(key);
            }
          }
        }
      }
    }
  }
  return undefined;
}

function pairReaches(
  n: number,
  succ: readonly (readonly [number, number])[][],
  live: (x: number) => boolean,
  overlap: (x: number, y: number) => boolean,
  budget: { left: number },
  [a0, b0]: readonly [number, number],
  [a1, b1]: readonly [number, number],
): boolean {
  const seen = new Set<number>();
  const todo = [a0 * n + b0];
  for (let head = 0; head < todo.length; head++) {
    if (--budget.left < 0) return false;
    const cur = todo[head]!;
    const a = Math.floor(cur / n);
    const b = cur % n;
    for (const [y1] of succ[a]!) {
      if (!live(y1)) continue;
      for (const [y2] of succ[b]!) {
        if (!live(y2) || !overlap(y1, y2)) continue;
        if (y1 === a1 && y2 === b1) return true;
        const key = y1 * n + y2;
        if (seen.has(key)) continue;
        seen.add(key);
        todo.push(key);
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// For the tests: the Unicode tables the translation relies on.

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
