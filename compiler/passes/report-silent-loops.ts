/**
 * Stage 4, flowc's own analysis: a cycle of steps that can repeat forever without asking the
 * user anything is an error with its cycle path. Rasa accepts such flows and stops them at
 * run time after 250 steps in one turn, with an internal error in front of the user.
 *
 * A step on a cycle asks the user when it is `action: action_listen`, a collect step with
 * `ask_before_filling: true`, a collect step whose slot a `set_slots` on the same cycle
 * resets to null (otherwise the slot stays filled and the collect is skipped from the second
 * round on; a call on the cycle resets what the called flows' `set_slots` may set to null) or
 * sets to a value that the slot's collect steps turn down (their rejections set it back to null,
 * and the step asks), unless a later `set_slots` fills the slot again before the collect on
 * every way round; or a call to a flow that can ask. Only where the called flow certainly skips
 * its questions from the second round on does a call not count: it asks only with collect steps
 * without `ask_before_filling`, all of them on its way from its first step to its first branch
 * (or its end), and calls no flow that can ask. Such a call is then a collect step of their
 * slots, since a called flow's end does not reset them (runtime-semantics.md b.7 step 4).
 * Custom actions are not assumed to clear slots, but a branch taken only while a slot is null
 * that goes on to a collect step of that slot asks there (`if: slots.x == null, then: ask_x`
 * after an action that checks x; the null test may be one operand of an `and`): a loop through
 * it is not reported, nor is one through a branch of a collect step that no value the step lets
 * through takes (a bool slot's `else` after branches for true and false). A step that ends every
 * flow on the stack (`action_restart`, `action_session_start`, `action_clean_stack`) ends the loop too, and so does an action whose name, rendered from the
 * frame's context, may be one of these steps.
 *
 * Rejects, for example:
 *   - id: ask_amount
 *     collect: amount
 *   - id: check_funds
 *     action: check_transfer_funds
 *     next: [ {if: not slots.has_sufficient_funds, then: reset}, {else: END} ]
 *   - id: reset
 *     set_slots: [ {has_sufficient_funds: null} ]     # amount stays filled
 *     next: ask_amount                                  # FLW4101
 *
 * Links close such loops across flows too: a link ends its flow and starts the target in the
 * same turn, so `greet: [utter_greet, link: greet]` greets forever. Across flows only the
 * certain case is reported: every flow of the cycle goes from its first step to the link
 * without a branch and without a step that may ask (a collect counts as asking there unless
 * its slot is still filled when the link comes back round: persisted, reset by the flow's end
 * to an initial value the step accepts, or filled by a `set_slots` before it on the path).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR, FlowIR, StepIR } from "../model/ir.ts";
import type { CollectStepInput } from "../model/input.ts";
import { rendersWithoutTemplate, TEMPLATE_HOLE } from "../../runtime/action-names.ts";
import { isCustomAction, collectSkipped, edgesAfterCollectNeverTaken, collectSkippedOnReturn, edgesNotRepeated, edgesThatAsk, factsAfter, loopKnowledge, stepAt, straightPathFrom, successors, type Blocked, type Facts, type Knowledge } from "./loop-knowledge.ts";

const MAX_SPLITS = 8;

export function reportSilentLoops(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const canAsk = whatCanAsk(assistant);
  const knowledge = loopKnowledge(assistant);
  for (const flow of assistant.flows) {
    const candidates = flow.steps.filter((step) => !stepAlwaysAsks(step, canAsk) && flow.stepsById.get(step.id) === step);
    const cyclic = new Set(stronglyConnected(flow, new Set(candidates.map((s) => s.id)), new Set()).flatMap((component) => [...component]));
    if (cyclic.size === 0) continue;
    const reported = new Set<string>();
    // A loop through an edge taken only while a collect's slot is null asks there on every pass.
    // Nor does one through a branch of a collect step that no value the step lets through takes.
    const blocked = new Set<string>([...edgesThatAsk(flow, cyclic, knowledge), ...edgesAfterCollectNeverTaken(assistant, flow, cyclic, knowledge)]);
    for (const component of repeatableComponents(flow, cyclic, blocked, knowledge)) {
      const cycle = findSilentCycle(flow, component, 0, blocked, knowledge);
      if (!cycle) continue;
      const key = [...cycle].sort().join("\u0000");
      if (reported.has(key)) continue;
      reported.add(key);
      const first = flow.stepsById.get(cycle[0]!)!;
      const otherNote = otherValueNote(assistant, flow, cycle, knowledge);
      diagnostics.report("silentLoop", { cycle: [...cycle, cycle[0]!].join(" -> ") }, {
        range: first.input.headRange,
        flow: flow.id,
        step: first.id,
        suggestion: cycle.some((id) => knowledge.collectsOf(flow.stepsById.get(id)!).length > 0)
          ? `ask inside the loop: reset the collected slot with \`set_slots\` (value null) or use \`ask_before_filling: true\`${customActionsNote(flow, cycle, knowledge)}`
          : `ask inside the loop, for example with a collect step with \`ask_before_filling: true\` or \`action: action_listen\`${customActionsEndNote(flow, cycle)}`,
        ...(otherNote !== undefined ? { notes: [otherNote] } : {}),
      });
    }
  }
  const asksAgain: AsksAgain = (flow, step, facts) => !collectSkipped(step, facts, knowledge) && collectAsksAgain(assistant, flow, step, knowledge);
  const after = (step: StepIR, facts: Facts) => factsAfter(step, facts, knowledge);
  reportSilentLinkCycles(assistant, canAsk, asksAgain, after, diagnostics);
  reportSelfCollectingPattern(assistant, canAsk, diagnostics);
}

/**
 * A `pattern_collect_information` of the assistant's own that goes from its first step to a
 * collect step without a branch and without a step that may ask: that collect step starts the
 * pattern again on top of itself, which comes back to the collect step, and so on. Rasa
 * accepts it and runs it until its limit of actions in one turn, leaving a stack one frame
 * deeper for each round.
 */
