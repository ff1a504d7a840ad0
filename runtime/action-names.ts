/**
 * How the runtime reads the name of an action step: text and bare `{{ context.<field> }}` holes
 * it fills in itself (plan.ts, executor.ts); any other Jinja the compiler compiles into a
 * function of the frame's context (ActionStep.render). One module for both sides, so that they
 * read a name the same way.
 */

/** A hole of an action name template: `{{ context.<field> }}`. */
export const TEMPLATE_HOLE = /\{\{\s*context\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;

/** Text Jinja reads as more than text: the start of a tag, and `\r` (which it reads as `\n`). */
const JINJA_MARKUP = /\{[{%#]|\r/;

/**
 * Whether the name of an action step renders as Jinja renders it without a template compiled
 * for it: text alone, or text and bare `{{ context.<field> }}` holes (which the executor fills
 * in from the frame). Any other Jinja (`utter_{{context.flow_id|upper}}`, `{% if %}`, a comment,
 * a line break Jinja drops at the end) needs the name's template compiled (the compiler's
 * compile-action-names.ts), so that both read a name the same way.
 */
export function rendersWithoutTemplate(name: string): boolean {
  if (name.endsWith("\n")) return false;
  const parts = name.split(TEMPLATE_HOLE);
  for (let i = 0; i < parts.length; i += 2) {
    const text = parts[i]!;
    // (A `{` just before a hole makes `{{{`, which Jinja reads from the first brace.)
    if (JINJA_MARKUP.test(text) || (i + 1 < parts.length && text.endsWith("{"))) return false;
  }
  return true;
}
