/** The filters that make or reshape a text: case, trim, replace, center, indent, wordwrap, truncate, format, tojson. */
import { compareCodePoints } from "../conditions/pypred.ts";
import { jinjaTitle, pythonCapitalize } from "../conditions/template.ts";
import { pythonStrip } from "../python-strip.ts";
import { wrapText } from "../python-textwrap.ts";
import { argumentError, intArgument } from "./arguments.ts";
import { length } from "./filters-items.ts";
import { percentFormat } from "./printf.ts";
import { isDict, numeric, PyFloat, pythonRepr, str, TemplateTypeError, truthy, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

/** `| lower` */
export function lower(value: unknown): string {
  return str(value).toLowerCase();
}

/** `| upper` */
export function upper(value: unknown): string {
  return str(value).toUpperCase();
}

/** `| title`, as Jinja's filter does it (not Python's `str.title`): see jinjaTitle. */
export function title(value: unknown): string {
  return jinjaTitle(str(value));
}

/** `| capitalize`: Python's `str.capitalize()` of the text. */
export function capitalize(value: unknown): string {
  return pythonCapitalize(str(value));
}

/** `| trim(chars)`: Python's `str.strip()`, of white space or of the characters given. */
export function trim(value: unknown, chars: unknown = null): string {
  const text = str(value);
  if (chars === null) return pythonStrip(text);
  if (typeof chars !== "string") return argumentError("strip", `arg must be None or str, not ${typeName(chars)}`);
  const set = new Set(chars);
  const points = [...text];
  let start = 0;
  let end = points.length;
  while (start < end && set.has(points[start]!)) start++;
  while (end > start && set.has(points[end - 1]!)) end--;
  return points.slice(start, end).join("");
}

/** `| string`: Python's `str()` (an undefined value is empty). */
export function string(value: unknown): string {
  return str(value);
}

/** `| replace(old, new, count)`: Python's `str.replace()` on the values as text. */
export function replace(value: unknown, old?: unknown, replacement?: unknown, count: unknown = null): string {
  if (old === undefined || replacement === undefined) argumentError("replace", "missing a required argument");
  const limit = count === null ? -1 : intArgument("replace", count);
  const text = str(value);
  const from = str(old);
  const to = str(replacement);
  if (limit < 0) return from === "" ? insertEverywhere(text, to, Infinity) : text.split(from).join(to);
  if (from === "") return insertEverywhere(text, to, limit);
  let out = "";
  let at = 0;
  for (let done = 0; done < limit; done++) {
    const next = text.indexOf(from, at);
    if (next < 0) break;
    out += text.slice(at, next) + to;
    at = next + from.length;
  }
  return out + text.slice(at);
}

/** Python's `text.replace("", to, limit)`: `to` before each character and at the end, `limit` times at most. */
function insertEverywhere(text: string, to: string, limit: number): string {
  const points = [...text];
  let out = "";
  let done = 0;
  for (let i = 0; i <= points.length; i++) {
    if (done < limit) {
      out += to;
      done++;
    }
    if (i < points.length) out += points[i];
  }
  return out;
}

/**
 * `| format(…)`: Jinja's `do_format`, `str(value) % args` with the positional arguments as a
 * tuple, or the keyword arguments as a dict (both at once is an error).
 */
export function format(value: unknown, args: readonly unknown[], keywords: readonly (readonly [string, unknown])[]): string {
  if (args.length > 0 && keywords.length > 0) throw new TemplateTypeError("can't handle positional and keyword arguments at the same time");
  return percentFormat(str(value), keywords.length > 0 ? Object.fromEntries(keywords) : new Tuple(args));
}

/**
 * `| truncate(length, killwords, end, leeway)`: Jinja's `do_truncate`. A text no longer than
 * `length + leeway` (leeway 5 by default) is kept; else it is cut to `length` with `end`, at the
 * last space before unless killwords. A length below the end's is an AssertionError.
 */
export function truncate(value: unknown, width: unknown = 255, killwords: unknown = false, end: unknown = "...", leeway: unknown = null): unknown {
  const limit = numeric(width);
  const margin = leeway === null ? { n: 5, float: false } : numeric(leeway);
  if (!limit || !margin) throw new TemplateTypeError("'>=' not supported between these operands");
  const endLength = length(end);
  if (limit.n < endLength || margin.n < 0) throw new TemplateTypeError("AssertionError");
  const size = length(value); // Undefined: 0, so it comes back
  if (size <= limit.n + margin.n) return value;
  // Jinja slices the value itself and joins it to `end`: only a text can be cut.
  if (typeof value !== "string" || typeof end !== "string" || limit.float) throw new TemplateTypeError(`cannot truncate a '${typeName(value)}'`);
  const kept = [...value].slice(0, limit.n - endLength).join("");
  if (truthy(killwords)) return kept + end;
  const space = kept.lastIndexOf(" ");
  return (space < 0 ? kept : kept.slice(0, space)) + end;
}

/** `| wordcount`: the runs of Python's word characters (`\w`: letters, digits, `_`) in the text. */
export function wordcount(value: unknown): number {
  return str(value).match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

/** Python's `str.center(width)`: the text in the middle of spaces, the odd one on the left when the width is odd. */
export function center(value: unknown, width: unknown = 80): string {
  const text = str(value);
  const size = intArgument("center", width);
  const margin = size - [...text].length;
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & size & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

/** Python's `str.splitlines()`: lines split at any of Python's line boundaries, without them. */
const LINE_BOUNDARY = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

/**
 * `| indent(width, first, blank)`: Jinja 3.1's `do_indent`, every line but the first indented by
 * `width` spaces (or the text `width`), blank lines only with `blank`, the first with `first`.
 * Only a text can be indented.
 */
export function indent(value: unknown, width: unknown = 4, first: unknown = false, blank: unknown = false): string {
  const indention = typeof width === "string" ? width : " ".repeat(Math.max(0, intArgument("indent", width)));
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be used with '+'");
  if (typeof value !== "string") throw new TemplateTypeError(`unsupported operand type(s) for +=: '${typeName(value)}' and 'str'`);
  const lines = (value + "\n").split(LINE_BOUNDARY);
  lines.pop(); // (the text ends with a line break: the last piece is empty)
  let out: string;
  if (truthy(blank)) out = lines.join("\n" + indention);
  else out = lines[0]! + (lines.length > 1 ? "\n" + lines.slice(1).map((line) => (line ? indention + line : line)).join("\n") : "");
  return truthy(first) ? indention + out : out;
}

/** Python's `json.dumps` of a text (ensure_ascii: every character beyond ASCII as `\uXXXX`). */
function jsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i]!;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\b") out += "\\b";
    else if (char === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return out + '"';
}

/** Python's `json.dumps(value, sort_keys=True, indent=…)`. */
function jsonDumps(value: unknown, indention: string | undefined, depth: number): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return jsonString(value);
  if (typeof value === "number" || value instanceof PyFloat) {
    const n = typeof value === "number" ? value : value.value;
    if (Number.isNaN(n)) return "NaN";
    if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
    return pythonRepr(value);
  }
  let entries: string[];
  let open: string;
  let close: string;
  if (Array.isArray(value) || value instanceof Tuple) {
    entries = (Array.isArray(value) ? value : value.items).map((v) => jsonDumps(v, indention, depth + 1));
    [open, close] = ["[", "]"];
  } else if (isDict(value)) {
    const keys = Object.keys(value).sort(compareCodePoints);
    entries = keys.map((k) => `${jsonString(k)}: ${jsonDumps(value[k], indention, depth + 1)}`);
    [open, close] = ["{", "}"];
  } else throw new TemplateTypeError(`Object of type ${typeName(value)} is not JSON serializable`);
  if (entries.length === 0) return open + close;
  if (indention === undefined) return open + entries.join(", ") + close;
  const inner = "\n" + indention.repeat(depth + 1);
  return open + inner + entries.join("," + inner) + "\n" + indention.repeat(depth) + close;
}

/**
 * `| tojson(indent)`: the value as JSON with its keys sorted (Jinja's default `json.dumps`
 * arguments), `<`, `>`, `&` and `'` escaped as `\u003c` … so that it is safe in HTML.
 */
export function tojson(value: unknown, indentArgument: unknown = null): string {
  const indention = indentArgument === null || indentArgument === undefined ? undefined : typeof indentArgument === "string" ? indentArgument : " ".repeat(Math.max(0, intArgument("tojson", indentArgument)));
  return jsonDumps(value, indention, 0).replace(/[<>&']/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);
}

/**
 * `| wordwrap(width, break_long_words, wrapstring, break_on_hyphens)`: Jinja's `do_wordwrap`,
 * each line of the text wrapped by Python's textwrap on its own, the lines joined by
 * `wrapstring` (a line break by default).
 */
export function wordwrap(value: unknown, width: unknown = 79, breakLongWords: unknown = true, wrapstring: unknown = null, breakOnHyphens: unknown = true): string {
  // (In Jinja's order: `wrapstring.join` is looked up before the text is split.)
  const joint = wrapstring === null ? "\n" : wrapstring;
  if (typeof joint !== "string") throw new TemplateTypeError(`'${typeName(joint)}' object has no attribute 'join'`);
  if (value instanceof Undefined) undefinedError(value, ", so it has no attribute 'splitlines'");
  if (typeof value !== "string") throw new TemplateTypeError(`'${typeName(value)}' object has no attribute 'splitlines'`);
  // Python's splitlines(): no piece after a last line break.
  const lines = value.split(LINE_BOUNDARY);
  if (lines[lines.length - 1] === "") lines.pop();
  const size = numeric(width);
  return lines
    .map((line) => {
      if (!size) throw new TemplateTypeError(`'<=' not supported between instances of '${typeName(width)}' and 'int'`);
      try {
        return wrapText(line, size.n, truthy(breakLongWords), truthy(breakOnHyphens)).join(joint);
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) throw new TemplateTypeError(error.message);
        throw error;
      }
    })
    .join(joint);
}
