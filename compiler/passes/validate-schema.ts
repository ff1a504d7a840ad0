/**
 * Stage 2: check every flows file and domain file against the format of
 * shared/spec/flows-format.md §a–b and turn it into the typed input model. Each object's
 * properties are checked with a zod schema; steps, `next` lists and other unions are told
 * apart here by their keys so that a problem is explained in terms of the shape the user
 * meant ("unknown property `ask_before_fillin` on collect step; did you mean …?"), never as
 * zod's raw output. Every problem of every file is reported.
 *
 * Rejects, for example:
 *   flows:
 *     greet:
 *       description: Greets.
 *       steps:
 *         - collect: confirmed
 *           ask_before_filling: yes      # FLW1020: YAML 1.2 reads `yes` as a string
 */
import { createRequire } from "node:module";
import type { z } from "zod";
import type { ConditionSite } from "../conditions/ast.ts";
import { readText } from "../conditions/condition-text.ts";
import type { Diagnostic, DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { DiagnosticKey } from "../diagnostics/catalogue.ts";
import type {
  ActionInput,
  BranchInput,
  ButtonInput,
  ConditionInput,
  DigressionSetting,
  DomainPartInput,
  FlowGuardInput,
  FlowInput,
  FlowsPartInput,
  Named,
  NextInput,
  NluTriggerInput,
  RejectionInput,
  ResponseInput,
  SlotAssignmentInput,
  SlotInput,
  SlotType,
  StepInput,
  StepKind,
  TargetInput,
  VariationInput,
  ScalarSource,
  VariationTemplateSources,
  NestedString,
} from "../model/input.ts";
import { SLOT_TYPES } from "../model/input.ts";
import type { SourceRange } from "../source/source-file.ts";
import { writtenAsFloat } from "../source/yaml-parse.ts";
import type { PathSegment, YamlTree } from "../source/yaml-tree.ts";
import { describeValue, didYouMean } from "../util/suggest.ts";
import { pythonFloat, pythonStr } from "../../runtime/conditions/template.ts";
import { pythonCasefold } from "../../runtime/slots.ts";
import type { LoadedFile } from "./load-yaml-files.ts";

type Obj = Record<string, unknown>;
type PropertySpec = Readonly<Record<string, readonly [Shape, string]>>;

/**
 * The type of a property, from which both its quick test and its zod schema are made. zod is
 * loaded the first time a value fails a quick test: loading it was a good part of starting
 * `flowc compile`, and a well-formed assistant never needs it.
 */
type Shape =
  | "string"
  | "boolean"
  | "number"
  | "unknown"
  | "null"
  | { readonly array: Shape }
  | { readonly union: readonly Shape[] }
  /** z.record(z.string(), z.unknown()) */
  | { readonly record: true }
  /** z.looseObject(fields) */
  | { readonly looseObject: Readonly<Record<string, Shape>> };

type Zod = typeof z;
let zod: Zod | undefined;

/** zod, loaded on first use (kept out of the bundle; it is a dependency). */
function loadZod(): Zod {
  zod ??= (createRequire(import.meta.url)("zod") as { z: Zod }).z;
  return zod;
}

function zodType(shape: Shape): z.ZodType {
  const z = loadZod();
  if (typeof shape === "string") {
    switch (shape) {
      case "string":
        return z.string();
      case "boolean":
        return z.boolean();
      case "number":
        return z.number();
      case "unknown":
        return z.unknown();
      case "null":
        return z.null();
    }
  }
  if ("array" in shape) return z.array(zodType(shape.array));
  if ("union" in shape) return z.union(shape.union.map(zodType) as unknown as readonly [z.ZodType, z.ZodType, ...z.ZodType[]]);
  if ("record" in shape) return z.record(z.string(), z.unknown());
  const fields: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(shape.looseObject)) fields[name] = zodType(field);
  return z.looseObject(fields);
}

const STEP_KINDS = ["action", "collect", "link", "call", "set_slots", "noop"] as const satisfies readonly StepKind[];
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

const str: Shape = "string";
const bool: Shape = "boolean";
const num: Shape = "number";
const any: Shape = "unknown";
const digressions: Shape = { union: ["boolean", { array: "string" }] };

const A_STRING = "a string";
const A_BOOLEAN = "a boolean (`true` or `false`)";
const A_LIST_OF_STRINGS = "a list of strings";
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
  set_slots: {
    strict: false,
    properties: { ...COMMON_STEP_PROPERTIES, set_slots: [{ array: any }, "a list of `slot: value` mappings"] },
  },
  noop: { strict: false, properties: { ...COMMON_STEP_PROPERTIES, noop: [any, "anything"] } },
};

/**
 * The properties Rasa's loader reads as `data.get(key, default)` and then only by truthiness. A
 * flow the schema skips (S13) may give them any value, and they mean what Python's `bool()` of
 * the value says (`"no"` is true, `null` false).
 */
const TRUTHY_PROPERTIES = new Set(["always_include_in_prompt", "run_pattern_completed", "ask_before_filling", "reset_after_flow_ends", "force_slot_filling"]);
/**
 * A step's `description`, which the loader keeps as it is and no check reads (a flow's is compared,
 * V9), and its `next`, whose falsy values the loader reads as no next (checked in validateNext).
 */
const UNTYPED_STEP_PROPERTIES = new Set([...TRUTHY_PROPERTIES, "description", "next"]);
const specsWithoutSchema = new WeakMap<PropertySpec, PropertySpec>();

