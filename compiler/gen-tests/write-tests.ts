/**
 * The conversations found by the search, written as e2e test files (design §3.2): one file per
 * user flow that starts conversations, each turn with its `commands`, the stubs of the custom
 * actions that ran in it (every one, `events: []` when it sets nothing, so that stubs of other
 * test files never change what a generated test does) and assertions of what the turn did:
 * flows started, completed and cancelled, custom actions run, responses sent and slots set.
 * The text depends only on the conversations: re-running gives the same bytes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump } from "js-yaml";
import type { TurnResult } from "../../runtime/assistant.ts";
import type { CompiledAssistant, Flow } from "../../runtime/model.ts";
import type { Conversation, ExploredTurn } from "./explore.ts";
import type { Goal } from "./instrument.ts";
import { indent } from "../emit/code.ts";
import { readIfPossible } from "../emit/write-output.ts";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { describeIoError } from "../passes/load-yaml-files.ts";

export interface TestFile {
  /** The file name in the output folder. */
  readonly path: string;
  readonly text: string;
  readonly testCases: number;
}

export function testFiles(conversations: readonly Conversation[], compiled: CompiledAssistant, goals: readonly Goal[], source: string): TestFile[] {
  const byFlow = new Map<string, Conversation[]>();
  for (const conversation of conversations) byFlow.set(conversation.flow, [...(byFlow.get(conversation.flow) ?? []), conversation]);
  const labels = new Map(goals.map((goal) => [goal.key, goal]));
  const userFlows = new Set(Object.values<Flow>(compiled.flows).filter((flow) => !flow.isPattern).map((flow) => flow.id));
  const custom = new Set(compiled.customActions);
  const ownSessionStart = compiled.domainActions.includes(SESSION_START);
  const files: TestFile[] = [];
  for (const [flow, list] of byFlow) {
    const lines = [
      `${HEADER_START} from ${source}; do not edit: re-run it after changing the flows.`,
      `# Conversations starting flow ${flow} that, with those of the other generated files, reach every`,
      "# step and branch the generator could reach. Each test case lists what it is the first to reach.",
    ];
    const fixtures: Record<string, Record<string, unknown>[]>[] = [];
    const fixtureNames = new Map<string, string>();
    const cases: string[] = [];
    list.forEach((conversation, i) => {
      const name = `generated_${flow}_${i + 1}`;
      let fixture: string | undefined;
      if (conversation.fixture) {
        const settings = Object.entries(conversation.fixture).map(([slot, value]) => ({ [slot]: value }));
        const key = JSON.stringify(settings);
        fixture = fixtureNames.get(key);
        if (fixture === undefined) {
          fixture = `generated_${flow}_slots_${fixtureNames.size + 1}`;
          fixtureNames.set(key, fixture);
          fixtures.push({ [fixture]: settings });
        }
      }
      const testCase = {
        test_case: name,
        ...(fixture ? { fixtures: [fixture] } : {}),
        steps: distinctMessages(conversation.turns).map((user, j) => userStep(user, conversation.turns[j]!, userFlows, custom)),
      };
      const reaches = conversation.reaches.map((key) => {
        const goal = labels.get(key);
        return goal ? (goal.flow === flow ? goal.label : `${goal.label} of flow ${goal.flow}`) : key;
      });
      const comment = reaches.length > 0 ? wrap(`reaches: ${reaches.join(", ")}`, 96).map((line) => `  # ${line}`) : [];
      cases.push([...comment, indent(dump([testCase], DUMP_OPTIONS).trimEnd(), "  ")].join("\n"));
    });
    if (fixtures.length > 0) lines.push("", dump({ fixtures }, DUMP_OPTIONS).trimEnd());
    if (ownSessionStart) lines.push("", SESSION_START_COMMENT, dump({ stub_custom_actions: { [SESSION_START]: { events: [] } } }, DUMP_OPTIONS).trimEnd());
    lines.push("", "test_cases:", cases.join("\n\n"));
    files.push({ path: `${flow}.yml`, text: `${lines.join("\n").trimEnd()}\n`, testCases: list.length });
  }
  return files;
}

const SESSION_START = "action_session_start";
/** Why a file stubs the assistant's own session start: the conversations were explored from a new conversation as it is before any action. */
const SESSION_START_COMMENT = "# The assistant's own action_session_start does nothing here: the conversations start from every\n# slot's initial value, as the generator explored them.";

const DUMP_OPTIONS = { lineWidth: -1, noRefs: true, quotingType: '"' } as const;

