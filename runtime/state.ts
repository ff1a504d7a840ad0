/**
 * Conversation state as plain JSON (design §5): what an application stores between turns.
 * It carries the hash of the compiled assistant it was made with; a state is validated when it
 * is loaded, so a corrupt one is a clear {@link StateError}, never a crash mid-turn.
 */
import type { Message } from "./events.ts";
import { flowIndex } from "./flow-index.ts";
import type { CompiledAssistant, Flow } from "./model.ts";
import { ownValue, setOwn } from "./records.ts";
import { specialFloatsIn, specialFloatValue, type SpecialFloats } from "./special-floats.ts";
import type { Frame, Stack } from "./stack.ts";

export const STATE_VERSION = 1;

/**
 * A collect step a user flow reached, with the stack at that moment: what corrections use to
 * find the slots filled in the active flow and the point to rewind to (Rasa replays the
 * tracker's earlier stacks for both).
 */
export interface CollectRecord {
  /** The top user flow frame (call frames skipped) when the step was reached. */
  readonly frameId: string;
  readonly flowId: string;
  readonly stepId: string;
  readonly slot: string;
  /** Its top frame is the one that reached the step: a pattern's step counts only while that frame is on the stack. */
  readonly stack: Stack;
}

export interface ConversationState {
  readonly version: typeof STATE_VERSION;
  /** `hash` of the compiled assistant that produced this state. */
  readonly assistantHash: string;
  readonly stack: Stack;
  /**
   * The fingerprint of each flow on the stack (Rasa's `flow_hashes`): under another version of
   * the assistant, a flow on the stack whose fingerprint changed winds the conversation up
   * with `pattern_code_change` (§a.2.2); other changes leave it running.
   */
  readonly flowHashes: Readonly<Record<string, string>>;
  /** Every slot of the assistant, `null` when unset. */
  readonly slots: Readonly<Record<string, unknown>>;
  /** Slots that were set at least once (Rasa's `has_been_set`). */
  readonly slotsSet: readonly string[];
  /**
   * The float slots whose number Rasa holds as a Python float: one a command set (Rasa stores
   * `float(value)`) or a collect step coerced. These print as floats (`50.0`); a whole number
   * that a custom action, a `set_slots` step or an initial value put into a float slot is a
   * Python int there (as JSON's `50` is to Python), and prints as one (`50`).
   */
  readonly floatSlots: readonly string[];
  /**
   * The slots that hold a number JSON cannot write (`Infinity`, `-Infinity`, `NaN`, `-0`), each
   * with that number's name: `JSON.stringify` writes those slots as `null` or `0`, and
   * `loadState` puts the numbers back.
   */
  readonly specialFloats: SpecialFloats;
  /**
   * The slots whose value an NLU SetSlot set (Rasa's `filled_by: NLU`): an LLM value for one of
   * them is dropped unless a `from_llm` mapping of the slot has `allow_nlu_correction: true`
   * (§a.3). Any other write of the slot takes it off the list.
   */
  readonly nluSlots: readonly string[];
  /** The messages of the latest bot turn (what `repeat message` sends again). */
  readonly lastBotTurn: readonly Message[];
  readonly collected: readonly CollectRecord[];
  /** Number of user turns so far. */
  readonly turns: number;
}

export class StateError extends Error {
  override readonly name = "StateError";
}

export function initialState(assistant: CompiledAssistant): ConversationState {
  // Built in domain order: remembered as laid out, the first turn's first write copies it without a check (flow-index.ts).
  const index = flowIndex(assistant);
  const slots = index.rememberSlotLayout(initialSlots(assistant));
  return { version: STATE_VERSION, assistantHash: assistant.hash, stack: [], flowHashes: NO_FLOW_HASHES, slots, slotsSet: [], floatSlots: index.plan.initialFloats(), specialFloats: index.plan.initialSpecialFloats(), nluSlots: NO_SLOTS, lastBotTurn: [], collected: [], turns: 0 };
}

const NO_FLOW_HASHES: Readonly<Record<string, string>> = Object.freeze({});
const NO_SLOTS: readonly string[] = Object.freeze([]);

