/**
 * Facts about the compiled flows that the command processor asks for on every turn, computed
 * once per assistant: the collect steps of a flow together with the flows it calls (Rasa's
 * `get_collect_steps`), and which slots only `ask_before_filling` steps collect.
 */
import type { CollectStep, CompiledAssistant, Flow, Step } from "./model.ts";

export interface FlowIndex {
  /** Collect steps of the flow and of the flows it calls, in step order. */
  collectSteps(flowId: string): readonly CollectStep[];
  /** True when every collect step of every flow that collects the slot asks before filling. */
  onlyAskedBeforeFilling(slot: string): boolean;
  /** An action or response the domain knows (custom actions, responses, Rasa's default actions). */
  isKnownAction(name: string): boolean;
  /** One of the assistant's custom actions. */
  isCustomAction(name: string): boolean;
}

const cache = new WeakMap<CompiledAssistant, FlowIndex>();

export function flowIndex(assistant: CompiledAssistant): FlowIndex {
  let index = cache.get(assistant);
  if (!index) {
    index = buildIndex(assistant);
    cache.set(assistant, index);
  }
  return index;
}

function buildIndex(assistant: CompiledAssistant): FlowIndex {
  const flows = assistant.flows as Readonly<Record<string, Flow>>;
  const collects = new Map<string, readonly CollectStep[]>();
  const collectSteps = (flowId: string): readonly CollectStep[] => {
    let steps = collects.get(flowId);
    if (steps) return steps;
    collects.set(flowId, []); // a call cycle ends here
    const found: CollectStep[] = [];
    const flow = flows[flowId];
    if (flow) {
      for (const step of Object.values<Step>(flow.steps)) {
        if (step.kind === "collect") found.push(step);
        else if (step.kind === "call") found.push(...collectSteps(step.flow));
      }
    }
    steps = found;
    collects.set(flowId, steps);
    return steps;
  };
  // Over the steps of every flow, so only when first asked: building it would build every
  // flow's steps, which generated flows leave until they first run (runtime/define-flow.ts).
  let askBefore: Map<string, boolean> | undefined;
  const askedBefore = (): Map<string, boolean> => {
    if (askBefore) return askBefore;
    askBefore = new Map<string, boolean>();
    for (const flow of Object.values<Flow>(flows)) {
      for (const step of Object.values<Step>(flow.steps)) {
        if (step.kind !== "collect") continue;
        askBefore.set(step.slot, (askBefore.get(step.slot) ?? true) && step.askBeforeFilling);
      }
    }
    return askBefore;
  };
  const known = new Set([...assistant.knownActions, ...Object.keys(assistant.responses)]);
  const custom = new Set(assistant.customActions);
  return {
    collectSteps,
    isKnownAction: (name) => known.has(name),
    isCustomAction: (name) => custom.has(name),
    onlyAskedBeforeFilling: (slot) => askedBefore().get(slot) === true,
  };
}
