/**
 * The flow executor (runtime-semantics.md §a.7, §b.4–§b.7): advances the flow on top of the
 * stack step by step until a step names an action to run, or the stack is empty. Steps that
 * need no action (collect set-up, set_slots, noop, call, link, END) run here; actions run in
 * the turn driver, which then asks for the next one.
 */
import type { CollectStep, Flow, Next, Step } from "./model.ts";
import type { CollectRecord } from "./state.ts";
import { pushCancelPattern, pushInternalError, END_STEP, NEXT_END } from "./repair.ts";
import { COLLECT_PATTERN, contextField, isUserFlowFrame, topUserFlowFrame, type Frame, type PatternFrame } from "./stack.ts";
import { CLARIFICATION, clarifiesPendingDigressions, onlyPendingDigressions, pendingDigressions } from "./digressions.ts";
import { hasResponse } from "./responses.ts";
import { flowOf, frameContext, moveFrame, newFrame, newPatternFrame, newUserFrame, ownCollected, setSlot, shareStack, slotOf, type Tracker } from "./tracker.ts";

/** More steps than this in one prediction without an action trips the circuit breaker (Rasa's limit). */
export const MAX_STEPS_WITHOUT_ACTION = 250;

const START_STEP = "START";
const ACTION_LISTEN = "action_listen";
const NEXT_PREFIX = "NEXT:";

/**
 * Advances until an action is due: returns its name (`action_listen` included), or undefined
 * when no flow is left on the stack (the assistant then listens).
 */
export function advanceFlows(tracker: Tracker): string | undefined {
  let steps = 0;
  for (;;) {
    const index = tracker.stack.length - 1;
    if (index < 0) return undefined;
    const frame = tracker.stack[index]!;
    const flow = flowOf(tracker, frame.flow_id);
    if (!flow) {
      // A frame of a flow the assistant no longer has (a state from an older version): drop it.
      tracker.stack.pop();
      continue;
    }
    const previous = frame.step_id;
    const next = nextStepId(tracker, flow, previous);
    // The clarification of pending digressions waits at its last step for the user's choice.
    if (next === END_STEP && clarifiesPendingDigressions(tracker.stack)) return ACTION_LISTEN;
    moveFrame(tracker, index, next);
    if (next === END_STEP) {
      endFlow(tracker, previous);
      continue;
    }
    if (++steps > MAX_STEPS_WITHOUT_ACTION) {
      tripCircuitBreaker(tracker);
      steps = 0;
      continue;
    }
    if (previous === START_STEP) tracker.events.push({ event: "flow_started", flow_id: flow.id });
    const step = (flow.steps as Readonly<Record<string, Step>>)[next];
    if (!step) continue; // cannot happen in generated flows: every target is a step id
    tracker.observer?.step(flow.id, next);
    const action = runStep(tracker, flow, step, index);
    if (action !== undefined) return action;
  }
}

/** Where a frame goes from `stepId`: START leads to the first step, `NEXT:x` to x, a link to END. */
function nextStepId(tracker: Tracker, flow: Flow, stepId: string): string {
  if (stepId === START_STEP) return flow.start;
  if (stepId.startsWith(NEXT_PREFIX)) return stepId.slice(NEXT_PREFIX.length);
  const step = (flow.steps as Readonly<Record<string, Step>>)[stepId];
  if (!step || step.kind === "link") return END_STEP;
  return follow(tracker, step.next, flow.id, stepId);
}

function follow(tracker: Tracker, next: Next, flowId: string, stepId: string): string {
  if (next.kind === "static") return next.to;
  const context = frameContext(tracker);
  const branches = next.branches;
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i]!;
    let holds = false;
    try {
      holds = branch.condition.test(tracker.slots, context);
    } catch {
      holds = false; // any evaluation error makes the condition false
    }
    if (holds) {
      tracker.observer?.branch(flowId, stepId, i);
      return branch.to;
    }
  }
  tracker.observer?.branch(flowId, stepId, branches.length);
  return next.otherwise;
}

