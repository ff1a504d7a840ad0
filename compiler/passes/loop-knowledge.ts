/**
 * What a second pass through a loop of a flow is known to find, for the silent-loop check
 * (report-silent-loops.ts): the slots that `set_slots` steps on the loop set to constants (as
 * the slots store them), the slots collect steps leave filled, the conditions that a branch
 * taken on the way decided; from that, the branches a second pass certainly does not take
 * ({@link edgesNotRepeated}), and which values a collect step turns down (its type check and
 * rejections, as `action_run_slot_rejections` does), so that setting them makes it ask.
 * Custom actions, and calls of flows that run one, may set any slot.
 */
import type { Expression } from "../conditions/ast.ts";
import { conditionFunction } from "../conditions/condition-function.ts";
import { slotNameOf } from "../conditions/walk.ts";
import { DEFAULT_ACTIONS, type AssistantIR, type FlowIR, type LinkIR, type StepIR } from "../model/ir.ts";
import type { CollectStepInput, SetSlotsStepInput, SlotInput } from "../model/input.ts";
import { pyEquals, truthy } from "../../runtime/conditions/pypred.ts";
import type { SlotDefinition } from "../../runtime/model.ts";
import { checkSlotType, storedValue } from "../../runtime/slots.ts";

/** What the analysis of one flow needs to know of the others and of the domain. */
export interface Knowledge {
  /** Slots a step on a cycle resets: a set_slots step's own, or those of the flow a call runs. */
  readonly resetsOf: (step: StepIR) => Iterable<string>;
  /** Slots a step on a cycle may ask for: a collect step's own, or those the flows a call runs collect. */
  readonly collectsOf: (step: StepIR) => readonly string[];
  /** The value a slot holds once a set_slots step sets it to `value`. */
  readonly stored: (slot: string, value: unknown) => unknown;
  /** What a collect step that finds its slot holding `value` leaves in it: the value, or FILLED. */
  readonly heldAfterCollect: (step: CollectStepInput, value: unknown) => unknown;
  /** Per flow, the slots a call to it may change; undefined when it may change any (a custom action runs in it). */
  readonly changedByCall: ReadonlyMap<string, readonly string[] | undefined>;
  /** Whether every collect step of a slot turns a value down. */
  readonly rejected: Rejects;
  /** The slots some `set_slots` step, in any flow, may reset. */
  readonly resetAnywhere: ReadonlySet<string>;
  /** The slots some collect step resets when its flow ends (`reset_after_flow_ends`, true unless given). */
  readonly resetAtFlowEnd: ReadonlySet<string>;
}

/** What the analysis knows of the assistant's flows and domain, computed once. */
export function loopKnowledge(assistant: AssistantIR): Knowledge {
  const rejected = rejectedValues(assistant);
  const resetByCall = slotsResetByCalls(assistant, rejected);
  return {
    resetsOf: (step) => (step.input.kind === "call" ? (resetByCall.get(step.input.call) ?? []) : slotsResetBy(step, rejected)),
    collectsOf: (step) => (step.input.kind === "collect" ? [step.input.collect] : step.input.kind === "call" ? (assistant.flowSlots.get(step.input.call)?.collected ?? []) : []),
    stored: storedValues(assistant),
    heldAfterCollect: valuesCollectsKeep(assistant),
    changedByCall: slotsCallsMayChange(assistant),
    rejected,
    resetAnywhere: new Set([...resetByCall.values()].flatMap((slots) => [...slots])),
    resetAtFlowEnd: new Set(assistant.flows.flatMap((flow) => flow.steps.flatMap((step) => (step.input.kind === "collect" && step.input.resetAfterFlowEnds ? [step.input.collect] : [])))),
  };
}

/** What is known at a step: slot values (FILLED: some value other than null), and conditions a branch decided. */
export type Facts = ReadonlyMap<string, unknown>;

