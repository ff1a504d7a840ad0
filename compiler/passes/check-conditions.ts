/**
 * Stage 4: Rasa's validator rules for conditions (V11, V12, V14, V15, and D7 for response
 * conditions). Branch conditions and rejections must mention `slots.` or `context.`, response
 * conditions `slots.` (a regex over the text, as Rasa does it), every `slots.<name>` must be a
 * domain slot, and a branch condition that is a single comparison on a categorical or bool
 * slot must compare it with one of the slot's values or with true/false. Flow guards are not
 * checked by Rasa; flowc warns about unknown slots there, and about rejections that read
 * other slots (a rejection sees only the slot it checks).
 *
 * Rejects, for example:  - if: slots.account_type == 'Credit'   with values [credit, debit]  (FLW3003)
 *                        - if: slots.level = 1                  with values ["1", "2"]       (FLW3010)
 */
import type { Expression, Span } from "../conditions/ast.ts";
import { forEachNode, renderWithNone, unwrapGroups } from "../conditions/walk.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { conditionSpanRange } from "../conditions/condition-text.ts";
import { FRAME_FIELDS, unknownFrameFieldHelp, validatorText, type SlotNames } from "../conditions/validator-rendering.ts";
import { didYouMean } from "../util/suggest.ts";
import { allConditionUses, conditionUses, type AnyConditionUse, type ConditionUse } from "./condition-uses.ts";

const WORD = "[\\p{L}\\p{N}_]";
const SLOT_REFERENCE = new RegExp(`(?<!${WORD})slots\\.(${WORD}+)`, "gu");
// V12 searches `\bslots\.\w+` / `\bcontext\.\w+` (Rasa's validator, checked against its code),
// with a word boundary in front like V11: `myslots.x = 1` names no namespace and fails V12.
const NAMESPACE_REFERENCE = new RegExp(`(?<!${WORD})(slots|context)\\.${WORD}+`, "u");
const SLOTS_NAMESPACE_REFERENCE = new RegExp(`(?<!${WORD})slots\\.${WORD}+`, "u");

/** Where the condition's text names `slots.<name>` as a whole word (what V11's regex reads), or null. */
function writtenSlotReference(text: string, name: string): RegExpExecArray | null {
  if (name === "") return null; // `slots.{{ … }}`: V11's regex reads no name there
  return new RegExp(`(?<!${WORD})slots\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!${WORD})`, "u").exec(text);
}

export function checkConditions(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  for (const use of conditionUses(assistant)) {
    if (use.site === "guard" || use.site === "branch") checkContextFields(use, diagnostics);
    if (use.site === "guard") checkGuardSlots(use, assistant, diagnostics);
    else {
      checkNamespaces(use, assistant, diagnostics);
      if (use.site === "rejection") checkRejectionScope(use, assistant, diagnostics);
      if (use.site === "branch") checkTopLevelComparison(use, assistant, diagnostics);
    }
  }
  for (const use of allConditionUses(assistant)) {
    if (use.ast === undefined && use.site !== "guard") checkRenderedTemplate(use, assistant, diagnostics);
  }
}

/**
 * A condition with Jinja statements (`{% if %}`, `{# #}`, filters): Rasa's validator renders it
 * with every value `None` and checks that text like any other (conditions.md §1), so V12 reads
 * the written text and V11, V14 and V15 the rendered one. Positions: the first `slots.<name>`
 * of the written text for V11, else the whole condition.
 */
