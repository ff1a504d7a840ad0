/**
 * FLW4102: an `if` branch that can never be taken, because an earlier branch of the same step
 * has the same condition (however its operators are spelled and spaced) or an always-true one.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";

const DOMAIN = `
slots:
  age:
    type: float
  name:
    type: text
responses:
  utter_ask_age:
    - text: How old?
`;

/** The 1-based indexes of the branches reported as shadowed, for a step with these conditions. */
function shadowed(conditions: readonly string[]): number[] {
  const branches = conditions.map((condition) => `          - if: ${JSON.stringify(condition)}\n            then: END`).join("\n");
  const flows = `
flows:
  ask:
    description: Asks.
    steps:
      - collect: age
        next:
${branches}
          - else: END
`;
  const result = compileStrings({ domain: DOMAIN, flows });
  expect(result.errors).toEqual([]);
  // Where each condition's scalar starts in the file.
  const starts: number[] = [];
  for (const condition of conditions) starts.push(flows.indexOf(`- if: ${JSON.stringify(condition)}`, (starts[starts.length - 1] ?? 0) + 1) + "- if: ".length);
  return result.warnings.filter((w) => w.code === "FLW4102").map((w) => starts.indexOf(w.range?.start ?? -1) + 1);
}

describe("report-shadowed-branches", () => {
  it("reports a condition repeated with other spacing or operator spelling", () => {
    expect(shadowed(["slots.age < 18", "slots.name = 'x'", "slots.age<18"])).toEqual([3]);
    expect(shadowed(["slots.name = 'x'", "slots.name == 'x'", "slots.name is 'x'"])).toEqual([2, 3]);
    expect(shadowed(["slots.name != 'x'", "slots.name is not 'x'"])).toEqual([2]);
  });

  it("keeps conditions apart that differ in a value, an operand's order, parentheses or an operator", () => {
    expect(shadowed(["slots.age < 18", "slots.age < 19", "18 > slots.age", "slots.age <= 18", "(slots.age < 18)"])).toEqual([]);
    expect(shadowed(["slots.name = 'x' and slots.age < 1", "slots.age < 1 and slots.name = 'x'", "slots.name = 'x' or slots.age < 1"])).toEqual([]);
    expect(shadowed(["slots.name = 'x'", "slots.name = \"x\"", "slots.name = 'X'"])).toEqual([]);
  });

  it("reports every branch after an always-true one", () => {
    expect(shadowed(["slots.age < 1 or true", "slots.age > 5", "slots.name = 'x'"])).toEqual([2, 3]);
  });
});
