import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import {
  type Command,
  type ParseContext,
  describeCommand,
  parseCommandLines,
  parsePayload,
} from "../../runtime/commands.ts";

const context: ParseContext = {
  availableFlows: new Set(["transfer_money", "check_balance", "add_contact", "remove_contact", "my-flow"]),
  slots: new Set(["recipient", "amount", "name", "confirm"]),
};

const CANNOT: Command = { command: "cannot handle", reason: "cannot_handle_default" };
const parse = (...lines: string[]): Command[] => parseCommandLines(lines, context);
const llmSet = (name: string, value: unknown): Command => ({ command: "set slot", name, value, extractor: "LLM" });
const payloadSet = (name: string, value: unknown): Command => ({
  command: "set slot",
  name,
  value,
  extractor: "COMMAND_PAYLOAD_READER",
});

describe("DSL v2", () => {
  it.each<[string, Command]>([
    ["start flow transfer_money", { command: "start flow", flow: "transfer_money" }],
    ["set slot recipient John", llmSet("recipient", "John")],
    ["cancel flow", { command: "cancel flow" }],
    ["disambiguate flows check_balance transfer_money", { command: "clarify", options: ["check_balance", "transfer_money"] }],
    ["provide info", { command: "knowledge" }],
    ["offtopic reply", { command: "chitchat" }],
    ["hand over", { command: "human handoff" }],
    ["skip question", { command: "skip question" }],
    ["repeat message", { command: "repeat" }],
    ["cannot handle", CANNOT],
    ["change", { command: "change flow" }],
  ])("%s", (line, expected) => {
    expect(parse(line)).toEqual([expected]);
  });

  it("keeps the order of the lines", () => {
    expect(parse("start flow transfer_money", "set slot amount 50", "set slot recipient Jane")).toEqual([
      { command: "start flow", flow: "transfer_money" },
      llmSet("amount", "50"),
      llmSet("recipient", "Jane"),
    ]);
  });

  it("trims lines and splits elements on line breaks", () => {
    expect(parse("  start flow transfer_money  ", "set slot amount 5\r\ncancel flow")).toEqual([
      { command: "start flow", flow: "transfer_money" },
      llmSet("amount", "5"),
      { command: "cancel flow" },
    ]);
  });
});

describe("DSL v1 (fallback when no line matches a v2 command)", () => {
  it.each<[string, Command]>([
    ["StartFlow(transfer_money)", { command: "start flow", flow: "transfer_money" }],
    ["StartFlow('transfer_money')", { command: "start flow", flow: "transfer_money" }],
    ["SetSlot(recipient, John)", llmSet("recipient", "John")],
    ['SetSlot("recipient", "John Smith")', llmSet("recipient", "John Smith")],
    ["CancelFlow()", { command: "cancel flow" }],
    ["Clarify(transfer_money, check_balance)", { command: "clarify", options: ["check_balance", "transfer_money"] }],
    ["SearchAndReply()", { command: "knowledge" }],
    ["ChitChat()", { command: "chitchat" }],
    ["HumanHandoff()", { command: "human handoff" }],
    ["SkipQuestion()", { command: "skip question" }],
    ["RepeatLastBotMessages()", { command: "repeat" }],
    ["CannotHandle()", CANNOT],
    ["ChangeFlow()", { command: "change flow" }],
  ])("%s", (line, expected) => {
    expect(parse(line)).toEqual([expected]);
  });

  it("is an unanchored search, so prefixes and numbering are fine", () => {
    expect(parse("1. StartFlow(transfer_money)", "Action: CancelFlow()")).toEqual([
      { command: "start flow", flow: "transfer_money" },
      { command: "cancel flow" },
    ]);
  });

  it("one line may hold several commands (parser order: SetSlot before StartFlow)", () => {
    expect(parse("StartFlow(transfer_money) SetSlot(amount, 5)")).toEqual([
      llmSet("amount", "5"),
      { command: "start flow", flow: "transfer_money" },
    ]);
  });

  it("v1 null values and flow_name", () => {
    expect(parse("SetSlot(recipient, None)", "SetSlot(flow_name, check_balance)")).toEqual([
      llmSet("recipient", null),
      { command: "start flow", flow: "check_balance" },
    ]);
  });

  it("is not used as soon as one line is v2, even a dropped one", () => {
    expect(parse("start flow unknown", "StartFlow(transfer_money)")).toEqual([CANNOT]);
    expect(parse("set slot amount 3", "StartFlow(transfer_money)")).toEqual([llmSet("amount", "3")]);
  });

  it("v2 spellings are not v1: `StartFlow` needs parentheses", () => {
    expect(parse("StartFlow transfer_money")).toEqual([CANNOT]);
  });
});

