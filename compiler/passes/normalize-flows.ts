/**
 * Stage 3: turn each flow's step tree into Rasa's step graph (flows-format.md §c): a
 * depth-first pre-order walk numbers the steps (`<flow>_<idx>_<suffix>` unless the step has
 * its own id), nested `then`/`else` lists are flattened and linked by the id of their first
 * step, and steps without a `next` get the implicit one — the next sibling, `END` at the end
 * of the root list, nothing at the end of a nested list (reported by the structure checks).
 *
 * Rejects, for example:  next: [ {if: slots.x, then: []}, {else: END} ]   (FLW4002)
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { FlowInput, StepInput, TargetInput } from "../model/input.ts";
import { defaultFlowName, END, type ConditionIR, type FlowIR, type LinkIR, type StepIR } from "../model/ir.ts";

export function normalizeFlow(flow: FlowInput, diagnostics: DiagnosticBag): FlowIR {
  const walk = new PreOrderWalk(flow, diagnostics);
  walk.sequence(flow.steps, true);
  const stepsById = new Map<string, StepIR>();
  for (const step of walk.steps) if (!stepsById.has(step.id)) stepsById.set(step.id, step);
  return {
    id: flow.id,
    input: flow,
    // Rasa's Flow.name is `custom_name or create_default_name(id)`: an empty name (or, in a
    // flow the schema skips, any falsy one) falls back to the default name too.
    name: flow.name || defaultFlowName(flow.id),
    isPattern: flow.id.startsWith("pattern_"),
    steps: walk.steps,
    stepsById,
    firstStepId: walk.steps[0]?.id,
  };
}

export function stepIdSuffix(step: StepInput): string {
  switch (step.kind) {
    case "action":
      return step.action;
    case "collect":
      return `collect_${step.collect}`;
    case "link":
      return `link_${step.link}`;
    case "call":
      return `call_${step.call}`;
    case "set_slots":
      return "set_slots";
    case "noop":
      return "noop";
  }
}

class PreOrderWalk {
  readonly steps: StepIR[] = [];

  constructor(
    private readonly flow: FlowInput,
    private readonly diagnostics: DiagnosticBag,
  ) {}

  /** Numbers and links one sequence; returns the ids of its steps. */
  sequence(list: readonly StepInput[], isRoot: boolean): string[] {
    const ids: string[] = [];
    const pending: { index: number; step: StepInput; nested: Map<TargetInput, string | undefined> }[] = [];
    for (const step of list) {
      const index = this.steps.length;
      const id = step.customId ?? `${this.flow.id}_${index}_${stepIdSuffix(step)}`;
      ids.push(id);
      // Reserve the slot so nested steps are numbered after their parent (pre-order).
      this.steps.push(undefined as unknown as StepIR);
      const nested = new Map<TargetInput, string | undefined>();
      for (const target of targetsOf(step)) {
        if (target.kind !== "steps") continue;
        if (target.steps.length === 0) {
          this.diagnostics.report("emptyBranch", { key: target.key }, { range: target.range, flow: this.flow.id, step: id });
          nested.set(target, undefined);
          continue;
        }
        nested.set(target, this.sequence(target.steps, false)[0]);
      }
      pending.push({ index, step, nested });
    }
    pending.forEach(({ index, step, nested }, position) => {
      const id = ids[position]!;
      const following = ids[position + 1];
      const links = this.links(step, nested);
      let missingNext = false;
      if (links.length === 0 && step.kind !== "link") {
        if (following !== undefined) links.push({ kind: "static", target: following, range: step.range, implicit: true });
        else if (isRoot) links.push({ kind: "static", target: END, range: step.range, implicit: true });
        else missingNext = true;
      }
      this.steps[index] = { id, index, input: step, links, missingNext };
    });
    return ids;
  }

  private links(step: StepInput, nested: Map<TargetInput, string | undefined>): LinkIR[] {
    const next = step.next;
    if (!next) return [];
    if (next.kind === "static") return [{ kind: "static", target: next.target, range: next.range, implicit: false }];
    const links: LinkIR[] = [];
    for (const branch of next.branches) {
      const targetInput = branch.kind === "if" ? branch.then : branch.target;
      const target = targetInput.kind === "id" ? targetInput.id : nested.get(targetInput);
      if (target === undefined) continue;
      if (branch.kind === "else") {
        links.push({ kind: "else", target, range: branch.range });
        continue;
      }
      const condition = branch.condition;
      if ("booleanValue" in condition) {
        links.push({ kind: "if", condition: undefined, booleanValue: condition.booleanValue, target, range: branch.range });
      } else {
        const ir: ConditionIR | undefined = condition.ast ? { input: condition, ast: condition.ast } : undefined;
        links.push({ kind: "if", condition: ir, input: condition, target, range: branch.range });
      }
    }
    return links;
  }
}

function targetsOf(step: StepInput): TargetInput[] {
  const next = step.next;
  if (!next || next.kind !== "branches") return [];
  return next.branches.map((b) => (b.kind === "if" ? b.then : b.target));
}
