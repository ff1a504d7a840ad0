/**
 * The search of `flowc gen-tests`: runs the real runtime on candidate conversations and keeps
 * those that reach new goals. Conversations start with `start flow X` for each user flow that
 * can be started (with a fixture for its guard's slots when it needs one), alone and with a
 * value for a slot the flow tests before it asks for it or whose question it skips; each later turn
 * answers the collect step the assistant waits on with one of the slot's candidate values (by
 * a button payload for a slot only actions, buttons or NLU fill), or, when a flow waits at an
 * `action: action_listen` step, says something that asks for nothing (no commands: the flow
 * goes on from that step).
 * Each turn is tried first with every custom action setting nothing, then with each result its
 * stub may give (search-space.ts), for the actions that ran. The search is breadth first, so
 * the first conversation to reach a goal is a shortest one; a state already seen that reaches
 * nothing new is not explored again. Each user flow is searched on its own, until the goals
 * it can reach (its own and those of the flows it calls or links to) are reached or its
 * budget is spent. The chosen conversations then go on to where their flows end. Everything
 * happens in a fixed order: the same assistant always gives the same conversations.
 */
import type { Assistant, AssistantOptions, CustomActionMap, TurnResult } from "../../runtime/assistant.ts";
import type { CompiledAssistant, Flow, Step } from "../../runtime/model.ts";
import { deterministicOptions } from "../e2e/run-test-cases.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { createHash } from "node:crypto";
import { goalKey, type Instrumented } from "./instrument.ts";
import type { SearchSpace, StubResult } from "./search-space.ts";
import { COLLECT_PATTERN, field, top, userFlowsOnStack, type Frame } from "../../runtime/stack.ts";

export interface ExploredTurn {
  readonly user: string;
  readonly commands: readonly string[];
  /** The result of each custom action that ran in the turn (`{}`: it set nothing). */
  readonly stubs: ReadonlyMap<string, StubResult>;
  readonly result: TurnResult;
}

export interface Conversation {
  /** The user flow the conversation starts. */
  readonly flow: string;
  /** Slot values set before the first turn, for the flow's guard. */
  readonly fixture?: StubResult | undefined;
  readonly turns: readonly ExploredTurn[];
  /** The goals this conversation is the first to reach, in the order it reaches them. */
  readonly reaches: readonly string[];
}

export interface SearchLimits {
  /** Longest conversation, in user turns. */
  readonly maxTurns: number;
  /** Most turns run in the whole search. */
  readonly maxRuns: number;
  /** Most stub combinations tried for one turn. */
  readonly maxVariants: number;
  /** Most turns run for the conversations that start one flow. */
  readonly maxRunsPerFlow: number;
  /** A flow's search stops after this many turns in a row that reach nothing new. */
  readonly maxRunsWithoutGain: number;
  /** Most conversation states kept for further search per flow (each holds its turn's result). */
  readonly maxStates: number;
}

const DEFAULT_LIMITS: SearchLimits = { maxTurns: 12, maxRuns: 500_000, maxVariants: 64, maxRunsPerFlow: 5_000, maxRunsWithoutGain: 1_000, maxStates: 2_000 };

interface Node {
  readonly parent: Node | undefined;
  readonly flow: string;
  readonly fixture: StubResult | undefined;
  readonly turn: ExploredTurn;
  readonly depth: number;
  readonly gain: readonly string[];
}

/** `createAssistant` of the runtime the generated modules were loaded with. */
type CreateAssistant = (compiled: CompiledAssistant, options: AssistantOptions) => Assistant;

export async function explore(instrumented: Instrumented, space: SearchSpace, createAssistant: CreateAssistant, limits: SearchLimits = DEFAULT_LIMITS): Promise<Conversation[]> {
  const explorer = new Explorer(instrumented, space, createAssistant(instrumented.assistant, deterministicOptions()), limits);
  for (const flow of Object.values<Flow>(instrumented.assistant.flows)) {
    if (!flow.isPattern) await explorer.searchFlow(flow);
  }
  return explorer.finishConversations();
}

