/**
 * Reads e2e test files (design §3.2) into a {@link TestSuite}. Rasa's format plus flowc's two
 * extensions (`commands` and per-step `stub_custom_actions` on user steps), read with the
 * compiler's YAML layer so that every problem has a file and line. A malformed file is a list
 * of problems, never an exception; with any problem, `flowc test` runs nothing (exit 2).
 *
 * A YAML file takes part when it has a top-level `test_cases`, `stub_custom_actions`,
 * `fixtures` or `metadata` key; others (flows, domain, NLU data) are skipped, so that a test
 * folder may sit beside the assistant (a file with `test_case` and `steps` at its top, one test
 * case without its list, is skipped with a warning, FLW5044). As in Rasa, a stub named `name` applies to the test cases
 * of its own file (and of test files of the same file name, which Rasa does not tell apart) and
 * one named `test_case::name` to that test case wherever it is, while
 * fixtures and metadata are shared by all files. A file of stubs without test cases (which
 * Rasa would not read) shares its `name` stubs with every file, under the files' own. A
 * step-style step (`utter:`, `bot:`, `slot_was_set:`, `slot_was_not_set:`) of a test case with
 * `assertions` is warned of (FLW5045): Rasa's runner then reads the assertions alone.
 *
 * Rejects, for example:
 *   test_cases:
 *     - test_case: greet
 *       steps:
 *         - user: hi
 *           asserts: []            (unknown key `asserts` of a user step)
 */
