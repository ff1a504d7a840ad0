/**
 * The Jinja that response templates (`metadata: {template: jinja}`) may use, parsed into a
 * syntax tree at build time: text, `{{ expression }}`, `{# comments #}`, `{% if %}` /
 * `{% elif %}` / `{% else %}` / `{% endif %}`, `{% for a in b %}` / `{% for k, v in … %}` /
 * `{% else %}` / `{% endfor %}` (also with a loop filter, `{% for x in l if x %}`), `{% set a = … %}` (also `a, b = …` and `ns.x = …`),
 * `{% set a | filters %}…{% endset %}`, `{% macro m(a, b=…) %}…{% endmacro %}` and
 * `{% call(x) m(…) %}…{% endcall %}`, and whitespace control with `-`. Expressions: names,
 * literals (strings, numbers, `true`/`false`/`none`, lists, tuples, dicts with string keys),
 * `a.b`, `a[b]`, slices `a[b:c:d]`, the methods of {@link METHOD_NAMES}, the globals of
 * {@link GLOBAL_FUNCTIONS}, the filters of {@link SUPPORTED_FILTERS}, Jinja's tests, the
 * operators `+`, `-`, `*`, `/`, `//`, `%`, `**`, `~` and unary `-` and `+` (with Jinja's
 * precedence: `~` binds tighter than `+` and `-`), comparisons, `in`, `not`, `and`, `or`, and
 * the inline `a if b else c` (also without `else`).
 *
 * Anything else raises a {@link TemplateError}: of kind "syntax" when Jinja itself would
 * refuse the template, of kind "unsupported" when it is valid Jinja outside this subset (the
 * message names the construct). Offsets are into the template text as given.
 *
 * Branch and rejection conditions are Jinja templates too (conditions.md §7): they use this
 * parser with {@link ParseOptions} that name them in messages and allow only some statements.
 */

export type Literal = string | number | boolean | null;

export type Expr =
  | { readonly kind: "name"; readonly name: string; readonly at: number }
  | { readonly kind: "literal"; readonly value: Literal; readonly number?: NumberLiteral }
  | { readonly kind: "list" | "tuple"; readonly items: readonly Expr[] }
  /** `end`: where the attribute's name or the item's `]` ends in the template. */
  | { readonly kind: "attr"; readonly object: Expr; readonly name: string; readonly end?: number }
  | { readonly kind: "item"; readonly object: Expr; readonly key: Expr; readonly end?: number }
  | { readonly kind: "view"; readonly object: Expr; readonly method: "keys" | "values" | "items" }
  /** `keywords`: the keyword arguments of a filter that takes any (`format`). */
  | { readonly kind: "filter"; readonly value: Expr; readonly name: FilterName; readonly args: readonly Expr[]; readonly keywords?: readonly (readonly [string, Expr])[]; readonly at?: number; readonly end?: number }
  | { readonly kind: "test"; readonly value: Expr; readonly name: TestName; readonly args: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: "not"; readonly operand: Expr }
  | { readonly kind: "and" | "or"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "compare"; readonly operator: CompareOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "binary"; readonly operator: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "unary"; readonly operator: "-" | "+"; readonly operand: Expr }
  | { readonly kind: "concat"; readonly items: readonly Expr[] }
  | { readonly kind: "condition"; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | undefined }
  /** A filter argument left out before one given by keyword: the filter's default applies. */
  | { readonly kind: "missing" }
  /** `value.method(…)`: one of {@link METHOD_NAMES}, Python's method of the value at run time. */
  | { readonly kind: "method"; readonly object: Expr; readonly name: string; readonly args: readonly Expr[]; readonly keywords: readonly (readonly [string, Expr])[] }
  /** `range(…)`, `dict(…)`, `namespace(…)`: one of Jinja's {@link GLOBAL_FUNCTIONS}. */
  | { readonly kind: "global"; readonly name: string; readonly at: number; readonly args: readonly Expr[]; readonly keywords: readonly (readonly [string, Expr])[] }
  /** `value[start:stop:step]`, a part left out undefined. */
  | { readonly kind: "slice"; readonly object: Expr; readonly start: Expr | undefined; readonly stop: Expr | undefined; readonly step: Expr | undefined }
  /** `value(…)` of anything but a global's or a method's name: what a `joiner()` gives, say (anything else cannot be called). */
  | { readonly kind: "call"; readonly callee: Expr; readonly args: readonly Expr[]; readonly keywords: readonly (readonly [string, Expr])[] }
  /** `{'a': 1, …}` (keys written as strings) */
  | { readonly kind: "dict"; readonly entries: readonly (readonly [string, Expr])[] }
  /** The text a `{% set x %}…{% endset %}` block renders (its filters apply to it). */
  | { readonly kind: "captured" };

export type BinaryOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**";

