/**
 * One module per flow: its step ids as a literal type, its compiled conditions and action-name
 * templates (a name with more Jinja than bare `{{ context.<field> }}` holes, as a function of the
 * frame's context that returns the name, which its row names in `render`), and the flow
 * as a state machine over those ids — each step with what the runtime needs (collect settings,
 * the called or linked flow, slots to set) and where it goes next.
 *
 * The flow's literal holds what every flow is asked for before it runs (id, name,
 * description, pattern, guard, prompt setting); its `details` method declares the flow's step
 * conditions and returns its other settings and its step table, one string of JSON per step
 * (runtime/define-flow.ts, `FlowDetails`): until the flow first runs, V8 only pre-parses the
 * method and skips over the strings, where a literal of objects and top-level functions cost
 * an assistant of 200 flows about half its cold start (an arrow function would not do: V8
 * parses those of top-level code in full). A row leaves out a step id that is Rasa's
 * generated one for its position (the `StepId` type above the table lists every id). The guard's condition, read when the module is imported, stays a
 * top-level function.
 */
import { hash } from "node:crypto";
import { startableOnlyViaLink as isStartableOnlyViaLink } from "../conditions/static-guard.ts";
import type { ActionStepInput, DigressionSetting, StepInput } from "../model/input.ts";
import { END, type AssistantIR, type FlowIR, type LinkIR, type StepIR } from "../model/ir.ts";
import type { ConditionInput } from "../model/input.ts";
import type { CompiledActionName } from "../passes/compile-action-names.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import { stepsWithCallsResolved } from "../passes/resolve-flow-slots.ts";
import { generatedId, type StepDefinition } from "../../runtime/define-flow.ts";
import { commentText, FlatWriter, header, indent, literal, location, Method, position, Raw, typeAlias, withDeclaration } from "./code.ts";
import { predicatesText, usesHelpers, writePredicates, type ModulePredicates } from "./emit-predicates.ts";

export interface FlowModuleContext {
  readonly assistant: AssistantIR;
  readonly predicates: ReadonlyMap<ConditionInput, NamedPredicate>;
  /** The compiled templates of action names that need more Jinja than bare `{{ context.<field> }}` holes. */
  readonly actionNames: ReadonlyMap<ActionStepInput, CompiledActionName>;
  /** Import path of the runtime folder from the flows folder (e.g. `../../runtime`). */
  readonly runtime: string;
}

export function emitFlowModule(flow: FlowIR, context: FlowModuleContext): string {
  const conditions = conditionsOf(flow, context.predicates);
  const guardCondition = guardConditionOf(flow);
  const guard = { entries: conditions.entries.filter((e) => e.input === guardCondition) };
  const steps = { entries: conditions.entries.filter((e) => e.input !== guardCondition) };
  const templates = actionTemplatesOf(flow, context.actionNames);
  const writer = new FlatWriter();
  header(writer, flow.input.isDefault ? "flowc's default patterns" : flow.input.idRange.file.path);
  const entries = conditions.entries;
  const types = [...(entries.some((e) => e.predicate.site !== "rejection") || templates.size > 0 ? ["FrameContext"] : []), ...(entries.length > 0 ? ["SlotValues"] : [])];
  if (types.length > 0) writer.writeLine(`import type { ${types.join(", ")} } from ${JSON.stringify(`${context.runtime}/model.ts`)};`);
  writer.writeLine(`import { defineFlow } from ${JSON.stringify(`${context.runtime}/define-flow.ts`)};`);
  if (usesHelpers(conditions, "$")) {
    writer.writeLine(`import * as $ from ${JSON.stringify(`${context.runtime}/conditions/index.ts`)};`);
  }
  // Jinja in a condition beyond plain `{{ a.b }}` holes, and in an action name beyond bare holes, runs on the response templates' helpers.
  if (usesHelpers(conditions, "$t") || [...templates.values()].some(({ compiled }) => compiled.code.lines.some((line) => line.includes("$t.")))) {
    writer.writeLine(`import * as $t from ${JSON.stringify(`${context.runtime}/templates.ts`)};`);
  }
  writer.blankLine();
  writer.writeLine(`/** The step ids of flow \`${flow.id}\`. */`);
  writer.writeLine(typeAlias("StepId", uniqueIds(flow)));
  writer.blankLine();
  writePredicates(writer, guard);
  const data = flowLiteral(flow, context, steps, templates);
  writer.writeLine(`/** ${commentText(`${flow.name}: ${flow.input.description}`)} */`);
  return withDeclaration(writer, `export const flow = defineFlow<${JSON.stringify(flow.id)}, StepId>(${literal(data)});`);
}

