/** flowc's loop analysis: cycles that never ask the user are errors with their path. */
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";
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
    // the loop runs a custom action, which flowc does not take to empty the collected slot
    expect(loop?.suggestion).toBe("ask inside the loop: reset the collected slot with `set_slots` (value null) or use `ask_before_filling: true` (flowc does not count on `check_transfer_funds` to empty `amount`: it cannot see what a custom action sets)");
  });

  it("says nothing of custom actions in the help of a loop that runs none", () => {
    const flows = `flows:
  transfer:
    description: Transfers money.
    steps:
      - id: ask_amount
        collect: amount
      - action: utter_insufficient
      - set_slots:
          - status: null
        next: ask_amount
`;
    const loop = compileStrings({ domain: DOMAIN, flows }).errors.find((e) => e.code === silentLoop);
    expect(loop?.suggestion).toBe("ask inside the loop: reset the collected slot with `set_slots` (value null) or use `ask_before_filling: true`");
  });

  it("settles on a slot set to `.nan` (NaN is not === NaN) rather than looping for ever", () => {
    const nanLoop = (exit: string): string => `flows:
  once:
    description: Runs once.
    steps:
      - id: reset_amount
        set_slots:
          - amount: 0
      - id: mark
        set_slots:
          - amount: .nan
        next:
          - if: ${exit}
            then: END
          - else: reset_amount
`;
    expect(compileStrings({ domain: DOMAIN, flows: nanLoop("slots.amount") }).errors).toEqual([]);
    expect(compileStrings({ domain: DOMAIN, flows: nanLoop("slots.amount = 1") }).errors.map((e) => e.code)).toContain(silentLoop);
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
    // Without a collect step on the loop, the help says how to ask rather than which slot to
    // reset, and that the custom action that would end the loop is not counted on (a public
    // orchestrator demo polled an agent this way).
    expect(result.errors[0]?.suggestion).toBe(
      "ask inside the loop, for example with a collect step with `ask_before_filling: true` or `action: action_listen` (flowc does not count on `check_status` to set what ends the loop: it cannot see what a custom action sets)",
    );
  });

  it("names no custom action in the help of a loop that has none", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `flows:
  poll:
    description: Polls a status.
    steps:
      - id: wait
        action: utter_wait
        next:
          - if: slots.status = "done"
            then: END
          - else: wait
`,
    });
    expect(result.errors.map((e) => e.code)).toEqual(["FLW4101"]);
    expect(result.errors[0]?.suggestion).toBe("ask inside the loop, for example with a collect step with `ask_before_filling: true` or `action: action_listen`");
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

  it("counts a step that empties the dialogue stack as ending the loop", () => {
    const loop = (action: string) => `flows:
  again:
    description: Starts over in a loop.
    steps:
      - id: wait
        action: utter_wait
      - action: ${action}
        next: wait
`;
    for (const action of ["action_restart", "action_session_start", "action_clean_stack"]) {
      expect(compileStrings({ domain: DOMAIN, flows: loop(action) }).errors.map((e) => e.code), action).toEqual([]);
    }
    expect(compileStrings({ domain: DOMAIN, flows: loop("utter_insufficient") }).errors.map((e) => e.code)).toEqual([silentLoop]);
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

describe("report silent loops: a reset that a set_slots undoes before the collect", () => {
  // Each round resets the slot and then fills it again before the collect, which is then skipped.
  const loop = (first: string, second: string, between = "") => `flows:
  transfer:
    description: Transfers money.
    steps:
      - id: first
        set_slots:
          - amount: ${first}
      - set_slots:
          - amount: ${second}
${between}      - id: ask_amount
        collect: amount
      - action: utter_wait
        next: first
`;

  it("rejects the loop when the slot is filled again after the reset", () => {
    const result = compileStrings({ domain: DOMAIN, flows: loop("null", "10") });
    expect(result.errors.map((e) => `${e.code} ${e.message}`)).toEqual([`${silentLoop} these steps can repeat forever without asking the user anything: first -> transfer_1_set_slots -> ask_amount -> transfer_3_utter_wait -> first`]);
  });

  it("accepts it when the reset comes after the filling", () => {
    expect(compileStrings({ domain: DOMAIN, flows: loop("10", "null") }).errors).toEqual([]);
  });

  it("accepts it when the value set is one the slot turns down (the collect then asks)", () => {
    expect(compileStrings({ domain: DOMAIN, flows: loop("null", '"ten"') }).errors).toEqual([]);
  });

  it("accepts it when a custom action between may change the slot", () => {
    expect(compileStrings({ domain: DOMAIN, flows: loop("null", "10", "      - action: check_transfer_funds\n") }).errors).toEqual([]);
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

describe("report silent loops: links between flows whose collect a set_slots fills first", () => {
  // The link ends `first`, which resets `amount` (reset_after_flow_ends); a set_slots before the
  // collect fills it again on every round, so the collect never asks.
  const flows = (steps: string) => `flows:
  first:
    description: First flow.
    steps:
${steps}
      - link: second
  second:
    description: Second flow.
    steps:
      - action: utter_wait
      - link: first
`;

  it("rejects the cycle when the set_slots comes before the collect", () => {
    const result = compileStrings({ domain: DOMAIN, flows: flows("      - set_slots:\n          - amount: 10\n      - collect: amount") });
    const loop = result.errors.find((e) => e.code === silentLoop);
    expect(loop?.message).toContain("first.first_0_set_slots -> first.first_1_collect_amount -> first.first_2_link_second -> second.second_0_utter_wait -> second.second_1_link_first -> first.first_0_set_slots");
  });

  it("accepts it when the set_slots comes after the collect (the flow's end resets the slot, so the collect asks)", () => {
    expect(compileStrings({ domain: DOMAIN, flows: flows("      - collect: amount\n      - set_slots:\n          - amount: 10") }).errors).toEqual([]);
  });

  it("accepts it when a custom action between may change the slot", () => {
    expect(compileStrings({ domain: DOMAIN, flows: flows("      - set_slots:\n          - amount: 10\n      - action: check_transfer_funds\n      - collect: amount") }).errors).toEqual([]);
  });
});

describe("report silent loops: a branch of a collect step that no value the step lets through takes", () => {
  // A transfer-type question whose branches test each answer, and whose `else` says the answer
  // was wrong and goes back to the question: the collect step goes on only with a value its slot
  // type lets through, so for a bool slot the `else` is never taken, and the loop never runs.
  const domain = (type: string, extra = "") => `
slots:
  self_transfer:
    type: ${type}
    mappings: [{type: from_llm}]
responses:
  utter_ask_self_transfer: [{text: "Between your own accounts?"}]
  utter_wrong_transfer_type: [{text: "That is no transfer type."}]
  utter_self: [{text: "Moving money between your accounts."}]
  utter_third_party: [{text: "Paying someone."}]
${extra}`;
  const flows = (first: string, second: string) => `flows:
  transfer_money:
    description: Transfers money.
    steps:
      - id: choose_transfer_type
        collect: self_transfer
        next:
          - if: ${first}
            then: self
          - if: ${second}
            then: third_party
          - else:
              - action: utter_wrong_transfer_type
                next: choose_transfer_type
      - id: self
        action: utter_self
        next: END
      - id: third_party
        action: utter_third_party
        next: END
`;
  const loops = (domainText: string, flowsText: string) => compileStrings({ domain: domainText, flows: flowsText }).errors.filter((e) => e.code === silentLoop).map((e) => e.message);
  const refused = "these steps can repeat forever without asking the user anything: choose_transfer_type -> transfer_money_1_utter_wrong_transfer_type -> choose_transfer_type";

  it("accepts it when the branches test both values of a bool slot", () => {
    expect(loops(domain("bool"), flows("slots.self_transfer == true", "slots.self_transfer == false"))).toEqual([]);
    expect(loops(domain("bool"), flows("slots.self_transfer", "not slots.self_transfer"))).toEqual([]);
  });

  it("refuses it when a value the step lets through reaches the `else`", () => {
    // false is left to the `else`
    expect(loops(domain("bool"), flows("slots.self_transfer == true", "slots.self_transfer is null"))).toEqual([refused]);
    // any text
    expect(loops(domain("text"), flows('slots.self_transfer == "yes"', 'slots.self_transfer == "no"'))).toEqual([refused]);
    // `__other__`, which Rasa appends to every categorical slot's values
    expect(loops(domain("categorical\n    values: [own, third]"), flows('slots.self_transfer == "own"', 'slots.self_transfer == "third"'))).toEqual([refused]);
  });

  it("refuses it when a validate action may leave any value", () => {
    expect(loops(domain("bool", "actions: [validate_self_transfer]"), flows("slots.self_transfer == true", "slots.self_transfer == false"))).toEqual([refused]);
  });

  it("says in a note of the categorical refusal that only `__other__` takes the `else`, and none of the others", () => {
    const notesOf = (domainText: string, flowsText: string) => compileStrings({ domain: domainText, flows: flowsText }).errors.filter((e) => e.code === silentLoop).map((e) => e.notes ?? []);
    const categorical = domain("categorical\n    values: [own, third]");
    expect(notesOf(categorical, flows('slots.self_transfer == "own"', 'slots.self_transfer == "third"'))).toEqual([
      [
        "the branches after `choose_transfer_type` test every listed value of `self_transfer`, but Rasa appends `__other__` to a categorical slot's values: a `set slot self_transfer __other__` is kept, no branch takes it, and the loop goes round without asking, the question being skipped while its slot is filled; give `__other__` a branch of its own, or let the `else` leave the loop",
      ],
    ]);
    // A listed value left to the `else`, or a text slot: no such note.
    expect(notesOf(categorical, flows('slots.self_transfer == "own"', "slots.self_transfer is null"))).toEqual([[]]);
    expect(notesOf(domain("text"), flows('slots.self_transfer == "yes"', 'slots.self_transfer == "no"'))).toEqual([[]]);
  });

  it("runs as accepted: a value that is no bool is turned down and the question asked again, a bool goes on", async () => {
    const create = await assistantFromYaml(domain("bool"), flows("slots.self_transfer == true", "slots.self_transfer == false"));
    const [, maybe, yes] = await talk(create(), [["start flow transfer_money"], ["set slot self_transfer maybe"], ["set slot self_transfer yes"]]);
    expect(maybe!.actions).toEqual(["action_run_slot_rejections", "utter_ask_self_transfer", "action_listen"]);
    expect(yes!.actions).toEqual(["action_run_slot_rejections", "utter_self", "utter_can_do_something_else", "action_listen"]);
  });
});

describe("report silent loops: a pattern_completed of one's own that links to a flow that never asks", () => {
  // runtime-semantics.md b: a flow that ends with the stack empty runs pattern_completed (unless
  // run_pattern_completed is false); the override links again, so the pair never stops.
  const flows = (survey: string, settings = "") => `flows:
  greet:
    description: Greets the user.
    steps:
      - action: utter_wait
  survey:
    description: Runs a survey.
    if: False${settings}
    steps:
${survey}
  pattern_completed:
    description: Offers a survey when everything is done.
    steps:
      - action: utter_wait
      - link: survey
`;
  const completionLoop = Diagnostics.silentCompletionLoop.code;

  it("warns, with the path through the pattern and the linked flow", () => {
    const result = compileStrings({ domain: DOMAIN, flows: flows("      - action: check_status") });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => `${w.code} ${w.flow} ${w.message}`)).toEqual([
      `${completionLoop} pattern_completed these steps can repeat forever without asking the user anything, as \`pattern_completed\` runs again each time the flow it links to ends: pattern_completed.pattern_completed_0_utter_wait -> pattern_completed.pattern_completed_1_link_survey -> survey.survey_0_check_status -> pattern_completed.pattern_completed_0_utter_wait`,
    ]);
  });

  it("follows the linked flow's own links to the flow that ends", () => {
    const text = flows("      - link: greet").replace("      - action: utter_wait\n  survey:", "      - action: utter_wait\n      - action: check_status\n  survey:");
    const warning = compileStrings({ domain: DOMAIN, flows: text }).warnings.find((w) => w.code === completionLoop);
    expect(warning?.message).toContain("pattern_completed.pattern_completed_1_link_survey -> survey.survey_0_link_greet -> greet.greet_0_utter_wait -> greet.greet_1_check_status -> pattern_completed.pattern_completed_0_utter_wait");
  });

  it("does not warn when the linked flow asks, lets no pattern_completed run, or may branch away", () => {
    const quiet = [
      flows("      - collect: amount"),
      flows("      - action: check_status", "\n    run_pattern_completed: false"),
      flows("      - action: check_status\n        next:\n          - if: slots.status = 'done'\n            then: END\n          - else:\n              - action: action_listen\n                next: END"),
      flows("      - action: check_status").replace("      - link: survey\n", "      - action: action_listen\n      - link: survey\n"),
    ];
    for (const text of quiet) expect(compileStrings({ domain: DOMAIN, flows: text }).warnings.filter((w) => w.code === completionLoop), text).toEqual([]);
  });
});

describe("report silent loops: a pattern_collect_information of one's own that collects", () => {
  // Each collect step starts pattern_collect_information on top of the stack: an override that
  // comes to a collect step of its own without asking starts itself again, round after round.
  const flows = (pattern: string) => `flows:
  transfer:
    description: Transfers money.
    steps:
      - collect: amount
  pattern_collect_information:
    description: Asks for a slot.
    steps:
${pattern}
`;

  it("rejects it, with the path from the pattern's start to the collect step", () => {
    const result = compileStrings({ domain: DOMAIN, flows: flows("      - action: utter_wait\n      - collect: amount") });
    expect(result.errors.map((e) => `${e.code} ${e.flow} ${e.step} ${e.message}`)).toEqual([
      `${Diagnostics.silentLoop.code} pattern_collect_information pattern_collect_information_1_collect_amount these steps can repeat forever without asking the user anything: pattern_collect_information_0_utter_wait -> pattern_collect_information_1_collect_amount -> pattern_collect_information_0_utter_wait`,
    ]);
  });

  it("accepts it when the pattern listens before the collect step, or collects nothing", () => {
    const quiet = [
      flows("      - action: utter_wait\n      - action: action_listen\n      - collect: amount"),
      flows("      - action: utter_wait"),
    ];
    for (const text of quiet) expect(compileStrings({ domain: DOMAIN, flows: text }).errors, text).toEqual([]);
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

describe("report silent loops: never a refusal of a flow that cannot loop (random flows against a model)", () => {
  // Small flows of noop, message, action_listen, set_slots and collect steps, with branches on two
  // bool and two text slots. The model runs each flow as runtime-semantics.md b.4/b.5 describe
  // (a collect step asks while its slot is null or when it asks before filling, and is skipped
  // otherwise; the first `if` that holds wins) from every step and every slot value (the user
  // may answer anything and correct any slot while asked), and looks for a round of steps that
  // comes back to the same step and values without asking. flowc may refuse only such a flow.
  type Value = null | boolean | string;
  type Slots = Readonly<Record<"a" | "b" | "x" | "y", Value>>;
  type Condition = { kind: "truthy" | "not"; slot: "a" | "b" } | { kind: "eq"; slot: "x" | "y"; value: string } | { kind: "null"; slot: "x" | "y" };
  type Step = { kind: "noop" | "utter" | "listen" } | { kind: "set"; slot: keyof Slots; value: Value } | { kind: "collect"; slot: "x" | "y"; askFirst: boolean };
  type Next = { to: string } | { branches: { condition: Condition; to: string }[]; otherwise: string } | undefined;
  interface Generated { id: string; step: Step; next: Next }

  let seed = 20261122;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const step = (): Step => {
    const r = random();
    if (r < 0.15) return { kind: "noop" };
    if (r < 0.3) return { kind: "utter" };
    if (r < 0.33) return { kind: "listen" };
    if (r < 0.65) {
      const slot = pick(["a", "b", "x", "y"] as const);
      return { kind: "set", slot, value: slot === "a" || slot === "b" ? pick([true, false, null]) : pick(["v", null, null]) };
    }
    return { kind: "collect", slot: pick(["x", "y"] as const), askFirst: random() < 0.15 };
  };
  const condition = (): Condition => {
    const r = random();
    if (r < 0.25) return { kind: "truthy", slot: pick(["a", "b"] as const) };
    if (r < 0.45) return { kind: "not", slot: pick(["a", "b"] as const) };
    if (r < 0.75) return { kind: "eq", slot: pick(["x", "y"] as const), value: pick(["v", "w"]) };
    return { kind: "null", slot: pick(["x", "y"] as const) };
  };
  const flow = (): Generated[] => {
    const ids = Array.from({ length: 2 + Math.floor(random() * 6) }, (_, i) => `s${i}`);
    const targets = [...ids, "END", "START"];
    return ids.map((id) => {
      const r = random();
      const next: Next =
        r < 0.4 ? undefined : r < 0.6 ? { to: pick(targets) } : { branches: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({ condition: condition(), to: pick(targets) })), otherwise: pick(targets) };
      return { id, step: step(), next };
    });
  };

  const text = (c: Condition): string =>
    c.kind === "truthy" ? `slots.${c.slot}` : c.kind === "not" ? `not slots.${c.slot}` : c.kind === "eq" ? `slots.${c.slot} = "${c.value}"` : `slots.${c.slot} is null`;
  const yaml = (steps: readonly Generated[]): string => {
    const lines = ["flows:", "  f:", "    description: A random flow.", "    steps:"];
    for (const { id, step: s, next } of steps) {
      lines.push(`      - id: ${id}`);
      if (s.kind === "noop") lines.push("        noop: true");
      else if (s.kind === "utter") lines.push("        action: utter_wait");
      else if (s.kind === "listen") lines.push("        action: action_listen");
      else if (s.kind === "set") lines.push("        set_slots:", `          - ${s.slot}: ${s.value === null ? "null" : JSON.stringify(s.value)}`);
      else if (s.kind === "collect") lines.push(`        collect: ${s.slot}`, ...(s.askFirst ? ["        ask_before_filling: true"] : []));
      if (next && "to" in next) lines.push(`        next: ${next.to}`);
      else if (next) lines.push("        next:", ...next.branches.flatMap((b) => [`          - if: '${text(b.condition)}'`, `            then: ${b.to}`]), `          - else: ${next.otherwise}`);
    }
    return `${lines.join("\n")}\n`;
  };

  const holds = (c: Condition, slots: Slots): boolean => {
    const truthy = (v: Value): boolean => v !== null && v !== false && v !== "";
    if (c.kind === "truthy") return truthy(slots[c.slot]);
    if (c.kind === "not") return !truthy(slots[c.slot]);
    return c.kind === "eq" ? slots[c.slot] === c.value : slots[c.slot] === null;
  };
  const canLoopWithoutAsking = (steps: readonly Generated[]): boolean => {
    const index = new Map(steps.map((s, i) => [s.id, i]));
    const to = (target: string): number => (target === "END" ? -1 : target === "START" ? 0 : index.get(target)!);
    // The step after `i` (run on `slots`) that comes without asking, or undefined when it asks or the flow ends.
    const silently = (i: number, slots: Slots): [number, Slots] | undefined => {
      const { step: s, next } = steps[i]!;
      if (s.kind === "listen" || (s.kind === "collect" && (s.askFirst || slots[s.slot] === null))) return undefined;
      const after = s.kind === "set" ? { ...slots, [s.slot]: s.value } : slots;
      const target = !next ? (i + 1 < steps.length ? i + 1 : -1) : "to" in next ? to(next.to) : to(next.branches.find((b) => holds(b.condition, after))?.to ?? next.otherwise);
      return target < 0 ? undefined : [target, after];
    };
    const bools = [null, true, false] as const;
    const texts = [null, "v", "w", "z"] as const;
    const done = new Set<string>();
    for (let i = 0; i < steps.length; i++) {
      for (const a of bools) for (const b of bools) for (const x of texts) for (const y of texts) {
        const seen = new Set<string>();
        let state: [number, Slots] | undefined = [i, { a, b, x, y }];
        while (state) {
          const key = JSON.stringify(state);
          if (seen.has(key)) return true;
          if (done.has(key)) break;
          seen.add(key);
          state = silently(...state);
        }
        for (const key of seen) done.add(key);
      }
    }
    return false;
  };

  it("refuses only flows the model can run round and round without asking", () => {
    const domain = `slots:
  a: {type: bool}
  b: {type: bool}
  x: {type: text}
  y: {type: text}
responses:
  utter_wait: [{text: "Wait."}]
  utter_ask_x: [{text: "X?"}]
  utter_ask_y: [{text: "Y?"}]
`;
    const wronglyRefused: string[] = [];
    let refused = 0;
    for (let n = 0; n < 600; n++) {
      const steps = flow();
      const result = compileStrings({ domain, flows: yaml(steps) });
      if (result.errors.some((e) => e.code !== silentLoop)) continue; // refused by a rule of Rasa's (say, an unreachable step)
      if (result.errors.length === 0) continue;
      refused++;
      if (!canLoopWithoutAsking(steps)) wronglyRefused.push(yaml(steps));
    }
    expect(wronglyRefused).toEqual([]);
    expect(refused).toBeGreaterThan(50);
  });

  describe("an action name rendered from the frame's context (§b.4)", () => {
    const round = (name: string) => `flows:
  waiting:
    description: Waits round and round.
    steps:
      - id: round
        action: utter_wait
      - id: wait
        action: "${name}"
        next: round
`;

    it("accepts a loop whose templated name may render to action_listen (or another step that stops it)", () => {
      for (const name of ["action_{{context.flow_id | replace('waiting', 'listen') }}", "action_{{context.step_id}}", "{{context.next_action}}", "action_{{context.what}}_stack"]) {
        expect(compileStrings({ domain: DOMAIN, flows: round(name) }).errors.map((e) => e.code), name).toEqual([]);
      }
    });

    it("rejects one whose name can never render to one of them", () => {
      for (const name of ["utter_{{context.flow_id}}", "{{context.utter}}", "action_{{context.utter}}"]) {
        expect(compileStrings({ domain: DOMAIN, flows: round(name) }).errors.map((e) => e.code), name).toContain(silentLoop);
      }
    });
  });
});
