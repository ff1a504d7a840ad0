/**
 * The compiler pipeline: named passes run in stages. Each stage reports every problem it
 * finds; the pipeline stops between stages when a stage found errors, so that later passes
 * only see input that earlier ones accepted (and no problem is reported twice).
 *
 *   syntax     load YAML → check the schema → parse conditions
 *   structure  merge files and defaults → normalize flows → Rasa's structural rules
 *   semantics  Rasa's domain-aware rules → flowc's analyses (loops, types, dead branches)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.ts";
import { DiagnosticBag } from "./diagnostics/diagnostic.ts";
import type { AssistantIR, FlowIR } from "./model/ir.ts";
import type { DomainPartInput, FlowsPartInput } from "./model/input.ts";
import type { ActionStepInput, ConditionInput, VariationInput } from "./model/input.ts";
import { checkConditionTypes } from "./passes/check-condition-types.ts";
import { reportNullFailingRejections } from "./passes/report-null-failing-rejections.ts";
import { compileActionNames, type CompiledActionName } from "./passes/compile-action-names.ts";
import { compileConditions, type NamedPredicate } from "./passes/compile-conditions.ts";
import { compileResponseTemplates, type VariationTemplates } from "./passes/compile-response-templates.ts";
import { checkConditions } from "./passes/check-conditions.ts";
import { checkDigressions } from "./passes/check-digressions.ts";
import { checkButtonPayloads } from "./passes/check-button-payloads.ts";
import { checkDomain } from "./passes/check-domain.ts";
import { checkFlowReferences } from "./passes/check-flow-references.ts";
import { checkFlowStructure, FLOW_ID } from "./passes/check-flow-structure.ts";
import { checkFlowUniqueness } from "./passes/check-flow-uniqueness.ts";
import { checkSlotPersistence } from "./passes/check-slot-persistence.ts";
import { checkStepsAgainstDomain } from "./passes/check-steps-against-domain.ts";
import { findYamlFiles, isAssistantFile, parseYamlFiles, readInputs, type InputText, type LoadedFile } from "./passes/load-yaml-files.ts";
import { mergeDomain } from "./passes/merge-domain.ts";
import { mergeFlows } from "./passes/merge-flows.ts";
import { normalizeFlow } from "./passes/normalize-flows.ts";
import { parseDomainConditions, parseFlowConditions } from "./passes/parse-conditions.ts";
import { reportShadowedBranches } from "./passes/report-shadowed-branches.ts";
import { reportSilentLoops } from "./passes/report-silent-loops.ts";
import { reportStepsAfterStackReset } from "./passes/report-steps-after-stack-reset.ts";
import { reportUnanswerableQuestions } from "./passes/report-unanswerable-questions.ts";
import { reportUnrenderedTemplateNames } from "./passes/report-unrendered-template-names.ts";
import { reportUnusedFlows } from "./passes/report-unused-flows.ts";
import { reportUnknownPatterns } from "./passes/report-unknown-patterns.ts";
import { resolveFlowSlots } from "./passes/resolve-flow-slots.ts";
import { validateDomainFile } from "./passes/validate-domain-schema.ts";
import { validateFlowsFile } from "./passes/validate-flows-schema.ts";

export interface PipelineInput {
  /** Files or folders to read (relative to `cwd`). Ignored when `inputs` is given. */
  readonly paths?: readonly string[] | undefined;
  /** In-memory files, for tests and tools. */
  readonly inputs?: readonly InputText[] | undefined;
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Called with the ids of the flows (default patterns included) as soon as they are known:
   * after the schema stage when every id is a valid flow id (the flows the structure stage
   * keeps when it finds no error), else never (that stage then reports an error).
   */
  readonly onFlowIds?: ((ids: readonly string[]) => void) | undefined;
}

export interface PipelineResult {
  readonly diagnostics: DiagnosticBag;
  /** True when a file could not be read (exit code 2). */
  readonly ioError: boolean;
  /** The checked assistant, when no stage found errors. */
  readonly assistant?: AssistantIR | undefined;
  /** The compiled predicate of every condition, for the code generator. */
  readonly predicates?: ReadonlyMap<ConditionInput, NamedPredicate> | undefined;
  /** The compiled Jinja templates of response variations, for the code generator. */
  readonly templates?: ReadonlyMap<VariationInput, VariationTemplates> | undefined;
  /** The compiled Jinja templates of action names beyond bare `{{ context.<field> }}` holes, for the code generator. */
  readonly actionNames?: ReadonlyMap<ActionStepInput, CompiledActionName> | undefined;
}

const DEFAULT_PATTERNS_FILE = join("compiler", "defaults", "default-patterns.yml");
const DEFAULT_PATTERNS_PATH = "<flowc>/default-patterns.yml";

/** `FLOWC_TIMINGS=1` prints how long each stage took, to standard error. */
const timings = process.env.FLOWC_TIMINGS === "1";
let lastLap = 0;
export function lap(stage: string): void {
  if (!timings) return;
  const now = performance.now();
  if (lastLap !== 0) process.stderr.write(`flowc: ${stage} ${Math.round(now - lastLap)} ms\n`);
  lastLap = now;
}

