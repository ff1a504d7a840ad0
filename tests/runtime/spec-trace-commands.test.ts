/**
 * Traceability guards for runtime-semantics.md §d.2 (the command DSL) that the scenario format
 * cannot show: what a line parses to, before the command processor sees it. Each expectation
 * comes from the spec sentence quoted beside it or, where the spec is silent or simplifies, from
 * Rasa 3.12's regexes (set_slot_command.py / start_flow_command.py of the 3.12 era, v1 and v2
 * syntax only; command_parser.py: every regex is tried with `search` on each line of
 * `splitlines()`); none is taken from flowc's output.
 */
import { describe, expect, it } from "vitest";
import { type Command, type ParseContext, parseCommandLines } from "../../runtime/commands.ts";
import { assistantFromYaml } from "../support/assistant.ts";

const context: ParseContext = {
  availableFlows: new Set(["transfer_money", "check_balance"]),
  slots: new Set(["recipient", "amount"]),
};

const CANNOT: Command = { command: "cannot handle", reason: "cannot_handle_default" };
const start = (flow: string): Command => ({ command: "start flow", flow });
const llm = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "LLM" });
const parse = (...lines: string[]): Command[] => parseCommandLines(lines, context);

describe("§d.2 quoting: 3.12 regexes accept ' and \" only", () => {
  // 3.12 v2: `start flow ['"]?([a-zA-Z0-9_-]+)['"]?`, `set slot ['"]?([a-zA-Z_][a-zA-Z0-9_-]*)['"]? ...`;
  // backticks came with the newer `['"`]?` regexes (3.13+), not the project's baseline.
  it("a flow id in backticks is no start flow", () => {
    expect(parse("start flow `transfer_money`")).toEqual([CANNOT]);
  });

  it("a slot name in backticks is no set slot", () => {
    expect(parse("set slot `amount` 5")).toEqual([CANNOT]);
  });

  it("backticks around a value stay: clean_extracted_value strips only quotes and spaces", () => {
    expect(parse("set slot amount `5`")).toEqual([llm("amount", "`5`")]);
  });
});

describe("§d.2 one command per v2 line", () => {
  // "`cancel flow` … must be the whole line"; "text after the id is ignored".
  it("a cancel after a start on the same line is part of the ignored rest", () => {
    expect(parse("start flow transfer_money cancel flow")).toEqual([start("transfer_money")]);
  });

  it("a start after a cancel on the same line makes neither command", () => {
    expect(parse("cancel flow start flow transfer_money")).toEqual([CANNOT]);
  });
});

describe("§d.2 lines: Python's splitlines()", () => {
  // "Lines are split on newlines and trimmed" — Rasa splits with str.splitlines(), which also
  // breaks at \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029.
  it.each([
    ["\\u2028", "\u2028"],
    ["\\x85", "\x85"],
    ["\\v", "\v"],
  ])("breaks a line at %s", (_name, separator) => {
    expect(parse(`start flow transfer_money${separator}set slot amount 5`)).toEqual([start("transfer_money"), llm("amount", "5")]);
  });

  it("an <error> line with spaces around it is still the error (lines are trimmed)", () => {
    expect(parse("  <error>  ")).toEqual([{ command: "error", errorType: "rasa_internal_error_default" }]);
  });
});

describe("§d.2 v1 values", () => {
  // v1: `SetSlot\(['"]?([a-zA-Z_][a-zA-Z0-9_-]*)['"]?, ?['"]?(.*)['"]?\)` — the value group
  // is greedy, so it runs to the last `)` of the line. The spec's "everything up to the first
  // `)`" is the same for a line with one parenthesis, which is what an LLM writes.
  it("a quoted value with a comma stays whole", () => {
    expect(parse('SetSlot(recipient, "Smith, John")')).toEqual([llm("recipient", "Smith, John")]);
  });

  it("the value runs to the last parenthesis of the line (Rasa's greedy group)", () => {
    expect(parse("SetSlot(recipient, John (Jr))")).toEqual([llm("recipient", "John (Jr)")]);
  });

  it("Clarify() without options is dropped, so nothing parsed", () => {
    // §d.2 "none → dropped"; command_parser.py _parse_clarify_command: no options → None.
    expect(parse("Clarify()")).toEqual([CANNOT]);
  });
});

