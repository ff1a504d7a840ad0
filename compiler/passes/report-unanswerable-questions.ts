/**
 * Stage 4, flowc's own analysis: a collect step whose question no reply can answer. Rasa 3.12
 * keeps an LLM's `set slot` only for a slot with a `from_llm` mapping (or none at all), and an
 * NLU value only for a slot with an NLU mapping (runtime-semantics.md §a.3): a slot whose every
 * mapping is `controlled` or `custom` is refused whatever the user says (the command becomes a
 * `cannot handle`: "please rephrase"), and `pattern_collect_information` asks again, forever.
 * Only a button payload (`/SetSlots(slot=value)`, which passes every mapping) or a custom action
 * of the question (`action_ask_<slot>`, `validate_<slot>`) could fill it. Rasa's validator does
 * not look, and flowc runs it as Rasa does, so this is a warning (an error with `--strict`).
 *
 * It fires only where that is certain:
 * * the step has `ask_before_filling: true`, so the step always clears the slot and asks (without
 *   it the step is skipped when something earlier — a custom action, say — filled the slot);
 * * the slot has mappings, each `controlled` or `custom`, none naming an `action` or
 *   `run_action_every_turn` (an action Rasa's slot extraction may run on every message);
 * * the question (`utter`, default `utter_ask_<slot>`) is a response, or there is none and the
 *   slot has an initial value (without either, FLW2016 is the error); no variation of it has
 *   buttons, quick replies, elements, an attachment or a `custom` payload (a click of any of
 *   them may set the slot);
 * * no `action_ask_<slot>` and no `validate_<slot>` (actions or responses of the domain);
 * * nothing else visible can fill it while it is asked: no button payload (or custom payload) of
 *   any response names the slot in `/SetSlots(...)`, no other flow sets it in a `set_slots`
 *   step, `pattern_collect_information` is Rasa's own, and no pattern the assistant overrides
 *   (`pattern_cannot_handle`, which each refused reply starts, among them) runs a custom action
 *   or sets the slot.
 * A custom action of another flow that the user starts while the question waits could still set
 * the slot; that is no answer to the question, and the note says so.
 *
 * Warns, for example:  slots: {license_type: {type: text, mappings: [{type: controlled}]}}
 *                      responses: {utter_ask_license_type: [{text: "Which license?"}]}
 *                      - collect: license_type
 *                        ask_before_filling: true
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { CollectStepInput, ResponseInput, SlotInput, VariationInput } from "../model/input.ts";
import type { AssistantIR, FlowIR, StepIR } from "../model/ir.ts";
import { payloadPairs } from "../../runtime/commands.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";

/** The mapping types that no reply can fill: the LLM's value needs `from_llm`, NLU's an NLU type. */
const UNFILLABLE_MAPPING_TYPES: ReadonlySet<string> = new Set(["controlled", "custom"]);

/** Keys of a mapping that name an action Rasa's slot extraction may run on a user message. */
const MAPPING_ACTION_KEYS = ["action", "run_action_every_turn"] as const;

const COLLECT_PATTERN = "pattern_collect_information";

/** A collect step whose question no reply can answer. */
export interface UnanswerableQuestion {
  readonly flow: FlowIR;
  readonly step: StepIR;
  readonly input: CollectStepInput;
  readonly slot: SlotInput;
  /** The question's response; `null` when the slot, with an initial value, has none. */
  readonly question: ResponseInput | null;
}

export function reportUnanswerableQuestions(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  for (const found of findUnanswerableQuestions(assistant)) report(diagnostics, found);
}

/** The collect steps of the assistant's flows whose questions no reply can answer (`flowc gen-tests` leaves them unanswered). */
export function findUnanswerableQuestions(assistant: AssistantIR): UnanswerableQuestion[] {
  const { domain } = assistant;
  const collectPattern = assistant.flowsById.get(COLLECT_PATTERN);
  if (collectPattern !== undefined && !collectPattern.input.isDefault) return [];
  const out: UnanswerableQuestion[] = [];
  for (const flow of assistant.flows) {
    if (flow.input.isDefault) continue;
    for (const step of flow.steps) {
      const input = step.input;
      if (input.kind !== "collect" || !input.askBeforeFilling) continue;
      const slot = domain.slots.get(input.collect);
      if (slot === undefined || !onlyUnfillableMappings(slot)) continue;
      const question = unanswerableQuestion(assistant, flow, input, slot);
      if (question !== undefined) out.push({ flow, step, input, slot, question });
    }
  }
  return out;
}