/** The search's state across the flows: the goals still open, the turns run, the nodes kept. */
class Explorer {
  private readonly compiled: CompiledAssistant;
  private readonly custom: ReadonlySet<string>;
  /** The goals no conversation has reached yet. */
  private readonly remaining: Set<string>;
  /** The states (stateKey) the search of the current flow has kept. */
  private readonly seenStates = new Set<string>();
  private readonly initialSlots: Readonly<Record<string, unknown>>;
  /** The nodes whose turn was the first to reach a goal, in the order they did. */
  private readonly needed: Node[] = [];
  /** Per user flow, the flows its conversations can run. */
  private readonly reachable: Map<string, Set<string>>;
  /** Turns run so far, in the whole search. */
  private runs = 0;
  /** `runs` when a goal was last reached, or when the current flow's search began. */
  private lastGain = 0;
  /** Slots the open goals' conditions test (recomputed when a goal is reached). */
  private relevant: ReadonlySet<string> | undefined;
  /** The goals of the flow being searched (and of the flows it calls or links to). */
  private targets: readonly string[] = [];

  constructor(
    private readonly instrumented: Instrumented,
    private readonly space: SearchSpace,
    private readonly assistant: Assistant,
    private readonly limits: SearchLimits,
  ) {
    this.compiled = instrumented.assistant;
    this.custom = new Set(this.compiled.customActions);
    this.remaining = new Set(instrumented.goals.map((goal) => goal.key));
    this.initialSlots = assistant.initialState().slots;
    this.reachable = reachableFlows(this.compiled);
  }

  /**
   * Searches the conversations that start a user flow, breadth first: its first turns (from
   * each fixture, when it needs one), then level by level, while some goal it can reach is open
   * and its budget lasts.
   */
  async searchFlow(flow: Flow): Promise<void> {
    // The goals this flow can reach: its own and those of the flows it calls or links to.
    const flows = this.reachable.get(flow.id) ?? new Set([flow.id]);
    this.targets = this.instrumented.goals.filter((goal) => flows.has(goal.flow)).map((goal) => goal.key);
    this.relevant = undefined;
    if (!this.open()) return;
    this.seenStates.clear();
    const budget = this.runs + this.limits.maxRunsPerFlow;
    this.lastGain = this.runs;
    let level = await this.firstLevel(flow);
    while (level.length > 0 && this.searching(budget)) level = await this.nextLevel(level, budget);
  }

  /** Whether a goal of the flow being searched is still open. */
  private open(): boolean {
    return this.targets.some((key) => this.remaining.has(key));
  }

  /** Whether the current flow's search goes on: a goal is open and no limit is reached. */
  private searching(budget: number): boolean {
    const { runs, limits } = this;
    return this.open() && runs < budget && runs < limits.maxRuns && runs - this.lastGain < limits.maxRunsWithoutGain;
  }

  /**
   * The nodes of the conversations' first turns: `start flow X`, alone and with each optional
   * answer, from no fixture, or, when the flow cannot be started as it is, from each fixture.
   */
  private async firstLevel(flow: Flow): Promise<Node[]> {
    const level: Node[] = [];
    const fixtures: (StubResult | undefined)[] = [undefined, ...(this.space.fixtures.get(flow.id) ?? [])];
    for (const fixture of fixtures) {
      const state = startState(this.assistant, this.compiled, fixture);
      const start = `start flow ${flow.id}`;
      const parsed = this.assistant.parseCommands(state, [start]);
      if (!parsed.some((command) => command.command === "start flow" && command.flow === flow.id)) continue;
      const extras = [...new Set([...optionalAnswers(this.compiled, [flow.id], state, this.space, undefined), ...prefillAnswers(flow.id, state, this.space)])];
      for (const commands of [[start], ...extras.map((extra) => [start, extra])]) {
        for (const { turn, hits } of await this.variants(state, commands.join(", "), commands)) {
          const node = this.accept(undefined, flow.id, fixture, turn, hits);
          if (node) level.push(node);
        }
      }
      if (fixture === undefined) break; // startable as it is: no fixture needed
    }
    return level;
  }

  /** The nodes one turn after those of `level`: each answer to what the conversation waits on. */
  private async nextLevel(level: readonly Node[], budget: number): Promise<Node[]> {
    const next: Node[] = [];
    for (const node of level) {
      if (node.depth >= this.limits.maxTurns || !this.searching(budget)) continue;
      const state = node.turn.result.state;
      for (const commands of answers(this.compiled, state, this.space)) {
        for (const { turn, hits } of await this.variants(state, userText(commands), commands)) {
          const child = this.accept(node, node.flow, node.fixture, turn, hits);
          if (child) next.push(child);
        }
      }
    }
    return next;
  }

