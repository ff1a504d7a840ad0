"""
Differential oracle for the Jinja of response templates (`metadata: {template: jinja}`): random
templates over the filters reverse, sort, dictsort, items, tojson, unique, map, select, reject,
selectattr, rejectattr, center, indent and `{% set %}`, rendered by real Jinja2 as Rasa 3.12's
interpolate_jinja_template renders them: `Template(text).render(values)`; an UndefinedError
sends the template as written, any other error sends nothing.

Run by hand on a machine with CPython 3 and Jinja2 3.1.6 (CI has neither; the cases are committed):
    python3 scripts/oracles/response-filters.py SEED COUNT > out.jsonl
Each line has the shape of tests/compiler/response-oracle-cases.jsonl: {"rule", "engine":
"jinja", "template", "values", "expected"}, `expected` the text sent, null, or
{"refused": "FLW1060"} where Jinja refuses the template (TemplateSyntaxError). A quarter of the
renderings that fail are kept. A rendering that prints an iterator (what map, select, unique,
items and reverse give) is left out: Python's text of it has its address, which differs every run.
tests/compiler/response-oracle-cases.test.ts replays the cases of response-filter-oracle-cases.jsonl.
"""
import functools
import json
import random
import re
import sys

import jinja2.filters

from response_render import render as render_template


class Printed(Exception):
    """An iterator was printed: Python's text has its address, which differs every run."""


class Probe:
    """An iterator as a filter gave it, which behaves as it does but raises Printed when printed."""

    def __init__(self, it):
        self.it = iter(it)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.it)

    def __str__(self):
        raise Printed()

    __repr__ = __str__


