/**
 * A condition's text to compiled predicate code: the Jinja step (jinja.ts) when the text needs
 * more than plain `{{ path }}` holes, then parsing and compile-predicate.ts for each alternative.
 * The code generator and `flowc eval` both go through here.
 */
import type { ConditionSite, Expression, Span } from "./ast.ts";
import { readText, writtenOffset } from "./condition-text.ts";
import type { TemplateHole } from "./ast.ts";
import { compilePredicate, compileRenderedText, type CompiledPredicate, type RegexCompiler, type ReparseHole } from "./compile-predicate.ts";
import { holeCode, holeVariable, JinjaError, needsJinja, parseJinja, testCode, type Assignments, type Decision } from "./jinja.ts";
import { parseCondition, PLAIN_HOLE_PATTERN, type ConditionSyntaxError } from "./parse-condition.ts";
import { pythonRegexCompiler, RegexNotCompiled, type SuperLinearRegex } from "./regex-compiler.ts";

export interface ConditionCompileError {
  /** lex/syntax/ast/jinja: pypred or Jinja refuse the text; unsupported: flowc cannot compile it exactly. */
  readonly kind: ConditionSyntaxError["kind"] | "jinja" | "unsupported";
  readonly message: string;
  readonly span: Span;
}

export type ConditionCompilation =
  | { readonly ok: true; readonly compiled: CompiledPredicate; readonly superLinear: readonly SuperLinearRegex[] }
  | { readonly ok: false; readonly error: ConditionCompileError };

export interface CompileConditionOptions {
  /** Prefix of the names of hoisted constants, unique within the module. */
  readonly prefix?: string;
  /** TypeScript (for generated modules) rather than JavaScript (for `flowc eval`). */
  readonly typed?: boolean;
  /** The condition's syntax tree when the caller has already parsed it. */
  readonly ast?: Expression | undefined;
  /** At a rejection: the collected slot when it is a float slot (`{{slots.x}}` then renders `18.0`). */
  readonly floatSlot?: string | undefined;
}

/** Compiles a condition, translating its regexes from Python's dialect. */
export function compileCondition(text: string, site: ConditionSite, options: CompileConditionOptions = {}): ConditionCompilation {
  // The Jinja step's line breaks (condition-text.ts) change quoted strings and patterns that
  // contain a `\r`. The passes hand over the text already read so; for a written text (`flowc
  // eval`), spans found in the read text are mapped back to the written one.
  const read = readText(text, site);
  if (read !== text) return mapSpans(compileText(read, site, { ...options, ast: undefined }), writtenOffset(text));
  return compileText(text, site, options);
}

function compileText(text: string, site: ConditionSite, options: CompileConditionOptions): ConditionCompilation {
  const superLinear: SuperLinearRegex[] = [];
  try {
    const result = compileWith(text, site, pythonRegexCompiler(superLinear), options.prefix ?? "", options.typed ?? false, options.ast, options.floatSlot);
    return result.ok ? { ok: true, compiled: result.compiled, superLinear } : result;
  } catch (error) {
    if (!(error instanceof RegexNotCompiled)) throw error;
    const kind = error.kind === "invalid" ? "ast" : "unsupported";
    const message = error.kind === "invalid" ? `the regex does not compile in Python: ${error.message}` : `the regex cannot be expressed in JavaScript with the same meaning: ${error.message}`;
    return { ok: false, error: { kind, message, span: error.span } };
  }
}

function mapSpans(compilation: ConditionCompilation, raw: (offset: number) => number): ConditionCompilation {
  const span = (s: Span): Span => ({ start: raw(s.start), end: raw(s.end) });
  if (!compilation.ok) return { ok: false, error: { ...compilation.error, span: span(compilation.error.span) } };
  const { compiled } = compilation;
  return {
    ok: true,
    compiled: { ...compiled, reparseHoles: compiled.reparseHoles.map((hole) => ({ ...hole, span: span(hole.span) })) },
    superLinear: compilation.superLinear.map((regex) => ({ ...regex, span: span(regex.span) })),
  };
}

type Compiled = { readonly ok: true; readonly compiled: CompiledPredicate } | { readonly ok: false; readonly error: ConditionCompileError };

