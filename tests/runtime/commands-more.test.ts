/**
 * More command-DSL cases, each derived from a sentence of runtime-semantics.md §d.2 (quoted in
 * the comment beside it) or from the corpus conventions of shared/runtime/scenarios.yml
 * (`/SetSlots(...)`, `<error>`); none is copied from flowc's output.
 */
import { describe, expect, it } from "vitest";
import { type Command, type ParseContext, parseCommandLines } from "../../runtime/commands.ts";

const context: ParseContext = {
  availableFlows: new Set(["transfer_money", "check_balance", "add_contact"]),
  slots: new Set(["recipient", "amount", "confirm", "size"]),
};

const CANNOT: Command = { command: "cannot handle", reason: "cannot_handle_default" };
const start = (flow: string): Command => ({ command: "start flow", flow });
const llm = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "LLM" });
const button = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "COMMAND_PAYLOAD_READER" });

describe("command DSL, more cases (§d.2)", () => {
  it.each<[string, readonly string[], readonly Command[]]>([
    // "Flow ids match [A-Za-z0-9_-]+, optionally quoted; text after the id is ignored."
    ["an unbalanced quote before the id", ['start flow "transfer_money'], [start("transfer_money")]],
    ["a second id after a comma is ignored", ["start flow transfer_money, check_balance"], [start("transfer_money")]],
    ["a hyphen is part of the flow id (here no available flow)", ["start flow check-balance"], [CANNOT]],
    // "`start flow X` is kept only if X is a user flow in the available list"
    ["a flow id differing in case is not available", ["start flow Transfer_Money"], [CANNOT]],
    // "Lines are split on newlines and trimmed"; "Output order = line order"
    ["two start flows in line order", ["start flow check_balance\nstart flow transfer_money"], [start("check_balance"), start("transfer_money")]],
    ["code fences around the commands are unparsable lines", ["```", "start flow transfer_money", "```"], [start("transfer_money")]],
    ["tabs around a line are trimmed", ["\tset slot recipient John\t"], [llm("recipient", "John")]],
    // "`set slot NAME VALUE`: ... value = rest of the line, quotes/spaces stripped at both ends"
    ["the value is the rest of the line", ["set slot amount 50 USD"], [llm("amount", "50 USD")]],
    ["quoted name and value", ['set slot "amount" "50"'], [llm("amount", "50")]],
    ["quotes inside the value stay", ["set slot recipient \"John\" Smith\""], [llm("recipient", 'John" Smith')]],
    ["a value of spaces between quotes is empty → null", ["set slot amount '  '"], [llm("amount", null)]],
    // "Values `None`, `null`, `undefined`, `[missing]`, `[missing information]`, empty → null"
    ["a quoted None is None", ["set slot recipient 'None'"], [llm("recipient", null)]],
    ["Null is not one of the spellings", ["set slot recipient Null"], [llm("recipient", "Null")]],
    // "name `[A-Za-z_][A-Za-z0-9_-]*`"
    ["a slot name with a hyphen", ["set slot a-b 5"], [llm("a-b", "5")]],
    ["a slot name starting with a digit is no command", ["set slot 1st 5"], [CANNOT]],
    // "Values stay strings; typing happens when the slot is set"
    ["a number value stays text", ["set slot amount 1e3"], [llm("amount", "1e3")]],
    // "Special case: `set slot flow_name X` is turned into `start flow X`" (quotes stripped first)
    ["flow_name with a quoted flow id", ['set slot flow_name "check_balance"'], [start("check_balance")]],
    // "Matching is case-sensitive"
    ["Set Slot is no command", ["Set slot amount 5"], [CANNOT]],
    // repeated commands are all produced; dropping duplicates is the processor's job (§a.3)
    ["a repeated cancel flow", ["cancel flow", "cancel flow"], [{ command: "cancel flow" }, { command: "cancel flow" }]],
    ["a repeated set slot", ["set slot recipient Ann", "set slot recipient Bo"], [llm("recipient", "Ann"), llm("recipient", "Bo")]],
    // "`cancel flow`, ... must be the whole line"
    ["cancel flow with two spaces inside", ["cancel  flow"], [CANNOT]],
    ["a trailing period after skip question", ["skip question."], [CANNOT]],
    // "`disambiguate flows …`: options split on spaces/commas, quotes stripped, sorted alphabetically,
    // filtered to available user flows; exactly one distinct valid option → StartFlow; several → Clarify"
    ["options separated by a comma without a space", ["disambiguate flows transfer_money,check_balance"], [{ command: "clarify", options: ["check_balance", "transfer_money"] }]],
    ["one option → start flow", ["disambiguate flows transfer_money"], [start("transfer_money")]],
    ["no option at all is no command", ["disambiguate flows"], [CANNOT]],
    ["mixed quotes, unknown options dropped", [`disambiguate flows 'transfer_money' "check_balance" unknown, add_contact`], [{ command: "clarify", options: ["add_contact", "check_balance", "transfer_money"] }]],
    // v1 (§d.2 table): `Clarify(a, b, c)`, `SetSlot(slot, value)`
    ["v1 Clarify with quoted options", ['Clarify("transfer_money", "check_balance")'], [{ command: "clarify", options: ["check_balance", "transfer_money"] }]],
    ["v1 SetSlot without a space after the comma", ["SetSlot(amount,50)"], [llm("amount", "50")]],
    ["v1 SetSlot with a none spelling", ["SetSlot(recipient, [missing information])"], [llm("recipient", null)]],
    ["v1 StartFlow of an unavailable flow", ["StartFlow(unknown_flow)"], [CANNOT]],
    // "No parsable line at all → the generator returns [CannotHandleCommand()]"
    ["prose only", ["I will start the transfer flow for you."], [CANNOT]],
    // corpus extensions: `/SetSlots(slot=value)` → SetSlot with extractor COMMAND_PAYLOAD_READER
    ["a payload value with a decimal point stays text", ["/SetSlots(amount=50.5)"], [button("amount", "50.5")]],
    ["payload names and values are trimmed", ["/SetSlots( recipient = John )"], [button("recipient", "John")]],
    ["a payload value with an apostrophe, pairs without spaces", ["/SetSlots(recipient=O'Brien,amount=5)"], [button("recipient", "O'Brien"), button("amount", "5")]],
    ["an `=` inside a payload value", ["/SetSlots(recipient=a=b)"], [button("recipient", "a=b")]],
    ["NONE in a payload is null", ["/SetSlots(confirm=NONE)"], [button("confirm", null)]],
    ["a payload pair without a value sets nothing", ["/SetSlots(recipient=)"], [CANNOT]],
    ["a payload and a DSL line", ["/SetSlots(size=large)", "start flow transfer_money"], [button("size", "large"), start("transfer_money")]],
    // "<error>": ErrorCommand (what Rasa emits when the LLM call fails)
    ["<error> twice", ["<error>", "<error>"], [{ command: "error", errorType: "rasa_internal_error_default" }, { command: "error", errorType: "rasa_internal_error_default" }]],
    ["<error> in another case is no error", ["<ERROR>"], [CANNOT]],
  ])("%s", (_name, lines, expected) => {
    expect(parseCommandLines(lines, context)).toEqual(expected);
  });
});
