/**
 * Stage 2 for flows files: checks each flows file against the format of
 * shared/spec/flows-format.md §a and turns it into the typed input model. Steps, `next` lists
 * and other unions are told apart here by their keys, so that a problem is explained in terms of
 * the shape the user meant. Every problem of every file is reported.
 *
 * Rejects, for example:
 *   flows:
 *     greet:
 *       description: Greets.
 *       steps:
 *         - collect: confirmed
 *           ask_before_filling: yes      # FLW1020: YAML 1.2 reads `yes` as a string
 */
import { pythonStr } from "../../runtime/conditions/template.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { BranchInput, DigressionSetting, FlowGuardInput, FlowInput, FlowsPartInput, NextInput, NluTriggerInput, RejectionInput, ScalarSource, SlotAssignmentInput, StepInput, StepKind, TargetInput } from "../model/input.ts";
import type { SourceRange } from "../source/source-file.ts";
import { describeValue, didYouMean } from "../util/suggest.ts";
import type { LoadedFile } from "./load-yaml-files.ts";
import { A_BOOLEAN, A_LIST_OF_STRINGS, A_STRING, any, bool, FileChecker, isObject, num, str, truthy, type Obj, type PropertySpec, type Shape } from "./schema-checker.ts";

const STEP_KINDS = ["action", "collect", "link", "call", "set_slots", "noop"] as const satisfies readonly StepKind[];
/** The step type keys as a message lists them. */
const STEP_KIND_LIST = STEP_KINDS.map((k) => `\`${k}\``).join(", ");
/** How problems name a step of each kind ("unknown property `x` on a collect step"). */
const STEP_KIND_LABELS: Readonly<Record<StepKind, string>> = {
  action: "an action",
  collect: "a collect",
  link: "a link",
  call: "a call",
  set_slots: "a set_slots",
  noop: "a noop",
};
const LEGACY_STEP_KEYS = ["generation_prompt", "entry_prompt", "intent", "or", "collect_information"];

const digressions: Shape = { union: ["boolean", { array: "string" }] };
const BOOL_OR_FLOWS = "`true`, `false` or a list of flow ids";
const NEXT_FORM = "a step id or a list of `if`/`then` and `else` branches";

const FLOW_PROPERTIES: PropertySpec = {
  description: [str, A_STRING],
  steps: [{ array: any }, "a list of steps"],
  name: [str, A_STRING],
  if: [{ union: [str, bool] }, "a condition string or a boolean"],
  always_include_in_prompt: [bool, A_BOOLEAN],
  nlu_trigger: [any, "a list of intents"],
  persisted_slots: [{ array: str }, A_LIST_OF_STRINGS],
  run_pattern_completed: [bool, A_BOOLEAN],
  translation: [{ record: true }, "a mapping from language to translation"],
  file_path: [str, A_STRING],
  block_digressions: [digressions, BOOL_OR_FLOWS],
  ask_confirm_digressions: [digressions, BOOL_OR_FLOWS],
};
const FLOW_REQUIRED = ["description", "steps"];

const REJECTION_PROPERTIES: PropertySpec = { if: [{ union: [str, bool] }, "a condition string"], utter: [str, "a response name"] };

const COMMON_STEP_PROPERTIES: PropertySpec = {
  id: [str, A_STRING],
  next: [{ union: [str, { array: any }] }, NEXT_FORM],
  metadata: [any, "anything"],
};

