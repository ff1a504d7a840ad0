/**
 * A flow module writes its steps as a table of JSON rows, each in a string literal
 * (compiler/emit/emit-flow-module.ts, runtime/define-flow.ts). Texts with characters a
 * string literal or JSON treats specially, and values JSON cannot write, must come back exactly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";
import { jsonLine } from "../../compiler/emit/emit-flow-module.ts";
import type { CollectStep, CompiledAssistant, SetSlotsStep, Step } from "../../runtime/model.ts";

const folder = mkdtempSync(join(tmpdir(), "flowc-step-table-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

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
          - floor: -0
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
