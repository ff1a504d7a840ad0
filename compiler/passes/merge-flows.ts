/**
 * Stage 3: merge the flows of all files into one list and add the default patterns. A flow id
 * defined in two files is an error (Rasa's newest behaviour; older releases silently kept the
 * first). A user flow with a pattern's id replaces that pattern. With no user flows at all,
 * no patterns are added and there is nothing to check (Rasa only warns).
 *
 * Rejects, for example: flow `greet` in flows/a.yml and again in flows/b.yml (FLW2011).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { FlowInput, FlowsPartInput } from "../model/input.ts";

export function mergeFlows(userParts: readonly FlowsPartInput[], defaultParts: readonly FlowsPartInput[], diagnostics: DiagnosticBag): FlowInput[] {
  const byId = new Map<string, FlowInput>();
  const merged: FlowInput[] = [];
  for (const part of userParts) {
    for (const flow of part.flows) {
      const existing = byId.get(flow.id);
      if (existing) {
        const where = existing.idRange.file.position(existing.idRange.start);
        diagnostics.report("duplicateFlowAcrossFiles", { flow: flow.id, other: `${existing.idRange.file.path}:${where.line}` }, { range: flow.idRange, flow: flow.id });
        continue;
      }
      byId.set(flow.id, flow);
      merged.push(flow);
    }
  }
  if (merged.length === 0) {
    diagnostics.report("noFlows", {});
    return merged;
  }
  for (const part of defaultParts) {
    for (const flow of part.flows) {
      if (byId.has(flow.id)) continue;
      byId.set(flow.id, flow);
      merged.push(flow);
    }
  }
  return merged;
}
