/**
 * Maps a character of a scalar's value to its offset in the YAML file, so that a diagnostic
 * about the 14th character of a condition points at the right column even when the condition
 * is quoted (`'it''s'`, `"a\"b"`) or folded over several lines.
 */
import type { SourceFile } from "./source-file.ts";
import type { ScalarStyle, YamlNode } from "./yaml-nodes.ts";

/** Where a character of the value is written: the file offset of its first and just after its last source character. */
export interface OffsetMapper {
  start(valueOffset: number): number;
  end(valueOffset: number): number;
}

export function scalarOffsetMapper(file: SourceFile, node: YamlNode | null | undefined, value: string): OffsetMapper {
  if (!node || node.kind !== "scalar") {
    const at = node?.start ?? 0;
    return { start: () => at, end: () => at + 1 };
  }
  const { start, end } = node;
  const source = file.text.slice(start, end);
  const { offsets, widths } = align(source, value, node.style);
  const startOf = (valueOffset: number): number => {
    if (valueOffset < 0) return start;
    if (valueOffset < offsets.length) return start + offsets[valueOffset]!;
    // One past the end: just after the last character.
    const last = offsets[offsets.length - 1];
    return last === undefined ? start : start + last + widths[widths.length - 1]!;
  };
  // An escape (`\"`, `''`, `\x41`) writes one character of the value with several of the source.
  const endOf = (valueOffset: number): number => (valueOffset >= 0 && valueOffset < offsets.length ? start + offsets[valueOffset]! + widths[valueOffset]! : startOf(valueOffset) + 1);
  return { start: startOf, end: endOf };
}

/** For each character of `value`, its offset in `source` (the scalar as written) and how many characters of `source` write it. */
function align(source: string, value: string, style: ScalarStyle): { offsets: number[]; widths: number[] } {
  const out: number[] = [];
  const widths: number[] = [];
  let s = 0;
  if (style === "double-quoted" || style === "single-quoted") s = 1;
  if (style === "folded" || style === "literal") {
    const newline = source.indexOf("\n");
    s = newline < 0 ? source.length : newline + 1;
  }
  for (let v = 0; v < value.length; v++) {
    const char = value[v]!;
    if (style === "double-quoted" && source[s] === "\\") {
      // An escaped line break continues the line and yields no character of the value.
      const continuation = source[s + 1] === "\n" || (source[s + 1] === "\r" && source[s + 2] === "\n");
      const length = escapeLength(source, s);
      if (!continuation) {
        out.push(s);
        widths.push(length);
      }
      s += length;
      if (continuation) v--;
      continue;
    }
    if (style === "single-quoted" && char === "'" && source[s] === "'" && source[s + 1] === "'") {
      out.push(s);
      widths.push(2);
      s += 2;
      continue;
    }
    // Skip what folding or indentation removed: find the character itself.
    let probe = s;
    while (probe < source.length && source[probe] !== char && /\s/.test(source[probe]!)) probe++;
    if (probe < source.length && source[probe] === char) s = probe;
    out.push(Math.min(s, Math.max(0, source.length - 1)));
    widths.push(1);
    s++;
  }
  return { offsets: out, widths };
}

function escapeLength(source: string, at: number): number {
  const kind = source[at + 1];
  if (kind === "x") return 4;
  if (kind === "u") return 6;
  if (kind === "U") return 10;
  if (kind === "\n" || (kind === "\r" && source[at + 2] === "\n")) {
    let i = at + (kind === "\r" ? 3 : 2);
    while (i < source.length && (source[i] === " " || source[i] === "\t")) i++;
    return i - at;
  }
  return 2;
}

/**
 * The file range of a span inside a condition (or any scalar) value: at least one character
 * wide, but never past the scalar's text, so that an empty span at the end of a plain scalar
 * (a condition cut short, `slots.age >`) ends where it starts rather than over the line break.
 */
export function valueSpanRange(
  range: { readonly file: SourceFile; readonly start: number },
  node: YamlNode | null | undefined,
  value: string,
  span: { readonly start: number; readonly end: number },
): { file: SourceFile; start: number; end: number } {
  const toFile = scalarOffsetMapper(range.file, node, value);
  const start = toFile.start(span.start);
  const end = span.end > span.start ? toFile.end(span.end - 1) : start + 1;
  const limit = node?.kind === "scalar" ? Math.max(node.end, start) : Infinity;
  return { file: range.file, start, end: Math.min(Math.max(end, start + 1), limit) };
}