const STEP_PROPERTIES: Readonly<Record<StepKind, { readonly properties: PropertySpec; readonly strict: boolean }>> = {
  action: { strict: true, properties: { ...COMMON_STEP_PROPERTIES, action: [str, A_STRING] } },
  collect: {
    strict: true,
    properties: {
      ...COMMON_STEP_PROPERTIES,
      collect: [str, A_STRING],
      description: [str, A_STRING],
      ask_before_filling: [bool, A_BOOLEAN],
      reset_after_flow_ends: [bool, A_BOOLEAN],
      utter: [str, A_STRING],
      force_slot_filling: [bool, A_BOOLEAN],
      rejections: [{ array: any }, "a list of `if`/`utter` rejections"],
      silence_timeout: [{ union: [num, { record: true }] }, "a number of seconds or a mapping from channel to seconds"],
      block_digressions: [digressions, BOOL_OR_FLOWS],
      ask_confirm_digressions: [digressions, BOOL_OR_FLOWS],
    },
  },
  call: {
    strict: true,
    properties: {
      ...COMMON_STEP_PROPERTIES,
      call: [str, A_STRING],
      description: [str, A_STRING],
      mcp_server: [str, A_STRING],
      mapping: [{ record: true }, "a mapping"],
      exit_if: [{ array: any }, "a list of conditions"],
    },
  },
  // Rasa's schema types `description` only on collect and call steps; link, set_slots and noop
  // steps take any value there (`description: 1` loads), so it is not typed here either.
  link: { strict: false, properties: { ...COMMON_STEP_PROPERTIES, link: [str, A_STRING] } },
  // `set_slots` is typed by validateSetSlots, which also says how to fix a mapping.
  set_slots: {
    strict: false,
    properties: { ...COMMON_STEP_PROPERTIES, set_slots: [any, "a list of `slot: value` mappings"] },
  },
  noop: { strict: false, properties: { ...COMMON_STEP_PROPERTIES, noop: [any, "anything"] } },
};

export function validateFlowsFile(loaded: LoadedFile, diagnostics: DiagnosticBag, isDefault: boolean): FlowsPartInput {
  const checker = new FileChecker(loaded.tree, diagnostics, isDefault);
  const root = loaded.tree.root as Obj;
  const flows: FlowInput[] = [];
  if ("version" in root && typeof root.version !== "string") {
    checker.report("versionNotString", { found: describeValue(root.version) }, checker.valueRange(root, "version"), {
      suggestion: "quote it: version: \"3.1\"",
    });
  }
  const flowsValue = root.flows;
  if (!isObject(flowsValue)) {
    checker.report("flowsNotMapping", { found: describeValue(flowsValue) }, checker.valueRange(root, "flows"));
    return { tree: loaded.tree, isDefault, flows };
  }
  for (const id of Object.keys(flowsValue)) {
    const flow = validateFlow(checker, flowsValue, id);
    if (flow) flows.push(flow);
  }
  return { tree: loaded.tree, isDefault, flows };
}

/** The flow ids whose flows Rasa's schema checks (`patternProperties`); others it skips (S13). */
const SCHEMA_FLOW_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

function validateFlow(checker: FileChecker, flows: Obj, id: string): FlowInput | undefined {
  checker.schemaSkipped = !SCHEMA_FLOW_ID.test(id);
  const body = flows[id];
  const idRange = checker.keyRange(flows, id);
  if (!isObject(body)) {
    checker.report("wrongFlowPropertyType", { key: id, expected: "a mapping with `description` and `steps`", found: describeValue(body) }, checker.valueRange(flows, id), { flow: id });
    return undefined;
  }
  const ok = checker.checkProperties(body, FLOW_PROPERTIES, {
    strict: true,
    required: FLOW_REQUIRED,
    unknownKey: "unknownFlowKey",
    wrongType: "wrongFlowPropertyType",
    flow: id,
    // `id` is a step's property; a flow's id is its key (the nearest key, `if`, is a guard).
    hints: { id: `a flow's id is its key under \`flows:\` (here \`${id}\`); remove \`id\`` },
    missing: (key) => checker.report("missingFlowKey", { flow: id, key }, idRange, { flow: id }),
  });
  const nluTrigger = validateNluTrigger(checker, body, id);
  const blockDigressions = digressionSetting(checker, body, "block_digressions");
  const askConfirmDigressions = digressionSetting(checker, body, "ask_confirm_digressions");
  const translation = validateTranslation(checker, body, id);
  const stepsValue = body.steps;
  const steps = Array.isArray(stepsValue) ? validateStepList(checker, stepsValue, id) : undefined;
  if (!ok || !steps || nluTrigger === undefined || translation === false) return undefined;

  const guardValue = body.if;
  let guard: FlowGuardInput | undefined;
  if (typeof guardValue === "boolean") guard = { kind: "boolean", value: guardValue, range: checker.valueRange(body, "if") };
  // `if: ""` is no guard: Rasa checks and evaluates a guard only when the text is not empty.
  else if (typeof guardValue === "string" && guardValue !== "") guard = { kind: "condition", condition: checker.condition(body, "if", guardValue, "guard") };

  const persisted = (body.persisted_slots as string[] | undefined) ?? [];
  const persistedList = body.persisted_slots as object | undefined;
  return {
    id,
    idRange,
    range: checker.rangeOf(body),
    tree: checker.tree,
    description: body.description as string,
    descriptionRange: checker.valueRange(body, "description"),
    name: body.name as string | undefined,
    nameRange: "name" in body ? checker.valueRange(body, "name") : undefined,
    guard,
    alwaysIncludeInPrompt: truthy(body.always_include_in_prompt, false),
    nluTrigger,
    persistedSlots: persisted.map((slot, index) => ({ name: slot, range: persistedList ? checker.valueRange(persistedList, index) : idRange })),
    runPatternCompleted: truthy(body.run_pattern_completed, true),
    blockDigressions,
    askConfirmDigressions,
    translation: translation ?? undefined,
    steps,
    stepsRange: checker.valueRange(body, "steps"),
    isDefault: checker.isDefault,
  };
}

