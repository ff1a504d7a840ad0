/**
 * Python's number semantics where JavaScript's differ, for the Jinja response templates
 * (runtime/templates/): `round()` of a float to some decimal digits (exact, half to even on
 * the binary value, as CPython rounds), floor division and modulo (the result takes the sign of
 * the divisor), and the text forms `int()` and `float()` accept.
 */
import { pythonNumberStrip } from "./python-strip.ts";
import { pythonFloat, withAsciiDigits } from "./slots.ts";

/** Raised where Python raises ValueError (a text `int()` or `float()` cannot read, `int()` of nan). */
export class PythonValueError extends Error {
  override readonly name = "PythonValueError";
}

/** Raised where Python raises OverflowError (`int()` of an infinite float). */
export class PythonOverflowError extends Error {
  override readonly name = "PythonOverflowError";
}

/** `x` as `mantissa * 2 ** exponent` exactly (x finite and not negative). */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}

/**
 * `|x| * 10 ** digits` rounded to an integer, half to even, computed on the exact binary value of
 * `x` (what CPython's correctly rounded `round()` and `%`-formatting do).
 */
export function scaledRound(x: number, digits: number): bigint {
  const [mantissa, exponent] = decompose(Math.abs(x));
  let numerator = mantissa;
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  if (digits >= 0) numerator *= 10n ** BigInt(digits);
  else denominator *= 10n ** BigInt(-digits);
  const quotient = numerator / denominator;
  const twice = 2n * (numerator - quotient * denominator);
  return twice > denominator || (twice === denominator && quotient % 2n === 1n) ? quotient + 1n : quotient;
}

/** Python's `round(x, digits)` of a float: a float. */
export function roundFloat(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // CPython gives x back beyond the digits a double can have, and a signed zero before them.
  if (digits > 323) return x;
  if (digits < -308) return x < 0 ? -0 : 0;
  const rounded = Number(`${scaledRound(x, digits)}e${-digits}`);
  return x < 0 ? -rounded : rounded;
}

/** Python's `round(n, digits)` of an int: an int (half to even for negative digits). */
export function roundInt(n: number, digits: number): number {
  if (digits >= 0) return n;
  const unit = 10n ** BigInt(-digits);
  const value = BigInt(n);
  const magnitude = value < 0n ? -value : value;
  let quotient = magnitude / unit;
  const twice = 2n * (magnitude - quotient * unit);
  if (twice > unit || (twice === unit && quotient % 2n === 1n)) quotient += 1n;
  const result = Number(quotient * unit);
  return value < 0n ? 0 - result : result;
}

/** Python's `a // b` of two ints (b not 0). */
export function intFloorDiv(a: number, b: number): number {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    let q = x / y;
    if (x % y !== 0n && x < 0n !== y < 0n) q -= 1n;
    return Number(q);
  }
  return Math.floor(a / b);
}

/** Python's `a % b` of two ints (b not 0): the sign of b. */
export function intMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r === 0 ? 0 : r;
}

/** Python's `a // b` of floats (b not 0), CPython's way: from fmod, so that `a == (a // b) * b + a % b` holds as closely as it can. */
export function floatFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return Object.is(Math.sign(a / b), -0) || a / b < 0 ? -0 : 0;
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return floor;
}

/** Python's `a % b` of floats (b not 0): the sign of b, a zero signed as b. */
export function floatMod(a: number, b: number): number {
  const mod = a % b;
  if (mod === 0) return b < 0 ? -0 : 0;
  return b < 0 !== mod < 0 ? mod + b : mod;
}

/** Python's `float(text)` (slots.ts `pythonFloat`), raising where Python raises. */
export function parseFloatText(text: string): number {
  const value = pythonFloat(text);
  if (value === undefined) throw new PythonValueError(`could not convert string to float: ${JSON.stringify(text)}`);
  return value;
}

