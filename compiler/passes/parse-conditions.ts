/**
 * Stage 2 (with the schema): parse every condition of the assistant — flow guards, `next`
 * branches, collect and slot-validation rejections, conditional response variations — with
 * the condition grammar, and point each syntax error at the exact character in the YAML file.
 * Guards are not rendered as Jinja templates by Rasa, so `{{ }}` holes are allowed only at the
 * other sites. A YAML boolean where a condition string is needed (`if: true` in a branch) is
 * rejected here too: Rasa's validator crashes on it (V16).
 *
 * Rejects, for example:  - if: slots.account_type not in {'debit' 'savings'}   (FLW1040)
 */
import type { ConditionSite } from "../conditions/ast.ts";
import { parseCondition, type ParseResult } from "../conditions/parse-condition.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ConditionInput, DomainPartInput, FlowsPartInput, RejectionInput, StepInput } from "../model/input.ts";
import { JinjaError, needsJinja, parseJinja, parseJinjaOrUndefined, type JinjaTemplate } from "../conditions/jinja.ts";
import { conditionSpanRange } from "../conditions/condition-text.ts";
import type { SourceRange } from "../source/source-file.ts";

const SITE_LABEL: Record<ConditionSite, string> = {
  guard: "flow guard",
  branch: "branch",
  rejection: "rejection",
  response: "response variation",
};

export function parseFlowConditions(parts: readonly FlowsPartInput[], diagnostics: DiagnosticBag): void {
  for (const part of parts) {
    for (const flow of part.flows) {
      if (flow.guard?.kind === "condition") parseOne(flow.guard.condition, "guard", diagnostics, flow.id);
      forEachStep(flow.steps, (step) => {
        if (step.kind === "collect") parseRejections(step.rejections, diagnostics, flow.id);
        const next = step.next;
        if (next?.kind !== "branches") return;
        for (const branch of next.branches) {
          if (branch.kind !== "if") continue;
          const condition = branch.condition;
          if ("booleanValue" in condition) {
            diagnostics.report("conditionIsBoolean", { site: "branch", value: String(condition.booleanValue) }, { range: condition.range, flow: flow.id, suggestion: "quote it if you mean the condition text, but a branch condition must refer to `slots.` or `context.`" });
          } else parseOne(condition, "branch", diagnostics, flow.id);
        }
      });
    }
  }
}

export function parseDomainConditions(parts: readonly DomainPartInput[], diagnostics: DiagnosticBag): void {
  for (const part of parts) {
    for (const slot of part.slots) if (slot.validation) parseRejections(slot.validation.rejections, diagnostics, undefined);
    for (const response of part.responses) {
      for (const variation of response.variations) {
        const condition = variation.condition;
        if (condition && !Array.isArray(condition)) parseOne(condition as ConditionInput, "response", diagnostics, undefined);
      }
    }
  }
}

function parseRejections(rejections: readonly RejectionInput[], diagnostics: DiagnosticBag, flow: string | undefined): void {
  for (const rejection of rejections) {
    const condition = rejection.condition;
    if ("booleanValue" in condition) {
      diagnostics.report("conditionIsBoolean", { site: "rejection", value: String(condition.booleanValue) }, { range: condition.range, flow });
    } else parseOne(condition, "rejection", diagnostics, flow);
  }
}

