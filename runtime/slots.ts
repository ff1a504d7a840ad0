/**
 * Slot values by slot type, as Rasa's slots coerce them (runtime-semantics.md §a.6 and §b.5):
 * what a `set slot` command stores, and whether `action_run_slot_rejections` accepts a value
 * for the type (and in which form) before it runs the rejection conditions.
 */
import type { SlotDefinition } from "./model.ts";
import { truthy } from "./conditions/pypred.ts";
import { pythonStr } from "./conditions/template.ts";
import { pythonStrip } from "./python-strip.ts";

/**
 * The value a SetSlot stores: float slots take `float(v)` but keep a non-numeric string as it
 * is (the collect step rejects it later); bool slots take booleans, numbers (1 is true) and
 * true/false/yes/no in any case, and keep anything else as it is; categorical slots snap to
 * the configured value's casing; text, any and list slots store the value unchanged (a list
 * slot wraps a non-list value in a list).
 */
export function coerceSlotValue(slot: SlotDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (slot.type) {
    case "float": {
      const number = pythonFloat(value);
      return number === undefined ? value : number;
    }
    case "bool": {
      const bool = boolFromAny(value);
      return bool === undefined ? value : bool;
    }
    case "categorical":
    case "list":
      return storedValue(slot, value);
    default:
      return value;
  }
}

/**
 * What a categorical or list slot holds when it is given `value`, by anyone (a command, a
 * custom action, a `set_slots` step, an initial value, a test fixture): Rasa's slots of these
 * two types coerce every value they are set to (conditions.md §1.1 "categorical slots snap to
 * the domain casing on set and list slots wrap a truthy non-list value in a list"). A
 * categorical slot snaps a non-empty string to the configured value it equals (exactly, else
 * ignoring case) and keeps anything else; a list slot wraps a value that Python finds true and
 * that is not a list. Other slot types (and a name the domain lacks) keep the value.
 */
export function storedValue(slot: SlotDefinition | undefined, value: unknown): unknown {
  if (slot === undefined) return value;
  if (slot.type === "list") return Array.isArray(value) || !truthy(value) ? value : [value];
  if (slot.type === "categorical" && typeof value === "string" && value !== "") return categoricalValue(slot, value) ?? value;
  return value;
}

export type TypeCheck = { readonly valid: true; readonly value: unknown } | { readonly valid: false; readonly response: string };

/**
 * `action_run_slot_rejections`' type check: the value in the slot's type, or the response
 * that says why it does not fit (`utter_float_slot_rejection`, `utter_boolean_slot_rejection`,
 * `utter_categorical_slot_rejection`).
 */
export function checkSlotType(slot: SlotDefinition, value: unknown): TypeCheck {
  switch (slot.type) {
    case "float": {
      const number = pythonFloat(value);
      return number === undefined ? { valid: false, response: "utter_float_slot_rejection" } : { valid: true, value: number };
    }
    case "bool": {
      const bool = boolFromAny(value);
      return bool === undefined ? { valid: false, response: "utter_boolean_slot_rejection" } : { valid: true, value: bool };
    }
    case "categorical": {
      // Rasa matches a string ignoring case and stores the configured value; any other value
      // is valid when its str() is a configured value, and is kept as it is.
      const match = typeof value === "string" ? categoricalValue(slot, value) : isConfiguredText(slot, value) ? value : undefined;
      return match === undefined ? { valid: false, response: "utter_categorical_slot_rejection" } : { valid: true, value: match };
    }
    default:
      return { valid: true, value };
  }
}

/** Python's `float(v)` for a slot value, or undefined where Python raises. */
export function pythonFloat(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return undefined;
  if (isDigits(value)) return Number(value); // the usual case, without the regexes below
  // Python's float() reads every Unicode decimal digit (`float("１８")` is 18.0) and strips
  // its own set of white space (not U+FEFF, which JavaScript's trim() strips).
  const text = withAsciiDigits(value).replace(PY_FLOAT_SPACE, "").replace(/(?<=[0-9])_(?=[0-9])/g, "");
  if (/^[+-]?(inf(inity)?|nan)$/i.test(text)) return text.toLowerCase().includes("nan") ? Number.NaN : text.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  return Number(text);
}

