"""
Differential oracle for the thirteenth session's additions to the Jinja of response templates:
`{% macro %}` and `{% call %}`, recursive loops, the filters `random` (only where its pick is certain: one item, none, or an error) and `pprint`
(Python's pprint.pformat, wrapped at 80 columns), `loop.changed(…)`, `loop.cycle(…)` and
`loop.depth`, Jinja's globals read as values (`{{ range }}`), a global's name set to another value
and called, and the attributes and methods of numbers (`.real`, `.imag`, `.numerator`,
`.denominator`, `conjugate()`, `is_integer()`, `bit_length()`), rendered by real Jinja2 as Rasa
3.12's interpolate_jinja_template renders them: `Template(text).render(values)`; an
UndefinedError sends the template as written, any other error sends nothing.

Run by hand on a machine with CPython 3.11 and Jinja2 3.1.6 (CI has neither; the cases are committed):
    python3 scripts/oracles/response-additions.py SEED COUNT > tests/compiler/response-addition-oracle-cases.jsonl
Each line has the shape of tests/compiler/response-oracle-cases.jsonl: first the fixed cases,
then COUNT random ones. tests/compiler/response-oracle-cases.test.ts replays them.
"""
import json
import random
import re
import sys

from response_render import render as render_template

rng = random.Random(int(sys.argv[1]))
COUNT = int(sys.argv[2])

VALUES = {
    "n": 5,
    "g": -12,
    "z0": 0,
    "f": 2.5,
    "s": "Hello World",
    "one": ["only"],
    "l": [3, 1, 1, 2, 2, 2, 5],
    "e": [],
    "d": {"b": 1, "a": [1, 2]},
    "ed": {},
    "p": [{"name": "Ann", "team": "x"}, {"name": "Bob", "team": "x"}, {"name": "Cy", "team": "y"}],
    "long": "the quick brown fox jumps over the lazy dog " * 3,
    "lines": "first line\nsecond line that is a good deal longer than the first one, to be cut somewhere\n",
    "nest": {"zeta": [1, 2, {"k": "v" * 30}], "alpha": ["t", 1.5, None], "mid": {"inner": list(range(12)), "x": "y" * 70}},
    "none": None,
    "flag": True,
    "tree": [{"n": "a", "c": [{"n": "b", "c": []}, {"n": "c", "c": [{"n": "d", "c": []}]}]}, {"n": "e", "c": []}],
}

