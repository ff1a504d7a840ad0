/** Calls of methods: Python's of texts, lists, tuples, ranges, dicts and numbers, a cycler's and the loop's (`cycle`, `changed`). */
import { pythonCapitalize } from "../conditions/template.ts";
import { pyCount, pyFind, pyIsClass, pyJustify, pyRsplit, pySplit, pySplitlines, pyStrip, pyTailMatch, pyTitle, pyZfill } from "../python-str.ts";
import { type Callable, intArgument, type Keywords, optionalInt, positional, textArgument } from "./arguments.ts";
import { replace } from "./filters-text.ts";
import { eq } from "./operators.ts";
import { strFormat } from "./str-format.ts";
import { isCase } from "./tests.ts";
import { attr, Cycler, dictView, each, hashable, isDict, iterate, LoopContext, numeric, PyFloat, PyRange, pythonRepr, TemplateTypeError, truthy, Tuple, typeName, Undefined, UndefinedError, undefinedError } from "./values.ts";

/** `chars` of strip, lstrip and rstrip: None or a text. */
function stripChars(name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new TemplateTypeError(`${name} arg must be None or str`);
  return value;
}

/** startswith's and endswith's prefix: a text or a tuple of texts. */
function tailMatch(name: string, text: string, args: readonly unknown[], keywords: Keywords, atEnd: boolean): boolean {
  const [prefix, start, end] = positional(name, args, keywords, 1, 3);
  const from = optionalInt(name, start);
  const to = optionalInt(name, end);
  if (prefix instanceof Tuple) return prefix.items.some((item) => pyTailMatch(text, textArgument(name, item), from, to, atEnd));
  if (typeof prefix !== "string") throw new TemplateTypeError(`${name} first arg must be str or a tuple of str, not ${typeName(prefix)}`);
  return pyTailMatch(text, prefix, from, to, atEnd);
}

/** `str.split(sep=None, maxsplit=-1)` and `rsplit`, the str methods here that take keyword arguments. */
function splitText(text: string, args: readonly unknown[], keywords: Keywords, fromRight = false): string[] {
  if (args.length > 2) throw new TemplateTypeError(`split() takes at most 2 arguments (${args.length} given)`);
  const values: unknown[] = [args[0] ?? null, args[1] ?? -1];
  for (const [key, value] of keywords) {
    const at = key === "sep" ? 0 : key === "maxsplit" ? 1 : -1;
    if (at < 0 || at < args.length) throw new TemplateTypeError(`split() got an unexpected keyword argument '${key}'`);
    values[at] = value;
  }
  const [sep, maxsplit] = values;
  if (sep !== null && typeof sep !== "string") throw new TemplateTypeError(`must be str or None, not ${typeName(sep)}`);
  if (sep === "") throw new TemplateTypeError("empty separator");
  return (fromRight ? pyRsplit : pySplit)(text, sep as string | null, intArgument("split", maxsplit));
}

/** A fill character: a text of exactly one character. */
function fillCharacter(value: unknown): string {
  if (typeof value !== "string") throw new TemplateTypeError(`The fill character must be a unicode character, not ${typeName(value)}`);
  if ([...value].length !== 1) throw new TemplateTypeError("The fill character must be exactly one character long");
  return value;
}

