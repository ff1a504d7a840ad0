/**
 * `defineResponses` and `defineSlots` spell out the compact tables of a generated
 * `responses.ts` and `slots.ts` (runtime/define-responses.ts, runtime/define-slots.ts): every
 * field the runtime reads must be there, in domain order, whatever the compact form left out.
 */
import { describe, expect, it } from "vitest";
import { defineResponses } from "../../runtime/define-responses.ts";
import { defineSlots } from "../../runtime/define-slots.ts";

describe("defineResponses", () => {
  const responses = defineResponses<"utter_hi" | "utter_pick" | "utter_any">({
    utter_hi: "Hi!",
    utter_pick: [{ text: "Pick one", buttons: [{ title: "A", payload: "/a" }] }, { text: "Or not", channel: "voice" }],
    utter_any: [{ custom: { kind: "card" } }],
  });

  it("keeps the domain's order and names each response", () => {
    expect(Object.keys(responses)).toEqual(["utter_hi", "utter_pick", "utter_any"]);
    expect(Object.values(responses).map((r) => r.name)).toEqual(["utter_hi", "utter_pick", "utter_any"]);
  });

  it("spells out a plain text and the empty buttons of every variation", () => {
    expect(responses.utter_hi.variations).toEqual([{ text: "Hi!", buttons: [] }]);
    expect(responses.utter_pick.variations).toEqual([
      { text: "Pick one", buttons: [{ title: "A", payload: "/a" }] },
      { text: "Or not", buttons: [], channel: "voice" },
    ]);
    expect(responses.utter_any.variations).toEqual([{ buttons: [], custom: { kind: "card" } }]);
  });

  it("gives the same variations each time they are read", () => {
    expect(responses.utter_pick.variations).toBe(responses.utter_pick.variations);
  });
});

describe("defineSlots", () => {
  const slots = defineSlots<"a" | "b" | "c">({
    a: "bool",
    b: { type: "float", initialValue: 2, minValue: 0, maxValue: 5, mappings: "controlled" },
    c: { type: "categorical", values: ["x", "y"] },
  });

  it("spells out every slot in domain order, defaults included", () => {
    expect(Object.keys(slots)).toEqual(["a", "b", "c"]);
    expect(slots.a).toEqual({ name: "a", type: "bool", initialValue: null, mappings: [{ type: "from_llm" }] });
    expect(slots.b).toEqual({ name: "b", type: "float", initialValue: 2, minValue: 0, maxValue: 5, mappings: [{ type: "controlled" }] });
    expect(slots.c).toEqual({ name: "c", type: "categorical", initialValue: null, values: ["x", "y"], mappings: [{ type: "from_llm" }] });
    expect(Object.keys(slots.b)).toEqual(["name", "type", "initialValue", "minValue", "maxValue", "mappings"]);
  });
});
