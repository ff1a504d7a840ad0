/**
 * Step plans: each flow's steps resolved, once per assistant, into objects that point at what
 * the executor needs next. Every step of every turn used to look its flow up by id, its step
 * by id (through the flow's lazily built table, twice), the step it leads to by id, and the
 * action it names in four tables (known actions, default actions, responses, custom actions).
 * A plan does those look-ups the first time a flow runs: a step's plan holds the plan of the
 * step a static `next` leads to, what its action is, and whether its collect question can be
 * asked; the executor then follows references, and looks a flow or a step up by id only when
 * it starts on a frame.
 */
import { DEFAULT_ACTIONS, triggerFlow } from "./default-actions.ts";
import { ownValue } from "./records.ts";
import { specialFloatsOf, type SpecialFloats } from "./special-floats.ts";
import { DEFAULT_ACTION_NAMES, type ActionNameTemplate, type CollectStep, type CompiledAssistant, type Flow, type Step } from "./model.ts";
import type { ResponsePlan } from "./responses.ts";
import type { Tracker } from "./tracker.ts";
import { TEMPLATE_HOLE } from "./action-names.ts";

/** What an action name runs as, in the order `runAction` tries them. */
export const UNKNOWN_ACTION = 0;
export const DEFAULT_ACTION = 1;
export const RESPONSE_ACTION = 2;
export const CUSTOM_ACTION = 3;
export type ActionKind = typeof UNKNOWN_ACTION | typeof DEFAULT_ACTION | typeof RESPONSE_ACTION | typeof CUSTOM_ACTION;

export interface ActionPlan {
  readonly name: string;
  /** Unknown actions are skipped (as in Rasa); custom ones run the application's implementation, if it has one. */
  readonly kind: ActionKind;
  /** The default action's implementation, for {@link DEFAULT_ACTION}. */
  readonly builtIn: ((tracker: Tracker) => void) | undefined;
}

export interface StepPlan {
  readonly step: Step;
  readonly flow: FlowPlan;
  /** The target of a static `next` (undefined for a branching one, and for a link, which ends the flow). */
  readonly to: string | undefined;
  /** The plan of that target when it is a step of the flow (set once every step of the flow has a plan). */
  toPlan: StepPlan | undefined;
  /** An action step whose name has no template: what it runs. */
  readonly action: ActionPlan | undefined;
  /** An action step with a template in its name: the name split at its holes (literal text at even indexes, context field names at odd ones). */
  readonly parts: readonly string[] | undefined;
  /** An action step whose name needs more Jinja than bare holes: its compiled template (then {@link parts} is undefined). */
  readonly render: ActionNameTemplate | undefined;
  /** An action step with a template in its name: the rendered names seen so far. */
  readonly rendered: Map<string, ActionPlan> | undefined;
  /** A collect step: whether its question can be asked (its response, `action_ask_<slot>` as a custom action or a response, or an initial value). */
  readonly canAsk: boolean;
}

export interface FlowPlan {
  readonly flow: Flow;
  readonly steps: ReadonlyMap<string, StepPlan>;
  /** The plan of the first step (what `START` leads to). */
  first: StepPlan | undefined;
  /** The slots reset when the flow ends, each with the value it goes back to, worked out at its first end (see {@link AssistantPlan.resets}). */
  resets: readonly SlotReset[] | undefined;
}

/** The flow a `flow_<id>` action name starts (Rasa's ActionTriggerFlow), when the assistant has flow `id`. */
function triggeredFlow(assistant: CompiledAssistant, name: string): string | undefined {
  if (!name.startsWith(FLOW_ACTION_PREFIX)) return undefined;
  const id = name.slice(FLOW_ACTION_PREFIX.length);
  return ownValue(assistant.flows as Readonly<Record<string, Flow>>, id) === undefined ? undefined : id;
}

const FLOW_ACTION_PREFIX = "flow_";
const UTTER_PREFIX = "utter_";

