/**
 * `npm run bench [-- --json]`: flowc's performance figures (design §4). Each figure is the
 * median of repeated runs; compare ratios across machines, not absolute times.
 *
 * Figures so far:
 *   check_ms_example   front end (load, schema, conditions, checks) on flows/, in process
 */
import { cpus } from "node:os";
import { compileFlows } from "../compiler/api.ts";

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

const figures = [checkExample()];
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version };

if (process.argv.includes("--json")) {
  const out: Record<string, unknown> = { machine };
  for (const figure of figures) out[figure.key] = figure.value;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
  for (const figure of figures) process.stdout.write(`${figure.key.padEnd(24)} ${String(figure.value).padStart(10)} ${figure.unit.padEnd(3)} ${figure.what}\n`);
}
