/**
 * check-domain.ts: an `nlu_trigger` intent must be in the domain or one of Rasa's default
 * intents (FLW2017, a warning), the same list the button payload check reads.
 */
import { describe, expect, it } from "vitest";
import { compileStrings, warningCodes } from "../support/compile.ts";

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
