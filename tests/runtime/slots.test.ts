/** Slot value coercion and the type check of action_run_slot_rejections (§a.6, §b.5). */
import { describe, expect, it } from "vitest";
import type { SlotDefinition } from "../../runtime/model.ts";
import { checkSlotType, coerceSlotValue } from "../../runtime/slots.ts";

const slot = (type: SlotDefinition["type"], values?: string[]): SlotDefinition => ({ name: "s", type, initialValue: null, mappings: [], ...(values ? { values } : {}) });

describe("coerceSlotValue", () => {
  it("turns numeric text into floats and keeps other text for the rejection step", () => {
    expect(coerceSlotValue(slot("float"), "50")).toBe(50);
    expect(coerceSlotValue(slot("float"), " 1e3 ")).toBe(1000);
    expect(coerceSlotValue(slot("float"), "fifty")).toBe("fifty");
    expect(coerceSlotValue(slot("float"), true)).toBe(1);
    expect(coerceSlotValue(slot("float"), "0050")).toBe(50); // Python: float("0050") == 50.0
    expect(coerceSlotValue(slot("float"), "1_000")).toBe(1000);
    expect(coerceSlotValue(slot("float"), "")).toBe("");
  });

  it("reads booleans, 1/0 and yes/no in any case", () => {
    expect(coerceSlotValue(slot("bool"), "Yes")).toBe(true);
    expect(coerceSlotValue(slot("bool"), "FALSE")).toBe(false);
    expect(coerceSlotValue(slot("bool"), 1)).toBe(true);
    expect(coerceSlotValue(slot("bool"), "1")).toBe(true);
    expect(coerceSlotValue(slot("bool"), "2")).toBe(false); // numeric text: true only for 1
    expect(coerceSlotValue(slot("bool"), "maybe")).toBe("maybe");
    expect(coerceSlotValue(slot("bool"), "true")).toBe(true);
    expect(coerceSlotValue(slot("bool"), "false")).toBe(false);
    expect(coerceSlotValue(slot("bool"), " true ")).toBe(true);
  });

  it("snaps categorical values to the domain's casing", () => {
    expect(coerceSlotValue(slot("categorical", ["Credit", "debit"]), "credit")).toBe("Credit");
    expect(coerceSlotValue(slot("categorical", ["Credit", "debit"]), "gold")).toBe("gold");
  });

  it("stores null for a missing value and leaves text alone", () => {
    expect(coerceSlotValue(slot("text"), undefined)).toBeNull();
    expect(coerceSlotValue(slot("text"), "  Ann ")).toBe("  Ann ");
  });
});

describe("checkSlotType", () => {
  it("names the response for a value that does not fit the type", () => {
    expect(checkSlotType(slot("float"), "abc")).toEqual({ valid: false, response: "utter_float_slot_rejection" });
    expect(checkSlotType(slot("bool"), "perhaps")).toEqual({ valid: false, response: "utter_boolean_slot_rejection" });
    expect(checkSlotType(slot("categorical", ["a"]), "b")).toEqual({ valid: false, response: "utter_categorical_slot_rejection" });
  });

  it("gives the value in the slot's type when it fits", () => {
    expect(checkSlotType(slot("float"), "18")).toEqual({ valid: true, value: 18 });
    expect(checkSlotType(slot("bool"), "no")).toEqual({ valid: true, value: false });
    expect(checkSlotType(slot("categorical", ["Gold"]), "GOLD")).toEqual({ valid: true, value: "Gold" });
    expect(checkSlotType(slot("text"), 3)).toEqual({ valid: true, value: 3 });
  });
});