function reportSelfCollectingPattern(assistant: AssistantIR, canAsk: Asking, diagnostics: DiagnosticBag): void {
  const pattern = assistant.flowsById.get("pattern_collect_information");
  if (!pattern || pattern.input.isDefault) return;
  const { steps } = straightPathFrom(pattern, pattern.firstStepId);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (mayAsk(step, canAsk.steps)) return;
    if (step.input.kind === "collect") {
      const ids = steps.slice(0, i + 1).map((s) => s.id);
      diagnostics.report("silentLoop", { cycle: [...ids, ids[0]!].join(" -> ") }, {
        range: step.input.headRange,
        flow: pattern.id,
        step: step.id,
        suggestion: "ask before the collect step (`action: action_listen`), or leave collecting to the flows",
      });
      return;
    }
  }
}

/** Whether a step may ask the user or leave the flow: one of the steps that stop a loop, a call or a link. */
function mayAsk(step: StepIR, stoppers: ReadonlySet<StepIR>): boolean {
  return stoppers.has(step) || step.input.kind === "call" || step.input.kind === "link";
}

/**
 * Cycles of flows that each reach a link to the next one without asking (see the opening
 * comment), and the loops through an override of `pattern_completed` that links to them.
 */
function reportSilentLinkCycles(assistant: AssistantIR, canAsk: Asking, asksAgain: AsksAgain, after: FactsAfter, diagnostics: DiagnosticBag): void {
  const silentPath = new Map<string, StepIR[]>();
  for (const flow of assistant.flows) {
    const path = silentPathToEnd(flow, canAsk, asksAgain, after);
    if (path) silentPath.set(flow.id, path);
  }
  const targetOf = (flowId: string): string | undefined => {
    const last = silentPath.get(flowId)?.at(-1)?.input;
    return last?.kind === "link" && silentPath.has(last.link) ? last.link : undefined;
  };
  reportSilentCompletionLoop(assistant, silentPath, targetOf, diagnostics);
  const done = new Set<string>();
  for (const start of silentPath.keys()) {
    const order: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !order.includes(current)) {
      order.push(current);
      current = targetOf(current);
    }
    for (const id of order) done.add(id);
    if (current === undefined || !order.includes(current)) continue;
    const cycle = order.slice(order.indexOf(current));
    const steps = cycle.flatMap((id) => silentPath.get(id)!.map((step) => `${id}.${step.id}`));
    const first = cycle[0]!;
    const link = silentPath.get(first)!.at(-1)!;
    diagnostics.report("silentLoop", { cycle: [...steps, steps[0]!].join(" -> ") }, {
      range: link.input.headRange,
      flow: first,
      step: link.id,
      suggestion: "ask before linking back, for example with a collect step or `action: action_listen`",
    });
  }
}

