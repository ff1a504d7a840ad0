/**
 * The whole order of a turn's events (runtime-semantics.md §e) for a correction, a
 * cancellation, an interruption, a link and an answer that ends a flow: the scenario files
 * compare actions, messages, slots and the stack, never events. Each expectation is read off
 * §e's per-turn order (user message, command-processor events, then per action the policy's
 * events, the action, the action's own events) and §b.7's order at a flow's end (pop, push
 * of a pattern, slot resets, FlowCompleted, FlowResumed); stack snapshots are left out.
 */
import { describe, expect, it } from "vitest";
import type { RuntimeEvent } from "../../runtime/events.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  x:
    type: text
    mappings: [{type: from_llm}]
  y:
    type: text
    mappings: [{type: from_llm}]
  z:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_x:
    - text: "x?"
  utter_ask_y:
    - text: "y?"
  utter_a_done:
    - text: "a done"
  utter_b:
    - text: "b"
`;

const FLOWS = `
flows:
  fa:
    description: Asks x then y.
    steps:
      - collect: x
      - collect: y
      - action: utter_a_done
  fo:
    description: Asks x only.
    steps:
      - collect: x
      - action: utter_a_done
  fi:
    description: Sets z and says b.
    steps:
      - set_slots:
          - z: set
      - action: utter_b
  fp:
    description: Sets z and hands over to fl.
    steps:
      - set_slots:
          - z: set
      - link: fl
  fl:
    description: Says b.
    steps:
      - action: utter_b
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

/** A turn's events without stack snapshots: flow events by flow id, slots by name, actions and messages by name. */
function outline(events: readonly RuntimeEvent[]): string[] {
  return events.flatMap((e): string[] => {
    if (e.event === "stack") return [];
    if (e.event === "user" || e.event === "restarted" || e.event === "rewind" || e.event === "session_started") return [e.event];
    if (e.event === "action") return [`action ${e.name}`];
    if (e.event === "bot") return [`bot ${e.response ?? ""}`];
    if (e.event === "slot") return [`slot ${e.name}=${String(e.value)}`];
    return [`${e.event} ${e.flow_id}`];
  });
}

describe("the order of a turn's events (§e)", () => {
  it("an answer: its SlotSet from the command processor first, then the pattern's end, the flow's resets, FlowCompleted and the completion pattern", async () => {
    const [, second] = await talk(newBot(), [["start flow fo"], ["set slot x one"]]);
    expect(outline(second!.events)).toEqual([
      "user",
      "slot x=one",
      "action action_run_slot_rejections",
      "flow_completed pattern_collect_information",
      "action utter_a_done",
      "bot utter_a_done",
      "slot x=null",
      "flow_completed fo",
      "flow_started pattern_completed",
      "action utter_can_do_something_else",
      "bot utter_can_do_something_else",
      "flow_completed pattern_completed",
      "action action_listen",
    ]);
  });

  it("a cancellation: FlowCancelled from the command processor, the cancel pattern, then every cancelled frame completes and the completion pattern runs (§b.7, f.14)", async () => {
    const [, second] = await talk(newBot(), [["start flow fo"], ["cancel flow"]]);
    expect(outline(second!.events)).toEqual([
      "user",
      "flow_cancelled fo",
      "flow_started pattern_cancel_flow",
      "action action_cancel_flow",
      "action utter_flow_cancelled_rasa",
      "bot utter_flow_cancelled_rasa",
      "flow_completed pattern_cancel_flow",
      "flow_completed pattern_collect_information",
      "slot x=null",
      "flow_completed fo",
      "flow_started pattern_completed",
      "action utter_can_do_something_else",
      "bot utter_can_do_something_else",
      "flow_completed pattern_completed",
      "action action_listen",
    ]);
  });

  it("an interruption: FlowInterrupted first, the interrupting flow's slot set and reset, FlowCompleted right before FlowResumed, then continue-interrupted and the question again (§b.7.3-5, §b.8)", async () => {
    const [, second] = await talk(newBot(), [["start flow fo"], ["start flow fi"]]);
    expect(outline(second!.events)).toEqual([
      "user",
      "flow_interrupted fo",
      "flow_started fi",
      "slot z=set",
      "action utter_b",
      "bot utter_b",
      "slot z=null",
      "flow_completed fi",
      "flow_resumed fo",
      "flow_started pattern_continue_interrupted",
      "action utter_flow_continue_interrupted",
      "bot utter_flow_continue_interrupted",
      "flow_completed pattern_continue_interrupted",
      "action action_run_slot_rejections",
      "action utter_ask_x",
      "bot utter_ask_x",
      "action action_listen",
    ]);
  });

  it("a link: the linking flow's resets and FlowCompleted come before the linked flow's FlowStarted, and no completion pattern between them (§b.6)", async () => {
    const [first] = await talk(newBot(), [["start flow fp"]]);
    expect(outline(first!.events)).toEqual([
      "user",
      "flow_started fp",
      "slot z=set",
      "slot z=null",
      "flow_completed fp",
      "flow_started fl",
      "action utter_b",
      "bot utter_b",
      "flow_completed fl",
      "flow_started pattern_completed",
      "action utter_can_do_something_else",
      "bot utter_can_do_something_else",
      "flow_completed pattern_completed",
      "action action_listen",
    ]);
  });

  it("a correction: no SlotSet before action_correct_flow_slot, which sets the value; the correction pattern completes before the rewound flow asks again, and the flow does not start again (f.27)", async () => {
    const [, , third] = await talk(newBot(), [["start flow fa"], ["set slot x one"], ["set slot x two"]]);
    const events = outline(third!.events);
    expect(events.slice(0, 7)).toEqual([
      "user",
      "flow_started pattern_correction",
      "action action_correct_flow_slot",
      "slot x=two",
      "action utter_corrected_previous_input",
      "bot utter_corrected_previous_input",
      "flow_completed pattern_correction",
    ]);
    expect(events.filter((e) => e.startsWith("action "))).toEqual([
      "action action_correct_flow_slot",
      "action utter_corrected_previous_input",
      "action action_run_slot_rejections",
      "action action_run_slot_rejections",
      "action utter_ask_y",
      "action action_listen",
    ]);
    expect(events).not.toContain("flow_started fa");
    expect(events.filter((e) => e.startsWith("slot "))).toEqual(["slot x=two"]);
  });
});

