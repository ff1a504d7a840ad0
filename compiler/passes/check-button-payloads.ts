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
 * Rejects, for example:  buttons: [{title: Yes, payload: "/SetSlots(confirmd=true)"}]   (FLW2036)
 *                        buttons: [{title: Hi, payload: "/greet"}]   with no intent `greet`
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { DEFAULT_INTENTS, type AssistantIR } from "../model/ir.ts";
import { MAX_PAYLOAD_SLOTS, payloadPairs } from "../../runtime/commands.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";

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
        const payload = pythonStrip(button.payload);
        if (!payload.startsWith("/SetSlots")) continue;
        const pairs = payloadPairs(payload);
        for (const { name, value } of pairs) {
          const bare = unquoted(value);
          if (bare === undefined) continue;
          const fixed = `/SetSlots(${pairs.map((pair) => `${pair.name}=${unquoted(pair.value) ?? pair.value}`).join(", ")})`;
          diagnostics.report("quotedPayloadValue", { response: response.name, slot: name, value, bare }, { range: button.payloadRange ?? variation.range, suggestion: `write the payload without the quotes: \`${fixed}\`` });
        }
      }
    }
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
