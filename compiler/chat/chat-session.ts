/**
 * `flowc chat`'s conversation loop: each line the user types goes through the deterministic
 * command generator (a command DSL line is used as it is), the assistant runs the turn, and the
 * bot's messages are printed — buttons (or quick replies) numbered, so that typing a button's
 * number or title sends its payload. A custom action that failed is named with its error (the
 * user only hears the internal-error message). With `inspect`, the commands, the stack (bottom to top) and the slots
 * follow each turn. A new conversation starts with its session's start, whose messages (from the
 * assistant's own `action_session_start`) come before the first prompt. Input and output are plain functions, so that a test can drive it with a
 * list of lines as well as the CLI with standard input.
 */
import type { Assistant } from "../../runtime/assistant.ts";
import { generateCommandLines } from "../../runtime/command-generator.ts";
import type { Command } from "../../runtime/commands.ts";
import type { Message, RuntimeEvent } from "../../runtime/events.ts";
import type { Button } from "../../runtime/model.ts";
import type { Stack } from "../../runtime/stack.ts";
import type { ConversationState } from "../../runtime/state.ts";
import { pythonStrip } from "../../runtime/python-strip.ts";

export interface ChatOptions {
  /** Print the commands, the stack and the slots after each turn. */
  readonly inspect: boolean;
  /** Repeat each user line after the prompt (when the input is not a terminal, which shows it already). */
  readonly echo: boolean;
  readonly out: (text: string) => void;
  /** Called before each line is read, to show the prompt on a terminal. */
  readonly prompt?: () => void;
}

export const USER_PROMPT = "you> ";
const BOT_PROMPT = "bot> ";
const INDENT = " ".repeat(BOT_PROMPT.length);

/** Words that end the chat, besides the end of the input. */
const QUIT: ReadonlySet<string> = new Set(["/quit", "/exit", "/bye"]);

/**
 * Talks with the assistant until the input ends (`"end"`) or the user types `/quit`
 * (`"quit"`); `/restart` begins a new conversation, `/session` a new session of this one (as
 * after a pause long enough for Rasa's session expiry).
 */
export async function chat(newAssistant: () => Assistant, lines: AsyncIterable<string>, options: ChatOptions): Promise<"quit" | "end"> {
  let assistant = newAssistant();
  let { state, buttons } = await startSession(assistant, assistant.initialState(), options.out);
  options.prompt?.();
  for await (const raw of lines) {
    const line = pythonStrip(raw); // white space as Rasa reads it (Python's strip)
    if (options.echo && line !== "") options.out(`${USER_PROMPT}${raw}`);
    if (QUIT.has(line)) return "quit";
    if (line === "/restart") {
      assistant = newAssistant();
      options.out("(a new conversation)");
      ({ state, buttons } = await startSession(assistant, assistant.initialState(), options.out));
    } else if (line === "/session") {
      options.out("(a new session: the stack is emptied, the slots as the session's start leaves them)");
      ({ state, buttons } = await startSession(assistant, state, options.out));
    } else if (line !== "") {
      const message = buttonPayload(buttons, line) ?? line;
      const turn = await assistant.handle(state, assistant.parseCommands(state, generateCommandLines(assistant.compiled, state, message)), { message });
      state = turn.state;
      buttons = turn.messages.flatMap(choicesOf);
      printMessages(turn.messages, options.out);
      printActionErrors(turn.events, options.out);
      if (options.inspect) printInspection(turn.commands, state, options.out);
    }
    options.prompt?.();
  }
  return "end";
}

/**
 * A session's start (the assistant's own `action_session_start`, when the domain lists it), in
 * a new conversation or in this one; its messages are printed before the next prompt. Rasa's
 * default sends none, and then nothing is printed.
 */
async function startSession(assistant: Assistant, state: ConversationState, out: (text: string) => void): Promise<{ state: ConversationState; buttons: readonly Button[] }> {
  const start = await assistant.startSession(state);
  if (start.messages.length > 0) printMessages(start.messages, out);
  printActionErrors(start.events, out);
  return { state: start.state, buttons: start.messages.flatMap(choicesOf) };
}

/** The payload of the button whose number (counted over the last turn's messages) or title was typed. */
function buttonPayload(buttons: readonly Button[], line: string): string | undefined {
  if (/^\d+$/.test(line)) return buttons[Number(line) - 1]?.payload;
  return buttons.find((button) => button.title.toLowerCase() === line.toLowerCase())?.payload;
}

function printMessages(messages: readonly Message[], out: (text: string) => void): void {
  if (messages.length === 0) out(`${BOT_PROMPT}(nothing)`);
  let number = 0;
  for (const message of messages) {
    const text = message.text ?? (message.image !== undefined ? `[image: ${message.image}]` : message.custom !== undefined ? `[custom: ${JSON.stringify(message.custom)}]` : `[${message.response ?? "empty message"}]`);
    out(`${BOT_PROMPT}${text.split("\n").join(`\n${INDENT}`)}`);
    for (const button of choicesOf(message)) out(`${INDENT}${++number}. ${button.title}`);
  }
}

/** Each custom action that threw (or returned what the domain refuses) this turn, with its error. */
function printActionErrors(events: readonly RuntimeEvent[], out: (text: string) => void): void {
  for (const event of events) if (event.event === "action" && event.error !== undefined) out(`  (custom action ${event.name} failed: ${event.error})`);
}

/**
 * What a message offers to pick, as Rasa's output channels send it by default: its quick
 * replies (those with a title and a payload) when it has some, in place of its buttons, else its buttons.
 */
function choicesOf(message: Message): readonly Button[] {
  const quick = message.quick_replies;
  if (Array.isArray(quick) && quick.length > 0) return quick.filter((item): item is Button => typeof item?.title === "string" && typeof item.payload === "string");
  return message.buttons ?? [];
}

function printInspection(commands: readonly Command[], state: ConversationState, out: (text: string) => void): void {
  out(`  commands: ${commands.length === 0 ? "(none)" : commands.map(commandText).join("; ")}`);
  out(`  stack:    ${stackText(state.stack)}`);
  const slots = Object.entries(state.slots).filter(([, value]) => value !== null);
  out(`  slots:    ${slots.length === 0 ? "(all empty)" : slots.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(", ")}`);
}

/** A command in the DSL's words. */
function commandText(command: Command): string {
  switch (command.command) {
    case "start flow":
      return `start flow ${command.flow}`;
    case "set slot":
      return `set slot ${command.name} ${JSON.stringify(command.value)}`;
    case "clarify":
      return `clarify ${command.options.join(" ")}`;
    case "cannot handle":
      return `cannot handle (${command.reason})`;
    case "error":
      return `error (${command.errorType})`;
    default:
      return command.command;
  }
}

/** The frames bottom to top: `flow@step`, with a user flow's frame type and a collect frame's slot. */
export function stackText(stack: Stack): string {
  if (stack.length === 0) return "(empty)";
  return stack
    .map((frame) => {
      const detail = frame.type === "flow" ? ` (${frame.frame_type})` : typeof frame["collect"] === "string" ? ` (${frame["collect"]})` : "";
      return `${frame.flow_id}@${frame.step_id}${detail}`;
    })
    .join(" > ");
}
