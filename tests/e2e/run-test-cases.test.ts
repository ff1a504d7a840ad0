/**
 * The e2e runner against a hand-written fake assistant (the engine is tested on its own):
 * what each turn receives (commands, message, stubs in order of precedence, fixtures), what
 * the trace lines hold, and how a failing or crashing turn is reported.
 */
import { describe, expect, it } from "vitest";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { formatResultsText, resultsJson } from "../../compiler/e2e/report.ts";
import { runTestCases } from "../../compiler/e2e/run-test-cases.ts";
import type { TraceLine } from "../../compiler/e2e/trace-line.ts";
import type { Assistant, TurnOptions, TurnResult } from "../../runtime/assistant.ts";
import type { Command } from "../../runtime/commands.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import type { ConversationState } from "../../runtime/state.ts";

interface Call {
  readonly lines: readonly string[];
  readonly message: string | undefined;
  readonly actionResults: Record<string, unknown>;
}

/**
 * A fake assistant: `parseCommands` starts the flow named on a `start flow x` line (else
 * cannot handle); `handle` runs `check_funds` when given, then asks for the amount, puts
 * `transfer_money` on the stack and records what it was given.
 */
function fakeAssistant(calls: Call[], options: { crashOnTurn?: number } = {}): Assistant {
  const initial: ConversationState = { version: 1, assistantHash: "fake", stack: [], flowHashes: {}, slots: { recipient: null, has_funds: null, membership: null }, slotsSet: [], floatSlots: [], specialFloats: {}, nluSlots: [], lastBotTurn: [], collected: [], turns: 0 };
  let lastLines: readonly string[] = [];
  return {
    compiled: { slots: {} } as unknown as CompiledAssistant, // the runner reads the slot table for fixtures: none here
    initialState: () => initial,
    loadState: (json) => json as ConversationState,
    parseCommands: (_state, lines) => {
      lastLines = lines;
      const start = lines.map((line) => /^start flow (\w+)$/.exec(line)?.[1]).find((flow) => flow !== undefined);
      if (lines.length === 0) return [];
      return start ? [{ command: "start flow", flow: start }] : [{ command: "cannot handle", reason: "cannot_handle_default" }];
    },
    startSession: async (state) => ({ state, actions: ["action_session_start", "action_listen"], messages: [], events: [] }),
    handle: async (state: ConversationState, commands: readonly Command[], turn: TurnOptions = {}): Promise<TurnResult> => {
      if (options.crashOnTurn === state.turns) throw new Error("the engine broke");
      const result = (await turn.actions?.["check_funds"]?.({ slots: state.slots })) ?? {};
      calls.push({ lines: lastLines, message: turn.message, actionResults: { check_funds: result } });
      const slots = { ...state.slots, ...(result.slots ?? {}) };
      const messages = [{ response: "utter_ask_amount", text: "How much?" }, ...(result.messages ?? [])];
      const stack = [{ frame_id: "F0000001", type: "flow" as const, flow_id: "transfer_money", step_id: "ask_amount", frame_type: "regular" as const }];
      return {
        state: { ...state, slots, stack, turns: state.turns + 1 },
        actions: ["action_run_slot_rejections", "check_funds", "utter_ask_amount", "action_listen"],
        messages,
        events: Object.entries(result.slots ?? {}).map(([name, value]) => ({ event: "slot" as const, name, value })),
        commands,
      };
    },
  };
}

const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
  low::check_funds:
    events: [{event: slot, name: has_funds, value: false}]
fixtures:
  - gold:
      - membership: gold
test_cases:
  - test_case: happy
    fixtures: [gold]
    steps:
      - user: send money
        commands: [start flow transfer_money]
      - utter: utter_ask_amount
      - user: start flow transfer_money
        stub_custom_actions:
          check_funds:
            responses: [{text: Checked.}]
      - utter: utter_ask_amount
      - bot: Checked.
      - user: nothing
        commands: []
      - utter: utter_ask_amount
  - test_case: low
    steps:
      - user: hi
        commands: [start flow transfer_money]
        assertions:
          - slot_was_set: [{name: has_funds, value: true}]
