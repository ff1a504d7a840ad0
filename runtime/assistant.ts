/**
 * The application API: create an assistant from the generated module and the custom actions,
 * start a new conversation's session with `startSession(state)`, as Rasa does before a new
 * conversation's first message (it runs `action_session_start`: the assistant's own, when the
 * domain lists it), then `handle(state, commands)` once per user message.
 *
 *   const bot = createAssistant(assistant, { actions });
 *   let state = (await bot.startSession(bot.initialState())).state;
 *   const turn = await bot.handle(state, bot.parseCommands(state, ["start flow transfer_money"]));
 *   state = turn.state; // plain JSON: store it anywhere
 */
import type { ActionContext, ActionReturn } from "./actions.ts";
import { parseCommandLines, type Command } from "./commands.ts";
import type { Message, RuntimeEvent } from "./events.ts";
import type { CompiledAssistant } from "./model.ts";
import type { ExecutionObserver } from "./observer.ts";
import { randomFrameIds, type FrameIdSource } from "./stack.ts";
import { checkHandedState, initialState, loadState, type ConversationState } from "./state.ts";
import { flowAvailability, flowStartability } from "./guards.ts";
import { slotFillability } from "./slot-mappings.ts";
import { runSessionStart, runTurn } from "./turn.ts";

/** A custom action as the runtime calls it (the typed form is `defineActions` of the generated index). */
export type CustomAction = (context: ActionContext<Readonly<Record<string, unknown>>>) => ActionReturn<Readonly<Record<string, unknown>>>;
export type CustomActionMap = Readonly<Record<string, CustomAction>>;

export interface AssistantOptions {
  /** Implementations of the assistant's custom actions; an action without one runs and returns nothing. */
  readonly actions?: CustomActionMap | object;
  /** Where frame ids come from (default: random, as in Rasa). */
  readonly frameIds?: FrameIdSource;
  /**
   * Where a response's variation choice comes from: a number in [0, 1) each time two or more
   * variations fit (default `Math.random`, as Rasa picks at random). `() => 0` always picks
   * the first that fits (what `flowc test` does).
   */
  readonly random?: () => number;
  /**
   * A seed for the variation choice instead of `random`: the assistant keeps one
   * {@link seededRandom} sequence, so the same seed and the same turns give the same messages.
   */
  readonly seed?: number;
  /** The output channel's name: variations with this `channel` are preferred (default: none). */
  readonly channel?: string;
}

export interface TurnOptions {
  /** The user's message, passed to custom actions as `latestMessage`. */
  readonly message?: string;
  /** Custom actions for this turn only, over those given to `createAssistant` (test stubs). */
  readonly actions?: CustomActionMap;
  /** The metadata of the user's message (as a channel attaches it), passed to custom actions. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Told of every step and branch the flows take in this turn (`flowc test --coverage`). */
  readonly observer?: ExecutionObserver;
}

/** What {@link Assistant.startSession} takes: those of {@link TurnOptions} that apply before any message. */
export interface SessionStartOptions {
  /** What the channel attached to the new conversation, passed to `action_session_start` as `context.metadata`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Custom actions for the session start only, over those given to `createAssistant` (test stubs). */
  readonly actions?: CustomActionMap;
  /** As for a turn; no flow runs at a session's start, so it is told of nothing. */
  readonly observer?: ExecutionObserver;
}

/** What a session's start did: like a {@link TurnResult}, without commands. */
export interface SessionStartResult {
  /** The state the first message goes to: `turns` unchanged; `lastBotTurn` the session start's messages when it sent any. */
  readonly state: ConversationState;
  /** `action_session_start`, then `action_listen` (only the first when the assistant's own action failed). */
  readonly actions: readonly string[];
  /** What the assistant's own `action_session_start` sent (Rasa's default sends nothing). */
  readonly messages: readonly Message[];
  /** `action`, the action's `bot` messages, `session_started`, its `slot` events, `action` (action_listen); a failed action: only its `action` event, with `error`. */
  readonly events: readonly RuntimeEvent[];
}

