/**
 * The output contract of code generation (design §3.4, README "Using the generated code") for
 * assistants whose names are awkward in TypeScript: slots, responses and flows named
 * `__proto__`, `constructor` or a reserved word, names that are not identifiers, categorical
 * values with quotes, backslashes and non-ASCII letters, an assistant without custom actions.
 * Each is generated into a folder beside a hand-written module of type tests (each
 * `@ts-expect-error` must meet an error), the whole type-checked once under the README's
 * strict settings, and imported to see that its tables hold every name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFlows, type CompileResult } from "../../compiler/api.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import { typeCheck } from "../support/typecheck.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Awkward {
  /** The YAML sources. */
  readonly sources: Readonly<Record<string, string>>;
  /** Hand-written modules put beside the generated ones (type tests). */
  readonly uses: Readonly<Record<string, string>>;
}

const ASSISTANTS: Readonly<Record<string, Awkward>> = {
  reserved: {
    sources: {
      "domain.yml": "responses:\n  utter_hi: [{text: Hi.}]\n",
      "flows.yml": `flows:\n${[
        "default",
        "enum",
        "await",
        "eval",
        "arguments",
        "let",
        "yield",
        "Slots",
        "FlowId",
        "CustomActions",
        "assistantHash",
        "assistant",
        "defineActions",
        "defineCatalogue",
        "catalogue",
        "1flow",
        "my-flow",
        "my_flow",
      ]
        .map((id, i) => `  ${id}:\n    name: flow ${i}\n    description: flow number ${i}, ${id}\n    steps:\n      - action: utter_hi\n`)
        .join("")}`,
    },
    uses: {
      "types.ts": `import { assistant, defineActions, type CustomActions, type FlowId } from "./index.ts";

export const ids: FlowId[] = ["default", "enum", "await", "eval", "arguments", "Slots", "FlowId", "CustomActions", "assistant", "1flow", "my-flow", "my_flow"];
export const flow: "default" = assistant.flows.default.id;
export const actions = defineActions({});
// @ts-expect-error the assistant has no custom actions
defineActions({ action_check: () => undefined });
// @ts-expect-error the assistant has no custom actions
export const action: keyof CustomActions = "action_check";
`,
    },
  },
};

let base = "";
const results = new Map<string, CompileResult>();
let problems: string[] = [];

beforeAll(() => {
  base = mkdtempSync(join(ROOT, ".vitest-tmp-awkward-"));
  const roots: string[] = [];
  for (const [name, assistant] of Object.entries(ASSISTANTS)) {
    const dir = join(base, name);
    const inputs = Object.entries(assistant.sources).map(([path, text]) => ({ path, text }));
    const result = compileFlows({ inputs, cwd: ROOT, outDir: relative(ROOT, dir), env: {} });
    results.set(name, result);
    for (const file of result.outputFiles) {
      mkdirSync(join(dir, file.path, ".."), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    for (const [path, text] of Object.entries(assistant.uses)) {
      writeFileSync(join(dir, path), text);
      roots.push(join(dir, path));
    }
    roots.push(join(dir, "index.ts"));
  }
  problems = roots.length > 0 && [...results.values()].every((r) => r.errors.length === 0) ? typeCheck(roots, base) : ["not compiled"];
}, 120_000);

afterAll(() => {
  if (base !== "") rmSync(base, { recursive: true, force: true });
});

async function load(name: string): Promise<CompiledAssistant> {
  const module = (await import(pathToFileURL(join(base, name, "index.ts")).href)) as { assistant: CompiledAssistant };
  return module.assistant;
}

function problemsOf(name: string): string[] {
  return problems.filter((p) => p.startsWith(`${name}/`) || !p.includes("/"));
}

describe("flow ids that are reserved words or names the index declares", () => {
  it("compile and type-check strictly, with no custom actions to implement", () => {
    expect(results.get("reserved")?.errors).toEqual([]);
    expect(problemsOf("reserved")).toEqual([]);
  });

  it("are each a flow of the imported assistant", async () => {
    const assistant = await load("reserved");
    for (const id of ["default", "enum", "await", "eval", "arguments", "let", "yield", "Slots", "FlowId", "CustomActions", "assistantHash", "assistant", "defineActions", "defineCatalogue", "catalogue", "1flow", "my-flow", "my_flow"]) {
      expect(assistant.flows[id]?.id, id).toBe(id);
    }
  });
});
