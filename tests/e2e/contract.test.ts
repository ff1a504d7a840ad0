/**
 * `flowc test` against its written contract (design §3.1 `flowc test`, §3.2 e2e test files,
 * §3.3 trace lines, and the README's `flowc test` section), one requirement per test, with
 * the awkward inputs a user's own test suite brings: several files and folders, unicode and
 * line breaks in user text, unknown flows and slots in `commands`, stubs of actions that do
 * not exist or that fail, broken test files. Every expectation comes from the contract and
 * from the YAML written here (lines are looked up in it), never from flowc's output.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { project, run } from "../support/cli.ts";
import { transferDomain } from "../support/transfer-flows.ts";

const DOMAIN = transferDomain({ confirmation: false });

const FLOWS = `flows:
  transfer_money:
    description: Send money to someone.
    steps:
      - collect: recipient
      - collect: amount
      - action: check_funds
        next:
          - if: slots.has_funds
            then:
              - action: utter_done
                next: END
          - else:
              - action: utter_no_funds
                next: END
  check_balance:
    description: Tell the user their balance.
    steps:
      - action: utter_balance
`;

const PROJECT = ["--project", "domain.yml", "--project", "flows.yml"];

/** The 1-based line of the first line of `text` that contains `needle` (after line `after`). */
function lineOf(text: string, needle: string, after = 0): number {
  const index = text.split("\n").findIndex((line, i) => i >= after && line.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}

interface Trace {
  test_case: string;
  step: number;
  user: string;
  commands: { command: string; [field: string]: unknown }[];
  actions: string[];
  bot: { response?: string; text?: string }[];
  slots: Record<string, unknown>;
  stack: Record<string, unknown>[];
}

function readTrace(dir: string, file = "trace.jsonl"): Trace[] {
  const text = readFileSync(join(dir, file), "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Trace);
}

interface Report {
  test_cases: { name: string; file: string; line: number; passed: boolean; failures: { step: number; user: string; file: string; line: number; expected: string; actual: string; trace?: Trace }[] }[];
  passed: number;
  failed: number;
}

describe("flowc test: what it prints and how it exits (design §3.1)", () => {
  const TESTS = `test_cases:
  - test_case: asks_for_the_recipient
    steps:
      - user: I want to send money
        commands: [start flow transfer_money]
      - utter: utter_ask_recipient
  - test_case: expects_the_wrong_question
    steps:
      - user: I want to send money
        commands: [start flow transfer_money]
      - utter: utter_ask_recipient
      - user: John
        commands: [set slot recipient John]
      - utter: utter_done
  - test_case: checks_the_balance
    steps:
      - user: balance
        commands: [start flow check_balance]
      - utter: utter_balance
      - utter: utter_can_do_something_else
`;
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/money.yml": TESTS, "e2e/ok.yml": TESTS.split("  - test_case: expects_the_wrong_question")[0]! });

  it("prints one line per test case, in file order, and closes with `N passed, N failed`", async () => {
    const result = await run(["test", "e2e/money.yml", ...PROJECT], dir);
    const lines = result.out.split("\n");
    const caseLines = lines.filter((line) => !line.startsWith(" "));
    expect(caseLines).toHaveLength(4);
    expect(caseLines[0]).toMatch(/\basks_for_the_recipient\b/);
    expect(caseLines[1]).toMatch(/\bexpects_the_wrong_question\b/);
    expect(caseLines[2]).toMatch(/\bchecks_the_balance\b/);
    expect(lines.at(-1)).toBe("2 passed, 1 failed");
  });

  it("exits 1 when a test case fails and 0 when all pass", async () => {
    expect((await run(["test", "e2e/money.yml", ...PROJECT], dir)).code).toBe(1);
    const ok = await run(["test", "e2e/ok.yml", ...PROJECT], dir);
    expect(ok.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(ok.code).toBe(0);
  });

  it("reports a failure at the file and line of the step that failed, with the step's user text", async () => {
    const result = await run(["test", "e2e/money.yml", ...PROJECT], dir);
    const failing = lineOf(TESTS, "- utter: utter_done");
    expect(result.out).toContain(`e2e/money.yml:${failing} (step 1, user "John")`);
    const json = JSON.parse((await run(["test", "e2e/money.yml", ...PROJECT, "--format", "json"], dir)).out) as Report;
    const failed = json.test_cases.find((testCase) => testCase.name === "expects_the_wrong_question")!;
    expect(failed).toMatchObject({ file: "e2e/money.yml", line: lineOf(TESTS, "test_case: expects_the_wrong_question"), passed: false });
    expect(failed.failures).toEqual([expect.objectContaining({ step: 1, user: "John", file: "e2e/money.yml", line: failing })]);
    expect(json.passed).toBe(2);
    expect(json.failed).toBe(1);
  });

  it("exits 2 when a --project path cannot be read", async () => {
    const result = await run(["test", "e2e/ok.yml", "--project", "no_such_folder"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("no_such_folder");
  });

  it("exits 2 on a test file that is not valid YAML, naming its file, line and column, and runs nothing", async () => {
    const broken = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/ok.yml": TESTS, "e2e/broken.yml": 'test_cases:\n  - test_case: broken\n    steps:\n      - user: "unterminated\n' });
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "trace.jsonl"], broken);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^e2e\/broken\.yml:\d+:\d+: error FLW1001: invalid YAML/m);
    expect(result.out).not.toMatch(/passed/);
    expect(existsSync(join(broken, "trace.jsonl"))).toBe(false);
  });

  it("runs a project that compiles with warnings (warnings are allowed)", async () => {
    // A guard that is always false: a warning, not an error.
    const flows = `${FLOWS}  never:\n    description: Never starts.\n    if: False\n    steps:\n      - action: utter_balance\n`;
    const warned = project({ "domain.yml": DOMAIN, "flows.yml": flows, "e2e/ok.yml": TESTS.split("  - test_case: expects_the_wrong_question")[0]! });
    const compiled = await run(["compile", "domain.yml", "flows.yml", "--no-emit", "--format", "json"], warned);
    expect(compiled.code).toBe(0);
    expect((JSON.parse(compiled.out) as { warnings: unknown[] }).warnings.length).toBeGreaterThan(0);
    const result = await run(["test", "e2e/ok.yml", ...PROJECT], warned);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });
});

describe("flowc test: paths (design §3.1)", () => {
  const one = (name: string) => `test_cases:\n  - test_case: ${name}\n    steps:\n      - user: balance\n        commands: [start flow check_balance]\n      - utter: utter_balance\n      - utter: utter_can_do_something_else\n`;
  const dir = project({
    "assistant/domain.yml": DOMAIN,
    "assistant/flows/money.yml": FLOWS,
    "tests/a.yml": one("in_a"),
    "tests/deeper/b.yaml": one("in_b_yaml"),
    "tests/deeper/notes.yml": "nlu:\n  - intent: greet\n    examples: |\n      - hi\n",
    "more/c.yml": one("in_c"),
  });

  it("takes test files and folders (recursively, *.yml and *.yaml), skipping YAML files that are not tests", async () => {
    const result = await run(["test", "tests", "more/c.yml", "--project", "assistant"], dir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\bin_a\b/);
    expect(result.out).toMatch(/\bin_b_yaml\b/);
    expect(result.out).toMatch(/\bin_c\b/);
    expect(result.out.split("\n").at(-1)).toBe("3 passed, 0 failed");
  });

  it("compiles the assistant from several --project paths, files and folders alike", async () => {
    const result = await run(["test", "tests/a.yml", "--project", "assistant/domain.yml", "--project", "assistant/flows"], dir);
    expect(result.code).toBe(0);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("exits 2 when a test PATH cannot be read, naming it", async () => {
    const result = await run(["test", "tests", "no_such_tests.yml", "--project", "assistant"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("no_such_tests.yml");
    expect(result.out).toBe("");
  });

  it("runs the other files beside one whose `test_cases` list is empty", async () => {
    const withEmpty = project({ "assistant/domain.yml": DOMAIN, "assistant/flows.yml": FLOWS, "tests/a.yml": one("in_a"), "tests/empty.yml": "test_cases: []\n" });
    const result = await run(["test", "tests", "--project", "assistant"], withEmpty);
    expect(result.code).toBe(0);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("runs a test file once when it is named twice (directly and through its folder)", async () => {
    const result = await run(["test", "tests/a.yml", "tests", "--project", "assistant"], dir);
    expect(result.code).toBe(0);
    expect(result.out.split("\n").at(-1)).toBe("2 passed, 0 failed");
  });
});

describe("flowc test --trace (design §3.3)", () => {
  const USER = 'Send "money" to Zoë 😀\nplease';
  const TESTS = `test_cases:
  - test_case: first
    steps:
      - user: ${JSON.stringify(USER)}
        commands: [start flow transfer_money]
      - utter: utter_ask_recipient
      - user: Zoë
        commands: [set slot recipient Zoë]
      - utter: utter_ask_amount
  - test_case: second
    steps:
      - user: balance
        commands: [start flow check_balance]
      - utter: utter_balance
      - utter: utter_can_do_something_else
`;
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });
  let trace: Trace[];
  let raw: string[];

  beforeAll(async () => {
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "trace.jsonl"], dir);
    expect(result.code).toBe(0);
    trace = readTrace(dir);
    raw = readFileSync(join(dir, "trace.jsonl"), "utf8").trim().split("\n");
  });

  it("writes one JSON line per user step, in order, with the fields in the order of the contract", () => {
    expect(raw).toHaveLength(3);
    for (const line of trace) expect(Object.keys(line)).toEqual(["test_case", "step", "user", "commands", "actions", "bot", "slots", "stack"]);
    expect(trace.map((line) => [line.test_case, line.step])).toEqual([
      ["first", 0],
      ["first", 1],
      ["second", 0],
    ]);
  });

  it("keeps unicode, quotes and line breaks of the user text, one line per step", () => {
    expect(trace[0]!.user).toBe(USER);
    expect(trace[1]!.user).toBe("Zoë");
    expect(raw[0]).not.toContain("\nplease");
  });

  it("lists the commands the command processor received, in Rasa's JSON form", () => {
    expect(trace[0]!.commands).toEqual([{ command: "start flow", flow: "transfer_money" }]);
    expect(trace[1]!.commands).toEqual([expect.objectContaining({ command: "set slot", name: "recipient", value: "Zoë" })]);
  });

  it("lists every executed action of the turn, ending with action_listen", () => {
    for (const line of trace) expect(line.actions.at(-1)).toBe("action_listen");
    expect(trace[0]!.actions).toContain("utter_ask_recipient");
    expect(trace[2]!.actions.indexOf("utter_balance")).toBeLessThan(trace[2]!.actions.indexOf("utter_can_do_something_else"));
  });

  it("lists every message of the turn in order, with its response name and text", () => {
    expect(trace[1]!.bot).toEqual([{ response: "utter_ask_amount", text: "How much should Zoë get?" }]);
    expect(trace[2]!.bot.map((message) => message.response)).toEqual(["utter_balance", "utter_can_do_something_else"]);
  });

  it("holds every slot after the turn", () => {
    for (const line of trace) expect(Object.keys(line.slots)).toEqual(expect.arrayContaining(["recipient", "amount", "has_funds"]));
    expect(trace[0]!.slots).toMatchObject({ recipient: null, amount: null });
    expect(trace[1]!.slots).toMatchObject({ recipient: "Zoë", amount: null });
  });

  it("holds the stack bottom to top: the flow's frame, then the collect pattern on top", () => {
    const stack = trace[1]!.stack;
    expect(stack).toHaveLength(2);
    expect(stack[0]).toEqual({ flow_id: "transfer_money", step_id: expect.any(String), type: "flow", frame_type: "regular" });
    expect(stack[1]).toMatchObject({ flow_id: "pattern_collect_information", step_id: expect.any(String), type: "pattern_collect_information" });
    expect(trace[2]!.stack).toEqual([]);
  });

  it("is written even when test cases fail", async () => {
    const failing = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS.replace("- utter: utter_ask_amount", "- utter: utter_done") });
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "trace.jsonl", "--format", "json"], failing);
    expect(result.code).toBe(1);
    expect(readTrace(failing)).toHaveLength(3);
  });
});

