/**
 * The syntax tree that YAML text is read into (yaml-parse.ts), with the position of every node,
 * and js-yaml's events that it is built from.
 */
export type ScalarStyle = "plain" | "single-quoted" | "double-quoted" | "literal" | "folded";

export interface YamlScalar {
  readonly kind: "scalar";
  /** Offset of the first character (after any anchor or tag). */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
  readonly style: ScalarStyle;
  /** The value, resolved as Rasa's reader resolves it (before `${VAR}` expansion). */
  readonly value: unknown;
  /** The explicit tag, if any (a tagged plain scalar is not resolved, nor expanded, by its text). */
  readonly tag?: string;
}

export interface YamlAlias {
  readonly kind: "alias";
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** The node the alias refers to: the last one before it with that anchor. */
  readonly target: YamlNode | undefined;
}

export interface YamlPair {
  readonly key: YamlNode | null;
  readonly value: YamlNode | null;
}

export interface YamlMap {
  readonly kind: "map";
  readonly start: number;
  readonly end: number;
  readonly pairs: readonly YamlPair[];
}

export interface YamlSeq {
  readonly kind: "seq";
  readonly start: number;
  readonly end: number;
  readonly items: readonly (YamlNode | null)[];
}

export type YamlNode = YamlScalar | YamlAlias | YamlMap | YamlSeq;

export interface YamlError {
  readonly kind: "syntax" | "duplicate-key" | "too-deep";
  /** For a syntax error, the reason (js-yaml's, without position or excerpt); for a duplicate key, the key as written. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
}
/** One call of js-yaml's `composeNode`. */
export class Event {
  close = -1;
  kind: string | null = null;
  /**
   * js-yaml's value: a scalar's text, or null; `COMPOSED` for a mapping or sequence, whose
   * values are not used and not kept (only a sequence's `length`).
   */
  result: unknown = null;
  /** The number of entries js-yaml composed for a sequence; -1 for other nodes. */
  length = -1;
  tag: string | null = null;
  anchor: string | null = null;
  children: Event[] | undefined = undefined;
  /**
   * What js-yaml goes on with in place of its value (see the listener): the value itself, but
   * `COMPOSED` for a mapping and "" for a sequence.
   */
  stands: unknown = null;

  constructor(readonly open: number) {}
}

export const NO_EVENTS: readonly Event[] = [];
