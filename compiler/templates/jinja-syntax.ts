/**
 * What the parser of response and condition templates (parse-jinja-template.ts) reads a template
 * into: the syntax tree's nodes and expressions, the filters, tests, methods and globals of the
 * subset with their parameters, the options that say where a template is used, and the error
 * it raises.
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
export function filterNamed(text: string): FilterName | undefined {
  return Object.hasOwn(FILTER_PARAMETERS, text) ? (text as FilterName) : Object.hasOwn(FILTER_ALIASES, text) ? FILTER_ALIASES[text] : undefined;
}

export const ALL_STATEMENTS = ["if", "elif", "else", "endif", "for", "endfor", "set", "endset", "filter", "endfilter", "with", "endwith", "raw", "endraw", "print", "macro", "endmacro", "call", "endcall"] as const;

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
export const JINJA_OTHER_TESTS: ReadonlySet<string> = new Set(["sameas", "escaped", "filter", "test", "callable"]);

/** The filters that take a test or filter name and its arguments (`select('odd')`, `map('upper')`). */
export const CALLING_FILTERS: ReadonlySet<FilterName> = new Set(["map", "select", "reject", "selectattr", "rejectattr"]);

/** Jinja's tests that take no argument besides the value. */
export const PLAIN_TESTS = ["defined", "undefined", "none", "odd", "even", "boolean", "true", "false", "integer", "float", "number", "string", "mapping", "sequence", "iterable", "lower", "upper"] as const;
/** Jinja's tests that take one argument (`x is divisibleby 3`, `x is in(l)`), by name and alias. */
export const ARGUMENT_TESTS = { divisibleby: "divisibleby", in: "in", eq: "eq", equalto: "eq", ne: "ne", gt: "gt", greaterthan: "gt", ge: "ge", lt: "lt", lessthan: "lt", le: "le" } as const;
export type TestName = (typeof PLAIN_TESTS)[number] | (typeof ARGUMENT_TESTS)[keyof typeof ARGUMENT_TESTS];
export const SUPPORTED_TESTS = [...PLAIN_TESTS, ...Object.keys(ARGUMENT_TESTS)].sort().join(", ");

/** The names of Jinja's tests a `select` or `selectattr` may name, to the test they are (the operator names included). */
export const SELECT_TESTS: Readonly<Record<string, TestName>> = {
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
export const FILTER_PARAMETERS = {
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