/** An action step's compiled name in the module: its function's name and code. */
interface ActionTemplate {
  readonly input: ActionStepInput;
  readonly name: string;
  readonly compiled: CompiledActionName;
}

/** The compiled action names of the flow's steps, by step, in step order, each named `action<N>`. */
function actionTemplatesOf(flow: FlowIR, compiled: ReadonlyMap<ActionStepInput, CompiledActionName>): ReadonlyMap<ActionStepInput, ActionTemplate> {
  const out = new Map<ActionStepInput, ActionTemplate>();
  if (compiled.size === 0) return out;
  for (const { input } of flow.steps) {
    const template = input.kind === "action" ? compiled.get(input) : undefined;
    if (template !== undefined && input.kind === "action" && !out.has(input)) out.set(input, { input, name: `action${out.size}`, compiled: template });
  }
  return out;
}

/** The functions of the compiled action names, each with the name as written and its `file:line` in a comment above it. */
function actionTemplatesText(templates: ReadonlyMap<ActionStepInput, ActionTemplate>): string {
  let out = "";
  for (const { input, name, compiled } of templates.values()) {
    const parameter = compiled.code.names.has("context") ? "context" : "_context";
    const body = compiled.code.lines.map((line) => `  ${line}\n`).join("");
    out += `/** ${commentText(location(input.actionSource?.range ?? input.headRange))}: \`${commentText(compiled.source)}\` */\nfunction ${name}(${parameter}: FrameContext): string {\n${body}}\n\n`;
  }
  return out;
}

function uniqueIds(flow: FlowIR): string[] {
  return [...flow.stepsById.keys()];
}

function guardConditionOf(flow: FlowIR): ConditionInput | undefined {
  return flow.input.guard?.kind === "condition" ? flow.input.guard.condition : undefined;
}

/** The conditions of a flow in the order they appear: guard, then steps. */
function conditionsOf(flow: FlowIR, predicates: ReadonlyMap<ConditionInput, NamedPredicate>): ModulePredicates {
  const entries: { input: ConditionInput; predicate: NamedPredicate }[] = [];
  const add = (input: ConditionInput | undefined): void => {
    const predicate = input && predicates.get(input);
    if (input && predicate && !entries.some((e) => e.input === input)) entries.push({ input, predicate });
  };
  if (flow.input.guard?.kind === "condition") add(flow.input.guard.condition);
  for (const step of flow.steps) {
    if (step.input.kind === "collect") for (const rejection of step.input.rejections) if (!("booleanValue" in rejection.condition)) add(rejection.condition);
    for (const link of step.links) if (link.kind === "if") add(link.input);
  }
  return { entries };
}

/**
 * The flow in the form `defineFlow` takes (runtime/define-flow.ts): what equals its default is
 * left out, and the file is named once rather than on every step.
 */
