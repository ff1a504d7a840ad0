/**
 * Rasa's default actions that the default patterns run (runtime-semantics.md §b.5, §c): they
 * act on the pattern frame on top of the stack. Messages they send are part of the action
 * (Rasa logs no separate `utter_*` action for them).
 */
import type { Message, RuntimeEvent } from "./events.ts";
import { checkSlotType } from "./slots.ts";
import { truthy } from "./templates.ts";
import { initialSlots } from "./state.ts";
import type { Rejection, SlotDefinition } from "./model.ts";
import { removePendingDigression } from "./digressions.ts";
import { NEXT_END } from "./repair.ts";
import { FIXED_RESPONSE, FORMAT_RESPONSE, renderFormatText, renderResponse, responsePlan } from "./responses.ts";
import { askedSlot, COLLECT_PATTERN, field, isUserFlowFrame, topUserFlowFrame, type Frame, type Stack } from "./stack.ts";
import { flowOf, indexOfFrame, markNluFilled, newPatternFrame, newUserFrame, holdsPythonFloat, revertUserMessage, setFloatSlot, setSlot, slotOf, moveFrame, updateFrame, type Tracker } from "./tracker.ts";

type DefaultAction = (tracker: Tracker) => void;

/** Sends response `name`, rendered with the slots, the current frame and `extra`. */
export function utter(tracker: Tracker, name: string, extra?: Readonly<Record<string, unknown>>): void {
  if (extra === undefined) {
    const plan = responsePlan(tracker, name);
    if (plan.kind === FIXED_RESPONSE) {
      tracker.messages.push(plan.message);
      tracker.events.push(plan.event);
      return;
    }
    if (plan.kind === FORMAT_RESPONSE) {
      // The message and its bot event as object literals, as renderResponse and botEvent build them.
      const text = renderFormatText(tracker, plan);
      const buttons = plan.buttons;
      tracker.messages.push(buttons === undefined ? { response: plan.name, text } : { response: plan.name, text, buttons });
      tracker.events.push(buttons === undefined ? { event: "bot", response: plan.name, text } : { event: "bot", response: plan.name, text, buttons });
      return;
    }
  }
  send(tracker, renderResponse(tracker, name, extra));
}

/** The fields a custom action may give beside the name of a response. */
interface ActionFields {
  readonly text?: unknown;
  readonly buttons?: unknown;
  readonly image?: unknown;
  readonly custom?: unknown;
  readonly quick_replies?: unknown;
  readonly attachment?: unknown;
  readonly elements?: unknown;
}

/**
 * Sends response `name` for a custom action's message that gives fields of its own, as Rasa's
 * RemoteAction does: nothing when the response renders to nothing; else the action's buttons
 * follow the response's, and its text, image, custom, quick_replies, attachment and elements
 * (when Python finds them true) fill in where the response has none.
 */
export function utterWithFields(tracker: Tracker, name: string, fields: ActionFields, extra?: Readonly<Record<string, unknown>>): void {
  const rendered = renderResponse(tracker, name, extra);
  if (!rendered) return;
  const message: { -readonly [K in keyof Message]: Message[K] } = { ...rendered };
  if (message.text === undefined && typeof fields.text === "string" && fields.text !== "") message.text = fields.text;
  if (Array.isArray(fields.buttons) && fields.buttons.length > 0) message.buttons = [...(message.buttons ?? []), ...fields.buttons];
  if (message.image === undefined && typeof fields.image === "string" && fields.image !== "") message.image = fields.image;
  if (message.custom === undefined && truthy(fields.custom)) message.custom = fields.custom;
  if (message.quick_replies === undefined && truthy(fields.quick_replies)) message.quick_replies = fields.quick_replies;
  if (message.attachment === undefined && truthy(fields.attachment)) message.attachment = fields.attachment;
  if (message.elements === undefined && truthy(fields.elements)) message.elements = fields.elements;
  send(tracker, message);
}

/** Sends a rendered message (nothing when rendering failed). */
function send(tracker: Tracker, message: Message | undefined): void {
  if (!message) return;
  tracker.messages.push(message);
  tracker.events.push(botEvent(message));
}

