/**
 * Stage 5: the generated TypeScript of an assistant (design §3.4): one module per flow, the
 * domain modules, and `index.ts`, which exports the compiled assistant, its types, a content
 * hash of everything it contains, and `defineActions` for typed custom actions. Output depends
 * only on the sources and their paths, never on time or machine, so re-runs are byte-identical.
 */
import { createHash } from "node:crypto";
import { relative } from "node:path";
import type { ActionStepInput, ConditionInput, VariationInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import type { CompiledActionName } from "../passes/compile-action-names.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import type { VariationTemplates } from "../passes/compile-response-templates.ts";
import { FlatWriter, header, literal, Raw, record, str, typeAlias } from "./code.ts";
import { customActionsUsed, type CustomActionUse, emitActionsModule, emitCatalogueModule, emitResponsesModule, emitSlotsModule } from "./emit-domain-modules.ts";
import { emitFlowModule } from "./emit-flow-module.ts";

export interface EmittedFile {
  /** Path relative to the output folder, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

export interface EmitOptions {
  /** The output folder and the runtime folder, to compute the runtime's import path. */
  readonly outDir: string;
  readonly runtimeDir: string;
  /** How generated modules import the runtime instead (`flowc/runtime`), when the output folder resolves the package by its name. */
  readonly runtimeSpecifier?: string | undefined;
  /** The compiled Jinja templates of response variations. */
  readonly templates?: ReadonlyMap<VariationInput, VariationTemplates> | undefined;
  /** The compiled Jinja templates of action names. */
  readonly actionNames?: ReadonlyMap<ActionStepInput, CompiledActionName> | undefined;
}

/** The paths of the files `emitAssistant` generates, in its order. */
export function outputPaths(flowIds: readonly string[]): string[] {
  const modules = flowModulePaths(flowIds);
  return [...flowIds.map((id) => modules.get(id)!), "slots.ts", "responses.ts", "actions.ts", "catalogue.ts", "index.ts"];
}

/**
 * Each flow's module, `flows/<id>.ts`. Flow ids that differ only in case (distinct flows for
 * Rasa) would share one file on a case-insensitive disk (macOS, Windows): after the first, they
 * are written as `flows/<id>.2.ts`, `.3`, … (no flow id has a dot, so no other flow's file).
 */
export function flowModulePaths(ids: readonly string[]): Map<string, string> {
  const seen = new Map<string, number>();
  const paths = new Map<string, string>();
  for (const id of ids) {
    const count = (seen.get(id.toLowerCase()) ?? 0) + 1;
    seen.set(id.toLowerCase(), count);
    paths.set(id, count === 1 ? `flows/${id}.ts` : `flows/${id}.${count}.ts`);
  }
  return paths;
}

export function emitAssistant(assistant: AssistantIR, predicates: ReadonlyMap<ConditionInput, NamedPredicate>, options: EmitOptions): EmittedFile[] {
  const runtime = options.runtimeSpecifier ?? importPath(relative(options.outDir, options.runtimeDir));
  const sources = domainSources(assistant);
  const customActions = customActionsUsed(assistant);
  const domainContext = { assistant, predicates, runtime, sources, templates: options.templates ?? new Map<VariationInput, VariationTemplates>(), customActions };
  const flowContext = { assistant, predicates, actionNames: options.actionNames ?? new Map<ActionStepInput, CompiledActionName>(), runtime: options.runtimeSpecifier ?? importPath(`../${relative(options.outDir, options.runtimeDir)}`) };
  const modules = flowModulePaths(assistant.flows.map((flow) => flow.id));
  const files: EmittedFile[] = [
    ...assistant.flows.map((flow) => ({ path: modules.get(flow.id)!, text: emitFlowModule(flow, flowContext) })),
    { path: "slots.ts", text: emitSlotsModule(domainContext) },
    { path: "responses.ts", text: emitResponsesModule(domainContext) },
    { path: "actions.ts", text: emitActionsModule(domainContext) },
    { path: "catalogue.ts", text: emitCatalogueModule(domainContext, flowIdentifiers(assistant.flows.map((f) => f.id)), modules) },
  ];
  files.push({ path: "index.ts", text: emitIndexModule(assistant, files, runtime, sources, modules, customActions) });
  return files.map((file) => (file.text.endsWith("\n") ? file : { ...file, text: `${file.text}\n` }));
}

function importPath(path: string): string {
  const posix = path.split("\\").join("/");
  return posix.startsWith(".") ? posix : `./${posix}`;
}

function domainSources(assistant: AssistantIR): string {
  const files = new Set<string>();
  for (const slot of assistant.domain.slots.values()) if (!slot.isDefault) files.add(slot.nameRange.file.path);
  for (const response of assistant.domain.responses.values()) if (!response.isDefault) files.add(response.nameRange.file.path);
  for (const action of assistant.domain.actions.values()) files.add(action.range.file.path);
  return [...files].sort().join(", ") || "flowc's default patterns";
}

/**
 * Names a flow's import cannot take: the words a module cannot bind (reserved words, and
 * `await`, `eval` and `arguments` of strict code) and the other names `index.ts` and
 * `catalogue.ts` declare or import.
 */
const TAKEN_NAMES = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with"],
  ...["implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "await", "eval", "arguments"],
  ...["assistant", "assistantHash", "catalogue", "defineActions", "defineCatalogue", "responses", "slots"],
  ...["ActionContext", "ActionReturn", "CheckedActions", "CompiledAssistant", "CustomActionContext", "CustomActionReturn", "CustomActions", "FlowId", "ResponseName", "SlotName", "Slots"],
]);

