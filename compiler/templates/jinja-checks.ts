/**
 * The checks of an expression once it is read: int literals JavaScript would round, `random`
 * where there is no random source, and Jinja's `Markup` where it would behave unlike text;
 * and the walk over an expression's parts that they and the code generator share.
 */
import { isFloatLiteral, TemplateError, type Expr, type FilterName, type MacroDefinition, type NumberLiteral, type ParseOptions, type TemplateNode } from "./jinja-syntax.ts";

/**
 * Refuses an integer literal beyond 2^53, which JavaScript would round. (A float literal is
 * fine anywhere: a whole one, `1.0`, is compiled to a Python float the runtime prints as `1.0`.)
 */
export function checkNumbers(expr: Expr): void {
  switch (expr.kind) {
    case "literal": {
      const number = expr.number;
      if (!number || typeof expr.value !== "number") return;
      if (!isFloatLiteral(number.text) && !Number.isSafeInteger(expr.value)) {
        throw new TemplateError(`the integer \`${number.text}\` is beyond what flowc's templates hold exactly (2^53)`, "unsupported", number.at, number.end);
      }
      return;
    }
    case "list":
    case "tuple":
    case "concat":
      for (const item of expr.items) checkNumbers(item);
      return;
    case "attr":
    case "view":
      checkNumbers(expr.object);
      return;
    case "item":
      checkNumbers(expr.object);
      checkNumbers(expr.key);
      return;
    case "filter":
      checkNumbers(expr.value);
      for (const arg of expr.args) checkNumbers(arg);
      for (const [, arg] of expr.keywords ?? []) checkNumbers(arg);
      return;
    case "test":
      checkNumbers(expr.value);
      for (const arg of expr.args) checkNumbers(arg);
      return;
    case "not":
    case "unary":
      checkNumbers(expr.operand);
      return;
    case "and":
    case "or":
    case "compare":
    case "binary":
      checkNumbers(expr.left);
      checkNumbers(expr.right);
      return;
    case "condition":
      checkNumbers(expr.test);
      checkNumbers(expr.then);
      if (expr.otherwise) checkNumbers(expr.otherwise);
      return;
    case "call":
      checkNumbers(expr.callee);
      for (const arg of expr.args) checkNumbers(arg);
      for (const [, arg] of expr.keywords) checkNumbers(arg);
      return;
    case "method":
    case "global":
      if (expr.kind === "method") checkNumbers(expr.object);
      for (const arg of expr.args) checkNumbers(arg);
      for (const [, arg] of expr.keywords) checkNumbers(arg);
      return;
    case "slice":
      for (const part of [expr.object, expr.start, expr.stop, expr.step]) if (part) checkNumbers(part);
      return;
    case "dict":
      for (const [, value] of expr.entries) checkNumbers(value);
      return;
    case "name":
    case "missing":
    case "captured":
      return;
  }
}

/** The expressions an expression is made of (names, as Jinja's analysis meets them, are read in any of them). */
export function subExpressions(expr: Expr): readonly (Expr | undefined)[] {
  switch (expr.kind) {
    case "name":
    case "literal":
    case "missing":
    case "captured":
      return [];
    case "list":
    case "tuple":
    case "concat":
      return expr.items;
    case "dict":
      return expr.entries.map(([, value]) => value);
    case "attr":
    case "view":
      return [expr.object];
    case "item":
      return [expr.object, expr.key];
    case "slice":
      return [expr.object, expr.start, expr.stop, expr.step];
    case "call":
      return [expr.callee, ...expr.args, ...expr.keywords.map(([, value]) => value)];
    case "filter":
      return [expr.value, ...expr.args, ...(expr.keywords ?? []).map(([, value]) => value)];
    case "test":
      return [expr.value, ...expr.args];
    case "method":
      return [expr.object, ...expr.args, ...expr.keywords.map(([, value]) => value)];
    case "global":
      return [...expr.args, ...expr.keywords.map(([, value]) => value)];
    case "not":
    case "unary":
      return [expr.operand];
    case "and":
    case "or":
    case "compare":
    case "binary":
      return [expr.left, expr.right];
    case "condition":
      return [expr.test, expr.then, expr.otherwise];
  }
}

/** `| random` where there is no random source to draw from (conditions). */
function refuseRandom(expr: Expr, where: string): void {
  if (expr.kind === "filter" && expr.name === "random") throw new TemplateError(`the filter \`random\` is not supported in ${where}`, "unsupported", expr.at ?? 0, expr.end ?? 0);
  for (const part of subExpressions(expr)) if (part) refuseRandom(part, where);
}

/** The filters whose result is Jinja's `Markup`, a text whose `+` and `%` escape the other operand. */
export const MARKUP_FILTERS: ReadonlySet<FilterName> = new Set(["escape", "forceescape", "safe"]);

