/**
 * One line of `flowc test --trace` (design §3.3): what a user turn did, as JSON that other
 * tools compare against Rasa's own runs. Frame ids are left out of the stack so that a trace
 * does not depend on how ids are made; each frame starts with `flow_id`, `step_id`, `type`.
 */
import type { TurnResult } from "../../runtime/assistant.ts";
import { describeCommand } from "../../runtime/commands.ts";
import type { Frame } from "../../runtime/stack.ts";

export interface TraceLine {
  readonly test_case: string;
  readonly step: number;
  readonly user: string;
  readonly commands: readonly { readonly command: string; readonly [field: string]: unknown }[];
  readonly actions: readonly string[];
  readonly bot: readonly { readonly response?: string; readonly text?: string }[];
  readonly slots: Readonly<Record<string, unknown>>;
  readonly stack: readonly Readonly<Record<string, unknown>>[];
}

export function traceLine(testCase: string, step: number, user: string, turn: TurnResult): TraceLine {
  return {
    test_case: testCase,
    step,
    user,
    commands: turn.commands.map(describeCommand),
    actions: [...turn.actions],
    bot: turn.messages.map((message) => ({
      ...(message.response !== undefined ? { response: message.response } : {}),
      ...(message.text !== undefined ? { text: message.text } : {}),
    })),
    slots: { ...turn.state.slots },
    stack: turn.state.stack.map(traceFrame),
  };
}

function traceFrame(frame: Frame): Record<string, unknown> {
  const { frame_id: _id, flow_id, step_id, type, ...rest } = frame;
  return { flow_id, step_id, type, ...rest };
}