/** The assistant's flow called `id` (a stored state may name anything, `constructor` included). */
function flowNamed(assistant: CompiledAssistant, id: string): Flow | undefined {
  return ownValue(assistant.flows as Readonly<Record<string, Flow>>, id);
}

/** Whether `hashes` holds the current fingerprint of flow `id` (never when the assistant lacks the flow). */
function fingerprintKept(assistant: CompiledAssistant, hashes: Readonly<Record<string, string>>, id: string): boolean {
  const flow = flowNamed(assistant, id);
  return flow !== undefined && Object.hasOwn(hashes, id) && hashes[id] === flow.fingerprint;
}

/**
 * The fingerprints of the flows on `stack` (see {@link ConversationState.flowHashes}):
 * `previous` itself when it holds just those (most turns), so that a turn builds no new object.
 */
export function flowHashesOf(assistant: CompiledAssistant, stack: Stack, previous: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (stack.length === 0) return NO_FLOW_HASHES;
  if (holdsJust(assistant, previous, stack)) return previous;
  const hashes: Record<string, string> = {};
  for (const frame of stack) {
    const flow = flowNamed(assistant, frame.flow_id);
    if (flow) setOwn(hashes, frame.flow_id, flow.fingerprint);
  }
  return hashes;
}

/** Whether `hashes` has exactly the current fingerprints of the flows on `stack` (counted without a list of keys). */
function holdsJust(assistant: CompiledAssistant, hashes: Readonly<Record<string, string>>, stack: Stack): boolean {
  let distinct = 0;
  for (let i = 0; i < stack.length; i++) {
    const id = stack[i]!.flow_id;
    if (!fingerprintKept(assistant, hashes, id)) return false;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = stack[j]!.flow_id === id;
    if (!seen) distinct++;
  }
  let keys = 0;
  for (const id in hashes) if (Object.hasOwn(hashes, id)) keys++;
  return keys === distinct;
}

/**
 * Whether a flow on the state's stack is not what it was when the state was saved: the
 * assistant lacks it, or its fingerprint changed (a state of an older flowc has none: every
 * flow then counts as changed). Only asked when the assistant's hash differs.
 */
export function stackFlowsChanged(assistant: CompiledAssistant, state: ConversationState): boolean {
  return state.stack.some((frame) => !fingerprintKept(assistant, state.flowHashes, frame.flow_id));
}

/** How many properties V8 keeps in an object's fast (hidden-class) layout. */
const MAX_FAST_PROPERTIES = 1020;

/** Every slot at its initial value, or at its value in `stored` where that has one. */
export function initialSlots(assistant: CompiledAssistant, stored: Readonly<Record<string, unknown>> = {}): Readonly<Record<string, unknown>> {
  const slots: Record<string, unknown> = {};
  // for-in rather than Object.entries: no pair array per slot (an assistant may have a thousand).
  const definitions = assistant.slots;
  let count = 0;
  for (const name in definitions) {
    if (!Object.hasOwn(definitions, name)) continue;
    setOwn(slots, name, Object.hasOwn(stored, name) ? stored[name] : (definitions[name]!.initialValue ?? null));
    count++;
  }
  // The spread copy has V8's fast properties, which the object built key by key lacks: copying
  // it on every turn is then many times cheaper. V8 keeps at most 1020 properties fast
  // (kMaxNumberOfDescriptors): past that the copy is a dictionary too, and only costs time.
  return count > MAX_FAST_PROPERTIES ? slots : { ...slots };
}

/**
 * Throws a StateError when `state` is plainly not a {@link ConversationState} (what `handle`
 * and `parseCommands` are given must come from initialState, loadState or a turn): a few checks
 * of its shape, not loadState's full validation, which would cost every turn more than the turn.
 */
export function checkHandedState(state: unknown, caller: string): asserts state is ConversationState {
  const fields = state as Partial<Record<keyof ConversationState, unknown>> | null;
  const shaped =
    typeof fields === "object" &&
    fields !== null &&
    fields.version === STATE_VERSION &&
    Array.isArray(fields.stack) &&
    typeof fields.slots === "object" &&
    fields.slots !== null &&
    Array.isArray(fields.slotsSet) &&
    Array.isArray(fields.floatSlots) &&
    typeof fields.specialFloats === "object" &&
    fields.specialFloats !== null &&
    Array.isArray(fields.nluSlots) &&
    Array.isArray(fields.lastBotTurn) &&
    Array.isArray(fields.collected);
  if (!shaped) throw new StateError(`${caller}: the state is not a conversation state; start one with initialState(), and read a stored one with loadState()`);
}