describe("prefixes and case", () => {
  it("accepts non-word characters before the keyword", () => {
    expect(parse("- start flow transfer_money", "* cancel flow", "`set slot amount 5", "-- > hand over")).toEqual([
      { command: "start flow", flow: "transfer_money" },
      { command: "cancel flow" },
      llmSet("amount", "5"),
      { command: "human handoff" },
    ]);
  });

  it("rejects list numbering and words before the keyword (3.12 regexes)", () => {
    expect(parse("1. start flow transfer_money")).toEqual([CANNOT]);
    expect(parse("Action: cancel flow")).toEqual([CANNOT]);
    expect(parse("é start flow transfer_money")).toEqual([CANNOT]);
  });

  it("is case-sensitive", () => {
    expect(parse("Start Flow transfer_money")).toEqual([CANNOT]);
    expect(parse("START FLOW transfer_money")).toEqual([CANNOT]);
    expect(parse("Cancel flow")).toEqual([CANNOT]);
    expect(parse("cancelflow()")).toEqual([CANNOT]);
  });

  it("argument-less commands must be the whole line", () => {
    for (const line of ["cancel flow now", "cancel flow.", "hand over please", "repeat message'", "skip question!", "change flow"]) {
      expect(parse(line), line).toEqual([CANNOT]);
    }
  });
});

describe("the prefix before a command", () => {
  // Python's `^[^\w]*`: any run of characters that are not letters, digits or `_`. A line that
  // starts with a word character takes a quicker regex; both must read lines alike.
  it.each<[string, Command[]]>([
    ["start flow transfer_money", [{ command: "start flow", flow: "transfer_money" }]],
    ["- start flow transfer_money", [{ command: "start flow", flow: "transfer_money" }]],
    ["\u00a0start flow transfer_money", [{ command: "start flow", flow: "transfer_money" }]],
    ["\u00bfstart flow transfer_money", [{ command: "start flow", flow: "transfer_money" }]],
    ["1start flow transfer_money", [CANNOT]],
    ["_start flow transfer_money", [CANNOT]],
    ["\u00e9start flow transfer_money", [CANNOT]],
    ["\u0661start flow transfer_money", [CANNOT]],
  ])("%j", (line, expected) => {
    expect(parse(line)).toEqual(expected);
  });
});

describe("start flow", () => {
  it("accepts quoted ids and ignores the rest of the line", () => {
    expect(parse('start flow "transfer_money"', "start flow 'check_balance' because the user asked")).toEqual([
      { command: "start flow", flow: "transfer_money" },
      { command: "start flow", flow: "check_balance" },
    ]);
    expect(parse("start flow transfer_money.")).toEqual([{ command: "start flow", flow: "transfer_money" }]);
    expect(parse("start flow my-flow")).toEqual([{ command: "start flow", flow: "my-flow" }]);
  });

  it("drops flows that are not available", () => {
    expect(parse("start flow unknown_flow", "start flow transfer_money")).toEqual([
      { command: "start flow", flow: "transfer_money" },
    ]);
    // The id stops at the first character outside [A-Za-z0-9_-].
    expect(parse("start flow transfer money")).toEqual([CANNOT]);
  });

  it("never starts a pattern, even if listed", () => {
    const withPattern: ParseContext = { ...context, availableFlows: new Set(["pattern_chitchat"]) };
    expect(parseCommandLines(["start flow pattern_chitchat"], withPattern)).toEqual([CANNOT]);
  });

  // Rasa's CommandGenerator.process: `_check_commands_against_startable_flows` runs after the
  // parser and after the "nothing parsed" CannotHandle of predict_commands.
  it("removes a StartFlow of an available but not startable flow at the end, without a CannotHandle", () => {
    const onStackOnly: ParseContext = { ...context, startableFlows: new Set(["check_balance"]) };
    expect(parseCommandLines(["start flow transfer_money"], onStackOnly)).toEqual([]);
    expect(parseCommandLines(["disambiguate flows transfer_money", "set slot flow_name check_balance"], onStackOnly)).toEqual([{ command: "start flow", flow: "check_balance" }]);
    expect(parseCommandLines(["start flow transfer_money", "cancel flow"], onStackOnly)).toEqual([{ command: "cancel flow" }]);
    // a clarification among such flows stays: only StartFlow commands are checked
    expect(parseCommandLines(["disambiguate flows transfer_money add_contact"], onStackOnly)).toEqual([{ command: "clarify", options: ["add_contact", "transfer_money"] }]);
  });
});

