/**
 * The working state of one turn: the stored state copied into mutable arrays and maps, plus
 * what the turn records (events, actions, messages). The command processor, the executor and
 * the default actions all change a tracker; `runTurn` turns it back into plain JSON state.
 * A frame is immutable once anything besides the stack may hold it (an event, a collect
 * record, the state that went in): a change then replaces it in the stack array with a copy.
 * Until then (a frame made or copied since the latest stack event) a step change is made in
 * place, which spares most copies.
 */
import type { Message, RuntimeEvent } from "./events.ts";
import { flowIndex, type FlowIndex } from "./flow-index.ts";
import { LayoutCache, type Copier } from "./layouts.ts";
import type { CompiledAssistant, Flow, SlotDefinition } from "./model.ts";
import type { ExecutionObserver } from "./observer.ts";
import type { StepPlan } from "./plan.ts";
import { storedValue } from "./slots.ts";
import { afterSlotSet, isSpecialFloat, NO_SPECIAL_FLOATS, type SpecialFloats } from "./special-floats.ts";
import { COLLECT_PATTERN, contextAt, type Frame, type FrameIdSource, type FrameType, type PatternFrame, type Stack, type UserFlowFrame } from "./stack.ts";
import { flowHashesOf, type CollectRecord, type ConversationState } from "./state.ts";

/** How responses pick a variation: Rasa picks uniformly at random among those that fit the channel and conditions. */
export interface ResponseChoice {
  /** A number in [0, 1) per choice among two or more variations. */
  readonly random: () => number;
  /** The output channel's name, for channel-specific variations. */
  readonly channel?: string | undefined;
}

export const RANDOM_RESPONSE_CHOICE: ResponseChoice = { random: Math.random };

export interface Tracker {
  readonly assistant: CompiledAssistant;
  /** What is known of the assistant's flows and actions, computed once per assistant. */
  readonly index: FlowIndex;
  readonly frameIds: FrameIdSource;
  readonly responseChoice: ResponseChoice;
  /** The state the user's message found, for an action that takes the message back ({@link revertUserMessage}). */
  readonly turnStart: ConversationState;
  stack: Frame[];
  /** The slot values; shared with the state the turn started from (or with a custom action) until the first write copies them. */
  slots: Readonly<Record<string, unknown>>;
  ownsSlots: boolean;
  /**
   * True once the slot values are known to have the assistant's layout (its slots as keys, in
   * domain order): from the turn's first copy, which checks it, while every write is to one of
   * those keys. Later copies (after a custom action, which gets the values and may keep them)
   * then skip the check, a loop over every key. A custom action is given the values read-only:
   * one that adds or deletes keys of them anyway has that change dropped at the next copy.
   */
  slotsLaidOut: boolean;
  /** Slots set at least once; shared with the state the turn started from until a new one is added (see {@link setSlot}). */
  slotsSet: readonly string[];
  ownsSlotsSet: boolean;
  /** See {@link ConversationState.floatSlots}; never changed in place (a change makes a new list), so a copy of the reference is a snapshot. */
  floatSlots: readonly string[];
  /** See {@link ConversationState.specialFloats}; like {@link floatSlots}, never changed in place. */
  specialFloats: SpecialFloats;
  /** See {@link ConversationState.nluSlots}; like {@link floatSlots}, never changed in place. */
  nluSlots: readonly string[];
  /** The collect records; shared with the state the turn started from until {@link ownCollected}. */
  collected: readonly CollectRecord[];
  ownsCollected: boolean;
  /** The messages of the previous turn (what `repeat message` sends again). */
  readonly previousBotTurn: readonly Message[];
  readonly events: RuntimeEvent[];
  readonly actions: string[];
  readonly messages: Message[];
  latestMessage: string | undefined;
  /** The metadata of the user's message, for custom actions; absent when it has none. */
  latestMetadata?: Readonly<Record<string, unknown>>;
  /** Told of every step and branch the executor takes (coverage); absent in applications. */
  observer?: ExecutionObserver;
  /** The latest stack handed out by {@link shareStack} (at first the stack the turn started from). */
  snapshot: Stack;
  /** The stack array {@link snapshot} was taken of: with no frame made since, and the same length, the two hold the same frames. */
  sharedArray: Frame[] | undefined;
  /** The merged context of the collect frame on top (see {@link frameContext}), kept while that frame only moves. */
  collectContext: { top: Frame; below: Readonly<Record<string, unknown>>; readonly value: Readonly<Record<string, unknown>> } | undefined;
  /**
   * The frame whose step ran the latest action, and that step's plan: when the frame is still
   * on top at that step, the executor goes on from the plan without looking anything up. A
   * frame's flow never changes in place, so the same frame at the same step id is the same step.
   */
  planFrame: Frame | undefined;
  planStep: StepPlan | undefined;
  /**
   * The frames the turn made or copied, in order, each with the copier of its layout where it
   * is known (see {@link moveFrame}). Those from `sharedFrom` on were made since the stack was
   * last handed out: nothing else holds them, so they may change in place.
   */
  readonly made: Frame[];
  readonly madeCopiers: (Copier | undefined)[];
  sharedFrom: number;
}

