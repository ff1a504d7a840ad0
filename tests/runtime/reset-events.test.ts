/**
 * The slot events at a flow's end (runtime-semantics §b.7.4), in Rasa's order and number:
 * rasa/core/policies/flows/flow_executor.py `reset_scoped_slots` walks
 * `flow.steps_with_calls_resolved` (each step, and right after a `call` step the called flow's
 * steps; rasa/shared/core/flows/flow_step_sequence.py and steps/call.py `steps_in_tree`) and
 * appends one `SlotSet(slot, initial value)` per collect step that resets, then one per entry
 * of a `set_slots` step whose slot no collect step keeps, duplicates included.
 */
import { describe, expect, it } from "vitest";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  x: {type: text, mappings: [{type: from_llm}]}
  y: {type: text, mappings: [{type: from_llm}]}
  kept: {type: text, mappings: [{type: from_llm}]}
  z: {type: text, mappings: [{type: controlled}]}
  w: {type: text, mappings: [{type: controlled}]}
responses:
  utter_ask_x: [{text: "x?"}]
  utter_ask_y: [{text: "y?"}]
  utter_ask_kept: [{text: "kept?"}]
`;

const FLOWS = `
flows:
  parent:
    description: Collects x, calls child, collects x again and sets w.
    steps:
      - collect: x
      - call: child
      - id: again
        collect: x
        ask_before_filling: true
      - collect: kept
        reset_after_flow_ends: false
      - set_slots:
          - w: done
          - kept: set
  child:
    if: False
    description: Collects y and sets z.
    steps:
      - collect: y
      - set_slots:
          - z: done
`;

const newBot = await assistantFromYaml(DOMAIN, FLOWS);

describe("slot resets at a flow's end", () => {
  it("come one per collect step, a called flow's right after the call, then one per set_slots entry whose slot no step keeps", async () => {
    const turns = await talk(newBot(), [["start flow parent", "set slot x a"], ["set slot y b"], ["set slot x c"], ["set slot kept k"]]);
    const last = turns[turns.length - 1]!;
    const end = last.events.findIndex((e) => e.event === "flow_completed" && e.flow_id === "parent");
    const resets = last.events.slice(0, end).filter((e) => e.event === "slot" && e.reset === true);
    expect(resets.map((e) => (e.event === "slot" ? e.name : ""))).toEqual(["x", "y", "x", "z", "w"]);
    expect(last.state.slots).toMatchObject({ x: null, y: null, z: null, w: null, kept: "set" });
  });
});
