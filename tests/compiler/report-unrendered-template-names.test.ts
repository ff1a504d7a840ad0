/**
 * FLW3110: a Jinja hole or `{% if %}` test that reads an attribute of a name the condition's
 * template is not rendered with (conditions.md §7: branches see only `context`, rejections only
 * `slots`). Rasa raises there: uncaught in a branch, a violation in a rejection.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";
import { branch, rejection } from "../support/condition-flows.ts";

const DOMAIN = `
slots:
  age:
    type: float
  kind:
    type: text
responses:
  utter_ask_age:
    - text: How old are you?
  utter_rejected:
    - text: No.
  utter_adult:
    - text: Adult.
`;

function warnings(flows: string) {
  const result = compileStrings({ domain: DOMAIN, flows });
  expect(result.errors).toEqual([]);
  return result.warnings.filter((w) => w.code === "FLW3110");
}

describe("report-unrendered-template-names", () => {
  it("warns about a slot read in a branch's template, at the hole, suggesting the slot itself", () => {
    const [warning, ...rest] = warnings(branch("{{slots.age}} > 18"));
    expect(rest).toEqual([]);
    expect(warning?.message).toContain("`{{slots.age}}` reads `slots`, but Rasa renders a branch condition's template with `context` only");
    expect(warning?.suggestion).toBe("compare the slot itself: `slots.age`, without `{{ }}`");
    expect(warning?.flow).toBe("check");
    const at = warning!.range!.file.position(warning!.range!.start);
    expect([at.line, at.column]).toEqual([8, 20]); // `          - if: "{{` is 19 characters: the `s` of `slots.age` follows
  });

  it("warns about every out-of-scope read: several holes, `{% if %}` tests, other names", () => {
    expect(warnings(branch('{{ slots.kind }} = "a" and "{{slots.age}}" = "1"'))).toHaveLength(2);
    expect(warnings(branch("{% if slots.age %}true{% else %}false{% endif %}"))).toHaveLength(1);
    expect(warnings(branch("{% if not slots.age %}true{% elif slots.kind %}false{% endif %}"))).toHaveLength(2);
    // `{{foo.bar}}` (a name that is neither `slots` nor `context`) is no longer a warning: Rasa's
    // validator fails rendering it, so it is an error (more-validation-cases-5.yml).
  });

  it("warns about a context read in a rejection's template", () => {
    const [warning] = warnings(rejection("slots.age < {{context.collect}}"));
    expect(warning?.message).toContain("renders a rejection condition's template with `slots` only");
    expect(warning?.message).toContain("the slot is refused every time");
    expect(warning?.suggestion).toBeUndefined();
  });

  it("accepts reads of the name each template is rendered with, names without attributes, and comments", () => {
    expect(warnings(branch("slots.{{context.collect}} is not null"))).toEqual([]);
    expect(warnings(branch('"{{context.previous_flow_name}}" != "x" and slots.age > 1'))).toEqual([]);
    expect(warnings(rejection("{{slots.age}} < 18"))).toEqual([]);
    expect(warnings(branch("slots.age > 1{# {{slots.age}} #}"))).toEqual([]);
    expect(warnings(branch(`slots.age > 1 and "{{slots}}" = ''`))).toEqual([]);
  });

  it("is the only warning about such a hole: it splices nothing into the condition, so FLW3108 does not apply", () => {
    expect(compileStrings({ domain: DOMAIN, flows: branch("{{slots.age}} > 18") }).warnings.map((w) => w.code)).toEqual(["FLW3110"]);
    expect(compileStrings({ domain: DOMAIN, flows: rejection("slots.age < {{context.collect}}") }).warnings.map((w) => w.code)).not.toContain("FLW3108");
  });

  it("reads holes as Jinja's lexer does: strings, comments, brackets, whitespace control, line breaks", () => {
    // A hole's text inside a Jinja string literal is no hole: Jinja prints `{{slots.age}}`, which pypred reads as a string.
    const literal = compileStrings({ domain: DOMAIN, flows: branch(`"{{ '{{slots.age}}' }}" = "x" or context.y = 1`) });
    expect(literal.errors.map((e) => e.code)).toEqual([]);
    expect(literal.warnings.filter((w) => w.code === "FLW3110")).toEqual([]);
    expect(warnings(branch(`{% if context.x == '{{slots.age}}' %}context.y = 1{% else %}context.y = 2{% endif %}`))).toEqual([]);
    // A `{#` inside a string literal starts no comment: the hole after it is read.
    expect(warnings(branch(`{% if context.x == '{#' %}context.y = 1{% endif %} "{{ slots.kind }}" = "a"{% if context.x == '#}' %} or true{% endif %}`))).toHaveLength(1);
    // Whitespace control: the tag is the same tag.
    const [dashed, ...more] = warnings(branch("{%- if slots.age -%} true {%- else -%} false {%- endif %}"));
    expect(more).toEqual([]);
    const at = dashed!.range!.file.position(dashed!.range!.start);
    expect([at.line, at.column]).toEqual([8, 25]); // `          - if: "{%- if ` is 24 characters
    // A name split over a line break is one name.
    expect(warnings(branch("{{ slots.\nage }} > 1 or context.x = 1"))).toHaveLength(1);
  });

  it("takes a filter Jinja has and flowc does not compile in a condition (random) for valid Jinja, not for a syntax error", () => {
    const result = compileStrings({ domain: DOMAIN, flows: branch("{{ [context.x] | random }} = 1") });
    expect(result.errors.map((e) => e.code)).toEqual(["FLW1044"]);
    expect(compileStrings({ domain: DOMAIN, flows: branch("{{ context.x } }} = 1") }).errors.map((e) => e.code)).toEqual(["FLW1040"]);
  });

  it("is a warning: the assistant compiles, and only --strict refuses it", () => {
    expect(compileStrings({ domain: DOMAIN, flows: branch("{{slots.age}} > 18") }).errors).toEqual([]);
    expect(compileStrings({ domain: DOMAIN, flows: branch("{{slots.age}} > 18") }, { strict: true }).errors.map((e) => e.code)).toContain("FLW3110");
  });
});