function compileWith(text: string, site: ConditionSite, regex: RegexCompiler, prefix: string, typed: boolean, ast: Expression | undefined, floatSlot: string | undefined): Compiled {
  const templates = site !== "guard";
  if (!templates || !needsJinja(text)) {
    if (ast) return { ok: true, compiled: compilePredicate(ast, { site, text, regex, prefix, typed, floatSlot }) };
    const parsed = parseCondition(text, { templates });
    if (!parsed.ok) {
      const holes = templates ? plainHoles(text) : undefined;
      if (holes === undefined) return { ok: false, error: parsed.error };
      return { ok: true, compiled: compileRenderedText(holes, { site, text, regex, prefix, typed, floatSlot }) };
    }
    return { ok: true, compiled: compilePredicate(parsed.ast, { site, text, regex, prefix, typed, floatSlot }) };
  }
  let template;
  try {
    template = parseJinja(text);
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    return { ok: false, error: { kind: error.kind === "syntax" ? "jinja" : "unsupported", message: error.message, span: { start: error.offset, end: error.end } } };
  }
  const hoisted: { name: string; code: string }[] = [];
  const reparseHoles: ReparseHole[] = [];
  let count = 0;
  /** An alternative's condition text as the code that reads it, its holes rendered first. */
  const alternativeCode = (alternative: string): string => {
    const options = { site, text: alternative, regex, prefix: `${prefix}a${count++}_`, jinjaHoles: template.holes, typed, floatSlot };
    const parsed = parseCondition(alternative, { templates: true });
    const holes = parsed.ok ? undefined : plainHoles(alternative);
    if (!parsed.ok && holes === undefined) return `return $.raiseInvalid(${JSON.stringify(parsed.error.message)});`;
    const compiled = parsed.ok ? compilePredicate(parsed.ast, options) : compileRenderedText(holes!, options);
    hoisted.push(...compiled.hoisted);
    // Spans inside an alternative's text do not point into the written condition.
    reparseHoles.push(...compiled.reparseHoles.map((hole) => ({ ...hole, span: { start: 0, end: text.length } })));
    return compiled.body;
  };
  let variables = 0;
  /**
   * A decision as code, in Jinja's order: nested `if`s on its tests (a nested block's tests only
   * where its branch is taken), a hole printed where it stands into its variable, a
   * `{% set %}` into a new variable the code after it reads for the name.
   */
  const decisionCode = (decision: Decision, assignments: Assignments): string => {
    switch (decision.kind) {
      case "text":
        return alternativeCode(decision.text);
      case "if": {
        const branches = decision.tests.map((test, i) => `${i === 0 ? "if" : " else if"} (${testCode(test, site, floatSlot, assignments)}) {\n${decisionCode(decision.branches[i]!, assignments)}\n}`);
        return `${branches.join("")} else {\n${decisionCode(decision.branches[decision.tests.length]!, assignments)}\n}`;
      }
      case "hole": {
        const rest = decisionCode(decision.next, assignments);
        const name = holeVariable(decision.index);
        return [declaration([name], holeCode(template.holes[decision.index]!, site, floatSlot, assignments), rest, typed ? ": string" : ""), rest].filter((line) => line !== "").join("\n");
      }
      case "set": {
        const n = ++variables;
        // (`x_set1`: a `{% for %}` hole's code names its own variables `x_1`, which must not hide these.)
        const names = decision.targets.map((target) => `${target.replace(/[^\p{ID_Continue}$]/gu, "_")}_set${n}`);
        const after = new Map([...assignments, ...decision.targets.map((target, i) => [target, names[i]!] as const)]);
        const rest = decisionCode(decision.next, after);
        const value = testCode(decision.value, site, floatSlot, assignments, "value");
        return [declaration(names, names.length === 1 ? value : `$t.unpack(${value}, ${names.length})`, rest, ""), rest].filter((line) => line !== "").join("\n");
      }
    }
  };
  return { ok: true, compiled: { body: decisionCode(template.decision, new Map()), hoisted, reparseHoles } };
}

/**
 * `const name = value;` (`const [a, b] = value;` for several names), leaving out a name the code
 * after it never reads (generated modules are checked with `noUnusedLocals`); the value is still
 * computed, since computing it may raise, as in Jinja.
 */
function declaration(names: readonly string[], value: string, after: string, type: string): string {
  const code = after.replace(/"(?:[^"\\]|\\.)*"/g, '""'); // (words in string literals are no reads)
  const read = names.map((name) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`, "u").test(code));
  if (!read.some(Boolean)) return LITERAL.test(value) ? "" : `${value};`;
  if (names.length === 1) return `const ${names[0]}${type} = ${value};`;
  const kept = names.slice(0, read.lastIndexOf(true) + 1).map((name, i) => (read[i] ? name : ""));
  return `const [${kept.join(", ")}] = ${value};`;
}

/** The code of a literal, whose computing cannot raise. */
const LITERAL = /^(?:-?\d[\d.e+-]*|"(?:[^"\\]|\\.)*"|true|false|null)$/;

const PLAIN_HOLE = new RegExp(PLAIN_HOLE_PATTERN, "gu");

/**
 * The `{{ dotted.path }}` holes of a condition text, when it has some and nothing else of Jinja
 * (what else there is, flowc reports); else undefined.
 */
function plainHoles(text: string): TemplateHole[] | undefined {
  const holes: TemplateHole[] = [];
  for (const found of text.matchAll(PLAIN_HOLE)) {
    holes.push({ kind: "hole", path: found[1]!.split("."), span: { start: found.index, end: found.index + found[0].length } });
  }
  if (holes.length === 0 || /\{[{%#]/.test(text.replace(PLAIN_HOLE, ""))) return undefined;
  return holes;
}
