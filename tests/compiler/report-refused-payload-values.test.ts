/**
 * FLW3114: a button payload `/SetSlots(slot=value)` whose value the slot's type refuses. The
 * click sets the text as it is; at the slot's collect step `action_run_slot_rejections` turns it
 * down with the type's response and the question is asked again, so the button never fills the
 * slot. Rasa accepts such a button: a warning, never an error.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { compileStrings } from "../support/compile.ts";

function domain(...payloads: string[]): string {
  return `
slots:
  pizza_size:
    type: categorical
    values: [small, medium, Large]
  confirmed:
    type: bool
  amount:
    type: float
  note:
    type: text
responses:
  utter_ask_pizza_size:
    - text: Which size?
      buttons:
${payloads.map((payload, i) => `        - title: Button ${i}\n          payload: ${JSON.stringify(payload)}`).join("\n")}
  utter_ask_confirmed:
    - text: Sure?
  utter_ask_amount:
    - text: How many?
  utter_ask_note:
    - text: Anything else?
`;
}

const FLOWS = `
flows:
  order:
    description: Orders a pizza.
    steps:
      - collect: pizza_size
      - collect: confirmed
      - collect: amount
      - collect: note
`;

function refused(...payloads: string[]) {
  const result = compileStrings({ domain: domain(...payloads), flows: FLOWS });
  expect(result.errors).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW3114");
}

/** `line:column` of each warning, 1-based. */
function places(warnings: ReturnType<typeof refused>): string[] {
  return warnings.map((w) => {
    const d = toJson(w);
    return `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`;
  });
}

describe("FLW3114: a button payload's value that the slot's type refuses", () => {
  it("warns of a categorical value outside the slot's values, at the value, naming the values", () => {
    const warnings = refused("/SetSlots(pizza_size=huge)");
    expect(warnings.map((w) => w.message)).toEqual([
      "a button of response `utter_ask_pizza_size` sets categorical slot `pizza_size` to `huge`, which is none of its values (small, medium, Large; Rasa compares them ignoring case): when a collect step of the slot checks it, Rasa sets the slot back to null, answers with `utter_categorical_slot_rejection` and asks again, so the button never fills the slot",
    ]);
    expect(warnings.map((w) => w.suggestion)).toEqual(["write one of the slot's values (`small`, `medium`, `Large`), or add `huge` to its `values`"]);
    expect(warnings.map((w) => w.severity)).toEqual(["warning"]);
    // `          payload: "/SetSlots(pizza_size=huge)"`: the value from column 42, up to the `)`.
    expect(places(warnings)).toEqual(["17:42-17:46"]);
  });

  it("names the nearest value when one is close, with the payload to write", () => {
    const warnings = refused("/SetSlots(pizza_size=smal, note=hi)");
    expect(warnings.map((w) => w.suggestion)).toEqual(["did you mean `small`? Write `/SetSlots(pizza_size=small, note=hi)`"]);
  });

  it("accepts a categorical value in another case, and __other__, which Rasa appends to the values", () => {
    expect(refused("/SetSlots(pizza_size=LARGE)", "/SetSlots(pizza_size=large)", "/SetSlots(pizza_size=Small)", "/SetSlots(pizza_size=__other__)", "/SetSlots(pizza_size=__OTHER__)")).toEqual([]);
  });

  it("warns of a bool value that the runtime reads as neither true nor false", () => {
    const warnings = refused("/SetSlots(confirmed=maybe)", "/SetSlots(confirmed=½)", "/SetSlots(confirmed=fals)");
    expect(warnings.map((w) => w.message)).toEqual(
      ["maybe", "½", "fals"].map((value) => `a button of response \`utter_ask_pizza_size\` sets bool slot \`confirmed\` to \`${value}\`, which Rasa reads as neither true nor false (it takes true, false, yes, no, 1 and 0, in any case): when a collect step of the slot checks it, Rasa sets the slot back to null, answers with \`utter_boolean_slot_rejection\` and asks again, so the button never fills the slot`),
    );
    expect(warnings.map((w) => w.suggestion)).toEqual(["write `true` or `false`", "write `true` or `false`", "did you mean `false`? Write `/SetSlots(confirmed=false)`"]);
  });

  it("accepts what the runtime reads as a bool (any other number is false, as Python's float(x) == 1 decides)", () => {
    expect(refused("/SetSlots(confirmed=true)", "/SetSlots(confirmed=False)", "/SetSlots(confirmed=YES)", "/SetSlots(confirmed= no )", "/SetSlots(confirmed=1)", "/SetSlots(confirmed=0)", "/SetSlots(confirmed=2)")).toEqual([]);
  });

  it("warns of a float value that is not a number, at the value without its white space", () => {
    const warnings = refused("/SetSlots(amount= ten , confirmed=true)");
    expect(warnings.map((w) => w.message)).toEqual([
      "a button of response `utter_ask_pizza_size` sets float slot `amount` to `ten`, which is not a number: when a collect step of the slot checks it, Rasa sets the slot back to null, answers with `utter_float_slot_rejection` and asks again, so the button never fills the slot",
    ]);
    expect(warnings.map((w) => w.suggestion)).toEqual(["write a number (`12`, `12.5`)"]);
    // `          payload: "/SetSlots(amount= ten , confirmed=true)"`
    expect(places(warnings)).toEqual(["17:39-17:42"]);
  });

  it("accepts what Python's float() reads", () => {
    expect(refused("/SetSlots(amount=12)", "/SetSlots(amount=12.5)", "/SetSlots(amount=-3)", "/SetSlots(amount=1e3)", "/SetSlots(amount=1_000)")).toEqual([]);
  });

  it("does not judge a placeholder the response fills in, a null, a text slot or a quoted value (FLW3113)", () => {
    const result = compileStrings({
      domain: domain("/SetSlots(pizza_size={pizza_size})", "/SetSlots(amount={{ amount }})", "/SetSlots(confirmed=none)", "/SetSlots(amount=null)", "/SetSlots(note=anything at all)", '/SetSlots(pizza_size="huge")'),
      flows: FLOWS,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(["FLW3113"]);
  });

  it("does not add itself to a payload Rasa's validator refuses", () => {
    const result = compileStrings({ domain: domain("/SetSlots(pizza_size=huge, pizza_size=small)"), flows: FLOWS });
    expect(result.errors.map((e) => e.code)).toEqual(["FLW2036"]);
    expect(result.warnings.map((w) => w.code)).not.toContain("FLW3114");
  });

  it("points into a payload written over two lines or with escapes", () => {
    const text = domain("/SetSlots(note=a, pizza_size=hug\u00e9)").replace('"/SetSlots(note=a, pizza_size=hug\u00e9)"', '"/SetSlots(note=a,\\\n            pizza_size=hug\\u00e9)"');
    const result = compileStrings({ domain: text, flows: FLOWS });
    const warnings = result.warnings.filter((w) => w.code === "FLW3114");
    expect(warnings.map((w) => w.message)).toHaveLength(1);
    // `            pizza_size=hug\u00e9)`: the value from column 24 to the end of its escape.
    expect(places(warnings)).toEqual(["18:24-18:33"]);
  });
});
