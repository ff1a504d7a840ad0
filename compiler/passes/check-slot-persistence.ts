/**
 * Stage 4: `persisted_slots` (V18, V19). Each persisted slot must be collected or set by the
 * flow or a flow it calls, and a flow with `persisted_slots` cannot also rely on the older
 * `reset_after_flow_ends: false` anywhere in itself or its called flows.
 *
 * Rejects, for example: `persisted_slots: [account_balance]` when only a custom action sets it (FLW4010).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { didYouMean } from "../util/suggest.ts";
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
      if (used.has(slot.name)) continue;
      diagnostics.report("persistedSlotUnused", { slot: slot.name, flow: flow.id }, {
        range: slot.range,
        flow: flow.id,
        suggestion: unusedPersistedSlotHelp(assistant, flow.id, slot.name, used),
      });
    }
  }
}

/**
 * What to do about a persisted slot the flow never fills. A slot the domain lacks is most
 * likely misspelt; a slot that a flow calling this one fills is reset at that caller's end,
 * so it is persisted there; any other slot (set by a custom action, say) is reset by no
 * flow's end at all, so the entry is simply not needed.
 */
function unusedPersistedSlotHelp(assistant: AssistantIR, flowId: string, slot: string, used: ReadonlySet<string>): string {
  if (!assistant.domain.slots.has(slot)) {
    return didYouMean(slot, used.size > 0 ? used : assistant.domain.slots.keys()) ?? `the domain has no slot \`${slot}\``;
  }
  for (const caller of assistant.flows) {
    if (caller.id === flowId || !caller.steps.some((s) => s.input.kind === "call" && s.input.call === flowId)) continue;
    const filled = assistant.flowSlots.get(caller.id);
    if (filled?.collected.includes(slot) || filled?.set.includes(slot)) {
      return `flow \`${caller.id}\`, which calls this one, fills \`${slot}\` and resets it at its end: list it under that flow's \`persisted_slots\``;
    }
  }
  return `a flow's end resets only the slots its collect and set_slots steps fill, so \`${slot}\` (set by a custom action or another flow) keeps its value anyway: remove it from \`persisted_slots\``;
}
