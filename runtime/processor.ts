/**
 * The command processor (runtime-semantics.md §a.2–§a.6): cleans up the commands of a user
 * message, orders them, and runs each against the stack and the slots. No action runs here;
 * the flows advance afterwards, in the turn driver.
 */
import { pythonStr } from "./conditions/template.ts";
import { pyEquals } from "./conditions/pypred.ts";
import { CANNOT_HANDLE_DEFAULT, extractorValue, type Command } from "./commands.ts";
import type { DigressionSetting, SlotDefinition, Step } from "./model.ts";
import { CLARIFICATION, CONTINUE_INTERRUPTED, isOfferedDigression } from "./digressions.ts";
import { pushCancelFrame, pushCancelPattern, pushInternalError } from "./repair.ts";
import { allowsNluCorrection, NLU_MAPPING_TYPES } from "./slot-mappings.ts";
import { coerceSlotValue } from "./slots.ts";
import { COLLECT_PATTERN, field, isUserFlowFrame, topFlowFrame, topUserFlowFrame, userFlowsOnStack, type Frame, type Stack } from "./stack.ts";
import type { RuntimeEvent } from "./events.ts";
import type { CollectRecord } from "./state.ts";
import { flowName, flowOf, markNluFilled, newPatternFrame, newUserFrame, setFloatSlot, setSlot, shareStack, slotOf, moveFrame, type Tracker } from "./tracker.ts";

/** Commands only the processor creates. */
export type InternalCommand =
  | { readonly command: "correct slots"; readonly slots: readonly CorrectedSlot[] }
  | { readonly command: "handle digressions"; readonly flow: string }
  | { readonly command: "handle code change" };

export type ProcessedCommand = Command | InternalCommand;

const NONE: readonly string[] = [];
const NO_COMMANDS: readonly Command[] = [];

/**
 * The reason of the CannotHandle that replaces a SetSlot the slot's mappings do not allow. Rasa's
 * reason is a sentence saying that the extractor is incompatible with the slot's mapping type
 * (spec §a.3 "CannotHandle(reason=...incompatible...)"); flowc words it as its other reasons
 * are worded, keeping the word an overriding pattern_cannot_handle may test in `context.reason`.
 */
export const CANNOT_HANDLE_SLOT_MAPPING = "cannot_handle_incompatible_slot_mapping";

/**
 * Runs the commands of one user message. With `codeChanged` (the state was saved under another
 * version of the assistant and flows are running) they are replaced by one code-change command.
 * Returns the commands in the order they ran.
 */
export function processCommands(tracker: Tracker, commands: readonly Command[], codeChanged: boolean): ProcessedCommand[] {
  const original: Stack = shareStack(tracker);
  const firstEvent = tracker.events.length;
  const messageCommands = codeChanged ? NO_COMMANDS : commands;
  const cleaned = codeChanged ? [{ command: "handle code change" } as const] : cleanUpCommands(tracker, messageCommands, original);
  const ordered = reorderCommands(cleaned, original);
  // §a.6 "flows started by a StartFlow in the same message": the message's StartFlows as they
  // came, also one the clean-up turned into a HandleDigressions command (Rasa reads them from
  // the message's parse data).
  let started: string[] | undefined;
  for (const command of messageCommands) if (command.command === "start flow") (started ??= []).push(command.flow);
  const run: RunContext = { original, started: started ?? NONE, validations: undefined };
  for (const command of ordered) runCommand(tracker, command, run);
  if (run.validations !== undefined) for (const frame of run.validations) tracker.stack.push(frame);
  dropOverwrittenSlotEvents(tracker.events, firstEvent);
  return ordered;
}

/**
 * §a.2.8: of the SlotSet events the commands produced for one slot, only the last is kept (the
 * slot's value is already the last one set).
 */
