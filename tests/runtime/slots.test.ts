/** Slot value coercion and the type check of action_run_slot_rejections (§a.6, §b.5). */
import { describe, expect, it } from "vitest";
import type { SlotDefinition } from "../../runtime/model.ts";
import { checkSlotType, coerceSlotValue, pythonCasefold, storedValue } from "../../runtime/slots.ts";

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
    // Python's strip(): the separators U+001C..U+001F and U+0085 are white space, U+FEFF is not.
    expect(coerceSlotValue(slot("bool"), "\x1cyes\x85")).toBe(true);
    expect(coerceSlotValue(slot("bool"), "\ufeffyes")).toBe("\ufeffyes");
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

  it("accepts __other__ for every categorical slot, in any case (Rasa appends it to the values; flows-format.md)", () => {
    expect(checkSlotType(slot("categorical", ["Gold"]), "__OTHER__")).toEqual({ valid: true, value: "__other__" });
    expect(coerceSlotValue(slot("categorical", ["Gold"]), "__Other__")).toBe("__other__");
    expect(checkSlotType(slot("categorical", ["Gold"]), "other")).toEqual({ valid: false, response: "utter_categorical_slot_rejection" });
  });
});

// conditions.md §1.1: "categorical slots snap to the domain casing on set and list slots wrap a
// truthy non-list value in a list", for every value a slot is set to; other types keep it.
describe("storedValue", () => {
  it("wraps a value Python finds true in a list, and keeps lists and false values", () => {
    expect(storedValue(slot("list"), "red")).toEqual(["red"]);
    expect(storedValue(slot("list"), { a: 1 })).toEqual([{ a: 1 }]);
    expect(storedValue(slot("list"), ["red"])).toEqual(["red"]);
    for (const falsy of [0, "", false, {}]) expect(storedValue(slot("list"), falsy)).toEqual(falsy);
  });

  it("snaps a categorical string to the value written exactly, else to one equal ignoring case", () => {
    expect(storedValue(slot("categorical", ["A", "a"]), "a")).toBe("a");
    expect(storedValue(slot("categorical", ["A", "b"]), "a")).toBe("A");
    expect(storedValue(slot("categorical", ["True"]), true)).toBe(true);
    expect(storedValue(slot("categorical", ["A"]), "z")).toBe("z");
  });

  it("leaves the value of other slot types, and of a name the domain lacks", () => {
    expect(storedValue(slot("float"), "50")).toBe("50");
    expect(storedValue(slot("any"), "x")).toBe("x");
    expect(storedValue(undefined, "x")).toBe("x");
  });
});

describe("checkSlotType of a categorical value that is not a string", () => {
  it("accepts it when Python's str() of it is a configured value, as written, and keeps it", () => {
    expect(checkSlotType(slot("categorical", ["True", "2"]), true)).toEqual({ valid: true, value: true });
    expect(checkSlotType(slot("categorical", ["True", "2"]), 2)).toEqual({ valid: true, value: 2 });
    expect(checkSlotType(slot("categorical", ["true"]), true)).toEqual({ valid: false, response: "utter_categorical_slot_rejection" });
  });
});

// runtime-semantics.md §a.6: "float slots `float(v)`" and conditions.md §1: "bool slots →
// `bool_from_any`" (numeric text: `float(x) == 1`). Python's float() reads any Unicode decimal
// digit (conditions.md §2.3 relies on the same conversion) and strips its own white space.
describe("Python's float() and bool_from_any on unusual text", () => {
  it.each<[string, number | string]>([
    ["١٨", 18], // ARABIC-INDIC digits
    ["１８.５", 18.5], // fullwidth digits, as an IME types them
    ["١e١", 10],
    ["٨_٨", 88], // underscores between (any) digits
    ["5\u2029", 5], // paragraph separator is white space to Python
    ["\u3000-3", -3], // ideographic space
    ["5\u0085", 5], // NEXT LINE is white space to Python
    ["5\ufeff", "5\ufeff"], // U+FEFF is not: float() raises, the text is kept
    ["5\u001c", "5\u001c"], // nor the information separators
    ["1__0", "1__0"],
    ["²", "²"], // a numeral but not a decimal digit
  ])("float slot %j → %j", (text, expected) => {
    expect(coerceSlotValue(slot("float"), text)).toBe(expected);
  });

  it.each<[string, boolean | string]>([
    ["١", true], // numeric text: float("١") == 1
    ["１", true],
    ["٠", false],
    ["²", "²"], // isnumeric, but float() raises: not a bool
    ["½", "½"],
  ])("bool slot %j → %j", (text, expected) => {
    expect(coerceSlotValue(slot("bool"), text)).toBe(expected);
  });

  it("the type check of the rejection step reads them alike", () => {
    expect(checkSlotType(slot("float"), "１８")).toEqual({ valid: true, value: 18 });
    expect(checkSlotType(slot("bool"), "²")).toEqual({ valid: false, response: "utter_boolean_slot_rejection" });
  });
});

describe("pythonCasefold", () => {
  it("folds Cherokee to its upper case letters, as CPython's str.casefold does", () => {
    // Unicode's CaseFolding.txt maps the Cherokee small letters (U+AB70–U+ABBF, U+13F8–U+13FD)
    // to the capital ones, which came first; a categorical value matches either way (conditions.md
    // §1.1, categorical slots snap ignoring case). Found by the Python oracle.
    expect(pythonCasefold("\uab70\u13a0\u13f8\u13f0a")).toBe("\u13a0\u13a0\u13f0\u13f0a");
    expect(pythonCasefold("\u13f5\u13fd\uabbf")).toBe("\u13f5\u13f5\u13ef");
    expect(pythonCasefold("Stra\u00dfe \u0131 \ufb01")).toBe("strasse \u0131 fi");
  });
});
