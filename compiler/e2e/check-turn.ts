/**
 * Checks one user turn against what the test expects of it, as Rasa's e2e runner does:
 * * assertions (`bot_uttered`, `slot_was_set`, `flow_started`, ...) each look for a matching
 *   event anywhere in the turn, in any order;
 * * step-style `utter:` / `bot:` steps after the user step must be exactly the turn's
 *   messages, in order (in a test case that uses assertions, only when there are such steps);
 *   `slot_was_set` / `slot_was_not_set` steps look for slot events of the turn.
 * A failure says what was expected and what the turn actually did, so that it can be fixed
 * without re-running with a trace.
 */
import { isDeepStrictEqual } from "node:util";
import type { TurnResult } from "../../runtime/assistant.ts";
import type { Message, RuntimeEvent } from "../../runtime/events.ts";
import type { Assertion, BotCheck, BotStep, Place, SlotCheck, TestCase, UserStep } from "./test-model.ts";

/** The parts of a turn's result the checks read. */
export type TurnRecord = Pick<TurnResult, "actions" | "messages" | "events" | "state">;

export interface CheckFailure {
  readonly at: Place;
  /** One line: what was expected. */
  readonly expected: string;
  /** One line: what the turn did instead. */
  readonly actual: string;
}

export function checkTurn(testCase: TestCase, step: UserStep, turn: TurnRecord): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const assertion of step.assertions) {
    const failure = checkAssertion(assertion, turn);
    if (failure) failures.push(failure);
  }
  if (!testCase.usesAssertions || step.botSteps.length > 0) {
    const failure = checkBotSteps(step, turn.messages);
    if (failure) failures.push(failure);
  }
  for (const check of step.slotWasSet) {
    if (!slotEvents(turn).some((event) => slotMatches(check, event))) failures.push({ at: check.at, expected: `slot_was_set ${describeSlotCheck(check)}`, actual: `slots set in the turn: ${describeSlotEvents(turn)}` });
  }
  for (const check of step.slotWasNotSet) {
    if (slotEvents(turn).some((event) => slotMatches(check, event))) failures.push({ at: check.at, expected: `slot_was_not_set ${describeSlotCheck(check)}`, actual: `slots set in the turn: ${describeSlotEvents(turn)}` });
  }
  return failures;
}

export function checkAssertion(assertion: Assertion, turn: TurnRecord): CheckFailure | undefined {
  const fail = (expected: string, actual: string): CheckFailure => ({ at: assertion.at, expected, actual });
  switch (assertion.kind) {
    case "bot_uttered":
      return turn.messages.some((message) => botMatches(assertion.bot, message)) ? undefined : fail(`bot_uttered ${describeBotCheck(assertion.bot)}`, `the turn sent: ${describeMessagesFor(assertion.bot, turn.messages)}`);
    case "bot_did_not_utter":
      return turn.messages.some((message) => botMatches(assertion.bot, message)) ? fail(`bot_did_not_utter ${describeBotCheck(assertion.bot)}`, `the turn sent: ${describeMessagesFor(assertion.bot, turn.messages)}`) : undefined;
    case "slot_was_set": {
      const missing = assertion.slots.filter((check) => !slotEvents(turn).some((event) => slotMatches(check, event)));
      return missing.length === 0 ? undefined : fail(`slot_was_set ${missing.map(describeSlotCheck).join(", ")}`, `slots set in the turn: ${describeSlotEvents(turn)}`);
    }
    case "slot_was_not_set": {
      const found = assertion.slots.filter((check) => slotEvents(turn).some((event) => slotMatches(check, event)));
      return found.length === 0 ? undefined : fail(`slot_was_not_set ${found.map(describeSlotCheck).join(", ")}`, `slots set in the turn: ${describeSlotEvents(turn)}`);
    }
    case "action_executed":
      return turn.actions.includes(assertion.action) ? undefined : fail(`action_executed ${assertion.action}`, `actions of the turn: ${turn.actions.join(", ") || "none"}`);
    case "flow_started": {
      const started = eventsOf(turn, "flow_started").map((event) => event.flow_id);
      return started.includes(assertion.flowId) ? undefined : fail(`flow_started ${assertion.flowId}`, `flows started in the turn: ${started.join(", ") || "none"}`);
    }
    case "flow_completed":
    case "flow_cancelled": {
      const ended = eventsOf(turn, assertion.kind);
      const found = ended.some((event) => event.flow_id === assertion.flowId && (assertion.stepId === undefined || event.step_id === assertion.stepId));
      const expected = `${assertion.kind} ${assertion.flowId}${assertion.stepId !== undefined ? ` at step ${assertion.stepId}` : ""}`;
      const verb = assertion.kind === "flow_completed" ? "completed" : "cancelled";
      return found ? undefined : fail(expected, `flows ${verb} in the turn: ${ended.map((event) => `${event.flow_id} at step ${event.step_id}`).join(", ") || "none"}`);
    }
    case "pattern_clarification_contains": {
      const offered = clarificationNames(turn);
      const missing = assertion.flowNames.filter((name) => !offered.includes(name));
      return missing.length === 0 && offered.length > 0
        ? undefined
        : fail(`pattern_clarification_contains ${assertion.flowNames.join(", ")}`, offered.length > 0 ? `the clarification offered: ${offered.join(", ")}` : "no clarification in the turn");
    }
  }
}