FIXED = [
    # random: one item, none, or an error, where Jinja's pick cannot differ
    "{{ one | random }}", "{{ ['x'] | random }}", "{{ ('t',) | random }}", "{{ 'a' | random }}", "{{ range(1) | random }}",
    "{{ range(3, 4) | random }}", "[{{ e | random }}]", "[{{ '' | random }}]", "[{{ () | random }}]", "[{{ range(0) | random }}]",
    "[{{ missing | random }}]", "[{{ ed | random }}]", "{{ d | random }}", "{{ n | random }}", "{{ none | random }}", "{{ f | random }}",
    "{{ d.keys() | random }}", "{{ l | map('string') | random }}", "{{ one | random | upper }}", "{{ (e | random) is defined }}",
    "{{ ([[1, 2]] | random)[1] }}", "{% for x in [['a']] | random %}{{ x }}{% endfor %}", "{% set x = one | random %}{{ x ~ '!' }}",
    "{% filter random %}x{% endfilter %}", "{{ e | random | default('none') }}", "{{ (e | random).x }}", "{{ flag | random }}",
    "{% for x in range(3) %}{{ loop | random }}{% endfor %}", "{{ [none] | random }}", "{{ [one] | random | random }}",
    # globals read as values; a global's name set to another value
    "{{ range }}", "{{ dict }}", "{{ namespace }}", "{{ joiner }}", "{{ cycler }}", "{{ [range, dict] }}", "{{ range is defined }}",
    "{{ range ~ '' }}", "{{ range | string | length }}", "{{ range == range }}", "{{ range != dict }}", "{{ dict | length }}",
    "{% for x in range %}{{ x }}{% endfor %}", "{{ range.foo }}|", "{{ range['x'] }}|", "{{ range[0] }}|", "{{ range is mapping }}",
    "{{ cycler.foo }}|", "{{ 'r' if range else 'no' }}", "{{ range | pprint }}", "{{ {'a': range} }}", "{{ range + 1 }}",
    "{% set r = range %}{{ r(3) | list }}", "{% set f = dict %}{{ f(a=1) }}", "{% set ns = namespace %}{% set x = ns(a=1) %}{{ x.a }}",
    "{% set dict = missing %}{{ dict(a=1) }}", "{% set range = 5 %}{{ range(3) }}", "{% set range = dict %}{{ range(a=2) }}",
    "{% for range in [dict] %}{{ range(b=1) }}{% endfor %}", "{% with dict = none %}{{ dict(a=1) }}{% endwith %}",
    "{% set j = joiner %}{% set c = j('-') %}{{ c() }}{{ c() }}", "{% set k = cycler %}{{ k(1, 2).next() }}",
    # loop.changed, loop.cycle, loop.depth
    "{% for x in l %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}",
    "{% for x in l %}{{ loop.changed(x) }},{% endfor %}",
    "{% for x in e %}{{ loop.changed(x) }}{% else %}none{% endfor %}",
    "{% for x in l %}{{ loop.changed() }}{% endfor %}",
    "{% for x in l %}{{ loop.changed(x, loop.index0 // 3) }}{% endfor %}",
    "{% for x in l %}{{ loop.changed(x > 1) }}{% endfor %}",
    "{% for x in p %}{% if loop.changed(x.team) %}[{{ x.team }}]{% endif %}{{ x.name }} {% endfor %}",
    "{% for x in [1, 1] %}{% for y in [2, 2] %}{{ loop.changed(y) }}{% endfor %}{{ loop.changed(x) }};{% endfor %}",
    "{% for x in [1, 1.0, true] %}{{ loop.changed(x) }}{% endfor %}",
    "{% for x in [[1], [1], (1,)] %}{{ loop.changed(x) }}{% endfor %}",
    "{% for x in l %}{{ loop.changed(x=1) }}{% endfor %}",
    "{% for x in l if loop.changed is defined %}{{ x }}{% endfor %}",
    "{% for x in l %}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}",
    "{% for x in l %}{{ loop.cycle() }}{% endfor %}",
    "{% for x in l %}{{ loop.cycle(x) }}{% endfor %}",
    "{% for x in l %}{{ loop.depth }}{{ loop.depth0 }}{% for y in 'ab' %}{{ loop.depth }}{% endfor %}{% endfor %}",
    # number attributes and methods
    "{{ n.real }} {{ n.imag }} {{ n.numerator }} {{ n.denominator }}", "{{ f.real }} {{ f.imag }} {{ f.numerator }}|{{ f.denominator }}|",
    "{{ (3.0).real }} {{ (3.0).imag }}", "{{ g.real }} {{ (-0.0).real }} {{ (-0.0).imag }}", "{{ flag.real }} {{ flag.numerator }} {{ false.denominator }}",
    "{{ n.conjugate() }} {{ f.conjugate() }} {{ (3.0).conjugate() }} {{ flag.conjugate() }}", "{{ f.is_integer() }} {{ (3.0).is_integer() }} {{ (1e300).is_integer() }}",
    "{{ n.is_integer() }}", "{{ n.bit_length() }} {{ g.bit_length() }} {{ z0.bit_length() }} {{ flag.bit_length() }} {{ (2 ** 40).bit_length() }}",
    "{{ f.bit_length() }}", "{{ n.bit_length(1) }}", "{{ f.is_integer(1) }}", "{{ n.conjugate(x=1) }}", "{{ n['real'] }} {{ f['imag'] }}",
    "{{ n.real + f.imag }}", "{{ (n.real / 2).is_integer() }}", "{{ none.real }}", "{{ s.real }}|", "{{ missing.real }}",
    "{{ n.imag is integer }} {{ f.imag is float }}", "{{ (f * 1e308).is_integer() }} {{ (f * 1e308 - f * 1e308).is_integer() }}", "{{ n.real.real.imag }}",
    "{{ n | attr('real') }}|", "{{ 7.0 // 2 | attr('real') }}|",
    # pprint
    "{{ d | pprint }}", "{{ nest | pprint }}", "{{ long | pprint }}", "{{ lines | pprint }}", "{{ [long] | pprint }}", "{{ {'k': long} | pprint }}",
    "{{ (long,) | pprint }}", "{{ (long, 1) | pprint }}", "{{ none | pprint }}", "{{ f | pprint }}", "{{ 3.0 | pprint }}", "{{ s | pprint }}",
    "{{ missing | pprint }}", "{{ '' | pprint }}", "{{ e | pprint }}", "{{ ed | pprint }}", "{{ () | pprint }}", "{{ range(100) | pprint }}",
    "{{ range(40) | list | pprint }}", "{{ p | pprint }}", "{{ p * 2 | pprint }}", "{{ d.items() | pprint }}", "{{ d.keys() | list | pprint }}",
    "{{ p | groupby('team') | pprint }}", "{{ namespace(a=long) | pprint }}", "{{ \"it's\" | pprint }}", "{{ 'a\\tb\\x00' | pprint }}",
    "{{ ('x' * 100) | pprint }}", "{{ ['x' * 100] | pprint }}", "{{ ('a ' * 60) | pprint }}", "{{ ['a ' * 60, 'b'] | pprint }}",
    "{{ 'é ✓ ' * 30 | pprint }}", "{{ {'b': {'y': 1, 'x': 2}, 'a': 1} | pprint }}", "{{ nest | pprint | length }}", "{{ l | pprint | upper }}",
    # macros and {% call %}
    "{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}", "{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}",
    "{{ m() }}{% macro m() %}x{% endmacro %}", "{% macro m(a, b=a ~ '!') %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}|{{ m(1, 2) }}|{{ m(b=3, a=4) }}|{{ m() }}",
    "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(1, 2) }}", "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(c=2) }}", "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(1, a=2) }}",
    "{% macro m(a) %}[{{ a }}|{{ varargs }}|{{ kwargs }}]{% endmacro %}{{ m(1, 2, 3, c=2) }}", "{% macro m(a) %}[{{ kwargs }}]{% endmacro %}{{ m() }}{{ m(b=1, a=2) }}",
    "{% macro m() %}<{{ caller() }}>{% endmacro %}{% call m() %}inner {{ s }}{% endcall %}", "{% macro m() %}<{{ caller(1, 2) }}>{% endmacro %}{% call(a, b) m() %}{{ a + b }}{% endcall %}",
    "{% macro m() %}<{{ caller() }}>{% endmacro %}{{ m() }}", "{% macro m() %}x{% endmacro %}{{ m }}|{{ m.name }}|{{ m.arguments }}|{{ m.catch_kwargs }}|{{ m.catch_varargs }}|{{ m.caller }}",
    "{% macro m(a, b=1) %}{{ varargs }}{{ caller }}{% endmacro %}{{ m.arguments }}|{{ m.catch_varargs }}|{{ m.caller }}|{{ m.foo }}|",
    "{% macro m(a, b=1) %}{% endmacro %}{{ m.explicit_caller }}|{{ m._argument_count }}|{{ m._default_autoescape }}|{{ m.defaults }}|{{ m['name'] }}|{{ m | attr('name') }}",
    "{% for i in [1,2] %}{% macro m() %}{{ i }}{{ loop.index }}{% endmacro %}{{ m() }}{% endfor %}", "{% macro f(n) %}{% if n > 0 %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(3) }}",
    "{% macro m() %}{% set y = 1 %}{{ y }}{% endmacro %}{{ m() }}{{ y }}", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(a=1, caller=2) }}", "{% macro m() %}{{ n }}{% endmacro %}{% set n = 7 %}{{ m() }}",
    "{% macro m() %}{{ n }}{% endmacro %}{% for n in [8] %}{{ m() }}{% endfor %}", "{% if true %}{% macro m() %}in{% endmacro %}{% endif %}{{ m() }}", "{% macro m() %}{{ caller }}{% endmacro %}{{ m() }}|",
    "{{ m }}{% macro m() %}x{% endmacro %}|", "{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}|", "{% macro m(a, b) %}{{ a }}{{ b is defined }}{{ b.x }}{% endmacro %}{{ m(1) }}|",
    "{% macro m() %}a  {% endmacro %}[{{ m() }}]{{ m() | length }}", "{% macro m(a=[]) %}{{ a }}{% endmacro %}{{ m() }}", "{% set m = 1 %}{% macro m() %}x{% endmacro %}{{ m() }}",
    "{% macro m() %}{{ varargs }}{% endmacro %}{{ m(1) }}", "{% macro m(a=1, b) %}{% endmacro %}", "{% macro m(a,) %}{% endmacro %}", "{% macro m %}{% endmacro %}",
    "{% macro m(a, a) %}{% endmacro %}", "{% macro m() %}x", "{% call m() %}x{% endcall %}", "{% call range(3) %}x{% endcall %}", "{% call dict() %}x{% endcall %}",
    "{% macro m(n) %}{{ n * 2 }}{% endmacro %}{{ m(3) ~ '!' }}|{{ m(3) | int + 1 }}|{{ [m(1)] }}", "{% macro m() %}{{ caller() | upper }}{% endmacro %}{% call m() %}{% for x in l %}{{ x }}{% endfor %}{% endcall %}",
    "{% macro row(name, value='-') %}{{ name }}: {{ value }}\n{% endmacro %}{% for p in p %}{{ row(p.name, p.team) }}{% endfor %}{{ row('total') }}",
    "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}{% set ns = namespace(i=0) %}{% call m() %}{% set ns.i = ns.i + 1 %}{{ ns.i }}{% endcall %}",
    "{% macro m(x) %}{% for y in x %}{{ loop.index }}{{ y }}{% endfor %}{% endmacro %}{{ m('ab') }}{{ m(l) }}", "{% macro m() %}{{ kwargs }}{% endmacro %}{% call m(a=1) %}{% endcall %}",
    "{% macro m(a) %}{{ a }}{% endmacro %}{% call(x) m(2) %}{{ x }}{% endcall %}", "{% macro m() %}{{ caller(1) }}{% endmacro %}{% call(x, y=5) m() %}{{ x }}{{ y }}{% endcall %}",
    "{% macro m() %}{{ caller(1, 2, 3) }}{% endmacro %}{% call(x) m() %}{{ x }}{% endcall %}", "{% macro outer() %}{% macro inner() %}i{% endmacro %}{{ inner() }}o{% endmacro %}{{ outer() }}{{ inner is defined }}",
    "{% macro m() %}{{ s }}{% endmacro %}{% with s = 'w' %}{{ m() }}{% endwith %}", "{% with %}{% macro m() %}w{% endmacro %}{% endwith %}{{ m() }}|", "{% macro m() -%}  x  {%- endmacro %}[{{ m() }}]",
    "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(none) }}|{{ m(missing) }}|{{ m(a=missing) }}", "{{ s(1) }}", "{% set f = range %}{% macro m() %}{{ f(2) | list }}{% endmacro %}{{ m() }}",

 "{% macro a() %}{% macro b() %}{{ caller() }}{% endmacro %}{{ b() }}{% endmacro %}{% call a() %}x{% endcall %}",
 "{% macro m() %}{% set x = 1 %}{% for i in l %}{{ x }}{% set x = i %}{% endfor %}{{ x }}{% endmacro %}{{ m() }}",
 "{% macro m() %}{{ x }}{% set x = 3 %}{{ x }}{% endmacro %}{% set x = 1 %}{{ m() }}",
 "{% macro m() %}{% for i in l %}{{ i }}{% else %}none{% endfor %}{% endmacro %}{{ m() }}",
 "{% macro m(l) %}{% for i in l %}{{ i }}{% else %}none{% endfor %}{% endmacro %}{{ m(e) }}{{ m(l) }}",
 "{% for i in l %}{% macro m() %}{{ loop.index }}{% endmacro %}{% endfor %}{{ m() }}",
 "{% macro m() %}{{ m }}{% endmacro %}{{ m() }}",
 "{% macro m() %}x{% endmacro %}{{ m == m }}{{ m() is string }}{{ m is defined }}{{ m | string }}",
 "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{% call m() %}in{% endcall %}{% endcall %}",
 "{% macro m(x) %}{{ x }}{% endmacro %}{{ l | map('string') | join(m(1)) }}",
 "{% macro m() %}{{ caller.name }}|{{ caller.arguments }}{% endmacro %}{% call(a, b=1) m() %}{% endcall %}",
 "{% set ns = namespace(v=0) %}{% macro inc() %}{% set ns.v = ns.v + 1 %}{% endmacro %}{{ inc() }}{{ inc() }}{{ ns.v }}",
 "{% macro m(a) %}{% if a %}{{ a }}{% set b = a %}{% endif %}{{ b }}{% endmacro %}{{ m(1) }}|{{ m(0) }}",
 "{% macro m() %}{{ n }}{% set n = 2 %}{% endmacro %}{{ m() }}",
 "{% macro m() %}{{ varargs | length }}{{ kwargs | length }}{% endmacro %}{{ m(1, 2, x=1) }}",
 "{% macro m(a, b=(a or 5)) %}{{ b }}{% endmacro %}{{ m(0) }}{{ m(2) }}",
 "{% macro m(a=missing) %}{{ a }}|{% endmacro %}{{ m() }}",
 "{% macro m(a=missing.x) %}{{ a }}|{% endmacro %}{{ m(1) }}{{ m() }}",
 "{% macro m() %}{% set caller = 1 %}{{ caller }}{% endmacro %}{{ m() }}",
 "{{ (m if false) }}{% macro m() %}{% endmacro %}",
 "{% macro m() %}{{ caller }}{% endmacro %}{{ m(caller=none) }}|{{ m(caller=1) }}",
 "{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(caller=1) }}",
 "{% macro m() %}{% endmacro %}{{ m(caller=1) }}",
 "{% macro m() -%}\n  x\n{%- endmacro %}[{{ m() }}]",
 "{% with a = 1 %}{% macro m() %}{{ a }}{% endmacro %}{{ m() }}{% endwith %}",
 "{% set t %}{% macro m() %}t{% endmacro %}{{ m() }}{% endset %}{{ t }}{{ m is defined }}",
 "{% filter upper %}{% macro m() %}t{% endmacro %}{{ m() }}{% endfilter %}",
    "x{% macro a(p) %}{% macro b() %}{{ caller() }}{{ kwargs }}{% endmacro %}{{ b() }}{% endmacro %}{{ a(1) }}", "{% macro a(p) %}{% macro b() %}{{ kwargs }}{% endmacro %}{{ b(x=p) }}{% endmacro %}{{ a(1, y=2) }}",
    "{% macro a() %}{% macro b() %}{{ caller() }}{% endmacro %}{% call b() %}in{% endcall %}{% endmacro %}{% call a() %}out{% endcall %}",
    # recursive loops
    "{% for x in tree recursive %}{{ loop.depth }}{{ x.n }}({{ loop(x.c) }}){% endfor %}", "{% for x in tree recursive %}{{ x.n }}{% if x.c %}[{{ loop(x.c) }}]{% endif %}{% else %}none{% endfor %}",
    "{% for x in tree recursive %}{{ x.n }}{{ loop(x.c) }}{% else %}-{% endfor %}", "{% for x in tree if x.n != 'c' recursive %}{{ x.n }}{{ loop(x.c) }}{% endfor %}",
    "{% for x in l %}{{ loop(l) }}{% endfor %}", "{% for x in tree recursive %}{% for y in l %}{{ loop(l) }}{% endfor %}{% endfor %}",
    "{% for x in tree recursive %}{{ loop.depth0 }}{{ loop.index }}/{{ loop.length }}{{ loop.changed(1) }}{{ loop(x.c) }};{% endfor %}",
    "{% for x in tree recursive %}{% set d = loop.depth %}{{ x.n }}{{ d }}{{ loop(x.c) }}{% endfor %}", "{% for x in tree recursive %}{{ loop(x.c) | length }}{% endfor %}",
    "{% for x in tree recursive %}{{ loop() }}{% endfor %}", "{% for x in tree recursive %}{{ loop(5) }}{% endfor %}", "{% for x in tree recursive %}{{ loop(x.c, 1) }}{% endfor %}",
    "{% for x in tree recursive %}{{ loop(x.c, a=1) }}{% endfor %}", "{% for x in tree recursive %}x{% endfor %}", "{% for k, v in {'a': {'b': {}}}.items() recursive %}{{ k }}{{ loop(v.items()) }}{% endfor %}",
    "{% for x in tree recursive %}{{ loop }}{% endfor %}", "{% for x in tree recursive %}{{ loop.cycle('o', 'e') }}{{ loop(x.c) }}{% endfor %}",
    "{% macro m(t) %}{% for x in t recursive %}{{ x.n }}{{ loop(x.c) }}{% endfor %}{% endmacro %}{{ m(tree) }}", "{% for x in tree recursive %}{{ x.n }}{{ loop(x.c) }}{% endfor %}{{ loop }}|",
    "{% for x in tree recursive %}{{ x.n }}{{ loop(missing) }}{% endfor %}", "{% for x in tree recursive %}{{ loop(x.c) ~ loop.previtem is defined }}{% endfor %}",
    "{% for x in tree recursive %}{% if loop.depth < 2 %}{{ x.n }}{{ loop(x.c) }}{% endif %}{% endfor %}", "{% for x in tree recursive %}{{ loop.depth }}{% for y in x.c %}{{ loop.depth }}{% endfor %}{% endfor %}",
    "{% set ns = namespace(c=0) %}{% for x in tree recursive %}{% set ns.c = ns.c + 1 %}{{ loop(x.c) }}{% endfor %}{{ ns.c }}", "{% for x in tree recursive %}{{ loop(x.c) }}{{ x.n }}{% endfor %}",
]