/**
 * `{ event: "bot", ...message }` for a rendered message, as one object literal in the usual
 * cases (a spread into a literal is many times slower and larger). A rendered message has
 * its keys in this order and none of them undefined.
 */
function botEvent(message: Message): RuntimeEvent {
  if (message.response !== undefined && message.text !== undefined && message.image === undefined && message.custom === undefined && message.metadata === undefined) {
    let keys = 0;
    for (const _ in message) keys++;
    if (message.buttons === undefined && keys === 2) return { event: "bot", response: message.response, text: message.text };
    if (message.buttons !== undefined && keys === 3) return { event: "bot", response: message.response, text: message.text, buttons: message.buttons };
  }
  return { event: "bot", ...message };
}

function topFrame(tracker: Tracker): Frame | undefined {
  return tracker.stack[tracker.stack.length - 1];
}

/**
 * `action_run_slot_rejections`: checks the slot the top collect (or validate-slot) frame is
 * about. A slot never set is left alone; a value that does not fit the slot type is cleared
 * with the type's message; otherwise the first rejection whose condition holds clears it and
 * sends its message (an evaluation error counts as a rejection, with the internal-error
 * message), rendered with the value as stored, which the slot still holds while the message is
 * rendered; an accepted value that needed coercion is stored in its typed form.
 */
function runSlotRejections(tracker: Tracker): void {
  const frame = topFrame(tracker);
  if (!frame) return;
  const name = askedSlot(frame);
  if (typeof name !== "string") return;
  const slot = slotOf(tracker, name);
  if (!slot || !tracker.slotsSet.includes(name)) return;
  const value = tracker.slots[name];
  let typed: unknown = null;
  if (value !== null && value !== undefined) {
    const check = checkSlotType(slot, value);
    if (!check.valid) {
      reject(tracker, slot, check.response, value);
      return;
    }
    typed = check.value;
  }
  const rejections = frame.type === COLLECT_PATTERN ? collectRejections(tracker, frame, name) : (slot.validation?.rejections ?? []);
  for (const rejection of rejections) {
    let rejected: boolean;
    let failed = false;
    try {
      rejected = rejection.condition.test({ [name]: typed });
    } catch {
      rejected = true;
      failed = true;
    }
    if (rejected) {
      // Rasa renders the message with the value as stored, not the coerced one the check saw.
      reject(tracker, slot, failed ? "utter_internal_error_rasa" : rejection.utter, value);
      return;
    }
  }
  // A whole number a custom action or a `set_slots` step put into a float slot is a Python int
  // there: coerced to a float, it is set again (Rasa compares the types too).
  if (slot.type === "float" && typeof typed === "number") {
    if (typed !== value || !holdsPythonFloat(tracker, name)) setFloatSlot(tracker, name, typed);
  } else if (typed !== value) setSlot(tracker, name, typed);
}

/**
 * Clears a rejected slot and sends the rejection's message. Rasa's action renders the message
 * on the tracker it was given, where the slot still holds the rejected value (so `{slot}` and
 * the variations' slot conditions see it), and returns the reset before the message. The
 * value of a float slot is a Python float there, and `{value}` prints it as one.
 */
function reject(tracker: Tracker, slot: SlotDefinition, response: string, value: unknown): void {
  const message = renderResponse(tracker, response, { value }, holdsPythonFloat(tracker, slot.name) ? FLOAT_VALUE : undefined);
  setSlot(tracker, slot.name, null);
  send(tracker, message);
}

const FLOAT_VALUE: readonly string[] = ["value"];

const NO_REJECTIONS: readonly Rejection[] = [];

/**
 * The rejections of the collect step that pushed the collect frame on top. Rasa evaluates the
 * rejections the frame carries: when its list is empty (most collect steps) there is nothing
 * to look up; otherwise their compiled conditions are the step's.
 */