/** Whether a collect step on a silent path asks when its flow runs again, where `facts` hold (what the path's steps before it set). */
type AsksAgain = (flow: FlowIR, step: CollectStepInput, facts: Facts) => boolean;
type FactsAfter = (step: StepIR, facts: Facts) => Facts;

/**
 * A `pattern_completed` of the assistant's own that links, without asking, to a user flow that
 * runs to its end without asking (through further links, perhaps): that flow's end leaves the
 * stack empty, so `pattern_completed` runs again, and links again. Rasa accepts such an
 * assistant (its validator does not look for loops, and a link from a pattern to a flow guarded
 * by `if: False` is the intended use, flows-format.md d.2) and stops the loop at run time with
 * its circuit breaker; flowc warns.
 */
function reportSilentCompletionLoop(assistant: AssistantIR, silentPath: ReadonlyMap<string, StepIR[]>, targetOf: (flowId: string) => string | undefined, diagnostics: DiagnosticBag): void {
  const completed = assistant.flowsById.get("pattern_completed");
  const path = completed && !completed.input.isDefault ? silentPath.get(completed.id) : undefined;
  const link = path?.at(-1);
  if (!path || link?.input.kind !== "link") return;
  const flows: string[] = [];
  for (let current = targetOf(completed!.id); current !== undefined && !flows.includes(current); current = targetOf(current)) {
    const flow = assistant.flowsById.get(current)!;
    if (flow.isPattern) return;
    flows.push(current);
    if (silentPath.get(current)!.at(-1)!.input.kind === "link") continue;
    // The last flow ends without a link: with the stack empty, pattern_completed runs if the flow lets it.
    if (!flow.input.runPatternCompleted) return;
    const steps = [completed!.id, ...flows].flatMap((id) => silentPath.get(id)!.map((step) => `${id}.${step.id}`));
    diagnostics.report("silentCompletionLoop", { cycle: [...steps, steps[0]!].join(" -> ") }, {
      range: link.input.headRange,
      flow: completed!.id,
      step: link.id,
      suggestion: `ask something in \`${current}\`, or give it \`run_pattern_completed: false\``,
    });
    return;
  }
}

/**
 * The steps from the flow's first step to a link step or to the flow's end, when no branch and
 * no step that may ask lies between.
 */
function silentPathToEnd(flow: FlowIR, canAsk: Asking, asksAgain: AsksAgain, after: FactsAfter): StepIR[] | undefined {
  const path: StepIR[] = [];
  let facts: Facts = new Map();
  let id = flow.firstStepId;
  while (id !== undefined) {
    const step = flow.stepsById.get(id);
    if (!step || path.includes(step)) return undefined;
    const input = step.input;
    if ((input.kind === "collect" && asksAgain(flow, input, facts)) || canAsk.steps.has(step) || (input.kind === "call" && canAsk.flows.has(input.call))) return undefined;
    facts = after(step, facts);
    path.push(step);
    if (input.kind === "link") return path;
    if (step.links.length !== 1 || step.links[0]!.kind === "if") return undefined;
    const target = step.links[0]!.target;
    if (target === "END") return path;
    id = target === "START" ? flow.firstStepId : target;
  }
  return undefined;
}

/**
 * Whether a collect step on a silent path asks again when its flow runs again (a link or
 * pattern_completed brings it back round): it asks before filling, or the flow's end (which
 * comes first) resets the slot to null or to an initial value the step turns down
 * (runtime-semantics.md b.6, b.7), or a set_slots step somewhere may reset it. Otherwise the
 * slot is still filled and the step is skipped.
 */
