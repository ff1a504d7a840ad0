/**
 * Stack changes that more than one part of the runtime makes: cancelling the active user flow
 * (the `cancel flow` command; a collect step that cannot ask, with an internal error) and pushing
 * `pattern_internal_error` (the `<error>` command, the circuit breaker, a throwing action).
 */
import { INTERNAL_ERROR_DEFAULT } from "./commands.ts";
import { isUserFlowFrame, type Frame, type Stack } from "./stack.ts";
import { flowName, newPatternFrame, type Tracker } from "./tracker.ts";

export const END_STEP = "END";
export const NEXT_END = "NEXT:END";

/**
 * The frames a cancel ends: from the top of `stack` down to the first user flow frame that was
 * not called (so cancelling inside a called child ends its parent too), with that frame.
 */
function framesToCancel(stack: Stack): { readonly frames: readonly Frame[]; readonly userFrame: Frame | undefined } {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (isUserFlowFrame(frame) && frame.frame_type !== "call") return { frames: stack.slice(i), userFrame: frame };
  }
  return { frames: [], userFrame: undefined };
}

/**
 * Pushes `pattern_cancel_flow` for the active user flow as `selection` shows it; its
 * `action_cancel_flow` later ends the selected frames, whose ids it returns (undefined when
 * no flow is active). `cancelled` is the flow the pattern names and the FlowCancelled event
 * is about; by default the user frame the selection stops at.
 */
export function pushCancelPattern(tracker: Tracker, selection: Stack, cancelled?: Frame): readonly string[] | undefined {
  const { frames, userFrame } = framesToCancel(selection);
  const named = cancelled ?? userFrame;
  if (!userFrame || !named) return undefined;
  const canceledFrames = frames.map((frame) => frame.frame_id);
  pushCancelFrame(tracker, named, canceledFrames);
  return canceledFrames;
}

/** A `pattern_cancel_flow` frame that names `flow` and ends the frames `canceledFrames`, with its FlowCancelled event. */
export function pushCancelFrame(tracker: Tracker, flow: Frame, canceledFrames: readonly string[]): void {
  tracker.stack.push(newPatternFrame(tracker, "pattern_cancel_flow", { canceled_name: flowName(tracker, flow.flow_id), canceled_frames: canceledFrames }));
  tracker.events.push({ event: "flow_cancelled", flow_id: flow.flow_id, step_id: flow.step_id });
}

/**
 * A collect step that cannot ask (§b.5.1): as Rasa's executor does, the cancel pattern for the
 * frames a cancel would end, named after the flow of that collect step (a called child by its
 * own name), with `pattern_internal_error` on top. Unlike the cancel command this records no
 * FlowCancelled event.
 */
export function cancelWithInternalError(tracker: Tracker, flowId: string): void {
  const { frames, userFrame } = framesToCancel(tracker.stack);
  if (userFrame) tracker.stack.push(newPatternFrame(tracker, "pattern_cancel_flow", { canceled_name: flowName(tracker, flowId), canceled_frames: frames.map((frame) => frame.frame_id) }));
  pushInternalError(tracker);
}

export function pushInternalError(tracker: Tracker, errorType: string = INTERNAL_ERROR_DEFAULT, info: Readonly<Record<string, unknown>> = {}): void {
  tracker.stack.push(newPatternFrame(tracker, "pattern_internal_error", { error_type: errorType, info }));
}
