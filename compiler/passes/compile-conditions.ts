/**
 * Stage 4: compile every condition of the assistant to predicate code (compile-condition.ts),
 * once, for the code generator. What Python's `re` refuses makes the condition invalid (as
 * Rasa's validator finds); a regex or template JavaScript cannot run with the same meaning
 * is an error; a regex whose matching time can explode on user text, and a template hole
 * whose value can change the condition's tokens, are warnings.
 *
 * Rejects, for example:  - if: slots.code matches "(a)?(?(1)b|c)"   (conditional group: FLW1044)
 * Warns, for example:    - if: slots.text matches "(a+)+$"     (FLW3107)
 * A copy of Rasa's pattern_collect_information, with `slots.{{context.collect}} is not null`,
 * is not warned of: the hole is a collect step's slot name there, which keeps the word one word.
 */
import type { ConditionSite } from "../conditions/ast.ts";
import { compileCondition } from "../conditions/compile-condition.ts";
import type { CompiledPredicate, ReparseHole } from "../conditions/compile-predicate.ts";
import { isPlainWord } from "../../runtime/conditions/template.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ConditionInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import { conditionSpanRange } from "../conditions/condition-text.ts";
import { allConditionUses } from "./condition-uses.ts";

const SITE_LABEL: Record<ConditionSite, string> = { guard: "flow guard", branch: "branch", rejection: "rejection", response: "response variation" };

/** A condition compiled for its module: `name` is its function there, unique in the module. */
export interface NamedPredicate {
  readonly name: string;
  readonly compiled: CompiledPredicate;
  readonly site: ConditionSite;
}

/**
 * Whether a hole of a branch of pattern_collect_information that reads `context.collect`,
 * inside a word (`slots.{{context.collect}}`, as Rasa's own pattern writes it), stays one plain
 * word for every value it can take there: the slot of a collect step of the assistant (a name
 * F9 keeps to letters, digits, `_` and `-`). Then the splice never changes the condition's
 * tokens and FLW3108 would only warn of what cannot happen.
 */
function splicesCollectedSlotsAsWords(assistant: AssistantIR, hole: ReparseHole): boolean {
  const { read, word } = hole;
  if (word === undefined || read === undefined || read.length !== 2 || read[0] !== "context" || read[1] !== "collect") return false;
  const collected = assistant.flows.flatMap((flow) => flow.steps.flatMap((step) => (step.input.kind === "collect" ? [step.input.collect] : [])));
  return collected.every((slot) => isPlainWord(word.prefix + slot + word.suffix));
}

export function compileConditions(assistant: AssistantIR, diagnostics: DiagnosticBag): Map<ConditionInput, NamedPredicate> {
  const predicates = new Map<ConditionInput, NamedPredicate>();
  const counters = new Map<string, number>();
  for (const use of allConditionUses(assistant)) {
    const { condition, site } = use;
    // A guard that only Rasa's validator could read (rendered): it never holds (parse-conditions.ts).
    if (site === "guard" && use.ast === undefined) continue;
    const at = (span: { start: number; end: number }) => ({
      range: conditionSpanRange(condition, span),
      flow: use.flow?.id,
      step: use.step?.id,
    });
    // Names are numbered per generated module, so that one flow's edit leaves the others alone.
    const module = use.flow ? `flow:${use.flow.id}` : site === "response" ? "responses" : "slots";
    const index = counters.get(module) ?? 0;
    counters.set(module, index + 1);
    const name = `c${index}`;
    const floatSlot = site === "rejection" && use.collectedSlot !== undefined && assistant.domain.slots.get(use.collectedSlot)?.type === "float";
    const result = compileCondition(condition.text, site, { prefix: `${name}_`, typed: true, ast: use.ast, floatSlot: floatSlot ? use.collectedSlot : undefined });
    if (!result.ok) {
      const { error } = result;
      const key = error.kind === "unsupported" ? "conditionNotCompilable" : "conditionInvalid";
      diagnostics.report(key, { site: SITE_LABEL[site], reason: error.message }, at(error.span));
      continue;
    }
    predicates.set(condition, { name, compiled: result.compiled, site });
    if (use.isDefault) continue; // flowc's own patterns are known to be fine
    for (const regex of result.superLinear) diagnostics.report("superLinearRegex", { construct: regex.construct }, at(regex.span));
    for (const hole of result.compiled.reparseHoles) {
      if (use.site === "branch" && use.flow?.id === "pattern_collect_information" && splicesCollectedSlotsAsWords(assistant, hole)) continue;
      diagnostics.report("templateChangesTokens", { hole: `{{${hole.path}}}`, shape: hole.shape }, { ...at(hole.span), suggestion: "compare the value instead, e.g. `context.x = \"value\"`, where you can" });
    }
  }
  return predicates;
}
