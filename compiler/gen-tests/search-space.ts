/**
 * The moves `flowc gen-tests` may make in a conversation, read from the compiled IR: which
 * values to answer each collect step with (slot-values.ts), which slot results to give each
 * custom action's stub, and which fixtures make a guarded flow startable.
 *
 * A custom action's stub sets the slots the domain maps to it (`mappings: [{type: custom,
 * action: ...}]`); failing that, the slots that the branches right after its step test (or
 * after the steps that follow it and only send responses or branch) and that no collect step
 * asks for (the action is what decides them), and those that the branches of a step calling
 * its flow test; an action that decides several slots is also stubbed with
 * combinations of their values; a slot collected before the step that those branches test,
 * the stub may reset (to null). A guarded flow gets a fixture for each combination of its guard's slot values.
 * A slot the flow collects and tests in a branch before it asks for it may be named in the first
 * message, along with `start flow` (the user gave it, and the flow skips the question).
 * A question no reply can answer (FLW4105) is left unanswered.
 */
import type { Expression } from "../conditions/ast.ts";
import { forEachNode, slotNameOf } from "../conditions/walk.ts";
import type { AssistantIR, FlowIR, LinkIR, StepIR } from "../model/ir.ts";
import { conditionValues, slotCandidates, type SlotCandidates } from "./slot-values.ts";
import { goalKey } from "./instrument.ts";
import { findUnanswerableQuestions } from "../passes/report-unanswerable-questions.ts";

/** One way a stubbed custom action ends: the slots it sets (possibly none). */
export type StubResult = Readonly<Record<string, unknown>>;

export interface SearchSpace {
  readonly candidates: SlotCandidates;
  /** Per custom action, the results worth trying besides setting nothing. */
  readonly stubResults: ReadonlyMap<string, readonly StubResult[]>;
  /** Per guarded user flow, slot values to start conversations from. */
  readonly fixtures: ReadonlyMap<string, readonly StubResult[]>;
  /**
   * Per user flow, the slots the first message may name along with `start flow`: those the flow
   * collects (without `ask_before_filling`) and tests in a branch before it asks for them.
   */
  readonly prefills: ReadonlyMap<string, readonly string[]>;
  /**
   * Per branch and rejection goal (keys of instrument.ts), the slots its step's conditions
   * test: while the goal is open, states that differ in these slots are told apart.
   */
  readonly goalSlots: ReadonlyMap<string, readonly string[]>;
  /**
   * The collect steps whose questions no reply can answer (FLW4105), as step goal keys: no
   * button offers a payload for their slots, so the search does not answer them with one.
   */
  readonly unanswerable: ReadonlySet<string>;
}

/** At most this many fixtures per flow guard. */
const MAX_FIXTURES = 16;

/** At most this many stub results per custom action that set several slots at once. */
const MAX_COMBINED = 16;

