#!/usr/bin/env node
// The `flowc` command. It runs the bundle dist/flowc.js (built by `npm run build`, which
// `npm ci` runs) when that is newer than every source of the compiler and the runtime, and
// the TypeScript sources through tsx otherwise, so that a checkout always runs its own code.
// The bundle is compiled with V8's code cache, which `loadBundle` keeps next to it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "flowc.js");
const cache = join(root, "dist", "flowc.cache");

function newestSource(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return ["compiler", "runtime"].every((folder) => !existsSync(join(root, folder)) || newestSource(join(root, folder)) <= built);
}

// A reader that stops early (`flowc compile | head`) closes the pipe: end quietly, as Unix
// tools do, instead of failing with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/**
 * Runs the bundle (CommonJS) as Node would, but compiled with V8's code cache in
 * dist/flowc.cache: the SHA-256 of the bundle it was made from (32 bytes), then V8's data.
 * V8 itself checks only its version, its flags and the source's length, so a cache of another
 * bundle is never offered to it. `save` writes a new cache when there was none that fit (or V8
 * refused it), after the command ran, so that it holds the functions the command compiled;
 * it writes a whole file under another name and renames it, so that no run reads half a
 * cache, and does nothing where it cannot write (a read-only install).
 */
function loadBundle() {
  const source = readFileSync(bundle);
  const hash = createHash("sha256").update(source).digest();
  let cached;
  try {
    const file = readFileSync(cache);
    if (file.length > hash.length && file.subarray(0, hash.length).equals(hash)) cached = file.subarray(hash.length);
  } catch {
    // no cache yet
  }
  // The same wrapper as Node's for a CommonJS module, on the first line so that line numbers stay.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __flowcImport) {${source.toString("utf8")}\n})`, {
    filename: bundle,
    cachedData: cached,
  });
  const module = { exports: {} };
  // `__flowcImport`: the bundle's `import()` of tsx's API (scripts/build.ts).
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), (specifier) => import(specifier));
  const save = () => {
    if (cached !== undefined && !script.cachedDataRejected) return;
    const temporary = `${cache}.${process.pid}`;
    try {
      writeFileSync(temporary, Buffer.concat([hash, script.createCachedData()]));
      renameSync(temporary, cache);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing was written
      }
    }
  };
  return { main: module.exports.main, save };
}

let main;
let saveCache = () => undefined;
if (bundleIsFresh()) {
  ({ main, save: saveCache } = loadBundle());
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../compiler/cli.ts"));
}
process.exitCode = await main(process.argv.slice(2));
saveCache();
