/**
 * The folder of the flowc package, found from this module's location, so that the compiler
 * finds its own assets (default patterns, runtime) both from its sources and from the bundle.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "flowc") return (cached = directory);
    const parent = dirname(directory);
    if (parent === directory) throw new Error("flowc cannot find its own package folder");
    directory = parent;
  }
}
