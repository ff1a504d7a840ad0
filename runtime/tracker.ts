/**
 * The working state of one turn: the stored state copied into mutable arrays and maps, plus
 * what the turn records (events, actions, messages). The command processor, the executor and
 * the default actions all change a tracker; `runTurn` turns it back into plain JSON state.
 * Frames themselves stay immutable: a change replaces the frame object in the stack array.
 */
import type { Message, RuntimeEvent } from "./events.ts";
import { flowIndex, type FlowIndex } from "./flow-index.ts";
import type { CompiledAssistant, Flow, SlotDefinition } from "./model.ts";
import { COLLECT_PATTERN, contextAt, type Frame, type FrameIdSource, type FrameType, type PatternFrame, type UserFlowFrame } from "./stack.ts";
import type { CollectRecord, ConversationState } from "./state.ts";

export interface Tracker {
  readonly assistant: CompiledAssistant;
  /** What is known of the assistant's flows and actions, computed once per assistant. */
  readonly index: FlowIndex;
  readonly frameIds: FrameIdSource;
  stack: Frame[];
  /** The slot values; shared with the state the turn started from (or with a custom action) until the first write copies them. */
  slots: Readonly<Record<string, unknown>>;
  ownsSlots: boolean;
  slotsSet: Set<string>;
  collected: CollectRecord[];
  /** The messages of the previous turn (what `repeat message` sends again). */
  readonly previousBotTurn: readonly Message[];
  readonly events: RuntimeEvent[];
  readonly actions: string[];
  readonly messages: Message[];
  latestMessage: string | undefined;
  /** The merged context of the collect frame on top (see {@link frameContext}), kept while that frame only moves. */
  collectContext: { top: Frame; below: Readonly<Record<string, unknown>>; readonly value: Readonly<Record<string, unknown>> } | undefined;
}

export function trackerFrom(assistant: CompiledAssistant, frameIds: FrameIdSource, state: ConversationState, latestMessage?: string): Tracker {
  return {
    assistant,
    index: flowIndex(assistant),
    frameIds,
    stack: [...state.stack],
    slots: state.slots,
    ownsSlots: false,
    slotsSet: new Set(state.slotsSet),
    collected: [...state.collected],
    previousBotTurn: state.lastBotTurn,
    events: [],
    actions: [],
    messages: [],
    latestMessage,
    collectContext: undefined,
  };
}

export function stateOf(tracker: Tracker, turns: number): ConversationState {
  return {
    version: 1,
    assistantHash: tracker.assistant.hash,
    stack: tracker.stack,
    slots: tracker.slots,
    slotsSet: [...tracker.slotsSet],
    lastBotTurn: tracker.messages,
    collected: tracker.collected,
    turns,
  };
}

export function flowOf(tracker: Tracker, id: string): Flow | undefined {
  return (tracker.assistant.flows as Readonly<Record<string, Flow>>)[id];
}

export function slotOf(tracker: Tracker, name: string): SlotDefinition | undefined {
  return tracker.assistant.slots[name];
}

/** Sets a slot and records the event (Rasa's `SlotSet`). */
export function setSlot(tracker: Tracker, name: string, value: unknown, reset?: true): void {
  if (!tracker.ownsSlots) {
    tracker.slots = { ...tracker.slots };
    tracker.ownsSlots = true;
  }
  (tracker.slots as Record<string, unknown>)[name] = value;
  tracker.slotsSet.add(name);
  tracker.events.push(reset ? { event: "slot", name, value, reset } : { event: "slot", name, value });
}

export function newUserFrame(tracker: Tracker, flowId: string, frameType: FrameType): UserFlowFrame {
  return { frame_id: tracker.frameIds(), type: "flow", flow_id: flowId, step_id: "START", frame_type: frameType };
}

export function newPatternFrame(tracker: Tracker, patternId: string, fields: Readonly<Record<string, unknown>> = {}): PatternFrame {
  return { frame_id: tracker.frameIds(), type: patternId as `pattern_${string}`, flow_id: patternId, step_id: "START", ...fields };
}

/** The frame's readable flow name (`name:`, or the id when the flow is unknown). */
export function flowName(tracker: Tracker, flowId: string): string {
  return flowOf(tracker, flowId)?.name ?? flowId;
}

/** Replaces the frame at `index` with a copy at step `stepId`: the most frequent frame change (every step). */
export function moveFrame(tracker: Tracker, index: number, stepId: string): Frame {
  const before = tracker.stack[index]!;
  const frame = { ...before, step_id: stepId };
  tracker.stack[index] = frame;
  // A collect frame's own step is hidden by the frame below it in the merged context.
  if (tracker.collectContext?.top === before) tracker.collectContext.top = frame;
  return frame;
}

/** Replaces the frame at `index` with a copy that has the given fields. */
export function updateFrame(tracker: Tracker, index: number, fields: Readonly<Record<string, unknown>>): Frame {
  const frame = { ...tracker.stack[index]!, ...fields } as Frame;
  tracker.stack[index] = frame;
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
  const value = contextAt(stack, stack.length - 1);
  tracker.collectContext = { top, below, value };
  return value;
}

export function indexOfFrame(tracker: Tracker, frameId: string): number {
  return tracker.stack.findIndex((frame) => frame.frame_id === frameId);
}
