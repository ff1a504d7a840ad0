/**
 * The flow executor (runtime-semantics.md §a.7, §b.4–§b.7): advances the flow on top of the
 * stack step by step until a step names an action to run, or the stack is empty. Steps that
 * need no action (collect set-up, set_slots, noop, call, link, END) run here; actions run in
 * the turn driver, which then asks for the next one.
 */
import type { ActionNameTemplate, CollectStep, Flow, Next } from "./model.ts";
import { UNKNOWN_ACTION, type ActionPlan, type FlowPlan, type StepPlan } from "./plan.ts";
import { initialSlots, type CollectRecord } from "./state.ts";
import { cancelWithInternalError, pushInternalError, END_STEP, NEXT_END } from "./repair.ts";
import { COLLECT_PATTERN, contextField, isUserFlowFrame, topUserFlowFrame, type Frame, type PatternFrame } from "./stack.ts";
import { CLARIFICATION, clarifiesPendingDigressions, digressionsToClarify } from "./digressions.ts";
import { str } from "./templates.ts";
import { currentSharedStack, flowName, flowOf, frameContext, frameSite, markPythonFloat, moveFrame, newFrame, newPatternFrame, newUserFrame, ownCollected, setSlot, setStoredSlot, shareStack, type Tracker } from "./tracker.ts";

/** More steps than this in one prediction without an action trips the circuit breaker (Rasa's limit). */
export const MAX_STEPS_WITHOUT_ACTION = 250;

const START_STEP = "START";
const HUMAN_HANDOFF = "pattern_human_handoff";
const NEXT_PREFIX = "NEXT:";

/** Where the collect and completed frames are built, each always as the same literal (see newFrame). */
const COLLECT_FRAME = frameSite();
const COMPLETED_FRAME = frameSite();

/**
 * Advances until an action is due: returns what it runs as (`action_listen` included), or
 * undefined when no flow is left on the stack (the assistant then listens). While it stays on
 * one frame it follows the step plans (plan.ts) from step to step; it looks a flow and a step
 * up by id only when it comes to a frame.
 */
