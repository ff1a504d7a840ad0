/**
 * The fields of the correction frame (runtime-semantics.md §b.2, Rasa 3.12's CorrectSlotsCommand),
 * which the scenario files cannot see: `corrected_slots` maps each slot to `{value, filled_by}`,
 * and `new_slot_values` lists each corrected slot once, with the last value given for it.
 */
import { describe, expect, it } from "vitest";
import type { Frame } from "../../runtime/stack.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  x:
    type: text
    mappings: [{type: from_llm}]
  y:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_x:
    - text: "x?"
  utter_ask_y:
    - text: "y?"
  utter_corrected_previous_input:
    - text: "Updated to {{ context.new_slot_values | join(', ') }}."
      metadata:
        template: jinja
`;

const FLOWS = `
flows:
  fa:
    description: Asks x and y.
    steps:
      - collect: x
      - collect: y
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

function correctionFrame(frames: readonly Frame[]): Readonly<Record<string, unknown>> | undefined {
  return frames.find((frame) => frame.type === "pattern_correction") as Readonly<Record<string, unknown>> | undefined;
}

function pushedCorrection(result: Awaited<ReturnType<typeof talk>>[number]): Readonly<Record<string, unknown>> | undefined {
  for (const event of result.events) if (event.event === "stack" && correctionFrame(event.stack)) return correctionFrame(event.stack);
  return undefined;
}

describe("the correction frame", () => {
  it("maps each corrected slot to its value and the extractor that set it", async () => {
    const turns = await talk(newBot(), [["start flow fa"], ["set slot x a"], ["set slot x b"], ["/SetSlots(x=c)"]]);
    expect(pushedCorrection(turns[2]!)).toMatchObject({ corrected_slots: { x: { value: "b", filled_by: "LLM" } }, new_slot_values: ["b"] });
    expect(pushedCorrection(turns[3]!)).toMatchObject({ corrected_slots: { x: { value: "c", filled_by: "CommandPayloadReader" } }, new_slot_values: ["c"] });
    expect(turns[3]!.state.slots["x"]).toBe("c");
  });

  it("names a slot corrected twice in one message once, with the last value", async () => {
    const turns = await talk(newBot(), [["start flow fa"], ["set slot x a"], ["set slot x p", "set slot x s"]]);
    expect(pushedCorrection(turns[2]!)).toMatchObject({ corrected_slots: { x: { value: "s", filled_by: "LLM" } }, new_slot_values: ["s"] });
    expect(turns[2]!.messages.map((m) => m.text)).toContain("Updated to s.");
    expect(turns[2]!.state.slots["x"]).toBe("s");
  });
});