/**
 * `spec` as Rasa's loader sees a flow the schema skips: its truthiness properties, and a step's
 * description, take anything.
 */
function withoutSchemaTypes(spec: PropertySpec, isStep: boolean): PropertySpec {
  let loose = specsWithoutSchema.get(spec);
  if (!loose) {
    const untyped = isStep ? UNTYPED_STEP_PROPERTIES : TRUTHY_PROPERTIES;
    loose = Object.fromEntries(Object.entries(spec).map(([key, entry]) => [key, untyped.has(key) ? ([any, entry[1]] as const) : entry]));
    specsWithoutSchema.set(spec, loose);
  }
  return loose;
}

/** A truthiness property's meaning: its default when absent, else Python's `bool()` of the value. */
function truthy(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  return typeof value !== "object" || Object.keys(value).length > 0;
}

const schemaCache = new WeakMap<PropertySpec, Map<string, z.ZodType>>();

/** The zod object schema for a property spec, built once per spec and options. */
function objectSchema(spec: PropertySpec, strict: boolean, required: readonly string[]): z.ZodType {
  const key = `${strict}:${required.join(",")}`;
  let bySpec = schemaCache.get(spec);
  if (!bySpec) schemaCache.set(spec, (bySpec = new Map()));
  let schema = bySpec.get(key);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [name, [property]] of Object.entries(spec)) shape[name] = required.includes(name) ? zodType(property) : zodType(property).optional();
    schema = strict ? loadZod().strictObject(shape) : loadZod().looseObject(shape);
    bySpec.set(key, schema);
  }
  return schema;
}

// ---- the quick check
//
// Running zod on every step and branch was a fifth of checking a large assistant. Nearly
// every object is well formed, so each is first checked by hand with tests derived from the
// same zod types; only an object that fails them goes through zod, which then finds and
// explains the problems exactly as before. A test may refuse what zod accepts (zod then
// decides), never the other way round.

type Test = (value: unknown) => boolean;

const accept: Test = () => true;

/** A test accepting only values `zodType(shape)` accepts; undefined where zod decides. */
function quickTest(shape: Shape): Test | undefined {
  if (typeof shape === "string") {
    switch (shape) {
      case "unknown":
        return accept;
      case "string":
        return (value) => typeof value === "string";
      case "boolean":
        return (value) => typeof value === "boolean";
      case "number":
        return (value) => typeof value === "number" && Number.isFinite(value);
      case "null":
        return (value) => value === null;
    }
  }
  if ("array" in shape) {
    const element = quickTest(shape.array);
    if (!element) return undefined;
    return element === accept ? (value) => Array.isArray(value) : (value) => Array.isArray(value) && value.every(element);
  }
  if ("union" in shape) {
    const options = shape.union.map(quickTest);
    if (options.length === 0 || options.some((option) => option === undefined)) return undefined;
    const tests = options as Test[];
    return (value) => tests.some((test) => test(value));
  }
  if ("looseObject" in shape) {
    const names = Object.keys(shape.looseObject);
    const tests = Object.values(shape.looseObject).map(quickTest);
    if (tests.some((test) => test === undefined)) return undefined;
    return (value) => {
      if (!isObject(value)) return false;
      for (let i = 0; i < names.length; i++) if (!tests[i]!(value[names[i]!])) return false;
      return true;
    };
  }
  // z.record(z.string(), z.unknown()): every key of a mapping is text.
  return (value) => isObject(value);
}

/** The quick test of an object against a property spec (as `objectSchema` would check it). */
function quickObjectTest(spec: PropertySpec, strict: boolean, required: readonly string[]): (object: Obj) => boolean {
  const known = new Set(Object.keys(spec));
  const properties = Object.entries(spec).map(([name, [schema]]) => ({ name, required: required.includes(name), test: quickTest(schema) }));
  return (object) => {
    if (strict) for (const name of Object.keys(object)) if (!known.has(name)) return false;
    for (const property of properties) {
      const value = object[property.name];
      if (value === undefined) {
        if (property.required) return false;
      } else if (!property.test?.(value)) return false;
    }
    return true;
  };
}

/** The quick tests of each spec: loose ones, then strict ones, by their required keys. */
const quickTestCache = new WeakMap<PropertySpec, readonly [Map<string, (object: Obj) => boolean>, Map<string, (object: Obj) => boolean>]>();

/** Whether the object certainly passes `objectSchema(spec, strict, required)` (false: ask zod). */
function passesQuickCheck(object: Obj, spec: PropertySpec, strict: boolean, required: readonly string[]): boolean {
  // Runs for every step, branch, slot and variation: a key of no or one required name is that
  // name, not a string built (and hashed) at every call.
  const key = required.length === 0 ? "" : required.length === 1 ? required[0]! : required.join(",");
  let bySpec = quickTestCache.get(spec);
  if (!bySpec) quickTestCache.set(spec, (bySpec = [new Map(), new Map()]));
  const byRequired = bySpec[strict ? 1 : 0];
  let test = byRequired.get(key);
  if (!test) byRequired.set(key, (test = quickObjectTest(spec, strict, required)));
  return test(object);
}

/** One file's checking context: where values are, and where problems go. */
class FileChecker {
  /** Set while checking a flow whose id Rasa's schema does not match (flows-format.md S13). */
  schemaSkipped = false;

  constructor(
    readonly tree: YamlTree,
    readonly diagnostics: DiagnosticBag,
    readonly isDefault: boolean,
  ) {}

