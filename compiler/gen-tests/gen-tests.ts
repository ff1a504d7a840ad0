/**
 * `flowc gen-tests`: e2e tests that together reach every step and branch of the user's flows.
 * Compiles and loads the assistant as `flowc test` does, searches conversations on the real
 * runtime (explore.ts), writes them as test files (write-tests.ts), then runs the written
 * files back through `flowc test`'s own loader and runner, with `--coverage`'s recorder, to
 * check that they pass and to measure what they reach. Goals no test reaches are reported,
 * never dropped silently.
 */
import type { CompileResult } from "../api.ts";
import { computeCoverage, coverageRecorder, type CoverageReport } from "../e2e/coverage.ts";
import { loadAssistant } from "../e2e/load-assistant.ts";
import { parseTestTexts } from "../e2e/load-test-files.ts";
import { deterministicOptions, runTestCases, type TestCaseResult } from "../e2e/run-test-cases.ts";
import { explore, type SearchLimits } from "./explore.ts";
import { coverageKey, instrument, type Goal } from "./instrument.ts";
import { searchSpace } from "./search-space.ts";
import { testFiles, type TestFile } from "./write-tests.ts";

export interface GenerateOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly limits?: SearchLimits;
}

export interface Generated {
  readonly files: readonly TestFile[];
  /** Steps and branches of the user flows the written tests reach, as `flowc test --coverage` counts them. */
  readonly coverage: CoverageReport;
  /** Rejections of collect steps: how many there are and how many the written tests trigger. */
  readonly rejections: { readonly reached: number; readonly total: number };
  /** Steps, branches and rejections no written test reaches. */
  readonly unreached: readonly Goal[];
  /** Collect steps whose questions no reply can answer (FLW4105): the tests leave them unanswered. */
  readonly unanswered: readonly Goal[];
  /** The written tests run as `flowc test` runs them. */
  readonly results: readonly TestCaseResult[];
}

export interface GenerateResult {
  readonly compile: CompileResult;
  /** Absent when the assistant does not compile. */
  readonly generated?: Generated;
}

export async function generateTests(options: GenerateOptions): Promise<GenerateResult> {
  const loaded = await loadAssistant(options.paths, options.cwd);
  const { compiled, createFrom } = loaded;
  const ir = loaded.compile.assistant;
  if (!compiled || !createFrom || !ir) return { compile: loaded.compile };
  const instrumented = instrument(compiled, ir);
  const space = searchSpace(ir);
  const conversations = await explore(instrumented, space, createFrom, options.limits);
  const files = testFiles(conversations, compiled, instrumented.goals, `the assistant in ${options.paths.join(", ")}`);

  // Run what was written, with the copy that observes rejections (it behaves as the compiled assistant).
  const read = parseTestTexts(files.map((file) => ({ path: file.path, text: file.text })));
  if (read.problems.length > 0) throw new Error(`the generated tests do not load: ${read.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("; ")}`);
  // Steps and branches from the recorder; rejections from the instrumented predicates (take()).
  const recorder = coverageRecorder();
  const results = await runTestCases(() => createFrom(instrumented.assistant, deterministicOptions()), read.suite, { observer: recorder });
  const reached = instrumented.take();
  const coverage = computeCoverage(compiled, recorder, ir);
  const uncovered = new Set(coverage.flows.flatMap((flow) => flow.uncovered).map(coverageKey));
  const rejectionGoals = instrumented.goals.filter((goal) => goal.kind === "rejection");
  const unreached = instrumented.goals.filter((goal) => (goal.kind === "rejection" ? !reached.has(goal.key) : uncovered.has(goal.key)));
  const unanswered = instrumented.goals.filter((goal) => space.unanswerable.has(goal.key));
  return {
    compile: loaded.compile,
    generated: { files, coverage, rejections: { reached: rejectionGoals.filter((goal) => reached.has(goal.key)).length, total: rejectionGoals.length }, unreached, unanswered, results },
  };
}
