/**
 * Stage 4, flowc's own analysis: a cycle of steps that can repeat forever without asking the
 * user anything is an error with its cycle path. Rasa accepts such flows and stops them at
 * run time after 250 steps in one turn, with an internal error in front of the user.
 *
 * A step on a cycle asks the user when it is `action: action_listen`, a collect step with
 * `ask_before_filling: true`, a collect step whose slot a `set_slots` on the same cycle
 * resets to null (otherwise the slot stays filled and the collect is skipped from the second
 * round on; a call on the cycle resets what the called flows' `set_slots` may set to null) or
 * sets to a value that the slot's collect steps turn down (their rejections set it back to null,
 * and the step asks), or a call to a flow that can ask. Custom actions are not assumed to clear
 * slots. A step that ends every flow on the stack (`action_restart`, `action_clean_stack`) ends
 * the loop too.
 *
 * Rejects, for example:
 *   - id: ask_amount
 *     collect: amount
 *   - id: check_funds
 *     action: check_transfer_funds
 *     next: [ {if: not slots.has_sufficient_funds, then: reset}, {else: END} ]
 *   - id: reset
 *     set_slots: [ {has_sufficient_funds: null} ]     # amount stays filled
 *     next: ask_amount                                  # FLW4101
 *
 * Links close such loops across flows too: a link ends its flow and starts the target in the
 * same turn, so `greet: [utter_greet, link: greet]` greets forever. Across flows only the
 * certain case is reported: every flow of the cycle goes from its first step to the link
 * without a branch and without a step that may ask (a collect counts as asking there unless
 * its slot is still filled when the link comes back round: persisted, or reset by the flow's
 * end to an initial value the step accepts).
 */
import type { Expression } from "../conditions/ast.ts";
import { conditionFunction } from "../conditions/condition-function.ts";
import { slotNameOf } from "../conditions/walk.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { DEFAULT_ACTIONS, type AssistantIR, type FlowIR, type LinkIR, type StepIR } from "../model/ir.ts";
import type { CollectStepInput, SetSlotsStepInput, SlotInput } from "../model/input.ts";
import type { SlotDefinition } from "../../runtime/model.ts";
import { checkSlotType, storedValue } from "../../runtime/slots.ts";

const MAX_SPLITS = 8;

export function reportSilentLoops(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const canAsk = flowsThatCanAsk(assistant);
  const rejected = rejectedValues(assistant);
  const resetByCall = slotsResetByCalls(assistant, rejected);
  const knowledge: Knowledge = {
    resetsOf: (step) => (step.input.kind === "call" ? (resetByCall.get(step.input.call) ?? []) : slotsResetBy(step, rejected)),
    stored: storedValues(assistant),
    heldAfterCollect: valuesCollectsKeep(assistant),
    changedByCall: slotsCallsMayChange(assistant),
  };
  for (const flow of assistant.flows) {
    const candidates = flow.steps.filter((step) => !stepAlwaysAsks(step, canAsk) && flow.stepsById.get(step.id) === step);
    const reported = new Set<string>();
    const blocked = new Set<string>();
    for (const component of repeatableComponents(flow, new Set(candidates.map((s) => s.id)), blocked, knowledge)) {
      const cycle = findSilentCycle(flow, component, 0, blocked, knowledge);
      if (!cycle) continue;
      const key = [...cycle].sort().join("\u0000");
      if (reported.has(key)) continue;
      reported.add(key);
      const first = flow.stepsById.get(cycle[0]!)!;
      diagnostics.report("silentLoop", { cycle: [...cycle, cycle[0]!].join(" -> ") }, {
        range: first.input.headRange,
        flow: flow.id,
        step: first.id,
        suggestion: "ask inside the loop: reset the collected slot with `set_slots` (value null) or use `ask_before_filling: true`",
      });
    }
  }
  const resetAnywhere = new Set([...resetByCall.values()].flatMap((slots) => [...slots]));
  const asksAgain = (flow: FlowIR, step: CollectStepInput) => collectAsksAgain(assistant, flow, step, resetAnywhere, rejected);
  reportSilentLinkCycles(assistant, canAsk, asksAgain, diagnostics);
}

