/**
 * The command generator's check of LLM SetSlot commands against the slots' mappings
 * (Rasa's `_check_commands_against_slot_mappings` / `SlotFillingManager.should_fill_slot`):
 * mapping conditions on the current context's flow, and intents, which a CALM message
 * without NLU never has. Expectations from Rasa's code (rasa/shared/core/slot_mappings.py,
 * rasa/dialogue_understanding/generator/llm_based_command_generator.py).
 */
import { describe, expect, it } from "vitest";
import { type Command, parseCommandLines } from "../../runtime/commands.ts";
import type { CompiledAssistant, SlotDefinition } from "../../runtime/model.ts";
import { slotFillability } from "../../runtime/slot-mappings.ts";
import type { Stack } from "../../runtime/stack.ts";

function assistantWith(mappings: Record<string, SlotDefinition["mappings"]>): CompiledAssistant {
  const slots: Record<string, SlotDefinition> = {};
  for (const [name, slotMappings] of Object.entries(mappings)) slots[name] = { name, type: "text", initialValue: null, mappings: slotMappings };
  return { slots } as unknown as CompiledAssistant;
}

const userFrame = (flow: string): Stack[number] => ({ frame_id: flow, type: "flow", flow_id: flow, step_id: "s", frame_type: "regular" });
const collectFrame = (slot: string): Stack[number] => ({ frame_id: `c${slot}`, type: "pattern_collect_information", flow_id: "pattern_collect_information", step_id: "start", collect: slot });

const assistant = assistantWith({
  plain: [{ type: "from_llm" }],
  none: [],
  in_fa: [{ type: "from_llm", conditions: [{ active_flow: "fa" }] }],
  in_fa_or_fb: [{ type: "from_llm", conditions: [{ active_flow: "fb" }] }, { type: "from_llm", conditions: [{ active_flow: "fa" }] }],
  no_loop: [{ type: "from_llm", conditions: [{ active_loop: null }] }],
  by_intent: [{ type: "from_llm", intent: "inform" }],
  not_intent: [{ type: "from_llm", not_intent: ["chitchat"] }],
  trigger: [{ type: "from_trigger_intent", value: "x", conditions: [{ active_loop: "form" }] }],
});

describe("slot mappings an LLM SetSlot must pass", () => {
  it("conditions name the flow of the current context (the flow under a collect question)", () => {
    const atFa = slotFillability(assistant, { stack: [userFrame("fa"), collectFrame("in_fa")] });
    expect(["plain", "none", "in_fa", "in_fa_or_fb", "no_loop", "trigger"].map((s) => atFa.has(s))).toEqual([true, true, true, true, false, true]);
    const atFb = slotFillability(assistant, { stack: [userFrame("fa"), userFrame("fb")] });
    expect(["in_fa", "in_fa_or_fb"].map((s) => atFb.has(s))).toEqual([false, true]);
  });

  it("with an empty stack only `active_loop: null` matches", () => {
    const empty = slotFillability(assistant, { stack: [] });
    expect(["plain", "in_fa", "no_loop"].map((s) => empty.has(s))).toEqual([true, false, true]);
  });

  it("a mapping that needs an intent never fills; `not_intent` does not stop it", () => {
    const any = slotFillability(assistant, { stack: [] });
    expect([any.has("by_intent"), any.has("not_intent")]).toEqual([false, true]);
  });

  it("parseCommandLines removes only LLM SetSlots of domain slots, after the CannotHandle fallback", () => {
    const context = { availableFlows: new Set<string>(), slots: new Set(["in_fa", "plain"]), fillableSlots: new Set(["plain"]) };
    const llm = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "LLM" });
    expect(parseCommandLines(["set slot in_fa x"], context)).toEqual([]);
    expect(parseCommandLines(["set slot in_fa x", "set slot plain y", "set slot unknown z"], context)).toEqual([llm("plain", "y"), llm("unknown", "z")]);
    expect(parseCommandLines(["/SetSlots(in_fa=x)"], context)).toEqual([{ command: "set slot", name: "in_fa", value: "x", extractor: "COMMAND_PAYLOAD_READER" }]);
  });
});
