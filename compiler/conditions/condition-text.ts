/**
 * The text a condition is read as, and the way back to the text as written. Rasa renders branch
 * and rejection conditions as Jinja templates before pypred parses them, and Jinja's lexer reads
 * `\r\n` and a lone `\r` as `\n` (conditions.md §7); guards and response conditions are not
 * rendered and keep them. Every reader of a condition — parsing, the template checks, the type
 * checks, compilation — reads this one text; diagnostics map its offsets back to the written
 * text (where each `\r\n` is one character longer) and from there into the YAML file.
 */
import type { ConditionInput } from "../model/input.ts";
import { valueSpanRange } from "../source/scalar-offsets.ts";
import type { ConditionSite, Span } from "./ast.ts";

/** The condition as Rasa's Jinja step hands it on (or as written, where there is no Jinja step). */
export function readText(written: string, site: ConditionSite): string {
  return (site === "branch" || site === "rejection") && written.includes("\r") ? written.replace(/\r\n?/g, "\n") : written;
}

/** For an offset into `readText(written, …)`, the offset into `written` itself. */
export function writtenOffset(written: string): (offset: number) => number {
  const collapsed: number[] = []; // offsets in the read text of the `\n`s that stand for `\r\n`
  let removed = 0;
  for (let i = written.indexOf("\r\n"); i !== -1; i = written.indexOf("\r\n", i + 2)) collapsed.push(i - removed++);
  if (collapsed.length === 0) return (offset) => offset;
  return (offset) => {
    let shift = 0;
    while (shift < collapsed.length && collapsed[shift]! < offset) shift++;
    return offset + shift;
  };
}

/** The file range of a span of a condition's read text. */
export function conditionSpanRange(condition: ConditionInput, span: Span): ReturnType<typeof valueSpanRange> {
  const written = condition.written ?? condition.text;
  const toWritten = condition.written === undefined ? (offset: number) => offset : writtenOffset(written);
  const start = toWritten(span.start);
  const end = span.end > span.start ? toWritten(span.end) : start;
  return valueSpanRange(condition.range, condition.node, written, { start, end });
}
