/**
 * How Rasa's validator renders the `{{ }}` holes of a condition before it checks it (V10, V11,
 * V13 to V15, V17, D7): with a document of `slots` (every domain slot `None`) and, except for a
 * response condition, `context` (every field of a pattern frame, `None`). The parse pass checks
 * the rendered text; the condition checks read the slot a rendered comparison names.
 */
import type { ConditionSite, TemplatedText } from "./ast.ts";
import { applyFilters } from "../../runtime/conditions/template.ts";
import type { Alternative, JinjaTemplate, JinjaTest } from "./jinja.ts";

/** The slot names of the domain, the default patterns' included. */
export type SlotNames = { has(name: string): boolean };

/**
 * The `context` Rasa's validator renders with: every attribute of its pattern frame classes,
 * each `None` (the fields of the pattern frames, runtime-semantics.md §b.2, and of every frame).
 */
const VALIDATOR_CONTEXT_FIELDS: ReadonlySet<string> = new Set([
  "frame_id", "flow_id", "step_id", "type", "frame_type", "stack_frame_type",
  "collect", "utter", "collect_action", "rejections",
  "canceled_name", "canceled_frames", "previous_flow_name",
  "corrected_slots", "reset_flow_id", "reset_step_id", "is_reset_only",
  "names", "clarification_options", "reason", "message", "error_type", "info",
  "interrupted_flow_id", "interrupted_step_id", "interrupting_flow_id", "ask_confirm_digressions", "block_digressions",
  "validation", "validate", "refill_utter",
]);

/**
 * The text Rasa's validator renders a `{{ path }}` hole as, following Jinja's look-ups in its
 * document: `slots` (every domain slot `None`) and, except for a response condition, `context`
 * ({@link VALIDATOR_CONTEXT_FIELDS}, every one `None`). Both are Python dicts, and Jinja tries
 * an attribute before a key, so `{{ slots.items }}` is the dict's method, whatever the slots
 * are. A name it does not have renders as nothing, and so does an attribute of `None` or of a
 * method; an attribute of a name it does not have raises, which fails validation (undefined).
 * So `{{ context.collect }}` is `None`, `{{ context.foo }}` and `{{ slots.not_a_slot }}`
 * nothing, `{{ slots }}` a mapping, `{{ foo.bar }}` fails.
 */
export function validatorHole(path: readonly string[], site: ConditionSite, slots: SlotNames): string | undefined {
  const [root, field] = path;
  if (!validatorRoots(site).includes(root!)) return path.length > 1 ? undefined : "";
  if (field === undefined) return MAPPING; // the whole mapping, which only a quoted string holds
  const known = DICT_ATTRIBUTES.has(field) || (root === "slots" ? slots.has(field) : VALIDATOR_CONTEXT_FIELDS.has(field));
  if (path.length === 2) return known ? (DICT_ATTRIBUTES.has(field) ? METHOD : NONE) : "";
  return known && path.length === 3 ? "" : undefined;
}

/** A word's text with its holes as the validator renders them (a hole it fails on as nothing). */
export function validatorText(parts: TemplatedText, site: ConditionSite, slots: SlotNames): string {
  return parts.map((part) => (typeof part === "string" ? part : (validatorHole(part.path, site, slots) ?? ""))).join("");
}

/**
 * The attributes of a Python dict that a `{{ }}` hole can name (the dunder ones included):
 * Jinja reads them before the dict's keys.
 */
const DICT_ATTRIBUTES: ReadonlySet<string> = new Set([
  "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values",
  "__class__", "__class_getitem__", "__contains__", "__delattr__", "__delitem__", "__dir__", "__doc__", "__eq__",
  "__format__", "__ge__", "__getattribute__", "__getitem__", "__getstate__", "__gt__", "__init__", "__init_subclass__",
  "__ior__", "__iter__", "__le__", "__len__", "__lt__", "__ne__", "__new__", "__or__", "__reduce__", "__reduce_ex__",
  "__repr__", "__reversed__", "__setattr__", "__setitem__", "__sizeof__", "__str__", "__subclasshook__",
]);

/** The names Rasa's validator renders a site's conditions with: a response condition's have no `context`. */
function validatorRoots(site: ConditionSite): readonly string[] {
  return site === "response" ? ["slots"] : ["slots", "context"];
}