export function advanceFlows(tracker: Tracker): ActionPlan | undefined {
  const plans = tracker.index.plan;
  let steps = 0;
  // What the prediction starts from, for the circuit breaker (see tripCircuitBreaker), in locals.
  // Sharing the stack keeps its frames from changing in place; the turn shared it after the
  // previous prediction, so this usually costs a few comparisons.
  const startStack = currentSharedStack(tracker);
  const startEvents = tracker.events.length;
  const startSlotsSet = tracker.slotsSet.length;
  const startFloatSlots = tracker.floatSlots;
  const startNluSlots = tracker.nluSlots;
  const startCollected = tracker.collected;
  const startCollectedLength = startCollected.length;
  // The top frame as the previous step left it, and that step's plan (kept on the tracker for the next call, after the action).
  let current = tracker.planFrame;
  let currentStep = tracker.planStep;
  for (;;) {
    const index = tracker.stack.length - 1;
    if (index < 0 && steps === 0) return undefined; // nothing to advance (Rasa's advance_flows does not loop)
    // Every turn of the loop counts, as in Rasa's: each step (§a.7), a flow's END included
    // (§b.4: END is a step), and the turn that finds no flow left; the limit is checked first.
    if (++steps > MAX_STEPS_WITHOUT_ACTION) {
      current = currentStep = undefined;
      tripCircuitBreaker(tracker, { stack: startStack, events: startEvents, slotsSet: startSlotsSet, floatSlots: startFloatSlots, nluSlots: startNluSlots, collected: startCollected, collectedLength: startCollectedLength });
      steps = 0;
      continue;
    }
    if (index < 0) return undefined;
    const frame = tracker.stack[index]!;
    const previous = frame.step_id;
    let from: StepPlan | undefined;
    let plan: FlowPlan | undefined;
    if (frame === current && currentStep !== undefined && currentStep.step.id === previous) {
      from = currentStep;
      plan = from.flow;
    } else {
      plan = plans.flow(frame.flow_id);
      if (!plan) {
        // A frame of a flow the assistant no longer has (a state from an older version): drop it.
        tracker.stack.pop();
        continue;
      }
    }
    const flow = plan.flow;
    let next: string;
    let target: StepPlan | undefined;
    if (previous === START_STEP) {
      next = flow.start;
      target = plan.first;
    } else if (previous.startsWith(NEXT_PREFIX)) {
      next = previous.slice(NEXT_PREFIX.length);
      target = plan.steps.get(next);
    } else {
      from ??= plan.steps.get(previous);
      if (from === undefined || from.step.kind === "link") {
        next = END_STEP;
      } else if (from.to !== undefined) {
        next = from.to;
        target = from.toPlan;
      } else {
        next = follow(tracker, from.step.next, flow.id, previous);
        target = plan.steps.get(next);
      }
    }
    // The clarification of pending digressions waits at its last step for the user's choice.
    if (next === END_STEP && clarifiesPendingDigressions(tracker.stack)) return undefined;
    current = moveFrame(tracker, index, next);
    currentStep = undefined;
    if (next === END_STEP) {
      endFlow(tracker, plan, previous);
      continue;
    }
    // FlowStarted carries the context of the frame that starts, as it is at its first step (a copy: the turn may move the frame on).
    if (previous === START_STEP) tracker.events.push({ event: "flow_started", flow_id: flow.id, metadata: { ...frameContext(tracker) } });
    if (target === undefined) continue; // cannot happen in generated flows: every target is a step id
    currentStep = target;
    tracker.observer?.step(flow.id, next);
    const action = runStep(tracker, target, index);
    if (action !== undefined) {
      tracker.planFrame = current;
      tracker.planStep = target;
      return action;
    }
  }
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
function runStep(tracker: Tracker, plan: StepPlan, index: number): ActionPlan | undefined {
  const step = plan.step;
  switch (step.kind) {
    case "action": {
      const action = plan.action ?? (plan.render === undefined ? renderedAction(tracker, plan) : templateAction(tracker, plan.render));
      // An action or response the domain does not know is skipped silently, as in Rasa.
      return action.kind === UNKNOWN_ACTION ? undefined : action;
    }
    case "collect":
      startCollect(tracker, plan, step, index);
      return undefined;
    case "set_slots":
      for (const { slot, value, float } of step.slots) {
        setStoredSlot(tracker, slot, value);
        if (float) markPythonFloat(tracker, slot);
      }
      return undefined;
    case "noop":
      return undefined;
    case "call":
      tracker.stack.push(newUserFrame(tracker, step.flow, "call"));
      return undefined;
    case "link": {
      // §b.3: a `link` frame, whatever the target (a pattern too); only the human handoff pattern gets its pattern frame.
      const frame = step.flow === HUMAN_HANDOFF ? newPatternFrame(tracker, step.flow) : newUserFrame(tracker, step.flow, "link");
      tracker.stack.splice(tracker.stack.length - 1, 0, frame); // just below the linking flow, which ends next
      return undefined;
    }
  }
}

/** How many renderings of one step's template are remembered (values may come from anywhere). */
const MAX_REMEMBERED_NAMES = 256;

/**
 * The same text as V8's internalized string (a property key): looking the remembered name up
 * in objects by it (custom actions) then takes the fast path instead of flattening and hashing
 * a concatenation each time.
 */
function internalized(text: string): string {
  for (const key in { [text]: true }) return key;
  return text;
}

/**
 * What `validate_{{context.collect}}` and the like run as, rendered with the current context.
 * For a template with one hole, by the field's value: the same few names come back on every
 * collect step, and each is rendered and classified once.
 */
function renderedAction(tracker: Tracker, plan: StepPlan): ActionPlan {
  const parts = plan.parts!;
  if (parts.length === 3) {
    const text = printed(contextField(tracker.stack, parts[1]!));
    const names = plan.rendered!;
    let known = names.get(text);
    if (known === undefined) {
      known = tracker.index.plan.action(internalized(parts[0]! + text + parts[2]!));
      if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
      names.set(text, known);
    }
    return known;
  }
  let name = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    name += printed(contextField(tracker.stack, parts[i]!)) + parts[i + 1]!;
  }
  return tracker.index.plan.action(name);
}

/**
 * What an action name that needs more Jinja than bare holes (`utter_{{context.flow_id|upper}}`)
 * runs as: its compiled template rendered with the frame's context. Where rendering raises
 * (an attribute of an undefined value), Rasa does not catch the error and the message fails;
 * flowc skips the step, as it takes a branch whose condition raises as not taken (§b.4).
 */
function templateAction(tracker: Tracker, render: ActionNameTemplate): ActionPlan {
  let name: string;
  try {
    name = render(frameContext(tracker));
  } catch {
    return UNRENDERED_ACTION;
  }
  return tracker.index.plan.action(name);
}

/** What a step whose name does not render runs: nothing. */
const UNRENDERED_ACTION: ActionPlan = { name: "", kind: UNKNOWN_ACTION, builtIn: undefined };

/** What Jinja prints for a context field: nothing for a missing one, else Python's str() (`None`, `True`, `['a']`). */
function printed(value: unknown): string {
  return typeof value === "string" ? value : value === undefined ? "" : str(value);
}