function collectRejections(tracker: Tracker, frame: Frame, slot: string): readonly Rejection[] {
  const carried = field(frame, "rejections");
  if (Array.isArray(carried) && carried.length === 0) return NO_REJECTIONS;
  for (let i = tracker.stack.length - 2; i >= 0; i--) {
    const below = tracker.stack[i]!;
    const step = tracker.index.plan.flow(below.flow_id)?.steps.get(below.step_id)?.step;
    if (step?.kind === "collect" && step.slot === slot) return step.rejections;
    if (below.type !== COLLECT_PATTERN) break;
  }
  return NO_REJECTIONS;
}

/** `action_cancel_flow`: every frame the cancel selected goes to its END. */
function cancelFlow(tracker: Tracker): void {
  const frame = topFrame(tracker);
  const canceled = field(frame, "canceled_frames");
  if (!Array.isArray(canceled)) return;
  for (const id of canceled) {
    const index = indexOfFrame(tracker, String(id));
    if (index >= 0) moveFrame(tracker, index, NEXT_END);
  }
}

/**
 * `action_correct_flow_slot`: rewinds the active flow to the collect step the correction
 * resets to, as the stack was when that step was reached, and sets the corrected slots to the
 * values as given (the re-run collect step checks them). Frames the rewind leaves out are
 * wound up: called flows and collect frames go to their END.
 */
function correctFlowSlot(tracker: Tracker): void {
  const frame = topFrame(tracker);
  if (!frame || frame.type !== "pattern_correction") return;
  const flowId = field(frame, "reset_flow_id");
  const stepId = field(frame, "reset_step_id");
  if (typeof flowId === "string" && typeof stepId === "string") {
    const reset = rewoundStack(tracker, flowId, stepId);
    if (reset) tracker.stack = reset;
  }
  // 3.12's entries are {value, filled_by}; a frame saved by an earlier flowc may hold the bare values.
  const corrected = field(frame, "corrected_slots");
  if (!corrected || typeof corrected !== "object") return;
  for (const [name, entry] of Object.entries(corrected)) {
    const full = typeof entry === "object" && entry !== null && Object.hasOwn(entry, "value") && Object.hasOwn(entry, "filled_by") ? (entry as { value: unknown; filled_by: unknown }) : undefined;
    setSlot(tracker, name, full ? full.value : entry);
    if (full?.filled_by === "NLU") markNluFilled(tracker, name); // the SlotSet carries the extractor of the correction's SetSlot
  }
}

function rewoundStack(tracker: Tracker, flowId: string, stepId: string): Frame[] | undefined {
  const record = [...tracker.collected].reverse().find((r) => r.flowId === flowId && r.stepId === stepId);
  if (!record) return undefined;
  const earlier = record.stack;
  const target = topUserFlowFrame(earlier);
  if (!target) return undefined;
  const current = tracker.stack;
  const replacement: Frame[] = [];
  for (const frame of current) {
    if (frame.frame_id === target.frame_id) break;
    replacement.push(frame);
  }
  replacement.push(...framesFrom(earlier, target.frame_id));
  for (let i = replacement.length - 1; i >= 0; i--) {
    const frame = replacement[i]!;
    if (frame.step_id !== "START") {
      replacement[i] = { ...frame, step_id: `NEXT:${frame.step_id}` };
      break;
    }
  }
  const kept = new Set(replacement.map((frame) => frame.frame_id));
  for (const frame of current) {
    if (kept.has(frame.frame_id)) continue;
    const windUp = frame.type === COLLECT_PATTERN || (isUserFlowFrame(frame) && frame.frame_type === "call");
    replacement.push(windUp ? { ...frame, step_id: NEXT_END } : frame);
  }
  return replacement;
}

/** The frames of `stack` from the one with `frameId` up (all of them when it is missing). */
function framesFrom(stack: Stack, frameId: string): Frame[] {
  const at = stack.findIndex((frame) => frame.frame_id === frameId);
  return stack.slice(Math.max(0, at));
}

/** `action_clarify_flows`: the options as one phrase, "a, b or c". */
function clarifyFlows(tracker: Tracker): void {
  const index = tracker.stack.length - 1;
  const frame = tracker.stack[index];
  if (!frame || frame.type !== "pattern_clarification") return;
  const listed = field(frame, "names");
  const names = Array.isArray(listed) ? listed.map(String) : [];
  const options = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  updateFrame(tracker, index, { clarification_options: options });
}

