/**
 * Stage 2 for domain files: checks each domain file against the format of
 * shared/spec/flows-format.md §b (slots and their types, responses and their variations,
 * actions, forms, session settings) and turns it into the typed input model. Every problem of
 * every file is reported.
 */
import * as pep440 from "@renovatebot/pep440";
import { pythonFloat, pythonStr } from "../../runtime/conditions/template.ts";
import { NLU_MAPPING_TYPES } from "../../runtime/slot-mappings.ts";
import { pythonCasefold } from "../../runtime/slots.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { SLOT_TYPES, type ActionInput, type ButtonInput, type DomainPartInput, type Named, type NestedString, type ResponseInput, type ScalarSource, type SlotInput, type SlotType, type VariationInput, type VariationTemplateSources } from "../model/input.ts";
import type { SourceRange } from "../source/source-file.ts";
import type { PathSegment } from "../source/yaml-tree.ts";
import { describeValue, didYouMean } from "../util/suggest.ts";
import type { LoadedFile } from "./load-yaml-files.ts";
import { A_BOOLEAN, A_STRING, any, bool, FileChecker, isObject, num, str, type Obj, type PropertySpec } from "./schema-checker.ts";
import { validateRejections } from "./validate-flows-schema.ts";

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

/** The properties a slot of `type` takes (no type's own ones when the type is missing). */
function slotPropertiesOf(type: string | undefined): readonly string[] {
  const own = type !== undefined && Object.hasOwn(SLOT_TYPE_PROPERTIES, type) ? SLOT_TYPE_PROPERTIES[type]! : [];
  return Object.keys(SLOT_PROPERTIES).filter((key) => !TYPE_SPECIFIC_SLOT_PROPERTIES.has(key) || own.includes(key));
}
const SLOT_PROPERTIES_BY_TYPE = new Map<string, readonly string[]>(SLOT_TYPES.map((type) => [type, slotPropertiesOf(type)]));
const COMMON_SLOT_PROPERTIES = slotPropertiesOf(undefined);
/** A misspelt type (`floats`) is reported alone: `min_value` is not a second error until the type is known. */
const ANY_SLOT_PROPERTIES = Object.keys(SLOT_PROPERTIES);

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
    carriesNoSlotsOver: isObject(root.session_config) && root.session_config.carry_over_slots_to_new_session === false,
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
  } else if (typeof root.version === "string") {
    validateFormatVersion(checker, root, root.version);
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

/** The training data format version of Rasa Pro 3.12 (its LATEST_TRAINING_DATA_FORMAT_VERSION). */
const FORMAT_VERSION = "3.1";

/**
 * A domain file's `version` string, as Rasa's `validate_training_data_format_version` reads it
 * when it loads the file: nothing for an empty one; otherwise the `"` and `'` at its ends are
 * stripped and the rest is parsed as a PEP 440 version (Python's `packaging.version.parse`,
 * white space around it allowed). Not a version, lower than 3.1 and greater than 3.1 are each a
 * warning of Rasa's, and only the last changes what it reads: `Domain.from_yaml` drops a file
 * of a greater version, so `--domain file.yml` gives an empty domain, while a domain folder
 * merges every file's YAML whatever its version. flowc merges the files as a folder.
 */
function validateFormatVersion(checker: FileChecker, root: Obj, written: string): void {
  if (written === "") return;
  const text = written.replace(/^["']+|["']+$/g, "");
  const version = pep440.clean(text);
  const range = checker.valueRange(root, "version");
  const suggestion = `write \`version: "${FORMAT_VERSION}"\``;
  if (version === null) {
    checker.report("domainVersionInvalid", { version: JSON.stringify(written) }, range, { suggestion });
    return;
  }
  const order = pep440.compare(version, FORMAT_VERSION);
  if (order < 0) checker.report("domainVersionLower", { version: JSON.stringify(text) }, range, { suggestion });
  else if (order > 0) checker.report("domainVersionGreater", { version: JSON.stringify(text), file: checker.tree.file.path }, range, { suggestion });
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
  const known = type === undefined ? COMMON_SLOT_PROPERTIES : (SLOT_PROPERTIES_BY_TYPE.get(type) ?? ANY_SLOT_PROPERTIES);
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
  if (!checkSlotMappings(checker, name, body)) return undefined;
  reportIgnoredNluCorrection(checker, name, body);
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
 * `allow_nlu_correction: true` lets an LLM value replace one that NLU gave (§a.3). Rasa reads it
 * only on a `from_llm` mapping, and only a slot with an NLU mapping has values from NLU; its
 * validator refuses the setting elsewhere, flowc warns (the setting changes nothing).
 */
/** Rasa's slot mapping types, and the keys a mapping of each type must give a value (`SlotMapping.validate`). */
const MAPPING_REQUIRED_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ["from_llm", []],
  ["controlled", []],
  ["custom", []],
  ["from_text", []],
  ["from_entity", ["entity"]],
  ["from_intent", ["value"]],
  ["from_trigger_intent", ["value"]],
]);

/**
 * Each mapping of a slot has a type Rasa knows and the keys that type needs: Rasa checks
 * every mapping when it loads the domain (`SlotMapping.validate`) and refuses the domain
 * otherwise, so a misspelt type is not quietly a mapping that fills nothing.
 */
function checkSlotMappings(checker: FileChecker, slot: string, body: Obj): boolean {
  let ok = true;
  for (const mapping of (body.mappings as Obj[] | undefined) ?? []) {
    const type = mapping.type as string;
    const required = MAPPING_REQUIRED_KEYS.get(type);
    if (required === undefined) {
      checker.report("invalidSlotMapping", { slot, reason: `a mapping of the unknown type \`${type}\`` }, checker.valueRange(mapping, "type"), {
        suggestion: didYouMean(type, [...MAPPING_REQUIRED_KEYS.keys()]) ?? `mapping types are ${[...MAPPING_REQUIRED_KEYS.keys()].join(", ")}`,
      });
      ok = false;
      continue;
    }
    for (const key of required) {
      if (mapping[key] !== undefined && mapping[key] !== null) continue;
      checker.report("invalidSlotMapping", { slot, reason: `a \`${type}\` mapping without \`${key}\`` }, key in mapping ? checker.valueRange(mapping, key) : checker.valueRange(mapping, "type"), {
        suggestion: type === "from_entity" ? "name the entity that fills the slot: `entity: <entity>`" : "give the value the slot gets when the intent comes: `value: <value>`",
      });
      ok = false;
    }
  }
  return ok;
}

function reportIgnoredNluCorrection(checker: FileChecker, slot: string, body: Obj): void {
  const mappings = (body.mappings as Obj[] | undefined) ?? [];
  const hasNluMapping = mappings.some((mapping) => NLU_MAPPING_TYPES.has(mapping.type as string));
  for (const mapping of mappings) {
    if (mapping.allow_nlu_correction !== true) continue;
    const range = checker.keyRange(mapping, "allow_nlu_correction");
    if (mapping.type !== "from_llm") checker.report("nluCorrectionIgnored", { slot, reason: `it is read only on a \`from_llm\` mapping, and this one is \`${String(mapping.type)}\`` }, range);
    else if (!hasNluMapping) checker.report("nluCorrectionIgnored", { slot, reason: `the slot has no NLU mapping (${[...NLU_MAPPING_TYPES].join(", ")}), so no value of it comes from NLU` }, range);
  }
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
  const bad = (reason: string, at: SourceRange = range, suggestion?: string): undefined => {
    checker.report("invalidResponse", { response, reason }, at, suggestion === undefined ? undefined : { suggestion });
    return undefined;
  };
  if (!isObject(item)) return bad(`a variation must be a mapping (with \`text\`, \`buttons\`, …), found ${describeValue(item)}`);
  // Rasa's response schema takes these keys and no other (flows-format.md: responses).
  const unknown = Object.keys(item).find((key) => !VARIATION_KEYS.has(key));
  if (unknown !== undefined) {
    return bad(`a variation has no key \`${unknown}\`; it takes ${[...VARIATION_KEYS].map((k) => `\`${k}\``).join(", ")}`, checker.keyRange(item, unknown), didYouMean(unknown, VARIATION_KEYS));
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
    buttons = parsed.map((b) => ({ title: b.title, payload: b.payload, payloadRange: checker.valueRange(b, "payload"), payloadNode: checker.tree.valueNode(b, "payload"), fields: Object.keys(b).length > 2 ? (b as Obj) : undefined }));
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
    templateSources: (isObject(item.metadata) && item.metadata.template !== undefined) || hasCheckedPlaceholder(item) ? templateSources(checker, item, isObject(item.metadata) ? item.metadata : undefined) : undefined,
    emptyPlaceholder: emptyPlaceholderOf(checker, item),
  };
}

function emptyPlaceholderOf(checker: FileChecker, item: Obj): VariationInput["emptyPlaceholder"] {
  const key = INTERPOLATED_KEYS.find((k) => hasEmptyPlaceholder(item[k]));
  return key === undefined ? undefined : { key, range: checker.valueRange(item, key) };
}

/** The variation keys Rasa's validator searches for empty placeholders (the keys its response renderer fills in). */
const INTERPOLATED_KEYS = ["text", "image", "custom", "buttons", "attachment", "quick_replies"] as const;

/** Whether a string, or any string inside lists and mapping values, has `{}` or `{` blanks `}` (Rasa's validator, D7). */
function hasEmptyPlaceholder(value: unknown): boolean {
  if (typeof value === "string") return /\{\s*\}/.test(value);
  if (Array.isArray(value)) return value.some(hasEmptyPlaceholder);
  return isObject(value) && Object.values(value).some(hasEmptyPlaceholder);
}

/** A `{slots.…}` or `{context.…}` placeholder, or a `{name}` one (which may name no slot). */
const CHECKED_PLACEHOLDER = /\{(?:slots\.|context\.|[A-Za-z_][A-Za-z0-9_]*\})/;

/** Whether a variation's text or buttons have a placeholder that compile-response-templates checks against the slots. */
function hasCheckedPlaceholder(item: Obj): boolean {
  if (typeof item.text === "string" && CHECKED_PLACEHOLDER.test(item.text)) return true;
  return Array.isArray(item.buttons) && item.buttons.some((b) => isObject(b) && (CHECKED_PLACEHOLDER.test(String(b.title)) || CHECKED_PLACEHOLDER.test(String(b.payload))));
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
