/**
 * The assistant under test, compiled from the `--project` paths and loaded from the very
 * TypeScript modules `flowc compile` would write: they go to a fresh temporary folder and are
 * imported through tsx together with this package's runtime, so that `flowc test` runs exactly
 * the generated code. The folder is removed once the modules are loaded.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Assistant, AssistantOptions } from "../../runtime/assistant.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import { compileFlows, type CompileResult } from "../api.ts";
import { packageRoot } from "../package-root.ts";

export interface LoadedAssistant {
  readonly compile: CompileResult;
  /** A new assistant over the compiled one (absent when the project does not compile). */
  readonly create?: (options: AssistantOptions) => Assistant;
}

interface EntryModule {
  readonly assistant: CompiledAssistant;
  readonly createAssistant: (compiled: CompiledAssistant, options: AssistantOptions) => Assistant;
}

export async function loadAssistant(paths: readonly string[], cwd: string): Promise<LoadedAssistant> {
  const folder = mkdtempSync(join(tmpdir(), "flowc-test-"));
  try {
    const compile = compileFlows({ paths, cwd, outDir: folder });
    if (compile.errors.length > 0 || compile.ioError) return { compile };
    for (const file of compile.outputFiles) {
      const path = join(folder, ...file.path.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    // The generated modules are ES modules wherever the temporary folder is.
    writeFileSync(join(folder, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
    // One entry, so that the generated code and createAssistant share one copy of the runtime.
    const runtime = pathToFileURL(join(packageRoot(), "runtime", "assistant.ts")).href;
    writeFileSync(join(folder, "flowc-test-entry.ts"), `export { assistant } from "./index.ts";\nexport { createAssistant } from ${JSON.stringify(runtime)};\n`);
    const { tsImport } = await import("tsx/esm/api");
    const entry = (await tsImport(pathToFileURL(join(folder, "flowc-test-entry.ts")).href, import.meta.url)) as EntryModule;
    return { compile, create: (options) => entry.createAssistant(entry.assistant, options) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
