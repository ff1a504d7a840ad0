/**
 * Python's number semantics where JavaScript's differ, for the Jinja response templates
 * (runtime/templates.ts): floor division and modulo (the result takes the sign of the divisor)
 * and printf-style formatting of floats (exact, half to even on the binary value, as CPython
 * rounds).
 */
/** Raised where Python raises ValueError. */
export class PythonValueError extends Error {
  override readonly name = "PythonValueError";
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
    else return [text, exponent];
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
