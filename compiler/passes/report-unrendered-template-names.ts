/**
 * Stage 4, flowc's own analysis: a Jinja hole (or `{% if %}` test) of a condition that reads
 * an attribute of a name its template is not rendered with. Rasa renders a branch condition
 * with `context` only and a rejection with `slots` only (conditions.md §7), so `{{slots.age}}`
 * in a branch and `{{context.collect}}` in a rejection raise Jinja's `UndefinedError`. In a
 * branch Rasa does not catch it: the message fails whenever the branch is reached (flowc takes
 * the branch as not taken). In a rejection it counts as a violation: the slot is refused every
 * time, with the internal-error message. Rasa's validator renders with both names and accepts
 * these conditions, so this is a warning (an error with `--strict`).
 *
 * Warns, for example:  next: [{if: "{{slots.age}} > 18", then: adult}, {else: minor}]
 */
import type { ConditionSite } from "../conditions/ast.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { holeReads, namedReads, parseJinjaOrUndefined, templateRoot } from "../conditions/jinja.ts";
import { conditionSpanRange } from "../conditions/condition-text.ts";
import { allConditionUses } from "./condition-uses.ts";

const CONSEQUENCE: Partial<Record<ConditionSite, string>> = {
  branch: "reading an attribute of it raises an error that Rasa does not catch, so the message fails whenever this branch is reached (flowc takes the branch as not taken)",
  rejection: "reading an attribute of it raises an error, which Rasa counts as a violation: the slot is refused every time, with the internal-error message",
};

export function reportUnrenderedTemplateNames(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  for (const use of allConditionUses(assistant)) {
    if ((use.site !== "branch" && use.site !== "rejection") || use.isDefault) continue;
    const scope = templateRoot(use.site);
    const { condition } = use;
    if (!condition.text.includes("{")) continue;
    // The template as Jinja reads it (jinja.ts): what is a hole there is a hole here. A template
    // flowc cannot parse is already an error (FLW1040/FLW1044).
    const template = parseJinjaOrUndefined(condition.text);
    if (template === undefined) continue;
    const readsOfHoles = template.holes.flatMap((hole) => {
      const { expressions, own } = holeReads(hole);
      return expressions.flatMap(namedReads).filter((read) => !own.has(read.name));
    });
    const reads = [...readsOfHoles, ...[...template.tests, ...template.sets].flatMap((read) => namedReads(read.expr))];
    reads.sort((a, b) => a.span.start - b.span.start);
    for (const { name, written, span } of reads) {
      // (A name a `{% set %}` assigns is the template's own.)
      if (name === scope || template.assigned.has(name)) continue;
      const path = written.join(".");
      diagnostics.report(
        "templateNameNotRendered",
        { path, name, site: use.site, scope, consequence: CONSEQUENCE[use.site]! },
        {
          range: conditionSpanRange(condition, span),
          flow: use.flow?.id,
          step: use.step?.id,
          suggestion: use.site === "branch" && name === "slots" ? `compare the slot itself: \`${path}\`, without \`{{ }}\`` : undefined,
        },
      );
    }
  }
}
