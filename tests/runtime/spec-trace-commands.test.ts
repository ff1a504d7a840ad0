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