describe("set slot", () => {
  it("strips quotes and spaces around the value and quotes around the name", () => {
    expect(parse('set slot recipient "John"', "set slot 'name' 'Ann Lee'", "set slot amount  50 ")).toEqual([
      llmSet("recipient", "John"),
      llmSet("name", "Ann Lee"),
      llmSet("amount", "50"),
    ]);
  });

  it("keeps values as strings, including trailing punctuation (3.12 regex)", () => {
    expect(parse("set slot confirm True", "set slot amount 12.5", "set slot name John.")).toEqual([
      llmSet("confirm", "True"),
      llmSet("amount", "12.5"),
      llmSet("name", "John."),
    ]);
  });

  it.each(["None", "null", "undefined", "[missing]", "[missing information]", '""', "''"])("%s → null", (value) => {
    expect(parse(`set slot recipient ${value}`)).toEqual([llmSet("recipient", null)]);
  });

  it("none spellings are case-sensitive", () => {
    expect(parse("set slot recipient none", "set slot recipient NULL")).toEqual([
      llmSet("recipient", "none"),
      llmSet("recipient", "NULL"),
    ]);
  });

  it("needs a value", () => {
    expect(parse("set slot recipient")).toEqual([CANNOT]);
  });

  it("flow_name starts a flow (when available)", () => {
    expect(parse("set slot flow_name transfer_money")).toEqual([{ command: "start flow", flow: "transfer_money" }]);
    expect(parse("set slot flow_name unknown")).toEqual([CANNOT]);
    expect(parse("set slot flow_name None")).toEqual([CANNOT]);
  });

  it("still produces slots that are not in the domain (the command processor drops them)", () => {
    expect(parse("set slot not_a_slot 5")).toEqual([llmSet("not_a_slot", "5")]);
  });
});

describe("disambiguate flows", () => {
  it("one valid option → start flow", () => {
    expect(parse("disambiguate flows add_contact no_such_flow")).toEqual([{ command: "start flow", flow: "add_contact" }]);
    expect(parse("disambiguate flows add_contact, add_contact")).toEqual([{ command: "start flow", flow: "add_contact" }]);
  });

  it("several → clarify, sorted, quotes stripped, invalid ones filtered out", () => {
    expect(parse(`disambiguate flows "transfer_money", 'check_balance' no_such_flow add_contact`)).toEqual([
      { command: "clarify", options: ["add_contact", "check_balance", "transfer_money"] },
    ]);
  });

  it("keeps duplicates of valid options like Rasa's `valid_options`", () => {
    expect(parse("disambiguate flows remove_contact add_contact remove_contact")).toEqual([
      { command: "clarify", options: ["add_contact", "remove_contact", "remove_contact"] },
    ]);
  });

  it("none valid, or no options → dropped", () => {
    expect(parse("disambiguate flows foo bar")).toEqual([CANNOT]);
    expect(parse("disambiguate flows ,")).toEqual([CANNOT]);
    expect(parse("disambiguate flows foo", "cancel flow")).toEqual([{ command: "cancel flow" }]);
  });

  it("options outside [\"'A-Za-z0-9_, ] make the line unparsable (3.12 regex)", () => {
    expect(parse("disambiguate flows my-flow transfer_money")).toEqual([CANNOT]);
  });
});