/** The methods a template may call (Python's, of texts, lists, tuples, ranges, dicts and `loop`); any other call is refused. */
export const METHOD_NAMES: ReadonlySet<string> = new Set([
  ...["upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "replace", "split", "rsplit", "splitlines", "format", "startswith", "endswith", "join"],
  ...["count", "find", "rfind", "index", "rindex", "center", "ljust", "rjust", "zfill", "partition", "rpartition", "removeprefix", "removesuffix"],
  ...["isdigit", "isdecimal", "isalpha", "isalnum", "isspace", "islower", "isupper"],
  ...["get", "keys", "values", "items", "cycle", "changed", "next", "reset"],
  ...["conjugate", "is_integer", "bit_length"],
]);

/** Jinja's global functions a template may call. */
export const GLOBAL_FUNCTIONS: ReadonlySet<string> = new Set(["range", "dict", "namespace", "joiner", "cycler"]);

/** A number literal as written, where it is (offsets into the template). */
export interface NumberLiteral {
  readonly text: string;
  readonly at: number;
  readonly end: number;
}

export type CompareOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";

export type TemplateNode =
  | { readonly kind: "text"; readonly text: string }
  /**
   * `{{ expr }}`, or `{% filter … %}…{% endfilter %}` (`block`: what renders the text `expr` reads
   * as `captured`); `at`, `end`: where the expression (or the block) is written.
   */
  | { readonly kind: "output"; readonly expr: Expr; readonly block?: readonly TemplateNode[]; readonly at: number; readonly end: number }
  /** `{% with a = …, b = … %}…{% endwith %}`: names of the block's own, their values computed outside. */
  | { readonly kind: "with"; readonly assignments: readonly (readonly [string, Expr])[]; readonly body: readonly TemplateNode[] }
  /** A branch's `at`, `end`: where its test is written. */
  | { readonly kind: "if"; readonly branches: readonly { readonly test: Expr; readonly body: readonly TemplateNode[]; readonly at: number; readonly end: number }[]; readonly otherwise: readonly TemplateNode[] }
  /**
   * `test`: a loop filter (`{% for x in l if x > 1 %}`), which only the items it passes go
   * through; `at`, `end`: from the `for` to the `endfor` keyword.
   */
  | { readonly kind: "for"; readonly targets: readonly string[]; readonly iterable: Expr; readonly test?: Expr; readonly body: readonly TemplateNode[]; readonly otherwise: readonly TemplateNode[]; readonly at: number; readonly end: number; readonly recursive?: true }
  /**
   * `{% set a = … %}`, `{% set a, b = … %}`, and `{% set a | filters %}…{% endset %}` (`block`:
   * what renders the text, which `value` reads as `captured`); `at`, `end`: where the value (or
   * the block) is written.
   */
  | { readonly kind: "set"; readonly targets: readonly string[]; readonly value: Expr; readonly block?: readonly TemplateNode[]; readonly at: number; readonly end: number }
  /** `{% set ns.name = … %}` (also as a block): an attribute of a namespace. */
  | { readonly kind: "setAttribute"; readonly namespace: Expr; readonly name: string; readonly value: Expr; readonly block?: readonly TemplateNode[] }
  /** `{% macro name(a, b=…) %}…{% endmacro %}`: assigns `name` a macro whose body renders with the arguments. */
  | { readonly kind: "macro"; readonly name: string; readonly macro: MacroDefinition }
  /**
   * `{% call(a, …) callee(…) %}…{% endcall %}`: prints what `call` (a call written in the tag)
   * gives when it is also handed `caller=`, a macro of the block (named "caller").
   */
  | { readonly kind: "callBlock"; readonly call: Expr; readonly caller: MacroDefinition };

/** The parameters (with their defaults) and body of a macro, or of a `{% call %}` block's caller. */
export interface MacroDefinition {
  readonly parameters: readonly { readonly name: string; readonly fallback?: Expr }[];
  readonly body: readonly TemplateNode[];
}

/** The other names Jinja gives filters: `d` is `default`, `count` is `length`, `e` is `escape`. */
const FILTER_ALIASES: Readonly<Record<string, FilterName>> = { d: "default", count: "length", e: "escape" };

/** The filter a name written in a template is (itself or an alias's), if the subset has it. */
function filterNamed(text: string): FilterName | undefined {
  return Object.hasOwn(FILTER_PARAMETERS, text) ? (text as FilterName) : Object.hasOwn(FILTER_ALIASES, text) ? FILTER_ALIASES[text] : undefined;
}

const ALL_STATEMENTS = ["if", "elif", "else", "endif", "for", "endfor", "set", "endset", "filter", "endfilter", "with", "endwith", "raw", "endraw", "print", "macro", "endmacro", "call", "endcall"] as const;

/** Where a template is used, for the parser's messages and the statements allowed there. */
export interface ParseOptions {
  /** Named in messages: "… is not supported in {where}". */
  readonly where: string;
  readonly statements: readonly (typeof ALL_STATEMENTS)[number][];
  /** Whether the filter `random` may be used (it draws from a response's random source, which conditions have not). */
  readonly random?: boolean;
  /** Whether `{% for … recursive %}` loops (and `loop(items)` in them) may be used. */
  readonly recursiveLoops?: boolean;
  /**
   * Whether an int literal beyond 2^53, which a JavaScript number would round, is left for the
   * caller to check (conditions print `{{ 12345678901234567890 }}` from its written text).
   */
  readonly bigIntegersChecked?: boolean;
}

export const RESPONSE_TEMPLATES: ParseOptions = { where: "response templates", statements: ALL_STATEMENTS, random: true, recursiveLoops: true };

/** Jinja's own tests outside the subset (any other name is one Jinja does not have). */
const JINJA_OTHER_TESTS: ReadonlySet<string> = new Set(["sameas", "escaped", "filter", "test", "callable"]);

/** The filters that take a test or filter name and its arguments (`select('odd')`, `map('upper')`). */
const CALLING_FILTERS: ReadonlySet<FilterName> = new Set(["map", "select", "reject", "selectattr", "rejectattr"]);


/** Jinja's tests that take no argument besides the value. */
const PLAIN_TESTS = ["defined", "undefined", "none", "odd", "even", "boolean", "true", "false", "integer", "float", "number", "string", "mapping", "sequence", "iterable", "lower", "upper"] as const;
/** Jinja's tests that take one argument (`x is divisibleby 3`, `x is in(l)`), by name and alias. */
const ARGUMENT_TESTS = { divisibleby: "divisibleby", in: "in", eq: "eq", equalto: "eq", ne: "ne", gt: "gt", greaterthan: "gt", ge: "ge", lt: "lt", lessthan: "lt", le: "le" } as const;
export type TestName = (typeof PLAIN_TESTS)[number] | (typeof ARGUMENT_TESTS)[keyof typeof ARGUMENT_TESTS];
const SUPPORTED_TESTS = [...PLAIN_TESTS, ...Object.keys(ARGUMENT_TESTS)].sort().join(", ");

/** The names of Jinja's tests a `select` or `selectattr` may name, to the test they are (the operator names included). */
const SELECT_TESTS: Readonly<Record<string, TestName>> = {
  ...Object.fromEntries(PLAIN_TESTS.map((name) => [name, name])),
  ...ARGUMENT_TESTS,
  "==": "eq",
  "!=": "ne",
  ">": "gt",
  ">=": "ge",
  "<": "lt",
  "<=": "le",
};

/** The filters of the subset, each with the keyword arguments it takes, in their positional order. */
const FILTER_PARAMETERS = {
  abs: [],
  capitalize: [],
  default: ["default_value", "boolean"],
  first: [],
  float: ["default"],
  format: [], // any positional and keyword arguments
  int: ["default", "base"],
  join: ["d", "attribute"],
  last: [],
  length: [],
  list: [],
  lower: [],
  max: ["case_sensitive", "attribute"],
  min: ["case_sensitive", "attribute"],
  replace: ["old", "new", "count"],
  round: ["precision", "method"],
  string: [],
  sum: ["attribute", "start"],
  title: [],
  trim: ["chars"],
  truncate: ["length", "killwords", "end", "leeway"],
  upper: [],
  wordcount: [],
  reverse: [],
  sort: ["reverse", "case_sensitive", "attribute"],
  dictsort: ["case_sensitive", "by", "reverse"],
  items: [],
  tojson: ["indent"],
  unique: ["case_sensitive", "attribute"],
  center: ["width"],
  indent: ["width", "first", "blank"],
  map: [], // a filter's name and its arguments, or attribute= and default=
  select: [], // a test's name and its arguments
  reject: [],
  selectattr: [], // an attribute, a test's name and its arguments
  rejectattr: [],
  batch: ["linecount", "fill_with"],
  slice: ["slices", "fill_with"],
  groupby: ["attribute", "default", "case_sensitive"],
  wordwrap: ["width", "break_long_words", "wrapstring", "break_on_hyphens"],
  striptags: [],
  urlencode: [],
  filesizeformat: ["binary"],
  escape: [],
  forceescape: [],
  safe: [],
  attr: ["name"],
  xmlattr: ["autospace"],
  urlize: ["trim_url_limit", "nofollow", "target", "rel", "extra_schemes"],
  pprint: [],
  random: [],
} as const satisfies Readonly<Record<string, readonly string[]>>;
export type FilterName = keyof typeof FILTER_PARAMETERS;
export const SUPPORTED_FILTERS = Object.keys(FILTER_PARAMETERS).sort().join(", ");

/** Whether a number literal as written is a float (`1.0`, `2e3`), not an int (`10`, `0x1E`). */
export function isFloatLiteral(text: string): boolean {
  return !/^[-+]?0[xXoObB]/.test(text) && /[.eE]/.test(text);
}

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: "syntax" | "unsupported",
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

interface Token {
  readonly kind: "name" | "string" | "number" | "op" | "end";
  readonly text: string;
  readonly value?: Literal;
  readonly at: number;
  readonly end: number;
}

const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
/** Jinja's number literals: binary, octal and hex ints (`0x1F`), and decimal ints and floats, with `_` between digits. */
const NUMBER = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?/y;
/** Right after a `.`, Jinja's lexer reads no float: `a.1.1` is `a[1][1]`. */
const INTEGER = /\d+(?:_\d+)*/y;
const STRING = /'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)"/y;
const OPERATOR = /\/\/|\*\*|==|!=|<=|>=|[-+*/%~|.,()[\]{}:<>=]/y;
const SPACE = /\s+/y;

function tokenize(source: string, from: number, to: number, where: string): Token[] {
  const tokens: Token[] = [];
  let at = from;
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    const m = re.exec(source);
    return m && m.index + m[0].length <= to ? m : null;
  };
  while (at < to) {
    const space = match(SPACE);
    if (space) {
      at += space[0].length;
      continue;
    }
    const name = match(NAME);
    const number = name ? null : match(source[at - 1] === "." ? INTEGER : NUMBER);
    const string = name || number ? null : match(STRING);
    const op = name || number || string ? null : match(OPERATOR);
    const m = name ?? number ?? string ?? op;
    if (!m) {
      const char = source[at]!;
      const message = char === "'" || char === '"' ? `unterminated string starting with ${char}` : `unexpected character \`${char}\``;
      throw new TemplateError(message, "syntax", at, at + 1);
    }
    const end = at + m[0].length;
    if (name) tokens.push({ kind: "name", text: m[0], at, end });
    else if (number) tokens.push({ kind: "number", text: m[0], value: Number(m[0].replace(/_/g, "")), at, end });
    else if (string) tokens.push({ kind: "string", text: m[0], value: unescape(m[1] ?? m[2] ?? "", at, at + m[0].length, where), at, end });
    else tokens.push({ kind: "op", text: m[0], at, end });
    at = end;
  }
  tokens.push({ kind: "end", text: "end of tag", at: to, end: to });
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "", a: "\x07", b: "\b", f: "\f", v: "\v" };

