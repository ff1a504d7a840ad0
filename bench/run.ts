/**
 * `npm run bench [-- --json]`: flowc's performance figures (design §4). Each figure is the
 * median of repeated runs; compare ratios across machines, not absolute times.
 *
 * Figures so far:
 *   predicate_eval_ns       mean over ten typical conditions of the median ns per evaluation
 *   check_ms_example        front end (load, schema, conditions, checks) on flows/, in process
 *   compile_ms_1000_flows   `flowc compile` of a synthetic assistant of 1,000 flows, wall time of
 *                           a new process (start-up included), median of 3
 *   compile_ms_10000_flows  the same with 10,000 flows, one run
 *   turn_ns, cold_start_ms_200_flows   the runtime (bench/runtime-figures.ts)
 *
 * The synthetic assistants (bench/synthetic-assistant.ts, split domain layout) are written to a
 * temporary folder outside the repository and removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFlows } from "../compiler/api.ts";
import { conditionFunction } from "../compiler/conditions/condition-function.ts";
import { coldStartFigure, turnFigure } from "./runtime-figures.ts";
import { writeAssistant } from "./synthetic-assistant.ts";

interface Figure {
  readonly key: string;
  readonly value: number;
  readonly unit: string;
  readonly what: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timeMs(run: () => void, repeats: number): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function checkExample(): Figure {
  compileFlows({ paths: ["flows"] }); // warm up
  const ms = timeMs(() => {
    const result = compileFlows({ paths: ["flows"] });
    if (result.errors.length > 0) throw new Error("the example assistant does not compile");
  }, 30);
  return { key: "check_ms_example", value: Number(ms.toFixed(2)), unit: "ms", what: "front end on flows/ (median of 30)" };
}

/** The ten conditions and the document of the conditions issue (reference: ~1,400 ns in pypred). */
const PREDICATE_SET = [
  "slots.age < 18",
  "slots.age >= 18 and slots.consent",
  "slots.{{context.collect}} is not null",
  'context.previous_flow_name != "greeting"',
  "{'WARN' 'ERR' 'CRIT'} contains slots.error_level",
  'slots.zipcode matches "\\d{5}(-\\d{4})?"',
  'slots.product matches "(?i).*rasa.*"',
  'slots.status = "active" and (slots.priority = 1 or slots.priority = 2)',
  "not slots.name",
  'slots.amount > 1000 and slots.tier = "gold" or slots.is_member is true',
];
const PREDICATE_SLOTS = { age: 21.0, consent: true, error_level: "ERR", zipcode: "12345-6789", product: "I love Rasa Pro", status: "active", priority: 2.0, name: "Alice", amount: 1500.0, tier: "gold", is_member: false };
const PREDICATE_CONTEXT = { collect: "age", previous_flow_name: "greeting", flow_id: "pattern_collect_information", step_id: "start" };

function predicateEval(): Figure {
  const predicates = PREDICATE_SET.map((text) => {
    const fn = conditionFunction(text, "branch");
    if (!fn.ok) throw new Error(`benchmark condition does not compile: ${text}: ${fn.error}`);
    return fn.predicate;
  });
  // Rounds go through all ten conditions in turn, so that a slow moment of a noisy machine
  // hits every condition alike; each condition's figure is its median over the rounds.
  const samples: number[][] = predicates.map(() => []);
  const calls = 100_000;
  let sink = 0;
  for (let round = 0; round < 31; round++) {
    predicates.forEach((predicate, index) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) if (predicate(PREDICATE_SLOTS, PREDICATE_CONTEXT)) sink++;
      if (round >= 5) samples[index]!.push(Number(process.hrtime.bigint() - start) / calls);
    });
  }
  if (sink < 0) throw new Error("unreachable");
  const medians = samples.map(median);
  const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
  return { key: "predicate_eval_ns", value: Number(mean.toFixed(1)), unit: "ns", what: `mean of per-condition medians (${medians.map((m) => m.toFixed(0)).join(", ")})` };
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FLOWC = join(ROOT, "bin", "flowc.js");
const BUNDLE = join(ROOT, "dist", "flowc.js");

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** bin/flowc.js runs the TypeScript sources through tsx when dist/flowc.js is older than them. */
function bundleIsFresh(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  return ["compiler", "runtime"].every((folder) => !existsSync(join(ROOT, folder)) || newestSource(join(ROOT, folder)) <= built);
}

function build(): void {
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", shell: process.platform === "win32" });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${String(result.status)}):\n${result.stdout}${result.stderr}`);
}

type CompileMode = "emit" | "check only";

/** How `flowc compile` is run: with `--out` until the CLI rejects it (exit 2), then `--no-emit`. */
let compileMode: CompileMode | undefined;

/** Wall time (ms) of one `flowc compile` process on `input`. */
function compileOnce(input: string, out: string): number {
  // Someone editing the compiler while the bench runs would make bin/flowc.js fall back to tsx.
  if (!bundleIsFresh()) build();
  rmSync(out, { recursive: true, force: true });
  const run = (flags: readonly string[]) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [FLOWC, "compile", input, ...flags], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  };
  let { result, ms } = run(compileMode === "check only" ? ["--no-emit"] : ["--out", out]);
  if (compileMode === undefined && result.status === 2) {
    // The code generator has not landed: compile only checks, and may refuse --out.
    ({ result, ms } = run(["--no-emit"]));
    if (result.status === 0) compileMode = "check only";
  }
  if (result.status !== 0 || result.error) {
    throw new Error(`flowc compile ${input} failed (exit ${String(result.status)}${result.error ? `, ${result.error.message}` : ""}):\n${result.stdout}${result.stderr}`.slice(0, 20_000));
  }
  // The synthetic assistants have no warnings either: one would mean flowc or the generator changed.
  const summary = /\b[1-9]\d* (errors?|warnings?)\b/.exec(result.stdout);
  if (summary) throw new Error(`flowc compile ${input} reported ${summary[0]}:\n${result.stdout.slice(0, 20_000)}`);
  // --out accepted but nothing written: the CLI still only checks.
  if (compileMode === undefined) compileMode = existsSync(out) && readdirSync(out).length > 0 ? "emit" : "check only";
  return ms;
}

function compileFigures(): Figure[] {
  build();
  const temp = mkdtempSync(join(tmpdir(), "flowc-bench-"));
  try {
    const figures: Figure[] = [];
    for (const [flows, repeats] of [[1_000, 3], [10_000, 1]] as const) {
      const input = join(temp, `assistant-${flows}`);
      const files = writeAssistant(input, flows, { domainLayout: "split" }).length;
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) samples.push(compileOnce(input, join(temp, `out-${flows}`)));
      const runs = repeats === 1 ? "1 run" : `median of ${repeats}`;
      figures.push({
        key: `compile_ms_${flows}_flows`,
        value: Math.round(median(samples)),
        unit: "ms",
        what: `flowc compile (${compileMode === "check only" ? "check only" : "check + emit"}) of ${flows.toLocaleString("en-US")} synthetic flows in ${files} files, new process (${runs})`,
      });
    }
    return figures;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const figures = [predicateEval(), checkExample(), await turnFigure(), await coldStartFigure(), ...compileFigures()];
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version };

if (process.argv.includes("--json")) {
  const out: Record<string, unknown> = { machine };
  for (const figure of figures) out[figure.key] = figure.value;
  out["compile_mode"] = compileMode;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  for (const figure of figures) process.stdout.write(`${figure.key.padEnd(24)} ${String(figure.value).padStart(10)} ${figure.unit.padEnd(3)} ${figure.what}\n`);
}
