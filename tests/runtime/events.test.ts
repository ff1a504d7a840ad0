/**
 * The events a turn records (runtime-semantics.md §e, §b.3, §b.4, §b.7), on the shared
 * assistant of tests/e2e/more-scenarios.yml: which flow events come, for which flow and step,
 * and in which order relative to each other, to the slot resets and to the actions.
 */
import { readFileSync } from "node:fs";
import { CORE_SCHEMA, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import type { RuntimeEvent } from "../../runtime/events.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const [shared] = load(readFileSync(new URL("../e2e/more-scenarios.yml", import.meta.url), "utf8"), { schema: CORE_SCHEMA }) as { domain: string; flows: string }[];
const LOOP_FLOWS = `${shared!.flows}
  counter:
    description: Ask for amounts again and again.
    steps:
      - id: ask_amount
        collect: amount
      - action: utter_done
      - set_slots:
          - amount: null
        next: ask_amount
  feedback:
    description: Leave a note as feedback.
    steps:
      - collect: note
        force_slot_filling: true
      - action: utter_done
`;
const newBot = await assistantFromYaml(shared!.domain, LOOP_FLOWS);


/** The events of a turn without the stack snapshots, the slot and bot events reduced to their names. */
function outline(events: readonly RuntimeEvent[]): string[] {
  const lines: string[] = [];
  for (const e of events) {
    if (e.event === "stack") continue;
    if (e.event === "user") lines.push("user");
    else if (e.event === "action") lines.push(`action ${e.name}`);
    else if (e.event === "bot") lines.push(`bot ${e.response ?? ""}`);
    else if (e.event === "slot") lines.push(`slot ${e.name}`);
    else if (e.event === "restarted" || e.event === "rewind" || e.event === "session_started") lines.push(e.event);
    else lines.push(`${e.event} ${e.flow_id}${"step_id" in e ? ` ${e.step_id}` : ""}`);
  }
  return lines;
}

describe("events of a turn (§e)", () => {
  it("interrupts, completes the interrupting flow and then resumes the interrupted one (FlowCompleted before FlowResumed, §b.7.5)", async () => {
    const [, second] = await talk(newBot(), [["start flow greet"], ["start flow balance"]]);
    const events = outline(second!.events);
    expect(events[0]).toBe("user");
    expect(events.at(-1)).toBe("action action_listen");
    const interrupted = events.findIndex((e) => e.startsWith("flow_interrupted greet"));
    const started = events.indexOf("flow_started balance");
    const completed = events.findIndex((e) => e.startsWith("flow_completed balance"));
    const resumed = events.findIndex((e) => e.startsWith("flow_resumed greet"));
    // the command processor's FlowInterrupted comes before any action; FlowStarted with the policy's events
    expect(interrupted).toBeGreaterThan(0);
    expect(interrupted).toBeLessThan(events.indexOf("action utter_balance"));
    expect(started).toBeGreaterThan(interrupted);
    expect(started).toBeLessThan(events.indexOf("action utter_balance"));
    // end of balance: FlowCompleted inserted right before FlowResumed, after the action that preceded the end
    expect(completed).toBeGreaterThan(events.indexOf("bot utter_balance"));
    expect(resumed).toBe(completed + 1);
    expect(resumed).toBeLessThan(events.indexOf("action utter_flow_continue_interrupted"));
  });

  it("names the interrupted flow's step in FlowInterrupted and FlowResumed", async () => {
    const [first, second] = await talk(newBot(), [["start flow greet"], ["start flow balance"]]);
    const greetFrame = first!.state.stack.find((frame) => frame.flow_id === "greet")!;
    expect(second!.events).toContainEqual({ event: "flow_interrupted", flow_id: "greet", step_id: greetFrame.step_id });
    expect(second!.events).toContainEqual({ event: "flow_resumed", flow_id: "greet", step_id: greetFrame.step_id });
  });

  it("records FlowCancelled from the command, before any action, and FlowCompleted when the cancelled flow ends", async () => {
    const [, second] = await talk(newBot(), [["start flow greet"], ["cancel flow"]]);
    const events = outline(second!.events);
    const cancelled = events.findIndex((e) => e.startsWith("flow_cancelled greet"));
    expect(cancelled).toBeGreaterThan(0);
    expect(cancelled).toBeLessThan(events.indexOf("action action_cancel_flow"));
    expect(events.findIndex((e) => e.startsWith("flow_completed greet"))).toBeGreaterThan(events.indexOf("bot utter_flow_cancelled_rasa"));
  });

  it("resets the slots of an ending flow before its FlowCompleted (§b.7.4, §b.7.5)", async () => {
    const [, second] = await talk(newBot(), [["start flow greet"], ["set slot name Ann"]]);
    const events = outline(second!.events);
    const reset = events.lastIndexOf("slot name");
    expect(reset).toBeGreaterThan(events.indexOf("bot utter_done"));
    expect(reset).toBeLessThan(events.findIndex((e) => e.startsWith("flow_completed greet")));
    expect(second!.events).toContainEqual(expect.objectContaining({ event: "slot", name: "name", value: null }));
  });

  it("emits FlowStarted on the way from START only, not when a loop comes back to the first step (f.27)", async () => {
    const [first, second] = await talk(newBot(), [["start flow counter"], ["set slot amount 5"]]);
    expect(outline(first!.events)).toContain("flow_started counter");
    expect(second!.actions).toEqual(["action_run_slot_rejections", "utter_done", "action_run_slot_rejections", "utter_ask_amount", "action_listen"]);
    expect(outline(second!.events).filter((e) => e.startsWith("flow_started counter"))).toEqual([]);
  });

  it("starts patterns with FlowStarted too, and completes them (§e FlowStarted / FlowCompleted 'also for patterns')", async () => {
    const [first] = await talk(newBot(), [["provide info"]]);
    const events = outline(first!.events);
    expect(events).toContain("flow_started pattern_search");
    expect(events.findIndex((e) => e.startsWith("flow_completed pattern_search"))).toBeLessThan(events.indexOf("flow_started pattern_completed"));
  });
});

describe("cancelling while a linked flow runs above another flow (§d.1, §b.3 helper views, §b.6)", () => {
  it("names the top user flow (link frames skipped) and ends the frames down to the first non-call user frame", async () => {
    const results = await talk(newBot(), [["start flow greet"], ["start flow linker"], ["set slot name Bo"], ["cancel flow"]]);
    const cancel = results[3]!;
    const greetStep = results[0]!.state.stack.find((frame) => frame.flow_id === "greet")!.step_id;
    expect(cancel.events).toContainEqual({ event: "flow_cancelled", flow_id: "greet", step_id: greetStep });
    const pattern = cancel.events.flatMap((e) => (e.event === "stack" ? e.stack : [])).find((frame) => frame.flow_id === "pattern_cancel_flow") as unknown as { canceled_name: string; canceled_frames: string[] };
    expect(pattern.canceled_name).toBe("greet the user");
    const before = results[2]!.state.stack;
    expect([...pattern.canceled_frames].sort()).toEqual(before.slice(-2).map((frame) => frame.frame_id).sort());
    // the linked flow and its question end; greet, which was below, asks again
    expect(cancel.actions).toEqual(["action_cancel_flow", "utter_flow_cancelled_rasa", "action_run_slot_rejections", "utter_ask_name", "action_listen"]);
    expect(cancel.state.stack.map((frame) => frame.flow_id)).toEqual(["greet", "pattern_collect_information"]);
  });
});

describe("slot events of the command processor (§a.2.8)", () => {
  it("keeps only the last SlotSet of a slot that the message's commands set twice", async () => {
    const [, second] = await talk(newBot(), [["start flow profile"], ["set slot name Ann", "set slot name Bea"]]);
    const beforeFirstAction = second!.events.slice(0, second!.events.findIndex((e) => e.event === "action"));
    // reversed execution (§a.4): Bea is set first, then Ann, whose SlotSet is the one kept
    expect(beforeFirstAction.filter((e) => e.event === "slot")).toEqual([{ event: "slot", name: "name", value: "Ann" }]);
    expect(second!.state.slots["name"]).toBe("Ann");
  });
});

describe("commands under force_slot_filling (flows-format.md §b.3)", () => {
  it("records only the kept SetSlot as the message's commands, as Rasa's generator leaves them", async () => {
    const [, second] = await talk(newBot(), [["start flow feedback"], ["set slot note great", "start flow balance", "set slot city Rome"]]);
    const kept = [{ command: "set slot", name: "note", value: "great", extractor: "LLM" }];
    expect(second!.events[0]).toEqual({ event: "user", commands: kept });
    expect(second!.commands).toEqual([{ command: "set slot", name: "note", value: "great", extractor: "LLM" }]);
    expect(second!.actions).toEqual(["action_run_slot_rejections", "utter_done", "utter_can_do_something_else", "action_listen"]);
  });
});

describe("action_default_fallback takes the user's message back (Rasa's UserUtteranceReverted)", () => {
  it("records a rewind and leaves the stack, slots and collect records as the message found them", async () => {
    const bot = (await assistantFromYaml(shared!.domain, `${shared!.flows}
  fallback_after_name:
    description: Asks for a name, then falls back.
    steps:
      - collect: name
      - action: action_default_fallback
      - action: utter_done
`))();
    const [first] = await talk(bot, [["start flow fallback_after_name"]]);
    const start = first!.state;
    const found = JSON.parse(JSON.stringify(start)) as typeof start;
    const second = await bot.handle(start, bot.parseCommands(start, ["set slot name Ann"]));
    expect(start).toEqual(found); // the state the turn started from is left as it was
    const events = outline(second.events);
    expect(events.slice(events.indexOf("action action_default_fallback"))).toEqual(["action action_default_fallback", "rewind", "action action_run_slot_rejections", "action utter_ask_name", "bot utter_ask_name", "action action_listen"]);
    expect(second.state.slots).toEqual(found.slots);
    expect(second.state.collected).toEqual(found.collected);
    expect(second.state.stack.map((frame) => frame.frame_id)).toEqual(found.stack.map((frame) => frame.frame_id));
  });
});
