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
      const seen: Expression[] = [];
      let alwaysTrue = false;
      for (const link of step.links) {
        if (link.kind !== "if" || !link.condition) continue;
        const where = { range: link.condition.input.range, flow: flow.id, step: step.id };
        const ast = link.condition.ast;
        if (alwaysTrue) diagnostics.report("shadowedBranch", { reason: "an earlier branch's condition is always true" }, where);
        else if (seen.some((earlier) => sameStructure(earlier, ast))) diagnostics.report("shadowedBranch", { reason: "an earlier branch has the same condition" }, where);
        seen.push(ast);
        if (isConstantTrue(ast)) alwaysTrue = true;
      }
    }
  }
}

/** What two conditions may differ in and still be the same: positions and how an operator is spelled. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(["span", "operatorSpan", "operatorText"]);

/**
 * Whether two conditions are equal as JSON once the ignored keys are left out (the same keys
 * with the same values, in the same order). Comparing them as JSON text cost a
 * `JSON.stringify` with a replacer per branch; this stops at the first difference.
 */
function sameStructure(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aIsObject = a !== null && typeof a === "object";
  const bIsObject = b !== null && typeof b === "object";
  if (!aIsObject || !bIsObject) return !aIsObject && !bIsObject && JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // JSON writes an undefined item as null.
    return a.every((item: unknown, i) => sameStructure(item ?? null, b[i] ?? null));
  }
  const aKeys = jsonKeys(a as Record<string, unknown>);
  const bKeys = jsonKeys(b as Record<string, unknown>);
  return aKeys.length === bKeys.length && aKeys.every((key, i) => key === bKeys[i] && sameStructure((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The keys JSON writes, in its order, without the ignored ones. */
function jsonKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).filter((key) => !IGNORED_KEYS.has(key) && object[key] !== undefined);
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
