/**
 * Scalars as Rasa's reader (ruamel.yaml) resolves and constructs them: YAML 1.2's core schema
 * for plain scalars (null, bools, ints, floats), the tags it knows (`!!str`, `!!int`, `!!float`,
 * `!!bool`, `!!null`, `!env_var`), and what it refuses to construct.
 */
import { pythonFloat } from "../../runtime/slots.ts";
import type { YamlNode } from "./yaml-nodes.ts";

/**
 * A scalar Rasa's reader refuses to construct: `=` (YAML's value key), a `<<` that is not a
 * merge key, an unknown tag, or a tagged text its type cannot read (`!!int abc`).
 */
export class Unreadable {
  constructor(readonly reason: string) {}
}

/**
 * Plain scalars are resolved by ruamel.yaml's YAML 1.2 rules, which are wider than the core
 * schema's: `_` may separate digits (`1_000`), `0b101` is binary, hexadecimal, octal and
 * binary take a sign (`-0o7`), `1.e5` is a float and `.5e3` (exponent without a sign after a
 * bare fraction) is text. Timestamps stay text (Rasa reads `2024-01-01` back as text).
 */
const FLOAT_PLAIN = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_PLAIN = /^[-+]?(?:0b[01_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)$/;
const NULL_PLAIN = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_PLAIN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** The texts starting with a letter that resolve to something else than text (all start with n, t or f). */
const CORE_WORDS: ReadonlySet<string> = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

const CORE_PREFIX = "tag:yaml.org,2002:";

/**
 * Whether a number was written as a float (`3.0`, `1e3`, `!!float 3`): Rasa's reader makes a
 * Python float of it, which prints as one (`3.0`) though JavaScript holds it as `3`.
 */
export function writtenAsFloat(node: YamlNode | null | undefined, source: string): boolean {
  const scalar = node?.kind === "alias" ? node.target : node;
  if (scalar?.kind !== "scalar" || typeof scalar.value !== "number") return false;
  if (scalar.tag !== undefined) return scalar.tag === CORE_PREFIX + "float";
  return scalar.style === "plain" && FLOAT_PLAIN.test(source.slice(scalar.start, scalar.end));
}

/** `!!merge <<` is a merge key, as a plain `<<` is. */
export const MERGE_TAG = CORE_PREFIX + "merge";

/** Rasa registers this tag: its scalar has environment variables expanded, as a plain one. */
export const ENV_VAR_TAG = "!env_var";

/** `!!bool` reads these (any case), as YAML 1.1 did. */
const TAGGED_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ["yes", true], ["no", false], ["y", true], ["n", false], ["true", true], ["false", false], ["on", true], ["off", false],
]);

/** Tags Rasa's reader constructs a scalar for (the others, `!!binary` aside, read as text here). */
const SCALAR_TAGS: ReadonlySet<string> = new Set(["str", "null", "bool", "int", "float", "binary", "timestamp"]);

/** The tags a mapping or sequence may carry. */
export const COLLECTION_TAGS: ReadonlySet<string> = new Set([CORE_PREFIX + "map", CORE_PREFIX + "seq", CORE_PREFIX + "omap", CORE_PREFIX + "pairs", CORE_PREFIX + "set", "!"]);

/** An integer as ruamel.yaml constructs one: `_` dropped, a sign, then `0b`/`0x`/`0o` or decimal. */
function constructInt(text: string): number | Unreadable {
  let digits = text.replace(/_/g, "");
  const sign = digits[0] === "-" ? -1 : 1;
  if (digits[0] === "-" || digits[0] === "+") digits = digits.slice(1);
  const prefixed = /^0([box])(.*)$/.exec(digits);
  const [base, body] = prefixed ? [prefixed[1] === "b" ? 2 : prefixed[1] === "o" ? 8 : 16, prefixed[2]!] : [10, digits.trim()];
  const valid = base === 2 ? /^[01]+$/ : base === 8 ? /^[0-7]+$/ : base === 16 ? /^[0-9a-fA-F]+$/ : /^[-+]?[0-9]+$/;
  if (!valid.test(body)) return new Unreadable(`\`${text}\` is not an integer`);
  return sign * (base === 10 ? Number(body) : parseInt(body, base)) + 0; // never -0
}

/** A float as ruamel.yaml constructs one: `_` dropped, a sign, `.inf`/`.nan`, else Python's `float()` of the rest. */
function constructFloat(text: string): number | Unreadable {
  let digits = text.replace(/_/g, "").toLowerCase();
  const sign = digits[0] === "-" ? -1 : 1;
  if (digits[0] === "-" || digits[0] === "+") digits = digits.slice(1);
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return NaN;
  const value = pythonFloat(digits);
  return value === undefined ? new Unreadable(`\`${text}\` is not a float`) : sign * value;
}

/**
 * A plain scalar without a tag is resolved as Rasa's reader does; a quoted or block one is
 * text; with a tag, the tag's type constructs it (and an unknown tag is refused, as Rasa does).
 */
export function resolveScalar(text: string, tag: string | null, plain: boolean): unknown {
  if (tag === null) {
    if (!plain) return text;
    // Only these can start a null, a boolean or a number; and after a letter, only a word of
    // CORE_WORDS is one (keys such as `type` and `flows` are the most frequent scalars).
    if (text !== "" && !/^[-+.0-9~=]/.test(text) && !CORE_WORDS.has(text)) return text;
    if (NULL_PLAIN.test(text)) return null;
    if (BOOL_PLAIN.test(text)) return text[0] === "t" || text[0] === "T";
    if (FLOAT_PLAIN.test(text)) return constructFloat(text);
    if (INT_PLAIN.test(text)) return constructInt(text);
    return text;
  }
  if (tag === "!" || tag === ENV_VAR_TAG || tag === MERGE_TAG) return text;
  if (!tag.startsWith(CORE_PREFIX) || !SCALAR_TAGS.has(tag.slice(CORE_PREFIX.length))) return new Unreadable(`unknown tag \`${tag}\``);
  switch (tag.slice(CORE_PREFIX.length)) {
    case "null":
      return null;
    case "bool": {
      const value = TAGGED_BOOLS.get(text.toLowerCase());
      return value ?? new Unreadable(`\`${text}\` is not a boolean`);
    }
    case "int":
      return constructInt(text);
    case "float":
      return constructFloat(text);
    default:
      return text;
  }
}
