/**
 * Copies by layout (runtime/layouts.ts) must be indistinguishable from the object spreads they
 * replace: same keys, same order, same values, a new object, also for awkward keys.
 */
import { describe, expect, it } from "vitest";
import { copierFor, hasLayout, LayoutCache, mergerFor } from "../../runtime/layouts.ts";

/** Keys and values in order, so that a difference of key order fails too. */
const entries = (value: object) => Object.entries(value);

describe("layouts", () => {
  it("copies an object into a new one with the same keys in the same order", () => {
    const source = { b: 1, a: null, "with space": "x", "2": true, list: [1] };
    const copy = copierFor(Object.keys(source))(source);
    expect(copy).not.toBe(source);
    expect(entries(copy)).toEqual(entries({ ...source }));
    expect(copy["list"]).toBe(source.list); // a shallow copy, as a spread
  });

  it("merges two objects as { ...over, ...under }: keys of over first, values of under where both have one", () => {
    const over = { frame_id: "c", type: "pattern_collect_information", step_id: "start", collect: "amount" };
    const under = { frame_id: "u", type: "flow", flow_id: "pay", step_id: "ask", frame_type: "regular" };
    expect(entries(mergerFor(Object.keys(over), Object.keys(under))(over, under))).toEqual(entries({ ...over, ...under }));
  });

  it("tells whether an object has exactly a layout, in order", () => {
    expect(hasLayout({ a: 1, b: 2 }, ["a", "b"])).toBe(true);
    expect(hasLayout({ b: 2, a: 1 }, ["a", "b"])).toBe(false);
    expect(hasLayout({ a: 1 }, ["a", "b"])).toBe(false);
    expect(hasLayout({ a: 1, b: 2, c: 3 }, ["a", "b"])).toBe(false);
  });

  it("keeps an own __proto__ key, which an object literal would turn into a prototype", () => {
    const source = JSON.parse('{"a": 1, "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copy = new LayoutCache().copy("t", source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(entries(copy)).toEqual(entries(source));
  });

  it("copies objects of many layouts under one tag, each as a spread would", () => {
    const cache = new LayoutCache();
    const sources = [{ a: 1 }, { a: 1, b: 2 }, { b: 2, a: 1 }, { c: 3 }, { d: 4 }, { e: 5, f: 6 }, { a: 7 }];
    for (const source of sources) expect(entries(cache.copy("same tag", source))).toEqual(entries(source));
    for (const under of sources) expect(entries(cache.merge("same tag", { a: 0, z: 0 }, under))).toEqual(entries({ a: 0, z: 0, ...under }));
  });

  it("hands out the copier of a layout, which copies the copies it makes as well", () => {
    const cache = new LayoutCache();
    const source = { frame_id: "f", type: "flow", step_id: "a" };
    const copy = cache.copier("flow", source);
    const first = copy(source);
    expect(first).not.toBe(source);
    expect(entries(first)).toEqual(entries(source));
    expect(cache.copier("flow", first)).toBe(copy);
    expect(cache.copier("flow", { type: "flow", frame_id: "g", step_id: "b" })).not.toBe(copy); // another key order, another layout
  });

  it("merges objects by the layouts of two copiers it handed out, as { ...over, ...under }", () => {
    const cache = new LayoutCache();
    const over = { frame_id: "c", type: "pattern_collect_information", flow_id: "pattern_collect_information", step_id: "start", collect: "amount" };
    const under = { frame_id: "u", type: "flow", flow_id: "pay", step_id: "ask", frame_type: "regular" };
    const merge = cache.mergerOf(cache.copier(over.type, over), cache.copier(under.type, under));
    expect(merge).toBeDefined();
    expect(entries(merge!(over, under))).toEqual(entries({ ...over, ...under }));
    expect(cache.mergerOf(cache.copier(over.type, over), cache.copier(under.type, under))).toBe(merge);
    expect(cache.mergerOf((source) => ({ ...source }), cache.copier(under.type, under))).toBeUndefined(); // not one of its copiers
  });

  it("spreads beyond the layouts it keeps per tag", () => {
    const cache = new LayoutCache();
    for (const key of ["a", "b", "c", "d"]) cache.copier("t", { [key]: 1 });
    const extra = { e: 1, f: 2 };
    expect(entries(cache.copier("t", extra)(extra))).toEqual(entries(extra));
  });
});