WORDS = ["a", "bb", "word", "longer words", "x" * 12, "é✓", "it's", "tab\there", "new\nline", "  ", "quote\"d", "-", "0"]
KEYS = ["a", "b", "name", "zeta", "mid", "k", "alpha", "x_y", "B", "é"]


def literal(depth=0):
    """A random Jinja literal (nested dicts, lists, tuples, texts, numbers) whose repr is often beyond 80 characters."""
    r = rng.random()
    if depth < 3 and r < 0.25:
        keys = rng.sample(KEYS, rng.randint(0, 5))
        return "{" + ", ".join(repr(k) + ": " + literal(depth + 1) for k in keys) + "}"
    if depth < 3 and r < 0.45:
        return "[" + ", ".join(literal(depth + 1) for _ in range(rng.randint(0, 6))) + "]"
    if depth < 3 and r < 0.55:
        items = [literal(depth + 1) for _ in range(rng.randint(0, 4))]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if r < 0.8:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 14)))
        return repr(text)
    return rng.choice(["1", "-2", "2.5", "3.0", "none", "true", "1e20", "0.1", "12345"])


def number():
    return rng.choice(["n", "g", "z0", "f", "3.0", "flag", "1", "0", "-3", "2.0", "0.5", "-1.5", "1e300", "7 // 2", "7 / 2", "2 ** 10", "(-8)", "none", "s", "missing"])


