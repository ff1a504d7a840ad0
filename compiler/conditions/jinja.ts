/**
 * The Jinja step of branch and rejection conditions, at compile time. Rasa renders a condition
 * as a Jinja template before pypred parses it (conditions.md §7). flowc reads the template with
 * the response templates' parser (compiler/templates/parse-jinja-template.ts: its expressions,
 * filters and tests, comments, whitespace control), allowing the `if` statements, nested or
 * not, `set` and `for` (a loop prints its text where it stands, as a hole does). Each way through the `{% if %}` blocks gives one condition text, with a marker
 * `{{__jinja.hN}}` for each `{{ }}` hole in it; each text is parsed by pypred's grammar at
 * compile time, and the generated code takes the way the tests choose at run time (the code of
 * the tests, of the holes and of the `set` values is the response templates' emitter's, over
 * runtime/templates.ts).
 */
import { blockCode, expressionCode } from "../templates/jinja-to-typescript.ts";
import { checkNumbers, isIntegerLiteral, statementExpressions, subExpressions as expressionParts } from "../templates/jinja-checks.ts";
import { TemplateError, type Expr, type ParseOptions, type TemplateNode } from "../templates/jinja-syntax.ts";
import { parseTemplate } from "../templates/parse-jinja-template.ts";
import * as templates from "../../runtime/templates.ts";
import type { ConditionSite } from "./ast.ts";

/** Offsets in the template text (the condition's read text, condition-text.ts). */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export interface JinjaHole {
  /** The expression of a `{{ }}`, or undefined for a `{% for %}` block ({@link block}). */
  readonly expr?: Expr;
  /** A `{% for %}` block, which prints its text where it stands as a hole does. */
  readonly block?: readonly TemplateNode[];
  /** Where the hole's expression is written (`slots . age | lower` in `{{ slots . age | lower }}`), and that text. */
  readonly span: TextSpan;
  readonly written: string;
  /** A dotted name alone (`context.a.b`): the conditions' own renderer prints it (a float slot's as a float). */
  readonly path?: readonly string[];
  /** The text of a hole that reads no name (`{{ 1 }}`, `{{ 'a' ~ 'b' }}`), rendered at compile time. */
  readonly literal?: string;
}

/** An `{% if %}` or `{% elif %}` test, or the value of a `{% set %}`; `span`: where it is written. */
export interface JinjaTest {
  readonly expr: Expr;
  readonly span: TextSpan;
}

/**
 * What rendering a template does, in Jinja's order: a condition text at the end (holes as
 * `{{__jinja.hN}}`); the choice an `{% if %}` block makes, with one way on for each test and a
 * last one for none holding; a hole printed where it stands (any but a literal and a dotted
 * name: it may raise, or read a name a `{% set %}` changes later); a `{% set %}`.
 */
export type Decision =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "if"; readonly tests: readonly JinjaTest[]; readonly branches: readonly Decision[] }
  | { readonly kind: "hole"; readonly index: number; readonly next: Decision }
  | { readonly kind: "set"; readonly targets: readonly string[]; readonly value: JinjaTest; readonly next: Decision };

export interface JinjaTemplate {
  readonly holes: readonly JinjaHole[];
  /** Every `{% if %}` and `{% elif %}` test, in the order written. */
  readonly tests: readonly JinjaTest[];
  /** The value of every `{% set %}`, in the order written. */
  readonly sets: readonly JinjaTest[];
  /** The names a `{% set %}` assigns. */
  readonly assigned: ReadonlySet<string>;
  readonly decision: Decision;
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
    readonly end: number = offset + 2,
  ) {
    super(message);
  }
}

/**
 * Whether the text needs this module: anything beyond plain `{{ dotted.path }}` holes, a hole
 * that is a literal's name (`{{ true }}` prints `True`, `{{ none }}` prints `None`) and one that
 * reads a Jinja global (`{{ range }}` prints `<class 'range'>`, which this module refuses).
 */