describe("payloads", () => {
  it("parsePayload reads several pairs", () => {
    expect(parsePayload("/SetSlots(recipient=John, amount=50, confirm=True)")).toEqual([
      payloadSet("recipient", "John"),
      payloadSet("amount", "50"),
      payloadSet("confirm", "True"),
    ]);
  });

  it("parsePayload: null spellings in any case, literal text otherwise (quotes kept)", () => {
    expect(parsePayload("/SetSlots(a=None, b=NULL, c=undefined, d=\"x y\", e=2022-01-01)")).toEqual([
      payloadSet("a", null),
      payloadSet("b", null),
      payloadSet("c", null),
      payloadSet("d", '"x y"'),
      payloadSet("e", "2022-01-01"),
    ]);
  });

  it("parsePayload: not a payload → undefined; empty → []", () => {
    expect(parsePayload("set slot a b")).toBeUndefined();
    expect(parsePayload("/greet")).toBeUndefined();
    expect(parsePayload("/SetSlots()")).toEqual([]);
  });

  it("more than 10 `=` → the payload is ignored", () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `s${i}=v${i}`).join(", ");
    expect(parsePayload(`/SetSlots(${pairs(10)})`)).toHaveLength(10);
    expect(parsePayload(`/SetSlots(${pairs(11)})`)).toEqual([]);
    const many: ParseContext = { ...context, slots: new Set(Array.from({ length: 11 }, (_, i) => `s${i}`)) };
    expect(parseCommandLines([`/SetSlots(${pairs(11)})`], many)).toEqual([CANNOT]);
  });

  it("parseCommandLines: payload lines give COMMAND_PAYLOAD_READER set slots", () => {
    expect(parse("/SetSlots(recipient=John, amount=5)")).toEqual([payloadSet("recipient", "John"), payloadSet("amount", "5")]);
  });

  it("parseCommandLines: a payload with an unknown slot is dropped as a whole", () => {
    expect(parse("/SetSlots(recipient=John, colour=red)")).toEqual([CANNOT]);
    expect(parse("/SetSlots(colour=red)", "start flow transfer_money")).toEqual([
      { command: "start flow", flow: "transfer_money" },
    ]);
  });

  it("payload lines do not decide the DSL version", () => {
    expect(parse("/SetSlots(amount=5)", "StartFlow(transfer_money)")).toEqual([
      payloadSet("amount", "5"),
      { command: "start flow", flow: "transfer_money" },
    ]);
  });
});

describe("error, fallback and empty lists", () => {
  it("<error> → ErrorCommand", () => {
    expect(parse("<error>")).toEqual([{ command: "error", errorType: "rasa_internal_error_default" }]);
    expect(parse("  <error> ")).toEqual([{ command: "error", errorType: "rasa_internal_error_default" }]);
    expect(parse("<error> now")).toEqual([CANNOT]);
  });

  it("<error TYPE> → ErrorCommand of that type (the empty-input error of a command generator)", () => {
    expect(parse("<error rasa_internal_error_user_input_empty>")).toEqual([{ command: "error", errorType: "rasa_internal_error_user_input_empty" }]);
    expect(parse("<error two words>")).toEqual([CANNOT]);
    expect(parse("<error >")).toEqual([CANNOT]);
  });

  // Rasa's CommandGenerator.evaluate_message: ErrorCommand(error_type=…too_long, info={"max_characters": 420})
  it("the too-long input error carries the limit in its info", () => {
    const [error] = parse("<error rasa_internal_error_user_input_too_long>");
    expect(error).toEqual({ command: "error", errorType: "rasa_internal_error_user_input_too_long", info: { max_characters: 420 } });
    expect(describeCommand(error!)).toEqual({ command: "error", error_type: "rasa_internal_error_user_input_too_long", info: { max_characters: 420 } });
  });

  it("nothing parsable → one cannot handle", () => {
    expect(parse("I don't know")).toEqual([CANNOT]);
    expect(parse("")).toEqual([CANNOT]);
    expect(parse("foo", "bar")).toEqual([CANNOT]);
  });

  it("unparsable lines next to parsable ones are ignored", () => {
    expect(parse("Here you go:", "start flow transfer_money", "Hope that helps")).toEqual([
      { command: "start flow", flow: "transfer_money" },
    ]);
  });

  it("[] → []", () => {
    expect(parseCommandLines([], context)).toEqual([]);
  });
});

