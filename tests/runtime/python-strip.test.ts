/**
 * Python's `str.strip()`, where Rasa applies it: the text of e2e `user` and `bot` steps
 * (`TestStep.from_dict`), each line of a command generator's output (`parse_commands`), a
 * `/SetSlots(...)` payload (`CommandPayloadReader`). Python's white space (`str.isspace()`) is
 * not JavaScript's `trim()`: Python strips U+001C to U+001F and U+0085, and keeps U+FEFF.
 */
import { describe, expect, it } from "vitest";
import { parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { isCommandLine, parseCommandLines, parsePayload } from "../../runtime/commands.ts";
import { isPythonSpace, pythonStrip } from "../../runtime/python-strip.ts";

/** Every code point for which CPython 3's `str.isspace()` is true. */
const PYTHON_SPACE = [
  0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

describe("pythonStrip", () => {
  it("takes exactly Python's white space for white space", () => {
    const found: number[] = [];
    for (let code = 0; code <= 0xffff; code++) if (isPythonSpace(code)) found.push(code);
    expect(found).toEqual(PYTHON_SPACE);
  });

  it("strips the separators and U+0085 and keeps U+FEFF, unlike trim()", () => {
    expect(pythonStrip("\x1c\x1f hi \x85\u3000")).toBe("hi");
    expect(pythonStrip("\ufeffhi\ufeff")).toBe("\ufeffhi\ufeff");
    expect(pythonStrip(" \t\n")).toBe("");
    expect(pythonStrip("a b")).toBe("a b");
  });
});

describe("where Rasa strips with Python", () => {
  it("e2e steps: the user and bot texts", () => {
    const text = [
      "test_cases:",
      "  - test_case: strip",
      "    steps:",
      '      - user: "hello\\x1f\\x85"',
      '      - bot: "\\uFEFFHi there\\x1c"',
      "",
    ].join("\n");
    const { suite, problems } = parseTestTexts([{ path: "tests/strip.yml", text }]);
    expect(problems).toEqual([]);
    const [step] = suite.testCases[0]!.steps;
    expect(step!.user).toBe("hello");
    expect(step!.botSteps[0]).toMatchObject({ kind: "bot", text: "\ufeffHi there" });
  });

  it("command lines: each line, before it is matched", () => {
    const context = { availableFlows: new Set(["transfer_money"]), slots: new Set(["amount"]) };
    expect(parseCommandLines(["cancel flow\x1f"], context)).toEqual([{ command: "cancel flow" }]);
    expect(isCommandLine("cancel flow\x1f")).toBe(true);
    // U+FEFF is no white space to Python: the line is not `cancel flow`.
    expect(parseCommandLines(["cancel flow\ufeff"], context)).toEqual([{ command: "cannot handle", reason: "cannot_handle_default" }]);
  });

  it("a /SetSlots payload", () => {
    expect(parsePayload("\x1f/SetSlots(amount=5)")).toEqual([{ command: "set slot", name: "amount", value: "5", extractor: "COMMAND_PAYLOAD_READER" }]);
    expect(parsePayload("\ufeff/SetSlots(amount=5)")).toBeUndefined();
  });
});