/** Python's `int(text, base)`: white space around, a sign, `_` between digits, the prefix of bases 2, 8 and 16. */
export function parseIntText(text: string, base: number): number {
  const fail = (): never => {
    throw new PythonValueError(`invalid literal for int() with base ${base}: ${JSON.stringify(text)}`);
  };
  if (!Number.isInteger(base) || (base !== 0 && (base < 2 || base > 36))) throw new PythonValueError("int() base must be >= 2 and <= 36, or 0");
  let body = withAsciiDigits(pythonNumberStrip(text));
  let negative = false;
  if (body.startsWith("+") || body.startsWith("-")) {
    negative = body.startsWith("-");
    body = body.slice(1);
  }
  const prefix = /^0([xob])/i.exec(body)?.[1]?.toLowerCase();
  const prefixBase = prefix === "x" ? 16 : prefix === "o" ? 8 : prefix === "b" ? 2 : undefined;
  let radix = base;
  if (prefixBase !== undefined && (base === 0 || base === prefixBase)) {
    radix = prefixBase;
    body = body.slice(2);
    // After a prefix one `_` may come first: `0x_1f`.
    if (body.startsWith("_")) body = body.slice(1);
  } else if (base === 0) {
    radix = 10;
    // Base 0 reads a decimal with a leading zero only when it is all zeros.
    if (/^0/.test(body) && !/^0(?:_?0)*$/.test(body)) fail();
  }
  if (!/^[0-9a-z](?:_?[0-9a-z])*$/i.test(body)) fail();
  const digits = body.replace(/_/g, "").toLowerCase();
  let value = 0n;
  for (const char of digits) {
    const digit = parseInt(char, 36);
    if (digit >= radix) fail();
    value = value * BigInt(radix) + BigInt(digit);
  }
  const result = Number(value);
  return negative ? 0 - result : result;
}

/** The digits of a bigint, at least `width` of them (zeros in front). */
function digitsOf(n: bigint, width: number): string {
  return n.toString().padStart(width, "0");
}

/** `|x|` with `precision` decimals, as Python's `'%.Nf'` writes it (correctly rounded, half to even). */
export function formatFixed(x: number, precision: number, alternate = false): string {
  const digits = digitsOf(scaledRound(x, precision), precision + 1);
  const whole = digits.slice(0, digits.length - precision);
  return precision > 0 ? `${whole}.${digits.slice(-precision)}` : alternate ? `${whole}.` : whole;
}

/** `|x|` rounded to `precision + 1` significant digits: the digits and the decimal exponent of the first. */
function significant(x: number, precision: number): [string, number] {
  if (x === 0) return ["0".repeat(precision + 1), 0];
  let exponent = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const n = scaledRound(x, precision - exponent);
    const text = n.toString();
    if (text.length > precision + 1) exponent++;
    else if (text.length < precision + 1) exponent--;
    else {
      // Rounding may carry into a new first digit (9.99…95e-08 to 1.0…0e-07), and log10 may
      // have guessed that exponent: the value's own exponent, one below, wins when its digits
      // fit too (CPython's dtoa rounds at the value's exponent: 9.9999999999999995e-08).
      const lower = scaledRound(x, precision - exponent + 1).toString();
      return lower.length === precision + 1 ? [lower, exponent - 1] : [text, exponent];
    }
  }
}

function exponentText(exponent: number): string {
  return `e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/** `|x|` as Python's `'%.Ne'` writes it: `1.500000e+03`. */
export function formatExponent(x: number, precision: number, alternate = false): string {
  const [digits, exponent] = significant(x, precision);
  const point = precision > 0 || alternate ? "." : "";
  return `${digits[0]}${point}${digits.slice(1)}${exponentText(exponent)}`;
}

/** `|x|` as Python's `'%.Ng'` writes it: fixed or with an exponent by its size, trailing zeros dropped (kept with `#`). */
export function formatGeneral(x: number, precision: number, alternate = false): string {
  const p = precision === 0 ? 1 : precision;
  const [, exponent] = significant(x, p - 1);
  let text = exponent >= -4 && exponent < p ? formatFixed(x, p - 1 - exponent, alternate) : formatExponent(x, p - 1, alternate);
  if (!alternate) {
    const [mantissa = "", suffix = ""] = text.split(/(?=e)/);
    text = (mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa) + suffix;
  }
  return text;
}