function checkRenderedTemplate(use: AnyConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const rendered = use.condition.renderedWithNone;
  if (!rendered) return;
  const whole = { range: use.condition.range, flow: use.flow?.id, step: use.step?.id };
  const missing = missingNamespace(use);
  if (missing === "any") diagnostics.report("conditionWithoutNamespace", { site: use.site }, whole);
  else if (missing === "slots") diagnostics.report("responseConditionWithoutSlots", {}, { range: use.condition.range });
  if (use.site === "response") {
    const slots = assistant.domain.slots;
    for (const match of renderHoles(rendered.text).matchAll(SLOT_REFERENCE)) {
      const name = match[1]!;
      if (name === "None" || slots.has(name)) continue;
      const written = writtenSlotReference(use.condition.text, name);
      const at = written ? where(use, { start: written.index, end: written.index + written[0].length }) : whole;
      diagnostics.report("conditionUnknownSlot", { slot: name }, { ...at, suggestion: didYouMean(name, slots.keys()) });
    }
    checkResponseOperand(rendered.ast, use, assistant, diagnostics, () => whole);
  } else reportUnknownSlots(use, assistant, diagnostics, use.condition.text);
  if (use.site === "branch") {
    const renderedUse: ConditionUse = { ...use, ast: rendered.ast, condition: { ...use.condition, text: rendered.text } };
    checkTopLevelComparison(renderedUse, assistant, diagnostics, () => whole);
  }
}

export function spanRange(use: AnyConditionUse, span: { start: number; end: number }) {
  return conditionSpanRange(use.condition, span);
}

function where(use: AnyConditionUse, span: { start: number; end: number }) {
  return { range: spanRange(use, span), flow: use.flow?.id, step: use.step?.id };
}

/**
 * V12, read on the text as written (flows-format.md d.1: "regex on the raw string", so a
 * `{{context.x}}` counts): `any` when the condition names neither `slots.` nor `context.`;
 * `slots` when it is a response condition without `slots.` (D7: it has no `context` to read).
 */
function missingNamespace(use: AnyConditionUse): "any" | "slots" | undefined {
  if (!NAMESPACE_REFERENCE.test(use.condition.text)) return "any";
  if (use.site === "response" && !SLOTS_NAMESPACE_REFERENCE.test(use.condition.text)) return "slots";
  return undefined;
}

/** V12 and V11: at least one namespaced reference, and every `slots.x` is a slot. */
function checkNamespaces(use: ConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const siteLabel = use.site === "response" ? "response" : use.site;
  const missing = missingNamespace(use);
  if (missing === "any") {
    diagnostics.report("conditionWithoutNamespace", { site: siteLabel }, {
      range: use.condition.range,
      flow: use.flow?.id,
      step: use.step?.id,
      suggestion: suggestNamespace(use.ast, assistant),
    });
  } else if (missing === "slots") diagnostics.report("responseConditionWithoutSlots", {}, { range: use.condition.range });
  // Like Rasa, a regex over the whole text: `slots.x` inside quotes counts too. Rasa's validator
  // runs it on the text as written, so a `{{slots.x}}` hole counts as well (only a response
  // condition, checked elsewhere in Rasa, is read with its holes rendered).
  reportUnknownSlots(use, assistant, diagnostics, use.site === "response" ? renderHoles(use.condition.text) : use.condition.text);
  if (use.site === "response") checkResponseOperand(use.ast, use, assistant, diagnostics, (span) => where(use, span));
}

/**
 * D7, as Rasa's validator checks a response condition beyond the regexes: the operand it reads
 * as the tested slot ({@link rasaTestedOperand}, `and`/`or` included) must be
 * `slots.<a domain slot>`. So `'slots.tier' = 'gold'` (a string)
 * and `foo and slots.flag` are refused, and so is `slots.None` (Rasa skips `None` only in flows).
 */
function checkResponseOperand(ast: Expression, use: AnyConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag, at: (span: { start: number; end: number }) => ReturnType<typeof where>): void {
  const operand = rasaTestedOperand(ast, true)?.operand;
  if (operand === undefined || (operand.kind !== "word" && operand.kind !== "string")) return;
  const text = operand.kind === "word" ? renderWithNone(operand.parts) : operand.text;
  const [namespace, name] = text.split(".");
  if (namespace !== "slots" || name === undefined) {
    diagnostics.report("responseConditionOperand", { operand: text }, at(operand.span));
    return;
  }
  const slots = assistant.domain.slots;
  // A written `slots.x` that is not a slot has been reported by the regex check already.
  if (slots.has(name) || (name !== "None" && writtenSlotReference(use.condition.text, name) !== null)) return;
  diagnostics.report("conditionUnknownSlot", { slot: name }, { ...at(operand.span), suggestion: didYouMean(name, slots.keys()) });
}

