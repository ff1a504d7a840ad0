/**
 * Runs e2e test cases against an assistant, with no LLM: each test case starts with the session's
 * start (action_session_start, stubbed as the test case stubs it), then the fixtures; each user step's commands are the
 * step's `commands` lines parsed as Rasa's command parser would — or, for a step without
 * `commands`, what the deterministic command generator makes of the user text (a command DSL
 * line stays as it is) — its custom actions are the stubs in force for that step, and the turn
 * is checked against the step's expectations. Takes any {@link Assistant}, so that it can be
 * tested without the engine.
 */
import type { Assistant, AssistantOptions, SessionStartResult, TurnResult } from "../../runtime/assistant.ts";
import type { ExecutionObserver } from "../../runtime/observer.ts";
import { generateCommandLines } from "../../runtime/command-generator.ts";
import { CANNOT_HANDLE_DEFAULT, isCommandLine, type Command } from "../../runtime/commands.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";
import { storedValue } from "../../runtime/slots.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import type { Message, RuntimeEvent } from "../../runtime/events.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { assertionTurn, checkTurn, type CheckFailure, type RanStep } from "./check-turn.ts";
import { didYouMean } from "../util/suggest.ts";
import { stubbedActions } from "./stub-actions.ts";
import { testWarning, type Place, type SessionStartChecks, type TestCase, type TestSuite, type TestWarning, type UserStep } from "./test-model.ts";
import { traceLine, type TraceLine } from "./trace-line.ts";

/**
 * The options of an assistant for test runs: frame ids counted from 1 and always the first
 * response variation that fits, so that traces and `bot:` texts are the same on every run; the
 * output channel is Rasa's e2e runner's, a CollectingOutputChannel named `collector`.
 */
export function deterministicOptions(): AssistantOptions {
  return { frameIds: sequentialFrameIds(), random: () => 0, channel: "collector" };
}

export interface StepFailure extends CheckFailure {
  /** The user step whose turn failed (its {@link UserStep.index}: counted from 0 as written); -1 for the steps before the first user step, checked against the session's start. */
  readonly step: number;
  readonly user: string;
  /** The trace line (design §3.3) of the failing turn; absent when the turn did not run. */
  readonly trace?: TraceLine;
  /**
   * For a step without `commands`: that the commands came from the command generator, and
   * which, since a failure there is often the generator's reading of the text, not the flows'.
   */
  readonly note?: string;
}

export interface TestCaseResult {
  readonly name: string;
  readonly at: Place;
  readonly passed: boolean;
  readonly failures: readonly StepFailure[];
}

export interface RunOptions {
  /** Called with the trace line of every user step that ran. */
  readonly onTrace?: (line: TraceLine) => void;
  /** Told of every step and branch the flows take (see `coverageRecorder`). */
  readonly observer?: ExecutionObserver;
  /** Told once of each thing in the test files that Rasa would log and go past, such as a fixture's setting of a slot the assistant does not have. */
  readonly onWarning?: (warning: TestWarning) => void;
}

/**
 * Runs every test case from a new conversation. `newAssistant` is called once per test case,
 * so that frame ids start afresh in each.
 */
export async function runTestCases(newAssistant: () => Assistant, suite: TestSuite, options: RunOptions = {}): Promise<TestCaseResult[]> {
  const results: TestCaseResult[] = [];
  const warned = new Set<string>();
  // Each warning once, however many test cases give it (a fixture's unknown slot, for every test case that names it).
  const warn = (warning: TestWarning): void => {
    const key = `${warning.code} ${warning.message}`;
    if (warned.has(key)) return;
    warned.add(key);
    options.onWarning?.(warning);
  };
  for (const testCase of suite.testCases) results.push(await runTestCase(newAssistant(), suite, testCase, options, warn));
  return results;
}