const DIGRESSION_FLOWS = `
flows:
  fa:
    description: Asks x, never switching to fz.
    steps:
      - collect: x
        block_digressions: [fz]
  fb:
    description: Says b.
    steps:
      - action: utter_b
  fz:
    description: Says b too.
    steps:
      - action: utter_b
`;

const digressionBot = await assistantFromYaml(DOMAIN, DIGRESSION_FLOWS);

describe("the order of a turn's events with 3.12 digressions (§e, §c)", () => {
  it("action_continue_digression records FlowInterrupted among its own events, after it ran, not as a command-processor event", async () => {
    const [, second] = await talk(digressionBot(), [["start flow fa"], ["start flow fb"]]);
    const events = outline(second!.events);
    expect(events.slice(0, 3)).toEqual(["user", "flow_started pattern_handle_digressions", "action action_continue_digression"]);
    const interrupted = events.indexOf("flow_interrupted fa");
    expect(interrupted).toBeGreaterThan(events.indexOf("action action_continue_digression"));
    expect(interrupted).toBeLessThan(events.indexOf("flow_started fb"));
    expect(events.indexOf("flow_resumed fa")).toBe(events.indexOf("flow_completed fb") + 1);
  });

  it("a blocked digression records no FlowInterrupted; the parked flow starts only after the current flow completed", async () => {
    const [, second, third] = await talk(digressionBot(), [["start flow fa"], ["start flow fz"], ["set slot x one"]]);
    expect(outline(second!.events).some((e) => e.startsWith("flow_interrupted") || e === "flow_started fz")).toBe(false);
    const events = outline(third!.events);
    expect(events.indexOf("flow_started fz")).toBeGreaterThan(events.indexOf("flow_completed fa"));
    expect(events.indexOf("flow_started fz")).toBeGreaterThan(events.indexOf("action utter_flow_continue_interrupted"));
    expect(events.some((e) => e.startsWith("flow_interrupted") || e.startsWith("flow_resumed"))).toBe(false);
  });

  it("FlowStarted carries the context of the frame that starts, at its first step (§e): the collect pattern's merged with the flow below, a clarification's names", async () => {
    const [first] = await talk(newBot(), [["start flow fo"]]);
    const started = first!.events.filter((e) => e.event === "flow_started");
    expect(started.map((e) => e.flow_id)).toEqual(["fo", "pattern_collect_information"]);
    expect(started[0]!.metadata).toMatchObject({ type: "flow", flow_id: "fo", frame_type: "regular" });
    expect(started[0]!.metadata["step_id"]).not.toBe("START");
    // the collect pattern's context: its own collect and utter, merged with the frame below, whose fields win on a clash
    expect(started[1]!.metadata).toMatchObject({ type: "flow", flow_id: "fo", collect: "x", utter: "utter_ask_x" });
    const [clarified] = await talk(newBot(), [["disambiguate flows fa fo"]]);
    const clarification = clarified!.events.find((e) => e.event === "flow_started" && e.flow_id === "pattern_clarification");
    expect(clarification?.event === "flow_started" && clarification.metadata["names"]).toEqual(["fa", "fo"]);
  });
});