/** Runs the step the top frame just moved to; returns the action to run, if the step has one. */
function runStep(tracker: Tracker, flow: Flow, step: Step, index: number): string | undefined {
  switch (step.kind) {
    case "action": {
      const name = renderActionName(step.action, tracker);
      // An action or response the domain does not know is skipped silently, as in Rasa.
      return tracker.index.isKnownAction(name) ? name : undefined;
    }
    case "collect":
      startCollect(tracker, flow, step, index);
      return undefined;
    case "set_slots":
      for (const { slot, value } of step.slots) setSlot(tracker, slot, value);
      return undefined;
    case "noop":
      return undefined;
    case "call":
      tracker.stack.push(newUserFrame(tracker, step.flow, "call"));
      return undefined;
    case "link": {
      const target = flowOf(tracker, step.flow);
      const frame = target?.isPattern ? newPatternFrame(tracker, step.flow) : newUserFrame(tracker, step.flow, "link");
      tracker.stack.splice(tracker.stack.length - 1, 0, frame); // just below the linking flow, which ends next
      return undefined;
    }
  }
}

const TEMPLATE_HOLE = /\{\{\s*context\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;

/**
 * An action name template split once: literal text at even indexes of `parts`, context field
 * names at odd ones; for a template with one hole, the names made so far by the field's value
 * (the same few names come back on every collect step, and a name made once is hashed once).
 */
interface ActionTemplate {
  readonly parts: readonly string[];
  readonly names: Map<string, string>;
}

const templates = new Map<string, ActionTemplate>();

/** How many renderings of one template are remembered (values may come from anywhere). */
const MAX_REMEMBERED_NAMES = 256;

function templateOf(action: string): ActionTemplate {
  let template = templates.get(action);
  if (!template) {
    template = { parts: action.split(TEMPLATE_HOLE), names: new Map() };
    templates.set(action, template);
  }
  return template;
}

/**
 * The same text as V8's internalized string (a property key): looking the remembered name up
 * in objects by it (default actions, responses) then takes the fast path instead of
 * flattening and hashing a concatenation each time.
 */
function internalized(text: string): string {
  for (const key in { [text]: true }) return key;
  return text;
}

/** `validate_{{context.collect}}` and the like, rendered with the current context. */
function renderActionName(action: string, tracker: Tracker): string {
  if (!action.includes("{{")) return action;
  const { parts, names } = templateOf(action);
  if (parts.length === 3) {
    const value = contextField(tracker.stack, parts[1]!);
    const text = value === undefined || value === null ? "" : String(value);
    let name = names.get(text);
    if (name === undefined) {
      name = internalized(parts[0]! + text + parts[2]!);
      if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
      names.set(text, name);
    }
    return name;
  }
  let name = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = contextField(tracker.stack, parts[i]!);
    name += (value === undefined || value === null ? "" : String(value)) + parts[i + 1]!;
  }
  return name;
}

/**
 * A collect step (§b.5): checks that the question can be asked, clears an
 * `ask_before_filling` slot, remembers where the flow was (for corrections), and pushes
 * `pattern_collect_information`, which decides whether to ask.
 */
function startCollect(tracker: Tracker, flow: Flow, step: CollectStep, index: number): void {
  const slot = slotOf(tracker, step.slot);
  const canAsk =
    hasResponse(tracker, step.utter) ||
    tracker.index.isCustomAction(step.askAction) ||
    (slot !== undefined && slot.initialValue !== null && slot.initialValue !== undefined);
  if (!canAsk) {
    pushCancelPattern(tracker, tracker.stack);
    pushInternalError(tracker);
    return;
  }
  if (step.askBeforeFilling) setSlot(tracker, step.slot, null);
  rememberCollect(tracker, flow, step, index);
  const frame: PatternFrame = {
    frame_id: tracker.frameIds(),
    type: COLLECT_PATTERN,
    flow_id: COLLECT_PATTERN,
    step_id: START_STEP,
    collect: step.slot,
    utter: step.utter,
    collect_action: step.askAction,
    rejections: step.rejections.length === 0 ? [] : step.rejections.map((r) => ({ if: r.condition.source, utter: r.utter })),
  };
  tracker.stack.push(newFrame(tracker, frame));
}

function rememberCollect(tracker: Tracker, flow: Flow, step: CollectStep, index: number): void {
  const owner = topUserFlowFrame(tracker.stack) ?? tracker.stack[index]!;
  const record = { frameId: owner.frame_id, flowId: flow.id, stepId: step.id, slot: step.slot, stack: shareStack(tracker) };
  const collected = ownCollected(tracker);
  for (let i = 0; i < collected.length; i++) {
    const r = collected[i]!;
    if (r.frameId === record.frameId && r.flowId === record.flowId && r.stepId === record.stepId) {
      collected[i] = record; // keep the first position, take the latest stack
      return;
    }
  }
  collected.push(record);
}

/**
 * The END of the top frame (§b.7): pop it, push `pattern_completed` or
 * `pattern_continue_interrupted` when due, reset the flow's slots, record the completion.
 */
function endFlow(tracker: Tracker, lastStepId: string): void {
  const frame = tracker.stack.pop()!;
  const flow = flowOf(tracker, frame.flow_id)!;
  const isUser = isUserFlowFrame(frame);
  if (tracker.stack.length === 0 && (isUser || frame.flow_id === "pattern_search") && flow.runPatternCompleted) {
    const completed: PatternFrame = { frame_id: tracker.frameIds(), type: "pattern_completed", flow_id: "pattern_completed", step_id: START_STEP, previous_flow_name: flow.name };
    tracker.stack.push(newFrame(tracker, completed));
  } else if (isUser && frame.frame_type === "interrupt") {
    const interrupted = topUserFlowFrame(tracker.stack);
    if (interrupted && interrupted.step_id !== END_STEP && interrupted.step_id !== NEXT_END) {
      tracker.stack.push(newPatternFrame(tracker, "pattern_continue_interrupted", { previous_flow_name: flowOf(tracker, interrupted.flow_id)?.name ?? interrupted.flow_id }));
      tracker.events.push({ event: "flow_resumed", flow_id: interrupted.flow_id, step_id: interrupted.step_id });
    }
  }
  if (isUser && frame.frame_type !== "call" && onlyPendingDigressions(tracker.stack)) {
    // Two or more blocked digressions wait: the user chooses which one comes first.
    const names = pendingDigressions(tracker.stack).map((pending) => flowOf(tracker, pending.frame.flow_id)?.name ?? pending.frame.flow_id);
    if (flowOf(tracker, CLARIFICATION)) tracker.stack.push(newPatternFrame(tracker, CLARIFICATION, { names, clarification_options: "" }));
  }
  if (!(isUser && frame.frame_type === "call")) resetSlots(tracker, flow);
  tracker.events.push({ event: "flow_completed", flow_id: flow.id, step_id: lastStepId });
  forgetEndedFrames(tracker);
}

/** Slot reset at a flow's end: collected and set slots go back to their initial value. */
function resetSlots(tracker: Tracker, flow: Flow): void {
  for (const { slot, value } of tracker.index.slotsResetAtEnd(flow)) setSlot(tracker, slot, value, true);
}

/** Collect records of frames that left the stack are of no use to corrections any more. */
function forgetEndedFrames(tracker: Tracker): void {
  const { collected, stack } = tracker;
  for (let i = 0; i < collected.length; i++) {
    if (!isLive(stack, collected[i]!)) {
      tracker.collected = collected.filter((record) => isLive(stack, record));
      tracker.ownsCollected = true;
      return;
    }
  }
}

function isLive(stack: readonly Frame[], record: CollectRecord): boolean {
  for (const frame of stack) if (frame.frame_id === record.frameId) return true; // stacks are short
  return false;
}

/**
 * Too many steps without an action: end everything from the top down to the topmost user
 * flow and report an internal error; the ended flows then wrap up normally.
 */
function tripCircuitBreaker(tracker: Tracker): void {
  const user = topUserFlowFrame(tracker.stack);
  for (let i = tracker.stack.length - 1; i >= 0; i--) {
    const frame: Frame = tracker.stack[i]!;
    moveFrame(tracker, i, NEXT_END);
    if (frame === user) break;
  }
  pushInternalError(tracker);
}