// ---------------------------------------------------------------------------------------------
// §a.3 the extractor/mapping check of SetSlot commands for NLU values, which only the runtime
// API can hand in (the DSL yields LLM and button-payload SetSlots). Expectations from Rasa
// 3.12's command-processor tests (tests/dialogue_understanding/processor/
// test_command_processor.py of the 3.12 era, with HandleDigressionsCommand):
// test_command_processor_should_slot_be_set(_invalid), test_should_slot_be_set_single_mapping_type_*,
// test_should_slot_be_set_disallow_llm_value / _accept_llm_value.

const NLU_DOMAIN = `
entities:
  - city
slots:
  city:
    type: text
    mappings:
      - type: from_entity
        entity: city
  name:
    type: text
    mappings:
      - type: from_llm
  both:
    type: text
    mappings:
      - type: from_entity
        entity: city
      - type: from_llm
    validation:
      rejections:
        - if: slots.both = "never"
          utter: utter_ask_both
  last:
    type: text
    mappings:
      - type: from_llm
responses:
  utter_ask_last:
    - text: "last?"
  utter_ask_city:
    - text: "city?"
  utter_ask_name:
    - text: "name?"
  utter_ask_both:
    - text: "both?"
`;

const NLU_FLOWS = `
flows:
  fa:
    description: Asks city, name, both and last.
    steps:
      - collect: city
      - collect: name
      - collect: both
      - collect: last
`;

const newNluBot = await assistantFromYaml(NLU_DOMAIN, NLU_FLOWS);
const nlu = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "NLU" });

/** Starts fa, then runs each list of commands as one turn; returns the last turn. */
async function afterStart(...turns: (readonly Command[])[]) {
  const bot = newNluBot();
  let state = (await bot.handle(bot.initialState(), [start("fa")])).state;
  let last;
  for (const commands of turns) {
    last = await bot.handle(state, commands);
    state = last.state;
  }
  return last!;
}

describe("§a.3 should_slot_be_set for NLU values (runtime API)", () => {
  it("an NLU value fills a slot with an NLU mapping (from_entity + NLU is valid)", async () => {
    const turn = await afterStart([nlu("city", "Oslo")]);
    expect(turn.messages.map((m) => m.response)).toEqual(["utter_ask_name"]);
    expect(turn.state.slots["city"]).toBe("Oslo");
  });

  it("an NLU value for a from_llm-only slot is refused as incompatible: CannotHandle, then the question again", async () => {
    const turn = await afterStart([nlu("city", "Oslo")], [nlu("name", "Ann")]);
    expect(turn.messages.map((m) => m.response)).toEqual(["utter_ask_rephrase", "utter_ask_name"]);
    expect(turn.state.slots["name"]).toBe(null);
  });

  it("an LLM value for a slot with both mappings is kept when no NLU value came with it", async () => {
    const turn = await afterStart([nlu("city", "Oslo")], [llm("name", "Ann")], [llm("both", "x")]);
    expect(turn.state.slots["both"]).toBe("x");
  });

  it("an LLM value after an NLU value for the same slot is dropped without a CannotHandle", async () => {
    // Only the NLU SetSlot runs, so one pattern_validate_slot (§a.2.7) checks `both`, then the
    // collect step's own rejections, then the next question: a kept LLM SetSlot would queue a second.
    const turn = await afterStart([nlu("city", "Oslo")], [llm("name", "Ann")], [nlu("both", "from nlu"), llm("both", "from llm")]);
    expect(turn.actions).toEqual(["action_run_slot_rejections", "action_run_slot_rejections", "action_run_slot_rejections", "utter_ask_last", "action_listen"]);
    expect(turn.state.slots["both"]).toBe("from nlu");
  });
});

// §a.3 "LLM value for a slot currently filled by NLU → dropped unless a from_llm mapping has
// allow_nlu_correction: true". Rasa keeps the extractor with the slot (`filled_by`, from the
// SlotSet of the SetSlot command); flowc keeps it in the state's `nluSlots`, and any other
// write of the slot (a set_slots step, a custom action, a reset) takes the mark off.

const CORRECTION_DOMAIN = `
entities:
  - city
slots:
  fixed:
    type: text
    mappings:
      - type: from_entity
        entity: city
      - type: from_llm
  open:
    type: text
    mappings:
      - type: from_entity
        entity: city
      - type: from_llm
        allow_nlu_correction: true
  done:
    type: bool
responses:
  utter_ask_fixed:
    - text: "fixed?"
  utter_ask_open:
    - text: "open?"
  utter_ask_done:
    - text: "done?"
`;