  valueRange(container: object, key: PathSegment): SourceRange {
    return this.tree.valueRange(container, key) ?? this.fileStart();
  }

  keyRange(container: object, key: PathSegment): SourceRange {
    return this.tree.keyRange(container, key) ?? this.fileStart();
  }

  /** Whether `container[key]` is a number written as a float (see writtenAsFloat): `true`, or undefined to leave the field out. */
  floatLiteral(container: object, key: PathSegment): true | undefined {
    return writtenAsFloat(this.tree.valueNode(container, key), this.tree.file.text) || undefined;
  }

  rangeOf(container: object): SourceRange {
    return this.tree.rangeOf(container) ?? this.fileStart();
  }

  fileStart(): SourceRange {
    return { file: this.tree.file, start: 0, end: 0 };
  }

  report(key: DiagnosticKey, args: Readonly<Record<string, string | number>>, range: SourceRange, extra: Partial<Pick<Diagnostic, "flow" | "step" | "suggestion" | "notes">> = {}): void {
    this.diagnostics.report(key, args, { range, ...extra });
  }

  condition(container: object, key: PathSegment, written: string, site: ConditionSite): ConditionInput {
    const text = readText(written, site);
    return { text, written: text === written ? undefined : written, range: this.valueRange(container, key), tree: this.tree, node: this.tree.valueNode(container, key) };
  }

  /**
   * Checks an object's properties against a spec with zod. Unknown keys are reported when
   * `strict`; each wrong type once. Returns false when anything was wrong.
   */
  checkProperties(
    object: Obj,
    spec: PropertySpec,
    options: {
      readonly strict: boolean;
      readonly required?: readonly string[];
      readonly unknownKey: DiagnosticKey;
      readonly wrongType: DiagnosticKey;
      readonly missing?: (key: string) => void;
      readonly kind?: string;
      readonly flow?: string | undefined;
    },
  ): boolean {
    if (options.strict && this.schemaSkipped) {
      // Rasa reads only the properties it knows of such a flow: unknown ones are no error.
      for (const key of Object.keys(object)) {
        if (!Object.hasOwn(spec, key)) this.report("ignoredProperty", { key, kind: options.kind === undefined ? "the flow" : `${options.kind} step`, flow: options.flow ?? "" }, this.keyRange(object, key), { flow: options.flow });
      }
      return this.checkProperties(object, withoutSchemaTypes(spec, options.kind !== undefined), { ...options, strict: false });
    }
    if (passesQuickCheck(object, spec, options.strict, options.required ?? [])) return true;
    const result = objectSchema(spec, options.strict, options.required ?? []).safeParse(object);
    if (result.success) return true;
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          this.report(options.unknownKey, { key, kind: options.kind ?? "this" }, this.keyRange(object, key), {
            flow: options.flow,
            suggestion: didYouMean(key, Object.keys(spec)) ?? `allowed here: ${Object.keys(spec).map((k) => `\`${k}\``).join(", ")}`,
          });
        }
        continue;
      }
      const key = issue.path[0];
      if (typeof key !== "string" || seen.has(key)) continue;
      seen.add(key);
      const value = object[key];
      if (value === undefined && options.missing) {
        options.missing(key);
        continue;
      }
      const expected = spec[key]?.[1] ?? "something else";
      this.report(options.wrongType, { key, expected, found: describeValue(value) }, this.valueRange(object, key), {
        flow: options.flow,
        notes: yamlOneOneNote(value),
      });
    }
    return false;
  }
}

/** `yes`/`no`/`on`/`off` are strings in YAML 1.2, as Rasa reads it. */
function yamlOneOneNote(value: unknown): string[] | undefined {
  if (typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return [`YAML 1.2 reads \`${value}\` as a string; write \`true\` or \`false\``];
  }
  return undefined;
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// ------------------------------------------------------------------ flows

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

