/**
 * Type tests of generated code (design §3.4), against the golden fixture
 * tests/fixtures/bank-branches/generated. `npm run typecheck` checks this file: each
 * `@ts-expect-error` must meet an error, and each `expectTypeOf` must hold.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { StepId as SendMoneyStepId } from "../fixtures/bank-branches/generated/flows/send_money.ts";
import { assistant, defineActions, type CustomActions, type FlowId, type ResponseName, type SlotName, type Slots } from "../fixtures/bank-branches/generated/index.ts";
import type { TemplateFunction } from "../../runtime/model.ts";

describe("generated types", () => {
  it("types each slot from the domain, null when unset", () => {
    expectTypeOf<Slots["amount"]>().toEqualTypeOf<number | null>();
    expectTypeOf<Slots["account_type"]>().toEqualTypeOf<"checking" | "savings" | null>();
    expectTypeOf<Slots["approved"]>().toEqualTypeOf<boolean | null>();
    expectTypeOf<Slots["recipient"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Slots["note"]>().toEqualTypeOf<unknown>();
    expectTypeOf<SlotName>().toExtend<keyof Slots>();
  });

  it("names flows, responses and step ids as literal types", () => {
    expectTypeOf<"send_money">().toExtend<FlowId>();
    expectTypeOf<"pattern_correction">().toExtend<FlowId>();
    expectTypeOf<"nope">().not.toExtend<FlowId>();
    expectTypeOf<"utter_done">().toExtend<ResponseName>();
    expectTypeOf<"utter_nope">().not.toExtend<ResponseName>();
    expectTypeOf<"ask_amount" | "check">().toExtend<SendMoneyStepId>();
    expectTypeOf<"send_money_0_call_pick_recipient">().toExtend<SendMoneyStepId>();
    expectTypeOf<string>().not.toExtend<SendMoneyStepId>();
    expectTypeOf(assistant.flows.send_money.start).toEqualTypeOf<SendMoneyStepId>();
  });

  it("has one method per custom action the assistant uses", () => {
    expectTypeOf<keyof CustomActions>().toEqualTypeOf<"approve_transfer" | "validate_amount">();
  });

  it("generates nothing typed any", () => {
    expectTypeOf<Slots>().not.toBeAny();
    expectTypeOf(assistant).not.toBeAny();
    expectTypeOf(assistant.flows.send_money.steps.ask_amount).not.toBeAny();
    expectTypeOf<CustomActions["approve_transfer"]>().returns.not.toBeAny();
    expectTypeOf<Parameters<CustomActions["approve_transfer"]>[0]["slots"]>().toEqualTypeOf<Readonly<Slots>>();
  });

  it("accepts a correct implementation of the custom actions", () => {
    const actions = defineActions({
      approve_transfer: async ({ slots }) => ({ slots: { approved: (slots.amount ?? 0) < 5000 } }),
      validate_amount: ({ slots }) => (slots.amount === null ? { slots: { amount: null }, messages: [{ response: "utter_ask_amount" }] } : undefined),
    });
    expectTypeOf(actions).toHaveProperty("approve_transfer");
  });

  it("rejects an implementation that misses an action", () => {
    // @ts-expect-error validate_amount is missing
    defineActions({ approve_transfer: async () => ({}) });
  });

  it("rejects an action the assistant does not have", () => {
    defineActions({
      approve_transfer: async () => ({}),
      validate_amount: () => undefined,
      // @ts-expect-error not a custom action of the assistant
      send_invoice: async () => ({}),
    });
  });

  it("rejects setting an unknown slot", () => {
    defineActions({
      // @ts-expect-error `amout` is not a slot
      approve_transfer: async () => ({ slots: { approved: true, amout: 3 } }),
      validate_amount: () => undefined,
    });
  });

  it("rejects a string in a float slot and a value outside a categorical slot", () => {
    defineActions({
      // @ts-expect-error amount is a float slot
      approve_transfer: async () => ({ slots: { amount: "12" } }),
      validate_amount: () => undefined,
    });
    defineActions({
      // @ts-expect-error "credit" is not a value of account_type
      approve_transfer: async () => ({ slots: { account_type: "credit" } }),
      validate_amount: () => undefined,
    });
  });

  it("types compiled Jinja templates as functions of the variables to a string", () => {
    const jinja = assistant.responses.utter_summary.variations[0]?.jinja;
    expectTypeOf(jinja?.text).toEqualTypeOf<TemplateFunction | undefined>();
    expectTypeOf<ReturnType<TemplateFunction>>().toEqualTypeOf<string>();
    expectTypeOf(() => {
      // @ts-expect-error a compiled template takes the variables
      jinja?.text?.();
    }).toBeFunction();
  });

  it("types the floats of a result as slot names", () => {
    defineActions({
      approve_transfer: async () => ({ slots: { amount: 5000 }, floats: ["amount"] }),
      validate_amount: () => undefined,
    });
    defineActions({
      // @ts-expect-error `amout` is not a slot
      approve_transfer: async () => ({ slots: { amount: 5000 }, floats: ["amout"] }),
      validate_amount: () => undefined,
    });
  });

  it("rejects a message naming an unknown response", () => {
    defineActions({
      // @ts-expect-error utter_nope is not a response
      approve_transfer: async () => ({ messages: [{ response: "utter_nope" }] }),
      validate_amount: () => undefined,
    });
  });

  it("rejects an unknown slot in any of the results an action can return", () => {
    defineActions({
      // @ts-expect-error `amout` is set in one branch
      approve_transfer: async ({ slots }) => (slots.amount === null ? { slots: { amount: 1 } } : { slots: { amout: 1 } }),
      validate_amount: () => undefined,
    });
    defineActions({
      // @ts-expect-error an action written as a method is checked too
      approve_transfer() {
        return { slots: { aproved: true } };
      },
      validate_amount: () => undefined,
    });
  });

  it("rejects a string in a bool slot and an undefined slot value", () => {
    defineActions({
      // @ts-expect-error approved is a bool slot
      approve_transfer: () => ({ slots: { approved: "true" } }),
      validate_amount: () => undefined,
    });
    defineActions({
      // @ts-expect-error undefined is not a slot value (null unsets a slot)
      approve_transfer: () => ({ slots: { recipient: undefined } }),
      validate_amount: () => undefined,
    });
  });

  it("accepts null for every slot and any value for an any slot", () => {
    const actions = defineActions({
      approve_transfer: () => ({ slots: { amount: null, account_type: null, approved: null, recipient: null, note: { memo: ["x", 1] } } }),
      validate_amount: async () => ({ slots: { note: 3 }, messages: [{ text: "ok" }, { response: "utter_done", values: { extra: 1 } }] }),
    });
    expectTypeOf(actions.validate_amount).returns.resolves.toExtend<{ slots: { note: number } }>();
  });

  it("gives slots and their values to an action read-only", () => {
    defineActions({
      approve_transfer: ({ slots }) => {
        // @ts-expect-error the slots an action reads are read-only
        slots.amount = 3;
      },
      validate_amount: () => undefined,
    });
  });

  it("types the step table by step id and each flow by its id", () => {
    expectTypeOf(assistant.flows.send_money.id).toEqualTypeOf<"send_money">();
    expectTypeOf<keyof typeof assistant.flows>().toEqualTypeOf<FlowId>();
    // @ts-expect-error not a step of send_money
    void assistant.flows.send_money.steps.ask_amout;
  });
});