/** What a hole of a `None` value renders as. */
export const NONE = "None";
/** What a hole naming a dict's method renders as, for parsing (Python adds the object's address). */
const METHOD = "<built-in method of dict object>";
/**
 * What `{{ slots }}` or `{{ context }}` render as, for parsing: a mapping of two or more `None`
 * values (the default patterns' slots are always there), whose commas pypred refuses.
 */
const MAPPING = "{'a': None, 'b': None}";

/** Why Rasa's validator fails on a hole {@link validatorHole} has no text for. */
export function validatorHoleFailure(path: readonly string[], site: ConditionSite, slots: SlotNames): string {
  const root = path[0]!;
  const roots = validatorRoots(site);
  if (!roots.includes(root)) return `\`${root}\` is undefined there (only ${roots.map((name) => `\`${name}\``).join(" and ")} ${roots.length > 1 ? "are" : "is"})`;
  const undefinedAt = validatorHole(path.slice(0, 2), site, slots) === "" ? 2 : 3;
  return `\`${path.slice(0, undefinedAt).join(".")}\` is undefined there, so \`${path[undefinedAt]}\` cannot be read from it`;
}

/**
 * `text` (an alternative of `template`, with `{{__jinja.hN}}` for its holes) with each hole as
 * the validator renders it ({@link validatorHole}, then the hole's filters); `failure`: the path
 * of the first hole the validator fails on. With `keep`, a hole of a `None` value or with a
 * filter stays as it is (a template hole for the parser).
 */
export function renderValidatorHoles(template: JinjaTemplate, text: string, site: ConditionSite, slots: SlotNames, keep: boolean): { readonly text: string; readonly failure: readonly string[] | undefined } {
  let failure: readonly string[] | undefined;
  const rendered = text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (marker, index: string) => {
    const { path, filters, literal } = template.holes[Number(index)]!;
    if (path === undefined) return keep ? marker : (literal ?? "");
    const hole = validatorHole(path, site, slots);
    if (hole === undefined) {
      failure ??= path;
      return "";
    }
    return keep && (hole === NONE || filters.length > 0) ? marker : applyFilters(hole, filters);
  });
  return { text: rendered, failure };
}

/**
 * The alternative of `template` Rasa's validator renders, its `{% if %}` tests evaluated on the
 * values {@link validatorHole} gives (`None`, undefined, a dict or its method); or the path of
 * the first test it evaluates and fails on (an attribute of an undefined name).
 */
export function validatorAlternative(template: JinjaTemplate, site: ConditionSite, slots: SlotNames): { readonly alternative?: Alternative | undefined; readonly failure?: readonly string[] | undefined } {
  const choices: number[] = [];
  for (const tests of template.blocks) {
    let choice = tests.length;
    for (let i = 0; i < tests.length; i++) {
      const holds = validatorTest(tests[i]!, site, slots);
      if (typeof holds !== "boolean") return { failure: holds };
      if (holds) {
        choice = i;
        break;
      }
    }
    choices.push(choice);
  }
  return { alternative: template.alternatives.find((alternative) => alternative.choices.every((choice, i) => choice === choices[i])) };
}

/** Whether `test` holds as the validator renders it; the path it fails on when evaluating it raises. */
function validatorTest(test: JinjaTest, site: ConditionSite, slots: SlotNames): boolean | readonly string[] {
  if (test.kind === "literal") return test.holds;
  if (test.kind === "and" || test.kind === "or") {
    const left = validatorTest(test.left, site, slots);
    // Python's short circuit: the right side is read only when the left does not decide.
    if (typeof left !== "boolean" || left === (test.kind === "or")) return left;
    return validatorTest(test.right, site, slots);
  }
  if (test.kind === "not") {
    const operand = validatorTest(test.operand, site, slots);
    return typeof operand === "boolean" ? !operand : operand;
  }
  const value = validatorHole(test.path, site, slots);
  if (value === undefined) return test.path;
  if (test.kind === "truthy") return (value === METHOD || value === MAPPING) !== test.negated; // None and undefined are false
  if (test.kind === "defined") return (value !== "") !== test.negated; // "": a name or key not there
  if (test.kind === "none") return (value === NONE) !== test.negated;
  return (value === NONE && test.value === null) === (test.operator === "=="); // undefined equals nothing, not even None
}
