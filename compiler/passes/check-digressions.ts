/**
 * Stage 4: digression settings of Rasa 3.12 (X1, X2). `block_digressions` and
 * `ask_confirm_digressions` name flows that must exist, and one flow or collect step cannot
 * list the same flow in both (both `true` is allowed).
 *
 * Rejects, for example:  - collect: name  block_digressions: [order_pizza]  with no such flow (FLW2010).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { DigressionSetting } from "../model/input.ts";
import type { FlowIR } from "../model/ir.ts";
import { didYouMean } from "../util/suggest.ts";

export function checkDigressions(flows: readonly FlowIR[], diagnostics: DiagnosticBag): void {
  const ids = new Set(flows.map((f) => f.id));
  for (const flow of flows) {
    checkLevel(flow, flow.input.blockDigressions, flow.input.askConfirmDigressions, ids, diagnostics, undefined);
    for (const step of flow.steps) {
      if (step.input.kind === "collect") checkLevel(flow, step.input.blockDigressions, step.input.askConfirmDigressions, ids, diagnostics, step.id);
    }
  }
}

function checkLevel(flow: FlowIR, block: DigressionSetting | undefined, confirm: DigressionSetting | undefined, ids: ReadonlySet<string>, diagnostics: DiagnosticBag, step: string | undefined): void {
  const listed = (setting: DigressionSetting | undefined) => (setting && !setting.all ? setting.flows : []);
  for (const [key, setting] of [["block_digressions", block], ["ask_confirm_digressions", confirm]] as const) {
    for (const target of listed(setting)) {
      if (!ids.has(target.name)) {
        diagnostics.report("digressionUnknownFlow", { key, target: target.name }, { range: target.range, flow: flow.id, step, suggestion: didYouMean(target.name, ids) });
      }
    }
  }
  const blocked = new Set(listed(block).map((t) => t.name));
  for (const target of listed(confirm)) {
    if (blocked.has(target.name)) diagnostics.report("digressionListsOverlap", { target: target.name }, { range: target.range, flow: flow.id, step });
  }
}