async function runTestCase(assistant: Assistant, suite: TestSuite, testCase: TestCase, options: RunOptions, warn: (warning: TestWarning) => void): Promise<TestCaseResult> {
  const failures: StepFailure[] = [];
  const result = (): TestCaseResult => ({ name: testCase.name, at: testCase.at, passed: failures.length === 0, failures });
  // As Rasa's runner (fetch_tracker_with_initial_session, then set_up_fixtures): the session's start, then the fixtures.
  let session: SessionStartResult;
  try {
    session = await assistant.startSession(assistant.initialState(), { actions: stubbedActions(suite, testCase), ...(options.observer ? { observer: options.observer } : {}) });
  } catch (error) {
    failures.push({ step: -1, user: "", at: testCase.sessionStart?.at ?? testCase.at, expected: "the session's start to run", actual: `the runtime failed: ${messageOf(error)}` });
    return result();
  }
  const start = withFixtures(assistant, suite, testCase, warn, session);
  // The session's start is traced when the assistant has its own action_session_start (Rasa's default changes nothing flowc keeps).
  const sessionTrace = ownsSessionStart(assistant) ? traceLine(testCase.name, -1, "", { ...session, state: start.state, commands: [] }) : undefined;
  if (sessionTrace) options.onTrace?.(sessionTrace);
  let state = start.state;
  // As Rasa's runner, the whole conversation first, then the checks: the assertions of a step may
  // read another step's turn (see assertionTurn).
  const ran: (RanStep & { readonly trace: TraceLine; readonly note?: string })[] = [];
  let crash: StepFailure | undefined;
  for (const step of testCase.steps) {
    let turn: TurnResult;
    let note: string | undefined;
    const metadata = metadataOf(suite, testCase, step);
    try {
      const lines = step.commands ?? generateCommandLines(assistant.compiled, state, step.user);
      note = step.commands === undefined ? generatedNote(lines, intentMessageNote(assistant.compiled, step.user, lines)) : droppedCommandsNote(assistant, state, lines);
      const commands = assistant.parseCommands(state, lines);
      turn = await assistant.handle(state, commands, {
        message: step.user,
        actions: stubbedActions(suite, testCase, step),
        ...(metadata ? { metadata } : {}),
        ...(options.observer ? { observer: options.observer } : {}),
      });
    } catch (error) {
      crash = { step: step.index, user: step.user, at: step.at, expected: "the turn to run", actual: `the runtime failed: ${messageOf(error)}` };
      break;
    }
    const trace = traceLine(testCase.name, step.index, step.user, turn);
    options.onTrace?.(trace);
    ran.push({ step, metadata: metadata ?? {}, turn, trace, ...(note !== undefined ? { note } : {}) });
    state = turn.state;
  }
  if (testCase.sessionStart) failures.push(...checkSessionStart(testCase, testCase.sessionStart, start, sessionTrace));
  for (const [index, { step, turn, trace, note }] of ran.entries()) {
    const forAssertions = assertionTurn(ran, index);
    const readElsewhere = testCase.usesAssertions && step.assertions.length > 0 && forAssertions.from !== index;
    const notes = [...(readElsewhere ? [earlierTurnNote(ran[forAssertions.from]!.step.index)] : []), ...(note !== undefined ? [note] : [])];
    for (const failure of checkTurn(testCase, step, turn, forAssertions.turn)) {
      const all = failure.note !== undefined ? [failure.note, ...notes] : notes;
      failures.push({ step: step.index, user: step.user, ...failure, trace, ...(all.length > 0 ? { note: all.join("; ") } : {}) });
    }
  }
  if (crash) failures.push(crash);
  return result();
}

/**
 * The steps before the first user step, checked as Rasa's runner checks them: against the events
 * of the session's start (its turn -1): `action_session_start` (the assistant's own when the
 * domain lists it: its stub, or nothing; Rasa's default sends nothing and sets no slot), then
 * the fixtures' slots. Reported as step -1, with no user message.
 */
function checkSessionStart(testCase: TestCase, checks: SessionStartChecks, start: SessionStart, trace: TraceLine | undefined): StepFailure[] {
  const step: UserStep = { index: -1, user: "", stubs: new Map(), assertions: [], ...checks };
  const note = "these steps come before the first user step, so they are checked against the session's start: action_session_start (the assistant's own, or its stub, when the domain lists it; Rasa's default sends nothing and sets no slot), then the fixtures' slots";
  return checkTurn(testCase, step, start).map((failure) => ({ step: -1, user: "", ...failure, ...(trace ? { trace } : {}), note: failure.note !== undefined ? `${failure.note}; ${note}` : note }));
}