/**
 * A collect step (§b.5): checks that the question can be asked, clears an
 * `ask_before_filling` slot, remembers where the flow was (for corrections), and pushes
 * `pattern_collect_information`, which decides whether to ask.
 */
function startCollect(tracker: Tracker, plan: StepPlan, step: CollectStep, index: number): void {
  if (!plan.canAsk) {
    cancelWithInternalError(tracker, plan.flow.flow.id);
    return;
  }
  if (step.askBeforeFilling) setSlot(tracker, step.slot, null);
  rememberCollect(tracker, plan.flow.flow, step, index);
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
  tracker.stack.push(newFrame(tracker, frame, COLLECT_FRAME));
}

function rememberCollect(tracker: Tracker, flow: Flow, step: CollectStep, index: number): void {
  const owner = topUserFlowFrame(tracker.stack) ?? tracker.stack[index]!;
  const record = { frameId: owner.frame_id, flowId: flow.id, stepId: step.id, slot: step.slot, stack: shareStack(tracker) };
  const collected = ownCollected(tracker);
  for (let i = 0; i < collected.length; i++) {
    const r = collected[i]!;
    if (r.frameId === record.frameId && r.flowId === record.flowId && r.stepId === record.stepId) {
      const by = r.stack[r.stack.length - 1];
      if (by === undefined || isUserFlowFrame(by) || by.frame_id === tracker.stack[tracker.stack.length - 1]!.frame_id) {
        collected[i] = record; // keep the first position, take the latest stack
        dropEndedVisits(collected, record, tracker.stack);
        return;
      }
      // Another run of the same pattern: Rasa counts a pattern's collect steps only from the
      // instance still on the stack, so this step now counts from here, not from the ended
      // run's place (which decides a correction's earliest step, §a.5).
      collected.splice(i, 1);
      break;
    }
  }
  dropEndedVisits(collected, record, tracker.stack);
  collected.push(record);
}

/** Drops the record an ended frame left of its visit to the step of `record` (see forgetEndedFrames): this visit is later. */
function dropEndedVisits(collected: CollectRecord[], record: CollectRecord, stack: readonly Frame[]): void {
  for (let i = collected.length - 1; i >= 0; i--) {
    const r = collected[i]!;
    if (r.flowId === record.flowId && r.stepId === record.stepId && r.frameId !== record.frameId && !isLive(stack, r)) collected.splice(i, 1);
  }
}

/**
 * The END of the top frame (§b.7): pop it, push `pattern_completed` or
 * `pattern_continue_interrupted` when due, reset the flow's slots, record the completion.
 */
function endFlow(tracker: Tracker, plan: FlowPlan, lastStepId: string): void {
  const frame = tracker.stack.pop()!;
  const flow = plan.flow;
  const isUser = isUserFlowFrame(frame);
  let resumed: Frame | undefined;
  if (tracker.stack.length === 0 && (isUser || frame.flow_id === "pattern_search") && flow.runPatternCompleted) {
    const completed: PatternFrame = { frame_id: tracker.frameIds(), type: "pattern_completed", flow_id: "pattern_completed", step_id: START_STEP, previous_flow_name: flow.name };
    tracker.stack.push(newFrame(tracker, completed, COMPLETED_FRAME));
  } else if (isUser && frame.frame_type === "interrupt") {
    const interrupted = topUserFlowFrame(tracker.stack);
    if (interrupted && interrupted.step_id !== END_STEP && interrupted.step_id !== NEXT_END) {
      tracker.stack.push(newPatternFrame(tracker, "pattern_continue_interrupted", { previous_flow_name: flowOf(tracker, interrupted.flow_id)?.name ?? interrupted.flow_id }));
      resumed = interrupted;
    }
  }
  // Two or more blocked digressions wait: the user chooses which one comes first.
  const waiting = isUser && frame.frame_type !== "call" ? digressionsToClarify(tracker.stack) : undefined;
  if (waiting && flowOf(tracker, CLARIFICATION)) {
    const names = waiting.map((pending) => flowName(tracker, pending.frame.flow_id));
    tracker.stack.push(newPatternFrame(tracker, CLARIFICATION, { names, clarification_options: "" }));
  }
  if (!(isUser && frame.frame_type === "call")) resetSlots(tracker, plan);
  tracker.events.push({ event: "flow_completed", flow_id: flow.id, step_id: lastStepId });
  // §b.7.5: Rasa inserts FlowCompleted just before the FlowResumed, which comes last (after the resets).
  if (resumed) tracker.events.push({ event: "flow_resumed", flow_id: resumed.flow_id, step_id: resumed.step_id });
  forgetEndedFrames(tracker);
}

