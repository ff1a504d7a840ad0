/**
 * Stage 4: `persisted_slots` (V18, V19). Each persisted slot must be collected or set by the
 * flow or a flow it calls, and a flow with `persisted_slots` cannot also rely on the older
 * `reset_after_flow_ends: false` anywhere in itself or its called flows.
 *
 * Rejects, for example: `persisted_slots: [account_balance]` when only a custom action sets it (FLW4010).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { flowsInCallTree } from "./resolve-flow-slots.ts";

export function checkSlotPersistence(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const byId = assistant.flowsById;
  for (const flow of assistant.flows) {
    const persisted = flow.input.persistedSlots;
    if (persisted.length === 0) continue;
    for (const member of flowsInCallTree(flow, byId)) {
      for (const step of member.steps) {
        if (step.input.kind === "collect" && step.input.resetAfterFlowEnds === false) {
          diagnostics.report("persistedAndReset", { flow: flow.id, step: step.id, owner: member.id }, {
            range: step.input.resetAfterFlowEndsRange ?? step.input.headRange,
            flow: member.id,
            step: step.id,
          });
        }
      }
    }
    const slots = assistant.flowSlots.get(flow.id);
    const used = new Set([...(slots?.collected ?? []), ...(slots?.set ?? [])]);
    for (const slot of persisted) {
      if (!used.has(slot.name)) diagnostics.report("persistedSlotUnused", { slot: slot.name, flow: flow.id }, { range: slot.range, flow: flow.id });
    }
  }
}
