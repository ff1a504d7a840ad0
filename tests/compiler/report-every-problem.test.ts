/**
 * flows-format.md d.0 and design.md 1: where Rasa stops at the first failing structural check
 * (phase 4 is fail-fast) and logs every domain-aware problem (phase 5), flowc reports every
 * problem of a stage at once, each with its position; warnings never block.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { codes, compileStrings, warningCodes } from "../support/compile.ts";

const DOMAIN = `
slots:
  name:
    type: text
  tier:
    type: categorical
    values: [gold, silver]
responses:
  utter_ask_name:
    - text: "Name?"
  utter_greet:
    - text: "Hello!"
`;

describe("every problem at once (d.0)", () => {
  it("reports the structural faults of several flows, not only the first one", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  empty:
    description: Has no steps.
    steps: []
  no_else:
    description: Branches without an else.
    steps:
      - collect: name
        next:
          - if: slots.name = "Ann"
            then: END
  lost:
    description: Goes nowhere.
    steps:
      - action: utter_greet
        next: nowhere
`,
    });
    expect(codes(result)).toEqual(expect.arrayContaining(["FLW4001", "FLW4006", "FLW2001"]));
    expect(new Set(result.errors.map((d) => d.flow))).toEqual(new Set(["empty", "no_else", "lost"]));
  });

  it("reports every domain-aware fault, in several flows and of several rules", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  ask_age:
    description: Asks the age.
    steps:
      - collect: age
  greet:
    description: Greets.
    steps:
      - action: utter_greting
  check_tier:
    description: Checks the tier.
    steps:
      - collect: name
        next:
          - if: slots.tier = "platinum"
            then: END
          - else: END
  check-tier:
    description: Checks the tier again.
    steps:
      - action: utter_greet
`,
    });
    expect(codes(result)).toEqual(expect.arrayContaining(["FLW2006", "FLW2008", "FLW3003", "FLW2019"]));
  });

  it("reports schema faults of two files together", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  greet:
    description: Greets.
    steps:
      - action: utter_greet
        next: 3
`,
      "more.yml": `
flows:
  bye:
    steps:
      - action: utter_greet
`,
    });
    expect(codes(result)).toEqual(expect.arrayContaining(["FLW1020", "FLW1013"]));
    expect(new Set(result.errors.map((d) => toJson(d).file))).toEqual(new Set(["flows.yml", "more.yml"]));
  });

  it("keeps warnings apart from errors, and compiles with warnings only", () => {
    const flows = (collected: string) => `
flows:
  ask_name:
    description: Asks the name.
    nlu_trigger:
      - intent: never_declared
    steps:
      - collect: ${collected}
        reset_after_flow_ends: false
`;
    const failing = compileStrings({ domain: DOMAIN, flows: flows("age") });
    expect(codes(failing)).toEqual(["FLW2006"]);
    expect(warningCodes(failing)).toEqual(expect.arrayContaining(["FLW4011", "FLW2017"]));
    const passing = compileStrings({ domain: DOMAIN, flows: flows("name") });
    expect(codes(passing)).toEqual([]);
    expect(warningCodes(passing)).toEqual(expect.arrayContaining(["FLW4011", "FLW2017"]));
  });

  it("reports each problem once: `set_slots` written as a mapping is one error, with its fix", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  pick_tier:
    description: Picks a tier.
    steps:
      - set_slots:
          tier: gold
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([["FLW1020", 7, "write each slot as a list item: `- slot: value`"]]);
  });

  it("says that a step with only an id and a `next` needs `noop: true`", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  greet_gold:
    description: Greets gold members.
    steps:
      - action: utter_greet
      - id: check_tier
        next:
          - if: slots.tier = 'gold'
            then: END
          - else: END
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([["FLW1016", 7, "a step that only branches is a noop step: add `noop: true` to it"]]);
  });

  it("says to add a response for a missing `utter_` action, and to list a missing custom action", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  send_money:
    description: Sends money.
    steps:
      - action: action_check_sufficient_funds
      - action: utter_insufficient_funds
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW2008", 6, "list it under `actions:` in the domain"],
      ["FLW2008", 7, "add it under `responses:` in the domain, with the text to send"],
    ]);
  });

  it("names the nearest action of a missing one and still says how to declare it", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  greet:
    description: Greets the user.
    steps:
      - action: utter_greeting
      - action: utter_great
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW2008", 6, "did you mean `utter_greet`? If not, add it under `responses:` in the domain, with the text to send"],
      ["FLW2008", 7, "did you mean `utter_greet`? If not, add it under `responses:` in the domain, with the text to send"],
    ]);
  });

  it("says to link to a flow that a `next` names in place of a step, and suggests the nearest step otherwise", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  router:
    description: Sends the user on to the next stage.
    steps:
      - id: greeting
        action: utter_greet
      - noop: true
        next:
          - if: slots.name = "Ann"
            then: greet_user
          - else: greting
  greet_user:
    description: Greets the user.
    steps:
      - action: utter_greet
        next: router
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW2001", 11, "`greet_user` is a flow, and `next`, `then` and `else` go only to steps of this flow; to go on in flow `greet_user`, use a link step: `- link: greet_user`"],
      ["FLW2001", 12, "did you mean `greeting`?"],
      ["FLW2001", 17, "`router` is a flow, and `next`, `then` and `else` go only to steps of this flow; to go on in flow `router`, use a link step: `- link: router`"],
    ]);
  });

  it("says that a call with `exit_if` to no flow is a sub-agent call and a collect's `dtmf` a later Rasa's, beside a plain unknown call", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  card_questions:
    description: Answers questions about cards.
    steps:
      - call: cards_agent
        exit_if:
          - slots.name is not null
      - call: payments_agent
  ask_name:
    description: Asks for a name by voice.
    steps:
      - collect: name
        dtmf:
          length: 5
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW1017", 14, "`dtmf` (keypad input for voice channels) is a collect property of Rasa versions after 3.12, whose schema refuses it; remove it"],
    ]);
    // Stage 3 (the calls) once the schema passes.
    const called = compileStrings({
      domain: DOMAIN,
      flows: `
flows:
  card_questions:
    description: Answers questions about cards.
    steps:
      - call: cards_agent
        exit_if:
          - slots.name is not null
      - call: payments_agent
`,
    });
    expect(called.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW2002", 6, "a call with `exit_if` calls a sub-agent (Rasa 3.14), and flowc compiles the flows of Rasa 3.12, which has none: here a call step calls a flow"],
      ["FLW2002", 9, undefined],
    ]);
  });

  it("says what to do with a persisted slot the flow never fills: remove it, persist it in the caller, or fix its spelling", () => {
    const result = compileStrings({
      domain: `
slots:
  name:
    type: text
  last_order_id:
    type: text
    mappings: [{ type: custom }]
responses:
  utter_ask_name:
    - text: "Name?"
  utter_greet:
    - text: "Hello!"
actions:
  - action_place_order
`,
      flows: `
flows:
  place_order:
    description: Places an order.
    persisted_slots:
      - last_order_id
      - names
      - loyalty_points
    steps:
      - collect: name
      - action: action_place_order
  main:
    description: Asks the name, then greets.
    steps:
      - collect: name
      - call: greeting
  greeting:
    description: Greets.
    persisted_slots:
      - name
    steps:
      - action: utter_greet
`,
    });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([
      ["FLW4010", 6, "a flow's end resets only the slots its collect and set_slots steps fill, so `last_order_id` (set by a custom action or another flow) keeps its value anyway: remove it from `persisted_slots`"],
      ["FLW4010", 7, "did you mean `name`?"],
      ["FLW4010", 8, "the domain has no slot `loyalty_points`"],
      ["FLW4010", 20, "flow `main`, which calls this one, fills `name` and resets it at its end: list it under that flow's `persisted_slots`"],
    ]);
  });

  it("says that a flow's id is its key when a flow has an `id`, instead of suggesting the guard `if`", () => {
    const flows = (extra: string) => `
flows:
  greet_gold:
    description: Greets gold members.${extra}
    steps:
      - action: utter_greet
`;
    const result = compileStrings({ domain: DOMAIN, flows: flows("\n    id: greet_gold") });
    expect(result.errors.map((d) => [d.code, toJson(d).line, d.suggestion])).toEqual([["FLW1012", 5, "a flow's id is its key under `flows:` (here `greet_gold`); remove `id`"]]);
    // Other near misses keep their nearest key.
    expect(compileStrings({ domain: DOMAIN, flows: flows("\n    nam: Gold") }).errors.map((d) => d.suggestion)).toEqual(["did you mean `name`?"]);
    expect(compileStrings({ domain: DOMAIN, flows: flows("") }).errors).toEqual([]);
  });

  it("says how Rasa 3.12 branches when a step is an `if` of a later Rasa, and the way it says compiles", () => {
    const flows = (steps: string) => `
flows:
  greet_gold:
    description: Greets gold members.
    steps:
${steps}
`;
    const conditional = compileStrings({
      domain: DOMAIN,
      flows: flows(`
      - if: slots.tier = 'gold'
        then:
          - action: utter_greet`),
    });
    const [error] = conditional.errors;
    expect([error?.code, error && toJson(error).line]).toEqual(["FLW1016", 7]);
    expect(error?.suggestion).toMatch(/`next`.*`noop: true`/);
    const rewritten = compileStrings({
      domain: DOMAIN,
      flows: flows(`
      - noop: true
        next:
          - if: slots.tier = 'gold'
            then:
              - action: utter_greet
                next: END
          - else: END`),
    });
    expect(codes(rewritten)).toEqual([]);
  });
});
