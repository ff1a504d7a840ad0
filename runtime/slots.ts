/**
 * Slot values by slot type, as Rasa's slots coerce them (runtime-semantics.md §a.6 and §b.5):
 * what a `set slot` command stores, and whether `action_run_slot_rejections` accepts a value
 * for the type (and in which form) before it runs the rejection conditions.
 */
import type { SlotDefinition } from "./model.ts";

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
      return categoricalValue(slot, value) ?? value;
    case "list":
      return Array.isArray(value) ? value : value === "" || value === false ? value : [value];
    default:
      return value;
  }
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
      const match = categoricalValue(slot, value);
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
  const text = value.trim().replace(/(?<=[0-9])_(?=[0-9])/g, "");
  if (/^[+-]?(inf(inity)?|nan)$/i.test(text)) return text.toLowerCase().includes("nan") ? Number.NaN : text.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  return Number(text);
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
  if (/^\p{N}+$/u.test(value)) return Number(value) === 1; // Python's str.isnumeric(), then float(x) == 1
  const text = value.trim().toLowerCase();
  if (text === "true" || text === "yes") return true;
  if (text === "false" || text === "no") return false;
  return undefined;
}

/** The configured categorical value equal to `value` ignoring case, if any. */
export function categoricalValue(slot: SlotDefinition, value: unknown): string | undefined {
  const text = typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  const folded = text.toLowerCase();
  return (slot.values ?? []).find((candidate) => candidate.toLowerCase() === folded);
}
