/**
 * Stage 4: flow names and descriptions must be unique across all flows, default patterns
 * included (V8, V9): the command generator tells flows apart by them. A missing name defaults
 * to the id with `_` and `-` turned into spaces; descriptions compare with ASCII punctuation
 * removed.
 *
 * Rejects, for example: flows `transfer_money` and `transfer-money`, both named "transfer money" (FLW2019).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { FlowIR } from "../model/ir.ts";

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

export function checkFlowUniqueness(flows: readonly FlowIR[], diagnostics: DiagnosticBag): void {
  const names = new Map<string, FlowIR>();
  const descriptions = new Map<string, FlowIR>();
  // User flows are reported, not the default patterns they clash with.
  const ordered = [...flows.filter((f) => f.input.isDefault), ...flows.filter((f) => !f.input.isDefault)];
  for (const flow of ordered) {
    const other = names.get(flow.name);
    if (other) {
      diagnostics.report("duplicateFlowName", { flow: flow.id, name: flow.name, other: other.id }, { range: flow.input.nameRange ?? flow.input.idRange, flow: flow.id });
    } else names.set(flow.name, flow);
    const key = flow.input.description.replace(ASCII_PUNCTUATION, "");
    const same = descriptions.get(key);
    if (same) {
      diagnostics.report("duplicateDescription", { flow: flow.id, other: same.id }, { range: flow.input.descriptionRange, flow: flow.id });
    } else descriptions.set(key, flow);
  }
}
