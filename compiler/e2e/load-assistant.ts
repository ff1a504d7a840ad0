/**
 * The assistant under test, compiled from the `--project` paths and loaded from the very
 * TypeScript modules `flowc compile` would write: they go to a fresh temporary folder and are
 * imported through tsx together with this package's runtime, so that `flowc test` runs exactly
 * the generated code. The folder is removed once the modules are loaded.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Assistant, AssistantOptions } from "../../runtime/assistant.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import { compileFlows, type CompileResult } from "../api.ts";
import { writeOutput } from "../emit/write-output.ts";
import { packageRoot } from "../package-root.ts";

export interface LoadedAssistant {
  readonly compile: CompileResult;
  /** A new assistant over the compiled one (absent when the project does not compile). */
  readonly create?: (options: AssistantOptions) => Assistant;
  /** The compiled assistant the generated modules export (absent when the project does not compile). */
  readonly compiled?: CompiledAssistant;
  /** The loaded runtime's `createAssistant`, for a copy of the compiled assistant (`flowc gen-tests` observes one). */
  readonly createFrom?: (compiled: CompiledAssistant, options: AssistantOptions) => Assistant;
}

interface EntryModule {
  readonly assistant: CompiledAssistant;
  readonly createAssistant: (compiled: CompiledAssistant, options: AssistantOptions) => Assistant;
}

/** The name of the module {@link writeAssistantModules} writes beside the generated ones. */
const ENTRY = "flowc-entry.ts";

/**
 * Compiles the assistant of `paths` into `folder` and adds one entry module exporting the
 * compiled `assistant` and the runtime's `createAssistant`, so that whoever loads the entry
 * (tsx here, esbuild in the benchmarks) gets the generated code and one copy of the runtime.
 * `entry` is absent when the assistant does not compile or cannot be written.
 */
export function writeAssistantModules(paths: readonly string[], cwd: string, folder: string): { readonly compile: CompileResult; readonly entry?: string } {
  const compile = compileFlows({ paths, cwd, outDir: folder });
  if (compile.errors.length > 0 || compile.ioError) return { compile };
  const { problems } = writeOutput(folder, compile.outputFiles, folder);
  if (problems.length > 0) return { compile: { ...compile, errors: problems, ioError: true } };
  // The generated modules are ES modules wherever the folder is.
  writeFileSync(join(folder, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  const runtime = relative(folder, join(packageRoot(), "runtime", "assistant.ts")).split(sep).join("/");
  writeFileSync(join(folder, ENTRY), `export { assistant } from "./index.ts";\nexport { createAssistant } from ${JSON.stringify(runtime.startsWith(".") ? runtime : `./${runtime}`)};\n`);
  return { compile, entry: join(folder, ENTRY) };
}

export async function loadAssistant(paths: readonly string[], cwd: string): Promise<LoadedAssistant> {
  const folder = mkdtempSync(join(tmpdir(), "flowc-test-"));
  try {
    const { compile, entry } = writeAssistantModules(paths, cwd, folder);
    if (!entry) return { compile };
    const { tsImport } = await import("tsx/esm/api");
    const loaded = (await tsImport(pathToFileURL(entry).href, import.meta.url)) as EntryModule;
    return { compile, compiled: loaded.assistant, create: (options) => loaded.createAssistant(loaded.assistant, options), createFrom: loaded.createAssistant };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
