"""
Differential oracle for the Jinja of response templates (`metadata: {template: jinja}`): random
templates over method calls (`s.split()`, `d.get(k, x)`, `l.index(x)`, `loop.cycle(…)`,
`'{:>8,.2f}'.format(x)` with Python's format mini-language), the filters batch, slice, groupby,
wordwrap, striptags, urlencode, filesizeformat, escape (where its Markup prints as text), xmlattr
and urlize, loop filters, `{% raw %}`, `{% filter %}` and `{% with %}` blocks, joiner and cycler, the
globals `range`, `dict` and `namespace` (with `{% set ns.x = … %}`), slices, `**`, dict literals
and `{% set x %}…{% endset %}`, rendered by real Jinja2 as Rasa 3.12's
interpolate_jinja_template renders them: `Template(text).render(values)` (jinja2.Template, not a
sandbox); an UndefinedError sends the template as written, any other error sends nothing.

Run by hand on a machine with CPython 3 and Jinja2 3.1.6 (CI has neither; the cases are committed):
    python3 scripts/oracles/response-methods.py SEED COUNT > tests/compiler/response-method-oracle-cases.jsonl
Each line has the shape of tests/compiler/response-oracle-cases.jsonl. A third of the renderings
that fail are kept. Left out, where flowc differs on purpose (README): a complex number (a
negative number to a fractional power) and an int beyond 2^53, which flowc rounds.
tests/compiler/response-oracle-cases.test.ts replays the cases.
"""
import json
import random
import re
import sys

from response_render import render as render_template

rng = random.Random(int(sys.argv[1]))
COUNT = int(sys.argv[2])

VALUES = {
    "s": "Hello World",
    "t": "  a  b\tc \n",
    "csv": "x,y,,z",
    "u8": "Ünïcödé ✓ straße",
    "n": 5,
    "f": 2.5,
    "g": -3,
    "l": [3, 1, 2, 1],
    "w": ["b", "A", "a"],
    "m": ["x", 2, None],
    "d": {"a": 1, "b": "two", "get": 3},
    "p": [{"name": "Ann", "age": 30}, {"name": "bob", "age": 25}],
    "z": None,
    "e": [],
    "x": "X",
}

TEXTS = ["s", "t", "csv", "u8", "'a-b c'", "'  x  '", "''", "w[0]", "p[0].name", "'ab' * 3", "n", "z", "missing", "l", "d"]
SEQS = ["l", "w", "m", "e", "(1, 2, 2)", "range(5)", "range(2, 9, 3)", "range(5, 0, -1)", "s", "'abc'", "d", "n", "missing"]
NUMS = ["n", "g", "2", "0", "-2", "0.5", "3.0", "true", "z", "'2'", "missing", "1e3", "-1.5", "10", "2.25", "4"]
# (flowc's float `**` is correctly rounded; C's pow() is in all but rare cases, which random templates seldom meet.)
EXPONENTS = ["n", "2", "0", "3.0", "true", "z", "'2'", "missing", "10", "0.5", "g", "-2", "1.5", "-0.5", "f"]
IDX = ["", "0", "1", "-1", "2", "-3", "10", "none", "true", "n", "-10"]
# Not an int: Python refuses them, but Jinja computes a slice of constants at build time and gives
# an undefined value for them then, which flowc does not imitate; so only with a variable.
BAD_IDX = ["1.0", "'a'", "missing", "z"]
VARIABLE_SEQS = ["l", "w", "s", "e", "m", "d", "n", "missing"]


def arg_text():
    return rng.choice(["'o'", "'l'", "' '", "','", "''", "'x'", "'He'", "('He', 'x')", "1", "z", "'ß'", "'a'"])


