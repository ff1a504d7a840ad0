/**
 * The runtime is all an application loads besides the generated modules (design §2): it must
 * not reach yaml, peggy, ts-morph or typescript, or anything else outside runtime/. This walks
 * the import graph from every runtime module and from the generated example assistant.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";

const root = resolve(import.meta.dirname, "../..");
const runtimeDir = join(root, "runtime");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function specifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? runtimeFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
}

const FORBIDDEN = ["yaml", "js-yaml", "peggy", "ts-morph", "typescript", "zod"];

describe("the runtime's import graph", () => {
  const files = runtimeFiles(runtimeDir);

  it("finds the runtime modules", () => {
    expect(files.map((f) => relative(runtimeDir, f))).toEqual(expect.arrayContaining(["assistant.ts", "executor.ts", "processor.ts", "conditions/pypred.ts"]));
  });

  it.each(files.map((f) => [relative(root, f), f]))("%s imports only runtime modules", (_, file) => {
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      expect(FORBIDDEN).not.toContain(specifier);
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
      const target = resolve(dirname(file), specifier);
      expect(relative(runtimeDir, target).startsWith(".."), `${file} reaches outside runtime/: ${specifier}`).toBe(false);
    }
  });

  it("is all the generated example assistant imports besides itself", () => {
    const out = join(root, "generated");
    const result = compileFlows({ paths: ["flows"], cwd: root, outDir: "generated" });
    expect(result.errors).toEqual([]);
    for (const file of result.outputFiles) {
      const from = dirname(join(out, file.path));
      for (const specifier of specifiers(file.text)) {
        const target = resolve(from, specifier);
        const inside = !relative(out, target).startsWith("..") || !relative(runtimeDir, target).startsWith("..");
        expect(inside, `${file.path} imports ${specifier}`).toBe(true);
      }
    }
  });

  it("detects a forbidden import (the check can fail)", () => {
    expect(specifiers('import { parse } from "yaml";\nexport { x } from "./x.ts";')).toEqual(["yaml", "./x.ts"]);
  });
});
