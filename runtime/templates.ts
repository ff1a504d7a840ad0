/**
 * What compiled Jinja response templates call at run time. The compiler turns each
 * `metadata: {template: jinja}` text into a plain function (see
 * compiler/passes/compile-response-templates.ts); that function reads values through these
 * helpers so they behave as Jinja does under Rasa: a missing name is Jinja's `Undefined` (it
 * prints as nothing, is false, iterates as empty and has length 0), anything asked *of* an
 * undefined value raises {@link UndefinedError} (Rasa then sends the template as written), and
 * values print as Python's `str()` (`None`, `True`, `['a', 'b']`). A value of the wrong type
 * raises {@link TemplateTypeError}, as Python's `TypeError` would.
 *
 * This module is the helpers' one entry (generated modules import it as `$t`); they live in
 * runtime/templates/, a module for each kind: values, operators, filters, tests, methods, globals.
 */
export { VariableScope, isTemplateError, Undefined, UndefinedError, TemplateTypeError, PyFloat, pyFloat, Tuple, GroupTuple, DictView, PyIterator, LoopContext, PyRange, Joiner, Cycler, Namespace, lookup, floatSlot, undefinedName, attr, item, dictView, output, outputVariable, str, pythonRepr, truthy, or, and, iterate, unpack, loopInfo, loopChanges, recursiveLoop, isDefined, isNone, missing, noElse } from "./templates/values.ts";
export type { TemplateVariables } from "./templates/values.ts";
export { eq, compare, isIn, contains, add, sub, mul, truediv, floordiv, mod, neg, pos, concat, slice, pow } from "./templates/operators.ts";
export { percentFormat } from "./templates/printf.ts";
export { jinjaTest } from "./templates/tests.ts";
export { lower, upper, title, capitalize, trim, string, replace, format, truncate, wordcount, center, indent, tojson, wordwrap } from "./templates/filters-text.ts";
export { abs, round, toInt, toFloat, filesizeformat } from "./templates/filters-numbers.ts";
export { defaultTo, length, join, random, first, last, list, sum, min, max, reverse, sort, dictsort, items, unique, mapAttribute, mapFilter, select, batch, sliceFilter, groupby } from "./templates/filters-items.ts";
export { striptags, urlencode, escape, safe, attrFilter, forceescape, xmlattr, urlize } from "./templates/filters-html.ts";
export { pprint } from "./templates/pprint.ts";
export { callMethod } from "./templates/methods.ts";
export { callGlobal, callValue, macro, callBlockText, setAttribute, dictLiteral } from "./templates/globals.ts";
export type { Keywords } from "./templates/arguments.ts";