export function parseOne(condition: ConditionInput, site: ConditionSite, diagnostics: DiagnosticBag, flow: string | undefined): void {
  if (site !== "guard" && needsJinja(condition.text)) {
    checkJinjaCondition(condition, site, diagnostics, flow);
    return;
  }
  const result = parseCached(condition.text, site !== "guard");
  if (!result.ok && site === "guard" && /\{[{%#]/.test(condition.text) && guardValidWhenRendered(condition, diagnostics, flow)) return;
  if (result.ok) {
    condition.ast = result.ast;
    // V10, V13 and V17 check the condition as Rasa's validator renders it; the runtime reads a guard as written.
    if (condition.text.includes("{{")) checkValidatorRendering(condition, site, diagnostics, flow);
    return;
  }
  const { error } = result;
  const notes = error.expected && error.expected.length > 0 && !error.message.includes("expected") ? [`expected ${formatExpected(error.expected)}`] : undefined;
  diagnostics.report(error.kind === "ast" ? "conditionInvalid" : "conditionSyntax", { site: SITE_LABEL[site], reason: error.message }, {
    range: conditionSpanRange(condition, error.span),
    flow,
    notes,
  });
}

/**
 * A condition with Jinja statements or filters: its text is only known at run time. Check the
 * template, then the condition Rasa's validator sees (every value rendered as `None`); the
 * syntax tree stays unset, and that rendered text with its tree is kept for the validator's
 * checks (check-conditions.ts).
 */
function checkJinjaCondition(condition: ConditionInput, site: ConditionSite, diagnostics: DiagnosticBag, flow: string | undefined): void {
  const where = (offset: number) => ({ range: conditionSpanRange(condition, { start: offset, end: offset + 2 }), flow });
  let template;
  try {
    template = parseJinja(condition.text);
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    const key = error.kind === "syntax" ? "conditionSyntax" : "conditionNotCompilable";
    diagnostics.report(key, { site: SITE_LABEL[site], reason: `template: ${error.message}` }, where(error.offset));
    return;
  }
  const alternative = renderedWithNone(template);
  if (alternative === undefined) return;
  // The holes of the branches taken as the validator renders them; one of a `None` value, or with a filter, stays a hole.
  const { text, failure } = renderValidatorHoles(template, alternative.text, site, true);
  if (failure !== undefined) return reportHoleFailure(site, failure, condition.range, diagnostics, flow);
  const parsed = parseCondition(text, { templates: true });
  if (!parsed.ok) {
    diagnostics.report(parsed.error.kind === "ast" ? "conditionInvalid" : "conditionSyntax", { site: SITE_LABEL[site], reason: `rendered with every value None: ${parsed.error.message}` }, { range: condition.range, flow });
  } else condition.renderedWithNone = { text, ast: parsed.ast };
}

/**
 * Rasa's validator renders a condition's `{{ }}` holes (a guard's too, V10) before it parses the
 * condition (see {@link validatorHole}): a hole naming anything but `slots` and `context` renders
 * as nothing, and one reading an attribute of such a name (`{{ foo.bar }}`) raises, which fails
 * validation. A differential run against Rasa showed both: `slots.age > 1 and {{ x }}` is refused
 * there (it renders as `slots.age > 1 and `), so flowc refuses it too.
 */
function checkValidatorRendering(condition: ConditionInput, site: ConditionSite, diagnostics: DiagnosticBag, flow: string | undefined): void {
  const template = parseJinjaOrUndefined(condition.text);
  if (template === undefined) return;
  let rendered = condition.text;
  const blanks = template.holes.filter((hole) => hole.path !== undefined && validatorHole(hole.path, site) !== NONE);
  for (const hole of [...blanks].reverse()) {
    const path = hole.path!;
    const text = validatorHole(path, site);
    if (text === undefined) return reportHoleFailure(site, path, conditionSpanRange(condition, hole.span), diagnostics, flow);
    const start = rendered.lastIndexOf("{{", hole.span.start);
    const end = rendered.indexOf("}}", hole.span.end);
    if (start < 0 || end < 0) return;
    rendered = rendered.slice(0, start) + text + rendered.slice(end + 2);
  }
  if (blanks.length === 0) return;
  const parsed = parseCached(rendered, true);
  if (!parsed.ok) {
    diagnostics.report(parsed.error.kind === "ast" ? "conditionInvalid" : "conditionSyntax", { site: SITE_LABEL[site], reason: `as Rasa's validator renders it (an undefined name in \`{{ }}\` renders as nothing, \`slots\` or \`context\` alone as a mapping): ${parsed.error.message}` }, { range: condition.range, flow });
  }
}

/**
 * The `context` Rasa's validator renders with: every attribute of its pattern frame classes,
 * each `None` (the fields of the pattern frames, runtime-semantics.md §b.2, and of every frame).
 */
const VALIDATOR_CONTEXT_FIELDS: ReadonlySet<string> = new Set([
  "frame_id", "flow_id", "step_id", "type", "frame_type", "stack_frame_type",
  "collect", "utter", "collect_action", "rejections",
  "canceled_name", "canceled_frames", "previous_flow_name",
  "corrected_slots", "reset_flow_id", "reset_step_id", "is_reset_only",
  "names", "clarification_options", "reason", "message", "error_type", "info",
  "interrupted_flow_id", "interrupted_step_id", "interrupting_flow_id", "ask_confirm_digressions", "block_digressions",
  "validation", "validate", "refill_utter",
]);

/**
 * The text Rasa's validator renders a `{{ path }}` hole as, following Jinja's look-ups in its
 * document: `slots` (every domain slot `None`) and, except for a response condition, `context`
 * ({@link VALIDATOR_CONTEXT_FIELDS}, every one `None`). A name it does not have renders as
 * nothing, and so does an attribute of `None`; an attribute of a name it does not have raises,
 * which fails validation (undefined).
 * So `{{ context.collect }}` is `None`, `{{ context.foo }}` nothing, `{{ slots }}` a mapping,
 * `{{ foo.bar }}` fails. (An unknown `slots.x` is reported by V11 whatever it renders as.)
 */
function validatorHole(path: readonly string[], site: ConditionSite): string | undefined {
  const [root, field] = path;
  if (!validatorRoots(site).includes(root!)) return path.length > 1 ? undefined : "";
  if (field === undefined) return MAPPING; // the whole mapping, which only a quoted string holds
  const known = root === "slots" || VALIDATOR_CONTEXT_FIELDS.has(field);
  if (path.length === 2) return known ? NONE : "";
  return known && path.length === 3 ? "" : undefined;
}

/** The names Rasa's validator renders a site's conditions with: a response condition's have no `context`. */
function validatorRoots(site: ConditionSite): readonly string[] {
  return site === "response" ? ["slots"] : ["slots", "context"];
}

/** What a hole of a `None` value renders as. */
const NONE = "None";
/**
 * What `{{ slots }}` or `{{ context }}` render as, for parsing: a mapping of two or more `None`
 * values (the default patterns' slots are always there), whose commas pypred refuses.
 */
const MAPPING = "{'a': None, 'b': None}";

/** Why Rasa's validator fails on a hole {@link validatorHole} has no text for. */
function validatorHoleFailure(path: readonly string[], site: ConditionSite): string {
  const root = path[0]!;
  const roots = validatorRoots(site);
  if (!roots.includes(root)) return `\`${root}\` is undefined there (only ${roots.map((name) => `\`${name}\``).join(" and ")} ${roots.length > 1 ? "are" : "is"})`;
  const undefinedAt = root === "slots" || VALIDATOR_CONTEXT_FIELDS.has(path[1]!) ? 3 : 2;
  return `\`${path.slice(0, undefinedAt).join(".")}\` is undefined there, so \`${path[undefinedAt]}\` cannot be read from it`;
}

/**
 * `text` (an alternative of `template`, with `{{__jinja.hN}}` for its holes) with each hole as
 * the validator renders it ({@link validatorHole}); `failure`: the path of the first hole the
 * validator fails on. With `keep`, a hole of a `None` value or with a filter stays as it is (a
 * template hole for the parser); without, the first renders as `None` and the second fails.
 */
function renderValidatorHoles(template: JinjaTemplate, text: string, site: ConditionSite, keep: boolean): { readonly text: string; readonly failure: readonly string[] | undefined } {
  let failure: readonly string[] | undefined;
  const rendered = text.replace(/\{\{__jinja\.h(\d+)\}\}/g, (marker, index: string) => {
    const { path, filters } = template.holes[Number(index)]!;
    if (path === undefined || filters.length > 0) {
      if (!keep) failure ??= path ?? [];
      return keep ? marker : "";
    }
    const hole = validatorHole(path, site);
    if (hole === undefined) failure ??= path;
    return hole === NONE && keep ? marker : (hole ?? "");
  });
  return { text: rendered, failure };
}

function reportHoleFailure(site: ConditionSite, path: readonly string[], range: SourceRange, diagnostics: DiagnosticBag, flow: string | undefined): void {
  diagnostics.report("conditionInvalid", { site: SITE_LABEL[site], reason: `Rasa's validator renders \`{{${path.join(".")}}}\` and fails: ${validatorHoleFailure(path, site)}` }, { range, flow });
}

/** The text of `template` with every value `None`, as Rasa's validator renders it. */
function renderedWithNone(template: JinjaTemplate): { readonly text: string } | undefined {
  const choices = template.blocks.map((tests) => {
    const index = tests.findIndex((test) => (test.kind === "literal" ? test.holds : test.kind === "truthy" ? test.negated : (test.value === null) === (test.operator === "==")));
    return index < 0 ? tests.length : index;
  });
  return template.alternatives.find((alternative) => alternative.choices.every((choice, i) => choice === choices[i]));
}

/**
 * V10 checks a flow guard as Rasa's validator renders it, every value `None`
 * (flows-format.md d.1), but the runtime evaluates the guard as written, unrendered
 * (conditions.md §1): a guard such as `{{context.flow_id}} = 'greet'` passes validation and then
 * never holds. Such a guard is accepted with a warning and kept without a syntax tree (the
 * code generator makes it a guard that is always false); `false` when the rendered text does not
 * parse either, and the guard's own error is reported.
 */
function guardValidWhenRendered(condition: ConditionInput, diagnostics: DiagnosticBag, flow: string | undefined): boolean {
  const template = parseJinjaOrUndefined(condition.text);
  if (template === undefined) return false;
  const alternative = renderedWithNone(template);
  if (alternative === undefined) return false;
  const { text, failure } = renderValidatorHoles(template, alternative.text, "guard", false); // a hole with a filter is not followed
  if (failure !== undefined) return false;
  const parsed = parseCached(text, false);
  if (!parsed.ok) return false;
  condition.renderedWithNone = { text, ast: parsed.ast };
  diagnostics.report("guardNeverHolds", { flow: flow ?? "" }, { range: condition.range, flow });
  return true;
}

/**
 * Parse results by text: assistants repeat conditions (`slots.x is not null`), and a syntax
 * tree is never changed after parsing, so equal texts can share one.
 */
const parsed = new Map<string, ParseResult>();

function parseCached(text: string, templates: boolean): ParseResult {
  const key = `${templates ? "t" : "g"}${text}`;
  let result = parsed.get(key);
  if (!result) {
    result = parseCondition(text, { templates });
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(key, result);
  }
  return result;
}

function formatExpected(expected: readonly string[]): string {
  if (expected.length === 1) return expected[0]!;
  return `${expected.slice(0, -1).join(", ")} or ${expected[expected.length - 1]}`;
}

export function forEachStep(steps: readonly StepInput[], visit: (step: StepInput) => void): void {
  for (const step of steps) {
    visit(step);
    const next = step.next;
    if (next?.kind !== "branches") continue;
    for (const branch of next.branches) {
      const target = branch.kind === "if" ? branch.then : branch.target;
      if (target.kind === "steps") forEachStep(target.steps, visit);
    }
  }
}
