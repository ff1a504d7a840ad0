#!/usr/bin/env python3
"""Differential oracle: CPython's answers for the Python behaviours flowc reimplements.

Generates random inputs for each target (repr()/str() of values, repr of floats and ints,
float()/int() of text, str.casefold/strip/upper/lower/capitalize, Jinja's `title` filter, the
order of texts, Python's re.search as conditions' `matches` runs it, Rasa 3.12's
format-template interpolation, and Jinja templates as Rasa renders
them, with number formatting and rounding in `jinja_num`) and writes one JSON line per case: the target, its
arguments and what CPython (3.11, Jinja2 3.1.6) gave. tests/runtime/python-oracle-cases.test.ts
replays the committed cases against flowc's TypeScript functions.

Re-run by hand on a machine with CPython 3 and Jinja2 (CI has neither and does not run this):

    python3 scripts/oracles/python-oracle.py --count 20000 --seed 1 --out .oracle/explore.jsonl
    npx tsx scripts/oracles/compare.ts .oracle/explore.jsonl     # lists the cases flowc answers otherwise

The committed tests/runtime/python-oracle-cases.jsonl is the random sample of
`--count 150 --seed 2026` followed by the cases marked "found": the shortest of those that
differed from flowc (before its fixes) in exploration runs. To answer every case of it again:

    python3 scripts/oracles/python-oracle.py --out tests/runtime/python-oracle-cases.jsonl --recheck

The random text leaves out what flowc knowingly does not emulate (see LATER_UNICODE, rand_key
and rand_scalar).

Encodings: a float argument or result is written as its Python repr in {"float": "..."} (so
-0.0, inf and nan survive JSON); an exception as {"error": "<class name>"}; an int beyond 2^53
as {"beyond": "<digits>"} (flowc holds the nearest double); a failing template (Rasa's action
fails, nothing is sent) as null; a Jinja UndefinedError as the template itself (Rasa sends it).
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata

import jinja2
from jinja2.filters import do_title

# ---------------------------------------------------------------- random text

SPECIAL = (
    "'\"\\\n\r\t\x00\x07\x1b\x1c\x1f\x7f\x85\xa0\xad\u00df\u0130\u0131\u0149\u01c4\u01c5\u01c6\u01f0"
    "\u0345\u0390\u03a3\u03c2\u03c3\u1e9e\u1f80\u1f88\u1fb3\u1fbc\ufb00\ufb01\ufb05\ufb13\u0587"
    "\u10d0\u1c90\uab70\u13a0\u13f8\u2126\u212a\u212b\u2160\u24b6\u24d0\u0300\u0301\u0308\u200b"
    "\u200d\u2028\u2029\u202f\u205f\u3000\u1680\u180e\ufeff\ufffd\ue000\u00b2\u00bd\u0660\u0966"
    "\uff10\uff11\uff19\u2070\u00b9\ufdd0\uffff\U0010fffe"
)
ASTRAL = [0x1F600, 0x1D400, 0x1D7CE, 0x10400, 0x10428, 0x1E900, 0x1E922, 0xE0001, 0xE0020, 0xF0000, 0x10FFFF,
          0x1F1E6, 0x104A0, 0x16E40, 0x16E60, 0x1F130, 0x2F800, 0x1FBF0, 0x11066, 0x10D30, 0x30000, 0x3134A]
SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u180e\u200b"
DIGITS = "0123456789" + "".join(chr(z + d) for z in (0x660, 0x6f0, 0x966, 0xe50, 0xff10, 0x1d7ce, 0x104a0, 0x1e950, 0x11066) for d in (0, 1, 5, 9))


# Characters whose Python 3.11 answers come from Unicode 14 where Node's come from a later
# Unicode (assigned since, or given a case mapping since): a difference of versions, which
# flowc does not emulate (see the test's comment), so the random text leaves them out.
LATER_UNICODE = {0x19B, 0x264, 0xA7D3, 0xA7D5}


def rand_char(r):
    while True:
        c = any_char(r)
        if c in SPECIAL or ord(c) not in LATER_UNICODE and (unicodedata.category(c) != "Cn" or 0xD800 <= ord(c) <= 0xDFFF):
            return c


def any_char(r):
    k = r.random()
    if k < 0.35:
        return chr(r.randint(0x20, 0x7e))
    if k < 0.55:
        return r.choice(SPECIAL)
    if k < 0.62:
        return chr(r.randint(0, 0x20))
    if k < 0.72:
        return chr(r.randint(0x80, 0x2fff))
    if k < 0.80:
        return chr(r.randint(0x80, 0xffff))
    if k < 0.88:
        return chr(min(r.choice(ASTRAL) + r.randint(0, 3), 0x10ffff))
    if k < 0.93:
        return chr(r.randint(0x10000, 0x10ffff))
    return chr(r.randint(0xd800, 0xdfff))  # a lone surrogate


def fix_surrogates(text):
    """No high surrogate right before a low one: JSON (and JavaScript) would read the pair as one character."""
    out = []
    for c in text:
        if out and 0xdc00 <= ord(c) <= 0xdfff and 0xd800 <= ord(out[-1]) <= 0xdbff:
            out.append("x")
        out.append(c)
    return "".join(out)


def rand_text(r, n=None):
    if n is None:
        n = r.choice([0, 1, 1, 2, 3, 5, 8, 12])
    return fix_surrogates("".join(rand_char(r) for _ in range(n)))


def rand_word(r):
    return r.choice(["a", "name", "x", "slot_1", "0", "1", "b c", "é", "a.b", "a[0]", "", " ", "0[", "k", "\u0663", "\uff10", "\U00011069", "a!r", "a:5"])


# ---------------------------------------------------------------- random numbers

def rand_float(r):
    k = r.random()
    if k < 0.2:
        return r.choice([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 0.1, 1e16, 1e15, 9999999999999998.0,
                         1e-4, 1e-5, 0.0001, 5e-324, 1.7976931348623157e308, 2.0 ** 53, 2.0 ** 53 + 2, 123456789012345680.0,
                         1e22, 1e23, 0.30000000000000004, 100.0, -1.5, 1e-7, 12345.678])
    if k < 0.4:
        return round(r.uniform(-1000, 1000), r.randint(0, 6))
    if k < 0.6:
        return r.uniform(-1, 1) * 10.0 ** r.randint(-30, 30)
    if k < 0.8:
        return float(r.randint(-10 ** 6, 10 ** 6)) * 10.0 ** r.randint(-20, 22)
    import struct
    return struct.unpack("<d", struct.pack("<Q", r.getrandbits(64)))[0]


def enc_float(x):
    return {"float": repr(x)}


def rand_number_text(r):
    k = r.random()
    if k < 0.3:
        return repr(rand_float(r))
    parts = []
    for _ in range(r.randint(1, 6)):
        q = r.random()
        if q < 0.5:
            parts.append(r.choice(DIGITS))
        elif q < 0.65:
            parts.append(r.choice(["_", ".", "e", "E", "+", "-", "0", "__"]))
        elif q < 0.8:
            parts.append(r.choice(SPACE))
        elif q < 0.9:
            parts.append(r.choice(["inf", "INF", "Infinity", "nan", "NaN", "iNfInItY", "infinit", "nan(1)", "0x10", "1_000", "1e5", ".5", "5.", "_1", "1_"]))
        else:
            parts.append(rand_char(r))
    return fix_surrogates("".join(parts))


# ---------------------------------------------------------------- random values

def rand_scalar(r):
    k = r.random()
    if k < 0.4:
        return rand_text(r)
    if k < 0.55:
        return r.randint(-10 ** 6, 10 ** 6) if r.random() < 0.8 else r.randint(-(2 ** 53 - 1), 2 ** 53 - 1)
    if k < 0.7:
        # A float with a fraction: JSON (and so flowc) cannot tell an integral float from an
        # int, and flowc prints integral numbers as ints (see pythonNumber); nan and inf do not
        # survive JSON inside a value.
        x = rand_float(r)
        while x != x or x in (float("inf"), float("-inf")) or x == int(x):
            x = rand_float(r)
        return x
    return r.choice([None, True, False])


def rand_value(r, depth=0):
    k = r.random()
    if depth < 3 and k < 0.15:
        return [rand_value(r, depth + 1) for _ in range(r.randint(0, 3))]
    if depth < 3 and k < 0.3:
        return {rand_key(r): rand_value(r, depth + 1) for _ in range(r.randint(0, 3))}
    return rand_scalar(r)


def rand_key(r):
    """A dict key that is not an array index ("0", "17"): a JavaScript object lists those first, whatever their order."""
    key = rand_text(r, r.randint(0, 3))
    return key + "_" if re.fullmatch(r"0|[1-9][0-9]*", key) else key


def plain_json(x):
    """A value JSON carries without loss (no nan/inf inside lists and dicts: JSON has none)."""
    if isinstance(x, float):
        return x == x and x not in (float("inf"), float("-inf"))
    if isinstance(x, list):
        return all(plain_json(v) for v in x)
    if isinstance(x, dict):
        return all(plain_json(v) for v in x.values())
    return True


# ---------------------------------------------------------------- Rasa's format interpolation

def rasa_format(template, values):
    """Rasa 3.12 rasa/core/nlg/interpolator.py interpolate_format_template; None where it raises (the action fails)."""
    pattern = r"{([^\n{}]+?)}"
    try:
        names = re.findall(pattern, template)
        to_render = {name: values[name] for name in names if name in values}
        text = re.sub(pattern, r"{0[\1]}", template)
        text = text.format(to_render)
        if "0[" in text:
            return template.format({})
        return text
    except KeyError:
        return template
    except Exception:
        return None


FORMAT_PIECES = ["{", "}", "{{", "}}", "[", "]", "0[", "!r", "!s", "!a", "!x", ":", ":>5", ".", "\n", "{}", "{0}", "{1}",
                 "{0[a]}", "0", " ", "hi", "é", "[0]", "{\u0660}", "{0[\u0661]}", "{!r}", "{0!a}", "{:{}}", "{0:{0}}", "{0[k][0]}", "{0.x}"]


def rand_template(r, names):
    parts = []
    for _ in range(r.randint(1, 7)):
        k = r.random()
        if k < 0.35:
            parts.append("{" + r.choice(names) + r.choice(["", "", "", "!r", "!s", "!a", "[0]", "[k]", "]", ":", "!"]) + "}")
        elif k < 0.5:
            parts.append("{{" + r.choice(names) + "}}")
        elif k < 0.8:
            parts.append(r.choice(FORMAT_PIECES))
        else:
            parts.append(rand_text(r, r.randint(1, 3)))
    return fix_surrogates("".join(parts))


def rand_format_value(r):
    k = r.random()
    if k < 0.2:
        return r.choice(["Ann", "0[", "[x]", "{a}", "x0", "", "é"])
    if k < 0.3:
        return {"k": r.choice(["v", 1, [1, 2]]), "z": "0["}
    if k < 0.4:
        return [r.choice(["p", "0[", 1]) for _ in range(r.randint(0, 2))]
    return rand_value(r, 1)


# ---------------------------------------------------------------- the targets

def attempt(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - the class is the answer
        return {"error": type(e).__name__}


def args_for(r, target):
    """Random arguments for `target`."""
    if target in ("repr", "str"):
        v = rand_value(r)
        while not plain_json(v):
            v = rand_value(r)
        return [v]
    if target == "float_repr":
        x = rand_float(r)
        return [enc_float(x)]
    if target == "int_repr":
        x = rand_float(r)
        if x != x or x in (float("inf"), float("-inf")):
            x = 1e300
        return [enc_float(float(int(x)))]
    if target == "float_text":
        t = rand_number_text(r)
        return [t]
    if target == "int_text":
        t = rand_number_text(r) if r.random() < 0.7 else r.choice(["0x", "0o", "0b", "", "-", "+"]) + rand_number_text(r)
        base = r.choice([10, 10, 0, 2, 8, 16, 36])
        return [t, base]
    if target in ("casefold", "strip", "upper", "lower", "capitalize", "title"):
        if target == "strip" and r.random() < 0.5:
            t = fix_surrogates("".join(r.choice(SPACE) for _ in range(r.randint(0, 3))) + rand_text(r) + "".join(r.choice(SPACE) for _ in range(r.randint(0, 3))))
        elif target == "title" and r.random() < 0.5:
            t = fix_surrogates("".join(r.choice([rand_char(r), r.choice(SPACE), "-", "(", "{", "[", "<", "'", "ab", "_"]) for _ in range(r.randint(1, 8))))
        else:
            t = rand_text(r)
        return [t]
    if target == "format":
        names = [rand_word(r) for _ in range(3)]
        values = {n: rand_format_value(r) for n in names if r.random() < 0.7}
        values = {k: v for k, v in values.items() if plain_json(v)}
        template = rand_template(r, names)
        return [template, values]
    if target == "order":
        pick = lambda: r.choice(["a", "\ue000", "\uffff", "\U0001f600", "\U00010000", "\ud83d", "\ude00", "\udbff", "x", ""])
        a = fix_surrogates("".join(pick() if r.random() < 0.6 else rand_char(r) for _ in range(r.randint(0, 3))))
        b = fix_surrogates(a[: r.randint(0, len(a))] + "".join(pick() if r.random() < 0.6 else rand_char(r) for _ in range(r.randint(0, 3))))
        a, b = (a, b) if r.random() < 0.5 else (b, a)
        return [a, b]
    if target == "regex":
        flags = "".join(flag for flag in "ims" if r.random() < 0.25)
        return [rand_regex(r), flags, "".join(r.choice(REGEX_TEXT) for _ in range(r.randint(0, 6)))]
    if target == "jinja_num":
        n = r.randint(0, 20)
        template = r.choice([
            "{{ '%%.%df' %% x }}" % n, "{{ '%%.%de' %% x }}" % n, "{{ '%%.%dg' %% x }}" % n, "{{ '%%#.%dg' %% x }}" % n,
            "{{ '%%+.%df' %% x }}" % n, "{{ '%%10.%dg' %% x }}" % n, "{{ '%g' % x }}", "{{ '%s %r' % (x, y) }}",
            "{{ x|round(%d) }}" % (n - 10), "{{ x|round(%d, 'floor') }}" % n, "{{ x|round(%d, 'ceil') }}" % n,
            "{{ x // y }}", "{{ x % y }}", "{{ x / y }}", "{{ x * y }}", "{{ x + y }}", "{{ x - y }}",
            "{{ x|int }}", "{{ x|abs }}", "{{ [x, y]|sum }}", "{{ x == y }}", "{{ x < y }}", "{{ x|string }}", "{{ '%d' % x }}",
            "{{ x|round(%d) }}" % (n * 2 - 15), "{{ (x * 1000)|int }}", "{{ '%%5.%df%%%%' %% x }}" % (n % 4), "{{ x // 0.5 }}",
            "{{ x % 0.7 }}", "{{ -x // 3 }}", "{{ x|float|string }}", "{{ [x, y]|max }}", "{{ x|round(%d, 'floor') }}" % (n - 12),
            "{{ '%%.%dg' %% (x / 7) }}" % n, "{{ '%%.%de' %% (x * 1e300) }}" % n, "{{ '%x' % x }}", "{{ '%o' % x }}",
        ])
        def num(): 
            k = r.random()
            if k < 0.3:
                return r.randint(-1000, 1000)
            x = rand_float(r)
            while x != x or x in (float("inf"), float("-inf")) or x == int(x):
                x = rand_float(r)
            return x
        values = {"x": num(), "y": num()}
        return [template, values]
    if target == "jinja":
        values = {"x": jinja_value(r), "y": jinja_value(r)}
        values = {k: v for k, v in values.items() if plain_json(v) and r.random() < 0.95}
        template = r.choice(JINJA_TEMPLATES)
        return [template, values]
    raise ValueError(target)


# Pieces of Python regular expressions, for conditions' `matches` (pypred: re.search with its
# flags). Backreferences are left out: flowc refuses them at build time (translate-regex.ts).
REGEX_ATOMS = ["a", "b", "A", "\u00e9", "\u00c9", "\u00df", "\u017f", "K", "k", "\u212a", "\u0131", "\u0130", "\u03c3", "\u03c2", "\u03a3",
               ".", "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\b", "\\B", "^", "$", "\\A", "\\Z", "[a-c]", "[^a]", "[\\w-]", "[\\d.]",
               "[\u03a3\u03c3K]", "[^\\s]", "[a-zA-Z]", "[\\]]", "\\.", "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\U0001f600",
               "(?:a|b)", "(a)", "(?P<n>a)", "(?=a)", "(?!a)", "(?<=a)", "(?<!b)", "\\-", "\\\\", " ", "_", "1", "\u0663", "[0-9]",
               "\\x1c", "\x85", "\xa0", "x"]
REGEX_QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "*?", "+?", "??", "{,2}", "{2,}"]
REGEX_TEXT = ["a", "b", "A", "\u00e9", "\u00c9", "\u00df", "SS", "ss", "\u017f", "s", "S", "K", "k", "\u212a", "\u0131", "I", "i", "\u0130",
              "\u03c3", "\u03c2", "\u03a3", "\n", " ", "\t", "1", "\u0663", "_", "-", ".", "\U0001f600", "\x85", "\xa0", "\x1c", "\u2028",
              "x", "\ue000", "\u01c5", "\u01c6", "\u01c4"]


def rand_regex(r):
    parts = []
    for _ in range(r.randint(1, 4)):
        atom = r.choice(REGEX_ATOMS)
        if r.random() < 0.2:
            atom = "(" + atom + r.choice(REGEX_ATOMS) + ")"
        parts.append(atom + r.choice(REGEX_QUANTIFIERS))
    pattern = "".join(parts)
    if r.random() < 0.15:
        pattern += "|" + r.choice(REGEX_ATOMS)
    if r.random() < 0.1:
        pattern = r.choice(["(?i)", "(?s)", "(?m)", "(?x)", "(?a)"]) + pattern
    return pattern


def regex_search(pattern, flags, text):
    """pypred's `matches`: re.search with the flags i, m and s; {"error": ...} where re refuses the pattern."""
    value = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0) | (re.S if "s" in flags else 0)
    try:
        return re.search(pattern, text, value) is not None
    except re.error:
        return {"error": "error"}


