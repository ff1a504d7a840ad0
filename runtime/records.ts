/**
 * Plain records keyed by the assistant's own names (flow, step and slot ids), which may be any
 * text, `__proto__` included: assigned to a key an object does not have yet, `__proto__` sets
 * the object's prototype instead of adding the key.
 */

/** `record[key]` when the record has that key of its own: a name every object answers (`constructor`) is none. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record[key] = value`, a key `__proto__` included. */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