describe("flowc test: the `commands` extension (design §3.2)", () => {
  const step = (name: string, commands: string) => `  - test_case: ${name}\n    steps:\n      - user: ${name}\n        commands: ${commands}\n`;
  const TESTS = `test_cases:
${step("unknown_flow", "[start flow no_such_flow]")}${step("known_and_unknown_flow", "[start flow no_such_flow, start flow check_balance]")}${step("empty_list", "[]")}${step("nothing_parsable", "[hello there]")}${step("set_slots_payload", '["/SetSlots(recipient=Ann, amount=5)"]')}${step("error_line", '["<error>"]')}${step("dsl_v1", '["StartFlow(check_balance)"]')}${step("unknown_slot", "[start flow transfer_money, set slot no_such_slot 5]")}`;
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });
  let trace: Map<string, Trace>;

  beforeAll(async () => {
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "trace.jsonl", "--format", "json"], dir);
    expect(result.err).toBe("");
    trace = new Map(readTrace(dir).map((line) => [line.test_case, line]));
  });

  it("drops a flow that does not exist; no parsable command at all becomes one `cannot handle`", () => {
    expect(trace.get("unknown_flow")!.commands).toEqual([expect.objectContaining({ command: "cannot handle" })]);
    expect(trace.get("nothing_parsable")!.commands).toEqual([expect.objectContaining({ command: "cannot handle" })]);
  });

  it("keeps the other commands when one names an unknown flow", () => {
    expect(trace.get("known_and_unknown_flow")!.commands).toEqual([{ command: "start flow", flow: "check_balance" }]);
  });

  it("hands the command processor an empty list for `commands: []`", () => {
    expect(trace.get("empty_list")!.commands).toEqual([]);
    expect(trace.get("empty_list")!.actions).toEqual(["action_listen"]);
  });

  it("reads `/SetSlots(a=b, c=d)` as a button payload: one set slot per pair", () => {
    const line = trace.get("set_slots_payload")!;
    expect(line.commands.map((command) => [command.command, command["name"], command["value"]])).toEqual([
      ["set slot", "recipient", "Ann"],
      ["set slot", "amount", "5"],
    ]);
  });

  it("reads `<error>` as an ErrorCommand", () => {
    expect(trace.get("error_line")!.commands).toEqual([expect.objectContaining({ command: "error" })]);
  });

  it("falls back to the v1 syntax of the DSL", () => {
    expect(trace.get("dsl_v1")!.commands).toEqual([{ command: "start flow", flow: "check_balance" }]);
  });

  it("drops a slot that is not in the domain: the flow goes on and no such slot appears", () => {
    const line = trace.get("unknown_slot")!;
    expect(line.slots).not.toHaveProperty("no_such_slot");
    expect(line.bot.map((message) => message.response)).toEqual(["utter_ask_recipient"]);
  });
});

