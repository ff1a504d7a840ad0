/**
 * Whether a flow guard is false whatever the slots and context are, which makes the flow
 * startable only through `call` or `link` (Rasa's `is_startable_only_via_link`): `if: False`,
 * or a condition without any lookup (only quoted strings, numbers and keywords) that is false
 * on an empty document. One that raises there can never start either, but Rasa does not count
 * it as startable only via link (an exception makes `is_startable_only_via_link` False).
 */
import type { FlowGuardInput } from "../model/input.ts";
import { ConditionError } from "../../runtime/conditions/pypred.ts";
import { conditionFunction } from "./condition-function.ts";
import { forEachNode } from "./walk.ts";

/** The guard is false or raises on every document: the flow never starts by itself. */
export function guardIsStaticallyFalse(guard: FlowGuardInput | undefined): boolean {
  const value = staticValue(guard);
  return value === false || value === "raises";
}

/** Rasa's `Flow.is_startable_only_via_link`: the guard is false on every document, without raising. */
export function startableOnlyViaLink(guard: FlowGuardInput | undefined): boolean {
  return staticValue(guard) === false;
}

/** The guard's value when no document can change it; undefined when one may. */
function staticValue(guard: FlowGuardInput | undefined): boolean | "raises" | undefined {
  if (!guard) return undefined;
  if (guard.kind === "boolean") return guard.value;
  const ast = guard.condition.ast;
  if (!ast) return undefined;
  let looksUp = false;
  forEachNode(ast, (node) => {
    if (node.kind === "word" || node.kind === "regex") looksUp = true;
  });
  if (looksUp) return undefined;
  const fn = conditionFunction(guard.condition.text, "guard");
  if (!fn.ok) return undefined;
  try {
    return fn.predicate({}, {});
  } catch (error) {
    if (error instanceof ConditionError) return "raises";
    throw error;
  }
}
