/**
 * The Jinja step of branch and rejection conditions, at compile time. Rasa renders a condition
 * as a Jinja template before pypred parses it; flowc supports the part of Jinja that conditions
 * use: holes `{{ path | filter }}` with dotted paths, literals and the string filters, comments
 * `{# … #}`, and `{% if %}` / `{% elif %}` / `{% else %}` / `{% endif %}` at the top level. Each
 * combination of `if` branches becomes one alternative condition text, compiled separately; the
 * generated code picks the alternative at run time.
 */
import { applyFilters } from "../../runtime/conditions/template.ts";
import type { ConditionSite } from "./ast.ts";

export interface JinjaHole {
  readonly path?: readonly string[];
  /** A literal rendered at compile time (`{{1}}`, `{{'x'}}`). */
  readonly literal?: string;
  readonly filters: readonly string[];
}

export type JinjaTest =
  | { readonly kind: "truthy"; readonly path: readonly string[]; readonly negated: boolean }
  | { readonly kind: "compare"; readonly path: readonly string[]; readonly operator: "==" | "!="; readonly value: string | number | boolean | null };

export interface Alternative {
  /** For each `if` block in order: the branch index taken (branches.length = none taken). */
  readonly choices: readonly number[];
  /** Condition text for pypred, with `{{__jinja.hN}}` standing for hole N. */
  readonly text: string;
}

export interface JinjaTemplate {
  readonly holes: readonly JinjaHole[];
  /** One entry per `if` block: the tests of its `if` and `elif` branches, in order. */
  readonly blocks: readonly (readonly JinjaTest[])[];
  readonly alternatives: readonly Alternative[];
}

/**
 * The one name a site's template is rendered with (conditions.md §7): a branch sees
 * `{"context": …}`, a rejection `{"slots": {slot: value}}`. Any other name is undefined there:
 * alone it renders as empty text (and is false in `{% if %}`), but reading an attribute of it raises.
 */
export function templateRoot(site: ConditionSite): "slots" | "context" {
  return site === "rejection" ? "slots" : "context";
}

export class JinjaError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** "syntax": Jinja itself refuses the template; "unsupported": valid Jinja flowc does not compile. */
    readonly kind: "syntax" | "unsupported" = "syntax",
  ) {
    super(message);
  }
}

export { SUPPORTED_FILTERS } from "../../runtime/conditions/template.ts";
import { SUPPORTED_FILTERS } from "../../runtime/conditions/template.ts";

