/**
 * How generated code imports the runtime: by the package name `flowc/runtime/...` in an
 * application that installed flowc (the output folder resolves `flowc` to this very package),
 * so that the code runs wherever the application goes; by a relative path where the output
 * folder cannot see flowc by its name (this repository's own example).
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { writeOutput } from "../../compiler/emit/write-output.ts";
import { packageRoot } from "../../compiler/package-root.ts";
import type { Assistant, AssistantOptions } from "../../runtime/assistant.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import { temporaryFolder } from "../support/temp.ts";

const DOMAIN = `
responses:
  utter_hello:
    - text: "Hello!"
`;
const FLOWS = `
flows:
  greet:
    description: Greets the user.
    steps:
      - action: utter_hello
`;

function project(withFlowc: boolean): string {
  const folder = temporaryFolder("flowc-app-");
  mkdirSync(join(folder, "flows"));
  writeFileSync(join(folder, "flows", "domain.yml"), DOMAIN);
  writeFileSync(join(folder, "flows", "flows.yml"), FLOWS);
  if (withFlowc) {
    mkdirSync(join(folder, "node_modules"));
    symlinkSync(packageRoot(), join(folder, "node_modules", "flowc"), "dir");
  }
  return folder;
}

function runtimeImports(files: readonly { readonly path: string; readonly text: string }[]): string[] {
  return [...new Set(files.flatMap((file) => [...file.text.matchAll(/from "([^"]*runtime\/[^"]*)"/g)].map((m) => m[1]!)))].sort();
}

describe("the runtime import of generated code", () => {
  it("names the package in an application that installed flowc, and runs from there", async () => {
    const app = project(true);
    const result = compileFlows({ paths: ["flows"], cwd: app, outDir: "src/generated" });
    expect(result.errors).toEqual([]);
    const imports = runtimeImports(result.outputFiles);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^flowc\/runtime\//);
    expect(writeOutput(join(app, "src", "generated"), result.outputFiles, "src/generated").problems).toEqual([]);
    writeFileSync(join(app, "src", "main.ts"), 'export { assistant } from "./generated/index.ts";\nexport { createAssistant } from "flowc/runtime/assistant.ts";\n');
    const { tsImport } = await import("tsx/esm/api");
    const loaded = (await tsImport(pathToFileURL(join(app, "src", "main.ts")).href, import.meta.url)) as {
      assistant: CompiledAssistant;
      createAssistant: (compiled: CompiledAssistant, options?: AssistantOptions) => Assistant;
    };
    const bot = loaded.createAssistant(loaded.assistant);
    const state = bot.initialState();
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow greet"]));
    expect(turn.messages[0]?.text).toBe("Hello!");
  });

  it("is a relative path to the runtime where the output folder cannot find flowc by its name", () => {
    const app = project(false);
    const result = compileFlows({ paths: ["flows"], cwd: app, outDir: "generated" });
    expect(result.errors).toEqual([]);
    const imports = runtimeImports(result.outputFiles);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^\.\.?\/(\.\.\/)*.*runtime\//);
  });
});
