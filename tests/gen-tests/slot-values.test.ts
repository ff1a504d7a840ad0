/**
 * The values gen-tests tries for each slot, read from the conditions: boundaries on both
 * sides of a comparison, every categorical value, a value each rejection refuses and one it
 * accepts, set members, regex samples, null and non-null.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";
import { slotCandidates, conditionValues } from "../../compiler/gen-tests/slot-values.ts";
import { parseCondition } from "../../compiler/conditions/parse-condition.ts";

function candidates(domain: string, flows: string): ReadonlyMap<string, readonly unknown[]> {
  const result = compileStrings({ domain, flows });
  expect(result.errors).toEqual([]);
  return slotCandidates(result.assistant!);
}

function valuesOf(condition: string, rejectionSlot?: string): Map<string, unknown[]> {
  const parsed = parseCondition(condition, { templates: false });
  if (!parsed.ok) throw new Error(`not a condition: ${condition}`);
  return conditionValues(parsed.ast, rejectionSlot);
}

describe("conditionValues", () => {
  it("gives both sides of a numeric boundary", () => {
    expect(valuesOf("slots.age < 18").get("age")).toEqual([17, 18]);
    expect(valuesOf("slots.age >= 18").get("age")).toEqual([17, 18]);
    expect(valuesOf("slots.age <= 0").get("age")).toEqual([0, 1]);
    expect(valuesOf("slots.age > 5").get("age")).toEqual([5, 6]);
    // the literal on the left: `18 > slots.age` is `slots.age < 18`
    expect(valuesOf("18 > slots.age").get("age")).toEqual([17, 18]);
  });

  it("reads every comparison under and, or, not and parentheses", () => {
    const values = valuesOf("not (slots.a = 'x' or slots.b != 3) and slots.c");
    expect(values.get("a")).toEqual(["x", "other"]);
    expect(values.get("b")).toEqual([3, 4]);
    expect(values.get("c")).toEqual([true, false]);
  });

  it("tries a text unlike the literal when the literal is the text it would try", () => {
    // `slots.reason = 'other'` then `slots.reason != 'none'`: a third value reaches the second branch
    expect(valuesOf("slots.reason = 'other'").get("reason")).toEqual(["other", "another"]);
    expect(valuesOf("slots.tags contains 'other'").get("tags")).toEqual(["other", ["other"], "another"]);
    expect(valuesOf("{'other' 'late'} contains slots.reason").get("reason")).toEqual(["other", "late", "another"]);
  });

  it("gives null and a value for null checks", () => {
    expect(valuesOf("slots.found is null").get("found")).toEqual([null, "example"]);
  });

  it("gives each member of a set and a non-member for contains", () => {
    expect(valuesOf("{'credit' 'debit'} contains slots.card").get("card")).toEqual(["credit", "debit", "other"]);
  });

  it("gives a matching and a non-matching text for matches", () => {
    const [match, other] = valuesOf('slots.code matches "^[A-Z]{2}[0-9]{6}$"').get("code")!;
    expect(/^[A-Z]{2}[0-9]{6}$/.test(String(match))).toBe(true);
    expect(/^[A-Z]{2}[0-9]{6}$/.test(String(other))).toBe(false);
  });

  it("takes slots.<collected slot> of a rejection", () => {
    expect(valuesOf("slots.rating < 1 or slots.rating > 5", "rating").get("rating")).toEqual([0, 1, 5, 6]);
  });
});

describe("slotCandidates", () => {
  const domain = `
slots:
  age:
    type: float
  size:
    type: categorical
    values: [small, medium, large]
  ok:
    type: bool
  note:
    type: text
responses:
  utter_ask_age: [{text: Age?}]
  utter_ask_size: [{text: Size?}]
  utter_ask_ok: [{text: OK?}]
  utter_ask_note: [{text: Note?}]
  utter_too_young: [{text: Too young.}]
  utter_negative: [{text: Negative.}]
`;
  const flows = `
flows:
  signup:
    description: Sign up.
    steps:
      - collect: age
        rejections:
          - if: slots.age < 0
            utter: utter_negative
        next:
          - if: slots.age < 18
            then:
              - action: utter_too_young
                next: END
          - else: ask_size
      - id: ask_size
        collect: size
      - collect: ok
      - collect: note
`;

  it("gives the boundary of each branch and a value each rejection refuses", () => {
    const values = candidates(domain, flows).get("age")!;
    expect(values).toEqual(expect.arrayContaining([17, 18, -1, 0]));
    expect(values.filter((v) => typeof v === "number" && v < 0).length).toBeGreaterThan(0); // refused by `slots.age < 0`
  });

  it("gives every categorical value and both booleans", () => {
    const all = candidates(domain, flows);
    expect(all.get("size")).toEqual(["small", "medium", "large"]);
    expect(all.get("ok")).toEqual([true, false]);
  });

  it("gives a slot no condition mentions one value of its type", () => {
    expect(candidates(domain, flows).get("note")).toEqual(["example"]);
  });
});
