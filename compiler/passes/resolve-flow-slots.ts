/**
 * Stage 3: the slots each flow collects and sets, looking through `call` steps into the
 * flows it calls, transitively (flows-format.md §c.7). Persistence checks, slot reset at a
 * flow's end and the command generator's prompt all use this view.
 */
import type { FlowIR, FlowSlots, StepIR } from "../model/ir.ts";

export function resolveFlowSlots(flows: readonly FlowIR[]): Map<string, FlowSlots> {
  const byId = new Map(flows.map((f) => [f.id, f]));
  const result = new Map<string, FlowSlots>();
  for (const flow of flows) {
    const collected = new Set<string>();
    const set = new Set<string>();
    const visited = new Set<string>();
    const visit = (current: FlowIR): void => {
      if (visited.has(current.id)) return;
      visited.add(current.id);
      for (const step of current.steps) {
        const input = step.input;
        if (input.kind === "collect") collected.add(input.collect);
        else if (input.kind === "set_slots") for (const a of input.assignments) set.add(a.slot);
        else if (input.kind === "call") {
          const callee = byId.get(input.call);
          if (callee) visit(callee);
        }
      }
    };
    visit(flow);
    result.set(flow.id, { collected: [...collected], set: [...set] });
  }
  return result;
}

/**
 * The flow's steps with those of the flows it calls, in the order Rasa's
 * `steps_with_calls_resolved` lists them: each step, and right after a `call` step the
 * called flow's steps, so resolved in turn (a flow already being resolved further up, a call
 * cycle, is not entered again). A flow called twice has its steps listed twice.
 */
export function stepsWithCallsResolved(flow: FlowIR, byId: ReadonlyMap<string, FlowIR>): StepIR[] {
  const out: StepIR[] = [];
  const resolving = new Set<string>();
  const visit = (current: FlowIR): void => {
    resolving.add(current.id);
    for (const step of current.steps) {
      out.push(step);
      const callee = step.input.kind === "call" ? byId.get(step.input.call) : undefined;
      if (callee && !resolving.has(callee.id)) visit(callee);
    }
    resolving.delete(current.id);
  };
  visit(flow);
  return out;
}

/** The flows a flow calls, transitively, itself included. */
export function flowsInCallTree(flow: FlowIR, byId: ReadonlyMap<string, FlowIR>): FlowIR[] {
  const out: FlowIR[] = [];
  const seen = new Set<string>();
  const visit = (current: FlowIR): void => {
    if (seen.has(current.id)) return;
    seen.add(current.id);
    out.push(current);
    for (const step of current.steps) {
      if (step.input.kind !== "call") continue;
      const callee = byId.get(step.input.call);
      if (callee) visit(callee);
    }
  };
  visit(flow);
  return out;
}