  /** Runs one turn with the given stubs, and takes the goals it reached. */
  private async run(state: ConversationState, user: string, commands: readonly string[], stubs: ReadonlyMap<string, StubResult>): Promise<{ result: TurnResult; hits: Set<string> }> {
    this.runs++;
    const actions: CustomActionMap = Object.fromEntries([...stubs].map(([name, slots]) => [name, () => ({ slots: { ...slots } })]));
    const result = await this.assistant.handle(state, this.assistant.parseCommands(state, commands), { message: user, actions, observer: this.instrumented.observer });
    return { result, hits: this.instrumented.take() };
  }

  /** Every stub combination worth trying for one turn, in a fixed order. */
  private async variants(state: ConversationState, user: string, commands: readonly string[]): Promise<{ turn: ExploredTurn; hits: Set<string> }[]> {
    const out: { turn: ExploredTurn; hits: Set<string> }[] = [];
    const queue: Map<string, StubResult>[] = [new Map()];
    const tried = new Set<string>([""]);
    while (queue.length > 0 && out.length < this.limits.maxVariants && this.runs < this.limits.maxRuns) {
      const stubs = queue.shift()!;
      const { result, hits } = await this.run(state, user, commands, stubs);
      const ran = customActionsRun(result.actions, this.custom);
      out.push({ turn: { user, commands, stubs: new Map(ran.map((action) => [action, stubs.get(action) ?? {}])), result }, hits });
      for (const action of ran) {
        if (stubs.has(action)) continue;
        for (const option of this.space.stubResults.get(action) ?? []) {
          const next = new Map(stubs).set(action, option);
          const key = JSON.stringify([...next]);
          if (tried.has(key)) continue;
          tried.add(key);
          queue.push(next);
        }
      }
    }
    return out;
  }

  /** Keeps a turn's node when it reaches something new or a state not seen before. */
  private accept(parent: Node | undefined, flow: string, fixture: StubResult | undefined, turn: ExploredTurn, hits: Set<string>): Node | undefined {
    const gain = [...hits].filter((key) => this.remaining.has(key));
    for (const key of gain) this.remaining.delete(key);
    if (gain.length > 0) {
      this.lastGain = this.runs;
      this.relevant = undefined;
    }
    this.relevant ??= relevantSlots(this.targets.filter((key) => this.remaining.has(key)), this.space);
    const key = stateKey(turn.result.state, this.initialSlots, this.relevant);
    const fresh = !this.seenStates.has(key) && this.seenStates.size < this.limits.maxStates;
    if (fresh) this.seenStates.add(key);
    if (gain.length === 0 && !fresh) return undefined;
    const node: Node = { parent, flow, fixture, turn, depth: (parent?.depth ?? 0) + 1, gain: orderedGain(gain, this.instrumented) };
    if (gain.length > 0) this.needed.push(node);
    return node;
  }

  /**
   * The chosen conversations, each gone on to where its flows end, answering with each slot's
   * first candidate that is not null, so that the tests also say how they end (at most
   * maxTurns, never in a circle).
   */
  async finishConversations(): Promise<Conversation[]> {
    const everySlot = new Set(Object.keys(this.initialSlots));
    const out: Conversation[] = [];
    for (const conversation of conversations(this.needed)) out.push(await this.runToEnd(conversation, everySlot));
    return out;
  }

  /** One conversation gone on to where its flows end, or until a state (of every slot) repeats. */
  private async runToEnd(conversation: Conversation, everySlot: ReadonlySet<string>): Promise<Conversation> {
    const turns = [...conversation.turns];
    const seen = new Set(turns.map((turn) => stateKey(turn.result.state, this.initialSlots, everySlot)));
    while (turns.length < this.limits.maxTurns) {
      const state = turns[turns.length - 1]!.result.state;
      const commands = answers(this.compiled, state, this.space).find((lines) => lines.length === 0 || (lines.length === 1 && !lines[0]!.endsWith(" null")));
      if (!commands) break;
      const user = userText(commands);
      const { result } = await this.run(state, user, commands, new Map());
      const key = stateKey(result.state, this.initialSlots, everySlot);
      if (seen.has(key)) break;
      seen.add(key);
      const ran = customActionsRun(result.actions, this.custom);
      turns.push({ user, commands, stubs: new Map(ran.map((action) => [action, {}])), result });
    }
    return { ...conversation, turns };
  }
}