/**
 * The user text of each turn, a repeated one numbered (`set slot city Paris (2)`): Rasa's runner
 * reads a step's assertions from the first turn of the test case with the step's text, so a
 * message sent again would be checked against what it did the first time. The `commands` of
 * each step say what it does; the text only has to tell the turns apart.
 */
function distinctMessages(turns: readonly ExploredTurn[]): string[] {
  const sent = new Set<string>();
  return turns.map((turn) => {
    let user = turn.user;
    for (let n = 2; sent.has(user); n++) user = `${turn.user} (${n})`;
    sent.add(user);
    return user;
  });
}

function userStep(user: string, turn: ExploredTurn, userFlows: ReadonlySet<string>, custom: ReadonlySet<string>): Record<string, unknown> {
  const stubs: Record<string, unknown> = {};
  for (const [action, slots] of turn.stubs) stubs[action] = { events: Object.entries(slots).map(([name, value]) => ({ event: "slot", name, value })) };
  const assertions = turnAssertions(turn.result, userFlows, custom);
  return {
    user,
    commands: [...turn.commands],
    ...(turn.stubs.size > 0 ? { stub_custom_actions: stubs } : {}),
    ...(assertions.length > 0 ? { assertions } : {}),
  };
}

/** What the turn did, as assertions that hold for it (each is looked for anywhere in the turn). */
function turnAssertions(result: TurnResult, userFlows: ReadonlySet<string>, custom: ReadonlySet<string>): Record<string, unknown>[] {
  const assertions: Record<string, unknown>[] = [];
  const once = new Set<string>();
  const push = (assertion: Record<string, unknown>) => {
    const key = JSON.stringify(assertion);
    if (once.has(key)) return;
    once.add(key);
    assertions.push(assertion);
  };
  const slots: { name: string; value: unknown }[] = [];
  const ended = new Set<string>();
  for (const event of result.events) {
    switch (event.event) {
      case "flow_started":
        if (userFlows.has(event.flow_id)) push({ flow_started: event.flow_id });
        break;
      case "flow_completed":
      case "flow_cancelled":
        // With a step id, the assertion looks at the flow's first such event of the turn (as Rasa's runner does).
        if (userFlows.has(event.flow_id) && !ended.has(`${event.event} ${event.flow_id}`)) {
          ended.add(`${event.event} ${event.flow_id}`);
          push({ [event.event]: { flow_id: event.flow_id, flow_step_id: event.step_id } });
        }
        break;
      case "action":
        if (custom.has(event.name)) push({ action_executed: event.name });
        break;
      case "bot":
        if (event.response !== undefined) push({ bot_uttered: { utter_name: event.response } });
        break;
      case "slot":
        if (!slots.some((slot) => slot.name === event.name && JSON.stringify(slot.value) === JSON.stringify(event.value ?? null))) slots.push({ name: event.name, value: event.value ?? null });
        break;
      default:
        break;
    }
  }
  if (slots.length > 0) assertions.push({ slot_was_set: slots });
  return assertions;
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The first line of every generated test file: how stale ones are recognised. */
const HEADER_START = "# Generated by `flowc gen-tests`";

/**
 * Writes the files into `outDir` (each only when its text changed) and removes the `.yml`
 * files there that an earlier run generated and this one does not. Returns what went wrong, as
 * `compile` reports its output (FLW0003), with the paths under `shownAs` (the folder as the
 * command line named it).
 */
export function writeTestFiles(outDir: string, files: readonly TestFile[], shownAs: string): Diagnostic[] {
  const diagnostics = new DiagnosticBag();
  const wanted = new Set(files.map((file) => file.path));
  try {
    mkdirSync(outDir, { recursive: true });
    for (const entry of readdirSync(outDir)) {
      if (wanted.has(entry) || !entry.endsWith(".yml")) continue;
      const path = join(outDir, entry);
      if (readIfPossible(path)?.startsWith(HEADER_START)) rmSync(path);
    }
  } catch (error) {
    diagnostics.report("cannotWrite", { path: shownAs, reason: describeIoError(error) });
    return diagnostics.all;
  }
  for (const file of files) {
    const path = join(outDir, file.path);
    try {
      if (readIfPossible(path) !== file.text) writeFileSync(path, file.text);
    } catch (error) {
      diagnostics.report("cannotWrite", { path: join(shownAs, file.path), reason: describeIoError(error) });
    }
  }
  return diagnostics.all;
}