/** Rasa checks `exit_if` only when it holds something: `exit_if: []` (or null) is no condition. */
function hasExitIf(item: Obj): boolean {
  const value = item.exit_if;
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

function validateTranslation(checker: FileChecker, body: Obj, flow: string): Record<string, { name: string }> | null | false {
  const value = body.translation;
  if (!isObject(value)) return null;
  const out: Record<string, { name: string }> = {};
  let ok = true;
  for (const language of Object.keys(value)) {
    const entry = value[language];
    // Rasa's schema: `metadata` next to the languages is any mapping, not a translation.
    if (language === "metadata" && isObject(entry)) continue;
    if (!isObject(entry) || typeof entry.name !== "string" || Object.keys(entry).some((k) => k !== "name" && k !== "metadata")) {
      checker.report("wrongFlowPropertyType", { key: `translation.${language}`, expected: "a mapping with a string `name` (and optional `metadata`)", found: describeValue(entry) }, checker.valueRange(value, language), { flow });
      ok = false;
      continue;
    }
    out[language] = { name: entry.name };
  }
  return ok ? out : false;
}

function validateNluTrigger(checker: FileChecker, body: Obj, flow: string): NluTriggerInput[] | undefined {
  const value = body.nlu_trigger;
  if (value === undefined) return [];
  if (checker.schemaSkipped) return loadNluTriggerWithoutSchema(checker, body, flow);
  const range = checker.valueRange(body, "nlu_trigger");
  if (!Array.isArray(value) || value.length === 0) {
    checker.report("invalidNluTrigger", { reason: Array.isArray(value) ? "the list is empty; give at least one `- intent: name`" : `expected a list of \`- intent: name\` items, found ${describeValue(value)}` }, range, { flow });
    return undefined;
  }
  const out: NluTriggerInput[] = [];
  let ok = true;
  value.forEach((item: unknown, index) => {
    const itemRange = checker.valueRange(value, index);
    const parsed = parseNluTriggerItem(item);
    if (typeof parsed === "string") {
      checker.report("invalidNluTrigger", { reason: parsed }, itemRange, { flow });
      ok = false;
    } else out.push({ ...parsed, range: itemRange });
  });
  return ok ? out : undefined;
}

/**
 * L4: `nlu_trigger` of a flow the schema skips (S13), read as Rasa's loader reads it. Nothing
 * (`[]`, `null`, `""`, `false`, `0`) is no trigger. Otherwise each item must be a mapping, and
 * each of its values, whatever the key, is a trigger: a string is the intent, a mapping needs a
 * `name` and takes a `confidence_threshold` Python's `float()` reads; any other value is skipped.
 * A flow the schema checks cannot be like this.
 */
function loadNluTriggerWithoutSchema(checker: FileChecker, body: Obj, flow: string): NluTriggerInput[] | undefined {
  const value = body.nlu_trigger;
  if (value === null || value === "" || value === false || value === 0 || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) return [];
  const range = checker.valueRange(body, "nlu_trigger");
  if (!Array.isArray(value)) {
    checker.report("invalidNluTrigger", { reason: `expected a list of \`- intent: name\` items, found ${describeValue(value)}` }, range, { flow });
    return undefined;
  }
  const out: NluTriggerInput[] = [];
  let ok = true;
  value.forEach((item: unknown, index) => {
    const itemRange = checker.valueRange(value, index);
    if (!isObject(item)) {
      checker.report("invalidNluTrigger", { reason: `each item must be a mapping such as \`intent: name\`, found ${describeValue(item)}` }, itemRange, { flow });
      ok = false;
      return;
    }
    for (const key of Object.keys(item)) {
      const entry = item[key];
      if (typeof entry === "string") out.push({ intent: entry, confidenceThreshold: 0, range: itemRange });
      else if (isObject(entry)) {
        const threshold = pythonFloatOf(entry.confidence_threshold ?? 0);
        if (!("name" in entry) || threshold === undefined) {
          const reason = !("name" in entry) ? `\`${key}:\` has no \`name\`` : `\`confidence_threshold\` must be a number, found ${describeValue(entry.confidence_threshold)}`;
          checker.report("invalidNluTrigger", { reason }, checker.valueRange(item, key), { flow });
          ok = false;
        } else out.push({ intent: pythonStr(entry.name), confidenceThreshold: threshold, range: itemRange });
      }
    }
  });
  return ok ? out : undefined;
}

/** Python's `float(value)`, or undefined where it raises. */
function pythonFloatOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/.test(text)) return undefined;
  return Number(text.replace(/_/g, ""));
}

