/**
 * One module per flow: its step ids as a literal type, its compiled conditions, and the flow
 * as a state machine over those ids — each step with what the runtime needs (collect settings,
 * the called or linked flow, slots to set) and where it goes next.
 */
import { guardIsStaticallyFalse } from "../conditions/static-guard.ts";
import type { DigressionSetting, StepInput } from "../model/input.ts";
import { END, type AssistantIR, type FlowIR, type LinkIR, type StepIR } from "../model/ir.ts";
import type { ConditionInput } from "../model/input.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import { flowsInCallTree } from "../passes/resolve-flow-slots.ts";
import { FlatWriter, header, literal, location, typeAlias, withDeclaration } from "./code.ts";
import { conditionLiteral, writePredicates, type ModulePredicates } from "./emit-predicates.ts";

export interface FlowModuleContext {
  readonly assistant: AssistantIR;
  readonly predicates: ReadonlyMap<ConditionInput, NamedPredicate>;
  /** Import path of the runtime folder from the flows folder (e.g. `../../runtime`). */
  readonly runtime: string;
}

export function emitFlowModule(flow: FlowIR, context: FlowModuleContext): string {
  const conditions = conditionsOf(flow, context.predicates);
  const writer = new FlatWriter();
  header(writer, flow.input.isDefault ? "flowc's default patterns" : flow.input.idRange.file.path);
  const entries = conditions.entries;
  const types = ["Flow", ...(entries.some((e) => e.predicate.site !== "rejection") ? ["FrameContext"] : []), ...(entries.length > 0 ? ["SlotValues"] : [])];
  writer.writeLine(`import type { ${types.join(", ")} } from ${JSON.stringify(`${context.runtime}/model.ts`)};`);
  if (conditions.entries.some(({ predicate }) => predicate.compiled.body.includes("$."))) {
    writer.writeLine(`import * as $ from ${JSON.stringify(`${context.runtime}/conditions/index.ts`)};`);
  }
  writer.blankLine();
  writer.writeLine(`/** The step ids of flow \`${flow.id}\`. */`);
  writer.writeLine(typeAlias("StepId", uniqueIds(flow)));
  writer.blankLine();
  writePredicates(writer, conditions);
  const data = flowLiteral(flow, context);
  writer.writeLine(`/** ${flow.name}: ${flow.input.description.replace(/\*\//g, "*\\/")} */`);
  return withDeclaration(writer, `export const flow: Flow<${JSON.stringify(flow.id)}, StepId> = ${literal(data)};`);
}

function uniqueIds(flow: FlowIR): string[] {
  return [...flow.stepsById.keys()];
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

function flowLiteral(flow: FlowIR, context: FlowModuleContext): Record<string, unknown> {
  const input = flow.input;
  const predicate = (condition: ConditionInput) => context.predicates.get(condition);
  const guard = input.guard;
  let guardLiteral: unknown;
  if (guard?.kind === "boolean") guardLiteral = { kind: "always", value: guard.value };
  else if (guard?.kind === "condition") {
    const compiled = predicate(guard.condition);
    guardLiteral = compiled ? { kind: "condition", ...conditionLiteral(guard.condition, compiled) } : undefined;
  }
  // Keyed by step ids, unique to the flow: an object without prototype starts as a hash table,
  // where adding a key does not create a new hidden class each time.
  const steps: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const step of flow.steps) {
    if (flow.stepsById.get(step.id) !== step) continue;
    steps[step.id] = stepLiteral(step, context);
  }
  const tree = flowsInCallTree(flow, context.assistant.flowsById);
  const collects: { slot: string; resetAfterFlowEnds: boolean }[] = [];
  const sets: string[] = [];
  for (const member of tree) {
    for (const step of member.steps) {
      if (step.input.kind === "collect") {
        const entry = { slot: step.input.collect, resetAfterFlowEnds: step.input.resetAfterFlowEnds };
        if (!collects.some((c) => c.slot === entry.slot && c.resetAfterFlowEnds === entry.resetAfterFlowEnds)) collects.push(entry);
      } else if (step.input.kind === "set_slots") {
        for (const assignment of step.input.assignments) if (!sets.includes(assignment.slot)) sets.push(assignment.slot);
      }
    }
  }
  return {
    id: flow.id,
    name: flow.name,
    description: input.description,
    location: location(input.idRange),
    isPattern: flow.isPattern,
    guard: guardLiteral,
    startableOnlyViaLink: guardIsStaticallyFalse(guard),
    alwaysIncludeInPrompt: input.alwaysIncludeInPrompt,
    nluTrigger: input.nluTrigger.map((t) => ({ intent: t.intent, confidenceThreshold: t.confidenceThreshold })),
    persistedSlots: input.persistedSlots.map((s) => s.name),
    runPatternCompleted: input.runPatternCompleted,
    blockDigressions: digressionOf(input.blockDigressions),
    askConfirmDigressions: digressionOf(input.askConfirmDigressions),
    start: flow.firstStepId ?? END,
    steps,
    collects,
    sets,
  };
}

// The step literals spell out `id` and `location` rather than spreading a shared base: an
// object literal without a spread is allocated from a template, which matters at 10,000 steps.
function stepLiteral(step: StepIR, context: FlowModuleContext): Record<string, unknown> {
  const input: StepInput = step.input;
  const id = step.id;
  const at = location(input.headRange);
  const next = nextLiteral(step, context);
  switch (input.kind) {
    case "action":
      return { id, location: at, kind: "action", action: input.action, next };
    case "collect":
      return {
        id,
        location: at,
        kind: "collect",
        slot: input.collect,
        utter: input.utter ?? `utter_ask_${input.collect}`,
        askAction: `action_ask_${input.collect}`,
        description: input.description,
        askBeforeFilling: input.askBeforeFilling,
        resetAfterFlowEnds: input.resetAfterFlowEnds,
        forceSlotFilling: input.forceSlotFilling,
        rejections: input.rejections.flatMap((rejection) => {
          const condition = rejection.condition;
          if ("booleanValue" in condition) return [];
          const compiled = context.predicates.get(condition);
          return compiled ? [{ condition: conditionLiteral(condition, compiled), utter: rejection.utter }] : [];
        }),
        blockDigressions: digressionOf(input.blockDigressions),
        askConfirmDigressions: digressionOf(input.askConfirmDigressions),
        silenceTimeout: input.silenceTimeout,
        next,
      };
    case "call":
      return { id, location: at, kind: "call", flow: input.call, next };
    case "link":
      return { id, location: at, kind: "link", flow: input.link };
    case "set_slots":
      return { id, location: at, kind: "set_slots", slots: input.assignments.map((a) => ({ slot: a.slot, value: a.value ?? null })), next };
    case "noop":
      return { id, location: at, kind: "noop", next };
  }
}

function digressionOf(setting: DigressionSetting | undefined): true | string[] | undefined {
  if (!setting) return undefined;
  return setting.all ? true : setting.flows.map((f) => f.name);
}

function nextLiteral(step: StepIR, context: FlowModuleContext): Record<string, unknown> {
  const links = step.links;
  const first = links[0];
  if (links.length === 1 && first?.kind === "static") return { kind: "static", to: first.target };
  if (links.length === 0) return { kind: "static", to: END };
  const branches = links.flatMap((link: LinkIR) => {
    if (link.kind !== "if" || !link.input) return [];
    const compiled = context.predicates.get(link.input);
    return compiled ? [{ condition: conditionLiteral(link.input, compiled), to: link.target }] : [];
  });
  return { kind: "branch", branches, otherwise: links.find((link) => link.kind === "else")?.target ?? END };
}
