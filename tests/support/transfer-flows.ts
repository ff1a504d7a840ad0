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

export interface TransferDomainOptions {
  /** Slots of the suite's own, YAML under `slots:` (indented two spaces). */
  readonly slots?: string;
  /** Responses of the suite's own, YAML under `responses:`. */
  readonly responses?: string;
  /** Actions of the suite's own, YAML list items under `actions:`. */
  readonly actions?: string;
  /** The payloads' amounts of `utter_ask_amount`'s buttons (none by default). */
  readonly amountButtons?: readonly number[];
  /** Whether the domain has the confirmation (`confirmed`, `utter_ask_confirmed`): true by default. */
  readonly confirmation?: boolean;
}

/**
 * The domain of the transfer and balance flows: the slots, responses and custom action they
 * use, then each suite's own.
 */
export function transferDomain(own: TransferDomainOptions = {}): string {
  const confirmation = own.confirmation ?? true;
  const buttons = (own.amountButtons ?? []).map((amount) => `        - title: "${amount}"\n          payload: /SetSlots(amount=${amount})\n`).join("");
  return `slots:
  recipient:
    type: text
  amount:
    type: float
${confirmation ? "  confirmed:\n    type: bool\n" : ""}  has_funds:
    type: bool
${own.slots ?? ""}responses:
  utter_ask_recipient:
    - text: Who should get the money?
  utter_ask_amount:
    - text: How much should {recipient} get?
${buttons ? `      buttons:\n${buttons}` : ""}${confirmation ? "  utter_ask_confirmed:\n    - text: Send {amount} to {recipient}?\n" : ""}  utter_done:
    - text: Sent.
  utter_no_funds:
    - text: Not enough money.
  utter_balance:
    - text: Your balance is fine.
${own.responses ?? ""}actions:
  - check_funds
${own.actions ?? ""}`;
}