function parseNluTriggerItem(item: unknown): { intent: string; confidenceThreshold: number } | string {
  const shape = "each item must be `intent: name` or `intent: {name: …, confidence_threshold: …}`";
  if (!isObject(item)) return `${shape}, found ${describeValue(item)}`;
  const extra = Object.keys(item).filter((k) => k !== "intent");
  if (extra.length > 0) return `${shape}; \`${extra[0]}\` belongs inside \`intent:\`, next to \`name\``;
  const intent = item.intent;
  if (typeof intent === "string") return { intent, confidenceThreshold: 0 };
  if (isObject(intent) && typeof intent.name === "string" && Object.keys(intent).every((k) => k === "name" || k === "confidence_threshold")) {
    const threshold = intent.confidence_threshold;
    if (threshold === undefined) return { intent: intent.name, confidenceThreshold: 0 };
    if (typeof threshold === "number" && Number.isFinite(threshold)) return { intent: intent.name, confidenceThreshold: threshold };
  }
  return `${shape}, found \`intent:\` ${describeValue(intent)}`;
}

function digressionSetting(checker: FileChecker, body: Obj, key: "block_digressions" | "ask_confirm_digressions"): DigressionSetting | undefined {
  const value = body[key];
  if (value === true) return { all: true, range: checker.valueRange(body, key) };
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return { all: false, range: checker.valueRange(body, key), flows: value.map((name: string, index) => ({ name, range: checker.valueRange(value, index) })) };
  }
  return undefined;
}

/** Collect properties of Rasa versions after 3.12, which its schema refuses (flows-format.md §b.2). */
const NEWER_COLLECT_KEYS: Readonly<Record<string, string>> = {
  dtmf: "`dtmf` (keypad input for voice channels) is a collect property of Rasa versions after 3.12, whose schema refuses it; remove it",
};

function validateStepList(checker: FileChecker, list: readonly unknown[], flow: string): StepInput[] | undefined {
  const steps: StepInput[] = [];
  let ok = true;
  list.forEach((item, index) => {
    const step = validateStep(checker, list, index, item, flow);
    if (step) steps.push(step);
    else ok = false;
  });
  return ok ? steps : undefined;
}

