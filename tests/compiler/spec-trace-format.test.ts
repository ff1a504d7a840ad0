/**
 * The step ids of flows-format.md §c.2 as they show at run time: `flowc test --trace` writes the
 * stack after each turn, and a flow frame's `step_id` is the id of the step it stands at, the
 * collect step while its question waits. So the exact default-id scheme (depth-first pre-order,
 * branches in written order, custom-id and empty-id steps, called flows numbered on their own)
 * is visible in the trace as Rasa's tracker would show it. Also the file discovery of §a.1.
 * Expectations from the spec, not from flowc's output.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { main } from "../../compiler/cli.ts";
import { compileStrings } from "../support/compile.ts";
import { temporaryFolder } from "../support/temp.ts";

const DOMAIN = `
slots:
  ok:
    type: bool
    mappings: [{type: from_llm}]
  reason:
    type: text
    mappings: [{type: from_llm}]
  detail:
    type: text
    mappings: [{type: from_llm}]
  name:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_ok: [{text: "ok?"}]
  utter_ask_reason: [{text: "why?"}]
  utter_ask_detail: [{text: "details?"}]
  utter_ask_name: [{text: "name?"}]
  utter_yes: [{text: "yes"}]
  utter_no: [{text: "no"}]
  utter_hi: [{text: "hi"}]
`;

const FLOWS = `
flows:
  check:
    description: Checks, with the else branch written first.
    steps:
      - collect: ok
        next:
          - else:
              - id: ""
                action: utter_no
              - collect: reason
                next: END
          - if: slots.ok
            then:
              - id: thanks
                action: utter_yes
              - collect: detail
                next: END
  parent:
    description: Greets, then calls the child.
    steps:
      - action: utter_hi
      - call: child
  child:
    description: Asks the name and the reason.
    if: False
    steps:
      - collect: name
      - collect: reason
`;

type Frame = Record<string, unknown>;

/** Runs one test case of `commands` per user step and returns the stack after each turn. */
async function stacks(commands: readonly (readonly string[])[]): Promise<Frame[][]> {
  const dir = temporaryFolder("flowc-spec-trace-");
  writeFileSync(join(dir, "domain.yml"), DOMAIN);
  writeFileSync(join(dir, "flows.yml"), FLOWS);
  const steps = commands.map((lines, i) => `      - user: "turn ${i}"\n        commands: [${lines.map((l) => JSON.stringify(l)).join(", ")}]`);
  writeFileSync(join(dir, "tests.yml"), `test_cases:\n  - test_case: ids\n    steps:\n${steps.join("\n")}\n`);
  const out: string[] = [];
  const code = await main(["test", join(dir, "tests.yml"), "--project", join(dir, "domain.yml"), "--project", join(dir, "flows.yml"), "--trace", join(dir, "trace.jsonl")], { out: (t) => out.push(t), err: (t) => out.push(t) });
  expect(code, out.join("\n")).toBe(0);
  return readFileSync(join(dir, "trace.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { stack: Frame[] }).stack);
}

/** The user flows' frames as `flow@step (frame type)`, patterns left out. */
function userFrames(stack: readonly Frame[]): string[] {
  return stack.filter((frame) => frame["type"] === "flow").map((frame) => `${String(frame["flow_id"])}@${String(frame["step_id"])} (${String(frame["frame_type"])})`);
}

describe("step ids in the trace (flows-format.md §c.2)", () => {
  it("numbers an else written first before the then steps, and an empty id gets the default id", async () => {
    // §c.2: 0 check_0_collect_ok, else list 1 (id "" -> check_1_utter_no), 2 check_2_collect_reason,
    // then list 3 thanks (custom id, index consumed), 4 check_4_collect_detail.
    const [first, second] = await stacks([["start flow check"], ["set slot ok false"]]);
    expect(userFrames(first!)).toEqual(["check@check_0_collect_ok (regular)"]);
    expect(userFrames(second!)).toEqual(["check@check_2_collect_reason (regular)"]);
    const [, yes] = await stacks([["start flow check"], ["set slot ok true"]]);
    expect(userFrames(yes!)).toEqual(["check@check_4_collect_detail (regular)"]);
    const compiled = compileStrings({ domain: DOMAIN, flows: FLOWS });
    expect(compiled.errors).toEqual([]);
    expect(compiled.assistant?.flowsById.get("check")?.steps.map((step) => step.id)).toEqual(["check_0_collect_ok", "check_1_utter_no", "check_2_collect_reason", "thanks", "check_4_collect_detail"]);
  });

  it("numbers a called flow on its own and keeps the parent at its call step", async () => {
    // §c.2 "Steps of called flows are **not** included": child_0_collect_name, child_1_collect_reason;
    // the parent waits at parent_1_call_child (§c.7 call: the child frame is pushed).
    const [first, second] = await stacks([["start flow parent"], ["set slot name Ann"]]);
    expect(userFrames(first!)).toEqual(["parent@parent_1_call_child (regular)", "child@child_0_collect_name (call)"]);
    expect(userFrames(second!)).toEqual(["parent@parent_1_call_child (regular)", "child@child_1_collect_reason (call)"]);
  });
});

describe("which files are flows files (flows-format.md §a.1)", () => {
  it("reads files ending in .yml or .yaml under a folder, in that case only", () => {
    // §a.1 "A file counts as a flows file when it has a YAML extension (`.yml` / `.yaml`)";
    // Rasa's rasa/shared/data.py is_likely_yaml_file compares Path(...).suffix with ".yml" and
    // ".yaml" as they are, so `extra.YML` is not read and its (broken) flow is not seen.
    const dir = temporaryFolder("flowc-spec-files-");
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "domain.yml"), DOMAIN);
    writeFileSync(join(dir, "data", "flows.yaml"), FLOWS);
    writeFileSync(join(dir, "data", "extra.YML"), "flows:\n  broken:\n    description: Broken.\n    steps: []\n");
    const result = compileFlows({ paths: ["."], cwd: dir, env: {} });
    expect(result.errors).toEqual([]);
    expect(result.assistant?.flows.filter((flow) => !flow.isPattern).map((flow) => flow.id)).toEqual(["check", "parent", "child"]);
  });
});