/** Whether the text needs this module (anything beyond plain `{{ dotted.path }}` holes). */
export function needsJinja(text: string): boolean {
  return /\{[%#]/.test(text) || /\{\{(?![ \t\r\n]*[\p{ID_Start}_][\p{ID_Continue}]*(?:\.[\p{ID_Start}_][\p{ID_Continue}]*)*[ \t\r\n]*\}\})/u.test(text);
}

type Piece = { readonly kind: "text"; readonly text: string } | { readonly kind: "hole"; readonly index: number };
type Block = { readonly kind: "if"; readonly branches: Piece[][] };

export function parseJinja(source: string): JinjaTemplate {
  // Jinja drops one trailing newline and reads \r\n and a lone \r as \n.
  const text = source.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  const holes: JinjaHole[] = [];
  const blocks: JinjaTest[][] = [];
  const top: (Piece | Block)[] = [];
  let open: { block: Block; tests: JinjaTest[]; closedElse: boolean } | undefined;
  const emit = (piece: Piece): void => {
    if (open) open.block.branches[open.block.branches.length - 1]!.push(piece);
    else top.push(piece);
  };
  let at = 0;
  while (at < text.length) {
    const next = text.slice(at).search(/\{[{%#]/);
    if (next < 0) {
      emit({ kind: "text", text: text.slice(at) });
      break;
    }
    if (next > 0) emit({ kind: "text", text: text.slice(at, at + next) });
    const start = at + next;
    const marker = text[start + 1];
    if (marker === "#") {
      const end = text.indexOf("#}", start + 2);
      if (end < 0) throw new JinjaError("unterminated comment `{#`", start);
      at = end + 2;
      continue;
    }
    const close = marker === "{" ? "}}" : "%}";
    const end = findClose(text, start + 2, close);
    const inner = text.slice(start + 2, end).trim();
    at = end + 2;
    if (marker === "{") {
      holes.push(parseHole(inner, start));
      emit({ kind: "hole", index: holes.length - 1 });
      continue;
    }
    const [keyword = "", ...rest] = inner.split(/\s+/);
    const argument = rest.join(" ");
    if (keyword === "if") {
      if (open) throw new JinjaError("flowc supports `{% if %}` blocks only at the top level of a condition", start, "unsupported");
      const block: Block = { kind: "if", branches: [[]] };
      open = { block, tests: [parseTest(argument, start)], closedElse: false };
      top.push(block);
    } else if (keyword === "elif" || keyword === "else") {
      if (!open || open.closedElse) throw new JinjaError(`unexpected \`{% ${keyword} %}\``, start);
      if (keyword === "elif") open.tests.push(parseTest(argument, start));
      else open.closedElse = true;
      open.block.branches.push([]);
    } else if (keyword === "endif") {
      if (!open) throw new JinjaError("unexpected `{% endif %}`", start);
      blocks.push(open.tests);
      open = undefined;
    } else {
      throw new JinjaError(`\`{% ${keyword} %}\` is not supported in conditions (only if, elif, else, endif)`, start, "unsupported");
    }
  }
  if (open) throw new JinjaError("missing `{% endif %}`", text.length);
  return { holes, blocks, alternatives: expand(top, holes, blocks) };
}

function findClose(text: string, from: number, close: string): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (text.startsWith(close, i)) return i;
    else if (close === "}}" && char === "}") throw new JinjaError("unexpected `}`", i);
  }
  throw new JinjaError(quote ? `unexpected char '${quote}'` : `missing \`${close}\``, from);
}

const NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

function parsePath(text: string, offset: number): string[] {
  const parts = text.split(".").map((p) => p.trim());
  if (!parts.every((part) => NAME.test(part))) throw new JinjaError(`\`${text}\` is not a name flowc can render`, offset, "unsupported");
  return parts;
}

function parseHole(inner: string, offset: number): JinjaHole {
  const [expression = "", ...filterTexts] = inner.split("|").map((p) => p.trim());
  const filters = filterTexts.map((name) => {
    if (!SUPPORTED_FILTERS.has(name)) throw new JinjaError(`the filter \`${name}\` is not supported in conditions`, offset, "unsupported");
    return name;
  });
  if (expression === "") throw new JinjaError("an empty `{{ }}`", offset);
  const literal = literalValue(expression);
  if (literal !== undefined) return { literal: applyFilters(pythonStr(literal), filters), filters: [] };
  return { path: parsePath(expression, offset), filters };
}

function parseTest(argument: string, offset: number): JinjaTest {
  const compare = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(argument);
  if (compare) {
    const value = literalValue(compare[3]!.trim());
    if (value === undefined) throw new JinjaError(`\`${argument}\`: flowc compares only with a literal in \`{% if %}\``, offset, "unsupported");
    return { kind: "compare", path: parsePath(compare[1]!, offset), operator: compare[2] as "==" | "!=", value };
  }
  const negated = /^not\s+/.test(argument);
  return { kind: "truthy", path: parsePath(argument.replace(/^not\s+/, ""), offset), negated };
}

function literalValue(text: string): string | number | boolean | null | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^'[^']*'$|^"[^"]*"$/.test(text)) return text.slice(1, -1);
  if (/^(true|True)$/.test(text)) return true;
  if (/^(false|False)$/.test(text)) return false;
  if (/^(none|None)$/.test(text)) return null;
  return undefined;
}

function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function expand(top: readonly (Piece | Block)[], holes: readonly JinjaHole[], blocks: readonly (readonly JinjaTest[])[]): Alternative[] {
  let alternatives: { choices: number[]; pieces: Piece[] }[] = [{ choices: [], pieces: [] }];
  let blockIndex = 0;
  for (const item of top) {
    if (item.kind !== "if") {
      for (const alternative of alternatives) alternative.pieces.push(item);
      continue;
    }
    const tests = blocks[blockIndex++]!;
    const branches = item.branches.length > tests.length ? item.branches : [...item.branches, []];
    alternatives = alternatives.flatMap((alternative) => branches.map((branch, choice) => ({ choices: [...alternative.choices, choice], pieces: [...alternative.pieces, ...branch] })));
  }
  return alternatives.map(({ choices, pieces }) => ({
    choices,
    text: pieces.map((piece) => (piece.kind === "text" ? piece.text : holes[piece.index]!.literal ?? `{{__jinja.h${piece.index}}}`)).join(""),
  }));
}