/**
 * A stored state, checked field by field. Slots the assistant no longer has are dropped and
 * new ones start at their initial value, so that a state of an older assistant version can
 * still run `pattern_code_change`. Throws {@link StateError} naming the first bad field.
 */
export function loadState(assistant: CompiledAssistant, json: unknown): ConversationState {
  const data = typeof json === "string" ? parseJson(json) : json;
  const state = record(data, "the state");
  if (state["version"] !== STATE_VERSION) throw new StateError(`the state has version ${JSON.stringify(state["version"])}; this runtime reads version ${STATE_VERSION}`);
  const assistantHash = text(state["assistantHash"], "assistantHash");
  const stack = stackOf(state["stack"], "stack");
  const flowHashes = state["flowHashes"] === undefined ? NO_FLOW_HASHES : hashesOf(state["flowHashes"]);
  const storedSlots = record(state["slots"], "slots");
  // A state this assistant saved has its slots as keys, in domain order: then the slots are a copy.
  const index = flowIndex(assistant);
  const slots = index.hasSlotLayout(storedSlots) ? index.copyLaidOutSlots(storedSlots) : initialSlots(assistant, storedSlots);
  if (state["specialFloats"] !== undefined) putSpecialFloatsBack(slots as Record<string, unknown>, storedSlots, record(state["specialFloats"], "specialFloats"));
  const slotsSet = list(state["slotsSet"], "slotsSet").map((name, i) => text(name, `slotsSet[${i}]`));
  const floatSlots = state["floatSlots"] === undefined ? everyFloatNumber(assistant, slots) : list(state["floatSlots"], "floatSlots").map((name, i) => text(name, `floatSlots[${i}]`));
  const nluSlots = state["nluSlots"] === undefined ? NO_SLOTS : list(state["nluSlots"], "nluSlots").map((name, i) => text(name, `nluSlots[${i}]`));
  const lastBotTurn = list(state["lastBotTurn"], "lastBotTurn").map((message, i) => record(message, `lastBotTurn[${i}]`) as Message);
  const collected = list(state["collected"], "collected").map((entry, i): CollectRecord => {
    const at = `collected[${i}]`;
    const fields = record(entry, at);
    return {
      frameId: text(fields["frameId"], `${at}.frameId`),
      flowId: text(fields["flowId"], `${at}.flowId`),
      stepId: text(fields["stepId"], `${at}.stepId`),
      slot: text(fields["slot"], `${at}.slot`),
      stack: stackOf(fields["stack"], `${at}.stack`),
    };
  });
  const turns = state["turns"];
  if (typeof turns !== "number" || !Number.isInteger(turns) || turns < 0) throw new StateError("turns must be a whole number of at least 0");
  const loaded: ConversationState = { version: STATE_VERSION, assistantHash, stack, flowHashes, slots, slotsSet, floatSlots, specialFloats: specialFloatsIn(slots), nluSlots, lastBotTurn, collected, turns };
  // Under another version, flows that changed are wound up, not run: their steps may be gone.
  if (assistantHash === assistant.hash || !stackFlowsChanged(assistant, loaded)) checkFramesExist(assistant, stack, "stack");
  // A correction of a collected slot puts its stack back. Under another version that stack may
  // hold a flow that has since gone, which the executor drops when it comes to it.
  if (assistantHash === assistant.hash) collected.forEach((record, i) => checkFramesExist(assistant, record.stack, `collected[${i}].stack`));
  return loaded;
}

/**
 * Writes the numbers `specialFloats` names into `slots` (a copy), where JSON left `null` (for
 * `Infinity`, `-Infinity`, `NaN`) or `0` (for `-0`). A slot that holds anything else was
 * changed after the state was written (an application edited it): its value stays. The entry
 * of a slot the assistant no longer has goes with the slot; one of a slot the state does not
 * have, which starts at its initial value, is not used.
 */
