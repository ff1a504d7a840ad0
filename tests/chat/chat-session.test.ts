/**
 * `flowc chat`'s loop against a fake assistant (the engine and the generator are tested on
 * their own): what is sent for each typed line (buttons by number or title), what is printed
 * (messages, buttons, the inspection, a custom action's error), and how `/restart`, `/session`,
 * `/quit` and the end of input work.
 */
import { describe, expect, it } from "vitest";
import { chat, stackText } from "../../compiler/chat/chat-session.ts";
import type { Assistant, TurnResult } from "../../runtime/assistant.ts";
import type { Command } from "../../runtime/commands.ts";
import type { Message, RuntimeEvent } from "../../runtime/events.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import type { ConversationState } from "../../runtime/state.ts";

const CONFIRM: Message = {
  response: "utter_ask_ok",
  text: "Send it?",
  buttons: [
    { title: "Yes, send it", payload: "/SetSlots(ok=true)" },
    { title: "No", payload: "/SetSlots(ok=false)" },
  ],
};

/** Replies to every message with CONFIRM, an image and a nameless response; records what it got. */
function fakeAssistant(received: string[], created: { count: number }, sessions: number[], messages: readonly Message[] = [CONFIRM, { image: "https://example.com/a.png" }, { response: "utter_x" }], events: readonly RuntimeEvent[] = []): Assistant {
  created.count++;
  const initial: ConversationState = { version: 1, assistantHash: "fake", stack: [], flowHashes: {}, slots: { ok: null, name: "Ann" }, slotsSet: [], floatSlots: [], specialFloats: {}, nluSlots: [], lastBotTurn: [], collected: [], turns: 0 };
  return {
    // no flows and no slots: what the generator reads of it
    compiled: { flows: {}, slots: {}, catalogue: [] } as unknown as CompiledAssistant,
    initialState: () => initial,
    loadState: (json) => json as ConversationState,
    parseCommands: (_state, lines) =>
      lines.map((line): Command => (line.startsWith("start flow ") ? { command: "start flow", flow: line.slice(11) } : { command: "cannot handle", reason: line })),
    startSession: async (state) => {
      sessions.push(state.turns);
      return { state: { ...state, stack: [] }, actions: ["action_session_start", "action_listen"], messages: state.turns > 0 ? [{ text: "Welcome back." }] : [], events: [] };
    },
    handle: async (state, commands, turn = {}): Promise<TurnResult> => {
      received.push(turn.message ?? "");
      const stack = [
        { frame_id: "A", type: "flow" as const, flow_id: "send", step_id: "ask_ok", frame_type: "regular" as const },
        { frame_id: "B", type: "pattern_collect_information" as const, flow_id: "pattern_collect_information", step_id: "listen", collect: "ok" },
      ];
      return { state: { ...state, stack, turns: state.turns + 1 }, actions: ["action_listen"], messages: [...messages], events: [...events], commands };
    },
  };
}

async function* linesOf(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

async function talk(lines: readonly string[], inspect = false, messages?: readonly Message[], events?: readonly RuntimeEvent[]) {
  const received: string[] = [];
  const created = { count: 0 };
  const out: string[] = [];
  const sessions: number[] = [];
  const ended = await chat(() => fakeAssistant(received, created, sessions, messages, events), linesOf(lines), { inspect, echo: true, out: (text) => out.push(text) });
  return { received, created: created.count, sessions, out, ended };
}

describe("flowc chat's loop", () => {
  it("sends a button's payload for its number or title, other lines as typed", async () => {
    const { received } = await talk(["hi", "1", "no", "3", "start flow send"]);
    expect(received).toEqual(["hi", "/SetSlots(ok=true)", "/SetSlots(ok=false)", "3", "start flow send"]);
  });

  it("prints the user's line, the messages and the buttons numbered", async () => {
    const { out } = await talk(["hi"]);
    expect(out).toEqual(["you> hi", "bot> Send it?", "     1. Yes, send it", "     2. No", "bot> [image: https://example.com/a.png]", "bot> [utter_x]"]);
  });

  it("offers a message's quick replies as its buttons, in place of its buttons", async () => {
    // rasa/core/channels/channel.py OutputChannel.send_response: a message with quick_replies goes to
    // send_quick_replies, whose default sends them with send_text_with_buttons; its buttons are then not sent
    const quick: Message = { response: "utter_pick", text: "Pick", buttons: [{ title: "Ignored", payload: "/x" }], quick_replies: [{ title: "Red", payload: "/SetSlots(colour=red)" }, { title: "Blue", payload: "/SetSlots(colour=blue)" }] };
    const { out, received } = await talk(["hi", "2", "red"], false, [quick]);
    expect(out.slice(0, 4)).toEqual(["you> hi", "bot> Pick", "     1. Red", "     2. Blue"]);
    expect(received).toEqual(["hi", "/SetSlots(colour=blue)", "/SetSlots(colour=red)"]);
  });

  it("prints the commands, the stack and the set slots with --inspect", async () => {
    const { out } = await talk(["start flow send"], true);
    expect(out.slice(-3)).toEqual([
      "  commands: start flow send",
      "  stack:    send@ask_ok (regular) > pattern_collect_information@listen (ok)",
      '  slots:    name="Ann"',
    ]);
    expect(stackText([])).toBe("(empty)");
  });

  it("skips blank lines, restarts on /restart and stops at /quit", async () => {
    const { received, created, out, ended } = await talk(["", "hi", "/restart", "  ", "/quit", "never sent"]);
    expect(received).toEqual(["hi"]);
    expect(created).toBe(2);
    expect(out).toContain("(a new conversation)");
    expect(out.filter((line) => line.startsWith("you>"))).toEqual(["you> hi", "you> /restart", "you> /quit"]);
    expect(ended).toBe("quit");
    expect((await talk(["hi"])).ended).toBe("end");
  });

  it("starts a new session of the same conversation on /session, printing its messages", async () => {
    const { sessions, created, out } = await talk(["hi", "/session", "/restart"], true);
    // The conversation's first start (turns 0), /session on the conversation after one turn, /restart's new conversation.
    expect(sessions).toEqual([0, 1, 0]);
    expect(created).toBe(2);
    const at = out.indexOf("you> /session");
    expect(out.slice(at, at + 3)).toEqual(["you> /session", "(a new session: the stack is emptied, the slots as the session's start leaves them)", "bot> Welcome back."]);
  });

  it("strips a line as Python's strip() does: \\x85 and \\x1f are white space, a byte-order mark is not", async () => {
    const { received } = await talk(["\u0085hi\u001f", "\u001c", "\ufeff"]);
    expect(received).toEqual(["hi", "\ufeff"]);
  });

  it("says which custom action failed and why, which the user's message does not", async () => {
    const events: RuntimeEvent[] = [{ event: "action", name: "check_funds", error: "bank is down" }, { event: "action", name: "utter_internal_error_rasa" }];
    const { out } = await talk(["hi"], false, [{ response: "utter_internal_error_rasa", text: "Something went wrong." }], events);
    expect(out).toEqual(["you> hi", "bot> Something went wrong.", "  (custom action check_funds failed: bank is down)"]);
  });
});
