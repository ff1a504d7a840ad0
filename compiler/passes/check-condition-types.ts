/**
 * Stage 4, flowc's own analysis: conditions checked against slot types and against pypred's
 * traps (conditions.md §8). Rasa accepts all of these; each is a warning (an error with
 * `--strict`):
 *   - `<`/`>` on a text or categorical slot (raises against a number, compares code points
 *     against a string);
 *   - a bool slot compared with a string, a float slot with a string, a text slot with a number
 *     (never equal: pypred does not convert);
 *   - a categorical slot compared with a literal outside its values, a number among them (its
 *     values are texts);
 *   - `contains` on a float or bool slot, `matches` on a float, bool or list slot (always false:
 *     pypred looks only into texts, lists, dicts and sets, and matches only texts), and a text
 *     or categorical slot that `contains` a number, a bool or null (raises);
 *   - a bare word, which is an undefined lookup, not a string ("did you mean 'lost'?"), nor
 *     null when it is `None` or `nil` ("did you mean `null`?");
 *   - `and` and `or` mixed without parentheses (same precedence, grouped to the right).
 *
 * Warns, for example:  if: slots.card_status = lost and slots.age > 18 or slots.vip
 */
import type { CompareNode, ContainsNode, Expression, LogicalNode, MatchesNode } from "../conditions/ast.ts";
import { forEachNode, isNamespacedWord, renderWithNone, slotNameOf, unwrapGroups } from "../conditions/walk.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { SlotInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import { rasaChecksSlotType, rasaSlotComparison, spanRange } from "./check-conditions.ts";
import { conditionUses, type ConditionUse } from "./condition-uses.ts";

export function checkConditionTypes(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const stored = valuesSetBySteps(assistant);
  for (const use of conditionUses(assistant)) {
    // Rasa's own V14/V15 errors already cover the top-level comparison of a branch on a
    // categorical or bool slot.
    const coveredByRasa = use.site === "branch" ? comparisonCheckedByRasa(use.ast, assistant) : undefined;
    forEachNode(use.ast, (node, parent) => {
      const at = (span: { start: number; end: number }) => ({ range: spanRange(use, span), flow: use.flow?.id, step: use.step?.id });
      if (node.kind === "compare" && node !== coveredByRasa) checkComparison(use, node, assistant, stored, diagnostics, at);
      if (node.kind === "contains" || node.kind === "matches") checkLookInto(node, assistant, diagnostics, at);
      if (node.kind === "word" && !isNamespacedWord(node) && !isPatternOperand(node, parent)) {
        diagnostics.report("bareWordUndefined", { word: node.text }, { ...at(node.span), suggestion: bareWordSuggestion(node.text) });
      }
      // One warning per chain `a and b or c …`, at its first mixing operator.
      const inChain = parent !== undefined && (parent.kind === "and" || parent.kind === "or");
      if ((node.kind === "and" || node.kind === "or") && !inChain) {
        const mixing = firstMix(node);
        if (mixing) diagnostics.report("mixedAndOr", { reading: reading(use.condition.text, node) }, { ...at(mixing.operatorSpan), suggestion: "add parentheses to say which you mean" });
      }
    });
  }
}

/** The top-level comparison of a branch whose slot type Rasa's V14/V15 already check, as Rasa reads it. */
function comparisonCheckedByRasa(ast: Expression, assistant: AssistantIR): Expression | undefined {
  const comparison = rasaSlotComparison(ast, assistant.domain.slots);
  return comparison !== undefined && rasaChecksSlotType(comparison, assistant) ? comparison.top : undefined;
}

/**
 * What a bare word was probably meant to be: Python's `None` and Ruby's or Lua's `nil` mean
 * pypred's `null` (`slots.x is not None` is always true: an unset slot is null, not undefined);
 * any other word, a string.
 */
function bareWordSuggestion(word: string): string {
  return /^(none|nil)$/i.test(word) ? "did you mean `null`?" : `did you mean the string '${word}'?`;
}

function isPatternOperand(node: Expression, parent: Expression | undefined): boolean {
  return parent?.kind === "matches" && unwrapGroups(parent.right) === node;
}

/** The first `and`/`or` in a right-leaning chain that differs from the one before it. */
function firstMix(node: LogicalNode): LogicalNode | undefined {
  let current: LogicalNode = node;
  while (current.right.kind === "and" || current.right.kind === "or") {
    if (current.right.kind !== current.kind) return current.right;
    current = current.right;
  }
  return undefined;
}

/** The chain with the parentheses pypred's grouping implies: `a and (b or (c and d))`. */
function reading(text: string, node: Expression): string {
  if (node.kind !== "and" && node.kind !== "or") return text.slice(node.span.start, node.span.end);
  const left = text.slice(node.left.span.start, node.left.span.end);
  const right = node.right.kind === "and" || node.right.kind === "or" ? `(${reading(text, node.right)})` : reading(text, node.right);
  return `${left} ${node.kind} ${right}`;
}

/** The domain slot an operand reads (`slots.name`), if it reads one. */
function domainSlotOf(operand: Expression, assistant: AssistantIR): SlotInput | undefined {
  const name = slotNameOf(operand);
  return name === undefined ? undefined : assistant.domain.slots.get(name);
}

type At = (span: { start: number; end: number }) => { range: ReturnType<typeof spanRange>; flow: string | undefined; step: string | undefined };

/**
 * The values `set_slots` steps store, by slot. Such a step stores its value as written, whatever
 * the slot's type (a categorical slot's value `5` stays the number 5, a float slot's `"5"` the
 * text), so a comparison with a literal that one of them stores can hold.
 */