function flowLiteral(flow: FlowIR, context: FlowModuleContext, conditions: ModulePredicates, templates: ReadonlyMap<ActionStepInput, ActionTemplate>): Record<string, unknown> {
  const input = flow.input;
  const guard = input.guard;
  let guardLiteral: unknown;
  if (guard?.kind === "boolean") guardLiteral = guard.value;
  else if (guard?.kind === "condition") {
    const compiled = context.predicates.get(guard.condition);
    // A guard that only reads as a condition once rendered never holds at run time (parse-conditions.ts).
    guardLiteral = compiled ? guardTest(guard.condition, compiled) : guard.condition.renderedWithNone ? false : undefined;
  }
  const startableOnlyViaLink = isStartableOnlyViaLink(guard);
  const table = flow.steps.filter((step) => flow.stepsById.get(step.id) === step);
  const values = new Map<string, unknown>();
  // A missing `next` means the step on the next row.
  const rows = table.map((step, i) => stepLiteral(step, i, table[i + 1]?.id ?? END, flow.id, context, values, templates));
  // Every collect step and every set_slots entry, in Rasa's order: the flow's end resets one slot per entry (§b.7.4).
  const collects: { slot: string; resetAfterFlowEnds: boolean }[] = [];
  const sets: string[] = [];
  for (const step of stepsWithCallsResolved(flow, context.assistant.flowsById)) {
    if (step.input.kind === "collect") collects.push({ slot: step.input.collect, resetAfterFlowEnds: step.input.resetAfterFlowEnds });
    else if (step.input.kind === "set_slots") for (const assignment of step.input.assignments) sets.push(assignment.slot);
  }
  const at = position(input.idRange);
  // The flow as the fingerprint has always hashed it: every setting, in this order.
  const definition: Record<string, unknown> = {
    id: flow.id,
    name: flow.name,
    description: input.description,
    file: at.file,
    line: at.line,
    isPattern: flow.isPattern || undefined,
    guard: guardLiteral,
    startableOnlyViaLink: startableOnlyViaLink !== (guardLiteral === false) ? startableOnlyViaLink : undefined,
    alwaysIncludeInPrompt: input.alwaysIncludeInPrompt || undefined,
    nluTrigger: input.nluTrigger.length > 0 ? input.nluTrigger.map((t) => ({ intent: t.intent, confidenceThreshold: t.confidenceThreshold })) : undefined,
    persistedSlots: input.persistedSlots.length > 0 ? input.persistedSlots.map((s) => s.name) : undefined,
    runPatternCompleted: input.runPatternCompleted ? undefined : false,
    blockDigressions: digressionOf(input.blockDigressions),
    askConfirmDigressions: digressionOf(input.askConfirmDigressions),
    start: flow.firstStepId ?? END,
    // A slot reset after the flow ends is written as its name (runtime/define-flow.ts).
    collects: collects.length > 0 ? collects.map((c) => (c.resetAfterFlowEnds ? c.slot : c)) : undefined,
    sets: sets.length > 0 ? sets : undefined,
  };
  // Each row is written to JSON once, for both the table and the fingerprint.
  const texts = rows.map(rowTexts);
  const details: Record<string, unknown> = {};
  for (const name of DETAILS) details[name] = definition[name];
  details["fingerprint"] = fingerprint(definition, texts, values);
  // What every flow is asked for before it runs, and a method with the rest (see
  // runtime/define-flow.ts): a method, not an arrow function, since V8 parses an arrow
  // function of a module's top-level code in full with that code, but only pre-parses a
  // method until it is called.
  return {
    id: definition["id"],
    name: definition["name"],
    description: definition["description"],
    isPattern: definition["isPattern"],
    guard: definition["guard"],
    alwaysIncludeInPrompt: definition["alwaysIncludeInPrompt"],
    details: new Method(detailsFunction(details, texts, conditions, values, templates)),
  };
}

/** The settings a flow module writes in its `details` method, in the order it writes them (runtime/define-flow.ts, `FlowDetails`). */
const DETAILS = ["file", "line", "startableOnlyViaLink", "nluTrigger", "persistedSlots", "runPatternCompleted", "blockDigressions", "askConfirmDigressions", "start", "collects", "sets"];

/**
 * What a saved conversation compares to tell whether a flow on its stack changed (Rasa's flow
 * fingerprint, runtime-semantics.md §a.2.2): a hash of everything the flow does, its steps and
 * settings, but not where it is written (its file and lines), so that moving a flow or editing
 * another one changes nothing for the conversations running it.
 */
function fingerprint(flow: Readonly<Record<string, unknown>>, rows: readonly RowTexts[], values: ReadonlyMap<string, unknown>): string {
  const { file: _file, line: _line, ...settings } = flow;
  // The text of `{ settings, steps, values }` (the rows without their lines) as `jsonLine` writes it.
  const steps = rows.map((row) => row.withoutLine).join(", ");
  const named = jsonLine(Object.fromEntries([...values].map(([name, value]) => [name, String(value)])));
  const text = `{"settings": ${jsonLine(settings)}, "steps": [${steps}], "values": ${named}}`;
  // The one-shot `hash` (Node 20.12): a Hash object per flow cost more than hashing the text.
  return hash("sha256", text, "hex").slice(0, 16);
}