function collectAsksAgain(assistant: AssistantIR, flow: FlowIR, step: CollectStepInput, knowledge: Knowledge): boolean {
  const slot = step.collect;
  if (step.askBeforeFilling || knowledge.resetAnywhere.has(slot)) return true;
  const keptAtEnd = flow.input.persistedSlots.some((persisted) => persisted.name === slot) || !knowledge.resetAtFlowEnd.has(slot);
  if (keptAtEnd) return false;
  const definition = assistant.domain.slots.get(slot);
  const initial = definition?.hasInitialValue ? definition.initialValue : null;
  return initial === null || initial === undefined || knowledge.rejected(slot, initial);
}

/**
 * Strongly connected components that can be traversed more than once. A loop such as
 * `check: if slots.retry then again else END` / `again: set_slots retry: false, next: check`
 * ends on its second pass: slots set to constants on the loop are known there, and a branch
 * whose condition is then certainly false is not an edge of the repeating part.
 */
function repeatableComponents(flow: FlowIR, within: ReadonlySet<string>, blocked: Set<string>, knowledge: Knowledge): Set<string>[] {
  const out: Set<string>[] = [];
  for (const component of stronglyConnected(flow, within, blocked)) {
    const pruned = edgesNotRepeated(flow, component, blocked, knowledge);
    if (pruned.length === 0) {
      out.push(component);
      continue;
    }
    for (const edge of pruned) blocked.add(edge);
    out.push(...repeatableComponents(flow, component, blocked, knowledge));
  }
  return out;
}

/** What can wait for the user, or end every flow (the caller's loop included). */
interface Asking {
  /** The action steps that do (or whose name, rendered from the frame, may): see {@link stopsEveryLoop}. */
  readonly steps: ReadonlySet<StepIR>;
  /** The flows that contain (or call a flow that contains) a collect step or one of those steps. */
  readonly flows: ReadonlySet<string>;
  /** The flows among `flows` that ask only with collect steps before their first branch, and call no flow that can ask (see the opening comment). */
  readonly onlyOnce: ReadonlySet<string>;
}

function whatCanAsk(assistant: AssistantIR): Asking {
  const utters = new Set<string>();
  for (const flow of assistant.flows) for (const step of flow.steps) if (step.input.kind === "collect") utters.add(step.input.utter ?? `utter_ask_${step.input.collect}`);
  const steps = new Set(assistant.flows.flatMap((flow) => flow.steps.filter((step) => step.input.kind === "action" && stopsEveryLoop(step.input.action, utters))));
  const flows = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of assistant.flows) {
      if (flows.has(flow.id)) continue;
      const asks = flow.steps.some((step) => step.input.kind === "collect" || steps.has(step) || (step.input.kind === "call" && flows.has(step.input.call)));
      if (asks) {
        flows.add(flow.id);
        changed = true;
      }
    }
  }
  const onlyOnce = new Set([...flows].filter((id) => asksOnlyOnce(assistant.flowsById.get(id)!, steps, flows)));
  return { steps, flows, onlyOnce };
}

/**
 * Whether the flow asks only with collect steps without `ask_before_filling`, all of them before
 * its first branch, and has no link and no call of a flow that can ask (`asking`): from the
 * second call on, it asks nothing.
 */
function asksOnlyOnce(flow: FlowIR, stoppers: ReadonlySet<StepIR>, asking: ReadonlySet<string>): boolean {
  const asks = (step: StepIR) => stoppers.has(step) || step.input.kind === "link" || (step.input.kind === "call" && asking.has(step.input.call));
  const { steps, ends } = straightPathFrom(flow, flow.firstStepId);
  if (steps.some((step) => asks(step) || (step.input.kind === "collect" && step.input.askBeforeFilling))) return false;
  if (ends) return true;
  // After the first branch, no step may ask or collect: every collect step ran on the first round.
  const seen = new Set(steps);
  const pending = [...steps[steps.length - 1]!.links];
  for (let link = pending.pop(); link !== undefined; link = pending.pop()) {
    const next = stepAt(flow, link.target);
    if (next === undefined || seen.has(next)) continue;
    if (asks(next) || next.input.kind === "collect") return false;
    seen.add(next);
    pending.push(...next.links);
  }
  return true;
}