function dropOverwrittenSlotEvents(events: RuntimeEvent[], from: number): void {
  let slotEvents = 0;
  for (let i = from; i < events.length; i++) if (events[i]!.event === "slot") slotEvents++;
  if (slotEvents < 2) return;
  const seen = new Set<string>();
  for (let i = events.length - 1; i >= from; i--) {
    const event = events[i]!;
    if (event.event !== "slot") continue;
    if (seen.has(event.name)) events.splice(i, 1);
    else seen.add(event.name);
  }
}

// ---------------------------------------------------------------------------------------------
// force_slot_filling (flows-format.md §b.3)

/**
 * While the question on top comes from a collect step with `force_slot_filling: true`, only the
 * SetSlot commands for its slot are kept; when none is left, one CannotHandle (what Rasa 3.12's
 * command generator returns then, `_filter_commands_during_force_slot_filling`). In Rasa this
 * filter ends the command generator, so the message's commands are the filtered ones; the turn
 * applies it before it records them. An empty list (no generator ran) stays empty.
 */
export function forcedSlotFilling(tracker: Tracker, commands: readonly Command[]): readonly Command[] {
  const stack = tracker.stack;
  const top = stack[stack.length - 1];
  const below = stack[stack.length - 2];
  if (commands.length === 0 || top?.type !== COLLECT_PATTERN || below === undefined) return commands;
  const step = tracker.index.plan.flow(below.flow_id)?.steps.get(below.step_id)?.step;
  if (step?.kind !== "collect" || !step.forceSlotFilling) return commands;
  const kept = commands.filter((c) => c.command === "set slot" && c.name === step.slot);
  return kept.length > 0 ? kept : [{ command: "cannot handle", reason: CANNOT_HANDLE_DEFAULT }];
}

// ---------------------------------------------------------------------------------------------
// §a.3 clean-up

