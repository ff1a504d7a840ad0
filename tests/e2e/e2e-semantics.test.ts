/**
 * `flowc test` reads e2e files as Rasa Pro 3.12's runner does where its schema allows more
 * than one `name: value` pair in an item: a fixture item sets every slot it maps
 * (`Fixture.from_dict`), and a step-style slot entry checks its first pair only
 * (`TestStep.get_slot_name` / `get_slot_value`). The expectations come from those functions of
 * `rasa/e2e_test/e2e_test_case.py` and the e2e test schema, never from flowc's output.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { project, testReport } from "../support/cli.ts";
import { TRANSFER_AND_BALANCE_FLOWS, transferDomain } from "../support/transfer-flows.ts";

const DOMAIN = transferDomain();

const TESTS = `stub_custom_actions:
  check_funds:
    events: [{event: slot, name: has_funds, value: true}]
fixtures:
  - two_slots_in_one_item:
      - recipient: John
        amount: 50
test_cases:
  - test_case: a_slot_entry_with_several_pairs_checks_its_first
    steps:
      - user: send
        commands: [start flow transfer_money, set slot recipient John]
      - slot_was_set:
          - recipient: John
            amount: 1234
  - test_case: a_fixture_item_may_set_several_slots
    fixtures: [two_slots_in_one_item]
    steps:
      - user: send
        commands: [start flow transfer_money]
        assertions:
          - bot_uttered:
              utter_name: utter_ask_confirmed
`;

describe("flowc test reads items with several pairs as Rasa's runner does", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": TRANSFER_AND_BALANCE_FLOWS, "e2e/cases.yml": TESTS });
  let result: Awaited<ReturnType<typeof testReport>>;

  beforeAll(async () => {
    result = await testReport(dir);
  });

  it("reads only the first `name: value` pair of a step-style slot entry", () => {
    // Rasa's schema allows several pairs in one entry; TestStep.get_slot_name / get_slot_value
    // take the first, so `amount: 1234` checks nothing.
    expect(result("a_slot_entry_with_several_pairs_checks_its_first").passed).toBe(true);
  });

  it("sets every slot of a fixture item", () => {
    // Rasa's schema lets a fixture's list item map several slots, and Fixture.from_dict takes
    // them all: recipient and amount are set, so the flow goes on to the confirmation.
    expect(result("a_fixture_item_may_set_several_slots").passed).toBe(true);
  });
});
