/**
 * The compiled Jinja templates of responses as functions of the responses module: one per
 * templated string, with the template as written and its `file:line` in a comment above it.
 * The data of each variation points at its functions (`jinja: { text: render_… }`).
 */
import type { VariationInput } from "../model/input.ts";
import type { CompiledTemplate, NestedTemplate, VariationTemplates } from "../passes/compile-response-templates.ts";
import { commentText, location, Raw, record } from "./code.ts";

/** Every template function of the module, in order ("" when there is none). */
export function templateFunctionsText(templates: Iterable<VariationTemplates>): string {
  const out: string[] = [];
  for (const variation of templates) {
    for (const template of templatesOf(variation)) out.push(templateFunction(template));
  }
  return out.join("");
}

function templatesOf(variation: VariationTemplates): CompiledTemplate[] {
  const nested = (list: readonly NestedTemplate[]) => list.map((c) => c.template);
  return [
    variation.text,
    variation.image,
    ...variation.buttons.flatMap((b) => [b.title, b.payload, ...nested(b.others)]),
    ...nested(variation.custom),
    ...nested(variation.quickReplies),
    ...nested(variation.attachment),
  ].filter((t): t is CompiledTemplate => t !== undefined);
}

function templateFunction(template: CompiledTemplate): string {
  const parameter = template.code.usesVariables ? "v" : "_v";
  const body = template.code.lines.map((line) => `  ${line}\n`).join("");
  return `/** ${commentText(location(template.range))}: \`${commentText(template.source)}\` */\nfunction ${template.functionName}(${parameter}: $t.TemplateVariables): string {\n${body}}\n\n`;
}

/** The `jinja` property of a variation's data, or undefined when it has no compiled template. */
export function jinjaLiteral(variation: VariationInput, templates: ReadonlyMap<VariationInput, VariationTemplates>): Record<string, unknown> | undefined {
  const compiled = templates.get(variation);
  if (!compiled || templatesOf(compiled).length === 0) return undefined;
  const ref = (template: CompiledTemplate | undefined) => (template ? new Raw(template.functionName) : undefined);
  return {
    text: ref(compiled.text),
    image: ref(compiled.image),
    buttons: compiled.buttons.some((b) => b.title || b.payload || b.others.length > 0)
      ? compiled.buttons.map((b) => ({ title: ref(b.title), payload: ref(b.payload), ...(b.others.length > 0 ? nestedTree(b.others) : {}) }))
      : undefined,
    custom: compiled.custom.length > 0 ? nestedTree(compiled.custom) : undefined,
    quick_replies: compiled.quickReplies.length > 0 ? nestedTree(compiled.quickReplies) : undefined,
    attachment: compiled.attachment.length > 0 ? nestedTree(compiled.attachment) : undefined,
  };
}

/** The functions of the strings of a nested value as nested objects keyed like it (an array's items by index). */
function nestedTree(strings: readonly NestedTemplate[]): Record<string, unknown> {
  const root = record();
  for (const { path, template } of strings) {
    let node = root;
    path.slice(0, -1).forEach((part) => {
      node = (node[String(part)] ??= record()) as Record<string, unknown>;
    });
    node[String(path[path.length - 1])] = new Raw(template.functionName);
  }
  return root;
}
