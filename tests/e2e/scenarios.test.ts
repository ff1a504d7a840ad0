/**
 * The runtime scenarios (../shared/runtime/scenarios.yml, and the audit's own
 * more-scenarios.yml beside this file, same format) run through `flowc test`: each
 * scenario becomes a project folder (domain.yml + flows.yml) and an e2e test file with one
 * test case whose user steps carry the scenario's commands, per-step stubs and expected bot
 * messages; then every `--trace` line is compared with the turn's `expect` (actions, bot
 * message names, the listed slots with floats compared numerically, stack flow ids, and the
 * message texts when `bot_texts` lists them).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../compiler/cli.ts";
import type { TraceLine } from "../../compiler/e2e/trace-line.ts";
import { readShared } from "./../support/shared.ts";

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
  ["tests/e2e/more-scenarios.yml", readFileSync(new URL("./more-scenarios.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-2.yml", readFileSync(new URL("./more-scenarios-2.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-3.yml", readFileSync(new URL("./more-scenarios-3.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-4.yml", readFileSync(new URL("./more-scenarios-4.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-5.yml", readFileSync(new URL("./more-scenarios-5.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-6.yml", readFileSync(new URL("./more-scenarios-6.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-7.yml", readFileSync(new URL("./more-scenarios-7.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-8.yml", readFileSync(new URL("./more-scenarios-8.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-9.yml", readFileSync(new URL("./more-scenarios-9.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-10.yml", readFileSync(new URL("./more-scenarios-10.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-11.yml", readFileSync(new URL("./more-scenarios-11.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-12.yml", readFileSync(new URL("./more-scenarios-12.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-13.yml", readFileSync(new URL("./more-scenarios-13.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-14.yml", readFileSync(new URL("./more-scenarios-14.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-16.yml", readFileSync(new URL("./more-scenarios-16.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-17.yml", readFileSync(new URL("./more-scenarios-17.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-18.yml", readFileSync(new URL("./more-scenarios-18.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-20.yml", readFileSync(new URL("./more-scenarios-20.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-21.yml", readFileSync(new URL("./more-scenarios-21.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-22.yml", readFileSync(new URL("./more-scenarios-22.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-23.yml", readFileSync(new URL("./more-scenarios-23.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-24.yml", readFileSync(new URL("./more-scenarios-24.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-25.yml", readFileSync(new URL("./more-scenarios-25.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-26.yml", readFileSync(new URL("./more-scenarios-26.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-27.yml", readFileSync(new URL("./more-scenarios-27.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-28.yml", readFileSync(new URL("./more-scenarios-28.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-29.yml", readFileSync(new URL("./more-scenarios-29.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-30.yml", readFileSync(new URL("./more-scenarios-30.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-31.yml", readFileSync(new URL("./more-scenarios-31.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-32.yml", readFileSync(new URL("./more-scenarios-32.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-33.yml", readFileSync(new URL("./more-scenarios-33.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-34.yml", readFileSync(new URL("./more-scenarios-34.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-35.yml", readFileSync(new URL("./more-scenarios-35.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-36.yml", readFileSync(new URL("./more-scenarios-36.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-37.yml", readFileSync(new URL("./more-scenarios-37.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-38.yml", readFileSync(new URL("./more-scenarios-38.yml", import.meta.url), "utf8")],
  ["tests/e2e/more-scenarios-39.yml", readFileSync(new URL("./more-scenarios-39.yml", import.meta.url), "utf8")],
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

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe.each(SCENARIO_FILES)("runtime scenarios of %s through flowc test", (_file, text) => {
  for (const scenario of load(text, { schema: CORE_SCHEMA }) as Scenario[]) {
    it(scenario.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), "flowc-scenario-"));
      folders.push(dir);
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
