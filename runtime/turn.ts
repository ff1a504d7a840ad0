/** One user turn: placeholder until the command processor and executor land. */
import type { CustomActionMap, TurnResult } from "./assistant.ts";
import type { Command } from "./commands.ts";
import type { CompiledAssistant } from "./model.ts";
import type { FrameIdSource } from "./stack.ts";
import type { ConversationState } from "./state.ts";

export interface TurnEnvironment {
  readonly assistant: CompiledAssistant;
  readonly actions: CustomActionMap;
  readonly frameIds: FrameIdSource;
}

export async function runTurn(_env: TurnEnvironment, _state: ConversationState, _commands: readonly Command[], _message: string | undefined): Promise<TurnResult> {
  throw new Error("not implemented yet");
}