function validateStep(checker: FileChecker, list: readonly unknown[], index: number, item: unknown, flow: string): StepInput | undefined {
  const range = checker.valueRange(list, index);
  if (!isObject(item)) {
    checker.report("stepTypeKey", { reason: `a step must be a mapping with one of ${STEP_KINDS.map((k) => `\`${k}\``).join(", ")}, but it is ${describeValue(item)}` }, range, { flow });
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
    const legacy = Object.keys(item).find((k) => LEGACY_STEP_KEYS.includes(k));
    const reason =
      kinds.length === 0
        ? legacy
          ? `\`${legacy}\` steps are no longer supported; a step needs exactly one of ${STEP_KINDS.map((k) => `\`${k}\``).join(", ")}`
          : `this step has none of ${STEP_KINDS.map((k) => `\`${k}\``).join(", ")}, so its type is unknown`
        : `this step has both ${kinds.map((k) => `\`${k}\``).join(" and ")}; a step has exactly one type`;
    const suggestion = kinds.length === 0 ? Object.keys(item).map((k) => didYouMean(k, STEP_KINDS)).find((s) => s !== undefined) : undefined;
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
  const fullHeadRange: SourceRange = { file: headRange.file, start: headRange.start, end: checker.valueRange(item, kind).end };
  const nextInput = next ?? undefined;
  const description = typeof item.description === "string" ? item.description : undefined;
  const metadata = item.metadata;
  switch (kind) {
    case "action":
      return ok ? { customId, idRange, range, headRange: fullHeadRange, next: nextInput, description, metadata, kind, action: item.action as string } : undefined;
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

function validateRejections(checker: FileChecker, value: unknown, flow: string | undefined): RejectionInput[] | undefined {
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
    if (isObject(list)) {
      checker.report("wrongStepPropertyType", { key: "set_slots", expected: "a list of `slot: value` mappings", found: "a mapping" }, checker.valueRange(item, "set_slots"), {
        flow,
        suggestion: "write each slot as a list item: `- slot: value`",
      });
    }
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
  const allowed = hasIf ? ["if", "then"] : ["else"];
  const extra = keys.filter((k) => !allowed.includes(k));
  if (extra.length > 0 && checker.schemaSkipped) {
    // Rasa's loader reads an item with `if` as an if-link of its `if` and `then`, any other as an else-link of its `else`.
    for (const key of extra) checker.report("ignoredProperty", { key, kind: `an \`${hasIf ? "if" : "else"}\` branch`, flow }, checker.keyRange(entry, key), { flow });
  } else if (extra.length > 0) {
    for (const key of extra) {
      checker.report("invalidNext", { reason: `unexpected \`${key}\` in a${hasIf ? "n `if`" : "n `else`"} branch` }, checker.keyRange(entry, key), { flow, suggestion: didYouMean(key, allowed) });
    }
    return null;
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

// ------------------------------------------------------------------ domain

const SLOT_PROPERTIES: PropertySpec = {
  type: [str, A_STRING],
  initial_value: [any, "any value"],
  values: [{ array: { union: ["string", "number", "boolean", "null"] } }, "a list of values (strings, numbers or booleans)"],
  min_value: [num, "a number"],
  max_value: [num, "a number"],
  influence_conversation: [bool, A_BOOLEAN],
  mappings: [{ array: { looseObject: { type: "string" } } }, "a list of mappings, each with a `type` such as `from_llm`"],
  validation: [{ record: true }, "a mapping with `rejections` and `refill_utter`"],
  shared_for_coexistence: [bool, A_BOOLEAN],
  value_reset_delay: [any, "any value"],
  filled_by: [any, "any value"],
  is_builtin: [any, "any value"],
};

/**
 * The slot properties only one slot type takes. Rasa builds each slot with its properties as
 * keyword arguments of that type's class, so any other key, or one of these on another type
 * (`values` on a text slot), fails with a TypeError when it loads the domain.
 */
const SLOT_TYPE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  float: ["min_value", "max_value"],
  categorical: ["values"],
};
const TYPE_SPECIFIC_SLOT_PROPERTIES = new Set(Object.values(SLOT_TYPE_PROPERTIES).flat());

/** The properties a slot of `type` takes (any type's own ones when the type is unknown or missing). */
function slotPropertiesOf(type: string | undefined): readonly string[] {
  const own = type !== undefined && Object.hasOwn(SLOT_TYPE_PROPERTIES, type) ? SLOT_TYPE_PROPERTIES[type]! : [];
  return Object.keys(SLOT_PROPERTIES).filter((key) => !TYPE_SPECIFIC_SLOT_PROPERTIES.has(key) || own.includes(key));
}
const SLOT_PROPERTIES_BY_TYPE = new Map(Object.keys(SLOT_TYPE_PROPERTIES).map((type) => [type, slotPropertiesOf(type)]));
const COMMON_SLOT_PROPERTIES = slotPropertiesOf(undefined);

export function validateDomainFile(loaded: LoadedFile, diagnostics: DiagnosticBag, isDefault: boolean): DomainPartInput {
  const checker = new FileChecker(loaded.tree, diagnostics, isDefault);
  const root = loaded.tree.root as Obj;
  validateDomainSettings(checker, root);
  return {
    tree: loaded.tree,
    isDefault,
    slots: validateSlots(checker, root),
    responses: validateResponses(checker, root),
    actions: validateActions(checker, root),
    intents: namedList(checker, root, "intents"),
    entities: namedList(checker, root, "entities"),
    forms: validateForms(checker, root),
    hasOwnSettings: hasOwnSettings(root),
  };
}

/**
 * What else Rasa's `Domain.is_empty` sees (it compares the domain with an empty one): session
 * settings other than 60 minutes and carrying slots over, `store_entities_as_slots: false`,
 * end-to-end actions.
 */
function hasOwnSettings(root: Obj): boolean {
  const session = isObject(root.session_config) ? root.session_config : {};
  const config = isObject(root.config) ? root.config : {};
  const differs = (value: unknown, fallback: unknown): boolean => value !== undefined && value !== null && value !== fallback;
  return (
    differs(session.session_expiration_time, 60) ||
    differs(session.carry_over_slots_to_new_session, true) ||
    differs(config.store_entities_as_slots, true) ||
    (Array.isArray(root.e2e_actions) && root.e2e_actions.length > 0)
  );
}

/**
 * The domain keys flows never read, checked as Rasa's domain schema and loader check them (a
 * differential run against Rasa showed these are errors there): `version` is a string;
 * `config.store_entities_as_slots` and `session_config.carry_over_slots_to_new_session` are
 * booleans; `session_config.session_expiration_time` is a number ≥ 0.
 */
