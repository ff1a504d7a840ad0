/**
 * The working state of one turn: the stored state copied into mutable arrays and maps, plus
 * what the turn records (events, actions, messages). The command processor, the executor and
 * the default actions all change a tracker; `runTurn` turns it back into plain JSON state.
 * Frames themselves stay immutable: a change replaces the frame object in the stack array.
 */
import type { Message, RuntimeEvent } from "./events.ts";
import type { CompiledAssistant, Flow, SlotDefinition } from "./model.ts";
import type { ExecutionObserver } from "./observer.ts";
import { type Frame, type FrameIdSource, type FrameType, type PatternFrame, type UserFlowFrame } from "./stack.ts";
import type { CollectRecord, ConversationState } from "./state.ts";

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
  readonly frameIds: FrameIdSource;
  readonly responseChoice: ResponseChoice;
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
  /** The metadata of the user's message, for custom actions; absent when it has none. */
  latestMetadata?: Readonly<Record<string, unknown>>;
  /** Told of every step and branch the executor takes (coverage); absent in applications. */
  observer?: ExecutionObserver;
}

export function trackerFrom(assistant: CompiledAssistant, frameIds: FrameIdSource, state: ConversationState, latestMessage?: string, responseChoice: ResponseChoice = RANDOM_RESPONSE_CHOICE): Tracker {
  return {
    assistant,
    frameIds,
    responseChoice,
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

/** Replaces the frame at `index` with a copy that has the given fields. */
export function updateFrame(tracker: Tracker, index: number, fields: Readonly<Record<string, unknown>>): Frame {
  const frame = { ...tracker.stack[index]!, ...fields } as Frame;
  tracker.stack[index] = frame;
  return frame;
}

export function indexOfFrame(tracker: Tracker, frameId: string): number {
  return tracker.stack.findIndex((frame) => frame.frame_id === frameId);
}
