/**
 * Flow guards (runtime-semantics.md §b.9): which flows a command generator may start now.
 * Guards are only a filter on what the generator may start; nothing else evaluates them.
 */
import type { CompiledAssistant, Flow } from "./model.ts";
import { currentContext, userFlowsOnStack } from "./stack.ts";
import type { ConversationState } from "./state.ts";

/** User flows whose guard is true now, plus the user flows on the stack. */
export function availableFlows(assistant: CompiledAssistant, state: Pick<ConversationState, "stack" | "slots">): Set<string> {
  const context = currentContext(state.stack);
  const available = new Set<string>();
  for (const flow of Object.values<Flow>(assistant.flows)) {
    if (!flow.isPattern && guardAllows(flow, state.slots, context)) available.add(flow.id);
  }
  for (const id of userFlowsOnStack(state.stack)) available.add(id);
  return available;
}

function guardAllows(flow: Flow, slots: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>>): boolean {
  const guard = flow.guard;
  if (guard === undefined) return true;
  if (guard.kind === "always") return guard.value;
  try {
    return guard.test(slots, context);
  } catch {
    return false; // an evaluation error makes the flow not startable
  }
}
