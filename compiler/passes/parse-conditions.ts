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
import { JinjaError, needsJinja, parseJinja, parseJinjaOrUndefined } from "../conditions/jinja.ts";
import { conditionSpanRange } from "../conditions/condition-text.ts";
import { NONE, validatorHole, validatorHoleFailure, validatorRendering, type ValidatorFailure } from "../conditions/validator-rendering.ts";
import type { SourceRange } from "../source/source-file.ts";

const SITE_LABEL: Record<ConditionSite, string> = {
  guard: "flow guard",
  branch: "branch",
  rejection: "rejection",
  response: "response variation",
};

/** Where a condition is parsed: the bag its problems go to, the domain's slot names (with the defaults'), the flow it is in. */
interface Scope {
  readonly diagnostics: DiagnosticBag;
  readonly slots: ReadonlySet<string>;
  readonly flow: string | undefined;
}

export function parseFlowConditions(parts: readonly FlowsPartInput[], slots: ReadonlySet<string>, diagnostics: DiagnosticBag): void {
  for (const part of parts) {
    for (const flow of part.flows) {
      const scope: Scope = { diagnostics, slots, flow: flow.id };
      if (flow.guard?.kind === "condition") parseOne(flow.guard.condition, "guard", scope);
      forEachStep(flow.steps, (step) => {
        if (step.kind === "collect") parseRejections(step.rejections, scope);
        const next = step.next;
        if (next?.kind !== "branches") return;
        for (const branch of next.branches) {
          if (branch.kind !== "if") continue;
          const condition = branch.condition;
          if ("booleanValue" in condition) {
            diagnostics.report("conditionIsBoolean", { site: "branch", value: String(condition.booleanValue) }, { range: condition.range, flow: flow.id, suggestion: "quote it if you mean the condition text, but a branch condition must refer to `slots.` or `context.`" });
          } else parseOne(condition, "branch", scope);
        }
      });
    }
  }
}

export function parseDomainConditions(parts: readonly DomainPartInput[], slots: ReadonlySet<string>, diagnostics: DiagnosticBag): void {
  const scope: Scope = { diagnostics, slots, flow: undefined };
  for (const part of parts) {
    for (const slot of part.slots) if (slot.validation) parseRejections(slot.validation.rejections, scope);
    for (const response of part.responses) {
      for (const variation of response.variations) {
        const condition = variation.condition;
        if (condition && !Array.isArray(condition)) parseOne(condition as ConditionInput, "response", scope);
      }
    }
  }
}

function parseRejections(rejections: readonly RejectionInput[], scope: Scope): void {
  for (const rejection of rejections) {
    const condition = rejection.condition;
    if ("booleanValue" in condition) {
      scope.diagnostics.report("conditionIsBoolean", { site: "rejection", value: String(condition.booleanValue) }, { range: condition.range, flow: scope.flow });
    } else parseOne(condition, "rejection", scope);
  }
}