describe("flowc test: custom actions and stubs (design §3.2)", () => {
  const BEFORE_FUNDS = "      - user: send 5 to Ann\n        commands: [start flow transfer_money, set slot recipient Ann, set slot amount 5]\n";

  it("runs a custom action with no stub, which returns nothing", async () => {
    const tests = `test_cases:\n  - test_case: no_stub\n    steps:\n${BEFORE_FUNDS}        assertions:\n          - action_executed: check_funds\n          - bot_uttered: {utter_name: utter_no_funds}\n          - bot_did_not_utter: {utter_name: utter_internal_error_rasa}\n          - slot_was_not_set: [{name: has_funds}]\n`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("uses the step's stub over `test_case::name`, and that over the file's `name`", async () => {
    const tests = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
  case_stub::check_funds:
    events: [{event: slot, name: has_funds, value: false}]
test_cases:
  - test_case: file_stub
    steps:
${BEFORE_FUNDS}      - utter: utter_done
      - utter: utter_can_do_something_else
  - test_case: case_stub
    steps:
${BEFORE_FUNDS}      - utter: utter_no_funds
      - utter: utter_can_do_something_else
  - test_case: step_stub
    steps:
${BEFORE_FUNDS}        stub_custom_actions:
          check_funds:
            events: [{event: slot, name: has_funds, value: false}]
            responses: [{text: Checked.}]
      - bot: Checked.
      - utter: utter_no_funds
      - utter: utter_can_do_something_else
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.out.split("\n").at(-1)).toBe("3 passed, 0 failed");
  });

  it("accepts a stub of an action the assistant does not have (it is never called)", async () => {
    const tests = `stub_custom_actions:\n  no_such_action:\n    events: [{event: slot, name: has_funds, value: true}]\ntest_cases:\n  - test_case: t\n    steps:\n      - user: balance\n        commands: [start flow check_balance]\n      - utter: utter_balance\n      - utter: utter_can_do_something_else\n`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("treats a stub that sets a slot the domain lacks as a failing action: nothing changes, the user is told", async () => {
    const tests = `stub_custom_actions:
  check_funds:
    events:
      - {event: slot, name: has_funds, value: true}
      - {event: slot, name: no_such_slot, value: 1}
test_cases:
  - test_case: failing_action
    steps:
${BEFORE_FUNDS}        assertions:
          - action_executed: check_funds
          - bot_uttered: {utter_name: utter_internal_error_rasa}
          - slot_was_not_set: [{name: has_funds, value: true}]
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
  });
});

describe("flowc test: references a test makes to the assistant", () => {
  const TESTS = `test_cases:
  - test_case: unknown_response
    steps:
      - user: balance
        commands: [start flow check_balance]
      - utter: utter_no_such_response
  - test_case: unknown_slot_and_flow
    steps:
      - user: balance
        commands: [start flow check_balance]
        assertions:
          - slot_was_set: [{name: no_such_slot}]
          - flow_started: no_such_flow
`;
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });

  it("fails (never passes) a test that expects a response, slot or flow the assistant does not have", async () => {
    const result = await run(["test", "e2e", ...PROJECT, "--format", "json"], dir);
    const report = JSON.parse(result.out) as Report;
    expect(report.test_cases.map((testCase) => testCase.passed)).toEqual([false, false]);
    expect(report.test_cases[0]!.failures[0]!.expected).toContain("utter_no_such_response");
    expect(report.test_cases[1]!.failures.map((failure) => failure.line)).toEqual([lineOf(TESTS, "no_such_slot"), lineOf(TESTS, "no_such_flow")]);
    expect(result.code).toBe(1);
  });
});

describe("flowc test: several self-contained test files (Rasa's e2e format)", () => {
  const SEND = "      - user: send 5 to Ann\n        commands: [start flow transfer_money, set slot recipient Ann, set slot amount 5]\n";
  const expectDone = (name: string, done: boolean) => `  - test_case: ${name}\n    steps:\n${SEND}      - utter: ${done ? "utter_done" : "utter_no_funds"}\n      - utter: utter_can_do_something_else\n`;
  const stub = (value: boolean) => `  check_funds:\n    events: [{event: slot, name: has_funds, value: ${value}}]\n`;

  it("applies a file's `name` stub to that file's test cases only; `test_case::name` reaches its test case in any file", async () => {
    const dir = project({
      "domain.yml": DOMAIN,
      "flows.yml": FLOWS,
      "e2e/a.yml": `stub_custom_actions:\n${stub(true)}  in_c_stubbed::check_funds:\n    events: [{event: slot, name: has_funds, value: true}]\ntest_cases:\n${expectDone("in_a", true)}`,
      "e2e/b.yml": `stub_custom_actions:\n${stub(false)}test_cases:\n${expectDone("in_b", false)}`,
      // no stub of its own: check_funds returns nothing, so has_funds stays unset
      "e2e/c.yml": `test_cases:\n${expectDone("in_c", false)}${expectDone("in_c_stubbed", true)}`,
    });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.err).toBe("");
    expect(result.out.split("\n").at(-1)).toBe("4 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("shares the `name` stubs of a file without test cases with every file, under each file's own", async () => {
    const dir = project({
      "domain.yml": DOMAIN,
      "flows.yml": FLOWS,
      "e2e/stubs.yml": `stub_custom_actions:\n${stub(true)}`,
      "e2e/a.yml": `test_cases:\n${expectDone("shared_stub", true)}`,
      "e2e/b.yml": `stub_custom_actions:\n${stub(false)}test_cases:\n${expectDone("own_stub", false)}`,
      // a test file, though without test cases: its stubs serve its own (none)
      "e2e/c.yml": `stub_custom_actions:\n${stub(false)}test_cases: []\n`,
    });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.err).toBe("");
    expect(result.out.split("\n").at(-1)).toBe("2 passed, 0 failed");
    const twice = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/s1.yml": `stub_custom_actions:\n${stub(true)}`, "e2e/s2.yml": `stub_custom_actions:\n${stub(false)}`, "e2e/a.yml": `test_cases:\n${expectDone("shared_stub", true)}` });
    const refused = await run(["test", "e2e", ...PROJECT], twice);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^e2e\/s2\.yml:2:3: error FLW5020: a second stub for `check_funds`/m);
  });

  it("shares the `name` stubs of test files of the same file name in other folders, the later file's over the earlier's", async () => {
    // Rasa keys a file's `name` stubs by the file's name without its folder (extract_stub_custom_actions in
    // rasa/e2e_test/utils/io.py: Path(test_file).name), a later file's replacing an earlier's, and looks
    // them up by the running test case's file name (e2e_test_runner.py run_tests, stub_custom_action.py).
    const shared = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/x/cases.yml": `stub_custom_actions:\n${stub(true)}test_cases:\n${expectDone("in_x", true)}`, "e2e/y/cases.yml": `test_cases:\n${expectDone("in_y", true)}` });
    const result = await run(["test", "e2e", ...PROJECT], shared);
    expect(result.err).toBe("");
    expect(result.out.split("\n").at(-1)).toBe("2 passed, 0 failed");
    const replaced = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/x/cases.yml": `stub_custom_actions:\n${stub(true)}test_cases:\n${expectDone("in_x", false)}`, "e2e/y/cases.yml": `stub_custom_actions:\n${stub(false)}test_cases:\n${expectDone("in_y", false)}` });
    const later = await run(["test", "e2e", ...PROJECT], replaced);
    expect(later.err).toBe("");
    expect(later.out.split("\n").at(-1)).toBe("2 passed, 0 failed");
  });

  it("accepts the same fixture and metadata defined alike in several files", async () => {
    const file = (name: string) => `fixtures:\n  - ann:\n      - recipient: Ann\nmetadata:\n  - web:\n      channel: web\ntest_cases:\n  - test_case: ${name}\n    fixtures: [ann]\n    metadata: web\n    steps:\n      - user: send money\n        commands: [start flow transfer_money]\n      - utter: utter_ask_amount\n`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/a.yml": file("in_a"), "e2e/b.yml": file("in_b") });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.err).toBe("");
    expect(result.out.split("\n").at(-1)).toBe("2 passed, 0 failed");
  });

  it("runs test cases of the same name from different files, each reported with its file", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/a.yml": `stub_custom_actions:\n${stub(true)}test_cases:\n${expectDone("happy_path", true)}`, "e2e/b.yml": `stub_custom_actions:\n${stub(false)}test_cases:\n${expectDone("happy_path", false)}` });
    const result = await run(["test", "e2e", ...PROJECT, "--format", "json"], dir);
    const report = JSON.parse(result.out) as Report;
    expect(report.test_cases.map((testCase) => [testCase.name, testCase.file, testCase.passed])).toEqual([
      ["happy_path", "e2e/a.yml", true],
      ["happy_path", "e2e/b.yml", true],
    ]);
    expect(result.code).toBe(0);
  });
});

describe("several test files: what stays a mistake", () => {
  it("reports a fixture or metadata entry defined again with other contents, and a test case named twice in one file", () => {
    const a = "fixtures:\n  - ann:\n      - recipient: Ann\nmetadata:\n  - web: {channel: web}\ntest_cases:\n  - test_case: t\n    steps: [{user: hi}]\n";
    const b = "fixtures:\n  - ann:\n      - recipient: Bob\nmetadata:\n  - web: {channel: app}\ntest_cases:\n  - test_case: u\n    steps: [{user: hi}]\n  - test_case: u\n    steps: [{user: hi}]\n";
    const { problems } = parseTestTexts([{ path: "a.yml", text: a }, { path: "b.yml", text: b }]);
    expect(problems.map((problem) => [problem.file, problem.line, problem.message])).toEqual([
      ["b.yml", lineOf(b, "- ann:"), expect.stringContaining("a second fixture named `ann`")],
      ["b.yml", lineOf(b, "- web:"), expect.stringContaining("a second metadata entry named `web`")],
      ["b.yml", lineOf(b, "test_case: u", lineOf(b, "test_case: u")), expect.stringContaining("a second test case named `u`")],
    ]);
  });
});

describe("flowc test: Rasa's `assertion_order_enabled` on a user step", () => {
  // The turn: check_funds runs and says "Checked.", then utter_done, the flow completes, then
  // pattern_completed's utter_can_do_something_else.
  const turn = (name: string, order: boolean, assertions: string[]) => `  - test_case: ${name}
    steps:
      - user: send 5 to Ann
        commands: [start flow transfer_money, set slot recipient Ann, set slot amount 5]
${order ? "        assertion_order_enabled: true\n" : ""}        assertions:
${assertions.map((assertion) => `          - ${assertion}\n`).join("")}`;
  const IN_ORDER = ["action_executed: check_funds", 'bot_uttered: {text_matches: "^Checked"}', "bot_uttered: {utter_name: utter_done}", "flow_completed: {flow_id: transfer_money}", "bot_uttered: {utter_name: utter_can_do_something_else}"];
  const OUT_OF_ORDER = ["bot_uttered: {utter_name: utter_done}", "action_executed: check_funds"];
  const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
    responses: [{text: Checked.}]
test_cases:
${turn("in_order", true, IN_ORDER)}${turn("out_of_order", true, OUT_OF_ORDER)}${turn("out_of_order_unordered", false, OUT_OF_ORDER)}`;

  it("checks each assertion after what the one before it matched, and accepts the key", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });
    const result = await run(["test", "e2e", ...PROJECT, "--format", "json"], dir);
    const report = JSON.parse(result.out) as Report;
    expect(report.test_cases.map((testCase) => [testCase.name, testCase.passed])).toEqual([
      ["in_order", true],
      ["out_of_order", false],
      ["out_of_order_unordered", true],
    ]);
    const failure = report.test_cases[1]!.failures;
    expect(failure.map((f) => f.line)).toEqual([lineOf(TESTS, "action_executed: check_funds", lineOf(TESTS, "test_case: out_of_order"))]);
  });

  it("takes only a boolean, and only beside `assertions`", () => {
    const text = "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        assertion_order_enabled: yes\n        assertions: [{action_executed: action_listen}]\n      - user: hi\n        assertion_order_enabled: true\n";
    const { problems } = parseTestTexts([{ path: "t.yml", text }]);
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [5, expect.stringContaining("`assertion_order_enabled` takes `true` or `false`")],
      [8, expect.stringContaining("has none")],
    ]);
  });
});

