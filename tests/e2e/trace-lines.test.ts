/**
 * `flowc test --trace` end to end on a compiled assistant (design §3.3): one JSON line per user
 * step with exactly the documented keys, the commands as Rasa stores them, every executed action
 * ending with action_listen, the messages with response names and texts, every slot after the
 * turn, and the stack bottom to top with Rasa's frame fields and generated step ids
 * (flows-format.md §c.2) but no frame ids. The assistant is the shared one of more-scenarios.yml.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { main } from "../../compiler/cli.ts";
import { temporaryFolder } from "../support/temp.ts";

const [shared] = load(readFileSync(new URL("./more-scenarios.yml", import.meta.url), "utf8"), { schema: CORE_SCHEMA }) as { domain: string; flows: string }[];
const dir = temporaryFolder("flowc-trace-");

const TESTS = `
test_cases:
  - test_case: profile_update
    steps:
      - user: I am Ann and want to update my profile
        commands:
          - start flow profile
          - set slot name Ann
      - utter: utter_ask_city
      - user: Rome
        commands:
          - set slot city Rome
      - utter: utter_done
      - utter: utter_can_do_something_else
`;

async function traceLines(): Promise<{ code: number; out: string; lines: Record<string, unknown>[] }> {
  writeFileSync(join(dir, "domain.yml"), shared!.domain);
  writeFileSync(join(dir, "flows.yml"), shared!.flows);
  writeFileSync(join(dir, "tests.yml"), TESTS);
  const out: string[] = [];
  const code = await main(["test", join(dir, "tests.yml"), "--project", join(dir, "domain.yml"), "--project", join(dir, "flows.yml"), "--trace", join(dir, "trace.jsonl")], { out: (t) => out.push(t), err: (t) => out.push(t) });
  const lines = readFileSync(join(dir, "trace.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, out: out.join("\n"), lines };
}

describe("trace lines of flowc test (design §3.3)", () => {
  it("writes one line per user step with the documented keys, in order", async () => {
    const { code, out, lines } = await traceLines();
    expect(code, out).toBe(0);
    expect(out).toContain("1 passed, 0 failed");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(Object.keys(line)).toEqual(["test_case", "step", "user", "commands", "actions", "bot", "slots", "stack"]);
    expect(lines.map((line) => [line["test_case"], line["step"], line["user"]])).toEqual([
      ["profile_update", 0, "I am Ann and want to update my profile"],
      ["profile_update", 1, "Rome"],
    ]);
  });

  it("shows the turn's commands, actions, messages, slots and stack", async () => {
    const [first, second] = (await traceLines()).lines;
    expect(first!["commands"]).toEqual([
      { command: "start flow", flow: "profile" },
      { command: "set slot", name: "name", value: "Ann", extractor: "LLM" },
    ]);
    expect(first!["actions"]).toEqual(["action_run_slot_rejections", "action_run_slot_rejections", "utter_ask_city", "action_listen"]);
    expect(first!["bot"]).toEqual([{ response: "utter_ask_city", text: "Which city?" }]);
    // every slot of the domain after the turn, initial values included
    const slots = first!["slots"] as Record<string, unknown>;
    for (const name of ["name", "city", "note", "amount", "confirm", "size", "account", "level", "status"]) expect(Object.hasOwn(slots, name)).toBe(true);
    expect(slots).toMatchObject({ name: "Ann", city: null, level: 1 });
    expect(first!["stack"]).toEqual([
      { flow_id: "profile", step_id: "profile_1_collect_city", type: "flow", frame_type: "regular" },
      {
        flow_id: "pattern_collect_information",
        step_id: "pattern_collect_information_4_action_listen",
        type: "pattern_collect_information",
        collect: "city",
        utter: "utter_ask_city",
        collect_action: "action_ask_city",
        rejections: [],
      },
    ]);
    expect(second!["actions"]).toEqual(["action_run_slot_rejections", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect((second!["bot"] as { response?: string }[]).map((message) => message.response)).toEqual(["utter_done", "utter_can_do_something_else"]);
    expect(second!["slots"]).toMatchObject({ name: null, city: null });
    expect(second!["stack"]).toEqual([]);
  });
});
