/**
 * What a turn records (runtime-semantics.md §e), as plain JSON. The names are Rasa's event type
 * names; a stack change is recorded as the whole stack after it rather than a JSON patch.
 */
import type { Button } from "./model.ts";
import type { Stack } from "./stack.ts";

/** What a message carries: the name of a response, and the fields of Rasa's bot event. */
export interface MessageContent<ResponseName extends string = string> {
  readonly response?: ResponseName;
  readonly text?: string;
  readonly buttons?: readonly Button[];
  readonly image?: string;
  readonly custom?: unknown;
  /**
   * `quick_replies`, `attachment` and `elements`, as Rasa's bot event carries them: a response's
   * (two lists and a mapping), or whatever a custom action gave (Rasa passes on any value; Rasa
   * SDK's `attachment` is often a URL).
   */
  readonly quick_replies?: unknown;
  readonly attachment?: unknown;
  readonly elements?: unknown;
}

/** A message the assistant sends: a rendered response (`response` is its name) or plain text. */
export interface Message extends MessageContent {
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export type RuntimeEvent =
  | { readonly event: "user"; readonly text?: string; readonly commands: readonly Readonly<Record<string, unknown>>[] }
  | { readonly event: "slot"; readonly name: string; readonly value: unknown; readonly reset?: true }
  | { readonly event: "stack"; readonly stack: Stack }
  /** `metadata`: the starting frame's context (`context` in conditions) at its first step. */
  | { readonly event: "flow_started"; readonly flow_id: string; readonly metadata: Readonly<Record<string, unknown>> }
  | { readonly event: "flow_interrupted"; readonly flow_id: string; readonly step_id: string }
  | { readonly event: "flow_resumed"; readonly flow_id: string; readonly step_id: string }
  | { readonly event: "flow_completed"; readonly flow_id: string; readonly step_id: string }
  | { readonly event: "flow_cancelled"; readonly flow_id: string; readonly step_id: string }
  | { readonly event: "action"; readonly name: string; readonly error?: string }
  | { readonly event: "restarted" }
  /** SessionStarted: a session began (`startSession`), after `action_session_start`'s messages and before its slots. */
  | { readonly event: "session_started" }
  /** UserUtteranceReverted: the events since the latest `user` event no longer apply (the stack and slots are back to what they were before it). */
  | { readonly event: "rewind" }
  | ({ readonly event: "bot" } & Message);