/**
 * The next user turns worth trying: the collect step waited on, answered with each candidate,
 * alone and together with a value for a slot the flow would otherwise not ask for. A slot no
 * LLM value may fill (its mappings are only `controlled` or NLU ones) is answered as its users
 * answer it, with a button payload (`/SetSlots(slot=value)` passes every mapping, §a.3), unless
 * its question is one no reply can answer (FLW4105: no button, no custom action of the
 * question): no user has such a payload to send, so the question stays unanswered.
 */
function answers(compiled: CompiledAssistant, state: ConversationState, space: SearchSpace): string[][] {
  const waiting = top(state.stack);
  const slot = waiting?.type === COLLECT_PATTERN ? field(waiting, "collect") : undefined;
  if (typeof slot !== "string") return listenAnswers(compiled, waiting);
  const candidates = space.candidates.get(slot) ?? [];
  const definition = compiled.slots[slot];
  if (definition !== undefined && definition.mappings.length > 0 && !definition.mappings.some((mapping) => mapping.type === "from_llm")) {
    const asking = state.stack[state.stack.length - 2];
    const flowId = field(asking, "flow_id");
    const stepId = field(asking, "step_id");
    if (typeof flowId === "string" && typeof stepId === "string" && space.unanswerable.has(goalKey("step", flowId, stepId))) return [];
    return candidates.map(payloadValue).flatMap((text) => (text === undefined ? [] : [[`/SetSlots(${slot}=${text})`]]));
  }
  const flows = userFlowsOnStack(state.stack);
  const extras = optionalAnswers(compiled, flows, state, space, slot);
  const out: string[][] = [];
  for (const value of candidates) {
    const text = commandValue(value);
    if (text === undefined) continue;
    out.push([`set slot ${slot} ${text}`]);
    for (const extra of extras) out.push([`set slot ${slot} ${text}`, extra]);
  }
  return out;
}

/**
 * The answer to a flow that waits at an `action: action_listen` step: a message that asks for
 * nothing (no commands: the command processor gets an empty list and the flow goes on from the
 * step, runtime-semantics.md §a.3). No `set slot` for what the branches after the step test:
 * Rasa 3.12 drops an LLM's or a button's value for a slot the flow does not collect (§a.6).
 */
function listenAnswers(compiled: CompiledAssistant, waiting: Frame | undefined): string[][] {
  const flowId = field(waiting, "flow_id");
  const stepId = field(waiting, "step_id");
  if (typeof flowId !== "string" || typeof stepId !== "string" || !Object.hasOwn(compiled.flows, flowId)) return [];
  const steps: Readonly<Record<string, Step>> = compiled.flows[flowId]!.steps;
  const step = Object.hasOwn(steps, stepId) ? steps[stepId] : undefined;
  return step?.kind === "action" && step.action === "action_listen" ? [[]] : [];
}

/** The user's text of a turn: its commands, or, for a turn without any, a message that asks for nothing. */
function userText(commands: readonly string[]): string {
  return commands.length === 0 ? "ok" : commands.join(", ");
}

/**
 * `set slot` commands for the optional slots of the flows: those whose collect steps do not
 * ask (`ask_before_filling: false`) because the slot starts with a value, so that the user
 * only sets them by naming them along with something else. Each candidate other than the
 * slot's current value.
 */
function optionalAnswers(compiled: CompiledAssistant, flowIds: readonly string[], state: ConversationState, space: SearchSpace, asked: string | undefined): string[] {
  const out: string[] = [];
  const slots = new Set<string>();
  for (const id of flowIds) {
    const flow = compiled.flows[id];
    if (!flow) continue;
    for (const step of Object.values<Step>(flow.steps)) {
      if (step.kind !== "collect" || step.askBeforeFilling || step.slot === asked || slots.has(step.slot)) continue;
      const initial = compiled.slots[step.slot]?.initialValue;
      if (initial === null || initial === undefined) continue;
      slots.add(step.slot);
      for (const value of space.candidates.get(step.slot) ?? []) {
        const text = commandValue(value);
        if (text !== undefined && JSON.stringify(value) !== JSON.stringify(state.slots[step.slot])) out.push(`set slot ${step.slot} ${text}`);
      }
    }
  }
  return out;
}

/**
 * `set slot` commands for the slots a flow tests before it asks for them (search-space.ts
 * `prefills`), named in the message that starts the flow: each candidate but null and the
 * slot's current value.
 */