/**
 * Edges of the component that a second pass certainly does not take: no link of the step to
 * that target can be chosen, because its condition is certainly false or an earlier condition
 * is certainly true (Rasa takes the first `if` that holds, else the `else`). A condition is
 * certainly false or true when the slots it reads are known, or when an earlier condition of
 * the step, false by then, is the same one or its negation (`if: slots.ok` / `if: not slots.ok`
 * leave nothing to the `else`).
 */
export function edgesNotRepeated(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked, knowledge: Knowledge): string[] {
  const pruned: string[] = [];
  for (const id of component) {
    const step = flow.stepsById.get(id)!;
    if (!step.links.some((l) => l.kind === "if")) continue;
    let known: Facts | undefined | null = null; // computed when first needed
    const targetOf = (link: LinkIR): string => (link.target === "START" ? (flow.firstStepId ?? "") : link.target);
    const earlier = new Map<string, boolean>(); // conditions passed over (false), by polarity
    const possible = new Set<string>();
    for (const link of step.links) {
      let value: unknown = true;
      if (link.kind === "if") {
        const polar = link.condition && polarKey(link.condition.ast);
        const seen = polar ? earlier.get(polar.key) : undefined;
        if (polar && seen !== undefined) value = seen !== polar.positive;
        else {
          if (known === null) known = valuesOnReturn(flow, component, blocked, id, knowledge);
          value = link.condition && known && known.size > 0 ? evaluateKnown(link.condition.ast, known) : UNKNOWN;
          if (polar) earlier.set(polar.key, polar.positive);
        }
      }
      if (value !== UNKNOWN && !truthy(value)) continue;
      possible.add(targetOf(link));
      if (value !== UNKNOWN) break; // certainly taken: the links after it never are
    }
    for (const link of step.links) {
      const target = targetOf(link);
      const edge = `${id}->${target}`;
      if (!possible.has(target) && component.has(target) && !blocked.has(edge) && !pruned.includes(edge)) pruned.push(edge);
    }
  }
  return pruned;
}

/**
 * Edges between steps of `within` that a branch takes only while a slot is null and that go on, step by step without a
 * branch and without a step that may set the slot, to a collect step of that slot: the collect
 * finds its slot empty and asks on every pass that takes them, so a loop through such an edge
 * asks (`if: slots.date == null, then: ask_date` after an action that checks the date).
 */
export function edgesThatAsk(flow: FlowIR, within: ReadonlySet<string>, knowledge: Knowledge): string[] {
  const edges: string[] = [];
  for (const step of flow.steps) {
    if (!within.has(step.id)) continue;
    for (const link of step.links) {
      if (link.kind === "static") continue;
      const target = link.target === "START" ? flow.firstStepId : link.target;
      if (target === undefined || !within.has(target)) continue;
      // Most branches reach no collect step before the next branch: that walk is cheap, the facts of a branch are not.
      const path = straightPathFrom(flow, target).steps;
      if (!path.some((s) => s.input.kind === "collect")) continue;
      const branch = factsOfBranch(flow, step, target);
      if (!branch) continue;
      const empty = [...branch].filter(([slot, value]) => !slot.startsWith(CONDITION) && value === null).map(([slot]) => slot);
      if (empty.some((slot) => reachesCollectOfEmpty(path, slot, knowledge))) edges.push(`${step.id}->${target}`);
    }
  }
  return edges;
}

/**
 * With `withOther` false, a categorical slot's values are taken without `__other__`: the edges
 * that only that value takes are then among those returned (for the help of FLW4101).
 *
 * Edges between steps of `within` out of a collect step that its branches never take: a collect
 * step goes on only once its slot holds a value it lets through, and for a bool slot that is
 * true or false, for a categorical one a listed value or `__other__` (Rasa appends it to every
 * categorical slot's values). Where branches test every such value, what is left to the others
 * is never taken (`if: slots.ok == true` / `if: slots.ok == false` / `else: ask_again`): a loop
 * through them never runs. Only where flowc knows what the step lets through (Rasa's
 * `pattern_collect_information`, no `validate_<slot>` action).
 */