/**
 * A string literal's value as Jinja's lexer makes it: line breaks made `\n`, the text written
 * as ASCII with Python's `backslashreplace` (`é` as `\xe9`), then read with Python's
 * `unicode-escape` codec: `\n`, `\t`, `\\`, `\'`, `\a`, `\b`, `\f`, `\v`, octal `\101`,
 * `\x41`, `\u00e9`, `\U0001F600`, a backslash before a line break drops both, any other
 * escape stays as written. A cut-short `\x`, `\u` or `\U` is a syntax error in Jinja; `\N{…}`
 * (a character by its Unicode name) is refused. `at`: where the literal starts.
 */
function unescape(text: string, at: number, end: number, where: string): string {
  if (!text.includes("\\")) return text.replace(/\r\n?/g, "\n");
  const ascii = [...text.replace(/\r\n?/g, "\n")].map((char) => (char.charCodeAt(0) < 0x80 ? char : pythonEscapeCode(char.codePointAt(0)!))).join("");
  let out = "";
  let named = false;
  for (let i = 0; i < ascii.length; i++) {
    const char = ascii[i]!;
    if (char !== "\\" || i === ascii.length - 1) {
      out += char;
      continue;
    }
    const next = ascii[++i]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (next >= "0" && next <= "7") {
      const digits = /^[0-7]{1,3}/.exec(ascii.slice(i))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (next === "x" || next === "u" || next === "U") {
      const size = next === "x" ? 2 : next === "u" ? 4 : 8;
      const digits = ascii.slice(i + 1, i + 1 + size);
      const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === size ? parseInt(digits, 16) : undefined;
      if (code === undefined || code > 0x10ffff) throw new TemplateError(`a string literal with a malformed \\${next} escape`, "syntax", at, end);
      out += String.fromCodePoint(code);
      i += size;
    } else if (next === "N") {
      // (Refused after the whole literal is read: a malformed escape after it is Jinja's syntax error.)
      const name = /^\{[^}]*\}/.exec(ascii.slice(i + 1));
      if (!name) throw new TemplateError("a string literal with a malformed \\N escape", "syntax", at, end);
      named = true;
      i += name[0].length;
    } else out += `\\${next}`;
  }
  if (named) throw new TemplateError(`a \`\\N{…}\` escape (a character by its Unicode name) is not supported in ${where}`, "unsupported", at, end);
  return out;
}

/** Python's `backslashreplace` of a character beyond ASCII. */
function pythonEscapeCode(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}

