/**
 * Rendering a response of the domain into a message, as Rasa's templated response generator
 * does. Which variations fit, in this order of preference: those with a condition that holds
 * and the output channel's `channel`, then unconditional ones of that channel, then
 * conditional ones without a channel, then unconditional ones without a channel (a variation
 * with an empty condition list is neither conditional nor unconditional to Rasa); among the
 * first group that is not empty, one is picked at random (the assistant's `random` or `seed`
 * option decides how). When none fits, the variations of `utter_internal_error_rasa` stand in
 * so that the assistant is never silent.
 *
 * The variables a response sees are every slot by name, `context` (the current frame's
 * fields) and the extra values of the message (the rejected `value` of a slot). A variation
 * without `metadata.template` fills `{name}` placeholders in its text, image and every string
 * inside its buttons, `custom`, `quick_replies` and `attachment` (the keys Rasa interpolates;
 * `elements` is sent as written) as Python's `str.format` does: when a name has no value the
 * text stays as written. A variation with
 * `metadata: {template: jinja}` runs the functions its templates were compiled to; when Jinja
 * would raise an undefined-value error the text stays as written, and when it would raise any
 * other error the response sends nothing, as Rasa's failing action does.
 */
import { pythonFloat, pythonRepr, pythonStr } from "./conditions/template.ts";
import type { Message, RuntimeEvent } from "./events.ts";
import { FormatFailure, FormatKeyError, parseFormatSteps, renderFormatSteps, type FormatArgument, type FormatStep } from "./python-format.ts";
import type { Button, CompiledCustom, Response, ResponseVariation, TemplateFunction } from "./model.ts";
import { eq, isTemplateError, TemplateTypeError, VariableScope, type TemplateVariables } from "./templates.ts";
import { frameContext, holdsPythonFloat, type ResponseChoice, type Tracker } from "./tracker.ts";
import { pythonCasefold } from "./slots.ts";

const INTERNAL_ERROR_RESPONSE = "utter_internal_error_rasa";

