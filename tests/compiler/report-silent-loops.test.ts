/** flowc's loop analysis: cycles that never ask the user are errors with their path. */
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { compileStrings } from "../support/compile.ts";
import { caseFiles, moreValidationCases } from "../support/shared.ts";

const DOMAIN = `
slots:
  amount: {type: float}
  has_sufficient_funds: {type: bool}
  status: {type: text}
responses:
  utter_ask_amount: [{text: "How much?"}]
  utter_insufficient: [{text: "Not enough money."}]
  utter_wait: [{text: "Still waiting."}]
actions:
  - check_transfer_funds
  - check_status
`;

function transfer(reset: string, extra = ""): string {
  return `flows:
  transfer:
    description: Transfers money.
    steps:
      - id: ask_amount
        collect: amount${extra}
      - id: check_funds
        action: check_transfer_funds
        next:
          - if: not slots.has_sufficient_funds
            then: reset
          - else: END
      - id: reset
        set_slots:
          - ${reset}: null
        next: ask_amount
`;
}

const silentLoop = Diagnostics.silentLoop.code;

describe("report silent loops", () => {
  it("rejects a loop whose collect is skipped because its slot stays filled", () => {
    const result = compileStrings({ domain: DOMAIN, flows: transfer("has_sufficient_funds") });
    const loop = result.errors.find((e) => e.code === silentLoop);
    expect(loop?.message).toContain("ask_amount -> check_funds -> reset -> ask_amount");
    expect(loop?.flow).toBe("transfer");
    expect(loop?.range?.file.position(loop.range.start).line).toBe(6); // `collect: amount`
  });

  it("accepts the loop when it resets the collected slot", () => {
    expect(compileStrings({ domain: DOMAIN, flows: transfer("amount") }).errors).toEqual([]);
  });

  it("accepts the loop when the collect always asks", () => {
    expect(compileStrings({ domain: DOMAIN, flows: transfer("has_sufficient_funds", "\n        ask_before_filling: true") }).errors).toEqual([]);
  });

  it("rejects a loop of actions and messages only", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  poll:
    description: Polls a status.
    steps:
      - id: check
        action: check_status
        next:
          - if: slots.status = "done"
            then: END
          - else: wait
      - id: wait
        action: utter_wait
        next: check
`,
    });
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining("check -> wait -> check")]);
  });

  it("finds a silent cycle beside one that resets the slot", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  transfer:
    description: Transfers money.
    steps:
      - id: ask_amount
        collect: amount
      - id: check_funds
        action: check_transfer_funds
        next:
          - if: not slots.has_sufficient_funds
            then: reset
          - if: slots.status = "retry"
            then: ask_amount
          - else: END
      - id: reset
        set_slots:
          - amount: null
        next: ask_amount
`,
    });
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining("ask_amount -> check_funds -> ask_amount")]);
  });

  it("counts action_listen and calls to flows that ask as asking", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  listen_loop:
    description: Listens in a loop.
    steps:
      - id: wait
        action: utter_wait
      - action: action_listen
        next: wait
  calling_loop:
    description: Calls a flow that asks.
    steps:
      - id: again
        call: ask
        next: again
  ask:
    description: Asks for the amount.
    if: False
    steps:
      - collect: amount
        ask_before_filling: true
`,
    });
    expect(result.errors).toEqual([]);
  });

  it("accepts the example assistant's insufficient-funds loop", () => {
    const result = compileFlows({ paths: ["flows"] });
    expect(result.errors).toEqual([]);
    const transfer = result.assistant?.flowsById.get("transfer_money");
    expect(transfer?.steps.some((s) => s.input.kind === "set_slots" && s.links.some((l) => l.target === "ask_amount"))).toBe(true);
  });
});

describe("report silent loops: constants set on the loop", () => {
  const domain = `
slots:
  retry: {type: bool}
responses:
  utter_wait: [{text: "Trying again."}]
actions:
  - call_api
`;
  const loop = (value: string, action = "utter_wait") => `flows:
  poll:
    description: Polls.
    steps:
      - id: check
        noop: true
        next:
          - if: slots.retry
            then: again
          - else: END
      - id: again
        action: ${action}
      - set_slots:
          - retry: ${value}
        next: check
`;

  it("accepts a loop that a set_slots on it ends on the second pass", () => {
    expect(compileStrings({ domain, flows: loop("false") }).errors).toEqual([]);
  });

  it("rejects it when the set_slots keeps the loop going", () => {
    expect(compileStrings({ domain, flows: loop("true") }).errors.map((e) => e.code)).toEqual([silentLoop]);
  });

  it("still accepts it when a custom action runs before the set_slots", () => {
    expect(compileStrings({ domain, flows: loop("false", "call_api") }).errors).toEqual([]);
  });

  it("rejects it when a custom action after the set_slots may set the slot again", () => {
    const flows = loop("false").replace("        next: check\n", "      - action: call_api\n        next: check\n");
    expect(compileStrings({ domain, flows }).errors.map((e) => e.code)).toEqual([silentLoop]);
  });
});

describe("report silent loops: links between flows", () => {
  const flows = (second: string) => `flows:
  first:
    description: First flow.
    steps:
      - action: utter_wait
      - link: second
  second:
    description: Second flow.
    steps:
${second}
      - link: first
`;

  it("rejects flows that link to each other without asking, with the path through both", () => {
    const result = compileStrings({ domain: DOMAIN, flows: flows("      - action: check_status") });
    const loop = result.errors.find((e) => e.code === silentLoop);
    expect(loop?.message).toContain("first.first_0_utter_wait -> first.first_1_link_second -> second.second_0_check_status -> second.second_1_link_first -> first.first_0_utter_wait");
  });

  it("accepts them when one of them asks on the way", () => {
    expect(compileStrings({ domain: DOMAIN, flows: flows("      - collect: amount") }).errors).toEqual([]);
  });

  it("does not report a link reached only through a branch (only the certain case is reported)", () => {
    const branch = [
      "      - action: check_status",
      "        next:",
      "          - if: slots.status = 'busy'",
      "            then: END",
      "          - else: link_back",
      "      - id: link_back",
      "        link: first",
    ].join("\n");
    const text = flows(branch).replace("\n      - link: first\n", "\n");
    const result = compileStrings({ domain: DOMAIN, flows: text });
    expect(text).toContain("id: link_back");
    expect(result.errors).toEqual([]);
  });
});

describe("report silent loops: the cycle path of the twelfth round's refused loops", () => {
  // The flows are those of more-validation-cases-12.yml (where each case says why Rasa never
  // asks there); the path names the steps of one round in the order they run.
  const cases = new Map(moreValidationCases("more-validation-cases-12.yml").map((c) => [c.name, c]));
  const paths: [string, string][] = [
    ["silent_loop_when_one_branch_back_keeps_the_slot", "ask -> check -> retry_premium -> ask"],
    ["silent_loop_through_nested_branches_of_messages", "start_check -> say_wait -> start_check"],
    ["silent_loop_in_a_pattern_collect_information_without_listen", "start -> ask -> start"],
    ["silent_loop_back_to_start_without_resetting_the_collect", "ask -> check -> ask"],
    ["silent_loop_through_a_call_to_a_flow_that_never_asks", "again -> again"],
    ["silent_loop_where_the_reset_comes_before_the_loop", "ask -> transfer_2_check_funds -> ask"],
    ["silent_loop_whose_custom_action_decides_the_branch", "poll -> wait -> poll"],
    [
      "silent_link_cycle_with_a_collect_reset_to_its_initial_value",
      "add_items.add_items_0_collect_item -> add_items.add_items_1_utter_added -> add_items.add_items_2_link_other -> other.other_0_utter_added -> other.other_1_link_add_items -> add_items.add_items_0_collect_item",
    ],
  ];

  for (const [name, path] of paths) {
    it(`${name}: ${path}`, () => {
      const testCase = cases.get(name);
      expect(testCase).toBeDefined();
      const result = compileStrings(caseFiles(testCase!));
      expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([`${silentLoop} these steps can repeat forever without asking the user anything: ${path}`]);
    });
  }
});
