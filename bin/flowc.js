#!/usr/bin/env node
// The `flowc` command. It runs the bundle dist/flowc.js (built by `npm run build`, which
// `npm ci` runs) when that is newer than every source of the compiler and the runtime, and
// the TypeScript sources through tsx otherwise, so that a checkout always runs its own code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "flowc.js");

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

let main;
if (bundleIsFresh()) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../compiler/cli.ts"));
}
process.exitCode = await main(process.argv.slice(2));