export function trackerFrom(assistant: CompiledAssistant, frameIds: FrameIdSource, state: ConversationState, latestMessage?: string, responseChoice: ResponseChoice = RANDOM_RESPONSE_CHOICE): Tracker {
  return {
    assistant,
    index: flowIndex(assistant),
    frameIds,
    responseChoice,
    turnStart: state,
    stack: state.stack.slice(), // slice rather than a spread, here and below: V8 copies a small array faster so
    slots: state.slots,
    ownsSlots: false,
    slotsLaidOut: false,
    slotsSet: state.slotsSet,
    ownsSlotsSet: false,
    floatSlots: state.floatSlots,
    specialFloats: state.specialFloats,
    nluSlots: state.nluSlots,
    collected: state.collected,
    ownsCollected: false,
    previousBotTurn: state.lastBotTurn,
    events: [],
    actions: [],
    messages: [],
    latestMessage,
    snapshot: state.stack,
    sharedArray: undefined,
    collectContext: undefined,
    planFrame: undefined,
    planStep: undefined,
    made: [],
    madeCopiers: [],
    sharedFrom: 0,
  };
}

/**
 * Rasa's UserUtteranceReverted, as `action_default_fallback` returns it: everything since the
 * user's latest message is undone (the slots it and the flows set, the stack changes, the
 * collect records), and the flows go on from the stack the message found. Messages already
 * sent stay sent. The turn's starting state is never changed in place (its slots, lists and
 * frames are copied before a write), so it is taken back as it is. flowc keeps no earlier
 * state: a second revert in one turn goes back to the same point (Rasa would go back one more
 * user message), and the message's text stays the latest message.
 */
export function revertUserMessage(tracker: Tracker): void {
  const start = tracker.turnStart;
  tracker.stack = start.stack.slice();
  tracker.snapshot = start.stack;
  tracker.sharedFrom = tracker.made.length; // frames made so far are off the stack: none changes in place any more
  tracker.slots = start.slots;
  tracker.ownsSlots = false;
  tracker.slotsLaidOut = false;
  tracker.slotsSet = start.slotsSet;
  tracker.ownsSlotsSet = false;
  tracker.floatSlots = start.floatSlots;
  tracker.specialFloats = start.specialFloats;
  tracker.nluSlots = start.nluSlots;
  tracker.collected = start.collected;
  tracker.ownsCollected = false;
  tracker.collectContext = undefined;
  tracker.planFrame = undefined;
  tracker.planStep = undefined;
  tracker.events.push({ event: "rewind" });
}