export function searchSpace(assistant: AssistantIR): SearchSpace {
  const candidates = slotCandidates(assistant);
  const userFlows = assistant.flows.filter((flow) => !flow.input.isDefault && !flow.isPattern);
  const collected = new Set<string>();
  for (const flow of userFlows) for (const step of flow.steps) if (step.input.kind === "collect") collected.add(step.input.collect);

  const slotsOfAction = new Map<string, Set<string>>();
  const note = (action: string, slot: string) => {
    if (assistant.domain.slots.has(slot)) addTo(slotsOfAction, action, slot);
  };
  const resetsOfAction = new Map<string, Set<string>>();
  const mapped = new Map<string, string[]>();
  for (const slot of assistant.domain.slots.values()) {
    for (const mapping of slot.mappings) {
      if (mapping["type"] === "custom" && typeof mapping["action"] === "string") mapped.set(mapping["action"], [...(mapped.get(mapping["action"]) ?? []), slot.name]);
    }
  }
  for (const flow of userFlows) {
    const collectedBefore = new Set<string>();
    for (const step of flow.steps) {
      if (step.input.kind === "collect") collectedBefore.add(step.input.collect);
      if (step.input.kind !== "action") continue;
      const action = step.input.action;
      const own = mapped.get(action);
      if (own) for (const slot of own) note(action, slot);
      else {
        for (const slot of slotsTestedAfter(assistant, flow, step)) if (!collected.has(slot)) note(action, slot);
        // A slot collected before the action whose value the branches after it test for at
        // all (`if: slots.x is null`, `if: slots.x`) is one the action may reset: a check that
        // clears an answer it refuses, so that the flow asks again.
        for (const slot of slotsTestedAfter(assistant, flow, step, slotsTestedForValue)) {
          if (collectedBefore.has(slot)) addTo(resetsOfAction, action, slot);
        }
      }
    }
    // The branches of a call step test what the called flow's actions decided.
    for (const step of flow.steps) {
      if (step.input.kind !== "call") continue;
      const tested = slotsTestedAfter(assistant, flow, step).filter((slot) => !collected.has(slot) && !assistant.domain.slots.get(slot)?.mappings.some((m) => m["type"] === "custom"));
      if (tested.length === 0) continue;
      for (const action of actionsOfCalledFlow(assistant, step.input.call)) for (const slot of tested) note(action, slot);
    }
  }
  const stubResults = new Map<string, StubResult[]>();
  for (const action of [...new Set([...slotsOfAction.keys(), ...resetsOfAction.keys()])].sort()) {
    const slots = slotsOfAction.get(action) ?? new Set<string>();
    const results: StubResult[] = [];
    for (const slot of slots) for (const value of candidates.get(slot) ?? []) results.push({ [slot]: value });
    // A branch may need several of the slots at once (`if: not slots.error and slots.ready`, or
    // an `if` after others that must not hold): then also every slot set, in each combination.
    if (slots.size > 1) results.push(...combinations([...slots], candidates).slice(0, MAX_COMBINED));
    for (const slot of resetsOfAction.get(action) ?? []) results.push({ [slot]: null });
    stubResults.set(action, results);
  }

  const fixtures = new Map<string, StubResult[]>();
  for (const flow of userFlows) {
    const guard = flow.input.guard;
    if (guard?.kind !== "condition" || !guard.condition.ast) continue;
    const values = [...conditionValues(guard.condition.ast)].filter(([slot]) => assistant.domain.slots.has(slot));
    let combinations: Record<string, unknown>[] = [{}];
    for (const [slot] of values) {
      const options = candidates.get(slot) ?? [];
      combinations = combinations.flatMap((combination) => options.map((value) => ({ ...combination, [slot]: value }))).slice(0, MAX_FIXTURES);
    }
    if (values.length > 0) fixtures.set(flow.id, combinations);
  }
  const goalSlots = new Map<string, string[]>();
  for (const flow of userFlows) {
    for (const step of flow.steps) {
      const ifs = step.links.filter((link) => link.kind === "if");
      if (ifs.length > 0) {
        const slots = [...new Set(ifs.flatMap((link) => (link.kind === "if" && link.condition ? slotsIn(link.condition.ast) : [])))];
        for (let i = 0; i <= ifs.length; i++) goalSlots.set(goalKey("branch", flow.id, step.id, i), slots);
      }
      if (step.input.kind === "collect") step.input.rejections.forEach((_, i) => goalSlots.set(goalKey("rejection", flow.id, step.id, i), [(step.input as { collect: string }).collect]));
    }
  }
  const unanswerable = new Set(findUnanswerableQuestions(assistant).map((found) => goalKey("step", found.flow.id, found.step.id)));
  const prefills = new Map<string, string[]>();
  for (const flow of userFlows) {
    const slots = slotsTestedBeforeAsked(flow);
    if (slots.length > 0) prefills.set(flow.id, slots);
  }
  return { candidates, stubResults, fixtures, prefills, goalSlots, unanswerable };
}

/**
 * The slots a flow collects (without `ask_before_filling`) that a branch tests on some path from
 * its first step before the slot's collect step: "if the customer named the book, skip the
 * question". A custom action may fill such a slot first, but the user does so by naming it in
 * the message that starts the flow (Rasa keeps a value for a slot the flow started in the same
 * message collects, runtime-semantics.md §a.6), and the flow takes the branch.
 */