export function edgesAfterCollectNeverTaken(assistant: AssistantIR, flow: FlowIR, within: ReadonlySet<string>, knowledge: Knowledge, withOther = true): string[] {
  const edges: string[] = [];
  for (const step of flow.steps) {
    const input = step.input;
    if (input.kind !== "collect" || !within.has(step.id) || !step.links.some((link) => link.kind === "if")) continue;
    const slot = assistant.domain.slots.get(input.collect);
    const values = slot?.type === "bool" ? [true, false] : slot?.type === "categorical" ? [...(slot.values ?? []), ...(withOther ? [OTHER_CATEGORICAL_VALUE] : [])] : undefined;
    if (values === undefined) continue;
    const held = values.map((value) => knowledge.heldAfterCollect(input, value));
    if (held.some((value) => value === FILLED)) continue;
    const taken = new Set<string>();
    for (const value of held) {
      const facts: Facts = new Map([[input.collect, value]]);
      for (const link of step.links) {
        const truth = link.kind === "if" ? (link.condition ? evaluateKnown(link.condition.ast, facts) : link.booleanValue === undefined ? UNKNOWN : link.booleanValue) : true;
        if (truth !== UNKNOWN && !truthy(truth)) continue;
        taken.add(link.target === "START" ? (flow.firstStepId ?? "") : link.target);
        if (truth !== UNKNOWN) break;
      }
    }
    for (const link of step.links) {
      const target = link.target === "START" ? flow.firstStepId : link.target;
      if (target !== undefined && within.has(target) && !taken.has(target)) edges.push(`${step.id}->${target}`);
    }
  }
  return edges;
}

/**
 * The steps from step `id` on while each goes on to one step without a branch (the last one may
 * branch), each step once, and whether they come to the flow's end.
 */
export function straightPathFrom(flow: FlowIR, id: string | undefined): { readonly steps: readonly StepIR[]; readonly ends: boolean } {
  const steps: StepIR[] = [];
  let step = id === undefined ? undefined : flow.stepsById.get(id);
  while (step !== undefined && !steps.includes(step)) {
    steps.push(step);
    if (step.links.length !== 1 || step.links[0]!.kind === "if") break;
    const target = step.links[0]!.target;
    if (target === "END") return { steps, ends: true };
    step = stepAt(flow, target);
  }
  return { steps, ends: false };
}

/** The step a link to `target` goes to (`START`: the first step); undefined for END. */
export function stepAt(flow: FlowIR, target: string): StepIR | undefined {
  const id = target === "START" ? flow.firstStepId : target;
  return id === undefined ? undefined : flow.stepsById.get(id);
}

/** Whether the steps of `path` come to a collect step of `slot` while it is still null. */
function reachesCollectOfEmpty(path: readonly StepIR[], slot: string, knowledge: Knowledge): boolean {
  let facts: Facts = new Map([[slot, null]]);
  for (const step of path) {
    if (step.input.kind === "collect" && step.input.collect === slot) return true;
    facts = factsAfter(step, facts, knowledge);
    if (facts.get(slot) !== null) return false;
  }
  return false;
}

/**
 * A condition that cannot raise, as a key and a polarity: a slot's truth value, or its
 * equality with a literal (conditions.md 6.2, 6.3: `!=` negates `=` except for `empty`, which
 * is no literal here). `not` flips the polarity, so a condition and its negation share a key.
 */
function polarKey(node: Expression): Polar | undefined {
  let polar = polarKeys.get(node);
  if (polar === undefined) polarKeys.set(node, (polar = polarKeyOf(node) ?? null));
  return polar ?? undefined;
}

const polarKeys = new WeakMap<Expression, Polar | null>();

/** The keys of the operands of a condition's `and`s (the condition itself when it has none) that have one: each holds when the condition does. */
function conjunctsOf(node: Expression): Polar[] {
  if (node.kind === "group") return conjunctsOf(node.expression);
  if (node.kind === "and") return [...conjunctsOf(node.left), ...conjunctsOf(node.right)];
  const polar = polarKey(node);
  return polar ? [polar] : [];
}