function checkBotSteps(step: UserStep, messages: readonly Message[]): CheckFailure | undefined {
  const same = step.botSteps.length === messages.length && step.botSteps.every((expected, i) => botStepMatches(expected, messages[i]!));
  if (same) return undefined;
  const at = step.botSteps.find((expected, i) => messages[i] === undefined || !botStepMatches(expected, messages[i])) ?? step.botSteps[step.botSteps.length - 1];
  const withTexts = step.botSteps.some((expected) => expected.kind === "bot");
  return { at: at?.at ?? step.at, expected: `bot messages: ${step.botSteps.map(describeBotStep).join(", ") || "none"}`, actual: `the turn sent: ${withTexts ? describeMessagesWithTexts(messages) : describeMessages(messages)}` };
}

function botStepMatches(expected: BotStep, message: Message): boolean {
  return expected.kind === "utter" ? message.response === expected.response : message.text === expected.text;
}

function botMatches(check: BotCheck, message: Message): boolean {
  if (check.utterName !== undefined && message.response !== check.utterName) return false;
  if (check.textMatches !== undefined && (message.text === undefined || !check.textMatches.regex.test(message.text))) return false;
  if (check.buttons !== undefined) {
    const buttons = (message.buttons ?? []).map((button) => ({ title: button.title, payload: button.payload }));
    if (!isDeepStrictEqual(buttons, check.buttons)) return false;
  }
  return true;
}

type SlotEvent = Extract<RuntimeEvent, { event: "slot" }>;

function slotEvents(turn: TurnRecord): SlotEvent[] {
  return eventsOf(turn, "slot");
}

function eventsOf<K extends RuntimeEvent["event"]>(turn: TurnRecord, kind: K): Extract<RuntimeEvent, { event: K }>[] {
  return turn.events.filter((event): event is Extract<RuntimeEvent, { event: K }> => event.event === kind);
}

function slotMatches(check: SlotCheck, event: SlotEvent): boolean {
  return event.name === check.name && (check.value === undefined || sameValue(check.value.is, event.value));
}

/** Values as the test wrote them (YAML) against slot values: deep equality, `null` for unset. */
function sameValue(expected: unknown, actual: unknown): boolean {
  return isDeepStrictEqual(expected ?? null, actual ?? null);
}

/** The flow names of the clarification frames the turn put on the stack. */
function clarificationNames(turn: TurnRecord): string[] {
  const stacks = [...eventsOf(turn, "stack").map((event) => event.stack), turn.state.stack];
  const names = new Set<string>();
  for (const stack of stacks) {
    for (const frame of stack) {
      if (frame.flow_id !== "pattern_clarification") continue;
      const frameNames = (frame as { names?: unknown }).names;
      if (Array.isArray(frameNames)) for (const name of frameNames) names.add(String(name));
    }
  }
  return [...names];
}

function describeBotCheck(check: BotCheck): string {
  const parts: string[] = [];
  if (check.utterName !== undefined) parts.push(check.utterName);
  if (check.textMatches !== undefined) parts.push(`text matching /${check.textMatches.source}/`);
  if (check.buttons !== undefined) parts.push(`buttons ${describeButtons(check.buttons)}`);
  return parts.join(" with ");
}

/** The messages, each with what `check` looks at: name, text, buttons. */
function describeMessagesFor(check: BotCheck, messages: readonly Message[]): string {
  if (messages.length === 0) return "nothing";
  return messages
    .map((message) => {
      const parts = [message.response ?? JSON.stringify(message.text ?? "")];
      if (check.textMatches !== undefined && message.response !== undefined) parts.push(`text ${JSON.stringify(message.text ?? "")}`);
      if (check.buttons !== undefined) parts.push(`buttons ${describeButtons(message.buttons ?? [])}`);
      return parts.join(" with ");
    })
    .join(", ");
}

function describeButtons(buttons: readonly { readonly title: string; readonly payload: string }[]): string {
  return buttons.length === 0 ? "none" : buttons.map((button) => `${JSON.stringify(button.title)} → ${button.payload}`).join(", ");
}

function describeBotStep(step: BotStep): string {
  return step.kind === "utter" ? step.response : JSON.stringify(step.text);
}

export function describeMessages(messages: readonly Message[]): string {
  if (messages.length === 0) return "nothing";
  return messages.map((message) => (message.response !== undefined ? message.response : JSON.stringify(message.text ?? ""))).join(", ");
}

/** Each message by its response name and its text (for `bot:` steps, which give texts). */
function describeMessagesWithTexts(messages: readonly Message[]): string {
  if (messages.length === 0) return "nothing";
  return messages.map((message) => `${message.response !== undefined ? `${message.response} ` : ""}${JSON.stringify(message.text ?? "")}`).join(", ");
}

function describeSlotCheck(check: SlotCheck): string {
  return check.value === undefined ? check.name : `${check.name}=${JSON.stringify(check.value.is ?? null)}`;
}

function describeSlotEvents(turn: TurnRecord): string {
  const events = slotEvents(turn);
  return events.length === 0 ? "none" : events.map((event) => `${event.name}=${JSON.stringify(event.value ?? null)}`).join(", ");
}
