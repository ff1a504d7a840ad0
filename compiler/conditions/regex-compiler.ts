/**
 * The `matches` patterns of conditions, from Python's `re` dialect to JavaScript, once at
 * compile time: a pattern Python refuses makes the condition invalid (as in pypred), one that
 * JavaScript cannot express exactly is a compile error, and one whose matching time can grow
 * faster than linearly is reported so the compiler can warn.
 */
import type { MatchesNode, Span } from "./ast.ts";
import type { RegexCompiler } from "./compile-predicate.ts";
import { simplifyForSearch } from "./simplify-search-regex.ts";
import { translatePythonRegex, type RegexTranslation } from "./translate-regex.ts";

export class RegexNotCompiled extends Error {
  constructor(
    message: string,
    readonly kind: "invalid" | "untranslatable",
    /** Offsets in the condition text. */
    readonly span: Span,
  ) {
    super(message);
  }
}

export interface SuperLinearRegex {
  readonly construct: string;
  readonly span: Span;
}

/** Translations by flags and pattern: assistants repeat their patterns, and a translation takes milliseconds. */
const translations = new Map<string, RegexTranslation>();

function translate(pattern: string, flags: string): RegexTranslation {
  const key = `${flags}/${pattern}`;
  let translation = translations.get(key);
  if (!translation) translations.set(key, (translation = translatePythonRegex(pattern, flags)));
  return translation;
}

/** A regex compiler that throws `RegexNotCompiled` and collects super-linear patterns. */
export function pythonRegexCompiler(superLinear: SuperLinearRegex[] = []): RegexCompiler {
  return (node: MatchesNode, pattern: string) => {
    const translation = translate(pattern, node.flags.toLowerCase());
    const at = patternSpan(node);
    if (!translation.ok) throw new RegexNotCompiled(translation.message, translation.kind, at);
    if (translation.superLinear) superLinear.push({ construct: translation.superLinear.construct, span: at });
    return { source: simplifyForSearch(translation.source), flags: translation.flags };
  };
}

/** The right operand of `matches`, where the pattern is written. */
function patternSpan(node: MatchesNode): Span {
  return node.right.span;
}
