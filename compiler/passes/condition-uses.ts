/**
 * Every parsed condition of the assistant with where it is used: flow guards, branch links,
 * collect rejections, slot-validation rejections and conditional response variations. The
 * condition checks iterate over this list.
 */
import type { ConditionSite, Expression } from "../conditions/ast.ts";
import type { ConditionInput, RejectionInput } from "../model/input.ts";
import type { AssistantIR, FlowIR, StepIR } from "../model/ir.ts";

export interface AnyConditionUse {
  readonly condition: ConditionInput;
  /** Absent for a condition with Jinja statements, whose text is only known at run time. */
  readonly ast: Expression | undefined;
  readonly site: ConditionSite;
  readonly flow?: FlowIR | undefined;
  readonly step?: StepIR | undefined;
  /** For rejections: the one slot the condition can see. */
  readonly collectedSlot?: string | undefined;
  readonly isDefault: boolean;
}

export interface ConditionUse extends AnyConditionUse {
  readonly ast: Expression;
}

/** The conditions whose syntax tree is known (all but those with Jinja statements). */
export function conditionUses(assistant: AssistantIR): ConditionUse[] {
  return allConditionUses(assistant).filter((use): use is ConditionUse => use.ast !== undefined);
}

const computed = new WeakMap<AssistantIR, AnyConditionUse[]>();

/** Every condition of the assistant written as a string, with where it is used (computed once per assistant). */
export function allConditionUses(assistant: AssistantIR): AnyConditionUse[] {
  let uses = computed.get(assistant);
  if (!uses) computed.set(assistant, (uses = collectConditionUses(assistant)));
  return uses;
}

function collectConditionUses(assistant: AssistantIR): AnyConditionUse[] {
  const uses: AnyConditionUse[] = [];
  const add = (condition: ConditionInput | { booleanValue: boolean }, rest: Omit<AnyConditionUse, "condition" | "ast">): void => {
    if ("booleanValue" in condition) return;
    uses.push({ condition, ast: condition.ast, ...rest });
  };
  const addRejections = (rejections: readonly RejectionInput[], rest: Omit<AnyConditionUse, "condition" | "ast" | "site">): void => {
    for (const rejection of rejections) add(rejection.condition, { ...rest, site: "rejection" });
  };
  for (const flow of assistant.flows) {
    const isDefault = flow.input.isDefault;
    if (flow.input.guard?.kind === "condition") add(flow.input.guard.condition, { site: "guard", flow, isDefault });
    for (const step of flow.steps) {
      const input = step.input;
      if (input.kind === "collect") addRejections(input.rejections, { flow, step, collectedSlot: input.collect, isDefault });
      for (const link of step.links) {
        if (link.kind === "if" && link.input) add(link.input, { site: "branch", flow, step, isDefault });
      }
    }
  }
  for (const slot of assistant.domain.slots.values()) {
    if (slot.validation) addRejections(slot.validation.rejections, { collectedSlot: slot.name, isDefault: slot.isDefault });
  }
  for (const response of assistant.domain.responses.values()) {
    for (const variation of response.variations) {
      const condition = variation.condition;
      if (condition && !Array.isArray(condition)) add(condition as ConditionInput, { site: "response", isDefault: response.isDefault });
    }
  }
  return uses;
}