export interface TurnResult {
  readonly state: ConversationState;
  /** Every executed action of the turn, in order, ending with `action_listen`. */
  readonly actions: readonly string[];
  /** Every message sent in the turn, in order. */
  readonly messages: readonly Message[];
  readonly events: readonly RuntimeEvent[];
  /** The commands as the command processor received them. */
  readonly commands: readonly Command[];
}

export interface Assistant {
  readonly compiled: CompiledAssistant;
  /** A new conversation: empty stack, every slot at its initial value. */
  initialState(): ConversationState;
  /** A stored state (JSON text or parsed), validated; throws `StateError` when corrupt. */
  loadState(json: unknown): ConversationState;
  /** Command DSL lines (and `/SetSlots(...)`, `<error>`) parsed against what is startable now. */
  parseCommands(state: ConversationState, lines: readonly string[]): Command[];
  /**
   * One user turn: the commands run, then the flows advance until the assistant listens. A
   * state that is plainly not one (stored JSON not read by {@link loadState}) rejects with a
   * `StateError`, and a command with a missing or mistyped field with a `TypeError` naming it.
   */
  handle(state: ConversationState, commands: readonly Command[], options?: TurnOptions): Promise<TurnResult>;
  /**
   * A new conversation's session start, before its first message (Rasa's
   * `action_session_start`, then `action_listen`): the assistant's own `action_session_start`
   * when the domain lists it, run as custom actions run in a turn (one that fails changes
   * nothing: its error is on its `action` event); otherwise Rasa's default, which sets no slot
   * and sends nothing. Not a user turn: `turns` stays as it was.
   */
  startSession(state: ConversationState, options?: SessionStartOptions): Promise<SessionStartResult>;
}

export function createAssistant(compiled: CompiledAssistant, options: AssistantOptions = {}): Assistant {
  checkCompiled(compiled);
  const actions = (options.actions ?? {}) as CustomActionMap;
  const frameIds = options.frameIds ?? randomFrameIds;
  // The slot table answers for its names: no Set of a thousand names built up front.
  const slotNames = { has: (name: string): boolean => Object.hasOwn(compiled.slots, name) };
  const responseChoice = { random: options.random ?? (options.seed !== undefined ? seededRandom(options.seed) : Math.random), channel: options.channel };
  return {
    compiled,
    initialState: () => initialState(compiled),
    loadState: (json) => loadState(compiled, json),
    parseCommands: (state, lines) => {
      checkHandedState(state, "parseCommands");
      checkLines(lines);
      return parseCommandLines(lines, { availableFlows: flowAvailability(compiled, state), startableFlows: flowStartability(compiled, state), slots: slotNames, fillableSlots: slotFillability(compiled, state) });
    },
    handle: (state, commands, turn = {}) =>
      runTurn({ assistant: compiled, actions: turn.actions ? { ...actions, ...turn.actions } : actions, frameIds, responseChoice, observer: turn.observer, metadata: turn.metadata }, state, commands, turn.message),
    startSession: (state, start = {}) =>
      runSessionStart({ assistant: compiled, actions: start.actions ? { ...actions, ...start.actions } : actions, frameIds, responseChoice, observer: start.observer, metadata: start.metadata }, state),
  };
}

/** Throws a TypeError unless `compiled` looks like the `assistant` a generated index.ts exports. */
function checkCompiled(compiled: unknown): asserts compiled is CompiledAssistant {
  const fields = compiled as Partial<Record<keyof CompiledAssistant, unknown>> | null;
  if (typeof fields !== "object" || fields === null || typeof fields.hash !== "string" || typeof fields.flows !== "object" || typeof fields.slots !== "object") {
    throw new TypeError("createAssistant: give it the `assistant` that flowc's generated index.ts exports");
  }
}

/** Throws a TypeError unless `lines` is a list of texts. */
function checkLines(lines: unknown): asserts lines is readonly string[] {
  if (!Array.isArray(lines)) throw new TypeError("parseCommands: the command lines must be a list of texts");
  const at = lines.findIndex((line) => typeof line !== "string");
  if (at >= 0) throw new TypeError(`parseCommands: line ${at} is not a text: ${JSON.stringify(lines[at]) ?? String(lines[at])}`);
}

/**
 * A deterministic sequence of numbers in [0, 1) from a 32-bit seed (the mulberry32 generator):
 * small, fast and good enough to pick response variations reproducibly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