/** Why a step with no type key has none, and what to write instead. */
function untypedStep(item: Obj): { readonly reason: string; readonly suggestion: string | undefined } {
  const legacy = Object.keys(item).find((k) => LEGACY_STEP_KEYS.includes(k));
  // A conditional step (`if` with `then`/`else` as a step of its own) is syntax of Rasa versions after 3.12.
  const conditional = "if" in item;
  const reason = legacy
    ? `\`${legacy}\` steps are no longer supported; a step needs exactly one of ${STEP_KIND_LIST}`
    : conditional
      ? `a step that is an \`if\` with \`then\`/\`else\` is not a step type of Rasa 3.12; a step needs exactly one of ${STEP_KIND_LIST}`
      : `this step has none of ${STEP_KIND_LIST}, so its type is unknown`;
  const suggestion = conditional
    ? "Rasa 3.12 branches in a step's `next`: give the step before it (or a `noop: true` step) a `next` list of `- if: …` / `then:` and `- else:` items"
    : (Object.keys(item).map((k) => didYouMean(k, STEP_KINDS)).find((s) => s !== undefined) ??
      // A step written only to branch (`id` and `next`) is a noop step without its key.
      ("next" in item ? "a step that only branches is a noop step: add `noop: true` to it" : undefined));
  return { reason, suggestion };
}

