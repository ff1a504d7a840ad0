/**
 * Python's `str.format` as Rasa's format templates run it: Rasa rewrites every `{name}` into
 * `{0[name]}` and calls `text.format(values)` with one positional argument, the dict of the
 * values the text names. Python walks the text from left to right, and the first thing that
 * goes wrong decides: a `KeyError` (a name without a value, `{1}`, a key a value lacks) makes
 * Rasa send the text as written; any other error (a lone `}` or `{`, `{0[a]x}`, an index out
 * of range, an unknown conversion) fails the action, so nothing is sent. Which one comes first
 * depends on the order, so `Hi {nobody} }` is sent as written while `Hi } {nobody}` fails.
 *
 * A text is parsed once into the steps Python takes (literal text, fields, and the point where
 * parsing fails); rendering walks them. Supported beyond Rasa's plain `{0[name]}` fields, as
 * Python does them: `{}`/`{0}` (the argument itself), `[key]` chains, the conversions `!s`,
 * `!r` and `!a`, and nested fields in a format spec. Two approximations, both far from any
 * real response: an attribute (`.name`) always fails (Python would find the methods of a
 * dict or a string), and a non-empty format spec always fails (Python formats `{0[a]:>5}`).
 */
import { pythonEscape, pythonRepr, pythonStr } from "./conditions/template.ts";
import { withAsciiDigits } from "./slots.ts";

/** Raised where Python raises a `KeyError`: Rasa sends the text as written. */
export class FormatKeyError extends Error {
  override readonly name = "FormatKeyError";
}

/** Raised where Python raises anything else (`ValueError`, `IndexError`, `TypeError`): Rasa's action fails. */
export class FormatFailure extends Error {
  override readonly name = "FormatFailure";
}

/** The point of the walk where Python raises a `ValueError` about the text itself. */
export const FAILS = -1;

/** A `[key]` after the first part of a field name (all-digit keys are ints, never negative); FAILS where Python cannot parse the rest. */
type Accessor = string | number | typeof FAILS;

export interface FormatField {
  /** The first part of the field name: "" for automatic numbering, a number for a positional index, else a keyword name (FAILS: too many digits). */
  readonly first: string | number | typeof FAILS;
  readonly accessors: readonly Accessor[];
  readonly conversion: string | undefined;
  /** The format spec as written; parsed as a format text of its own when it holds a field. */
  readonly spec: string;
  readonly nestedSpec: boolean;
}

/** Literal text, a field, or the point where Python's parsing fails. */
export type FormatStep = string | FormatField | typeof FAILS;

/** Python's `str.format` parsing of `text` (MarkupIterator): the steps in order, ending with FAILS where parsing fails. */
export function parseFormatSteps(text: string): FormatStep[] {
  const steps: FormatStep[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let brace = "";
    while (i < n) {
      const c = text[i++]!;
      if (c === "{" || c === "}") {
        brace = c;
        break;
      }
    }
    if (brace === "") {
      steps.push(text.slice(start, i));
      break;
    }
    const atEnd = i >= n;
    if (brace === "}" && (atEnd || text[i] !== "}")) return [...steps, FAILS]; // Single '}' encountered
    if (brace === "{" && atEnd) return [...steps, FAILS]; // Single '{' encountered
    if (text[i] === brace) {
      steps.push(text.slice(start, i)); // an escaped brace: the literal keeps one
      i++;
      continue;
    }
    if (i - 1 > start) steps.push(text.slice(start, i - 1));
    const field = parseField(text, i);
    if (field === FAILS) return [...steps, FAILS];
    steps.push(field.field);
    i = field.end;
  }
  return steps;
}

/** One field from just after its `{` (Python's parse_field): the field and where the text goes on. */
function parseField(text: string, from: number): { field: FormatField; end: number } | typeof FAILS {
  const n = text.length;
  let i = from;
  let stop = "";
  while (i < n) {
    const c = text[i++]!;
    if (c === "{") return FAILS; // unexpected '{' in field name
    if (c === "[") {
      while (i < n && text[i] !== "]") i++;
      continue;
    }
    if (c === "}" || c === ":" || c === "!") {
      stop = c;
      break;
    }
  }
  if (stop === "") return FAILS; // expected '}' before end of string
  const name = text.slice(from, i - 1);
  let conversion: string | undefined;
  if (stop === "!") {
    if (i >= n) return FAILS; // end of string while looking for conversion specifier
    conversion = text[i++];
    if (i < n) {
      const c = text[i++];
      if (c === "}") return { field: field(name, conversion, "", false), end: i };
      if (c !== ":") return FAILS; // expected ':' after conversion specifier
    }
  } else if (stop === "}") return { field: field(name, conversion, "", false), end: i };
  const specStart = i;
  let depth = 1;
  let nested = false;
  while (i < n) {
    const c = text[i++];
    if (c === "{") {
      nested = true;
      depth++;
    } else if (c === "}" && --depth === 0) return { field: field(name, conversion, text.slice(specStart, i - 1), nested), end: i };
  }
  return FAILS; // unmatched '{' in format spec
}

const DIGITS = /^[0-9]+$/;
const NON_ASCII = /[^\x00-\x7f]/;
/** Built on first use (a Unicode property regex costs every start-up its build). */
let decimalDigits: RegExp | undefined;
/** Python's Py_ssize_t: a longer index is "Too many decimal digits in format string". */
const MAX_INDEX = 9223372036854775807n;