/** The state after the turn that `tracker` ran on `before`. */
export function stateOf(tracker: Tracker, before: ConversationState): ConversationState {
  return {
    version: 1,
    assistantHash: tracker.assistant.hash,
    stack: tracker.stack,
    flowHashes: flowHashesOf(tracker.assistant, tracker.stack, before.flowHashes),
    slots: tracker.slots,
    slotsSet: tracker.slotsSet,
    floatSlots: tracker.floatSlots,
    specialFloats: tracker.specialFloats,
    nluSlots: tracker.nluSlots,
    // A turn without a message keeps the bot's last messages for a later repeat (section c: Rasa's
    // action_repeat_bot_messages goes back past user messages that got no reply).
    lastBotTurn: tracker.messages.length === 0 && tracker.previousBotTurn.length > 0 ? tracker.previousBotTurn : tracker.messages,
    collected: tracker.collected,
    turns: before.turns + 1,
  };
}

/** The assistant's flow `id` (a name every object has, like `constructor`, is none). */
export function flowOf(tracker: Tracker, id: string): Flow | undefined {
  return tracker.index.flow(id);
}

/** The domain's slot `name` (a name every object has, like `constructor`, is none). */
export function slotOf(tracker: Tracker, name: string): SlotDefinition | undefined {
  return tracker.index.slot(name);
}

/**
 * Sets a slot to a value from outside the command processor (a custom action's result, a
 * `set_slots` step), coerced as Rasa's categorical and list slots coerce every value they are
 * set to (see storedValue); `undefined` is `null`.
 */
export function setStoredSlot(tracker: Tracker, name: string, value: unknown): void {
  setSlot(tracker, name, value === undefined || value === null ? null : storedValue(slotOf(tracker, name), value));
}

/** Sets a slot and records the event (Rasa's `SlotSet`). */
export function setSlot(tracker: Tracker, name: string, value: unknown, reset?: true): void {
  if (!tracker.ownsSlots) {
    const index = tracker.index;
    if (!tracker.slotsLaidOut) tracker.slotsLaidOut = index.hasSlotLayout(tracker.slots);
    tracker.slots = tracker.slotsLaidOut ? index.copyLaidOutSlots(tracker.slots) : { ...tracker.slots };
    tracker.ownsSlots = true;
  }
  if (tracker.slotsLaidOut && !Object.hasOwn(tracker.slots, name)) {
    tracker.slotsLaidOut = false; // a slot the domain does not have
    tracker.index.forgetSlotLayout(tracker.slots);
  }
  (tracker.slots as Record<string, unknown>)[name] = value;
  if (tracker.floatSlots.length !== 0 && tracker.floatSlots.includes(name)) tracker.floatSlots = tracker.floatSlots.filter((slot) => slot !== name);
  if (tracker.nluSlots.length !== 0 && tracker.nluSlots.includes(name)) tracker.nluSlots = tracker.nluSlots.filter((slot) => slot !== name);
  if (tracker.specialFloats !== NO_SPECIAL_FLOATS || isSpecialFloat(value)) tracker.specialFloats = afterSlotSet(tracker.specialFloats, name, value);
  if (!tracker.slotsSet.includes(name)) {
    if (!tracker.ownsSlotsSet) {
      tracker.slotsSet = tracker.slotsSet.slice();
      tracker.ownsSlotsSet = true;
    }
    (tracker.slotsSet as string[]).push(name);
  }
  tracker.events.push(reset ? { event: "slot", name, value, reset } : { event: "slot", name, value });
}

/**
 * Sets a float slot to a number that Rasa's `float()` made (a value a command gave, or one the
 * collect step coerced): a Python float, which prints as one (`50.0`) even when whole.
 */
export function setFloatSlot(tracker: Tracker, name: string, value: number): void {
  setSlot(tracker, name, value);
  markPythonFloat(tracker, name);
}

/** Records that slot `name`, just set, holds a Python float (see {@link setFloatSlot}). */
export function markPythonFloat(tracker: Tracker, name: string): void {
  tracker.floatSlots = [...tracker.floatSlots, name];
}

