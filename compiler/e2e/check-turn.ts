/**
 * Checks one user turn against what the test expects of it, with the verdicts of Rasa's e2e
 * runner, so that a test suite passes or fails alike in both:
 * * assertions (`bot_uttered`, `slot_was_set`, `flow_started`, ...) each look for a matching
 *   event anywhere in the turn, in any order. Rasa's rules: each property of `bot_uttered`
 *   may be matched by a different message, and its `buttons` are compared pairwise with a
 *   message's buttons up to the shorter list (the message must have some);
 *   `bot_did_not_utter` fails on a message that matches any one of its properties (or has any
 *   one of its buttons); `slot_was_not_set` looks at the last value the turn gave the slot
 *   (without a value: it fails unless that is null); `pattern_clarification_contains` wants
 *   exactly the listed flow names; `flow_completed` / `flow_cancelled` with a step id
 *   look at the flow's first such event; with Rasa's `assertion_order_enabled`, each
 *   assertion looks only at the events after the one the previous assertion matched;
 * * step-style `utter:` / `bot:` steps after the user step each look for a matching message
 *   anywhere in the turn (messages no step names are fine, as in Rasa); a `slot_was_set`
 *   step needs a slot event of the turn that matches it, and a `slot_was_not_set` step fails
 *   on any such event (unlike the assertion, which reads the slot's last value: Rasa's runner
 *   judges the two differently). A test case that uses assertions is judged by its
 *   assertions alone: Rasa's runner then reads no step-style step. Rasa finds the turn the
 *   assertions read by the user message's text, so a message sent a second time has its
 *   assertions checked on the turn of its first sending ({@link assertionTurn}).
 * A failure says what was expected and what the turn actually did, so that it can be fixed
 * without re-running with a trace.
 */
import type { TurnResult } from "../../runtime/assistant.ts";
import { pyEquals } from "../../runtime/conditions/pypred.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";
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
  /** Why the step cannot pass as written, where that is known. */
  readonly note?: string;
}

/**
 * `forAssertions`: the turn the step's assertions read, when Rasa's runner picks another than the
 * step's own (see {@link assertionTurn}).
 */
export function checkTurn(testCase: TestCase, step: UserStep, turn: TurnRecord, forAssertions: TurnRecord = turn): CheckFailure[] {
  const failures = step.assertionOrder ? checkAssertionsInOrder(step.assertions, forAssertions) : step.assertions.flatMap((assertion) => checkAssertion(assertion, forAssertions) ?? []);
  if (testCase.usesAssertions) return failures;
  for (const expected of step.botSteps) {
    if (!turn.messages.some((message) => botStepMatches(expected, message))) {
      const messages = expected.kind === "bot" ? describeMessagesWithTexts(turn.messages) : describeMessages(turn.messages);
      const note = expected.kind === "bot" ? paddedTextNote(expected.text, turn.messages) : undefined;
      failures.push({ at: expected.at, expected: `a bot message ${describeBotStep(expected)}`, actual: `the turn sent: ${messages}`, ...(note !== undefined ? { note } : {}) });
    }
  }
  for (const check of step.slotWasSet) {
    if (!slotEvents(turn).some((event) => slotMatches(check, event))) failures.push({ at: check.at, expected: `slot_was_set ${describeSlotCheck(check)}`, actual: `slots set in the turn: ${describeSlotEvents(turn)}` });
  }
  // Rasa's step style is stricter than the assertion: any event of the slot (with the value, when
  // one is named) fails the step, a reset to null included.
  for (const check of step.slotWasNotSet) {
    if (slotEvents(turn).some((event) => slotMatches(check, event))) failures.push({ at: check.at, expected: `slot_was_not_set ${describeSlotCheck(check)}`, actual: `slots set in the turn: ${describeSlotEvents(turn)}` });
  }
  // In the order the steps are written, as Rasa's runner walks them (the first gives its error line).
  return failures.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
}

/** A user step that ran: the metadata its message carried (`{}` for none) and its turn. */
export interface RanStep {
  readonly step: UserStep;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly turn: TurnRecord;
}

