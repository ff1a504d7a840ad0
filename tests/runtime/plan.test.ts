/**
 * What an action name runs as (runtime/plan.ts `AssistantPlan.action`): a response, a default
 * action, a custom action, or an unknown name that is skipped. The known names are searched in
 * the assistant's lists, then looked up in a Set once many names have been asked for: both
 * ways must answer the same.
 */
import { describe, expect, it } from "vitest";
import type { CompiledAssistant, Flow, Response } from "../../runtime/model.ts";
import { AssistantPlan, CUSTOM_ACTION, DEFAULT_ACTION, RESPONSE_ACTION, UNKNOWN_ACTION } from "../../runtime/plan.ts";

const response = (name: string): Response => ({ name, variations: [{ text: name, buttons: [] }] });

function assistant(): CompiledAssistant {
  const custom = Array.from({ length: 100 }, (_, i) => `action_custom_${i}`);
  return {
    hash: "test",
    // Only whether the flow exists matters here (`flow_greet` is a known action).
    flows: { greet: {} as Flow },
    slots: {},
    responses: { utter_hi: response("utter_hi"), utter_not_listed: response("utter_not_listed"), utter_also_custom: response("utter_also_custom") },
    customActions: [...custom, "utter_also_custom"],
    domainActions: [...custom, "utter_also_custom", "action_declared_only"].sort(),
    intents: [],
    catalogue: [],
  };
}

describe("AssistantPlan.action", () => {
  it("classifies names the same before and after it builds its Set", () => {
    const plan = new AssistantPlan(assistant());
    const kinds = () => ({
      hi: plan.action("utter_hi").kind,
      notListed: plan.action("utter_not_listed").kind,
      alsoCustom: plan.action("utter_also_custom").kind,
      listen: plan.action("action_cancel_flow").kind,
      declared: plan.action("action_declared_only").kind,
      custom: plan.action("action_custom_7").kind,
      unknown: plan.action("action_nobody_declared").kind,
      // Known without being listed: Rasa's defaults, including one flowc runs as a no-op, and a flow's
      // `flow_<id>`, which starts it (a default action of flowc's, Rasa's ActionTriggerFlow).
      back: plan.action("action_back").kind,
      flow: plan.action("flow_greet").kind,
      noFlow: plan.action("flow_nobody").kind,
    });
    // An `utter_` name the domain also lists as an action is still a response action (Rasa's action_for_name_or_text).
    const expected = { hi: RESPONSE_ACTION, notListed: RESPONSE_ACTION, alsoCustom: RESPONSE_ACTION, listen: DEFAULT_ACTION, declared: CUSTOM_ACTION, custom: CUSTOM_ACTION, unknown: UNKNOWN_ACTION, back: CUSTOM_ACTION, flow: DEFAULT_ACTION, noFlow: UNKNOWN_ACTION };
    expect(kinds()).toEqual(expected);
    // Many more names than the searches before the Set: every custom action, and unknown ones.
    for (let i = 0; i < 100; i++) expect(plan.action(`action_custom_${i}`).kind).toBe(CUSTOM_ACTION);
    for (let i = 0; i < 100; i++) expect(plan.action(`action_unknown_${i}`).kind).toBe(UNKNOWN_ACTION);
    expect(new AssistantPlan(assistant()).action("action_nobody_declared").kind).toBe(UNKNOWN_ACTION);
    expect(kinds()).toEqual(expected);
  });
});
