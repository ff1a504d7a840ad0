/**
 * Stage 4: Rasa's validator reads every button payload of the domain's responses the way its
 * message parser would read a click (D7, "bad button payloads"), and refuses a payload that
 * starts with `/` but would trigger nothing. `/SetSlots(name=value, …)` must set at least one
 * slot, only domain slots, none twice, with at most ten `=`; any other `/…` must name a domain
 * intent (`/intent`, `/intent@0.9`, `/intent{"entity": "value"}`, where `{{ }}` counts as one
 * brace). A payload without the leading `/` is free text for the NLU pipeline and is not checked;
 * an empty one is refused by the response schema check.
 *
 * A `/SetSlots` value in quotes (`/SetSlots(option="advisor")`) is warned of (FLW3113): the reader
 * trims white space only, so the click sets the text with its quotes, which no condition's
 * `"advisor"` equals.
 *
 * A `/SetSlots` value that the slot's type refuses (`pizza_size=huge` where the categorical slot's
 * values are small, medium and large; `confirmed=maybe` for a bool slot; `amount=ten` for a float
 * slot) is warned of (FLW3114), at the value: the click sets the text as it is, and
 * `action_run_slot_rejections` at the slot's collect step turns it down with the type's response
 * (`utter_categorical_slot_rejection`, …) and the question comes again, so the button never works.
 * Rasa accepts such a button, and the check is the runtime's own (runtime/slots.ts: a categorical
 * value matched ignoring case, `__other__` among the values, a bool read from true/false/yes/no/1/0).
 * A value with a placeholder (`{size}`, `{{ size }}`), filled in when the response is rendered, a
 * null (`none`) and a quoted one (FLW3113) are not judged.
 *
 * Rejects, for example:  buttons: [{title: Yes, payload: "/SetSlots(confirmd=true)"}]   (FLW2036)
 *                        buttons: [{title: Hi, payload: "/greet"}]   with no intent `greet`
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { DEFAULT_INTENTS, type AssistantIR } from "../model/ir.ts";
import { MAX_PAYLOAD_SLOTS, payloadPairs } from "../../runtime/commands.ts";
import type { SlotDefinition } from "../../runtime/model.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";
import { checkSlotType, coerceSlotValue } from "../../runtime/slots.ts";
import type { SlotInput } from "../model/input.ts";
import { valueSpanRange } from "../source/scalar-offsets.ts";
import { closest } from "../util/suggest.ts";

/** `/intent`, then an optional `@confidence` and `{entities}`; whatever follows is ignored. */
const INTENT_PAYLOAD = /^\/([^{@]+)/u;

export function checkButtonPayloads(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const { domain } = assistant;
  for (const response of domain.responses.values()) {
    if (response.isDefault) continue;
    for (const variation of response.variations) {
      for (const button of variation.buttons) {
        const reason = payloadProblem(button.payload, (slot) => domain.slots.has(slot), (intent) => domain.intents.has(intent) || DEFAULT_INTENTS.has(intent));
        if (reason !== undefined) {
          diagnostics.report("buttonPayloadInvalid", { response: response.name, payload: button.payload, reason }, { range: button.payloadRange ?? variation.range });
          continue;
        }
        if (!pythonStrip(button.payload).startsWith("/SetSlots")) continue;
        // The pairs of the payload as written, so that their places are places in the YAML value.
        const pairs = payloadPairs(button.payload);
        for (const { name, value } of pairs) {
          const bare = unquoted(value);
          if (bare === undefined) continue;
          const fixed = `/SetSlots(${pairs.map((pair) => `${pair.name}=${unquoted(pair.value) ?? pair.value}`).join(", ")})`;
          diagnostics.report("quotedPayloadValue", { response: response.name, slot: name, value, bare }, { range: button.payloadRange ?? variation.range, suggestion: `write the payload without the quotes: \`${fixed}\`` });
        }
        for (const pair of pairs) {
          const slot = domain.slots.get(pair.name);
          const refusal = slot && refusedValue(slot, pair.value);
          if (!slot || !refusal) continue;
          const range = button.payloadRange ? valueSpanRange(button.payloadRange, button.payloadNode, button.payload, pair) : variation.range;
          const near = refusal.near === undefined ? undefined : `/SetSlots(${pairs.map((other) => `${other.name}=${other.name === pair.name ? refusal.near : other.value}`).join(", ")})`;
          const suggestion = near === undefined ? refusal.help : `did you mean \`${refusal.near}\`? Write \`${near}\``;
          diagnostics.report("buttonValueRefused", { response: response.name, type: slot.type, slot: slot.name, value: pair.value, why: refusal.why, rejection: refusal.rejection }, { range, suggestion });
        }
      }
    }
  }
}

/**
 * Why the type check of `action_run_slot_rejections` turns down the text a button's `/SetSlots`
 * gives `slot` (stored as a SetSlot stores it), with the response it answers with and the nearest
 * value it takes, if one is close; undefined when it takes the value, or when the value is not
 * judged: null (`none`, `null`, `undefined`), empty, quoted (FLW3113) or with a placeholder the
 * response fills in.
 */
function refusedValue(slot: SlotInput, value: string): { why: string; rejection: string; near?: string; help: string } | undefined {
  if (value === "" || ["none", "null", "undefined"].includes(value.toLowerCase()) || /[{}]/.test(value) || unquoted(value) !== undefined) return undefined;
  const definition: SlotDefinition = { name: slot.name, type: slot.type, initialValue: null, values: slot.values, mappings: [] };
  const check = checkSlotType(definition, coerceSlotValue(definition, value));
  if (check.valid) return undefined;
  switch (slot.type) {
    case "categorical": {
      const near = closest(value, slot.values);
      const values = slot.values.map((v) => `\`${v}\``).join(", ");
      return { why: `which is none of its values (${slot.values.join(", ")}; Rasa compares them ignoring case)`, rejection: check.response, ...(near !== undefined ? { near } : {}), help: `write one of the slot's values (${values}), or add \`${value}\` to its \`values\`` };
    }
    case "bool": {
      const near = closest(value, ["true", "false"]);
      return { why: "which Rasa reads as neither true nor false (it takes true, false, yes, no, 1 and 0, in any case)", rejection: check.response, ...(near !== undefined ? { near } : {}), help: "write `true` or `false`" };
    }
    default:
      return { why: "which is not a number", rejection: check.response, help: "write a number (`12`, `12.5`)" };
  }
}

/** The text inside a value written in matching quotes (`"advisor"`, `'advisor'`), else undefined. */
function unquoted(value: string): string | undefined {
  const quote = value[0];
  return value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote) ? value.slice(1, -1) : undefined;
}

