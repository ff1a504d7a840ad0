/**
 * The runtime's figures for `npm run bench` (design §4):
 *
 *   turn_ns                  median ns per user turn of the example money-transfer
 *                            conversation, in memory, custom actions stubbed
 *   cold_start_ms_200_flows  a fresh process importing a compiled 200-flow synthetic assistant
 *                            and running its first turn (Node's own start-up excluded)
 *
 * Both run the generated code the way an application ships it: `flowc`'s output plus the
 * runtime, bundled into one JavaScript module by esbuild.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeAssistantModules } from "../compiler/e2e/load-assistant.ts";
import type { Assistant, AssistantOptions } from "../runtime/assistant.ts";
import type { Command } from "../runtime/commands.ts";
import type { CompiledAssistant } from "../runtime/model.ts";
import { writeAssistant } from "./synthetic-assistant.ts";

export interface RuntimeFigure {
  readonly key: string;
  readonly value: number;
  readonly unit: string;
  readonly what: string;
}

interface BundledAssistant {
  readonly assistant: CompiledAssistant;
  readonly createAssistant: (compiled: CompiledAssistant, options?: AssistantOptions) => Assistant;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Compiles the assistant in `paths` and bundles it with the runtime into `folder/assistant.mjs`. */
async function bundle(paths: readonly string[], folder: string): Promise<string> {
  const { compile, entry } = writeAssistantModules(paths, ROOT, join(folder, "generated"));
  if (!entry) throw new Error(`the benchmark assistant does not compile: ${compile.errors[0]?.message ?? "unknown error"}`);
  const outfile = join(folder, "assistant.mjs");
  await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  return outfile;
}

/** The money transfer of the example: both questions answered up front, then a confirmation. */
const TRANSFER: readonly (readonly string[])[] = [
  ["start flow transfer_money", "set slot recipient John", "set slot amount 50"],
  ["set slot transfer_confirmed true"],
];

const STUBS = {
  check_recipient: () => ({ slots: { recipient_known: true } }),
  check_transfer_funds: () => ({ slots: { has_sufficient_funds: true } }),
  execute_transfer: () => undefined,
};

export async function turnFigure(): Promise<RuntimeFigure> {
  const folder = mkdtempSync(join(tmpdir(), "flowc-bench-turn-"));
  try {
    const { assistant, createAssistant } = (await import(pathToFileURL(await bundle(["flows"], folder)).href)) as BundledAssistant;
    let next = 0;
    const bot = createAssistant(assistant, { actions: STUBS, frameIds: () => `F${++next}` });
    const initial = bot.initialState();
    // Commands are what dialogue understanding hands over; parsing them is not part of a turn.
    const commands: Command[][] = [];
    let state = initial;
    for (const lines of TRANSFER) {
      commands.push(bot.parseCommands(state, lines));
      state = (await bot.handle(state, commands[commands.length - 1]!)).state;
    }
    if (!state.lastBotTurn.some((m) => m.response === "utter_transfer_complete")) throw new Error("the benchmark conversation did not complete the transfer");
    const conversations = 2_000;
    const samples: number[] = [];
    for (let round = 0; round < 25; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < conversations; i++) {
        let current = initial;
        for (const turn of commands) current = (await bot.handle(current, turn)).state;
      }
      if (round >= 5) samples.push(Number(process.hrtime.bigint() - start) / (conversations * commands.length));
    }
    return { key: "turn_ns", value: Math.round(median(samples)), unit: "ns", what: `example money transfer, ${commands.length} turns, stubbed actions (median of 20 rounds)` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Runs in the fresh process as its entry file, as an application's own entry point runs: the
 * clock starts before the import. Not as `node --input-type=module -e`: a process started so
 * has not yet set up Node's loading of modules from files, and its first import of a file pays
 * for that (importing an empty module took 4-5 ms so, against about 1 ms from an entry file).
 */
const COLD_START_SCRIPT = `
const started = performance.now();
const { assistant, createAssistant } = await import(process.argv[2]);
const imported = performance.now();
const bot = createAssistant(assistant);
const state = bot.initialState();
const turn = await bot.handle(state, bot.parseCommands(state, ["start flow " + assistant.catalogue[0].id]));
if (turn.actions.length < 2) throw new Error("the first turn did nothing");
const ended = performance.now();
process.stdout.write(JSON.stringify({ total: ended - started, imported: imported - started }));
`;

export async function coldStartFigure(flows = 200): Promise<RuntimeFigure> {
  const folder = mkdtempSync(join(tmpdir(), "flowc-bench-cold-"));
  try {
    writeAssistant(join(folder, "input"), flows, { domainLayout: "split" });
    const file = await bundle([join(folder, "input")], folder);
    const script = join(folder, "cold-start.mjs");
    writeFileSync(script, COLD_START_SCRIPT);
    const totals: number[] = [];
    const imports: number[] = [];
    for (let i = 0; i < 11; i++) {
      const run = spawnSync(process.execPath, [script, pathToFileURL(file).href], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`the cold-start run failed:\n${run.stderr}`);
      const { total, imported } = JSON.parse(run.stdout) as { total: number; imported: number };
      totals.push(total);
      imports.push(imported);
    }
    const split = `import ${median(imports).toFixed(1)} ms of it`;
    return { key: `cold_start_ms_${flows}_flows`, value: Number(median(totals).toFixed(2)), unit: "ms", what: `import of a bundled ${flows}-flow assistant + first turn, fresh process (median of 11; ${split})` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
