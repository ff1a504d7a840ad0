/**
 * `npm run bench [-- --json]`: flowc's performance figures (design §4). Each figure is the
 * median of repeated runs; compare ratios across machines, not absolute times.
 *
 * Figures so far:
 *   predicate_eval_ns  mean over ten typical conditions of the median ns per evaluation
 *   check_ms_example   front end (load, schema, conditions, checks) on flows/, in process
 */
import { cpus } from "node:os";
import { compileFlows } from "../compiler/api.ts";
import { conditionFunction } from "../compiler/conditions/condition-function.ts";

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

const figures = [predicateEval(), checkExample()];
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version };

if (process.argv.includes("--json")) {
  const out: Record<string, unknown> = { machine };
  for (const figure of figures) out[figure.key] = figure.value;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  for (const figure of figures) process.stdout.write(`${figure.key.padEnd(24)} ${String(figure.value).padStart(10)} ${figure.unit.padEnd(3)} ${figure.what}\n`);
}
