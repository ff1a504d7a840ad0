/**
 * Python's `str` methods that response templates may call (`name.split()`, `s.title()`, ...),
 * on texts alone: the template helpers (runtime/templates/methods.ts) check the arguments' types first.
 * Positions are counted in code points, as Python counts them, not in UTF-16 code units.
 */
import { titleCase } from "./conditions/template.ts";
import { isPythonSpace } from "./python-strip.ts";

/** Python's `slice.indices()` for a step of 1 as the `start`/`end` arguments of `find`, `count`, `startswith`... read them. */
export function boundsOf(length: number, start: number | null, end: number | null): [number, number] {
  let from = start ?? 0;
  let to = end ?? length;
  if (to > length) to = length;
  else if (to < 0) to = Math.max(0, to + length);
  if (from < 0) from = Math.max(0, from + length);
  return [from, to];
}

/** The code points of `text`. */
function points(text: string): string[] {
  return [...text];
}

/** `str.split(sep, maxsplit)`: at runs of white space (none at either end) without `sep`, else at each `sep`. */
export function pySplit(text: string, sep: string | null, maxsplit: number): string[] {
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  const out: string[] = [];
  if (sep === null) {
    const n = text.length;
    let i = 0;
    let splits = 0;
    for (;;) {
      while (i < n && isPythonSpace(text.charCodeAt(i))) i++;
      if (i === n) break;
      if (splits === limit) {
        out.push(text.slice(i));
        break;
      }
      const start = i;
      while (i < n && !isPythonSpace(text.charCodeAt(i))) i++;
      out.push(text.slice(start, i));
      splits++;
    }
    return out;
  }
  let at = 0;
  for (let splits = 0; splits < limit; splits++) {
    const next = text.indexOf(sep, at);
    if (next < 0) break;
    out.push(text.slice(at, next));
    at = next + sep.length;
  }
  out.push(text.slice(at));
  return out;
}

// Built on first use: a Unicode property's pattern costs every start-up its construction.
let casedPattern: RegExp | undefined;
let caseIgnorablePattern: RegExp | undefined;

function isCased(char: string): boolean {
  return (casedPattern ??= new RegExp("\\p{Cased}", "u")).test(char);
}

function isCaseIgnorable(char: string): boolean {
  return (caseIgnorablePattern ??= new RegExp("\\p{Case_Ignorable}", "u")).test(char);
}

/** Whether the capital sigma at `i` ends a word (Unicode's Final_Sigma: a cased letter before it, none after, case-ignorable ones skipped). */
function isFinalSigma(chars: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isCaseIgnorable(chars[j]!)) j--;
  if (j < 0 || !isCased(chars[j]!)) return false;
  let k = i + 1;
  while (k < chars.length && isCaseIgnorable(chars[k]!)) k++;
  return k === chars.length || !isCased(chars[k]!);
}

/** `str.title()`: every run of cased letters with its first in title case and the rest in lower case (`they're` -> `They'Re`). */
export function pyTitle(text: string): string {
  const chars = [...text];
  let out = "";
  let previousCased = false;
  chars.forEach((char, i) => {
    const cased = isCased(char);
    if (!cased) out += char;
    else if (!previousCased) out += titleCase(char.codePointAt(0)!, char);
    else out += char === "\u03a3" ? (isFinalSigma(chars, i) ? "\u03c2" : "\u03c3") : char.toLowerCase();
    previousCased = cased;
  });
  return out;
}

/** `str.strip(chars)`, `lstrip`, `rstrip`: white space (`chars` null) or the characters of `chars` off the ends asked for. */
export function pyStrip(text: string, chars: string | null, left: boolean, right: boolean): string {
  const strip = chars === null ? (char: string) => isPythonSpace(char.charCodeAt(0)) && char.length === 1 : (char: string) => chars.includes(char);
  const all = points(text);
  let start = 0;
  let end = all.length;
  if (left) while (start < end && strip(all[start]!)) start++;
  if (right) while (end > start && strip(all[end - 1]!)) end--;
  return all.slice(start, end).join("");
}

/**
 * `str.find(sub, start, end)` (`last`: `str.rfind`): the code point position of the first (or
 * last) `sub` within the bounds, or -1.
 */