function cleanUpCommands(tracker: Tracker, commands: readonly Command[], original: Stack): ProcessedCommand[] {
  const clean: ProcessedCommand[] = [];
  const activeUser = topUserFlowFrame(original);
  const top = original[original.length - 1];
  const asked = top?.type === COLLECT_PATTERN ? field(top, "collect") : undefined;
  // Worked out when a command needs them (most messages have no clarify or start flow).
  let allClarify: boolean | undefined;
  let digressions: Digressions | undefined | null = null;
  let correction: { command: "correct slots"; slots: CorrectedSlot[] } | undefined;
  let digressed = false;
  let nluValues: Set<string> | undefined; // slots of the NLU SetSlots kept so far

  for (const command of commands) {
    switch (command.command) {
      case "set slot": {
        const slot = slotOf(tracker, command.name);
        if (!slot) break; // not in the domain
        // §a.3: once an NLU SetSlot for the slot is kept in this message, an LLM value for it is not taken.
        if (!extractorMayFill(slot, command.extractor) || (nluValues?.has(command.name) === true && command.extractor === "LLM")) {
          const alreadySet = clean.some((c) => c.command === "set slot" && c.name === command.name);
          // §a.3 "replaced by one CannotHandle"; "CannotHandle: duplicates dropped": a second
          // refused SetSlot adds no second, equal CannotHandle (two would both be removed below
          // as "more than one command", and the user would hear nothing about the refusal).
          const alreadyRefused = clean.some((c) => c.command === "cannot handle" && c.reason === CANNOT_HANDLE_SLOT_MAPPING);
          if (!alreadySet && !alreadyRefused) clean.push({ command: "cannot handle", reason: CANNOT_HANDLE_SLOT_MAPPING });
          break;
        }
        // §a.3: an LLM value for a slot whose value an NLU SetSlot gave is dropped, unless a from_llm mapping allows the correction.
        if (command.extractor === "LLM" && tracker.nluSlots.length !== 0 && tracker.nluSlots.includes(slot.name) && !allowsNluCorrection(slot)) break;
        if (!collectedIn(tracker.collected, activeUser, command.name, original) || asked === command.name) {
          clean.push(command);
          if (command.extractor === "NLU") (nluValues ??= new Set()).add(command.name);
          break;
        }
        if (sameText(tracker.slots[command.name], command.value)) break; // restating the value changes nothing
        if (correctionRunning(original, command.name, command.value)) break;
        if (!correction) {
          correction = { command: "correct slots", slots: [] };
          clean.push(correction);
        }
        correction.slots.push({ name: command.name, value: command.value, extractor: command.extractor });
        break;
      }
      case "cancel flow":
        if (!clean.some((c) => c.command === "cancel flow")) clean.push(command);
        break;
      case "cannot handle":
        if (!clean.some((c) => c.command === "cannot handle")) clean.push(command);
        break;
      case "start flow": {
        if (command.flow === activeUser?.flow_id && !isOfferedDigression(original, command.flow)) break; // the active flow is not started again
        if (digressions === null) digressions = digressionSettings(tracker, original);
        if (digressions) {
          if (!clean.some((c) => c.command === "handle digressions" && c.flow === command.flow)) clean.push({ command: "handle digressions", flow: command.flow });
          digressed = true;
          break;
        }
        clean.push(command);
        break;
      }
      case "chitchat":
        clean.unshift(chitchatNeedsIntentlessPolicy(tracker) ? { command: "cannot handle", reason: "cannot_handle_chitchat" } : command);
        break;
      case "knowledge":
        clean.unshift(command);
        break;
      case "clarify":
        allClarify ??= commands.every((c) => c.command === "clarify");
        if (commands.length > 1 && !allClarify) break;
        if (!clean.some((c) => c.command === "clarify")) clean.push(command);
        break;
      default:
        clean.push(command);
    }
  }
  // §a.3 (3.12): a StartFlow turned into HandleDigressions takes the place of a CancelFlow of
  // the same message (in either order): the digression pattern decides whether the current flow
  // is left, so the current flow is not cancelled as well.
  const kept = digressed ? clean.filter((c) => c.command !== "cancel flow") : clean;
  if (kept.length <= 1) return kept;
  for (const c of kept) if (c.command === "cannot handle") return kept.filter((c) => c.command !== "cannot handle");
  return kept;
}

/** Whether the active user flow has reached a collect step for `slot` that still counts on `stack`. */
function collectedIn(collected: readonly CollectRecord[], activeUser: Frame | undefined, slot: string, stack: Stack): boolean {
  if (activeUser === undefined) return false;
  for (const record of collected) if (record.slot === slot && record.frameId === activeUser.frame_id && stillCounts(record, stack)) return true;
  return false;
}

/**
 * §a.5.1 "still-active patterns": a collect step reached by a pattern (the top frame of the
 * record's stack) counts only while that pattern's frame is on `stack`; once the pattern has
 * ended, its question is no longer one the active flow asked (Rasa checks the frame id). A step
 * reached by the user flow or a flow it called counts as long as that user flow is active.
 */
function stillCounts(record: CollectRecord, stack: Stack): boolean {
  const by = record.stack[record.stack.length - 1];
  if (by === undefined || isUserFlowFrame(by)) return true;
  for (let i = 0; i < stack.length; i++) if (stack[i]!.frame_id === by.frame_id) return true;
  return false;
}

/**
 * §a.3 `should_slot_be_set`: a button payload may fill any slot; an LLM value needs a
 * `from_llm` mapping (a slot without mappings has one), an NLU value an NLU mapping.
 */
function extractorMayFill(slot: SlotDefinition, extractor: string): boolean {
  if (extractor === "COMMAND_PAYLOAD_READER") return true;
  if (slot.mappings.length === 0) return extractor === "LLM";
  const nlu = extractor === "NLU";
  for (const mapping of slot.mappings) if (nlu ? NLU_MAPPING_TYPES.has(mapping.type) : mapping.type === "from_llm") return true;
  return false;
}