/** The extra values of a message that has none (shared: nothing writes to it). */
const NO_EXTRA: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * How a response is sent, worked out once per assistant and response name (kept in the
 * assistant's plan, see plan.ts). Most responses have one variation for every channel and
 * condition, with a plain format text and fixed buttons: such a response's message is built
 * without choosing a variation, without parsing or looking its text up, without rendering its
 * buttons, as one object literal; and when its text has no placeholder at all, its message
 * and bot event are built once and sent every time (they are immutable data, as the messages
 * a turn repeats from the previous one). Any other response takes the general path.
 */
export type ResponsePlan =
  | { readonly kind: typeof GENERAL_RESPONSE }
  | { readonly kind: typeof FIXED_RESPONSE; readonly message: Message; readonly event: RuntimeEvent }
  | {
      readonly kind: typeof FORMAT_RESPONSE;
      readonly name: string;
      readonly text: string;
      /** The parts of the text (see FormatTemplate): literal text at even indexes, keys at odd ones. */
      readonly parts: readonly string[];
      readonly literalBracket: boolean;
      readonly withoutValues: string;
      readonly buttons: readonly Button[] | undefined;
    };

export const GENERAL_RESPONSE = 0;
export const FIXED_RESPONSE = 1;
export const FORMAT_RESPONSE = 2;

const GENERAL: ResponsePlan = { kind: GENERAL_RESPONSE };

/** The plan of response `name` (see {@link ResponsePlan}); remembered for the domain's responses only (a custom action may name anything). */
export function responsePlan(tracker: Tracker, name: string): ResponsePlan {
  const plans = tracker.index.plan.responses;
  let plan = plans.get(name);
  if (plan === undefined) {
    const responses = tracker.assistant.responses;
    if (!Object.hasOwn(responses, name)) return GENERAL;
    plan = planResponse(responses, name);
    plans.set(name, plan);
  }
  return plan;
}

function hasBraces(text: string): boolean {
  return text.includes("{") || text.includes("}");
}

function planResponse(responses: Readonly<Record<string, Response>>, name: string): ResponsePlan {
  const response = responses[name]!; // responsePlan checked that the domain has it
  if (response.variations.length !== 1) return GENERAL;
  const variation = response.variations[0]!;
  const text = variation.text;
  if (variation.condition !== undefined || variation.channel !== undefined || variation.metadata !== undefined || variation.image !== undefined || variation.custom !== undefined || variation.jinja !== undefined || text === undefined) return GENERAL;
  if (variation.quick_replies !== undefined || variation.attachment !== undefined || variation.elements !== undefined) return GENERAL;
  for (const button of variation.buttons) if (!isTitleAndPayload(button) || hasBraces(button.title) || hasBraces(button.payload)) return GENERAL;
  const buttons = variation.buttons.length > 0 ? variation.buttons.map((b) => ({ title: b.title, payload: b.payload })) : undefined;
  if (!hasBraces(text)) {
    const message: Message = buttons === undefined ? { response: name, text } : { response: name, text, buttons };
    const event: RuntimeEvent = buttons === undefined ? { event: "bot", response: name, text } : { event: "bot", response: name, text, buttons };
    return { kind: FIXED_RESPONSE, message, event };
  }
  const { parts, digitKey, literalBracket, withoutValues } = formatTemplate(text);
  // The plan's path never fails: a text whose `format({})` fails takes the general one.
  if (parts === undefined || digitKey || withoutValues === undefined) return GENERAL;
  return { kind: FORMAT_RESPONSE, name, text, parts, literalBracket, withoutValues, buttons };
}

/**
 * The text of a {@link FORMAT_RESPONSE} plan's message: what {@link interpolate} makes of it
 * with the variables of a message without extra values (see ResponseVariables), each key
 * looked up once.
 */
export function renderFormatText(tracker: Tracker, plan: Extract<ResponsePlan, { kind: typeof FORMAT_RESPONSE }>): string {
  const slots = tracker.slots;
  return fillParts(plan.parts, plan.literalBracket, plan.withoutValues, plan.text, (key) => {
    if (Object.hasOwn(slots, key)) {
      const slot = slots[key];
      return typeof slot === "number" && holdsPythonFloat(tracker, key) ? pythonFloat(slot) : pythonStr(slot);
    }
    return key === "context" ? pythonStr(frameContext(tracker)) : undefined;
  });
}

/**
 * The message for response `name`, or undefined when the domain has no such response or rendering it fails.
 * `floats` names the extra values that hold a Python float (the value of a float slot), which print as one.
 */
export function renderResponse(tracker: Tracker, name: string, extra: Readonly<Record<string, unknown>> = NO_EXTRA, floats?: readonly string[]): Message | undefined {
  const responses = tracker.assistant.responses;
  const response: Response | undefined = responses[name];
  if (!response) return undefined;
  const fitting = fittingVariations(response.variations, tracker.slots, tracker.responseChoice.channel);
  const candidates = fitting.length > 0 ? fitting : (responses[INTERNAL_ERROR_RESPONSE]?.variations ?? []);
  const variation = pick(candidates, tracker.responseChoice);
  if (!variation) return undefined;
  const variables = new ResponseVariables(tracker, extra, floats);
  try {
    return fill(name, variation, variables);
  } catch (error) {
    if (isTemplateError(error, "TemplateTypeError")) return undefined;
    throw error;
  }
}

/** The variations Rasa chooses among, best group first (see the module comment). */
function fittingVariations(variations: readonly ResponseVariation[], slots: Readonly<Record<string, unknown>>, channel: string | undefined): readonly ResponseVariation[] {
  // The common case, without the filtering below: one plain variation.
  if (variations.length === 1 && variations[0]!.condition === undefined && variations[0]!.channel === undefined) return variations;
  // A condition Python finds false (`condition: []`) makes a variation neither conditional nor unconditional: it is never sent.
  const conditional = variations.filter((v) => v.condition !== undefined && !isEmptyList(v.condition) && conditionHolds(v.condition, slots));
  const unconditional = variations.filter((v) => v.condition === undefined);
  const ofChannel = (list: readonly ResponseVariation[]) => list.filter((v) => channel !== undefined && v.channel === channel);
  const channelFree = (list: readonly ResponseVariation[]) => list.filter((v) => v.channel === undefined);
  for (const group of [ofChannel(conditional), ofChannel(unconditional), channelFree(conditional), channelFree(unconditional)]) {
    if (group.length > 0) return group;
  }
  return [];
}

function isEmptyList(condition: NonNullable<ResponseVariation["condition"]>): boolean {
  return Array.isArray(condition) && condition.length === 0;
}

function pick(candidates: readonly ResponseVariation[], choice: ResponseChoice): ResponseVariation | undefined {
  if (candidates.length <= 1) return candidates[0];
  const index = Math.floor(choice.random() * candidates.length);
  return candidates[Math.min(Math.max(index, 0), candidates.length - 1)];
}

/**
 * A response condition: a compiled predicate over `{slots}` only (Rasa gives response
 * conditions no `context`), or the classic slot list, where strings compare case-insensitively.
 */
function conditionHolds(condition: NonNullable<ResponseVariation["condition"]>, slots: Readonly<Record<string, unknown>>): boolean {
  if (Array.isArray(condition)) return condition.every((c: { slot: string; value: unknown }) => slotMatches(slots[c.slot] ?? null, c.value));
  try {
    return (condition as { test: (s: typeof slots, c: Readonly<Record<string, unknown>>) => boolean }).test(slots, NO_CONTEXT);
  } catch {
    return false;
  }
}

const NO_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});