MACRO_PARAMS = ["", "a", "a, b", "a, b=2", "a=1", "a, b=a", "a=[1], b='x'"]
MACRO_BODIES = ["{{ a }}", "[{{ a }}|{{ b }}]", "{{ varargs }}", "{{ kwargs }}", "{{ a }}{{ kwargs }}{{ varargs }}", "{{ caller() }}", "{{ caller(a) }}", "{% for x in varargs %}{{ x }}{% endfor %}", "{{ a is defined }}", "{{ b | default('d') }}"]
MACRO_CALLS = ["m()", "m(1)", "m(1, 2)", "m(1, 2, 3)", "m(a=5)", "m(b=6)", "m(1, b=2)", "m(c=3)", "m(1, a=2)", "m(none)", "m(1, 2, c=3)", "m(caller=1)"]


def macro_template():
    params = rng.choice(MACRO_PARAMS)
    body = rng.choice(MACRO_BODIES)
    call = rng.choice(MACRO_CALLS)
    use = rng.choice(["{{ CALL }}", "{% call CALL %}c{% endcall %}", "{% call(x) CALL %}<{{ x }}>{% endcall %}", "{{ CALL | length }}"])
    return "{% macro m(" + params + ") %}" + body + "{% endmacro %}" + use.replace("CALL", call)


