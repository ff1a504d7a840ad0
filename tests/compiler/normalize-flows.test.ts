/** Rasa's step ids, implicit `next`, nested lists and START/END (flows-format.md §c). */
import { describe, expect, it } from "vitest";
import type { FlowIR } from "../../compiler/model/ir.ts";
import { compileStrings } from "../support/compile.ts";

const DOMAIN = `
slots:
  age: {type: float}
responses:
  utter_ask_age: [{text: "Age?"}]
  utter_too_young: [{text: "Too young."}]
  utter_sorry: [{text: "Sorry."}]
  utter_senior: [{text: "Senior."}]
  utter_adult: [{text: "Adult."}]
`;

const CHECK_AGE = `flows:
  check_age:
    description: Checks the age.
    steps:
      - collect: age
        next:
          - if: slots.age < 18
            then:
              - action: utter_too_young
              - id: say_sorry
                action: utter_sorry
                next: END
          - if: slots.age >= 65
            then: adult
          - else:
              - action: utter_senior
                next: say_sorry
      - id: adult
        action: utter_adult
`;

function flow(flows: string, id: string): FlowIR {
  const result = compileStrings({ domain: DOMAIN, flows });
  expect(result.errors).toEqual([]);
  const found = result.assistant?.flowsById.get(id);
  if (!found) throw new Error(`no flow ${id}`);
  return found;
}

describe("normalize flows", () => {
  it("numbers steps in depth-first pre-order, custom ids consuming their index", () => {
    expect(flow(CHECK_AGE, "check_age").steps.map((s) => s.id)).toEqual([
      "check_age_0_collect_age",
      "check_age_1_utter_too_young",
      "say_sorry",
      "check_age_3_utter_senior",
      "adult",
    ]);
  });

  it("links nested lists by their first step and chains their steps", () => {
    const steps = flow(CHECK_AGE, "check_age").stepsById;
    expect(steps.get("check_age_0_collect_age")?.links.map((l) => [l.kind, l.target])).toEqual([
      ["if", "check_age_1_utter_too_young"],
      ["if", "adult"],
      ["else", "check_age_3_utter_senior"],
    ]);
    expect(steps.get("check_age_1_utter_too_young")?.links).toEqual([expect.objectContaining({ kind: "static", target: "say_sorry", implicit: true })]);
    expect(steps.get("adult")?.links).toEqual([expect.objectContaining({ kind: "static", target: "END", implicit: true })]);
  });

  it("gives a link step no next and the last step of a nested list none either", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  a:
    description: A.
    steps:
      - collect: age
        next:
          - if: slots.age < 18
            then:
              - action: utter_too_young
          - else: END
      - link: b
  b:
    description: B.
    steps:
      - action: utter_adult
`,
    });
    expect(result.errors.map((e) => [e.code, e.step])).toContainEqual(["FLW4004", "a_1_utter_too_young"]);
    expect(result.errors.map((e) => e.code)).not.toContain("FLW4003");
  });

  it("keeps START as a target and names suffixes after the step type", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  loop:
    description: Loops.
    steps:
      - collect: age
        ask_before_filling: true
      - set_slots:
          - age: null
      - noop: true
        next: START
`,
    });
    expect(result.errors).toEqual([]);
    const steps = result.assistant?.flowsById.get("loop")?.steps ?? [];
    expect(steps.map((s) => s.id)).toEqual(["loop_0_collect_age", "loop_1_set_slots", "loop_2_noop"]);
    expect(steps[2]?.links).toEqual([expect.objectContaining({ target: "START", implicit: false })]);
  });

  it("resolves the slots a flow collects and sets through the flows it calls", () => {
    const result = compileStrings({
      domain: `
slots:
  age: {type: float}
  name: {type: text}
  done: {type: bool}
responses:
  utter_ask_age: [{text: "Age?"}]
  utter_ask_name: [{text: "Name?"}]
`,
      flows: `flows:
  parent:
    description: Parent.
    steps:
      - collect: age
      - call: child
  child:
    description: Child.
    if: False
    steps:
      - collect: name
      - call: grandchild
  grandchild:
    description: Grandchild.
    if: False
    steps:
      - set_slots:
          - done: true
`,
    });
    expect(result.errors).toEqual([]);
    expect(result.assistant?.flowSlots.get("parent")).toEqual({ collected: ["age", "name"], set: ["done"] });
  });

  it("replaces a default pattern by a user flow with the same id", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  pattern_completed:
    description: Says nothing more.
    steps:
      - action: utter_adult
  greet:
    description: Greets.
    steps:
      - action: utter_adult
`,
    });
    expect(result.errors).toEqual([]);
    const completed = result.assistant?.flows.filter((f) => f.id === "pattern_completed") ?? [];
    expect(completed.map((f) => f.input.isDefault)).toEqual([false]);
    expect(result.assistant?.flowsById.has("pattern_correction")).toBe(true);
  });
});