function slotMatches(value: unknown, expected: unknown): boolean {
  if (typeof value === "string" && typeof expected === "string") return pythonCasefold(value) === pythonCasefold(expected);
  return eq(value, expected);
}

/**
 * The variables of one message: Rasa merges `{context}`, then the slots, then the extra values
 * into one dictionary; the lookup below reads them in the reverse order without copying.
 */
class ResponseVariables extends VariableScope {
  constructor(
    private readonly tracker: Tracker,
    private readonly extra: Readonly<Record<string, unknown>>,
    private readonly floats: readonly string[] | undefined,
  ) {
    super();
  }

  has(name: string): boolean {
    return Object.hasOwn(this.extra, name) || Object.hasOwn(this.tracker.slots, name) || name === "context";
  }

  /**
   * What `{name}` prints: Python's `str()` of the value. A slot that holds a Python float (see
   * ConversationState.floatSlots) prints 50 as `50.0`, as Rasa sends it; so does an extra value
   * taken from one (the rejected `value` of a float slot).
   */
  text(name: string): string {
    const value = this.get(name);
    return typeof value === "number" && this.isFloat(name) ? pythonFloat(value) : pythonStr(value);
  }

  /** Whether a number under `name` is a Python float: a slot's that holds one, or an extra value taken from one. */
  override isFloat(name: string): boolean {
    return Object.hasOwn(this.extra, name) ? this.floats?.includes(name) === true : holdsPythonFloat(this.tracker, name);
  }

  /** The `random` filter draws as the choice of a variation does: from the assistant's `random` or `seed`. */
  override random(): number {
    return this.tracker.responseChoice.random();
  }

  get(name: string): unknown {
    if (Object.hasOwn(this.extra, name)) return this.extra[name];
    if (Object.hasOwn(this.tracker.slots, name)) return this.tracker.slots[name];
    return name === "context" ? frameContext(this.tracker) : undefined;
  }
}

function fill(name: string, variation: ResponseVariation, variables: ResponseVariables): Message {
  const jinja = variation.metadata?.["template"] === "jinja" ? (variation.jinja ?? {}) : undefined;
  const message: { -readonly [K in keyof Message]: Message[K] } = { response: name };
  if (variation.text !== undefined) message.text = render(variation.text, jinja, jinja?.text, variables);
  if (variation.buttons.length > 0) {
    const buttons: Button[] = [];
    for (let i = 0; i < variation.buttons.length; i++) {
      const b = variation.buttons[i]!;
      // A button's other keys are filled in as the strings of `custom` are (Rasa interpolates the whole button).
      if (jinja) buttons.push(renderCustom(b, jinja.buttons?.[i], variables) as Button);
      else buttons.push(isTitleAndPayload(b) ? { title: interpolate(b.title, variables), payload: interpolate(b.payload, variables) } : (interpolateDeep(b, variables) as Button));
    }
    message.buttons = buttons;
  }
  if (variation.image !== undefined) message.image = render(variation.image, jinja, jinja?.image, variables);
  if (variation.custom !== undefined) message.custom = renderNested(variation.custom, jinja, jinja?.custom, variables);
  if (variation.quick_replies !== undefined) message.quick_replies = renderNested(variation.quick_replies, jinja, jinja?.quick_replies, variables);
  if (variation.attachment !== undefined) message.attachment = renderNested(variation.attachment, jinja, jinja?.attachment, variables);
  // Rasa does not interpolate `elements`.
  if (variation.elements !== undefined) message.elements = variation.elements;
  if (variation.metadata !== undefined) message.metadata = variation.metadata;
  return message;
}

