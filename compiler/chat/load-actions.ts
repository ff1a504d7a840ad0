/**
 * The custom actions `flowc chat` runs: a TypeScript or JavaScript module exporting `actions`
 * (or a default export), an object with one function per custom action, loaded through tsx
 * like the generated code. Without `--actions`, an `actions.ts` (or `.js`) in the assistant's
 * folder is used when there is one; a custom action without an implementation returns nothing.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CustomAction } from "../../runtime/assistant.ts";

export type LoadedActions =
  | { readonly ok: true; readonly actions: Readonly<Record<string, CustomAction>> }
  | { readonly ok: false; readonly problem: string };

const DEFAULT_NAMES = ["actions.ts", "actions.js", "actions.mjs"];

/** The actions module beside the assistant: in the first folder among `paths` that has one. */
export function defaultActionsFile(paths: readonly string[], cwd: string): string | undefined {
  for (const path of paths) {
    const folder = resolve(cwd, path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    const name = DEFAULT_NAMES.find((candidate) => existsSync(join(folder, candidate)));
    if (name !== undefined) return join(path, name);
  }
  return undefined;
}

export async function loadActions(file: string, cwd: string): Promise<LoadedActions> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) return { ok: false, problem: `${file} does not exist` };
  let module: Readonly<Record<string, unknown>>;
  try {
    const { tsImport } = await import("tsx/esm/api");
    module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Readonly<Record<string, unknown>>;
  } catch (error) {
    return { ok: false, problem: `${file} cannot be loaded: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  const actions = module["actions"] ?? module["default"];
  if (typeof actions !== "object" || actions === null) return { ok: false, problem: `${file} must export \`actions\` (or a default export): an object with one function per custom action` };
  const entries = Object.entries(actions);
  const notFunctions = entries.filter(([, action]) => typeof action !== "function").map(([name]) => name);
  if (notFunctions.length > 0) return { ok: false, problem: `${file}: ${notFunctions.map((name) => `\`${name}\``).join(", ")} must be a function` };
  return { ok: true, actions: Object.fromEntries(entries) as Record<string, CustomAction> };
}
