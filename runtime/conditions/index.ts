/**
 * The namespace `$` that compiled predicates call: pypred's value semantics, the Jinja step,
 * and the fallback evaluator for templated conditions whose rendered text changes shape.
 */
export { EMPTY, ConditionError, PySet, raise, truthy, equal, equalNumber, notEqual, less, lessOrEqual, greater, greaterOrEqual, canContain, contains, matches, LazyRegExp, own, ownKey, step, lookup } from "./pypred.ts";
export { raiseInvalid, renderPath, renderFloatSlot, isPlainWord, TemplatedWord, pythonStr, pythonRepr } from "./template.ts";
export { evaluateText, setRegexTranslator } from "./interpret.ts";