/** Parses the expression tokens of one tag. */
class ExpressionParser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly where: string,
  ) {}

  /** Where the last token read ends. */
  get previousEnd(): number {
    return this.tokens[this.index - 1]?.end ?? this.current.at;
  }

  get current(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const token = this.current;
    if (token.kind !== "end") this.index++;
    return token;
  }

  isOp(text: string): boolean {
    return this.current.kind === "op" && this.current.text === text;
  }

  isName(text: string): boolean {
    return this.current.kind === "name" && this.current.text === text;
  }

  expectOp(text: string): Token {
    if (!this.isOp(text)) this.syntax(`expected \`${text}\`, found ${describe(this.current)}`);
    return this.next();
  }

  expectName(): Token {
    if (this.current.kind !== "name") this.syntax(`expected a name, found ${describe(this.current)}`);
    return this.next();
  }

  atEnd(): boolean {
    return this.current.kind === "end";
  }

  syntax(message: string, token: Token = this.current): never {
    throw new TemplateError(message, "syntax", token.at, Math.max(token.end, token.at + 1));
  }

  unsupported(construct: string, token: Token = this.current, end = token.end): never {
    throw new TemplateError(`${construct} is not supported in ${this.where}`, "unsupported", token.at, Math.max(end, token.at + 1));
  }

  /** An expression, with Jinja's inline `a if b else c` (without `else`, an undefined value when `b` is false). */
  expression(): Expr {
    let value = this.or();
    while (this.isName("if")) {
      this.next();
      const test = this.or();
      let otherwise: Expr | undefined;
      if (this.isName("else")) {
        this.next();
        otherwise = this.expression();
      }
      value = { kind: "condition", test, then: value, otherwise };
    }
    return value;
  }

  /**
   * What a tag holds (Jinja's `parse_tuple`): an expression, or several separated by commas, a
   * tuple. `{{ }}` allows the inline `if`; the test of `{% if %}` and the iterable of
   * `{% for %}` do not (there Jinja reads a following `if` as the end of the expression).
   */
  tuple(withCondition: boolean): Expr {
    const parse = (): Expr => (withCondition ? this.expression() : this.or());
    const first = parse();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.isOp(",")) {
      this.next();
      if (this.atEnd() || this.isName("recursive")) break;
      items.push(parse());
    }
    return { kind: "tuple", items };
  }

  /** An expression without the inline `if`. */
  or(): Expr {
    let left = this.and();
    while (this.isName("or")) {
      this.next();
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName("and")) {
      this.next();
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName("not")) {
      this.next();
      return { kind: "not", operand: this.not() };
    }
    return this.compare();
  }

  private compareOperator(): CompareOperator | undefined {
    const token = this.current;
    if (token.kind === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(token.text)) return token.text as CompareOperator;
    if (this.isName("in")) return "in";
    if (this.isName("not") && this.tokens[this.index + 1]?.kind === "name" && this.tokens[this.index + 1]?.text === "in") return "not in";
    return undefined;
  }

  private compare(): Expr {
    const left = this.math();
    const operator = this.compareOperator();
    if (!operator) return left;
    this.next();
    if (operator === "not in") this.next();
    const right = this.math();
    if (this.compareOperator()) this.unsupported("a chained comparison");
    return { kind: "compare", operator, left, right };
  }

  /** `+` and `-`, whose operands are `~` concatenations (Jinja's precedence). */
  private math(): Expr {
    let left = this.concat();
    while (this.isOp("+") || this.isOp("-")) {
      const operator = this.next().text as "+" | "-";
      left = { kind: "binary", operator, left, right: this.concat() };
    }
    return left;
  }

  private concat(): Expr {
    const items = [this.product()];
    while (this.isOp("~")) {
      this.next();
      items.push(this.product());
    }
    return items.length === 1 ? items[0]! : { kind: "concat", items };
  }

  private product(): Expr {
    let left = this.power();
    while (this.isOp("*") || this.isOp("/") || this.isOp("//") || this.isOp("%")) {
      const operator = this.next().text as "*" | "/" | "//" | "%";
      left = { kind: "binary", operator, left, right: this.power() };
    }
    return left;
  }

  /** `**`, left to right, between unary operands (Jinja's `-2 ** 2` is `(-2) ** 2`). */
  private power(): Expr {
    let left = this.unary();
    while (this.isOp("**")) {
      this.next();
      left = { kind: "binary", operator: "**", left, right: this.unary() };
    }
    return left;
  }

  /**
   * A unary `-` or `+` applies to what follows with its attributes and items but not its
   * filters, which then apply to the result (Jinja's `-x | abs` is `abs(-x)`). A sign before a
   * number literal stays part of the literal.
   */
  private unary(withFilters = true): Expr {
    let value: Expr;
    if (this.isOp("-") || this.isOp("+")) {
      const sign = this.next();
      const operand = this.unary(false);
      const number = operand.kind === "literal" ? operand.number : undefined;
      if (operand.kind === "literal" && number && typeof operand.value === "number" && !/^[-+]/.test(number.text)) {
        // An int literal has no negative zero: `-0` is the int 0.
        const signed = sign.text === "-" ? (isFloatLiteral(number.text) ? -operand.value : 0 - operand.value) : operand.value;
        value = { kind: "literal", value: signed, number: { text: sign.text + number.text, at: sign.at, end: number.end } };
      } else value = { kind: "unary", operator: sign.text as "-" | "+", operand };
    } else value = this.postfix(this.primary());
    if (!withFilters) return value;
    for (;;) {
      if (this.isOp("|")) {
        this.next();
        value = this.filter(value);
      } else if (this.isName("is")) {
        this.next();
        value = this.test(value);
      } else return value;
    }
  }

  private primary(): Expr {
    const token = this.current;
    if (token.kind === "name") {
      this.next();
      if (token.text === "true" || token.text === "True") return { kind: "literal", value: true };
      if (token.text === "false" || token.text === "False") return { kind: "literal", value: false };
      if (token.text === "none" || token.text === "None") return { kind: "literal", value: null };
      // (Read as a value, Jinja's `lipsum` is a function, printed with its address; called, see postfix.)
      if (token.text === "lipsum" && !this.isOp("(")) this.unsupported("reading `lipsum` (Jinja's random placeholder text function)", token);
      if (this.isOp("(") && GLOBAL_FUNCTIONS.has(token.text)) {
        const { args, keywords } = this.callArguments();
        return { kind: "global", name: token.text, at: token.at, args, keywords };
      }
      return { kind: "name", name: token.text, at: token.at };
    }
    if (token.kind === "string") {
      let text = this.next().value as string;
      while (this.current.kind === "string") text += this.next().value as string;
      return { kind: "literal", value: text };
    }
    if (token.kind === "number") {
      this.next();
      return { kind: "literal", value: token.value as number, number: { text: token.text, at: token.at, end: token.end } };
    }
    if (this.isOp("(")) {
      this.next();
      // `()` is the empty tuple, `(a,)` a tuple of one.
      if (this.isOp(")")) {
        this.next();
        return { kind: "tuple", items: [] };
      }
      const inner = this.expression();
      if (!this.isOp(",")) {
        this.expectOp(")");
        return inner;
      }
      const items = [inner];
      while (this.isOp(",")) {
        this.next();
        if (this.isOp(")")) break;
        items.push(this.expression());
      }
      this.expectOp(")");
      return { kind: "tuple", items };
    }
    if (this.isOp("[")) {
      this.next();
      const items: Expr[] = [];
      while (!this.isOp("]")) {
        items.push(this.expression());
        if (!this.isOp(",")) break;
        this.next();
      }
      this.expectOp("]");
      return { kind: "list", items };
    }
    if (this.isOp("{")) return this.dict();
    return this.syntax(`unexpected ${describe(token)}`);
  }

  /** `{key: value, …}`: flowc's dicts have text keys, so each key must be written as a string. */
  private dict(): Expr {
    const open = this.expectOp("{");
    const entries: (readonly [string, Expr])[] = [];
    while (!this.isOp("}")) {
      const keyToken = this.current;
      const key = this.expression();
      if (key.kind !== "literal" || typeof key.value !== "string") this.unsupported("a dict key not written as a string", keyToken, this.tokens[this.index - 1]!.end);
      this.expectOp(":");
      entries.push([key.value, this.expression()]);
      if (!this.isOp(",")) break;
      this.next();
    }
    const close = this.expectOp("}");
    // flowc's dicts are JavaScript objects, which put keys that are array indices first, ascending.
    const written = [...new Set(entries.map(([key]) => key))];
    const held = Object.keys(Object.fromEntries(written.map((key) => [key, true])));
    if (written.some((key, i) => held[i] !== key)) this.unsupported("a dict whose keys of digits (`'1'`) come after other keys or out of order (flowc's dicts would hold them first, in order)", open, close.end);
    return { kind: "dict", entries };
  }

  private postfix(start: Expr): Expr {
    let value = start;
    for (;;) {
      if (this.isOp(".")) {
        this.next();
        const token = this.current;
        if (token.kind === "number" && Number.isInteger(token.value)) {
          this.next();
          value = { kind: "item", object: value, key: { kind: "literal", value: token.value as number }, end: token.end };
          continue;
        }
        const name = this.expectName();
        if (this.isOp("(")) {
          const open = this.current;
          if ((name.text === "keys" || name.text === "values" || name.text === "items") && this.tokens[this.index + 1]?.text === ")") {
            this.next();
            this.next();
            value = { kind: "view", object: value, method: name.text };
            continue;
          }
          if (!METHOD_NAMES.has(name.text)) this.unsupported(`calling \`.${name.text}(…)\`; methods that can be called: ${[...METHOD_NAMES].join(", ")}`, name, open.end);
          const { args, keywords } = this.callArguments();
          value = { kind: "method", object: value, name: name.text, args, keywords };
          continue;
        }
        value = { kind: "attr", object: value, name: name.text, end: name.end };
      } else if (this.isOp("[")) {
        const open = this.next();
        const key = this.isOp(":") ? undefined : this.expression();
        if (this.isOp(",")) this.unsupported("a tuple", open, this.current.end);
        if (this.isOp(":")) {
          value = this.slice(value, key);
          continue;
        }
        const close = this.expectOp("]");
        value = { kind: "item", object: value, key: key!, end: close.end };
      } else if (this.isOp("(")) {
        // Jinja's `lipsum` gives random text, which no template test could expect.
        if (value.kind === "name" && value.name === "lipsum") this.unsupported("calling `lipsum` (Jinja's random placeholder text)");
        const { args, keywords } = this.callArguments();
        value = { kind: "call", callee: value, args, keywords };
      } else return value;
    }
  }

  /** The rest of `[start:stop:step]` after `start` (Jinja's subscript), at the first `:`. */
  private slice(object: Expr, start: Expr | undefined): Expr {
    this.expectOp(":");
    const part = (): Expr | undefined => (this.isOp("]") || this.isOp(",") || this.isOp(":") ? undefined : this.expression());
    const stop = part();
    let step: Expr | undefined;
    if (this.isOp(":")) {
      this.next();
      step = part();
    }
    if (this.isOp(",")) this.unsupported("a tuple of slices");
    this.expectOp("]");
    return { kind: "slice", object, start, stop, step };
  }

  /** The filters of `{% filter a | b %}`, applied to the block's text (the first without `|`). */
  filterStatement(): Expr {
    return this.filterChain(this.filter({ kind: "captured" }));
  }

  /** The filters after `{% set x` of a block assignment, applied to its text. */
  filterChain(value: Expr): Expr {
    let out = value;
    while (this.isOp("|")) {
      this.next();
      out = this.filter(out);
    }
    return out;
  }

  private filter(value: Expr): Expr {
    const token = this.expectName();
    const name = filterNamed(token.text);
    // Jinja looks filters up when it compiles the template: an unknown name is its error.
    if (!name) throw new TemplateError(`Jinja has no filter named \`${token.text}\``, "syntax", token.at, token.end);
    const parameters: readonly string[] = FILTER_PARAMETERS[name];
    if (name === "format") return this.formatFilter(value);
    if (CALLING_FILTERS.has(name)) return this.callingFilter(value, name, token);
    const { args, keywords } = this.callArguments((argToken, keyword, index) => {
      if (keyword === undefined) {
        if (index >= parameters.length) this.unsupported(`a ${ordinal(index + 1)} argument to the filter \`${token.text}\``, argToken);
      } else if (!parameters.includes(keyword)) this.unsupported(`the argument \`${keyword}\` of the filter \`${token.text}\``, argToken);
    });
    // Checked against the positional arguments only: keywords may come in any order.
    const positional = args.length;
    for (const [keyword, arg] of keywords) {
      const position = parameters.indexOf(keyword);
      if (position < positional) this.syntax(`the filter \`${token.text}\` got the argument \`${keyword}\` twice`, token);
      while (args.length < position) args.push({ kind: "missing" });
      args[position] = arg;
    }
    return { kind: "filter", value, name, args, at: token.at, end: token.end };
  }

  /** `*args` and `**kwargs` in a filter's arguments: valid Jinja, outside the subset. */
  private refuseUnpacking(): void {
    if (this.isOp("*") || this.isOp("**")) this.unsupported(`unpacking arguments with \`${this.current.text}\``);
  }

  /** `| format(…)`: any positional arguments, or keyword arguments (Jinja's `do_format` refuses both at once, at run time). */
  private formatFilter(value: Expr): Expr {
    const { args, keywords } = this.callArguments();
    return { kind: "filter", value, name: "format", args, keywords };
  }

  /**
   * `| map(…)`, `| select(…)`, `| reject(…)`, `| selectattr(…)`, `| rejectattr(…)`: the name
   * of the filter or test they call must be written as a string (flowc compiles the call), and
   * be one flowc has; `map` takes `attribute=` and `default=` instead.
   */
  private callingFilter(value: Expr, name: FilterName, token: Token): Expr {
    const { args, keywords } = this.callArguments();
    const stringArg = (index: number): string | undefined => {
      const arg = args[index];
      return arg?.kind === "literal" && typeof arg.value === "string" ? arg.value : undefined;
    };
    if (name === "map") {
      if (args.length === 0 && keywords.some(([key]) => key === "attribute")) {
        const other = keywords.find(([key]) => key !== "attribute" && key !== "default");
        if (other) this.unsupported(`the argument \`${other[0]}\` of \`map(attribute=…)\``, token);
        return { kind: "filter", value, name, args, keywords };
      }
      const filter = stringArg(0);
      const called = filter !== undefined ? filterNamed(filter) : undefined;
      // (`escape` gives Jinja's Markup, which a list prints unlike text.)
      // (`random` draws from the response's random source, which `map` does not hand its filter.)
      if (called === undefined || called === "format" || called === "random" || MARKUP_FILTERS.has(called) || CALLING_FILTERS.has(called)) {
        this.unsupported(filter === undefined ? "`map` without a filter's name written as a string or `attribute=`" : `\`map('${filter}')\`: supported filters: ${SUPPORTED_FILTERS.replace(/\b(escape|forceescape|safe|format|map|random|select|reject|selectattr|rejectattr), /g, "")}`, token);
      }
      if (keywords.length > 0) this.unsupported("keyword arguments to the filter `map` calls", token);
      if (args.length - 1 > FILTER_PARAMETERS[called].length) this.unsupported(`a ${ordinal(args.length)} argument to the filter \`${filter}\``, token);
      return { kind: "filter", value, name, args: [{ kind: "literal", value: called }, ...args.slice(1)] };
    }
    if (keywords.length > 0) this.unsupported(`keyword arguments to the filter \`${name}\``, token);
    const byAttribute = name === "selectattr" || name === "rejectattr";
    if (byAttribute && args.length === 0) this.unsupported(`\`${name}\` without an attribute`, token);
    const testAt = byAttribute ? 1 : 0;
    if (args.length > testAt) {
      const test = stringArg(testAt);
      const known = test !== undefined && Object.hasOwn(SELECT_TESTS, test) ? SELECT_TESTS[test] : undefined;
      if (known === undefined) this.unsupported(test === undefined ? `\`${name}\` with a test's name not written as a string` : `the test \`${test}\` in \`${name}\`; supported tests: ${SUPPORTED_TESTS}`, token);
      const arity = (PLAIN_TESTS as readonly string[]).includes(known) ? 0 : 1;
      if (args.length - testAt - 1 > arity) this.unsupported(`a ${ordinal(args.length - testAt)} argument to the test \`${test}\``, token);
      args[testAt] = { kind: "literal", value: known };
    }
    return { kind: "filter", value, name, args };
  }

  /**
   * A call's positional and keyword arguments, as written (none without `(…)`); `check` sees each
   * argument's first token as it comes, with its keyword or its position among the positional ones.
   */
  callArguments(check?: (argToken: Token, keyword: string | undefined, index: number) => void): { args: Expr[]; keywords: (readonly [string, Expr])[] } {
    const args: Expr[] = [];
    const keywords: (readonly [string, Expr])[] = [];
    if (!this.isOp("(")) return { args, keywords };
    this.next();
    while (!this.isOp(")")) {
      const argToken = this.current;
      this.refuseUnpacking();
      if (argToken.kind === "name" && this.tokens[this.index + 1]?.text === "=" && this.tokens[this.index + 1]?.kind === "op") {
        this.next();
        this.next();
        check?.(argToken, argToken.text, keywords.length);
        // Jinja's compiled Python refuses a repeated keyword argument.
        if (keywords.some(([key]) => key === argToken.text)) this.syntax(`the keyword argument \`${argToken.text}\` is repeated`, argToken);
        keywords.push([argToken.text, this.expression()]);
      } else {
        if (keywords.length > 0) this.syntax("a positional argument follows a keyword argument", argToken);
        check?.(argToken, undefined, args.length);
        args.push(this.expression());
      }
      if (!this.isOp(",")) break;
      this.next();
    }
    this.expectOp(")");
    return { args, keywords };
  }

  private test(value: Expr): Expr {
    let negated = false;
    if (this.isName("not")) {
      this.next();
      negated = true;
    }
    const token = this.expectName();
    // Jinja looks tests up by name, and has none named `None`: `{{ x is None }}` is its error, and
    // `{% if x is None %}` raises when rendered.
    if (token.text === "None") throw new TemplateError("`is None`: Jinja has no test named `None` (it raises); the test is `is none`", "unsupported", token.at, token.end);
    const written = token.text;
    const plain = (PLAIN_TESTS as readonly string[]).includes(written);
    const withArgument = Object.hasOwn(ARGUMENT_TESTS, written) ? ARGUMENT_TESTS[written as keyof typeof ARGUMENT_TESTS] : undefined;
    if (!plain && !withArgument) {
      if (!JINJA_OTHER_TESTS.has(token.text)) throw new TemplateError(`Jinja has no test named \`${token.text}\``, "syntax", token.at, token.end);
      throw new TemplateError(`the test \`is ${token.text}\` is not supported in ${this.where}; supported tests: ${SUPPORTED_TESTS}`, "unsupported", token.at, token.end);
    }
    if (withArgument) {
      // Jinja passes `(…)` or one following value (a name, string, number, list, with its
      // attributes and items) to the test.
      if (this.isOp("(")) {
        const open = this.next();
        if (this.isOp(")")) this.unsupported(`the test \`is ${token.text}\` without its argument`, open, this.current.end);
        const arg = this.expression();
        if (this.isOp(",")) this.unsupported(`a second argument to the test \`is ${token.text}\``);
        if (this.current.kind === "name" && this.tokens[this.index + 1]?.text === "=") this.unsupported(`a keyword argument to the test \`is ${token.text}\``);
        this.expectOp(")");
        return { kind: "test", value, name: withArgument, args: [arg], negated };
      }
      const after = this.current;
      if ((after.kind === "name" && !["else", "or", "and"].includes(after.text)) || after.kind === "string" || after.kind === "number" || this.isOp("[")) {
        if (after.kind === "name" && after.text === "is") this.syntax("tests chained with `is`", after);
        return { kind: "test", value, name: withArgument, args: [this.postfix(this.primary())], negated };
      }
      return this.unsupported(`the test \`is ${token.text}\` without its argument`, token);
    }
    const name = written as TestName;
    if (this.isOp("(")) this.unsupported(`arguments to the test \`is ${token.text}\``);
    // Jinja passes a following name, string, number, list or dict to the test as its argument
    // (`x is none not in l` is `x is none(not) …`), which these tests do not take (a TypeError
    // when it is rendered), and refuses a second `is`.
    const after = this.current;
    if ((after.kind === "name" && !["else", "or", "and"].includes(after.text)) || after.kind === "string" || after.kind === "number" || this.isOp("[") || this.isOp("{")) {
      if (after.kind === "name" && after.text === "is") this.syntax("tests chained with `is`", after);
      this.unsupported(`an argument to the test \`is ${token.text}\` (Jinja passes it ${describe(after)})`, after);
    }
    return { kind: "test", value, name, args: [], negated };
  }
}

