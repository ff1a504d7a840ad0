/**
 * Which values `flowc gen-tests` tries for each slot: read from every condition of the user's
 * flows and domain that mentions the slot (branches, flow guards, rejections), so that each
 * side of each comparison is reached. Boundaries for `<`, `<=`, `>`, `>=` (`slots.age < 18`
 * gives 17 and 18), the literal and another value for `=`/`!=`, null and a value for
 * `is null`, each member of a set for `contains`, a matching and a non-matching text for
 * `matches`, true and false for a bool slot used as a truth value, and every value of a
 * categorical slot. A slot no condition mentions gets one plain value of its type, so that a
 * flow collecting it can go on.
 */
import type { Expression } from "../conditions/ast.ts";
import { forEachNode, hasHoles, renderWithNone, slotNameOf, unwrapGroups } from "../conditions/walk.ts";
import type { SlotInput } from "../model/input.ts";
import type { AssistantIR } from "../model/ir.ts";
import { conditionUses } from "../passes/condition-uses.ts";
import { sampleMatch } from "./regex-sample.ts";

/** A text no generated `matches` sample or literal is likely to equal. */
const OTHER_TEXT = "other";

/** The text tried beside a literal that is {@link OTHER_TEXT} itself (`slots.reason = "other"`). */
const ANOTHER_TEXT = "another";

/** A text unlike each of `literals`. */
function otherThan(literals: readonly unknown[]): string {
  return literals.includes(OTHER_TEXT) ? ANOTHER_TEXT : OTHER_TEXT;
}

/** Candidate values per slot, in a fixed order, each value once. */
export type SlotCandidates = ReadonlyMap<string, readonly unknown[]>;

export function slotCandidates(assistant: AssistantIR): SlotCandidates {
  const found = new Map<string, unknown[]>();
  for (const use of conditionUses(assistant)) {
    if (use.isDefault || use.site === "response") continue;
    for (const [slot, values] of conditionValues(use.ast, use.collectedSlot)) add(found, slot, values);
  }
  const result = new Map<string, unknown[]>();
  for (const [name, slot] of assistant.domain.slots) {
    if (slot.isDefault) continue;
    const values = [...(found.get(name) ?? [])];
    for (const value of typeValues(slot, values.length === 0)) values.push(value);
    result.set(name, unique(values.map((value) => typed(slot, value))));
  }
  return result;
}

/**
 * The values one condition asks for, per slot. `rejectionSlot`: in a rejection, `slots.x`
 * names the collected slot.
 */
export function conditionValues(ast: Expression, rejectionSlot?: string): Map<string, unknown[]> {
  const values = new Map<string, unknown[]>();
  const slotOf = (node: Expression): string | undefined => slotNameOf(node) ?? (rejectionSlot !== undefined && isWord(node, `slots.${rejectionSlot}`) ? rejectionSlot : undefined);
  forEachNode(ast, (node, parent) => {
    switch (node.kind) {
      case "compare": {
        const left = slotOf(node.left);
        const right = slotOf(node.right);
        if (left !== undefined && right === undefined) add(values, left, comparisonValues(node.operator, literalOf(node.right)));
        else if (right !== undefined && left === undefined) add(values, right, comparisonValues(flip(node.operator), literalOf(node.left)));
        return;
      }
      case "contains": {
        const set = unwrapGroups(node.left);
        const member = slotOf(node.right);
        if (set.kind === "set" && member !== undefined) {
          const members = set.elements.map(literalOf).filter((v) => v !== NONE);
          add(values, member, [...members, otherThan(members)]);
          return;
        }
        const container = slotOf(node.left);
        const literal = literalOf(node.right);
        if (container !== undefined && literal !== NONE) add(values, container, [literal, [literal], otherThan([literal])]);
        return;
      }
      case "matches": {
        const slot = slotOf(node.left);
        if (slot === undefined || hasHoles(node.pattern)) return;
        const sample = sampleMatch(renderWithNone(node.pattern));
        add(values, slot, sample === undefined ? [OTHER_TEXT] : [sample, OTHER_TEXT]);
        return;
      }
      case "word": {
        // A slot used as a truth value: `slots.x`, `not slots.x`, `slots.x and ...`.
        const slot = slotOf(node);
        if (slot !== undefined && (parent === undefined || parent.kind === "not" || parent.kind === "and" || parent.kind === "or" || parent.kind === "group")) add(values, slot, [true, false]);
        return;
      }
      default:
        return;
    }
  });
  return values;
}

/** What a slot's type adds: both booleans, every categorical value, or one plain value. */
function typeValues(slot: SlotInput, none: boolean): unknown[] {
  switch (slot.type) {
    case "bool":
      return [true, false];
    case "categorical":
      return [...slot.values];
    case "float":
      return none ? [1] : [];
    case "list":
      return none ? [["example"]] : [];
    default:
      return none ? ["example"] : [];
  }
}

const NONE = Symbol("no literal");

/** The value of a literal operand, or {@link NONE} for anything else. */
function literalOf(node: Expression): unknown {
  const inner = unwrapGroups(node);
  switch (inner.kind) {
    case "number":
      return inner.value;
    case "string":
      return hasHoles(inner.value) ? NONE : renderWithNone(inner.value);
    case "constant":
      return inner.value === true || inner.value === false || inner.value === null ? inner.value : null;
    default:
      return NONE;
  }
}

function comparisonValues(operator: string, literal: unknown): unknown[] {
  if (literal === NONE) return [];
  if (typeof literal === "number") {
    switch (operator) {
      case "<":
      case ">=":
        return [literal - 1, literal];
      default:
        return [literal, literal + 1];
    }
  }
  if (literal === null) return [null, "example"];
  if (typeof literal === "boolean") return [literal, !literal];
  return [literal, otherThan([literal])];
}

function flip(operator: string): string {
  return operator === "<" ? ">" : operator === ">" ? "<" : operator === "<=" ? ">=" : operator === ">=" ? "<=" : operator;
}

function isWord(node: Expression, text: string): boolean {
  const inner = unwrapGroups(node);
  return inner.kind === "word" && inner.text === text;
}

/**
 * A value in the form the slot's type stores: a null-check's stand-in becomes a number for a
 * float slot, a list for a list slot; a boolean stays one only in a bool slot.
 */
function typed(slot: SlotInput, value: unknown): unknown {
  if (value === null) return null;
  switch (slot.type) {
    case "float":
      return typeof value === "number" ? value : typeof value === "boolean" ? (value ? 1 : 0) : 1;
    case "list":
      return Array.isArray(value) ? value : [value];
    case "bool":
      return typeof value === "boolean" ? value : value === "example" ? true : value;
    default:
      return value;
  }
}

function add(into: Map<string, unknown[]>, slot: string, values: readonly unknown[]): void {
  const list = into.get(slot) ?? [];
  list.push(...values);
  into.set(slot, list);
}

function unique(values: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