def more_text_methods():
    obj = rng.choice(TEXTS + ["'²³4'", "'٣4'", "'abc123'", "'ABC'", "'a\\nb\\r\\nc\\x0bd\\n'", "'-42'", "'+7'", "'x.y.z'", "' \\t'"])
    r = rng.randrange(8)
    if r == 0:
        return obj + "." + rng.choice(["isdigit()", "isdecimal()", "isalpha()", "isalnum()", "isspace()", "islower()", "isupper()", "isdigit(1)"])
    if r == 1:
        return obj + "." + rng.choice(["center", "ljust", "rjust"]) + "(" + rng.choice(["10", "3", "0", "-1", "9, '*'", "8, '·'", "8, 'ab'", "8, 1", "'x'", "2.5"]) + ")"
    if r == 2:
        return obj + ".zfill(" + rng.choice(["5", "0", "1", "8", "'x'"]) + ")"
    if r == 3:
        return obj + "." + rng.choice(["rfind", "rindex"]) + "(" + arg_text() + rng.choice(["", "", ", 2", ", -4", ", 1, 5", ", 30"]) + ")"
    if r == 4:
        return obj + ".rsplit(" + rng.choice(["", "','", "' '", "'o'", "none, 1", "',', 1", "maxsplit=1", "sep='.'", "'.', 1", "''", "sep=' ', maxsplit=0"]) + ")"
    if r == 5:
        return obj + ".splitlines(" + rng.choice(["", "true", "keepends=true", "false", "'x'", "1"]) + ")"
    if r == 6:
        return obj + "." + rng.choice(["partition", "rpartition"]) + "(" + rng.choice(["'.'", "' '", "'o'", "''", "'zz'", "1"]) + ")"
    return obj + "." + rng.choice(["removeprefix", "removesuffix"]) + "(" + rng.choice(["'He'", "'ld'", "''", "'  '", "'x'", "1", "'-'"]) + ")"


def method_call():
    r = rng.randrange(16)
    if r >= 12:
        return more_text_methods()
    obj = rng.choice(TEXTS)
    if r == 0:
        return obj + "." + rng.choice(["upper()", "lower()", "title()", "capitalize()", "strip()", "lstrip()", "rstrip()", "upper(1)"])
    if r == 1:
        return obj + "." + rng.choice(["strip", "lstrip", "rstrip"]) + "(" + rng.choice(["'Hd '", "' '", "'x,'", "none", "1", "'a '"]) + ")"
    if r == 2:
        return obj + ".replace(" + arg_text() + ", " + rng.choice(["'_'", "''", "'0'", "1"]) + rng.choice(["", ", 1", ", -1", ", 0", ", 'x'"]) + ")"
    if r == 3:
        return obj + ".split(" + rng.choice(["", "','", "' '", "'o'", "none, 1", "',', 1", "maxsplit=1", "sep=','", "''", "1", "',', maxsplit=2", "sep=' ', maxsplit=0"]) + ")" + rng.choice(["", "", "[0]", "|length", "[-1]"])
    if r == 4:
        return obj + "." + rng.choice(["startswith", "endswith"]) + "(" + arg_text() + rng.choice(["", "", ", 1", ", -5", ", 0, 3", ", 20", ", none, 4"]) + ")"
    if r == 5:
        return rng.choice(["', '", "''", "'-'", "s"]) + ".join(" + rng.choice(SEQS + ["w|sort", "p|map(attribute='name')"]) + ")"
    if r == 6:
        return obj + "." + rng.choice(["count", "find", "index"]) + "(" + arg_text() + rng.choice(["", "", ", 2", ", -4", ", 1, 5", ", 30"]) + ")"
    if r == 7:
        return rng.choice(SEQS) + "." + rng.choice(["count", "index"]) + "(" + rng.choice(["1", "2", "'a'", "none", "3", "9", "'b'"]) + rng.choice(["", "", ", 1", ", -2", ", 0, 2"]) + ")"
    if r == 8:
        return rng.choice(["d", "p[0]", "p[1]", "{'k': 1}", "s", "missing", "l"]) + ".get(" + rng.choice(["'a'", "'name'", "'x'", "'get'", "1", "[1]", "'k'"]) + rng.choice(["", "", ", 'none'", ", 0", ", z"]) + ")"
    if r == 9:
        return rng.choice(["d", "{'x': 1, 'y': [2]}", "dict(a=1)"]) + "." + rng.choice(["keys()", "values()", "items()", "keys(1)"]) + rng.choice(["|list", "|length", ""])
    if r == 10:
        return rng.choice(["d", "l"]) + "." + rng.choice(["upper()", "get('a')", "split()"])
    return obj + "." + rng.choice(["upper()", "split()", "title()"]) + rng.choice(["." + rng.choice(["lower()", "strip()", "count('l')", "split()"]), "[0]", "|length", ""])


