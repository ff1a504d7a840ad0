/**
 * How Rasa's validator renders the `{{ }}` holes of a condition before it checks it (V10, V11,
 * V13 to V15, V17, D7): with a document of `slots` (every domain slot `None`) and, except for a
 * response condition, `context` (every field of a pattern frame, `None`). The parse pass checks
 * the rendered text; the condition checks read the slot a rendered comparison names.
 */
import type { ConditionSite, TemplatedText } from "./ast.ts";
import { isPlainWord } from "../../runtime/conditions/template.ts";
import * as templates from "../../runtime/templates.ts";
import { didYouMean } from "../util/suggest.ts";
import { evaluateExpression, evaluateHole, walkDecision, type JinjaTemplate, type TextSpan } from "./jinja.ts";

/** The slot names of the domain, the default patterns' included. */
export type SlotNames = { has(name: string): boolean };

/**
 * The `context` Rasa's validator renders with: every attribute of its pattern frame classes,
 * each `None` (the fields of the pattern frames, runtime-semantics.md §b.2, and of every frame).
 */
export const VALIDATOR_CONTEXT_FIELDS: ReadonlySet<string> = new Set([
  "frame_id", "flow_id", "step_id", "type", "frame_type", "stack_frame_type",
  "collect", "utter", "collect_action", "rejections",
  "canceled_name", "canceled_frames", "previous_flow_name",
  "corrected_slots", "reset_flow_id", "reset_step_id", "is_reset_only",
  "names", "clarification_options", "reason", "message", "error_type", "info",
  "interrupted_flow_id", "interrupted_step_id", "interrupting_flow_id", "ask_confirm_digressions", "block_digressions",
  "validation", "validate", "refill_utter",
]);

/**
 * Every field a frame of the stack may have: those Rasa's validator renders, and the fields of
 * 3.12's frames it leaves out (`pattern_correction`'s `new_slot_values`, `pattern_validate_slot`'s
 * `refill_action`). What a branch's or guard's `context` and a response's may hold (FLW2040).
 */
export const FRAME_FIELDS: ReadonlySet<string> = new Set([...VALIDATOR_CONTEXT_FIELDS, "new_slot_values", "refill_action"]);

/**
 * The help for `context.<field>` of a field no frame has: for a field only a later Rasa's frames
 * have, what 3.12's frame has instead; else the nearest frame field, if one is close.
 */
export function unknownFrameFieldHelp(field: string): string | undefined {
  if (field === "interrupted_flow_options") {
    return "`interrupted_flow_options` is a field of `pattern_continue_interrupted` from Rasa 3.14 on; in 3.12 its frame has `previous_flow_name`, the name of the flow it goes back to";
  }
  return didYouMean(field, FRAME_FIELDS);
}

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
export const DICT_ATTRIBUTES: ReadonlySet<string> = new Set([
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
 * The names Rasa's validator renders a site's conditions with, and the run-time helpers with
 * Jinja's reading of a dict's methods added: {@link evaluateExpression} evaluates with them. A
 * method (`slots.items`: Jinja reads an attribute before a key) is its printed text, which is
 * true, defined and not None, as the method is, and parses nowhere in a condition.
 */
function validatorEnvironment(site: ConditionSite, slots: Iterable<string>): { readonly variables: Readonly<Record<string, unknown>>; readonly helpers: object } {
  const none = (names: Iterable<string>): Record<string, null> => Object.fromEntries([...names].map((name) => [name, null]));
  const variables: Record<string, unknown> = { slots: none(slots) };
  if (site !== "response") variables["context"] = none(VALIDATOR_CONTEXT_FIELDS);
  const roots = new Set(Object.values(variables));
  const helpers = {
    ...templates,
    attr: (value: unknown, name: string) => (roots.has(value) && DICT_ATTRIBUTES.has(name) ? METHOD : templates.attr(value, name)),
  };
  return { variables, helpers };
}

/** The validator's outcome: a text, or what its rendering failed on (Rasa's training then fails). */
export type ValidatorRendering = { readonly text: string; readonly failure?: undefined } | { readonly text?: undefined; readonly failure: ValidatorFailure };
export interface ValidatorFailure {
  /** The hole's expression or the test, as written. */
  readonly written: string;
  readonly reason: string;
}

/**
 * The condition text Rasa's validator renders `template` to: its `{% if %}` tests evaluated
 * with `slots` (every domain slot `None`) and, but at a response condition, `context` (every
 * frame field `None`), and the holes of the way taken, as it prints them. With `keep`, a hole
 * whose text is one plain word (or opens a template tag) stays a hole (a template hole for the
 * parser: its text is only known at run time); any other text is spliced in.
 */
export function validatorRendering(template: JinjaTemplate, source: string, site: ConditionSite, slots: Iterable<string>, keep: boolean): ValidatorRendering {
  const { variables, helpers } = validatorEnvironment(site, slots);
  /** `evaluate`'s value, or a failure naming what was written at `span`. */
  const attempt = <T>(span: TextSpan, evaluate: () => T): T => {
    try {
      return evaluate();
    } catch (error) {
      throw new RenderingFailed({ written: source.slice(span.start, span.end), reason: error instanceof Error ? error.message : String(error) });
    }
  };
  const print = (index: number, env: Readonly<Record<string, unknown>>): string => {
    const hole = template.holes[index]!;
    return attempt(hole.span, () => evaluateHole(hole, env, helpers));
  };
  try {
    const way = walkDecision(template, variables, {
      choose: (tests, env) => {
        const taken = tests.findIndex((test) => attempt(test.span, () => evaluateExpression(test.expr, "test", env, helpers)) === true);
        return taken < 0 ? tests.length : taken;
      },
      hole: print,
      set: (targets, value, env) => {
        const assigned = attempt(value.span, () => evaluateExpression(value.expr, "value", env, helpers));
        const values = targets.length === 1 ? [assigned] : attempt(value.span, () => templates.unpack(assigned, targets.length));
        return { ...env, ...Object.fromEntries(targets.map((target, i) => [target, values[i]])) };
      },
    });
    const text = way.text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (marker, index: string) => {
      const rendered = way.holes.get(Number(index)) ?? print(Number(index), way.env);
      // (A text that opens a template tag stays a hole too: spliced in, the parser would read the tag.)
      return keep && (isPlainWord(rendered) || /\{[{%#]/.test(rendered)) ? marker : rendered;
    });
    return { text };
  } catch (error) {
    if (error instanceof RenderingFailed) return { failure: error.failure };
    throw error;
  }
}

class RenderingFailed extends Error {
  constructor(readonly failure: ValidatorFailure) {
    super(failure.reason);
  }
}