function putSpecialFloatsBack(slots: Record<string, unknown>, stored: Readonly<Record<string, unknown>>, specials: Record<string, unknown>): void {
  for (const name in specials) {
    if (!Object.hasOwn(specials, name) || !Object.hasOwn(slots, name) || !Object.hasOwn(stored, name)) continue;
    const value = specialFloatValue(specials[name]);
    if (value === undefined) throw new StateError(`specialFloats[${JSON.stringify(name)}] must be one of "Infinity", "-Infinity", "NaN", "-0"`);
    if (stored[name] === (value === 0 ? 0 : null)) setOwn(slots, name, value);
  }
}

/** A state saved before flowc kept `floatSlots` printed every number of a float slot as a float: it goes on doing so. */
function everyFloatNumber(assistant: CompiledAssistant, slots: Readonly<Record<string, unknown>>): readonly string[] {
  const names: string[] = [];
  for (const name in slots) if (Object.hasOwn(slots, name) && typeof slots[name] === "number" && ownValue(assistant.slots, name)?.type === "float") names.push(name);
  return names;
}

/** `flowHashes`: flow ids to fingerprints (a state saved before flowc kept them has none). */
function hashesOf(value: unknown): Readonly<Record<string, string>> {
  const hashes = record(value, "flowHashes");
  for (const id in hashes) if (Object.hasOwn(hashes, id) && typeof hashes[id] !== "string") text(hashes[id], `flowHashes[${JSON.stringify(id)}]`);
  return hashes as Readonly<Record<string, string>>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StateError(`the state is not JSON: ${(error as Error).message}`);
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StateError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new StateError(`${what} must be a list`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new StateError(`${what} must be a string`);
  return value;
}

/** A state of this very assistant may only name its flows and their steps. */
function checkFramesExist(assistant: CompiledAssistant, stack: Stack, what: string): void {
  stack.forEach((frame, i) => {
    const flow = flowNamed(assistant, frame.flow_id);
    if (!flow) throw new StateError(`${what}[${i}] names flow ${JSON.stringify(frame.flow_id)}, which the assistant does not have`);
    const step = frame.step_id.startsWith("NEXT:") ? frame.step_id.slice(5) : frame.step_id;
    if (step !== "START" && step !== "END" && !Object.hasOwn(flow.steps, step)) {
      throw new StateError(`${what}[${i}] is at step ${JSON.stringify(frame.step_id)}, which flow ${frame.flow_id} does not have`);
    }
  });
}

const FRAME_TYPES = new Set(["regular", "interrupt", "link", "call"]);

/**
 * A stored stack, checked frame by frame. Most stacks are well formed: they are checked without
 * building a field's name for its message, which {@link frameChecked} builds for the first bad one.
 */
function stackOf(value: unknown, what: string): Stack {
  const entries = list(value, what);
  for (const entry of entries) if (!wellFormed(entry)) return entries.map((entry, i) => frameChecked(entry, what, i));
  return entries.slice() as Frame[];
}

function wellFormed(entry: unknown): boolean {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return false;
  const frame = entry as Record<string, unknown>;
  const type = frame["type"];
  if (typeof frame["frame_id"] !== "string" || typeof type !== "string" || typeof frame["flow_id"] !== "string" || typeof frame["step_id"] !== "string") return false;
  return type === "flow" ? FRAME_TYPES.has(frame["frame_type"] as string) : type.startsWith("pattern_");
}

function frameChecked(entry: unknown, what: string, i: number): Frame {
  const at = `${what}[${i}]`;
  const frame = record(entry, at);
  text(frame["frame_id"], `${at}.frame_id`);
  const type = text(frame["type"], `${at}.type`);
  text(frame["flow_id"], `${at}.flow_id`);
  text(frame["step_id"], `${at}.step_id`);
  if (type === "flow") {
    if (!FRAME_TYPES.has(frame["frame_type"] as string)) throw new StateError(`${at}.frame_type must be one of regular, interrupt, link, call`);
  } else if (!type.startsWith("pattern_")) {
    throw new StateError(`${at}.type must be "flow" or a pattern id, not ${JSON.stringify(type)}`);
  }
  return frame as unknown as Frame;
}