/** Whether a button has no keys but `title` and `payload` (as nearly all have). */
function isTitleAndPayload(button: Button): boolean {
  let keys = 0;
  for (const _ in button) keys++;
  return keys === 2;
}

/** A value whose strings Rasa fills in (`custom`, `quick_replies`, `attachment`): by their compiled templates in a Jinja variation, else as format templates. */
function renderNested(value: unknown, jinja: object | undefined, compiled: CompiledCustom | undefined, variables: ResponseVariables): unknown {
  return jinja ? renderCustom(value, compiled, variables) : interpolateDeep(value, variables);
}

/** One text of a variation: by its compiled Jinja template in a Jinja variation, else as a format template (a function rather than a closure per message). */
function render(template: string, jinja: object | undefined, compiled: TemplateFunction | undefined, variables: ResponseVariables): string {
  return jinja ? renderJinja(template, compiled, variables) : interpolate(template, variables);
}

/** A compiled Jinja template's text; the template as written when Jinja finds an undefined value. */
function renderJinja(template: string, compiled: TemplateFunction | undefined, variables: TemplateVariables): string {
  if (!compiled) return template;
  try {
    return compiled(variables);
  } catch (error) {
    if (isTemplateError(error, "UndefinedError")) return template;
    throw error;
  }
}

/** A value (`custom`, a button, …) with each string that has a compiled template rendered by it. */
function renderCustom(value: unknown, compiled: CompiledCustom | TemplateFunction | undefined, variables: TemplateVariables): unknown {
  if (compiled === undefined) return value;
  if (typeof compiled === "function") return typeof value === "string" ? renderJinja(value, compiled, variables) : value;
  if (Array.isArray(value)) return value.map((item, i) => renderCustom(item, Object.hasOwn(compiled, String(i)) ? compiled[String(i)] : undefined, variables));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderCustom(v, Object.hasOwn(compiled, k) ? compiled[k] : undefined, variables)]));
  return value;
}

function interpolateDeep(value: unknown, variables: Variables): unknown {
  if (typeof value === "string") return interpolate(value, variables);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, variables));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, variables)]));
  return value;
}

/**
 * A format template as Rasa runs it: every `{name}` becomes `{0[name]}` and the result goes
 * through Python's `str.format` (see python-format.ts) with the dict of the values the text
 * names; when the rendered text still holds `0[` (a placeholder inside doubled braces), Rasa
 * sends `template.format({})` instead. Parsed once per template. Nearly every template is
 * plain (literal text and `{0[name]}` fields, nothing that fails parsing) and is filled part
 * by part; any other is rendered by walking Python's steps, where the first error decides.
 */
interface FormatTemplate {
  /** Python's steps for the rewritten text. */
  readonly steps: readonly FormatStep[];
  /** The names Rasa's rewrite found, without repeats: the keys of the dict it passes. */
  readonly names: readonly string[];
  /** A plain template's parts: literal text at even indexes, keys at odd ones; undefined for any other. */
  readonly parts: readonly string[] | undefined;
  /** A plain template has an all-digit key: an int to Python, which no variable has, so the text stays as written. */
  readonly digitKey: boolean;
  /**
   * Whether the literal text alone may put `0[` into a rendering: one part holds it, or a part
   * after the first starts with `[` (after a value that may end in 0). When not, a rendering
   * can hold `0[` only through a value with a `[` in it.
   */
  readonly literalBracket: boolean;
  /** `template.format({})`: the text (the template itself on a KeyError), or undefined when it fails. */
  readonly withoutValues: string | undefined;
}

const PLACEHOLDER = /\{([^\n{}]+?)\}/g;
const formatTemplates = new Map<string, FormatTemplate>();

/** Python's str() of no values: `template.format({})` sees an empty dict. */
const NO_VALUES: FormatArgument = { has: () => false, get: () => undefined, text: () => "", dictText: () => "{}" };