/** Cycles of flows that each reach a link to the next one without asking (see the opening comment). */
function reportSilentLinkCycles(assistant: AssistantIR, canAsk: ReadonlySet<string>, asksAgain: AsksAgain, diagnostics: DiagnosticBag): void {
  const silentPath = new Map<string, StepIR[]>();
  for (const flow of assistant.flows) {
    const path = silentPathToLink(flow, canAsk, asksAgain);
    if (path) silentPath.set(flow.id, path);
  }
  const targetOf = (flowId: string): string | undefined => {
    const last = silentPath.get(flowId)?.at(-1)?.input;
    return last?.kind === "link" && silentPath.has(last.link) ? last.link : undefined;
  };
  const done = new Set<string>();
  for (const start of silentPath.keys()) {
    const order: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !order.includes(current)) {
      order.push(current);
      current = targetOf(current);
    }
    for (const id of order) done.add(id);
    if (current === undefined || !order.includes(current)) continue;
    const cycle = order.slice(order.indexOf(current));
    const steps = cycle.flatMap((id) => silentPath.get(id)!.map((step) => `${id}.${step.id}`));
    const first = cycle[0]!;
    const link = silentPath.get(first)!.at(-1)!;
    diagnostics.report("silentLoop", { cycle: [...steps, steps[0]!].join(" -> ") }, {
      range: link.input.headRange,
      flow: first,
      step: link.id,
      suggestion: "ask before linking back, for example with a collect step or `action: action_listen`",
    });
  }
}

type AsksAgain = (flow: FlowIR, step: CollectStepInput) => boolean;

/** The steps from the flow's first step to a link step, when no branch and no step that may ask lies between. */
function silentPathToLink(flow: FlowIR, canAsk: ReadonlySet<string>, asksAgain: AsksAgain): StepIR[] | undefined {
  const path: StepIR[] = [];
  let id = flow.firstStepId;
  while (id !== undefined) {
    const step = flow.stepsById.get(id);
    if (!step || path.includes(step)) return undefined;
    const input = step.input;
    if ((input.kind === "collect" && asksAgain(flow, input)) || isListen(step) || endsEveryFlow(step) || (input.kind === "call" && canAsk.has(input.call))) return undefined;
    path.push(step);
    if (input.kind === "link") return path;
    if (step.links.length !== 1 || step.links[0]!.kind === "if") return undefined;
    const target = step.links[0]!.target;
    id = target === "START" ? flow.firstStepId : target === "END" ? undefined : target;
  }
  return undefined;
}

/**
 * Whether a collect step on a path to a link asks again when the link comes back round: it
 * asks before filling, or the flow's end (which a link runs first) resets the slot to null or
 * to an initial value the step turns down (runtime-semantics.md b.6, b.7), or a set_slots step
 * somewhere may reset it. Otherwise the slot is still filled and the step is skipped.
 */
function collectAsksAgain(assistant: AssistantIR, flow: FlowIR, step: CollectStepInput, resetAnywhere: ReadonlySet<string>, rejected: Rejects): boolean {
  const slot = step.collect;
  if (step.askBeforeFilling || resetAnywhere.has(slot)) return true;
  const keptAtEnd =
    flow.input.persistedSlots.some((persisted) => persisted.name === slot) ||
    assistant.flows.every((other) => other.steps.every((s) => s.input.kind !== "collect" || s.input.collect !== slot || !s.input.resetAfterFlowEnds));
  if (keptAtEnd) return false;
  const definition = assistant.domain.slots.get(slot);
  const initial = definition?.hasInitialValue ? definition.initialValue : null;
  return initial === null || initial === undefined || rejected(slot, initial);
}

/**
 * Strongly connected components that can be traversed more than once. A loop such as
 * `check: if slots.retry then again else END` / `again: set_slots retry: false, next: check`
 * ends on its second pass: slots set to constants on the loop are known there, and a branch
 * whose condition is then certainly false is not an edge of the repeating part.
 */
