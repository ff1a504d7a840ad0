/**
 * Python's `x ** y` of floats, correctly rounded as CPython's (C's `pow()`) is, where
 * JavaScript's `**` is off by one in the last digit for some operands (`2 ** 2.5`). An integer
 * exponent up to 64 is computed exactly with bigints; any other from logarithms with 256 bits,
 * rounded once. Signs, zeros, infinities and nan are the caller's: here `x` is finite and
 * positive, `y` finite and not zero.
 */

const BITS = 256n;
const ONE = 1n << BITS;

/** The bits of a positive bigint. */
function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** `v * 2 ** n` for a double `v` and any `n`, in steps that stay in range (exact when the result is representable). */
function ldexp(v: number, n: number): number {
  let out = v;
  let rest = n;
  while (rest > 1000) {
    out *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    out *= 2 ** -1000;
    rest += 1000;
  }
  return out * 2 ** rest;
}

/**
 * The double nearest to `n * 2 ** exponent` (`n` positive), ties to even, with subnormals and
 * Infinity beyond the range; `sticky`: the value is a little more than that (bits below `n`).
 */
export function nearestDouble(n: bigint, exponent: number, sticky = false): number {
  const bits = bitLength(n);
  const top = bits - 1 + exponent; // the exponent of the leading bit
  if (top >= 1024) return Infinity;
  const keep = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (keep <= 0) {
    // Below half the smallest subnormal rounds to zero; above it (or at it, with more bits) to it.
    const half = keep === 0 && (n > 1n << BigInt(bits - 1) || sticky);
    return half ? 2 ** -1074 : 0;
  }
  const shift = bits - keep;
  if (shift <= 0) return ldexp(Number(n), exponent);
  let q = n >> BigInt(shift);
  const rest = n - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rest > half || (rest === half && (sticky || (q & 1n) === 1n))) q++;
  return ldexp(Number(q), exponent + shift);
}

/** A positive finite double as `m * 2 ** e` with an integer `m`. */
function split(x: number): [bigint, number] {
  let e = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  return [BigInt(m), e];
}

/** `x ** k` for an integer `k` (|k| <= 64), exactly, then rounded once. */
function integerPower(x: number, k: number): number {
  const [m, e] = split(x);
  const p = m ** BigInt(Math.abs(k));
  if (k > 0) return nearestDouble(p, e * k);
  // 1 / (p * 2 ** (e * |k|)): a quotient with 64 bits more than needed, and a sticky remainder.
  const scale = bitLength(p) + 64;
  const quotient = (1n << BigInt(scale)) / p;
  const remainder = (1n << BigInt(scale)) - quotient * p;
  return nearestDouble(quotient, -scale + e * k, remainder !== 0n);
}

/** `atanh`-series natural logarithm of `z / ONE` for `z` in [ONE, 2 ONE), in fixed point. */
function lnFixed(z: bigint): bigint {
  const t = ((z - ONE) << BITS) / (z + ONE);
  const t2 = (t * t) >> BITS;
  let term = t;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * t2) >> BITS;
  }
  return 2n * sum;
}

let ln2: bigint | undefined;

/** `exp(w / ONE)` for `|w| <= ln 2 / 2 ONE`, in fixed point (Taylor series). */
function expFixed(w: bigint): bigint {
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * w) / (k << BITS);
    sum += term;
  }
  return sum;
}

/** `x ** y` from `exp(y ln x)` in 256-bit fixed point, rounded once. */
function logPower(x: number, y: number): number {
  const LN2 = (ln2 ??= lnFixed(2n * ONE - 1n) + 1n); // ln 2 (the series at z just below 2, plus its last bit)
  const [m, e] = split(x);
  // x = z * 2 ** k with z in [1, 2): ln x = ln z + k ln 2.
  const mBits = bitLength(m);
  const k = e + mBits - 1;
  const z = mBits - 1 > Number(BITS) ? m >> BigInt(mBits - 1 - Number(BITS)) : m << BigInt(Number(BITS) - (mBits - 1));
  const lnx = lnFixed(z) + BigInt(k) * LN2;
  const [ym, ye] = split(Math.abs(y));
  let w = ye >= 0 ? lnx * (ym << BigInt(ye)) : (lnx * ym) >> BigInt(-ye);
  if (y < 0) w = -w;
  // w = n ln 2 + r, |r| <= ln 2 / 2.
  let n = w / LN2;
  let r = w - n * LN2;
  if (2n * r > LN2) {
    n++;
    r -= LN2;
  } else if (2n * r < -LN2) {
    n--;
    r += LN2;
  }
  return nearestDouble(expFixed(r), Number(n) - Number(BITS), true);
}

/** `x ** y` for a finite positive `x` and a finite non-zero `y`, as CPython gives it. */
export function positivePower(x: number, y: number): number {
  if (x === 1) return 1;
  const estimate = Math.abs(y * Math.log(x));
  if (estimate > 800) return x ** y; // far beyond the doubles: Infinity or 0, as JavaScript has it
  if (Number.isInteger(y) && Math.abs(y) <= 64) return integerPower(x, y);
  return logPower(x, y);
}