def format_spec():
    spec = rng.choice(["", "", "<", ">", "^", "=", "*^", "0>", "_<"]) + rng.choice(["", "", "+", "-", " "]) + rng.choice(["", "", "", "z", "#"])
    spec += rng.choice(["", "", "0"]) + rng.choice(["", "", "5", "10", "1"]) + rng.choice(["", "", ",", "_"]) + rng.choice(["", "", ".0", ".2", ".3", ".1"])
    return spec + rng.choice(["", "", "d", "f", "e", "g", "%", "x", "s", "n", "b", "c", "G", "E", "F", "o", "X"])


FORMAT_VALUES = ["n", "f", "g", "1234567", "0.5", "-0.0", "1e16", "2.0", "s", "'é'", "z", "l", "true", "3.14159", "12345.678", "4 / 2", "-1234.5", "65", "0", "d", "missing", "1e-7", "999.9999"]


def format_call():
    count = rng.randint(1, 3)
    fields = []
    for i in range(count):
        name = rng.choice(["", "", str(i), "v" + str(i)]) if rng.random() < 0.9 else rng.choice(["0[a]", "0[0]", "v0.x", "5"])
        conversion = rng.choice(["", "", "", "", "!r", "!s", "!a"])
        spec = format_spec() if rng.random() < 0.8 else "{w}"
        fields.append("{" + name + conversion + (":" + spec if spec else "") + "}")
    text = rng.choice(["", "x=", "{{", "}}"]).join([""] * 2) + " ".join(fields)
    values = [rng.choice(FORMAT_VALUES) for _ in range(count)]
    keywords = ", ".join(f"v{i}={v}" for i, v in enumerate(values)) + ", w=" + rng.choice(["5", "'>6'", "'.2f'", "'x'"])
    args = ", ".join(values)
    return repr(text) + ".format(" + rng.choice([args, args + ", " + keywords, keywords]) + ")"


def slice_expr():
    if rng.random() < 0.2:
        return rng.choice(VARIABLE_SEQS) + "[" + rng.choice(IDX + BAD_IDX) + ":" + rng.choice(IDX + BAD_IDX) + "]"
    parts = [rng.choice(IDX) for _ in range(3)]
    form = rng.randrange(4)
    inner = parts[0] + ":" + parts[1] if form < 2 else parts[0] + ":" + parts[1] + ":" + parts[2] if form == 2 else "::" + rng.choice(["-1", "2", "-2", "0", "3"])
    return rng.choice(SEQS + ["u8", "(1, 2, 3, 4)", "[[1, 2], 3]"]) + "[" + inner + "]" + rng.choice(["", "", "|list", "|length", "[0]"])


def power():
    return rng.choice(NUMS) + " ** " + rng.choice(EXPONENTS) + rng.choice(["", "", " ** 2", " * 2", "|string", " + 1"])


