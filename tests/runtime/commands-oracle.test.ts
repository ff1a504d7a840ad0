/**
 * Command DSL cases whose expected commands were answered by a local reference model of Rasa
 * 3.12's command parser (the 3.12 command regexes and `from_dsl` clean-up, `parse_commands`,
 * the payload reader), wrapped in flowc's corpus conventions (runtime-semantics.md §d.2:
 * v2 first, v1 only when no line is v2, CannotHandle when nothing is left). They were picked
 * from a differential fuzz run (LLM-like outputs: prefixes, trailing text, several commands on
 * a line, Unicode, Python line breaks, payloads) to pin the rules each one names; none is
 * copied from flowc's output.
 */
import { describe, expect, it } from "vitest";
import { type Command, type ParseContext, parseCommandLines } from "../../runtime/commands.ts";

const context: ParseContext = {
  availableFlows: new Set(["transfer_money", "check_balance", "add-contact"]),
  slots: new Set(["recipient", "amount", "confirm"]),
};

const CANNOT: Command = { command: "cannot handle", reason: "cannot_handle_default" };
const start = (flow: string): Command => ({ command: "start flow", flow });
const llm = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "LLM" });
const button = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "COMMAND_PAYLOAD_READER" });

describe("command DSL against the reference parser (§d.2)", () => {
  it.each<[string, readonly string[], readonly Command[]]>([
    // v2 prefix `^[^\w]*` with Python's Unicode `\w`: numbers of any script are word characters
    ["a circled digit before the keyword", ["\u2460start flow transfer_money"], [CANNOT]],
    ["a superscript two", ["\u00b2 start flow transfer_money"], [CANNOT]],
    ["a roman numeral", ["\u216b start flow transfer_money"], [CANNOT]],
    ["an Arabic-Indic digit", ["\u0663. start flow transfer_money"], [CANNOT]],
    ["a mathematical digit outside the BMP", ["\u{1d7d9} start flow transfer_money"], [CANNOT]],
    ["a letter with an accent", ["\u00e9 start flow transfer_money"], [CANNOT]],
    ["an underscore is a word character", ["_ start flow transfer_money"], [CANNOT]],
    // ...while symbols, marks and the BOM (not white space in Python) are not
    ["an emoji", ["\u{1f642} start flow transfer_money"], [start("transfer_money")]],
    ["a lone combining mark", ["\u0301start flow transfer_money"], [start("transfer_money")]],
    ["a byte order mark", ["\ufeffstart flow transfer_money"], [start("transfer_money")]],
    // lines are Python-stripped: NBSP is white space, a zero-width space is not
    ["NBSP around a line", ["\u00a0- set slot amount 5\u00a0"], [llm("amount", "5")]],
    ["a zero-width space stays in the value", ["set slot amount 5\u200b"], [llm("amount", "5\u200b")]],
    ["NBSP inside the value's end is stripped with the line", ["set slot recipient John\u00a0"], [llm("recipient", "John")]],
    // Python `splitlines` boundaries
    ["U+001C splits lines", ["start flow transfer_money\x1cstart flow check_balance"], [start("transfer_money"), start("check_balance")]],
    ["U+0085 splits lines", ["cancel flow\x85skip question"], [{ command: "cancel flow" }, { command: "skip question" }]],
    ["U+2028 and U+2029 split lines", ["start flow transfer_money\u2028\u2029hand over"], [start("transfer_money"), { command: "human handoff" }]],
    // several commands on one line: each regex is tried once per line
    ["start flow ignores the rest of the line", ["start flow transfer_money set slot amount 5"], [start("transfer_money")]],
    ["set slot's value swallows the rest", ["set slot amount 5 start flow transfer_money"], [llm("amount", "5 start flow transfer_money")]],
    ["v1: parser order, set slot first", ["StartFlow(transfer_money) SetSlot(amount, 5)"], [llm("amount", "5"), start("transfer_money")]],
    ["v1: the value runs to the last `)`", ["SetSlot(amount, 5) CancelFlow() StartFlow(check_balance)"], [llm("amount", "5) CancelFlow() StartFlow(check_balance"), start("check_balance"), { command: "cancel flow" }]],
    // values: quotes and spaces stripped at both ends, then the none spellings
    ["v1: parentheses inside a value", ["SetSlot(recipient, f(x))"], [llm("recipient", "f(x)")]],
    ["v1: a quoted value", ['SetSlot(recipient, "Ann")'], [llm("recipient", "Ann")]],
    ["v1: a quoted None", ["SetSlot(recipient, 'None')"], [llm("recipient", null)]],
    ["v1: two spaces after the comma", ["SetSlot(recipient,  John)"], [llm("recipient", "John")]],
    ["backticks are not quotes", ["set slot recipient `John`"], [llm("recipient", "`John`")]],
    ["an empty quoted value", ['set slot recipient ""'], [llm("recipient", null)]],
    ["a lone quote", ["set slot recipient '"], [llm("recipient", null)]],
    // `set slot flow_name X` → start flow X, validated like one
    ["flow_name None", ["set slot flow_name None"], [CANNOT]],
    ["flow_name with a trailing period", ["set slot flow_name transfer_money."], [CANNOT]],
    // flow ids are looked up as ids, never as object properties
    ["start flow constructor", ["start flow constructor"], [CANNOT]],
    ["disambiguation between prototype names", ["disambiguate flows constructor, __proto__"], [CANNOT]],
    // disambiguation: sorted, filtered, duplicates kept; one distinct option → start flow
    ["the same option twice", ["disambiguate flows transfer_money transfer_money"], [start("transfer_money")]],
    ["a duplicate among several", ["disambiguate flows transfer_money, transfer_money, check_balance"], [{ command: "clarify", options: ["check_balance", "transfer_money", "transfer_money"] }]],
    ["a hyphen is outside the options' character class", ["disambiguate flows 'add-contact' transfer_money"], [CANNOT]],
    ["v1 Clarify without options", ["Clarify()"], [CANNOT]],
    // one syntax per message: v1 lines are ignored once a line is v2
    ["a v1 line after a v2 line", ["start flow transfer_money", "CancelFlow()"], [start("transfer_money")]],
    ["a v2 line that matched but was dropped still makes the message v2", ["CancelFlow()", "start flow unknown"], [CANNOT]],
    ["change", ["change"], [{ command: "change flow" }]],
    ["change after a list dash", ["- change"], [{ command: "change flow" }]],
    ["cannot handle between code fences", ["```", "cannot handle", "```"], [CANNOT]],
    // the payload reader: `findall` over the whole line, `=` limit, unknown slot drops the payload
    ["text after a payload", ["/SetSlots(amount=1, recipient=a, confirm=b)extra"], [button("amount", "1"), button("recipient", "a"), button("confirm", "b")]],
    ["a DSL command after a payload on its line is not read", ["/SetSlots(amount=5) start flow transfer_money"], [button("amount", "5")]],
    ["eleven `=`", [`/SetSlots(${Array.from({ length: 11 }, (_, i) => `amount=${i}`).join(",")})`], [CANNOT]],
    ["a doubled `=` starts the value", ["/SetSlots(amount==5)"], [button("amount", "=5")]],
    ["a payload with an unknown slot, then a DSL line", ["/SetSlots(amount=5, unknown=1)", "start flow check_balance"], [start("check_balance")]],
    // corpus `<error TYPE>` lines
    ["an error line without a type", ["<error >"], [CANNOT]],
    ["an error type with a hyphen", ["<error a-b>"], [CANNOT]],
    ["a typed error line with spaces around", ["  <error rasa_internal_error_user_input_empty>  "], [{ command: "error", errorType: "rasa_internal_error_user_input_empty" }]],
  ])("%s", (_name, lines, expected) => {
    expect(parseCommandLines(lines, context)).toEqual(expected);
  });
});
