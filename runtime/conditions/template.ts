/**
 * The Jinja step of Rasa's branch and rejection conditions, as far as compiled predicates need
 * it: rendering `{{ a.b }}` with Python's `str()` of the value, and telling whether a rendered
 * word is still one plain word token (then the compiled code applies; otherwise the fallback
 * parser does).
 */
import { ConditionError, PySet } from "./pypred.ts";
import { KEYWORDS } from "./tokens.ts";

/** Built on first use, like the token regexes (see tokens.ts: a literal costs every start-up its Unicode classes). */
let plainWord: RegExp | undefined;

export function raiseInvalid(message: string): never {
  throw new ConditionError(message, "invalid");
}

/** Renders `{{ root.parts… }}`: a missing key renders as "", a key of a missing value raises. */
export function renderPath(root: unknown, parts: readonly string[]): string {
  let current: unknown = root;
  let missing: string | undefined;
  for (const part of parts) {
    if (missing !== undefined) raiseInvalid(`template: '${missing}' is undefined, so it has no attribute '${part}'`);
    if (current !== null && typeof current === "object" && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, part)) {
      current = (current as Record<string, unknown>)[part];
    } else {
      missing = part;
      current = undefined;
    }
  }
  return missing !== undefined ? "" : pythonStr(current);
}

/**
 * Renders `{{ slots.x }}` in a rejection of a float slot: Rasa has coerced the value with
 * `float()` before the rejections run, so a whole number renders as a float (`18.0`), which
 * JSON numbers alone cannot tell from an int. `{{ slots }}` (no parts) is the dict of that one
 * slot: `{'x': 18.0}`.
 */
export function renderFloatSlot(slots: Readonly<Record<string, unknown>>, parts: readonly string[]): string {
  if (parts.length === 0) {
    return `{${Object.entries(slots).map(([k, v]) => `${pythonStringRepr(k)}: ${typeof v === "number" ? pythonFloat(v) : pythonRepr(v)}`).join(", ")}}`;
  }
  const [name] = parts;
  const value = parts.length === 1 && name !== undefined && Object.prototype.hasOwnProperty.call(slots, name) ? slots[name] : undefined;
  return typeof value === "number" ? pythonFloat(value) : renderPath(slots, parts);
}

/**
 * Where Jinja's `title` starts a word: after a run of `-`, `(`, `{`, `[`, `<` or Python's white
 * space (`\s` of Python's `re`, which is `str.isspace()`).
 */