/**
 * The turn the assertions of `ran[index]` read, found as Rasa's runner finds it once the
 * conversation is over: the first user message of the test case with the step's text (and, when
 * the step names `metadata`, with the metadata it carried), and the events from there up to the
 * next user message of another text or the next one that matches again. It is the step's own
 * turn unless an earlier step sent the same message: then it is that step's turn (`from`, the
 * index of the step whose turn it is), whatever the step's own turn did.
 */
export function assertionTurn(ran: readonly RanStep[], index: number): { readonly turn: TurnRecord; readonly from: number } {
  const { step, metadata } = ran[index]!;
  const matches = (other: RanStep): boolean => other.step.user === step.user && (step.metadata === undefined || pyEquals(other.metadata, metadata));
  const from = ran.findIndex(matches);
  const turns = [ran[from]!.turn];
  for (let next = from + 1; next < ran.length && ran[next]!.step.user === step.user && !matches(ran[next]!); next++) turns.push(ran[next]!.turn);
  if (turns.length === 1) return { turn: turns[0]!, from };
  return {
    turn: { actions: turns.flatMap((turn) => turn.actions), messages: turns.flatMap((turn) => turn.messages), events: turns.flatMap((turn) => turn.events), state: turns.at(-1)!.state },
    from,
  };
}

export function checkAssertion(assertion: Assertion, turn: TurnRecord): CheckFailure | undefined {
  const fail = (expected: string, actual: string): CheckFailure => ({ at: assertion.at, expected, actual });
  switch (assertion.kind) {
    case "bot_uttered":
      return botCriteria(assertion.bot, buttonsInOrder).every((matches) => turn.messages.some(matches)) ? undefined : fail(`bot_uttered ${describeBotCheck(assertion.bot)}`, `the turn sent: ${describeMessagesFor(assertion.bot, turn.messages)}`);
    case "bot_did_not_utter":
      return botCriteria(assertion.bot, anyButton).some((matches) => turn.messages.some(matches)) ? fail(`bot_did_not_utter ${describeBotCheck(assertion.bot)}`, `the turn sent: ${describeMessagesFor(assertion.bot, turn.messages)}`) : undefined;
    case "slot_was_set": {
      const missing = assertion.slots.filter((check) => !slotEvents(turn).some((event) => slotMatches(check, event)));
      // As in Rasa, a failing slot is reported at its own entry's line.
      return missing.length === 0 ? undefined : { ...fail(`slot_was_set ${missing.map(describeSlotCheck).join(", ")}`, `slots set in the turn: ${describeSlotEvents(turn)}`), at: missing[0]!.at };
    }
    case "slot_was_not_set": {
      const found = assertion.slots.filter((check) => slotWasSetAgainst(check, turn));
      return found.length === 0 ? undefined : { ...fail(`slot_was_not_set ${found.map(describeSlotCheck).join(", ")}`, `slots set in the turn: ${describeSlotEvents(turn)}`), at: found[0]!.at };
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
      const first = ended.find((event) => event.flow_id === assertion.flowId);
      const found = first !== undefined && (assertion.stepId === undefined || first.step_id === assertion.stepId);
      const expected = `${assertion.kind} ${assertion.flowId}${assertion.stepId !== undefined ? ` at step ${assertion.stepId}` : ""}`;
      const verb = assertion.kind === "flow_completed" ? "completed" : "cancelled";
      return found ? undefined : fail(expected, `flows ${verb} in the turn: ${ended.map((event) => `${event.flow_id} at step ${event.step_id}`).join(", ") || "none"}`);
    }
    case "pattern_clarification_contains": {
      const offered = clarificationNames(turn);
      const same = offered !== undefined && offered.every((name) => assertion.flowNames.includes(name)) && assertion.flowNames.every((name) => offered.includes(name));
      return same
        ? undefined
        : fail(`pattern_clarification_contains ${assertion.flowNames.join(", ")}`, offered !== undefined ? `the clarification offered: ${offered.join(", ") || "nothing"}` : "no clarification in the turn");
    }
  }
}

/**
 * `assertion_order_enabled`, as Rasa runs it: the assertions in their order, each on the
 * turn's events after the event the previous passing assertion matched (which event that is
 * follows Rasa: see {@link matchingEvent}); when it is the turn's last event, the events stay
 * as they were, as in Rasa.
 */