/** An all-digit key is an int to Python, which reads the decimal digits of any script there (`{٣}` is `{3}`); never negative. */
function integerOr(text: string): string | number | typeof FAILS {
  if (!DIGITS.test(text)) {
    if (!NON_ASCII.test(text) || !(decimalDigits ??= /^\p{Nd}+$/u).test(text)) return text;
    const ascii = withAsciiDigits(text);
    if (!DIGITS.test(ascii)) return text; // a digit of a later Unicode than slots.ts knows
    text = ascii;
  }
  return BigInt(text) > MAX_INDEX ? FAILS : Number(text);
}

/** The parts of a field name (Python's field_name_split and FieldNameIterator), FAILS at the first accessor Python cannot parse. */
function field(name: string, conversion: string | undefined, spec: string, nestedSpec: boolean): FormatField {
  let i = 0;
  while (i < name.length && name[i] !== "." && name[i] !== "[") i++;
  const first = integerOr(name.slice(0, i));
  const accessors: Accessor[] = [];
  while (i < name.length) {
    const c = name[i++];
    if (c === "[") {
      const close = name.indexOf("]", i);
      if (close < 0 || close === i) {
        accessors.push(FAILS); // Missing ']' / Empty attribute in format string
        break;
      }
      accessors.push(integerOr(name.slice(i, close)));
      i = close + 1;
    } else {
      // `.name` (an attribute, which fails here: see the module comment) or anything else after `]`.
      accessors.push(FAILS);
      break;
    }
  }
  return { first, accessors, conversion, spec, nestedSpec };
}

/** The positional argument: Rasa's dict of the values a text names. */
export interface FormatArgument {
  has(key: string): boolean;
  /** The value of a key it has. */
  get(key: string): unknown;
  /** Python's `str()` of the value of a key it has (a float slot's number as a float). */
  text(key: string): string;
  /** Python's `str()` of the whole dict. */
  dictText(): string;
}

interface Numbering {
  /** 0: no field yet, 1: automatic, 2: manual. */
  mode: 0 | 1 | 2;
  next: number;
}

/** Renders parsed steps with `argument` as positional argument 0 and no keyword arguments. */
export function renderFormatSteps(steps: readonly FormatStep[], argument: FormatArgument, depth = 2, numbering: Numbering = { mode: 0, next: 0 }): string {
  if (depth <= 0) throw new FormatFailure("Max string recursion exceeded");
  let out = "";
  for (const step of steps) {
    if (typeof step === "string") out += step;
    else if (step === FAILS) throw new FormatFailure("invalid format string");
    else out += renderField(step, argument, depth, numbering);
  }
  return out;
}

const ARGUMENT = Symbol("argument");

function renderField(field: FormatField, argument: FormatArgument, depth: number, numbering: Numbering): string {
  const { first } = field;
  if (first === FAILS) throw new FormatFailure("Too many decimal digits in format string");
  let index: number;
  if (first === "") {
    if (numbering.mode === 2) throw new FormatFailure("cannot switch from manual field specification to automatic field numbering");
    numbering.mode = 1;
    index = numbering.next++;
  } else if (typeof first === "number") {
    if (numbering.mode === 1) throw new FormatFailure("cannot switch from automatic field numbering to manual field specification");
    numbering.mode = 2;
    index = first;
  } else throw new FormatKeyError(first); // no keyword arguments
  if (index !== 0) throw new FormatFailure("Replacement index out of range for positional args tuple");
  let value: unknown = ARGUMENT;
  /** The key of the argument the value is, while it is one (its text knows a float slot). */
  let key: string | undefined;
  for (const accessor of field.accessors) {
    if (accessor === FAILS) throw new FormatFailure("invalid field name");
    if (value === ARGUMENT) {
      if (typeof accessor !== "string" || !argument.has(accessor)) throw new FormatKeyError(String(accessor));
      value = argument.get(accessor);
      key = accessor;
    } else {
      value = getItem(value, accessor);
      key = undefined;
    }
  }
  const text = (): string => (value === ARGUMENT ? argument.dictText() : key !== undefined ? argument.text(key) : pythonStr(value));
  let printed: string;
  const conversion = field.conversion;
  if (conversion === undefined || conversion === "s") printed = text();
  else if (conversion === "r" || conversion === "a") {
    const repr = value === ARGUMENT ? argument.dictText() : typeof value === "number" && key !== undefined ? argument.text(key) : pythonRepr(value);
    printed = conversion === "a" ? asciiEscape(repr) : repr;
  } else throw new FormatFailure(`Unknown conversion specifier ${conversion}`);
  const spec = field.nestedSpec ? renderFormatSteps(parseFormatSteps(field.spec), argument, depth - 1, numbering) : field.spec;
  if (spec !== "") throw new FormatFailure("a format spec (see the module comment)");
  return printed;
}

/** Python's `value[key]` on a JSON value. */
function getItem(value: unknown, key: string | number): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    if (typeof key === "string" && Object.hasOwn(value, key)) return (value as Record<string, unknown>)[key];
    throw new FormatKeyError(String(key));
  }
  const sequence = Array.isArray(value) ? value : typeof value === "string" ? [...value] : undefined;
  if (sequence === undefined || typeof key !== "number") throw new FormatFailure("not subscriptable by this key");
  if (key >= sequence.length) throw new FormatFailure("index out of range");
  return sequence[key];
}

/** Python's `ascii()` of a repr: every character beyond ASCII escaped. */
function asciiEscape(repr: string): string {
  let out = "";
  for (const char of repr) {
    const code = char.codePointAt(0)!;
    out += code < 0x80 ? char : pythonEscape(code);
  }
  return out;
}
