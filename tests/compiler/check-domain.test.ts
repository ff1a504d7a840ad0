/**
 * check-domain.ts: an `nlu_trigger` intent must be in the domain or one of Rasa's default
 * intents (FLW2017, a warning), the same list the button payload check reads. And
 * validate-domain-schema.ts: `allow_nlu_correction` where Rasa never reads it (FLW3011), and
 * the properties of a slot whose type is misspelt.
 */
import { describe, expect, it } from "vitest";
import { codes, compileStrings, warningCodes } from "../support/compile.ts";

function triggeredBy(intent: string) {
  return compileStrings({
    domain: ["intents:", "  - greet", "responses:", "  utter_hi:", '    - text: "Hi."'].join("\n"),
    flows: ["flows:", "  hi:", "    description: Says hi.", "    nlu_trigger:", `      - intent: ${intent}`, "    steps:", "      - action: utter_hi"].join("\n"),
  });
}

describe("nlu_trigger intents (FLW2017)", () => {
  it("knows Rasa's default intents, nlu_fallback included", () => {
    for (const intent of ["greet", "nlu_fallback", "out_of_scope", "silence_timeout"]) expect(warningCodes(triggeredBy(intent)), intent).not.toContain("FLW2017");
  });

  it("warns about an intent neither the domain nor Rasa has", () => {
    expect(warningCodes(triggeredBy("grete"))).toContain("FLW2017");
  });
});

function slotWithMappings(...mappings: string[]) {
  return compileStrings({
    domain: ["entities:", "  - city", "slots:", "  city:", "    type: text", "    mappings:", ...mappings.map((m) => `      - ${m}`), "responses:", "  utter_ask_city:", '    - text: "Where?"'].join("\n"),
    flows: ["flows:", "  ask:", "    description: Asks the city.", "    steps:", "      - collect: city"].join("\n"),
  });
}

describe("allow_nlu_correction where it changes nothing (FLW3011)", () => {
  it("is quiet on the from_llm mapping of a slot that NLU fills too", () => {
    const result = slotWithMappings("type: from_entity\n        entity: city", "type: from_llm\n        allow_nlu_correction: true");
    expect(warningCodes(result)).not.toContain("FLW3011");
    expect(result.errors).toEqual([]);
  });

  it("warns on a mapping of another type than from_llm, naming it", () => {
    const result = slotWithMappings("type: from_entity\n        entity: city\n        allow_nlu_correction: true", "type: from_llm");
    const warning = result.warnings.find((w) => w.code === "FLW3011");
    expect(warning?.message).toContain("`from_entity`");
    expect(warning?.range?.file.position(warning.range.start).line).toBe(9); // the `allow_nlu_correction` key
  });

  it("warns on a slot without an NLU mapping, and not for `allow_nlu_correction: false`", () => {
    expect(warningCodes(slotWithMappings("type: from_llm\n        allow_nlu_correction: true"))).toContain("FLW3011");
    expect(warningCodes(slotWithMappings("type: from_llm\n        allow_nlu_correction: false"))).not.toContain("FLW3011");
  });
});

describe("a slot with a misspelt type (FLW1031)", () => {
  function slotOfType(type: string, ...properties: string[]) {
    return compileStrings({
      domain: ["slots:", "  amount:", `    type: ${type}`, ...properties.map((p) => `    ${p}`), "responses:", "  utter_ask_amount:", '    - text: "How much?"'].join("\n"),
      flows: ["flows:", "  pay:", "    description: Pays.", "    steps:", "      - collect: amount"].join("\n"),
    });
  }

  it("reports the type alone, not the properties the intended type takes", () => {
    expect(codes(slotOfType("floats", "min_value: 1", "max_value: 20"))).toEqual(["FLW1031"]);
    expect(codes(slotOfType("categoric", "values: [a, b]"))).toEqual(["FLW1031"]);
  });

  it("still reports a property no slot type takes", () => {
    expect(codes(slotOfType("floats", "min_valu: 1"))).toEqual(["FLW1031", "FLW1033"]);
  });
});

describe("an initial value that does not fit its slot (FLW3009)", () => {
  function sized(initial: string) {
    return compileStrings({
      domain: ["slots:", "  size:", "    type: categorical", "    values: [small, large]", `    initial_value: ${initial}`, "responses:", "  utter_ask_size:", '    - text: "Which size?"'].join("\n"),
      flows: ["flows:", "  order:", "    description: Orders.", "    steps:", "      - collect: size"].join("\n"),
    });
  }

  it("offers a categorical slot's values, and the value it offers fits", () => {
    const warning = sized("huge").warnings.find((w) => w.code === "FLW3009");
    expect(warning?.suggestion).toMatch(/`small`, `large`/);
    expect(warningCodes(sized("small"))).not.toContain("FLW3009");
  });
});