const CORRECTION_FLOWS = `
flows:
  fc:
    description: Asks fixed, open and done.
    steps:
      - collect: fixed
      - collect: open
      - collect: done
  fs:
    description: Asks fixed, then sets it, then asks done.
    steps:
      - collect: fixed
      - set_slots:
          - fixed: from the flow
      - collect: done
`;

const newCorrectionBot = await assistantFromYaml(CORRECTION_DOMAIN, CORRECTION_FLOWS);

describe("§a.3 an LLM value for a slot that an NLU value filled (allow_nlu_correction)", () => {
  async function conversation(flow: string, ...turns: (readonly Command[])[]) {
    const bot = newCorrectionBot();
    let state = (await bot.handle(bot.initialState(), [start(flow)])).state;
    const results = [];
    for (const commands of turns) {
      const turn = await bot.handle(state, commands);
      results.push(turn);
      state = turn.state;
    }
    return { bot, results, last: results[results.length - 1]! };
  }

  it("is dropped without a CannotHandle when no from_llm mapping allows it: no correction, the question stays", async () => {
    const { last } = await conversation("fc", [nlu("fixed", "Oslo")], [llm("open", "x")], [llm("fixed", "Rome")]);
    expect(last.state.slots["fixed"]).toBe("Oslo");
    expect(last.state.stack.some((frame) => frame.flow_id === "pattern_correction")).toBe(false);
    expect(last.messages.map((m) => m.response)).toEqual(["utter_ask_done"]);
    expect(last.actions).not.toContain("action_correct_flow_slot");
  });

  it("becomes a correction when the slot's from_llm mapping has allow_nlu_correction: true", async () => {
    const { last } = await conversation("fc", [nlu("fixed", "Oslo")], [nlu("open", "Oslo")], [llm("open", "Rome")]);
    expect(last.actions).toContain("action_correct_flow_slot");
    expect(last.state.slots["open"]).toBe("Rome");
    expect(last.state.nluSlots).not.toContain("open"); // the LLM's value is the slot's now
  });

  it("goes through once the slot holds a value that did not come from NLU", async () => {
    const { results, last } = await conversation("fs", [nlu("fixed", "Oslo")], [llm("fixed", "Rome")]);
    expect(results[0]!.state.slots["fixed"]).toBe("from the flow");
    expect(results[0]!.state.nluSlots).toEqual([]);
    // the correction rewinds to `collect: fixed`, sets Rome, and the flow goes on to set it again
    expect(last.actions).toContain("action_correct_flow_slot");
    expect(last.events).toContainEqual({ event: "slot", name: "fixed", value: "Rome" });
  });

  it("is a mark of the value: an NLU correction keeps it, a button payload may still change the slot", async () => {
    const { results } = await conversation("fc", [nlu("fixed", "Oslo")], [nlu("fixed", "Rome")], [{ command: "set slot", name: "fixed", value: "Bern", extractor: "COMMAND_PAYLOAD_READER" }]);
    expect(results[1]!.state.slots["fixed"]).toBe("Rome");
    expect(results[1]!.state.nluSlots).toEqual(["fixed"]);
    expect(results[2]!.state.slots["fixed"]).toBe("Bern");
    expect(results[2]!.state.nluSlots).toEqual([]);
  });

  it("is kept in the saved state, and a state whose nluSlots is not a list of names is refused", async () => {
    const { bot, last } = await conversation("fc", [nlu("fixed", "Oslo")]);
    const stored = JSON.parse(JSON.stringify(last.state)) as Record<string, unknown>;
    const loaded = bot.loadState(stored);
    expect(loaded.nluSlots).toEqual(["fixed"]);
    const after = await bot.handle(loaded, [llm("fixed", "Rome")]);
    expect(after.state.slots["fixed"]).toBe("Oslo");
    expect(bot.loadState({ ...stored, nluSlots: undefined }).nluSlots).toEqual([]); // a state of an earlier flowc
    expect(() => bot.loadState({ ...stored, nluSlots: "fixed" })).toThrow(/nluSlots must be a list/);
    expect(() => bot.loadState({ ...stored, nluSlots: [1] })).toThrow(/nluSlots\[0\]/);
  });
});