describe("flowc test: a malformed `commands` list", () => {
  it("names each entry that is not a command line, at its place", () => {
    const text = "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        commands:\n          - start flow check_balance\n          - [start flow check_balance]\n          - {set slot: x}\n";
    const { problems } = parseTestTexts([{ path: "t.yml", text }]);
    expect(problems.map((problem) => [problem.line, problem.column, problem.message])).toEqual([
      [7, 13, "a command line takes text"],
      [8, 13, "a command line takes text"],
    ]);
  });
});

describe("flowc test --trace FILE: where the file goes", () => {
  const TESTS = "test_cases:\n  - test_case: t\n    steps:\n      - user: balance\n        commands: [start flow check_balance]\n      - utter: utter_balance\n      - utter: utter_can_do_something_else\n";

  it("creates the folder of FILE when it does not exist", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "out/traces/run.jsonl"], dir);
    expect(result.code).toBe(0);
    expect(readTrace(dir, "out/traces/run.jsonl")).toHaveLength(1);
  });

  it("still reports the results when FILE cannot be written, and exits 2 (an I/O error)", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": TESTS });
    const result = await run(["test", "e2e", ...PROJECT, "--trace", "e2e"], dir);
    expect(result.code).toBe(2);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.err).toContain("e2e");
  });
});

