/**
 * Compiles a condition's syntax tree into the body of a plain JavaScript function
 * `(slots, context) => boolean` with pypred's semantics (shared/spec/conditions.md), calling the
 * helpers of runtime/conditions/pypred.ts through the namespace `$`. Regexes and constant set
 * literals are hoisted out of the function so that nothing is built or parsed per call.
 *
 * A predicate returns true or false, or throws `ConditionError` where pypred raises (or, for a
 * condition with Jinja holes, where the rendered text is not a valid condition); each call
 * site maps that as Rasa does.
 *
 * Jinja holes (`{{context.collect}}`) are rendered with Python's `str()` and spliced into their
 * token. When the rendered text keeps the token's kind (a word stays one word, a quoted string
 * keeps its quotes), the compiled code runs; otherwise the whole rendered condition goes to the
 * runtime's small fallback parser, and the compiler warns about the condition.
 */
import type { ConditionSite, Expression, MatchesNode, SetNode, TemplatedText, TemplateHole, WordNode } from "./ast.ts";
import { holeVariable, templateRoot, type JinjaHole } from "./jinja.ts";
import { unwrapGroups } from "./walk.ts";

export interface HoistedRegex {
  readonly name: string;
  readonly source: string;
  readonly flags: string;
}

export interface CompiledPredicate {
  /** Statements of the function body, ending in a `return`. */
  readonly body: string;
  /** Constants the body refers to: `const NAME = CODE;` at module level. */
  readonly hoisted: readonly { readonly name: string; readonly code: string }[];
  /** Holes whose value can change the condition's tokens (then the fallback parser runs). */
  readonly reparseHoles: readonly ReparseHole[];
}

export interface ReparseHole {
  /** The hole as written, e.g. `context.collect`. */
  readonly path: string;
  /** Offsets of the hole in the condition text. */
  readonly span: { readonly start: number; readonly end: number };
  /** What the rendered value must look like for the compiled code to apply. */
  readonly shape: string;
  /** The dotted name the hole reads (`["context", "collect"]`), when it reads a name alone. */
  readonly read?: readonly string[];
  /** For a hole inside a word (`slots.{{context.collect}}`): the word's text around the hole. */
  readonly word?: { readonly prefix: string; readonly suffix: string };
}

export interface RegexCompiler {
  /** The JavaScript regex for a `matches` node whose pattern has no holes. */
  (node: MatchesNode, pattern: string): { readonly source: string; readonly flags: string };
}

export interface CompilePredicateOptions {
  readonly site: ConditionSite;
  /** The condition text, for the fallback path of templated conditions. */
  readonly text: string;
  readonly regex: RegexCompiler;
  /** Prefix for hoisted names, unique per predicate in a module (e.g. `p3_`). */
  readonly prefix: string;
  /** Holes that jinja.ts took out of the text, referred to as `{{__jinja.hN}}`. */
  readonly jinjaHoles?: readonly JinjaHole[];
  /** Emit TypeScript (typed temporaries) rather than JavaScript. */
  readonly typed?: boolean;
  /** At a rejection: the collected slot when it is a float slot (its value is then a Python float). */
  readonly floatSlot?: string | undefined;
}

export function compilePredicate(ast: Expression, options: CompilePredicateOptions): CompiledPredicate {
  return new PredicateCompiler(options).compile(ast);
}

/**
 * For a templated condition that does not parse with its holes read as values: what a hole
 * renders may still make it parse (an empty text, an operator, several tokens), so the code
 * renders every hole and hands the rendered text to the runtime's interpreter, as Rasa hands it
 * to pypred.
 */
export function compileRenderedText(holes: readonly TemplateHole[], options: CompilePredicateOptions): CompiledPredicate {
  return new PredicateCompiler(options).compileRendered(holes);
}

class PredicateCompiler {
  private readonly hoisted: { name: string; code: string }[] = [];
  private readonly holes: { hole: TemplateHole; name: string }[] = [];
  private readonly checks: string[] = [];
  private readonly reparseHoles: ReparseHole[] = [];
  private temps = 0;
  /** What TypeScript knows at the point being compiled about operands compared with literals. */
  private facts: Facts = new Map();
  /** The comparisons compiled to `===`/`!==`, which TypeScript narrows by. */
  private readonly narrowing = new Map<Expression, { operand: string; literal: string; equal: boolean }>();