/** `action_clean_stack` (code change): every frame goes to its END; user flows become regular, so none resumes another. */
function cleanStack(tracker: Tracker): void {
  tracker.stack = tracker.stack.map((frame) => (isUserFlowFrame(frame) ? { ...frame, frame_type: "regular", step_id: NEXT_END } : { ...frame, step_id: NEXT_END }));
}

/**
 * `action_repeat_bot_messages`: the bot's latest messages again, those this turn has sent so far
 * or else those of the previous bot turn (Rasa's: the last run of bot messages among the
 * conversation's messages). Nothing while a question is pending, which is asked again anyway:
 * when the top frame, past repeat and silence patterns, is a collect.
 */
function repeatBotMessages(tracker: Tracker): void {
  let at = tracker.stack.length - 1;
  while (at >= 0 && REPEATING_PATTERNS.includes(tracker.stack[at]!.type)) at--;
  if (tracker.stack[at]?.type === COLLECT_PATTERN) return;
  for (const message of tracker.messages.length > 0 ? tracker.messages.slice() : tracker.previousBotTurn) {
    tracker.messages.push(message);
    tracker.events.push({ event: "bot", ...message });
  }
}

const REPEATING_PATTERNS: readonly string[] = ["pattern_repeat_bot_messages", "pattern_user_silence"];

function digressionFrame(tracker: Tracker): Frame | undefined {
  const frame = topFrame(tracker);
  return frame?.type === "pattern_handle_digressions" ? frame : undefined;
}

/**
 * `action_block_digressions`: the requested flow waits at the bottom of the stack, with a
 * continue-interrupted frame above it, and runs once the current flow has ended.
 */
function blockDigressions(tracker: Tracker): void {
  const frame = digressionFrame(tracker);
  const flowId = field(frame, "interrupting_flow_id");
  if (typeof flowId !== "string") return;
  if (!tracker.stack.some((f) => isUserFlowFrame(f) && f.flow_id === flowId)) {
    tracker.stack.splice(0, 0, newUserFrame(tracker, flowId, "regular"), newPatternFrame(tracker, "pattern_continue_interrupted", { previous_flow_name: flowId }));
  }
  utter(tracker, "utter_block_digressions");
}

/**
 * `action_continue_digression`: the requested flow interrupts the current one now. Rasa renders
 * the message from the stack as the action found it, with the digression pattern on top as its
 * `context`.
 */
function continueDigression(tracker: Tracker): void {
  const frame = digressionFrame(tracker);
  const flowId = field(frame, "interrupting_flow_id");
  if (typeof flowId !== "string" || !flowOf(tracker, flowId)) return;
  const message = renderResponse(tracker, "utter_continue_interruption");
  removePendingDigression(tracker.stack, flowId); // blocked before: it runs now instead of later
  tracker.stack.push(newUserFrame(tracker, flowId, "interrupt"));
  const interrupted = field(frame, "interrupted_flow_id");
  if (typeof interrupted === "string") tracker.events.push({ event: "flow_interrupted", flow_id: interrupted, step_id: String(field(frame, "interrupted_step_id") ?? "") });
  send(tracker, message);
}

/**
 * `flow_<id>` (Rasa's ActionTriggerFlow, §b.3): starts flow `id` on top of the stack, without
 * its guard, as an `interrupt` frame when the stack holds anything at all (a pattern
 * included), else a `regular` one. The user flow it interrupts is recorded (§e).
 */
export function triggerFlow(tracker: Tracker, flowId: string): void {
  const interrupted = topUserFlowFrame(tracker.stack);
  if (interrupted) tracker.events.push({ event: "flow_interrupted", flow_id: interrupted.flow_id, step_id: interrupted.step_id });
  tracker.stack.push(newUserFrame(tracker, flowId, tracker.stack.length > 0 ? "interrupt" : "regular"));
}

/**
 * `action_restart`: the conversation starts over. Rasa's action first sends `utter_restart`
 * when the domain has that response (and nothing when it has not), rendered with the slots
 * of the conversation that ends.
 */