/** The white space Python's float() ignores around a number. */
const PY_FLOAT_SPACE = /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * The first code point of every run of ten Unicode decimal digits (`\p{Nd}`, zero to nine in
 * order; Unicode guarantees such runs).
 */
const DECIMAL_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0,
  0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0,
  0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950,
  0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec,
  0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

/** Built on first use: a regex with a Unicode property class costs every start-up its build. */
let decimalDigit: RegExp | undefined;

/** The text with every non-ASCII decimal digit replaced by its ASCII digit, as Python's `int()` and `float()` read them. */
export function withAsciiDigits(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return text.replace((decimalDigit ??= /\p{Nd}/gu), (digit) => {
    const code = digit.codePointAt(0)!;
    let zero = 0;
    for (const start of DECIMAL_ZEROS) if (start <= code) zero = start;
    // A digit of a run the table lacks (a newer Unicode) stays as it is: the number then does not parse.
    return code - zero <= 9 ? String(code - zero) : digit;
  });
}

/** A non-empty string of ASCII digits only. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Rasa's reading of a bool slot value, or undefined when it is not one. */
export function boolFromAny(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value !== "string") return undefined;
  if (value === "true") return true; // the usual cases, without the regex below
  if (value === "false") return false;
  if (/^\p{N}+$/u.test(value)) {
    // Python's str.isnumeric(), then float(x) == 1; float() raises for numerals that are not
    // decimal digits (`²`, `½`), and the value is then no bool.
    const number = pythonFloat(value);
    return number === undefined ? undefined : number === 1;
  }
  const text = pythonStrip(value).toLowerCase();
  if (text === "true" || text === "yes") return true;
  if (text === "false" || text === "no") return false;
  return undefined;
}

/**
 * Rasa's domain appends this value to every categorical slot's values (flows-format.md,
 * categorical slots), so it is accepted like a configured one.
 */
const OTHER_CATEGORICAL_VALUE = "__other__";

/** The configured categorical value (or `__other__`) equal to `text`, exactly or else by Python's `casefold()`, if any. */
export function categoricalValue(slot: SlotDefinition, text: string): string | undefined {
  const values = slot.values ?? NO_VALUES;
  if (values.includes(text)) return text;
  const folded = pythonCasefold(text);
  return values.find((candidate) => pythonCasefold(candidate) === folded) ?? (folded === OTHER_CATEGORICAL_VALUE ? OTHER_CATEGORICAL_VALUE : undefined);
}

/**
 * Python's `str.casefold()`. JavaScript has no case folding; one character at a time, lower
 * case, then upper and lower case again, spells out the full folds Python makes (`ß` and `ẞ`
 * to `ss`, the ligatures `ﬁ` and `ﬆ`, `ς` to `σ`, `ſ` to `s`, …). The dotless `ı` has no fold
 * in Python, though its upper case `I` lowers to `i`, so it stays as it is; Cherokee letters
 * fold to upper case (`ꭰ` and `Ꭰ` to `Ꭰ`), not lower.
 */
export function pythonCasefold(text: string): string {
  const lower = text.toLowerCase();
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  let folded = "";
  for (const char of text) {
    if (char === "\u0131") {
      folded += char;
      continue;
    }
    const fold = char.toLowerCase().toUpperCase().toLowerCase();
    const code = fold.charCodeAt(0);
    // Cherokee folds to its upper case letters, which Unicode had before the lower case ones.
    folded += code >= 0xab70 && code <= 0xabbf ? String.fromCharCode(code - 0x97d0) : code >= 0x13f8 && code <= 0x13fd ? String.fromCharCode(code - 8) : fold;
  }
  return folded;
}

const NO_VALUES: readonly string[] = [];

/** Whether Python's `str()` of a value that is not a string is one of the configured values, as written. */
function isConfiguredText(slot: SlotDefinition, value: unknown): boolean {
  return value !== null && value !== undefined && (slot.values ?? NO_VALUES).includes(pythonStr(value));
}
