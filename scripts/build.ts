/**
 * Bundles the compiler and its dependencies into dist/flowc.js, so that `flowc` starts without
 * transpiling TypeScript at every run (bin/flowc.js falls back to the sources through tsx when
 * the bundle is missing or older than them). Runs on `npm ci` (prepare) and before the tests.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  entryPoints: [`${root}compiler/cli.ts`],
  outfile: `${root}dist/flowc.js`,
  bundle: true,
  // `flowc test` loads the generated TypeScript through tsx's loader hooks, which must stay in
  // their own files (they register themselves by URL); tsx is a dependency, so it is there.
  // zod too: the schema check loads it only for a value that fails its quick tests, and
  // evaluating it with the bundle was a good part of starting `flowc compile`.
  external: ["tsx", "zod"],
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  banner: { js: "import { createRequire as __flowcRequire } from 'node:module'; const require = __flowcRequire(import.meta.url);" },
  logLevel: "warning",
});
