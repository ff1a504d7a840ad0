/**
 * Stage 4, flowc's own analysis: a cycle of steps that can repeat forever without asking the
 * user anything is an error with its cycle path. Rasa accepts such flows and stops them at
 * run time after 250 steps in one turn, with an internal error in front of the user.
 *
 * A step on a cycle asks the user when it is `action: action_listen`, a collect step with
 * `ask_before_filling: true`, a collect step whose slot a `set_slots` on the same cycle
 * resets to null (otherwise the slot stays filled and the collect is skipped from the second
 * round on), or a call to a flow that can ask. Custom actions are not assumed to clear slots.
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
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR, FlowIR, StepIR } from "../model/ir.ts";

const MAX_SPLITS = 8;

export function reportSilentLoops(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const canAsk = flowsThatCanAsk(assistant);
  for (const flow of assistant.flows) {
    const candidates = flow.steps.filter((step) => !stepAlwaysAsks(step, canAsk) && flow.stepsById.get(step.id) === step);
    const reported = new Set<string>();
    for (const component of stronglyConnected(flow, new Set(candidates.map((s) => s.id)))) {
      const cycle = findSilentCycle(flow, component, 0);
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
}

/** Flows that contain (or call a flow that contains) a step able to wait for the user. */
function flowsThatCanAsk(assistant: AssistantIR): Set<string> {
  const result = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of assistant.flows) {
      if (result.has(flow.id)) continue;
      const asks = flow.steps.some((step) => step.input.kind === "collect" || isListen(step) || (step.input.kind === "call" && result.has(step.input.call)));
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

function stepAlwaysAsks(step: StepIR, canAsk: ReadonlySet<string>): boolean {
  const input = step.input;
  if (isListen(step)) return true;
  if (input.kind === "collect") return input.askBeforeFilling;
  if (input.kind === "call") return canAsk.has(input.call);
  return false;
}

/** Slots a set_slots step resets to null. */
function nulledSlots(step: StepIR): string[] {
  return step.input.kind === "set_slots" ? step.input.assignments.filter((a) => a.value === null).map((a) => a.slot) : [];
}

/**
 * A cycle inside `component` on which no collect's slot is reset, or undefined. Where a
 * collect and a reset of its slot share the component, try both ways of breaking the tie:
 * without the resets (the collect is skipped) and without the collect.
 */
function findSilentCycle(flow: FlowIR, component: ReadonlySet<string>, depth: number): string[] | undefined {
  const steps = [...component].map((id) => flow.stepsById.get(id)!);
  const resetters = new Map<string, string[]>();
  for (const step of steps) for (const slot of nulledSlots(step)) resetters.set(slot, [...(resetters.get(slot) ?? []), step.id]);
  const conflict = steps.find((step) => step.input.kind === "collect" && resetters.has(step.input.collect));
  if (!conflict || depth >= MAX_SPLITS) {
    if (conflict) return undefined;
    return cycleIn(flow, component);
  }
  const slot = (conflict.input as { collect: string }).collect;
  const collectsOfSlot = steps.filter((s) => s.input.kind === "collect" && s.input.collect === slot).map((s) => s.id);
  for (const removed of [resetters.get(slot)!, collectsOfSlot]) {
    const rest = new Set([...component].filter((id) => !removed.includes(id)));
    for (const sub of stronglyConnected(flow, rest)) {
      const cycle = findSilentCycle(flow, sub, depth + 1);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

function successors(flow: FlowIR, step: StepIR, within: ReadonlySet<string>): string[] {
  return step.links.map((l) => l.target === "START" ? flow.firstStepId ?? "" : l.target).filter((t) => within.has(t));
}

/** Non-trivial strongly connected components (Tarjan), restricted to `within`. */
function stronglyConnected(flow: FlowIR, within: ReadonlySet<string>): Set<string>[] {
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
    for (const next of successors(flow, step, within)) {
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
      const selfLoop = successors(flow, step, within).includes(id);
      if (component.size > 1 || selfLoop) components.push(component);
    }
  };
  for (const id of within) if (!index.has(id)) connect(id);
  return components;
}

/** A shortest cycle through the component's first step in pre-order. */
function cycleIn(flow: FlowIR, component: ReadonlySet<string>): string[] | undefined {
  const start = flow.steps.find((s) => component.has(s.id))?.id;
  if (start === undefined) return undefined;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of successors(flow, flow.stepsById.get(id)!, component)) {
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