function validateDomainSettings(checker: FileChecker, root: Obj): void {
  if (root.version !== undefined && root.version !== null && typeof root.version !== "string") {
    checker.report("invalidDomain", { key: "version", expected: 'a string such as "3.1"', found: describeValue(root.version) }, checker.valueRange(root, "version"));
  }
  const settings: [string, string, (v: unknown) => boolean, string][] = [
    ["config", "store_entities_as_slots", (v) => typeof v === "boolean", A_BOOLEAN],
    ["session_config", "carry_over_slots_to_new_session", (v) => typeof v === "boolean", A_BOOLEAN],
    ["session_config", "session_expiration_time", (v) => typeof v === "number" && v >= 0, "a number of minutes ≥ 0"],
  ];
  for (const [key, option, fits, expected] of settings) {
    const block = domainMapping(checker, root, key);
    if (block && block[option] !== undefined && block[option] !== null && !fits(block[option])) {
      checker.report("invalidDomain", { key: `${key}.${option}`, expected, found: describeValue(block[option]) }, checker.valueRange(block, option));
    }
  }
}

/**
 * `forms`: a mapping from form name to `{required_slots: [slot names], ignored_intents}` (or
 * nothing), as Rasa's domain schema and loader require; `ignored_intents` needs
 * `required_slots`. A form's name is an action of the domain, so a flow can run it.
 */
function validateForms(checker: FileChecker, root: Obj): Named[] {
  const forms = domainMapping(checker, root, "forms");
  if (!forms) return [];
  const out: Named[] = [];
  for (const name of Object.keys(forms)) {
    const body = forms[name];
    const bad = (key: string, expected: string, found: unknown, range: SourceRange): void =>
      checker.report("invalidDomain", { key: `forms.${name}${key}`, expected, found: describeValue(found) }, range);
    out.push({ name, range: checker.keyRange(forms, name) });
    if (body === null || body === undefined) continue;
    if (!isObject(body)) {
      bad("", "a mapping with `required_slots`", body, checker.valueRange(forms, name));
      continue;
    }
    for (const key of Object.keys(body)) {
      if (key !== "required_slots" && key !== "ignored_intents") bad(`.${key}`, "absent: a form has only `required_slots` and `ignored_intents`", body[key], checker.keyRange(body, key));
    }
    const required = body.required_slots;
    if (required !== undefined && required !== null && !(Array.isArray(required) && required.every((slot) => slot === null || typeof slot === "string"))) {
      bad(".required_slots", "a list of slot names", required, checker.valueRange(body, "required_slots"));
    }
    if ("ignored_intents" in body && !("required_slots" in body)) bad(".required_slots", "present, because `ignored_intents` is given", undefined, checker.keyRange(body, "ignored_intents"));
  }
  return out;
}

function domainMapping(checker: FileChecker, root: Obj, key: string): Obj | undefined {
  const value = root[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    checker.report("invalidDomain", { key, expected: "a mapping", found: describeValue(value) }, checker.valueRange(root, key));
    return undefined;
  }
  return value;
}

/** `intents` / `entities`: a list of names or of single-key mappings `name: {options}`. */
function namedList(checker: FileChecker, root: Obj, key: string): Named[] {
  const value = root[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    checker.report("invalidDomain", { key, expected: "a list", found: describeValue(value) }, checker.valueRange(root, key));
    return [];
  }
  const out: Named[] = [];
  value.forEach((item: unknown, index) => {
    const range = checker.valueRange(value, index);
    if (typeof item === "string") out.push({ name: item, range });
    else if (isObject(item) && Object.keys(item).length === 1) {
      const name = Object.keys(item)[0]!;
      out.push({ name, range });
      // Rasa's loader refuses `- greet:` (or `- greet: {}`): a name followed by `:` needs properties.
      const options = item[name];
      if (!isObject(options) || Object.keys(options).length === 0) {
        checker.report("invalidDomain", { key: `${key} item \`${name}\``, expected: "a name without `:`, or a name with a mapping of properties", found: describeValue(options) }, range);
      } else if (key === "entities") {
        for (const sub of ["roles", "groups"]) {
          const labels = options[sub];
          if (labels !== undefined && labels !== null && !(Array.isArray(labels) && labels.every((l) => l === null || typeof l === "string"))) {
            checker.report("invalidDomain", { key: `entities.${name}.${sub}`, expected: "a list of strings", found: describeValue(labels) }, checker.valueRange(options, sub));
          }
        }
      }
    } else checker.report("invalidDomain", { key: `${key} item`, expected: "a name or a single-key mapping", found: describeValue(item) }, range);
  });
  return out;
}

function validateActions(checker: FileChecker, root: Obj): ActionInput[] {
  const value = root.actions;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    checker.report("invalidDomain", { key: "actions", expected: "a list of action names", found: describeValue(value) }, checker.valueRange(root, "actions"));
    return [];
  }
  const out: ActionInput[] = [];
  value.forEach((item: unknown, index) => {
    const range = checker.valueRange(value, index);
    if (typeof item === "string") out.push({ name: item, range, sendDomain: false });
    else if (isObject(item) && Object.keys(item).length === 1) {
      const name = Object.keys(item)[0]!;
      const options = item[name];
      const sendDomain = isObject(options) && options.send_domain === true;
      out.push({ name, range, sendDomain });
      // Rasa's domain schema: an action's options are at most `send_domain: <boolean>`.
      if (options !== null && options !== undefined && !(isObject(options) && Object.keys(options).every((k) => k === "send_domain" && (options[k] === null || typeof options[k] === "boolean")))) {
        checker.report("invalidDomain", { key: `actions item \`${name}\``, expected: "`send_domain: true` or `send_domain: false`", found: describeValue(options) }, range);
      }
    } else checker.report("invalidDomain", { key: "actions item", expected: "an action name or `name: {send_domain: true}`", found: describeValue(item) }, range);
  });
  return out;
}

