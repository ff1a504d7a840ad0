/** The filters of numbers: abs, round, int, float and filesizeformat. */
import { formatFixed, parseFloatText, parseIntText, PythonOverflowError, PythonValueError, roundFloat, roundInt } from "../python-numbers.ts";
import { intArgument, integral } from "./arguments.ts";
import { mul } from "./operators.ts";
import { isInt, numeric, PyFloat, pyFloat, pythonRepr, TemplateTypeError, truthy, typeName, Undefined, undefinedError } from "./values.ts";

/** `| abs`: Python's `abs()`, of numbers only. */
export function abs(value: unknown): unknown {
  const x = numeric(value);
  if (!x) throw new TemplateTypeError(`bad operand type for abs(): '${typeName(value)}'`);
  return x.float ? pyFloat(Math.abs(x.n)) : Math.abs(x.n);
}

/**
 * `| round(precision, method)`: Jinja's `round`. "common" is Python's `round()` (half to even on
 * the exact value; an int stays an int, a float stays a float); "ceil" and "floor" multiply by
 * 10 ** precision, round and divide again, which always gives a float.
 */
export function round(value: unknown, precision: unknown = 0, method: unknown = "common"): unknown {
  if (method !== "common" && method !== "ceil" && method !== "floor") throw new TemplateTypeError("method must be common, ceil or floor");
  if (method === "common") {
    const x = numeric(value);
    if (!x) throw new TemplateTypeError(`type ${typeName(value)} doesn't define __round__ method`);
    const digits = intArgument("round", precision);
    return x.float ? pyFloat(roundFloat(x.n, digits)) : roundInt(x.n, digits);
  }
  const digits = intArgument("round", precision);
  // 10 ** precision is an int for a precision from 0 (exact, and an int times it too) and a
  // float below; the float is the correctly rounded one, as CPython's.
  const scale = Number(`1e${digits}`);
  const x = numeric(value);
  if (digits >= 0 && x && !x.float) return pyFloat(x.n); // a whole int rounds to itself
  if (digits >= 0 && scale === Infinity && x) throw new TemplateTypeError("int too large to convert to float");
  const scaled = mul(value, digits >= 0 ? scale : new PyFloat(scale));
  const y = numeric(scaled);
  if (!y) throw new TemplateTypeError(`must be real number, not ${typeName(scaled)}`);
  if (!Number.isFinite(y.n)) throw new TemplateTypeError(`cannot convert float ${pythonRepr(scaled)} to integer`);
  // math.ceil and math.floor give an int, which has no -0 (`-0.5 | round(0, 'ceil')` is 0.0).
  const whole = (method === "ceil" ? Math.ceil(y.n) : Math.floor(y.n)) + 0;
  if (digits < 0) {
    if (scale === 0) throw new TemplateTypeError("float division by zero");
    return pyFloat(whole / scale);
  }
  // An int divided by an int: the exact quotient correctly rounded, as reading its decimal text is.
  return pyFloat(Number(`${BigInt(whole)}e-${digits}`));
}

/**
 * `| int(default, base)`: Jinja's `int` (3.1.6's `do_int`). A text is read as an int in `base`,
 * else as a float and truncated ("42.23" → 42, "1e400" and "nan" give the default); a number is
 * truncated, nan giving the default. `int()` of an infinite float number is an OverflowError,
 * which do_int catches only in its fallback: nothing is sent.
 */
export function toInt(value: unknown, fallback: unknown = 0, base: unknown = 10): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to int");
  const attempt = (read: () => number, overflowToo: boolean): number | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof PythonValueError || (overflowToo && error instanceof PythonOverflowError)) return undefined;
      if (error instanceof PythonOverflowError) throw new TemplateTypeError(error.message);
      throw error;
    }
  };
  if (typeof value === "string") {
    const direct = attempt(() => {
      if (!isInt(base)) throw new PythonValueError("base");
      return parseIntText(value, Number(base));
    }, false);
    if (direct !== undefined) return direct;
    return attempt(() => integral(parseFloatText(value)), true) ?? fallback;
  }
  const x = numeric(value);
  if (!x) return fallback;
  return attempt(() => integral(x.n), false) ?? fallback;
}

/** `| float(default)`: Python's `float()`, or the default when it cannot read the value. */
export function toFloat(value: unknown, fallback: unknown = new PyFloat(0)): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
  if (typeof value === "string") {
    try {
      return pyFloat(parseFloatText(value));
    } catch (error) {
      if (error instanceof PythonValueError) return fallback;
      throw error;
    }
  }
  const x = numeric(value);
  return x ? pyFloat(x.n) : fallback;
}

const SIZE_PREFIXES = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

const BINARY_SIZE_PREFIXES = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/** `| filesizeformat(binary)`: a number of bytes (Python's `float()` of the value) for people: `1 Byte`, `12 Bytes`, `1.5 kB` (`1.5 KiB` binary). */
export function filesizeformat(value: unknown, binary: unknown = false): string {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
  let bytes: number;
  if (typeof value === "string") {
    try {
      bytes = parseFloatText(value);
    } catch (error) {
      if (error instanceof PythonValueError) throw new TemplateTypeError(error.message);
      throw error;
    }
  } else {
    const x = numeric(value);
    if (!x) throw new TemplateTypeError(`float() argument must be a string or a real number, not '${typeName(value)}'`);
    bytes = x.n;
  }
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? BINARY_SIZE_PREFIXES : SIZE_PREFIXES;
  if (bytes === 1) return "1 Byte";
  if (bytes < base) {
    if (!Number.isFinite(bytes)) throw new TemplateTypeError("cannot convert float infinity to integer");
    return `${integral(bytes)} Bytes`;
  }
  const fixed = (n: number): string => (n < 0 || Object.is(n, -0) ? "-" : "") + (Number.isFinite(n) ? formatFixed(Math.abs(n), 1) : Number.isNaN(n) ? "nan" : "inf");
  for (let i = 0; i < prefixes.length; i++) {
    const unit = base ** (i + 2);
    if (bytes < unit || i === prefixes.length - 1) return `${fixed((base * bytes) / unit)} ${prefixes[i]}`;
  }
  return "";
}
