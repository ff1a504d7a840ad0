/**
 * Python's format specification mini-language (`format(value, spec)`, the part after `:` in a
 * `str.format` field): `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, for
 * texts, ints and floats, as CPython 3.11 applies it. A spec Python refuses raises
 * {@link PythonValueError}.
 */
import { pythonFloat } from "./conditions/template.ts";
import { formatExponent, formatFixed, formatGeneral, PythonValueError } from "./python-numbers.ts";

interface Spec {
  readonly fill: string;
  readonly align: string | undefined;
  readonly sign: string | undefined;
  readonly z: boolean;
  readonly alternate: boolean;
  readonly zero: boolean;
  readonly width: number;
  readonly grouping: string | undefined;
  readonly precision: number | undefined;
  readonly type: string;
}

const SPEC = /^(?:([\s\S])([<>=^])|([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d*))?([\s\S]?)$/u;

function parseSpec(spec: string): Spec {
  const m = SPEC.exec(spec);
  if (!m) {
    if (/^(?:[\s\S]?[<>=^])?[-+ ]?z?#?0?\d*[,_]{2}/u.test(spec)) throw new PythonValueError("Cannot specify both ',' and '_'.");
    throw new PythonValueError("Invalid format specifier");
  }
  const [, fill, align1, align2, sign, z, alternate, zero, width, grouping, precision, type = ""] = m;
  if (precision === "") throw new PythonValueError("Format specifier missing precision");
  return {
    fill: fill ?? (zero ? "0" : " "),
    align: align1 ?? align2 ?? (zero ? "=" : undefined),
    sign,
    z: z !== undefined,
    alternate: alternate !== undefined,
    zero: zero !== undefined,
    width: width ? Number(width) : 0,
    grouping,
    precision: precision === undefined ? undefined : Number(precision),
    type,
  };
}

/** `text` padded with the fill to the width: left, right, centred, or (`=`) between `prefix` and the rest. */
function pad(prefix: string, body: string, spec: Spec, defaultAlign: string): string {
  const size = [...prefix].length + [...body].length;
  const missing = spec.width - size;
  if (missing <= 0) return prefix + body;
  const align = spec.align ?? defaultAlign;
  if (align === "<") return prefix + body + spec.fill.repeat(missing);
  if (align === ">") return spec.fill.repeat(missing) + prefix + body;
  if (align === "=") return prefix + spec.fill.repeat(missing) + body;
  const left = Math.floor(missing / 2);
  return spec.fill.repeat(left) + prefix + body + spec.fill.repeat(missing - left);
}

/** `format(text, spec)` */
export function formatText(text: string, specText: string): string {
  const spec = parseSpec(specText);
  if (spec.type !== "" && spec.type !== "s") throw new PythonValueError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign) throw new PythonValueError("Sign not allowed in string format specifier");
  if (spec.alternate) throw new PythonValueError("Alternate form (#) not allowed in string format specifier");
  if (spec.z) throw new PythonValueError("Negative zero coercion (z) not allowed in format specifier");
  if (spec.grouping) throw new PythonValueError(`Cannot specify '${spec.grouping}' with 's'.`);
  // (Since Python 3.10 a `0` before the width fills with zeros but keeps a text on the left.)
  const align = specText.match(SPEC)?.[2] ?? specText.match(SPEC)?.[3];
  if (align === "=") throw new PythonValueError("'=' alignment not allowed in string format specifier");
  const kept = spec.precision === undefined ? text : [...text].slice(0, spec.precision).join("");
  return pad("", kept, { ...spec, align }, "<");
}

/** The digits of the integer part with the grouping separator, zero-padded (with separators) to at least `minimum` characters. */
function grouped(digits: string, separator: string, size: number, minimum: number): string {
  const group = (text: string): string => {
    let out = "";
    for (let i = text.length; i > 0; i -= size) out = text.slice(Math.max(0, i - size), i) + (out ? separator + out : "");
    return out;
  };
  let padded = digits;
  let out = group(padded);
  while (out.length < minimum) {
    padded = "0" + padded;
    out = group(padded);
  }
  return out;
}

/** The whole-number body of an int for the types d, n, b, o, x, X (no sign). */
function intBody(magnitude: bigint, type: string): string {
  if (type === "b") return magnitude.toString(2);
  if (type === "o") return magnitude.toString(8);
  if (type === "x") return magnitude.toString(16);
  if (type === "X") return magnitude.toString(16).toUpperCase();
  return magnitude.toString();
}

/** A float's body (no sign) for its type: e, E, f, F, g, G, n, % or none. */
function floatBody(x: number, spec: Spec): string {
  const type = spec.type;
  const upper = type === "E" || type === "F" || type === "G";
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? "nan" : "inf";
    return (upper ? text.toUpperCase() : text) + (type === "%" ? "%" : "");
  }
  const p = spec.precision ?? 6;
  switch (type) {
    case "f":
    case "F":
      return formatFixed(x, p, spec.alternate);
    case "e":
    case "E": {
      const text = formatExponent(x, p, spec.alternate);
      return upper ? text.toUpperCase() : text;
    }
    case "g":
    case "G":
    case "n": {
      const text = formatGeneral(x, p, spec.alternate);
      return upper ? text.toUpperCase() : text;
    }
    case "%":
      return formatFixed(x * 100, p, spec.alternate) + "%";
    default:
      return noTypeFloat(x, spec.precision, spec.alternate);
  }
}

