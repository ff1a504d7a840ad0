/**
 * FLW4107: a flow whose id starts with `pattern_` but that is none of Rasa's patterns never
 * runs. The runtime test at the end checks the premise on flowc's runtime, which runs it as Rasa
 * does: a `start flow` naming it is dropped (the user is asked to rephrase), and nothing else
 * pushes it.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";
import { compileStrings } from "../support/compile.ts";

const CODE = "FLW4107";

const DOMAIN = `slots:
  is_self_employed:
    type: bool
responses:
  utter_ask_is_self_employed:
    - text: "Are you self-employed?"
  utter_work_section:
    - text: "Let's talk about your work."
  utter_chitchat:
    - text: "Nice chatting."
`;

/** A travel-form shape: a user flow, and `extra` flows (patterns, the assistant's or not) after it. */
function flows(extra: string): string {
  return `flows:
  save_travel_info:
    description: Records the user's travel information.
    steps:
      - collect: is_self_employed
${extra}`;
}

const EMPLOYER = `  pattern_employer:
    description: Flow for handling employer information
    steps:
      - action: utter_ask_is_self_employed
`;

function warnings(flowsText: string, domainText = DOMAIN) {
  const result = compileStrings({ "domain.yml": domainText, "flows.yml": flowsText });
  expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([]);
  return result.warnings.filter((w) => w.code === CODE).map(toJson);
}

describe("FLW4107: a flow named as a pattern that Rasa does not have", () => {
  it("warns at the flow's id, with the message, notes and help", () => {
    const [warning, ...more] = warnings(flows(EMPLOYER));
    expect(more).toEqual([]);
    expect(warning).toMatchObject({
      code: CODE,
      severity: "warning",
      file: "flows.yml",
      line: 6,
      column: 3,
      endLine: 6,
      endColumn: 19,
      flow: "pattern_employer",
      message: "flow `pattern_employer` never runs: its id starts with `pattern_`, so Rasa takes it for a pattern, and Rasa has no pattern of that name",
      suggestion: "rename the flow to `employer`, so that it is a user flow; to change one of Rasa's patterns, give the flow that pattern's id",
    });
    expect(warning!.notes).toEqual([
      "Rasa takes every flow whose id starts with `pattern_` for a pattern, and runs a pattern only when it pushes it itself, by the ids of its own patterns (`pattern_correction`, `pattern_cancel_flow`, ...)",
      "an LLM may start user flows only (patterns are left out of its prompt, and a `start flow` naming one is dropped), and no flow may call or link to a pattern; Rasa 3.12 accepts the flow and says nothing",
    ]);
  });

  it("warns once per such flow, beside the assistant's overrides of Rasa's patterns", () => {
    const text = flows(`${EMPLOYER}  pattern_chitchat:
    description: Answers off-topic messages.
    steps:
      - action: utter_chitchat
  pattern_chitchat_fr:
    description: Répond aux messages hors sujet.
    steps:
      - action: utter_chitchat
`);
    expect(warnings(text).map((w) => `${w.flow} ${w.line}`)).toEqual(["pattern_employer 6", "pattern_chitchat_fr 14"]);
  });

  it("names a pattern of Rasa's within two edits as the likely id, unless the assistant overrides that one already", () => {
    const typo = `  pattern_cancel_flows:
    description: Says the flow is stopped.
    steps:
      - action: utter_chitchat
`;
    expect(warnings(flows(typo)).map((w) => w.suggestion)).toEqual(["did you mean `pattern_cancel_flow`? Otherwise rename the flow to `cancel_flows`, so that it is a user flow"]);
    const overridden = `${typo}  pattern_cancel_flow:
    description: Stops the flow.
    steps:
      - action: action_cancel_flow
`;
    expect(warnings(flows(overridden)).map((w) => w.suggestion)).toEqual(["rename the flow to `cancel_flows`, so that it is a user flow; to change one of Rasa's patterns, give the flow that pattern's id"]);
  });

  it("proposes no rename that another flow already has", () => {
    const text = `${flows(`  pattern_save_travel_info:
    description: Records travel information once more.
    steps:
      - action: utter_work_section
`)}`;
    expect(warnings(text).map((w) => w.suggestion)).toEqual(["rename the flow to an id without it, so that it is a user flow; to change one of Rasa's patterns, give the flow that pattern's id"]);
  });

  it("does not warn for Rasa's patterns, a flow with an nlu_trigger, one a step starts with its flow_ action, or a user flow", () => {
    const quiet = flows(`  pattern_completed:
    description: Says nothing when a flow completes.
    steps:
      - noop: true
        next: END
  pattern_handle_digressions:
    description: Handles digressions my way.
    steps:
      - action: action_continue_digression
  pattern_by_intent:
    description: Started by an intent.
    nlu_trigger:
      - intent: work_info
    steps:
      - action: utter_work_section
  pattern_by_action:
    description: Started by a flow_ action.
    steps:
      - action: utter_work_section
  work_info:
    description: Tells about the work section.
    steps:
      - action: flow_pattern_by_action
`);
    expect(warnings(quiet, `${DOMAIN}intents:\n  - work_info\n`)).toEqual([]);
  });

  it("runs as the warning says: a start flow naming it is dropped, and the user is asked to rephrase", async () => {
    const create = await assistantFromYaml(DOMAIN, flows(EMPLOYER));
    const [reply] = await talk(create(), [["start flow pattern_employer"]]);
    expect(reply!.actions).toEqual(["utter_ask_rephrase", "action_listen"]);
    expect(reply!.state.stack).toEqual([]);
  });
});