export function runPipeline(input: PipelineInput): PipelineResult {
  lap("start");
  const diagnostics = new DiagnosticBag();
  const cwd = input.cwd ?? process.cwd();
  const options = { cwd, env: input.env ?? process.env, takesPart: isAssistantFile };

  // ---- syntax
  let texts: readonly InputText[];
  if (input.inputs) texts = input.inputs;
  else {
    const files = findYamlFiles(input.paths ?? ["flows"], diagnostics, cwd);
    if (files.length === 0 && !diagnostics.hasErrors) diagnostics.report("noInputFiles", { paths: (input.paths ?? ["flows"]).join(", ") });
    texts = readInputs(files, diagnostics, cwd);
  }
  if (diagnostics.hasErrors) return { diagnostics, ioError: true };
  lap("read files");
  const parsed = parseYamlFiles(texts, diagnostics, options);
  lap("parse YAML");
  const user = checkSchema(parsed, diagnostics, false);
  const defaults = defaultPatterns(diagnostics);
  parseConditions(user, [...user.domain, ...defaults.domain], diagnostics);
  lap("schema and conditions");
  if (diagnostics.hasErrors) return { diagnostics, ioError: false };
  // The CLI creates the output files in a worker meanwhile: the earlier, the more it overlaps.
  const flowIds = knownFlowIds(user.flows, defaults.flows);
  if (flowIds.length > 0 && flowIds.every((id) => FLOW_ID.test(id))) input.onFlowIds?.(flowIds);

  // ---- structure
  const domain = mergeDomain(user.domain, defaults.domain, diagnostics);
  const flows: FlowIR[] = mergeFlows(user.flows, defaults.flows, diagnostics).map((flow) => normalizeFlow(flow, diagnostics));
  const allFlowIds = new Set(flows.map((flow) => flow.id));
  for (const flow of flows) checkFlowStructure(flow, diagnostics, allFlowIds);
  checkFlowReferences(flows, diagnostics);
  const templates = compileResponseTemplates(domain.responses.values(), new Set(domain.slots.keys()), diagnostics);
  const actionNames = compileActionNames(flows, diagnostics);
  lap("structure");
  if (diagnostics.hasErrors) return { diagnostics, ioError: false };

  // ---- semantics
  const assistant: AssistantIR = {
    flows,
    flowsById: new Map(flows.map((f) => [f.id, f])),
    domain,
    flowSlots: resolveFlowSlots(flows),
  };
  checkDomain(assistant, diagnostics);
  checkButtonPayloads(assistant, diagnostics);
  checkStepsAgainstDomain(assistant, diagnostics);
  checkFlowUniqueness(flows, diagnostics);
  checkConditions(assistant, diagnostics);
  checkSlotPersistence(assistant, diagnostics);
  checkDigressions(flows, diagnostics);
  checkConditionTypes(assistant, diagnostics);
  reportNullFailingRejections(assistant, diagnostics);
  reportUnrenderedTemplateNames(assistant, diagnostics);
  reportSilentLoops(assistant, diagnostics);
  reportShadowedBranches(assistant, diagnostics);
  reportUnusedFlows(assistant, diagnostics);
  reportUnanswerableQuestions(assistant, diagnostics);
  reportStepsAfterStackReset(assistant, diagnostics);
  reportUnknownPatterns(assistant, new Set(defaults.flows.flatMap((part) => part.flows.map((flow) => flow.id))), diagnostics);
  lap("semantic checks");
  const predicates = compileConditions(assistant, diagnostics);
  lap("compile conditions");
  return { diagnostics, ioError: false, assistant: diagnostics.hasErrors ? undefined : assistant, predicates, templates, actionNames };
}

/** The ids of the flows `mergeFlows` keeps, in its order (user flows first, each id once). */
function knownFlowIds(user: readonly FlowsPartInput[], defaults: readonly FlowsPartInput[]): string[] {
  const ids = new Set<string>();
  for (const part of user) for (const flow of part.flows) ids.add(flow.id);
  if (ids.size === 0) return [];
  for (const part of defaults) for (const flow of part.flows) ids.add(flow.id);
  return [...ids];
}

let defaultsCache: { flows: FlowsPartInput[]; domain: DomainPartInput[] } | undefined;

/** The default patterns, checked once per process: they are the same for every assistant. */
function defaultPatterns(diagnostics: DiagnosticBag): { flows: FlowsPartInput[]; domain: DomainPartInput[] } {
  if (defaultsCache) return defaultsCache;
  const own = new DiagnosticBag();
  const text = readFileSync(join(packageRoot(), DEFAULT_PATTERNS_FILE), "utf8");
  const parts = checkSchema(parseYamlFiles([{ path: DEFAULT_PATTERNS_PATH, text }], own, { env: {} }), own, true);
  parseConditions(parts, parts.domain, own);
  diagnostics.all.push(...own.all);
  if (!own.hasErrors) defaultsCache = parts;
  return parts;
}

function checkSchema(loaded: readonly LoadedFile[], diagnostics: DiagnosticBag, isDefault: boolean): { flows: FlowsPartInput[]; domain: DomainPartInput[] } {
  const flows: FlowsPartInput[] = [];
  const domain: DomainPartInput[] = [];
  for (const file of loaded) {
    if (file.hasFlows) flows.push(validateFlowsFile(file, diagnostics, isDefault));
    if (file.hasDomain) domain.push(validateDomainFile(file, diagnostics, isDefault));
  }
  return { flows, domain };
}

/** The conditions of `parts`; `{{ slots.x }}` holes render as Rasa's validator renders them, with the slots of `domain` (the defaults' included). */
function parseConditions(parts: { readonly flows: readonly FlowsPartInput[]; readonly domain: readonly DomainPartInput[] }, domain: readonly DomainPartInput[], diagnostics: DiagnosticBag): void {
  const slots = new Set(domain.flatMap((part) => part.slots.map((slot) => slot.name)));
  parseFlowConditions(parts.flows, slots, diagnostics);
  parseDomainConditions(parts.domain, slots, diagnostics);
}
