/**
 * Slot values JSON cannot write: `Infinity`, `-Infinity`, `NaN` and `-0`, which a float slot
 * holds when Python's `float()` makes them (`set slot amount inf`, `initial_value: .inf`) or a
 * custom action sets them. `JSON.stringify` writes the first three as `null` and `-0` as `0`,
 * where Python's `json` keeps them, so a state names them beside its slots
 * (ConversationState.specialFloats) and `loadState` puts them back.
 */
import { setOwn } from "./records.ts";

export type SpecialFloat = "Infinity" | "-Infinity" | "NaN" | "-0";

/** Slot names to the special number each holds; a record is never changed in place (a change makes a new one). */
export type SpecialFloats = Readonly<Record<string, SpecialFloat>>;

export const NO_SPECIAL_FLOATS: SpecialFloats = Object.freeze({});

const VALUES: Readonly<Record<SpecialFloat, number>> = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN, "-0": -0 };

/** Whether JSON cannot write `value` as the number it is. */
export function isSpecialFloat(value: unknown): value is number {
  return typeof value === "number" && (value - value !== 0 || (value === 0 && 1 / value < 0));
}

/** The name of a number that {@link isSpecialFloat}. */
function specialFloatName(value: number): SpecialFloat {
  return value === Infinity ? "Infinity" : value === -Infinity ? "-Infinity" : value === 0 ? "-0" : "NaN";
}

/** The number `name` stands for, or undefined when it names none. */
export function specialFloatValue(name: unknown): number | undefined {
  return typeof name === "string" && Object.hasOwn(VALUES, name) ? VALUES[name as SpecialFloat] : undefined;
}

/** `specials` after slot `slot` was set to `value`: the same record when that changes nothing. */
export function afterSlotSet(specials: SpecialFloats, slot: string, value: unknown): SpecialFloats {
  if (isSpecialFloat(value)) {
    const name = specialFloatName(value);
    if (Object.hasOwn(specials, slot) && specials[slot] === name) return specials;
    const next: Record<string, SpecialFloat> = { ...specials };
    setOwn(next, slot, name);
    return next;
  }
  if (!Object.hasOwn(specials, slot)) return specials;
  const next: Record<string, SpecialFloat> = {};
  let kept = 0;
  for (const name in specials) {
    if (Object.hasOwn(specials, name) && name !== slot) {
      setOwn(next, name, specials[name]);
      kept++;
    }
  }
  return kept === 0 ? NO_SPECIAL_FLOATS : next;
}

/** The special numbers among `slots`' values (NO_SPECIAL_FLOATS when there are none). */
export function specialFloatsIn(slots: Readonly<Record<string, unknown>>): SpecialFloats {
  return specialFloatsOf(slots, (value) => value);
}

/** The special numbers among the slot values that `valueOf` reads from each entry of `record` (NO_SPECIAL_FLOATS when there are none). */
export function specialFloatsOf<T>(record: Readonly<Record<string, T>>, valueOf: (entry: T) => unknown): SpecialFloats {
  let specials: Record<string, SpecialFloat> | undefined;
  for (const name in record) {
    const value = Object.hasOwn(record, name) ? valueOf(record[name]!) : undefined;
    if (isSpecialFloat(value)) setOwn((specials ??= {}), name, specialFloatName(value));
  }
  return specials ?? NO_SPECIAL_FLOATS;
}