/** Rasa 3.12 compares the current value with `str()` of the new one. */
function sameText(current: unknown, value: unknown): boolean {
  return typeof current === "string" && current === pythonStr(value);
}

/** A correction pattern on top already sets `name` to `value`. */
function correctionRunning(stack: Stack, name: string, value: unknown): boolean {
  const frame = topFlowFrame(stack);
  if (frame?.type !== "pattern_correction") return false;
  const corrected = field(frame, "corrected_slots") as Readonly<Record<string, unknown>> | undefined;
  return corrected !== undefined && Object.hasOwn(corrected, name) && pythonStr(corrected[name]) === pythonStr(value);
}

/** `pattern_chitchat` overridden with `action_trigger_chitchat`, which needs Rasa's IntentlessPolicy. */
function chitchatNeedsIntentlessPolicy(tracker: Tracker): boolean {
  const flow = flowOf(tracker, "pattern_chitchat");
  return flow !== undefined && Object.values<Step>(flow.steps).some((s) => s.kind === "action" && s.action === "action_trigger_chitchat");
}

const WITH_CALL_AND_LINK = { includeCallAndLink: true } as const;
const WITH_CALL = { includeCall: true } as const;

interface Digressions {
  readonly block: DigressionSetting | undefined;
  readonly confirm: DigressionSetting | undefined;
}

/**
 * The digression settings in force (3.12): those of the collect step the active user flow is
 * at, merged with its flow's; undefined when it is not at a collect step or nothing is set.
 */
function digressionSettings(tracker: Tracker, stack: Stack): Digressions | undefined {
  const settings = settingsAtCollect(tracker, topUserFlowFrame(stack, WITH_CALL_AND_LINK));
  return settings?.block === undefined && settings?.confirm === undefined ? undefined : settings;
}

/** A frame's collect step's digression settings merged with its flow's; undefined when the frame is not at a collect step. */
function settingsAtCollect(tracker: Tracker, frame: Frame | undefined): Digressions | undefined {
  const plan = frame ? tracker.index.plan.flow(frame.flow_id) : undefined;
  const step = frame && plan ? plan.steps.get(frame.step_id)?.step : undefined;
  if (!plan || step?.kind !== "collect") return undefined;
  const flow = plan.flow;
  return { block: mergeSettings(flow.blockDigressions, step.blockDigressions), confirm: mergeSettings(flow.askConfirmDigressions, step.askConfirmDigressions) };
}

function mergeSettings(a: DigressionSetting | undefined, b: DigressionSetting | undefined): DigressionSetting | undefined {
  if (a === true || b === true) return true;
  if (a === undefined && b === undefined) return undefined;
  const flows = [...new Set([...(a ?? []), ...(b ?? [])])];
  return flows.length > 0 ? flows : undefined;
}

// ---------------------------------------------------------------------------------------------
// §a.4 order

/** With no active user flow the last `start flow` goes last; then the list runs back to front. */
function reorderCommands(commands: readonly ProcessedCommand[], original: Stack): ProcessedCommand[] {
  const last = topUserFlowFrame(original) ? -1 : commands.findLastIndex((c) => c.command === "start flow");
  if (last < 0) return commands.slice().reverse();
  // Back to front, the moved `start flow` first.
  const ordered: ProcessedCommand[] = [commands[last]!];
  for (let i = commands.length - 1; i >= 0; i--) if (i !== last) ordered.push(commands[i]!);
  return ordered;
}

// ---------------------------------------------------------------------------------------------
// running the commands

interface RunContext {
  /** The stack before any command ran (what "the current user flow" means for start and cancel). */
  readonly original: Stack;
  /** Flows a `start flow` of this message names. */
  readonly started: readonly string[];
  /** `pattern_validate_slot` frames, pushed after all commands ran (a list once there is one). */
  validations: Frame[] | undefined;
}

