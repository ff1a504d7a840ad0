/**
 * What stage 2 (validate-flows-schema.ts, validate-domain-schema.ts) checks objects with: a
 * property spec per kind of object, whose types make both a quick hand-written test and a zod
 * schema, and the {@link FileChecker} that checks an object against a spec and explains each
 * problem in the user's terms ("unknown property `ask_before_fillin` on collect step; did you
 * mean …?"), never as zod's raw output. Nearly every object passes the quick test; zod, loaded
 * on first use, only explains the ones that fail it.
 */
import { createRequire } from "node:module";
import type { z } from "zod";
import type { ConditionSite } from "../conditions/ast.ts";
import { readText } from "../conditions/condition-text.ts";
import type { DiagnosticKey } from "../diagnostics/catalogue.ts";
import type { Diagnostic, DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ConditionInput } from "../model/input.ts";
import type { SourceRange } from "../source/source-file.ts";
import { writtenAsFloat } from "../source/yaml-scalars.ts";
import type { PathSegment, YamlTree } from "../source/yaml-tree.ts";
import { describeValue, didYouMean } from "../util/suggest.ts";

export type Obj = Record<string, unknown>;
export type PropertySpec = Readonly<Record<string, readonly [Shape, string]>>;

/**
 * The type of a property, from which both its quick test and its zod schema are made. zod is
 * loaded the first time a value fails a quick test: loading it was a good part of starting
 * `flowc compile`, and a well-formed assistant never needs it.
 */
export type Shape =
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

export const str: Shape = "string";
export const bool: Shape = "boolean";
export const num: Shape = "number";
export const any: Shape = "unknown";

export const A_STRING = "a string";
export const A_BOOLEAN = "a boolean (`true` or `false`)";
export const A_LIST_OF_STRINGS = "a list of strings";
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
export function truthy(value: unknown, fallback: boolean): boolean {
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
export class FileChecker {
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
      /** Help for unknown keys that are a known mistake, in place of the nearest allowed key. */
      readonly hints?: Readonly<Record<string, string>>;
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
            suggestion: (options.hints && Object.hasOwn(options.hints, key) ? options.hints[key] : undefined) ?? didYouMean(key, Object.keys(spec)) ?? `allowed here: ${Object.keys(spec).map((k) => `\`${k}\``).join(", ")}`,
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

export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
