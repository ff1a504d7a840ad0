/**
 * The dialogue stack (runtime-semantics.md §b.1–§b.3): frames as plain JSON, bottom first, and
 * the views of it the command processor and the executor need. Every operation returns a new
 * stack; nothing is changed in place, so a turn can be undone by keeping the old one.
 */

export type FrameType = "regular" | "interrupt" | "link" | "call";

/** A user flow's frame (`type: "flow"`). */
export interface UserFlowFrame {
  readonly frame_id: string;
  readonly type: "flow";
  readonly flow_id: string;
  readonly step_id: string;
  readonly frame_type: FrameType;
}

/** A pattern's frame: `type` and `flow_id` are the pattern id; the other fields vary by pattern (§b.2). */
export interface PatternFrame {
  readonly frame_id: string;
  readonly type: `pattern_${string}`;
  readonly flow_id: string;
  readonly step_id: string;
  readonly [field: string]: unknown;
}

export type Frame = UserFlowFrame | PatternFrame;
export type Stack = readonly Frame[];

export const COLLECT_PATTERN = "pattern_collect_information";

export function isUserFlowFrame(frame: Frame): frame is UserFlowFrame {
  return frame.type === "flow";
}

/** Pushes on top, or at `index` (`-1`: just below the top, `0`: at the bottom). */
export function push(stack: Stack, frame: Frame, index?: number): Stack {
  if (index === undefined) return [...stack, frame];
  const at = index < 0 ? Math.max(0, stack.length + index) : Math.min(index, stack.length);
  return [...stack.slice(0, at), frame, ...stack.slice(at)];
}

export function top(stack: Stack): Frame | undefined {
  return stack[stack.length - 1];
}

const NO_OPTIONS = {};

/**
 * The topmost user flow frame; by default skipping `call` and `link` frames, so that the
 * current user flow of a called child is its parent.
 */
export function topUserFlowFrame(stack: Stack, options: { readonly includeCallAndLink?: boolean } = NO_OPTIONS): UserFlowFrame | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (!isUserFlowFrame(frame)) continue;
    if (!options.includeCallAndLink && (frame.frame_type === "call" || frame.frame_type === "link")) continue;
    return frame;
  }
  return undefined;
}

/**
 * The topmost flow frame (user flow or pattern), skipping the collect pattern and, unless
 * asked to include them, `call` frames.
 */
export function topFlowFrame(stack: Stack, options: { readonly includeCall?: boolean } = NO_OPTIONS): Frame | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (frame.type === COLLECT_PATTERN) continue;
    if (!options.includeCall && isUserFlowFrame(frame) && frame.frame_type === "call") continue;
    return frame;
  }
  return undefined;
}

/** The flows on the stack with a user flow frame, call and link frames included, bottom first. */
export function userFlowsOnStack(stack: Stack): string[] {
  return [...new Set(stack.filter(isUserFlowFrame).map((frame) => frame.flow_id))];
}

/**
 * What `context` is in conditions and templates: the top frame's fields. The collect pattern
 * merges in the context of the frame below it, so `context.flow_id` there is the user flow's
 * id while `context.collect` and `context.utter` are its own. An empty stack gives `{}`.
 */
export function currentContext(stack: Stack): Readonly<Record<string, unknown>> {
  return contextAt(stack, stack.length - 1);
}

/** One field of {@link currentContext}, without building the merged context. */
export function contextField(stack: Stack, name: string, index = stack.length - 1): unknown {
  const frame = stack[index];
  if (!frame) return undefined;
  if (frame.type === COLLECT_PATTERN) {
    const below = contextField(stack, name, index - 1);
    if (below !== undefined) return below;
  }
  return field(frame, name);
}

/** {@link currentContext} as it is for the frame at `index` (the frames above it left out). */
export function contextAt(stack: Stack, index: number): Readonly<Record<string, unknown>> {
  const frame = stack[index];
  if (!frame) return {};
  if (frame.type !== COLLECT_PATTERN) return frame as unknown as Readonly<Record<string, unknown>>;
  // Rasa updates the collect frame's own fields with the context below: on a clash, below wins.
  return { ...frame, ...contextAt(stack, index - 1) };
}

/** Random 8-character frame ids, as Rasa makes them; replaceable for repeatable tests. */
export type FrameIdSource = () => string;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export const randomFrameIds: FrameIdSource = () => {
  let id = "";
  for (let i = 0; i < 8; i++) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
};

/** Frame ids `F0000001`, `F0000002`, … for traces that must not change between runs. */
export function sequentialFrameIds(): FrameIdSource {
  let next = 0;
  return () => `F${String(++next).padStart(7, "0")}`;
}

/** The slot a frame asks for: a collect step's (`collect`), or a slot validation's refill (`validate`). */
export function askedSlot(frame: Frame | undefined): unknown {
  if (frame?.type === COLLECT_PATTERN) return field(frame, "collect");
  if (frame?.type === "pattern_validate_slot") return field(frame, "validate");
  return undefined;
}

/** A frame field by name (pattern frames carry fields of their own, §b.2). */
export function field(frame: Frame | undefined, name: string): unknown {
  return frame === undefined ? undefined : (frame as unknown as Readonly<Record<string, unknown>>)[name];
}