function prefillAnswers(flowId: string, state: ConversationState, space: SearchSpace): string[] {
  const out: string[] = [];
  for (const slot of space.prefills.get(flowId) ?? []) {
    for (const value of space.candidates.get(slot) ?? []) {
      const text = value === null ? undefined : commandValue(value);
      if (text !== undefined && JSON.stringify(value) !== JSON.stringify(state.slots[slot])) out.push(`set slot ${slot} ${text}`);
    }
  }
  return out;
}

/** A value as a `set slot` command writes it (it reads back as the same value for the slot's type). */
function commandValue(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return value === "" || value !== value.trim() || /^['"]|['"]$/.test(value) ? undefined : value;
  if (Array.isArray(value) && value.length === 1) return commandValue(value[0]);
  return undefined;
}

/**
 * A value as a button payload writes it: the payload reader splits at `(`, `)`, `,` and `=`,
 * strips the value and reads `none`, `null` and `undefined` as no value, so those are left out.
 */
function payloadValue(value: unknown): string | undefined {
  const text = commandValue(value);
  if (text === undefined || /[(),=]/.test(text) || ["none", "null", "undefined"].includes(text.toLowerCase())) return undefined;
  return text;
}

function startState(assistant: Assistant, compiled: CompiledAssistant, fixture: StubResult | undefined): ConversationState {
  const state = assistant.initialState();
  if (!fixture) return state;
  const slots = { ...state.slots, ...fixture };
  const slotsSet = [...new Set([...state.slotsSet, ...Object.keys(fixture).filter((name) => name in compiled.slots)])];
  // The slots hold their numbers themselves: no specialFloats for loadState to put back over a fixture's value.
  return assistant.loadState({ ...state, slots, slotsSet, specialFloats: undefined });
}

/**
 * What makes two states the same for the search: the stack (without frame ids) and the slots
 * that the conditions of open goals test and that no longer hold their initial value (a value
 * no open condition looks at cannot lead anywhere new); hashed, so that states take little room.
 */
function stateKey(state: ConversationState, initial: Readonly<Record<string, unknown>>, relevant: ReadonlySet<string>): string {
  const stack = state.stack.map(({ frame_id: _id, ...rest }) => rest);
  const changed: unknown[] = [];
  for (const name of relevant) {
    const value = state.slots[name];
    if (value !== initial[name]) changed.push(name, value);
  }
  return createHash("sha1").update(JSON.stringify([stack, changed])).digest("base64");
}

function relevantSlots(open: readonly string[], space: SearchSpace): Set<string> {
  const slots = new Set<string>();
  for (const key of open) for (const slot of space.goalSlots.get(key) ?? []) slots.add(slot);
  return slots;
}

/** Per user flow, the flows its conversations can run: itself and those it calls or links to, transitively. */
function reachableFlows(compiled: CompiledAssistant): Map<string, Set<string>> {
  const direct = new Map<string, string[]>();
  for (const flow of Object.values<Flow>(compiled.flows)) {
    direct.set(flow.id, Object.values<Step>(flow.steps).flatMap((step) => (step.kind === "call" || step.kind === "link" ? [step.flow] : [])));
  }
  const out = new Map<string, Set<string>>();
  for (const id of direct.keys()) {
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length > 0) {
      for (const target of direct.get(queue.shift()!) ?? []) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    out.set(id, seen);
  }
  return out;
}

function orderedGain(gain: readonly string[], instrumented: Instrumented): string[] {
  const set = new Set(gain);
  return instrumented.goals.filter((goal) => set.has(goal.key)).map((goal) => goal.key);
}

/**
 * One conversation per turn that reached something new, except those that another such
 * conversation continues (its turns are a prefix of the other's).
 */
function conversations(needed: readonly Node[]): Conversation[] {
  const prefixes = new Set<Node>();
  for (const node of needed) for (let p = node.parent; p; p = p.parent) prefixes.add(p);
  const out: Conversation[] = [];
  const claimed = new Set<Node>();
  for (const node of needed) {
    if (prefixes.has(node)) continue;
    const path: Node[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) path.unshift(n);
    const reaches = path.filter((n) => !claimed.has(n)).flatMap((n) => n.gain);
    for (const n of path) claimed.add(n);
    out.push({ flow: node.flow, fixture: node.fixture, turns: path.map((n) => n.turn), reaches });
  }
  return out;
}

/** The custom actions among a turn's actions, each once, in the order they first ran. */
function customActionsRun(actions: readonly string[], custom: ReadonlySet<string>): string[] {
  return [...new Set(actions.filter((action) => custom.has(action)))];
}
