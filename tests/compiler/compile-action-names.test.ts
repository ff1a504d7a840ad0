/**
 * Action names that are Jinja templates beyond bare `{{ context.<field> }}` holes
 * (compiler/passes/compile-action-names.ts): which names the runtime renders itself, the code a
 * compiled name renders with, and every construct outside the response templates' subset
 * refused where it is written in the YAML.
 */
import { describe, expect, it } from "vitest";
import * as templates from "../../runtime/templates.ts";
import { rendersWithoutTemplate } from "../../runtime/action-names.ts";
import { compileActionNames } from "../../compiler/passes/compile-action-names.ts";
import { runPipeline } from "../../compiler/pipeline.ts";
import { compileStrings } from "../support/compile.ts";

const DOMAIN = `
responses:
  utter_fa:
    - text: fa
`;

function flowWith(...actions: string[]): string {
  return `flows:\n  fa:\n    description: Renders names.\n    steps:\n${actions.map((a) => `      - action: ${a}\n`).join("")}`;
}

/** The compiled name of the flow's only step, as a function of the context. */
function compiled(name: string): (context: Readonly<Record<string, unknown>>) => string {
  const result = runPipeline({ inputs: [{ path: "domain.yml", text: DOMAIN }, { path: "flows.yml", text: flowWith(JSON.stringify(name)) }], env: {} });
  expect(result.diagnostics.all.filter((d) => d.severity === "error")).toEqual([]);
  const names = [...result.actionNames!.values()];
  expect(names).toHaveLength(1);
  const body = names[0]!.code.lines.join("\n");
  return new Function("$t", `return function (context) {\n${body}\n};`)(templates) as (context: Readonly<Record<string, unknown>>) => string;
}

describe("which names the runtime renders without a compiled template", () => {
  it("takes text and bare holes as they are", () => {
    for (const name of ["utter_greet", "validate_{{context.collect}}", "{{ context.utter }}", "utter_{context.x}", "a}}b", "x{{context.a}}_{{context.b}}y"]) expect(rendersWithoutTemplate(name), name).toBe(true);
  });

  it("leaves any other Jinja to a compiled template", () => {
    for (const name of ["utter_{{context.flow_id|upper}}", "{{context.a.b}}", "{{context.x ~ '_y'}}", "a{% if context.x %}b{% endif %}", "a{# c #}", "{{context.x}}\n", "a\rb", "{{{context.x}}}", "{{- context.x }}"]) {
      expect(rendersWithoutTemplate(name), name).toBe(false);
    }
  });

  it("compiles only the names that need it, the default patterns' bare holes not", () => {
    const result = runPipeline({ inputs: [{ path: "domain.yml", text: DOMAIN }, { path: "flows.yml", text: flowWith("utter_{{context.flow_id}}", '"utter_{{context.flow_id|lower}}"') }], env: {} });
    expect([...result.actionNames!.values()].map((c) => c.source)).toEqual(["utter_{{context.flow_id|lower}}"]);
    expect(compileActionNames(result.assistant!.flows.filter((f) => f.isPattern), result.diagnostics).size).toBe(0);
  });
});

describe("the compiled name", () => {
  it("renders filters, concatenation, attributes, methods and blocks as Jinja does", () => {
    const context = { flow_id: "fa", frame_type: "regular" };
    expect(compiled("utter_{{context.flow_id|upper}}")(context)).toBe("utter_FA");
    expect(compiled("utter_{{context.flow_id ~ '_x'}}")(context)).toBe("utter_fa_x");
    expect(compiled("utter_{{context.flow_id | replace('f', 'g') }}")(context)).toBe("utter_ga");
    expect(compiled("{{context.collect | default('utter_fa') }}")(context)).toBe("utter_fa");
    expect(compiled("utter_{{context.flow_id.missing }}x")(context)).toBe("utter_x");
    expect(compiled("utter_{{context.flow_id.upper() }}")(context)).toBe("utter_FA");
    expect(compiled("utter_{{context.flow_id}}{% if context.collect %}_x{% endif %}")(context)).toBe("utter_fa");
    expect(compiled("utter_{{context.flow_id}}{% if context.collect %}_x{% endif %}")({ ...context, collect: "age" })).toBe("utter_fa_x");
    expect(compiled("utter_{{context.flow_id}}{# note #}\n")(context)).toBe("utter_fa");
    expect(compiled("utter_{{context.flow_id}}{{ slots }}")(context)).toBe("utter_fa");
  });

  it("raises where Jinja raises", () => {
    expect(() => compiled("utter_{{context.nothing.deeper}}")({ flow_id: "fa" })).toThrow(templates.UndefinedError);
    expect(() => compiled("utter_{{context.flow_id}}{{ slots.age }}")({ flow_id: "fa" })).toThrow(templates.UndefinedError);
  });
});

describe("the pass", () => {
  const at = (result: ReturnType<typeof compileStrings>) => result.errors.map((e) => [e.code, e.range?.file.position(e.range.start).line, e.range?.file.position(e.range.start).column]);

  it("reports a construct outside the subset at its line and column, in plain, quoted and block scalars", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: flowWith("utter_{{context.flow_id|pprint(2)}}", '"utter_{{context.flow_id ~ (\\"x\\" | random)}}"', "|\n          utter_{{context.flow_id}}\n          {{ context.flow_id is sameas none }}"),
    });
    expect(at(result)).toEqual([
      ["FLW1064", 5, 48],
      ["FLW1064", 6, 53],
      ["FLW1064", 9, 33],
    ]);
    expect(result.errors[0]!.message).toContain("the action name `utter_{{context.flow_id|pprint(2)}}`");
    expect(result.errors[0]!.message).toContain("a first argument to the filter `pprint` is not supported");
    expect(result.errors[0]!.flow).toBe("fa");
  });

  it("reports a template Jinja refuses as FLW1063", () => {
    const result = compileStrings({ domain: DOMAIN, flows: flowWith('"utter_{{context.flow_id}}{% endif %}"') });
    expect(at(result)).toEqual([["FLW1063", 5, 46]]);
  });
});
