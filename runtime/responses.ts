/**
 * Rendering a response of the domain into a message, as Rasa's template generator does: the
 * variations whose conditions hold are preferred over unconditional ones, and `{name}`
 * placeholders are filled from the slots and the current frame's fields (so
 * `utter_flow_cancelled_rasa` can say `{canceled_name}`). When a placeholder has no value, the
 * text stays as written, as in Rasa.
 */
import { pythonStr } from "./conditions/template.ts";
import type { Message } from "./events.ts";
import type { Button, Response, ResponseVariation } from "./model.ts";
import { frameContext, type Tracker } from "./tracker.ts";

export function hasResponse(tracker: Tracker, name: string): boolean {
  return Object.hasOwn(tracker.assistant.responses, name);
}

/** The message for response `name`, or undefined when the domain has no usable variation. */
export function renderResponse(tracker: Tracker, name: string, extra: Readonly<Record<string, unknown>> = {}): Message | undefined {
  const response: Response | undefined = tracker.assistant.responses[name];
  if (!response) return undefined;
  const context = frameContext(tracker);
  const variation = chooseVariation(response.variations, tracker.slots, context);
  if (!variation) return undefined;
  const values = [extra, context, tracker.slots] as const;
  const message: { -readonly [K in keyof Message]: Message[K] } = { response: name };
  if (variation.text !== undefined) message.text = interpolate(variation.text, values);
  if (variation.buttons.length > 0) message.buttons = variation.buttons.map((b): Button => ({ title: interpolate(b.title, values), payload: interpolate(b.payload, values) }));
  if (variation.image !== undefined) message.image = variation.image;
  if (variation.custom !== undefined) message.custom = variation.custom;
  if (variation.metadata !== undefined) message.metadata = variation.metadata;
  return message;
}

function chooseVariation(variations: readonly ResponseVariation[], slots: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>>): ResponseVariation | undefined {
  const channelFree = variations.filter((v) => v.channel === undefined);
  const conditional = channelFree.find((v) => v.condition !== undefined && conditionHolds(v.condition, slots, context));
  return conditional ?? channelFree.find((v) => v.condition === undefined);
}

function conditionHolds(condition: NonNullable<ResponseVariation["condition"]>, slots: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>>): boolean {
  if (Array.isArray(condition)) return condition.every((c: { slot: string; value: unknown }) => slots[c.slot] === c.value);
  try {
    return (condition as { test: (s: typeof slots, c: typeof context) => boolean }).test(slots, context);
  } catch {
    return false;
  }
}

const PLACEHOLDER = /\{([^\n{}]+?)\}/g;

/** A template as literal parts with the placeholder names between them, split once. */
const splitTemplates = new Map<string, readonly string[]>();

function templateParts(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(PLACEHOLDER); // even indexes: text; odd: placeholder names
    splitTemplates.set(template, parts);
  }
  return parts;
}

/**
 * Python's `str.format` over `{name}` placeholders, each looked up in `scopes` in order; any
 * missing name leaves the text as written.
 */
export function interpolate(template: string, scopes: readonly Readonly<Record<string, unknown>>[]): string {
  if (!template.includes("{")) return template;
  const parts = templateParts(template);
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    const scope = scopes.find((s) => Object.hasOwn(s, key));
    if (!scope) return template;
    text += pythonStr(scope[key]) + parts[i + 1]!;
  }
  return text;
}
