/** Jinja's globals a template calls, `range`, `dict`, `namespace`, `joiner`, `cycler`, and calling a value; dict literals and `{% set ns.x = … %}`. */
import { type Callable, intArgument, type Keywords, positional } from "./arguments.ts";
import { Cycler, DictView, each, hashable, isDict, iterate, Joiner, lookup, LoopContext, Macro, Namespace, PyClass, PyRange, TemplateTypeError, type TemplateVariables, Tuple, typeName, Undefined, undefinedError } from "./values.ts";

/** Python's `dict(mapping_or_pairs, **keywords)`: a dict of text keys (flowc's dicts have no others). */
function dictOf(name: string, args: readonly unknown[], keywords: Keywords): Record<string, unknown> {
  if (args.length > 1) throw new TemplateTypeError(`${name} expected at most 1 argument, got ${args.length}`);
  const out: Record<string, unknown> = {};
  const put = (key: unknown, value: unknown): void => {
    if (!hashable(key)) throw new TemplateTypeError(`unhashable type: '${typeName(key)}'`);
    if (typeof key !== "string") throw new TemplateTypeError(`flowc's dicts have text keys only, not ${typeName(key)}`);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  const [source] = args;
  // (Python's dict() first looks up the argument's `keys`, which Jinja's undefined value refuses.)
  if (source instanceof Undefined) undefinedError(source, "");
  if (isDict(source)) for (const [key, value] of Object.entries(source)) put(key, value);
  else if (source !== undefined) {
    [...each(source)].forEach((pair, i) => {
      const items = pair instanceof Undefined || !(typeof pair === "string" || Array.isArray(pair) || pair instanceof Tuple || pair instanceof DictView || pair instanceof PyRange || isDict(pair)) ? undefined : iterate(pair);
      if (items === undefined) throw new TemplateTypeError(`cannot convert dictionary update sequence element #${i} to a sequence`);
      if (items.length !== 2) throw new TemplateTypeError(`dictionary update sequence element #${i} has length ${items.length}; 2 is required`);
      put(items[0], items[1]);
    });
  }
  for (const [key, value] of keywords) put(key, value);
  return out;
}

/** Python's `range(stop)`, `range(start, stop, step)`. */
function rangeOf(args: readonly unknown[], keywords: Keywords): PyRange {
  if (keywords.length > 0) throw new TemplateTypeError("range() takes no keyword arguments");
  if (args.length === 0 || args.length > 3) throw new TemplateTypeError(`range expected at least 1 argument, got ${args.length}`);
  const ints = args.map((arg) => intArgument("range", arg));
  const [start, stop, step = 1] = ints.length === 1 ? [0, ints[0]!] : ints;
  if (step === 0) throw new TemplateTypeError("range() arg 3 must not be zero");
  return new PyRange(start!, stop!, step);
}

/** Jinja's globals a template may call. */
const GLOBALS: Readonly<Record<string, Callable>> = {
  joiner: (args, keywords) => {
    if (args.length > 1 || keywords.some(([key]) => key !== "sep") || (args.length === 1 && keywords.length > 0)) throw new TemplateTypeError("joiner() takes one argument, sep");
    return new Joiner(args.length === 1 ? args[0] : keywords.length === 1 ? keywords[0]![1] : ", ");
  },
  cycler: (args, keywords) => {
    if (keywords.length > 0) throw new TemplateTypeError("cycler() got an unexpected keyword argument");
    if (args.length === 0) throw new TemplateTypeError("at least one item has to be provided");
    return new Cycler(args);
  },
  range: rangeOf,
  dict: (args, keywords) => dictOf("dict", args, keywords),
  namespace: (args, keywords) => new Namespace(dictOf("Namespace", args, keywords)),
};

/**
 * `name(...)`: the variable `name` called, or, where the variables have none, Jinja's global of
 * that name (a `{% set %}` of the name hides it too: the compiler passes its value as the variables).
 */
export function callGlobal(variables: TemplateVariables, name: string, args: readonly unknown[], keywords: Keywords = []): unknown {
  return callValue(lookup(variables, name), args, keywords);
}

/**
 * `value(...)`: a global's class makes its object, a macro renders, a joiner gives its separator
 * (nothing the first time); Jinja's undefined value raises UndefinedError, anything else is not callable.
 */
export function callValue(value: unknown, args: readonly unknown[], keywords: Keywords = []): unknown {
  if (value instanceof Undefined) undefinedError(value, ", so it cannot be called");
  if (value instanceof PyClass) return GLOBALS[value.name]!(args, keywords);
  if (value instanceof Macro) return callMacro(value, args, keywords);
  if (value instanceof LoopContext) {
    // `loop(items)` of a recursive loop: its body over the items, one level deeper.
    if (!value.walk) throw new TemplateTypeError("The loop must have the 'recursive' marker to be called recursively.");
    const [items] = positional("loop", args, keywords, 1, 1);
    return value.walk(items, value.depth);
  }
  if (value instanceof Joiner) {
    positional("Joiner.__call__", args, keywords, 0, 0);
    if (!value.used) {
      value.used = true;
      return "";
    }
    return value.separator;
  }
  throw new TemplateTypeError(`'${typeName(value)}' object is not callable`);
}

/** `{% set ns.name = value %}`: only a namespace's attributes can be set (checked before the value is computed, as Jinja does). */
export function setAttribute(target: unknown, name: string, value: () => unknown): void {
  if (!(target instanceof Namespace)) throw new TemplateTypeError("cannot assign attribute on non-namespace object");
  Object.defineProperty(target.attributes, name, { value: value(), enumerable: true, writable: true, configurable: true });
}

/** A dict literal `{'a': 1, ...}` (its keys are texts): a later key replaces the value of an earlier equal one. */
export function dictLiteral(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  return dictOf("dict", [], entries);
}

/**
 * A macro called (Jinja's Macro.__call__): the positional arguments fill the parameters in
 * order, keyword arguments the rest (one not given is JavaScript's undefined, for the body's
 * default or undefined value); then `caller` (a `{% call %}` block's, else an undefined value),
 * the other keyword arguments as a dict and the other positional ones as a tuple, where the body
 * reads them, else any left over is a type error.
 */
export function callMacro(macro: Macro, args: readonly unknown[], keywords: Keywords): string {
  const count = macro.parameters.length;
  const values: unknown[] = args.slice(0, count);
  const rest = new Map(keywords);
  for (const name of macro.parameters.slice(values.length)) {
    values.push(rest.get(name));
    rest.delete(name);
  }
  if (macro.catches.caller) {
    const caller = rest.get("caller");
    rest.delete("caller");
    values.push(caller === undefined || caller === null ? new Undefined("No caller defined") : caller);
  }
  if (macro.catches.kwargs) values.push(Object.fromEntries(rest));
  else if (rest.size > 0) {
    if (rest.has("caller")) throw new TemplateTypeError(`macro '${macro.name}' was invoked with two values for the special caller argument`);
    throw new TemplateTypeError(`macro '${macro.name}' takes no keyword argument '${[...rest.keys()][0]}'`);
  }
  if (macro.catches.varargs) values.push(new Tuple(args.slice(count)));
  else if (args.length > count) throw new TemplateTypeError(`macro '${macro.name}' takes not more than ${count} argument(s)`);
  return macro.render(...values);
}

/** `{% macro name(…) %}`: the macro its compiled body makes (see {@link Macro}). */
export function macro(name: string | null, parameters: readonly string[], catches: Macro["catches"], render: Macro["render"]): Macro {
  return new Macro(name, parameters, catches, render);
}

/** What a `{% call %}` block prints: Jinja joins it to the text as it is, so it must be a text (a macro's is). */
export function callBlockText(value: unknown): string {
  if (typeof value !== "string") throw new TemplateTypeError(`sequence item: expected str instance, ${typeName(value)} found`);
  return value;
}
