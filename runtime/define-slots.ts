/**
 * The slots as a generated `slots.ts` writes them, and `defineSlots`, which spells them out
 * for the runtime. The generated form leaves out what most slots share — the name (it is the
 * key), a `null` initial value, the one `from_llm` mapping — because an assistant's slot
 * table, a slot per question of hundreds of flows, was a good part of what importing it
 * parsed and built.
 */
import type { Rejection, SlotDefinition, SlotType } from "./model.ts";

export interface SlotDefinitionSource {
  readonly type: SlotType;
  /** Absent when `null`. */
  readonly initialValue?: unknown;
  readonly values?: readonly string[];
  readonly minValue?: number;
  readonly maxValue?: number;
  /** Absent when it is the one mapping `{ type: "from_llm" }`. */
  readonly mappings?: SlotDefinition["mappings"];
  readonly validation?: { readonly rejections: readonly Rejection[]; readonly refillUtter: string };
}

const FROM_LLM: SlotDefinition["mappings"] = [{ type: "from_llm" }];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Every slot with all its fields, in the order a literal of the full form has them; optional ones stay absent. */
export function defineSlots<SlotName extends string>(sources: { readonly [K in SlotName]: SlotDefinitionSource }): { readonly [K in SlotName]: SlotDefinition } {
  const slots = {} as Record<string, SlotDefinition>;
  const defined = sources as Readonly<Record<string, SlotDefinitionSource>>;
  for (const name of Object.keys(defined)) {
    const source = defined[name]!;
    const type = source.type;
    const initialValue = source.initialValue ?? null;
    const mappings = source.mappings ?? FROM_LLM;
    if (source.values === undefined && source.minValue === undefined && source.maxValue === undefined && source.validation === undefined) {
      slots[name] = { name, type, initialValue, mappings };
      continue;
    }
    const slot = { name, type, initialValue } as Mutable<SlotDefinition>;
    if (source.values !== undefined) slot.values = source.values;
    if (source.minValue !== undefined) slot.minValue = source.minValue;
    if (source.maxValue !== undefined) slot.maxValue = source.maxValue;
    slot.mappings = mappings;
    if (source.validation !== undefined) slot.validation = source.validation;
    slots[name] = slot;
  }
  return slots as { readonly [K in SlotName]: SlotDefinition };
}