/** What the session's start did, with the fixtures applied after it: the turn -1 of Rasa's runner. */
interface SessionStart {
  readonly state: ConversationState;
  readonly actions: readonly string[];
  readonly messages: readonly Message[];
  readonly events: readonly RuntimeEvent[];
}

/** Whether the domain lists `action_session_start`, so that the assistant's own runs at the session's start. */
function ownsSessionStart(assistant: Assistant): boolean {
  return assistant.compiled.domainActions?.includes("action_session_start") === true;
}

/** Why the assertions of a step read an earlier step's turn. */
function earlierTurnNote(from: number): string {
  return `step ${from} sent this message before, and Rasa's runner finds the turn the assertions read by the message: they were checked on the turn of step ${from}`;
}

/**
 * The state after the session's start with the test case's fixtures applied (Rasa sets them
 * after the session's start and before the first message, as they are written, except that categorical and list slots coerce them as they
 * coerce every value: see storedValue). As in Rasa, the fixtures apply in
 * the order the test files define them, whatever order the test case names them in: of two
 * that set one slot, the one defined later wins; and the setting of a slot the assistant does
 * not have is left out (Rasa's tracker logs it and goes on), with a warning.
 */
function withFixtures(assistant: Assistant, suite: TestSuite, testCase: TestCase, warn: (warning: TestWarning) => void, session: SessionStartResult): SessionStart {
  const state = session.state;
  if (testCase.fixtures.length === 0) return session;
  const events: RuntimeEvent[] = [...session.events];
  const slots: Record<string, unknown> = { ...state.slots };
  const slotsSet = new Set(state.slotsSet);
  const floats = new Set<string>();
  for (const [fixture, settings] of suite.fixtures) {
    if (!testCase.fixtures.includes(fixture)) continue;
    for (const { name, value, float } of settings) {
      if (!Object.hasOwn(state.slots, name)) {
        warn(testWarning("fixtureSlotUnknown", { fixture, slot: name }, suite.fixturePlaces?.get(fixture) ?? testCase.at, suite.ranges));
        continue;
      }
      slots[name] = storedValue(assistant.compiled.slots[name], value);
      // The SlotSet event Rasa's fixture set-up logs carries the value as written.
      events.push({ event: "slot", name, value });
      slotsSet.add(name);
      if (float) floats.add(name);
      else floats.delete(name);
    }
  }
  // A whole number a fixture sets is an int unless written as a float (see ConversationState.floatSlots), whatever the initial value was.
  const floatSlots = [...state.floatSlots.filter((name) => !slotsSet.has(name)), ...floats];
  // The slots hold their numbers themselves: no specialFloats for loadState to put back over a fixture's value.
  return { state: assistant.loadState({ ...state, slots, slotsSet: [...slotsSet], floatSlots, specialFloats: undefined }), actions: session.actions, messages: session.messages, events };
}

/** What Rasa attaches to the user message: the test case's metadata, then the step's over it. */
function metadataOf(suite: TestSuite, testCase: TestCase, step: UserStep): Readonly<Record<string, unknown>> | undefined {
  if (testCase.metadata === undefined && step.metadata === undefined) return undefined;
  return { ...suite.metadata.get(testCase.metadata ?? ""), ...suite.metadata.get(step.metadata ?? "") };
}

/**
 * The lines of a step's `commands` that come to nothing, each read on its own as Rasa's command
 * parser reads it (a `start flow` of a pattern or of a flow the assistant lacks, a `set slot`
 * of a slot it lacks, a line in no command's syntax): the turn shows only the `cannot handle`
 * that took their place, or the commands left, so the failure's note names them and why.
 */