`;

async function run(text: string, options: { crashOnTurn?: number } = {}) {
  const { suite, problems } = parseTestTexts([{ path: "money.yml", text }]);
  expect(problems).toEqual([]);
  const calls: Call[] = [];
  const trace: TraceLine[] = [];
  const results = await runTestCases(() => fakeAssistant(calls, options), suite, { onTrace: (line) => trace.push(line) });
  return { results, calls, trace };
}

describe("running e2e test cases", () => {
  it("gives each turn its commands, message and the stubs in force", async () => {
    const { calls } = await run(TESTS);
    expect(calls.map((call) => call.lines)).toEqual([["start flow transfer_money"], ["start flow transfer_money"], [], ["start flow transfer_money"]]);
    expect(calls.map((call) => call.message)).toEqual(["send money", "start flow transfer_money", "nothing", "hi"]);
    expect(calls.map((call) => call.actionResults["check_funds"])).toEqual([
      { slots: { has_funds: true }, messages: [] },
      { slots: {}, messages: [{ text: "Checked." }] }, // the step's own stub replaces the file's
      { slots: { has_funds: true }, messages: [] },
      { slots: { has_funds: false }, messages: [] }, // test_case::name wins over name
    ]);
  });

  it("reports each test case and why it failed", async () => {
    const { results } = await run(TESTS);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ["happy", true],
      ["low", false],
    ]);
    // The failing turn's trace line (design §3.3) comes with the failure.
    const trace = {
      test_case: "low",
      step: 0,
      user: "hi",
      commands: [{ command: "start flow", flow: "transfer_money" }],
      actions: ["action_run_slot_rejections", "check_funds", "utter_ask_amount", "action_listen"],
      bot: [{ response: "utter_ask_amount", text: "How much?" }],
      slots: { recipient: null, has_funds: false, membership: null },
      stack: [{ flow_id: "transfer_money", step_id: "ask_amount", type: "flow", frame_type: "regular" }],
    };
    expect(results[1]!.failures).toEqual([{ step: 0, user: "hi", at: expect.objectContaining({ file: "money.yml", line: 30 }), expected: "slot_was_set has_funds=true", actual: "slots set in the turn: has_funds=false", trace }]);
    expect(formatResultsText(results)).toBe(
      [
        "passed: happy",
        "failed: low",
        '  money.yml:30 (step 0, user "hi"):',
        "    expected: slot_was_set has_funds=true",
        "    actual:   slots set in the turn: has_funds=false",
        `    trace:    ${JSON.stringify(trace)}`,
        "1 passed, 1 failed",
      ].join("\n"),
    );
    expect(resultsJson(results)).toMatchObject({ passed: 1, failed: 1, test_cases: [{ name: "happy", passed: true, failures: [] }, { name: "low", file: "money.yml", line: 25, passed: false }] });
  });

  it("writes one trace line per user step, with slots after the turn and frames without ids", async () => {
    const { trace } = await run(TESTS);
    expect(trace.map((line) => [line.test_case, line.step])).toEqual([
      ["happy", 0],
      ["happy", 1],
      ["happy", 2],
      ["low", 0],
    ]);
    expect(trace[1]).toEqual({
      test_case: "happy",
      step: 1,
      user: "start flow transfer_money",
      commands: [{ command: "start flow", flow: "transfer_money" }],
      actions: ["action_run_slot_rejections", "check_funds", "utter_ask_amount", "action_listen"],
      bot: [{ response: "utter_ask_amount", text: "How much?" }, { text: "Checked." }],
      slots: { recipient: null, has_funds: true, membership: "gold" },
      stack: [{ flow_id: "transfer_money", step_id: "ask_amount", type: "flow", frame_type: "regular" }],
    });
    expect(Object.keys(trace[1]!.stack[0]!)).toEqual(["flow_id", "step_id", "type", "frame_type"]);
    expect(trace[2]!.commands).toEqual([]);
  });

  it("fails a test case whose turn throws, and runs the next one", async () => {
    const { results, trace } = await run(TESTS, { crashOnTurn: 1 });
    expect(results[0]).toMatchObject({ name: "happy", passed: false, failures: [{ step: 1, expected: "the turn to run", actual: "the runtime failed: the engine broke" }] });
    expect(results[1]!.name).toBe("low");
    expect(trace.map((line) => [line.test_case, line.step])).toEqual([
      ["happy", 0],
      ["low", 0],
    ]);
  });

  it("leaves out a fixture's setting of a slot the assistant does not have, with a warning, and runs the test case", async () => {
    // Rasa's runner sets fixtures with tracker.update(SlotSet(...)) (e2e_test_runner.py
    // set_up_fixtures), and the tracker logs an error and ignores a slot it does not have
    // (DialogueStateTracker._set_slot, rasa/shared/core/trackers.py): the test case runs.
    const text = "fixtures:\n  - odd: [{colour: red}, {membership: gold}]\ntest_cases:\n  - test_case: t\n    fixtures: [odd]\n    steps: [{user: hi, commands: []}]\n  - test_case: u\n    fixtures: [odd]\n    steps: [{user: hi, commands: []}]\n";
    const { suite } = parseTestTexts([{ path: "money.yml", text }]);
    const calls: Call[] = [];
    const warnings: string[] = [];
    const results = await runTestCases(() => fakeAssistant(calls), suite, { onWarning: (warning) => warnings.push(`${warning.file}:${warning.line}: ${warning.code} ${warning.message}`) });
    expect(results.map((result) => result.failures)).toEqual([[], []]);
    expect(calls).toHaveLength(2);
    expect(warnings).toEqual(["money.yml:2: FLW5043 the fixture `odd` sets `colour`, which is not a slot of the assistant: left out, as Rasa leaves it out"]);
  });

  it("checks the steps before the first user step against the session's start: no message, the fixtures' slots", async () => {
    // Rasa's runner keeps the events of the session's start as turn -1 and checks the steps
    // before the first user message against them (e2e_test_runner.py run_prediction_loop,
    // find_test_failures); the fixtures' SlotSet events are among them (set_up_fixtures).
    const text = `fixtures:
  - gold:
      - membership: gold