/** Records that slot `name`, just set, holds a value an NLU SetSlot gave (see {@link ConversationState.nluSlots}). */
export function markNluFilled(tracker: Tracker, name: string): void {
  tracker.nluSlots = [...tracker.nluSlots, name];
}

/** Whether slot `name` holds a Python float (see {@link ConversationState.floatSlots}); a number that is not whole always is one. */
export function holdsPythonFloat(tracker: Tracker, name: string): boolean {
  const value = tracker.slots[name];
  return typeof value === "number" && (!Number.isInteger(value) || tracker.floatSlots.includes(name));
}

export function newUserFrame(tracker: Tracker, flowId: string, frameType: FrameType): UserFlowFrame {
  return newFrame(tracker, { frame_id: tracker.frameIds(), type: "flow", flow_id: flowId, step_id: "START", frame_type: frameType }, USER_FRAME);
}

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

export function newPatternFrame(tracker: Tracker, patternId: string, fields: Readonly<Record<string, unknown>> = NO_FIELDS): PatternFrame {
  const frame: PatternFrame = { frame_id: tracker.frameIds(), type: patternId as `pattern_${string}`, flow_id: patternId, step_id: "START", ...fields };
  keepMade(tracker, frame, undefined); // fields of any keys: the layout is found when the frame is first copied
  return frame;
}

/**
 * A frame just built as one object literal (its `frame_id` from `tracker.frameIds()`) at
 * `site`, which builds every frame with the same keys in the same order: kept like those of
 * {@link newPatternFrame}, and copied without a check of its keys when it moves after it was
 * shared. For hot patterns, where spreading `fields` into the frame costs more than the literal.
 */
export function newFrame<T extends Frame>(tracker: Tracker, frame: T, site: FrameSite): T {
  keepMade(tracker, frame, (site.copier ??= layouts.copier(frame.type, frame as unknown as Readonly<Record<string, unknown>>)));
  return frame;
}

/** Where `frame` is among the frames the turn made (searched from the latest: a frame usually moves again soon after), or -1. */
function madeIndex(tracker: Tracker, frame: Frame): number {
  const made = tracker.made;
  for (let i = made.length - 1; i >= 0; i--) if (made[i] === frame) return i;
  return -1;
}

/** The collect records, made the tracker's own so that they may change. */
export function ownCollected(tracker: Tracker): CollectRecord[] {
  if (!tracker.ownsCollected) {
    tracker.collected = tracker.collected.slice();
    tracker.ownsCollected = true;
  }
  return tracker.collected as CollectRecord[];
}

/**
 * The stack as it is now, for an event or a record: from here on its frames are shared. When
 * it holds the same frames as the latest one handed out, that one is handed out again: a
 * shared frame is never changed in place, so equal frames mean an equal stack.
 */
export function shareStack(tracker: Tracker): Stack {
  tracker.sharedFrom = tracker.made.length;
  const stack = tracker.stack;
  tracker.sharedArray = stack;
  const snapshot = tracker.snapshot;
  if (snapshot.length === stack.length) {
    let same = true;
    for (let i = 0; i < stack.length; i++) {
      if (snapshot[i] !== stack[i]) {
        same = false;
        break;
      }
    }
    if (same) return snapshot;
  }
  tracker.snapshot = stack.slice();
  return tracker.snapshot;
}

/**
 * The stack as it is now, shared (see {@link shareStack}), without comparing frames when it is
 * plainly the one last handed out: the same array, of the same length, with no frame made since.
 */
export function currentSharedStack(tracker: Tracker): Stack {
  const stack = tracker.stack;
  if (stack === tracker.sharedArray && stack.length === tracker.snapshot.length && tracker.made.length === tracker.sharedFrom) return tracker.snapshot;
  return shareStack(tracker);
}

/** The frame's readable flow name (`name:`, or the id when the flow is unknown). */
export function flowName(tracker: Tracker, flowId: string): string {
  return flowOf(tracker, flowId)?.name ?? flowId;
}

