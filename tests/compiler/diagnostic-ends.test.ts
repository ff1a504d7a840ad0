/**
 * Where diagnostics end. A range over a YAML node ends with the node's text, on its last line
 * with content: not after the line break (and the comment lines) that the `yaml` package
 * counted into a block collection or a block scalar, which put the end at column 1 of the next
 * line. A span at the very end of a plain scalar, or a YAML error at the end of a line, is
 * widened to one character only where that character is on its line. Each row pins one
 * diagnostic's whole range, `line:column-endLine:endColumn` as `--format json` gives it
 * (`endColumn` exclusive).
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { compileStrings, type Files } from "../support/compile.ts";

const GREET = "responses:\n  utter_greet:\n    - text: Hello!\n";
const AGE = "slots:\n  age:\n    type: float\n    mappings:\n      - type: from_llm\nresponses:\n  utter_greet:\n    - text: Hello!\n  utter_ask_age:\n    - text: How old are you?\n";

interface Row {
  readonly title: string;
  readonly files: Files;
  readonly code: string;
  /** `file:line:column-endLine:endColumn`. */
  readonly range: string;
}

const ROWS: readonly Row[] = [
  {
    title: "a `next` list without `else` (a block sequence), to the end of its last `then`",
    files: {
      "domain.yml": AGE,
      "flows.yml": "flows:\n  greet:\n    description: Greets.\n    steps:\n      - collect: age\n        next:\n          - if: slots.age < 18\n            then: END\n      - action: utter_greet\n",
    },
    code: "FLW4006",
    range: "flows.yml:7:11-8:22",
  },
  {
    title: "a step with two type keys (a block mapping), to the end of its last key's value, a comment after it left out",
    files: {
      "domain.yml": AGE,
      "flows.yml": "flows:\n  greet:\n    description: Greets.\n    steps:\n      - collect: age\n        action: utter_greet   # which one?\n        # another comment\n",
    },
    code: "FLW1016",
    range: "flows.yml:5:9-6:28",
  },
  {
    title: "an unknown nlu_trigger intent in the mapping form, to the end of its last line",
    files: {
      "domain.yml": GREET,
      "flows.yml": "flows:\n  greet:\n    description: Greets.\n    nlu_trigger:\n      - intent:\n          name: say_hello\n          confidence_threshold: 0.7\n    steps:\n      - action: utter_greet\n",
    },
    code: "FLW2017",
    range: "flows.yml:5:9-7:36",
  },
  {
    title: "`flows` as a list, to the end of its one item",
    files: { "domain.yml": GREET, "flows.yml": "flows:\n  - greet\n" },
    code: "FLW1010",
    range: "flows.yml:2:3-2:10",
  },
  {
    title: "a button with a blank payload (a mapping in a sequence), to the end of the payload",
    files: {
      "domain.yml": 'responses:\n  utter_greet:\n    - text: Hello!\n      buttons:\n        - title: "Ann"\n          payload: "   "\n',
      "flows.yml": "flows:\n  greet:\n    description: Greets.\n    steps:\n      - action: utter_greet\n",
    },
    code: "FLW1034",
    range: "domain.yml:5:11-6:25",
  },
  {
    title: "an intent with an empty mapping (a flow mapping as the last value), to its closing brace",
    files: { "domain.yml": `intents:\n  - greet: {}\n${GREET}`, "flows.yml": "flows:\n  greet:\n    description: Greets.\n    steps:\n      - action: utter_greet\n" },
    code: "FLW1030",
    range: "domain.yml:2:5-2:14",
  },
  {
    title: "a block scalar (`|`) description, to the end of its last line of text",
    files: {
      "domain.yml": GREET,
      "flows.yml": "flows:\n  greet:\n    description: |\n      Greets.\n    steps:\n      - action: utter_greet\n  welcome:\n    description: |\n      Greets.\n\n    steps:\n      - action: utter_greet\n",
    },
    code: "FLW2020",
    range: "flows.yml:8:18-9:14",
  },
  {
    title: "a guard cut short: the error at its end is no wider than the guard",
    files: { "domain.yml": AGE, "flows.yml": "flows:\n  greet:\n    description: Greets.\n    if: slots.age >\n    steps:\n      - action: utter_greet\n" },
    code: "FLW1040",
    range: "flows.yml:4:20-4:20",
  },
  {
    title: "an alias to no anchor at the end of its line: the error ends on that line",
    files: { "domain.yml": GREET, "flows.yml": "flows:\n  greet:\n    description: Greets.\n    steps: *missing\n" },
    code: "FLW1001",
    range: "flows.yml:4:20-4:20",
  },
];

describe("diagnostics end with the text they are about, on its last line", () => {
  for (const row of ROWS) {
    it(`${row.code}: ${row.title}`, () => {
      const result = compileStrings(row.files);
      const found = [...result.errors, ...result.warnings].map(toJson).filter((d) => d.code === row.code);
      expect(found.map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual([row.range]);
    });
  }
});