/**
 * A float without a type: its `repr()` without a precision; with one, as `g` but with an
 * exponent from `precision - 1` on, and at least one digit after the point when fixed.
 */
function noTypeFloat(x: number, precision: number | undefined, alternate: boolean): string {
  if (precision === undefined) {
    // `#` keeps a point even in `repr()`'s exponent form (`1.e+16`).
    const text = pythonFloat(x);
    return alternate && Number.isFinite(x) && !text.includes(".") ? text.replace(/(?=e)|$/, ".") : text;
  }
  const p = precision === 0 ? 1 : precision;
  const exponent = Number(formatExponent(x, p - 1).split("e")[1]);
  if (exponent >= -4 && exponent < p - 1) {
    let text = formatFixed(x, p - 1 - exponent, alternate);
    if (!alternate && text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text.includes(".") ? text : text + ".0";
  }
  const [mantissa = "", suffix = ""] = formatExponent(x, p - 1, alternate).split(/(?=e)/);
  return (alternate || !mantissa.includes(".") ? mantissa : mantissa.replace(/0+$/, "").replace(/\.$/, "")) + suffix;
}

const INT_TYPES = new Set(["", "d", "n", "b", "o", "x", "X", "c"]);
const FLOAT_TYPES = new Set(["e", "E", "f", "F", "g", "G", "n", "%", ""]);

/** `format(number, spec)`: `float` tells a Python float from an int (a bool formats as its int when the spec is not empty). */
export function formatNumber(n: number, float: boolean, specText: string): string {
  const spec = parseSpec(specText);
  const type = spec.type;
  const typeName = float ? "float" : "int";
  if (!(float ? FLOAT_TYPES : new Set([...INT_TYPES, ...FLOAT_TYPES])).has(type)) throw new PythonValueError(`Unknown format code '${type}' for object of type '${typeName}'`);
  if (spec.grouping === "," && (type === "n" || "boxXc".includes(type) && type !== "")) throw new PythonValueError(`Cannot specify ',' with '${type}'.`);
  if (spec.grouping === "_" && (type === "n" || type === "c")) throw new PythonValueError(`Cannot specify '_' with '${type}'.`);
  const asInt = !float && INT_TYPES.has(type) && type !== "";
  const intLike = !float && (type === "" || asInt);
  if (intLike) {
    if (spec.precision !== undefined) throw new PythonValueError("Precision not allowed in integer format specifier");
    if (spec.z) throw new PythonValueError("Negative zero coercion (z) not allowed in integer format specifier");
    if (type === "c") {
      if (spec.sign) throw new PythonValueError("Sign not allowed with integer format specifier 'c'");
      if (spec.alternate) throw new PythonValueError("Alternate form (#) not allowed with integer format specifier 'c'");
      if (n < 0 || n > 0x10ffff) throw new PythonValueError("%c arg not in range(0x110000)");
      return pad("", String.fromCodePoint(n), spec, ">");
    }
    const negative = n < 0;
    const body = intBody(BigInt(Math.abs(n)), type);
    const prefix = (negative ? "-" : spec.sign === "+" ? "+" : spec.sign === " " ? " " : "") + (spec.alternate && type !== "" && "boxX".includes(type) ? `0${type}` : "");
    return withGrouping(prefix, body, "", spec, spec.grouping && type !== "" && "boxX".includes(type) ? 4 : 3);
  }
  const negative = n < 0 || Object.is(n, -0);
  const body = floatBody(Math.abs(n), spec);
  // `z`: a negative number that rounds to zero prints as zero, without its sign.
  const zeroAfterRounding = spec.z && !/[1-9]/.test(body.split(/[eE]/)[0]!) && !/n/.test(body);
  const sign = negative && !Number.isNaN(n) && !zeroAfterRounding ? "-" : spec.sign === "+" ? "+" : spec.sign === " " ? " " : "";
  const split = /^(\d*)([\s\S]*)$/.exec(body)!;
  return withGrouping(sign, split[1]!, split[2]!, spec, 3);
}

/** The number with its sign and prefix, its integer digits grouped, padded to the width (zeros go inside the grouping). */
function withGrouping(prefix: string, digits: string, rest: string, spec: Spec, size: number): string {
  if (!spec.grouping || !/^[\da-fA-F]+$/.test(digits)) return pad(prefix, digits + rest, spec, ">");
  const zeroFill = spec.fill === "0" && spec.align === "=";
  const minimum = zeroFill ? spec.width - [...prefix].length - rest.length : 0;
  return pad(prefix, grouped(digits, spec.grouping, size, minimum) + rest, spec, ">");
}
