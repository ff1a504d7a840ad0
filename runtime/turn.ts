/**
 * One user turn (runtime-semantics.md §a.1): the command processor runs the commands, then the
 * flows advance and each action they name runs, until the assistant listens. Everything the
 * turn does is recorded (actions, messages, events); the state that comes out is new JSON, the
 * state that went in is left as it was.
 */
import type { CustomAction, CustomActionMap, SessionStartResult, TurnResult } from "./assistant.ts";
import { checkCommands, describeCommand, type Command } from "./commands.ts";
import { beginSession, startDefaultSession, utter, utterWithFields } from "./default-actions.ts";
import { advanceFlows } from "./executor.ts";
import type { CompiledAssistant } from "./model.ts";
import { forcedSlotFilling, processCommands } from "./processor.ts";
import { pushInternalError } from "./repair.ts";
import { DEFAULT_ACTION, RESPONSE_ACTION, type ActionPlan } from "./plan.ts";
import type { ExecutionObserver } from "./observer.ts";
import { type FrameIdSource } from "./stack.ts";
import { checkHandedState, stackFlowsChanged, type ConversationState } from "./state.ts";
import { markPythonFloat, setStoredSlot, shareStack, slotOf, stateOf, trackerFrom, type ResponseChoice, type Tracker } from "./tracker.ts";

export interface TurnEnvironment {
  readonly assistant: CompiledAssistant;
  readonly actions: CustomActionMap;
  readonly frameIds: FrameIdSource;
  readonly observer?: ExecutionObserver | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** How responses pick among their variations (default: at random, as Rasa does). */
  readonly responseChoice?: ResponseChoice;
}

/** A safety net against an endless loop of actions within one turn. */
export const MAX_ACTIONS_PER_TURN = 1000;

const ACTION_LISTEN = "action_listen";

/**
 * Not an async function: most turns run no action that returns a promise, and they then
 * finish without the async machinery (the result still comes as a promise, and anything
 * thrown as its rejection).
 */
