"""
Differential oracle for the Jinja step of flow conditions (conditions.md §7): random condition
texts rendered by real Jinja2 exactly as Rasa 3.12 renders them before pypred parses them:
`Template(condition).render({"context": frame_fields})` for a step's `next` branch
(flow_executor.is_condition_satisfied) and `Template(condition).render({"slots": {slot: value}})`
for a collect step's rejection (action_run_slot_rejections.run_rejections), where a float
slot's value has been coerced with float() (the slot named `f` here).

With a third argument `logic`, the `{% if %}` tests also combine with `and`, `or`, `not` and
use `is defined`, `is none` (rendered as for the runtime). With a third argument `validator`, the texts are rendered as Rasa's Validator.verify_predicates
renders them at training time (conditions.md §2): `{"context": {every frame field: None},
"slots": {every domain slot: None}}` (a response condition: `slots` only); the domain's slots
here are `a`, `name`, `f` and `collect`.

With a third argument `expressions`, holes and tests are any expression of the response
templates' subset (subscripts, arithmetic, `~`, comparisons of two values with every operator,
`in`, filters with arguments, tests, the inline `if`), `{% if %}` blocks nest, `{% set %}`
assigns names they read and `{% for %}` loops print their text (`expressions-validator`: the same, rendered as the validator renders them).
`expressions-extended` (and `expressions-extended-validator`) add Python's methods, Jinja's
globals, slices, `**`, dict literals, the filters batch, slice, groupby, wordwrap, striptags,
urlencode, filesizeformat, urlize, xmlattr and escape, loop filters and a namespace's attribute
set in a loop. Left out there, where flowc differs on purpose (README): a complex number from
`**`, a float power not correctly rounded by C's pow() and a set from a dict view's `-` (found by
rendering again in a sandbox that watches both operators), and escape's Markup used other than printed or counted (FLW1061).

Run by hand on a machine with CPython 3 and Jinja2 3.1.6 (CI has neither; the cases are committed):
    python3 scripts/oracles/condition-templates.py SEED COUNT [logic|validator|logic-validator|expressions|expressions-validator|expressions-extended|expressions-extended-validator] > out.jsonl
(tests/conditions/jinja-extended-oracle-cases.jsonl: seed 101, 1500 cases, expressions-extended;
jinja-extended-validator-oracle-cases.jsonl: seed 102, 1000 cases, expressions-extended-validator;
jinja-extended-dense-oracle-cases.jsonl: seed 103, 2000 cases, expressions-extended-dense, whose
paths name a key that is there more often, so more templates render whole.)
Each line: {"site", "template", "values", "expected"}; `expected` is the rendered text,
{"error": "undefined"} (UndefinedError), {"error": "syntax"} (TemplateSyntaxError) or
{"error": "other"} (any other exception). tests/conditions/jinja-oracle-cases.test.ts replays them.
"""
import json
import random
from fractions import Fraction
import sys

from jinja2 import Template
from jinja2.exceptions import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

rng = random.Random(int(sys.argv[1]))
COUNT = int(sys.argv[2])
# `expressions-extended-dense`: fewer reads of what is not there, so more templates render whole.
DENSE = len(sys.argv) > 3 and "dense" in sys.argv[3]

STRINGS = ["abc", "Ann", "o'neil", 'say "hi"', "  padded  ", "", "x y", "ÄÖü straße", "half-price (deal)", "a\tb", "{{ x }}", "ǆemal", "ﬁx", "True", "None", "1.5", "_under", "a.b"]
# No whole float: JSON cannot tell it from an int, and a frame field or a slot other than a
# float slot holds none (a float slot's value is tested through the slot `f`).
SCALARS = STRINGS + [0, 1, -7, 42, 2.5, -0.25, 1e-05, 1.5e-7, 123456789, 2**60, None, True, False]
KEYS = ["a", "b", "name", "collect", "x_y", "f"]