test_cases:
  - test_case: greeted_first
    steps:
      - utter: utter_greet
      - user: send money
        commands: [start flow transfer_money]
      - utter: utter_ask_amount
  - test_case: fixture_slots_at_the_start
    fixtures: [gold]
    steps:
      - slot_was_set:
          - membership: gold
      - slot_was_not_set:
          - recipient
      - user: send money
        commands: [start flow transfer_money]
  - test_case: only_the_start
    steps:
      - bot: Welcome!
  - test_case: assertions_ignore_them
    steps:
      - utter: utter_greet
      - user: send money
        commands: [start flow transfer_money]
        assertions:
          - bot_uttered: {utter_name: utter_ask_amount}
`;
    const { results, calls } = await run(text);
    expect(results.map((result) => [result.name, result.passed])).toEqual([
      ["greeted_first", false],
      ["fixture_slots_at_the_start", true],
      ["only_the_start", false],
      ["assertions_ignore_them", true],
    ]);
    expect(results[0]!.failures).toMatchObject([{ step: -1, user: "", at: { line: 7 }, expected: "a bot message utter_greet", actual: "the turn sent: nothing" }]);
    expect(results[0]!.failures[0]!.note).toContain("before the first user step");
    expect(results[2]!.failures).toMatchObject([{ step: -1, at: { line: 22 }, expected: 'a bot message "Welcome!"' }]);
    expect(calls.map((call) => call.message)).toEqual(["send money", "send money", "send money"]);
    expect(formatResultsText(results)).toContain("money.yml:7 (before the first user step):");
  });
});
