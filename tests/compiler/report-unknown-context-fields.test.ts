/**
 * FLW2040: a branch's or guard's `context` is the top frame's fields (conditions.md §1:
 * `stack.current_context()`), so `context.<name>` of a field no frame has is always undefined.
 * A public assistant branched on `context.latest_message.text matches "…"` after action_listen
 * steps: Rasa took the else branch every time.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";
import { branch } from "../support/condition-flows.ts";

const DOMAIN = `
slots:
  age:
    type: float
responses:
  utter_ask_age:
    - text: How old are you?
  utter_adult:
    - text: Adult.
`;

function warnings(flows: string) {
  const result = compileStrings({ domain: DOMAIN, flows });
  expect(result.errors).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW2040");
}

describe("report-unknown-context-fields", () => {
  it("warns about the user's message read through context in a branch, at the field, saying what to do instead", () => {
    const [warning, ...rest] = warnings(branch('context.latest_message.text matches "(?i)yes" and slots.age > 18'));
    expect(rest).toEqual([]);
    expect(warning?.message).toBe(
      "`context.latest_message` is always undefined: a branch condition's `context` holds the fields of the frame on top of the dialogue stack (`flow_id`, `step_id`, and a pattern's own, such as `collect`), and `latest_message` is none of them",
    );
    expect(warning?.suggestion).toContain("cannot read the user's message");
    expect(warning?.flow).toBe("check");
    const range = warning!.range!;
    const [start, end] = [range.file.position(range.start), range.file.position(range.end)];
    expect([start.line, start.column, end.line, end.column]).toEqual([8, 18, 8, 40]); // `context.latest_message`, without `.text`
  });

  it("suggests the nearest field for a misspelt one, and warns in a flow guard too", () => {
    const [inBranch] = warnings(branch("context.flowid = 'check'"));
    expect(inBranch?.suggestion).toBe("did you mean `flow_id`?");
    const guarded = branch("slots.age > 18").replace("    description: Checks the age.\n", "    description: Checks the age.\n    if: context.intent = 'greet'\n");
    const [inGuard, ...rest] = warnings(guarded);
    expect(rest).toEqual([]);
    expect(inGuard?.message).toContain("a guard condition's `context`");
  });

  it("leaves the fields of frames alone, and quoted text", () => {
    expect(warnings(branch("context.flow_id = 'check' and context.step_id != 'x' and context.collect is null"))).toEqual([]);
    expect(warnings(branch("slots.age = 'context.latest_message'"))).toEqual([]);
    // Fields of 3.12's frames that Rasa's validator does not render: pattern_correction's and pattern_validate_slot's.
    expect(warnings(branch("context.new_slot_values is not null or context.refill_action = 'x'"))).toEqual([]);
  });
});