function repeatableComponents(flow: FlowIR, within: ReadonlySet<string>, blocked: Set<string>, knowledge: Knowledge): Set<string>[] {
  const out: Set<string>[] = [];
  for (const component of stronglyConnected(flow, within, blocked)) {
    const pruned = edgesNotRepeated(flow, component, blocked, knowledge);
    if (pruned.length === 0) {
      out.push(component);
      continue;
    }
    for (const edge of pruned) blocked.add(edge);
    out.push(...repeatableComponents(flow, component, blocked, knowledge));
  }
  return out;
}

type Facts = ReadonlyMap<string, unknown>;

/**
 * Edges of the component that a second pass certainly does not take: no link of the step to
 * that target can be chosen, because its condition is certainly false or an earlier condition
 * is certainly true (Rasa takes the first `if` that holds, else the `else`). A condition is
 * certainly false or true when the slots it reads are known, or when an earlier condition of
 * the step, false by then, is the same one or its negation (`if: slots.ok` / `if: not slots.ok`
 * leave nothing to the `else`).
 */
function edgesNotRepeated(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked, knowledge: Knowledge): string[] {
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
      if (polar) add(these, polar, polar.positive);
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
  // The step runs again before its `next` is chosen: its conditions see what it set.
  const back = meetOfPredecessors(entry);
  return back && factsAfter(flow.stepsById.get(entry)!, back, knowledge);
}

/** What is known after `step` runs, from what was known before. */
function factsAfter(step: StepIR, before: Facts, knowledge: Knowledge): Facts {
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

function isCustomAction(name: string): boolean {
  return !name.startsWith("utter_") && !DEFAULT_ACTIONS.includes(name);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === FILLED || b === FILLED || typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const UNKNOWN = Symbol("unknown");
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
      if (node.operator === "=" || node.operator === "!=") return (node.operator === "=") === primitiveEquals(left, right);
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

/** Python's `==` on None, bool, float and str: bools are numbers, nothing else converts. */
function primitiveEquals(a: string | number | boolean | null, b: string | number | boolean | null): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  return Number(a) === Number(b);
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/**
 * Flows that contain (or call a flow that contains) a step able to wait for the user, or one
 * that ends every flow (the caller's loop included).
 */
function flowsThatCanAsk(assistant: AssistantIR): Set<string> {
  const result = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of assistant.flows) {
      if (result.has(flow.id)) continue;
      const asks = flow.steps.some((step) => step.input.kind === "collect" || isListen(step) || endsEveryFlow(step) || (step.input.kind === "call" && result.has(step.input.call)));
      if (asks) {
        result.add(flow.id);
        changed = true;
      }
    }
  }
  return result;
}

function isListen(step: StepIR): boolean {
  return step.input.kind === "action" && step.input.action === "action_listen";
}

/**
 * `action_restart` empties the stack (Rasa's Restarted event resets the tracker) and
 * `action_clean_stack` moves every flow frame to its END: no step after them runs.
 */
function endsEveryFlow(step: StepIR): boolean {
  return step.input.kind === "action" && (step.input.action === "action_restart" || step.input.action === "action_clean_stack");
}

/** Whether a step on a cycle waits for the user (or ends the cycle) on every pass. */
function stepAlwaysAsks(step: StepIR, canAsk: ReadonlySet<string>): boolean {
  const input = step.input;
  if (isListen(step) || endsEveryFlow(step)) return true;
  if (input.kind === "collect") return input.askBeforeFilling;
  if (input.kind === "call") return canAsk.has(input.call);
  return false;
}

/** Whether every collect step of `slot` turns `value` down (see rejectedValues). */
type Rejects = (slot: string, value: unknown) => boolean;

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