/** The plans of one assistant's flows and actions, each built when first asked for. */
export class AssistantPlan {
  /** How each response is sent (see responses.ts), by name, as first sent. */
  readonly responses = new Map<string, ResponsePlan>();
  private readonly flows = new Map<string, FlowPlan>();
  private readonly actions = new Map<string, ActionPlan>();
  private readonly declared: NameList;
  private readonly custom: NameList;

  constructor(private readonly assistant: CompiledAssistant) {
    this.declared = new NameList(assistant.domainActions);
    this.custom = new NameList(assistant.customActions);
  }

  /** The plan of flow `id`, or undefined when the assistant has no such flow (not remembered: a stored state may name anything). */
  flow(id: string): FlowPlan | undefined {
    let plan = this.flows.get(id);
    if (plan === undefined) {
      const flows = this.assistant.flows as Readonly<Record<string, Flow>>;
      if (!Object.hasOwn(flows, id)) return undefined;
      plan = this.build(flows[id]!);
      this.flows.set(id, plan);
    }
    return plan;
  }

  /**
   * What the action called `name` runs as. Only the domain's names are remembered: a name
   * rendered from a template may be anything, and an unknown one is classified each time.
   */
  action(name: string): ActionPlan {
    let plan = this.actions.get(name);
    if (plan === undefined) {
      plan = this.classify(name);
      if (plan.kind !== UNKNOWN_ACTION) this.actions.set(name, plan);
    }
    return plan;
  }

  /** The slots whose initial value is a whole number Rasa holds as a float (see SlotDefinition.initialFloat): the floatSlots of a new conversation. */
  initialFloats(): readonly string[] {
    if (this.initialFloatSlots === undefined) {
      const names: string[] = [];
      const slots = this.assistant.slots;
      for (const name in slots) if (Object.hasOwn(slots, name) && slots[name]!.initialFloat) names.push(name);
      this.initialFloatSlots = Object.freeze(names);
    }
    return this.initialFloatSlots;
  }

  private initialFloatSlots: readonly string[] | undefined;

  /** The slots whose initial value JSON cannot write (`initial_value: .inf`): the specialFloats of a new conversation. */
  initialSpecialFloats(): SpecialFloats {
    return (this.initialSpecials ??= Object.freeze(specialFloatsOf(this.assistant.slots, (slot) => slot.initialValue)));
  }

  private initialSpecials: SpecialFloats | undefined;

  /** The slots the flow of `plan` resets when it ends, remembered in the plan. */
  resets(plan: FlowPlan): readonly SlotReset[] {
    return (plan.resets ??= resetPlan(this.assistant, plan.flow));
  }

  /** Whether the assistant knows the action `name` (see {@link CompiledAssistant.domainActions}). */
  private known(name: string): boolean {
    if (Object.hasOwn(this.assistant.responses, name) || this.declared.has(name) || DEFAULT_ACTION_NAMES.includes(name)) return true;
    return triggeredFlow(this.assistant, name) !== undefined;
  }

  private classify(name: string): ActionPlan {
    if (!this.known(name)) return { name, kind: UNKNOWN_ACTION, builtIn: undefined };
    // A default action the domain lists as its own is the application's (Rasa's
    // action_for_name_or_text: defaults only for names not among the user's actions).
    const builtIn = this.custom.has(name) || !Object.hasOwn(DEFAULT_ACTIONS, name) ? undefined : DEFAULT_ACTIONS[name];
    if (builtIn) return { name, kind: DEFAULT_ACTION, builtIn };
    // Rasa's action_for_name_or_text: an `utter_` name is a response action even when the domain
    // lists it under `actions` (and sends nothing when no such response exists).
    if (name.startsWith(UTTER_PREFIX) || (Object.hasOwn(this.assistant.responses, name) && !this.custom.has(name))) return { name, kind: RESPONSE_ACTION, builtIn: undefined };
    // Rasa's action_for_name_or_text: a `flow_` name of a flow starts that flow, even when the domain lists it as a custom action.
    const flowId = triggeredFlow(this.assistant, name);
    if (flowId !== undefined) return { name, kind: DEFAULT_ACTION, builtIn: (tracker) => triggerFlow(tracker, flowId) };
    return { name, kind: CUSTOM_ACTION, builtIn: undefined };
  }

