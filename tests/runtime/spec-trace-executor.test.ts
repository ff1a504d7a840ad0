/**
 * Rules of runtime-semantics.md §b (the dialogue stack, the flow executor) and §e (the events a
 * turn records) that the scenario files cannot express, because they compare actions,
 * messages, slots and the flow ids of the stack, never events, step ids or frame fields.
 * Written for the spec-traceability audit of those sections; each expectation names the
 * sentence of the spec (and the Rasa source) it comes from, none is taken from flowc's output.
 */
import { describe, expect, it } from "vitest";
import type { RuntimeEvent } from "../../runtime/events.ts";
import type { Frame } from "../../runtime/stack.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  a:
    type: text
    mappings: [{type: from_llm}]
  b:
    type: text
    mappings: [{type: from_llm}]
  s:
    type: text
    mappings: [{type: controlled}]
  x:
    type: text
    mappings: [{type: from_llm}]
responses:
  utter_ask_a:
    - text: "a?"
  utter_ask_b:
    - text: "b?"
  utter_ask_x:
    - text: "x?"
  utter_p:
    - text: "p"
  utter_c:
    - text: "c"
  utter_t:
    - text: "t"
  utter_after:
    - text: "after"
`;

const FLOWS = `
flows:
  fp:
    name: flow p
    description: Calls c, then says p.
    steps:
      - id: p_call
        call: fc
      - id: p_say
        action: utter_p
  fc:
    if: False
    description: Asks x, then says c.
    steps:
      - id: c_ask
        collect: x
      - id: c_say
        action: utter_c
  ft:
    description: Says t.
    steps:
      - id: t_say
        action: utter_t
  fl:
    description: Hands over to t.
    steps:
      - id: l_link
        link: ft
  fr:
    description: Sets s, asks a, and b only when a is x.
    steps:
      - set_slots:
          - s: one
      - collect: a
        next:
          - if: slots.a = "x"
            then:
              - collect: b
                next: END
          - else: END
  fo:
    description: Asks x and says p.
    steps:
      - id: o_ask
        collect: x
      - id: o_say
        action: utter_p
  fq:
    description: Asks x before filling.
    steps:
      - id: q_ask
        collect: x
        ask_before_filling: true
  fg:
    if: slots.s = "open"
    description: Says t behind a guard.
    steps:
      - action: utter_t
  ftrig:
    description: Runs flow t from inside.
    steps:
      - id: trig_run
        action: flow_ft
      - id: trig_after
        action: utter_after
  pattern_human_handoff:
    description: Runs flow t, then goes on.
    steps:
      - action: flow_ft
      - action: utter_after
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

/** The flow events of a turn, with their step ids (FlowStarted with the frame type it starts). */
function flowEvents(events: readonly RuntimeEvent[]): string[] {
  return events.flatMap((e): string[] => {
    if (e.event === "flow_started") return [`flow_started ${e.flow_id} ${String(e.metadata["frame_type"] ?? "")}`.trimEnd()];
    if (e.event === "flow_completed" || e.event === "flow_interrupted" || e.event === "flow_resumed" || e.event === "flow_cancelled") return [`${e.event} ${e.flow_id} ${e.step_id}`];
    return [];
  });
}

/** Every frame of every stack snapshot of the turn. */
function framesOf(events: readonly RuntimeEvent[]): Frame[] {
  return events.flatMap((e) => (e.event === "stack" ? e.stack : []));
}