function valuesSetBySteps(assistant: AssistantIR): ReadonlyMap<string, readonly unknown[]> {
  const stored = new Map<string, unknown[]>();
  for (const flow of assistant.flows) {
    for (const step of flow.steps) {
      if (step.input.kind !== "set_slots") continue;
      for (const { slot, value } of step.input.assignments) {
        const values = stored.get(slot) ?? [];
        values.push(value);
        stored.set(slot, values);
      }
    }
  }
  return stored;
}

/** Whether a `set_slots` step stores the literal's value in the slot (a text compared exactly, as pypred compares it). */
function storedBySteps(stored: ReadonlyMap<string, readonly unknown[]>, slot: string, literal: Expression): boolean {
  const values = stored.get(slot);
  if (values === undefined) return false;
  if (literal.kind === "string") return values.includes(renderWithNone(literal.value));
  if (literal.kind === "number") return values.some((value) => typeof value === "number" && value === literal.value);
  return false;
}

function checkComparison(use: ConditionUse, node: CompareNode, assistant: AssistantIR, stored: ReadonlyMap<string, readonly unknown[]>, diagnostics: DiagnosticBag, at: At): void {
  for (const [slotSide, otherSide] of [[node.left, node.right], [node.right, node.left]] as const) {
    const slot = domainSlotOf(slotSide, assistant);
    if (!slot) continue;
    const other = unwrapGroups(otherSide);
    if (storedBySteps(stored, slot.name, other)) return;
    checkAgainstSlot(use, node, slot, other, diagnostics, at);
    return;
  }
}

function checkAgainstSlot(use: ConditionUse, node: CompareNode, slot: SlotInput, other: Expression, diagnostics: DiagnosticBag, at: At): void {
  const ordering = node.operator !== "=" && node.operator !== "!=";
  const otherText = use.condition.text.slice(other.span.start, other.span.end);
  const outside = { value: otherText, slot: slot.name, values: slot.values.join(", "), verdict: node.operator === "!=" ? "always true" : "never true" };
  if (ordering && (slot.type === "text" || slot.type === "categorical")) {
    const consequence = other.kind === "number" ? "comparing a string with a number raises at run time, so the condition is false" : "strings are ordered by code point, not as numbers";
    diagnostics.report("orderingOnNonNumber", { operator: node.operatorText, type: slot.type, slot: slot.name, consequence }, at(node.operatorSpan));
    return;
  }
  if (other.kind === "string") {
    const value = renderWithNone(other.value);
    if (slot.type === "bool") diagnostics.report("boolComparedToString", { slot: slot.name, value: otherText }, at(other.span));
    else if (slot.type === "float") {
      diagnostics.report("literalTypeMismatch", { type: "float", slot: slot.name, value: otherText, consequence: ordering ? "ordering a number against a string raises at run time" : "a number never equals a string" }, {
        ...at(other.span),
        suggestion: /^-?\d+(\.\d+)?$/.test(value) ? `write the number without quotes: ${value}` : undefined,
      });
    } else if (slot.type === "categorical" && !ordering && value !== "__other__" && !slot.values.includes(value)) {
      // Rasa appends `__other__` to every categorical slot's values, so it can be equal.
      diagnostics.report("categoricalLiteralOutside", outside, at(other.span));
    }
  } else if (other.kind === "number" && slot.type === "text" && !ordering) {
    diagnostics.report("literalTypeMismatch", { type: "text", slot: slot.name, value: otherText, consequence: "a string never equals a number" }, { ...at(other.span), suggestion: `quote it: '${otherText}'` });
  } else if (other.kind === "number" && slot.type === "categorical" && !ordering) {
    // A categorical slot's values are texts (Rasa reads `values: [1, 2]` as "1" and "2"), and
    // pypred's `5 = '5'` is false. Where Rasa's V14 reads the comparison, it is FLW3010.
    diagnostics.report("categoricalLiteralOutside", outside, {
      ...at(other.span),
      suggestion: slot.values.includes(otherText) ? `the values are texts: quote it, '${otherText}'` : undefined,
    });
  }
}

/**
 * What a slot of each type holds (besides null) where pypred's `contains` and `matches` find
 * nothing in it: `contains` looks only into texts, lists, dicts and sets, `matches` matches
 * only texts, and on anything else both are false (conditions.md §6.5, §6.6).
 */
const HELD: Readonly<Record<string, string>> = { float: "a number", bool: "a bool", list: "a list" };

/**
 * `contains` on a float or bool slot, `matches` on a float, bool or list slot: always false. A
 * text or categorical slot that `contains` a number, `true`, `false` or `null`: pypred's `in` of
 * a non-text in a text raises (conditions.md §6.5).
 */
function checkLookInto(node: ContainsNode | MatchesNode, assistant: AssistantIR, diagnostics: DiagnosticBag, at: At): void {
  const slot = domainSlotOf(node.left, assistant);
  if (!slot) return;
  if (node.kind === "contains" && (slot.type === "text" || slot.type === "categorical")) {
    const right = unwrapGroups(node.right);
    if (right.kind === "number" || right.kind === "constant") diagnostics.report("containsNonText", { type: slot.type, slot: slot.name, value: right.text }, at(right.span));
    return;
  }
  if (!Object.hasOwn(HELD, slot.type) || (node.kind === "contains" && slot.type === "list")) return;
  const reason =
    node.kind === "contains"
      ? `pypred's \`contains\` looks only into texts, lists, dicts and sets, and the slot holds ${HELD[slot.type]} or null`
      : `pypred's \`matches\` matches only texts, and the slot holds ${HELD[slot.type]} or null`;
  diagnostics.report("neverLooksInto", { operator: node.kind, type: slot.type, slot: slot.name, reason }, at(node.operatorSpan));
}
