/**
 * Compiles the Jinja templates of responses at build time. Rasa renders a response variation
 * with `metadata: {template: jinja}` through Jinja on every message (its text, image and
 * buttons); flowc parses each such string once, here, and the code generator writes it out as
 * a plain TypeScript function, so nothing parses a template at run time (the strings inside
 * `custom`, `quick_replies`, `attachment` and a button's other keys too, as Rasa renders them;
 * not those of `elements`, which Rasa sends as written). Only the subset of
 * Jinja in compiler/templates/parse-jinja-template.ts compiles; anything else is an error that
 * points at the construct inside the YAML string and names it. A `template` other than
 * `format` or `jinja` is an error too (Rasa fails on it every time the response is sent).
 *
 * Rejected, for example:
 *
 *   utter_greet:
 *     - text: "Hello {{ name | pprint }}"   # FLW1061: filter `pprint`
 *       metadata: {template: jinja}
 *
 * Warned of, for example (FLW2040: `context` holds the top frame's fields, and no 3.12 frame has this one):
 *
 *   utter_resume:
 *     - text: "{{ context.interrupted_flow_options }}"
 *       metadata: {template: jinja}
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { NestedString, ResponseInput, ScalarSource, VariationInput } from "../model/input.ts";
import { DICT_ATTRIBUTES, FRAME_FIELDS, unknownFrameFieldHelp } from "../conditions/validator-rendering.ts";
import type { SourceRange } from "../source/source-file.ts";
import { valueSpanRange } from "../source/scalar-offsets.ts";
import { templateCode, type TemplateCode } from "../templates/jinja-to-typescript.ts";
import { TemplateError, type Expr, type MacroDefinition, type TemplateNode } from "../templates/jinja-syntax.ts";
import { statementExpressions, subExpressions } from "../templates/jinja-checks.ts";
import { parseTemplate } from "../templates/parse-jinja-template.ts";
import { closest } from "../util/suggest.ts";

export interface CompiledTemplate {
  /** The identifier of the generated function. */
  readonly functionName: string;
  /** The template as written. */
  readonly source: string;
  readonly range: SourceRange;
  readonly code: TemplateCode;
}

/** A compiled string inside a nested value, by its path of keys and indexes. */
export interface NestedTemplate {
  readonly path: readonly (string | number)[];
  readonly template: CompiledTemplate;
}

export interface VariationTemplates {
  readonly text?: CompiledTemplate | undefined;
  readonly image?: CompiledTemplate | undefined;
  /** Per button (by index); a string without Jinja tags has no function. `others`: the strings under its other keys. */
  readonly buttons: readonly { readonly title?: CompiledTemplate | undefined; readonly payload?: CompiledTemplate | undefined; readonly others: readonly NestedTemplate[] }[];
  /** The strings inside `custom`, `quick_replies` and `attachment`. */
  readonly custom: readonly NestedTemplate[];
  readonly quickReplies: readonly NestedTemplate[];
  readonly attachment: readonly NestedTemplate[];
}

const ENGINES = new Set(["format", "jinja"]);

/**
 * The compiled templates of every Jinja variation of `responses`, in domain order. Also warns
 * about ways of reading a slot that Rasa never fills: `{slots.x}` or `{context.x}` and a near
 * miss of a slot's name in a format template, and `slots.x` in a Jinja one; and about a Jinja
 * template's `context.x` of a field no frame has.
 */
