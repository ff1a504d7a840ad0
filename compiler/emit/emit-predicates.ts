/**
 * The compiled conditions of one module as TypeScript: hoisted constants, then one function per
 * condition with the condition's text and `file:line` in a comment above it.
 */
import type CodeBlockWriter from "code-block-writer";
import type { ConditionInput } from "../model/input.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import { commentText, location, Raw } from "./code.ts";

export interface ModulePredicates {
  readonly entries: readonly { readonly input: ConditionInput; readonly predicate: NamedPredicate }[];
}

export function writePredicates(writer: CodeBlockWriter, module: ModulePredicates): void {
  const hoisted = module.entries.flatMap(({ predicate }) => predicate.compiled.hoisted);
  for (const constant of hoisted) writer.writeLine(`const ${constant.name} = ${constant.code};`);
  if (hoisted.length > 0) writer.blankLine();
  for (const { input, predicate } of module.entries) {
    const body = predicate.compiled.body;
    const usesSlots = /\bslots\b/.test(body);
    const params =
      predicate.site === "rejection"
        ? `${usesSlots ? "slots" : "_slots"}: SlotValues`
        : `${usesSlots ? "slots" : "_slots"}: SlotValues, ${/\bcontext\b/.test(body) ? "context" : "_context"}: FrameContext`;
    writer.writeLine(`/** ${location(input.range)}: \`${commentText(input.text)}\` */`);
    writer.write(`function ${predicate.name}(${params}): boolean`).block(() => {
      for (const line of body.split("\n")) writer.writeLine(line);
    });
    writer.blankLine();
  }
}

/** The `{ source, location, test }` of a compiled condition, for a data literal. */
export function conditionLiteral(input: ConditionInput, predicate: NamedPredicate): Record<string, unknown> {
  return { source: input.text, location: location(input.range), test: new Raw(predicate.name) };
}
