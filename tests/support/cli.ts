/** Running `flowc` in process, and throwaway projects for it. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../compiler/cli.ts";
import { temporaryFolder } from "./temp.ts";

/** `flowc ARGV` in `cwd` (default: the current folder), with what it printed. */
export async function run(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    process.chdir(previous);
  }
}

/** The package's `flowc` bin. */
export const BIN = fileURLToPath(new URL("../../bin/flowc.js", import.meta.url));

/** `flowc ARGV` as a user runs it: the package's bin in a new process, in `cwd`, with `input` on its standard input. */
export function runBin(argv: readonly string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: "utf8", ...(input !== undefined ? { input } : {}) });
}

/** A temporary folder with the given files (paths relative to it), removed when the test file ends. */
export function project(files: Record<string, string>): string {
  const dir = temporaryFolder("flowc-cli-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** One test case of `flowc test --format json`, with the fields the tests read. */
export interface TestCaseReport<Failure = { step: number; line: number; note?: string }> {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: Failure[];
}

/**
 * The test cases of `flowc test e2e --project domain.yml --project flows.yml --format json` in
 * `dir`, by name (a name the report lacks throws). Anything printed to standard error throws.
 */
export async function testReport<Failure>(dir: string): Promise<(name: string) => TestCaseReport<Failure>> {
  const result = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
  if (result.err !== "") throw new Error(`flowc test wrote to standard error:\n${result.err}`);
  const report = JSON.parse(result.out) as { test_cases: TestCaseReport<Failure>[] };
  return (name) => {
    const found = report.test_cases.find((testCase) => testCase.name === name);
    if (!found) throw new Error(`no test case ${name}`);
    return found;
  };
}

/** The 1-based number of the first line of `text` that contains `needle` after the line holding `after`. */
export function lineAfter(text: string, needle: string, after: string): number {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.includes(after));
  const index = lines.findIndex((line, i) => i > start && line.includes(needle));
  if (start < 0 || index < 0) throw new Error(`no line with ${needle} after ${after}`);
  return index + 1;
}