function ordinal(n: number): string {
  return n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`;
}

function describe(token: Token): string {
  return token.kind === "end" ? "the end of the tag" : `\`${token.text}\``;
}

/** What a `{% set … %}…{% endset %}` block assigns its text to: names, or a namespace's attribute. */
type SetTarget = { readonly targets: readonly string[] } | { readonly namespace: Expr; readonly name: string };

type OpenBlock =
  | { readonly kind: "if"; readonly at: Token; readonly branches: { test: Expr; body: TemplateNode[]; at: number; end: number }[]; otherwise: TemplateNode[] | undefined }
  | { readonly kind: "set"; readonly at: Token; readonly target: SetTarget; readonly value: Expr; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "filter"; readonly at: Token; readonly value: Expr; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "with"; readonly at: Token; readonly assignments: readonly (readonly [string, Expr])[]; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "for"; readonly at: Token; readonly targets: readonly string[]; readonly iterable: Expr; readonly test: Expr | undefined; readonly recursive: boolean; readonly body: TemplateNode[]; otherwise: TemplateNode[] | undefined }
  | { readonly kind: "macro"; readonly at: Token; readonly name: string; readonly parameters: MacroDefinition["parameters"]; readonly body: TemplateNode[]; readonly otherwise?: undefined }
  | { readonly kind: "call"; readonly at: Token; readonly call: Expr; readonly parameters: MacroDefinition["parameters"]; readonly body: TemplateNode[]; readonly otherwise?: undefined };