def dict_literal():
    items = []
    for _ in range(rng.randint(0, 3)):
        items.append(rng.choice(["'a'", "'b'", "'name'", "'x'", "'a'"]) + ": " + rng.choice(["1", "n", "'v'", "[1, 2]", "{'in': z}", "s.lower()", "missing", "2.0"]))
    d = "{" + ", ".join(items) + rng.choice(["", "", ","]) + "}" if items else "{}"
    return d + rng.choice(["", "", ".a", "['b']", "|length", "|dictsort", "|tojson", ".get('x', 0)", ".items()|list", "|list"])


def globals_expr():
    r = rng.randrange(4)
    if r == 0:
        args = rng.choice(["3", "0", "-2", "1, 4", "2, 10, 3", "5, 0, -2", "n", "f", "1, 2, 0", "", "missing", "true", "10, 1"])
        return "range(" + args + ")" + rng.choice(["", "|list", "|length", "|sum", "[1]", "[-1]", "|join(',')", "|first", "|last", "|reverse|list", "[1:]", "[::-1]", " == range(0)"])
    if r == 1:
        args = rng.choice(["", "a=1", "a=1, b='x'", "d", "d, a=9", "[('x', 1), ('y', 2)]", "['ab']", "'ab'", "p[0]", "l", "z"])
        return "dict(" + args + ")" + rng.choice(["", "|length", "|dictsort", ".get('a')", ".a"])
    if r == 2:
        return "(" + rng.choice(["1", "'x'", "s"]) + " in range(" + rng.choice(["3", "1, 5", "0, 10, 2"]) + "))"
    return "namespace(" + rng.choice(["", "a=1", "d", "a=n, b=[1]", "p[0]", "l"]) + ")" + rng.choice(["", ".a", ".name", ".missing"])


WRAP_TEXTS = ["s", "t", "u8", "'a very long sentence, with some well-known hyphen-ated words--and more'", "'supercalifragilisticexpialidocious is long'", "'x\\ny  z\\n\\nlast line'", "'a-b-c-d-e-f-g'", "'  lead and trail  '", "'tab\\there'", "n", "missing", "''"]
HTML_TEXTS = ["'<p>Hello <b>World</b></p>'", "'a <!-- c <b> --> b'", "'x &amp; y &lt;3 &copy &eacute;t&eacute; &#169; &#x263a; &#128; &#0; &amp'", "'<a href=\"x\">link</a>\\n\\t text'", "'no tags'", "'1 < 2 > 0'", "'<!-- open'", "n", "z", "l"]


def new_filter():
    r = rng.randrange(7)
    if r == 0:
        return rng.choice(SEQS + ["p"]) + "|batch(" + rng.choice(["2", "3", "1", "2, 'x'", "3, 0", "0", "2.0", "'a'", "linecount=2", "2, fill_with=none"]) + ")" + rng.choice(["|list", "|map('join', ',')|join('|')", "|list|length", "|first"])
    if r == 1:
        return rng.choice(SEQS + ["p"]) + "|slice(" + rng.choice(["2", "3", "1", "3, 'x'", "4, 0", "0", "2.0", "'a'", "slices=2"]) + ")" + rng.choice(["|list", "|map('length')|list", "|list|length", "|last"])
    if r == 2:
        seq = rng.choice(["p", "w", "[{'c': 'NY', 'n': 1}, {'c': 'ny', 'n': 2}, {'c': 'LA', 'n': 3}, {'n': 4}]", "l", "e", "['b', 'a', 'B']", "missing", "[[1, 'x'], [0, 'y'], [1, 'z']]"])
        args = rng.choice(["'age'", "'name'", "'c'", "0", "'0'", "'c', default='?'", "'c', case_sensitive=true", "'x'", "'x', 'dflt'", "attribute='n'"])
        return seq + "|groupby(" + args + ")" + rng.choice(["", "|list", "|map(attribute='grouper')|list", "|map(attribute='list')|list", "|first", "|length", "[0].list"])
    if r == 3:
        args = rng.choice(["", "5", "10", "1", "3, false", "4, true, '|'", "6, wrapstring='<br>'", "8, break_on_hyphens=false", "12, false, none, false", "0", "2.5", "'x'", "7, true, 5"])
        return rng.choice(WRAP_TEXTS) + "|wordwrap" + ("(" + args + ")" if args else "")
    if r == 4:
        return rng.choice(HTML_TEXTS) + "|striptags"
    if r == 5:
        return rng.choice(["'a b/c?d=e&f'", "d", "[('a b', 1), ('c', 'd/e')]", "n", "'é ✓'", "z", "\"!'()*~_.-\"", "['ab', 'cd']", "missing", "l", "{'k': [1, 2]}", "f", "'a+b%20'", "(('x', none),)"]) + "|urlencode"
    return rng.choice(["1", "0", "999", "1000", "1500000", "1024", "'2048'", "10 ** 30", "-5.5", "f", "'x'", "z", "missing", "1e3", "12345678901", "true", "'1e5'", "1023.9", "1048575"]) + "|filesizeformat" + rng.choice(["", "", "(true)", "(binary=true)", "(false)"])