function reportUnknownSlots(use: AnyConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag, text: string): void {
  const slots = assistant.domain.slots;
  for (const match of text.matchAll(SLOT_REFERENCE)) {
    const name = match[1]!;
    if ((use.site === "response" && name === "None") || slots.has(name)) continue;
    const span = { start: match.index, end: match.index + match[0].length };
    diagnostics.report("conditionUnknownSlot", { slot: name }, { ...where(use, span), suggestion: didYouMean(name, slots.keys()) });
  }
}

function suggestNamespace(ast: Expression, assistant: AssistantIR): string | undefined {
  for (const word of wordsOf(ast)) {
    if (assistant.domain.slots.has(word.text)) return `write \`slots.${word.text}\``;
  }
  return undefined;
}

/** Holes rendered as `None`, padded so that offsets stay those of the written text. */
function renderHoles(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, (hole) => "None".padEnd(hole.length, " "));
}

function wordsOf(ast: Expression): { text: string; span: { start: number; end: number } }[] {
  const words: { text: string; span: { start: number; end: number } }[] = [];
  forEachNode(ast, (node, parent) => {
    if (node.kind !== "word") return;
    if (parent?.kind === "matches" && unwrapGroups(parent.right) === node) return;
    words.push({ text: renderWithNone(node.parts), span: node.span });
  });
  return words;
}

/** flowc: guards are evaluated against all slots, so an unknown one is always undefined. */
function checkGuardSlots(use: ConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const slots = assistant.domain.slots;
  for (const word of wordsOf(use.ast)) {
    for (const match of word.text.matchAll(SLOT_REFERENCE)) {
      const name = match[1]!;
      if (slots.has(name)) continue;
      diagnostics.report("guardUnknownSlot", { slot: name }, { ...where(use, word.span), suggestion: didYouMean(name, slots.keys()) });
    }
  }
}

/**
 * flowc: a branch's or guard's `context` is the top frame's fields (conditions.md §1: Rasa's
 * `stack.current_context()`), so `context.<name>` of a field no frame has is always undefined,
 * as in `context.latest_message.text matches "..."`: Rasa's conditions cannot read the user's
 * message. Only a bare word is read (a `{{ }}` hole is rendered before parsing).
 */
function checkContextFields(use: ConditionUse, diagnostics: DiagnosticBag): void {
  for (const word of wordsOf(use.ast)) {
    const field = CONTEXT_FIELD.exec(word.text)?.[1];
    if (field === undefined || FRAME_FIELDS.has(field)) continue;
    const end = word.span.start + "context.".length + field.length;
    diagnostics.report("contextUnknownField", { field, site: `a ${use.site} condition` }, {
      ...where(use, { start: word.span.start, end: Math.min(end, word.span.end) }),
      suggestion:
        field === "latest_message" || field === "message"
          ? "a condition cannot read the user's message: let a collect step or a custom action fill a slot from it, and test `slots.<name>`"
          : unknownFrameFieldHelp(field),
    });
  }
}

const CONTEXT_FIELD = new RegExp(`^context\\.(${WORD}+)`, "u");

/** flowc: a rejection's document holds only the collected slot. */
function checkRejectionScope(use: ConditionUse, assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  const collected = use.collectedSlot;
  if (collected === undefined) return;
  for (const word of wordsOf(use.ast)) {
    for (const match of word.text.matchAll(SLOT_REFERENCE)) {
      const name = match[1]!;
      if (name === collected || name === "None" || !assistant.domain.slots.has(name)) continue;
      diagnostics.report("rejectionOtherSlot", { collected, slot: name }, where(use, word.span));
    }
  }
}

