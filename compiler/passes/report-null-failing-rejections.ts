/**
 * Stage 4, flowc's own analysis: a rejection condition that raises when its slot is null.
 * Rasa 3.12 runs a collect step's rejections whenever the slot has ever been set, also while
 * it is null again — after an earlier rejection, or after the flow that filled it ended and
 * reset it — and a condition that raises counts as a violation: the user then gets
 * `utter_internal_error_rasa` before the question is asked again. pypred raises on ordering
 * comparisons with None (`None <= 0`), so such a rejection needs a null check first. Rasa
 * accepts these conditions, so this is a warning (an error with `--strict`).
 *
 * Warns, for example:  rejections: [{if: "slots.amount <= 0", utter: utter_amount_not_positive}]
 */
import type { Expression, Span } from "../conditions/ast.ts";
import { conditionFunction } from "../conditions/condition-function.ts";
import { forEachNode } from "../conditions/walk.ts";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { AssistantIR } from "../model/ir.ts";
import { conditionUses } from "./condition-uses.ts";

export function reportNullFailingRejections(assistant: AssistantIR, diagnostics: DiagnosticBag): void {
  // Rejections of the same shape on different slots (`slots.<slot> <= 0`) raise alike: each
  // shape is compiled and run once.
  const errorsByShape = new Map<string, string | undefined>();
  for (const use of conditionUses(assistant)) {
    const slot = use.collectedSlot;
    if (use.site !== "rejection" || slot === undefined || use.isDefault) continue;
    const shape = shapeOf(use.condition.text, use.ast, slot);
    let error = errorsByShape.get(shape);
    if (!errorsByShape.has(shape)) errorsByShape.set(shape, (error = errorOnNull(use.condition.text, use.ast, slot)));
    if (error === undefined) continue;
    diagnostics.report(
      "rejectionFailsOnNull",
      { slot, error },
      { range: use.condition.range, flow: use.flow?.id, step: use.step?.id, suggestion: `check for null first: \`slots.${slot} is not null and (${use.condition.text})\`` },
    );
  }
}

/**
 * The condition's text with its slot written `slots.\0`, and the numbers it compares with the
 * slot written `\0#`: on a null slot such a comparison raises or is false whatever the number
 * (and pypred names every number `float`), so `slots.amount <= 0` and `slots.age <= 18` run
 * once. Texts with Jinja keep their numbers: they may be parsed again once rendered.
 */
function shapeOf(text: string, ast: Expression, slot: string): string {
  const word = `slots.${slot}`;
  const numbers: Span[] = [];
  if (!text.includes("{")) {
    forEachNode(ast, (node) => {
      if (node.kind !== "compare") return;
      const { left, right } = node;
      const number = left.kind === "word" && left.text === word ? right : right.kind === "word" && right.text === word ? left : undefined;
      if (number?.kind === "number" && text.slice(number.span.start, number.span.end) === number.text) numbers.push(number.span);
    });
    numbers.sort((a, b) => a.start - b.start);
  }
  const pieces: string[] = [];
  let at = 0;
  for (const span of numbers) {
    pieces.push(text.slice(at, span.start));
    at = span.end;
  }
  pieces.push(text.slice(at));
  return pieces.map((piece) => piece.split(word).join("slots.\0")).join("\0#");
}

/** What the rejection raises when `slot` is null, or undefined when it does not (or cannot be compiled). */
function errorOnNull(text: string, ast: Expression, slot: string): string | undefined {
  const fn = conditionFunction(text, "rejection", ast);
  if (!fn.ok) return undefined;
  try {
    fn.predicate({ [slot]: null }, undefined);
    return undefined;
  } catch (raised) {
    return raised instanceof Error ? raised.message : String(raised);
  }
}