import { resolve, sep } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { translatePythonRegex } from "../conditions/translate-regex.ts";
import type { TestFileDiagnosticKey } from "../diagnostics/catalogue.ts";
import { createDiagnostic, DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { findYamlFiles, parseYamlFiles, readInputs, type InputText } from "../passes/load-yaml-files.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";
import { writtenAsFloat } from "../source/yaml-scalars.ts";
import type { SourceRange } from "../source/source-file.ts";
import type { YamlTree } from "../source/yaml-tree.ts";
import { stubNamesOf, testWarning, type Assertion, type FixtureSetting, type BotCheck, type NameUse, type BotStep, type Place, type SessionStartChecks, type SlotCheck, type Stub, type StubMessage, type TestCase, type TestFileProblem, type TestSuite, type TestWarning, type UserStep } from "./test-model.ts";

export interface LoadedTests {
  readonly suite: TestSuite;
  readonly problems: readonly TestFileProblem[];
  readonly warnings: readonly TestWarning[];
  /** True when a path could not be read. */
  readonly ioError: boolean;
}

const FILE_KEYS = ["test_cases", "stub_custom_actions", "fixtures", "metadata"] as const;
const TEST_CASE_KEYS = ["test_case", "steps", "fixtures", "metadata"];
const USER_STEP_KEYS = ["user", "commands", "stub_custom_actions", "assertions", "assertion_order_enabled", "metadata"];
const BOT_STEP_KINDS = ["bot", "utter", "slot_was_set", "slot_was_not_set"];
const LLM_ASSERTIONS = ["generative_response_is_relevant", "generative_response_is_grounded"];

/**
 * Finds and reads the test files under `paths` (files or folders, relative to `cwd`). As Rasa
 * reads them, `${VAR}` in a plain scalar is expanded from `env` (an unset one is a problem).
 * A path may end in `::name`, as in `rasa test e2e`: of the test cases under that path, only
 * the one called `name` runs (one that is not there is a problem).
 */
export function loadTestFiles(paths: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedTests {
  const selectors = paths.map(testCaseSelector);
  const diagnostics = new DiagnosticBag();
  const inputs = readInputs(findYamlFiles(selectors.map((selector) => selector.path), diagnostics, cwd), diagnostics, cwd);
  const ioError = diagnostics.all.length > 0;
  const loaded = parseTestTexts(inputs, env);
  const problems = [...diagnostics.all.map(problemOfDiagnostic), ...loaded.problems];
  const testCases = selectTestCases(loaded.suite.testCases, selectors, cwd, problems);
  if (problems.length === 0 && testCases.length === 0) {
    problems.push(problemWithoutPlace("noTestCases", { paths: paths.join(", ") }));
  }
  return { suite: { ...loaded.suite, testCases }, problems, warnings: loaded.warnings, ioError };
}

interface TestCaseSelector {
  readonly path: string;
  /** The test case to run, from `path::name`. */
  readonly name?: string;
}

/** `path::name` (split at the last `::`, as Rasa does) or a plain path. */
function testCaseSelector(argument: string): TestCaseSelector {
  const parts = argument.split("::");
  return parts.length === 1 ? { path: argument } : { path: parts[0]!, name: parts[parts.length - 1]! };
}

/** The test cases the selectors choose: those under a plain path, and under `path::name` the one called `name`. */
function selectTestCases(testCases: readonly TestCase[], selectors: readonly TestCaseSelector[], cwd: string, problems: TestFileProblem[]): readonly TestCase[] {
  if (selectors.every((selector) => selector.name === undefined)) return testCases;
  const under = (selector: TestCaseSelector, testCase: TestCase): boolean => {
    const root = resolve(cwd, selector.path);
    const file = resolve(cwd, testCase.at.file);
    return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
  };
  const chosen = testCases.filter((testCase) => selectors.some((selector) => under(selector, testCase) && (selector.name === undefined || selector.name === testCase.name)));
  for (const selector of selectors) {
    if (selector.name !== undefined && !testCases.some((testCase) => testCase.name === selector.name && under(selector, testCase))) {
      problems.push(problemWithoutPlace("testCaseNotFound", { name: selector.name, path: selector.path }));
    }
  }
  return chosen;
}

/** Reads test files given as text. */
export function parseTestTexts(inputs: readonly InputText[], env: Readonly<Record<string, string | undefined>> = {}): LoadedTests {
  const diagnostics = new DiagnosticBag();
  const files = parseYamlFiles(inputs, diagnostics, { env, takesPart: (keys) => FILE_KEYS.some((key) => keys.includes(key)) });
  const reader = new SuiteReader();
  reader.problems.push(...diagnostics.all.map(problemOfDiagnostic));
  for (const { tree } of files) reader.readFile(tree);
  reader.checkReferences();
  const sharedStubs = reader.sharedStubs();
  return { suite: { testCases: reader.testCases, stubs: reader.stubs, fileStubs: reader.fileStubs, testFiles: reader.testFiles, sharedStubs, fixtures: reader.fixtures, fixturePlaces: reader.fixturePlaces, metadata: reader.metadata, fixtureUses: reader.fixtureUses, metadataUses: reader.metadataUses, ranges: reader.ranges }, problems: reader.problems, warnings: reader.warnings, ioError: false };
}

/** A diagnostic of reading the files (FLW0xxx, FLW1xxx), with its place. */
function problemOfDiagnostic(diagnostic: Diagnostic): TestFileProblem {
  if (!diagnostic.range) return diagnostic; // a path that cannot be read: the message names it
  const { line, column } = diagnostic.range.file.position(diagnostic.range.start);
  return { ...diagnostic, file: diagnostic.range.file.path, line, column };
}

/** A problem of the test files as a whole, without a place in one. */
function problemWithoutPlace(key: TestFileDiagnosticKey, args: Readonly<Record<string, string>>): TestFileProblem {
  return createDiagnostic(key, args);
}

type Json = Record<string, unknown>;

function isMapping(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads one file after another, collecting every problem. */
class SuiteReader {
  readonly problems: TestFileProblem[] = [];
  readonly warnings: TestWarning[] = [];
  readonly testCases: TestCase[] = [];
  readonly stubs = new Map<string, Stub>();
  readonly fileStubs = new Map<string, Map<string, Stub>>();
  readonly fixtures = new Map<string, FixtureSetting[]>();
  readonly fixturePlaces = new Map<string, Place>();
  readonly metadata = new Map<string, Json>();
  private readonly stubPlaces = new Map<string, Place>();
  private readonly nameStubPlaces: { file: string; name: string; at: Place }[] = [];
  /** The files with a `test_cases` key (the others are files of shared stubs, fixtures or metadata). */
  readonly testFiles = new Set<string>();
  readonly fixtureUses: NameUse[] = [];
  readonly metadataUses: NameUse[] = [];
  private tree: YamlTree | undefined;
  /** The range in its file of each place this reader made, for the problems and warnings reported there. */
  readonly ranges = new WeakMap<Place, SourceRange>();

  readFile(tree: YamlTree): void {
    this.tree = tree;
    const root = tree.root;
    if (!isMapping(root)) return;
    if (!FILE_KEYS.some((key) => key in root)) {
      // One test case written at the top of its file, without the `test_cases` list around it.
      if ("test_case" in root && "steps" in root) {
        this.warnings.push(testWarning("testCaseOutsideList", {}, this.keyPlace(root, "test_case"), this.ranges, "write it as an item of a list: `test_cases:`, then `- test_case: …` with its `steps:` under it"));
      }
      return;
    }
    for (const key of Object.keys(root)) {
      if (!(FILE_KEYS as readonly string[]).includes(key)) this.problem("unknownTestKey", this.keyPlace(root, key), { key, what: "an e2e test file", expected: list(FILE_KEYS) });
    }
    // Rasa reads an empty key (null) as none of them (`or []` in rasa/e2e_test/utils/io.py).
    const given = (key: string): boolean => key in root && root[key] !== null;
    if (given("stub_custom_actions")) this.readStubs(root, "stub_custom_actions", this.stubs, true);
    if (given("fixtures")) this.readFixtures(root);
    if (given("metadata")) this.readMetadata(root);
    if ("test_cases" in root) this.testFiles.add(tree.file.path);
    if (given("test_cases")) {
      const cases = root["test_cases"];
      if (!Array.isArray(cases)) this.problem("wrongTestValue", this.place(root, "test_cases"), "`test_cases` must be a list of test cases");
      else cases.forEach((_, i) => this.readTestCase(cases, i));
    }
  }

  /**
   * Stub keys `test_case::name` must name a test case. (A fixture or metadata name that no file
   * defines is not a problem of the files: Rasa's runner goes on without it, and checkTestNames
   * warns of it.)
   */
  checkReferences(): void {
    const names = new Set(this.testCases.flatMap((testCase) => stubNamesOf(testCase.name)));
    for (const [key, at] of this.stubPlaces) {
      const separator = key.indexOf("::");
      if (separator >= 0 && !names.has(key.slice(0, separator))) this.problem("stubForNoTestCase", at, { stub: key, testCase: key.slice(0, separator) });
    }
  }

  private readTestCase(cases: unknown[], index: number): void {
    const entry = cases[index];
    const at = this.place(cases, index);
    if (!isMapping(entry)) return this.problem("wrongTestValue", at, "a test case must be a mapping with `test_case` and `steps`");
    this.unknownKeys(entry, TEST_CASE_KEYS, "a test case");
    const name = entry["test_case"];
    if (typeof name !== "string" || name === "") return this.problem("missingTestKey", "test_case" in entry ? this.place(entry, "test_case") : at, { what: "a test case", part: "a name: `test_case: <name>`" });
    // Rasa runs test cases of the same name in different files; within one file it is a slip.
    const file = this.tree?.file.path;
    if (this.testCases.some((other) => other.name === name && other.at.file === file)) this.problem("secondTestDefinition", this.place(entry, "test_case"), { what: `test case named \`${name}\`` });
    const fixtures = this.stringList(entry, "fixtures", "fixture names") ?? [];
    fixtures.forEach((fixture, i) => this.fixtureUses.push({ name: fixture, at: this.place(entry["fixtures"] as object, i) }));
    const metadata = this.metadataName(entry, "a test case");
    const steps = entry["steps"];
    if (!Array.isArray(steps) || steps.length === 0) return this.problem("testCaseWithoutSteps", "steps" in entry ? this.place(entry, "steps") : at, { what: "`steps`: a list with at least one `user` step" });
    // As Rasa's TestCase.uses_assertions decides: a user step with the key `assertions`, even an empty list.
    const withAssertions = steps.find((step): step is Json => isMapping(step) && "user" in step && "assertions" in step);
    const { users: userSteps, sessionStart } = this.readSteps(steps, withAssertions && this.keyPlace(withAssertions, "assertions"));
    if (userSteps.length === 0 && sessionStart === undefined && steps.length > 0) this.problem("testCaseWithoutSteps", this.place(entry, "steps"), { what: "at least one `user` step" });
    this.testCases.push({ name, steps: userSteps, ...(sessionStart !== undefined ? { sessionStart } : {}), fixtures, usesAssertions: withAssertions !== undefined, ...(metadata !== undefined ? { metadata } : {}), at: this.place(entry, "test_case") });
  }

  /**
   * The user steps, each with the steps that follow it; and the steps before the first user step
   * that sends a message, which Rasa's runner checks against the session's start (its turn -1).
   * In a test case with assertions (`assertionsAt`, the first `assertions` key), Rasa's runner
   * reads the assertions alone: each step-style step is warned of (FLW5045) as never checked.
   */
  private readSteps(steps: unknown[], assertionsAt?: Place): { users: UserStep[]; sessionStart?: SessionStartChecks } {
    const users: (Omit<UserStep, "botSteps" | "slotWasSet" | "slotWasNotSet"> & { botSteps: BotStep[]; slotWasSet: SlotCheck[]; slotWasNotSet: SlotCheck[] })[] = [];
    const start: { botSteps: BotStep[]; slotWasSet: SlotCheck[]; slotWasNotSet: SlotCheck[]; at?: Place } = { botSteps: [], slotWasSet: [], slotWasNotSet: [] };
    let written = 0; // user steps so far
    steps.forEach((step, i) => {
      const at = this.place(steps, i);
      if (!isMapping(step)) return this.problem("wrongTestValue", at, "a step must be a mapping such as `user: <message>` or `utter: <response>`");
      const kinds = ["user", ...BOT_STEP_KINDS].filter((kind) => kind in step);
      if (kinds.length !== 1) {
        return this.problem("stepKind", at, { problem: kinds.length === 0 ? `needs one of ${list(["user", ...BOT_STEP_KINDS])}` : `has one kind, not ${list(kinds)}` });
      }
      const kind = kinds[0]!;
      if (kind === "user") {
        const user = this.readUserStep(step);
        const index = written++;
        if (user.user !== "" || user.commands !== undefined) {
          users.push({ index, ...user, botSteps: [], slotWasSet: [], slotWasNotSet: [] });
        } else if (user.assertions.length > 0) {
          // Rasa's runner finds the turn that assertions read by the user message, and a blank step sends none.
          this.problem("checksNothing", user.at, "a blank `user:` step with `assertions`: Rasa's runner sends no message for a blank step, so its assertions have no turn to check and the test case fails");
        } else {
          // Rasa's runner skips a user step without text (after Python's strip) with a warning; the steps after it are checked against the turn before.
          this.warnings.push(testWarning("blankUserStep", {}, user.at, this.ranges));
        }
        return;
      }
      this.unknownKeys(step, [kind], `a \`${kind}\` step`);
      // Before the first message, Rasa's runner checks a step against the session's start.
      const current = users[users.length - 1] ?? start;
      if (current === start) start.at ??= at;
      const placeOfValue = this.place(step, kind);
      if (kind === "utter" || kind === "bot") {
        const value = step[kind];
        if (typeof value !== "string") return this.problem("wrongTestValue", placeOfValue, `\`${kind}\` takes ${kind === "utter" ? "a response name" : "the text of a message"}`);
        // Rasa keeps a blank text as none: the step matches no message, and its runner leaves the verdict to the step before it.
        if (kind === "bot" && pythonStrip(value) === "") return this.problem("checksNothing", placeOfValue, "a blank `bot:` step: Rasa reads it as no text, so that it matches no message and its runner gives it the verdict of the step before it");
        const bot: BotStep = kind === "utter" ? { kind, response: value, at: placeOfValue } : { kind, text: pythonStrip(value), at: placeOfValue };
        current.botSteps.push(bot);
        if (assertionsAt) this.ignoredStep(step, kind, bot, assertionsAt, users[users.length - 1]);
        return;
      }
      const checks = this.readStepSlots(step, kind);
      (kind === "slot_was_set" ? current.slotWasSet : current.slotWasNotSet).push(...checks);
      if (assertionsAt && checks.length > 0) this.ignoredStep(step, kind, checks, assertionsAt, users[users.length - 1]);
    });
    const { at, ...checks } = start;
    return { users, ...(at !== undefined ? { sessionStart: { ...checks, at } } : {}) };
  }

  /**
   * FLW5045 at the key of a step-style step of a test case with assertions, which Rasa's runner
   * never checks. One warning per step, not one per test case: each step is a check the writer
   * meant, at its own line, and the help writes that step as the assertion that checks it, to
   * go under the user step it follows (or says that no assertion reads the session's start).
   */
  private ignoredStep(step: Json, kind: string, check: BotStep | readonly SlotCheck[], assertionsAt: Place, user: { readonly at: Place } | undefined): void {
    const assertion = equivalentAssertion(kind, check);
    const help = user
      ? `move it into the \`user:\` step of line ${user.at.line}, as an item of its \`assertions\`: \`- ${assertion}\``
      : "an assertion reads the turn of a `user:` step, so nothing checks the session's start in a test case with assertions: remove this step, or check the session's start in a test case without `assertions`";
    this.warnings.push(testWarning("stepCheckIgnored", { kind: `${kind}:`, line: String(assertionsAt.line) }, this.keyPlace(step, kind), this.ranges, help));
  }

  private readUserStep(step: Json): Omit<UserStep, "index" | "botSteps" | "slotWasSet" | "slotWasNotSet"> {
    this.unknownKeys(step, USER_STEP_KEYS, "a `user` step");
    const at = this.place(step, "user");
    // Rasa strips the text of `user` and `bot` steps (Python's strip) before it sends or compares it.
    const user = pythonStrip(this.text(step, "user") ?? "");
    const commands = "commands" in step ? this.commandLines(step) : undefined;
    const stubs = new Map<string, Stub>();
    if ("stub_custom_actions" in step) this.readStubs(step, "stub_custom_actions", stubs, false);
    const assertions = "assertions" in step ? this.readAssertions(step) : [];
    const assertionOrder = this.assertionOrder(step);
    const metadata = this.metadataName(step, "a user step");
    return { user, ...(commands !== undefined ? { commands } : {}), stubs, assertions, ...(assertionOrder ? { assertionOrder } : {}), ...(metadata !== undefined ? { metadata } : {}), at };
  }

  /** Rasa's `assertion_order_enabled` of a user step: a boolean, only beside `assertions`. */
  private assertionOrder(step: Json): boolean {
    if (!("assertion_order_enabled" in step)) return false;
    const value = step["assertion_order_enabled"];
    const at = this.place(step, "assertion_order_enabled");
    if (typeof value !== "boolean") return this.problem("wrongTestValue", at, "`assertion_order_enabled` takes `true` or `false`") ?? false;
    if (!("assertions" in step)) return this.problem("checksNothing", at, "`assertion_order_enabled` orders the `assertions` of its step, and this step has none") ?? false;
    return value;
  }

  private commandLines(step: Json): string[] {
    const value = step["commands"];
    if (!Array.isArray(value)) {
      this.problem("wrongTestValue", this.place(step, "commands"), "`commands` must be a list of command lines (`commands: []` for an empty list)");
      return [];
    }
    const lines: string[] = [];
    value.forEach((_, i) => {
      const line = this.text(value, i, "a command line");
      if (line !== undefined) lines.push(line);
    });
    return lines;
  }

  /** Step style: `slot_was_set: [name, {name: value}]`. */
  private readStepSlots(step: Json, kind: string): SlotCheck[] {
    const value = step[kind];
    if (!Array.isArray(value)) {
      this.problem("wrongTestValue", this.place(step, kind), `\`${kind}\` takes a list of slot names or \`name: value\` pairs`);
      return [];
    }
    const checks: SlotCheck[] = [];
    // Rasa's TestCase.from_dict makes one step of each entry from a copy of the step, which keeps
    // the step's line: a failing entry is reported there.
    const stepAt = this.keyPlace(step, kind);
    value.forEach((item, i) => {
      const at = this.place(value, i);
      if (typeof item === "string") checks.push({ name: item, at: stepAt, nameAt: at });
      // Rasa's schema allows several `name: value` pairs in one entry, but its TestStep reads only
      // the first one (get_slot_name / get_slot_value): the others check nothing.
      else if (isMapping(item) && Object.keys(item).length > 0) {
        const [name, is] = Object.entries(item)[0]!;
        checks.push({ name, value: { is }, at: stepAt, nameAt: this.keyPlace(item, name) });
      } else this.problem("wrongTestValue", at, `an entry of \`${kind}\` is a slot name or one \`name: value\` pair`);
    });
    return checks;
  }

  private readAssertions(step: Json): Assertion[] {
    const value = step["assertions"];
    if (!Array.isArray(value)) {
      this.problem("wrongTestValue", this.place(step, "assertions"), "`assertions` must be a list");
      return [];
    }
    const assertions: Assertion[] = [];
    value.forEach((item, i) => {
      const at = this.place(value, i);
      if (!isMapping(item) || Object.keys(item).length === 0) return this.problem("wrongTestValue", at, "an assertion is a mapping with one key, such as `bot_uttered:` or `slot_was_set:`");
      // Rasa's schema lets an item map several assertions, and Assertion.create_typed_assertion reads
      // only the first: the others are checked as the schema checks them, and run nothing.
      const [kind, ...others] = Object.keys(item);
      // At the line of the assertion's own key, where Rasa reports it, even when its value is a block below.
      const assertion = this.readAssertion(item, kind!, this.keyPlace(item, kind!));
      if (assertion) assertions.push(assertion);
      for (const other of others) if (!LLM_ASSERTIONS.includes(other)) this.readAssertion(item, other, this.keyPlace(item, other));
    });
    return assertions;
  }

  private readAssertion(item: Json, kind: string, at: Place): Assertion | undefined {
    const value = item[kind];
    switch (kind) {
      case "flow_started":
      case "action_executed": {
        if (typeof value !== "string") {
          if (kind === "flow_started" && isMapping(value) && ("flow_ids" in value || "operator" in value)) return this.problem("wrongTestValue", at, laterFlowStartedForm(value));
          return this.problem("wrongTestValue", at, `\`${kind}\` takes ${kind === "flow_started" ? "a flow id" : "an action name"}`);
        }
        return kind === "flow_started" ? { kind, flowId: value, flowIdAt: this.place(item, kind), at } : { kind, action: value, at };
      }
      case "flow_completed":
      case "flow_cancelled": {
        // Rasa's schema takes only the mapping, flow_id required.
        if (!isMapping(value) || typeof value["flow_id"] !== "string") return this.problem("wrongTestValue", at, `\`${kind}\` takes \`{flow_id, flow_step_id?}\`${typeof value === "string" ? `, as Rasa's schema wants it: \`{flow_id: ${value}}\`` : ""}`);
        this.unknownKeys(value, ["flow_id", "flow_step_id"], `\`${kind}\``);
        const stepId = value["flow_step_id"];
        if (stepId !== undefined && typeof stepId !== "string") return this.problem("wrongTestValue", this.place(value, "flow_step_id"), "`flow_step_id` takes a step id");
        return { kind, flowId: value["flow_id"], ...(stepId !== undefined ? { stepId } : {}), flowIdAt: this.place(value, "flow_id"), at };
      }
      case "slot_was_set":
      case "slot_was_not_set": {
        if (!Array.isArray(value)) return this.problem("wrongTestValue", at, `\`${kind}\` takes a list of \`{name, value?}\``);
        const slots: SlotCheck[] = [];
        value.forEach((entry, i) => {
          const entryAt = this.place(value, i);
          if (!isMapping(entry) || typeof entry["name"] !== "string") return this.problem("wrongTestValue", entryAt, `an entry of \`${kind}\` is \`{name: <slot>, value: <value>}\` (value optional)`);
          this.unknownKeys(entry, ["name", "value"], `an entry of \`${kind}\``);
          slots.push({ name: entry["name"], ...("value" in entry ? { value: { is: entry["value"] } } : {}), at: entryAt, nameAt: this.place(entry, "name") });
        });
        return { kind, slots, at };
      }
      case "bot_uttered":
      case "bot_did_not_utter": {
        const bot = this.readBotCheck(item, kind, at);
        return bot ? { kind, bot, at } : undefined;
      }
      case "pattern_clarification_contains": {
        const names = this.stringList(item, kind, "flow names");
        return names ? { kind, flowNames: names, at } : undefined;
      }
      default:
        if (LLM_ASSERTIONS.includes(kind)) return this.problem("llmJudgeAssertion", at, { kind });
        return this.problem("unknownAssertion", at, { kind });
    }
  }

  private readBotCheck(item: Json, kind: string, at: Place): BotCheck | undefined {
    const value = item[kind];
    if (!isMapping(value) || !["utter_name", "text_matches", "buttons"].some((key) => key in value)) {
      return this.problem("wrongTestValue", at, `\`${kind}\` takes at least one of \`utter_name\`, \`text_matches\`, \`buttons\``);
    }
    this.unknownKeys(value, ["utter_name", "text_matches", "buttons"], `\`${kind}\``);
    const check: { utterName?: string; utterNameAt?: Place; textMatches?: NonNullable<BotCheck["textMatches"]>; buttons?: { title?: string; payload?: string }[] } = {};
    if ("utter_name" in value) {
      if (typeof value["utter_name"] !== "string") return this.problem("wrongTestValue", this.place(value, "utter_name"), "`utter_name` takes a response name");
      check.utterName = value["utter_name"];
      check.utterNameAt = this.place(value, "utter_name");
    }
    if ("text_matches" in value) {
      const pattern = value["text_matches"];
      if (typeof pattern !== "string") return this.problem("wrongTestValue", this.place(value, "text_matches"), "`text_matches` takes a regular expression");
      // Rasa searches the message text with Python's `re`: the pattern is Python's dialect.
      const translation = translatePythonRegex(pattern, "");
      if (!translation.ok) return this.problem("regexNotRunnable", this.place(value, "text_matches"), { reason: translation.message });
      check.textMatches = { source: pattern, regex: new RegExp(translation.source, translation.flags) };
    }
    if ("buttons" in value) {
      const buttons = this.readAssertedButtons(value, "buttons");
      if (!buttons) return undefined;
      // Rasa's schema check (pykwalify_extensions.py) refuses `buttons: []` in a bot_uttered; in a
      // bot_did_not_utter it forbids no button.
      if (kind === "bot_uttered" && buttons.length === 0) return this.problem("checksNothing", this.place(value, "buttons"), "the `buttons` of `bot_uttered` is an empty list, which Rasa's schema refuses: leave `buttons` out to ask nothing of them");
      if (buttons.length > 0) check.buttons = buttons;
    }
    // Rasa refuses an assertion whose properties are all empty (`""`, `[]`): it would check nothing.
    if (!check.utterName && !check.textMatches?.source && check.buttons === undefined) {
      return this.problem("checksNothing", at, `\`${kind}\` takes at least one of \`utter_name\`, \`text_matches\`, \`buttons\` that is not empty`);
    }
    return check;
  }

  /**
   * An assertion's `buttons`: Rasa's schema requires neither `title` nor `payload`, and a button
   * without one matches only a button without it (none of the assistant's).
   */
  private readAssertedButtons(container: Json, key: string): { title?: string; payload?: string }[] | undefined {
    const value = container[key];
    const ok = Array.isArray(value) && value.every((b) => isMapping(b) && ["title", "payload"].every((field) => !(field in b) || typeof b[field] === "string"));
    if (!ok) return this.problem("wrongTestValue", this.place(container, key), "`buttons` takes a list of `{title, payload}`");
    (value as Json[]).forEach((button) => this.unknownKeys(button, ["title", "payload"], "a button"));
    return (value as Json[]).map((b) => ({ ...(typeof b["title"] === "string" ? { title: b["title"] } : {}), ...(typeof b["payload"] === "string" ? { payload: b["payload"] } : {}) }));
  }

  private readButtons(container: Json, key: string): { title: string; payload: string }[] | undefined {
    const value = container[key];
    const ok = Array.isArray(value) && value.every((b) => isMapping(b) && typeof b["title"] === "string" && typeof b["payload"] === "string");
    if (!ok) return this.problem("wrongTestValue", this.place(container, key), "`buttons` takes a list of `{title, payload}`");
    return (value as Json[]).map((b) => ({ title: b["title"] as string, payload: b["payload"] as string }));
  }

  /**
   * `stub_custom_actions: {name: {events, responses}}` into `into`; `shared`: the file level,
   * where a `name` stub also goes to the file's own stubs (several files may stub one action).
   */
  private readStubs(container: Json, key: string, into: Map<string, Stub>, shared: boolean): void {
    const value = container[key];
    if (!isMapping(value)) return this.problem("wrongTestValue", this.place(container, key), "`stub_custom_actions` maps action names to `{events, responses}`");
    for (const name of Object.keys(value)) {
      const at = this.keyPlace(value, name);
      const forTestCase = name.includes("::");
      if (shared && !RASA_STUB_KEY.test(name)) {
        this.problem("testNameNotAllowed", at, rasaStubKeyProblem(name));
        continue;
      }
      if (!shared && forTestCase) this.problem("testNameNotAllowed", at, "a step's stubs apply to its own test case: name the action without `test_case::`");
      if (shared && forTestCase && into.has(name)) this.problem("secondTestDefinition", at, { what: `stub for \`${name}\`` });
      const read = this.readStub(value, name);
      if (!read) continue;
      if (shared && !forTestCase) {
        this.stubsOfFile().set(name, read);
        this.nameStubPlaces.push({ file: at.file, name, at });
      }
      if (!into.has(name) || !shared) into.set(name, read);
      if (shared && forTestCase) this.stubPlaces.set(name, at);
    }
  }

  /** The `name` stubs of the files without `test_cases`; one action stubbed in two of them is a problem. */
  sharedStubs(): Map<string, Stub> {
    const shared = new Map<string, Stub>();
    for (const { file, name, at } of this.nameStubPlaces) {
      if (this.testFiles.has(file)) continue;
      if (shared.has(name)) this.problem("secondTestDefinition", at, { what: `stub for \`${name}\` in a file without test cases, which shares its stubs with every file` });
      else shared.set(name, this.fileStubs.get(file)!.get(name)!);
    }
    return shared;
  }

  private stubsOfFile(): Map<string, Stub> {
    const file = this.tree?.file.path ?? "";
    const stubs = this.fileStubs.get(file) ?? new Map<string, Stub>();
    this.fileStubs.set(file, stubs);
    return stubs;
  }

  private readStub(container: Json, name: string): Stub | undefined {
    const stub = container[name];
    const at = this.place(container, name);
    if (stub === null) return { slots: [], messages: [] };
    if (!isMapping(stub)) return this.problem("wrongTestValue", at, `the stub of \`${name}\` must be a mapping with \`events\` and/or \`responses\``);
    this.unknownKeys(stub, ["events", "responses"], `the stub of \`${name}\``);
    const slots: Stub["slots"][number][] = [];
    const messages: StubMessage[] = [];
    const events = stub["events"] ?? [];
    if (!Array.isArray(events)) this.problem("wrongTestValue", this.place(stub, "events"), "`events` must be a list");
    else {
      events.forEach((event, i) => {
        const eventAt = this.place(events, i);
        if (!isMapping(event) || event["event"] !== "slot") return this.problem("wrongTestValue", eventAt, "a stub's events are slot events: `{event: slot, name: <slot>, value: <value>}`");
        if (typeof event["name"] !== "string") return this.problem("missingTestKey", eventAt, { what: "a slot event", part: "the slot's `name`" });
        this.unknownKeys(event, ["event", "name", "value", "timestamp"], "a slot event");
        const value = event["value"] ?? null;
        slots.push(this.writtenAsFloat(event, "value") ? { name: event["name"], value, float: true } : { name: event["name"], value });
      });
    }
    const responses = stub["responses"] ?? [];
    if (!Array.isArray(responses)) this.problem("wrongTestValue", this.place(stub, "responses"), "`responses` must be a list");
    else {
      responses.forEach((_, i) => {
        const message = this.readStubMessage(responses, i);
        if (message) messages.push(message);
      });
    }
    return { slots, messages };
  }

  private readStubMessage(responses: unknown[], index: number): StubMessage | undefined {
    const response = responses[index];
    const at = this.place(responses, index);
    const keys = ["response", "text", "buttons", "image", "custom", "quick_replies", "attachment", "elements"];
    if (!isMapping(response) || !keys.some((key) => key in response)) return this.problem("wrongTestValue", at, "a stub's response is `{text: ...}` or `{response: utter_...}`");
    const message: { -readonly [K in keyof StubMessage]: StubMessage[K] } = {};
    // Beside `response`, Rasa hands the other keys to the response's template (RemoteAction._utter_responses
    // calls nlg.generate(response, ..., **others)), over the slots.
    if ("response" in response) {
      const values = Object.fromEntries(Object.entries(response).filter(([key]) => !keys.includes(key)));
      if (Object.keys(values).length > 0) message.values = values;
    } else this.unknownKeys(response, keys, "a stub's response");
    for (const key of ["response", "text", "image"] as const) {
      if (!(key in response)) continue;
      const value = this.text(response, key);
      if (value !== undefined) message[key] = value;
    }
    if ("buttons" in response) {
      const buttons = this.readButtons(response, "buttons");
      if (buttons) message.buttons = buttons;
    }
    if ("custom" in response) message.custom = response["custom"];
    // Bot event data Rasa sends on as the stub gives it (create_bot_utterance).
    for (const key of ["quick_replies", "attachment", "elements"] as const) if (key in response) message[key] = response[key];
    return message;
  }

  /** `fixtures: [{name: [{slot: value}, ...]}]`. */
  private readFixtures(root: Json): void {
    const value = root["fixtures"];
    if (!Array.isArray(value)) return this.problem("wrongTestValue", this.place(root, "fixtures"), "`fixtures` must be a list of `<name>: [{<slot>: <value>}]`");
    value.forEach((item, i) => {
      const at = this.place(value, i);
      if (!isMapping(item) || Object.keys(item).length !== 1) return this.problem("wrongTestValue", at, "a fixture is one `<name>:` with a list of `<slot>: <value>`");
      const [name, settings] = Object.entries(item)[0]!;
      // Rasa's schema lets one item of the list map several slots, and its Fixture.from_dict sets them all.
      const ok = Array.isArray(settings) && settings.every((s) => isMapping(s) && Object.keys(s).length > 0);
      if (!ok) return this.problem("wrongTestValue", this.place(item, name), `the fixture \`${name}\` takes a list of \`<slot>: <value>\``);
      this.rasaName(this.keyPlace(item, name), name, "fixture name");
      for (const setting of settings as Json[]) for (const slot of Object.keys(setting)) this.rasaName(this.keyPlace(setting, slot), slot, "slot name");
      const slots = (settings as Json[]).flatMap((s) => Object.entries(s).map(([slot, value]): FixtureSetting => (this.writtenAsFloat(s, slot) ? { name: slot, value, float: true } : { name: slot, value })));
      // Self-contained test files may each define the same fixture; a different one is a slip.
      const known = this.fixtures.get(name);
      if (known === undefined) {
        this.fixtures.set(name, slots);
        this.fixturePlaces.set(name, at);
      } else if (!isDeepStrictEqual(known, slots)) this.problem("secondTestDefinition", at, { what: `fixture named \`${name}\`, with other slots` });
    });
  }

  /** `metadata: [{name: {key: value}}]`: what user messages carry (custom actions see it). */
  private readMetadata(root: Json): void {
    const value = root["metadata"];
    const ok = Array.isArray(value) && value.every((item) => isMapping(item) && Object.keys(item).length === 1 && isMapping(Object.values(item)[0]));
    if (!ok) return this.problem("wrongTestValue", this.place(root, "metadata"), "`metadata` must be a list of `<name>: {<key>: <value>}`");
    value.forEach((item: Json, i) => {
      const [name, entries] = Object.entries(item)[0]!;
      this.rasaName(this.keyPlace(item, name), name, "metadata name");
      for (const key of Object.keys(entries as Json)) this.rasaName(this.keyPlace(entries as Json, key), key, "metadata key");
      const known = this.metadata.get(name);
      if (known === undefined) this.metadata.set(name, entries as Json);
      else if (!isDeepStrictEqual(known, entries)) this.problem("secondTestDefinition", this.place(value, i), { what: `metadata entry named \`${name}\`, with other values` });
    });
  }

  /**
   * The names Rasa's schema (e2e_test_schema.yml) allows for fixtures and metadata entries, the
   * slots a fixture sets and the keys of a metadata entry: letters, digits and `_`, not starting
   * with a digit.
   */
  private rasaName(at: Place, name: string, what: string): void {
    if (!/^[a-zA-Z_]+[a-zA-Z0-9_]*$/.test(name)) this.problem("testNameNotAllowed", at, `the ${what} \`${name}\` is not one Rasa's schema allows: letters, digits and \`_\`, not starting with a digit`);
  }

  /** `metadata: <name>` of a test case or user step, checked once every file is read. */
  private metadataName(container: Json, what: string): string | undefined {
    if (!("metadata" in container)) return undefined;
    const name = container["metadata"];
    if (typeof name !== "string") return this.problem("wrongTestValue", this.place(container, "metadata"), `\`metadata\` of ${what} must be the name of a metadata entry`);
    this.metadataUses.push({ name, at: this.place(container, "metadata") });
    return name;
  }

  private stringList(container: Json, key: string, what: string): string[] | undefined {
    if (!(key in container)) return undefined;
    const value = container[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
      this.problem("wrongTestValue", this.place(container, key), `\`${key}\` takes a list of ${what}`);
      return undefined;
    }
    return value as string[];
  }

  /**
   * A scalar as text. YAML resolves `user: 42` to a number; the test means the characters it
   * wrote, so a plain scalar that is not a string is taken from the source as written.
   */
  private text(container: object, key: string | number, what = `\`${String(key)}\``): string | undefined {
    const value = (container as Record<string | number, unknown>)[key];
    if (typeof value === "string") return value;
    const node = this.tree?.valueNode(container, key);
    if (this.tree && node?.kind === "scalar" && value !== null) return this.tree.file.text.slice(node.start, node.end);
    this.problem("wrongTestValue", this.place(container, key), `${what} takes text`);
    return undefined;
  }

  /** Whether `container[key]` is a number written as a float (`1250.0`): a Python float to Rasa's reader. */
  private writtenAsFloat(container: object, key: string): boolean {
    return this.tree !== undefined && writtenAsFloat(this.tree.valueNode(container, key), this.tree.file.text);
  }

  private unknownKeys(container: Json, allowed: readonly string[], what: string): void {
    for (const key of Object.keys(container)) {
      if (!allowed.includes(key)) this.problem("unknownTestKey", this.keyPlace(container, key), { key, what, expected: list(allowed) });
    }
  }

  private place(container: object, key: string | number): Place {
    return this.placeOf(this.tree?.valueRange(container, key));
  }

  private keyPlace(container: object, key: string): Place {
    return this.placeOf(this.tree?.keyRange(container, key));
  }

  private placeOf(range: SourceRange | undefined): Place {
    if (!this.tree) return { file: "", line: 1, column: 1 };
    const known = range ?? { file: this.tree.file, start: 0, end: 0 };
    const { line, column } = this.tree.file.position(known.start);
    const place = { file: this.tree.file.path, line, column };
    this.ranges.set(place, known);
    return place;
  }

  /**
   * Records a problem at `at` (a place of this reader, whose range it knows), as the diagnostic
   * `key` of the catalogue with `args`, or with `args` as the `{reason}` of its template; returns
   * `undefined` so that readers can `return this.problem(...)`.
   */
  private problem(key: TestFileDiagnosticKey, at: Place, args: Readonly<Record<string, string>> | string): undefined {
    this.problems.push({ ...createDiagnostic(key, typeof args === "string" ? { reason: args } : args, { range: this.ranges.get(at) }), ...at });
    return undefined;
  }
}

/**
 * The keys Rasa's schema allows under a file's `stub_custom_actions` (e2e_test_schema.yml): letters,
 * digits and `_`, around `::` (or `:`) separators.
 */
const RASA_STUB_KEY = /^[a-zA-Z_]+([a-zA-Z0-9_]*::?)*[a-zA-Z0-9_]*$/;

function rasaStubKeyProblem(key: string): string {
  const separator = key.indexOf("::");
  const underscored = separator < 0 ? key : `${key.slice(0, separator).replaceAll(" ", "_")}${key.slice(separator)}`;
  if (underscored !== key && RASA_STUB_KEY.test(underscored)) {
    return `Rasa looks the stubs of a test case up by its name with \`_\` for each space, and its schema allows no space in a stub's name: write \`${underscored}\``;
  }
  return `the stub name \`${key}\` is not one Rasa's schema allows: an action name or \`test_case::action\`, of letters, digits and \`_\``;
}

/**
 * `flow_started: {operator: all|any, flow_ids: [...]}` is the form of Rasa versions after 3.12
 * (whose FlowStartedAssertion reads `operator` and `flow_ids`, and deprecates a single id);
 * Rasa 3.12's assertion takes one flow id. The message says how to write it for 3.12.
 */
function laterFlowStartedForm(value: Json): string {
  const ids = Array.isArray(value["flow_ids"]) ? value["flow_ids"].filter((id): id is string => typeof id === "string") : [];
  const operator = typeof value["operator"] === "string" ? value["operator"].toLowerCase() : undefined;
  const rewrite = ids.length === 0
    ? "`- flow_started: <flow id>`"
    : operator === "any" && ids.length > 1
      ? `one \`- flow_started: <flow id>\` for the flow that starts (\`operator: any\` has no 3.12 form)`
      : ids.map((id) => `\`- flow_started: ${id}\``).join(", ");
  return `\`flow_started\` takes a flow id: \`operator\` and \`flow_ids\` are the form of a Rasa version after 3.12, which Rasa 3.12 does not read; write ${rewrite}`;
}

/**
 * The assertion that checks what a step-style step checks, in YAML's flow style: `utter: x` is
 * `bot_uttered: {utter_name: x}`, `bot: text` is `bot_uttered: {text_matches: "^text$"}` (the text
 * escaped for Python's `re`, with which Rasa searches the text), `slot_was_set: [a, {b: 1}]` is
 * `slot_was_set: [{name: a}, {name: b, value: 1}]`, and `slot_was_not_set` the same way.
 */
function equivalentAssertion(kind: string, check: BotStep | readonly SlotCheck[]): string {
  if (!Array.isArray(check)) {
    const bot = check as BotStep;
    return bot.kind === "utter" ? `bot_uttered: {utter_name: ${flowScalar(bot.response)}}` : `bot_uttered: {text_matches: ${quotedScalar(`^${pythonRegexEscape(bot.text)}$`)}}`;
  }
  const entries = (check as readonly SlotCheck[]).map((slot) => `{name: ${flowScalar(slot.name)}${slot.value !== undefined ? `, value: ${flowValue(slot.value.is)}` : ""}}`);
  return `${kind}: [${entries.join(", ")}]`;
}

/** A name as a plain scalar of YAML's flow style where it reads back as the same string, else in double quotes. */
function flowScalar(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(text) ? text : JSON.stringify(text);
}

/** A slot value in YAML's flow style (JSON, which YAML reads as the same value; a text plain where that reads back the same). */
function flowValue(value: unknown): string {
  return typeof value === "string" ? flowScalar(value) : JSON.stringify(value) ?? "null";
}

/** A text in YAML's single quotes (where a backslash is itself), or in double quotes when it holds a line break or another control character. */
function quotedScalar(text: string): string {
  return /[\x00-\x1f\x7f]/.test(text) ? JSON.stringify(text) : `'${text.replaceAll("'", "''")}'`;
}

/** The text as a Python regular expression that matches it literally (the characters `re` gives a meaning escaped). */
function pythonRegexEscape(text: string): string {
  return text.replace(/[.^$*+?{}[\]\\|()]/g, "\\$&");
}

function list(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(", ");
}
