/**
 * Whether a flow guard is false whatever the slots and context are, which makes the flow
 * startable only through `call` or `link` (Rasa's `is_startable_only_via_link`): `if: False`,
 * or a condition without any lookup (only quoted strings, numbers and keywords) that is false —
 * or raises — on an empty document.
 */
import type { FlowGuardInput } from "../model/input.ts";
import { ConditionError } from "../../runtime/conditions/pypred.ts";
import { conditionFunction } from "./condition-function.ts";
import { forEachNode } from "./walk.ts";

export function guardIsStaticallyFalse(guard: FlowGuardInput | undefined): boolean {
  if (!guard) return false;
  if (guard.kind === "boolean") return !guard.value;
  const ast = guard.condition.ast;
  if (!ast) return false;
  let looksUp = false;
  forEachNode(ast, (node) => {
    if (node.kind === "word" || node.kind === "regex") looksUp = true;
  });
  if (looksUp) return false;
  const fn = conditionFunction(guard.condition.text, "guard");
  if (!fn.ok) return false;
  try {
    return !fn.predicate({}, {});
  } catch (error) {
    if (error instanceof ConditionError) return true;
    throw error;
  }
}