describe("flowc test: `test_case::action` stubs of a test case whose name has spaces", () => {
  // Rasa looks a test case's stubs up by its name with spaces turned into `_`
  // (rasa/e2e_test/e2e_test_runner.py, run_tests), and its schema allows only letters, digits
  // and `_` around the `::` of a stub's key (rasa/e2e_test/e2e_test_schema.yml).
  const send = "    steps:\n      - user: send 5 to Ann\n        commands: [start flow transfer_money, set slot recipient Ann, set slot amount 5]\n      - utter: utter_done\n      - utter: utter_can_do_something_else\n";

  it("reach it by its name with underscores, as Rasa looks them up", async () => {
    const tests = `stub_custom_actions:\n  send_with_rasa_key::check_funds:\n    events: [{event: slot, name: has_funds, value: true}]\ntest_cases:\n  - test_case: send with rasa key\n${send}`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.err).toBe("");
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("are refused under the name with spaces, which Rasa's schema refuses and its runner never looks up", async () => {
    const tests = `stub_custom_actions:\n  send with funds::check_funds:\n    events: [{event: slot, name: has_funds, value: true}]\ntest_cases:\n  - test_case: send with funds\n${send}`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^e2e\/t\.yml:2:3: error FLW5030: .*`send_with_funds::check_funds`/m);
  });
});

