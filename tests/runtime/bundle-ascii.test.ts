/**
 * An application ships the runtime bundled with its generated modules (bench/runtime-figures.ts
 * bundles them with esbuild). One character outside ASCII anywhere in a bundle makes V8 hold
 * the whole source as a two-byte string, which it decodes and scans more slowly: about 3 ms of
 * the cold start of a 200-flow assistant. So the bundled runtime stays ASCII (a non-ASCII
 * character in a regular expression is written as an escape; comments esbuild keeps count too).
 */
import { resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

describe("the bundled runtime", () => {
  it("is ASCII only", async () => {
    const modules = ["assistant.ts", "define-flow.ts", "define-slots.ts", "define-responses.ts", "define-catalogue.ts", "conditions/index.ts"];
    const result = await build({
      stdin: { contents: modules.map((m, i) => `export * as m${i} from ${JSON.stringify(`./runtime/${m}`)};`).join("\n"), resolveDir: root, loader: "ts" },
      bundle: true,
      write: false,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
    });
    const text = result.outputFiles[0]!.text;
    expect(text.length).toBeGreaterThan(10_000);
    const lines = text.split("\n").flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
    expect(lines).toEqual([]);
  });
});
