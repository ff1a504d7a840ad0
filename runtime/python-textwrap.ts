/**
 * Python's `textwrap.wrap` as Jinja's `wordwrap` filter calls it (tabs kept, white space not
 * replaced, white space at the line ends dropped): the text split into words, spaces and
 * hyphenated pieces, then filled into lines of at most `width` code points, a word too long for
 * a line broken (after its last hyphen that fits, when breaking on hyphens) or left whole.
 */
import { pythonStrip } from "./python-strip.ts";

/** textwrap's white space: ASCII only. */
const WS = "[\\t\\n\\x0b\\x0c\\r ]";
const NOT_WS = "[^\\t\\n\\x0b\\x0c\\r ]";
/** Python's `\w` (letters, digits of any kind, `_`) and a letter (`[^\d\W]`). */
const WORD = "[\\p{L}\\p{N}_]";
const LETTER = "[\\p{L}\\p{Nl}\\p{No}_]";
const WORD_PUNCT = `(?:${WORD}|[!"'&.,?])`;

/** textwrap's `wordsep_re`: white space, an em-dash between words, or a word with the hyphens it may break at. */
const WORD_SEPARATOR = `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=${WORD})|${NOT_WS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$(?![\\s\\S]))|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`;
/** textwrap's `wordsep_simple_re`, without breaking on hyphens. */
const SIMPLE_SEPARATOR = `(${WS}+)`;
/** The separators as regular expressions, built on first use (a Unicode property regex costs every start-up its build). */
const separators = new Map<string, RegExp>();

function size(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Python's `re.split` with one capturing group, without the empty pieces. */
function chunksOf(text: string, breakOnHyphens: boolean): string[] {
  const source = breakOnHyphens ? WORD_SEPARATOR : SIMPLE_SEPARATOR;
  const out: string[] = [];
  let global = separators.get(source);
  if (!global) separators.set(source, (global = new RegExp(source, "gu")));
  let at = 0;
  for (const match of text.matchAll(global)) {
    if (match[0] === "") continue;
    out.push(text.slice(at, match.index), match[0]);
    at = match.index! + match[0].length;
  }
  out.push(text.slice(at));
  return out.filter((chunk) => chunk !== "");
}

/** The first `n` code points of a text, and the rest. */
function cut(text: string, n: number): [string, string] {
  const points = [...text];
  return [points.slice(0, n).join(""), points.slice(n).join("")];
}

/** textwrap's `_handle_long_word`: part (or all) of the next chunk onto the line. */
function handleLongWord(chunks: string[], line: string[], lineSize: number, width: number, breakLongWords: boolean, breakOnHyphens: boolean): void {
  const spaceLeft = width < 1 ? 1 : width - lineSize;
  if (breakLongWords) {
    if (!Number.isInteger(spaceLeft)) throw new TypeError("slice indices must be integers or None or have an __index__ method");
    let end = spaceLeft;
    const chunk = chunks[chunks.length - 1]!;
    if (breakOnHyphens && size(chunk) > spaceLeft) {
      const points = [...chunk];
      const hyphen = points.slice(0, Math.max(0, spaceLeft)).lastIndexOf("-");
      if (hyphen > 0 && points.slice(0, hyphen).some((char) => char !== "-")) end = hyphen + 1;
    }
    const [head, rest] = cut(chunk, end);
    line.push(head);
    chunks[chunks.length - 1] = rest;
  } else if (line.length === 0) line.push(chunks.pop()!);
}

/** `textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, ...)`: the lines. */
export function wrapText(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  const chunks = chunksOf(text, breakOnHyphens).reverse();
  if (width <= 0) throw new RangeError(`invalid width ${width} (must be > 0)`);
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let lineSize = 0;
    if (pythonStrip(chunks[chunks.length - 1]!) === "" && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const next = size(chunks[chunks.length - 1]!);
      if (lineSize + next > width) break;
      line.push(chunks.pop()!);
      lineSize += next;
    }
    if (chunks.length > 0 && size(chunks[chunks.length - 1]!) > width) {
      handleLongWord(chunks, line, lineSize, width, breakLongWords, breakOnHyphens);
      lineSize = line.reduce((total, piece) => total + size(piece), 0);
    }
    if (line.length > 0 && pythonStrip(line[line.length - 1]!) === "") {
      lineSize -= size(line[line.length - 1]!);
      line.pop();
    }
    if (line.length > 0) lines.push(line.join(""));
  }
  return lines;
}
