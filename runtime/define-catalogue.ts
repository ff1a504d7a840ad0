/**
 * The catalogue as a generated `catalogue.ts` writes it, and `defineCatalogue`, which spells it
 * out. A catalogue entry repeats what the flow and the slot table already hold (the flow's id,
 * name, description, guard and prompt setting; each slot's type and allowed values), and the
 * catalogue of hundreds of flows was a good part of what importing an assistant parsed and
 * built. The generated form names the flow and, per slot its flows collect, the description
 * of the collect step; `defineCatalogue` takes the rest from the flow and the slot table.
 */
import type { Flow, FlowCatalogueEntry, SlotDefinition } from "./model.ts";

export interface CatalogueEntrySource {
  readonly flow: Flow;
  /** Where the guard as the prompt shows it is not the flow's guard (its source, `True` or `False`). */
  readonly guard?: string;
  /** Each slot the flow and the flows it calls collect, in order: the collect step's description, or null. */
  readonly slots: Readonly<Record<string, string | null>>;
}

type CatalogueSlot = FlowCatalogueEntry["slots"][number];

function slotOf(name: string, description: string | null, definition: SlotDefinition | undefined): CatalogueSlot {
  const type = definition?.type ?? "any";
  const allowedValues = type === "categorical" ? definition?.values : undefined;
  if (description === null) return allowedValues === undefined ? { name, type } : { name, type, allowedValues };
  return allowedValues === undefined ? { name, type, description } : { name, type, description, allowedValues };
}

function guardText(flow: Flow): string | undefined {
  const guard = flow.guard;
  if (guard === undefined) return undefined;
  return guard.kind === "always" ? (guard.value ? "True" : "False") : guard.source;
}

/** The catalogue entries, with the fields in the order a literal of the full form has them; `guard` absent when there is none. */
export function defineCatalogue(slots: Readonly<Record<string, SlotDefinition>>, sources: readonly CatalogueEntrySource[]): readonly FlowCatalogueEntry[] {
  return sources.map((source) => {
    const flow = source.flow;
    const entrySlots = Object.keys(source.slots).map((name) => slotOf(name, source.slots[name] ?? null, Object.hasOwn(slots, name) ? slots[name] : undefined));
    const guard = source.guard ?? guardText(flow);
    const { id, name, description, alwaysIncludeInPrompt } = flow;
    return guard === undefined
      ? { id, name, description, alwaysIncludeInPrompt, slots: entrySlots }
      : { id, name, description, guard, alwaysIncludeInPrompt, slots: entrySlots };
  });
}
