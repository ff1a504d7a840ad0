/**
 * Python's `str` methods that response templates may call (`name.split()`, `s.title()`, …),
 * on texts alone: the template helpers (runtime/templates.ts) check the arguments' types first.
 * Positions are counted in code points, as Python counts them, not in UTF-16 code units.
 */
import { titleCase } from "./conditions/template.ts";
import { isPythonSpace } from "./python-strip.ts";

/** Python's `slice.indices()` for a step of 1 as the `start`/`end` arguments of `find`, `count`, `startswith`… read them. */
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

const CASED = /[\p{Lowercase}\p{Uppercase}\p{Lt}]/u;

/** `str.title()`: every run of cased letters with its first in title case and the rest in lower case (`they're` → `They'Re`). */
export function pyTitle(text: string): string {
  let out = "";
  let previousCased = false;
  for (const char of text) {
    const cased = CASED.test(char);
    out += !cased ? char : previousCased ? char.toLowerCase() : titleCase(char.codePointAt(0)!, char);
    previousCased = cased;
  }
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

/** `str.find(sub, start, end)`: the code point position of the first `sub` within the bounds, or -1. */
export function pyFind(text: string, sub: string, start: number | null, end: number | null): number {
  const all = points(text);
  const [from, to] = boundsOf(all.length, start, end);
  if (to - from < points(sub).length || from > all.length) return -1;
  const piece = all.slice(from, to).join("");
  const found = piece.indexOf(sub);
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