URL_TEXTS = ["'Visit https://example.com/path?q=1, or www.test.org. Mail me@x.io (or mailto:a@b.co) <http://1.2.3.4:80/x> and (example.com) here!'",
             "'see https://a.very.long.domain.example.com/with/a/long/path'", "'x ftp://files tel:123 www.a.b'", "'a & <b> https://x.org/?a=1&b=2'",
             "'test.com abc.de foo.info https://localhost http://[::1]/ (www.x.com) [http://b.org] \"www.q.net\"'", "n", "s", "'@a@b x@y.z.w a:b@c.de www.@x.com'",
             "'(https://x.com/a_(b)) ((www.y.org))'", "'HTTPS://UP.COM WWW.UP.ORG'", "missing"]


def html_filter():
    """`escape` and `safe` where their Markup result prints as its text, `attr`, `xmlattr`, `urlize` (plain text without autoescape)."""
    r = rng.randrange(4)
    if r == 3:
        value = rng.choice(["ns", "loop", "d", "p[0]", "missing", "s", "(p|groupby('age'))[0]", "l"])
        name = rng.choice(["'a'", "'index'", "'v'", "'grouper'", "'list'", "'name'", "'missing'", "1", "'first'"])
        return "{% set ns = namespace(v=1, a=[2]) %}{% for i in [1, 2] %}{{ " + value + "|attr(" + name + ") }};{% endfor %}"
    if r == 0:
        value = rng.choice(["'<a href=\"x\">&</a>'", "\"it's\"", "n", "z", "missing", "d", "l", "'plain'", "f", "d|tojson", "'x<'|e", "'x<'|forceescape"])
        name = rng.choice(["e", "escape", "forceescape", "safe"])
        return rng.choice(["{{ V|F }}", "{{ 'a' ~ V|F ~ 'c' }}", "{{ (V|F) if n else '' }}", "{{ V|F|length }}", "{{ V|F|upper }}", "{% if V|F %}yes{% else %}no{% endif %}", "{{ V|F|trim }}"]).replace("V", value).replace("F", name)
    if r == 1:
        value = rng.choice(["{'class': 'my list', 'id': 'a\"b<', 'x': none, 'y': missing, 'n': 5}", "{'a': 1}", "{}", "{'a b': 1}", "{'a/b': 2}", "l", "missing", "d", "{'k': [1, '&']}", "{'k': none}"])
        return "{{ " + value + "|xmlattr" + rng.choice(["", "", "(false)", "(autospace=true)"]) + " }}"
    args = rng.choice(["", "", "", "20", "10, true", "15, true, '_blank'", "rel='me'", "target='t'", "extra_schemes=['ftp://', 'tel:']", "extra_schemes=['-']", "nofollow=true, rel='a b a'", "5"])
    return "{{ " + rng.choice(URL_TEXTS) + "|urlize" + ("(" + args + ")" if args else "") + " }}"


