/**
 * FLW3113: a button payload `/SetSlots(option="advisor")` whose value is written in quotes.
 * Rasa's CommandPayloadReader trims white space only, so a click sets the text with its
 * quotes, and a branch `if: slots.option == "advisor"` is false after it.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { compileStrings } from "../support/compile.ts";

function domain(...payloads: string[]): string {
  return `
slots:
  option:
    type: text
  urgent:
    type: bool
responses:
  utter_ask_option:
    - text: What next?
      buttons:
${payloads.map((payload, i) => `        - title: Button ${i}\n          payload: ${JSON.stringify(payload)}`).join("\n")}
  utter_advisor:
    - text: An advisor will call.
`;
}

const FLOWS = `
flows:
  support:
    description: Offers help.
    steps:
      - collect: option
        next:
          - if: slots.option == "advisor"
            then:
              - action: utter_advisor
                next: END
          - else: END
`;

function quoted(...payloads: string[]) {
  const result = compileStrings({ domain: domain(...payloads), flows: FLOWS });
  expect(result.errors).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW3113");
}

describe("FLW3113: a button payload's value in quotes", () => {
  it("warns of a value in double or single quotes, at the payload, with the payload to write", () => {
    const warnings = quoted('/SetSlots(option="advisor")', "/SetSlots(option='more_detail', urgent=true)");
    expect(warnings.map((w) => w.message)).toEqual([
      'a button of response `utter_ask_option` sets slot `option` to "advisor" with its quotes: Rasa\'s payload reader keeps them, so a click sets the text "advisor", not `advisor`',
      "a button of response `utter_ask_option` sets slot `option` to 'more_detail' with its quotes: Rasa's payload reader keeps them, so a click sets the text 'more_detail', not `more_detail`",
    ]);
    expect(warnings.map((w) => w.suggestion)).toEqual([
      "write the payload without the quotes: `/SetSlots(option=advisor)`",
      "write the payload without the quotes: `/SetSlots(option=more_detail, urgent=true)`",
    ]);
    expect(warnings.map((w) => { const d = toJson(w); return `${d.line}:${d.column}`; })).toEqual(["12:20", "14:20"]);
  });

  it("leaves values without quotes, with a quote inside or on one side only, and other payloads alone", () => {
    expect(quoted("/SetSlots(option=advisor)", "/SetSlots(option=it's)", '/SetSlots(option="advisor)', "/SetSlots(option=\"a\" or 'b')", "advisor", '/SetSlots(option=")')).toEqual([]);
  });

  it("does not add itself to a payload Rasa's validator refuses", () => {
    const result = compileStrings({ domain: domain('/SetSlots(optoin="advisor")'), flows: FLOWS });
    expect(result.errors.map((e) => e.code)).toEqual(["FLW2036"]);
    expect(result.warnings.map((w) => w.code)).not.toContain("FLW3113");
  });
});
