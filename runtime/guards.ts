/**
 * Flow guards (runtime-semantics.md §b.9): which flows a command generator may start now.
 * Guards are only a filter on what the generator may start; nothing else evaluates them.
 */
import type { CompiledAssistant, Flow } from "./model.ts";
import { ownValue } from "./records.ts";
import { currentContext, isUserFlowFrame, userFlowsOnStack } from "./stack.ts";
import type { ConversationState } from "./state.ts";

/** User flows whose guard is true now, plus the user flows on the stack. */
export function availableFlows(assistant: CompiledAssistant, state: Pick<ConversationState, "stack" | "slots">): Set<string> {
  const available = startableFlows(assistant, state);
  for (const id of userFlowsOnStack(state.stack)) available.add(id);
  return available;
}

/**
 * The user flows a command may start now (Rasa's `Flow.is_startable`): those whose guard is
 * true, and the flow of the current context (`context.flow_id`, the flow a collect question
 * on top belongs to), whatever its guard. A flow further down the stack whose guard is false
 * is available (the prompt lists it) but not startable.
 */
export function startableFlows(assistant: CompiledAssistant, state: Pick<ConversationState, "stack" | "slots">): Set<string> {
  const context = currentContext(state.stack);
  const startable = new Set<string>();
  for (const flow of Object.values<Flow>(assistant.flows)) {
    if (!flow.isPattern && isStartable(flow, state.slots, context)) startable.add(flow.id);
  }
  return startable;
}

/**
 * Membership in {@link availableFlows}, asked flow by flow: only the guards of the flows a
 * message names are evaluated, not every flow's on every message (a command parse names one
 * or two flows; an assistant may have thousands).
 */
export function flowAvailability(assistant: CompiledAssistant, state: Pick<ConversationState, "stack" | "slots">): { has(flowId: string): boolean } {
  let context: Readonly<Record<string, unknown>> | undefined;
  return {
    has(flowId: string): boolean {
      for (const frame of state.stack) if (isUserFlowFrame(frame) && frame.flow_id === flowId) return true;
      const flow = ownValue(assistant.flows as Readonly<Record<string, Flow>>, flowId);
      return flow !== undefined && !flow.isPattern && guardAllows(flow, state.slots, (context ??= currentContext(state.stack)));
    },
  };
}

/**
 * Membership in {@link startableFlows}, asked flow by flow (the StartFlow commands of a message,
 * after they were checked against the available flows).
 */
export function flowStartability(assistant: CompiledAssistant, state: Pick<ConversationState, "stack" | "slots">): { has(flowId: string): boolean } {
  let context: Readonly<Record<string, unknown>> | undefined;
  return {
    has(flowId: string): boolean {
      const flow = ownValue(assistant.flows as Readonly<Record<string, Flow>>, flowId);
      return flow !== undefined && !flow.isPattern && isStartable(flow, state.slots, (context ??= currentContext(state.stack)));
    },
  };
}

function isStartable(flow: Flow, slots: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>>): boolean {
  return context["flow_id"] === flow.id || guardAllows(flow, slots, context);
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
