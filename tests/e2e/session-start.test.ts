/**
 * `flowc test` and the session's start: as Rasa's runner (fetch_tracker_with_initial_session,
 * then set_up_fixtures), each test case first runs `action_session_start` — the assistant's own
 * when the domain lists it, through its stub — then sets the fixtures' slots, then sends the
 * messages; the steps before the first user step are checked against that start (turn -1).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { project, run } from "../support/cli.ts";
import { temporaryFolder } from "../support/temp.ts";

const HERE = join(import.meta.dirname, "session-start");
const DOMAIN = readFileSync(join(HERE, "domain.yml"), "utf8");
const FLOWS = readFileSync(join(HERE, "flows.yml"), "utf8");
const TESTS = readFileSync(join(HERE, "tests.yml"), "utf8");

const scratch = temporaryFolder("flowc-session-start-");

interface Report {
  readonly test_cases: { name: string; passed: boolean; failures: { step: number; line: number; expected: string; actual: string; note?: string; trace?: { step: number; bot: unknown[] } }[] }[];
}

async function flowcTest(files: Record<string, string>): Promise<{ code: number; report: Report; trace: { test_case: string; step: number; actions: string[]; bot: unknown[]; slots: Record<string, unknown> }[] }> {
  const dir = project(files);
  const traceFile = join(scratch, `trace-${Math.random().toString(36).slice(2)}.jsonl`);
  const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json", "--trace", traceFile], dir);
  const trace = readFileSync(traceFile, "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
  return { code: result.code, report: JSON.parse(result.out) as Report, trace };
}

describe("flowc test with the assistant's own action_session_start", () => {
  it("runs its stub before the first message: the steps before the first user step see its message and slot, and a later branch its slot", async () => {
    const { code, report } = await flowcTest({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/tests.yml": TESTS });
    expect(report.test_cases.map((t) => [t.name, t.passed, t.failures])).toEqual([
      ["the_session_start_sets_the_tier_before_the_first_message", true, []],
      ["fixtures_come_after_the_session_start", true, []],
      ["a session start that sets nothing", true, []],
    ]);
    expect(code).toBe(0);
  });

  it("traces the session's start as step -1, with the slots after the fixtures, before the user steps", async () => {
    const { trace } = await flowcTest({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/tests.yml": TESTS });
    expect(trace.map((line) => [line.test_case, line.step])).toEqual([
      ["the_session_start_sets_the_tier_before_the_first_message", -1],
      ["the_session_start_sets_the_tier_before_the_first_message", 0],
      ["fixtures_come_after_the_session_start", -1],
      ["fixtures_come_after_the_session_start", 0],
      ["a session start that sets nothing", -1],
      ["a session start that sets nothing", 0],
    ]);
    expect(trace[0]).toMatchObject({ user: "", commands: [], actions: ["action_session_start", "action_listen"], bot: [{ text: "Welcome back!" }], slots: { tier: "gold" }, stack: [] });
    expect(trace[2]).toMatchObject({ bot: [{ text: "Welcome back!" }], slots: { tier: "basic" } });
    expect(trace[4]).toMatchObject({ bot: [], slots: { tier: null } });
  });

  it("reports a step before the first user step that the session's start does not meet, with its trace", async () => {
    const tests = `stub_custom_actions:
  action_session_start:
    events: [{event: slot, name: tier, value: gold}]
    responses: [{text: "Welcome back!"}]
test_cases:
  - test_case: wrong_greeting
    steps:
      - bot: "Goodbye!"
      - slot_was_set:
          - tier: basic
      - user: help
        commands: [start flow help]
`;
    const { code, report } = await flowcTest({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/tests.yml": tests });
    expect(code).toBe(1);
    const failures = report.test_cases[0]!.failures;
    expect(failures.map((f) => [f.step, f.line])).toEqual([[-1, 8], [-1, 9]]);
    expect(failures[0]!.actual).toContain("Welcome back!");
    expect(failures[0]!.trace).toMatchObject({ step: -1, bot: [{ text: "Welcome back!" }] });
    expect(failures[0]!.note).toContain("action_session_start");
  });

  it("leaves a test case's session start alone when the domain does not list action_session_start: a stub of it is not run, and nothing is traced", async () => {
    const domain = DOMAIN.replace("actions:\n  - action_session_start\n", "");
    const { code, report, trace } = await flowcTest({ "domain.yml": domain, "flows.yml": FLOWS, "e2e/tests.yml": TESTS });
    expect(code).toBe(1);
    expect(report.test_cases.map((t) => t.passed)).toEqual([false, true, true]);
    expect(report.test_cases[0]!.failures.map((f) => f.step)).toEqual([-1, -1, 0]);
    expect(trace.map((line) => line.step)).toEqual([0, 0, 0]);
  });
});