JINJA_TEMPLATES = [
    "{{ x }}", "{{ x|upper }}", "{{ x|lower }}", "{{ x|title }}", "{{ x|capitalize }}", "{{ x|trim }}", "{{ x|string }}",
    "{{ x|length }}", "{{ x|first }}", "{{ x|last }}", "{{ x|list }}", "{{ x|join(',') }}", "{{ x|join }}",
    "{{ x|replace('a', 'B') }}", "{{ x|replace('', '-') }}", "{{ x|float }}", "{{ x|int }}", "{{ x|round(2) }}",
    "{{ x|round }}", "{{ x|abs }}", "{{ x ~ y }}", "{{ x == y }}", "{{ x < y }}", "{{ x > y }}", "{{ x in y }}",
    "{{ x + y }}", "{{ x * 2 }}", "{{ x|min }}", "{{ x|max }}", "{{ x|sum }}", "{{ x|wordcount }}", "{{ x|truncate(9) }}",
    "{{ '%s' % x }}", "{{ '%r' % x }}", "{{ '%.3f' % x }}", "{{ '%g' % x }}", "{{ '%e' % x }}", "{{ '%d' % x }}",
    "{{ x|default('d') }}", "{{ x|format }}", "{{ '%s-%s'|format(x, y) }}", "{{ x is defined }}", "{{ x is none }}",
    "{{ x is string }}", "{{ x is number }}", "{{ x is lower }}", "{{ x is upper }}", "{{ x|int(base=16) }}",
    "{{ x|float(7) }}", "{{ x|upper|title }}", "{{ x|trim|capitalize }}", "{% for c in x %}[{{ c }}]{% endfor %}",
    "{{ x[0] }}", "{{ x[-1] }}", "{{ x|replace(' ', '_', 1) }}", "{{ x|truncate(5, true) }}", "{{ x|truncate(4, false, '', 0) }}",
    "{{ x|lower|length }}", "{{ x|upper == y|upper }}", "{{ x|sum(start='') }}", "{{ x|list|length }}", "{{ x|min(true) }}",
    "{{ x|max(case_sensitive=true) }}", "{{ x|join('|') }}", "{{ x ~ '' == y }}", "{{ x|string|title }}", "{{ x in 'abc' }}",
]


