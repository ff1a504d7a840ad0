/**
 * `flowc test` as a command (design §3.1): usage errors, malformed test files and an
 * assistant that does not compile all exit 2 before any test runs; and the assistant under
 * test is the generated TypeScript, loaded from a temporary folder.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { project, run, runBin, testReport } from "../support/cli.ts";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";


const DOMAIN = `slots:
  name:
    type: text
responses:
  utter_ask_name:
    - text: What is your name?
  utter_greet:
    - text: Hello, {name}!
`;

const FLOWS = `flows:
  greet:
    description: Greets the user by name.
    steps:
      - collect: name
      - action: utter_greet
`;

const TESTS = `test_cases:
  - test_case: greet
    steps:
      - user: hi
        commands: [start flow greet]
      - utter: utter_ask_name
`;

interface TraceLine {
  readonly step: number;
  readonly commands: unknown[];
  readonly actions: string[];
}

/** Runs `flowc test` on the greet assistant and the e2e file `name` holding `tests`, with a trace: the CLI's result and the trace's lines. */
async function runWithTrace(name: string, tests: string): Promise<{ result: Awaited<ReturnType<typeof run>>; trace: TraceLine[] }> {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, [`e2e/${name}`]: tests });
  const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--trace", "trace.jsonl"], dir);
  const trace = readFileSync(join(dir, "trace.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as TraceLine);
  return { result, trace };
}

describe("flowc test: usage", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/greet.yml": TESTS });

  it("needs --project", async () => {
    const result = await run(["test", "e2e"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("give the assistant to test with --project PATH");
  });

  it("refuses an unknown option and an unknown format", async () => {
    const unknown = await run(["test", "e2e", "--project", ".", "--verbose"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("--verbose");
    const format = await run(["test", "e2e", "--project", ".", "--format", "yaml"], dir);
    expect(format.code).toBe(2);
    expect(format.err).toContain("--format must be `text` or `json`");
  });

  it("lists itself in the help", async () => {
    const result = await run(["test", "--help"], dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain("test [PATH...] --project PATH");
  });

  it("exits 2 when no test file is found, naming the path without a place in a file", async () => {
    const result = await run(["test", "flows.yml", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.code).toBe(2);
    expect(result.err.trim()).toBe("error FLW5001: no e2e test cases found in flows.yml (a test file has a top-level `test_cases` list)");
  });

  it("runs only the test case named by PATH::name, as `rasa test e2e` does, and exits 2 on a name it does not find", async () => {
    const two = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/greet.yml": `${TESTS}  - test_case: greet_wrongly\n    steps:\n      - user: hi\n        commands: [start flow greet]\n      - utter: utter_greet\n` });
    const args = ["--project", "domain.yml", "--project", "flows.yml"];
    const all = await run(["test", "e2e", ...args], two);
    expect(all.code).toBe(1);
    expect(all.out).toContain("1 passed, 1 failed");
    const one = await run(["test", "e2e/greet.yml::greet", ...args], two);
    expect(one.code).toBe(0);
    expect(one.out).toContain("1 passed, 0 failed");
    const folder = await run(["test", "e2e::greet_wrongly", ...args], two);
    expect(folder.code).toBe(1);
    expect(folder.out).toContain("0 passed, 1 failed");
    const missing = await run(["test", "e2e::greeting", ...args], two);
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toBe("error FLW5002: test case `greeting` not found in e2e");
  });

  it("exits 2 on a test path that does not exist, naming it without a place in a file", async () => {
    const result = await run(["test", "missing", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error FLW0001: cannot read missing: /);
    const json = await run(["test", "missing", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toEqual({ errors: [{ code: "FLW0001", severity: "error", file: null, line: null, column: null, endLine: null, endColumn: null, message: expect.stringMatching(/^cannot read missing: /) }], warnings: [] });
  });

  it("exits 2 on a malformed test file, pointing at the line, before compiling", async () => {
    const bad = project({ "t.yml": "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n        commands: start flow greet\n" });
    const result = await run(["test", "t.yml", "--project", "missing"], bad);
    expect(result.code).toBe(2);
    expect(result.err).toContain("t.yml:5:19: error FLW5011: `commands` must be a list of command lines (`commands: []` for an empty list)\n5 |         commands: start flow greet\n  |                   ^^^^^^^^^^^^^^^^");
    const json = await run(["test", "t.yml", "--project", "missing", "--format", "json"], bad);
    expect(JSON.parse(json.out)).toEqual({ errors: [{ code: "FLW5011", severity: "error", file: "t.yml", line: 5, column: 19, endLine: 5, endColumn: 35, message: expect.stringContaining("`commands` must be a list") }], warnings: [] });
  });

  it("exits 2 with the compile errors when the assistant does not compile", async () => {
    const broken = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS.replace("collect: name", "collect: nam"), "e2e/greet.yml": TESTS });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], broken);
    expect(result.code).toBe(2);
    expect(result.err).toContain("flows.yml:5:9: error FLW2006");
    expect(result.err).toContain("does not compile (1 error)");
    const json = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], broken);
    expect(JSON.parse(json.out).errors.map((d: { code: string }) => d.code)).toEqual(["FLW2006"]);
  });
});

describe("flowc test: a trace it cannot write (an I/O error, FLW0003 as compile reports it)", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/greet.yml": TESTS, blocker: "" });
  const args = ["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--trace", "blocker/trace.jsonl"];

  it("--format json: one document on standard output, the results with the diagnostic under `errors`, and exit 2", async () => {
    const result = await run([...args, "--format", "json"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toBe("");
    const report = JSON.parse(result.out) as { passed: number; failed: number; errors: unknown[] };
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(report.errors).toEqual([{ code: "FLW0003", severity: "error", message: expect.stringMatching(/^cannot write blocker\/trace\.jsonl: /), file: null, line: null, column: null, endLine: null, endColumn: null }]);
  });

  it("text: the results on standard output, the diagnostic on standard error, and exit 2", async () => {
    const result = await run(args, dir);
    expect(result.code).toBe(2);
    expect(result.out).toContain("1 passed, 0 failed");
    expect(result.err).toMatch(/^error FLW0003: cannot write blocker\/trace\.jsonl: \S+$/);
  });

  it("the installed bin says the same, without a stack trace", () => {
    const result = runBin([...args, "--format", "json"], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("");
    expect((JSON.parse(result.stdout) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(["FLW0003"]);
    const text = runBin(args, dir);
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/^error FLW0003: cannot write blocker\/trace\.jsonl: \S+\n$/);
  });
});

describe("flowc test: the assistant under test", () => {
  it("is the generated code, loaded with this package's runtime", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS });
    const loaded = await loadAssistant(["domain.yml", "flows.yml"], dir);
    expect(loaded.compile.errors).toEqual([]);
    const assistant = loaded.create!({});
    expect(Object.keys(assistant.compiled.flows)).toContain("greet");
    const state = assistant.initialState();
    expect(state.slots).toMatchObject({ name: null });
    expect(assistant.parseCommands(state, ["start flow greet"])).toEqual([{ command: "start flow", flow: "greet" }]);
    expect(assistant.parseCommands(state, ["hello there"])).toEqual([{ command: "cannot handle", reason: "cannot_handle_default" }]);
  });
});

describe("flowc test: steps without commands", () => {
  it("go to the deterministic command generator, which keeps command lines as they are", async () => {
    const tests = `test_cases:
  - test_case: in_words
    steps:
      - user: please greet me
      - utter: utter_ask_name
      - user: Ann
      - bot: Hello, Ann!
      - utter: utter_can_do_something_else
  - test_case: in_commands
    steps:
      - user: start flow greet
      - utter: utter_ask_name
      - user: /SetSlots(name=Bo)
      - bot: Hello, Bo!
      - utter: utter_can_do_something_else
`;
    const { result, trace } = await runWithTrace("words.yml", tests);
    expect(result.out).toContain("2 passed, 0 failed");
    expect(result.code).toBe(0);
    expect(trace.map((line) => line.commands)).toEqual([
      [{ command: "start flow", flow: "greet" }],
      [{ command: "set slot", name: "name", value: "Ann", extractor: "LLM" }],
      [{ command: "start flow", flow: "greet" }],
      [{ command: "set slot", name: "name", value: "Bo", extractor: "COMMAND_PAYLOAD_READER" }],
    ]);
  });

  it("skip a blank `user:` step with a warning, as Rasa's runner does, and check the steps after it against the turn before it", async () => {
    // Rasa's TestStep keeps a user text stripped to nothing as none, and its runner skips such a
    // step with a warning (rasa/e2e_test/e2e_test_runner.py): no message is sent, so no
    // empty-input error; the bot steps that follow are checked against the latest turn.
    const tests = `test_cases:
  - test_case: blank
    steps:
      - user: start flow greet
      - user: ""
      - utter: utter_ask_name
      - user: "   "
      - utter: utter_ask_name
      - user: Ann
      - bot: Hello, Ann!
`;
    const { result, trace } = await runWithTrace("blank.yml", tests);
    expect(result.out).toContain("1 passed, 0 failed");
    expect(trace).toHaveLength(2);
    // `step` counts the user steps as written, the skipped ones too, so that it points into the file.
    expect(trace.map((line) => line.step)).toEqual([0, 3]);
    expect(trace[1]!.commands).toEqual([{ command: "set slot", name: "name", value: "Ann", extractor: "LLM" }]);
    expect(warningLines(result.err)).toEqual([
      "e2e/blank.yml:5:15: warning FLW5040: a blank `user:` step sends no message: Rasa's runner skips it, and the steps after it are checked against the turn before it",
      "e2e/blank.yml:7:15: warning FLW5040: a blank `user:` step sends no message: Rasa's runner skips it, and the steps after it are checked against the turn before it",
    ]);
    // The turn before has no such message: the step after the blank one fails there.
    const failing = await runWithTrace("blank-fails.yml", tests.replace("      - user: Ann\n", "      - user: \"\"\n      - bot: Hello, Ann!\n      - user: Ann\n"));
    expect(failing.result.out).toContain("0 passed, 1 failed");
  });

  it("refuse a blank `user:` step with assertions, which Rasa's runner could not check; bot steps after a leading blank step are the session start's", async () => {
    const tests = `test_cases:
  - test_case: blank_assertions
    steps:
      - user: start flow greet
        assertions:
          - bot_uttered: {utter_name: utter_ask_name}
      - user: ""
        assertions:
          - bot_uttered: {utter_name: utter_ask_name}
  - test_case: leading_blank
    steps:
      - user: ""
      - utter: utter_ask_name
      - user: start flow greet
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/blank.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("e2e/blank.yml:7:15: error FLW5031: a blank `user:` step with `assertions`");
    expect(result.err).not.toContain("e2e/blank.yml:13");
  });

  it("answer an empty message with the empty-input error and the pending question", async () => {
    // runtime-semantics.md §d.2 "user input ... empty → ErrorCommand with ..._user_input_empty"
    // (what the command generator makes of an empty message: command-generator.test.ts); §c
    // pattern_internal_error answers it with utter_user_input_empty_error_rasa; f.15 the
    // pending question follows in the same turn.
    const tests = `test_cases:
  - test_case: empty
    steps:
      - user: start flow greet
      - utter: utter_ask_name
      - user: (nothing)
        commands: ["<error rasa_internal_error_user_input_empty>"]
      - utter: utter_user_input_empty_error_rasa
      - utter: utter_ask_name
`;
    const { result, trace } = await runWithTrace("empty.yml", tests);
    expect(result.out).toContain("1 passed, 0 failed");
    expect(trace[1]!.commands).toEqual([{ command: "error", error_type: "rasa_internal_error_user_input_empty", info: {} }]);
    expect(trace[1]!.actions).toEqual(["utter_user_input_empty_error_rasa", "action_run_slot_rejections", "utter_ask_name", "action_listen"]);
  });

  it("answer a message of more than 420 characters with the too-long error and the pending question, as Rasa's command generators do", async () => {
    // §d.2 "user input too long → ErrorCommand with rasa_internal_error_user_input_too_long";
    // Rasa's default limit (user_input.max_characters) is 420 characters.
    const tests = `test_cases:
  - test_case: too_long
    steps:
      - user: start flow greet
      - utter: utter_ask_name
      - user: "${"a".repeat(421)}"
      - utter: utter_user_input_too_long_error_rasa
      - utter: utter_ask_name
      - user: "${"b".repeat(420)}"
      - slot_was_set:
          - name: "${"b".repeat(420)}"
`;
    const { result, trace } = await runWithTrace("long.yml", tests);
    expect(result.out).toContain("1 passed, 0 failed");
    // CommandGenerator.evaluate_message: ErrorCommand(error_type=…, info={"max_characters": 420})
    expect(trace[1]!.commands).toEqual([{ command: "error", error_type: "rasa_internal_error_user_input_too_long", info: { max_characters: 420 } }]);
  });
});

describe("flowc test: fixtures", () => {
  it("set categorical and list slots as those slots take every value (conditions.md §1.1: snapped to the domain's casing, wrapped in a list)", async () => {
    const domain = `slots:
  tier:
    type: categorical
    values: [Gold, Silver]
    mappings: [{type: controlled}]
  tags:
    type: list
    mappings: [{type: controlled}]
responses:
  utter_gold:
    - text: Gold and tagged.
  utter_other:
    - text: Other.
`;
    const flows = `flows:
  welcome:
    description: Welcomes the user by tier.
    steps:
      - noop: true
        next:
          - if: slots.tier = "Gold" and slots.tags contains "vip"
            then:
              - action: utter_gold
                next: END
          - else:
              - action: utter_other
                next: END
`;
    const tests = `fixtures:
  - gold:
      - tier: gold
      - tags: vip
test_cases:
  - test_case: gold
    fixtures: [gold]
    steps:
      - user: hi
        commands: [start flow welcome]
      - utter: utter_gold
`;
    const dir = project({ "domain.yml": domain, "flows.yml": flows, "e2e/gold.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.out).toContain("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("leave out a slot the assistant does not have, as Rasa's tracker does, with a warning on standard error (in the JSON report, `warnings`)", async () => {
    const domain = "slots:\n  tier:\n    type: text\n    mappings: [{type: controlled}]\nresponses:\n  utter_hi:\n    - text: Hi {tier}.\n";
    const flows = "flows:\n  welcome:\n    description: Welcomes the user.\n    steps:\n      - action: utter_hi\n";
    const tests = "fixtures:\n  - gold:\n      - tier: gold\n      - colour: red\ntest_cases:\n  - test_case: gold\n    fixtures: [gold]\n    steps:\n      - user: hi\n        commands: [start flow welcome]\n      - bot: Hi gold.\n";
    const dir = project({ "domain.yml": domain, "flows.yml": flows, "e2e/gold.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(warningLines(result.err)).toEqual(["e2e/gold.yml:2:5: warning FLW5043: the fixture `gold` sets `colour`, which is not a slot of the assistant: left out, as Rasa leaves it out"]);
    expect(result.code).toBe(0);
    const json = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(JSON.parse(json.out).warnings).toEqual([expect.objectContaining({ code: "FLW5043", severity: "warning", file: "e2e/gold.yml", line: 2, message: expect.stringContaining("`colour`") })]);
  });
});

describe("flowc test: a fixture or metadata name the test files do not define", () => {
  // rasa/e2e_test/e2e_test_runner.py: filter_fixtures_for_test_case keeps the fixtures whose
  // name the test case lists, so an unknown name sets nothing; filter_metadata_for_input logs
  // a warning and attaches no metadata. The test case runs.
  it("is warned of, and the test case runs without it", async () => {
    const domain = "slots:\n  tier:\n    type: text\n    mappings: [{type: controlled}]\nresponses:\n  utter_hi:\n    - text: Hi.\n";
    const flows = "flows:\n  welcome:\n    description: Welcomes the user.\n    steps:\n      - action: utter_hi\n";
    const tests = "fixtures:\n  - gold:\n      - tier: gold\nmetadata:\n  - web: {channel: web}\ntest_cases:\n  - test_case: t\n    fixtures: [silver]\n    metadata: mobile\n    steps:\n      - user: hi\n        metadata: tablet\n        commands: [start flow welcome]\n      - utter: utter_hi\n      - slot_was_not_set:\n          - tier\n";
    const dir = project({ "domain.yml": domain, "flows.yml": flows, "e2e/t.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(warningLines(result.err)).toEqual([
      "e2e/t.yml:8:16: warning FLW5042: no fixture named `silver` (fixtures: gold): Rasa's runner sets nothing for it",
      "e2e/t.yml:9:15: warning FLW5042: no metadata named `mobile` (metadata: web): Rasa's runner sends none for it",
      "e2e/t.yml:12:19: warning FLW5042: no metadata named `tablet` (metadata: web): Rasa's runner sends none for it",
    ]);
    expect(result.out.split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(result.code).toBe(0);
  });
});

describe("flowc test: names the assistant does not have", () => {
  it("are warned of at the name, with the closest name, and the test cases run as written", async () => {
    const tests = `stub_custom_actions:
  look_up:
    responses: [{response: utter_found}]
test_cases:
  - test_case: typos
    steps:
      - user: hi
        commands: [start flow greet]
      - utter: utter_ask_nam
      - slot_was_not_set:
          - nam
  - test_case: assertions
    steps:
      - user: hi
        commands: [start flow greet]
        assertions:
          - flow_started: gret
          - bot_did_not_utter:
              utter_name: utter_greeet
          - bot_did_not_utter:
              utter_name: utter_found
          - slot_was_set:
              - name: colour
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/typos.yml": tests });
    const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(warningLines(result.err)).toEqual([
      "e2e/typos.yml:9:16: warning FLW5041: `utter_ask_nam` is not a response of the assistant",
      "  help: did you mean `utter_ask_name`?",
      "e2e/typos.yml:11:13: warning FLW5041: `nam` is not a slot of the assistant",
      "  help: did you mean `name`?",
      "e2e/typos.yml:17:27: warning FLW5041: `gret` is not a flow of the assistant",
      "  help: did you mean `greet`?",
      "e2e/typos.yml:19:27: warning FLW5041: `utter_greeet` is not a response of the assistant",
      "  help: did you mean `utter_greet`?",
      "e2e/typos.yml:23:23: warning FLW5041: `colour` is not a slot of the assistant",
    ]);
    expect(result.out).toMatch(/failed: typos\b[\s\S]*failed: assertions\b/);
    expect(result.out.split("\n").at(-1)).toBe("0 passed, 2 failed");
  });
});

describe("flowc test: a user text that is an intent in Rasa", () => {
  const flows = `flows:
  say_hello:
    description: Asks for a name and says hello.
    nlu_trigger:
      - intent: greet
    steps:
      - collect: name
      - action: utter_greet
  pattern_session_start:
    description: Flow for starting the conversation
    nlu_trigger:
      - intent: session_start
    steps:
      - action: utter_greet
`;
  const tests = `test_cases:
  - test_case: session_start
    steps:
      - user: /session_start
      - utter: utter_greet
  - test_case: greet
    steps:
      - user: '/greet{"name": "Ann"}'
      - utter: utter_greet
  - test_case: greet_plain
    steps:
      - user: /greet
      - utter: utter_greet
  - test_case: untriggered
    steps:
      - user: /goodbye
      - utter: utter_greet
  - test_case: plain
    steps:
      - user: hello there
      - utter: utter_greet
`;

  it("says in the failure's note which flow Rasa's nlu_trigger starts, and how to start a user flow in flowc", async () => {
    const dir = project({ "domain.yml": `${DOMAIN}intents:\n  - greet\n  - session_start\n  - goodbye\n`, "flows.yml": flows, "e2e/intents.yml": tests });
    const report = await testReport<{ note?: string }>(dir);
    expect(report("session_start").failures[0]!.note).toBe("`/session_start` is the intent `session_start` in Rasa, which starts `pattern_session_start` through its `nlu_trigger` there (with an NLU command adapter in the pipeline); flowc reads no intents; the step has no `commands`, so flowc's command generator read the user text as: cannot handle");
    // the command generator happened to start the flow from the entity's words: no hint to start it
    expect(report("greet").failures[0]!.note).toBe("`/greet{\"name\": \"Ann\"}` is the intent `greet` in Rasa, which starts `say_hello` through its `nlu_trigger` there (with an NLU command adapter in the pipeline); flowc reads no intents; the step has no `commands`, so flowc's command generator read the user text as: start flow say_hello");
    expect(report("greet_plain").failures[0]!.note).toBe("`/greet` is the intent `greet` in Rasa, which starts `say_hello` through its `nlu_trigger` there (with an NLU command adapter in the pipeline); flowc reads no intents: give the step `commands: [start flow say_hello]`; the step has no `commands`, so flowc's command generator read the user text as: cannot handle");
    expect(report("untriggered").failures[0]!.note).toMatch(/^`\/goodbye` is the intent `goodbye` in Rasa, which no flow's `nlu_trigger` names; flowc reads no intents; the step has no `commands`/);
    expect(report("plain").failures[0]!.note).toMatch(/^the step has no `commands`/);
  });
});

/** The head line and `help:` of each warning printed on standard error, without excerpts. */
function warningLines(err: string): string[] {
  return err.split("\n").filter((line) => / warning FLW\d+: /.test(line) || line.startsWith("  help: "));
}

describe("flowc test: a `bot:` step against a response that ends with a line break", () => {
  it("says in the failure's note that the step cannot pass in Rasa either, and what to write", async () => {
    const domain = DOMAIN.replace("  utter_ask_name:\n    - text: What is your name?\n", "  utter_ask_name:\n    - text: |\n        What is your name?\n");
    const tests = `test_cases:
  - test_case: block
    steps:
      - user: hi
        commands: [start flow greet]
      - bot: What is your name?
  - test_case: other_text
    steps:
      - user: hi
        commands: [start flow greet]
      - bot: What is your age?
`;
    const dir = project({ "domain.yml": domain, "flows.yml": FLOWS, "e2e/block.yml": tests });
    const report = await testReport<{ note?: string }>(dir);
    expect(report("block").passed).toBe(false);
    expect(report("block").failures[0]!.note).toBe(
      'the message of `utter_ask_name` has this text with white space at its end or start ("What is your name?\\n"); Rasa compares a `bot:` step\'s text, stripped, with the message\'s text as it is, so the step cannot pass in Rasa either: write `utter: utter_ask_name` instead, or end the response\'s text without it (`|-` for a block)',
    );
    expect(report("other_text").failures[0]!.note).toBeUndefined();
  });
});

describe("flowc test: a step's commands that Rasa's command parser drops", () => {
  it("names each in the failure's note, with why: a pattern, a flow the assistant lacks, a line in no command's syntax", async () => {
    const tests = `test_cases:
  - test_case: pattern
    steps:
      - user: search please
        commands: [start flow pattern_search]
      - utter: utter_ask_name
  - test_case: typo
    steps:
      - user: hi
        commands: [start flow greets, "hello there", cannot handle]
      - utter: utter_ask_name
  - test_case: kept
    steps:
      - user: hi
        commands: [start flow greet]
      - utter: utter_greet
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/dropped.yml": tests });
    const report = await testReport<{ note?: string }>(dir);
    expect(report("pattern").failures[0]!.note).toBe("of the step's commands, Rasa's command parser drops `start flow pattern_search` (a pattern: Rasa starts its patterns itself, and a `start flow` starts user flows only)");
    expect(report("typo").failures[0]!.note).toBe(
      "of the step's commands, Rasa's command parser drops `start flow greets` (the assistant has no flow `greets`: did you mean `greet`?), `hello there` (no command of the command language reads it)",
    );
    // A step whose commands all stand fails without the note.
    expect(report("kept").failures[0]!.note).toBeUndefined();
  });
});
