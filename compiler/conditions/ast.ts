/**
 * The abstract syntax of a flow condition (pypred's language as Rasa uses it; see
 * shared/spec/conditions.md). Every node carries its span: offsets into the condition text
 * (UTF-16 code units, end exclusive). The front end maps those offsets to file positions.
 *
 * `and` and `or` share one precedence level and group to the right, so `a and b or c` is
 * `and(a, or(b, c))`. Parentheses are kept as `group` nodes: some of pypred's rules look
 * through them and some of flowc's warnings need to know they were written.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A Jinja hole `{{ context.x }}` (branch sites) or `{{ slots.x }}` (rejection sites). */
export interface TemplateHole {
  readonly kind: "hole";
  /** The dotted path inside the braces, e.g. ["context", "collect"]. */
  readonly path: readonly string[];
  readonly span: Span;
}

/** Literal text and holes, in order. A piece of text never sits next to another text piece. */
export type TemplatedText = readonly (string | TemplateHole)[];

export interface LogicalNode {
  readonly kind: "and" | "or";
  readonly left: Expression;
  readonly right: Expression;
  /** The span of the keyword itself (for diagnostics about the operator). */
  readonly operatorSpan: Span;
  readonly span: Span;
}

export interface NotNode {
  readonly kind: "not";
  readonly operand: Expression;
  readonly span: Span;
}

/** `=`, `==`, `is` are "="; `!=` and `is not` are "!=". */
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface CompareNode {
  readonly kind: "compare";
  readonly operator: ComparisonOperator;
  /** The operator as written: "==", "is", "IS NOT", ... */
  readonly operatorText: string;
  readonly operatorSpan: Span;
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

export interface ContainsNode {
  readonly kind: "contains";
  readonly left: Expression;
  readonly right: Expression;
  readonly operatorSpan: Span;
  readonly span: Span;
}

export interface MatchesNode {
  readonly kind: "matches";
  readonly left: Expression;
  /** The right operand as parsed (a string, word or regex token, possibly in parentheses). */
  readonly right: Expression;
  /**
   * The regular expression pypred compiles, taken from the right token's text (never looked
   * up): `/abc/i` gives pattern "abc" and flags "i"; `"abc"` gives "abc" and no flags.
   * Holes are kept as holes; they are rendered before the pattern is known.
   */
  readonly pattern: TemplatedText;
  readonly flags: string;
  readonly operatorSpan: Span;
  readonly span: Span;
}

export interface NumberNode {
  readonly kind: "number";
  readonly value: number;
  readonly text: string;
  readonly span: Span;
}

/** A quoted string. `text` is the token as written, quotes included. */
export interface StringNode {
  readonly kind: "string";
  readonly quote: '"' | "'";
  /** The content between the quotes. */
  readonly value: TemplatedText;
  readonly text: string;
  readonly span: Span;
}

/**
 * An unquoted word (`[\w\-.:;]+`, possibly with holes): looked up in the document, so
 * `slots.age` is a slot and `gold` is undefined, never the string "gold".
 */
export interface WordNode {
  readonly kind: "word";
  readonly parts: TemplatedText;
  readonly text: string;
  readonly span: Span;
}

/** A `/regex/flags` token. Used anywhere but after `matches` it is a (undefined) lookup. */
export interface RegexNode {
  readonly kind: "regex";
  readonly pattern: TemplatedText;
  readonly flags: string;
  readonly text: string;
  readonly span: Span;
}

export type ConstantValue = true | false | null | "undefined" | "empty";

/** `true`, `false`, `null`, `undefined`, `empty` (keywords are case-insensitive). */
export interface ConstantNode {
  readonly kind: "constant";
  readonly value: ConstantValue;
  readonly text: string;
  readonly span: Span;
}

/** `{ a b c }`: a set literal, elements separated by whitespace only. */
export interface SetNode {
  readonly kind: "set";
  readonly elements: readonly Expression[];
  readonly span: Span;
}

/** `( expression )`. */
export interface GroupNode {
  readonly kind: "group";
  readonly expression: Expression;
  readonly span: Span;
}

export type Expression =
  | LogicalNode
  | NotNode
  | CompareNode
  | ContainsNode
  | MatchesNode
  | NumberNode
  | StringNode
  | WordNode
  | RegexNode
  | ConstantNode
  | SetNode
  | GroupNode;

/** Where a condition is written; decides whether Jinja holes are rendered before parsing. */
export type ConditionSite = "guard" | "branch" | "rejection" | "response";
