/**
 * The escapes of a Python regex, as `re._parser` reads them: inside a character class
 * (`_class_escape`) and outside one (`_escape`), with Python's error for each bad escape.
 */
import { DIGITS, HEXDIGITS, isAsciiLetter, MAX_CP, OCTDIGITS } from "./constants.ts";
import { PyError, pyLen } from "./errors.ts";
import { Source, State } from "./tokenizer.ts";
import type { AtCode, Category, CpSpan, Op } from "./tree.ts";

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

export type EscapeResult = { kind: "literal"; cp: number } | { kind: "category"; cat: Category } | { kind: "named"; name: string };

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
export function classEscape(source: Source, escape: string): EscapeResult {
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
export function mainEscape(source: Source, escape: string, state: State, start: number): Op {
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
