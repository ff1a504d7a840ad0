/**
 * The compiled conditions of one module as TypeScript: hoisted constants, then one function per
 * condition with the condition's text and `file:line` in a comment above it.
 */
import type { ConditionInput } from "../model/input.ts";
import type { NamedPredicate } from "../passes/compile-conditions.ts";
import { commentText, location, Raw, type FlatWriter } from "./code.ts";

export interface ModulePredicates {
  readonly entries: readonly { readonly input: ConditionInput; readonly predicate: NamedPredicate }[];
}

/** Whether a predicate of the module uses a helper namespace (`$` or `$t`), in its body or in a hoisted constant. */
export function usesHelpers(module: ModulePredicates, namespace: "$" | "$t"): boolean {
  const prefix = `${namespace}.`;
  return module.entries.some(({ predicate }) => predicate.compiled.body.includes(prefix) || predicate.compiled.hoisted.some((constant) => constant.code.includes(prefix)));
}

export function writePredicates(writer: FlatWriter, module: ModulePredicates): void {
  writer.write(predicatesText(module));
}

/**
 * The module's predicates as text. Written as one string rather than line by line through the
 * writer: the bodies are already formatted statements, and a module can hold hundreds.
 */
export function predicatesText(module: ModulePredicates): string {
  const out: string[] = [];
  let hoisted = false;
  for (const { predicate } of module.entries) {
    for (const constant of predicate.compiled.hoisted) out.push(`const ${constant.name} = ${constant.code};\n`);
    hoisted ||= predicate.compiled.hoisted.length > 0;
  }
  if (hoisted) out.push("\n");
  for (const { input, predicate } of module.entries) {
    const body = predicate.compiled.body;
    // A parameter the code never reads is named with `_`; the words inside string literals
    // (the text of a condition, say) are no reads.
    const code = body.includes('"') ? body.replace(STRING_LITERAL, '""') : body;
    const usesSlots = /\bslots\b/.test(code);
    const params =
      predicate.site === "rejection"
        ? `${usesSlots ? "slots" : "_slots"}: SlotValues`
        : `${usesSlots ? "slots" : "_slots"}: SlotValues, ${/\bcontext\b/.test(code) ? "context" : "_context"}: FrameContext`;
    out.push(`/** ${commentText(location(input.range))}: \`${commentText(input.text)}\` */\n`);
    out.push(`function ${predicate.name}(${params}): boolean {\n${indentBody(body)}}\n\n`);
  }
  return out.join("");
}

/** A double-quoted string literal, as the condition compiler writes them. */
const STRING_LITERAL = /"(?:[^"\\\n]|\\.)*"/g;

/** Indents each statement by two spaces per open brace, as the writer would. */
function indentBody(body: string): string {
  let depth = 1;
  let out = "";
  for (const line of body.split("\n")) {
    if (line.startsWith("}")) depth--;
    out += `${"  ".repeat(Math.max(depth, 0))}${line}\n`;
    if (line.endsWith("{")) depth++;
  }
  return out;
}

/** The `{ source, location, test }` of a compiled condition, for a data literal. */
export function conditionLiteral(input: ConditionInput, predicate: NamedPredicate): Record<string, unknown> {
  return { source: input.written ?? input.text, location: location(input.range), test: new Raw(predicate.name) };
}