function validateStep(checker: FileChecker, list: readonly unknown[], index: number, item: unknown, flow: string): StepInput | undefined {
  const range = checker.valueRange(list, index);
  if (!isObject(item)) {
    checker.report("stepTypeKey", { reason: `a step must be a mapping with one of ${STEP_KIND_LIST}, but it is ${describeValue(item)}` }, range, { flow });
    return undefined;
  }
  const kinds = STEP_KINDS.filter((kind) => kind in item);
  // Without the schema (S13), Rasa's loader takes the first type key it knows, in this order,
  // and reads nothing of the others (L4).
  if (kinds.length > 1 && checker.schemaSkipped) {
    for (const other of kinds.slice(1)) {
      if (!STEP_PROPERTIES[kinds[0]!].strict) checker.report("ignoredProperty", { key: other, kind: `${STEP_KIND_LABELS[kinds[0]!]} step`, flow }, checker.keyRange(item, other), { flow });
    }
  } else if (kinds.length !== 1) {
    const { reason, suggestion } =
      kinds.length === 0 ? untypedStep(item) : { reason: `this step has both ${kinds.map((k) => `\`${k}\``).join(" and ")}; a step has exactly one type`, suggestion: undefined };
    checker.report("stepTypeKey", { reason }, range, { flow, suggestion });
    return undefined;
  }
  const kind = kinds[0]!;
  const { properties, strict } = STEP_PROPERTIES[kind];
  const stepLabel = typeof item.id === "string" && item.id !== "" ? item.id : undefined;
  let ok = checker.checkProperties(item, properties, {
    strict,
    // S9 is a schema rule: a flow the schema skips (S13) may leave out a noop's `next`.
    required: kind === "noop" && !checker.schemaSkipped ? ["noop", "next"] : [kind],
    unknownKey: "unknownStepKey",
    wrongType: "wrongStepPropertyType",
    kind: STEP_KIND_LABELS[kind],
    flow,
    ...(kind === "collect" ? { hints: NEWER_COLLECT_KEYS } : {}),
    missing: (key) => {
      if (key === "next") checker.report("noopWithoutNext", {}, checker.keyRange(item, "noop"), { flow, step: stepLabel });
    },
  });
  const headRange = checker.keyRange(item, kind);
  const customId = typeof item.id === "string" && item.id !== "" ? item.id : undefined;
  const idRange = "id" in item ? checker.valueRange(item, "id") : undefined;
  const next = "next" in item ? validateNext(checker, item, flow) : undefined;
  if (next === null) ok = false;
  // The fields every step has, written out in each result below (in this order) rather than
  // spread from a shared object: spreading into a literal with more fields was a good part of
  // checking the steps of a large assistant.
  const valueRange = checker.valueRange(item, kind);
  const fullHeadRange: SourceRange = { file: headRange.file, start: headRange.start, end: valueRange.end };
  const nextInput = next ?? undefined;
  const description = typeof item.description === "string" ? item.description : undefined;
  const metadata = item.metadata;
  switch (kind) {
    case "action":
      return ok ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind, action: item.action as string, actionRange: valueRange, actionSource: actionSource(checker, item) } : undefined;
    case "link":
      return ok ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind, link: item.link as string } : undefined;
    case "noop":
      return ok ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind } : undefined;
    case "call": {
      if (("mcp_server" in item) !== ("mapping" in item)) {
        const has = "mcp_server" in item ? "mcp_server" : "mapping";
        const lacks = has === "mcp_server" ? "mapping" : "mcp_server";
        checker.report("mcpCall", { reason: `a call step with \`${has}\` also needs \`${lacks}\` (MCP tool calls are not supported by flowc)` }, checker.keyRange(item, has), { flow, step: stepLabel });
        ok = false;
      }
      return ok ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind, call: item.call as string, exitIfRange: hasExitIf(item) ? checker.keyRange(item, "exit_if") : undefined } : undefined;
    }
    case "set_slots": {
      const assignments = validateSetSlots(checker, item, flow);
      return ok && assignments ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind, assignments } : undefined;
    }
    case "collect": {
      const rejections = validateRejections(checker, item.rejections, flow);
      const timeoutOk = validateSilenceTimeout(checker, item, flow);
      if (!ok || !rejections || !timeoutOk) return undefined;
      return {
        customId,
        idRange,
        range,
        headRange: fullHeadRange,
        next: nextInput,
        description,
        metadata,
        kind,
        collect: item.collect as string,
        collectRange: checker.valueRange(item, "collect"),
        utter: item.utter as string | undefined,
        utterRange: "utter" in item ? checker.valueRange(item, "utter") : undefined,
        askBeforeFilling: truthy(item.ask_before_filling, false),
        resetAfterFlowEnds: truthy(item.reset_after_flow_ends, true),
        resetAfterFlowEndsRange: "reset_after_flow_ends" in item ? checker.keyRange(item, "reset_after_flow_ends") : undefined,
        forceSlotFilling: truthy(item.force_slot_filling, false),
        rejections,
        silenceTimeout: item.silence_timeout as number | Record<string, number> | undefined,
        blockDigressions: digressionSetting(checker, item, "block_digressions"),
        askConfirmDigressions: digressionSetting(checker, item, "ask_confirm_digressions"),
      };
    }
  }
}

/** Where an action step's name is written, when it has a `{` (see ActionStepInput.actionSource). */
function actionSource(checker: FileChecker, item: Obj): ScalarSource | undefined {
  return typeof item.action === "string" && item.action.includes("{") ? { range: checker.valueRange(item, "action"), node: checker.tree.valueNode(item, "action") } : undefined;
}

function validateSilenceTimeout(checker: FileChecker, item: Obj, flow: string): boolean {
  const value = item.silence_timeout;
  if (value === undefined) return true;
  const valid = (v: unknown): boolean => typeof v === "number" && v >= 0 && Number.isFinite(v);
  if (typeof value === "number") {
    if (valid(value)) return true;
    checker.report("invalidSilenceTimeout", { found: describeValue(value) }, checker.valueRange(item, "silence_timeout"), { flow });
    return false;
  }
  if (isObject(value)) {
    let ok = true;
    for (const channel of Object.keys(value)) {
      if (!valid(value[channel])) {
        checker.report("invalidSilenceTimeout", { found: describeValue(value[channel]) }, checker.valueRange(value, channel), { flow });
        ok = false;
      }
    }
    return ok;
  }
  return false; // wrong type, already reported by the property check
}