/** Python's white space (`\s` of Python's `re`), which whitespace control strips. */
const PY_SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");
/** `{% raw %}` (Jinja's lexer reads it before any other tag): the text up to `{% endraw %}` as written. */
const RAW_BEGIN = new RegExp(`\\{%([-+]?)[${PY_SPACE}]*raw[${PY_SPACE}]*(-%\\}[${PY_SPACE}]*|%\\})`, "uy");
const RAW_END = new RegExp(`\\{%([-+]?)[${PY_SPACE}]*endraw[${PY_SPACE}]*(\\+%\\}|-%\\}[${PY_SPACE}]*|%\\})`, "u");

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
const MARKUP_FILTERS: ReadonlySet<FilterName> = new Set(["escape", "forceescape", "safe"]);

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

/**
 * Parses a response template. Jinja drops one newline at the very end of a template, and so
 * does this parser.
 */
export function parseTemplate(source: string, options: ParseOptions = RESPONSE_TEMPLATES): TemplateNode[] {
  // Jinja reads `\r\n`, `\r` and `\n` all as `\n`, and drops one trailing line break.
  const text = source.endsWith("\r\n") ? source.slice(0, -2) : source.endsWith("\n") || source.endsWith("\r") ? source.slice(0, -1) : source;
  const root: TemplateNode[] = [];
  const open: OpenBlock[] = [];
  const target = (): TemplateNode[] => {
    const block = open[open.length - 1];
    if (!block) return root;
    if (block.otherwise) return block.otherwise;
    return block.kind === "if" ? block.branches[block.branches.length - 1]!.body : block.body;
  };
  let pendingText = "";
  let stripNext = false;
  const flushText = (stripEnd: boolean): void => {
    let piece = pendingText.replace(/\r\n?/g, "\n");
    if (stripEnd) piece = piece.replace(TRAILING_SPACE, "");
    pendingText = "";
    if (piece !== "") target().push({ kind: "text", text: piece });
  };
  let at = 0;
  while (at < text.length) {
    const next = text.slice(at).search(/\{[{%#]/);
    if (next < 0) {
      pendingText += stripNext ? text.slice(at).replace(LEADING_SPACE, "") : text.slice(at);
      break;
    }
    const chunk = text.slice(at, at + next);
    pendingText += stripNext ? chunk.replace(LEADING_SPACE, "") : chunk;
    const start = at + next;
    RAW_BEGIN.lastIndex = start;
    const raw = RAW_BEGIN.exec(text);
    if (raw) {
      const contentFrom = start + raw[0].length;
      const end = RAW_END.exec(text.slice(contentFrom));
      if (!end) throw new TemplateError("missing end of raw directive (`{% endraw %}`)", "syntax", start, contentFrom);
      flushText(raw[1] === "-");
      const content = text.slice(contentFrom, contentFrom + end.index);
      pendingText += end[1] === "-" ? content.replace(TRAILING_SPACE, "") : content;
      stripNext = false;
      at = contentFrom + end.index + end[0].length;
      continue;
    }
    const marker = text[start + 1]!;
    const stripBefore = text[start + 2] === "-";
    const contentStart = start + 2 + (stripBefore || text[start + 2] === "+" ? 1 : 0);
    if (marker === "#") {
      const close = text.indexOf("#}", contentStart);
      if (close < 0) throw new TemplateError("missing end of comment tag `#}`", "syntax", start, start + 2);
      flushText(stripBefore);
      stripNext = text[close - 1] === "-" && close - 1 >= contentStart;
      at = close + 2;
      continue;
    }
    const closer = marker === "{" ? "}}" : "%}";
    const close = findClose(text, contentStart, closer, start);
    const stripAfter = text[close - 1] === "-" && close - 1 >= contentStart;
    // `+%}` keeps the white space after a block tag (it only undoes `trim_blocks`, which Rasa does not set).
    const keepAfter = marker === "%" && text[close - 1] === "+" && close - 1 >= contentStart;
    const contentEnd = stripAfter || keepAfter ? close - 1 : close;
    flushText(stripBefore);
    stripNext = stripAfter;
    at = close + 2;
    const parser = new ExpressionParser(tokenize(text, contentStart, contentEnd, options.where), options.where);
    if (marker === "{") {
      if (parser.atEnd()) throw new TemplateError("an empty `{{ }}`", "syntax", start, close + 2);
      const exprAt = parser.current.at;
      const expr = parser.tuple(true);
      if (!parser.atEnd()) parser.syntax(`unexpected ${describe(parser.current)}`);
      checkExpression(expr, true, options);
      target().push({ kind: "output", expr, at: exprAt, end: parser.previousEnd });
      continue;
    }
    statement(parser, open, target, start, close + 2, options);
  }
  flushText(false);
  const unclosed = open[open.length - 1];
  if (unclosed) throw new TemplateError(`the \`{% ${unclosed.kind} %}\` block has no \`{% end${unclosed.kind} %}\``, "syntax", unclosed.at.at, unclosed.at.end);
  return root;
}

/** An int literal, signed or not: `{{ 12345678901234567890 }}`. */
export function isIntegerLiteral(expr: Expr): expr is Extract<Expr, { kind: "literal" }> & { readonly number: NumberLiteral } {
  return expr.kind === "literal" && expr.number !== undefined && !isFloatLiteral(expr.number.text.replace(/^[-+]/, ""));
}

/** The checks of an expression the parser has read: its int literals (unless the caller checks them) and its Markup. */
function checkExpression(expr: Expr, markupInvisible: boolean, options: ParseOptions): void {
  if (!options.bigIntegersChecked) checkNumbers(expr);
  if (!options.random) refuseRandom(expr, options.where);
  checkEscapes(expr, markupInvisible, options.where);
}

function statement(parser: ExpressionParser, open: OpenBlock[], target: () => TemplateNode[], start: number, end: number, options: ParseOptions): void {
  if (parser.atEnd()) throw new TemplateError("a statement tag without a statement", "syntax", start, end);
  const keyword = parser.expectName();
  if ((ALL_STATEMENTS as readonly string[]).includes(keyword.text) && !(options.statements as readonly string[]).includes(keyword.text)) {
    throw new TemplateError(`the statement \`{% ${keyword.text} %}\` is not supported in ${options.where}; supported statements: ${options.statements.join(", ")}`, "unsupported", keyword.at, keyword.end);
  }
  const block = open[open.length - 1];
  const finish = (): void => {
    if (!parser.atEnd()) parser.syntax(`unexpected ${describe(parser.current)}`);
  };
  switch (keyword.text) {
    case "if": {
      const testAt = parser.current.at;
      const test = parser.tuple(false);
      checkExpression(test, true, options);
      const testEnd = parser.previousEnd;
      finish();
      open.push({ kind: "if", at: keyword, branches: [{ test, body: [], at: testAt, end: testEnd }], otherwise: undefined }); // goes into the tree when it closes
      return;
    }
    case "elif": {
      if (block?.kind !== "if" || block.otherwise) parser.syntax("`{% elif %}` outside an `{% if %}` block (or after its `{% else %}`)", keyword);
      const testAt = parser.current.at;
      const test = parser.tuple(false);
      checkExpression(test, true, options);
      const testEnd = parser.previousEnd;
      finish();
      block.branches.push({ test, body: [], at: testAt, end: testEnd });
      return;
    }
    case "else":
      finish();
      if (!block || block.otherwise || (block.kind !== "if" && block.kind !== "for")) parser.syntax("`{% else %}` outside an `{% if %}` or `{% for %}` block", keyword);
      block.otherwise = [];
      return;
    case "endif":
    case "endfor":
    case "endset":
    case "endfilter":
    case "endwith":
    case "endmacro":
    case "endcall": {
      finish();
      const kind = keyword.text.slice(3) as OpenBlock["kind"];
      if (block?.kind !== kind) parser.syntax(block ? `\`{% ${keyword.text} %}\` closes a \`{% ${block.kind} %}\` block; expected \`{% end${block.kind} %}\`` : `\`{% ${keyword.text} %}\` without an open \`{% ${kind} %}\``, keyword);
      open.pop();
      target().push(closedBlock(block, keyword.end));
      return;
    }
    case "for": {
      const targets = [parser.expectName().text];
      while (parser.isOp(",")) {
        parser.next();
        targets.push(parser.expectName().text);
      }
      if (!parser.isName("in")) parser.syntax(`expected \`in\`, found ${describe(parser.current)}`);
      parser.next();
      const iterable = parser.tuple(false);
      checkExpression(iterable, false, options);
      let test: Expr | undefined;
      if (parser.isName("if")) {
        parser.next();
        test = parser.expression();
        checkExpression(test, true, options);
      }
      const recursive = parser.isName("recursive");
      if (recursive && !options.recursiveLoops) parser.unsupported("a recursive `{% for %}` loop");
      if (recursive) parser.next();
      finish();
      open.push({ kind: "for", at: keyword, targets, iterable, test, recursive, body: [], otherwise: undefined }); // goes into the tree when it closes
      return;
    }
    case "raw":
    case "endraw":
      // (A well-formed `{% raw %}` never gets here: the text scanner takes it whole.)
      return parser.syntax(`Jinja reads \`{% ${keyword.text} … %}\` as an unknown tag`, keyword);
    case "filter": {
      // `{% filter upper | replace('a', 'b') %}…{% endfilter %}`: the text between, through the filters.
      const value = parser.filterStatement();
      checkExpression(value, true, options);
      finish();
      open.push({ kind: "filter", at: keyword, value, body: [] }); // goes into the tree when it closes
      return;
    }
    case "with": {
      const assignments: (readonly [string, Expr])[] = [];
      while (!parser.atEnd()) {
        if (assignments.length > 0) parser.expectOp(",");
        const name = parser.expectName();
        if (/^(true|false|none|True|False|None)$/.test(name.text)) parser.syntax(`can't assign to \`${name.text}\``, name);
        parser.expectOp("=");
        const value = parser.expression();
        checkExpression(value, false, options);
        assignments.push([name.text, value]);
      }
      open.push({ kind: "with", at: keyword, assignments, body: [] }); // goes into the tree when it closes
      return;
    }
    case "set": {
      const setTarget = assignTarget(parser);
      if (!parser.isOp("=")) {
        // A block assignment: `{% set x | filters %}…{% endset %}` assigns the text between.
        const value = parser.filterChain({ kind: "captured" });
        checkExpression(value, false, options);
        finish();
        open.push({ kind: "set", at: keyword, target: setTarget, value, body: [] }); // goes into the tree when it closes
        return;
      }
      parser.next();
      const valueAt = parser.current.at;
      const value = parser.tuple(true);
      checkExpression(value, false, options);
      const valueEnd = parser.previousEnd;
      finish();
      target().push("targets" in setTarget ? { kind: "set", targets: setTarget.targets, value, at: valueAt, end: valueEnd } : { kind: "setAttribute", namespace: setTarget.namespace, name: setTarget.name, value });
      return;
    }
    case "macro": {
      const name = parser.expectName();
      if (!parser.isOp("(")) parser.syntax(`expected \`(\`, found ${describe(parser.current)}`);
      const parameters = macroParameters(parser, options);
      finish();
      open.push({ kind: "macro", at: keyword, name: name.text, parameters, body: [] }); // goes into the tree when it closes
      return;
    }
    case "call": {
      const parameters = parser.isOp("(") ? macroParameters(parser, options) : [];
      const callAt = parser.current;
      const call = parser.expression();
      // (Jinja's parser wants a call; a method's, flowc's methods would refuse the `caller=` it is handed.)
      if (call.kind !== "call" && call.kind !== "global") {
        if (call.kind === "method") parser.unsupported("a `{% call %}` of a method", callAt, parser.previousEnd);
        throw new TemplateError("expected a call after `{% call %}`", "syntax", callAt.at, parser.previousEnd);
      }
      // (Jinja hands the call `caller=` itself: one written too is Python's syntax error when Jinja compiles the template.)
      if (call.keywords.some(([key]) => key === "caller")) throw new TemplateError("the keyword argument `caller` is repeated", "syntax", callAt.at, parser.previousEnd);
      checkExpression(call, false, options);
      finish();
      open.push({ kind: "call", at: keyword, call, parameters, body: [] }); // goes into the tree when it closes
      return;
    }
    case "print": {
      // `{% print a, b %}` prints each expression in turn.
      if (parser.atEnd()) return;
      for (;;) {
        const exprAt = parser.current.at;
        const expr = parser.expression();
        checkExpression(expr, true, options);
        target().push({ kind: "output", expr, at: exprAt, end: parser.previousEnd });
        if (parser.atEnd()) return;
        parser.expectOp(",");
      }
    }
    default:
      // Jinja's other statements are valid Jinja outside the subset; any other tag is Jinja's syntax error.
      if (!JINJA_STATEMENTS.has(keyword.text)) parser.syntax(`Jinja has no tag \`{% ${keyword.text} %}\` (\`break\`, \`continue\` and \`do\` are extensions Rasa does not load)`, keyword);
      throw new TemplateError(`the statement \`{% ${keyword.text} %}\` is not supported in ${options.where}; supported statements: ${options.statements.join(", ")}`, "unsupported", keyword.at, keyword.end);
  }
}

/** The statements of Jinja outside the subset (the others in a tag are unknown to Jinja). */
const JINJA_STATEMENTS: ReadonlySet<string> = new Set(["block", "extends", "include", "from", "import", "autoescape"]);

/** The names a macro's caller, extra positional and keyword arguments have in its body, which flowc does not take for parameters. */
const MACRO_SPECIAL_NAMES: ReadonlySet<string> = new Set(["caller", "varargs", "kwargs"]);

/**
 * `(a, b=default, …)` of `{% macro %}` and `{% call %}` (Jinja's parse_signature): names, those
 * after the first with a default all with one, no trailing comma.
 */
function macroParameters(parser: ExpressionParser, options: ParseOptions): MacroDefinition["parameters"] {
  const parameters: { name: string; fallback?: Expr }[] = [];
  parser.expectOp("(");
  while (!parser.isOp(")")) {
    if (parameters.length > 0) parser.expectOp(",");
    const name = parser.expectName();
    if (/^(true|false|none|True|False|None)$/.test(name.text)) parser.syntax(`can't assign to \`${name.text}\``, name);
    if (parameters.some((p) => p.name === name.text)) parser.syntax(`the parameter \`${name.text}\` is repeated`, name);
    if (MACRO_SPECIAL_NAMES.has(name.text)) parser.unsupported(`a macro parameter named \`${name.text}\``, name);
    if (parser.isOp("=")) {
      parser.next();
      const fallback = parser.expression();
      checkExpression(fallback, false, options);
      parameters.push({ name: name.text, fallback });
    } else {
      if (parameters.some((p) => p.fallback)) parser.syntax("a parameter without a default follows one with a default", name);
      parameters.push({ name: name.text });
    }
  }
  parser.expectOp(")");
  return parameters;
}

/** What `{% set %}` assigns to (Jinja's assign target with a namespace): `ns.name`, or one or more names. */
function assignTarget(parser: ExpressionParser): SetTarget {
  const targets: string[] = [];
  do {
    if (targets.length > 0) parser.next();
    const target = parser.expectName();
    // Jinja's constants cannot be assigned to.
    if (/^(true|false|none|True|False|None)$/.test(target.text)) parser.syntax(`can't assign to \`${target.text}\``, target);
    if (targets.length === 0 && parser.isOp(".")) {
      parser.next();
      const name = parser.expectName();
      return { namespace: { kind: "name", name: target.text, at: target.at }, name: name.text };
    }
    targets.push(target.text);
  } while (parser.isOp(","));
  return { targets };
}

/** The node of a block at its end tag, which ends at `end`. */
function closedBlock(block: OpenBlock, end: number): TemplateNode {
  const at = block.at.at;
  switch (block.kind) {
    case "if":
      return { kind: "if", branches: block.branches, otherwise: block.otherwise ?? [] };
    case "for": {
      const loop = block.test
        ? { kind: "for" as const, targets: block.targets, iterable: block.iterable, test: block.test, body: block.body, otherwise: block.otherwise ?? [], at, end }
        : { kind: "for" as const, targets: block.targets, iterable: block.iterable, body: block.body, otherwise: block.otherwise ?? [], at, end };
      return block.recursive ? { ...loop, recursive: true } : loop;
    }
    case "filter":
      return { kind: "output", expr: block.value, block: block.body, at, end };
    case "with":
      return { kind: "with", assignments: block.assignments, body: block.body };
    case "macro":
      return { kind: "macro", name: block.name, macro: { parameters: block.parameters, body: block.body } };
    case "call":
      return { kind: "callBlock", call: block.call, caller: { parameters: block.parameters, body: block.body } };
    case "set":
      return "targets" in block.target ? { kind: "set", targets: block.target.targets, value: block.value, block: block.body, at, end } : { kind: "setAttribute", namespace: block.target.namespace, name: block.target.name, value: block.value, block: block.body };
  }
}

/**
 * The offset of `closer` after `from`, skipping quoted strings and, as Jinja's lexer does, any
 * closer inside open brackets (`{{ {'a': {'b': 1}} }}` ends at the last `}}`).
 */
function findClose(text: string, from: number, closer: string, tagStart: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (depth === 0 && text.startsWith(closer, i)) return i;
    else if (char === "(" || char === "[" || char === "{") depth++;
    else if ((char === ")" || char === "]" || char === "}") && depth > 0) depth--;
  }
  throw new TemplateError(`missing end of tag \`${closer}\``, "syntax", tagStart, tagStart + 2);
}
