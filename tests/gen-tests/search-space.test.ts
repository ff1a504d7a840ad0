/**
 * The moves gen-tests may make: a custom action's stub sets the slots the branches after its
 * step test (through noop steps and responses' steps) unless the domain maps slots to it; slots a collect step asks
 * for are never stub results, but a slot asked before the step may be reset when the branches
 * test whether it has a value; a guarded flow gets fixtures for its guard's slots.
 */
import { describe, expect, it } from "vitest";
import { searchSpace } from "../../compiler/gen-tests/search-space.ts";
import { compileStrings } from "../support/compile.ts";

const domain = `
slots:
  known:
    type: bool
    mappings: [{type: controlled}]
  status:
    type: categorical
    values: [open, closed]
    mappings: [{type: custom, action: action_status}]
  amount:
    type: float
  member:
    type: bool
    initial_value: false
responses:
  utter_ask_amount: [{text: How much?}]
  utter_known: [{text: Known.}]
  utter_closed: [{text: Closed.}]
actions: [action_check, action_status, action_save]
`;
const flows = `
flows:
  pay:
    description: Pay.
    if: slots.member
    steps:
      - action: action_check
      - noop: true
        next:
          - if: slots.known and slots.amount > 10
            then:
              - action: utter_known
                next: ask
          - else: ask
      - id: ask
        collect: amount
      - action: action_save
      - action: action_status
        next:
          - if: slots.status = 'closed'
            then:
              - action: utter_closed
                next: END
          - else: END
`;

describe("searchSpace", () => {
  const result = compileStrings({ domain, flows });
  const space = () => searchSpace(result.assistant!);

  it("compiles", () => {
    expect(result.errors).toEqual([]);
  });

  it("stubs an action with the slots the branches after it test, but not collected ones", () => {
    expect(space().stubResults.get("action_check")).toEqual([{ known: true }, { known: false }]);
  });

  it("lets the first message name a slot the flow tests before it asks for it, but not one tested only after it is asked", () => {
    expect(space().prefills.get("pay")).toEqual(["amount"]);
    const after = compileStrings({
      domain,
      flows: `
flows:
  pay:
    description: Pay.
    steps:
      - id: ask
        collect: amount
        next:
          - if: slots.amount > 10
            then:
              - action: utter_known
                next: END
          - else: END
  confirm:
    description: Confirms a payment.
    steps:
      - noop: true
        next:
          - if: slots.amount > 10
            then: ask
          - else: ask
      - id: ask
        collect: amount
        ask_before_filling: true
`,
    });
    expect(after.errors).toEqual([]);
    expect([...searchSpace(after.assistant!).prefills]).toEqual([]);
  });

  it("looks past the responses sent after an action for the branches that test what it decided", () => {
    const escalated = compileStrings({
      domain: `
slots:
  priority:
    type: categorical
    values: [standard, critical]
responses:
  utter_escalating: [{text: Escalating.}]
  utter_one_moment: [{text: One moment.}]
  utter_critical: [{text: Critical.}]
actions: [action_submit_ticket, action_open, action_log]
`,
      flows: `
flows:
  escalate:
    description: Escalate.
    steps:
      - action: action_submit_ticket
      - action: utter_escalating
      - action: utter_one_moment
      - noop: true
        next:
          - if: slots.priority = "critical"
            then:
              - action: utter_critical
                next: END
          - else: END
  logged:
    description: Open, then another custom action before the branch.
    steps:
      - action: action_open
      - action: action_log
      - noop: true
        next:
          - if: slots.priority = "critical"
            then: END
          - else: END
`,
    });
    expect(escalated.errors).toEqual([]);
    const stubs = searchSpace(escalated.assistant!).stubResults;
    expect(stubs.get("action_submit_ticket")).toContainEqual({ priority: "critical" });
    // past another custom action, that action is the one that decides
    expect(stubs.get("action_log")).toContainEqual({ priority: "critical" });
    expect(stubs.get("action_open")).toBeUndefined();
  });

  it("lets an action reset a slot collected before it when the branches after it test the slot for a value", () => {
    const checked = compileStrings({
      domain: `
slots:
  pickup_day:
    type: text
  pickup_hour:
    type: float
responses:
  utter_ask_pickup_day: [{text: Which day?}]
  utter_ask_pickup_hour: [{text: Which hour?}]
  utter_early: [{text: Early.}]
actions: [action_check_day, action_check_hour]
`,
      flows: `
flows:
  pickup:
    description: Book a pickup.
    steps:
      - id: day
        collect: pickup_day
      - action: action_check_day
      - noop: true
        next:
          - if: slots.pickup_day is null
            then: day
          - else: hour
      - id: hour
        collect: pickup_hour
      - action: action_check_hour
        next:
          - if: slots.pickup_hour < 9
            then:
              - action: utter_early
                next: END
          - else: END
`,
    });
    expect(checked.errors).toEqual([]);
    const stubs = searchSpace(checked.assistant!).stubResults;
    expect(stubs.get("action_check_day")).toEqual([{ pickup_day: null }]);
    // a comparison with a number is answered by the user's values, not by a reset
    expect(stubs.get("action_check_hour")).toBeUndefined();
  });

  it("stubs an action with the slots the domain maps to it, with each of their values", () => {
    expect(space().stubResults.get("action_status")).toEqual([{ status: "closed" }, { status: "other" }, { status: "open" }]);
  });

  it("gives an action that decides nothing no stub results", () => {
    expect(space().stubResults.has("action_save")).toBe(false);
  });

  it("gives a guarded flow a fixture for each value of its guard's slots", () => {
    expect(space().fixtures.get("pay")).toEqual([{ member: true }, { member: false }]);
  });
});

describe("searchSpace of an action that decides several slots", () => {
  const result = compileStrings({
    domain: `
slots:
  failed:
    type: bool
    mappings: [{type: controlled}]
  connected:
    type: bool
    mappings: [{type: controlled}]
  ready:
    type: bool
    mappings: [{type: controlled}]
responses:
  utter_failed: [{text: It failed.}]
  utter_offline: [{text: The oven is offline.}]
  utter_ready: [{text: It is ready.}]
  utter_waiting: [{text: Still waiting.}]
actions: [action_poll_oven]
`,
    flows: `
flows:
  check_oven:
    description: Checks whether the oven is ready.
    steps:
      - action: action_poll_oven
        next:
          - if: slots.failed
            then:
              - action: utter_failed
                next: END
          - if: not slots.connected
            then:
              - action: utter_offline
                next: END
          - if: slots.ready
            then:
              - action: utter_ready
                next: END
          - else:
              - action: utter_waiting
                next: END
`,
  });

  it("also stubs it with every slot set, in each combination of their values", () => {
    expect(result.errors).toEqual([]);
    const results = searchSpace(result.assistant!).stubResults.get("action_poll_oven")!;
    // `if: slots.ready` is taken only when `connected` is true as well: one slot at a time never reaches it.
    expect(results).toContainEqual({ failed: false, connected: true, ready: true });
    expect(results.filter((stub) => Object.keys(stub).length === 1)).toEqual([
      { failed: true },
      { failed: false },
      { connected: true },
      { connected: false },
      { ready: true },
      { ready: false },
    ]);
  });
});