export function needsJinja(text: string): boolean {
  return /\{[%#]/.test(text) || /\{\{[ \t\r\n]*(?:true|True|false|False|none|None)[ \t\r\n]*\}\}/.test(text) || /\{\{[ \t\r\n]*(?:range|dict|namespace|joiner|cycler|lipsum)[ \t\r\n.}]/.test(text) || /\{\{(?![ \t\r\n]*[\p{ID_Start}_][\p{ID_Continue}]*(?:\.[\p{ID_Start}_][\p{ID_Continue}]*)*[ \t\r\n]*\}\})/u.test(text);
}

/** {@link parseJinja}, or undefined where the template does not parse (an error reported elsewhere). */
export function parseJinjaOrUndefined(source: string): JinjaTemplate | undefined {
  try {
    return parseJinja(source);
  } catch (error) {
    if (error instanceof JinjaError) return undefined;
    throw error;
  }
}

const CONDITIONS: ParseOptions = { where: "conditions", statements: ["if", "elif", "else", "endif", "set", "for", "endfor"], bigIntegersChecked: true };

/**
 * Ways through the `{% if %}` blocks beyond which flowc compiles a template as one block whose
 * text is read at run time (as a hole's that changes the condition's tokens, with FLW3108's
 * warning), not as one condition text for each way (blocks one after another multiply them).
 */
const MAX_ALTERNATIVES = 256;

class TooManyTexts extends Error {}

/**
 * Parses a condition's template: `source` is the condition's read text (condition-text.ts),
 * whose line breaks are already the `\n` Jinja's lexer makes of them, so that offsets into the
 * template are offsets into that text.
 */
export function parseJinja(source: string): JinjaTemplate {
  try {
    return readTemplate(source);
  } catch (error) {
    if (error instanceof TemplateError) throw new JinjaError(error.message, error.start, error.kind, error.end);
    throw error;
  }
}

function readTemplate(source: string): JinjaTemplate {
  const nodes = parseTemplate(source, CONDITIONS);
  const assigned = new Set<string>();
  const collectAssigned = (list: readonly TemplateNode[]): void => {
    for (const node of list) {
      if (node.kind === "set") for (const name of node.targets) assigned.add(name);
      else if (node.kind === "if") [...node.branches.map((branch) => branch.body), node.otherwise].forEach(collectAssigned);
    }
  };
  collectAssigned(nodes);
  const holes = new Map<TemplateNode, number>();
  const holeList: JinjaHole[] = [];
  const tests = new Map<Expr, JinjaTest>();
  const sets = new Map<TemplateNode, JinjaTest>();
  const collect = (list: readonly TemplateNode[]): void => {
    for (const node of list) {
      if (node.kind === "output") {
        holes.set(node, holeList.length);
        holeList.push(hole(node, source, assigned));
        checkBigIntegers(node.expr, "output");
      } else if (node.kind === "for") {
        holes.set(node, holeList.length);
        holeList.push({ block: [node], span: { start: node.at, end: node.end }, written: source.slice(node.at, node.end) });
        statementExpressions([node]).forEach(checkNumbers);
      } else if (node.kind === "set") {
        sets.set(node, { expr: node.value, span: { start: node.at, end: node.end } });
        checkNumbers(node.value);
      } else if (node.kind === "setAttribute") {
        // (Inside a `{% for %}` block, which is printed as a hole is, it is the response templates' own.)
        const at = node.namespace.kind === "name" ? node.namespace.at : 0;
        throw new JinjaError("`{% set ns.name = … %}` outside a `{% for %}` loop is not supported in conditions", at, "unsupported", at + 1);
      } else if (node.kind === "if") {
        for (const branch of node.branches) {
          tests.set(branch.test, { expr: branch.test, span: { start: branch.at, end: branch.end } });
          checkBigIntegers(branch.test, "test");
          collect(branch.body);
        }
        collect(node.otherwise);
      }
    }
  };
  collect(nodes);
  checkGlobalValues(nodes);
  let leaves = 0;
  /** The decision from here on: `queue` holds the nodes still to render, innermost list first; `prefix` what is rendered so far. */
  const decide = (queue: readonly (readonly TemplateNode[])[], prefix: string): Decision => {
    let text = prefix;
    for (let q = 0; q < queue.length; q++) {
      const list = queue[q]!;
      for (let i = 0; i < list.length; i++) {
        const node = list[i]!;
        const rest = (): (readonly TemplateNode[])[] => [list.slice(i + 1), ...queue.slice(q + 1)];
        if (node.kind === "text") text += node.text;
        else if (node.kind === "output" || node.kind === "for") {
          const index = holes.get(node)!;
          const { literal, path } = holeList[index]!;
          text += literal ?? `{{__jinja.h${index}}}`;
          if (literal === undefined && path === undefined) return { kind: "hole", index, next: decide(rest(), text) };
        } else if (node.kind === "set") return { kind: "set", targets: node.targets, value: sets.get(node)!, next: decide(rest(), text) };
        else if (node.kind === "if") {
          const bodies = [...node.branches.map((branch) => branch.body), node.otherwise];
          return { kind: "if", tests: node.branches.map((branch) => tests.get(branch.test)!), branches: bodies.map((body) => decide([body, ...rest()], text)) };
        }
      }
    }
    if (++leaves > MAX_ALTERNATIVES) throw new TooManyTexts();
    return { kind: "text", text };
  };
  let decision: Decision;
  try {
    decision = decide([nodes], "");
  } catch (error) {
    if (!(error instanceof TooManyTexts)) throw error;
    // The whole template is then one block printed as a hole is, its text read at run time.
    const index = holeList.length;
    holeList.push({ block: nodes, span: { start: 0, end: source.length }, written: source });
    statementExpressions(nodes).forEach(checkNumbers);
    decision = { kind: "hole", index, next: { kind: "text", text: `{{__jinja.h${index}}}` } };
  }
  return { holes: holeList, tests: [...tests.values()], sets: [...sets.values()], assigned, decision };
}

/**
 * What a template's code reads for a name a `{% set %}` assigns: the name's value so far on
 * the way taken (the variable generated code holds it in).
 */
export type Assignments = ReadonlyMap<string, string>;

/**
 * Walks the way through `template` that `choose` takes, in Jinja's order: `hole` is asked for
 * the text of each hole printed where it stands, `set` for the assignments after a
 * `{% set %}`. The condition text at the end, and the texts of those holes by index.
 */
export function walkDecision<E>(
  template: JinjaTemplate,
  start: E,
  visit: { readonly choose: (tests: readonly JinjaTest[], env: E) => number; readonly hole: (index: number, env: E) => string; readonly set: (targets: readonly string[], value: JinjaTest, env: E) => E },
): { readonly text: string; readonly holes: ReadonlyMap<number, string>; readonly env: E } {
  const printed = new Map<number, string>();
  let env = start;
  let decision = template.decision;
  for (;;) {
    if (decision.kind === "text") return { text: decision.text, holes: printed, env };
    if (decision.kind === "if") decision = decision.branches[visit.choose(decision.tests, env)]!;
    else if (decision.kind === "hole") {
      printed.set(decision.index, visit.hole(decision.index, env));
      decision = decision.next;
    } else {
      env = visit.set(decision.targets, decision.value, env);
      decision = decision.next;
    }
  }
}

function hole(node: Extract<TemplateNode, { kind: "output" }>, source: string, assigned: ReadonlySet<string>): JinjaHole {
  const span = { start: node.at, end: node.end };
  const { expr } = node;
  const written = source.slice(node.at, node.end);
  const path = dottedPath(expr);
  if (path && !assigned.has(path[0]!)) return { expr, span, written, path };
  if (readsNames(expr, assigned)) return { expr, span, written };
  const literal = constantText(expr);
  // (A brace stays out of the texts parsed at compile time, where it could read as part of a
  // template tag: such a hole is printed at run time, as one that reads a name is.)
  if (literal === undefined || /[{}]/.test(literal)) return { expr, span, written };
  return { expr, span, written, literal };
}

/**
 * Refuses an int literal beyond 2^53 (which a JavaScript number rounds) where its value would
 * matter: allowed are one printed through string filters only (`{{ 12345678901234567890 | lower }}`,
 * printed from its written text) and one whose truth alone a test reads (never 0).
 */
function checkBigIntegers(expr: Expr, use: "output" | "test"): void {
  let inner = expr;
  if (use === "output") while (inner.kind === "filter" && STRING_FILTERS.has(inner.name) && inner.args.length === 0) inner = inner.value;
  else while (inner.kind === "not" || inner.kind === "and" || inner.kind === "or") {
    if (inner.kind === "not") inner = inner.operand;
    else {
      checkBigIntegers(inner.left, "test");
      inner = inner.right;
    }
  }
  if (!isIntegerLiteral(inner)) checkNumbers(inner);
}

/** Filters whose result for a text of digits (and a sign) is that text: a big int's digits go through them unchanged. */
const STRING_FILTERS: ReadonlySet<string> = new Set(["lower", "upper", "title", "capitalize", "trim", "string"]);

/** `a.b.c` (attributes of a name) as its parts. */
function dottedPath(expr: Expr): string[] | undefined {
  if (expr.kind === "name") return [expr.name];
  if (expr.kind !== "attr") return undefined;
  const object = dottedPath(expr.object);
  return object && [...object, expr.name];
}

/** The text a hole that reads no name prints, or undefined when rendering it raises (then it raises at run time too). */
function constantText(expr: Expr): string | undefined {
  // An int literal prints exactly, even beyond what a JavaScript number holds (filters of {@link STRING_FILTERS} leave its digits as they are).
  let inner = expr;
  while (inner.kind === "filter" && STRING_FILTERS.has(inner.name) && inner.args.length === 0) inner = inner.value;
  if (isIntegerLiteral(inner)) {
    const written = inner.number.text.replace(/_/g, "");
    const magnitude = BigInt(written.replace(/^[-+]/, ""));
    return (written.startsWith("-") && magnitude !== 0n ? "-" : "") + magnitude.toString();
  }
  try {
    return String(evaluateExpression(expr, "output", {}));
  } catch {
    return undefined;
  }
}

/** Jinja's globals: a condition may call them, not read them as values. */
const JINJA_GLOBALS: ReadonlySet<string> = new Set(["range", "dict", "namespace", "joiner", "cycler", "lipsum"]);

/**
 * Refuses a global's name read as a value where no `{% set %}` or loop gives it one (Jinja's is
 * defined, true and prints as its class, `<class 'range'>`; flowc has no such value).
 */
function checkGlobalValues(nodes: readonly TemplateNode[]): void {
  const assigned = new Set<string>();
  const visit = (expr: Expr): void => {
    if (expr.kind === "name" && JINJA_GLOBALS.has(expr.name) && !assigned.has(expr.name)) {
      throw new JinjaError(`Jinja's global \`${expr.name}\` read as a value (not called) is not supported in conditions`, expr.at, "unsupported", expr.at + expr.name.length);
    }
    subExpressions(expr).forEach(visit);
  };
  statementExpressions(nodes, assigned).forEach(visit);
}

/**
 * The expressions a hole reads (those of a `{% for %}` block, but for names the block assigns
 * itself, whose reads {@link namedReads} leaves out when given them).
 */
export function holeReads(hole: JinjaHole): { readonly expressions: readonly Expr[]; readonly own: ReadonlySet<string> } {
  const own = new Set<string>();
  return { expressions: hole.block ? statementExpressions(hole.block, own) : [hole.expr!], own };
}

/** The sub-expressions of `expr`. */
function subExpressions(expr: Expr): readonly Expr[] {
  return expressionParts(expr).filter((part): part is Expr => part !== undefined);
}

/** Whether `expr` reads a name: a variable, or a global's name that a `{% set %}` gives a value (`{% set range = 1 %}{{ range(3) }}` calls the 1). */
function readsNames(expr: Expr, assigned: ReadonlySet<string>): boolean {
  return expr.kind === "name" || (expr.kind === "global" && assigned.has(expr.name)) || subExpressions(expr).some((part) => readsNames(part, assigned));
}

/**
 * The places in `expr` that read an attribute or item of a name (`foo.bar`, `foo['bar']`,
 * `foo.keys()`), with the name and where the read is written.
 */
export function namedReads(expr: Expr): { readonly name: string; readonly written: readonly string[]; readonly span: TextSpan }[] {
  const own = (expr.kind === "attr" || expr.kind === "item" || expr.kind === "view") && expr.object.kind === "name" ? [read(expr, expr.object)] : [];
  return [...own, ...subExpressions(expr).flatMap(namedReads)];
}

function read(expr: Extract<Expr, { kind: "attr" | "item" | "view" }>, name: Extract<Expr, { kind: "name" }>): { name: string; written: string[]; span: TextSpan } {
  const end = expr.kind === "view" ? name.at + name.name.length : (expr.end ?? name.at + name.name.length);
  const key = expr.kind === "item" && expr.key.kind === "literal" ? expr.key.value : undefined;
  const part = expr.kind === "attr" ? expr.name : expr.kind === "view" ? `${expr.method}()` : typeof key === "string" ? key : "[…]";
  return { name: name.name, written: [name.name, part], span: { start: name.at, end } };
}

/**
 * How generated code reads a name at a site: the root from the predicate's parameter (a
 * rejection of a float slot with its whole number as a Python float, which Rasa's `float()`
 * made it), any other name as Jinja's undefined.
 */
export function siteNameCode(site: ConditionSite, floatSlot: string | undefined, assignments: Assignments = new Map()): (name: string) => string {
  const root = templateRoot(site);
  return (name) => {
    const assigned = assignments.get(name);
    if (assigned !== undefined) return assigned;
    if (name !== root) return `$t.undefinedName(${JSON.stringify(name)})`;
    return root === "slots" && floatSlot !== undefined ? `$t.floatSlot(slots, ${JSON.stringify(floatSlot)})` : root;
  };
}

/** The code printing a hole (`{{ … }}`, or a `{% for %}` block) at a site, as Jinja prints it. */
export function holeCode(hole: JinjaHole, site: ConditionSite, floatSlot: string | undefined, assignments?: Assignments): string {
  const names = siteNameCode(site, floatSlot, assignments);
  return hole.block ? blockCode(hole.block, names) : expressionCode(hole.expr!, "output", names);
}

/** The code of an `{% if %}` test at a site, a boolean; or of a `{% set %}` value (`use`: "value"). */
export function testCode(test: JinjaTest, site: ConditionSite, floatSlot: string | undefined, assignments?: Assignments, use: "test" | "value" = "test"): string {
  return expressionCode(test.expr, use, siteNameCode(site, floatSlot, assignments));
}

/** The variable generated code prints the hole `index` into where the hole stands (see {@link Decision}). */
export function holeVariable(index: number): string {
  return `j${index}`;
}

/** What a hole prints, evaluated at compile time as {@link evaluateExpression} evaluates. */
export function evaluateHole(hole: JinjaHole, variables: Readonly<Record<string, unknown>>, helpers: object = templates): string {
  if (!hole.block) return String(evaluateExpression(hole.expr!, "output", variables, helpers));
  return String(run(blockCode(hole.block, () => undefined), variables, helpers));
}

/**
 * Evaluates an expression at compile time (a constant, or as Rasa's validator renders it) with
 * the run-time helpers, `helpers` standing in for some of them; names are read from `variables`.
 */
export function evaluateExpression(expr: Expr, use: "output" | "test" | "value", variables: Readonly<Record<string, unknown>>, helpers: object = templates): unknown {
  return run(expressionCode(expr, use, () => undefined), variables, helpers);
}

function run(code: string, variables: Readonly<Record<string, unknown>>, helpers: object): unknown {
  return (new Function("$t", "v", `"use strict"; return ${code};`) as (t: object, v: object) => unknown)(helpers, variables);
}