function droppedCommandsNote(assistant: Assistant, state: ConversationState, lines: readonly string[]): string | undefined {
  const dropped = lines
    .flatMap((element) => element.split(/\r\n|\r|\n/))
    .map(pythonStrip)
    .filter((line) => line !== "" && !CANNOT_HANDLE_LINE.test(line) && comesToNothing(assistant.parseCommands(state, [line])));
  if (dropped.length === 0) return undefined;
  return `of the step's commands, Rasa's command parser drops ${dropped.map((line) => `\`${line}\` (${whyDropped(assistant.compiled, line)})`).join(", ")}`;
}

/** `cannot handle` written as a command: it comes to a `cannot handle` of its own accord. */
const CANNOT_HANDLE_LINE = /^[^\p{L}\p{N}_]*(cannot handle|CannotHandle\(\))$/u;

/** What a line that the parser drops gives on its own: no command, or the `cannot handle` that stands for none. */
function comesToNothing(commands: readonly Command[]): boolean {
  return commands.length === 0 || (commands.length === 1 && commands[0]!.command === "cannot handle" && commands[0]!.reason === CANNOT_HANDLE_DEFAULT);
}

function whyDropped(compiled: Assistant["compiled"], line: string): string {
  const flow = /^[^\p{L}\p{N}_]*(?:start flow\s+['"]?|StartFlow\()([\w-]+)/u.exec(line)?.[1];
  if (flow !== undefined) {
    const found = compiled.flows[flow];
    if (found === undefined) return withSuggestion(`the assistant has no flow \`${flow}\``, didYouMean(flow, Object.values(compiled.flows).filter((f) => !f.isPattern).map((f) => f.id)));
    if (found.isPattern) return "a pattern: Rasa starts its patterns itself, and a `start flow` starts user flows only";
    return "the flow cannot be started now: its `if:` guard does not hold";
  }
  const slot = /^[^\p{L}\p{N}_]*(?:set slot\s+|SetSlot\()([\w-]+)/u.exec(line)?.[1];
  if (slot !== undefined) {
    if (compiled.slots[slot] === undefined) return withSuggestion(`the assistant has no slot \`${slot}\``, didYouMean(slot, Object.keys(compiled.slots)));
    return "none of the slot's mappings may fill it now";
  }
  if (!isCommandLine(line)) return "no command of the command language reads it";
  return "what it names is not available now";
}

function withSuggestion(text: string, suggestion: string | undefined): string {
  return suggestion === undefined ? text : `${text}: ${suggestion}`;
}

function generatedNote(lines: readonly string[], intentNote: string | undefined): string {
  const made = lines.length === 0 ? "no command" : lines.join("; ");
  return `${intentNote !== undefined ? `${intentNote}; ` : ""}the step has no \`commands\`, so flowc's command generator read the user text as: ${made}`;
}

/**
 * A user text of the form `/name` (with an optional `@confidence` and `{entities}`) is an intent in
 * Rasa, read by its RegexMessageHandler without NLU training, and a flow whose `nlu_trigger` names
 * it starts through the NLU command adapter. flowc reads no intents (README, Running a
 * conversation): the note says what Rasa would have done, and how to get it for a user flow (a
 * pattern has no `start flow` in the command language).
 */
function intentMessageNote(compiled: Assistant["compiled"], text: string, lines: readonly string[]): string | undefined {
  const match = /^\/([^{@\s]+)(@[0-9.]+)?(\{.*\})?$/su.exec(text.trim());
  if (!match || isCommandLine(text.trim())) return undefined;
  const intent = match[1]!;
  const triggered = Object.values(compiled.flows).find((flow) => flow.nluTrigger.some((trigger) => trigger.intent === intent));
  const read = `\`${text.trim()}\` is the intent \`${intent}\` in Rasa`;
  if (!triggered) return `${read}, which no flow's \`nlu_trigger\` names; flowc reads no intents`;
  const start = `start flow ${triggered.id}`;
  const how = triggered.isPattern || lines.includes(start) ? "" : `: give the step \`commands: [${start}]\``;
  return `${read}, which starts \`${triggered.id}\` through its \`nlu_trigger\` there (with an NLU command adapter in the pipeline); flowc reads no intents${how}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