function runCommand(tracker: Tracker, command: ProcessedCommand, run: RunContext): void {
  switch (command.command) {
    case "start flow":
      return startFlow(tracker, command.flow, run.original);
    case "set slot":
      return setSlotCommand(tracker, command, run);
    case "correct slots":
      return correctSlots(tracker, command.slots);
    case "cancel flow": {
      // §d.1: the cancel is for the top user flow of the original stack, where call and link
      // frames do not count (§b.3): a flow reached by a link with nothing below is no active
      // flow, and one with a flow below names that flow. The frames ended are those down to the
      // first user frame that is not a call (§b.6).
      const user = topUserFlowFrame(run.original);
      const top = tracker.stack[tracker.stack.length - 1]; // before the cancel pattern goes on it
      const cancelled = user && pushCancelPattern(tracker, run.original, user);
      if (cancelled) cancelClarifiedDigressions(tracker, run.original, top, cancelled);
      return;
    }
    case "clarify": {
      const options = command.options.filter((id) => flowOf(tracker, id)?.isPattern === false);
      if (options.length > 0) pushPattern(tracker, "pattern_clarification", { names: options.map((id) => flowName(tracker, id)), clarification_options: "" });
      return;
    }
    case "chitchat":
      return pushPattern(tracker, "pattern_chitchat");
    case "knowledge":
      return pushPattern(tracker, "pattern_search");
    case "human handoff":
      return pushPattern(tracker, "pattern_human_handoff");
    case "skip question":
      if (topUserFlowFrame(run.original)) pushPattern(tracker, "pattern_skip_question");
      return;
    case "repeat":
      return pushPattern(tracker, "pattern_repeat_bot_messages");
    case "cannot handle":
      return pushPattern(tracker, "pattern_cannot_handle", { reason: command.reason });
    case "error":
      pushInternalError(tracker, command.errorType, command.info);
      return;
    case "handle code change":
      // Rasa's HandleCodeChangeCommand: only with a user flow active before the message
      // (call and link frames not counted); otherwise it changes nothing.
      if (topUserFlowFrame(run.original)) pushPattern(tracker, "pattern_code_change");
      return;
    case "handle digressions":
      return handleDigressions(tracker, command.flow, run.original);
    case "change flow":
      return;
  }
}

function pushPattern(tracker: Tracker, id: string, fields?: Readonly<Record<string, unknown>>): void {
  if (flowOf(tracker, id)) tracker.stack.push(newPatternFrame(tracker, id, fields));
}

/**
 * 3.12: a cancel while `pattern_clarification` is on top (of the stack as the commands before it
 * left it) also cancels every flow the clarification lists, one cancel pattern each: the
 * original stack is walked from the top, past the frames the cancel itself ends, and each
 * listed user flow is cancelled with the frames above it since the previous one. The lowest
 * flow's cancel ends up on top and runs first.
 */
function cancelClarifiedDigressions(tracker: Tracker, original: Stack, top: Frame | undefined, cancelled: readonly string[]): void {
  if (top?.type !== CLARIFICATION) return;
  const names = field(top, "names");
  if (!Array.isArray(names)) return;
  let frames: string[] = [];
  for (let i = original.length - 1; i >= 0; i--) {
    const frame = original[i]!;
    if (cancelled.includes(frame.frame_id)) continue;
    frames.push(frame.frame_id);
    if (!isUserFlowFrame(frame) || !names.includes(flowName(tracker, frame.flow_id))) continue;
    pushCancelFrame(tracker, frame, frames);
    frames = [];
  }
}

/** Whether a user flow frame (call and link frames included) of `flowId` is on the stack: `userFlowsOnStack(stack).includes(flowId)` without the lists. */
function userFlowOnStack(stack: Stack, flowId: string): boolean {
  for (const frame of stack) if (isUserFlowFrame(frame) && frame.flow_id === flowId) return true;
  return false;
}