/** Identifiers for the flow modules' imports: the flow id where it is one, else a safe variant. */
function flowIdentifiers(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const id of ids) {
    let name = id.replace(/[^A-Za-z0-9_$]/g, "_");
    if (/^[0-9]/.test(name)) name = `_${name}`;
    while (used.has(name) || TAKEN_NAMES.has(name)) name = `${name}_`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

function emitIndexModule(assistant: AssistantIR, files: readonly EmittedFile[], runtime: string, sources: string, modules: ReadonlyMap<string, string>, used: readonly CustomActionUse[]): string {
  const flowIds = assistant.flows.map((f) => f.id);
  const names = flowIdentifiers(flowIds);
  // Responses, default actions and `flow_<id>` are known without being listed (runtime/plan.ts).
  const domainActions = [...assistant.domain.actions.keys()].sort();
  const customActions = used.map((a) => a.name);
  // The module is written once, with an empty hash; the hash (of every other file and of this
  // text) then replaces it. `hashAt` is where the hash's line starts.
  let hashAt = -1;
  const body = (hash: string) => {
    // Written flat (no indented blocks): CodeBlockWriter follows every character of what it
    // writes, and this module holds an import and a literal entry per flow and per action.
    const writer = new FlatWriter();
    header(writer, `${sources} and the flows of ${[...new Set(assistant.flows.filter((f) => !f.input.isDefault).map((f) => f.input.idRange.file.path))].sort().join(", ") || "no files"}`);
    writer.writeLine(`import type { ActionContext, ActionReturn, CheckedActions } from ${str(`${runtime}/actions.ts`)};`);
    writer.writeLine(`import type { CompiledAssistant } from ${str(`${runtime}/model.ts`)};`);
    writer.writeLine(`import type { CustomActions } from "./actions.ts";`);
    writer.writeLine(`import { catalogue } from "./catalogue.ts";`);
    for (const id of flowIds) writer.writeLine(`import { flow as ${names.get(id)} } from ${str(`./${modules.get(id)!}`)};`);
    writer.writeLine(`import { responses } from "./responses.ts";`);
    writer.writeLine(`import type { ResponseName } from "./responses.ts";`);
    writer.writeLine(`import { slots } from "./slots.ts";`);
    writer.writeLine(`import type { Slots } from "./slots.ts";`);
    writer.blankLine();
    writer.writeLine(`export type { CustomActions } from "./actions.ts";`);
    writer.writeLine(`export type { ResponseName } from "./responses.ts";`);
    writer.writeLine(`export type { SlotName, Slots } from "./slots.ts";`);
    writer.blankLine();
    writer.writeLine(typeAlias("FlowId", flowIds));
    writer.blankLine();
    writer.writeLine("/** The context and the result of a custom action, typed for this assistant. */");
    writer.writeLine("export type CustomActionContext = ActionContext<Slots>;");
    writer.writeLine("export type CustomActionReturn = ActionReturn<Slots, ResponseName>;");
    writer.blankLine();
    writer.writeLine("/** A hash of everything generated for this assistant; saved conversations are checked against it. */");
    hashAt = writer.toString().length;
    writer.writeLine(hashLine(hash));
    writer.blankLine();
    const flows = record();
    for (const id of flowIds) flows[id] = new Raw(names.get(id)!);
    const data = {
      hash: new Raw("assistantHash"),
      flows,
      slots: new Raw("slots"),
      responses: new Raw("responses"),
      customActions,
      domainActions,
      intents: [...assistant.domain.intents.keys()],
      catalogue: new Raw("catalogue"),
      // Rasa's default (slots carried over into a new session) is left out.
      ...(assistant.domain.carryOverSlots ? {} : { carryOverSlots: false }),
    };
    writer.writeLine("/** The compiled assistant, for the runtime; each flow keeps its own step-id type. */");
    writer.writeLine(`export const assistant = ${literal(data)} satisfies CompiledAssistant<FlowId>;`);
    writer.blankLine();
    writer.writeLine("/**");
    writer.writeLine(" * Types an implementation of the custom actions: `tsc` rejects a missing action, an action the");
    writer.writeLine(" * assistant does not have, an unknown slot and a value of the wrong type for a slot.");
    writer.writeLine(" */");
    writer.writeLine("export function defineActions<const A extends CustomActions>(actions: A & CheckedActions<A, CustomActions, Slots>): A {");
    writer.writeLine("  return actions;");
    writer.write("}"); // the line break is added with every file's last one
    return writer.toString();
  };
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\n${file.text}\n`);
  const unhashed = body("");
  hash.update(unhashed);
  const hashed = hashLine(`sha256:${hash.digest("hex").slice(0, 32)}`);
  return unhashed.slice(0, hashAt) + unhashed.slice(hashAt).replace(hashLine(""), () => hashed);
}

function hashLine(hash: string): string {
  return `export const assistantHash = ${str(hash)};`;
}