/** What the analysis of one flow needs to know of the others and of the domain. */
interface Knowledge {
  /** Slots a step on a cycle resets: a set_slots step's own, or those of the flow a call runs. */
  readonly resetsOf: (step: StepIR) => Iterable<string>;
  /** The value a slot holds once a set_slots step sets it to `value`. */
  readonly stored: (slot: string, value: unknown) => unknown;
  /** What a collect step that finds its slot holding `value` leaves in it: the value, or FILLED. */
  readonly heldAfterCollect: (step: CollectStepInput, value: unknown) => unknown;
  /** Per flow, the slots a call to it may change; undefined when it may change any (a custom action runs in it). */
  readonly changedByCall: ReadonlyMap<string, readonly string[] | undefined>;
}

/**
 * A cycle inside `component` on which no collect's slot is reset, or undefined. Where a
 * collect and a reset of its slot share the component, try both ways of breaking the tie:
 * without the resets (the collect is skipped) and without the collect. A loop that repeats
 * forever without asking ends up in one of the two, and there the constants it sets may
 * again decide a branch (a loop that resets the slot every other round asks).
 */
function findSilentCycle(flow: FlowIR, component: ReadonlySet<string>, depth: number, blocked: Blocked, knowledge: Knowledge): string[] | undefined {
  const steps = [...component].map((id) => flow.stepsById.get(id)!);
  const resetters = new Map<string, string[]>();
  for (const step of steps) for (const slot of knowledge.resetsOf(step)) resetters.set(slot, [...(resetters.get(slot) ?? []), step.id]);
  const conflict = steps.find((step) => step.input.kind === "collect" && resetters.has(step.input.collect));
  if (!conflict || depth >= MAX_SPLITS) {
    if (conflict) return undefined;
    return cycleIn(flow, component, blocked);
  }
  const slot = (conflict.input as { collect: string }).collect;
  const collectsOfSlot = steps.filter((s) => s.input.kind === "collect" && s.input.collect === slot).map((s) => s.id);
  for (const removed of [resetters.get(slot)!, collectsOfSlot]) {
    const rest = new Set([...component].filter((id) => !removed.includes(id)));
    const blockedInRest = new Set(blocked);
    for (const sub of repeatableComponents(flow, rest, blockedInRest, knowledge)) {
      const cycle = findSilentCycle(flow, sub, depth + 1, blockedInRest, knowledge);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

/** Edges `from -> to` that the constant analysis proved are not taken on a second pass. */
type Blocked = ReadonlySet<string>;

function successors(flow: FlowIR, step: StepIR, within: ReadonlySet<string>, blocked: Blocked): string[] {
  // Called for every edge of every flow: no intermediate arrays, and no edge keys to build
  // while nothing is blocked (nearly always).
  const out: string[] = [];
  for (const link of step.links) {
    const target = link.target === "START" ? (flow.firstStepId ?? "") : link.target;
    if (within.has(target) && (blocked.size === 0 || !blocked.has(`${step.id}->${target}`))) out.push(target);
  }
  return out;
}

/** Non-trivial strongly connected components (Tarjan), restricted to `within`. */
function stronglyConnected(flow: FlowIR, within: ReadonlySet<string>, blocked: Blocked): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  let counter = 0;
  const connect = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    const step = flow.stepsById.get(id)!;
    for (const next of successors(flow, step, within, blocked)) {
      if (!index.has(next)) {
        connect(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(id, Math.min(low.get(id)!, index.get(next)!));
    }
    if (low.get(id) === index.get(id)) {
      const component = new Set<string>();
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.add(member);
      } while (member !== id);
      if (component.size > 1 || successors(flow, step, within, blocked).includes(id)) components.push(component);
    }
  };
  for (const id of within) if (!index.has(id)) connect(id);
  return components;
}

/** A shortest cycle through the component's first step in pre-order. */
function cycleIn(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked): string[] | undefined {
  const start = flow.steps.find((s) => component.has(s.id))?.id;
  if (start === undefined) return undefined;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of successors(flow, flow.stepsById.get(id)!, component, blocked)) {
      if (next === start) {
        const path = [id];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, id);
        queue.push(next);
      }
    }
  }
  return undefined;
}