export function validateRejections(checker: FileChecker, value: unknown, flow: string | undefined): RejectionInput[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const out: RejectionInput[] = [];
  let ok = true;
  value.forEach((item: unknown, index) => {
    const range = checker.valueRange(value, index);
    if (!isObject(item)) {
      checker.report("wrongStepPropertyType", { key: "rejections", expected: "a list of mappings with `if` and `utter`", found: `an item that is ${describeValue(item)}` }, range, { flow });
      ok = false;
      return;
    }
    const fine = checker.checkProperties(item, REJECTION_PROPERTIES, {
      strict: false,
      required: ["if", "utter"],
      unknownKey: "unknownStepKey",
      wrongType: "wrongStepPropertyType",
      flow,
      missing: (key) => {
        checker.report("wrongStepPropertyType", { key: `rejections[${index}].${key}`, expected: key === "if" ? "a condition string" : "a response name", found: "missing" }, range, { flow });
      },
    });
    if (!fine) {
      ok = false;
      return;
    }
    const condition = typeof item.if === "boolean" ? { booleanValue: item.if, range: checker.valueRange(item, "if") } : checker.condition(item, "if", item.if as string, "rejection");
    out.push({ condition, utter: item.utter as string, utterRange: checker.valueRange(item, "utter") });
  });
  return ok ? out : undefined;
}

function validateSetSlots(checker: FileChecker, item: Obj, flow: string): SlotAssignmentInput[] | undefined {
  const list = item.set_slots;
  if (!Array.isArray(list)) {
    checker.report("wrongStepPropertyType", { key: "set_slots", expected: "a list of `slot: value` mappings", found: describeValue(list) }, checker.valueRange(item, "set_slots"), {
      flow,
      suggestion: isObject(list) ? "write each slot as a list item: `- slot: value`" : undefined,
    });
    return undefined;
  }
  const out: SlotAssignmentInput[] = [];
  let ok = true;
  list.forEach((entry: unknown, index) => {
    if (!isObject(entry)) {
      checker.report("wrongStepPropertyType", { key: "set_slots", expected: "a list of `slot: value` mappings", found: `an item that is ${describeValue(entry)}` }, checker.valueRange(list, index), { flow });
      ok = false;
      return;
    }
    for (const slot of Object.keys(entry)) out.push({ slot, value: entry[slot], range: checker.keyRange(entry, slot), writtenAsFloat: checker.floatLiteral(entry, slot) });
  });
  return ok ? out : undefined;
}

/**
 * Returns the parsed `next`, `undefined` for "no next" (omitted, `""`, `[]`), or null on error (an
 * empty `next:` too). In a flow the schema skips (S13), Rasa's loader reads any falsy `next`, and
 * a list of falsy items, as no next (flows-format.md §c.1).
 */
function validateNext(checker: FileChecker, item: Obj, flow: string): NextInput | undefined | null {
  const value = item.next;
  const range = checker.valueRange(item, "next");
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") return { kind: "static", target: value, range };
  if (checker.schemaSkipped && !truthy(value, false)) return undefined;
  if (!Array.isArray(value)) {
    // reported by the property check, but for a flow the schema skips, where it takes any value
    if (checker.schemaSkipped) checker.report("wrongStepPropertyType", { key: "next", expected: NEXT_FORM, found: describeValue(value) }, range, { flow });
    return null;
  }
  if (value.length === 0) return undefined;
  const branches: BranchInput[] = [];
  let ok = true;
  value.forEach((entry: unknown, index) => {
    // Rasa's loader drops falsy items; only a flow the schema skips gets them that far.
    if (checker.schemaSkipped && !truthy(entry, false)) return;
    const branch = validateBranch(checker, value, index, entry, flow);
    if (branch === null) ok = false;
    else branches.push(branch);
  });
  if (!ok) return null;
  return branches.length > 0 ? { kind: "branches", branches, range } : undefined;
}