function validateSlots(checker: FileChecker, root: Obj): SlotInput[] {
  const slots = domainMapping(checker, root, "slots");
  if (!slots) return [];
  const out: SlotInput[] = [];
  for (const name of Object.keys(slots)) {
    const slot = validateSlot(checker, slots, name);
    if (slot) out.push(slot);
  }
  return out;
}

function validateSlot(checker: FileChecker, slots: Obj, name: string): SlotInput | undefined {
  const body = slots[name];
  const nameRange = checker.keyRange(slots, name);
  if (!isObject(body)) {
    checker.report("invalidDomain", { key: `slots.${name}`, expected: "a mapping with a `type`", found: describeValue(body) }, checker.valueRange(slots, name));
    return undefined;
  }
  const type = typeof body.type === "string" ? body.type : undefined;
  const known = (type !== undefined ? SLOT_PROPERTIES_BY_TYPE.get(type) : undefined) ?? COMMON_SLOT_PROPERTIES;
  for (const key of Object.keys(body)) {
    if (known.includes(key)) continue;
    const owner = Object.keys(SLOT_TYPE_PROPERTIES).find((t) => SLOT_TYPE_PROPERTIES[t]!.includes(key));
    checker.report("unknownSlotKey", { key, slot: name, type: type ?? "(none)" }, checker.keyRange(body, key), {
      suggestion: owner !== undefined ? `only a ${owner} slot takes \`${key}\`` : didYouMean(key, known),
    });
  }
  const ok = checker.checkProperties(body, SLOT_PROPERTIES, {
    strict: false,
    required: ["type"],
    unknownKey: "unknownSlotKey",
    wrongType: "invalidDomain",
    missing: () => checker.report("invalidDomain", { key: `slots.${name}.type`, expected: `one of ${SLOT_TYPES.join(", ")}`, found: "missing" }, nameRange),
  });
  if (!ok || type === undefined) return undefined;
  if (!(SLOT_TYPES as readonly string[]).includes(type)) {
    checker.report("unknownSlotType", { slot: name, type }, checker.valueRange(body, "type"), {
      suggestion: didYouMean(type, SLOT_TYPES) ?? `slot types are ${SLOT_TYPES.join(", ")}`,
    });
    return undefined;
  }
  const validation = body.validation as Obj | undefined;
  let validationInput: SlotInput["validation"];
  if (validation) {
    const rejections = validateRejections(checker, validation.rejections, undefined);
    if (!rejections) return undefined;
    const refill = validation.refill_utter;
    if (refill !== undefined && typeof refill !== "string") {
      checker.report("invalidDomain", { key: `slots.${name}.validation.refill_utter`, expected: "a response name", found: describeValue(refill) }, checker.valueRange(validation, "refill_utter"));
      return undefined;
    }
    validationInput = { rejections, refillUtter: refill, refillUtterRange: refill === undefined ? undefined : checker.valueRange(validation, "refill_utter") };
  }
  // Rasa compares a float slot's initial value with its range when it builds the slot, which
  // fails with a TypeError for anything but a number (or a boolean, which Python counts as one).
  if (type === "float" && body.initial_value !== undefined && body.initial_value !== null && typeof body.initial_value !== "number" && typeof body.initial_value !== "boolean") {
    checker.report("invalidDomain", { key: `slots.${name}.initial_value`, expected: "a number", found: describeValue(body.initial_value) }, checker.valueRange(body, "initial_value"));
    return undefined;
  }
  const rawValues = (body.values as unknown[] | undefined) ?? [];
  if (type === "categorical") reportDubiousValues(checker, name, body, rawValues);
  return {
    name,
    nameRange,
    range: checker.rangeOf(body),
    type: type as SlotType,
    hasInitialValue: body.initial_value !== undefined && body.initial_value !== null,
    initialValue: body.initial_value ?? null,
    initialValueRange: "initial_value" in body ? checker.valueRange(body, "initial_value") : undefined,
    initialValueWrittenAsFloat: checker.floatLiteral(body, "initial_value"),
    values: categoricalValues(checker, body, rawValues),
    minValue: (body.min_value as number | undefined) ?? 0,
    maxValue: (body.max_value as number | undefined) ?? 1,
    influenceConversation: (body.influence_conversation as boolean | undefined) ?? type !== "any",
    mappings: (body.mappings as Record<string, unknown>[] | undefined) ?? [],
    validation: validationInput,
    isDefault: checker.isDefault,
  };
}

/**
 * A categorical slot's values as Rasa stores them, Python's `str()` of each YAML value: `true` is
 * "True", and a number keeps the form YAML gave it, so `1.0` (a float) is "1.0" and `1` is "1".
 * `null`s are dropped (D5).
 */
function categoricalValues(checker: FileChecker, body: Obj, values: readonly unknown[]): string[] {
  const list = body.values as object | undefined;
  const texts: string[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return;
    texts.push(typeof value === "number" && list !== undefined && isFloatScalar(checker, list, index) ? pythonFloat(value) : pythonStr(value));
  });
  return texts;
}

/** Whether `list[index]` is written as a YAML float (`1.0`, `1e3`, `.inf`), not an integer. */
function isFloatScalar(checker: FileChecker, list: object, index: number): boolean {
  const node = checker.tree.valueNode(list, index);
  if (node?.kind !== "scalar") return false;
  const written = checker.valueRange(list, index).file.text.slice(node.start, node.end);
  return !/^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(written);
}

