/**
 * Bundles the compiler and its dependencies into dist/flowc.js, so that `flowc` starts without
 * transpiling TypeScript at every run (bin/flowc.js falls back to the sources through tsx when
 * the bundle is missing or older than them). Runs on `npm ci` (prepare) and before the tests.
 *
 * The bundle is CommonJS (dist/package.json says so): bin/flowc.js compiles it as a script
 * with V8's code cache (dist/flowc.cache), which Node 20 offers for scripts but not for ES
 * modules; compiling the bundle was a good part of starting `flowc`.
 */
import { build, type Plugin } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
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
  format: "cjs",
  target: "node20",
  sourcemap: "linked",
  plugins: [importThroughBin("tsx/esm/api", ["tsImport"])],
  // The sources find their package folder and resolve modules from `import.meta.url`.
  define: { "import.meta.url": "__flowcModuleUrl" },
  banner: { js: '"use strict";\nvar __flowcModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
/**
 * Imports an external ES module through the function `__flowcImport` that bin/flowc.js passes
 * the bundle (its own `import()`, which resolves from the same package): a script compiled from
 * V8's code cache has lost its dynamic import callback, so `import()` in the bundle would fail.
 * The module's `names` become functions that import it on their first call.
 */
function importThroughBin(specifier: string, names: readonly string[]): Plugin {
  const load = `const load = () => (typeof __flowcImport === "function" ? __flowcImport : (s) => import(s))(${JSON.stringify(specifier)});`;
  const exports = names.map((name) => `export const ${name} = async (...args) => (await load()).${name}(...args);`);
  return {
    name: `import ${specifier} through bin/flowc.js`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${specifier.replace(/[/.]/g, "\\$&")}$`) }, () => ({ path: specifier, namespace: "import-through-bin" }));
      build.onLoad({ filter: /.*/, namespace: "import-through-bin" }, () => ({ contents: [load, ...exports].join("\n"), loader: "js" }));
    },
  };
}

writeFileSync(`${root}dist/package.json`, `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
// A cache of the previous bundle would be refused anyway (bin/flowc.js checks its hash).
rmSync(`${root}dist/flowc.cache`, { force: true });