/**
 * `action_listen` waits for the user; `action_restart` empties the stack (Rasa's Restarted
 * event resets the tracker), so does `action_session_start` (its SessionStarted resets the
 * tracker too, Rasa's default action and the assistant's own alike: runtime/default-actions.ts
 * `beginSession`), and `action_clean_stack` moves every flow frame to its END: no step after
 * the last three runs.
 */
const LOOP_STOPPERS: readonly string[] = ["action_listen", "action_restart", "action_session_start", "action_clean_stack"];

/**
 * Whether an action step named `name` is one of {@link LOOP_STOPPERS}, or may render to one:
 * Rasa renders a name as a Jinja template with the frame's context (§b.4). A bare
 * `{{context.<field>}}` hole may print anything, but `context.utter` prints the question of a
 * collect step (`utters`) or nothing; a name with other Jinja is assumed to render to anything.
 */
function stopsEveryLoop(name: string, utters: ReadonlySet<string>): boolean {
  if (LOOP_STOPPERS.includes(name)) return true;
  if (!name.includes("{")) return false;
  if (!rendersWithoutTemplate(name)) return true;
  const parts = name.split(TEMPLATE_HOLE);
  return parts.length > 1 && LOOP_STOPPERS.some((stopper) => mayRender(parts, 0, stopper, utters));
}

/** Whether the name split at its holes (`parts`: text at even indexes, context fields at odd ones) from `at` on may print `text`. */
function mayRender(parts: readonly string[], at: number, text: string, utters: ReadonlySet<string>): boolean {
  if (at === parts.length) return text === "";
  if (at % 2 === 0) return text.startsWith(parts[at]!) && mayRender(parts, at + 1, text.slice(parts[at]!.length), utters);
  for (let end = 0; end <= text.length; end++) {
    const printed = text.slice(0, end);
    if ((parts[at] !== "utter" || printed === "" || utters.has(printed)) && mayRender(parts, at + 1, text.slice(end), utters)) return true;
  }
  return false;
}

/** Whether a step on a cycle waits for the user (or ends the cycle) on every pass. */
function stepAlwaysAsks(step: StepIR, canAsk: Asking): boolean {
  const input = step.input;
  if (canAsk.steps.has(step)) return true;
  if (input.kind === "collect") return input.askBeforeFilling;
  if (input.kind === "call") return canAsk.flows.has(input.call) && !canAsk.onlyOnce.has(input.call);
  return false;
}

/**
 * A cycle inside `component` on which no collect's slot is reset, or undefined. Where a
 * collect and a reset of its slot share the component, try both ways of breaking the tie:
 * without the resets (the collect is skipped) and without the collect. A loop that repeats
 * forever without asking ends up in one of the two, and there the constants it sets may
 * again decide a branch (a loop that resets the slot every other round asks).
 */