export function pyFind(text: string, sub: string, start: number | null, end: number | null, last = false): number {
  const all = points(text);
  const [from, to] = boundsOf(all.length, start, end);
  if (to - from < points(sub).length || from > all.length) return -1;
  const piece = all.slice(from, to).join("");
  const found = last ? piece.lastIndexOf(sub) : piece.indexOf(sub);
  return found < 0 ? -1 : from + points(piece.slice(0, found)).length;
}

/** `str.count(sub, start, end)`: how many `sub` within the bounds, not overlapping (an empty `sub`: one more than the characters). */
export function pyCount(text: string, sub: string, start: number | null, end: number | null): number {
  const all = points(text);
  const [from, to] = boundsOf(all.length, start, end);
  if (from > all.length || to < from) return 0;
  const piece = all.slice(from, to).join("");
  if (sub === "") return to - from + 1;
  return piece.split(sub).length - 1;
}

/** `str.startswith(prefix, start, end)` (`endsWith`: `str.endswith`) for one prefix. */
export function pyTailMatch(text: string, sub: string, start: number | null, end: number | null, atEnd: boolean): boolean {
  const all = points(text);
  const part = points(sub);
  const [from, to] = boundsOf(all.length, start, end);
  const last = to - part.length;
  if (last < from) return false;
  const at = atEnd ? last : from;
  return all.slice(at, at + part.length).join("") === sub;
}


/** `str.rsplit(sep, maxsplit)`: as split, counting the splits from the right. */
export function pyRsplit(text: string, sep: string | null, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(text, sep, -1);
  const out: string[] = [];
  if (sep === null) {
    let i = text.length;
    let splits = 0;
    for (;;) {
      while (i > 0 && isPythonSpace(text.charCodeAt(i - 1))) i--;
      if (i === 0) break;
      if (splits === maxsplit) {
        out.push(text.slice(0, i));
        break;
      }
      const end = i;
      while (i > 0 && !isPythonSpace(text.charCodeAt(i - 1))) i--;
      out.push(text.slice(i, end));
      splits++;
    }
    return out.reverse();
  }
  let end = text.length;
  for (let splits = 0; splits < maxsplit; splits++) {
    const at = text.lastIndexOf(sep, end - sep.length);
    if (at < 0 || end - sep.length < 0) break;
    out.push(text.slice(at + sep.length, end));
    end = at;
  }
  out.push(text.slice(0, end));
  return out.reverse();
}

/** Python's line boundaries (`str.splitlines()`). */
const LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/g;

/** `str.splitlines(keepends)`. */
export function pySplitlines(text: string, keepends: boolean): string[] {
  const out: string[] = [];
  let at = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    out.push(text.slice(at, keepends ? match.index! + match[0].length : match.index));
    at = match.index! + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** `str.center`, `str.ljust`, `str.rjust` with a fill character (Python's centring puts the odd one left when the width is odd). */
export function pyJustify(text: string, width: number, fill: string, how: "center" | "ljust" | "rjust"): string {
  const margin = width - points(text).length;
  if (margin <= 0) return text;
  if (how === "ljust") return text + fill.repeat(margin);
  if (how === "rjust") return fill.repeat(margin) + text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return fill.repeat(left) + text + fill.repeat(margin - left);
}

/** `str.zfill(width)`: zeros on the left, after a leading sign. */
export function pyZfill(text: string, width: number): string {
  const margin = width - points(text).length;
  if (margin <= 0) return text;
  const sign = text[0] === "+" || text[0] === "-" ? text[0] : "";
  return sign + "0".repeat(margin) + text.slice(sign.length);
}

/** Digits that are not decimal digits (superscripts, circled digits...), which `str.isdigit()` also accepts (Unicode 14, Python 3.11's). */
const OTHER_DIGITS = /[\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]/u;

/** Python's character class tests of a text: true when it is not empty and every character passes. */
export function pyIsClass(text: string, name: "isdigit" | "isdecimal" | "isalpha" | "isalnum" | "isspace"): boolean {
  if (text === "") return false;
  for (const char of text) {
    const ok =
      name === "isspace"
        ? char.length === 1 && isPythonSpace(char.charCodeAt(0))
        : name === "isalpha"
          ? /\p{L}/u.test(char)
          : name === "isalnum"
            ? /[\p{L}\p{N}]/u.test(char)
            : name === "isdecimal"
              ? /\p{Nd}/u.test(char)
              : /\p{Nd}/u.test(char) || OTHER_DIGITS.test(char);
    if (!ok) return false;
  }
  return true;
}