function slotsTestedBeforeAsked(flow: FlowIR): string[] {
  const out: string[] = [];
  const collected = [...new Set(flow.steps.flatMap((step) => (step.input.kind === "collect" && step.input.askBeforeFilling !== true ? [step.input.collect] : [])))];
  for (const slot of collected) {
    if (flow.steps.some((step) => step.input.kind === "collect" && step.input.collect === slot && step.input.askBeforeFilling === true)) continue;
    const seen = new Set<string>();
    const queue = flow.firstStepId === undefined ? [] : [flow.firstStepId];
    let tested = false;
    while (queue.length > 0 && !tested) {
      const step = flow.stepsById.get(queue.shift()!);
      if (!step || seen.has(step.id) || (step.input.kind === "collect" && step.input.collect === slot)) continue;
      seen.add(step.id);
      for (const link of step.links) {
        if (link.kind === "if" && link.condition && slotsIn(link.condition.ast).includes(slot)) tested = true;
        queue.push(link.target);
      }
    }
    if (tested) out.push(slot);
  }
  return out;
}

/** Adds `value` to the set `map` keeps under `key`. */
function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}

/** Every combination of the slots' candidate values, the first slot's values varying slowest. */
function combinations(slots: readonly string[], candidates: SlotCandidates): StubResult[] {
  let out: Record<string, unknown>[] = [{}];
  for (const slot of slots) out = out.flatMap((combination) => (candidates.get(slot) ?? []).map((value) => ({ ...combination, [slot]: value })));
  return out;
}

/**
 * Slots tested by the branches of the step's `next`, and by those of the steps it leads to
 * without asking or deciding anything: noop and set_slots steps, and actions that send a
 * response (an action, then `utter_escalating`, then a noop step that branches on what the
 * action decided).
 */
function slotsTestedAfter(assistant: AssistantIR, flow: FlowIR, step: StepIR, slotsOf: (ast: Expression) => string[] = slotsIn): string[] {
  const slots: string[] = [];
  const seen = new Set<string>();
  let current: StepIR | undefined = step;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    for (const link of current.links) if (link.kind === "if" && link.condition) slots.push(...slotsOf(link.condition.ast));
    const onlyLink: LinkIR | undefined = current.links.length === 1 ? current.links[0] : undefined;
    const following: StepIR | undefined = onlyLink?.kind === "static" ? flow.stepsById.get(onlyLink.target) : undefined;
    current = following && passesThrough(assistant, following) ? following : undefined;
  }
  return slots;
}

/** A step that neither asks nor runs a custom action: a noop, a set_slots or a response's step. */
function passesThrough(assistant: AssistantIR, step: StepIR): boolean {
  const input = step.input;
  return input.kind === "noop" || input.kind === "set_slots" || (input.kind === "action" && assistant.domain.responses.has(input.action));
}

/** The actions of the steps of a called flow and of the flows it calls in turn. */
function actionsOfCalledFlow(assistant: AssistantIR, flowId: string, seen: Set<string> = new Set()): string[] {
  const flow = assistant.flowsById.get(flowId);
  if (!flow || seen.has(flowId)) return [];
  seen.add(flowId);
  return flow.steps.flatMap((step) =>
    step.input.kind === "action" ? [step.input.action] : step.input.kind === "call" ? actionsOfCalledFlow(assistant, step.input.call, seen) : [],
  );
}

function slotsIn(ast: Expression): string[] {
  const slots: string[] = [];
  forEachNode(ast, (node) => {
    const slot = node.kind === "word" ? slotNameOf(node) : undefined;
    if (slot !== undefined && !slots.includes(slot)) slots.push(slot);
  });
  return slots;
}

/** Slots a condition tests for having a value at all: as a truth value, or against null. */
function slotsTestedForValue(ast: Expression): string[] {
  const slots: string[] = [];
  const isNull = (node: Expression) => node.kind === "constant" && node.value === null;
  forEachNode(ast, (node, parent) => {
    let slot: string | undefined;
    if (node.kind === "word" && (parent === undefined || parent.kind === "not" || parent.kind === "and" || parent.kind === "or" || parent.kind === "group")) slot = slotNameOf(node);
    else if (node.kind === "compare" && (node.operator === "=" || node.operator === "!=")) slot = isNull(node.right) ? slotNameOf(node.left) : isNull(node.left) ? slotNameOf(node.right) : undefined;
    if (slot !== undefined && !slots.includes(slot)) slots.push(slot);
  });
  return slots;
}