def random_template():
    r = rng.random()
    if r < 0.25:
        return macro_template()
    r = rng.random()
    if r < 0.45:
        return "{{ " + literal() + " | pprint }}"
    if r < 0.6:
        name = rng.choice(["nest", "p", "long", "lines", "d", "l"])
        return "{{ " + name + " | pprint }}"
    if r < 0.8:
        attribute = rng.choice([".real", ".imag", ".numerator", ".denominator", ".conjugate()", ".is_integer()", ".bit_length()"])
        return "{{ (" + number() + ")" + attribute + " }}"
    seq = rng.choice(["l", "[1, 1, 2]", "'aabbc'", "p", "[none, none, 1]", "range(4)", "[1, 1.0, 2]"])
    args = rng.choice(["x", "x, 1", "", "x is odd", "x.team", "loop.index // 2"])
    body = rng.choice(["{{ loop.changed(ARGS) }}", "{% if loop.changed(ARGS) %}[{{ x }}]{% endif %}", "{{ loop.changed(ARGS) }}{{ loop.changed(ARGS) }}"])
    return "{% for x in " + seq + " %}" + body.replace("ARGS", args) + "{% endfor %}"


def render(text):
    return render_template(text, VALUES)


def case(text):
    out = render(text)
    values = {k: v for k, v in VALUES.items() if re.search(r"\b" + k + r"\b", text)}
    # (JSON has neither tuples nor whole floats: the values hold none.)
    rule = "differential test against Jinja 3.1.6 (random, pprint, loop.changed, globals as values, number attributes, macros, recursive loops): " + text
    return {"rule": rule, "engine": "jinja", "template": text, "values": values, "expected": out}


seen = set()
for text in FIXED:
    seen.add(text)
    print(json.dumps(case(text), ensure_ascii=False))
made = 0
while made < COUNT:
    text = random_template()
    if text in seen:
        continue
    seen.add(text)
    made += 1
    print(json.dumps(case(text), ensure_ascii=False))
