/**
 * Replays a JSONL file written by python-oracle.py against flowc and prints every case flowc
 * answers otherwise (`npx tsx scripts/oracles/compare.ts <file.jsonl> [--json]`); see python-oracle.py.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { flowcAnswers, type PythonOracleCase } from "../../tests/support/python-oracle.ts";

const [file, flag] = process.argv.slice(2);
const cases = readFileSync(file!, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as PythonOracleCase);
const counts = new Map<string, [number, number]>();
for (const c of cases) {
  let answers: unknown[];
  try {
    answers = flowcAnswers(c);
  } catch (error) {
    answers = [`threw ${String(error)}`];
  }
  const differs = answers.some((answer) => !isDeepStrictEqual(answer, c.expected));
  const count = counts.get(c.target) ?? [0, 0];
  counts.set(c.target, count);
  count[0]++;
  if (differs) {
    count[1]++;
    console.log(flag === "--json" ? JSON.stringify(c) : `${c.target} ${JSON.stringify(c.args)}\n  python: ${JSON.stringify(c.expected)}\n  flowc:  ${answers.map((x) => JSON.stringify(x)).join(" | ")}`);
  }
}
for (const [target, [all, differ]] of counts) console.error(`${target}: ${differ} of ${all} differ`);
