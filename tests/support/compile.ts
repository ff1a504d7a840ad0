/** Compiling small in-memory assistants in tests. */
import { compileFlows, type CompileResult } from "../../compiler/api.ts";

export interface Files {
  readonly domain?: string;
  readonly flows?: string;
  readonly [path: string]: string | undefined;
}

/** Compiles `domain.yml` + `flows.yml` (+ any other named files) from strings. */
export function compileStrings(files: Files, options: { strict?: boolean; env?: Record<string, string> } = {}): CompileResult {
  const inputs = Object.entries(files)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, text]) => ({ path: name.endsWith(".yml") ? name : `${name}.yml`, text }));
  return compileFlows({ inputs, strict: options.strict ?? false, env: options.env ?? {} });
}

export function codes(result: CompileResult): string[] {
  return result.errors.map((d) => d.code);
}

export function warningCodes(result: CompileResult): string[] {
  return result.warnings.map((d) => d.code);
}
