/**
 * A reported problem and the bag that passes add them to. Passes never throw for a user's
 * mistake: they report and carry on, so that one run shows every problem of a stage.
 */
import type { SourceRange } from "../source/source-file.ts";
import { Diagnostics, formatTemplate, type DiagnosticKey, type Severity } from "./catalogue.ts";

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range?: SourceRange | undefined;
  readonly flow?: string | undefined;
  readonly step?: string | undefined;
  readonly suggestion?: string | undefined;
  readonly notes?: readonly string[] | undefined;
}

export interface Where {
  readonly range?: SourceRange | undefined;
  readonly flow?: string | undefined;
  readonly step?: string | undefined;
  readonly suggestion?: string | undefined;
  readonly notes?: readonly string[] | undefined;
}

/** The diagnostic `key` of the catalogue with `args` at `where`, for one that is not reported into a bag (the test files' own). */
export function createDiagnostic(key: DiagnosticKey, args: Readonly<Record<string, string | number>>, where: Where = {}): Diagnostic {
  const definition = Diagnostics[key];
  return {
    code: definition.code,
    severity: definition.severity,
    message: formatTemplate(definition.template, args),
    range: where.range,
    flow: where.flow,
    step: where.step,
    suggestion: where.suggestion,
    notes: where.notes,
  };
}

export class DiagnosticBag {
  readonly all: Diagnostic[] = [];

  report(key: DiagnosticKey, args: Readonly<Record<string, string | number>>, where: Where = {}): void {
    this.all.push(createDiagnostic(key, args, where));
  }

  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === "error");
  }
}

/** Sorts diagnostics by file, position and code so output never depends on pass order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.range?.file.path ?? "";
    const fb = b.range?.file.path ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const pa = a.range?.start ?? -1;
    const pb = b.range?.start ?? -1;
    if (pa !== pb) return pa - pb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
