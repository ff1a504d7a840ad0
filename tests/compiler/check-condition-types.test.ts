/**
 * check-condition-types.ts: flowc's warnings about comparisons against slot types. A
 * categorical slot compared with a literal outside its values warns (FLW3103), but
 * `__other__` is one of its values: Rasa appends it to every categorical slot's list
 * (flows-format.md a.4), and V14 allows it too.
 */
import { describe, expect, it } from "vitest";
import { compileStrings, warningCodes } from "../support/compile.ts";

const warningMessages = (result: ReturnType<typeof compileStrings>) => result.warnings.map((w) => w.message);

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

  it("warns about a number, which never equals a categorical slot's text, and says to quote a value", () => {
    const result = compileStrings({
      domain: "slots:\n  rating:\n    type: categorical\n    values: [\"1\", \"2\"]\nresponses:\n  utter_thanks:\n    - text: Thanks.\n",
      flows: "flows:\n  thank_fans:\n    description: Thanks a fan.\n    if: slots.rating = 2 or slots.rating != 7\n    steps:\n      - action: utter_thanks\n",
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.suggestion])).toEqual([
      ["FLW3103", "the values are texts: quote it, '2'"],
      ["FLW3103", undefined],
    ]);
  });

  it("does not call a comparison never true when a set_slots step stores that very literal", () => {
    // set_slots stores its value as written: the number 5 in a categorical slot, "5" in a float slot.
    const result = compileStrings({
      domain:
        "slots:\n  rating:\n    type: categorical\n    values: [\"1\", \"5\"]\n  tier:\n    type: categorical\n    values: [gold]\n  amount:\n    type: float\n" +
        "responses:\n  utter_thanks:\n    - text: Thanks.\n",
      flows:
        "flows:\n  rate:\n    description: Rates.\n    steps:\n      - set_slots:\n          - rating: 5\n          - tier: platinum\n          - amount: \"5\"\n" +
        "      - action: utter_thanks\n        next:\n          - if: slots.rating = 5 and slots.tier = 'platinum' and slots.amount = '5'\n            then: END\n" +
        "          - if: slots.rating = 1 or slots.tier = 'silver' or slots.amount = '6'\n            then: END\n          - else: END\n",
    });
    expect(result.errors).toEqual([]);
    // Only the literals no step stores are warned of: 1, 'silver' and '6'.
    const typeWarnings = result.warnings.filter((w) => w.code === "FLW3103" || w.code === "FLW3106");
    expect(typeWarnings.map((w) => w.code)).toEqual(["FLW3103", "FLW3103", "FLW3106"]);
    expect(typeWarnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^1 is not a value/),
      expect.stringMatching(/^'silver' is not a value/),
      expect.stringMatching(/compared with '6'/),
    ]);
  });

  it("says that `!=` with a literal outside the values is always true, and `=` never", () => {
    const messages = (condition: string) => warningMessages(compileCondition(condition)).filter((m) => m.includes("categorical slot"));
    expect(messages("slots.n > 1 and slots.tier != 'platinum'")).toEqual(["'platinum' is not a value of categorical slot `tier` (values: gold, silver); this comparison is always true"]);
    expect(messages("slots.n > 1 and slots.tier = 'platinum'")).toEqual(["'platinum' is not a value of categorical slot `tier` (values: gold, silver); this comparison is never true"]);
  });

  it("leaves a number compared with the slot on the left to Rasa's V14 error (FLW3010), without a second warning", () => {
    const result = compileCondition("slots.tier = 1");
    expect(result.errors.map((e) => e.code)).toEqual(["FLW3010"]);
    expect(warningCodes(result)).not.toContain("FLW3103");
  });

  it("leaves the slot on the left to Rasa's V14 error, without a second warning", () => {
    const result = compileCondition("slots.tier = 'platinum'");
    expect(result.errors.map((e) => e.code)).toContain("FLW3003");
    expect(warningCodes(result)).not.toContain("FLW3103");
  });
});

describe("`contains` and `matches` on slots they never look into (FLW3111), and a text that `contains` a non-text (FLW3112)", () => {
  // conditions.md §6.5: `contains` is false on a left operand that is not a str, list, dict,
  // set or undefined, and raises on a str left with a right that is not a str; §6.6: `matches`
  // is false on a left operand that is not a str.
  function compileOn(condition: string) {
    return compileStrings({
      domain: [
        "slots:",
        "  n: {type: float}",
        "  ok: {type: bool}",
        "  items: {type: list}",
        "  name: {type: text}",
        "  tier: {type: categorical, values: [gold, silver]}",
        "  anything: {type: any}",
        "responses:",
        "  utter_done:",
        "    - text: Done.",
      ].join("\n"),
      flows: ["flows:", "  f:", "    description: Checks.", `    if: ${condition}`, "    steps:", "      - action: utter_done"].join("\n"),
    });
  }

  it.each(["slots.n contains 5", "slots.ok contains true", "slots.n matches '5'", "slots.ok matches 'True'", "slots.items matches 'a'"])("warns about %s", (condition) => {
    const result = compileOn(condition);
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.code === "FLW3111").map((w) => w.message)).toEqual([expect.stringMatching(/is always false: pypred's `(contains|matches)`/)]);
  });

  it.each(["slots.name contains 5", "slots.tier contains true", "slots.name contains (null)"])("warns that %s raises", (condition) => {
    const result = compileOn(condition);
    expect(result.errors).toEqual([]);
    expect(warningCodes(result).filter((code) => code === "FLW3112" || code === "FLW3111")).toEqual(["FLW3112"]);
  });

  it.each(["slots.items contains 'a'", "slots.items contains 5", "slots.name contains 'a'", "slots.tier contains 'o'", "slots.anything contains 1", "slots.name matches 'a'", "slots.tier matches 'g'", "slots.anything matches 'a'", "slots.name contains slots.n"])("does not warn about %s", (condition) => {
    const result = compileOn(condition);
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).not.toContain("FLW3111");
    expect(warningCodes(result)).not.toContain("FLW3112");
  });
});

describe("bare words (FLW3104)", () => {
  it("suggests the string a bare word was probably meant to be", () => {
    const result = compileCondition("slots.tier = gold");
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.code === "FLW3104").map((w) => w.suggestion)).toEqual(["did you mean the string 'gold'?"]);
  });

  it.each(["slots.n is not None", "slots.n is not none", "slots.n is nil"])("suggests null, not a string, for %s (an unset slot is null, not undefined)", (condition) => {
    const result = compileCondition(condition);
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.code === "FLW3104").map((w) => w.suggestion)).toEqual(["did you mean `null`?"]);
  });
});
