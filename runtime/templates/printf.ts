/** Python's printf-style formatting, `'%.2f' % amount` (also the `format` filter's). */
import { formatExponent, formatFixed, formatGeneral } from "../python-numbers.ts";
import { intArgument, integral } from "./arguments.ts";
import { isDict, isInt, numeric, PyRange, pythonRepr, str, TemplateTypeError, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

const FORMAT_SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([\s\S])?/y;

/** Python's `ascii()`: `repr()` with the characters beyond ASCII escaped. */
export function asciiRepr(value: unknown): string {
  return [...pythonRepr(value)]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return char;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
    })
    .join("");
}

/**
 * Python's `text % values`: a tuple gives the values in order, a dict (or anything Python takes
 * for a mapping) the `%(key)s` ones, anything else is the one value. The conversions `s`, `r`,
 * `a`, `d`, `i`, `u`, `o`, `x`, `X`, `e`, `E`, `f`, `F`, `g`, `G`, `c` and `%`, with flags,
 * width and precision (also `*`). A wrong value or count is a TypeError or ValueError, as in
 * Python.
 */
export function percentFormat(format: string, values: unknown): string {
  const positional = values instanceof Tuple ? values.items : undefined;
  // Python takes any object with `__getitem__` other than a tuple or string for a mapping: a dict, a list, a range, Undefined.
  const mapping = !positional && typeof values !== "string" && (isDict(values) || Array.isArray(values) || values instanceof PyRange || values instanceof Undefined) ? values : undefined;
  let used = 0;
  let single = positional === undefined;
  const next = (): unknown => {
    if (positional) {
      if (used >= positional.length) throw new TemplateTypeError("not enough arguments for format string");
      return positional[used++];
    }
    if (!single) throw new TemplateTypeError("not enough arguments for format string");
    single = false;
    used = 1;
    return values;
  };
  let out = "";
  let at = 0;
  while (at < format.length) {
    const percent = format.indexOf("%", at);
    if (percent < 0) {
      out += format.slice(at);
      break;
    }
    out += format.slice(at, percent);
    FORMAT_SPEC.lastIndex = percent;
    const match = FORMAT_SPEC.exec(format);
    const [whole = "", key, flags = "", widthText, precisionText, conversion] = match ?? [];
    if (!match || conversion === undefined) throw new TemplateTypeError("incomplete format");
    at = percent + whole.length;
    if (conversion === "%") {
      // Only a bare `%%` is a percent sign: with a key, flags, width or precision Python refuses it.
      if (whole !== "%%") throw new TemplateTypeError("unsupported format character '%'");
      out += "%";
      continue;
    }
    let value: unknown;
    const width = widthText === "*" ? intArgument("format", next()) : widthText ? Number(widthText) : 0;
    const precisionValue = precisionText === "*" ? intArgument("format", next()) : precisionText !== undefined ? Number(precisionText || "0") : undefined;
    if (key !== undefined) {
      if (mapping === undefined) throw new TemplateTypeError("format requires a mapping");
      if (mapping instanceof Undefined) undefinedError(mapping, `, so it has no item '${key}'`);
      if (!isDict(mapping)) throw new TemplateTypeError(`list indices must be integers or slices, not str`);
      if (!Object.hasOwn(mapping, key)) throw new TemplateTypeError(`KeyError: '${key}'`);
      value = mapping[key];
    } else value = next();
    const left = flags.includes("-") || width < 0;
    const fieldWidth = Math.abs(width);
    const zero = flags.includes("0") && !left;
    const signFor = (negative: boolean): string => (negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "");
    const pad = (sign: string, body: string, numeric: boolean): string => {
      const length = [...sign].length + [...body].length;
      if (length >= fieldWidth) return sign + body;
      const fill = fieldWidth - length;
      if (left) return sign + body + " ".repeat(fill);
      if (zero && numeric) return sign + "0".repeat(fill) + body;
      return " ".repeat(fill) + sign + body;
    };
    switch (conversion) {
      case "s":
      case "r":
      case "a": {
        let text = conversion === "s" ? str(value) : conversion === "r" ? pythonRepr(value) : asciiRepr(value);
        if (precisionValue !== undefined) text = [...text].slice(0, precisionValue).join("");
        out += pad("", text, false);
        break;
      }
      case "d":
      case "i":
      case "u":
      case "o":
      case "x":
      case "X": {
        if (value instanceof Undefined && "diu".includes(conversion)) undefinedError(value, ", so it cannot be converted to int");
        const x = numeric(value);
        if (!x || (x.float && !"diu".includes(conversion))) {
          throw new TemplateTypeError(`%${conversion} format: ${"diu".includes(conversion) ? "a real number" : "an integer"} is required, not ${typeName(value)}`);
        }
        let n = x.n;
        try {
          if (x.float) n = integral(x.n);
        } catch (error) {
          // Python's ValueError (nan) or OverflowError (inf): nothing is sent.
          throw new TemplateTypeError((error as Error).message);
        }
        const magnitude = BigInt(n < 0 ? -n : n);
        let digits = conversion === "o" ? magnitude.toString(8) : conversion === "x" ? magnitude.toString(16) : conversion === "X" ? magnitude.toString(16).toUpperCase() : magnitude.toString();
        if (precisionValue !== undefined) digits = digits.padStart(precisionValue, "0");
        const prefix = flags.includes("#") ? (conversion === "o" ? "0o" : conversion === "x" ? "0x" : conversion === "X" ? "0X" : "") : "";
        out += pad(signFor(n < 0) + prefix, digits, true);
        break;
      }
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G": {
        if (value instanceof Undefined) undefinedError(value, ", so it cannot be converted to float");
        const x = numeric(value);
        if (!x) throw new TemplateTypeError(`must be real number, not ${typeName(value)}`);
        const precision = precisionValue ?? 6;
        const alternate = flags.includes("#");
        const negative = x.n < 0 || Object.is(x.n, -0);
        const lower = conversion.toLowerCase();
        let body: string;
        if (!Number.isFinite(x.n)) body = Number.isNaN(x.n) ? "nan" : "inf";
        else body = lower === "f" ? formatFixed(x.n, precision, alternate) : lower === "e" ? formatExponent(x.n, precision, alternate) : formatGeneral(x.n, precision, alternate);
        if (conversion !== lower) body = body.toUpperCase();
        out += pad(signFor(negative && !Number.isNaN(x.n)), body, true); // (`%05f` pads inf with zeros too)
        break;
      }
      case "c": {
        let char: string;
        if (typeof value === "string" && [...value].length === 1) char = value;
        else if (isInt(value)) {
          const code = Number(value);
          if (code < 0 || code > 0x10ffff) throw new TemplateTypeError("%c arg not in range(0x110000)");
          char = String.fromCodePoint(code);
        } else throw new TemplateTypeError(`%c requires int or char`);
        out += pad("", char, false);
        break;
      }
      default:
        throw new TemplateTypeError(`unsupported format character '${conversion}'`);
    }
  }
  if (positional ? used < positional.length : single && mapping === undefined) throw new TemplateTypeError("not all arguments converted during string formatting");
  return out;
}