/** Slot reset at a flow's end: collected and set slots go back to their initial value. */
function resetSlots(tracker: Tracker, plan: FlowPlan): void {
  const resets = tracker.index.plan.resets(plan);
  for (let i = 0; i < resets.length; i++) {
    const reset = resets[i]!;
    setSlot(tracker, reset.slot, reset.value, true);
    if (reset.float) markPythonFloat(tracker, reset.slot);
  }
}

/**
 * Collect records of frames that left the stack no longer count for corrections, with one
 * exception. Rasa rewinds to the latest stack of the whole conversation at which the
 * correction's step was on top (`find_previous_state_to_reset_to`), whichever frame reached it:
 * when a flow on the stack also reached the step, an ended frame's later visit is kept, last
 * (the latest), in place of older ended ones.
 */
function forgetEndedFrames(tracker: Tracker): void {
  const { collected, stack } = tracker;
  for (let i = 0; i < collected.length; i++) {
    if (!isLive(stack, collected[i]!)) {
      const live = collected.filter((record) => isLive(stack, record));
      const ended: CollectRecord[] = [];
      for (const record of collected) {
        if (isLive(stack, record) || !live.some((r) => r.flowId === record.flowId && r.stepId === record.stepId)) continue;
        const older = ended.findIndex((r) => r.flowId === record.flowId && r.stepId === record.stepId);
        if (older >= 0) ended.splice(older, 1);
        ended.push(record);
      }
      tracker.collected = ended.length === 0 ? live : [...live, ...ended];
      tracker.ownsCollected = true;
      return;
    }
  }
}

function isLive(stack: readonly Frame[], record: CollectRecord): boolean {
  for (const frame of stack) if (frame.frame_id === record.frameId) return true; // stacks are short
  return false;
}

/** What one prediction of the executor started from. */
interface Prediction {
  readonly stack: readonly Frame[];
  readonly events: number;
  readonly slotsSet: number;
  readonly floatSlots: readonly string[];
  readonly nluSlots: readonly string[];
  readonly collected: readonly CollectRecord[];
  readonly collectedLength: number;
}

/**
 * Too many steps without an action (§a.7). Rasa advances a copy of the tracker and its policy
 * catches the breaker's exception (flow_policy.py, predict_action_probabilities): what the
 * looping prediction did is dropped, and the frames of the stack it started from are ended,
 * from the top down to the first user frame of any type, a called flow's included
 * (end_top_user_flow in stack/utils.py), before `pattern_internal_error` is pushed.
 */
function tripCircuitBreaker(tracker: Tracker, start: Prediction): void {
  rollBack(tracker, start);
  for (let i = tracker.stack.length - 1; i >= 0; i--) {
    const frame: Frame = tracker.stack[i]!;
    moveFrame(tracker, i, NEXT_END);
    if (isUserFlowFrame(frame)) break;
  }
  pushInternalError(tracker);
}

/** Undoes what the executor did since `start`: its events, slot values, stack and collect records. */
function rollBack(tracker: Tracker, start: Prediction): void {
  const events = tracker.events;
  const undone = new Set<string>();
  for (let i = start.events; i < events.length; i++) {
    const event = events[i]!;
    if (event.event === "slot") undone.add(event.name);
  }
  events.length = start.events;
  for (const name of undone) setSlot(tracker, name, valueBefore(tracker, name));
  events.length = start.events; // the values are as they were: no event says otherwise
  tracker.floatSlots = start.floatSlots;
  tracker.nluSlots = start.nluSlots;
  if (tracker.slotsSet.length > start.slotsSet) {
    tracker.slotsSet = tracker.slotsSet.slice(0, start.slotsSet);
    tracker.ownsSlotsSet = true;
  }
  if (tracker.collected !== start.collected || tracker.collected.length !== start.collectedLength) {
    tracker.collected = start.collected.slice(0, start.collectedLength);
    tracker.ownsCollected = true;
  }
  tracker.stack = start.stack.slice();
  tracker.collectContext = undefined;
}

/** A slot's value as the turn's events so far leave it: its latest event, else its value when the turn began (or a restart or a rewind in it). */
function valueBefore(tracker: Tracker, name: string): unknown {
  const events = tracker.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.event === "slot" && event.name === name) return event.value;
    if (event.event === "restarted") return initialSlots(tracker.assistant)[name] ?? null;
    if (event.event === "rewind") break;
  }
  return tracker.turnStart.slots[name] ?? null;
}