  private build(flow: Flow): FlowPlan {
    const steps = new Map<string, StepPlan>();
    const plan: FlowPlan = { flow, steps, first: undefined, resets: undefined };
    const table = flow.steps as Readonly<Record<string, Step>>;
    for (const id in table) {
      if (!Object.hasOwn(table, id)) continue;
      steps.set(id, this.stepPlan(plan, table[id]!));
    }
    for (const step of steps.values()) if (step.to !== undefined) step.toPlan = steps.get(step.to);
    plan.first = steps.get(flow.start);
    return plan;
  }

  private stepPlan(flow: FlowPlan, step: Step): StepPlan {
    const to = step.kind !== "link" && step.next.kind === "static" ? step.next.to : undefined;
    // An action's name is rendered by its compiled template (render), or filled in at its bare holes (parts), or else looked up once (action).
    const render = step.kind === "action" ? step.render : undefined;
    const parts = step.kind === "action" && render === undefined && step.action.includes("{{") ? step.action.split(TEMPLATE_HOLE) : undefined;
    const action = step.kind === "action" && render === undefined && parts === undefined ? this.action(step.action) : undefined;
    const rendered = parts !== undefined ? new Map<string, ActionPlan>() : undefined;
    const canAsk = step.kind === "collect" && this.canAsk(step);
    return { step, flow, to, toPlan: undefined, action, parts, render, rendered, canAsk };
  }

  private canAsk(step: CollectStep): boolean {
    const slot = this.assistant.slots[step.slot];
    const responses = this.assistant.responses;
    return Object.hasOwn(responses, step.utter) || this.custom.has(step.askAction) || Object.hasOwn(responses, step.askAction) || (slot !== undefined && slot.initialValue !== null && slot.initialValue !== undefined);
  }
}

/**
 * Membership in one of the assistant's name lists (thousands of names in a large assistant).
 * A plan asks for a few names per flow, once each: the first asks search the list, and a Set
 * is built only once many have been asked, rather than by every process before its first turn.
 */
class NameList {
  static readonly SEARCHES_BEFORE_SET = 64;
  #set: ReadonlySet<string> | undefined;
  #searches = 0;
  constructor(private readonly names: readonly string[]) {}

  has(name: string): boolean {
    if (this.#set === undefined && ++this.#searches <= NameList.SEARCHES_BEFORE_SET) return this.names.includes(name);
    return (this.#set ??= new Set(this.names)).has(name);
  }
}

/** A slot a flow's end resets, the value it goes back to, and whether that is a whole number Rasa holds as a float (see SlotDefinition.initialFloat). */
export interface SlotReset {
  readonly slot: string;
  readonly value: unknown;
  readonly float?: true;
}

/**
 * Collected and set slots go back to their initial value, except persisted ones and those
 * collected with `reset_after_flow_ends: false`: one reset per collect step, then one per
 * set_slots entry, in step order (Rasa's reset_scoped_slots), so a slot two steps collect is
 * reset twice.
 */
function resetPlan(assistant: CompiledAssistant, flow: Flow): SlotReset[] {
  const persisted = new Set(flow.persistedSlots);
  const kept = new Set<string>();
  const reset: string[] = [];
  for (const { slot, resetAfterFlowEnds } of flow.collects) {
    if (resetAfterFlowEnds && !persisted.has(slot)) reset.push(slot);
    else kept.add(slot);
  }
  for (const slot of flow.sets) if (!kept.has(slot) && !persisted.has(slot)) reset.push(slot);
  const plan: SlotReset[] = [];
  for (const slot of reset) {
    const definition = assistant.slots[slot];
    if (definition) plan.push(definition.initialFloat ? { slot, value: definition.initialValue, float: true } : { slot, value: definition.initialValue ?? null });
  }
  return plan;
}