function polarKeyOf(node: Expression): Polar | undefined {
  switch (node.kind) {
    case "group":
      return polarKey(node.expression);
    case "not": {
      const inner = polarKey(node.operand);
      return inner && { ...inner, positive: !inner.positive };
    }
    case "word": {
      const slot = slotNameOf(node);
      return slot !== undefined ? { key: node.text, positive: true, slots: [slot] } : undefined;
    }
    case "compare": {
      if (node.operator !== "=" && node.operator !== "!=") return undefined;
      const left = operandKey(node.left);
      const right = operandKey(node.right);
      if (left === undefined || right === undefined) return undefined;
      const slots = [node.left, node.right].flatMap((operand) => slotNameOf(operand) ?? []);
      const slot = slotNameOf(node.left) ?? slotNameOf(node.right);
      const literal = literalValue(slotNameOf(node.left) !== undefined ? node.right : node.left);
      const equals = slots.length === 1 && literal !== UNKNOWN ? { slot: slot!, value: literal } : undefined;
      return { key: `${left} = ${right}`, positive: node.operator === "=", slots, equals };
    }
    default:
      return undefined;
  }
}

interface Polar {
  readonly key: string;
  readonly positive: boolean;
  /** The slots the condition reads. */
  readonly slots: readonly string[];
  /** For `slots.x = <literal>`: the slot and the value it has when the comparison holds. */
  readonly equals?: { readonly slot: string; readonly value: unknown } | undefined;
}

/** A literal operand's value, or UNKNOWN. */
function literalValue(node: Expression): unknown {
  if (node.kind === "group") return literalValue(node.expression);
  if (node.kind === "number") return node.value;
  if (node.kind === "string") return node.value.every((part) => typeof part === "string") ? node.value.join("") : UNKNOWN;
  if (node.kind === "constant") return node.value === "undefined" || node.value === "empty" ? UNKNOWN : node.value;
  return UNKNOWN;
}

/** A condition's truth value that a branch taken on the way implies, kept among the facts under `CONDITION + key`. */
interface ConditionFact {
  readonly truth: boolean;
  readonly slots: readonly string[];
}

const CONDITION = "\u0000";

/**
 * What taking the links of `step` to `target` implies: the conditions of the branches before
 * the link were false and its own is true (those a polarKey has; only what every such link
 * implies).
 */
function factsOfBranch(flow: FlowIR, step: StepIR, target: string): ReadonlyMap<string, unknown> | undefined {
  let byTarget = branchFacts.get(step);
  if (!byTarget) branchFacts.set(step, (byTarget = new Map()));
  if (!byTarget.has(target)) byTarget.set(target, factsOfBranchTo(flow, step, target));
  return byTarget.get(target);
}

const branchFacts = new WeakMap<StepIR, Map<string, ReadonlyMap<string, unknown> | undefined>>();

function factsOfBranchTo(flow: FlowIR, step: StepIR, target: string): Map<string, unknown> | undefined {
  let implied: Map<string, unknown> | undefined;
  const earlier = new Map<string, unknown>();
  const add = (facts: Map<string, unknown>, polar: Polar, truth: boolean): void => {
    facts.set(CONDITION + polar.key, { truth, slots: polar.slots } satisfies ConditionFact);
    if (truth && polar.equals) facts.set(polar.equals.slot, polar.equals.value); // `slots.x = "a"` holds: x is "a"
  };
  for (const link of step.links) {
    const polar = link.kind === "if" && link.condition ? polarKey(link.condition.ast) : undefined;
    if ((link.target === "START" ? flow.firstStepId : link.target) === target) {
      const these = new Map(earlier);
      // A condition that holds makes each of its `and` operands hold (`slots.more = "yes" and slots.ram is null`).
      for (const conjunct of link.kind === "if" && link.condition ? conjunctsOf(link.condition.ast) : []) add(these, conjunct, conjunct.positive);
      if (!implied) implied = these;
      else for (const [key, fact] of implied) if (!these.has(key) || !sameValue(these.get(key), fact)) implied.delete(key);
    }
    if (link.kind !== "if") break;
    if (polar) add(earlier, polar, !polar.positive);
  }
  return implied;
}

