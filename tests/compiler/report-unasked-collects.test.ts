/**
 * FLW2016 (Rasa's V4): a collect step nothing asks for. When a response's name is a near miss of
 * the question's, the help names it: a public assistant collected `fields` beside the response
 * `utter_ask_field`.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { compileStrings } from "../support/compile.ts";

function unasked(responses: string, step = "      - collect: fields\n", slots = "") {
  const domain = `slots:
  fields:
    type: text
${slots}responses:
${responses}`;
  const flows = `flows:
  admission_info:
    description: Answers questions about admissions.
    steps:
${step}`;
  const result = compileStrings({ "domain.yml": domain, "flows.yml": flows });
  return result.errors.filter((e) => e.code === "FLW2016").map(toJson);
}

describe("FLW2016: a collect step nothing asks for", () => {
  it("names a response one slip away from the question, and both ways to use it", () => {
    const [error, ...more] = unasked(`  utter_ask_field:\n    - text: Which field?\n`);
    expect(more).toEqual([]);
    expect(error).toMatchObject({ line: 5, column: 9, suggestion: "the response `utter_ask_field` is close: rename it `utter_ask_fields`, or give this step `utter: utter_ask_field`" });
  });

  it("gives no help when the near response asks for another slot, or none is near", () => {
    const otherSlot = unasked(`  utter_ask_field:\n    - text: Which field?\n`, "      - collect: fields\n", "  field:\n    type: text\n");
    expect(otherSlot).toHaveLength(1);
    expect(otherSlot[0]!.suggestion).toBeUndefined();
    // `utter_ask_` is shared by every question; only the slot's part is compared.
    const far = unasked(`  utter_ask_content:\n    - text: Whose information?\n`, "      - collect: fields\n");
    expect(far[0]!.suggestion).toBeUndefined();
  });

  it("suggests the nearest response for a question named with `utter:`", () => {
    const [error] = unasked(`  utter_which_field:\n    - text: Which field?\n`, "      - collect: fields\n        utter: utter_wich_field\n");
    expect(error).toMatchObject({ suggestion: "did you mean `utter_which_field`?" });
  });
});