export function compileResponseTemplates(responses: Iterable<ResponseInput>, slotNames: ReadonlySet<string>, diagnostics: DiagnosticBag): Map<VariationInput, VariationTemplates> {
  const out = new Map<VariationInput, VariationTemplates>();
  const usedNames = new Set<string>();
  for (const response of responses) {
    response.variations.forEach((variation, index) => {
      const sources = variation.templateSources;
      const engine = variation.metadata?.["template"];
      if (!sources) return;
      if (engine === undefined || engine === "format") {
        reportUnfilledPlaceholders(variation, sources, slotNames, diagnostics);
        return;
      }
      if (typeof engine !== "string" || !ENGINES.has(engine)) {
        diagnostics.report("unknownTemplateEngine", { response: response.name, engine: typeof engine === "string" ? engine : JSON.stringify(engine) }, { range: sources.engine.range });
        return;
      }
      const base = `render_${identifier(response.name)}_${index}`;
      const compile = (text: string, source: ScalarSource, field: string): CompiledTemplate | undefined => {
        // Jinja gives back a text without tags as it is (the runtime sends such a text as written).
        if (!/\{[{%#]/.test(text) && !/\r|\n$/.test(text)) return undefined;
        let functionName = `${base}_${field}`;
        while (usedNames.has(functionName)) functionName += "_";
        usedNames.add(functionName);
        try {
          const nodes = parseTemplate(text);
          const code = templateCode(nodes);
          const slotsAt = code.names.get("slots");
          if (slotsAt !== undefined && !slotNames.has("slots")) {
            const example = /^slots\s*\.\s*([\p{ID_Start}_][\p{ID_Continue}]*)/u.exec(text.slice(slotsAt))?.[1] ?? "name";
            diagnostics.report("templateReadsSlots", { example: `{{ ${example} }}` }, { range: valueSpanRange(source.range, source.node, text, { start: slotsAt, end: slotsAt + 5 }) });
          }
          if (code.names.has("context") && !slotNames.has("context")) reportUnknownContextFields(nodes, text, source, response.name, diagnostics);
          return { functionName, source: text, range: source.range, code };
        } catch (error) {
          if (!(error instanceof TemplateError)) throw error;
          const range = valueSpanRange(source.range, source.node, text, { start: error.start, end: error.end });
          diagnostics.report(error.kind === "syntax" ? "responseTemplateSyntax" : "responseTemplateUnsupported", { response: response.name, reason: error.message }, { range });
          return undefined;
        }
      };
      const text = variation.text !== undefined && sources.text ? compile(variation.text, sources.text, "text") : undefined;
      const image = variation.image !== undefined && sources.image ? compile(variation.image, sources.image, "image") : undefined;
      const nested = (strings: readonly NestedString[], field: string): NestedTemplate[] =>
        strings.flatMap(({ path, text: value, source }) => {
          const template = compile(value, source, `${field}_${path.map((part) => String(part).replace(/[^A-Za-z0-9_$]/g, "_")).join("_")}`);
          return template ? [{ path, template }] : [];
        });
      const buttons = variation.buttons.map((button, i) => {
        const where = sources.buttons[i];
        return where ? { title: compile(button.title, where.title, `button${i}_title`), payload: compile(button.payload, where.payload, `button${i}_payload`), others: nested(where.others, `button${i}`) } : { others: [] };
      });
      out.set(variation, { text, image, buttons, custom: nested(sources.custom, "custom"), quickReplies: nested(sources.quickReplies, "quick_replies"), attachment: nested(sources.attachment, "attachment") });
    });
  }
  return out;
}

/**
 * `context.<field>` and `context["<field>"]` of a field no frame has (FLW2040): Rasa renders a
 * response with `context` the fields of the frame on top of the dialogue stack (its
 * `stack.current_context()`, flowc's frameContext: with a collect step's pattern on top, those
 * of the frame below it too), so such a read is undefined and prints nothing. A dict's own
 * attributes (`context.items`) are left alone, and so is a template that gives `context`
 * another value itself (`{% set %}`, a loop, a macro's parameter).
 */
function reportUnknownContextFields(nodes: readonly TemplateNode[], text: string, source: ScalarSource, response: string, diagnostics: DiagnosticBag): void {
  const assigned = new Set<string>();
  const expressions = statementExpressions(nodes, assigned);
  if (assigned.has("context") || macroParameters(nodes).has("context")) return;
  const visit = (expr: Expr | undefined): void => {
    if (expr === undefined) return;
    const read = contextFieldRead(expr, text);
    if (read !== undefined && !FRAME_FIELDS.has(read.field) && !DICT_ATTRIBUTES.has(read.field)) {
      diagnostics.report("contextUnknownField", { field: read.field, site: `response \`${response}\`` }, {
        range: valueSpanRange(source.range, source.node, text, read.span),
        suggestion: unknownFrameFieldHelp(read.field),
      });
    }
    subExpressions(expr).forEach(visit);
  };
  expressions.forEach(visit);
}

/** The field `context.<field>` or `context["<field>"]` reads, with the span of the field's name (of the whole subscript when its key is not found as written). */
function contextFieldRead(expr: Expr, text: string): { field: string; span: { start: number; end: number } } | undefined {
  if (expr.kind !== "attr" && expr.kind !== "item") return undefined;
  if (expr.object.kind !== "name" || expr.object.name !== "context" || expr.end === undefined) return undefined;
  if (expr.kind === "attr") return { field: expr.name, span: { start: expr.end - expr.name.length, end: expr.end } };
  if (expr.key.kind !== "literal" || typeof expr.key.value !== "string") return undefined;
  const field = expr.key.value;
  const written = text.slice(expr.object.at, expr.end);
  const quoted = Math.max(written.lastIndexOf(`"${field}"`), written.lastIndexOf(`'${field}'`));
  const start = quoted < 0 ? expr.object.at : expr.object.at + quoted + 1;
  return { field, span: { start, end: quoted < 0 ? expr.end : start + field.length } };
}

/** The names of the parameters of a template's macros and `{% call %}` blocks, nested ones included. */
function macroParameters(nodes: readonly TemplateNode[]): Set<string> {
  const names = new Set<string>();
  const macro = (definition: MacroDefinition): void => {
    definition.parameters.forEach((parameter) => names.add(parameter.name));
    walk(definition.body);
  };
  const walk = (list: readonly TemplateNode[]): void => {
    for (const node of list) {
      switch (node.kind) {
        case "output":
        case "set":
        case "setAttribute":
          walk(node.block ?? []);
          break;
        case "with":
          walk(node.body);
          break;
        case "if":
          node.branches.forEach((branch) => walk(branch.body));
          walk(node.otherwise);
          break;
        case "for":
          walk(node.body);
          walk(node.otherwise);
          break;
        case "macro":
          macro(node.macro);
          break;
        case "callBlock":
          macro(node.caller);
          break;
      }
    }
  };
  walk(nodes);
  return names;
}

const NAMESPACED = /\{((slots|context)\.([^\n{}]*))\}/g;
/** A bare `{name}` placeholder (not inside `{{ }}`, which `str.format` reads as literal braces). */
const BARE_NAME = /(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})/g;

/**
 * Placeholders of a format template that Rasa never fills from the slots, so that it sends them
 * as written: `{slots.x}` or `{context.x}` (Rasa looks the whole text up as one name), and a
 * `{name}` that is no slot but a near miss of one (`{orderid}` beside a slot `order_id`). A
 * custom action's message may give such a name a value (`values`), so a name that resembles no
 * slot is left alone, and so is `value`, which rejection responses get.
 */
function reportUnfilledPlaceholders(variation: VariationInput, sources: NonNullable<VariationInput["templateSources"]>, slotNames: ReadonlySet<string>, diagnostics: DiagnosticBag): void {
  const check = (text: string | undefined, source: ScalarSource | undefined): void => {
    if (text === undefined || !source) return;
    const rangeOf = (match: RegExpMatchArray): SourceRange => valueSpanRange(source.range, source.node, text, { start: match.index!, end: match.index! + match[0].length });
    for (const match of text.matchAll(NAMESPACED)) {
      const [placeholder, key, namespace, rest] = match as unknown as [string, string, string, string];
      const hint = namespace === "slots" ? `write \`{${rest}}\`` : `use \`metadata: {template: jinja}\` and \`{{ context.${rest} }}\``;
      diagnostics.report("formatPlaceholderNotFilled", { placeholder, key, hint }, { range: rangeOf(match) });
    }
    for (const match of text.matchAll(BARE_NAME)) {
      const name = match[1]!;
      const slot = slotNames.has(name) || name === "value" ? undefined : closest(name, slotNames);
      if (slot !== undefined) diagnostics.report("placeholderNearSlot", { placeholder: match[0], slot }, { range: rangeOf(match), suggestion: `did you mean \`{${slot}}\`?` });
    }
  };
  check(variation.text, sources.text);
  variation.buttons.forEach((button, i) => {
    check(button.title, sources.buttons[i]?.title);
    check(button.payload, sources.buttons[i]?.payload);
  });
}

function identifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(id) ? `_${id}` : id;
}