def expr():
    r = rng.randrange(10)
    return [method_call, slice_expr, power, dict_literal, globals_expr, method_call, format_call, format_call, new_filter, new_filter][r]()


def block():
    r = rng.randrange(5)
    if r == 0:
        return "{% set ns = namespace(" + rng.choice(["total=0", "total=0, names=''", "found=false"]) + ") %}{% for x in " + rng.choice(["l", "range(4)", "p|map(attribute='age')", "e"]) + " %}{% set ns.total = ns.total + x %}" + rng.choice(["", "{% set ns.names = ns.names ~ x %}", "{% if x > 1 %}{% set ns.found = true %}{% endif %}"]) + "{% endfor %}{{ ns.total }}|{{ ns.names }}|{{ ns.found }}|{{ ns }}"
    if r == 1:
        name = rng.choice(["x", "y"])
        filters = rng.choice(["", " | upper", " | trim", " | replace('a', 'o') | title", " | length"])
        return "{% set " + name + filters + " %}" + rng.choice(["a{{ n }}b", " {{ s.lower() }} ", "{% for i in range(3) %}{{ i }},{% endfor %}", "{% set n = 7 %}{{ n }}", ""]) + "{% endset %}[{{ " + name + " }}]{{ n }}"
    if r == 2:
        return "{% for i in " + rng.choice(["range(3)", "range(n)", "l", "range(2, 0, -1)"]) + " %}{{ loop.cycle(" + rng.choice(["'a', 'b'", "'x'", "", "i, n"]) + ") }}{% endfor %}"
    if r == 3:
        return "{% set " + rng.choice(["ns.x", "n.x", "missing.x"]) + " = 1 %}ok"
    return "{% set a, b = " + rng.choice(["s.split()", "s.split(' ', 1)", "range(2)", "csv.split(',')[:2]", "{'a': 1, 'b': 2}"]) + " %}{{ a }}-{{ b }}"


def scoped(depth=0):
    """Statements that assign and read `n` and `x` in nested loops, branches and `{% set %}` blocks."""
    pieces = []
    for _ in range(rng.randint(1, 3)):
        r = rng.randrange(9 if depth < 2 else 3)
        name = rng.choice(["n", "x"])
        if r == 0:
            pieces.append("{{ " + name + " }}")
        elif r == 1:
            pieces.append("{% set " + name + " = " + rng.choice(["1", "n ~ 'a'", "x ~ 'b'", "'v'"]) + " %}")
        elif r == 2:
            pieces.append("{% set " + name + " %}" + rng.choice(["[{{ n }}]", "[{{ x }}]", "t"]) + "{% endset %}")
        elif r == 3:
            pieces.append("{% for i in " + rng.choice(["[1]", "[1, 2]", "[]"]) + " %}" + scoped(depth + 1) + rng.choice(["", "{% else %}" + scoped(depth + 1)]) + "{% endfor %}")
        elif r == 4:
            pieces.append("{% if " + rng.choice(["true", "false", "n", "x"]) + " %}" + scoped(depth + 1) + rng.choice(["", "{% elif " + rng.choice(["true", "x"]) + " %}" + scoped(depth + 1)]) + rng.choice(["", "{% else %}" + scoped(depth + 1)]) + "{% endif %}")
        elif r == 5:
            pieces.append("{% set " + name + " %}" + scoped(depth + 1) + "{% endset %}")
        elif r == 6:
            pieces.append("{% set ns.v = " + name + " %}")
        elif r == 7:
            pieces.append("{% with " + rng.choice(["", name + " = 'w'", "n = x ~ 'w', x = n", name + " = " + name]) + " %}" + scoped(depth + 1) + "{% endwith %}")
        else:
            pieces.append("{% filter " + rng.choice(["upper", "replace('a', 'o')", "trim | title", "center(12)", "e"]) + " %}" + scoped(depth + 1) + "{% endfilter %}")
    return "".join(pieces)


