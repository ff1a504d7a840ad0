/**
 * action_run_slot_rejections as Rasa's code runs it (rasa/core/actions/action_run_slot_rejections.py,
 * ActionRunSlotRejections.run), where runtime-semantics.md §b.5 only summarises: the rejection
 * message is rendered with `value` = the slot's value as it was stored, before the action
 * coerced it to the slot type for the check.
 */
import { describe, expect, it } from "vitest";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  age:
    type: float
    mappings: [{type: controlled}]
responses:
  utter_ask_age:
    - text: "How old?"
  utter_too_young:
    - text: "Not at {{ value }}."
      metadata: {template: jinja}
  utter_ok:
    - text: "Fine."
actions:
  - guess_age
`;

const FLOWS = `
flows:
  enrol:
    description: Enrol.
    steps:
      - action: guess_age
      - collect: age
        rejections:
          - if: slots.age < 18
            utter: utter_too_young
      - action: utter_ok
`;

describe("action_run_slot_rejections", () => {
  it("renders a rejection with the value as stored, not as coerced for the check", async () => {
    const bot = (await assistantFromYaml(DOMAIN, FLOWS))({ actions: { guess_age: () => ({ slots: { age: "15.50" } }) } });
    const [turn] = await talk(bot, [["start flow enrol"]]);
    expect(turn!.messages.map((m) => m.text)).toEqual(["Not at 15.50.", "How old?"]);
  });
});
