/**
 * The `pprint` filter: Python 3.11's `pprint.pformat(value)` with its defaults (width 80, an
 * indent of 1 per level, dict keys sorted). A value whose repr fits in the room left is written
 * as that repr (dicts sorted inside it too); a dict, list or tuple that does not fit puts one item
 * on each line, and a text that does not fit is cut into several literals after white space, one
 * on each line (in parentheses at the top). Anything else is its repr, however long.
 */
import { compareCodePoints } from "../conditions/pypred.ts";
import { isPythonSpace } from "../python-strip.ts";
import { pySplitlines } from "../python-str.ts";
import { isDict, pythonRepr, Tuple } from "./values.ts";

const WIDTH = 80;

/** `| pprint` */
export function pprint(value: unknown): string {
  const out: string[] = [];
  format(value, out, 0, 0, 0);
  return out.join("");
}

/** Python's `len()` of a text: its code points. */
function size(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A dict's `(key, value)` pairs, sorted by key (flowc's dict keys are texts). */
function sortedEntries(value: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => compareCodePoints(a, b));
}

/** pprint's `_safe_repr`: Python's repr, but dicts (also inside lists, tuples and dicts) with their keys sorted. */
function safeRepr(value: unknown): string {
  if (isDict(value)) return `{${sortedEntries(value).map(([k, v]) => `${pythonRepr(k)}: ${safeRepr(v)}`).join(", ")}}`;
  if (Array.isArray(value)) return `[${value.map(safeRepr).join(", ")}]`;
  if (value instanceof Tuple) return value.items.length === 1 ? `(${safeRepr(value.items[0])},)` : `(${value.items.map(safeRepr).join(", ")})`;
  return pythonRepr(value);
}

/** pprint's `_format`: the repr where it fits in `WIDTH - indent - allowance`, else the value spread over lines. */
function format(value: unknown, out: string[], indent: number, allowance: number, level: number): void {
  const rep = safeRepr(value);
  if (size(rep) > WIDTH - indent - allowance) {
    if (isDict(value)) return formatDict(value, out, indent, allowance, level + 1);
    if (Array.isArray(value)) return formatSequence(value, "[", "]", out, indent, allowance, level + 1);
    if (value instanceof Tuple) return formatSequence(value.items, "(", value.items.length === 1 ? ",)" : ")", out, indent, allowance, level + 1);
    if (typeof value === "string") return formatText(value, rep, out, indent, allowance, level + 1);
  }
  out.push(rep);
}

function formatDict(value: Readonly<Record<string, unknown>>, out: string[], indent: number, allowance: number, level: number): void {
  out.push("{");
  const entries = sortedEntries(value);
  const inner = indent + 1;
  entries.forEach(([key, entry], i) => {
    const last = i === entries.length - 1;
    const rep = pythonRepr(key);
    out.push(rep, ": ");
    format(entry, out, inner + size(rep) + 2, last ? allowance + 1 : 1, level);
    if (!last) out.push(",\n" + " ".repeat(inner));
  });
  out.push("}");
}

function formatSequence(items: readonly unknown[], open: string, close: string, out: string[], indent: number, allowance: number, level: number): void {
  out.push(open);
  const inner = indent + 1;
  items.forEach((entry, i) => {
    const last = i === items.length - 1;
    if (i > 0) out.push(",\n" + " ".repeat(inner));
    format(entry, out, inner, last ? allowance + close.length : 1, level);
  });
  out.push(close);
}

/** The runs of a line as Python's `re.findall(r'\S*\s*', line)` gives them (without the empty one at the end). */
function wordsWithSpace(line: string): string[] {
  const parts: string[] = [];
  let at = 0;
  while (at < line.length) {
    let end = at;
    while (end < line.length && !isPythonSpace(line.charCodeAt(end))) end++;
    while (end < line.length && isPythonSpace(line.charCodeAt(end))) end++;
    parts.push(line.slice(at, end));
    at = end;
  }
  return parts;
}

/** pprint's `_pprint_str`: the text's lines, each cut after white space where its repr is too long, as one literal per line. */
function formatText(text: string, rep: string, out: string[], indent: number, allowance: number, level: number): void {
  if (text === "") {
    out.push(rep);
    return;
  }
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const lines = pySplitlines(text, true);
  const chunks: string[] = [];
  const maxWidth = WIDTH - indent;
  lines.forEach((line, i) => {
    const lastLine = i === lines.length - 1;
    const lineRep = pythonRepr(line);
    if (size(lineRep) <= maxWidth - (lastLine ? allowance : 0)) {
      chunks.push(lineRep);
      return;
    }
    const parts = wordsWithSpace(line);
    let current = "";
    parts.forEach((part, j) => {
      const candidate = current + part;
      const room = maxWidth - (lastLine && j === parts.length - 1 ? allowance : 0);
      if (size(pythonRepr(candidate)) > room) {
        if (current) chunks.push(pythonRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(pythonRepr(current));
  });
  if (chunks.length === 1) {
    out.push(rep);
    return;
  }
  out.push((level === 1 ? "(" : "") + chunks.join("\n" + " ".repeat(indent)) + (level === 1 ? ")" : ""));
}