describe("describeCommand", () => {
  it.each<[Command, Record<string, unknown>]>([
    [{ command: "start flow", flow: "x" }, { command: "start flow", flow: "x" }],
    [llmSet("a", "b"), { command: "set slot", name: "a", value: "b", extractor: "LLM" }],
    [payloadSet("a", null), { command: "set slot", name: "a", value: null, extractor: "COMMAND_PAYLOAD_READER" }],
    [{ command: "cancel flow" }, { command: "cancel flow" }],
    [{ command: "clarify", options: ["a", "b"] }, { command: "clarify", options: ["a", "b"] }],
    [{ command: "chitchat" }, { command: "chitchat" }],
    [{ command: "knowledge" }, { command: "knowledge" }],
    [{ command: "human handoff" }, { command: "human handoff" }],
    [{ command: "skip question" }, { command: "skip question" }],
    [{ command: "repeat" }, { command: "repeat" }],
    [CANNOT, { command: "cannot handle", reason: "cannot_handle_default" }],
    [
      { command: "error", errorType: "rasa_internal_error_default" },
      { command: "error", error_type: "rasa_internal_error_default", info: {} },
    ],
    [{ command: "change flow" }, { command: "change_flow" }],
  ])("%j", (command, json) => {
    expect(describeCommand(command)).toEqual(json);
    expect(Object.keys(describeCommand(command))[0]).toBe("command");
  });
});

// ---------------------------------------------------------------------------------------------
// Every `commands:` line of the shared runtime scenarios.

interface Scenario {
  readonly name: string;
  readonly domain?: string;
  readonly flows?: string;
  readonly turns?: readonly { readonly commands?: readonly unknown[] }[];
}

const SCENARIOS = fileURLToPath(new URL("../../../shared/runtime/scenarios.yml", import.meta.url));
/** Lines the corpus uses on purpose as unparsable (case-sensitivity scenario). */
const UNPARSABLE_ON_PURPOSE = new Set(["Start Flow transfer_money"]);

function keysOf(text: string | undefined, key: string): Set<string> {
  if (text === undefined) return new Set();
  const document = load(text, { schema: CORE_SCHEMA }) as Record<string, unknown> | null;
  const section = document?.[key];
  return new Set(section !== null && typeof section === "object" ? Object.keys(section) : []);
}

describe("scenarios.yml commands", () => {
  const scenarios = load(readFileSync(SCENARIOS, "utf8"), { schema: CORE_SCHEMA }) as Scenario[];

  it("has scenarios with commands", () => {
    expect(scenarios.length).toBeGreaterThan(10);
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))("%s", (_name, scenario) => {
    const scenarioContext: ParseContext = {
      availableFlows: keysOf(scenario.flows, "flows"),
      slots: keysOf(scenario.domain, "slots"),
    };
    for (const turn of scenario.turns ?? []) {
      const lines = (turn.commands ?? []).map((line) => {
        expect(typeof line, `${scenario.name}: ${JSON.stringify(line)}`).toBe("string");
        return String(line);
      });
      const commands = parseCommandLines(lines, scenarioContext);
      if (lines.length === 0) {
        expect(commands).toEqual([]);
        continue;
      }
      expect(commands.length, `${scenario.name}: ${lines.join(" | ")}`).toBeGreaterThan(0);
      for (const line of lines) {
        const single = parseCommandLines([line], scenarioContext);
        if (UNPARSABLE_ON_PURPOSE.has(line)) {
          expect(single, line).toEqual([CANNOT]);
        } else {
          expect(single, `${scenario.name}: ${line}`).not.toEqual([CANNOT]);
          expect(single.length, `${scenario.name}: ${line}`).toBeGreaterThan(0);
        }
      }
    }
  });
});