/** The comparison V14 / V15 read, as Rasa's validator picks its slot and value (see {@link rasaSlotComparison}). */
export interface RasaSlotComparison {
  readonly top: Expression & { kind: "compare" | "contains" | "matches" };
  readonly right: Expression;
  /** The operand that names the slot, `slots.<name>`. */
  readonly slotWord: Expression & { kind: "word" };
  readonly valueSide: Expression;
  readonly name: string;
}

/**
 * The operand Rasa's validator reads as the tested slot, and the value opposite it (its
 * `_extract_slot_name_and_slot_value`, checked against its code): in the top-level operation
 * (after at most one `not` and parentheses), the left operand when it is a word or a string,
 * else the right one when it is; the other operand must be a plain value (a nested operation,
 * `undefined` or `empty` ends the check), and a `matches` pattern is never the slot. `logical`:
 * `and`/`or` count as top-level operations (response conditions; flows-format.md d.1 and d.2
 * leave them unchecked in flows).
 */
export function rasaTestedOperand(ast: Expression, logical: boolean): { readonly top: Expression & { kind: "compare" | "contains" | "matches" | "and" | "or" }; readonly operand: Expression; readonly valueSide: Expression } | undefined {
  let top = unwrapGroups(ast);
  if (top.kind === "not") top = unwrapGroups(top.operand);
  if (top.kind !== "compare" && top.kind !== "contains" && top.kind !== "matches" && !(logical && (top.kind === "and" || top.kind === "or"))) return undefined;
  const left = unwrapGroups(top.left);
  const right = unwrapGroups(top.right);
  const isName = (node: Expression) => node.kind === "word" || node.kind === "string";
  if (isName(left)) return hasValue(right) ? { top, operand: left, valueSide: right } : undefined;
  return isName(right) && top.kind !== "matches" && hasValue(left) ? { top, operand: right, valueSide: left } : undefined;
}

/**
 * V14 / V15 exactly as Rasa's validator picks the slot and the value ({@link rasaTestedOperand}
 * of a comparison, `contains` or `matches`), when the slot is a `slots.<name>` word. So
 * `'bronze' = slots.tier` is not checked, `{'gold' 'x'} contains slots.tier` is. (Rasa's code
 * reads `slots.tier and slots.flag` the same way, but flows-format.md d.1 (V14) and d.2 say
 * that `and`/`or` combinations are not checked: the spec decides.)
 */
export function rasaSlotComparison(ast: Expression, slots: SlotNames): RasaSlotComparison | undefined {
  const tested = rasaTestedOperand(ast, false);
  if (!tested || tested.operand.kind !== "word") return undefined;
  const { top, operand: slotWord, valueSide } = tested;
  // its holes as the validator renders them: `slots.{{ context.foo }}` is `slots.`, no slot of the domain
  const path = validatorText(slotWord.parts, "branch", slots).split(".");
  if (path[0] !== "slots" || path.length < 2 || path[1] === "None") return undefined;
  return { top: top as RasaSlotComparison["top"], right: unwrapGroups(top.right), slotWord, valueSide, name: path[1]! };
}

/**
 * Whether Rasa's V14 / V15 check a slot's type in this comparison: a categorical slot's, or a
 * bool slot's in a comparison (not in `contains` or `matches`).
 */
export function rasaChecksSlotType(comparison: RasaSlotComparison, assistant: AssistantIR): boolean {
  const type = assistant.domain.slots.get(comparison.name)?.type;
  return type === "categorical" || (type === "bool" && comparison.top.kind === "compare");
}

/**
 * V14 / V15 on the comparison {@link rasaSlotComparison} picks. A bool slot is checked in
 * comparisons only, and there the right operand must be `true`/`false` whichever side the
 * slot stands on (`true = slots.flag` fails). A categorical slot's value must be one of its
 * values; a number, `true`/`false`, or a set member that is not a word or string makes Rasa's
 * check fail.
 */
