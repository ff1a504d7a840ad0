/**
 * Slot mappings as Rasa's LLM command generators check them after parsing
 * (`_check_commands_against_slot_mappings` with `SlotFillingManager.should_fill_slot`): an LLM
 * SetSlot is kept only when one of the slot's mappings may fill it now. What can fail here,
 * in a CALM assistant without NLU:
 * * a mapping that names an `intent`: the message has no intent, so it never matches (a
 *   `not_intent` mapping is fine);
 * * a mapping with `conditions` (any type but `from_trigger_intent`): while a flow is the
 *   current context (`context.flow_id`, the flow a question on top belongs to, or the pattern
 *   on top), one of its conditions must name that flow as `active_flow`; with an empty stack,
 *   only a condition with `active_loop: null` matches (there are no forms).
 * Whether the mapping's type fits the extractor is not checked here: the command processor
 * does that (§a.3).
 */
import type { CompiledAssistant, SlotDefinition } from "./model.ts";
import { ownValue } from "./records.ts";
import { contextField } from "./stack.ts";
import type { ConversationState } from "./state.ts";

type Mapping = SlotDefinition["mappings"][number];

/** The NLU slot mapping types (Rasa's `SlotMappingType.is_predefined_type`): a SetSlot from NLU needs one of them (§a.3). */
export const NLU_MAPPING_TYPES: ReadonlySet<string> = new Set(["from_entity", "from_intent", "from_trigger_intent", "from_text"]);

/** §a.3: a `from_llm` mapping of the slot has `allow_nlu_correction: true`, so an LLM value may replace one NLU gave. */
export function allowsNluCorrection(slot: Pick<SlotDefinition, "mappings">): boolean {
  return slot.mappings.some((mapping) => mapping.type === "from_llm" && mapping["allow_nlu_correction"] === true);
}

/** Whether an LLM SetSlot for each domain slot survives the mapping check, asked slot by slot. */
export function slotFillability(assistant: CompiledAssistant, state: Pick<ConversationState, "stack">): { has(name: string): boolean } {
  return {
    has(name: string): boolean {
      const slot = ownValue(assistant.slots as Readonly<Record<string, SlotDefinition>>, name);
      if (slot === undefined || slot.mappings.length === 0) return true;
      for (const mapping of slot.mappings) if (mayFill(mapping, state)) return true;
      return false;
    },
  };
}

function mayFill(mapping: Mapping, state: Pick<ConversationState, "stack">): boolean {
  // `intent_is_desired` with no intent (None): in the mapping's intents, or, without any, not among its `not_intent`s
  const intents = asList(mapping["intent"]);
  if (intents.length > 0 ? !intents.includes(null) : asList(mapping["not_intent"]).includes(null)) return false;
  const conditions = asList(mapping["conditions"]);
  if (conditions.length === 0 || mapping.type === "from_trigger_intent") return true;
  const activeFlow = contextField(state.stack, "flow_id");
  if (typeof activeFlow === "string" && activeFlow !== "") {
    return conditions.some((condition) => isRecord(condition) && condition["active_flow"] !== undefined && condition["active_flow"] !== null && condition["active_flow"] === activeFlow);
  }
  return conditions.some((condition) => isRecord(condition) && Object.hasOwn(condition, "active_loop") && condition["active_loop"] === null);
}

/** Python's `to_list`: nothing is `[]`, a single value a list of it. */
function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