/** Every mapping of the slot is `controlled` or `custom`, and none names an action. */
function onlyUnfillableMappings(slot: SlotInput): boolean {
  if (slot.mappings.length === 0) return false; // no mappings: Rasa takes it as one `from_llm`
  return slot.mappings.every((mapping) => typeof mapping["type"] === "string" && UNFILLABLE_MAPPING_TYPES.has(mapping["type"]) && MAPPING_ACTION_KEYS.every((key) => mapping[key] === undefined || mapping[key] === null));
}

/**
 * The question's response name (or `undefined` when nothing is certain: something may fill the
 * slot); `null` stands for a question without a response (a slot with an initial value).
 */
function unanswerableQuestion(assistant: AssistantIR, flow: FlowIR, input: CollectStepInput, slot: SlotInput): ResponseInput | null | undefined {
  const { domain } = assistant;
  const name = slot.name;
  const utter = input.utter ?? `utter_ask_${name}`;
  if (utter.includes("{")) return undefined; // a name rendered at run time
  if (domain.actions.has(utter)) return undefined; // a custom action asks, and may set the slot
  for (const action of [`action_ask_${name}`, `validate_${name}`]) if (domain.actions.has(action) || domain.responses.has(action)) return undefined;
  const response = utter.startsWith("utter_") ? domain.responses.get(utter) : undefined;
  if (response === undefined && !slot.hasInitialValue) return undefined; // nothing asks at all: FLW2016
  if (response !== undefined && response.variations.some(mayBeClicked)) return undefined;
  for (const other of domain.responses.values()) {
    if (other.variations.some((variation) => namesSlotInPayload(variation, name))) return undefined;
  }
  for (const other of assistant.flows) {
    const isOverriddenPattern = other.isPattern && !other.input.isDefault;
    for (const step of other.steps) {
      const s = step.input;
      if (s.kind === "set_slots" && other !== flow && s.assignments.some((assignment) => assignment.slot === name)) return undefined;
      if (isOverriddenPattern && s.kind === "action" && domain.actions.has(s.action)) return undefined;
    }
  }
  return response ?? null;
}

/** A variation the user can click: buttons, quick replies, elements, an attachment or a custom payload. */
function mayBeClicked(variation: VariationInput): boolean {
  return variation.buttons.length > 0 || (variation.quickReplies?.length ?? 0) > 0 || (variation.elements?.length ?? 0) > 0 || variation.attachment !== undefined || (variation.custom !== undefined && variation.custom !== null);
}

/** A button of the variation, or its custom, quick-reply, element or attachment data, sets `slot` with `/SetSlots(...)`. */
function namesSlotInPayload(variation: VariationInput, slot: string): boolean {
  for (const button of variation.buttons) {
    const payload = pythonStrip(button.payload);
    if (payload.startsWith("/SetSlots") && payloadPairs(payload).some((pair) => pair.name === slot)) return true;
  }
  const data = JSON.stringify([variation.custom ?? null, variation.quickReplies ?? null, variation.elements ?? null, variation.attachment ?? null, variation.buttons.map((button) => button.fields ?? null)]);
  return data.includes("SetSlots") && data.includes(slot);
}

function report(diagnostics: DiagnosticBag, { flow, step, input, slot, question }: UnanswerableQuestion): void {
  const types = [...new Set(slot.mappings.map((mapping) => `\`${String(mapping["type"])}\``))].join(" and ");
  const asked = question === null ? "the question" : `the question \`${question.name}\``;
  diagnostics.report(
    "unanswerableQuestion",
    { slot: slot.name, types, asked },
    {
      range: input.collectRange,
      flow: flow.id,
      step: step.id,
      suggestion: `add \`- type: from_llm\` to the mappings of slot \`${slot.name}\`, give ${asked} buttons that set it (\`/SetSlots(${slot.name}=...)\`), or fill it in a custom action \`action_ask_${slot.name}\` or \`validate_${slot.name}\``,
      notes: [`${asked} has no buttons, and there is no \`action_ask_${slot.name}\` or \`validate_${slot.name}\`; with \`ask_before_filling: true\` the step clears the slot and always asks`, "only a custom action of another flow, started while the question waits, could still set the slot"],
    },
  );
}
