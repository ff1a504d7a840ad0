/**
 * Runnable assistants from YAML strings, for runtime tests: the files are written to a
 * temporary folder (removed when the test file ends), compiled and loaded as `flowc test` loads
 * an assistant, with sequential frame ids so that stacks compare across runs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";
import type { Assistant, AssistantOptions, TurnResult } from "../../runtime/assistant.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import { temporaryFolder } from "./temp.ts";

/** Compiles `domain` and `flows`; returns a function that creates the assistant (options over sequential frame ids). */
export async function assistantFromYaml(domain: string, flows: string): Promise<(options?: AssistantOptions) => Assistant> {
  const folder = temporaryFolder("flowc-assistant-");
  writeFileSync(join(folder, "domain.yml"), domain);
  writeFileSync(join(folder, "flows.yml"), flows);
  const loaded = await loadAssistant([folder], folder);
  if (!loaded.create) throw new Error(loaded.compile.errors.map((e) => e.message).join("\n"));
  const create = loaded.create;
  return (options = {}) => create({ frameIds: sequentialFrameIds(), ...options });
}

/** Runs a conversation from the initial state, one turn per list of command lines; returns each turn's result. */
export async function talk(bot: Assistant, turns: readonly (readonly string[])[]): Promise<TurnResult[]> {
  let state = bot.initialState();
  const results: TurnResult[] = [];
  for (const lines of turns) {
    const result = await bot.handle(state, bot.parseCommands(state, lines));
    results.push(result);
    state = result.state;
  }
  return results;
}
