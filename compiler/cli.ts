/**
 * The `flowc` command line: a thin layer over `compileFlows`. Exit codes: 0 success (warnings
 * allowed), 1 compile errors, 2 usage or I/O errors. Nothing a user does makes it print a
 * stack trace: an unexpected failure is reported in one line as an internal error.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { compileFlows, type CompileResult } from "./api.ts";
import { dirname, relative, resolve } from "node:path";
import { Diagnostics } from "./diagnostics/catalogue.ts";
import { DiagnosticBag, type Diagnostic } from "./diagnostics/diagnostic.ts";
import { formatText, toJson } from "./diagnostics/format.ts";
import { createMissingFiles, outermostMissingFolder, removeFolder, verifyOutput, writeOutput, type WriteReport } from "./emit/write-output.ts";
import { lap } from "./pipeline.ts";
import { ConditionEvaluator, type EvalDocument } from "./conditions/condition-function.ts";
import type { ConditionSite } from "./conditions/ast.ts";
import { checkTestNames } from "./e2e/check-test-names.ts";
import { loadAssistant } from "./e2e/load-assistant.ts";
import { loadTestFiles } from "./e2e/load-test-files.ts";
import { formatResultsText, formatWarningText, resultsJson, warningJson } from "./e2e/report.ts";
import type { TestWarning } from "./e2e/test-model.ts";
import { deterministicOptions, runTestCases } from "./e2e/run-test-cases.ts";
import { computeCoverage, coverageJson, coverageRecorder, formatCoverageText } from "./e2e/coverage.ts";
import type { TraceLine } from "./e2e/trace-line.ts";
import { generateTests } from "./gen-tests/gen-tests.ts";
import { genTestsJson, genTestsText } from "./gen-tests/report.ts";
import { writeTestFiles } from "./gen-tests/write-tests.ts";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { chat, USER_PROMPT } from "./chat/chat-session.ts";
import { defaultActionsFile, loadActions } from "./chat/load-actions.ts";
import { plural } from "./util/plural.ts";
import { didYouMean } from "./util/suggest.ts";
import { describeIoError } from "./passes/load-yaml-files.ts";
import { packageVersion } from "./package-root.ts";
import { watchInputs, type WatchedInput } from "./watch.ts";

const USAGE = `usage: flowc <command> [options]

commands:
  compile [PATH...] [--out DIR] [--no-emit] [--verify] [--strict] [--watch] [--format text|json]
      check the assistant in PATH (files or folders, default flows/) and generate TypeScript
      into DIR (default generated/); --verify fails when DIR differs from what PATH produces;
      --watch compiles again whenever a YAML file under PATH changes, until interrupted

  eval [EXPR] [--doc JSON] [--site branch|guard|rejection]
  eval --jsonl [--site branch|guard|rejection]
      evaluate a condition as Rasa would, with the compiled code generated modules use;
      --jsonl reads {"expr", "doc", "site"?} lines from standard input (--site for a line
      without its own)

  test [PATH...] --project PATH [--project PATH...] [--trace FILE] [--coverage] [--format text|json]
      compile the assistant in the --project paths and run the e2e test cases of PATH
      (files or folders, default tests/; PATH::name runs only test case name) against it,
      without an LLM; --trace writes one JSON line per user step to FILE; --coverage
      reports the steps and branches of each user flow the tests exercised, and lists the
      others

  chat [PATH...] [--inspect] [--actions FILE]
      talk with the assistant in PATH (default flows/) in the terminal, with a deterministic
      command generator instead of an LLM; custom actions come from FILE (default: actions.ts
      in the assistant's folder, if any); reads one message per line from standard input when
      it is not a terminal; --inspect shows the commands, the stack and the slots after each turn

  gen-tests [PATH...] [--out DIR] [--format text|json]
      write e2e tests into DIR (default e2e_tests/generated/) that together reach every
      step and branch of the user flows of the assistant in PATH (default flows/), and
      check that they pass; says which steps and branches no test can reach

options:
  -h, --help     show this help
  -v, --version  print flowc's version`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      // No command is a usage error: said on standard error, as every other one is.
      io.err(USAGE);
      return 2;
    }
    if (command === "-h" || command === "--help" || command === "help") {
      io.out(USAGE);
      return 0;
    }
    if (command === "-v" || command === "--version") {
      io.out(`flowc ${packageVersion()}`);
      return 0;
    }
    if (command === "compile") return await compileCommand(rest, io);
    if (command === "eval") return await evalCommand(rest, io);
    if (command === "test") return await testCommand(rest, io);
    if (command === "chat") return await chatCommand(rest, io);
    if (command === "gen-tests") return await genTestsCommand(rest, io);
    io.err(`flowc: unknown command \`${command}\`\n\n${USAGE}`);
    return 2;
  } catch (error) {
    io.err(`flowc: internal error: ${error instanceof Error ? error.message : String(error)} (please report this)`);
    return 2;
  }
}

/**
 * The options `compile` and `test` share: `--help` prints the usage, and `--format` takes
 * `text` or `json`. Returns the exit code when the command should stop here.
 */