function operandKey(node: Expression): string | undefined {
  switch (node.kind) {
    case "group":
      return operandKey(node.expression);
    case "word":
      return slotNameOf(node) !== undefined ? node.text : undefined;
    case "number":
      return String(node.value);
    case "string":
      return node.value.every((part) => typeof part === "string") ? JSON.stringify(node.value.join("")) : undefined;
    case "constant":
      return node.value === "undefined" || node.value === "empty" ? undefined : String(node.value);
    default:
      return undefined;
  }
}

/**
 * The slot values that certainly hold when a pass through the component comes back to
 * `entry` and `entry` has run again (its `next` is chosen then), whatever way the pass went (a
 * must-analysis from `entry` over the component's edges): set_slots steps set constants (as
 * the slot stores them); a collect step leaves its slot filled (not null, value unknown: it
 * asks until the slot is filled); custom actions and calls may set anything; a branch taken on
 * the way tells which of the step's conditions held (factsOfBranch) until their slots change.
 * Where ways meet with two values that are not null, the slot is still known to be filled.
 */
function valuesOnReturn(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked, entry: string, knowledge: Knowledge): Facts | undefined {
  // The step runs again before its `next` is chosen: its conditions see what it set.
  const back = valuesBeforeReturn(flow, component, blocked, entry, knowledge);
  return back && factsAfter(flow.stepsById.get(entry)!, back, knowledge);
}

/**
 * Whether a collect step of the component asks on no pass after the first: whatever way a pass
 * goes round, it comes back to the step with its slot holding a value the step lets through
 * (a `set_slots` on every way fills the slot after any reset of it).
 */
export function collectSkippedOnReturn(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked, id: string, knowledge: Knowledge): boolean {
  const input = flow.stepsById.get(id)!.input as CollectStepInput;
  return collectSkipped(input, valuesBeforeReturn(flow, component, blocked, id, knowledge), knowledge);
}

/** Whether a collect step that runs where `facts` hold certainly finds its slot filled with a value it lets through, and so does not ask. */
export function collectSkipped(step: CollectStepInput, facts: Facts | undefined, knowledge: Knowledge): boolean {
  const held = facts?.get(step.collect);
  return !step.askBeforeFilling && held !== undefined && held !== null && held !== FILLED && knowledge.heldAfterCollect(step, held) !== FILLED;
}

/** What certainly holds when a pass through the component comes back to `entry`, before `entry` runs again (see {@link valuesOnReturn}). */
function valuesBeforeReturn(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked, entry: string, knowledge: Knowledge): Facts | undefined {
  const incoming = new Map<string, string[]>();
  for (const id of component) {
    for (const next of successors(flow, flow.stepsById.get(id)!, component, blocked)) incoming.set(next, [...(incoming.get(next) ?? []), id]);
  }
  const facts = new Map<string, Facts>([[entry, new Map()]]);
  // What holds after a step, and along an edge, computed again only when what holds before changed.
  const afterSteps = new Map<string, { readonly before: Facts; readonly after: Facts }>();
  const alongEdges = new Map<string, { readonly after: Facts; readonly along: Facts }>();
  const along = (previous: string, id: string): Facts | undefined => {
    const before = facts.get(previous);
    if (!before) return undefined; // not reached yet
    let step = afterSteps.get(previous);
    if (step?.before !== before) afterSteps.set(previous, (step = { before, after: factsAfter(flow.stepsById.get(previous)!, before, knowledge) }));
    const branch = factsOfBranch(flow, flow.stepsById.get(previous)!, id);
    if (!branch || branch.size === 0) return step.after;
    const key = `${previous}->${id}`;
    let edge = alongEdges.get(key);
    if (edge?.after !== step.after) alongEdges.set(key, (edge = { after: step.after, along: new Map([...step.after, ...branch]) }));
    return edge.along;
  };
  const meetOfPredecessors = (id: string): Map<string, unknown> | undefined => {
    let meet: Map<string, unknown> | undefined;
    for (const previous of incoming.get(id) ?? []) {
      const out = along(previous, id);
      if (!out) continue;
      if (!meet) meet = new Map(out);
      else {
        for (const [slot, value] of meet) {
          if (!out.has(slot)) meet.delete(slot);
          else if (!sameValue(out.get(slot), value)) {
            // Two values that are not null: still known to be filled.
            if (!slot.startsWith(CONDITION) && value !== null && out.get(slot) !== null) meet.set(slot, FILLED);
            else meet.delete(slot);
          }
        }
      }
    }
    return meet;
  };
  const same = (a: Facts, b: Facts): boolean => {
    if (a.size !== b.size) return false;
    for (const [slot, value] of a) if (!b.has(slot) || !sameValue(b.get(slot), value)) return false;
    return true;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of component) {
      if (id === entry) continue;
      const meet = meetOfPredecessors(id);
      if (!meet) continue;
      const current = facts.get(id);
      if (!current || !same(current, meet)) {
        facts.set(id, meet);
        changed = true;
      }
    }
  }
  return meetOfPredecessors(entry);
}

