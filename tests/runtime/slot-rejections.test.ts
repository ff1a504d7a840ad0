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

describe("action_run_slot_rejections renders before it clears the slot", () => {
  // Rasa's action renders its message from the tracker as it is during the action; its
  // SlotSet(slot, None) applies afterwards, so the slot still holds the rejected value.
  const domain = `
slots:
  nickname:
    type: text
    mappings: [{type: from_llm}]
  age:
    type: float
    mappings: [{type: from_llm}]
responses:
  utter_ask_nickname:
    - text: "Nickname?"
  utter_ask_age:
    - text: "Age?"
  utter_taken:
    - text: "Sorry, {nickname} is taken."
  utter_float_slot_rejection:
    - text: "{age} is no number."
  utter_done:
    - text: "Done."
`;
  const flows = `
flows:
  signup:
    description: Sign up.
    steps:
      - collect: nickname
        rejections:
          - if: slots.nickname = "bob"
            utter: utter_taken
      - collect: age
      - action: utter_done
`;

  it("shows the rejected value of the slot in a rejection's message and in a type rejection's", async () => {
    const bot = (await assistantFromYaml(domain, flows))();
    const turns = await talk(bot, [["start flow signup"], ["set slot nickname bob"], ["set slot nickname ann"], ["set slot age old"]]);
    expect(turns[1]!.messages.map((m) => m.text)).toEqual(["Sorry, bob is taken.", "Nickname?"]);
    expect(turns[3]!.messages.map((m) => m.text)).toEqual(["old is no number.", "Age?"]);
    const events = turns[1]!.events;
    const at = events.findIndex((e) => e.event === "action" && e.name === "action_run_slot_rejections");
    expect(events.slice(at + 1, at + 3)).toEqual([
      { event: "slot", name: "nickname", value: null },
      { event: "bot", response: "utter_taken", text: "Sorry, bob is taken." },
    ]);
  });
});
