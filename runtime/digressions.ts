/**
 * Blocked digressions waiting to run (Rasa 3.12, runtime-semantics.md §c, "3.12 digression
 * details"). `action_block_digressions` parks a blocked flow at the bottom of the stack: its
 * user frame at START with a `pattern_continue_interrupted` frame just above it that names it.
 * Such a pair is a *pending digression*. What the rest of the runtime does with them:
 *
 * - when a user flow ends and only pending digressions are left, two or more of them are not run
 *   one after the other: `pattern_clarification` asks which one to continue, and stays on top
 *   until the user answers (see {@link clarifiesPendingDigressions});
 * - the answer `start flow X` moves X's frame to the top (its announcement goes with it), also
 *   when X is the topmost user frame, which a `start flow` otherwise leaves alone;
 * - `cancel flow` while the clarification is on top cancels every pending flow it lists;
 * - `action_continue_digression` for a flow that is already pending takes the pending pair off
 *   the stack before the flow interrupts the current one.
 *
 * Rasa 3.12's processor tests show these outcomes (bot messages turn by turn); how 3.12 keeps the
 * clarification on top while it listens is not in the sources we have, so flowc's executor
 * holds the clarification at its last step while two or more digressions are pending.
 */
import { isUserFlowFrame, type Frame, type Stack, type UserFlowFrame } from "./stack.ts";

export const CONTINUE_INTERRUPTED = "pattern_continue_interrupted";
export const CLARIFICATION = "pattern_clarification";

export interface PendingDigression {
  /** The parked flow's user frame. */
  readonly frame: UserFlowFrame;
  /** Its index in the stack; the announcing `pattern_continue_interrupted` frame is just above. */
  readonly index: number;
}

/** Whether the frames at `index` and `index + 1` are a pending digression. */
function isPendingAt(stack: Stack, index: number): boolean {
  const frame = stack[index];
  const announcement = stack[index + 1];
  return (
    frame !== undefined &&
    announcement !== undefined &&
    isUserFlowFrame(frame) &&
    frame.frame_type === "regular" &&
    frame.step_id === "START" &&
    announcement.type === CONTINUE_INTERRUPTED &&
    announcement.step_id === "START" &&
    (announcement as unknown as Readonly<Record<string, unknown>>)["previous_flow_name"] === frame.flow_id
  );
}

/** The pending digressions among the lowest `below` frames of the stack, bottom first. */
export function pendingDigressions(stack: Stack, below = stack.length): PendingDigression[] {
  const pending: PendingDigression[] = [];
  for (let i = 0; i + 1 < below; i++) {
    if (!isPendingAt(stack, i)) continue;
    pending.push({ frame: stack[i] as UserFlowFrame, index: i });
    i++; // the announcement
  }
  return pending;
}

/**
 * The pending digressions when the stack holds nothing but two or more of them (the moment to
 * ask which one to continue), else undefined. Cheap for every other stack: runs at each flow end.
 */
export function digressionsToClarify(stack: Stack): PendingDigression[] | undefined {
  if (stack.length < 4 || stack.length % 2 !== 0) return undefined;
  const pending = pendingDigressions(stack);
  return pending.length * 2 === stack.length ? pending : undefined;
}

/**
 * Whether the frame on top is a `pattern_clarification` about pending digressions that should
 * keep waiting for the user's choice: two or more are still pending below it.
 */
export function clarifiesPendingDigressions(stack: Stack): boolean {
  const top = stack[stack.length - 1];
  return top?.type === CLARIFICATION && pendingDigressions(stack, stack.length - 1).length >= 2;
}

/** The pending digression of `flowId`, if there is one. */
function pendingDigressionOf(stack: Stack, flowId: string): PendingDigression | undefined {
  return pendingDigressions(stack).find((pending) => pending.frame.flow_id === flowId);
}

/**
 * Whether `flowId` is a pending digression the `pattern_clarification` on top offers: choosing
 * it starts it, even when it is the topmost user frame (which a `start flow` otherwise leaves
 * alone as the active flow; a parked flow at START is not running yet).
 */
export function isOfferedDigression(stack: Stack, flowId: string): boolean {
  return stack[stack.length - 1]?.type === CLARIFICATION && pendingDigressionOf(stack, flowId) !== undefined;
}

/** Takes the pending digression of `flowId` off the stack; returns it, or undefined when there is none. */
export function removePendingDigression(stack: Frame[], flowId: string): PendingDigression | undefined {
  const pending = pendingDigressionOf(stack, flowId);
  if (pending) stack.splice(pending.index, 2);
  return pending;
}