/** Why Rasa's validator refuses `payload`, or undefined when it accepts it. */
export function payloadProblem(payload: string, isSlot: (name: string) => boolean, isIntent: (name: string) => boolean): string | undefined {
  const text = pythonStrip(payload);
  if (text.startsWith("/SetSlots")) {
    if ((text.match(/=/g) ?? []).length > MAX_PAYLOAD_SLOTS) return `it sets more than ${MAX_PAYLOAD_SLOTS} slots`;
    const names = payloadPairs(text).map((pair) => pair.name);
    if (names.length === 0) return "it sets no slot; write `/SetSlots(slot=value)`";
    const unknown = names.find((name) => !isSlot(name));
    if (unknown !== undefined) return `\`${unknown}\` is not a slot of the domain`;
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) return `it sets slot \`${twice}\` twice`;
    return undefined;
  }
  if (!text.startsWith("/")) return undefined;
  const unbraced = pythonStrip(payload.replaceAll("{{", "{").replaceAll("}}", "}"));
  const intent = unbraced.startsWith("/") ? INTENT_PAYLOAD.exec(unbraced)?.[1] : undefined;
  if (intent === undefined) return "it starts with `/` but names no intent; write `/intent`, `/intent{\"entity\": \"value\"}` or `/SetSlots(slot=value)`";
  const name = pythonStrip(intent);
  return isIntent(name) ? undefined : `\`${name}\` is not an intent of the domain (the text after \`/\` up to \`{\` or \`@\` is the intent)`;
}