def jinja_value(r):
    k = r.random()
    if k < 0.15:
        return rand_number_text(r)
    if k < 0.25:
        return r.choice([1, -2, 0, 3.25, -0.5, 10 ** 6 + 0.5, 1e-7, 1e15 + 0.5])
    return rand_value(r, 1)


def rasa_jinja(template, values):
    """Rasa 3.12 interpolate_jinja_template: the text as written on an UndefinedError, None where it raises anything else."""
    try:
        return jinja2.Template(template).render(values)
    except jinja2.exceptions.UndefinedError:
        return template
    except Exception:
        return None


def dec_float(arg):
    return float(arg["float"])


def answer(target, args):
    """CPython's answer for `target` on `args`, encoded as the module comment says."""
    a = args[0]
    if target == "repr":
        return repr(a)
    if target == "str":
        return str(a)
    if target == "float_repr":
        return repr(dec_float(a))
    if target == "int_repr":
        return repr(int(dec_float(a)))
    if target == "float_text":
        res = attempt(lambda: float(a))
        return enc_float(res) if isinstance(res, float) else res
    if target == "int_text":
        res = attempt(lambda: int(a, args[1]))
        if isinstance(res, int):
            # An int beyond 2^53: flowc holds the nearest double.
            return {"beyond": str(res)} if abs(res) >= 2 ** 53 else str(res)
        return res
    if target in ("casefold", "strip", "upper", "lower", "capitalize"):
        return getattr(str, target)(a)
    if target == "title":
        return do_title(a)
    if target == "order":
        b = args[1]
        return [a < b, a == b, a > b]
    if target == "regex":
        return regex_search(a, args[1], args[2])
    if target == "format":
        return rasa_format(a, args[1])
    if target in ("jinja", "jinja_num"):
        return rasa_jinja(a, args[1])
    raise ValueError(target)


TARGETS = ["repr", "str", "float_repr", "int_repr", "float_text", "int_text", "casefold", "strip", "upper", "lower", "capitalize", "title", "order", "format", "jinja", "jinja_num", "regex"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=1000, help="cases per target")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--targets", default=",".join(TARGETS))
    p.add_argument("--recheck", action="store_true", help="answer again every case of --out, in place (keeps its other keys)")
    a = p.parse_args()
    if a.recheck:
        with open(a.out, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f.read().split("\n") if line.strip()]
        changed = 0
        for case in cases:
            expected = answer(case["target"], case["args"])
            changed += expected != case["expected"]
            case["expected"] = expected
        with open(a.out, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(case) + "\n" for case in cases)
        print(f"python {sys.version.split()[0]}: {len(cases)} cases, {changed} answered otherwise than the file had", file=sys.stderr)
        return
    r = random.Random(a.seed)
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as out:
        for target in a.targets.split(","):
            for _ in range(a.count):
                args = args_for(r, target)
                out.write(json.dumps({"target": target, "args": args, "expected": answer(target, args)}) + "\n")
    print(f"python {sys.version.split()[0]}, unicode {unicodedata.unidata_version}: wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