/** A row's JSON (`jsonLine`), and the same without its `line`, for the fingerprint. */
interface RowTexts {
  readonly json: string;
  readonly withoutLine: string;
}

function rowTexts(row: Record<string, unknown>): RowTexts {
  let json = "";
  let withoutLine = "";
  for (const key of Object.keys(row)) {
    const item = row[key];
    if (!isWritten(item)) continue;
    const field = `${jsonString(key)}: ${jsonLine(item)}`;
    json += json === "" ? field : `, ${field}`;
    if (key !== "line") withoutLine += withoutLine === "" ? field : `, ${field}`;
  }
  return { json: `{${json}}`, withoutLine: `{${withoutLine}}` };
}

/**
 * The body of the `details` method: the step conditions (indented into its body), then the
 * flow's settings, the names of the conditions and of the values JSON cannot write, and one
 * row per step. Each part is indented as it is written (a row is one line), not the whole body
 * once per level.
 */
function detailsFunction(settings: Readonly<Record<string, unknown>>, rows: readonly RowTexts[], conditions: ModulePredicates, values: ReadonlyMap<string, unknown>, templates: ReadonlyMap<ActionStepInput, ActionTemplate>): string {
  const names = conditions.entries.map((e) => e.predicate.name);
  let body = names.length > 0 ? indent(predicatesText(conditions), "    ") : "";
  if (templates.size > 0) body += indent(actionTemplatesText(templates), "    ");
  body += "    return {\n";
  for (const name of Object.keys(settings)) {
    const value = settings[name];
    if (value !== undefined) body += `      ${name}: ${literal(value, "      ")},\n`;
  }
  if (names.length > 0) body += `      tests: { ${names.join(", ")} },\n`;
  if (values.size > 0) body += `${indent(`values: ${literal(Object.fromEntries(values), "  ")},`, "      ")}\n`;
  if (templates.size > 0) body += `      renders: { ${[...templates.values()].map((t) => t.name).join(", ")} },\n`;
  body += "      rows: [\n";
  for (const row of rows) body += `        ${rowLiteral(row.json)},\n`;
  return `{\n${body}      ],\n    };\n  }`;
}

/** A row of the table: its JSON in a single-quoted string literal (JSON's own quotes stay as they are). */
function rowLiteral(json: string): string {
  return `'${json.replace(/[\\']/g, "\\$&")}'`;
}

/**
 * A JSON value on one line, `{"key": value, ...}` (what `JSON.stringify` writes with line
 * breaks, once they are taken out), with every character outside ASCII written as a `\uXXXX`
 * escape (JSON reads it back as the same character; the module stays ASCII). Written here
 * rather than by `JSON.stringify` and three replacements of its output, which took 3% of a
 * compile of a thousand flows.
 */
export function jsonLine(value: unknown): string {
  if (typeof value === "string") return jsonString(value);
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  let out = "";
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) out += `${out === "" ? "" : ", "}${isWritten(item) ? jsonLine(item) : "null"}`;
    return `[${out}]`;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (isWritten(item)) out += `${out === "" ? "" : ", "}${jsonString(key)}: ${jsonLine(item)}`;
  }
  return `{${out}}`;
}

/** Whether JSON writes a property with this value (it leaves out the others, and writes `null` for them in a list). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

function jsonString(text: string): string {
  if (PLAIN_TEXT.test(text)) return `"${text}"`; // the usual case: nothing to escape
  const json = JSON.stringify(text);
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}

/** Printable ASCII except `"` and the backslash: text that JSON writes as it is. */
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

/** Whether JSON writes the value exactly (it has no `Infinity`, `NaN` or `-0`). */
function isJsonValue(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object" && value !== null) return Object.values(value).every(isJsonValue);
  return true;
}

/**
 * A step in the form `defineFlow` takes, as row `row` of the table; `below` is where a step
 * without `next` goes. The id is left out where it is the one Rasa generates for a step in that
 * position (`<flow>_<row>_<kind>`, which `defineFlow` derives the same way). Values of
 * `set_slots` that JSON cannot write go into `values` under a name the row gives.
 */