describe("§b.1 frames", () => {
  it("every frame has a random 8-character frame id (Rasa's random_string(8): upper-case letters) by default", async () => {
    const bot = (await assistantFromYaml(DOMAIN, FLOWS))({ frameIds: undefined as never });
    const [first] = await talk(bot, [["start flow fp"]]);
    const ids = first!.state.stack.map((frame) => frame.frame_id);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[A-Z]{8}$/);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("§b.7.5 / §e FlowCompleted names the step the frame was at before END", () => {
  it("the last step for a normal end, the link step for a linking flow, the call step's child by its own last step", async () => {
    const [linked] = await talk(newBot(), [["start flow fl"]]);
    expect(flowEvents(linked!.events)).toEqual([
      "flow_started fl regular",
      "flow_completed fl l_link",
      "flow_started ft link",
      "flow_completed ft t_say",
      "flow_started pattern_completed",
      expect.stringMatching(/^flow_completed pattern_completed /),
    ]);
    const [, answered] = await talk(newBot(), [["start flow fp"], ["set slot x one"]]);
    const events = flowEvents(answered!.events);
    expect(events).toContain("flow_completed fc c_say");
    expect(events).toContain("flow_completed fp p_say");
    expect(events.indexOf("flow_completed fc c_say")).toBeLessThan(events.indexOf("flow_completed fp p_say"));
  });

  it("NEXT:END for a cancelled flow (action_cancel_flow moved its frame there; flow_executor.py records previous_step_id)", async () => {
    const [, cancelled] = await talk(newBot(), [["start flow fo"], ["cancel flow"]]);
    expect(flowEvents(cancelled!.events)).toContain("flow_completed fo NEXT:END");
    expect(flowEvents(cancelled!.events)).toContain("flow_cancelled fo o_ask");
  });
});

describe("§b.3 / §e who is interrupted", () => {
  it("a flow started while a called child asks interrupts the parent at its call step, and the parent is resumed there (top user flow, call frames skipped)", async () => {
    const [, second] = await talk(newBot(), [["start flow fp"], ["start flow ft"]]);
    const events = flowEvents(second!.events);
    expect(events).toEqual([
      "flow_interrupted fp p_call",
      "flow_started ft interrupt",
      "flow_completed ft t_say",
      "flow_resumed fp p_call",
      "flow_started pattern_continue_interrupted",
      expect.stringMatching(/^flow_completed pattern_continue_interrupted /),
    ]);
  });

  it("a flow_<id> action on a stack holding only a pattern pushes an interrupt frame and records no FlowInterrupted (ActionTriggerFlow: only a top user frame is named)", async () => {
    const [first] = await talk(newBot(), [["hand over"]]);
    const events = flowEvents(first!.events);
    expect(events).toContain("flow_started ft interrupt");
    expect(events.some((e) => e.startsWith("flow_interrupted") || e.startsWith("flow_resumed"))).toBe(false);
    expect(first!.actions).toEqual(["flow_ft", "utter_t", "utter_after", "action_listen"]);
  });

  it("a flow_<id> action of a user flow names that flow at the action's step, among the action's own events (after its ActionExecuted)", async () => {
    const [first] = await talk(newBot(), [["start flow ftrig"]]);
    const outline = first!.events.flatMap((e): string[] => (e.event === "action" ? [`action ${e.name}`] : e.event === "flow_interrupted" ? [`flow_interrupted ${e.flow_id} ${e.step_id}`] : []));
    expect(outline.slice(0, 2)).toEqual(["action flow_ft", "flow_interrupted ftrig trig_run"]);
    expect(flowEvents(first!.events)).toContain("flow_resumed ftrig trig_run");
  });
});

describe("§b.4 / §e FlowStarted carries the frame type of the frame that starts", () => {
  it("call for a called child, right after the parent's FlowStarted, with no step of the parent between", async () => {
    const [first] = await talk(newBot(), [["start flow fp"]]);
    expect(flowEvents(first!.events)).toEqual(["flow_started fp regular", "flow_started fc call", "flow_started pattern_collect_information call"]);
  });
});

describe("§b.7.4 slot resets at a flow's end", () => {
  it("are SlotSet events marked as resets, for every collect step (one not reached included) and then every set_slots slot", async () => {
    const [, second] = await talk(newBot(), [["start flow fr"], ["set slot a y"]]);
    const resets = second!.events.filter((e) => e.event === "slot" && e.reset);
    expect(resets).toEqual([
      { event: "slot", name: "a", value: null, reset: true },
      { event: "slot", name: "b", value: null, reset: true },
      { event: "slot", name: "s", value: null, reset: true },
    ]);
    const order = second!.events.flatMap((e): string[] => (e.event === "slot" && e.reset ? ["reset"] : e.event === "flow_completed" ? [e.flow_id] : []));
    expect(order).toEqual(["pattern_collect_information", "reset", "reset", "reset", "fr", "pattern_completed"]);
  });

  it("are not made when a called child ends: its slot is reset with the parent", async () => {
    const [, second] = await talk(newBot(), [["start flow fp"], ["set slot x one"]]);
    const outline = second!.events.flatMap((e): string[] => (e.event === "slot" ? [`slot ${e.name}=${String(e.value)}${e.reset ? " reset" : ""}`] : e.event === "flow_completed" ? [`completed ${e.flow_id}`] : []));
    expect(outline).toEqual(["slot x=one", "completed pattern_collect_information", "completed fc", "slot x=null reset", "completed fp", "completed pattern_completed"]);
  });
});

describe("§b.5 step 2 ask_before_filling", () => {
  it("records SlotSet(slot, None) when the step is reached, even for a slot that is already empty, before the collect pattern starts", async () => {
    const [first] = await talk(newBot(), [["start flow fq"]]);
    const outline = first!.events.flatMap((e): string[] => (e.event === "slot" ? [`slot ${e.name}=${String(e.value)}`] : e.event === "flow_started" ? [`started ${e.flow_id}`] : []));
    expect(outline).toEqual(["started fq", "slot x=null", "started pattern_collect_information"]);
  });
});

describe("§b.2 pattern frame fields", () => {
  it("pattern_completed and pattern_continue_interrupted carry previous_flow_name, the readable name; the collect frame its collect, utter, collect_action and rejections", async () => {
    const [first, second] = await talk(newBot(), [["start flow fp"], ["start flow ft"]]);
    const collect = first!.state.stack.at(-1)!;
    expect(collect).toMatchObject({ type: "pattern_collect_information", flow_id: "pattern_collect_information", collect: "x", utter: "utter_ask_x", collect_action: "action_ask_x", rejections: [] });
    const continued = framesOf(second!.events).find((f) => f.flow_id === "pattern_continue_interrupted");
    expect(continued).toMatchObject({ type: "pattern_continue_interrupted", step_id: expect.any(String), previous_flow_name: "flow p" });
    const [completed] = await talk(newBot(), [["start flow ft"]]);
    expect(framesOf(completed!.events).find((f) => f.flow_id === "pattern_completed")).toMatchObject({ type: "pattern_completed", previous_flow_name: "ft" });
  });

  it("pattern_internal_error defaults to error_type rasa_internal_error_default; pattern_cannot_handle to reason cannot_handle_default", async () => {
    const [error] = await talk(newBot(), [["<error>"]]);
    expect(framesOf(error!.events).find((f) => f.flow_id === "pattern_internal_error")).toMatchObject({ type: "pattern_internal_error", error_type: "rasa_internal_error_default" });
    const [cannot] = await talk(newBot(), [["cannot handle"]]);
    expect(framesOf(cannot!.events).find((f) => f.flow_id === "pattern_cannot_handle")).toMatchObject({ type: "pattern_cannot_handle", reason: "cannot_handle_default" });
  });
});

describe("§b.9 flow guards are a command generator's filter only", () => {
  it("a StartFlow command handed to the processor starts a flow whose guard is false: StartFlowCommand does not evaluate it", async () => {
    const bot = newBot();
    const state = bot.initialState();
    expect(bot.parseCommands(state, ["start flow fg"])).toEqual([{ command: "cannot handle", reason: "cannot_handle_default" }]);
    const turn = await bot.handle(state, [{ command: "start flow", flow: "fg" }]);
    expect(turn.actions).toEqual(["utter_t", "utter_can_do_something_else", "action_listen"]);
    expect(flowEvents(turn.events)[0]).toBe("flow_started fg regular");
  });
});