def probing(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        out = f(*args, **kwargs)
        return out if isinstance(out, (str, list, tuple, dict)) or not hasattr(out, "__next__") else Probe(out)

    return wrapper


# Before the first Template: its environment copies the filters.
for name in ["reverse", "map", "select", "reject", "selectattr", "rejectattr", "unique", "items"]:
    jinja2.filters.FILTERS[name] = probing(jinja2.filters.FILTERS[name])

rng = random.Random(int(sys.argv[1]))
COUNT = int(sys.argv[2])

VALUES = {
    "l": [3, 1, 2, 1],
    "w": ["b", "A", "a", "C", "b"],
    "m": ["x", 2, None],
    "s": "Hello World",
    "t": "line one\nline two\n\nend",
    "d": {"b": 2, "A": 1, "c": "<x & 'y'>"},
    "p": [{"name": "Ann", "age": 30, "tags": ["a"]}, {"name": "bob", "age": 25}, {"name": "Cy", "age": 30, "tags": []}],
    "n": 5,
    "f": 2.5,
    "z": None,
    "e": [],
    "u8": "Ünïcödé ✓",
    "nested": {"k": [1, {"x": "y"}], "j": True, "h": None, "g": 1.5},
    "cased": {"b": "Z", "a": "y", "C": "x"},
}
SOURCES = ["l", "w", "m", "s", "t", "d", "p", "n", "f", "z", "e", "u8", "nested", "missing", "d.items()", "[2, 1.0, 1]", "('b', 'a')", "'xyz'", "[[2, 'a'], [1, 'b']]", "p[0]", "['\\ue000x', '\\U0001F600', 'é', 'E']", "[1, true, 1.0, 'a', 'A', 2.5]", "[none, 0, '', [], 'x', 3]", "cased"]
TESTS = ["odd", "even", "defined", "undefined", "none", "number", "string", "lower", "upper", "integer", "float", "sequence", "mapping", "iterable", "true", "false", "boolean"]
ARG_TESTS = [("divisibleby", "2"), ("eq", "1"), ("==", "30"), ("gt", "1"), (">", "25"), ("<=", "2"), ("ne", "'b'"), ("in", "[1, 'a', 30]"), ("lt", "'b'"), ("!=", "'Ann'"), ("ge", "2"), ("divisibleby", "")]


def test_args():
    if rng.random() < 0.2:
        return ""
    if rng.random() < 0.6:
        return repr(rng.choice(TESTS))
    name, arg = rng.choice(ARG_TESTS)
    return f"{name!r}, {arg}" if arg else repr(name)


def attr():
    return repr(rng.choice(["name", "age", "tags", "tags.0", "missing", "0", "1", "name,age", "age,name", "k"]))


def filt():
    r = rng.randrange(17)
    if r == 0:
        return "reverse"
    if r == 1:
        args = rng.choice(["", "(true)", "(reverse=true)", "(case_sensitive=true)", f"(attribute={attr()})", f"(false, true, {attr()})", "(attribute='age', reverse=true)"])
        return "sort" + args
    if r == 2:
        return "dictsort" + rng.choice(["", "(true)", "(by='value')", "(false, 'value', true)", "(reverse=true)", "(by='x')"])
    if r == 3:
        return "items"
    if r == 4:
        return "tojson" + rng.choice(["", "", "(2)", "(indent=1)", "(0)"])
    if r == 5:
        return "unique" + rng.choice(["", "(true)", f"(attribute={attr()})", "(case_sensitive=true)"])
    if r == 6:
        return "map(" + rng.choice([f"attribute={attr()}", f"attribute={attr()}, default='?'", "'upper'", "'string'", "'int'", "'default', 'x'", "'round', 1", "'length'", "'title'", "'abs'", "'first'", "'join', '-'", "'replace', 'a', 'o'", "'sort'", "'center', 5"]) + ")"
    if r in (7, 8):
        return rng.choice(["select", "reject"]) + "(" + test_args() + ")"
    if r in (9, 10):
        args = test_args()
        return rng.choice(["selectattr", "rejectattr"]) + "(" + attr() + (", " + args if args else "") + ")"
    if r == 11:
        return "center" + rng.choice(["", "(9)", "(width=4)", "(10)", "(-1)", "(2.5)"])
    if r == 12:
        return "indent" + rng.choice(["", "(2)", "(2, true)", "(first=true)", "(2, false, true)", "(blank=true)", "('> ')", "(0, true)"])
    return rng.choice(["list", "join(',')", "first", "last", "length", "string", "sum", "lower", "join(', ', attribute='name')", "list|length"])


def terminal():
    return rng.choice(["|list", "|join(',')", "|join", "|first", "|length", "|string", "|tojson", "", "|list|string"])


def expr():
    out = rng.choice(SOURCES)
    for _ in range(rng.randint(1, 3)):
        out += " | " + filt()
    return out + terminal()


ESCAPE_PIECES = ["a", "é", "\\n", "\\t", "\\\\", "\\'", '\\"', "\\a", "\\b", "\\f", "\\v", "\\0", "\\101", "\\7777", "\\x41", "\\x4", "\\u00e9", "\\u00", "\\U0001F600", "\\U00110000", "\\q", "\\é", "\\N{BULLET}", "\\\n", "\n", "😀", "\\xff"]


def string_literal():
    return "'" + "".join(rng.choice(ESCAPE_PIECES) for _ in range(rng.randint(1, 4))) + "'"


def template():
    r = rng.random()
    if r < 0.05:
        return "{{ " + string_literal() + rng.choice(["", "|list", "|length", "|tojson"]) + " }}"
    if r < 0.6:
        return "{{ " + expr() + " }}"
    if r < 0.75:
        return "{% for x in " + expr() + " %}[{{ x }}]{% else %}none{% endfor %}"
    if r < 0.9:
        name = rng.choice(["x", "n", "s", "l"])
        body = "{% set " + name + " = " + expr() + " %}{{ " + name + " }}"
        if rng.random() < 0.5:
            body = "{{ " + name + " }}{% if " + rng.choice(["true", "false", "n > 1", "z"]) + " %}" + body + "{% endif %}|{{ " + name + " }}"
        if rng.random() < 0.3:
            body = "{% for i in [1, 2] %}" + body + "{% set " + name + " = i %}{{ " + name + " }}{% endfor %}|{{ " + name + " }}"
        return body
    return "{% set a, b = " + rng.choice(["[1, 2]", "'xy'", "d|dictsort|first", "(1, 2, 3)", "p|map(attribute='name')"]) + " %}{{ a }}-{{ b }}"


def render(text):
    return render_template(text, VALUES, passthrough=Printed)


def stable_render(text):
    """The rendering, or "unstable" when it printed an iterator (and so an address)."""
    try:
        return render(text)
    except Printed:
        return "unstable"


seen = set()
made = 0
while made < COUNT:
    text = template()
    if text in seen:
        continue
    seen.add(text)
    out = stable_render(text)
    if out == "unstable":
        continue
    # Random chains of filters often fail; keep a quarter of the failures.
    if out is None and rng.random() < 0.75:
        continue
    made += 1
    rule = "differential test against Jinja 3.1.6 (filters that sort, pick and reshape, {% set %}): " + text
    if "\\N{" in text and not isinstance(out, dict):
        # flowc refuses a character named by its Unicode name (it has no name table): FLW1061.
        rule, out = "Jinja renders `\\N{…}`; flowc refuses it (FLW1061): " + text, {"refused": "FLW1061"}
    # Only the values the template names (the rest change nothing), to keep the case file small.
    values = {k: v for k, v in VALUES.items() if re.search(r"\b" + k + r"\b", text)}
    print(json.dumps({"rule": rule, "engine": "jinja", "template": text, "values": values, "expected": out}, ensure_ascii=False))