def statement_template():
    """Loop filters, `{% raw %}`, and joiner and cycler."""
    if rng.random() < 0.25:
        made = rng.choice(["joiner()", "joiner(' | ')", "joiner(sep='-')", "joiner(5)", "cycler('a', 'b')", "cycler(1)", "cycler()", "joiner(1, 2)", "cycler(x='a')"])
        use = rng.choice(["{{ c() }}{{ x }}", "{{ c.next() }}{{ x }}", "{{ c.current }}", "{{ c.reset() }}{{ c.next() }}", "{{ c(1) }}", "{{ c.items }}{{ c.pos }}", "{{ c.next(1) }}"])
        return "{% set c = " + made + " %}{% for x in " + rng.choice(["l", "e", "w", "range(4)"]) + " %}" + use + "{% endfor %}|{{ c.current }}"
    if rng.random() < 0.6:
        targets, seq = rng.choice([("x", "l"), ("x", "w"), ("x", "range(6)"), ("k, v", "d.items()"), ("x", "p"), ("x", "e"), ("a, b", "[[1, 2], [3, 4]]"), ("x", "missing"), ("k, v", "l")])
        test = rng.choice(["x > 1", "x is odd", "x", "not x", "v is number", "k != 'a'", "a > 1", "x.age > 26", "missing", "missing.x", "true", "x > 1 if true", "loop", "n > 2"])
        body = rng.choice(["{{ " + targets.split(",")[0] + " }}", "{{ loop.index }}/{{ loop.length }}{{ loop.last }}", "{% set n = 9 %}{{ n }}", "."])
        return "{% for " + targets + " in " + seq + " if " + test + " %}" + body + ";" + rng.choice(["", "{% else %}none"]) + "{% endfor %}|{{ n }}"
    ws = lambda: rng.choice(["", "-", "+"])
    return "a " + "{%" + ws() + " raw " + ws() + "%}" + rng.choice([" {{ x }} ", "\n {% if %}\n", "{# c #}", ""]) + "{%" + ws() + " endraw " + ws() + "%}" + rng.choice([" {{ n }}", "  b", "\n"])


FUZZ_VALUES = ["0", "-0.0", "1", "-1", "7", "123456789", "-98765", "0.1", "2.5", "-2.5", "1e-7", "1.5e22", "123.456", "9.995", "0.5", "1e16", "true", "false", "none", "'abc'", "'é✓'", "''", "[1]", "1e300 * 10", "-(1e300 * 10)"]
FUZZ_CHARS = list("aZ ß-'._,\t\n") + ["\u00a0", "\u2028", "\x1c", "ǆ", "Σ", "ΑΣ", "İ", "ﬁ", "😀", "١", "²", "ŉ", "ǅ", "3rd", "o'neil", "x\u0301"]
FUZZ_METHODS = ["upper()", "lower()", "title()", "capitalize()", "strip()", "lstrip()", "rstrip()", "split()", "rsplit()", "split(None, 1)", "rsplit(None, 1)", "split('-')", "rsplit('-', 1)", "splitlines()", "splitlines(true)", "isdigit()", "isalpha()", "isalnum()", "isspace()", "islower()", "isupper()", "isdecimal()", "zfill(6)", "center(7, '.')", "find('a')", "rfind('a')", "count('a')", "partition('-')", "rpartition(' ')", "startswith('a', 1)", "endswith(('ß', 'Σ'))", "replace('a', 'é', 1)", "strip('aZ')", "removeprefix('a')"]
FUZZ_PIECES = ["word", "a", "hyphen-ated", "well-known", "--", "---", "x--y", "longlonglonglong", " ", "  ", "\t", "\n", "\r\n", "é", "✓", "-", "a-b-c", "1-2", "ab-", "-ab", "end.", "quote'd", "(paren)", "\u00a0", "e-mail", "A--B", "?!", "3.14", "x_y"]
LINK_PIECES = ["www.a.com", "http://x.org/p", "me@x.io", "<b>", "</b>", "<!-- c -->", "&amp;", "&lt;", "&#65;", "&copy", "<", ">", "(www.b.org)", "mailto:a@b.cd", "a.b.com", "x.co", "1.2.3.4", "http://1.2.3.4:8080"]


