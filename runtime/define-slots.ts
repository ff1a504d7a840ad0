/**
 * The slots as a generated `slots.ts` writes them, and `defineSlots`, which spells them out
 * for the runtime. The generated form leaves out what most slots share — the name (it is the
 * key), a `null` initial value, the one `from_llm` mapping — because an assistant's slot
 * table, a slot per question of hundreds of flows, was a good part of what importing it
 * parsed and built. A slot of a type alone is that type (`f_confirmed: "bool"`), and a slot's
 * one mapping of a type alone is that type (`mappings: "controlled"`): every object or array
 * literal of a module's top-level code costs its import a few microseconds, a string little.
 */
import type { Rejection, SlotDefinition, SlotType, Mutable } from "./model.ts";
import { storedValue } from "./slots.ts";

export interface SlotDefinitionSource {
  readonly type: SlotType;
  /** Absent when `null`. */
  readonly initialValue?: unknown;
  /** Present when the initial value is a number written as a float (`0.0`). */
  readonly initialFloat?: true;
  readonly values?: readonly string[];
  readonly minValue?: number;
  readonly maxValue?: number;
  /** Absent when it is the one mapping `{ type: "from_llm" }`; the type alone for one mapping of a type alone. */
  readonly mappings?: SlotDefinition["mappings"] | string;
  readonly validation?: { readonly rejections: readonly Rejection[]; readonly refillUtter: string };
}

const FROM_LLM: SlotDefinition["mappings"] = [{ type: "from_llm" }];

/** The one mapping of a type alone, shared by the slots that have it (like `FROM_LLM`). */
const ONE_MAPPING = new Map<string, SlotDefinition["mappings"]>();

function oneMapping(type: string): SlotDefinition["mappings"] {
  let mappings = ONE_MAPPING.get(type);
  if (mappings === undefined) ONE_MAPPING.set(type, (mappings = [{ type }]));
  return mappings;
}

/**
 * Every slot with all its fields, in the order a literal of the full form has them; optional
 * ones stay absent. The table it is given — the generated module's own literal — becomes the
 * slot table: each source in it is replaced by its definition, in place (a second table of a
 * thousand keys was a tenth of the young-generation allocation of importing a large assistant).
 */
export function defineSlots<SlotName extends string>(sources: { [K in SlotName]: SlotDefinitionSource | SlotType }): { readonly [K in SlotName]: SlotDefinition } {
  const slots = sources as Record<string, SlotDefinition | SlotDefinitionSource | SlotType>;
  for (const name in slots) {
    if (!Object.hasOwn(slots, name)) continue;
    const entry = slots[name] as SlotDefinitionSource | SlotType;
    if (typeof entry === "string") {
      slots[name] = { name, type: entry, initialValue: null, mappings: FROM_LLM };
      continue;
    }
    const source = entry;
    const type = source.type;
    const initialValue = source.initialValue ?? null;
    const mappings = source.mappings === undefined ? FROM_LLM : typeof source.mappings === "string" ? oneMapping(source.mappings) : source.mappings;
    if (source.values === undefined && source.minValue === undefined && source.maxValue === undefined && source.validation === undefined && source.initialFloat === undefined) {
      slots[name] = coercedInitialValue({ name, type, initialValue, mappings });
      continue;
    }
    const slot = { name, type, initialValue } as Mutable<SlotDefinition>;
    if (source.initialFloat !== undefined) slot.initialFloat = true;
    if (source.values !== undefined) slot.values = source.values;
    if (source.minValue !== undefined) slot.minValue = source.minValue;
    if (source.maxValue !== undefined) slot.maxValue = source.maxValue;
    slot.mappings = mappings;
    if (source.validation !== undefined) slot.validation = source.validation;
    slots[name] = coercedInitialValue(slot);
  }
  return slots as { readonly [K in SlotName]: SlotDefinition };
}

/** A categorical or a list slot coerces its initial value as it does every value it is set to (see storedValue). */
function coercedInitialValue(slot: Mutable<SlotDefinition>): SlotDefinition {
  if (slot.initialValue !== null && (slot.type === "categorical" || slot.type === "list")) slot.initialValue = storedValue(slot, slot.initialValue);
  return slot;
}
