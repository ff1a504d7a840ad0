/** Python's `str.format()`: fields, conversions, nested specs and the format of each value. */
import { formatNumber, formatText } from "../python-format-spec.ts";
import { FAILS, type FormatField, type FormatStep, parseFormatSteps } from "../python-format.ts";
import { PythonValueError } from "../python-numbers.ts";
import { type Keywords } from "./arguments.ts";
import { asciiRepr } from "./printf.ts";
import { isDict, numeric, PyRange, pythonRepr, str, TemplateTypeError, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

/**
 * Python's `format(value, spec)` of a template value: texts, ints and floats by the spec, and
 * anything else (None, lists, dicts; Jinja's undefined value prints as nothing) only without one.
 */
function formatValue(value: unknown, spec: string): string {
  try {
    if (typeof value === "string") return formatText(value, spec);
    if (spec === "" && (typeof value === "boolean" || !numeric(value))) return str(value);
    const x = numeric(value);
    if (x) return formatNumber(x.n, x.float, spec);
  } catch (error) {
    if (error instanceof PythonValueError) throw new TemplateTypeError(error.message);
    throw error;
  }
  throw new TemplateTypeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

/** Python's `value[key]` as `str.format` takes a field's `[key]` (an all-digit key is an int). */
function formatItem(value: unknown, key: string | number): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no item ${pythonRepr(key)}`);
  const sequence = Array.isArray(value) ? value : value instanceof Tuple ? value.items : typeof value === "string" ? [...value] : value instanceof PyRange ? value.items : undefined;
  if (sequence) {
    if (typeof key !== "number") throw new TemplateTypeError(`${typeName(value)} indices must be integers or slices, not str`);
    if (key >= sequence.length) throw new TemplateTypeError(`${typeName(value)} index out of range`);
    return sequence[key];
  }
  if (isDict(value)) {
    if (typeof key === "string" && Object.hasOwn(value, key)) return value[key];
    throw new TemplateTypeError(`KeyError: ${pythonRepr(key)}`);
  }
  throw new TemplateTypeError(`'${typeName(value)}' object is not subscriptable`);
}

/** Automatic (`{}`) or manual (`{0}`) field numbering, which one text cannot mix. */
interface FieldNumbering {
  mode: "" | "auto" | "manual";
  next: number;
}

/** One `{field!conversion:spec}` of `str.format`. */
function formatField(step: FormatField, args: readonly unknown[], keywords: Keywords, numbering: FieldNumbering, depth: number): string {
  const { first } = step;
  if (first === FAILS) throw new TemplateTypeError("Too many decimal digits in format string");
  let value: unknown;
  if (typeof first === "string" && first !== "") {
    const found = keywords.find(([key]) => key === first);
    if (!found) throw new TemplateTypeError(`KeyError: '${first}'`);
    value = found[1];
  } else {
    const auto = first === "";
    if (numbering.mode === (auto ? "manual" : "auto")) throw new TemplateTypeError(auto ? "cannot switch from manual field specification to automatic field numbering" : "cannot switch from automatic field numbering to manual field specification");
    numbering.mode = auto ? "auto" : "manual";
    const index = auto ? numbering.next++ : (first as number);
    if (index >= args.length) throw new TemplateTypeError(`Replacement index ${index} out of range for positional args tuple`);
    value = args[index];
  }
  for (const accessor of step.accessors) {
    // (An attribute, `.name`: Python's getattr, which flowc's values answer for none of but Jinja's undefined value, which raises.)
    if (accessor === FAILS) {
      if (value instanceof Undefined) undefinedError(value, ", so it has no attribute");
      throw new TemplateTypeError("an attribute in a format field");
    }
    value = formatItem(value, accessor);
  }
  const conversion = step.conversion;
  if (conversion === "s") value = str(value);
  else if (conversion === "r") value = pythonRepr(value);
  else if (conversion === "a") value = asciiRepr(value);
  else if (conversion !== undefined) throw new TemplateTypeError(`Unknown conversion specifier ${conversion}`);
  const spec = step.nestedSpec ? formatSteps(parseFormatSteps(step.spec), args, keywords, numbering, depth - 1) : step.spec;
  return formatValue(value, spec);
}

function formatSteps(steps: readonly FormatStep[], args: readonly unknown[], keywords: Keywords, numbering: FieldNumbering, depth: number): string {
  if (depth <= 0) throw new TemplateTypeError("Max string recursion exceeded");
  let out = "";
  for (const step of steps) {
    if (typeof step === "string") out += step;
    else if (step === FAILS) throw new TemplateTypeError("invalid format string");
    else out += formatField(step, args, keywords, numbering, depth);
  }
  return out;
}

/** Python's `text.format(*args, **keywords)`. */
export function strFormat(text: string, args: readonly unknown[], keywords: Keywords): string {
  return formatSteps(parseFormatSteps(text), args, keywords, { mode: "", next: 0 }, 2);
}
