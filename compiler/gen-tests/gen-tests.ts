/**
 * `flowc gen-tests`: e2e tests that together reach every step and branch of the user's flows.
 * Compiles and loads the assistant as `flowc test` does, searches conversations on the real
 * runtime (explore.ts), writes them as test files (write-tests.ts), then runs the written
 * files back through `flowc test`'s own loader and runner to check that they pass and to
 * measure what they reach. Goals no conversation reaches are reported, never dropped silently.
 */
import type { Assistant } from "../../runtime/assistant.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import type { CompileResult } from "../api.ts";
import { loadAssistant } from "../e2e/load-assistant.ts";
import { parseTestTexts } from "../e2e/load-test-files.ts";
import { runTestCases, type TestCaseResult } from "../e2e/run-test-cases.ts";
import { explore, type SearchLimits } from "./explore.ts";
import { instrument, type Goal } from "./instrument.ts";
import { searchSpace } from "./search-space.ts";
import { testFiles, type TestFile } from "./write-tests.ts";

export interface GenerateOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly limits?: SearchLimits;
}

export interface GenerateResult {
  readonly compile: CompileResult;
  /** Absent when the assistant does not compile. */
  readonly generated?: {
    readonly files: readonly TestFile[];
    readonly goals: readonly Goal[];
    /** Goals the written tests reach when run. */
    readonly reached: ReadonlySet<string>;
    /** Goals no generated test reaches. */
    readonly unreached: readonly Goal[];
    /** The written tests run as `flowc test` runs them. */
    readonly results: readonly TestCaseResult[];
  };
}

export async function generateTests(options: GenerateOptions): Promise<GenerateResult> {
  const loaded = await loadAssistant(options.paths, options.cwd);
  const { compiled, createFrom } = loaded;
  if (!compiled || !createFrom || !loaded.compile.assistant) return { compile: loaded.compile };
  const instrumented = instrument(compiled);
  const conversations = await explore(instrumented, searchSpace(loaded.compile.assistant), createFrom, options.limits);
  const files = testFiles(conversations, compiled, instrumented.goals, `the assistant in ${options.paths.join(", ")}`);

  // Run what was written, with the instrumented copy (it behaves as the compiled assistant).
  const reached = new Set<string>();
  const observed = (): Assistant => {
    const inner = createFrom(instrumented.assistant, { frameIds: sequentialFrameIds() });
    return {
      ...inner,
      handle: async (state, commands, turn) => {
        const result = await inner.handle(state, commands, turn);
        for (const key of instrumented.take(result)) reached.add(key);
        return result;
      },
    };
  };
  const read = parseTestTexts(files.map((file) => ({ path: file.path, text: file.text })));
  if (read.problems.length > 0) throw new Error(`the generated tests do not load: ${read.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("; ")}`);
  const results = await runTestCases(observed, read.suite);
  const unreached = instrumented.goals.filter((goal) => !reached.has(goal.key));
  return { compile: loaded.compile, generated: { files, goals: instrumented.goals, reached, unreached, results } };
}