function checkTopLevelComparison(
  use: ConditionUse,
  assistant: AssistantIR,
  diagnostics: DiagnosticBag,
  at: (span: { start: number; end: number }) => ReturnType<typeof where> = (span) => where(use, span),
): void {
  const comparison = rasaSlotComparison(use.ast, assistant.domain.slots);
  if (!comparison) return;
  const { top, right, slotWord, valueSide, name } = comparison;
  const slot = assistant.domain.slots.get(name);
  if (!slot) {
    // Rasa reports the slot here too; the regex of V11 has already named a written `slots.x`.
    if (writtenSlotReference(use.condition.text, name) === null) {
      diagnostics.report("conditionUnknownSlot", { slot: name }, { ...at(slotWord.span), suggestion: didYouMean(name, assistant.domain.slots.keys()) });
    }
    return;
  }
  if (slot.type === "categorical") {
    if (valueSide.kind === "number") {
      // Rasa's categorical check crashes on a plain number (flows-format.md V14: E*).
      diagnostics.report("categoricalComparedToNumber", { slot: slot.name, value: valueSide.text }, at(valueSide.span));
      return;
    }
    const values = top.kind === "matches" && valueSide === right ? [{ text: renderWithNone(top.pattern), span: valueSide.span }] : valueTexts(valueSide);
    if (values === undefined) return;
    for (const { text: value, span } of values) {
      if (value === null || value === "__other__" || slot.values.includes(value)) continue;
      const suggestion = slot.values.find((v) => v.toLowerCase() === value.toLowerCase());
      diagnostics.report("categoricalValueNotAllowed", { value: `\`${value}\``, slot: slot.name, values: slot.values.join(", ") }, {
        ...at(span),
        suggestion: suggestion === undefined ? undefined : `values are compared case-sensitively here: write '${suggestion}'`,
      });
    }
  } else if (slot.type === "bool" && top.kind === "compare") {
    if (right.kind === "constant" && (right.value === true || right.value === false)) return;
    diagnostics.report("boolComparedToNonBool", { slot: slot.name, value: `\`${textOf(use, right)}\`` }, {
      ...at(right.span),
      suggestion: right.kind === "constant" && right.value === null ? `use \`not slots.${slot.name}\`, which also holds for false` : undefined,
    });
  }
}

/** Whether Rasa's check can read a value from this operand (pypred nodes with a `value`). */
function hasValue(node: Expression): boolean {
  switch (node.kind) {
    case "word":
    case "string":
    case "number":
    case "regex":
    case "set":
      return true;
    case "constant":
      return node.value !== "undefined" && node.value !== "empty";
    default:
      return false;
  }
}

/** A set member Rasa cannot read: a text no slot value can equal, so it is reported. */
function textOfNode(node: Expression): string {
  return node.kind === "number" || node.kind === "constant" ? `${node.text} (not a word or string)` : "(not a word or string)";
}

function textOf(use: ConditionUse, node: Expression): string {
  return use.condition.text.slice(node.span.start, node.span.end);
}

/**
 * The value texts Rasa's categorical check compares, each with the span it is written at (a set
 * member's own), or undefined when it skips the check. `null` stands for the null keyword, which
 * is always allowed.
 */
function valueTexts(node: Expression): { readonly text: string | null; readonly span: Span }[] | undefined {
  const value = unwrapGroups(node);
  const single = (text: string | null) => [{ text, span: value.span }];
  switch (value.kind) {
    case "string":
      return single(renderWithNone(value.value));
    case "word":
      return single(renderWithNone(value.parts));
    case "regex":
      return single(renderWithNone(value.pattern));
    case "number":
      return single(value.text);
    case "constant":
      if (value.value === null) return single(null);
      if (value.value === "undefined" || value.value === "empty") return undefined;
      // `true`/`false` make Rasa's check fail (it iterates over the value), so never allowed.
      return single(textOfNode(value));
    case "set":
      // Each member is read as text; a number or constant member makes Rasa's check fail.
      return value.elements.flatMap((element) => {
        const member = unwrapGroups(element);
        return member.kind === "string" || member.kind === "word" ? (valueTexts(member) ?? []) : [{ text: textOfNode(member), span: member.span }];
      });
    default:
      return undefined;
  }
}
