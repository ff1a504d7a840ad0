/**
 * Stage 4, flowc's own analysis: a user flow whose guard is always false (`if: False`) can
 * only start through a `call` or `link`; when no flow calls or links to it, it is dead.
 *
 * Warns, for example:  helper: {description: …, if: False, steps: […]}  with no `call: helper` anywhere.
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { guardIsStaticallyFalse } from "../conditions/static-guard.ts";
import type { AssistantIR } from "../model/ir.ts";

export function reportUnusedFlows(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const targets = new Set<string>();
  for (const flow of assistant.flows) {
    for (const step of flow.steps) {
      if (step.input.kind === "call") targets.add(step.input.call);
      if (step.input.kind === "link") targets.add(step.input.link);
    }
  }
  for (const flow of assistant.flows) {
    if (flow.isPattern || targets.has(flow.id) || !guardIsStaticallyFalse(flow.input.guard)) continue;
    diagnostics.report("unusedFlow", { flow: flow.id }, { range: flow.input.idRange, flow: flow.id });
  }
}
