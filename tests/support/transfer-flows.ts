/**
 * The money transfer and balance flows several `flowc test` suites share (each adds flows of
 * its own after them): a transfer that collects a recipient, an amount and a confirmation, with
 * a branch on a custom action's slot, and a one-step balance flow.
 */
export const TRANSFER_AND_BALANCE_FLOWS = `flows:
  transfer_money:
    description: Send money to someone.
    steps:
      - collect: recipient
      - collect: amount
      - action: check_funds
        next:
          - if: slots.has_funds
            then: confirm
          - else:
              - action: utter_no_funds
                next: END
      - id: confirm
        collect: confirmed
        next:
          - if: slots.confirmed
            then:
              - action: utter_done
                next: END
          - else: END
  check_balance:
    description: Tell the user their balance.
    steps:
      - id: tell_balance
        action: utter_balance
`;
