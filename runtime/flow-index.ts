/**
 * Facts about the compiled flows that the command processor asks for on every turn, computed
 * once per assistant: the collect steps of a flow together with the flows it calls (Rasa's
 * `get_collect_steps`), which slots only `ask_before_filling` steps collect, and how to copy
 * the slot values fast.
 */
import { copierFor, hasLayout } from "./layouts.ts";
import type { CollectStep, CompiledAssistant, Flow, SlotDefinition, Step } from "./model.ts";
import { AssistantPlan } from "./plan.ts";
import { ownValue } from "./records.ts";

export interface FlowIndex {
  /** Collect steps of the flow and of the flows it calls, in step order. */
  collectSteps(flowId: string): readonly CollectStep[];
  /** True when a collect step of the flow (or of a flow it calls) collects the slot without `ask_before_filling`. */
  collectsWithoutAsking(flowId: string, slot: string): boolean;
  /** True when every collect step of every flow that collects the slot asks before filling. */
  onlyAskedBeforeFilling(slot: string): boolean;
  /** Whether slot values have exactly the assistant's slots as keys, in domain order. */
  hasSlotLayout(slots: Readonly<Record<string, unknown>>): boolean;
  /** `{ ...slots }` of slot values known to have that layout (see {@link hasSlotLayout}), without checking it again. */
  copyLaidOutSlots(slots: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Slot values built with the layout elsewhere (the initial slots): {@link hasSlotLayout} then knows them without a check. */
  rememberSlotLayout<T extends Readonly<Record<string, unknown>>>(slots: T): T;
  /** Slot values made by {@link copyLaidOutSlots} that were given a key the domain lacks: they no longer have the layout. */
  forgetSlotLayout(slots: Readonly<Record<string, unknown>>): void;
  /** The domain's slot `name` (a name every object has, like `constructor`, is none). */
  slot(name: string): SlotDefinition | undefined;
  /** The assistant's flow `id` (a name every object has, like `constructor`, is none). */
  flow(id: string): Flow | undefined;
  /** The flows' step plans and the actions' kinds (see plan.ts). */
  readonly plan: AssistantPlan;
}

const cache = new WeakMap<CompiledAssistant, FlowIndex>();

/** How many of the latest slot copies an index remembers as laid out (see buildIndex). */
const RECENT_COPIES = 8;

/** The assistant asked for last and its index: nearly every turn is of the same assistant, and this spares the WeakMap look-up. */
let latest: { readonly assistant: CompiledAssistant; readonly index: FlowIndex } | undefined;

export function flowIndex(assistant: CompiledAssistant): FlowIndex {
  if (latest?.assistant === assistant) return latest.index;
  let index = cache.get(assistant);
  if (!index) {
    index = buildIndex(assistant);
    cache.set(assistant, index);
  }
  latest = { assistant, index };
  return index;
}

function buildIndex(assistant: CompiledAssistant): FlowIndex {
  const flows = assistant.flows as Readonly<Record<string, Flow>>;
  const collects = new Map<string, readonly CollectStep[]>();
  const collectSteps = (flowId: string): readonly CollectStep[] => {
    let steps = collects.get(flowId);
    if (steps) return steps;
    collects.set(flowId, []); // a call cycle ends here
    const found: CollectStep[] = [];
    const flow = ownValue(flows, flowId);
    if (flow) {
      for (const step of Object.values<Step>(flow.steps)) {
        if (step.kind === "collect") found.push(step);
        else if (step.kind === "call") found.push(...collectSteps(step.flow));
      }
    }
    steps = found;
    collects.set(flowId, steps);
    return steps;
  };
  const freely = new Map<string, ReadonlySet<string>>();
  const collectsWithoutAsking = (flowId: string, slot: string): boolean => {
    let slots = freely.get(flowId);
    if (!slots) {
      slots = new Set(collectSteps(flowId).flatMap((step) => (step.askBeforeFilling ? [] : [step.slot])));
      freely.set(flowId, slots);
    }
    return slots.has(slot);
  };
  // Over the steps of every flow, so only when first asked: building it would build every
  // flow's steps, which generated flows leave until they first run (runtime/define-flow.ts).
  let askBefore: Map<string, boolean> | undefined;
  const askedBefore = (): Map<string, boolean> => {
    if (askBefore) return askBefore;
    askBefore = new Map<string, boolean>();
    for (const flow of Object.values<Flow>(flows)) {
      for (const step of Object.values<Step>(flow.steps)) {
        if (step.kind !== "collect") continue;
        askBefore.set(step.slot, (askBefore.get(step.slot) ?? true) && step.askBeforeFilling);
      }
    }
    return askBefore;
  };
  const slotLayout = Object.keys(assistant.slots);
  // The compiled copier pays off over a conversation's turns, but compiling it (a literal of
  // every slot) costs more than a spread of the slots: the first copy spreads, the second
  // compiles it. Both give the same object.
  let copySlotValues: ((slots: Readonly<Record<string, unknown>>) => Record<string, unknown>) | undefined;
  let spread = 0;
  // The copies made here have the layout by construction. The latest few are remembered (a
  // WeakSet of every copy costs each scavenge more than it saves): the first write of a turn,
  // which checks the slots of the state the turn started from, then finds the previous turn's
  // copy there instead of looping over every slot.
  const recent: (object | undefined)[] = new Array<object | undefined>(RECENT_COPIES).fill(undefined);
  let next = 0;
  const remember = <T extends Readonly<Record<string, unknown>>>(slots: T): T => {
    recent[next] = slots;
    next = (next + 1) % RECENT_COPIES;
    return slots;
  };
  const copyLaidOutSlots = (slots: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    if (copySlotValues === undefined && spread++ === 0) return remember({ ...slots });
    copySlotValues ??= copierFor(slotLayout);
    return remember(copySlotValues(slots));
  };
  const hasSlotLayout = (slots: Readonly<Record<string, unknown>>): boolean => recent.includes(slots) || hasLayout(slots, slotLayout);
  const forgetSlotLayout = (slots: Readonly<Record<string, unknown>>): void => {
    const at = recent.indexOf(slots);
    if (at >= 0) recent[at] = undefined;
  };
  return {
    slot: lookUp(assistant.slots),
    flow: lookUp(flows),
    collectSteps,
    collectsWithoutAsking,
    onlyAskedBeforeFilling: (slot) => askedBefore().get(slot) === true,
    hasSlotLayout,
    copyLaidOutSlots,
    rememberSlotLayout: remember,
    forgetSlotLayout,
    plan: new AssistantPlan(assistant),
  };
}

/**
 * Look-ups of a record's own values that remember what they found: a map look-up costs less
 * than the own property's of a name that comes as any text (from commands, actions and saved
 * states), and filling the map as names are first asked for costs nothing at start-up, where a
 * map of every slot would.
 */
function lookUp<T>(record: Readonly<Record<string, T>>): (name: string) => T | undefined {
  const found = new Map<string, T>();
  return (name) => {
    let value = found.get(name);
    if (value === undefined) {
      value = ownValue(record, name);
      if (value !== undefined) found.set(name, value);
    }
    return value;
  };
}