/** Filters whose result, printed, is the same for Jinja's `Markup` as for its text (and keeps it `Markup` or makes it plain text). */
const MARKUP_TRANSPARENT: ReadonlySet<FilterName> = new Set(["length", "wordcount", "striptags", "urlencode", "upper", "lower", "capitalize", "trim", "center", "string"]);

/** Filters whose result is a number, the same for Jinja's `Markup` as for its text, however it is used. */
const MARKUP_COUNTED: ReadonlySet<FilterName> = new Set(["length", "wordcount"]);

/**
 * Refuses `| escape` (`| e`) and `| forceescape` where their result, Jinja's `Markup`, would
 * behave unlike text (flowc has no Markup): anywhere but printed (by `{{ }}`, through `~`, an
 * inline `if`'s branches or the filters of {@link MARKUP_TRANSPARENT}) or tested for truth.
 */
function checkEscapes(expr: Expr, markupInvisible: boolean, where: string): void {
  if (expr.kind === "filter" && MARKUP_FILTERS.has(expr.name)) {
    if (!markupInvisible) throw new TemplateError(`\`${expr.name}\` whose result (Jinja's Markup, which escapes what \`+\` and \`%\` join to it) is used other than printed is not supported in ${where}`, "unsupported", expr.at ?? 0, expr.end ?? 0);
    checkEscapes(expr.value, true, where);
    return;
  }
  switch (expr.kind) {
    case "concat":
      for (const item of expr.items) checkEscapes(item, true, where);
      return;
    case "condition":
      checkEscapes(expr.test, true, where);
      checkEscapes(expr.then, markupInvisible, where);
      if (expr.otherwise) checkEscapes(expr.otherwise, markupInvisible, where);
      return;
    case "filter":
      checkEscapes(expr.value, MARKUP_COUNTED.has(expr.name) || (markupInvisible && MARKUP_TRANSPARENT.has(expr.name)), where);
      for (const part of subExpressions(expr).slice(1)) if (part) checkEscapes(part, false, where);
      return;
    default:
      for (const part of subExpressions(expr)) if (part) checkEscapes(part, false, where);
  }
}

/** An int literal, signed or not: `{{ 12345678901234567890 }}`. */
export function isIntegerLiteral(expr: Expr): expr is Extract<Expr, { kind: "literal" }> & { readonly number: NumberLiteral } {
  return expr.kind === "literal" && expr.number !== undefined && !isFloatLiteral(expr.number.text.replace(/^[-+]/, ""));
}

/**
 * The expressions of a template's statements, in the template's order, nested blocks and
 * macros included (a macro's parameter defaults, then its body); and, into `assigned`, the
 * names they assign (loop targets and `loop`, `{% set %}` and `{% with %}` names, macro names).
 */
export function statementExpressions(nodes: readonly TemplateNode[], assigned?: Set<string>): Expr[] {
  return nodes.flatMap((node): Expr[] => {
    switch (node.kind) {
      case "text":
        return [];
      case "output":
        return [node.expr, ...statementExpressions(node.block ?? [], assigned)];
      case "set":
        node.targets.forEach((target) => assigned?.add(target));
        return [node.value, ...statementExpressions(node.block ?? [], assigned)];
      case "setAttribute":
        return [node.namespace, node.value, ...statementExpressions(node.block ?? [], assigned)];
      case "with":
        node.assignments.forEach(([name]) => assigned?.add(name));
        return [...node.assignments.map(([, value]) => value), ...statementExpressions(node.body, assigned)];
      case "if":
        return [...node.branches.flatMap((branch) => [branch.test, ...statementExpressions(branch.body, assigned)]), ...statementExpressions(node.otherwise, assigned)];
      case "for":
        [...node.targets, "loop"].forEach((target) => assigned?.add(target));
        return [node.iterable, ...(node.test ? [node.test] : []), ...statementExpressions(node.body, assigned), ...statementExpressions(node.otherwise, assigned)];
      case "macro":
        assigned?.add(node.name);
        return macroExpressions(node.macro, assigned);
      case "callBlock":
        return [node.call, ...macroExpressions(node.caller, assigned)];
    }
  });
}

function macroExpressions(macro: MacroDefinition, assigned: Set<string> | undefined): Expr[] {
  return [...macro.parameters.flatMap((parameter) => (parameter.fallback ? [parameter.fallback] : [])), ...statementExpressions(macro.body, assigned)];
}

/** The checks of an expression the parser has read: its int literals (unless the caller checks them) and its Markup. */
export function checkExpression(expr: Expr, markupInvisible: boolean, options: ParseOptions): void {
  if (!options.bigIntegersChecked) checkNumbers(expr);
  if (!options.random) refuseRandom(expr, options.where);
  checkEscapes(expr, markupInvisible, options.where);
}