function checkAssertionsInOrder(assertions: readonly Assertion[], turn: TurnRecord): CheckFailure[] {
  const failures: CheckFailure[] = [];
  let events = turn.events;
  for (const assertion of assertions) {
    const failure = checkAssertion(assertion, eventsOnly(events, turn));
    if (failure) {
      // Only once an earlier assertion narrowed the events does the order explain the failure.
      failures.push(events === turn.events ? failure : { ...failure, expected: `${failure.expected}, after what the assertion before it matched (assertion_order_enabled)` });
      continue;
    }
    const index = matchingEvent(assertion, events);
    if (index !== undefined && index + 1 < events.length) events = events.slice(index + 1);
  }
  return failures;
}

/** The part `events` of a turn as a turn of its own: its actions, messages and stack changes. */
function eventsOnly(events: readonly RuntimeEvent[], turn: TurnRecord): TurnRecord {
  return {
    events,
    actions: events.flatMap((event) => (event.event === "action" ? [event.name] : [])),
    messages: events.flatMap((event): Message[] => {
      if (event.event !== "bot") return [];
      const { event: _bot, ...message } = event;
      return [message];
    }),
    state: { ...turn.state, stack: [] },
  };
}

/**
 * The index of the event a passing assertion matched, as Rasa picks it: the first event of the
 * flow, action or message it names (for `bot_uttered`, the match of its last property among
 * `utter_name`, `text_matches`, `buttons`); for `slot_was_set`, that of its last slot (its first
 * event with the value, or without one its first event at all); for `slot_was_not_set`, the first
 * event equal (same slot, same value) to the last event of the last listed slot the turn set,
 * since Rasa looks the matched event up by equality; none for `bot_did_not_utter`.
 */
function matchingEvent(assertion: Assertion, events: readonly RuntimeEvent[]): number | undefined {
  const first = (test: (event: RuntimeEvent) => boolean): number | undefined => {
    const index = events.findIndex(test);
    return index < 0 ? undefined : index;
  };
  const last = (test: (event: RuntimeEvent) => boolean): number | undefined => {
    for (let index = events.length - 1; index >= 0; index--) if (test(events[index]!)) return index;
    return undefined;
  };
  const slotNamed = (name: string) => (event: RuntimeEvent) => event.event === "slot" && event.name === name;
  switch (assertion.kind) {
    case "flow_started":
      return first((event) => event.event === "flow_started" && event.flow_id === assertion.flowId);
    case "flow_completed":
    case "flow_cancelled":
      return first((event) => event.event === assertion.kind && event.flow_id === assertion.flowId);
    case "pattern_clarification_contains":
      return first((event) => event.event === "flow_started" && event.flow_id === "pattern_clarification");
    case "action_executed":
      return first((event) => event.event === "action" && event.name === assertion.action);
    case "slot_was_set": {
      let index: number | undefined;
      for (const check of assertion.slots) {
        index = check.value === undefined ? first(slotNamed(check.name)) : first((event) => event.event === "slot" && event.name === check.name && sameValue(check.value!.is, event.value));
      }
      return index;
    }
    case "slot_was_not_set": {
      // Rasa cuts at the index of the matched event found by equality, and SlotSet events are
      // equal by name and value: the first event equal to the slot's last one.
      let index: number | undefined;
      for (const check of assertion.slots) index = last(slotNamed(check.name)) ?? index;
      if (index === undefined) return undefined;
      const matched = events[index] as SlotEvent;
      return first((event) => event.event === "slot" && event.name === matched.name && sameValue(matched.value, event.value));
    }
    case "bot_uttered": {
      const { utterName, textMatches, buttons } = assertion.bot;
      let index: number | undefined;
      if (utterName !== undefined) index = first((event) => event.event === "bot" && event.response === utterName);
      if (textMatches !== undefined) index = first((event) => event.event === "bot" && event.text !== undefined && textMatches.regex.test(event.text));
      if (buttons !== undefined && buttons.length > 0) index = first((event) => event.event === "bot" && buttonsInOrder(event.buttons ?? [], buttons));
      return index;
    }
    case "bot_did_not_utter":
      return undefined;
  }
}

