/**
 * The variables compiled Jinja response templates read: every slot, `context` and the message's
 * extra values, answered name by name (a response must not copy thousands of slots), with the
 * precedence of Rasa's merged dictionary (extra values over slots over `context`). And the
 * template helpers as a second copy of their module sees them: an application may bundle the
 * generated code with another copy of the runtime, where `instanceof` does not hold.
 */
import { describe, expect, it, vi } from "vitest";
import { isTemplateError, lookup, output, TemplateTypeError, UndefinedError, VariableScope } from "../../runtime/templates.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  name:
    type: text
    mappings: [{type: controlled}]
  context:
    type: text
    mappings: [{type: controlled}]
  value:
    type: text
    mappings: [{type: controlled}]
responses:
  utter_greet:
    - text: "Hi {{ name }}, {{ context }}, {{ value }}"
      metadata: {template: jinja}
  utter_frame:
    - text: "in {{ context.flow_id }}: {{ missing }}."
      metadata: {template: jinja}
  utter_broken:
    - text: "{{ context.nothing.deeper }}"
      metadata: {template: jinja}
actions:
  - fill
`;

const FLOWS = `
flows:
  hello:
    description: Greets.
    steps:
      - action: fill
      - action: utter_greet
      - action: utter_frame
      - action: utter_broken
`;

class Names extends VariableScope {
  constructor(private readonly values: Readonly<Record<string, unknown>>) {
    super();
  }
  has(name: string): boolean {
    return Object.hasOwn(this.values, name);
  }
  get(name: string): unknown {
    return this.values[name];
  }
}

describe("template variables", () => {
  it("reads slots over context, and a missing name as Jinja's undefined, without one merged record", async () => {
    const create = await assistantFromYaml(DOMAIN, FLOWS);
    const bot = create({ actions: { fill: () => ({ slots: { name: "Ann", context: "a slot named context", value: null } }) } });
    const [turn] = await talk(bot, [["start flow hello"]]);
    expect(turn!.messages.slice(0, 3).map((m) => m.text)).toEqual([
      "Hi Ann, a slot named context, None",
      // `context` is the slot here: it has no flow_id, which prints as nothing, like `missing`
      "in : .",
      // an attribute of an undefined value raises: Rasa sends the template as written
      "{{ context.nothing.deeper }}",
    ]);
  });

  it("answers for a scope given to another copy of the helpers", async () => {
    // (A fresh module registry: the helpers are several modules, which a query on the entry alone would not copy.)
    vi.resetModules();
    const other = await import("../../runtime/templates.ts");
    expect(other.VariableScope).not.toBe(VariableScope); // a distinct copy of the module
    const scope = new Names({ name: "Ann" });
    expect(other.output(other.lookup(scope, "name"))).toBe("Ann");
    expect(output(lookup(scope, "name"))).toBe("Ann");
    expect(other.output(other.lookup(scope, "nobody"))).toBe("");
    let raised: unknown;
    try {
      other.attr(other.lookup(scope, "nobody"), "deeper");
    } catch (error) {
      raised = error;
    }
    expect(raised).not.toBeInstanceOf(UndefinedError);
    expect(isTemplateError(raised, "UndefinedError")).toBe(true);
    expect(isTemplateError(new TemplateTypeError("x"), "TemplateTypeError")).toBe(true);
    expect(isTemplateError(new Error("x"), "UndefinedError")).toBe(false);
  });
});