  constructor(private readonly options: CompilePredicateOptions) {}

  compile(ast: Expression): CompiledPredicate {
    const result = this.boolean(ast);
    // Rendering the holes may take temporaries too: render them before declaring those.
    const holeLines = this.holeLines();
    const lines: string[] = [];
    const type = this.options.typed ? ": unknown" : "";
    if (this.temps > 0) lines.push(`let ${Array.from({ length: this.temps }, (_, i) => `t${i}${type}`).join(", ")};`);
    lines.push(...holeLines);
    if (this.checks.length > 0) {
      lines.push(`if (!(${this.checks.join(" && ")})) return $.evaluateText(${this.renderedText()}, ${this.documentCode()}, ${this.options.site === "rejection" ? "true" : "false"});`);
    }
    lines.push(`return ${result};`);
    return { body: lines.join("\n"), hoisted: this.hoisted, reparseHoles: this.reparseHoles };
  }

  compileRendered(holes: readonly TemplateHole[]): CompiledPredicate {
    for (const hole of holes) {
      this.holeName(hole);
      this.noteReparse(hole, "a value that makes the condition parse");
    }
    const lines = this.holeLines();
    if (this.temps > 0) lines.unshift(`let ${Array.from({ length: this.temps }, (_, i) => `t${i}${this.options.typed ? ": unknown" : ""}`).join(", ")};`);
    lines.push(`return $.evaluateText(${this.renderedText()}, ${this.documentCode()}, ${this.options.site === "rejection" ? "true" : "false"});`);
    return { body: lines.join("\n"), hoisted: this.hoisted, reparseHoles: this.reparseHoles };
  }

  /**
   * Whether `operand === literal` may be written so. TypeScript narrows the operand by such a
   * comparison and then refuses one that cannot hold on the narrowed type
   * (`slots.tier === "gold" && slots.tier === "silver"`), which pypred evaluates like any
   * other; there the general helper, which gives the same result, is called instead.
   */
  private mayNarrow(operand: string, literal: string): boolean {
    const known = this.facts.get(operand);
    return known === undefined || ((known.equal === undefined || known.equal === literal) && !known.excluded.includes(literal));
  }

  /** Compiles `node` with what TypeScript knows when `condition` had the value `sense`. */
  private after(condition: Expression, sense: boolean, node: Expression): string {
    const saved = this.facts;
    this.facts = mergeFacts(saved, this.factsOf(condition, sense));
    const code = this.boolean(node);
    this.facts = saved;
    return code;
  }

