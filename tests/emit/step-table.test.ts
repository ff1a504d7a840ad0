/**
 * A flow module writes its steps as a table of JSON rows, each in a string literal
 * (compiler/emit/emit-flow-module.ts, runtime/define-flow.ts). Texts with characters a
 * string literal or JSON treats specially, and values JSON cannot write, must come back exactly,
 * and so must the step ids a row leaves out because they are Rasa's generated ones.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileFlows } from "../../compiler/api.ts";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";
import { jsonLine } from "../../compiler/emit/emit-flow-module.ts";
import type { CollectStep, CompiledAssistant, SetSlotsStep, Step } from "../../runtime/model.ts";
import { temporaryFolder } from "../support/temp.ts";

const folder = temporaryFolder("flowc-step-table-");

const DOMAIN = `
slots:
  code:
    type: text
    mappings: [{type: from_llm}]
  limit:
    type: any
    mappings: [{type: controlled}]
  floor:
    type: any
    mappings: [{type: controlled}]
  range:
    type: any
    mappings: [{type: controlled}]
  nothing:
    type: any
    mappings: [{type: controlled}]
  note:
    type: text
    mappings: [{type: controlled}]
responses:
  utter_ask_code:
    - text: "Which code?"
  utter_bad_code:
    - text: "Not a code."
`;

const FLOWS = `
flows:
  odd:
    description: Texts with odd characters.
    steps:
      - collect: code
        description: "a \`code\` like \${x}, with \\"quotes\\", 'single', a back\\\\slash, caf\u00e9 and \u{1F600}"
        rejections:
          - if: 'not slots.code matches "^[A-Z]\\d+$"'
            utter: utter_bad_code
      - set_slots:
          - limit: .inf
          - floor: -0.0 # -0 is the integer 0 to Rasa; the float keeps its sign
          - range: [1, .nan]
          - nothing: null
          - note: "\`\${}\` \\\\u0060"
`;

async function load(): Promise<CompiledAssistant> {
  writeFileSync(join(folder, "domain.yml"), DOMAIN);
  writeFileSync(join(folder, "flows.yml"), FLOWS);
  const loaded = await loadAssistant([folder], folder);
  if (!loaded.compiled) throw new Error(loaded.compile.errors.map((e) => e.message).join("\n"));
  return loaded.compiled;
}

const compiled = await load();
const steps = Object.values<Step>(compiled.flows.odd!.steps);

describe("the step table of a flow module", () => {
  it("keeps texts with backticks, ${, quotes, backslashes and characters outside ASCII", () => {
    const collect = steps[0] as CollectStep;
    expect(collect.description).toBe('a `code` like ${x}, with "quotes", \'single\', a back\\slash, caf\u00e9 and \u{1F600}');
    expect(collect.rejections.map((r) => r.condition.source)).toEqual(['not slots.code matches "^[A-Z]\\d+$"']);
  });

  it("runs the compiled rejection test the row names", () => {
    const test = (steps[0] as CollectStep).rejections[0]!.condition.test;
    expect(test({ code: "A12" })).toBe(false);
    expect(test({ code: "a12" })).toBe(true);
  });

  it("keeps set_slots values JSON cannot write", () => {
    const values = (steps[1] as SetSlotsStep).slots;
    expect(values.map((s) => s.slot)).toEqual(["limit", "floor", "range", "nothing", "note"]);
    expect(values[0]!.value).toBe(Infinity);
    expect(Object.is(values[1]!.value, -0)).toBe(true);
    expect(values[2]!.value).toEqual([1, NaN]);
    expect(values[3]!.value).toBeNull();
    expect(values[4]!.value).toBe("`${}` \\u0060");
  });

  it("gives each step its line and the step on the next row as its next", () => {
    expect(steps.map((s) => s.location)).toEqual([expect.stringMatching(/flows\.yml:6$/), expect.stringMatching(/flows\.yml:11$/)]);
    expect((steps[0] as CollectStep).next).toEqual({ kind: "static", to: steps[1]!.id });
    expect((steps[1] as SetSlotsStep).next).toEqual({ kind: "static", to: "END" });
  });
});

describe("jsonLine, the writer of a row", () => {
  // What a row is meant to be: JSON.stringify's text with its layout line breaks taken out
  // (a string's own line breaks are escapes), every non-ASCII code unit as a \u escape.
  const reference = (value: unknown): string =>
    JSON.stringify(value, null, 1)
      .replace(/,\n */g, ", ")
      .replace(/\n */g, "")
      .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

  it("writes what JSON.stringify writes, on one line and in ASCII", () => {
    const values = fc.dictionary(fc.string({ unit: "binary" }), fc.anything({ stringUnit: "binary", withNullPrototype: true }));
    fc.assert(
      fc.property(values, (row) => {
        expect(jsonLine(row)).toBe(reference(row));
      }),
      { numRuns: 500 },
    );
  });

  it("reads back as the same value", () => {
    const row = { id: "ask_💶", line: 3, next: [{ if: "slots.x = 'é'", then: "END" }, { else: "a\nb" }], skipped: undefined, list: [undefined, null, "\u2028"] };
    expect(JSON.parse(jsonLine(row))).toEqual({ id: "ask_💶", line: 3, next: [{ if: "slots.x = 'é'", then: "END" }, { else: "a\nb" }], list: [null, null, "\u2028"] });
    expect(jsonLine(row)).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe("the step ids of a step table", () => {
  it("gives a row without an id Rasa's generated id for its position, nested steps numbered after their parent", async () => {
    const dir = temporaryFolder("flowc-step-ids-");
    writeFileSync(join(dir, "domain.yml"), DOMAIN);
    writeFileSync(
      join(dir, "flows.yml"),
      `
flows:
  ids:
    description: Generated and written ids.
    steps:
      - collect: code
        next:
          - if: slots.code is null
            then:
              - action: utter_bad_code
              - set_slots:
                  - note: none
                next: END
          - else: done
      - id: done
        action: utter_ask_code
      - id: ids_4_noop
        noop: true
        next: ids_9_noop
      - id: ids_9_noop
        action: utter_bad_code
`,
    );
    const loaded = await loadAssistant([dir], dir);
    if (!loaded.compiled) throw new Error(loaded.compile.errors.map((e) => `${e.code} ${e.message}`).join("\n"));
    const flow = loaded.compiled.flows.ids!;
    expect(Object.keys(flow.steps)).toEqual(["ids_0_collect_code", "ids_1_utter_bad_code", "ids_2_set_slots", "done", "ids_4_noop", "ids_9_noop"]);
    expect(Object.values<Step>(flow.steps).map((s) => s.id)).toEqual(Object.keys(flow.steps));
    expect((flow.steps["ids_1_utter_bad_code" as never] as Step).kind).toBe("action");
    expect(flow.start).toBe("ids_0_collect_code");
    const module = compileFlows({ paths: [dir], cwd: dir, outDir: "out" }).outputFiles.find((f) => f.path === "flows/ids.ts")!.text;
    const rows = module.split("\n").filter((line) => line.trimStart().startsWith(`'{"`));
    expect(rows.map((row) => /"id": "(\w+)"/.exec(row)?.[1])).toEqual([undefined, undefined, undefined, "done", undefined, "ids_9_noop"]);
    expect((flow.steps["done" as never] as Step & { next: unknown }).next).toEqual({ kind: "static", to: "ids_4_noop" });
    expect((flow.steps["ids_4_noop" as never] as Step & { next: unknown }).next).toEqual({ kind: "static", to: "ids_9_noop" });
  });
});