def random_value(scalars, dicts_below, depth=0):
    """A random value: a list (12 %), a dict (up to `dicts_below`) or one of `scalars`, nested twice at most."""
    r = rng.random()
    if depth < 2 and r < 0.12:
        return [random_value(scalars, dicts_below, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 2 and r < dicts_below:
        return {k: random_value(scalars, dicts_below, depth + 1) for k in rng.sample(KEYS, rng.randint(0, 3))}
    return rng.choice(scalars)


def value(depth=0):
    return random_value(SCALARS, 0.25, depth)


def path(root):
    r = rng.random()
    if r < (0.01 if DENSE else 0.05):
        return rng.choice(["other", "slots" if root == "context" else "context", root])
    if DENSE:
        return root + "." + rng.choice(KEYS) + ("." + rng.choice(KEYS) if rng.random() < 0.1 else "")
    parts = [root, rng.choice(KEYS + ["missing"])]
    if rng.random() < 0.25:
        parts.append(rng.choice(KEYS + ["missing"]))
    sep = rng.choice([".", ".", ".", " . "])
    return sep.join(parts)


FILTERS = ["upper", "lower", "title", "capitalize", "trim", "string"]
LITERALS = ["'lit'", '"dq"', "1", "-2", "1.0", "2.50", "true", "True", "false", "none", "None", "0", "12345678901234567890", "-0.0", "'a b'"]


def open_(kind):
    return "{" + kind + rng.choice(["", "", "-", "+"]) + rng.choice([" ", "", "  "])


def close(kind):
    return rng.choice([" ", "", "  "]) + rng.choice(["", "", "-"]) + kind + "}"


def hole(root):
    if rng.random() < 0.15:
        expr = rng.choice(LITERALS)
    else:
        expr = path(root)
    filters = "".join(rng.choice(["|", " | "]) + rng.choice(FILTERS) for _ in range(rng.choice([0, 0, 0, 1, 1, 2])))
    return open_("{") + expr + filters + close("}")


def test(root):
    r = rng.random()
    if r < 0.1:
        return rng.choice(LITERALS)
    if r < 0.2:
        return "not " + path(root)
    if r < 0.45:
        return path(root) + rng.choice([" == ", " != ", "=="]) + rng.choice(LITERALS + ["'abc'", "42", "2.5"])
    return path(root)


TEXTS = ["slots.x = ", " and ", " or ", '"', "'", "x", " ", "\n", "  ", "slots.", "context.", " is null", " = 1", "(", ")", "not "]


def text_piece(root):
    r = rng.random()
    if r < 0.4:
        return rng.choice(TEXTS)
    if r < 0.75:
        return hole(root)
    if r < 0.82:
        return open_("#") + rng.choice(["c", " note ", ""]) + close("#")
    return None


def body(root, depth):
    out = ""
    for _ in range(rng.randint(1, 5)):
        piece = text_piece(root)
        if piece is None:
            if depth > 0:
                continue
            out += if_block(root)
        else:
            out += piece
    return out


def if_block(root):
    out = open_("%") + "if " + test(root) + close("%") + body(root, 1)
    for _ in range(rng.choice([0, 0, 1, 2])):
        out += open_("%") + "elif " + test(root) + close("%") + body(root, 1)
    if rng.random() < 0.5:
        out += open_("%") + "else" + close("%") + body(root, 1)
    return out + open_("%") + "endif" + close("%")


def render(template, document):
    try:
        return Template(template).render(document)
    except UndefinedError:
        return {"error": "undefined"}
    except TemplateSyntaxError:
        return {"error": "syntax"}
    except Exception:
        return {"error": "other"}


class KnownDifference(Exception):
    pass


class ArithmeticWatch(SandboxedEnvironment):
    """Renders as Jinja does, but stops where `**` makes a complex number (a negative number to a
    fractional power) or a float off in its last digit, or `-` a set (a dict view's difference, `d.keys() - x`, printed in the
    order of Python's randomized hashes): flowc makes both a type error on purpose (README)."""
    intercepted_binops = frozenset(["**", "-"])

    def call_binop(self, context, operator, left, right):
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (complex, set, frozenset)) or (operator == "**" and not exact_power(left, right, result)):
            raise KnownDifference()
        return result


def exact_power(base, exponent, result):
    """Whether a float `**` of a whole exponent is the correctly rounded power, as flowc's is
    (C's pow() under CPython is off in the last digit in rare cases: 123456789.0 ** 2)."""
    if not isinstance(result, float) or not isinstance(exponent, (int, float)) or exponent != int(exponent) or abs(exponent) > 64 or base == 0:
        return True
    try:
        return float(Fraction(base) ** int(exponent)) == result
    except (OverflowError, ValueError, ZeroDivisionError):
        return True


def known_difference(template, document):
    try:
        ArithmeticWatch().from_string(template).render(document)
    except KnownDifference:
        return True
    except Exception:
        return False
    return False


# The fields of every frame (flowc's compiler/conditions/validator-rendering.ts has the same list).
FRAME_FIELDS = ["frame_id", "flow_id", "step_id", "type", "frame_type", "stack_frame_type", "collect", "utter", "collect_action", "rejections",
                "canceled_name", "canceled_frames", "previous_flow_name", "corrected_slots", "reset_flow_id", "reset_step_id", "is_reset_only",
                "names", "clarification_options", "reason", "message", "error_type", "info", "interrupted_flow_id", "interrupted_step_id",
                "interrupting_flow_id", "ask_confirm_digressions", "block_digressions", "validation", "validate", "refill_utter"]
DOMAIN_SLOTS = ["a", "name", "f", "collect"]

def logic_test(root):
    """`and`, `or`, `not`, `is [not] defined/none/undefined` over the plain tests."""
    r = rng.random()
    if r < 0.25:
        return simple_test(root) + rng.choice([" and ", " or "]) + logic_test(root)
    if r < 0.35:
        return "not " + simple_test(root)
    if r < 0.55:
        return path(root) + " is " + rng.choice(["", "not "]) + rng.choice(["defined", "undefined", "none", "None"])
    return simple_test(root)


# With a third argument `expressions`: holes and `{% if %}` tests are any expression of the
# response templates' subset (subscripts, arithmetic, `~`, comparisons of two values with any
# operator, `in`, filters with arguments, tests, the inline `if`), and `{% if %}` blocks nest.
# Values are small (no int beyond 2^53, which JSON numbers do not hold exactly).
EXPR_SCALARS = ["abc", "Ann", "o'neil", "", "x y", "  padded  ", "a,b", "ÄÖü", "True", "1.5", 0, 1, -7, 3, 42, 2.5, -0.25, 1e-05, None, True, False]
EXPR_LITERALS = ["'lit'", '"dq"', "'a'", "'b c'", "1", "-2", "3", "0", "2.5", "1.0", "true", "false", "none", "[1, 'a']", "['x', 'y']", "()", "[]"]
FILTER_CALLS = ["default('dflt')", "default('dflt', true)", "d(0)", "replace('a', 'A')", "replace('o', '0', 1)", "join(', ')", "join('-')", "length", "count",
                "int", "int(-1)", "float", "round", "round(1)", "round(1, 'floor')", "upper", "lower", "title", "capitalize", "trim", "trim('a')", "string",
                "first", "last", "abs", "truncate(5)", "truncate(6, true, '~', 0)", "list", "sort", "reverse|list", "sum", "min", "max", "unique|list",
                "center(7)", "wordcount", "tojson", "format(1)", "default(none)|string"]
TESTS = ["defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "mapping", "sequence", "iterable", "odd", "even",
         "divisibleby 3", "divisibleby(2)", "in ['a', 1]", "eq 3", "ne 'abc'", "gt 1", "lt 2.5", "le(0)", "ge 0", "true", "false", "lower", "upper"]


def expr_values(depth=0):
    return random_value(EXPR_SCALARS, 0.22, depth)


SET_NAMES = ["x", "y"]
LOOP_NAMES = ["v", "w", "loop.index", "loop.last", "loop.length"]


def operand(root, depth):
    if EXTENDED and rng.random() < (0.5 if DENSE else 0.3):
        return extended_operand(root)
    r = rng.random()
    if depth > 1 or r < 0.35:
        q = rng.random()
        return path(root) if q < 0.6 else rng.choice(EXPR_LITERALS) if q < (0.97 if DENSE else 0.8) else rng.choice(SET_NAMES + LOOP_NAMES) + rng.choice(["", "", ".a", "[0]"])
    if r < 0.45:
        return rng.choice(EXPR_LITERALS)
    if r < 0.55:
        key = rng.choice(KEYS + ["missing"])
        return rng.choice([f"{root}['{key}']", f'{root}["{key}"]', f"{root}.{key}[0]", f"{root}['{key}'].{rng.choice(KEYS)}", f"{root}.{key}[-1]", f"{root}[{root}.{rng.choice(KEYS)}]"])
    if r < 0.62:
        return "(" + expression(root, depth + 1) + ")"
    if r < 0.67:
        return "-" + operand(root, depth + 1)
    if r < 0.87:
        return operand(root, depth + 1) + rng.choice(["|", " | "]) + rng.choice(FILTER_CALLS)
    # (In parentheses: Jinja passes a name, number or string after a test that takes no argument to it, `x is odd in l` as `odd(x, in)`.)
    return "(" + operand(root, depth + 1) + " is " + rng.choice(["", "not "]) + rng.choice(TESTS) + ")"


def expression(root, depth=0):
    r = rng.random()
    if depth > 1 or r < 0.3:
        return operand(root, depth)
    if r < 0.5:
        return operand(root, depth + 1) + rng.choice([" + ", " - ", " * ", " / ", " // ", " % ", " ~ ", "~"]) + operand(root, depth + 1)
    if r < 0.72:
        return operand(root, depth + 1) + rng.choice([" == ", " != ", " < ", " <= ", " > ", " >= ", " in ", " not in "]) + operand(root, depth + 1)
    if r < 0.82:
        return rng.choice(["not ", ""]) + operand(root, depth + 1) + rng.choice([" and ", " or "]) + operand(root, depth + 1)
    if r < 0.92:
        return operand(root, depth + 1) + " if " + operand(root, depth + 1) + (" else " + operand(root, depth + 1) if rng.random() < 0.8 else "")
    return operand(root, depth + 1)


def expression_test(root):
    # (Jinja reads an inline `if` in an `{% if %}` test as the end of the test: a syntax error.)
    text = expression(root)
    while " if " in text:
        text = expression(root)
    return text


def expression_hole(root):
    if EXTENDED and rng.random() < 0.05:
        return open_("{") + escaped(root) + rng.choice(["", "|upper", "|trim"]) + close("}")
    return open_("{") + expression(root) + close("}")


def set_statement(root):
    targets = rng.choice(SET_NAMES) if rng.random() < 0.85 else rng.choice(["x, y", root])
    return open_("%") + "set " + targets + " = " + expression(root) + close("%")


def for_block(root, depth):
    if EXTENDED and rng.random() < 0.5:
        head = rng.choice(["v in ", "v, w in "]) + rng.choice([path(root), "range(" + rng.choice(["3", path(root)]) + ")", root + ".items()", "[[1, 2], ['a', 'b']]", slice_of(root), path(root) + "|batch(2)"])
        head += rng.choice(["", " if v", " if v is string", " if loop.index0", " if not w", " if v != 1"])
        out = open_("%") + "for " + head + close("%") + nested_body(root, depth + 1)
        if rng.random() < 0.3:
            out += open_("%") + "else" + close("%") + nested_body(root, depth + 1)
        return out + open_("%") + "endfor" + close("%")
    if rng.random() < 0.7:
        head = "v in " + rng.choice([path(root), "['x', 'y']", "[1, 2, 3]", path(root) + " | list", "'ab'", "[]"])
    else:
        head = "v, w in " + rng.choice([root + ".items()", "[[1, 2], ['a', 'b']]", path(root) + ".items()"])
    out = open_("%") + "for " + head + close("%") + nested_body(root, depth + 1)
    if rng.random() < 0.3:
        out += open_("%") + "else" + close("%") + nested_body(root, depth + 1)
    return out + open_("%") + "endfor" + close("%")


def nested_body(root, depth):
    out = ""
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.15:
            out += set_statement(root)
            continue
        if depth < 3 and rng.random() < 0.08:
            out += for_block(root, depth)
            continue
        if EXTENDED and depth < 3 and rng.random() < 0.06:
            out += namespace_loop(root, depth)
            continue
        piece = text_piece(root)
        if piece is None:
            if depth > 2:
                continue
            out += nested_if_block(root, depth)
        else:
            out += piece
    return out


def nested_if_block(root, depth):
    out = open_("%") + "if " + test(root) + close("%") + nested_body(root, depth + 1)
    for _ in range(rng.choice([0, 0, 1])):
        out += open_("%") + "elif " + test(root) + close("%") + nested_body(root, depth + 1)
    if rng.random() < 0.5:
        out += open_("%") + "else" + close("%") + nested_body(root, depth + 1)
    return out + open_("%") + "endif" + close("%")


# With a third argument `expressions-extended` (or `expressions-extended-validator`): the same,
# and operands also call Python's methods, Jinja's globals (range, dict, namespace, joiner,
# cycler), slice, raise to a power, write dict literals and use the filters batch, slice,
# groupby, wordwrap, striptags, urlencode, filesizeformat, urlize, xmlattr and escape; loops
# filter their items (`for v in l if v`) and set a namespace's attribute.
EXTENDED = len(sys.argv) > 3 and "extended" in sys.argv[3]


def text_operand(root):
    return rng.choice([path(root), path(root), "'Ab c'", "'x,y'", "''", "'  pad '", "v", "x"])


def method_call(root):
    obj = text_operand(root)
    r = rng.randrange(9)
    if r == 0:
        return obj + "." + rng.choice(["upper()", "lower()", "title()", "capitalize()", "strip()", "isdigit()", "isalpha()", "upper(1)"])
    if r == 1:
        return obj + "." + rng.choice(["split()", "split(',')", "split(' ', 1)", "rsplit(maxsplit=1)", "splitlines()"]) + rng.choice(["", "[0]", "|length", "|join('+')"])
    if r == 2:
        return obj + "." + rng.choice(["startswith", "endswith", "count", "find", "replace"]) + "(" + rng.choice(["'a'", "'b'", "''", "1", "'A', 'z'"]) + ")"
    if r == 3:
        return rng.choice([root, path(root), "{'a': 1, 'b': none}", "dict(a=2)"]) + ".get(" + rng.choice(["'a'", "'b'", "'name'", "'f'", "'missing'", "1"]) + rng.choice(["", ", 'dflt'", ", " + path(root)]) + ")"
    if r == 4:
        return rng.choice([root, path(root), "{'k': 1}"]) + "." + rng.choice(["keys()", "values()", "items()"]) + rng.choice(["|list", "|length", "|sort|first", ""])
    if r == 5:
        return rng.choice(["'{}'", "'{:>5}'", "'{0}-{0}'", "'{:.1f}'", "'{!r}'", "'{:,}'", "'{a}'"]) + ".format(" + rng.choice([path(root), "1", "'x'", "a=" + path(root)]) + ")"
    if r == 6:
        return rng.choice(["', '", "'-'", "''"]) + ".join(" + rng.choice([path(root), "['a', 'b']", "range(3)|map('string')", path(root) + "|map('string')"]) + ")"
    if r == 7:
        return rng.choice([path(root), "[1, 2, 1]", "'aba'"]) + "." + rng.choice(["count(1)", "index('a')", "count('a')", "index(2)"])
    return obj + "." + rng.choice(["zfill(4)", "center(6, '*')", "ljust(4)", "removeprefix('A')", "partition(',')"])


def global_call(root):
    r = rng.randrange(5)
    if r == 0:
        return "range(" + rng.choice(["3", "1, 4", "5, 0, -2", path(root), "2, " + path(root), "0"]) + ")" + rng.choice(["|list", "|sum", "|length", "[1]", "|join(',')", "[::-1]|list", ""])
    if r == 1:
        return "dict(" + rng.choice(["", "a=1", "a=" + path(root), root, path(root), "[('x', 1)]"]) + ")" + rng.choice(["|length", ".a", ".get('x')", "|dictsort", "|list", ""])
    if r == 2:
        return "namespace(" + rng.choice(["", "a=1", "a=" + path(root), root]) + ")" + rng.choice([".a", ".name", ".missing", ".f"])
    if r == 3:
        return "joiner(" + rng.choice(["", "'|'", path(root)]) + ")()"
    return "cycler(" + rng.choice(["'a', 'b'", path(root), "1, 2"]) + ")" + rng.choice([".next()", ".current", ".items|list"])


def slice_of(root):
    bound = lambda: rng.choice(["", "", "0", "1", "-1", "2", "-3", "none"])
    inner = bound() + ":" + bound() + rng.choice(["", "", ":" + rng.choice(["-1", "2", "-2"])])
    return rng.choice([path(root), path(root), "'abcd'", "[1, 2, 3]", "range(5)"]) + "[" + inner + "]" + rng.choice(["", "|list", "|length", "[0]"])


def power(root):
    return rng.choice([path(root), "2", "-2", "0.5", "3", "'2'", "v", "x"]) + " ** " + rng.choice([path(root), "2", "0", "-1", "0.5", "3", "2.0"])


def dict_literal(root):
    items = [rng.choice(["'a'", "'b'", "'name'"]) + ": " + rng.choice(["1", path(root), "'v'", "[1]", "none"]) for _ in range(rng.randint(0, 3))]
    return "{" + ", ".join(items) + "}" + rng.choice(["", ".a", "['b']", "|length", "|dictsort", "|tojson", ".get('a', 0)", ".items()|list", "|list"])


def new_filter(root):
    value = rng.choice([path(root), path(root), "[1, 2, 3, 4, 5]", "'a b c'", "[{'c': 'x', 'n': 1}, {'c': 'y', 'n': 2}, {'c': 'x', 'n': 3}]"])
    r = rng.randrange(10)
    if r == 0:
        return value + "|batch(" + rng.choice(["2", "3, 'x'", "1", "0"]) + ")|list"
    if r == 1:
        return value + "|slice(" + rng.choice(["2", "3, 0", "1"]) + ")|list"
    if r == 2:
        return value + "|groupby(" + rng.choice(["'c'", "'n'", "0", "'c', default='?'"]) + ")" + rng.choice(["|list", "|map(attribute='grouper')|list", "|length", ""])
    if r == 3:
        return value + "|wordwrap(" + rng.choice(["3", "5, false", "4, true, '|'", "10"]) + ")"
    if r == 4:
        return rng.choice([value, "'<b>x</b> &amp; y'"]) + "|striptags"
    if r == 5:
        return rng.choice([value, "'a b/c?d'", "{'k': 'v w'}"]) + "|urlencode"
    if r == 6:
        return rng.choice([value, "1500", "1024", "'2048'"]) + "|filesizeformat" + rng.choice(["", "(true)"])
    if r == 7:
        return rng.choice([value, "'see www.x.org now'", "'a@b.co'"]) + "|urlize" + rng.choice(["", "(5)", "(10, true)"])
    if r == 8:
        return rng.choice(["{'a': " + path(root) + ", 'b': 'x y'}", path(root), "{}"]) + "|xmlattr" + rng.choice(["", "(false)"])
    # (Jinja's Markup only where it prints as its text, or through a filter that counts: flowc
    # refuses it elsewhere, FLW1061, as README says.)
    return "(" + escaped(root) + rng.choice(["|length", "|wordcount", " ~ '!'", "|upper ~ ''"]) + ")"


def escaped(root):
    return rng.choice([path(root), "[1, 2, 3, 4, 5]", "'<a>&'", "\"it's\""]) + "|" + rng.choice(["e", "escape", "forceescape"])


def extended_operand(root):
    return rng.choice([method_call, method_call, global_call, slice_of, power, dict_literal, new_filter, new_filter])(root)


def namespace_loop(root, depth):
    """A namespace set before a loop, its attribute set inside it (filtered or not), read after."""
    start = rng.choice(["t=0", "t=0, s=''", "found=false, t=1"])
    items = rng.choice([path(root), "range(3)", path(root) + "|list", "[1, 'a', none]", root + ".values()"])
    condition = rng.choice(["", "", " if v", " if v is number", " if not v", " if loop.index > 1"])
    update = rng.choice(["{% set ns.t = ns.t + 1 %}", "{% set ns.t = ns.t + v %}", "{% set ns.s = ns.s ~ v %}", "{% if v %}{% set ns.found = true %}{% endif %}", "{% set ns.t = ns.t * 2 %}"])
    after = rng.choice(["{{ ns.t }}", "{{ ns.s }}", "{{ ns.found }}", "{% if ns.t > 1 %}big{% else %}small{% endif %}", "{{ ns.t ~ ns.s }}"])
    return "{% set ns = namespace(" + start + ") %}{% for v in " + items + condition + " %}" + update + nested_body(root, depth + 1) + "{% endfor %}" + after


if len(sys.argv) > 3 and "expressions" in sys.argv[3]:
    hole, test, body, SCALARS = expression_hole, expression_test, nested_body, EXPR_SCALARS
    value = expr_values

if len(sys.argv) > 3 and "logic" in sys.argv[3]:
    # With a third argument `logic`, the `{% if %}` tests combine with and/or/not and use `is`.
    simple_test, test = test, logic_test

if len(sys.argv) > 3 and "validator" in sys.argv[3]:
    # Also a dict's methods, which Jinja reads before its keys, and a frame field.
    # (Not with `expressions`: there a method goes through filters and operators that flowc's
    # validator rendering does not give a method's behaviour, only its truth and printed text.)
    KEYS += ["previous_flow_name"] if "expressions" in sys.argv[3] else ["items", "get", "previous_flow_name"]
    made = 0
    while made < COUNT:
        site = rng.choice(["branch", "response"])
        template = body(rng.choice(["context", "slots"]), 0) + rng.choice(["", "", "\n"])
        document = {"slots": {k: None for k in DOMAIN_SLOTS}}
        if site == "branch":
            document["context"] = {k: None for k in FRAME_FIELDS}
        expected = render(template, document)
        if EXTENDED and known_difference(template, document):
            continue
        # A dict or its method prints with details (addresses) the validator's check does not need.
        if isinstance(expected, str) and ("{'" in expected or "built-in" in expected.lower()):
            continue
        made += 1
        print(json.dumps({"site": site, "template": template, "slots": DOMAIN_SLOTS, "expected": expected}, ensure_ascii=False))
    sys.exit(0)

made = 0
while made < COUNT:
    site = rng.choice(["branch", "rejection"])
    root = "context" if site == "branch" else "slots"
    template = body(root, 0) + rng.choice(["", "", "\n"])
    if site == "branch":
        values = {k: value() for k in rng.sample(KEYS, rng.randint(2, 6) if DENSE else rng.randint(0, 4))}
        document = {"context": values}
    else:
        name = rng.choice(KEYS + (["f", "f"] if DENSE else []))
        v = value() if name != "f" else rng.choice([0, 18, -3, 2.5, 1e-05, 1.5e16, 123456789])
        values = {name: v}
        document = {"slots": {k: (float(x) if k == "f" else x) for k, x in values.items()}}
    if EXTENDED and known_difference(template, document):
        continue
    made += 1
    print(json.dumps({"site": site, "template": template, "values": values, "expected": render(template, document)}, ensure_ascii=False))
