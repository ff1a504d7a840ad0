/**
 * Printing diagnostics: the text form (`file:line:col: error FLW1234: message`, a source
 * excerpt with carets, then notes and a suggestion) and the JSON form of design §3.1.
 */
import type { Diagnostic } from "./diagnostic.ts";

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  flow?: string;
  step?: string;
  suggestion?: string;
  notes?: string[];
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  const start = d.range ? d.range.file.position(d.range.start) : undefined;
  const end = d.range ? d.range.file.position(Math.max(d.range.end, d.range.start)) : undefined;
  const out: JsonDiagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.range?.file.path ?? null,
    line: start?.line ?? null,
    column: start?.column ?? null,
    endLine: end?.line ?? null,
    endColumn: end?.column ?? null,
  };
  if (d.flow !== undefined) out.flow = d.flow;
  if (d.step !== undefined) out.step = d.step;
  if (d.suggestion !== undefined) out.suggestion = d.suggestion;
  if (d.notes !== undefined && d.notes.length > 0) out.notes = [...d.notes];
  return out;
}

const MAX_EXCERPT_LINES = 3;

export function formatText(d: Diagnostic): string {
  const lines: string[] = [];
  if (d.range) {
    const { file } = d.range;
    const start = file.position(d.range.start);
    lines.push(`${file.path}:${start.line}:${start.column}: ${d.severity} ${d.code}: ${d.message}`);
    lines.push(...excerpt(d));
  } else {
    lines.push(`${d.severity} ${d.code}: ${d.message}`);
  }
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  if (d.suggestion !== undefined) lines.push(`  help: ${d.suggestion}`);
  return lines.join("\n");
}

function excerpt(d: Diagnostic): string[] {
  if (!d.range) return [];
  const { file } = d.range;
  const start = file.position(d.range.start);
  const end = file.position(Math.max(d.range.start, d.range.end - 1));
  const last = Math.min(end.line, start.line + MAX_EXCERPT_LINES - 1);
  const gutter = String(last).length;
  const out: string[] = [];
  for (let line = start.line; line <= last; line++) {
    const text = file.lineText(line).replace(/\t/g, " ");
    if (text.length > 200) {
      out.push(`${String(line).padStart(gutter)} | ${text.slice(0, 200)}…`);
    } else {
      out.push(`${String(line).padStart(gutter)} | ${text}`);
    }
    const from = line === start.line ? start.column - 1 : text.length - text.trimStart().length;
    const to = line === end.line ? Math.max(end.column, from + 1) : Math.max(text.length, from + 1);
    const width = Math.max(1, Math.min(to, 200) - Math.min(from, 200));
    out.push(`${" ".repeat(gutter)} | ${" ".repeat(Math.min(from, 200))}${"^".repeat(width)}`);
  }
  return out;
}