/** The methods of a text, by name. */
function textMethod(text: string, name: string): Callable | undefined {
  switch (name) {
    case "upper":
      return (args, kw) => (positional(name, args, kw, 0, 0), text.toUpperCase());
    case "lower":
      return (args, kw) => (positional(name, args, kw, 0, 0), text.toLowerCase());
    case "title":
      return (args, kw) => (positional(name, args, kw, 0, 0), pyTitle(text));
    case "capitalize":
      return (args, kw) => (positional(name, args, kw, 0, 0), pythonCapitalize(text));
    case "strip":
    case "lstrip":
    case "rstrip":
      return (args, kw) => pyStrip(text, stripChars(name, positional(name, args, kw, 0, 1)[0]), name !== "rstrip", name !== "lstrip");
    case "replace":
      return (args, kw) => {
        const [old, replacement, count = -1] = positional(name, args, kw, 2, 3);
        return replace(text, textArgument(name, old), textArgument(name, replacement), intArgument(name, count));
      };
    case "split":
    case "rsplit":
      return (args, kw) => splitText(text, args, kw, name === "rsplit");
    case "splitlines": {
      return (args, kw) => {
        if (args.length > 1) throw new TemplateTypeError("splitlines() takes at most 1 argument");
        const keepends = kw.length === 1 && kw[0]![0] === "keepends" && args.length === 0 ? kw[0]![1] : kw.length === 0 ? args[0] ?? false : undefined;
        if (keepends === undefined) throw new TemplateTypeError("splitlines() got an unexpected keyword argument");
        return pySplitlines(text, truthy(intArgument("splitlines", keepends)));
      };
    }
    case "center":
    case "ljust":
    case "rjust":
      return (args, kw) => {
        const [width, fill = " "] = positional(name, args, kw, 1, 2);
        return pyJustify(text, intArgument(name, width), fillCharacter(fill), name);
      };
    case "zfill":
      return (args, kw) => pyZfill(text, intArgument(name, positional(name, args, kw, 1, 1)[0]));
    case "rfind":
    case "rindex":
      return (args, kw) => {
        const [sub, start, end] = positional(name, args, kw, 1, 3);
        const at = pyFind(text, textArgument(name, sub), optionalInt(name, start), optionalInt(name, end), true);
        if (at < 0 && name === "rindex") throw new TemplateTypeError("substring not found");
        return at;
      };
    case "isdigit":
    case "isdecimal":
    case "isalpha":
    case "isalnum":
    case "isspace":
      return (args, kw) => (positional(name, args, kw, 0, 0), pyIsClass(text, name));
    case "islower":
    case "isupper":
      return (args, kw) => (positional(name, args, kw, 0, 0), isCase(text, name === "isupper"));
    case "removeprefix":
    case "removesuffix":
      return (args, kw) => {
        const affix = textArgument(name, positional(name, args, kw, 1, 1)[0]);
        if (affix === "") return text;
        if (name === "removeprefix") return text.startsWith(affix) ? text.slice(affix.length) : text;
        return text.endsWith(affix) ? text.slice(0, text.length - affix.length) : text;
      };
    case "partition":
    case "rpartition":
      return (args, kw) => {
        const sep = textArgument(name, positional(name, args, kw, 1, 1)[0]);
        if (sep === "") throw new TemplateTypeError("empty separator");
        const at = name === "partition" ? text.indexOf(sep) : text.lastIndexOf(sep);
        if (at < 0) return new Tuple(name === "partition" ? [text, "", ""] : ["", "", text]);
        return new Tuple([text.slice(0, at), sep, text.slice(at + sep.length)]);
      };
    case "format":
      return (args, kw) => strFormat(text, args, kw);
    case "startswith":
    case "endswith":
      return (args, kw) => tailMatch(name, text, args, kw, name === "endswith");
    case "join":
      return (args, kw) => {
        const [items] = positional(name, args, kw, 1, 1);
        return [...each(items)]
          .map((item, i) => {
            if (typeof item !== "string") throw new TemplateTypeError(`sequence item ${i}: expected str instance, ${typeName(item)} found`);
            return item;
          })
          .join(text);
      };
    case "count":
    case "find":
    case "index":
      return (args, kw) => {
        const [sub, start, end] = positional(name, args, kw, 1, 3);
        const from = optionalInt(name, start);
        const to = optionalInt(name, end);
        const needle = textArgument(name, sub);
        if (name === "count") return pyCount(text, needle, from, to);
        const at = pyFind(text, needle, from, to);
        if (at < 0 && name === "index") throw new TemplateTypeError("substring not found");
        return at;
      };
    default:
      return undefined;
  }
}

/** `list.count(x)`, `list.index(x, start, end)` (also of tuples; a range's index takes no bounds). */
function sequenceMethod(items: readonly unknown[], name: string, bounded: boolean): Callable | undefined {
  if (name === "count") {
    return (args, kw) => {
      const [wanted] = positional(name, args, kw, 1, 1);
      return items.filter((item) => eq(item, wanted)).length;
    };
  }
  if (name !== "index") return undefined;
  return (args, kw) => {
    const [wanted, start, end] = positional(name, args, kw, 1, bounded ? 3 : 1);
    const [from, to] = sliceBounds(items.length, start === undefined ? null : intArgument(name, start), end === undefined ? null : intArgument(name, end));
    for (let i = from; i < to; i++) if (eq(items[i], wanted)) return i;
    throw new TemplateTypeError(`${pythonRepr(wanted)} is not in list`);
  };
}

