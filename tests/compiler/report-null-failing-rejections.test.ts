/**
 * FLW3109: a collect rejection that raises when its slot is null, which Rasa 3.12 evaluates
 * when the slot has been set back to null (after a rejection, or when the flow that filled it
 * ended) and answers with the internal-error message.
 */
import { describe, expect, it } from "vitest";
import { compileStrings, warningCodes } from "../support/compile.ts";

const DOMAIN = `
slots:
  amount:
    type: float
  name:
    type: text
responses:
  utter_ask_amount:
    - text: How much?
  utter_ask_name:
    - text: Your name?
  utter_rejected:
    - text: No.
`;

function collecting(slot: string, condition: string): string {
  return `
flows:
  pay:
    description: Pays.
    steps:
      - collect: ${slot}
        rejections:
          - if: ${JSON.stringify(condition)}
            utter: utter_rejected
`;
}

function warnings(slot: string, condition: string) {
  const result = compileStrings({ domain: DOMAIN, flows: collecting(slot, condition) });
  expect(result.errors).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW3109");
}

describe("report-null-failing-rejections", () => {
  it("warns about an ordering comparison on the collected slot, suggesting a null check", () => {
    const [warning, ...rest] = warnings("amount", "slots.amount <= 0");
    expect(rest).toEqual([]);
    expect(warning?.message).toContain("`amount` is null");
    expect(warning?.suggestion).toBe("check for null first: `slots.amount is not null and (slots.amount <= 0)`");
    expect(warning?.flow).toBe("pay");
    expect(warning?.range && warning.range.file.position(warning.range.start).line).toBe(8);
  });

  it("accepts the same comparison behind a null check, and conditions that are false on null", () => {
    expect(warnings("amount", "slots.amount is not null and slots.amount <= 0")).toEqual([]);
    expect(warnings("amount", "slots.amount = 0")).toEqual([]);
    expect(warnings("name", "slots.name matches '^[0-9]+$'")).toEqual([]);
    expect(warnings("name", "slots.name contains 'x'")).toEqual([]);
  });

  it("warns about conditions that raise on null in other ways", () => {
    expect(warnings("amount", "slots.amount > 100 or slots.amount < 1")).toHaveLength(1);
  });

  it("warns about each of several rejections of the same shape, naming its own slot", () => {
    const flows = `
flows:
  pay:
    description: Pays.
    steps:
      - collect: amount
        rejections:
          - if: slots.amount < 1
            utter: utter_rejected
      - collect: name
        rejections:
          - if: slots.name < 1
            utter: utter_rejected
          - if: slots.name is not null and slots.name < 1
            utter: utter_rejected
`;
    const result = compileStrings({ domain: DOMAIN, flows });
    const found = result.warnings.filter((w) => w.code === "FLW3109").map((w) => w.suggestion);
    expect(found).toEqual(["check for null first: `slots.amount is not null and (slots.amount < 1)`", "check for null first: `slots.name is not null and (slots.name < 1)`"]);
  });

  it("judges rejections that differ only in numbers each by its own meaning", () => {
    const rejections = (conditions: readonly string[]) => `
flows:
  pay:
    description: Pays.
    steps:
      - collect: amount
        rejections:
${conditions.map((condition) => `          - if: ${JSON.stringify(condition)}\n            utter: utter_rejected`).join("\n")}
`;
    const flagged = (conditions: readonly string[]) =>
      compileStrings({ domain: DOMAIN, flows: rejections(conditions) })
        .warnings.filter((w) => w.code === "FLW3109")
        .map((w) => w.suggestion?.replace(/^check for null first: `slots.amount is not null and \((.*)\)`$/, "$1"));
    // Compared with the slot, any number raises alike on null.
    expect(flagged(["slots.amount <= 0", "slots.amount <= 18.5", "-3 > slots.amount"])).toEqual(["slots.amount <= 0", "slots.amount <= 18.5", "-3 > slots.amount"]);
    expect(flagged(["slots.amount = 0", "slots.amount != 7"])).toEqual([]);
    // Elsewhere a number decides whether the comparison with the slot is reached at all.
    expect(flagged(["0 > 1 or slots.amount < 5", "2 > 1 or slots.amount < 5", "3 > 1 or slots.amount < 5"])).toEqual(["0 > 1 or slots.amount < 5"]);
    expect(flagged(["slots.amount is not null and slots.amount < 0 or slots.amount > 1", "slots.amount < 0 or slots.amount > 1"])).toEqual(["slots.amount < 0 or slots.amount > 1"]);
  });

  it("is quiet for the default patterns' rejections and for an assistant without rejections", () => {
    const result = compileStrings({ domain: DOMAIN, flows: "flows:\n  pay:\n    description: Pays.\n    steps:\n      - collect: amount\n" });
    expect(warningCodes(result)).not.toContain("FLW3109");
  });
});
