/**
 * Stage 4, flowc's own analysis: an `if` branch whose condition repeats an earlier branch of
 * the same step can never be taken (the first true condition wins), and neither can branches
 * after one whose condition is always true.
 *
 * Warns, for example:
 *   next:
 *     - if: slots.age < 18
 *       then: too_young
 *     - if: slots.age < 18        # FLW4102
 *       then: minor
 *     - else: adult
 */
import type { Expression } from "../conditions/ast.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";

export function reportShadowedBranches(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  for (const flow of assistant.flows) {
    for (const step of flow.steps) {
      const seen: string[] = [];
      let alwaysTrue = false;
      for (const link of step.links) {
        if (link.kind !== "if" || !link.condition) continue;
        const where = { range: link.condition.input.range, flow: flow.id, step: step.id };
        const shape = structure(link.condition.ast);
        if (alwaysTrue) diagnostics.report("shadowedBranch", { reason: "an earlier branch's condition is always true" }, where);
        else if (seen.includes(shape)) diagnostics.report("shadowedBranch", { reason: "an earlier branch has the same condition" }, where);
        seen.push(shape);
        if (isConstantTrue(link.condition.ast)) alwaysTrue = true;
      }
    }
  }
}

/** The condition's structure without positions, as a comparable string. */
function structure(node: Expression): string {
  return JSON.stringify(node, (key, value: unknown) => (key === "span" || key === "operatorSpan" || key === "operatorText" ? undefined : value));
}

function isConstantTrue(node: Expression): boolean {
  switch (node.kind) {
    case "constant":
      return node.value === true;
    case "group":
      return isConstantTrue(node.expression);
    case "or":
      return isConstantTrue(node.left) || isConstantTrue(node.right);
    case "and":
      return isConstantTrue(node.left) && isConstantTrue(node.right);
    default:
      return false;
  }
}