  /** What TypeScript knows about operands once `node`, compiled already, has the value `sense`. */
  private factsOf(node: Expression, sense: boolean): Facts {
    switch (node.kind) {
      case "group":
        return this.factsOf(node.expression, sense);
      case "not":
        return this.factsOf(node.operand, !sense);
      case "and":
        return sense ? mergeFacts(this.factsOf(node.left, true), this.factsOf(node.right, true)) : new Map();
      case "or":
        return sense ? new Map() : mergeFacts(this.factsOf(node.left, false), this.factsOf(node.right, false));
      case "compare": {
        const narrowing = this.narrowing.get(node);
        if (!narrowing) return new Map();
        const fact = narrowing.equal === sense ? { equal: narrowing.literal, excluded: [] } : { excluded: [narrowing.literal] };
        return new Map([[narrowing.operand, fact]]);
      }
      default:
        return new Map();
    }
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  private hoist(kind: string, code: string): string {
    const existing = this.hoisted.find((h) => h.code === code);
    if (existing) return existing.name;
    const name = `${this.options.prefix}${kind}${this.hoisted.length}`;
    this.hoisted.push({ name, code });
    return name;
  }

  /** An expression producing a real boolean. */
  private boolean(node: Expression): string {
    return producesBoolean(node) ? this.value(node) : `$.truthy(${this.value(node)})`;
  }

  /** An expression producing the pypred value of the node. */
  private value(node: Expression): string {
    switch (node.kind) {
      case "group":
        return this.value(node.expression);
      case "and":
        return `(${this.boolean(node.left)} && ${this.after(node.left, true, node.right)})`;
      case "or":
        return `(${this.boolean(node.left)} || ${this.after(node.left, false, node.right)})`;
      case "not":
        return `!${this.boolean(node.operand)}`;
      case "compare":
        return this.compare(node, node.operator, node.left, node.right);
      case "contains": {
        const left = unwrapGroups(node.left);
        if (left.kind === "set" && isConstantSet(left)) return `${this.value(left)}.contains(${this.value(node.right)})`;
        const t = this.temp();
        return `($.canContain(${t} = ${this.value(node.left)}) && $.contains(${t}, ${this.value(node.right)}))`;
      }
      case "matches":
        return this.matches(node);
      case "number":
        return numberLiteral(node.value);
      case "string":
        return this.text(node.value, node.quote);
      case "constant":
        return node.value === "undefined" ? "undefined" : node.value === "empty" ? "$.EMPTY" : String(node.value);
      case "word":
        return this.word(node);
      case "regex":
        return this.lookupText([node.text]); // a regex token anywhere but after `matches` is a lookup
      case "set":
        return this.set(node);
    }
  }

  private compare(node: Expression, operator: string, leftNode: Expression, rightNode: Expression): string {
    const left = this.value(leftNode);
    const right = this.value(rightNode);
    const literal = unwrapGroups(rightNode);
    const isPlainString = literal.kind === "string" && literal.value.length === 1 && typeof literal.value[0] === "string" && literal.value[0] !== "";
    // `===` only where the left side is a looked-up value: TypeScript refuses it between a
    // literal, a set or a boolean and a text whose types cannot overlap (`"a" = "b"`, `{} = 'a'`).
    const lookup = ["word", "regex"].includes(unwrapGroups(leftNode).kind);
    const strict = lookup && (isPlainString || (literal.kind === "constant" && literal.value === null)) && this.mayNarrow(left, right);
    if (strict && (operator === "=" || operator === "!=")) this.narrowing.set(node, { operand: left, literal: right, equal: operator === "=" });
    switch (operator) {
      case "=":
        if (strict) return `(${left} === ${right})`;
        if (literal.kind === "number") return `$.equalNumber(${left}, ${right})`;
        return `$.equal(${left}, ${right})`;
      case "!=":
        if (strict) return `(${left} !== ${right})`;
        if (literal.kind === "number") return `!$.equalNumber(${left}, ${right})`;
        return `$.notEqual(${left}, ${right})`;
      case "<":
        return `$.less(${left}, ${right})`;
      case "<=":
        return `$.lessOrEqual(${left}, ${right})`;
      case ">":
        return `$.greater(${left}, ${right})`;
      default:
        return `$.greaterOrEqual(${left}, ${right})`;
    }
  }

  private matches(node: MatchesNode): string {
    const left = this.value(node.left);
    if (node.pattern.some((part) => typeof part !== "string")) {
      // The pattern itself is rendered at run time: only the fallback parser can compile it.
      for (const part of node.pattern) {
        if (typeof part === "string") continue;
        this.holeName(part);
        this.noteReparse(part, "known when the flows are compiled (it is part of a regex)");
      }
      this.checks.push("false");
      return "false";
    }
    const pattern = node.pattern.join("");
    const { source, flags } = this.options.regex(node, pattern);
    const name = this.hoist("re", `new $.LazyRegExp(${JSON.stringify(source)}, ${JSON.stringify(flags)})`);
    return `$.matches(${left}, ${name})`;
  }

  private set(node: SetNode): string {
    const elements = node.elements.map((element) => this.setElement(element));
    const code = `new $.PySet([${elements.join(", ")}])`;
    return isConstantSet(node) ? this.hoist("set", code) : code;
  }

  /** A set element: a literal or a lookup; `undefined`, `empty` and sub-expressions raise. */
  private setElement(element: Expression): string {
    const inner = unwrapGroups(element);
    switch (inner.kind) {
      case "string":
      case "number":
      case "word":
      case "regex":
        return this.value(inner);
      case "constant":
        if (inner.value === "undefined" || inner.value === "empty") return `$.raise("\`${inner.value}\` cannot be a set element")`;
        return this.value(inner);
      default:
        return `$.raise("a set element must be a value")`;
    }
  }

  /** A quoted string, possibly with holes. */
  private text(parts: TemplatedText, quote: string): string {
    if (parts.every((part) => typeof part === "string")) return JSON.stringify(parts.join(""));
    const pieces = parts.map((part) => {
      if (typeof part === "string") return JSON.stringify(part);
      const name = this.holeName(part);
      this.checks.push(`!${name}.includes(${JSON.stringify(quote)})`);
      this.noteReparse(part, `free of the ${quote} quote`);
      return name;
    });
    return `(${pieces.join(" + ")})`;
  }

  private word(node: WordNode): string {
    if (node.parts.every((part) => typeof part === "string")) return this.lookupText([node.text]);
    const holes = node.parts.filter((part): part is TemplateHole => typeof part !== "string");
    if (holes.length === 1) {
      // The usual case, `slots.{{context.collect}}`: classified once per distinct rendering.
      const index = node.parts.indexOf(holes[0]!);
      const prefix = node.parts.slice(0, index).join("");
      const suffix = node.parts.slice(index + 1).join("");
      const hole = this.holeName(holes[0]!);
      const word = this.hoist("word", `new $.TemplatedWord(${JSON.stringify(prefix)}, ${JSON.stringify(suffix)})`);
      const root = this.documentKeys().find((key) => prefix === `${key}.`);
      // The kind of word is kept only where the lookup reads it (an unread temporary fails `tsc`).
      const kind = root !== undefined && suffix === "" ? this.temp() : undefined;
      this.checks.push(kind === undefined ? `${word}.classify(${hole}) !== 0` : `(${kind} = ${word}.classify(${hole})) !== 0`);
      this.noteReparse(holes[0]!, "a plain word (letters, digits, `_`, `-`, `.`, `:`, `;`; not a keyword or number)", { prefix, suffix });
      const general = `$.lookup(${this.documentCode()}, ${word}.text(${hole}))`;
      return kind !== undefined ? `(${kind} === 1 ? $.ownKey(${root}, ${hole}) : ${general})` : general;
    }
    for (const hole of holes) this.noteReparse(hole, "a plain word (letters, digits, `_`, `-`, `.`, `:`, `;`; not a keyword or number)");
    const pieces = node.parts.map((part) => (typeof part === "string" ? JSON.stringify(part) : this.holeName(part)));
    const t = this.temp();
    this.checks.push(`$.isPlainWord(${t} = ${pieces.join(" + ")})`);
    return `$.lookup(${this.documentCode()}, ${t})`;
  }

  private documentKeys(): string[] {
    return this.options.site === "rejection" ? ["slots"] : ["slots", "context"];
  }

  /** A word known at compile time, resolved against the site's document as far as possible. */
  private lookupText([text]: [string]): string {
    const documentKeys = this.documentKeys();
    if (documentKeys.includes(text)) return text;
    const parts = text.split(".");
    const [root, ...rest] = parts;
    if (parts.length < 2 || root === undefined || !documentKeys.includes(root)) return "undefined";
    let code: string = root;
    rest.forEach((part, index) => {
      code = index === 0 ? propertyAccess(code, part) : `$.step(${code}, ${JSON.stringify(part)})`;
    });
    return code;
  }

  private noteReparse(hole: TemplateHole, shape: string, word?: { readonly prefix: string; readonly suffix: string }): void {
    if (this.reparseHoles.some((r) => r.span.start === hole.span.start)) return;
    const jinja = this.jinjaHole(hole);
    // A hole reading an attribute of a name the template lacks always raises: it splices nothing.
    const read = jinja ? jinja.path : hole.path;
    if (read !== undefined && read.length > 1 && read[0] !== templateRoot(this.options.site)) return;
    const path = jinja ? jinja.written : hole.path.join(".");
    this.reparseHoles.push({ path, span: hole.span, shape, ...(read !== undefined ? { read } : {}), ...(word ? { word } : {}) });
  }

  private holeName(hole: TemplateHole): string {
    const existing = this.holes.find((h) => h.hole === hole);
    if (existing) return existing.name;
    // A hole printed where it stands in the template already has its variable (compile-condition.ts).
    const name = this.printedBefore(hole) ? holeVariable(Number(hole.path[1]!.slice(1))) : `h${this.holes.length}`;
    this.holes.push({ hole, name });
    return name;
  }

  /**
   * The declarations of the holes' rendered texts; typed, so that the checks on them still
   * type-check when rendering always raises (TypeScript would otherwise give the name the type `never`).
   */
  private holeLines(): string[] {
    const holeType = this.options.typed ? ": string" : "";
    return this.holes.filter(({ hole }) => !this.printedBefore(hole)).map(({ hole, name }) => `const ${name}${holeType} = ${this.renderHole(hole)};`);
  }

  /** Jinja's rendering of `{{ a.b.c }}` against the site's template context. */
  private renderHole(hole: TemplateHole): string {
    const jinja = this.jinjaHole(hole);
    if (jinja === undefined) return this.renderPathCode(hole.path);
    // (Any other hole is printed where it stands in the template, before the condition is read: compile-condition.ts.)
    return jinja.path ? this.renderPathCode(jinja.path) : this.holeName(hole);
  }

  /** Whether the template printed the hole where it stands, before the condition is read (any hole of jinja.ts's but a dotted name). */
  private printedBefore(hole: TemplateHole): boolean {
    const jinja = this.jinjaHole(hole);
    return jinja !== undefined && jinja.path === undefined;
  }

  /** The hole jinja.ts took out of the text that `{{__jinja.hN}}` stands for. */
  private jinjaHole(hole: TemplateHole): JinjaHole | undefined {
    return hole.path[0] === "__jinja" ? this.options.jinjaHoles?.[Number(hole.path[1]?.slice(1))] : undefined;
  }

  private renderPathCode(path: readonly string[]): string {
    const root = templateRoot(this.options.site);
    const [first, ...rest] = path;
    if (first !== root) return rest.length === 0 ? '""' : `$.raiseInvalid(${JSON.stringify(`'${first ?? ""}' is undefined in the template`)})`;
    const keys = this.hoist("path", JSON.stringify(rest));
    // A float slot's value, alone or in the whole `{{ slots }}`, is a Python float there.
    if (root === "slots" && this.options.floatSlot !== undefined && (rest.length === 0 || (rest.length === 1 && this.options.floatSlot === rest[0]))) return `$.renderFloatSlot(${root}, ${keys})`;
    if (rest.length !== 1) return `$.renderPath(${root}, ${keys})`;
    // A string renders as itself: skip the general renderer for it.
    const t = this.temp();
    return `(typeof (${t} = ${propertyAccess(root, rest[0]!)}) === "string" ? ${t} : $.renderPath(${root}, ${keys}))`;
  }

  /** The condition text with every hole replaced by its rendered value. */
  private renderedText(): string {
    const text = this.options.text;
    const sorted = [...this.holes].sort((a, b) => a.hole.span.start - b.hole.span.start);
    const pieces: string[] = [];
    let at = 0;
    for (const { hole, name } of sorted) {
      pieces.push(JSON.stringify(text.slice(at, hole.span.start)), name);
      at = hole.span.end;
    }
    pieces.push(JSON.stringify(text.slice(at)));
    return pieces.filter((p) => p !== '""').join(" + ") || '""';
  }

  private documentCode(): string {
    return this.options.site === "rejection" ? "{ slots }" : "{ slots, context }";
  }
}

function producesBoolean(node: Expression): boolean {
  const inner = unwrapGroups(node);
  switch (inner.kind) {
    case "and":
    case "or":
    case "not":
    case "compare":
    case "contains":
    case "matches":
      return true;
    case "constant":
      return inner.value === true || inner.value === false;
    default:
      return false;
  }
}

function isConstantSet(node: SetNode): boolean {
  return node.elements.every((element) => {
    const inner = unwrapGroups(element);
    if (inner.kind === "number") return true;
    if (inner.kind === "string") return inner.value.every((part) => typeof part === "string");
    return inner.kind === "constant" && (inner.value === true || inner.value === false || inner.value === null);
  });
}

function numberLiteral(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `dict.key` when that cannot hit an inherited property, else the safe helper. */
function propertyAccess(dict: string, key: string): string {
  if (key in Object.prototype || key === "__proto__") return `$.own(${dict}, ${JSON.stringify(key)})`;
  return IDENTIFIER.test(key) ? `${dict}.${key}` : `${dict}[${JSON.stringify(key)}]`;
}

/** Per operand (its code): the literal it equals, or the literals it does not equal. */
type Facts = ReadonlyMap<string, { readonly equal?: string | undefined; readonly excluded: readonly string[] }>;

function mergeFacts(a: Facts, b: Facts): Facts {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [operand, fact] of b) {
    const known = out.get(operand);
    out.set(operand, known === undefined ? fact : { equal: fact.equal ?? known.equal, excluded: [...known.excluded, ...fact.excluded] });
  }
  return out;
}