export function runTurn(env: TurnEnvironment, state: ConversationState, commands: readonly Command[], message: string | undefined): Promise<TurnResult> {
  try {
    checkHandedState(state, "handle");
    checkCommands(commands);
    const tracker = trackerFrom(env.assistant, env.frameIds, state, message, env.responseChoice);
    if (env.observer) tracker.observer = env.observer;
    if (env.metadata) tracker.latestMetadata = env.metadata;
    const codeChanged = state.assistantHash !== env.assistant.hash && stackFlowsChanged(env.assistant, state);
    // force_slot_filling filters what dialogue understanding produced (in Rasa, the generator does)
    const received = codeChanged ? commands : forcedSlotFilling(tracker, commands);
    tracker.events.push(message === undefined ? { event: "user", commands: received.map(describeCommand) } : { event: "user", text: message, commands: received.map(describeCommand) });
    processCommands(tracker, received, codeChanged);
    recordStack(tracker);
    const pending = runActions(tracker, env.actions, 0);
    if (pending !== undefined) return pending.then(() => finishTurn(tracker, state, received));
    return Promise.resolve(finishTurn(tracker, state, received));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Advances and runs actions until the assistant listens; when a custom action returns a promise, the rest runs once it settles. */
function runActions(tracker: Tracker, actions: CustomActionMap, from: number): Promise<void> | undefined {
  for (let count = from; count < MAX_ACTIONS_PER_TURN; count++) {
    const action = advanceFlows(tracker);
    recordStack(tracker);
    if (action === undefined || action.name === ACTION_LISTEN) return undefined;
    const pending = runAction(tracker, action, actions);
    if (pending !== undefined) return pending.then(() => runActions(tracker, actions, count + 1)); // only a custom action that returned a promise waits
  }
  // The safety net ends the turn: the stack as the last action left it (a failing custom action pushes pattern_internal_error).
  recordStack(tracker);
  return undefined;
}

function finishTurn(tracker: Tracker, state: ConversationState, commands: readonly Command[]): TurnResult {
  tracker.actions.push(ACTION_LISTEN);
  tracker.events.push({ event: "action", name: ACTION_LISTEN });
  return { state: stateOf(tracker, state), actions: tracker.actions, messages: tracker.messages, events: tracker.events, commands };
}

function recordStack(tracker: Tracker): void {
  tracker.events.push({ event: "stack", stack: shareStack(tracker) });
}

/**
 * Runs one action (the executor classified it, see plan.ts): a default action of Rasa's, a
 * response, or a custom action of the application. A custom action's result is checked before any of it is applied, so one that
 * throws or returns something invalid changes nothing: it is recorded with its error, and
 * `pattern_internal_error` tells the user. Returns a promise only when a custom action did.
 */
function runAction(tracker: Tracker, action: ActionPlan, actions: CustomActionMap): Promise<void> | undefined {
  const name = action.name;
  tracker.actions.push(name);
  const at = tracker.events.length;
  tracker.events.push({ event: "action", name });
  if (action.kind === DEFAULT_ACTION) {
    action.builtIn!(tracker);
    return undefined;
  }
  if (action.kind === RESPONSE_ACTION) {
    utter(tracker, name);
    return undefined;
  }
  const implementation = implementationOf(actions, name);
  if (implementation) return runCustomAction(tracker, name, implementation, at);
  applyCustomResult(tracker, name, {}); // a custom action without an implementation runs and returns nothing
  return undefined;
}

/**
 * The application's implementation of custom action `name`: a function of the object it gave
 * (its own, or a method of its class), but not one every object has, nor the constructor of
 * its class: an action named `constructor` or `toString` that the application does not
 * implement runs and returns nothing, like any other.
 */
function implementationOf(actions: CustomActionMap, name: string): CustomAction | undefined {
  const implementation = actions[name];
  if (!implementation) return undefined;
  if (!Object.hasOwn(actions, name) && (name === "constructor" || implementation === (Object.prototype as unknown as Record<string, unknown>)[name])) return undefined;
  return implementation; // anything else the application gave runs (and fails if it is not a function)
}

/** Kept apart from {@link runAction}: the closures of its promise path would otherwise cost every action a heap context. */
function runCustomAction(tracker: Tracker, name: string, implementation: CustomAction, at: number): Promise<void> | undefined {
  try {
    const frame = tracker.stack[tracker.stack.length - 1];
    tracker.ownsSlots = false; // the action may keep the slots it is given: the next write copies them
    const context: { slots: typeof tracker.slots; latestMessage?: string; metadata?: Readonly<Record<string, unknown>>; flowId?: string; stepId?: string } = { slots: tracker.slots };
    if (tracker.latestMessage !== undefined) context.latestMessage = tracker.latestMessage;
    if (tracker.latestMetadata !== undefined) context.metadata = tracker.latestMetadata;
    if (frame) {
      context.flowId = frame.flow_id;
      context.stepId = frame.step_id;
    }
    const returned = implementation(context);
    if (isPromise(returned)) return settleAction(tracker, name, returned, at);
    applyCustomResult(tracker, name, checkedResult(tracker, name, returned));
  } catch (error) {
    actionFailed(tracker, name, at, error);
  }
  return undefined;
}

/** A custom action's promise: its result is applied once it settles. */
function settleAction(tracker: Tracker, name: string, returned: Promise<unknown>, at: number): Promise<void> {
  return Promise.resolve(returned)
    .then((result) => applyCustomResult(tracker, name, checkedResult(tracker, name, result)))
    .catch((error: unknown) => actionFailed(tracker, name, at, error));
}

/** A custom action that threw or returned something invalid: recorded with its error, and the user is told. */
function actionFailed(tracker: Tracker, name: string, at: number, error: unknown): void {
  tracker.events[at] = { event: "action", name, error: error instanceof Error ? error.message : String(error) };
  pushInternalError(tracker);
}

/** Whether a custom action's message gives `quick_replies`, `attachment` or `elements`. */
function hasChannelFields(message: Readonly<Record<string, unknown>>): boolean {
  return message["quick_replies"] !== undefined || message["attachment"] !== undefined || message["elements"] !== undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

interface ActionResultShape {
  readonly slots?: Readonly<Record<string, unknown>> | undefined;
  readonly messages?: readonly { readonly response?: string; readonly text?: string; readonly [key: string]: unknown }[] | undefined;
  readonly floats?: readonly unknown[] | undefined;
}

/** The result of a custom action, or an error saying what is wrong with it. */
function checkedResult(tracker: Tracker, name: string, result: unknown): ActionResultShape {
  if (result === undefined || result === null) return {};
  if (typeof result !== "object") throw new TypeError(`custom action ${name} returned ${typeof result}; expected { slots?, messages? }`);
  const { slots, messages, floats } = result as ActionResultShape;
  if (slots) {
    // for-in with hasOwn, here and below: the own keys in Object.keys' order, without a list per action
    for (const slot in slots) {
      if (Object.hasOwn(slots, slot) && !slotOf(tracker, slot)) throw new TypeError(`custom action ${name} set slot ${slot}, which the domain does not have`);
    }
  }
  if (messages !== undefined && !Array.isArray(messages)) throw new TypeError(`custom action ${name} returned messages that are not a list`);
  if (floats !== undefined && !Array.isArray(floats)) throw new TypeError(`custom action ${name} returned floats that are not a list of slot names`);
  return { slots: slots || undefined, messages: messages || undefined, floats: floats || undefined };
}

/** A custom action's result applied; the assistant's own `action_session_start` starts a session with it. */
function applyCustomResult(tracker: Tracker, name: string, result: ActionResultShape): void {
  if (name === ACTION_SESSION_START) applySessionStartResult(tracker, result);
  else applyActionResult(tracker, result);
}

/**
 * The result of the assistant's own `action_session_start`, applied as Rasa applies an action
 * server's session start, which returns SessionStarted and then the slots it sets: its
 * messages, rendered from the slots it found; `session_started`, which resets the tracker (no
 * stack, every slot at its initial value: carrying slots over to the new session is the
 * action's own business, as with Rasa's SDK); then its slots.
 */
function applySessionStartResult(tracker: Tracker, { slots, messages, floats }: ActionResultShape): void {
  applyActionResult(tracker, { messages });
  beginSession(tracker, false);
  applyActionResult(tracker, { slots, floats });
}

/** Rasa's RemoteAction: the messages first, rendered from the tracker the action ran on, then the slots it set. */
function applyActionResult(tracker: Tracker, { slots, messages, floats }: ActionResultShape): void {
  for (const message of messages ?? []) {
    if (message.response !== undefined) {
      const values = isRecord(message["values"]) ? message["values"] : undefined;
      if (message.text === undefined && message["buttons"] === undefined && message["image"] === undefined && message["custom"] === undefined && !hasChannelFields(message)) utter(tracker, message.response, values);
      else utterWithFields(tracker, message.response, message, values);
    } else {
      tracker.messages.push(message);
      tracker.events.push({ event: "bot", ...message });
    }
  }
  if (slots) {
    for (const slot in slots) {
      if (!Object.hasOwn(slots, slot)) continue;
      setStoredSlot(tracker, slot, slots[slot]);
      if (floats !== undefined && floats.includes(slot) && typeof tracker.slots[slot] === "number") markPythonFloat(tracker, slot);
    }
  }
}

const ACTION_SESSION_START = "action_session_start";

/**
 * The start of a session, as Rasa's MessageProcessor runs it before a new conversation's first
 * message (`_update_tracker_session`): `action_session_start`, then `action_listen`. Not a user
 * turn: no user event, no commands, `turns` unchanged.
 *
 * When the domain lists `action_session_start`, the assistant's own action replaces Rasa's
 * default one (action_for_name_or_text) and runs as a custom action runs in a turn, with the
 * metadata given as `context.metadata` (what Rasa's default action stores in
 * `session_started_metadata`) and no flow or step. What it returns is recorded as Rasa's
 * RemoteAction records it: its messages first, then the events a Rasa action server's session
 * start returns, `session_started` and its slots; flowc adds that `session_started` and the
 * closing `action_listen`, which a flowc action cannot return. Rasa's default action (the
 * domain does not list it) sends nothing and sets no slot flowc has (Rasa's
 * `session_started_metadata` is an internal slot flowc leaves out).
 *
 * Either way `session_started` resets the tracker as Rasa's SessionStarted does: a
 * conversation under way loses its stack; its slots are carried over by Rasa's default action
 * (unless the domain's `carry_over_slots_to_new_session` is false), and by the assistant's own
 * only as far as it returns them.
 *
 * An action that throws, rejects or returns something invalid changes nothing, as in Rasa's
 * `_run_action`, which logs the action with its error and loses its events (`session_started`
 * and `action_listen` among them): the error is on the `action` event and nothing else is
 * recorded. No `pattern_internal_error` follows: no flow policy runs at a session's start, and
 * Rasa predicts no action after `action_session_start`.
 */
export function runSessionStart(env: TurnEnvironment, state: ConversationState): Promise<SessionStartResult> {
  try {
    checkHandedState(state, "startSession");
    const tracker = trackerFrom(env.assistant, env.frameIds, state, undefined, env.responseChoice);
    if (env.observer) tracker.observer = env.observer;
    if (env.metadata) tracker.latestMetadata = env.metadata;
    tracker.actions.push(ACTION_SESSION_START);
    tracker.events.push({ event: "action", name: ACTION_SESSION_START });
    if (!env.assistant.domainActions.includes(ACTION_SESSION_START)) {
      startDefaultSession(tracker);
      return Promise.resolve(finishSessionStart(tracker, state));
    }
    const implementation = implementationOf(env.actions, ACTION_SESSION_START);
    if (implementation === undefined) {
      applySessionStartResult(tracker, {}); // runs and returns nothing, as any custom action without one
      return Promise.resolve(finishSessionStart(tracker, state));
    }
    let returned: unknown;
    try {
      tracker.ownsSlots = false; // the action may keep the slots it is given: the next write copies them
      returned = implementation(tracker.latestMetadata === undefined ? { slots: tracker.slots } : { slots: tracker.slots, metadata: tracker.latestMetadata });
    } catch (error) {
      return Promise.resolve(sessionStartFailed(tracker, state, error));
    }
    if (!isPromise(returned)) return Promise.resolve(applySessionStart(tracker, state, returned));
    return Promise.resolve(returned).then(
      (result) => applySessionStart(tracker, state, result),
      (error: unknown) => sessionStartFailed(tracker, state, error),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The result of the application's session start, checked and applied (see applySessionStartResult). */
function applySessionStart(tracker: Tracker, state: ConversationState, result: unknown): SessionStartResult {
  let checked: ActionResultShape;
  try {
    checked = checkedResult(tracker, ACTION_SESSION_START, result);
  } catch (error) {
    return sessionStartFailed(tracker, state, error);
  }
  applySessionStartResult(tracker, checked);
  return finishSessionStart(tracker, state);
}

function sessionStartFailed(tracker: Tracker, state: ConversationState, error: unknown): SessionStartResult {
  tracker.events[0] = { event: "action", name: ACTION_SESSION_START, error: error instanceof Error ? error.message : String(error) };
  return sessionStartResult(tracker, state);
}

function finishSessionStart(tracker: Tracker, state: ConversationState): SessionStartResult {
  tracker.actions.push(ACTION_LISTEN);
  tracker.events.push({ event: "action", name: ACTION_LISTEN });
  return sessionStartResult(tracker, state);
}

/** Not a user turn (`turns` as it was); its messages are the conversation's latest bot messages (Rasa's repeat reads every BotUttered event). */
function sessionStartResult(tracker: Tracker, state: ConversationState): SessionStartResult {
  return { state: { ...stateOf(tracker, state), turns: state.turns }, actions: tracker.actions, messages: tracker.messages, events: tracker.events };
}