/**
 * A `bot:` step's text that a message of the turn has with white space at its ends (a response
 * written as a `|` block ends with a line break): Rasa's runner compares the step's text,
 * stripped, with the message's text as it is, so that the step can never pass, in Rasa either.
 */
function paddedTextNote(text: string, messages: readonly Message[]): string | undefined {
  const padded = messages.find((message) => message.text !== undefined && message.text !== text && pythonStrip(message.text) === text);
  if (padded === undefined) return undefined;
  const name = padded.response !== undefined ? ` of \`${padded.response}\`` : "";
  const instead = padded.response !== undefined ? `write \`utter: ${padded.response}\` instead, or end the response's text without it (\`|-\` for a block)` : "end the message's text without it";
  return `the message${name} has this text with white space at its end or start (${JSON.stringify(padded.text)}); Rasa compares a \`bot:\` step's text, stripped, with the message's text as it is, so the step cannot pass in Rasa either: ${instead}`;
}

function botStepMatches(expected: BotStep, message: Message): boolean {
  return expected.kind === "utter" ? message.response === expected.response : message.text === expected.text;
}

type Buttons = readonly { readonly title?: string; readonly payload?: string }[];

/** One test per property of a `bot_uttered` / `bot_did_not_utter`, each on one message. */
function botCriteria(check: BotCheck, buttonsMatch: (actual: Buttons, expected: Buttons) => boolean): ((message: Message) => boolean)[] {
  const criteria: ((message: Message) => boolean)[] = [];
  const { utterName, textMatches, buttons } = check;
  if (utterName !== undefined) criteria.push((message) => message.response === utterName);
  if (textMatches !== undefined) criteria.push((message) => message.text !== undefined && textMatches.regex.test(message.text));
  if (buttons !== undefined) criteria.push((message) => buttonsMatch(message.buttons ?? [], buttons));
  return criteria;
}

/** `bot_uttered`: the message has buttons, and they agree with the expected ones pairwise. */
function buttonsInOrder(actual: Buttons, expected: Buttons): boolean {
  if (actual.length === 0) return false;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    if (actual[i]!.title !== expected[i]!.title || actual[i]!.payload !== expected[i]!.payload) return false;
  }
  return true;
}

/** `bot_did_not_utter`: the message has one of the forbidden buttons. */
function anyButton(actual: Buttons, forbidden: Buttons): boolean {
  return actual.some((button) => forbidden.some((other) => other.title === button.title && other.payload === button.payload));
}

/** For `slot_was_not_set`: the last value the turn gave the slot is the one named (any but null without a value). */
function slotWasSetAgainst(check: SlotCheck, turn: TurnRecord): boolean {
  const last = slotEvents(turn).filter((event) => event.name === check.name).at(-1);
  if (!last) return false;
  return check.value === undefined ? last.value !== null && last.value !== undefined : sameValue(check.value.is, last.value);
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

/**
 * Values as the test wrote them (YAML) against slot values, with Python's `==`, which Rasa's
 * runner uses (`null` for unset): pypred's own equality of two values.
 */
function sameValue(expected: unknown, actual: unknown): boolean {
  return pyEquals(expected ?? null, actual ?? null);
}

/**
 * The flow names the turn's clarification offered, as Rasa reads them: off the `names` of the
 * turn's first FlowStarted of `pattern_clarification` (so a clarification left on the stack by
 * an earlier turn does not count); undefined when the turn started none.
 */
function clarificationNames(turn: TurnRecord): string[] | undefined {
  const started = eventsOf(turn, "flow_started").find((event) => event.flow_id === "pattern_clarification");
  if (started === undefined) return undefined;
  const names = started.metadata["names"];
  return Array.isArray(names) ? [...new Set(names.map(String))] : [];
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

function describeButtons(buttons: Buttons): string {
  return buttons.length === 0 ? "none" : buttons.map((button) => `${JSON.stringify(button.title ?? null)} → ${button.payload ?? "no payload"}`).join(", ");
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