function validateBranch(checker: FileChecker, list: readonly unknown[], index: number, entry: unknown, flow: string): BranchInput | null {
  const range = checker.valueRange(list, index);
  if (!isObject(entry)) {
    checker.report("invalidNext", { reason: `a \`next\` list holds only \`- if: … then: …\` and \`- else: …\` items, found ${describeValue(entry)}` }, range, { flow });
    return null;
  }
  const hasIf = "if" in entry;
  const hasElse = "else" in entry;
  const keys = Object.keys(entry);
  if (hasIf && hasElse && !checker.schemaSkipped) {
    checker.report("invalidNext", { reason: "an item has both `if` and `else`; write them as two list items" }, range, { flow });
    return null;
  }
  if (!hasIf && !hasElse) {
    const isStep = STEP_KINDS.some((kind) => kind in entry);
    checker.report("invalidNext", { reason: isStep ? "a step cannot stand directly in a `next` list" : `unexpected item with ${keys.map((k) => `\`${k}\``).join(", ") || "no keys"}` }, range, {
      flow,
      suggestion: isStep ? "put the steps under `- if: … then:` or `- else:`, or give the step an id and write `next: <id>`" : undefined,
    });
    return null;
  }
  // The schema wants `if` and `then`, or `else`, and takes any other key beside them (it only
  // checks the type of a `then` there); Rasa's loader reads an item with `if` as an if-link of
  // its `if` and `then`, any other as an else-link of its `else`, and nothing else of either.
  const allowed = hasIf ? ["if", "then"] : ["else"];
  const kind = `an \`${hasIf ? "if" : "else"}\` branch`;
  for (const key of keys.filter((k) => !allowed.includes(k))) {
    if (checker.schemaSkipped) {
      checker.report("ignoredProperty", { key, kind, flow }, checker.keyRange(entry, key), { flow });
      continue;
    }
    if (key === "then" && validateTarget(checker, entry, "then", flow) === undefined) return null;
    checker.report("ignoredBranchKey", { key, kind, known: allowed.map((k) => `\`${k}\``).join(" and ") }, checker.keyRange(entry, key), {
      flow,
      suggestion:
        key === "next"
          ? `a branch does not take \`next\`: to go on after it, make the branch a list of steps and give the last one the \`next\``
          : didYouMean(key, allowed),
    });
  }
  if (hasIf) {
    if (!("then" in entry)) {
      checker.report("invalidNext", { reason: "an `if` branch needs a `then` (a step id or a list of steps)" }, checker.keyRange(entry, "if"), { flow });
      return null;
    }
    const condition = entry.if;
    let parsedCondition: BranchInput & { kind: "if" } extends { condition: infer C } ? C : never;
    if (typeof condition === "string") parsedCondition = checker.condition(entry, "if", condition, "branch");
    else if (typeof condition === "boolean") parsedCondition = { booleanValue: condition, range: checker.valueRange(entry, "if") };
    else {
      checker.report("invalidNext", { reason: `an \`if\` needs a condition string, found ${describeValue(condition)}` }, checker.valueRange(entry, "if"), { flow });
      return null;
    }
    const then = validateTarget(checker, entry, "then", flow);
    return then ? { kind: "if", condition: parsedCondition, then, range } : null;
  }
  const target = validateTarget(checker, entry, "else", flow);
  return target ? { kind: "else", target, range } : null;
}

function validateTarget(checker: FileChecker, entry: Obj, key: "then" | "else", flow: string): TargetInput | undefined {
  const value = entry[key];
  const range = checker.valueRange(entry, key);
  if (typeof value === "string") return { kind: "id", id: value, range };
  if (Array.isArray(value)) {
    const steps = validateStepList(checker, value, flow);
    return steps ? { kind: "steps", steps, range, key } : undefined;
  }
  const isStep = isObject(value) && STEP_KINDS.some((kind) => kind in value);
  checker.report("invalidNext", { reason: `\`${key}\` must be a step id or a list of steps, found ${describeValue(value)}` }, range, {
    flow,
    suggestion: isStep ? `write the step as a list item: \`${key}:\` followed by \`- ${Object.keys(value as Obj)[0]}: …\`` : undefined,
  });
  return undefined;
}