/** What is known after `step` runs, from what was known before. */
export function factsAfter(step: StepIR, before: Facts, knowledge: Knowledge): Facts {
  const input = step.input;
  const changed =
    input.kind === "collect" ? [input.collect] : input.kind === "set_slots" ? input.assignments.map((a) => a.slot) : input.kind === "call" ? knowledge.changedByCall.get(input.call) : [];
  if (changed === undefined || (input.kind === "action" && isCustomAction(input.action))) return new Map();
  if (changed.length === 0) return before;
  const out = new Map(before);
  for (const [key, fact] of before) if (key.startsWith(CONDITION) && (fact as ConditionFact).slots.some((slot) => changed.includes(slot))) out.delete(key);
  if (input.kind === "call") {
    for (const slot of changed) out.delete(slot);
    return out;
  }
  if (input.kind === "collect") {
    const held = out.get(input.collect);
    return out.set(input.collect, held === undefined || held === null || held === FILLED ? FILLED : knowledge.heldAfterCollect(input, held));
  }
  for (const assignment of (input as SetSlotsStepInput).assignments) out.set(assignment.slot, knowledge.stored(assignment.slot, assignment.value));
  return out;
}

export function isCustomAction(name: string): boolean {
  return !name.startsWith("utter_") && !DEFAULT_ACTIONS.includes(name);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || Object.is(a, b)) return true; // Object.is: NaN (a slot set to `.nan`) is NaN, else the analysis never settles
  if (a === FILLED || b === FILLED || typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const UNKNOWN = Symbol("unknown");

/** The value Rasa appends to every categorical slot's values (`Domain._add_categorical_slot_default_value`). */
const OTHER_CATEGORICAL_VALUE = "__other__";
/** A slot known to hold some value other than null (after its collect step). */
const FILLED = Symbol("filled");

/** Evaluates a condition where only some slots are known; UNKNOWN wherever pypred's answer could differ. */
function evaluateKnown(node: Expression, facts: Facts): unknown {
  const value = evaluateOperand(node, facts);
  if (value !== UNKNOWN && value !== FILLED) return value;
  const polar = polarKey(node); // a branch taken on the way may have decided it
  const fact = polar && (facts.get(CONDITION + polar.key) as ConditionFact | undefined);
  return fact ? fact.truth === polar.positive : UNKNOWN;
}

/** As evaluateKnown, but a filled slot's value is FILLED (only a comparison with null decides it). */
function evaluateOperand(node: Expression, facts: Facts): unknown {
  switch (node.kind) {
    case "group":
      return evaluateOperand(node.expression, facts);
    case "constant":
      return node.value === "undefined" || node.value === "empty" ? UNKNOWN : node.value;
    case "number":
      return node.value;
    case "string":
      return node.value.every((part) => typeof part === "string") ? node.value.join("") : UNKNOWN;
    case "word": {
      const slot = slotNameOf(node);
      return slot !== undefined && facts.has(slot) ? facts.get(slot) : UNKNOWN;
    }
    case "not": {
      const value = evaluateKnown(node.operand, facts);
      return value === UNKNOWN ? UNKNOWN : !truthy(value);
    }
    case "and":
    case "or": {
      const left = evaluateKnown(node.left, facts);
      if (left === UNKNOWN) return UNKNOWN;
      if (truthy(left) === (node.kind === "or")) return truthy(left);
      const right = evaluateKnown(node.right, facts);
      return right === UNKNOWN ? UNKNOWN : truthy(right);
    }
    case "compare": {
      const left = evaluateOperand(node.left, facts);
      const right = evaluateOperand(node.right, facts);
      if (left === FILLED || right === FILLED) {
        // pypred: a value that is not None never equals null (`is null` false, `is not null` true).
        const other = left === FILLED ? right : left;
        if (other !== null || (node.operator !== "=" && node.operator !== "!=")) return UNKNOWN;
        return node.operator === "!=";
      }
      if (!isPrimitive(left) || !isPrimitive(right)) return UNKNOWN;
      if (node.operator === "=" || node.operator === "!=") return (node.operator === "=") === pyEquals(left, right);
      if (typeof left === "string" || typeof right === "string" || left === null || right === null) return UNKNOWN;
      const [a, b] = [Number(left), Number(right)];
      return node.operator === "<" ? a < b : node.operator === "<=" ? a <= b : node.operator === ">" ? a > b : a >= b;
    }
    default:
      return UNKNOWN;
  }
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** Whether every collect step of `slot` turns `value` down (see rejectedValues). */
export type Rejects = (slot: string, value: unknown) => boolean;

/**
 * Rasa's `action_run_slot_rejections`, which pattern_collect_information runs first when a
 * collect step finds its slot filled, sets the slot back to null when the value has the wrong
 * type for the slot or one of the step's rejections holds for it or raises
 * (runtime-semantics.md b.5); the step then asks.
 */
function rejectedValues(assistant: AssistantIR): Rejects {
  const pattern = assistant.flowsById.get("pattern_collect_information");
  const runsRejections = pattern?.steps.some((step) => step.input.kind === "action" && step.input.action === "action_run_slot_rejections");
  const collects = new Map<string, CollectStepInput[]>();
  for (const flow of assistant.flows) {
    for (const step of flow.steps) if (step.input.kind === "collect") collects.set(step.input.collect, [...(collects.get(step.input.collect) ?? []), step.input]);
  }
  const known = new Map<string, boolean>();
  return (slot, value) => {
    const definition = assistant.domain.slots.get(slot);
    const steps = collects.get(slot);
    if (value === null || !runsRejections || !definition || !steps) return false;
    const key = `${slot}\u0000${JSON.stringify(value)}`;
    let result = known.get(key);
    if (result === undefined) {
      const runtimeSlot = slotDefinition(definition);
      const check = checkSlotType(runtimeSlot, storedValue(runtimeSlot, value));
      result = !check.valid || steps.every((step) => step.rejections.some((rejection) => rejects(rejection.condition, slot, check.value)));
      known.set(key, result);
    }
    return result;
  };
}

/**
 * Categorical slots snap a value to the configured casing when it is set (conditions.md 1.1),
 * and conditions see the value so stored.
 */
function storedValues(assistant: AssistantIR): (slot: string, value: unknown) => unknown {
  return (slot, value) => {
    const definition = assistant.domain.slots.get(slot);
    return definition && value !== null ? storedValue(slotDefinition(definition), value) : value;
  };
}

/** The runtime's view of a slot, as far as the value checks above need it. */
function slotDefinition(slot: SlotInput): SlotDefinition {
  return { name: slot.name, type: slot.type, initialValue: null, values: slot.values, mappings: [] };
}

/**
 * A collect step that finds its slot filled is skipped when the default pattern_collect_information
 * lets the value through: the slot's type check (which may coerce it) and the step's rejections
 * pass, and no `validate_<slot>` custom action (which may change it) runs. The value is then
 * still known after the step; otherwise only that the slot is filled.
 */
function valuesCollectsKeep(assistant: AssistantIR): Knowledge["heldAfterCollect"] {
  const standard = assistant.flowsById.get("pattern_collect_information")?.input.isDefault === true;
  const known = new Map<CollectStepInput, Map<string, unknown>>();
  return (step, value) => {
    const definition = assistant.domain.slots.get(step.collect);
    if (!standard || !definition || assistant.domain.actions.has(`validate_${step.collect}`)) return FILLED;
    let results = known.get(step);
    if (!results) known.set(step, (results = new Map()));
    const key = JSON.stringify(value);
    if (!results.has(key)) {
      const check = checkSlotType(slotDefinition(definition), value);
      const passes = check.valid && step.rejections.every((rejection) => rejectionHolds(rejection.condition, step.collect, check.value) === false);
      results.set(key, passes ? check.value : FILLED);
    }
    return results.get(key);
  };
}

function rejects(condition: RejectionCondition, slot: string, value: unknown): boolean {
  return rejectionHolds(condition, slot, value) === true;
}

type RejectionCondition = CollectStepInput["rejections"][number]["condition"];

/** Whether a rejection turns `value` down (a condition that raises does), or undefined when flowc cannot tell. */
function rejectionHolds(condition: RejectionCondition, slot: string, value: unknown): boolean | undefined {
  if (!("text" in condition) || condition.ast === undefined) return undefined;
  const fn = conditionFunction(condition.text, "rejection", condition.ast);
  if (!fn.ok) return undefined;
  try {
    return fn.predicate({ [slot]: value }, undefined) === true;
  } catch {
    return true; // Rasa counts a rejection that raises as a violation
  }
}

/** Slots a set_slots step resets: to null, or to a value their collect steps turn down. */
function slotsResetBy(step: StepIR, rejected: Rejects): string[] {
  if (step.input.kind !== "set_slots") return [];
  return step.input.assignments.filter((a) => a.value === null || rejected(a.slot, a.value)).map((a) => a.slot);
}

/**
 * Per flow, the slots it and the flows it calls collect or set (what a call to it may change),
 * or undefined when a custom action runs in one of them (it may set any slot).
 */
function slotsCallsMayChange(assistant: AssistantIR): Map<string, readonly string[] | undefined> {
  const custom = new Set(assistant.flows.filter((flow) => flow.steps.some((step) => step.input.kind === "action" && isCustomAction(step.input.action))).map((flow) => flow.id));
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of assistant.flows) {
      if (custom.has(flow.id) || !flow.steps.some((step) => step.input.kind === "call" && custom.has(step.input.call))) continue;
      custom.add(flow.id);
      changed = true;
    }
  }
  return new Map(
    assistant.flows.map((flow) => {
      const slots = assistant.flowSlots.get(flow.id);
      return [flow.id, custom.has(flow.id) || !slots ? undefined : [...slots.collected, ...slots.set]];
    }),
  );
}

