/**
 * Compiling the response fields beside text, image and custom: a Jinja variation's strings inside
 * `quick_replies`, `attachment` and a button's other keys are templates Rasa renders on every
 * message (rasa/core/nlg/response.py: RESPONSE_KEYS_TO_INTERPOLATE are text, image, custom,
 * buttons, attachment, quick_replies; rasa/core/nlg/interpolator.py renders each string with
 * `Template(s)`, whose syntax error fails the action each time), so flowc compiles them and
 * refuses one Jinja cannot parse (FLW1060, as for the text). `elements` is not rendered by Rasa:
 * its strings are never parsed. A format variation compiles nothing.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";

const FLOWS = `
flows:
  show:
    description: Shows the cards.
    steps:
      - action: utter_cards
`;

function errorsOf(variation: string): [string, number | undefined][] {
  const result = compileStrings({ flows: FLOWS, domain: `responses:\n  utter_cards:\n${variation}` });
  return result.errors.map((e) => [e.code, e.range?.file.position(e.range.start).line]);
}

describe("Jinja in a variation's other fields", () => {
  it("a string Jinja cannot parse in quick_replies, attachment or a button's other key is FLW1060 where it is written", () => {
    const variation = `    - text: "Cards"
      metadata: {template: jinja}
      buttons:
        - {title: "ok", payload: "ok", url: "{{ name "}
      quick_replies:
        - {title: "{% if %}", payload: "q"}
      attachment:
        payload: {url: "{{ }}"}
`;
    // lines are 1-based: the domain's first line is `responses:`
    expect(errorsOf(variation)).toEqual([
      ["FLW1060", 6],
      ["FLW1060", 8],
      ["FLW1060", 10],
    ]);
  });

  it("the strings of elements are not templates: nothing to refuse", () => {
    expect(errorsOf(`    - text: "Cards"\n      metadata: {template: jinja}\n      elements: [{title: "{{ name "}]\n`)).toEqual([]);
  });

  it("a format variation compiles none of them", () => {
    expect(errorsOf(`    - text: "Cards"\n      quick_replies: [{title: "{{ name ", payload: "q"}]\n      attachment: {url: "{% if %}"}\n      buttons: [{title: "a", payload: "a", url: "{{ x "}]\n`)).toEqual([]);
  });
});

describe("a misspelt key of a variation (FLW1034)", () => {
  it("suggests the key meant", () => {
    const result = compileStrings({ flows: FLOWS, domain: `responses:\n  utter_cards:\n    - txt: "Cards"\n` });
    expect(result.errors.map((e) => [e.code, e.suggestion])).toEqual([["FLW1034", "did you mean `text`?"]]);
  });
});