/**
 * D5: Rasa drops `null` values and cannot tell apart values that are one after coercion: a
 * string is casefolded (Python's `str.casefold`, so `straße` and `STRASSE` are one), any other
 * value becomes its Python `str()` as it is (`true` is "True", which no string folds to).
 */
function reportDubiousValues(checker: FileChecker, slot: string, body: Obj, values: readonly unknown[]): void {
  const list = body.values as object | undefined;
  const seen = new Map<string, string>();
  values.forEach((value, index) => {
    const range = list ? checker.valueRange(list, index) : checker.keyRange(body, "values");
    if (value === null || value === undefined) {
      checker.report("categoricalValuesDubious", { slot, reason: "a `null` value is dropped; an unset slot is already null" }, range);
      return;
    }
    const text = typeof value === "string" ? value : typeof value === "number" && list !== undefined && isFloatScalar(checker, list, index) ? pythonFloat(value) : pythonStr(value);
    const coerced = typeof value === "string" ? pythonCasefold(value) : text;
    const earlier = seen.get(coerced);
    if (earlier !== undefined) {
      checker.report("categoricalValuesDubious", { slot, reason: `\`${text}\` and \`${earlier}\` are the same value once Rasa coerces them (strings ignoring case)` }, range);
    } else seen.set(coerced, text);
  });
}

function validateResponses(checker: FileChecker, root: Obj): ResponseInput[] {
  const responses = domainMapping(checker, root, "responses");
  if (!responses) return [];
  const out: ResponseInput[] = [];
  for (const name of Object.keys(responses)) {
    const list = responses[name];
    const nameRange = checker.keyRange(responses, name);
    if (!Array.isArray(list)) {
      checker.report("invalidResponse", { response: name, reason: `expected a list of variations, found ${describeValue(list)}` }, checker.valueRange(responses, name));
      continue;
    }
    if (list.length === 0) {
      checker.report("responseWithoutVariations", { response: name }, nameRange);
      continue;
    }
    const variations: VariationInput[] = [];
    list.forEach((item: unknown, index) => {
      const variation = validateVariation(checker, name, list, index, item);
      if (variation) variations.push(variation);
    });
    if (variations.length === list.length) out.push({ name, nameRange, variations, isDefault: checker.isDefault });
  }
  return out;
}

const isString = (v: unknown): boolean => typeof v === "string";
const isListOfMappings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => x === null || isObject(x));
/** Every key Rasa's response schema allows in a variation. */
const VARIATION_KEYS: ReadonlySet<string> = new Set(["id", "text", "image", "custom", "buttons", "button_type", "quick_replies", "attachment", "elements", "channel", "metadata", "condition", "translation"]);
/** The variation keys whose type Rasa's response schema fixes. */
const VARIATION_KEY_TYPES: readonly [string, string, (v: unknown) => boolean][] = [
  ["id", A_STRING, isString],
  ["image", A_STRING, isString],
  ["channel", A_STRING, isString],
  ["button_type", A_STRING, isString],
  ["custom", "a mapping", isObject],
  ["attachment", "a mapping", isObject],
  ["quick_replies", "a list of mappings", isListOfMappings],
  ["elements", "a list of mappings", isListOfMappings],
];

/** What `buttons` must be: a list of objects with a string `title` and `payload` (other keys allowed). */
function parseButtons(value: unknown): { title: string; payload: string }[] | undefined {
  if (Array.isArray(value) && value.every((b) => isObject(b) && typeof b.title === "string" && typeof b.payload === "string")) return value as { title: string; payload: string }[];
  return undefined;
}

/** What a list `condition` must be: a list of `{type: slot, name: <string>, value: …}` (other keys allowed; Rasa requires all three). */
function parseSlotConditions(value: unknown): { name: string; value: unknown }[] | undefined {
  if (Array.isArray(value) && value.every((c) => isObject(c) && c.type === "slot" && typeof c.name === "string" && "value" in c)) return value as { name: string; value: unknown }[];
  return undefined;
}

