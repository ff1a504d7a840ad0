/**
 * Spec-traceability tests for design §3.2 (e2e test files: the `commands` extension, stubs)
 * and §3.3 (trace lines), and for conditions.md §1 and §7 (where Rasa evaluates conditions,
 * the Jinja step of branches and rejections), run through `flowc test --trace` as a user
 * runs it. They cover the variants the older tests leave out: call, interrupt and link
 * frames in the stack, a stub's plain-text message, `<error>` and `commands: []` while a
 * question is pending, and the template step on a real collect and branch. Each expectation
 * comes from the section named beside it, not from flowc's output.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { project, run, runBin } from "../support/cli.ts";

interface Frame {
  readonly flow_id: string;
  readonly step_id: string;
  readonly type: string;
  readonly frame_type?: string;
  readonly [key: string]: unknown;
}

interface TraceLine {
  readonly test_case: string;
  readonly step: number;
  readonly user: string;
  readonly commands: Record<string, unknown>[];
  readonly actions: string[];
  readonly bot: { response?: string; text?: string }[];
  readonly slots: Record<string, unknown>;
  readonly stack: Frame[];
}

/** `flowc test e2e --project domain.yml --project flows.yml --trace trace.jsonl` on these files: the result and the trace lines by test case. */
async function traced(domain: string, flows: string, tests: string): Promise<{ code: number; out: string; err: string; trace: (testCase: string) => TraceLine[] }> {
  const dir = project({ "domain.yml": domain, "flows.yml": flows, "e2e/tests.yml": tests });
  const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--trace", "trace.jsonl"], dir);
  const lines = readFileSync(join(dir, "trace.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as TraceLine);
  return { ...result, trace: (testCase) => lines.filter((line) => line.test_case === testCase) };
}

const COLLECT = (slot: string) => ({ flow_id: "pattern_collect_information", type: "pattern_collect_information", collect: slot, utter: `utter_ask_${slot}`, collect_action: `action_ask_${slot}` });

describe("trace lines: the stack with call, interrupt and link frames, and a stub's messages (design §3.3, §3.2)", () => {
  const DOMAIN = `actions: [check_funds]
slots:
  amount:
    type: float
  funds_ok:
    type: bool
  city:
    type: text
responses:
  utter_ask_amount:
    - text: How much?
  utter_ask_city:
    - text: Which city?
  utter_done:
    - text: Done.
  utter_weather:
    - text: Sunny.
`;
  const FLOWS = `flows:
  pay:
    description: Pays.
    steps:
      - call: ask_amount_flow
      - action: check_funds
      - action: utter_done
      - link: weather
  ask_amount_flow:
    description: Asks the amount.
    if: False
    steps:
      - collect: amount
  weather:
    description: Tells the weather.
    steps:
      - collect: city
      - action: utter_weather
`;
  const TESTS = `stub_custom_actions:
  check_funds:
    events:
      - event: slot
        name: funds_ok
        value: true
    responses:
      - text: "Checked."
      - response: utter_done
test_cases:
  - test_case: frames
    steps:
      - user: pay
        commands: [start flow pay]
      - user: weather
        commands: [start flow weather]
      - user: Rome
        commands: [set slot city Rome]
      - user: "50"
        commands: [set slot amount 50]
`;
  let trace: TraceLine[] = [];

  beforeAll(async () => {
    const result = await traced(DOMAIN, FLOWS, TESTS);
    expect(result.code, result.out + result.err).toBe(0);
    trace = result.trace("frames");
  });

  it("shows a called flow's frame as frame_type `call` above its caller, with generated step ids (flows-format.md §c.2)", () => {
    expect(trace[0]!.stack).toEqual([
      { flow_id: "pay", step_id: "pay_0_call_ask_amount_flow", type: "flow", frame_type: "regular" },
      { flow_id: "ask_amount_flow", step_id: "ask_amount_flow_0_collect_amount", type: "flow", frame_type: "call" },
      expect.objectContaining(COLLECT("amount")),
    ]);
  });

  it("shows a flow started while another runs as frame_type `interrupt` on top of the interrupted ones (runtime-semantics §b.3)", () => {
    expect(trace[1]!.stack).toEqual([
      { flow_id: "pay", step_id: "pay_0_call_ask_amount_flow", type: "flow", frame_type: "regular" },
      { flow_id: "ask_amount_flow", step_id: "ask_amount_flow_0_collect_amount", type: "flow", frame_type: "call" },
      expect.objectContaining(COLLECT("amount")),
      { flow_id: "weather", step_id: "weather_0_collect_city", type: "flow", frame_type: "interrupt" },
      expect.objectContaining(COLLECT("city")),
    ]);
    expect(trace[1]!.actions).toEqual(["action_run_slot_rejections", "utter_ask_city", "action_listen"]);
  });

  it("shows a linked flow as frame_type `link`, the linking flow gone; the stub's messages in order, a text without a response name", () => {
    const last = trace[3]!;
    expect(last.stack).toEqual([{ flow_id: "weather", step_id: "weather_0_collect_city", type: "flow", frame_type: "link" }, expect.objectContaining(COLLECT("city"))]);
    // §3.3 `actions`: every executed action in order, ending with action_listen; the
    // stub's responses are messages of check_funds, not actions of their own.
    expect(last.actions).toEqual(["action_run_slot_rejections", "check_funds", "utter_done", "action_run_slot_rejections", "utter_ask_city", "action_listen"]);
    // §3.3 `bot`: `response` only when there is a response name
    expect(last.bot).toEqual([
      { text: "Checked." },
      { response: "utter_done", text: "Done." },
      { response: "utter_done", text: "Done." },
      { response: "utter_ask_city", text: "Which city?" },
    ]);
    expect(last.slots).toMatchObject({ funds_ok: true, city: null });
  });
});

describe("the `commands` extension while a question is pending (design §3.2)", () => {
  const DOMAIN = "slots:\n  amount:\n    type: float\nresponses:\n  utter_ask_amount:\n    - text: How much?\n  utter_done:\n    - text: Done.\n";
  const FLOWS = "flows:\n  pay:\n    description: Pays.\n    steps:\n      - collect: amount\n      - action: utter_done\n";
  const TESTS = `test_cases:
  - test_case: idle_error
    steps:
      - user: boom
        commands: ["<error>"]
  - test_case: pending
    steps:
      - user: pay
        commands: [start flow pay]
      - user: boom
        commands: ["<error>"]
      - user: nothing
        commands: []
      - user: both
        commands: ["set slot amount 5", "<error>"]
`;
  let result: Awaited<ReturnType<typeof traced>>;

  beforeAll(async () => {
    result = await traced(DOMAIN, FLOWS, TESTS);
    expect(result.code, result.out + result.err).toBe(0);
  });

  it("`<error>` is an ErrorCommand of the default type: pattern_internal_error says utter_internal_error_rasa (runtime-semantics §c, §d table)", () => {
    const [idle] = result.trace("idle_error");
    expect(idle!.commands).toEqual([{ command: "error", error_type: "rasa_internal_error_default", info: {} }]);
    expect(idle!.actions).toEqual(["utter_internal_error_rasa", "action_listen"]);
    expect(idle!.stack).toEqual([]);
  });

  it("`<error>` during a collect: the error message, then the pending question again", () => {
    const error = result.trace("pending")[1]!;
    expect(error.actions).toEqual(["utter_internal_error_rasa", "action_run_slot_rejections", "utter_ask_amount", "action_listen"]);
    expect(error.stack.map((frame) => frame.flow_id)).toEqual(["pay", "pattern_collect_information"]);
  });

  it("`commands: []` during a collect hands the processor nothing: the collect pattern starts over and asks again", () => {
    // default pattern_collect_information: action_listen, then `next: start`
    // (action_run_slot_rejections, validate, ask while the slot is null)
    const empty = result.trace("pending")[2]!;
    expect(empty.commands).toEqual([]);
    expect(empty.actions).toEqual(["action_run_slot_rejections", "utter_ask_amount", "action_listen"]);
  });

  it("several lines: each becomes a command, in order; the error's pattern runs first, then the flow goes on with the slot", () => {
    const both = result.trace("pending")[3]!;
    expect(both.commands).toEqual([
      { command: "set slot", name: "amount", value: "5", extractor: "LLM" },
      { command: "error", error_type: "rasa_internal_error_default", info: {} },
    ]);
    expect(both.actions).toEqual(["utter_internal_error_rasa", "action_run_slot_rejections", "utter_done", "utter_can_do_something_else", "action_listen"]);
    expect(both.stack).toEqual([]);
  });
});

describe("rejections through the template step on a real collect (conditions.md §1 rejections, §1.1, §7)", () => {
  const DOMAIN = `slots:
  age:
    type: float
  name:
    type: text
  city:
    type: text
responses:
  utter_ask_age:
    - text: How old?
  utter_ask_name:
    - text: Name?
  utter_ask_city:
    - text: City?
  utter_exact:
    - text: Exactly seventeen point zero.
  utter_too_young:
    - text: Too young.
  utter_context:
    - text: Rejected by context.
`;
  const FLOWS = `flows:
  ages:
    description: Asks the age, then the name.
    steps:
      - collect: age
        rejections:
          - if: '"{{slots.age}}" = "17.0"'
            utter: utter_exact
          - if: "{{slots.age}} < 18"
            utter: utter_too_young
      - collect: name
  names:
    description: Asks the name, with a rejection that reads context.
    steps:
      - collect: name
        rejections:
          - if: '"{{context.flow_id}}" = "names"'
            utter: utter_context
      - collect: city
`;
  const TESTS = `test_cases:
  - test_case: ages
    steps:
      - user: age
        commands: [start flow ages]
      - user: "17"
        commands: [set slot age 17]
      - user: "16"
        commands: [set slot age 16]
      - user: "20"
        commands: [set slot age 20]
  - test_case: names
    steps:
      - user: name
        commands: [start flow names]
      - user: Ann
        commands: [set slot name Ann]
`;
  let result: Awaited<ReturnType<typeof traced>>;

  beforeAll(async () => {
    result = await traced(DOMAIN, FLOWS, TESTS);
    expect(result.code, result.out + result.err).toBe(0);
  });

  it("renders the coerced value: a float slot given `17` is 17.0, and `{{slots.age}}` renders `17.0`; the first true rejection wins", () => {
    const turn = result.trace("ages")[1]!;
    // the rejection's message is sent by action_run_slot_rejections itself; the slot is reset
    expect(turn.actions).toEqual(["action_run_slot_rejections", "utter_ask_age", "action_listen"]);
    expect(turn.bot.map((message) => message.response)).toEqual(["utter_exact", "utter_ask_age"]);
    expect(turn.slots["age"]).toBeNull();
  });

  it("splices the value in before parsing: `{{slots.age}} < 18` with 16 is `16.0 < 18`", () => {
    const turn = result.trace("ages")[2]!;
    expect(turn.bot.map((message) => message.response)).toEqual(["utter_too_young", "utter_ask_age"]);
    expect(turn.slots["age"]).toBeNull();
  });

  it("accepts a value no rejection matches and keeps it, coerced", () => {
    const turn = result.trace("ages")[3]!;
    expect(turn.bot.map((message) => message.response)).toEqual(["utter_ask_name"]);
    expect(turn.slots["age"]).toBe(20);
  });

  it("has no `context` in a rejection's render: reading it raises, which counts as a violation with utter_internal_error_rasa", () => {
    const turn = result.trace("names")[1]!;
    expect(turn.actions).toEqual(["action_run_slot_rejections", "utter_ask_name", "action_listen"]);
    expect(turn.bot.map((message) => message.response)).toEqual(["utter_internal_error_rasa", "utter_ask_name"]);
    expect(turn.slots["name"]).toBeNull();
  });
});

describe("branches through the template step, rendered with the top frame's context (conditions.md §1 branch, §1.1, §7)", () => {
  const DOMAIN = `responses:
  utter_called:
    - text: Called.
  utter_not_called:
    - text: Not called.
  utter_empty:
    - text: A missing key renders as the empty string.
  utter_not_empty:
    - text: A missing key rendered as something.
  utter_at_step:
    - text: The frame is at the step whose links are read.
  utter_elsewhere:
    - text: The frame is elsewhere.
  utter_bare_true:
    - text: Two bare words are equal.
  utter_bare_false:
    - text: Two bare words differ.
`;
  const FLOWS = `flows:
  parent:
    description: Calls the child.
    steps:
      - call: child
  child:
    description: Reads its frame.
    steps:
      - noop: true
        next:
          - if: '"{{context.frame_type}}" = "call"'
            then:
              - action: utter_called
                next: check_missing
          - else:
              - action: utter_not_called
                next: check_missing
      - id: check_missing
        noop: true
        next:
          - if: '"{{context.collect}}" = ""'
            then:
              - action: utter_empty
                next: check_step
          - else:
              - action: utter_not_empty
                next: check_step
      - id: check_step
        noop: true
        next:
          - if: '"{{context.step_id}}" = "check_step" and context.flow_id = "child"'
            then:
              - action: utter_at_step
                next: bare
          - else:
              - action: utter_elsewhere
                next: bare
      - id: bare
        noop: true
        next:
          - if: "{{context.flow_id}} = some_other_flow"
            then:
              - action: utter_bare_true
                next: END
          - else:
              - action: utter_bare_false
                next: END
`;
  const TESTS = `test_cases:
  - test_case: called
    steps:
      - user: go
        commands: [start flow parent]
  - test_case: direct
    steps:
      - user: go
        commands: [start flow child]
`;
  let result: Awaited<ReturnType<typeof traced>>;

  beforeAll(async () => {
    result = await traced(DOMAIN, FLOWS, TESTS);
    expect(result.code, result.out + result.err).toBe(0);
  });

  it("renders the frame's fields: frame_type `call` in a called flow, `regular` when started; a missing key as ''; the current step id", () => {
    // §1.1 a user flow frame is {frame_id, flow_id, step_id, frame_type, type}: no `collect`
    // §7 a missing key renders as the empty string; `{{context.flow_id}} = some_other_flow`
    // renders two bare words, both undefined, so equal: true
    const tail = ["utter_empty", "utter_at_step", "utter_bare_true", "utter_can_do_something_else", "action_listen"];
    expect(result.trace("called")[0]!.actions).toEqual(["utter_called", ...tail]);
    expect(result.trace("direct")[0]!.actions).toEqual(["utter_not_called", ...tail]);
  });
});

describe("a custom action that throws, run by the bin (design §3.1 robustness; README: the user is told through pattern_internal_error)", () => {
  it("answers with the internal-error message and goes on, with exit 0 and no stack trace, whether the action throws or its promise rejects", () => {
    const dir = project({
      "domain.yml": "actions: [sync_boom, async_boom]\nresponses:\n  utter_done:\n    - text: Done.\n",
      "flows.yml": "flows:\n  pay:\n    description: Pays.\n    steps:\n      - action: sync_boom\n      - action: async_boom\n      - action: utter_done\n",
      "actions.ts": 'export const actions = {\n  sync_boom() { throw new Error("bank is down"); },\n  async async_boom() { throw new Error("bank is still down"); },\n};\n',
    });
    const result = runBin(["chat", "domain.yml", "flows.yml", "--actions", "actions.ts"], dir, "start flow pay\nstart flow pay\n");
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const bot = result.stdout.split("\n").filter((line) => line.startsWith("bot> "));
    // the default utter_internal_error_rasa (compiler/defaults/default-patterns.yml), once per failing action, then the flow's own step
    const turn = ["Something went wrong on my side. Please try again in a little while.", "Something went wrong on my side. Please try again in a little while.", "Done."].map((text) => `bot> ${text}`);
    expect(bot.slice(0, 3)).toEqual(turn);
    // the second message gets the same answer: nothing of the failure stays behind
    expect(bot.slice(bot.length / 2, bot.length / 2 + 3)).toEqual(turn);
  });
});

describe("a rendered value with quotes breaks the branch condition it is spliced into (conditions.md §7, §1 branch: invalid → false)", () => {
  it("takes the else branch when the rendered step id closes the quotes, and the if branch when it does not", async () => {
    const domain = "responses:\n  utter_a:\n    - text: A.\n  utter_b:\n    - text: B.\n  utter_c:\n    - text: C.\n";
    // `"{{context.step_id}}" != "x"` at step `say "hi"` renders `"say "hi"" != "x"`: no valid
    // condition, so false (Rasa logs flow.predicate.error); at step `plain` the same kind of
    // condition renders cleanly.
    const flows = `flows:
  q:
    description: Quotes in a rendered step id.
    steps:
      - id: 'say "hi"'
        noop: true
        next:
          - if: '"{{context.step_id}}" != "x"'
            then:
              - action: utter_a
                next: plain
          - else:
              - action: utter_b
                next: plain
      - id: plain
        noop: true
        next:
          - if: '"{{context.step_id}}" = "plain"'
            then:
              - action: utter_c
                next: END
          - else: END
`;
    const tests = "test_cases:\n  - test_case: q\n    steps:\n      - user: go\n        commands: [start flow q]\n";
    const result = await traced(domain, flows, tests);
    expect(result.code, result.out + result.err).toBe(0);
    expect(result.trace("q")[0]!.actions).toEqual(["utter_b", "utter_c", "utter_can_do_something_else", "action_listen"]);
  });
});

describe("a flow guard is skipped when the top frame is the flow itself (conditions.md §1 guard site)", () => {
  it("keeps `start flow` of the flow that waits at its own action_listen step, though its guard is now false; the processor then skips it", async () => {
    // Flow.is_startable: context.flow_id == flow.id → startable without evaluating the guard,
    // so the generator's startable-flows check does not remove the command
    // (runtime-semantics §d.2); StartFlow of a flow already on the stack changes nothing, and
    // the flow goes on after its listen step.
    const domain = "slots:\n  open:\n    type: bool\n    initial_value: true\nresponses:\n  utter_a:\n    - text: A.\n  utter_b:\n    - text: B.\n";
    const flows = `flows:
  fg:
    description: Guarded by open.
    if: slots.open
    persisted_slots: [open]
    steps:
      - set_slots:
          - open: false
      - action: utter_a
      - action: action_listen
      - action: utter_b
`;
    const tests = "test_cases:\n  - test_case: q\n    steps:\n      - user: go\n        commands: [start flow fg]\n      - user: again\n        commands: [start flow fg]\n";
    const result = await traced(domain, flows, tests);
    expect(result.code, result.out + result.err).toBe(0);
    const [first, second] = result.trace("q");
    expect(first!.stack).toEqual([{ flow_id: "fg", step_id: "fg_2_action_listen", type: "flow", frame_type: "regular" }]);
    expect(first!.slots["open"]).toBe(false);
    expect(second!.commands).toEqual([{ command: "start flow", flow: "fg" }]);
    expect(second!.actions).toEqual(["utter_b", "utter_can_do_something_else", "action_listen"]);
  });
});