/** Per flow, the slots a `set_slots` step of it, or of a flow it calls, may reset. */
function slotsResetByCalls(assistant: AssistantIR, rejected: Rejects): Map<string, Set<string>> {
  const resets = new Map(assistant.flows.map((flow) => [flow.id, new Set(flow.steps.flatMap((step) => slotsResetBy(step, rejected)))]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of assistant.flows) {
      const own = resets.get(flow.id)!;
      for (const step of flow.steps) {
        if (step.input.kind !== "call") continue;
        for (const slot of resets.get(step.input.call) ?? []) {
          if (own.has(slot)) continue;
          own.add(slot);
          changed = true;
        }
      }
    }
  }
  return resets;
}

/** Edges `from -> to` that the constant analysis proved are not taken on a second pass. */
export type Blocked = ReadonlySet<string>;

export function successors(flow: FlowIR, step: StepIR, within: ReadonlySet<string>, blocked: Blocked): string[] {
  // Called for every edge of every flow: no intermediate arrays, and no edge keys to build
  // while nothing is blocked (nearly always).
  const out: string[] = [];
  for (const link of step.links) {
    const target = link.target === "START" ? (flow.firstStepId ?? "") : link.target;
    if (within.has(target) && (blocked.size === 0 || !blocked.has(`${step.id}->${target}`))) out.push(target);
  }
  return out;
}