/** Moves the frame at `index` to step `stepId`: the most frequent frame change (every step). */
export function moveFrame(tracker: Tracker, index: number, stepId: string): Frame {
  const before = tracker.stack[index]!;
  const context = tracker.collectContext;
  const at = madeIndex(tracker, before);
  if (at >= tracker.sharedFrom) {
    (before as { step_id: string }).step_id = stepId;
    // A collect frame's own step is hidden by the frame below it in the merged context; any other frame may show.
    if (context !== undefined && context.top !== before) tracker.collectContext = undefined;
    return before;
  }
  // A frame the turn copied has the layout of the copier that made it, and one built by a
  // runtime literal that of its literal: no check of the frame's keys against the layout cache.
  const copy = (at >= 0 ? tracker.madeCopiers[at] : undefined) ?? layouts.copier(before.type, before as unknown as Readonly<Record<string, unknown>>);
  const frame = copy(before as unknown as Readonly<Record<string, unknown>>) as unknown as { step_id: string } & Frame;
  frame.step_id = stepId;
  tracker.stack[index] = frame;
  keepMade(tracker, frame, copy);
  if (context?.top === before) context.top = frame;
  return frame;
}

/** Copies of frames (and merged contexts) by layout: see layouts.ts. */
const layouts = new LayoutCache();

/** The copier of the frame's layout when the turn made the frame and knows it. */
function knownCopier(tracker: Tracker, frame: Frame): Copier | undefined {
  const at = madeIndex(tracker, frame);
  return at >= 0 ? tracker.madeCopiers[at] : undefined;
}

function keepMade(tracker: Tracker, frame: Frame, copier: Copier | undefined): void {
  tracker.made.push(frame);
  tracker.madeCopiers.push(copier);
}

/**
 * Where the runtime builds frames of one layout (one object literal): the copier of that
 * layout, found by the first frame built there. See {@link newFrame}.
 */
export interface FrameSite {
  copier: Copier | undefined;
}

export function frameSite(): FrameSite {
  return { copier: undefined };
}

const USER_FRAME: FrameSite = frameSite();

/** Replaces the frame at `index` with a copy that has the given fields. */
export function updateFrame(tracker: Tracker, index: number, fields: Readonly<Record<string, unknown>>): Frame {
  const frame = { ...tracker.stack[index]!, ...fields } as Frame;
  tracker.stack[index] = frame;
  keepMade(tracker, frame, undefined); // a new frame: the stack is no longer the one last shared
  return frame;
}

/**
 * `currentContext` of the tracker's stack. The merged context of a collect frame on top
 * is built once and reused while only that frame's step changes and the frame below stays.
 */
export function frameContext(tracker: Tracker): Readonly<Record<string, unknown>> {
  const stack = tracker.stack;
  const top = stack[stack.length - 1];
  if (top?.type !== COLLECT_PATTERN) return contextAt(stack, stack.length - 1);
  const below = contextAt(stack, stack.length - 2);
  const cached = tracker.collectContext;
  if (cached !== undefined && cached.top === top && cached.below === below) return cached.value;
  // What contextAt builds: the frame below wins. By the frames' known layouts when the turn made both.
  const overCopier = knownCopier(tracker, top);
  const underFrame = stack[stack.length - 2];
  const underCopier = overCopier !== undefined && underFrame !== undefined && below === (underFrame as unknown) ? knownCopier(tracker, underFrame) : undefined;
  const merger = overCopier !== undefined && underCopier !== undefined ? layouts.mergerOf(overCopier, underCopier) : undefined;
  const over = top as unknown as Readonly<Record<string, unknown>>;
  const value = merger !== undefined ? merger(over, below) : layouts.merge(String(below["type"]), over, below);
  tracker.collectContext = { top, below, value };
  return value;
}

export function indexOfFrame(tracker: Tracker, frameId: string): number {
  return tracker.stack.findIndex((frame) => frame.frame_id === frameId);
}
