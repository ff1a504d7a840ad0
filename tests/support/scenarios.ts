/**
 * The runtime scenarios (../shared/runtime/scenarios.yml, and the audit's own
 * tests/e2e/more-scenarios*.yml, same format) run through `flowc test`: each scenario becomes a
 * project folder (domain.yml + flows.yml) and an e2e test file with one test case whose user
 * steps carry the scenario's commands, per-step stubs and expected bot messages; then every
 * `--trace` line is compared with the turn's `expect` (actions, bot message names, the listed
 * slots with floats compared numerically, stack flow ids, and the message texts when
 * `bot_texts` lists them). The test files tests/e2e/scenarios-*.test.ts each run a shard.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { main } from "../../compiler/cli.ts";
import type { TraceLine } from "../../compiler/e2e/trace-line.ts";
import { readShared } from "./shared.ts";
import { temporaryFolder } from "./temp.ts";

/** A scenario file of tests/e2e/. */
function e2eFile(name: string): string {
  return readFileSync(new URL(`../e2e/${name}`, import.meta.url), "utf8");
}

interface ScenarioTurn {
  readonly commands: readonly string[];
  readonly stub_actions?: Readonly<Record<string, { readonly slots?: Readonly<Record<string, unknown>> }>>;
  readonly expect: {
    readonly actions: readonly string[];
    readonly bot_messages?: readonly string[];
    /** The texts of all messages of the turn, in order (null for a message without text); checked only when given. */
    readonly bot_texts?: readonly (string | null)[];
    readonly slots?: Readonly<Record<string, unknown>>;
    readonly stack?: readonly string[];
  };
}

interface Scenario {
  readonly name: string;
  readonly domain: string;
  readonly flows: string;
  readonly turns: readonly ScenarioTurn[];
}

const SCENARIO_FILES: readonly (readonly [string, string])[] = [
  ["runtime/scenarios.yml", readShared("runtime/scenarios.yml")],
  ["tests/e2e/more-scenarios.yml", e2eFile("more-scenarios.yml")],
  ["tests/e2e/more-scenarios-2.yml", e2eFile("more-scenarios-2.yml")],
  ["tests/e2e/more-scenarios-3.yml", e2eFile("more-scenarios-3.yml")],
  ["tests/e2e/more-scenarios-4.yml", e2eFile("more-scenarios-4.yml")],
  ["tests/e2e/more-scenarios-5.yml", e2eFile("more-scenarios-5.yml")],
  ["tests/e2e/more-scenarios-6.yml", e2eFile("more-scenarios-6.yml")],
  ["tests/e2e/more-scenarios-7.yml", e2eFile("more-scenarios-7.yml")],
  ["tests/e2e/more-scenarios-8.yml", e2eFile("more-scenarios-8.yml")],
  ["tests/e2e/more-scenarios-9.yml", e2eFile("more-scenarios-9.yml")],
  ["tests/e2e/more-scenarios-10.yml", e2eFile("more-scenarios-10.yml")],
  ["tests/e2e/more-scenarios-11.yml", e2eFile("more-scenarios-11.yml")],
  ["tests/e2e/more-scenarios-12.yml", e2eFile("more-scenarios-12.yml")],
  ["tests/e2e/more-scenarios-13.yml", e2eFile("more-scenarios-13.yml")],
  ["tests/e2e/more-scenarios-14.yml", e2eFile("more-scenarios-14.yml")],
  ["tests/e2e/more-scenarios-16.yml", e2eFile("more-scenarios-16.yml")],
  ["tests/e2e/more-scenarios-17.yml", e2eFile("more-scenarios-17.yml")],
  ["tests/e2e/more-scenarios-18.yml", e2eFile("more-scenarios-18.yml")],
  ["tests/e2e/more-scenarios-20.yml", e2eFile("more-scenarios-20.yml")],
  ["tests/e2e/more-scenarios-21.yml", e2eFile("more-scenarios-21.yml")],
  ["tests/e2e/more-scenarios-22.yml", e2eFile("more-scenarios-22.yml")],
  ["tests/e2e/more-scenarios-23.yml", e2eFile("more-scenarios-23.yml")],
  ["tests/e2e/more-scenarios-24.yml", e2eFile("more-scenarios-24.yml")],
  ["tests/e2e/more-scenarios-25.yml", e2eFile("more-scenarios-25.yml")],
  ["tests/e2e/more-scenarios-26.yml", e2eFile("more-scenarios-26.yml")],
  ["tests/e2e/more-scenarios-27.yml", e2eFile("more-scenarios-27.yml")],
  ["tests/e2e/more-scenarios-28.yml", e2eFile("more-scenarios-28.yml")],
  ["tests/e2e/more-scenarios-29.yml", e2eFile("more-scenarios-29.yml")],
  ["tests/e2e/more-scenarios-30.yml", e2eFile("more-scenarios-30.yml")],
  ["tests/e2e/more-scenarios-31.yml", e2eFile("more-scenarios-31.yml")],
  ["tests/e2e/more-scenarios-32.yml", e2eFile("more-scenarios-32.yml")],
  ["tests/e2e/more-scenarios-33.yml", e2eFile("more-scenarios-33.yml")],
  ["tests/e2e/more-scenarios-34.yml", e2eFile("more-scenarios-34.yml")],
  ["tests/e2e/more-scenarios-35.yml", e2eFile("more-scenarios-35.yml")],
  ["tests/e2e/more-scenarios-36.yml", e2eFile("more-scenarios-36.yml")],
  ["tests/e2e/more-scenarios-37.yml", e2eFile("more-scenarios-37.yml")],
  ["tests/e2e/more-scenarios-38.yml", e2eFile("more-scenarios-38.yml")],
  ["tests/e2e/more-scenarios-39.yml", e2eFile("more-scenarios-39.yml")],
  ["tests/e2e/more-scenarios-40.yml", e2eFile("more-scenarios-40.yml")],
  ["tests/e2e/more-scenarios-41.yml", e2eFile("more-scenarios-41.yml")],
];

