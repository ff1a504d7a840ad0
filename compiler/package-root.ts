/**
 * The folder of the flowc package, found from this module's location, so that the compiler
 * finds its own assets (default patterns, runtime) both from its sources and from the bundle.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
}

let cached: { readonly root: string; readonly manifest: Manifest } | undefined;

export function packageRoot(): string {
  return found().root;
}

/** The version in flowc's package.json. */
export function packageVersion(): string {
  return String(found().manifest.version);
}

function found(): { readonly root: string; readonly manifest: Manifest } {
  if (cached !== undefined) return cached;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = join(directory, "package.json");
    const manifest = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Manifest) : undefined;
    if (manifest?.name === "flowc") return (cached = { root: directory, manifest });
    const parent = dirname(directory);
    if (parent === directory) throw new Error("flowc cannot find its own package folder");
    directory = parent;
  }
}