function helpOrBadFormat(command: string, values: { readonly help: boolean; readonly format: string }, io: Io): number | undefined {
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.format === "text" || values.format === "json") return undefined;
  return usageError(command, `--format must be \`text\` or \`json\`, not \`${values.format}\``, false, io, false);
}

/** Parses a command's arguments, or says what is wrong with them (then the exit code is 2). */
function parseCommandArgs<const O extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: readonly string[], io: Io, options: O) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (error) {
    usageError(command, argumentProblem(error, options), asksForJson(args, options), io);
    return undefined;
  }
}

/**
 * Whether a command line that parseArgs refused asks for `--format json` (or `--format=json`):
 * read as leniently as parseArgs reads one, unknown options taken for flags, the last
 * `--format` winning as it does.
 */
function asksForJson(args: readonly string[], options: NonNullable<ParseArgsConfig["options"]>): boolean {
  if (!Object.hasOwn(options, "format")) return false;
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: false, options }).values["format"] === "json";
  } catch {
    return false;
  }
}

/**
 * A usage error (exit code 2): said on standard error, with the usage after it unless
 * `withUsage` is false; where the command line asked for `--format json`, also on standard
 * output as the document the command prints its diagnostics in, with the one error FLW0005
 * (no file), so that a tool reading that document gets one it can read.
 */
function usageError(command: string, problem: string, json: boolean, io: Io, withUsage = true): number {
  io.err(`flowc ${command}: ${problem}${withUsage ? `\n\n${USAGE}` : ""}`);
  if (json) {
    const diagnostics = new DiagnosticBag();
    diagnostics.report("usage", { command, problem });
    io.out(JSON.stringify({ errors: diagnostics.all.map(toJson), warnings: [] }, null, 2));
  }
  return 2;
}

/**
 * What node's parseArgs found wrong, in flowc's words: an unknown option is named, with the
 * command's option it is most like, rather than with parseArgs' advice about positionals.
 */
function argumentProblem(error: unknown, options: NonNullable<ParseArgsConfig["options"]>): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'([^']*)'/.exec(message)?.[1] : undefined;
  if (unknown === undefined) return message;
  const hint = didYouMean(unknown, Object.keys(options).map((name) => `--${name}`));
  return `unknown option \`${unknown}\`${hint === undefined ? "" : `; ${hint}`}`;
}

const defaultIo: Io = {
  out: (text: string) => void process.stdout.write(`${text}\n`),
  err: (text: string) => void process.stderr.write(`${text}\n`),
};