function parseOne(condition: ConditionInput, site: ConditionSite, scope: Scope): void {
  if (site !== "guard" && needsJinja(condition.text)) {
    checkJinjaCondition(condition, site, scope);
    return;
  }
  const result = parseCached(condition.text, site !== "guard");
  if (!result.ok && /\{[{%#]/.test(condition.text) && validWhenRendered(condition, site, scope)) return;
  if (result.ok) {
    condition.ast = result.ast;
    // V10, V13 and V17 check the condition as Rasa's validator renders it; the runtime reads a guard as written.
    if (condition.text.includes("{{")) checkValidatorRendering(condition, site, scope);
    return;
  }
  const { error } = result;
  const notes = error.expected && error.expected.length > 0 && !error.message.includes("expected") ? [`expected ${formatExpected(error.expected)}`] : undefined;
  scope.diagnostics.report(error.kind === "ast" ? "conditionInvalid" : "conditionSyntax", { site: SITE_LABEL[site], reason: error.message }, {
    range: conditionSpanRange(condition, error.span),
    flow: scope.flow,
    notes,
  });
}

/**
 * A condition with Jinja statements or filters: its text is only known at run time. Check the
 * template, then the condition Rasa's validator sees (every value rendered as `None`); the
 * syntax tree stays unset, and that rendered text with its tree is kept for the validator's
 * checks (check-conditions.ts).
 */
function checkJinjaCondition(condition: ConditionInput, site: ConditionSite, scope: Scope): void {
  const { diagnostics, flow } = scope;
  let template;
  try {
    template = parseJinja(condition.text);
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    const key = error.kind === "syntax" ? "conditionSyntax" : "conditionNotCompilable";
    diagnostics.report(key, { site: SITE_LABEL[site], reason: `template: ${error.message}` }, { range: conditionSpanRange(condition, { start: error.offset, end: error.end }), flow });
    return;
  }
  // The way the validator takes, its holes as it prints them; one that prints a plain word stays a hole.
  const { text, failure } = validatorRendering(template, condition.text, site, scope.slots, true);
  if (failure !== undefined) return reportRenderingFailure(site, failure, condition.range, scope);
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
function checkValidatorRendering(condition: ConditionInput, site: ConditionSite, scope: Scope): void {
  const template = parseJinjaOrUndefined(condition.text);
  if (template === undefined) return;
  let rendered = condition.text;
  const blanks = template.holes.filter((hole) => hole.path !== undefined && validatorHole(hole.path, site, scope.slots) !== NONE);
  for (const hole of [...blanks].reverse()) {
    const path = hole.path!;
    const text = validatorHole(path, site, scope.slots);
    if (text === undefined) return reportHoleFailure(site, path, conditionSpanRange(condition, hole.span), scope);
    const start = rendered.lastIndexOf("{{", hole.span.start);
    const end = rendered.indexOf("}}", hole.span.end);
    if (start < 0 || end < 0) return;
    rendered = rendered.slice(0, start) + text + rendered.slice(end + 2);
  }
  if (blanks.length === 0) return;
  const parsed = parseCached(rendered, true);
  if (!parsed.ok) {
    scope.diagnostics.report(parsed.error.kind === "ast" ? "conditionInvalid" : "conditionSyntax", { site: SITE_LABEL[site], reason: `as Rasa's validator renders it (an undefined name in \`{{ }}\` renders as nothing, \`slots\` or \`context\` alone as a mapping): ${parsed.error.message}` }, { range: condition.range, flow: scope.flow });
  }
}

function reportRenderingFailure(site: ConditionSite, failure: ValidatorFailure, range: SourceRange, scope: Scope): void {
  scope.diagnostics.report("conditionInvalid", { site: SITE_LABEL[site], reason: `Rasa's validator renders \`${failure.written}\` and fails: ${failure.reason}` }, { range, flow: scope.flow });
}

function reportHoleFailure(site: ConditionSite, path: readonly string[], range: SourceRange, scope: Scope): void {
  scope.diagnostics.report("conditionInvalid", { site: SITE_LABEL[site], reason: `Rasa's validator renders \`{{${path.join(".")}}}\` and fails: ${validatorHoleFailure(path, site, scope.slots)}` }, { range, flow: scope.flow });
}

/**
 * A condition that does not parse as written but does as Rasa's validator renders it, every
 * value `None`; its rendered text and tree are kept for the checks (check-conditions.ts).
 * - A flow guard: V10 checks it rendered (flows-format.md d.1), but the runtime evaluates it as
 *   written (conditions.md §1), so `{{context.flow_id}} = 'greet'` passes validation and then
 *   never holds. It is accepted with a warning and kept without a syntax tree (the code
 *   generator makes it a guard that is always false).
 * - Elsewhere the runtime renders it too: `{{ x }} slots.age > 1` reads ` slots.age > 1`
 *   (an undefined name renders as nothing) for the validator and at run time alike. It is
 *   accepted, and compiled to be rendered and read when it runs (compile-condition.ts).
 * `false` when the rendered text does not parse either: the condition's own error is reported.
 */
function validWhenRendered(condition: ConditionInput, site: ConditionSite, scope: Scope): boolean {
  const template = parseJinjaOrUndefined(condition.text);
  if (template === undefined) return false;
  const { text, failure } = validatorRendering(template, condition.text, site, scope.slots, false);
  if (failure !== undefined) return false;
  const parsed = parseCached(text, false);
  if (!parsed.ok) return false;
  condition.renderedWithNone = { text, ast: parsed.ast };
  if (site === "guard") scope.diagnostics.report("guardNeverHolds", { flow: scope.flow ?? "" }, { range: condition.range, flow: scope.flow });
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
