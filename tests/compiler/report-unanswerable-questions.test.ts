/**
 * FLW4105: a collect step whose question no reply can answer. The slot's mappings are only
 * `controlled` (or `custom`), so Rasa 3.12 drops the LLM's value for it (§a.3); the step asks
 * before filling, and nothing of the question (buttons, `action_ask_<slot>`,
 * `validate_<slot>`) can fill it. The runtime test at the end checks the premise on flowc's
 * runtime, which runs it as Rasa does: a reply is refused and the question comes again, while a
 * button's payload fills it.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";
import { compileStrings } from "../support/compile.ts";

interface Shape {
  readonly mappings?: string;
  /** More keys of the slot, indented by four spaces. */
  readonly slotExtra?: string;
  /** More keys of the collect step, indented by eight spaces. */
  readonly stepExtra?: string;
  readonly question?: string;
  /** The question's response name (another name leaves the slot without `utter_ask_<slot>`). */
  readonly questionName?: string;
  readonly askBeforeFilling?: string;
  readonly domainExtra?: string;
  readonly flowsExtra?: string;
}

function domain(shape: Shape = {}): string {
  return `slots:
  license_type:
    type: text
${shape.slotExtra ?? ""}    mappings:
${shape.mappings ?? "      - type: controlled"}
responses:
  ${shape.questionName ?? "utter_ask_license_type"}:
${shape.question ?? '    - text: "Which license do you have?"'}
  utter_checking:
    - text: "Let me look."
${shape.domainExtra ?? ""}`;
}

function flows(shape: Shape = {}): string {
  return `flows:
  check_license:
    description: Checks the status of a license.
    steps:
      - collect: license_type
        ask_before_filling: ${shape.askBeforeFilling ?? "true"}
${shape.stepExtra ?? ""}      - action: utter_checking
${shape.flowsExtra ?? ""}`;
}

function unanswerable(shape: Shape = {}) {
  const result = compileStrings({ "domain.yml": domain(shape), "flows.yml": flows(shape) });
  expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW4105").map(toJson);
}