def fuzz_spec():
    spec = ""
    if rng.random() < 0.4:
        spec += rng.choice(["", "*", "0", " ", "x", "é"]) + rng.choice("<>=^")
    if rng.random() < 0.3:
        spec += rng.choice("+- ")
    if rng.random() < 0.1:
        spec += "z"
    if rng.random() < 0.15:
        spec += "#"
    if rng.random() < 0.2:
        spec += "0"
    if rng.random() < 0.5:
        spec += str(rng.choice([1, 3, 8, 12, 20]))
    if rng.random() < 0.3:
        spec += rng.choice(",_")
    if rng.random() < 0.4:
        spec += "." + str(rng.choice([0, 1, 2, 3, 6, 10, 17]))
    if rng.random() < 0.7:
        spec += rng.choice("bcdeEfFgGnosxX%")
    return spec


def fuzz():
    """Random format specs, random texts for str methods, wordwrap, urlize and striptags (written as string literals)."""
    r = rng.randrange(3)
    if r == 0:
        return "{{ '{:" + fuzz_spec() + "}'.format(" + rng.choice(FUZZ_VALUES) + ") }}"
    if r == 1:
        text = "".join(rng.choice(FUZZ_CHARS) for _ in range(rng.randint(0, 8)))
        return "{{ " + repr(text) + "." + rng.choice(FUZZ_METHODS) + " }}"
    f = rng.choice(["wordwrap(%d)" % rng.choice([1, 2, 3, 5, 8, 13]), "wordwrap(%d, false)" % rng.choice([1, 3, 5, 8]), "wordwrap(%d, break_on_hyphens=false)" % rng.choice([2, 4, 7]), "wordwrap(%d, true, '|')" % rng.choice([3, 6]), "urlize", "striptags"])
    pieces = FUZZ_PIECES + LINK_PIECES if f in ("urlize", "striptags") else FUZZ_PIECES
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
    return "{{ " + repr(text) + " | " + f + " }}"


def template():
    r = rng.random()
    if r < 0.12:
        return fuzz()
    r = rng.random()
    if r < 0.15:
        return "{% set ns = namespace(v=0) %}" + scoped() + "|{{ n }}|{{ x }}|{{ ns.v }}"
    if r < 0.25:
        return html_filter()
    if r < 0.32:
        return statement_template()
    if r < 0.7:
        return "{{ " + expr() + " }}"
    if r < 0.8:
        return "{% for x in " + expr() + " %}[{{ x }}]{% else %}none{% endfor %}"
    return block()


def render(text):
    return render_template(text, VALUES)


seen = set()
made = 0
while made < COUNT:
    text = template()
    if text in seen:
        continue
    seen.add(text)
    out = render(text)
    # flowc's documented differences: no complex numbers, ints rounded beyond 2^53; and a method
    # printed (`x | attr('upper')`) shows its address, which differs every run.
    if isinstance(out, str) and (re.search(r"\dj\)", out) or re.search(r"\d{17,}", out) or " at 0x" in out):
        continue
    if out is None and rng.random() < 0.67:
        continue
    made += 1
    values = {k: v for k, v in VALUES.items() if re.search(r"\b" + k + r"\b", text)}
    rule = "differential test against Jinja 3.1.6 (methods, globals, slices, **, dict literals, {% set %} blocks, more filters): " + text
    print(json.dumps({"rule": rule, "engine": "jinja", "template": text, "values": values, "expected": out}, ensure_ascii=False))
