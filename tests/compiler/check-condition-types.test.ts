/**
 * check-condition-types.ts: flowc's warnings about comparisons against slot types. A
 * categorical slot compared with a literal outside its values warns (FLW3103), but
 * `__other__` is one of its values: Rasa appends it to every categorical slot's list
 * (flows-format.md a.4), and V14 allows it too.
 */
import { describe, expect, it } from "vitest";
import { compileStrings, warningCodes } from "../support/compile.ts";

function compileCondition(condition: string) {
  return compileStrings({
    domain: [
      "slots:",
      "  tier:",
      "    type: categorical",
      "    values: [gold, silver]",
      "  n:",
      "    type: float",
      "responses:",
      "  utter_ask_n:",
      "    - text: \"How many?\"",
    ].join("\n"),
    flows: [
      "flows:",
      "  count:",
      "    description: Counts.",
      "    steps:",
      "      - collect: n",
      "        next:",
      `          - if: ${condition}`,
      "            then: END",
      "          - else: END",
    ].join("\n"),
  });
}

describe("categorical literals outside the values (FLW3103)", () => {
  it("warns about a literal that is not a value, inside a combination Rasa does not check", () => {
    const result = compileCondition("slots.n > 1 and slots.tier = 'platinum'");
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).toContain("FLW3103");
  });

  it("does not warn about `__other__`, which Rasa adds to every categorical slot", () => {
    const result = compileCondition("slots.n > 1 and slots.tier = '__other__'");
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).not.toContain("FLW3103");
  });

  it("warns about a value written on the left, which Rasa's V14 reads as the slot and does not check", () => {
    const result = compileCondition(`"'platinum' = slots.tier"`);
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).toContain("FLW3103");
  });

  it("leaves the slot on the left to Rasa's V14 error, without a second warning", () => {
    const result = compileCondition("slots.tier = 'platinum'");
    expect(result.errors.map((e) => e.code)).toContain("FLW3003");
    expect(warningCodes(result)).not.toContain("FLW3103");
  });
});
