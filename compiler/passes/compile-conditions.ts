/**
 * Stage 4: compile every condition of the assistant to predicate code (compile-condition.ts),
 * once, for the code generator. What Python's `re` refuses makes the condition invalid (as
 * Rasa's validator finds); a regex or template JavaScript cannot run with the same meaning
 * is an error; a regex whose matching time can explode on user text, and a template hole
 * whose value can change the condition's tokens, are warnings.
 *
 * Rejects, for example:  - if: slots.code matches "(?>a+)b"    (atomic group: FLW1044)
 * Warns, for example:    - if: slots.text matches "(a+)+$"     (FLW3107)
 */
import type { ConditionSite } from "../conditions/ast.ts";
import { compileCondition } from "../conditions/compile-condition.ts";
import type { CompiledPredicate } from "../conditions/compile-predicate.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ConditionInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import { valueSpanRange } from "../source/scalar-offsets.ts";
import { allConditionUses } from "./condition-uses.ts";

const SITE_LABEL: Record<ConditionSite, string> = { guard: "flow guard", branch: "branch", rejection: "rejection", response: "response variation" };

export function compileConditions(assistant: AssistantIR, diagnostics: DiagnosticBag): Map<ConditionInput, CompiledPredicate> {
  const predicates = new Map<ConditionInput, CompiledPredicate>();
  let index = 0;
  for (const use of allConditionUses(assistant)) {
    const { condition, site } = use;
    const at = (span: { start: number; end: number }) => ({
      range: valueSpanRange(condition.range, condition.node, condition.text, span),
      flow: use.flow?.id,
      step: use.step?.id,
    });
    const result = compileCondition(condition.text, site, `p${index++}_`);
    if (!result.ok) {
      const { error } = result;
      const key = error.kind === "unsupported" ? "conditionNotCompilable" : "conditionInvalid";
      diagnostics.report(key, { site: SITE_LABEL[site], reason: error.message }, at(error.span));
      continue;
    }
    predicates.set(condition, result.compiled);
    if (use.isDefault) continue; // flowc's own patterns are known to be fine
    for (const regex of result.superLinear) diagnostics.report("superLinearRegex", { construct: regex.construct }, at(regex.span));
    for (const hole of result.compiled.reparseHoles) {
      diagnostics.report("templateChangesTokens", { hole: `{{${hole.path}}}`, shape: hole.shape }, { ...at(hole.span), suggestion: "compare the value instead, e.g. `context.x = \"value\"`, where you can" });
    }
  }
  return predicates;
}
