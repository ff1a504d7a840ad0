/**
 * flowc's programmatic API: what the CLI, `flowc test` and the tests call.
 */
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.ts";
import { emitAssistant, outputPaths } from "./emit/emit-assistant.ts";
import { packageRoot } from "./package-root.ts";
import type { NamedPredicate } from "./passes/compile-conditions.ts";
import type { ConditionInput } from "./model/input.ts";
import type { AssistantIR } from "./model/ir.ts";
import type { InputText } from "./passes/load-yaml-files.ts";
import { lap, runPipeline } from "./pipeline.ts";

export interface CompileOptions {
  /** Files or folders with flows and domain YAML. Default `["flows"]`. */
  readonly paths?: readonly string[];
  /** In-memory files instead of `paths`. */
  readonly inputs?: readonly InputText[];
  readonly cwd?: string;
  /** Warnings count as errors. */
  readonly strict?: boolean;
  /** Environment used to expand `${VAR}` in YAML (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Generate TypeScript for this output folder (relative to `cwd`); no output when absent. */
  readonly outDir?: string;
  /**
   * Called with the paths (relative to `outDir`) of the files that will be generated if the
   * remaining checks pass, as soon as the flows are known (after the structure stage): the CLI
   * starts creating them on disk meanwhile, and removes them again when a later check fails.
   */
  readonly onOutputPaths?: (paths: readonly string[]) => void;
}

export interface OutputFile {
  /** Path relative to the output folder, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

export interface CompileResult {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly outputFiles: readonly OutputFile[];
  /** True when an input could not be read: the CLI exits with 2. */
  readonly ioError: boolean;
  readonly assistant?: AssistantIR | undefined;
  /** The compiled predicate of every condition (when there are no errors). */
  readonly predicates?: ReadonlyMap<ConditionInput, NamedPredicate> | undefined;
}

export function compileFlows(options: CompileOptions = {}): CompileResult {
  const onOutputPaths = options.outDir !== undefined ? options.onOutputPaths : undefined;
  const result = runPipeline({ ...options, onFlowIds: onOutputPaths && ((ids) => onOutputPaths(outputPaths(ids))) });
  const all = sortDiagnostics(result.diagnostics.all);
  const promote = options.strict === true;
  const errors = all.filter((d) => d.severity === "error" || promote).map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d));
  const warnings = promote ? [] : all.filter((d) => d.severity === "warning");
  const ok = errors.length === 0;
  let outputFiles: OutputFile[] = [];
  if (ok && result.assistant && result.predicates && options.outDir !== undefined) {
    const outDir = resolve(options.cwd ?? process.cwd(), options.outDir);
    outputFiles = emitAssistant(result.assistant, result.predicates, { outDir, runtimeDir: join(packageRoot(), "runtime"), runtimeSpecifier: runtimeSpecifier(outDir), templates: result.templates, actionNames: result.actionNames });
  }
  lap("emit");
  return { errors, warnings, outputFiles, ioError: result.ioError, assistant: ok ? result.assistant : undefined, predicates: ok ? result.predicates : undefined };
}

/**
 * How the generated code imports the runtime. Where the output folder finds this very flowc
 * by its package name (an application that installed it), by that name: `flowc/runtime/...`,
 * so that the code does not depend on where flowc was installed (a global or `npx` flowc, a
 * colleague's checkout). Otherwise (this repository's own example, a flowc the output folder
 * cannot see) by a relative path to the runtime folder.
 */
function runtimeSpecifier(outDir: string): string | undefined {
  try {
    const found = createRequire(join(outDir, "index.ts")).resolve("flowc/package.json");
    return realpathSync(dirname(found)) === realpathSync(packageRoot()) ? "flowc/runtime" : undefined;
  } catch {
    return undefined; // not resolvable from there
  }
}

export type { Diagnostic } from "./diagnostics/diagnostic.ts";
export type { InputText } from "./passes/load-yaml-files.ts";