function restart(tracker: Tracker): void {
  utterIfDefined(tracker, "utter_restart");
  resetTracker(tracker, false);
  tracker.events.push({ event: "restarted" });
}

/**
 * The tracker as Rasa's `DialogueStateTracker._reset` leaves it when a `Restarted` or
 * `SessionStarted` event applies: the dialogue stack empty (a slot of Rasa's that its stack
 * updates never set by SlotSet, so nothing carries it over), no collect records and, unless
 * `keepSlots`, every slot at its initial value.
 */
function resetTracker(tracker: Tracker, keepSlots: boolean): void {
  tracker.stack = [];
  tracker.collected = [];
  tracker.ownsCollected = true;
  if (keepSlots) return;
  tracker.slots = initialSlots(tracker.assistant);
  tracker.ownsSlots = true;
  tracker.slotsLaidOut = false; // checked again at the next copy
  tracker.slotsSet = [];
  tracker.ownsSlotsSet = true;
  tracker.floatSlots = tracker.index.plan.initialFloats();
  tracker.specialFloats = tracker.index.plan.initialSpecialFloats();
  tracker.nluSlots = [];
}

/**
 * A session starts (the `SessionStarted` event): the tracker is reset, its slots kept when
 * `keepSlots`. A flow on the stack is gone with it, without completing, without
 * `pattern_completed` and without its slot resets; a session started in a turn ends the turn,
 * as the flow policy then finds the stack empty.
 */
export function beginSession(tracker: Tracker, keepSlots: boolean): void {
  tracker.events.push({ event: "session_started" });
  resetTracker(tracker, keepSlots);
}

/**
 * Rasa's default `action_session_start` (a domain that lists the action runs its own instead,
 * see turn.ts), whether the application starts a session or a flow step runs it: it returns
 * `SessionStarted`, then, with `session_config.carry_over_slots_to_new_session` (the
 * default), a SlotSet for each slot event of the session that ends, which puts every slot
 * back as it was, then `action_listen`. Without carrying slots over they are back at their
 * initial values, as after a restart.
 */
export function startDefaultSession(tracker: Tracker): void {
  beginSession(tracker, tracker.assistant.carryOverSlots !== false);
}

/** `action_default_ask_rephrase`: in Rasa a response action for `utter_ask_rephrase`, which the defaults define. */
function askRephrase(tracker: Tracker): void {
  utter(tracker, "utter_ask_rephrase");
}

/**
 * `action_default_fallback`: in Rasa it sends `utter_default` when the domain has that response
 * (nothing otherwise) and then reverts the user's latest message; the flows then go on from the
 * stack that message found (at a pending question, it is asked again).
 */
function defaultFallback(tracker: Tracker): void {
  utterIfDefined(tracker, "utter_default");
  revertUserMessage(tracker);
}

/** A response some of Rasa's default actions send only when the domain defines it (they send nothing otherwise). */
function utterIfDefined(tracker: Tracker, name: string): void {
  if (Object.hasOwn(tracker.assistant.responses, name)) utter(tracker, name);
}

const nothing: DefaultAction = () => {};

/** The default actions the runtime implements; the others of Rasa's list run and do nothing here. */
export const DEFAULT_ACTIONS: Readonly<Record<string, DefaultAction>> = {
  action_run_slot_rejections: runSlotRejections,
  action_cancel_flow: cancelFlow,
  action_correct_flow_slot: correctFlowSlot,
  action_clarify_flows: clarifyFlows,
  action_clean_stack: cleanStack,
  action_repeat_bot_messages: repeatBotMessages,
  action_block_digressions: blockDigressions,
  action_continue_digression: continueDigression,
  action_restart: restart,
  action_default_ask_rephrase: askRephrase,
  action_default_fallback: defaultFallback,
  action_session_start: startDefaultSession,
  action_hangup: nothing,
  action_trigger_chitchat: nothing,
  action_trigger_search: nothing,
  action_cancel_interrupted_flows: nothing,
  action_continue_interrupted_flow: nothing,
};