const WORD_BEGINNING = /([-\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000({[<]+)/u;

/**
 * Jinja's `title` filter (not Python's `str.title`): the text split before runs of white space,
 * dashes and opening brackets, each piece with its first character upper case and the rest
 * lower case, so `they're` becomes `They're` and `x_y` stays `X_y`.
 */
export function jinjaTitle(text: string): string {
  return text
    .split(WORD_BEGINNING)
    .map((piece) => {
      const first = piece.codePointAt(0);
      if (first === undefined) return "";
      const size = first > 0xffff ? 2 : 1;
      return piece.slice(0, size).toUpperCase() + piece.slice(size).toLowerCase();
    })
    .join("");
}

/** Python's `str.capitalize()`: the first character in title case, the rest lower case. */
export function pythonCapitalize(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return "";
  const size = first > 0xffff ? 2 : 1;
  const head = text.slice(0, size);
  const rest = text.slice(size);
  // A capital sigma lowers to the final `ς` when a cased letter comes before it, the first
  // character included (`ΑΣ` becomes `Ας`): then the whole text is lowered, in context.
  return titleCase(first, head) + (rest.includes("\u03a3") ? text.toLowerCase().slice(head.toLowerCase().length) : rest.toLowerCase());
}

/**
 * The title case of one character, as Python has it: its upper case, except for the few
 * characters Unicode gives a title case of their own (digraphs such as U+01C6, Greek letters
 * with a subscript iota, ligatures, U+00DF) and Georgian letters, which have none.
 */
export function titleCase(code: number, char: string): string {
  if (code < 0xdf) return char.toUpperCase();
  if (code >= 0x10d0 && code <= 0x10ff) return char;
  if (code >= 0x1f80 && code <= 0x1faf) return String.fromCharCode(code | 8);
  return TITLE_CASE[code] ?? char.toUpperCase();
}

const TITLE_CASE: Readonly<Record<number, string>> = {
  0xdf: "Ss",
  0x1c4: "\u01c5",
  0x1c5: "\u01c5",
  0x1c6: "\u01c5",
  0x1c7: "\u01c8",
  0x1c8: "\u01c8",
  0x1c9: "\u01c8",
  0x1ca: "\u01cb",
  0x1cb: "\u01cb",
  0x1cc: "\u01cb",
  0x1f1: "\u01f2",
  0x1f2: "\u01f2",
  0x1f3: "\u01f2",
  0x587: "\u0535\u0582",
  0x1fb2: "\u1fba\u0345",
  0x1fb3: "\u1fbc",
  0x1fb4: "\u0386\u0345",
  0x1fb7: "\u0391\u0342\u0345",
  0x1fbc: "\u1fbc",
  0x1fc2: "\u1fca\u0345",
  0x1fc3: "\u1fcc",
  0x1fc4: "\u0389\u0345",
  0x1fc7: "\u0397\u0342\u0345",
  0x1fcc: "\u1fcc",
  0x1ff2: "\u1ffa\u0345",
  0x1ff3: "\u1ffc",
  0x1ff4: "\u038f\u0345",
  0x1ff7: "\u03a9\u0342\u0345",
  0x1ffc: "\u1ffc",
  0xfb00: "Ff",
  0xfb01: "Fi",
  0xfb02: "Fl",
  0xfb03: "Ffi",
  0xfb04: "Ffl",
  0xfb05: "St",
  0xfb06: "St",
  0xfb13: "\u0544\u0576",
  0xfb14: "\u0544\u0565",
  0xfb15: "\u0544\u056b",
  0xfb16: "\u054e\u0576",
  0xfb17: "\u0544\u056d",
};

/** How many renderings of one templated word are remembered (bounded: renderings may come from user input). */
const MAX_REMEMBERED_RENDERINGS = 256;

/**
 * The plain-word regex on ASCII text: there `\p{L}` is `[A-Za-z]`, and `\p{N}` and `\p{Nd}` are
 * `[0-9]`. A rendered word is nearly always ASCII (a slot name), and building the Unicode regex
 * costs a process's first collect step about a millisecond.
 */
const ASCII_PLAIN_WORD = /^(?!-?[0-9])[A-Za-z0-9_\-.:;]+$/;
const NON_ASCII = /[^\x00-\x7f]/;

/** True when `text` lexes as exactly one word token that is not a keyword. */
export function isPlainWord(text: string): boolean {
  const word = ASCII_PLAIN_WORD.test(text) || (NON_ASCII.test(text) && (plainWord ??= new RegExp(String.raw`^(?!-?\p{Nd})[\p{L}\p{N}_\-.:;]+$`, "u")).test(text));
  return word && !KEYWORDS.has(text.toLowerCase());
}

/**
 * A word with a Jinja hole, such as `slots.{{context.collect}}`: whether the rendered word is
 * still one plain word token, and whether it names a key right under a document root, decided
 * once per distinct rendering (a few slot names, asked for on every collect step).
 */
export class TemplatedWord {
  private readonly kinds = new Map<string, 0 | 1 | 2>();

  constructor(
    private readonly prefix: string,
    private readonly suffix: string,
  ) {}

  /** 0: not a plain word (use the fallback); 1: `root.key` with a key free of dots; 2: any other word. */
  classify(rendered: string): 0 | 1 | 2 {
    const known = this.kinds.get(rendered);
    if (known !== undefined) return known;
    const text = this.prefix + rendered + this.suffix;
    let kind: 0 | 1 | 2 = 0;
    if (isPlainWord(text)) kind = /^(slots|context)\.[^.]*$/.test(text) ? 1 : 2;
    if (this.kinds.size >= MAX_REMEMBERED_RENDERINGS) this.kinds.clear();
    this.kinds.set(rendered, kind);
    return kind;
  }

  text(rendered: string): string {
    return this.prefix + rendered + this.suffix;
  }

  /** The key after `root.` for kind 1. */
  key(rendered: string): string {
    const text = this.prefix + rendered + this.suffix;
    return text.slice(text.indexOf(".") + 1);
  }
}

/** Python's `str()` of a document value. */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

/** Python's `repr()` of a document value. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (value instanceof PySet) return `frozenset({${value.items.map(pythonRepr).join(", ")}})`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/**
 * Integral numbers print as Python ints (JSON cannot tell 18 from 18.0), others as Python's
 * shortest float repr (`1.5`, `1e-05`, `1.5e+16`).
 */
export function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isSafeInteger(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  return pythonFloat(value);
}

/** Python's `repr()` of a float: `50.0`, `1.5`, `1e-05`, `1e+16`. */
export function pythonFloat(value: number): string {
  // The common whole number (`50` → `50.0`) spared the digit-by-digit work below.
  if (Number.isInteger(value) && Math.abs(value) < 1e16 && !Object.is(value, -0)) return `${value}.0`;
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Object.is(value, -0)) return "-0.0";
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let body: string;
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.slice(1);
    body = `${digits[0]}${fraction ? `.${fraction}` : ""}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  } else if (exponent < 0) {
    body = `0.${"0".repeat(-exponent - 1)}${digits}`;
  } else {
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    const fraction = digits.slice(exponent + 1);
    body = `${whole}.${fraction || "0"}`;
  }
  return negative ? `-${body}` : body;
}

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\\" || char === quote) out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || (code > 0x7f && (nonPrintable ??= new RegExp(String.raw`[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]`, "u")).test(char))) out += pythonEscape(code);
    else out += char;
  }
  return out + quote;
}

/** Characters Python's `str.isprintable()` refuses (beyond ASCII), built on first use. */
let nonPrintable: RegExp | undefined;

/** How Python's `repr()` writes a character that is not printable: `\xa0`, `\u2028`, `\U000e0001`. */
/** Python's escape of a code point in a repr: `\xNN`, `\uNNNN` or `\UNNNNNNNN`. */
export function pythonEscape(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}