describe("FLW4105: a question no reply can answer", () => {
  it("warns at the value of `collect:`, with the message, notes and help", () => {
    const [warning, ...more] = unanswerable();
    expect(more).toEqual([]);
    expect(warning).toMatchObject({
      code: "FLW4105",
      severity: "warning",
      file: "flows.yml",
      line: 5,
      column: 18,
      endLine: 5,
      endColumn: 30,
      flow: "check_license",
      step: "check_license_0_collect_license_type",
      message: "no reply can answer the question `utter_ask_license_type`: slot `license_type` has only `controlled` mappings, so Rasa 3.12 drops any value a reply gives it (the user is told to rephrase) and asks again, without end",
      suggestion: "add `- type: from_llm` to the mappings of slot `license_type`, give the question `utter_ask_license_type` buttons that set it (`/SetSlots(license_type=...)`), or fill it in a custom action `action_ask_license_type` or `validate_license_type`",
    });
    expect(warning!.notes).toEqual([
      "the question `utter_ask_license_type` has no buttons, and there is no `action_ask_license_type` or `validate_license_type`; with `ask_before_filling: true` the step clears the slot and always asks",
      "only a custom action of another flow, started while the question waits, could still set the slot",
    ]);
  });

  it("warns for `custom` mappings without an action, and for the collect's own `utter`", () => {
    expect(unanswerable({ mappings: "      - type: custom\n      - type: controlled" }).map((w) => w.message)).toEqual([
      "no reply can answer the question `utter_ask_license_type`: slot `license_type` has only `custom` and `controlled` mappings, so Rasa 3.12 drops any value a reply gives it (the user is told to rephrase) and asks again, without end",
    ]);
    const result = compileStrings({
      "domain.yml": domain({ domainExtra: '  utter_which_license:\n    - text: "Which one?"\n' }),
      "flows.yml": flows().replace("ask_before_filling: true", "ask_before_filling: true\n        utter: utter_which_license"),
    });
    expect(result.warnings.filter((w) => w.code === "FLW4105").map((w) => w.message)).toEqual([
      "no reply can answer the question `utter_which_license`: slot `license_type` has only `controlled` mappings, so Rasa 3.12 drops any value a reply gives it (the user is told to rephrase) and asks again, without end",
    ]);
  });

  it("does not warn where a reply, a click or the question's own action may fill the slot", () => {
    const fillable: Record<string, Shape> = {
      "a from_llm mapping beside the controlled one": { mappings: "      - type: controlled\n      - type: from_llm" },
      "an NLU mapping beside the controlled one": { mappings: "      - type: controlled\n      - type: from_text" },
      "a custom mapping with an action": { mappings: "      - type: custom\n        action: action_fill_license" },
      "a controlled mapping run every turn": { mappings: "      - type: controlled\n        run_action_every_turn: action_fill_license" },
      "ask_before_filling false": { askBeforeFilling: "false" },
      "buttons on the question": { question: '    - text: "Which license?"\n      buttons:\n        - title: Class C\n          payload: "/SetSlots(license_type=class_c)"' },
      "buttons on a conditional variation only": {
        question: '    - text: "Which license?"\n      condition:\n        - type: slot\n          name: license_type\n          value: null\n      buttons:\n        - title: Class C\n          payload: "class c"\n    - text: "Which license?"',
      },
      "a custom payload on the question": { question: '    - text: "Which license?"\n      custom:\n        options: [class_c, class_d]' },
      "action_ask_<slot> in the domain (which asks instead of a response)": { questionName: "utter_license_help", domainExtra: "actions:\n  - action_ask_license_type\n" },
      "a custom action as the collect's utter (the slot has an initial value, so nothing else must ask)": {
        slotExtra: "    initial_value: class_c\n",
        stepExtra: "        utter: utter_license_question\n",
        domainExtra: "actions:\n  - utter_license_question\n",
      },
      "validate_<slot> in the domain": { domainExtra: "actions:\n  - validate_license_type\n" },
      "a button of another response that sets the slot": { domainExtra: '  utter_pick:\n    - text: "Pick"\n      buttons:\n        - title: C\n          payload: "/SetSlots(license_type=class_c)"\n' },
      "another flow's set_slots of the slot": {
        flowsExtra: "  pick_class_c:\n    description: Picks class C.\n    persisted_slots: [license_type]\n    steps:\n      - set_slots:\n          - license_type: class_c\n",
      },
      "an overridden pattern_cannot_handle that runs a custom action": {
        domainExtra: "actions:\n  - action_guess_license\n",
        flowsExtra: "  pattern_cannot_handle:\n    description: Guesses.\n    steps:\n      - action: action_guess_license\n",
      },
    };
    const warned = Object.entries(fillable).flatMap(([name, shape]) => {
      const result = compileStrings({ "domain.yml": domain(shape), "flows.yml": flows(shape) });
      return [...result.errors.map((e) => `${name}: ${e.code} ${e.message}`), ...(result.warnings.some((w) => w.code === "FLW4105") ? [`${name}: FLW4105`] : [])];
    });
    expect(warned).toEqual([]);
    // The same assistant with the fillable part left out does warn: each shape above is what keeps it quiet.
    expect(unanswerable()).toHaveLength(1);
  });

  it("does not warn when the assistant overrides pattern_collect_information", () => {
    const shape = { flowsExtra: "  pattern_collect_information:\n    description: Collects.\n    steps:\n      - action: utter_checking\n" };
    const result = compileStrings({ "domain.yml": domain(shape), "flows.yml": flows(shape) });
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.code === "FLW4105")).toEqual([]);
  });

  it("runs as the warning says: a reply is refused and asked again, a button payload fills the slot", async () => {
    const create = await assistantFromYaml(domain(), flows());
    const [, reply] = await talk(create(), [["start flow check_license"], ["set slot license_type class_c"]]);
    expect(reply!.actions).toEqual(["utter_ask_rephrase", "action_run_slot_rejections", "utter_ask_license_type", "action_listen"]);
    expect(reply!.state.slots["license_type"]).toBeNull();
    const [, click] = await talk(create(), [["start flow check_license"], ["/SetSlots(license_type=class_c)"]]);
    expect(click!.actions).toContain("utter_checking");
  });
});