/**
 * Rasa 3.12's StartFlowCommand with the clarification on top: the lowest user frame of
 * `flowId` moves to the top; a continue-interrupted frame just above it that names the flow
 * (a pending digression's announcement) is dropped.
 */
function moveToTop(stack: Frame[], flowId: string): void {
  const at = stack.findIndex((frame) => isUserFlowFrame(frame) && frame.flow_id === flowId);
  const frame = stack[at]!;
  const above = stack[at + 1];
  const announces = above?.type === CONTINUE_INTERRUPTED && field(above, "previous_flow_name") === flowId;
  stack.splice(at, announces ? 2 : 1);
  stack.push(frame);
}

/** §b.3: a new user frame, `interrupt` when a user flow was active before this message. */
function startFlow(tracker: Tracker, flowId: string, original: Stack): void {
  const flow = flowOf(tracker, flowId);
  if (!flow || flow.isPattern) return;
  if (userFlowOnStack(tracker.stack, flowId)) {
    // 3.12: a flow already on the stack is not started again, but while `pattern_clarification`
    // is on top its frame moves to the top (how a pending digression the clarification offers runs).
    if (tracker.stack[tracker.stack.length - 1]?.type === CLARIFICATION) moveToTop(tracker.stack, flowId);
    return;
  }
  const interrupted = topUserFlowFrame(original);
  if (interrupted) tracker.events.push({ event: "flow_interrupted", flow_id: interrupted.flow_id, step_id: interrupted.step_id });
  // The flow's own id string rather than the command's copy: later look-ups by it are much cheaper (see setSlotCommand).
  tracker.stack.push(newUserFrame(tracker, flow.id === flowId ? flow.id : flowId, interrupted ? "interrupt" : "regular"));
}

/**
 * §a.6: the value, coerced to the slot's type, is set when it differs from the current one and
 * the slot is one the active flow (or a flow started by this message) collects without
 * `ask_before_filling`, or the one being asked right now.
 */
function setSlotCommand(tracker: Tracker, { name: commandName, value, extractor }: Extract<Command, { command: "set slot" }>, run: RunContext): void {
  const slot = slotOf(tracker, commandName);
  if (!slot) return;
  // The domain's own string for the name, not the command's copy of it (parsed from text): V8
  // looks properties up by a string of the compiled code (an internalized one) far faster,
  // and the slot values are written by this name all turn long.
  const name = slot.name === commandName ? slot.name : commandName;
  const coerced = coerceSlotValue(slot, value);
  // Rasa's `has_same_coerced_value` is Python's `==`: True equals 1 (and 1.0), False equals 0.
  if (pyEquals(coerced, tracker.slots[name])) return;
  if (!mayBeSet(tracker, name, run.started)) return;
  // Rasa's float slot stores `float(value)`: a Python float, which prints as one (`50.0`).
  if (slot.type === "float" && typeof coerced === "number") setFloatSlot(tracker, name, coerced);
  else setSlot(tracker, name, coerced);
  if (extractor === "NLU") markNluFilled(tracker, name);
  if (slot.validation) (run.validations ??= []).push(newPatternFrame(tracker, "pattern_validate_slot", { validate: name, refill_utter: slot.validation.refillUtter, refill_action: `action_ask_${name}`, rejections: slot.validation.rejections.map((r) => ({ if: r.condition.source, utter: r.utter })) }));
}

function mayBeSet(tracker: Tracker, name: string, started: readonly string[]): boolean {
  const top = tracker.stack[tracker.stack.length - 1];
  if (top?.type === COLLECT_PATTERN && field(top, "collect") === name) return true;
  if (collectsFreely(tracker, topUserFlowFrame(tracker.stack, WITH_CALL_AND_LINK)?.flow_id, name)) return true;
  if (collectsFreely(tracker, topUserFlowFrame(tracker.stack)?.flow_id, name)) return true;
  for (const flowId of started) if (collectsFreely(tracker, flowId, name)) return true;
  return false;
}