function formatTemplate(template: string): FormatTemplate {
  let parsed = formatTemplates.get(template);
  if (parsed) return parsed;
  const steps = parseFormatSteps(template.replace(PLACEHOLDER, "{0[$1]}"));
  const names = [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]!))];
  let parts: string[] | undefined = [""];
  let digitKey = false;
  for (const step of steps) {
    if (typeof step === "string") {
      parts[parts.length - 1] += step;
      continue;
    }
    const key = typeof step === "object" && step.first === 0 && step.accessors.length === 1 && step.conversion === undefined && step.spec === "" ? step.accessors[0] : undefined;
    // (a number below 0 marks where parsing fails: see python-format.ts)
    if (typeof key !== "string" && !(typeof key === "number" && key >= 0)) {
      parts = undefined;
      break;
    }
    if (typeof key === "number") digitKey = true;
    parts.push(String(key), "");
  }
  let withoutValues: string | undefined;
  try {
    withoutValues = renderFormatSteps(parseFormatSteps(template), NO_VALUES);
  } catch (error) {
    if (error instanceof FormatKeyError) withoutValues = template;
    else if (!(error instanceof FormatFailure)) throw error;
  }
  let literalBracket = false;
  if (parts) for (let i = 0; i < parts.length; i += 2) if (parts[i]!.includes("0[") || (i > 0 && parts[i]!.startsWith("["))) literalBracket = true;
  parsed = { steps, names, parts, digitKey, literalBracket, withoutValues };
  formatTemplates.set(template, parsed);
  return parsed;
}

/** Where placeholders find their values. */
export interface Variables {
  has(name: string): boolean;
  get(name: string): unknown;
  /** Python's `str()` of the value. */
  text(name: string): string;
}

/**
 * Rasa's format interpolation: `{name}` placeholders filled with Python's `str()` of the
 * values; a name without a value leaves the whole text as written. A text `str.format` fails
 * on before it meets a missing name (a lone `}`) fails the response, as Rasa's action then fails.
 */
export function interpolate(template: string, variables: Variables): string {
  if (!template.includes("{") && !template.includes("}")) return template;
  const parsed = formatTemplate(template);
  const { parts, withoutValues } = parsed;
  if (parts) return parsed.digitKey ? template : fillParts(parts, parsed.literalBracket, withoutValues, template, (key) => (variables.has(key) ? variables.text(key) : undefined));
  let text: string;
  try {
    text = renderFormatSteps(parsed.steps, formatArgument(parsed.names, variables));
  } catch (error) {
    if (error instanceof FormatKeyError) return template;
    if (error instanceof FormatFailure) throw new TemplateTypeError(`Rasa cannot format the text ${JSON.stringify(template)}: ${error.message}`);
    throw error;
  }
  return text.includes("0[") ? formattedWithoutValues(withoutValues, template) : text;
}

/** The dict Rasa passes: the values of the names its rewrite found. */
function formatArgument(names: readonly string[], variables: Variables): FormatArgument {
  const has = (key: string) => names.includes(key) && variables.has(key);
  return {
    has,
    get: (key) => variables.get(key),
    text: (key) => variables.text(key),
    dictText: () => `{${names.filter(has).map((key) => `${pythonRepr(key)}: ${pythonRepr(variables.get(key))}`).join(", ")}}`,
  };
}

function formattedWithoutValues(withoutValues: string | undefined, template: string): string {
  if (withoutValues === undefined) throw new TemplateTypeError(`Rasa cannot format the text ${JSON.stringify(template)}`);
  return withoutValues;
}

/**
 * A plain template's parts (holes at odd indexes of `parts`) with each hole filled by `valueOf`;
 * a name without a value (undefined) leaves the whole text as written.
 */
function fillParts(parts: readonly string[], literalBracket: boolean, withoutValues: string | undefined, template: string, valueOf: (key: string) => string | undefined): string {
  let text = parts[0]!;
  let bracket = literalBracket;
  for (let i = 1; i < parts.length; i += 2) {
    const value = valueOf(parts[i]!);
    if (value === undefined) return template;
    if (!bracket && value.includes("[")) bracket = true;
    text += value + parts[i + 1]!;
  }
  // Only a text that may hold `0[` is searched for it (see FormatTemplate.literalBracket).
  if (bracket && text.includes("0[")) return formattedWithoutValues(withoutValues, template);
  return text;
}