function findSilentCycle(flow: FlowIR, component: ReadonlySet<string>, depth: number, blocked: Blocked, knowledge: Knowledge): string[] | undefined {
  const steps = [...component].map((id) => flow.stepsById.get(id)!);
  const resetters = new Map<string, string[]>();
  for (const step of steps) for (const slot of knowledge.resetsOf(step)) resetters.set(slot, [...(resetters.get(slot) ?? []), step.id]);
  // A collect whose slot a later set_slots fills again on every way round is skipped however often it is reset.
  const conflict = steps.find(
    (step) => knowledge.collectsOf(step).some((slot) => resetters.has(slot)) && !(step.input.kind === "collect" && collectSkippedOnReturn(flow, component, blocked, step.id, knowledge)),
  );
  if (!conflict || depth >= MAX_SPLITS) {
    if (conflict) return undefined;
    return cycleIn(flow, component, blocked);
  }
  const slot = knowledge.collectsOf(conflict).find((collected) => resetters.has(collected))!;
  const collectsOfSlot = steps.filter((s) => knowledge.collectsOf(s).includes(slot)).map((s) => s.id);
  for (const removed of [resetters.get(slot)!, collectsOfSlot]) {
    const rest = new Set([...component].filter((id) => !removed.includes(id)));
    const blockedInRest = new Set(blocked);
    for (const sub of repeatableComponents(flow, rest, blockedInRest, knowledge)) {
      const cycle = findSilentCycle(flow, sub, depth + 1, blockedInRest, knowledge);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

/** Non-trivial strongly connected components (Tarjan), restricted to `within`. */
function stronglyConnected(flow: FlowIR, within: ReadonlySet<string>, blocked: Blocked): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  let counter = 0;
  const connect = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    const step = flow.stepsById.get(id)!;
    for (const next of successors(flow, step, within, blocked)) {
      if (!index.has(next)) {
        connect(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(id, Math.min(low.get(id)!, index.get(next)!));
    }
    if (low.get(id) === index.get(id)) {
      const component = new Set<string>();
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.add(member);
      } while (member !== id);
      if (component.size > 1 || successors(flow, step, within, blocked).includes(id)) components.push(component);
    }
  };
  for (const id of within) if (!index.has(id)) connect(id);
  return components;
}

/** A shortest cycle through the component's first step in pre-order. */
function cycleIn(flow: FlowIR, component: ReadonlySet<string>, blocked: Blocked): string[] | undefined {
  const start = flow.steps.find((s) => component.has(s.id))?.id;
  if (start === undefined) return undefined;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of successors(flow, flow.stepsById.get(id)!, component, blocked)) {
      if (next === start) {
        const path = [id];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, id);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/**
 * For a loop without collect steps whose way out a custom action decides (it polls a service
 * until a slot says done): the help says that flowc cannot count on the action to end it.
 */
function customActionsEndNote(flow: FlowIR, cycle: readonly string[]): string {
  const actions = customActionsOn(flow, cycle);
  if (actions.length === 0) return "";
  return ` (flowc does not count on ${actions.map((a) => `\`${a}\``).join(" or ")} to set what ends the loop: it cannot see what a custom action sets)`;
}

/**
 * For a loop through a categorical question's `else` when its branches test every listed value:
 * a note that only `__other__` takes it (Rasa appends that value to every categorical slot's
 * values, and a `set slot` of it is kept), and that the flow then never asks again.
 */
function otherValueNote(assistant: AssistantIR, flow: FlowIR, cycle: readonly string[], knowledge: Knowledge): string | undefined {
  const edges = new Set(edgesAfterCollectNeverTaken(assistant, flow, new Set(cycle), knowledge, false));
  const from = cycle.findIndex((id, i) => edges.has(`${id}->${cycle[(i + 1) % cycle.length]}`));
  if (from < 0) return undefined;
  const step = flow.stepsById.get(cycle[from]!)!;
  const slot = step.input.kind === "collect" ? step.input.collect : "";
  return `the branches after \`${step.id}\` test every listed value of \`${slot}\`, but Rasa appends \`__other__\` to a categorical slot's values: a \`set slot ${slot} __other__\` is kept, no branch takes it, and the loop goes round without asking, the question being skipped while its slot is filled; give \`__other__\` a branch of its own, or let the \`else\` leave the loop`;
}

function customActionsOn(flow: FlowIR, cycle: readonly string[]): string[] {
  const steps = cycle.map((id) => flow.stepsById.get(id)!);
  return [...new Set(steps.flatMap((step) => (step.input.kind === "action" && isCustomAction(step.input.action) ? [step.input.action] : [])))];
}

/**
 * For a loop through custom actions back to a collect step: flowc cannot see what an action
 * returns, so the help says that it does not count on one emptying the collected slot (a public
 * retail assistant's action resolved the answer into other slots and left it filled).
 */
function customActionsNote(flow: FlowIR, cycle: readonly string[], knowledge: Knowledge): string {
  const steps = cycle.map((id) => flow.stepsById.get(id)!);
  const actions = customActionsOn(flow, cycle);
  const slots = [...new Set(steps.flatMap((step) => knowledge.collectsOf(step)))];
  if (actions.length === 0 || slots.length === 0) return "";
  return ` (flowc does not count on ${actions.map((a) => `\`${a}\``).join(" or ")} to empty ${slots.map((s) => `\`${s}\``).join(" or ")}: it cannot see what a custom action sets)`;
}