/** `start` and `end` of list.index, clamped as Python clamps them. */
function sliceBounds(length: number, start: number | null, end: number | null): [number, number] {
  const clamp = (n: number): number => (n < 0 ? Math.max(0, n + length) : Math.min(n, length));
  return [start === null ? 0 : clamp(start), end === null ? length : clamp(end)];
}

/** The method `name` of `value`, as Python has it (undefined: the value has no such method). */
function methodOf(value: unknown, name: string): Callable | undefined {
  if (typeof value === "string") return textMethod(value, name);
  if (Array.isArray(value) || value instanceof Tuple || value instanceof PyRange) return sequenceMethod(iterate(value), name, !(value instanceof PyRange));
  if (isDict(value)) {
    if (name === "get") {
      return (args, kw) => {
        const [key, fallback = null] = positional(name, args, kw, 1, 2);
        if (!hashable(key)) throw new TemplateTypeError(`unhashable type: '${typeName(key)}'`);
        return typeof key === "string" && Object.hasOwn(value, key) ? value[key] : fallback;
      };
    }
    if (name === "keys" || name === "values" || name === "items") return (args, kw) => (positional(name, args, kw, 0, 0), dictView(value, name));
  }
  if (value instanceof Cycler && (name === "next" || name === "reset")) {
    return (args, kw) => {
      positional(name, args, kw, 0, 0);
      if (name === "reset") {
        value.position = 0;
        return null;
      }
      const current = value.values[value.position];
      value.position = (value.position + 1) % value.values.length;
      return current;
    };
  }
  if (typeof value === "number" || typeof value === "boolean" || value instanceof PyFloat) return numberMethod(value, name);
  if (value instanceof LoopContext && name === "changed") return (args, kw) => loopChanged(value, args, kw);
  if (value instanceof LoopContext && name === "cycle") {
    return (args, kw) => {
      if (kw.length > 0) throw new TemplateTypeError("cycle() got an unexpected keyword argument");
      if (args.length === 0) throw new TemplateTypeError("no items for cycling given");
      return args[value.index0 % args.length];
    };
  }
  return undefined;
}

/**
 * `value.name(...)`: Python's method of the value. Where the value has none, Jinja looks the name
 * up as an item: calling an item found (a dict's value) is a TypeError, calling nothing (Jinja's
 * undefined value) an UndefinedError, which sends the template as written.
 */
export function callMethod(value: unknown, name: string, args: readonly unknown[], keywords: Keywords = []): unknown {
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${name}'`);
  const method = methodOf(value, name);
  if (method) return method(args, keywords);
  const found = attr(value, name);
  if (!(found instanceof Undefined)) throw new TemplateTypeError(`'${typeName(found)}' object is not callable`);
  throw new UndefinedError(`'${typeName(value)} object' has no attribute '${name}'`);
}

/** `int.conjugate()`, `int.bit_length()`, `float.conjugate()`, `float.is_integer()` (Python 3.11: an int has no is_integer). */
function numberMethod(value: number | boolean | PyFloat, name: string): Callable | undefined {
  const x = numeric(value)!;
  if (name === "conjugate") return (args, kw) => (positional(name, args, kw, 0, 0), x.float ? value : x.n);
  if (x.float && name === "is_integer") return (args, kw) => (positional(name, args, kw, 0, 0), Number.isInteger(x.n));
  if (!x.float && name === "bit_length") return (args, kw) => (positional(name, args, kw, 0, 0), x.n === 0 ? 0 : Math.abs(x.n).toString(2).length);
  return undefined;
}

/** `loop.changed(*values)`: whether the values differ from those of the loop's last call (true at the first). */
function loopChanged(loop: LoopContext, args: readonly unknown[], keywords: Keywords): boolean {
  if (keywords.length > 0) throw new TemplateTypeError(`changed() got an unexpected keyword argument '${keywords[0]![0]}'`);
  if (!loop.changes) throw new TemplateTypeError("loop.changed() of a module compiled without it");
  const values = new Tuple(args);
  if (loop.changes.last !== undefined && eq(loop.changes.last, values)) return false;
  loop.changes.last = values;
  return true;
}