function expectedMessages(turn: ScenarioTurn): readonly string[] {
  return turn.expect.bot_messages ?? turn.expect.actions.filter((action) => action.startsWith("utter_"));
}

/** The scenario as an e2e test file (design §3.2) with one test case. */
function testFile(scenario: Scenario): string {
  const steps: unknown[] = [];
  for (const turn of scenario.turns) {
    const step: Record<string, unknown> = { user: turn.commands.join("; ") || "(no commands)", commands: [...turn.commands] };
    if (turn.stub_actions) {
      const stubs: Record<string, unknown> = {};
      for (const [action, stub] of Object.entries(turn.stub_actions)) {
        stubs[action] = { events: Object.entries(stub.slots ?? {}).map(([name, value]) => ({ event: "slot", name, value })) };
      }
      step["stub_custom_actions"] = stubs;
    }
    steps.push(step);
    for (const response of expectedMessages(turn)) steps.push({ utter: response });
  }
  return dump({ test_cases: [{ test_case: scenario.name, steps }] }, { lineWidth: -1 });
}

/** What the comparison looks at in a trace line, and the same shape for the expectation. */
function observed(line: TraceLine, turn: ScenarioTurn) {
  return {
    actions: line.actions,
    bot: line.bot.map((message) => message.response ?? null),
    slots: Object.fromEntries(Object.keys(turn.expect.slots ?? {}).map((name) => [name, line.slots[name] ?? null])),
    ...(turn.expect.stack ? { stack: line.stack.map((frame) => frame["flow_id"]) } : {}),
    ...(turn.expect.bot_texts ? { texts: line.bot.map((message) => message.text ?? null) } : {}),
  };
}

function expected(turn: ScenarioTurn) {
  const slots = Object.entries(turn.expect.slots ?? {}).map(([name, value]) => [name, typeof value === "number" ? expect.closeTo(value, 9) : value]);
  return {
    actions: turn.expect.actions,
    bot: expectedMessages(turn),
    slots: Object.fromEntries(slots),
    ...(turn.expect.stack ? { stack: turn.expect.stack } : {}),
    ...(turn.expect.bot_texts ? { texts: turn.expect.bot_texts } : {}),
  };
}

/**
 * Scenarios whose assistant flowc rejects at compile time, with the code it reports. Rasa's
 * `rasa data validate` rejects them too (the rule is named in the catalogue); the run-time
 * behaviour the scenario describes is tested on the runtime directly (tests/runtime/turn.test.ts).
 */
const REJECTED_AT_COMPILE_TIME: Readonly<Record<string, string>> = {
  collect_without_any_way_to_ask_is_internal_error: "FLW2016",
};

/**
 * Declares the tests of shard `shard` (0-based) of `shards`: every `shards`-th scenario file.
 * Each scenario compiles and loads its own assistant (about half a second), and vitest runs a
 * test file on one worker: split into several files, the scenarios run on every core.
 */
export function describeScenarios(shard: number, shards: number): void {
  const files = SCENARIO_FILES.filter((_entry, i) => i % shards === shard);
  describe.each(files)("runtime scenarios of %s through flowc test", (_file, text) => {
    for (const scenario of load(text, { schema: CORE_SCHEMA }) as Scenario[]) {
      it(scenario.name, async () => {
        const dir = temporaryFolder("flowc-scenario-");
        writeFileSync(join(dir, "domain.yml"), scenario.domain);
        writeFileSync(join(dir, "flows.yml"), scenario.flows);
        const file = join(dir, "scenario.e2e.yml");
        writeFileSync(file, testFile(scenario));
        const traceFile = join(dir, "trace.jsonl");
        const out: string[] = [];
        const code = await main(["test", file, "--project", join(dir, "domain.yml"), "--project", join(dir, "flows.yml"), "--trace", traceFile], { out: (t) => out.push(t), err: (t) => out.push(t) });
        const rejection = REJECTED_AT_COMPILE_TIME[scenario.name];
        if (rejection) {
          expect(code).toBe(2);
          expect(out.join("\n")).toContain(rejection);
          return;
        }
        expect(code, out.join("\n")).not.toBe(2);
        const lines = readFileSync(traceFile, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as TraceLine);
        const actual = scenario.turns.map((turn, i) => (lines[i] ? observed(lines[i], turn) : "no trace line (the turn did not run)"));
        expect(actual, out.join("\n")).toEqual(scenario.turns.map(expected));
        expect(code, out.join("\n")).toBe(0);
      });
    }
  });
}
