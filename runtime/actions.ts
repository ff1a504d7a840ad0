/**
 * Custom actions as the application writes them: async functions that receive the slots and
 * return slot settings and messages. The generated `defineActions` types an implementation
 * object against the assistant's `CustomActions`, so that a missing action, an unknown slot or
 * a value of the wrong type is a `tsc` error rather than a broken conversation.
 */
import type { MessageContent } from "./events.ts";

/**
 * A message a custom action sends: a response of the domain by name, or text. With `response`,
 * as in Rasa: `buttons` follow the response's, and `text`, `image`, `custom`, `quick_replies`,
 * `attachment` and `elements` are sent where the response has none; a response the domain lacks
 * sends nothing.
 */
export interface BotMessage<ResponseName extends string = string> extends MessageContent<ResponseName> {
  /** With `response`: extra values for its placeholders and templates, over the slots (Rasa SDK's `utter_message(response=…, **kwargs)`). */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Slot settings: any subset of the slots, each with a value of its type. */
export type SlotUpdates<Slots> = { readonly [K in keyof Slots]?: Slots[K] };

export interface ActionResult<Slots, ResponseName extends string = string> {
  readonly slots?: SlotUpdates<Slots>;
  /**
   * Sent before `slots` apply, and rendered with the slots as the action found them (Rasa renders
   * an action's responses from the tracker it ran on): a value set in the same result reaches a
   * response through `values`.
   */
  readonly messages?: readonly BotMessage<ResponseName>[];
  /**
   * The slots of `slots` whose whole number is a Python float, as `50.0` in an action server's
   * JSON is: they print as `50.0`. Any other whole number is an int, as JSON's `50` is to Python.
   */
  readonly floats?: readonly (keyof Slots & string)[];
}

export interface ActionContext<Slots> {
  /** Every slot, `null` when unset. */
  readonly slots: Readonly<Slots>;
  /** The latest user message, when there is one. */
  readonly latestMessage?: string;
  /** The metadata of the latest user message, when it has any (e2e tests: `metadata`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The flow and step that run the action. */
  readonly flowId?: string;
  readonly stepId?: string;
}

export type ActionReturn<Slots, ResponseName extends string = string> =
  | ActionResult<Slots, ResponseName>
  | void
  | Promise<ActionResult<Slots, ResponseName> | void>;

type NoSlots = Record<never, never>;
type SlotsSetBy<R> = Awaited<R> extends { readonly slots?: infer U } ? (U extends object ? U : NoSlots) : NoSlots;

/**
 * `A` as it must be: each method one of the assistant's custom actions, setting only known
 * slots. TypeScript does not check extra keys of an object returned from a function, so the
 * unknown ones are named here, and the method stops being assignable.
 */
export type CheckedActions<A, Actions, Slots> = {
  readonly [K in keyof A]: K extends keyof Actions
    ? A[K] extends (...args: never[]) => infer R
      ? [Exclude<keyof SlotsSetBy<R>, keyof Slots>] extends [never]
        ? unknown
        : { readonly "sets a slot the domain does not have": Exclude<keyof SlotsSetBy<R>, keyof Slots> }
      : unknown
    : { readonly "is not a custom action of the assistant": K };
};
