import { describe, expect, it } from "vitest";
import { defineCatalogue } from "../../runtime/define-catalogue.ts";
import { defineFlow } from "../../runtime/define-flow.ts";
import type { SlotDefinition } from "../../runtime/model.ts";

const send = defineFlow({ id: "send", name: "send money", description: "Sends money.", details: () => ({ file: "f.yml", line: 1, start: "END", fingerprint: "x", rows: [] }) });
const vip = defineFlow({ id: "vip", name: "vip", description: "For VIPs.", guard: false, details: () => ({ file: "f.yml", line: 9, start: "END", fingerprint: "y", rows: [] }) });
const slots: Record<string, SlotDefinition> = {
  amount: { name: "amount", type: "float", initialValue: null, mappings: [] },
  kind: { name: "kind", type: "categorical", initialValue: null, values: ["fast", "slow"], mappings: [] },
};

function catalogue() {
  let read = 0;
  const entries = defineCatalogue(slots, {
    flows: [send, { flow: vip, guard: "slots.vip" }],
    slots() {
      read++;
      return [{ amount: "how much", kind: null }, { unknown: null }];
    },
  });
  return { entries, reads: () => read };
}

describe("defineCatalogue", () => {
  it("spells out each entry's slots from the flow and the slot table when they are first read, once", () => {
    const { entries, reads } = catalogue();
    expect(reads()).toBe(0);
    expect(entries[0]!.slots).toEqual([
      { name: "amount", type: "float", description: "how much" },
      { name: "kind", type: "categorical", allowedValues: ["fast", "slow"] },
    ]);
    expect(entries[0]!.slots).toBe(entries[0]!.slots);
    expect(Object.getOwnPropertyDescriptor(entries[0], "slots")).toMatchObject({ writable: true, enumerable: true, configurable: true });
    expect(entries[1]!.slots).toEqual([{ name: "unknown", type: "any" }]);
    expect(reads()).toBe(1);
  });

  it("gives plain entries: the fields in order, the guard shown where given, slots included in JSON before any read", () => {
    const { entries } = catalogue();
    expect(JSON.parse(JSON.stringify(entries))).toEqual([
      { id: "send", name: "send money", description: "Sends money.", alwaysIncludeInPrompt: false, slots: [{ name: "amount", type: "float", description: "how much" }, { name: "kind", type: "categorical", allowedValues: ["fast", "slow"] }] },
      { id: "vip", name: "vip", description: "For VIPs.", guard: "slots.vip", alwaysIncludeInPrompt: false, slots: [{ name: "unknown", type: "any" }] },
    ]);
    expect(Object.keys(entries[1]!)).toEqual(["id", "name", "description", "guard", "alwaysIncludeInPrompt", "slots"]);
  });

  it("reads the slots of a frozen entry, and of an object that inherits from an entry", () => {
    const { entries } = catalogue();
    const child = Object.create(entries[1]!) as (typeof entries)[number];
    expect(child.slots).toEqual([{ name: "unknown", type: "any" }]);
    const frozen = catalogue().entries;
    Object.freeze(frozen[0]);
    expect(frozen[0]!.slots.map((s) => s.name)).toEqual(["amount", "kind"]);
  });
});
