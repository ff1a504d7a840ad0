/**
 * FLW4106: steps after a step that ends every flow on the dialogue stack (`action_restart`,
 * `action_session_start`, `action_clean_stack`) never run. The runtime test at the end checks the
 * premise on flowc's runtime, which runs it as Rasa does: after the session start, the question
 * that follows is never asked.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";
import { compileStrings } from "../support/compile.ts";

const CODE = "FLW4106";

function domain(extra = ""): string {
  return `slots:
  meter_number:
    type: text
responses:
  utter_greet:
    - text: "Hello!"
  utter_ask_meter_number:
    - text: "What is your meter number?"
  utter_thanks:
    - text: "Thanks!"
${extra}`;
}

/** The meter-reading shape: greet, a step running `action`, then a question and a thank-you (`after` replaces those two). */
function flows(action: string, after = "      - collect: meter_number\n      - action: utter_thanks\n", extraKeys = ""): string {
  return `flows:
  submit_reading:
    description: Submits a meter reading.
    steps:
      - action: utter_greet
      - id: reset
        action: ${action}
${extraKeys}${after}`;
}

function warnings(flowsText: string, domainText = domain()) {
  const result = compileStrings({ "domain.yml": domainText, "flows.yml": flowsText });
  expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([]);
  return result.warnings.filter((w) => w.code === CODE).map(toJson);
}

describe("FLW4106: steps after a step that empties the dialogue stack", () => {
  it("warns at the value of `action:`, with the message, notes and help", () => {
    const [warning, ...more] = warnings(flows("action_session_start"));
    expect(more).toEqual([]);
    expect(warning).toMatchObject({
      code: CODE,
      severity: "warning",
      file: "flows.yml",
      line: 7,
      column: 17,
      endLine: 7,
      endColumn: 37,
      flow: "submit_reading",
      step: "reset",
      message: "the steps after `action_session_start` never run: it ends every flow on the dialogue stack, `submit_reading` with it",
      suggestion:
        "remove the steps after it, move them before it, or end the flow there with `next: END`; what the user should see at a session's start belongs in an override of `pattern_session_start`, before its `action_session_start` or in its place",
    });
    expect(warning!.notes).toEqual([
      "`action_session_start`'s SessionStarted resets the conversation as a restart does: the dialogue stack is emptied (the assistant's own `action_session_start` too)",
      "so step `submit_reading_2_collect_meter_number` and what follows never run; Rasa 3.12 accepts the flow and says nothing",
    ]);
  });

  it("warns for action_restart and action_clean_stack, and for the assistant's own action_session_start", () => {
    expect(warnings(flows("action_restart")).map((w) => w.message)).toEqual(["the steps after `action_restart` never run: it ends every flow on the dialogue stack, `submit_reading` with it"]);
    expect(warnings(flows("action_clean_stack")).map((w) => w.message)).toEqual(["the steps after `action_clean_stack` never run: it ends every flow on the dialogue stack, `submit_reading` with it"]);
    expect(warnings(flows("action_session_start"), domain("actions:\n  - action_session_start\n")).map((w) => `${w.line}:${w.column}`)).toEqual(["7:17"]);
  });

  it("warns for a `next` naming a step and for branches not all leading to END", () => {
    const named = flows("action_restart", "      - id: thanks\n        action: utter_thanks\n", "        next: thanks\n");
    expect(warnings(named).map((w) => w.notes?.[1])).toEqual(["so step `thanks` and what follows never run; Rasa 3.12 accepts the flow and says nothing"]);
    const branches = flows(
      "action_restart",
      "      - id: thanks\n        action: utter_thanks\n",
      "        next:\n          - if: slots.meter_number is null\n            then: END\n          - else: thanks\n",
    );
    expect(warnings(branches).map((w) => `${w.line}:${w.column}`)).toEqual(["7:17"]);
  });

  it("warns in the assistant's own override of a pattern", () => {
    const override = `flows:
  pattern_restart:
    description: Restarts and greets.
    steps:
      - action: action_restart
      - action: utter_greet
`;
    expect(warnings(override).map((w) => `${w.flow} ${w.line}:${w.column}`)).toEqual(["pattern_restart 5:17"]);
  });

  it("does not warn when nothing follows the step, or for other actions", () => {
    const quiet: Record<string, string> = {
      "the action is the last step": flows("action_session_start", ""),
      "`next: END` in a branch, with a step after the branching one": `flows:
  submit_reading:
    description: Submits a meter reading.
    steps:
      - collect: meter_number
        next:
          - if: slots.meter_number = "restart"
            then:
              - action: action_session_start
                next: END
          - else: thanks
      - id: thanks
        action: utter_thanks
`,
      "branches that all lead to END": flows("action_restart", "", "        next:\n          - if: slots.meter_number is null\n            then: END\n          - else: END\n"),
      "action_listen": flows("action_listen"),
      "a rendered name": flows('"{{context.next_action}}"'),
      "an action_restart the domain lists as its own": flows("action_restart"),
      "an action_clean_stack the domain lists as its own": flows("action_clean_stack"),
    };
    const domains: Record<string, string> = {
      "an action_restart the domain lists as its own": domain("actions:\n  - action_restart\n"),
      "an action_clean_stack the domain lists as its own": domain("actions:\n  - action_clean_stack\n"),
    };
    const warned = Object.entries(quiet).flatMap(([name, text]) => warnings(text, domains[name]).map((w) => `${name}: ${w.code} ${w.line}:${w.column}`));
    expect(warned).toEqual([]);
    // flowc's own default patterns (pattern_code_change: a message, then action_clean_stack) are not looked at either.
    expect(warnings(flows("utter_thanks"))).toEqual([]);
  });

  it("runs as the warning says: after the session start the question is never asked", async () => {
    const create = await assistantFromYaml(domain(), flows("action_session_start"));
    const [reply] = await talk(create(), [["start flow submit_reading"]]);
    expect(reply!.actions).toContain("utter_greet");
    expect(reply!.actions).not.toContain("utter_ask_meter_number");
    expect(reply!.state.stack).toEqual([]);
  });
});
