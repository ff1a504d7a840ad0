/** Small helpers over condition syntax trees used by the checks. */
import type { Expression, TemplatedText, WordNode } from "./ast.ts";

export function forEachNode(node: Expression, visit: (node: Expression, parent: Expression | undefined) => void, parent?: Expression): void {
  visit(node, parent);
  for (const child of childrenOf(node)) forEachNode(child, visit, node);
}

/** The direct sub-expressions of a node, left to right. */
export function childrenOf(node: Expression): readonly Expression[] {
  switch (node.kind) {
    case "and":
    case "or":
    case "compare":
    case "contains":
    case "matches":
      return [node.left, node.right];
    case "not":
      return [node.operand];
    case "group":
      return [node.expression];
    case "set":
      return node.elements;
    default:
      return [];
  }
}

export function unwrapGroups(node: Expression): Expression {
  let current = node;
  while (current.kind === "group") current = current.expression;
  return current;
}

/** Text with every hole rendered as Python's `None`, as Rasa's validator renders them. */
export function renderWithNone(text: TemplatedText): string {
  return text.map((part) => (typeof part === "string" ? part : "None")).join("");
}

export function hasHoles(text: TemplatedText): boolean {
  return text.some((part) => typeof part !== "string");
}

/** `slots.<name>` for a plain word naming exactly one slot, else undefined. */
export function slotNameOf(node: Expression): string | undefined {
  const word = unwrapGroups(node);
  if (word.kind !== "word" || hasHoles(word.parts)) return undefined;
  const match = /^slots\.([^.]+)$/.exec(word.text);
  return match?.[1];
}

/** A word that is a lookup into the document's namespaces (or a template hole). */
export function isNamespacedWord(word: WordNode): boolean {
  if (hasHoles(word.parts)) return true;
  return /^(slots|context)(\.|$)/.test(word.text);
}