function validateVariation(checker: FileChecker, response: string, list: readonly unknown[], index: number, item: unknown): VariationInput | undefined {
  const range = checker.valueRange(list, index);
  const bad = (reason: string, at: SourceRange = range): undefined => {
    checker.report("invalidResponse", { response, reason }, at);
    return undefined;
  };
  if (!isObject(item)) return bad(`a variation must be a mapping (with \`text\`, \`buttons\`, …), found ${describeValue(item)}`);
  // Rasa's response schema takes these keys and no other (flows-format.md: responses).
  const unknown = Object.keys(item).find((key) => !VARIATION_KEYS.has(key));
  if (unknown !== undefined) {
    return bad(`a variation has no key \`${unknown}\`; it takes ${[...VARIATION_KEYS].map((k) => `\`${k}\``).join(", ")}`, checker.keyRange(item, unknown));
  }
  if (item.text !== undefined && typeof item.text !== "string") return bad(`\`text\` must be a string, found ${describeValue(item.text)}`, checker.valueRange(item, "text"));
  // Rasa's response schema: these keys have fixed types (null stands for absent), and a variation
  // needs a `text` that is not null or a non-empty `custom` (an `image` or `buttons` alone is refused).
  for (const [key, expected, fits] of VARIATION_KEY_TYPES) {
    const value = item[key];
    if (value !== undefined && value !== null && !fits(value)) return bad(`\`${key}\` must be ${expected}, found ${describeValue(value)}`, checker.valueRange(item, key));
  }
  if ((item.text === undefined || item.text === null) && !(isObject(item.custom) && Object.keys(item.custom).length > 0)) {
    return bad("a variation needs a `text` or a non-empty `custom`; Rasa refuses one with only `image`, `buttons` or other keys");
  }
  let buttons: ButtonInput[] = [];
  if (item.buttons !== undefined) {
    const parsed = parseButtons(item.buttons);
    if (!parsed) return bad("`buttons` must be a list of mappings with a string `title` and `payload`", checker.valueRange(item, "buttons"));
    // Rasa's validator refuses a button whose payload is empty or only blanks (D7).
    const blank = parsed.findIndex((b) => b.payload.trim() === "");
    if (blank >= 0) return bad("a button's `payload` must not be empty", checker.valueRange(item.buttons as object, blank));
    buttons = parsed.map((b) => ({ title: b.title, payload: b.payload, payloadRange: checker.valueRange(b, "payload"), fields: Object.keys(b).length > 2 ? (b as Obj) : undefined }));
  }
  if (item.metadata !== undefined && !isObject(item.metadata)) return bad("`metadata` must be a mapping", checker.valueRange(item, "metadata"));
  let condition: VariationInput["condition"];
  if (typeof item.condition === "string") condition = checker.condition(item, "condition", item.condition, "response");
  else if (item.condition !== undefined && item.condition !== null) {
    const parsed = parseSlotConditions(item.condition);
    if (!parsed) return bad("`condition` must be a condition string or a list of `{type: slot, name, value}`", checker.valueRange(item, "condition"));
    condition = parsed.map((c) => ({ name: c.name, value: c.value }));
  }
  const hasContent = ["text", "buttons", "image", "custom", "attachment", "elements", "quick_replies"].some((k) => item[k] !== undefined);
  if (!hasContent) return bad("a variation needs a `text` (or `buttons`, `image`, `custom`)");
  return {
    range,
    text: item.text as string | undefined,
    buttons,
    image: typeof item.image === "string" ? item.image : undefined,
    custom: item.custom,
    quickReplies: Array.isArray(item.quick_replies) ? item.quick_replies : undefined,
    attachment: isObject(item.attachment) ? item.attachment : undefined,
    elements: Array.isArray(item.elements) ? item.elements : undefined,
    id: typeof item.id === "string" && item.id !== "" ? item.id : undefined,
    channel: typeof item.channel === "string" ? item.channel : undefined,
    metadata: item.metadata as Record<string, unknown> | undefined,
    condition,
    templateSources: (isObject(item.metadata) && item.metadata.template !== undefined) || hasNamespacedPlaceholder(item) ? templateSources(checker, item, isObject(item.metadata) ? item.metadata : undefined) : undefined,
    emptyPlaceholderIn: INTERPOLATED_KEYS.find((key) => hasEmptyPlaceholder(item[key])),
  };
}

/** The variation keys Rasa's validator searches for empty placeholders (the keys its response renderer fills in). */
const INTERPOLATED_KEYS = ["text", "image", "custom", "buttons", "attachment", "quick_replies"] as const;

/** Whether a string, or any string inside lists and mapping values, has `{}` or `{` blanks `}` (Rasa's validator, D7). */
function hasEmptyPlaceholder(value: unknown): boolean {
  if (typeof value === "string") return /\{\s*\}/.test(value);
  if (Array.isArray(value)) return value.some(hasEmptyPlaceholder);
  return isObject(value) && Object.values(value).some(hasEmptyPlaceholder);
}

const NAMESPACED_PLACEHOLDER = /\{(?:slots|context)\./;

/** Whether a variation's text or buttons have a `{slots.…}` or `{context.…}` placeholder (which format templates never fill). */
function hasNamespacedPlaceholder(item: Obj): boolean {
  if (typeof item.text === "string" && NAMESPACED_PLACEHOLDER.test(item.text)) return true;
  return Array.isArray(item.buttons) && item.buttons.some((b) => isObject(b) && (NAMESPACED_PLACEHOLDER.test(String(b.title)) || NAMESPACED_PLACEHOLDER.test(String(b.payload))));
}

function templateSources(checker: FileChecker, item: Obj, metadata: Obj | undefined): VariationTemplateSources {
  const scalar = (container: object, key: PathSegment): ScalarSource => ({ range: checker.valueRange(container, key), node: checker.tree.valueNode(container, key) });
  const buttons = Array.isArray(item.buttons) ? (item.buttons as Obj[]) : [];
  return {
    engine: metadata && metadata.template !== undefined ? scalar(metadata, "template") : scalar(item, "text"),
    text: item.text !== undefined ? scalar(item, "text") : undefined,
    image: typeof item.image === "string" ? scalar(item, "image") : undefined,
    buttons: buttons.map((button) => ({
      title: scalar(button, "title"),
      payload: scalar(button, "payload"),
      others: nestedStrings(button, [], scalar).filter(({ path }) => path[0] !== "title" && path[0] !== "payload"),
    })),
    custom: nestedStrings(item.custom, [], scalar),
    quickReplies: nestedStrings(item.quick_replies, [], scalar),
    attachment: nestedStrings(item.attachment, [], scalar),
  };
}

/** The strings inside a nested value of a variation (`custom`, `quick_replies`, …), which Rasa renders with the variation's template engine too. */
function nestedStrings(value: unknown, path: (string | number)[], scalar: (container: object, key: PathSegment) => ScalarSource): NestedString[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) =>
    typeof child === "string" ? [{ path: [...path, key], text: child, source: scalar(value, key) }] : nestedStrings(child, [...path, key], scalar),
  );
}
