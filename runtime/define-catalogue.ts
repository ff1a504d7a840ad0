/**
 * The catalogue as a generated `catalogue.ts` writes it, and `defineCatalogue`, which spells it
 * out. A catalogue entry repeats what the flow and the slot table already hold (the flow's id,
 * name, description, guard and prompt setting; each slot's type and allowed values), and the
 * catalogue of hundreds of flows was a good part of what importing an assistant parsed and
 * built. The generated form lists the flows, and in a method the descriptions of the collect
 * steps of the slots each flow collects; `defineCatalogue` takes the rest from the flow and the
 * slot table.
 *
 * Most conversations never read an entry's slots (a command generator's prompt does), so each
 * entry's `slots` is spelled out when first read: until then V8 only pre-parses the method, and
 * the import builds no slot lists (they were most of what the catalogue allocated, and with
 * the rest of the import one young-generation collection more before the first turn ended).
 * The property is then an ordinary data property, as if it had always been one.
 */
import type { Flow, FlowCatalogueEntry, SlotDefinition } from "./model.ts";

/** Each slot a flow and the flows it calls collect, in order: the collect step's description, or null. */
export type CatalogueSlots = Readonly<Record<string, string | null>>;

export interface CatalogueSource {
  /** The user flows; with `guard` where the guard as the prompt shows it is not the flow's guard (its source, `True` or `False`). */
  readonly flows: readonly (Flow | { readonly flow: Flow; readonly guard: string })[];
  /** The slots of each flow of `flows`, in the same order. */
  slots(): readonly CatalogueSlots[];
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

/**
 * The catalogue entries, with the fields in the order a literal of the full form has them;
 * `guard` absent when there is none. Every entry of a catalogue gets the same accessor for its
 * `slots` (so V8 gives them one shape), which finds the entry's index in the catalogue, spells
 * its slots out and replaces itself with them.
 */
export function defineCatalogue(slots: Readonly<Record<string, SlotDefinition>>, source: CatalogueSource): readonly FlowCatalogueEntry[] {
  const entries: FlowCatalogueEntry[] = [];
  let descriptions: readonly CatalogueSlots[] | undefined;
  const spelledOut = (entry: FlowCatalogueEntry): FlowCatalogueEntry["slots"] => {
    const own = (descriptions ??= source.slots())[entries.indexOf(entry)] ?? {};
    const list = Object.keys(own).map((name) => slotOf(name, own[name] ?? null, Object.hasOwn(slots, name) ? slots[name] : undefined));
    // Not where the entry was frozen: it then spells them out on every read.
    Reflect.defineProperty(entry, "slots", { value: list, writable: true, enumerable: true, configurable: true });
    return list;
  };
  const accessor: PropertyDescriptor = {
    get(this: FlowCatalogueEntry): FlowCatalogueEntry["slots"] {
      // `this` is the entry, or an object that inherits from it.
      let entry: object | null = this;
      while (entry !== null && !entries.includes(entry as FlowCatalogueEntry)) entry = Object.getPrototypeOf(entry) as object | null;
      return entry === null ? [] : spelledOut(entry as FlowCatalogueEntry);
    },
    enumerable: true,
    configurable: true,
  };
  for (const item of source.flows) {
    const flow = "flow" in item ? item.flow : item;
    const guard = "flow" in item ? item.guard : guardText(flow);
    const { id, name, description, alwaysIncludeInPrompt } = flow;
    const entry = guard === undefined ? { id, name, description, alwaysIncludeInPrompt } : { id, name, description, guard, alwaysIncludeInPrompt };
    entries.push(Object.defineProperty(entry, "slots", accessor) as FlowCatalogueEntry);
  }
  return entries;
}
