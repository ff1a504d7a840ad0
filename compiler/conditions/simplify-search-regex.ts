/**
 * A predicate only asks whether a `matches` pattern matches somewhere (Python's `re.search`),
 * never what it matched. So parts of the translated JavaScript pattern that cannot change that
 * answer are dropped, and only the time they took goes:
 *
 *   - a leading `.*` (any run of non-newlines, possibly empty): `.*rasa` backtracks through
 *     every start position, `rasa` does not;
 *   - trailing items that may match nothing (`x?`, `(…)*`, `\d{0,4}`, a trailing `.*`): where
 *     the rest matches, the whole matches with them matching nothing;
 *   - capturing: `(-\d{4})` becomes `(?:-\d{4})`, which V8 matches faster.
 *
 * Only for patterns without backreferences (`\1`, `\k<name>`): with one, what a group captured
 * matters. Trailing items go only where the pattern has no top-level `|`.
 *
 *   simplifyForSearch("\\p{Nd}{5}(-\\p{Nd}{4})?") === "\\p{Nd}{5}"
 *   simplifyForSearch("(a)\\1") === "(a)\\1"
 */

const DOT_STAR = "[^\\n]*";

/** One item of the pattern's top level: where its atom starts, where it ends, and whether it may match nothing. */
interface Item {
  readonly start: number;
  readonly end: number;
  readonly optional: boolean;
}

interface Scan {
  /** The top-level items, in order; undefined when the pattern has a top-level `|`. */
  readonly items: readonly Item[] | undefined;
  readonly hasBackreference: boolean;
  /** Offsets of `(` that open a capturing group, with the length of the opening (`(` or `(?<name>`). */
  readonly captures: readonly (readonly [number, number])[];
}

export function simplifyForSearch(source: string): string {
  let out = source;
  while (out.startsWith(DOT_STAR) && !/^[*+?{]/.test(out.slice(DOT_STAR.length))) out = out.slice(DOT_STAR.length);
  const scan = scanPattern(out);
  if (scan === undefined || scan.hasBackreference) return out;
  if (scan.items !== undefined) {
    let end = scan.items.length;
    while (end > 0 && scan.items[end - 1]!.optional) end--;
    if (end < scan.items.length) {
      const cut = end === 0 ? 0 : scan.items[end - 1]!.end;
      out = out.slice(0, cut);
    }
  }
  let result = "";
  let at = 0;
  for (const [open, length] of scan.captures) {
    if (open >= out.length) break;
    result += out.slice(at, open) + "(?:";
    at = open + length;
  }
  return result + out.slice(at);
}

/** Reads the pattern once; undefined when it is not in the shape the translation writes (left as it is). */
function scanPattern(source: string): Scan | undefined {
  const items: Item[] = [];
  const captures: [number, number][] = [];
  let hasBackreference = false;
  let alternation = false;
  let depth = 0;
  let atomStart = -1;
  let i = 0;
  const endItem = (atomEnd: number) => {
    // A quantifier after the atom: ?, *, +, {n}, {n,}, {n,m}, each possibly lazy.
    let j = atomEnd;
    let optional = false;
    const c = source[j];
    if (c === "?" || c === "*") {
      optional = true;
      j++;
    } else if (c === "+") j++;
    else if (c === "{") {
      const quantifier = /^\{(\d+)(,\d*)?\}/.exec(source.slice(j));
      if (quantifier) {
        optional = Number(quantifier[1]) === 0;
        j += quantifier[0].length;
      }
    }
    if (j > atomEnd && source[j] === "?") j++;
    return { end: j, optional };
  };
  while (i < source.length) {
    const c = source[i]!;
    const start = i;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined) return undefined;
      if (/[1-9]/.test(next) || next === "k") hasBackreference = true;
      // \p{…}, \u{…}; a surrogate pair written as two \uHHHH is one character; \uHHHH, \xHH, \cX.
      const long = /^\\[pPu]\{[^}]*\}|^\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/.exec(source.slice(i));
      i += long ? long[0].length : next === "u" ? 6 : next === "x" ? 4 : next === "c" ? 3 : 2;
    } else if (c === "[") {
      i++;
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
      if (i >= source.length) return undefined;
      i++;
    } else if (c === "(") {
      if (source[i + 1] !== "?") captures.push([i, 1]);
      else {
        const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
        if (named) captures.push([i, named[0].length]);
      }
      if (depth === 0) atomStart = start;
      depth++;
      i++;
      continue;
    } else if (c === ")") {
      depth--;
      if (depth < 0) return undefined;
      i++;
      if (depth === 0) {
        const { end, optional } = endItem(i);
        items.push({ start: atomStart, end, optional });
        i = end;
      }
      continue;
    } else if (c === "|") {
      if (depth === 0) alternation = true;
      i++;
      continue;
    } else {
      // One code point: a literal, `.`, `^` or `$` (an astral character is two code units).
      const code = source.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < source.length ? 2 : 1;
      if (c === "^" || c === "$") {
        if (depth === 0) items.push({ start, end: i, optional: false });
        continue;
      }
    }
    if (depth === 0) {
      const { end, optional } = endItem(i);
      items.push({ start, end, optional });
      i = end;
    }
  }
  if (depth !== 0) return undefined;
  return { items: alternation ? undefined : items, hasBackreference, captures };
}
