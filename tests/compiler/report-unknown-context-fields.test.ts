/**
 * FLW2040: a branch's or guard's `context` is the top frame's fields (conditions.md §1:
 * `stack.current_context()`), and so is a Jinja response's, so `context.<name>` of a field no
 * frame has is always undefined.
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

describe("report-unknown-context-fields in Jinja responses", () => {
  // A response is rendered with `context` the top frame's fields too (runtime/responses.ts: frameContext,
  // Rasa's stack.current_context()). A public ebook shop read a field only Rasa 3.14's frames have.
  const flows = `
flows:
  greet:
    description: Greets the user.
    steps:
      - action: utter_resume
`;
  const domain = (variation: string) => `
slots:
  name:
    type: text
responses:
  utter_resume:
${variation}
`;
  const responseWarnings = (variation: string, slots = "") => {
    const result = compileStrings({ flows, domain: domain(variation).replace("slots:\n", `slots:\n${slots}`) });
    expect(result.errors).toEqual([]);
    return result.warnings.filter((w) => w.code === "FLW2040");
  };
  const at = (w: { range?: { file: { position(offset: number): { line: number; column: number } }; start: number; end: number } | undefined }) => {
    const [start, end] = [w.range!.file.position(w.range!.start), w.range!.file.position(w.range!.end)];
    return [start.line, start.column, end.line, end.column];
  };

  it("warns at the field of `context.<field>` no frame has, naming the response, with 3.12's field for 3.14's", () => {
    const [warning, ...rest] = responseWarnings('    - text: "¿Seguimos con {{ context.interrupted_flow_options }}?"\n      metadata: {template: jinja}');
    expect(rest).toEqual([]);
    expect(warning?.message).toBe(
      "`context.interrupted_flow_options` is always undefined: response `utter_resume`'s `context` holds the fields of the frame on top of the dialogue stack (`flow_id`, `step_id`, and a pattern's own, such as `collect`), and `interrupted_flow_options` is none of them",
    );
    expect(warning?.suggestion).toContain("`previous_flow_name`");
    expect(at(warning!)).toEqual([7, 39, 7, 63]); // the field's name, after `context.`
  });

  it("reads subscripts with a literal key, and conditions, loops and buttons of the template, suggesting the nearest field", () => {
    const warnings = responseWarnings(
      [
        "    - text: |",
        "        {% if context['flowid'] %}{{ context.flow_id }}{% endif %}",
        '        {% for x in context.options or [] %}{{ x }}{% endfor %}',
        "      buttons:",
        '        - title: "{{ context.step_id }}"',
        '          payload: "/SetSlots(name={{ context.colect }})"',
        "      metadata: {template: jinja}",
      ].join("\n"),
    );
    expect(warnings.map((w) => [...at(w).slice(0, 2), w.suggestion])).toEqual([
      [8, 24, "did you mean `flow_id`?"], // inside the quotes,
      [9, 29, undefined],
      [12, 47, "did you mean `collect`?"],
    ]);
  });

  it("leaves alone frame fields, a dict's own attributes, a `context` the template or a slot gives, and format templates", () => {
    const known = "{{ context.collect }} {{ context.utter }} {{ context['flow_id'] }} {{ context.canceled_name }} {{ context.previous_flow_name }} {{ context.names }} {{ context.refill_action }} {{ context.items() | length }} {{ context.keys }}";
    expect(responseWarnings(`    - text: "${known}"\n      metadata: {template: jinja}`)).toEqual([]);
    expect(responseWarnings('    - text: "{% set context = {\'a\': 1} %}{{ context.a }}"\n      metadata: {template: jinja}')).toEqual([]);
    expect(responseWarnings('    - text: "{% for context in [{\'a\': 1}] %}{{ context.a }}{% endfor %}"\n      metadata: {template: jinja}')).toEqual([]);
    expect(responseWarnings('    - text: "{% macro m(context) %}{{ context.a }}{% endmacro %}{{ m(none) }}"\n      metadata: {template: jinja}')).toEqual([]);
    expect(responseWarnings('    - text: "{{ context.a }}"\n      metadata: {template: jinja}', "  context:\n    type: any\n")).toEqual([]);
    // A format template's `{context.x}` is FLW2032's; `{{ }}` there is literal text.
    expect(responseWarnings('    - text: "{context.interrupted_flow_options} {{ context.interrupted_flow_options }}"')).toEqual([]);
    expect(responseWarnings('    - text: "{{ context.interrupted_flow_options }}"\n      metadata: {template: format}')).toEqual([]);
  });
});