function stepLiteral(step: StepIR, row: number, below: string, flowId: string, context: FlowModuleContext, values: Map<string, unknown>, templates: ReadonlyMap<ActionStepInput, ActionTemplate>): Record<string, unknown> {
  const definition = stepRow(step, below, context, values, templates);
  // Asked of the runtime's own derivation, so that the two can never disagree.
  if (definition["id"] === generatedId(flowId, row, definition as unknown as StepDefinition<string>)) definition["id"] = undefined;
  return definition;
}

function stepRow(step: StepIR, below: string, context: FlowModuleContext, values: Map<string, unknown>, templates: ReadonlyMap<ActionStepInput, ActionTemplate>): Record<string, unknown> {
  const input: StepInput = step.input;
  const id = step.id;
  const line = position(input.headRange).line;
  const target = nextLiteral(step, context);
  const next = target === below ? undefined : target;
  switch (input.kind) {
    case "action":
      return { id, line, action: input.action, render: templates.get(input)?.name, next };
    case "collect": {
      const rejections = input.rejections.flatMap((rejection) => {
        const condition = rejection.condition;
        if ("booleanValue" in condition) return [];
        const compiled = context.predicates.get(condition);
        return compiled ? [{ ...conditionLiteral(condition, compiled), utter: rejection.utter }] : [];
      });
      return {
        id,
        line,
        collect: input.collect,
        utter: input.utter !== undefined && input.utter !== `utter_ask_${input.collect}` ? input.utter : undefined,
        description: input.description,
        askBeforeFilling: input.askBeforeFilling || undefined,
        resetAfterFlowEnds: input.resetAfterFlowEnds ? undefined : false,
        forceSlotFilling: input.forceSlotFilling || undefined,
        rejections: rejections.length > 0 ? rejections : undefined,
        blockDigressions: digressionOf(input.blockDigressions),
        askConfirmDigressions: digressionOf(input.askConfirmDigressions),
        silenceTimeout: input.silenceTimeout,
        next,
      };
    }
    case "call":
      return { id, line, call: input.call, next };
    case "link":
      return { id, line, link: input.link };
    case "set_slots": {
      const settings = input.assignments.map((a) => {
        const value = a.value ?? null;
        if (isJsonValue(value)) return a.writtenAsFloat ? { slot: a.slot, value, float: true } : { slot: a.slot, value };
        const name = `v${values.size}`;
        values.set(name, value);
        return { slot: a.slot, valueRef: name };
      });
      return { id, line, set_slots: settings, next };
    }
    case "noop":
      return { id, line, noop: true, next };
  }
}

function digressionOf(setting: DigressionSetting | undefined): true | string[] | undefined {
  if (!setting) return undefined;
  return setting.all ? true : setting.flows.map((f) => f.name);
}

/** The target of a static `next`, else the `if`/`then` entries and the `else`. */
function nextLiteral(step: StepIR, context: FlowModuleContext): unknown {
  const links = step.links;
  const first = links[0];
  if (links.length === 1 && first?.kind === "static") return first.target;
  if (links.length === 0) return END;
  const entries: unknown[] = links.flatMap((link: LinkIR) => {
    if (link.kind !== "if" || !link.input) return [];
    const compiled = context.predicates.get(link.input);
    return compiled ? [{ ...conditionLiteral(link.input, compiled), then: link.target }] : [];
  });
  const otherwise = links.find((link) => link.kind === "else")?.target;
  if (otherwise !== undefined && otherwise !== END) entries.push({ else: otherwise });
  return entries;
}

/** The `{ if, test }` of a compiled condition in a row: its text and the name of its function, whose comment has its `file:line`. */
function conditionLiteral(input: ConditionInput, predicate: NamedPredicate): { if: string; test: string } {
  return { if: input.text, test: predicate.name };
}

/** The guard's `{ if, test }`: its text and its function. */
function guardTest(input: ConditionInput, predicate: NamedPredicate): { if: string; test: Raw } {
  return { if: input.text, test: new Raw(predicate.name) };
}