describe("flowc test: environment variables in test files", () => {
  it("expands `${VAR}` from the environment, as Rasa reads YAML, and names one that is not set", async () => {
    const tests = "test_cases:\n  - test_case: t\n    steps:\n      - user: I am ${FLOWC_CONTRACT_USER}\n        commands: [start flow check_balance]\n      - utter: utter_balance\n      - utter: utter_can_do_something_else\n";
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    process.env["FLOWC_CONTRACT_USER"] = "Zoë";
    try {
      const result = await run(["test", "e2e", ...PROJECT, "--trace", "trace.jsonl"], dir);
      expect(result.code).toBe(0);
      expect(readTrace(dir)[0]!.user).toBe("I am Zoë");
    } finally {
      delete process.env["FLOWC_CONTRACT_USER"];
    }
    const unset = await run(["test", "e2e", ...PROJECT], dir);
    expect(unset.code).toBe(2);
    expect(unset.err).toMatch(/^e2e\/t\.yml:4:\d+: error FLW1003: .*FLOWC_CONTRACT_USER/m);
  });
});

describe("flowc test: a test case in the assertions style", () => {
  it("is one where some user step has `assertions`, even an empty list: its other turns may send anything", async () => {
    const tests = "test_cases:\n  - test_case: t\n    steps:\n      - user: send money\n        commands: [start flow transfer_money]\n        assertions: []\n      - user: to Ann\n        commands: [set slot recipient Ann]\n";
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", ...PROJECT], dir);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });
});