/** `watched` when `compile --watch` runs the command again: it then compiles once, and prints JSON on one line. */
async function compileCommand(args: readonly string[], io: Io, watched = false): Promise<number> {
  const parsed = parseCommandArgs("compile", args, io, {
    out: { type: "string" },
    "no-emit": { type: "boolean", default: false },
    verify: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    format: { type: "string", default: "text" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const stop = helpOrBadFormat("compile", values, io);
  if (stop !== undefined) return stop;
  if (values.verify && values["no-emit"]) return usageError("compile", "--verify compares generated files, so it cannot go with --no-emit", values.format === "json", io, false);
  if (values.watch && values.verify) return usageError("compile", "--verify checks the generated files once, so it cannot go with --watch", values.format === "json", io, false);
  if (values.watch && !watched) return watchCompile(args, positionals.length > 0 ? positionals : ["flows"], io);
  const out = values.out ?? "generated";
  const emit = !values["no-emit"];
  const outDir = resolve(process.cwd(), out);
  let creatingFiles: Promise<void> | undefined;
  const newFolder = emit && !values.verify ? outermostMissingFolder(outDir) : undefined;
  const result = compileFlows({
    paths: positionals.length > 0 ? positionals : ["flows"],
    strict: values.strict,
    ...(emit ? { outDir: out } : {}),
    // Into a new output folder, the files are created while the last checks run and the code is generated.
    ...(newFolder !== undefined ? { onOutputPaths: (paths: readonly string[]) => void (creatingFiles = createMissingFiles(outDir, paths)) } : {}),
  });
  await creatingFiles;
  // A check after the files were created failed: nothing is written, so the new folder goes.
  if (creatingFiles && newFolder !== undefined && result.errors.length > 0) removeFolder(newFolder);
  const compiled = emit && result.errors.length === 0;
  const writing = compiled && !values.verify ? writeOutput(outDir, result.outputFiles, out, creatingFiles !== undefined) : undefined;
  const outputProblems = writing?.problems ?? (compiled && values.verify ? verifyOutput(outDir, result.outputFiles, out) : []);
  lap("write");
  const errors = [...result.errors, ...outputProblems];
  if (values.format === "json") {
    io.out(JSON.stringify({ errors: errors.map(toJson), warnings: result.warnings.map(toJson) }, null, watched ? undefined : 2));
  } else {
    for (const diagnostic of [...errors, ...result.warnings]) io.out(`${formatText(diagnostic)}\n`);
    const flows = result.assistant ? userFlowCount(result) : undefined;
    const folder = out.endsWith("/") ? out : `${out}/`;
    const done = !emit || errors.length > 0 ? "" : `; ${writing ? writeSummary(writing, folder) : `${folder} is up to date`}`;
    io.out(summary(errors.length, result.warnings.length, flows) + done);
  }
  const cannotWrite = outputProblems.some((d) => d.code === Diagnostics.cannotWrite.code);
  if (result.ioError || cannotWrite) return 2;
  return errors.length > 0 ? 1 : 0;
}

/**
 * What `compile` did to the output folder, as the summary line says it: the files it wrote,
 * the stale ones it removed and those it left as they were (`wrote 3 files to generated/ (28
 * unchanged)`), or that there was nothing to do (`generated/ is up to date (31 files)`).
 */
function writeSummary(report: WriteReport, folder: string): string {
  const { written, removed, unchanged } = report;
  if (written === 0 && removed === 0) return `${folder} is up to date (${plural(unchanged, "file")})`;
  const stale = plural(removed, "stale file");
  const done = written === 0 ? `removed ${stale} from ${folder}` : `wrote ${plural(written, "file")} to ${folder}${removed > 0 ? ` and removed ${stale}` : ""}`;
  return unchanged > 0 ? `${done} (${unchanged} unchanged)` : done;
}

/**
 * `compile --watch`: compiles, then again whenever a YAML file under the paths changes, each
 * time printing what `compile` prints (JSON on one line, so that a reader takes one document per
 * line), until interrupted. What it is doing goes to standard error. Every path must exist.
 */
async function watchCompile(args: readonly string[], paths: readonly string[], io: Io): Promise<number> {
  await compileCommand(args, io, true); // a path that cannot be read is reported here too, as compile reports it
  const cwd = process.cwd();
  const inputs: WatchedInput[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    try {
      inputs.push({ absolute, isDirectory: statSync(absolute).isDirectory() });
    } catch (error) {
      io.err(`flowc compile: cannot watch \`${path}\`: ${describeIoError(error)}`);
      return 2;
    }
  }
  const watching = watchInputs(inputs, cwd, {
    changed: async (files) => {
      io.err(`\nflowc compile: ${files.length === 1 ? `${files[0]} changed` : `${files.length} files changed`}; compiling again`);
      await compileCommand(args, io, true);
    },
    failed: (path, reason) => io.err(`flowc compile: cannot watch ${relative(cwd, path) || "."}: ${reason}`),
  });
  io.err(`flowc compile: watching ${paths.join(", ")} for changes (Ctrl-C to stop)`); // once the watches are set
  await watching.ended;
  return 2; // nothing is left to watch
}

/** The flows the user wrote (pattern overrides included), as `compile` reports them. */
function userFlowCount(result: CompileResult): number {
  return result.assistant?.flows.filter((f) => !f.input.isDefault).length ?? 0;
}

function summary(errors: number, warnings: number, flows: number | undefined): string {
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return errors === 0 && flows !== undefined ? `checked ${plural(flows, "flow")}: ${counts}` : counts;
}

const SITES = ["branch", "guard", "rejection"] as const;

function isSite(value: unknown): value is ConditionSite {
  return typeof value === "string" && (SITES as readonly string[]).includes(value);
}

async function evalCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs("eval", args, io, { doc: { type: "string" }, site: { type: "string" }, jsonl: { type: "boolean", default: false } });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const site = values.site ?? "guard";
  if (!isSite(site)) {
    io.err(`flowc eval: --site must be one of ${SITES.join(", ")}, not \`${site}\``);
    return 2;
  }
  const evaluator = new ConditionEvaluator();
  if (values.jsonl) {
    if (positionals.length > 0 || values.doc !== undefined) {
      io.err(`flowc eval: --jsonl reads each condition and its doc from standard input; give no condition or --doc beside it\n\n${USAGE}`);
      return 2;
    }
    const input = await readStdin();
    for (const line of input.split("\n")) {
      if (line.trim() === "") continue;
      io.out(JSON.stringify(evaluateLine(evaluator, line, site)));
    }
    return 0;
  }
  const [expr] = positionals;
  if (expr === undefined || positionals.length > 1) {
    io.err(`flowc eval: give one condition to evaluate (or --jsonl)\n\n${USAGE}`);
    return 2;
  }
  let document: EvalDocument = {};
  if (values.doc !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.doc);
    } catch (error) {
      io.err(`flowc eval: --doc is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    if (!isJsonObject(parsed)) {
      io.err('flowc eval: --doc must be a JSON object such as {"slots": {...}, "context": {...}}');
      return 2;
    }
    document = parsed as EvalDocument;
  }
  io.out(JSON.stringify(evaluator.evaluate(expr, document, site as ConditionSite)));
  return 0;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** One line of `eval --jsonl`, at its own `site` or else at the command's `--site`. */
function evaluateLine(evaluator: ConditionEvaluator, line: string, defaultSite: ConditionSite): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { valid: false, result: null, error: "input: the line is not JSON" };
  }
  // Every line gets its answer line, whatever it holds: `null` or `[1]` too.
  if (!isJsonObject(parsed)) return { valid: false, result: null, error: 'input: the line must be a JSON object {"expr", "doc", "site"?}' };
  const input: { expr?: unknown; doc?: unknown; site?: unknown } = parsed;
  const site = input.site ?? defaultSite; // `null` is no site, as absent
  if (!isSite(site)) return { valid: false, result: null, error: `input: \`site\` must be one of ${SITES.join(", ")}` };
  if (typeof input.expr !== "string") return { valid: false, result: null, error: "input: `expr` must be a string" };
  if (input.doc !== undefined && input.doc !== null && !isJsonObject(input.doc)) {
    return { valid: false, result: null, error: 'input: `doc` must be a JSON object such as {"slots": {...}, "context": {...}}' };
  }
  const document = isJsonObject(input.doc) ? (input.doc as EvalDocument) : {};
  return evaluator.evaluate(input.expr, document, site);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function testCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs("test", args, io, {
    project: { type: "string", multiple: true },
    trace: { type: "string" },
    coverage: { type: "boolean", default: false },
    format: { type: "string", default: "text" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const stop = helpOrBadFormat("test", values, io);
  if (stop !== undefined) return stop;
  const projects = values.project ?? [];
  if (projects.length === 0) return usageError("test", "give the assistant to test with --project PATH (its flows and domain)", values.format === "json", io);
  const json = values.format === "json";
  const cwd = process.cwd();
  const tests = loadTestFiles(positionals.length > 0 ? positionals : ["tests"], cwd);
  if (tests.problems.length > 0) {
    // The document `compile --format json` prints, with the test files' problems as its errors
    // and their warnings (one may say why no test case was found: FLW5044).
    if (json) io.out(JSON.stringify({ errors: tests.problems.map(toJson), warnings: tests.warnings.map(warningJson) }, null, 2));
    else {
      for (const problem of tests.problems) io.err(`${formatText(problem)}\n`);
      for (const warning of tests.warnings) io.err(`${formatWarningText(warning)}\n`);
    }
    return 2;
  }
  const loaded = await loadAssistant(projects, cwd);
  if (!loaded.create) return reportUncompiled("test", projects, loaded.compile, json, io);
  const create = loaded.create;
  const trace: TraceLine[] = [];
  const recorder = values.coverage ? coverageRecorder() : undefined;
  // Deterministic runs: sequential frame ids, and always the first variation that fits.
  const warnings: TestWarning[] = [...tests.warnings, ...(loaded.compiled ? checkTestNames(tests.suite, loaded.compiled) : [])];
  const results = await runTestCases(() => create(deterministicOptions()), tests.suite, { onTrace: (line) => trace.push(line), onWarning: (warning) => warnings.push(warning), ...(recorder ? { observer: recorder } : {}) });
  const traceProblems = values.trace === undefined ? [] : writeTrace(resolve(cwd, values.trace), trace, values.trace);
  const coverage = recorder && loaded.compiled ? computeCoverage(loaded.compiled, recorder, loaded.compile.assistant) : undefined;
  if (json) {
    const warningsJson = warnings.map(warningJson);
    // A trace that cannot be written goes into the one document, as compile's FLW0003 goes into its own.
    const errors = traceProblems.length > 0 ? { errors: traceProblems.map(toJson) } : {};
    io.out(JSON.stringify({ ...(resultsJson(results) as object), ...(coverage ? { coverage: coverageJson(coverage) } : {}), ...(warnings.length > 0 ? { warnings: warningsJson } : {}), ...errors }, null, 2));
  } else {
    // What Rasa would log and go past: on standard error, so that the results stay as they are.
    for (const warning of warnings) io.err(`${formatWarningText(warning)}\n`);
    io.out(formatResultsText(results, coverage ? formatCoverageText(coverage) : undefined));
    for (const problem of traceProblems) io.err(formatText(problem));
  }
  // The tests ran: their results are shown even when the trace cannot be written (an I/O error, exit 2).
  if (traceProblems.length > 0) return 2;
  return results.every((result) => result.passed) ? 0 : 1;
}

/** Writes the trace lines of `flowc test --trace` to `file` (`shownAs` on the command line); what went wrong, as FLW0003. */
function writeTrace(file: string, trace: readonly TraceLine[], shownAs: string): Diagnostic[] {
  const diagnostics = new DiagnosticBag();
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, trace.map((line) => `${JSON.stringify(line)}\n`).join(""));
  } catch (error) {
    diagnostics.report("cannotWrite", { path: shownAs, reason: describeIoError(error) });
  }
  return diagnostics.all;
}

async function chatCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs("chat", args, io, {
    inspect: { type: "boolean", default: false },
    actions: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const cwd = process.cwd();
  const paths = positionals.length > 0 ? positionals : ["flows"];
  const loaded = await loadAssistant(paths, cwd);
  if (!loaded.create || !loaded.compiled) return reportUncompiled("chat", paths, loaded.compile, false, io);
  const actionsFile = values.actions ?? defaultActionsFile(paths, cwd);
  const actions = actionsFile === undefined ? undefined : await loadActions(actionsFile, cwd);
  if (actions && !actions.ok) {
    io.err(`flowc chat: ${actions.problem}`);
    return 2;
  }
  const create = loaded.create;
  const compiled = loaded.compiled;
  const implemented = actions?.ok ? actions.actions : {};
  const unknown = Object.keys(implemented).filter((name) => !compiled.customActions.includes(name));
  if (unknown.length > 0) io.err(`flowc chat: ${actionsFile}: not custom actions of the assistant: ${unknown.join(", ")}`);
  // Counted as `compile` counts them: the catalogue of startable flows leaves out pattern overrides.
  io.out(`flowc chat: ${plural(userFlowCount(loaded.compile), "flow")} from ${paths.join(", ")}${actionsFile === undefined ? "" : `, custom actions from ${actionsFile}`}; /quit or Ctrl-D ends the chat`);
  const missing = compiled.customActions.filter((name) => !Object.hasOwn(implemented, name));
  if (missing.length > 0) io.out(`(custom actions without an implementation return nothing: ${missing.join(", ")})`);

  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: terminal ? process.stdout : undefined, terminal, prompt: USER_PROMPT });
  lines.on("SIGINT", () => lines.close());
  try {
    const ended = await chat(() => create(actions?.ok ? { actions: actions.actions } : {}), lines, {
      inspect: values.inspect,
      echo: !terminal,
      out: io.out,
      ...(terminal ? { prompt: () => lines.prompt() } : {}),
    });
    // Ctrl-D or Ctrl-C leave the cursor after the prompt
    if (terminal && ended === "end") io.out("");
  } finally {
    lines.close();
  }
  return 0;
}

async function genTestsCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs("gen-tests", args, io, {
    out: { type: "string" },
    format: { type: "string", default: "text" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const stop = helpOrBadFormat("gen-tests", values, io);
  if (stop !== undefined) return stop;
  const json = values.format === "json";
  const paths = positionals.length > 0 ? positionals : ["flows"];
  const out = values.out ?? "e2e_tests/generated";
  const result = await generateTests({ paths, cwd: process.cwd() });
  if (!result.generated) return reportUncompiled("gen-tests", paths, result.compile, json, io);
  const problems = writeTestFiles(resolve(process.cwd(), out), result.generated.files, out);
  if (problems.length > 0) return reportWriteProblems(problems, json, io);
  io.out(json ? JSON.stringify(genTestsJson(result.generated, out), null, 2) : genTestsText(result.generated, out));
  return result.generated.results.every((r) => r.passed) ? 0 : 1;
}

/**
 * Files a command could not write (FLW0003), an I/O error (exit code 2): as `compile` reports
 * them, on standard error, or as its JSON document on standard output.
 */
function reportWriteProblems(problems: readonly Diagnostic[], json: boolean, io: Io): number {
  if (json) io.out(JSON.stringify({ errors: problems.map(toJson), warnings: [] }, null, 2));
  else for (const problem of problems) io.err(formatText(problem));
  return 2;
}

/**
 * `test`, `chat` and `gen-tests` on an assistant that cannot be read or does not compile: its
 * diagnostics (as `compile` prints them, or as JSON), and exit code 2.
 */
function reportUncompiled(command: string, paths: readonly string[], compile: CompileResult, json: boolean, io: Io): number {
  const { errors, warnings } = compile;
  if (json) {
    io.out(JSON.stringify({ errors: errors.map(toJson), warnings: warnings.map(toJson) }, null, 2));
    return 2;
  }
  for (const diagnostic of errors) io.err(`${formatText(diagnostic)}\n`);
  const why = compile.ioError ? "cannot be read" : `does not compile (${plural(errors.length, "error")})`;
  io.err(`flowc ${command}: the assistant in ${paths.join(", ")} ${why}`);
  return 2;
}
