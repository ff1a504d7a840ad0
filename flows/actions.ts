/**
 * Stand-in implementations of the example assistant's custom actions, so that `flowc chat`
 * (which loads `actions.ts` from the assistant's folder) can hold a whole conversation: a
 * pretend bank with a balance of 1,250 EUR and two saved payees, and a pretend dress shop.
 * Nothing here talks to a real system; state lives in this module for as long as the chat runs.
 *
 * An application writes the same methods against the generated types instead
 * (`defineActions` from `generated/index.ts`, see the README), which checks every slot name
 * and value type with `tsc`.
 */
import type { CustomActionMap } from "../runtime/assistant.ts";

let balance = 1250;
const payees = new Set(["john", "mary"]);

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const number = (value: unknown): number => (typeof value === "number" ? value : 0);

export const actions = {
  check_recipient: ({ slots }) => ({ slots: { recipient_known: payees.has(text(slots["recipient"]).toLowerCase()) } }),
  save_recipient: ({ slots }) => void payees.add(text(slots["recipient"]).toLowerCase()),
  check_transfer_funds: ({ slots }) => ({ slots: { has_sufficient_funds: number(slots["amount"]) <= balance } }),
  execute_transfer: ({ slots }) => void (balance -= number(slots["amount"])),
  fetch_balance: () => ({ slots: { current_balance: balance } }),
  freeze_card: () => undefined,
  order_replacement_card: () => undefined,
  save_feedback: () => undefined,
  find_dress: ({ slots }) => {
    const colour = text(slots["dress_color"]);
    const style = text(slots["dress_style"]);
    return { slots: { found_dress: style === "" ? null : `the ${colour === "" || colour === "any" ? "" : `${colour} `}${style} dress "Ava"` } };
  },
  place_dress_order: () => undefined,
  check_order_status: ({ slots }) => {
    // the last digit of the order number decides, so that every status can be tried
    const digit = Number(text(slots["order_number"]).slice(-1));
    return { slots: { order_status: digit <= 3 ? "processing" : digit <= 6 ? "shipped" : "delivered" } };
  },
} satisfies CustomActionMap;
