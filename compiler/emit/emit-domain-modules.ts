/**
 * The domain as modules: `slots.ts` (the `Slots` type and the slot definitions), `responses.ts`
 * (response names and variations with their compiled conditions), `actions.ts` (the
 * `CustomActions` interface) and `catalogue.ts` (what a command generator's prompt needs).
 */
import type { ConditionInput, SlotInput, VariationInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import type { VariationTemplates } from "../passes/compile-response-templates.ts";
import { flowsInCallTree } from "../passes/resolve-flow-slots.ts";
import { commentText, FlatWriter, header, indent, key, literal, Method, Raw, record, str, typeAlias, unionOf, withDeclaration } from "./code.ts";
import { conditionLiteral, usesHelpers, writePredicates } from "./emit-predicates.ts";
import { jinjaLiteral, templateFunctionsText } from "./emit-response-templates.ts";

export interface DomainModuleContext {
  readonly assistant: AssistantIR;
  readonly predicates: ReadonlyMap<ConditionInput, NamedPredicate>;
  /** Import path of the runtime folder from the output folder (e.g. `../runtime`). */
  readonly runtime: string;
  /** The domain files, for headers. */
  readonly sources: string;
  /** The compiled Jinja templates of response variations. */
  readonly templates: ReadonlyMap<VariationInput, VariationTemplates>;
  /** The custom actions the assistant uses (see {@link customActionsUsed}). */
  readonly customActions: readonly CustomActionUse[];
}

/** TypeScript type of a slot's value (design §3.4). */
export function slotValueType(slot: SlotInput): string {
  switch (slot.type) {
    case "text":
      return "string | null";
    case "float":
      return "number | null";
    case "bool":
      return "boolean | null";
    case "categorical":
      return `${unionOf(slot.values)} | null`;
    case "list":
      return "readonly unknown[] | null";
    case "any":
      return "unknown";
  }
}

/** The compiled rejections of a slot's domain-level validation. */
function slotRejections(slot: SlotInput, predicates: ReadonlyMap<ConditionInput, NamedPredicate>): { input: ConditionInput; predicate: NamedPredicate; utter: string }[] {
  return (slot.validation?.rejections ?? []).flatMap((rejection) => {
    const condition = rejection.condition;
    const predicate = "booleanValue" in condition ? undefined : predicates.get(condition);
    return predicate ? [{ input: condition as ConditionInput, predicate, utter: rejection.utter }] : [];
  });
}

export function emitSlotsModule(context: DomainModuleContext): string {
  const slots = [...context.assistant.domain.slots.values()];
  const rejections = new Map(slots.map((slot) => [slot, slotRejections(slot, context.predicates)]));
  const entries = [...rejections.values()].flat();
  const writer = new FlatWriter();
  header(writer, context.sources);
  if (entries.length > 0) writer.writeLine(`import type { SlotValues } from ${str(`${context.runtime}/model.ts`)};`);
  writer.writeLine(`import { defineSlots } from ${str(`${context.runtime}/define-slots.ts`)};`);
  if (usesHelpers({ entries }, "$")) writer.writeLine(`import * as $ from ${str(`${context.runtime}/conditions/index.ts`)};`);
  // A rejection's Jinja beyond plain `{{ a.b }}` holes runs on the response templates' helpers.
  if (usesHelpers({ entries }, "$t")) writer.writeLine(`import * as $t from ${str(`${context.runtime}/templates.ts`)};`);
  writer.blankLine();
  writer.writeLine("/** The value of every slot; `null` while a slot is unset. */");
  writer.writeLine("export interface Slots {");
  for (const slot of slots) writer.writeLine(indent(`readonly ${key(slot.name)}: ${slotValueType(slot)};`, "  "));
  writer.writeLine("}");
  writer.blankLine();
  writer.writeLine("export type SlotName = keyof Slots;");
  writer.blankLine();
  writePredicates(writer, { entries });
  const definitions = record();
  for (const slot of slots) {
    // The form `defineSlots` takes (runtime/define-slots.ts): the name is the key, a null
    // initial value and the one from_llm mapping are left out, one mapping of a type alone is
    // that type, and a slot of a type alone is that type.
    const oneType = slot.mappings.length === 1 && Object.keys(slot.mappings[0]!).length === 1 && typeof slot.mappings[0]!["type"] === "string" ? (slot.mappings[0]!["type"] as string) : undefined;
    const definition: Record<string, unknown> = {
      type: slot.type,
      initialValue: slot.initialValue === null ? undefined : slot.initialValue,
      initialFloat: slot.initialValueWrittenAsFloat,
      values: slot.type === "categorical" ? slot.values : undefined,
      minValue: slot.type === "float" ? slot.minValue : undefined,
      maxValue: slot.type === "float" ? slot.maxValue : undefined,
      mappings: oneType === "from_llm" ? undefined : (oneType ?? slot.mappings),
      validation: slot.validation
        ? {
            rejections: (rejections.get(slot) ?? []).map(({ input, predicate, utter }) => ({ condition: conditionLiteral(input, predicate), utter })),
            refillUtter: slot.validation.refillUtter ?? `utter_ask_${slot.name}`,
          }
        : undefined,
    };
    definitions[slot.name] = Object.keys(definition).every((name) => name === "type" || definition[name] === undefined) ? slot.type : definition;
  }
  return withDeclaration(writer, `export const slots = defineSlots<SlotName>(${literal(definitions)});`);
}

export function emitResponsesModule(context: DomainModuleContext): string {
  const responses = [...context.assistant.domain.responses.values()];
  // Loops rather than nested flatMap calls, which ran cold (once per compile) took 15 ms for
  // an assistant of 7,000 responses.
  const entries: { input: ConditionInput; predicate: NamedPredicate }[] = [];
  const templates: VariationTemplates[] = [];
  for (const response of responses) {
    for (const variation of response.variations) {
      const condition = variation.condition;
      const predicate = condition && !Array.isArray(condition) ? context.predicates.get(condition as ConditionInput) : undefined;
      if (predicate) entries.push({ input: condition as ConditionInput, predicate });
      const compiled = context.templates.get(variation);
      if (compiled !== undefined) templates.push(compiled);
    }
  }
  const writer = new FlatWriter();
  header(writer, context.sources);
  if (entries.length > 0) writer.writeLine(`import type { FrameContext, SlotValues } from ${str(`${context.runtime}/model.ts`)};`);
  writer.writeLine(`import { defineResponses } from ${str(`${context.runtime}/define-responses.ts`)};`);
  if (usesHelpers({ entries }, "$")) writer.writeLine(`import * as $ from ${str(`${context.runtime}/conditions/index.ts`)};`);
  const templateFunctions = templateFunctionsText(templates);
  if (templateFunctions !== "") writer.writeLine(`import * as $t from ${str(`${context.runtime}/templates.ts`)};`);
  writer.blankLine();
  writer.writeLine(typeAlias("ResponseName", responses.map((r) => r.name)));
  writer.blankLine();
  writePredicates(writer, { entries });
  if (templateFunctions !== "") writer.write(templateFunctions);
  // The form `defineResponses` takes (runtime/define-responses.ts): the name is the key, a
  // variation's empty buttons are left out, a variation of a text alone is that text, and a
  // response of one such variation is its text.
  const data = record();
  for (const response of responses) {
    const variations = response.variations.map((variation) => {
      const condition = variation.condition;
      let conditionValue: unknown;
      if (Array.isArray(condition)) conditionValue = condition.map((c: { name: string; value: unknown }) => ({ slot: c.name, value: c.value }));
      else if (condition) {
        const predicate = context.predicates.get(condition as ConditionInput);
        conditionValue = predicate ? conditionLiteral(condition as ConditionInput, predicate) : undefined;
      }
      const fields: Record<string, unknown> = {
        text: variation.text,
        buttons: variation.buttons.length > 0 ? variation.buttons.map((b) => b.fields ?? { title: b.title, payload: b.payload }) : undefined,
        image: variation.image,
        custom: variation.custom,
        quick_replies: variation.quickReplies,
        attachment: variation.attachment,
        elements: variation.elements,
        channel: variation.channel,
        metadata: variation.metadata,
        condition: conditionValue,
        jinja: jinjaLiteral(variation, context.templates),
      };
      const textAlone = typeof fields["text"] === "string" && Object.keys(fields).every((name) => name === "text" || fields[name] === undefined);
      return textAlone ? fields["text"] : fields;
    });
    data[response.name] = variations.length === 1 && typeof variations[0] === "string" ? variations[0] : variations;
  }
  return withDeclaration(writer, `export const responses = defineResponses<ResponseName>(${literal(data)});`);
}

/** A custom action the assistant uses, with the flows that use it. */
export interface CustomActionUse {
  readonly name: string;
  readonly usedBy: readonly string[];
}

const SESSION_START = "action_session_start";

/** Custom actions the assistant uses: those of action steps (but `utter_` names), and `action_ask_<slot>` / `validate_<slot>` of collected slots, and `action_session_start` when the domain lists it. */
export function customActionsUsed(assistant: AssistantIR): CustomActionUse[] {
  const custom = assistant.domain.actions;
  // `flow_<id>` starts flow `id` even when the domain lists it (Rasa's ActionTriggerFlow): no implementation runs.
  const triggers = new Set(assistant.flows.map((f) => `flow_${f.id}`));
  const used = new Map<string, Set<string>>();
  const use = (name: string, flow: string) => {
    // An `utter_` name is a response action even when the domain lists it (Rasa's action_for_name_or_text).
    if (!custom.has(name) || triggers.has(name) || name.startsWith("utter_")) return;
    if (!used.has(name)) used.set(name, new Set());
    used.get(name)!.add(flow);
  };
  for (const flow of assistant.flows) {
    for (const step of flow.steps) {
      const input = step.input;
      if (input.kind === "action") use(input.action, flow.id);
      if (input.kind === "collect") {
        use(`action_ask_${input.collect}`, flow.id);
        use(`validate_${input.collect}`, flow.id);
      }
    }
  }
  for (const slot of assistant.domain.slots.values()) {
    if (slot.validation) use(`validate_${slot.name}`, "slot validation");
  }
  // The domain's own action_session_start runs at every session's start (the runtime's startSession), whatever pattern_session_start does.
  if (!used.has(SESSION_START)) use(SESSION_START, "session start");
  return [...used].map(([name, flows]) => ({ name, usedBy: [...flows] })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function emitActionsModule(context: DomainModuleContext): string {
  const actions = context.customActions;
  const writer = new FlatWriter();
  header(writer, context.sources);
  if (actions.length > 0) writer.writeLine(`import type { ActionContext, ActionReturn } from ${str(`${context.runtime}/actions.ts`)};`);
  if (actions.length > 0) writer.writeLine(`import type { ResponseName } from "./responses.ts";`);
  if (actions.length > 0) writer.writeLine(`import type { Slots } from "./slots.ts";`);
  if (actions.length > 0) writer.blankLine();
  writer.writeLine("/** The custom actions the assistant runs: the application implements each (see `defineActions`). */");
  if (actions.length === 0) {
    writer.writeLine("export type CustomActions = Record<never, never>;");
    return writer.toString();
  }
  writer.writeLine("export interface CustomActions {");
  for (const action of actions) {
    writer.writeLine(indent(`/** Used by ${commentText(action.usedBy.join(", "))}. */`, "  "));
    writer.writeLine(indent(`${key(action.name)}(context: ActionContext<Slots>): ActionReturn<Slots, ResponseName>;`, "  "));
  }
  writer.write("}"); // the line break is added with every file's last one
  return writer.toString();
}

/**
 * `catalogue.ts`, in the form `defineCatalogue` takes (runtime/define-catalogue.ts): the user
 * flows, and in a method (pre-parsed only until an entry's slots are read) the descriptions of
 * the slots each flow and its called flows collect; the other fields come from the flow and the
 * slot table. `flowNames` are the identifiers of the flows' imports.
 */
export function emitCatalogueModule(context: DomainModuleContext, flowNames: ReadonlyMap<string, string>, flowModules: ReadonlyMap<string, string>): string {
  const { assistant } = context;
  const users = assistant.flows.filter((flow) => !flow.isPattern);
  const flows: unknown[] = [];
  const slotLists: Record<string, unknown>[] = [];
  for (const flow of users) {
    const slots = record();
    for (const member of flowsInCallTree(flow, assistant.flowsById)) {
      for (const step of member.steps) {
        if (step.input.kind !== "collect" || Object.hasOwn(slots, step.input.collect)) continue;
        slots[step.input.collect] = step.input.description ?? null;
      }
    }
    slotLists.push(slots);
    // The guard as the prompt shows it, written out only where the flow's own guard would not give it.
    const guard = flow.input.guard;
    const shown = guard?.kind === "condition" ? guard.condition.text : guard?.kind === "boolean" ? (guard.value ? "True" : "False") : undefined;
    const fromFlow = guard?.kind === "condition" ? (context.predicates.has(guard.condition) ? guard.condition.text : undefined) : shown;
    const name = new Raw(flowNames.get(flow.id)!);
    flows.push(shown !== fromFlow ? { flow: name, guard: shown } : name);
  }
  const writer = new FlatWriter();
  header(writer, context.sources);
  writer.writeLine(`import { defineCatalogue, type CatalogueSlots } from ${str(`${context.runtime}/define-catalogue.ts`)};`);
  for (const flow of users) writer.writeLine(`import { flow as ${flowNames.get(flow.id)} } from ${str(`./${flowModules.get(flow.id)!}`)};`);
  writer.writeLine(`import { slots } from "./slots.ts";`);
  writer.blankLine();
  writer.writeLine("/** The user flows as a command generator's prompt lists them, with the slots they and their called flows collect. */");
  const body = `{\n    return ${literal(slotLists, "    ")};\n  }`;
  // The return type checks each record on its own: inferred, records of different keys would
  // read as `key?: undefined` under plain `strict`, which a record of texts refuses.
  const slotsMethod = new Method(body, "readonly CatalogueSlots[]");
  return withDeclaration(writer, `export const catalogue = defineCatalogue(slots, ${literal({ flows, slots: slotsMethod })});`);
}