function collectsFreely(tracker: Tracker, flowId: string | undefined, slot: string): boolean {
  return flowId !== undefined && tracker.index.collectsWithoutAsking(flowId, slot);
}

/**
 * §a.5 `CorrectSlotsCommand.run`: a correction frame that rewinds the active flow to the
 * earliest collect step it reached for one of the slots. Dropped when a slot is collected by
 * no user flow on the stack; a reset only, when only `ask_before_filling` steps collect them.
 */
function correctSlots(tracker: Tracker, slots: readonly CorrectedSlot[]): void {
  const index = tracker.index;
  const onStack = new Set(userFlowsOnStack(tracker.stack).flatMap((id) => index.collectSteps(id).map((s) => s.slot)));
  if (slots.some((s) => !onStack.has(s.name))) return;
  // Python's `!=` on the stored value and the command's: a slot at the proposed value (null included) is left out.
  // The rest become Rasa 3.12's dict {slot: {value, filled_by}}, a slot named twice keeping its first place and last
  // value; the frame is pushed even when no slot is left (`is_reset_only` then holds, and nothing is rewound or said).
  const proposed = new Map<string, { value: unknown; filled_by: string }>();
  for (const s of slots) if (!pyEquals(tracker.slots[s.name], s.value)) proposed.set(s.name, { value: s.value, filled_by: extractorValue(s.extractor) });
  const user = topUserFlowFrame(tracker.stack);
  const target = tracker.collected.find((r) => r.frameId === user?.frame_id && proposed.has(r.slot) && stillCounts(r, tracker.stack));
  const frame = newPatternFrame(tracker, "pattern_correction", {
    is_reset_only: [...proposed.keys()].every((name) => index.onlyAskedBeforeFilling(name)),
    corrected_slots: Object.fromEntries(proposed),
    reset_flow_id: target?.flowId ?? null,
    reset_step_id: target?.stepId ?? null,
    new_slot_values: [...proposed.values()].map((entry) => entry.value),
  });
  const running = topFlowFrame(tracker.stack);
  if (running?.type === "pattern_correction") {
    // The running correction and everything above it wind up; the new one runs right after.
    const at = tracker.stack.indexOf(running);
    for (let i = at; i < tracker.stack.length; i++) moveFrame(tracker, i, "NEXT:END");
    tracker.stack.splice(at, 0, frame);
  } else {
    tracker.stack.push(frame);
  }
}

/** A slot a correction sets, with the extractor of its SetSlot (the `filled_by` of Rasa's correction frame). */
interface CorrectedSlot {
  readonly name: string;
  readonly value: unknown;
  readonly extractor: string;
}

/**
 * 3.12 `HandleDigressionsCommand.run`: asks the digression pattern what to do with the new flow.
 * The settings are read at the topmost flow frame of the stack as the message found it, a
 * pattern's included (call frames too, the collect pattern not): while the digression pattern
 * asks its own question that is the pattern, which has no settings, so a second request
 * switches at once.
 */
function handleDigressions(tracker: Tracker, flowId: string, original: Stack): void {
  if (!flowOf(tracker, flowId)) return pushPattern(tracker, "pattern_cannot_handle", { reason: CANNOT_HANDLE_DEFAULT });
  const frame = topFlowFrame(original, WITH_CALL);
  const settings = settingsAtCollect(tracker, frame);
  if (!frame || !settings) return;
  const asList = (setting: DigressionSetting | undefined) => (setting === true ? [flowId] : [...(setting ?? [])]);
  pushPattern(tracker, "pattern_handle_digressions", {
    interrupting_flow_id: flowId,
    interrupted_flow_id: frame.flow_id,
    interrupted_step_id: frame.step_id,
    ask_confirm_digressions: asList(settings.confirm),
    block_digressions: asList(settings.block),
  });
}

