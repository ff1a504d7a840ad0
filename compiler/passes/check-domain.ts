/**
 * Stage 4: the domain rules that matter to flows (D3, D4, D7, D8, D10, V21): float ranges,
 * featurized `any` slots, responses with an empty `{}` placeholder, responses named by
 * slot validation, an empty domain, and intents used by `nlu_trigger` but not declared.
 * flowc also warns when an initial value does not fit its slot's type, and when flows come
 * without any domain file (FLW2038).
 *
 * Rejects, for example:  amount: {type: float, min_value: 10, max_value: 5}   (FLW3005)
 *                        utter_greet: [{text: "Hello {}!"}]                     (FLW2034)
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { SlotInput } from "../model/input.ts";
import { DEFAULT_INTENTS, type AssistantIR } from "../model/ir.ts";
import { describeValue } from "../util/suggest.ts";


export function checkDomain(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const { domain } = assistant;
  // D10: Rasa validates the domain its importer returns, which holds the default patterns'
  // responses and slots and a `flow_<id>` action per flow as soon as there is a user flow; so
  // only an assistant without flows can have an empty domain. Beside flows, an empty domain
  // is most often a domain folder left out of the paths: every reference to it then fails
  // on its own, and the warning says why.
  if (domain.isEmpty) diagnostics.report(assistant.flows.some((flow) => !flow.input.isDefault) ? "noDomain" : "emptyDomain", {});
  for (const slot of domain.slots.values()) {
    if (slot.isDefault) continue;
    checkSlot(slot, assistant, diagnostics);
  }
  for (const response of domain.responses.values()) {
    if (response.isDefault) continue;
    for (const variation of response.variations) {
      // D7: Rasa's validator refuses `{}` or `{ }` (a placeholder that names nothing) in any key its renderer fills in.
      if (variation.emptyPlaceholder !== undefined) diagnostics.report("responseEmptyPlaceholder", { response: response.name, key: variation.emptyPlaceholder.key }, { range: variation.emptyPlaceholder.range });
    }
  }
  for (const flow of assistant.flows) {
    if (flow.input.isDefault) continue;
    for (const trigger of flow.input.nluTrigger) {
      if (!domain.intents.has(trigger.intent) && !DEFAULT_INTENTS.has(trigger.intent)) {
        diagnostics.report("nluTriggerIntentUnknown", { intent: trigger.intent }, { range: trigger.range, flow: flow.id });
      }
    }
  }
}

function checkSlot(slot: SlotInput, assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const where = { range: slot.nameRange };
  if (slot.type === "float") {
    if (slot.minValue >= slot.maxValue) {
      diagnostics.report("floatRange", { slot: slot.name, min: slot.minValue, max: slot.maxValue }, where);
    } else if (typeof slot.initialValue === "number" && (slot.initialValue < slot.minValue || slot.initialValue > slot.maxValue)) {
      diagnostics.report("initialValueOutOfRange", { value: slot.initialValue, slot: slot.name, min: slot.minValue, max: slot.maxValue }, { range: slot.initialValueRange ?? slot.nameRange });
    }
  }
  if (slot.type === "any" && slot.influenceConversation) {
    diagnostics.report("anySlotFeaturized", { slot: slot.name }, where);
  }
  if (slot.hasInitialValue && !initialValueFits(slot)) {
    diagnostics.report("initialValueType", { value: describeValue(slot.initialValue), type: slot.type, slot: slot.name, holds: HOLDS[slot.type] }, {
      range: slot.initialValueRange ?? slot.nameRange,
      suggestion: slot.type === "categorical" ? `use one of its values: ${slot.values.map((v) => `\`${v}\``).join(", ")}` : undefined,
    });
  }
  if (slot.validation) {
    const responses = assistant.domain.responses;
    for (const rejection of slot.validation.rejections) {
      if (!responses.has(rejection.utter)) {
        diagnostics.report("validationResponseMissing", { slot: slot.name, response: rejection.utter }, { range: rejection.utterRange });
      }
    }
    const refill = slot.validation.refillUtter ?? `utter_ask_${slot.name}`;
    if (!responses.has(refill)) {
      diagnostics.report("validationResponseMissing", { slot: slot.name, response: refill }, { range: slot.validation.refillUtterRange ?? slot.nameRange });
    }
  }
}

/** What a slot of each type holds, for FLW3009 (an `any` slot holds anything, so never gets it). */
const HOLDS: Readonly<Record<SlotInput["type"], string>> = {
  text: "a string",
  float: "a number",
  bool: "`true` or `false`",
  categorical: "one of its values",
  list: "a list",
  any: "anything",
};

function initialValueFits(slot: SlotInput): boolean {
  const value = slot.initialValue;
  switch (slot.type) {
    case "text":
      return typeof value === "string";
    case "float":
      return typeof value === "number";
    case "bool":
      return typeof value === "boolean";
    case "categorical":
      return slot.values.some((v) => v.toLowerCase() === String(value).toLowerCase());
    case "list":
      return Array.isArray(value);
    case "any":
      return true;
  }
}
