/**
 * The arithmetic, concatenation, inline `if`, tuples, printf-style `%` and number and text
 * filters of Jinja response templates (README: "A variation with `metadata: {template: jinja}`
 * ..."), compiled and run. Rasa renders such a variation with Jinja2's `Template(text).render()`
 * (rasa/core/nlg/interpolator.py interpolate_jinja_template), which evaluates these constructs
 * as Python operators and Jinja's filters (jinja2/filters.py, Jinja 3.1): every expectation
 * below is what Python 3 and Jinja 3.1 give, worked out from their documented rules (cited per
 * test), not taken from flowc's output. A TemplateTypeError stands for an exception other than
 * UndefinedError, which Rasa does not catch (nothing is sent); an UndefinedError makes Rasa send
 * the template as written.
 */
import { describe, expect, it } from "vitest";
import { TemplateTypeError, UndefinedError } from "../../runtime/templates.ts";
import { refused, render, withFloats } from "../support/templates.ts";

describe("arithmetic (Python's operators, jinja2/parser.py parse_math1/parse_math2)", () => {
  it("`/` always gives a float; `//` and `%` round down and take the divisor's sign, an int for two ints", () => {
    // Python: true division returns a float; floor division of ints is an int, of a float a float.
    expect(render("{{ 7 / 2 }} {{ 4 / 2 }} {{ 1 / 3 }} {{ -6 / 3 }}")).toBe("3.5 2.0 0.3333333333333333 -2.0");
    expect(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7.5 // 2 }} {{ -7.5 // 2 }} {{ 6 // 2.0 }}")).toBe("3 -4 3.0 -4.0 3.0");
    expect(render("{{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 5.5 % 2 }} {{ -1.0 % 3 }} {{ 6.0 % 3 }}")).toBe("1 2 -2 1.5 2.0 0.0");
  });

  it("`+`, `-` and `*` of numbers give a float when either side is one (a bool is an int)", () => {
    expect(render("{{ 2 + 3 }} {{ 2 + 3.0 }} {{ 0.1 + 0.2 }} {{ 5 - 7 }} {{ 2.5 * 2 }} {{ 3 * 4 }} {{ true + 1 }}")).toBe("5 5.0 0.30000000000000004 -2 5.0 12 2");
  });

  it("`+` joins strings, lists and tuples; `*` repeats them an int number of times", () => {
    expect(render("{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 2 * 'ab' }} {{ [1] + [2] }} {{ [0] * 2 }} [{{ 'x' * 0 }}{{ 'x' * -1 }}] {{ 'ab' * true }} {{ (1,) + (2,) }}")).toBe(
      "abcd ababab abab [1, 2] [0, 0] [] ab (1, 2)",
    );
  });

  it("binds `*` `/` `//` `%` tighter than `~`, and `~` tighter than `+` and `-`", () => {
    // jinja2/parser.py: parse_math1 (+, -) over parse_concat (~) over parse_math2 (*, /, //, %).
    expect(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 10 - 2 - 3 }} {{ 2 * 3 ~ 4 }} {{ 7 // 2 * 2 }}")).toBe("7 9 5 64 6");
    expect(() => render("{{ 1 + 2 ~ 3 }}")).toThrow(TemplateTypeError); // 1 + '23'
    expect(() => render("{{ 'a' ~ 1 + 2 }}")).toThrow(TemplateTypeError); // 'a1' + 2
  });

  it("unary minus and plus take the operand with its attributes, and filters then apply to the result", () => {
    // jinja2/parser.py parse_unary: Neg(parse_unary(with_filter=False)), then the filters.
    expect(render("{{ -x }} {{ -x | abs }} {{ +x }} {{ -l[0] }} {{ -flag }} {{ -0 }} {{ -0.0 }} {{ -(2.5) }} {{ - -x }}", { x: 3, l: [4], flag: true })).toBe("-3 3 3 -4 -1 0 -0.0 -2.5 3");
  });

  it("raises Python's TypeError and ZeroDivisionError, which send nothing", () => {
    for (const template of ["{{ 'a' - 1 }}", "{{ none + 1 }}", "{{ 'a' + 1 }}", "{{ [1] * 1.5 }}", "{{ -'a' }}", "{{ 1 / 0 }}", "{{ 1 // 0 }}", "{{ 1 % 0 }}", "{{ 1.5 / 0 }}", "{{ d + d }}"]) {
      expect(() => render(template, { d: { a: 1 } }), template).toThrow(TemplateTypeError);
    }
  });

  it("an undefined operand is Jinja's UndefinedError (the template is sent as written)", () => {
    // jinja2/runtime.py Undefined: __add__, __radd__, __sub__, …, __neg__ all fail with UndefinedError.
    for (const template of ["{{ missing + 1 }}", "{{ 1 + missing }}", "{{ 'a' * missing }}", "{{ -missing }}", "{{ missing / 2 }}", "{{ 2 % missing }}"]) {
      expect(() => render(template), template).toThrow(UndefinedError);
    }
  });
});

describe("number literals (jinja2/lexer.py integer_re and float_re)", () => {
  it("reads binary, octal and hex ints and `_` between digits", () => {
    expect(render("{{ 0x1F }} {{ 0b101 }} {{ 0o17 }} {{ 1_000 }} {{ 1_000.5 }} {{ -0x10 }} {{ 0x1E }}")).toBe("31 5 15 1000 1000.5 -16 30");
  });
});

describe("Python floats", () => {
  it("prints a float literal as Python does, whole ones included", () => {
    expect(render("{{ 1.0 }} {{ 2e3 }} {{ [1.0, 2] }} {{ 1.5 }} {{ 1e400 }} {{ 1.0 == 1 }}")).toBe("1.0 2000.0 [1.0, 2] 1.5 inf True");
  });

  it("a float index finds nothing, as Jinja's getitem turns Python's TypeError into undefined", () => {
    expect(render("[{{ s[1.0] }}]", { s: "abc" })).toBe("[]");
  });

  it("keeps a float slot's number a float through operators and filters (Rasa stores it with float())", () => {
    const v = withFloats({ amount: 50, n: 50, l: ["a", "b"] }, ["amount"]);
    expect(render("{{ amount + 1 }} {{ amount | default(0) }} {{ [amount] }} {{ amount // 3 }} {{ amount | int }} {{ amount ~ '' }} {{ amount == 50 }}", v)).toBe("51.0 50.0 [50.0] 16.0 50 50.0 True");
    expect(render("{{ n + 1 }} {{ n // 3 }}", v)).toBe("51 16");
    expect(render("[{{ l[amount] }}]", withFloats({ amount: 1, l: ["a", "b"] }, ["amount"]))).toBe("[]");
  });
});

describe("concatenation with `~` (jinja2 compiler: str() of every operand, joined)", () => {
  it("joins the operands' str(), an undefined one as nothing", () => {
    expect(render("{{ 'a' ~ 1 ~ none ~ true ~ missing ~ [1] ~ 2.0 }}")).toBe("a1NoneTrue[1]2.0");
    expect(render("{{ name ~ '!' | upper }}", { name: "hi" })).toBe("hi!");
  });
});

describe("the inline `if` (jinja2/parser.py parse_condexpr)", () => {
  it("takes the branch Python's truth value chooses; without `else` a false test gives undefined", () => {
    expect(render("{{ 'yes' if x else 'no' }}", { x: 0 })).toBe("no");
    expect(render("{{ 'yes' if x else 'no' }}", { x: [1] })).toBe("yes");
    expect(render("[{{ 'a' if x }}]", { x: false })).toBe("[]");
    expect(render("{{ ('a' if x) | default('d') }}", { x: false })).toBe("d");
    expect(render("{{ 'a' if false else 'b' if true else 'c' }}")).toBe("b");
    expect(render("{{ name | default('a' if b else 'c') }}", { b: true })).toBe("a");
    expect(render("{% if ('x' if a else '') %}t{% else %}f{% endif %}", { a: true })).toBe("t");
    expect(() => render("{{ ('a' if false).x }}")).toThrow(UndefinedError);
  });
});

describe("tuples", () => {
  it("prints and searches tuples as Python does", () => {
    expect(render("{{ (1, 'a') }} {{ (1,) }} {{ () }} {{ x in ('a', 'b') }}", { x: "b" })).toBe("(1, 'a') (1,) () True");
  });
});

describe("more filters (jinja2/filters.py)", () => {
  it("capitalize: str.capitalize() of the text", () => {
    expect(render("{{ s | capitalize }}|{{ 5 | capitalize }}|{{ missing | capitalize }}", { s: "hELLO wORLD" })).toBe("Hello world|5|");
  });

  it("trim: str.strip(), of white space or the characters given", () => {
    expect(render("[{{ s | trim }}] [{{ 'xxaxx' | trim('x') }}] [{{ 'abcba' | trim(chars='ab') }}]", { s: "  a b \n" })).toBe("[a b] [a] [c]");
  });

  it("string: str()", () => {
    expect(render("{{ 1.0 | string }} {{ none | string }} {{ [1] | string ~ '!' }} [{{ missing | string }}]")).toBe("1.0 None [1]! []");
  });

  it("replace: str.replace() of the values as text, with an optional count", () => {
    // The examples of do_replace's documentation.
    expect(render("{{ 'Hello World' | replace('Hello', 'Goodbye') }}")).toBe("Goodbye World");
    expect(render("{{ 'aaaaargh' | replace('a', \"d'oh, \", 2) }}")).toBe("d'oh, d'oh, aaargh");
    expect(render("{{ 'ab' | replace('', '-') }} {{ 'ab' | replace('', '-', 2) }} {{ 12 | replace(1, 3) }} {{ 'aaa' | replace('a', 'b', count=1) }}")).toBe("-a-b- -a-b 32 baa");
    expect(() => render("{{ 'a' | replace('a') }}")).toThrow(TemplateTypeError);
    expect(() => render("{{ 'a' | replace('a', 'b', 1.0) }}")).toThrow(TemplateTypeError);
  });

  it("first and last: the first and last item, undefined when there is none", () => {
    const v = { l: [1, 2, 3], d: { a: 1, b: 2 } };
    expect(render("{{ l | first }} {{ l | last }} {{ 'abc' | first }} {{ 'abc' | last }} {{ d | first }} {{ d | last }}", v)).toBe("1 3 a c a b");
    expect(render("[{{ [] | first }}{{ [] | last }}{{ missing | first }}] {{ ([] | first) | default('none') }}")).toBe("[] none");
    expect(() => render("{{ 5 | first }}")).toThrow(TemplateTypeError);
    expect(() => render("{{ 5 | last }}")).toThrow(TemplateTypeError);
  });

  it("abs: Python's abs() of numbers only", () => {
    expect(render("{{ -5 | abs }} {{ -2.5 | abs }} {{ -2.0 | abs }} {{ true | abs }}")).toBe("5 2.5 2.0 1");
    expect(() => render("{{ 'a' | abs }}")).toThrow(TemplateTypeError);
    expect(() => render("{{ missing | abs }}")).toThrow(TemplateTypeError); // Undefined has no __abs__
  });

  it("round: Python's round() (half to even on the exact value) or ceil/floor, an int staying an int only with 'common'", () => {
    // do_round's documentation: 42.55|round -> 43.0, 42.55|round(1, 'floor') -> 42.5, 42.55|round|int -> 43.
    expect(render("{{ 42.55 | round }} {{ 42.55 | round(1, 'floor') }} {{ 42.55 | round | int }}")).toBe("43.0 42.5 43");
    // round(2.5) == 2, round(3.5) == 4, round(-2.5) == -2; 2.675 and 1.865 lie just below their halves in binary; 1.875 is exact.
    expect(render("{{ 2.5 | round }} {{ 3.5 | round }} {{ -2.5 | round }} {{ 2 | round }} {{ 2.675 | round(2) }} {{ 1.875 | round(2) }} {{ 1.865 | round(precision=2) }}")).toBe("2.0 4.0 -2.0 2 2.67 1.88 1.86");
    expect(render("{{ 1250 | round(-2) }} {{ 1350 | round(-2) }} {{ 1234.5 | round(-2) }} {{ 2 | round(1, 'ceil') }} {{ 2.1 | round(0, 'ceil') }} {{ -2.1 | round(method='floor') }}")).toBe("1200 1400 1200.0 2.0 3.0 -3.0");
    for (const template of ["{{ 1 | round(0, 'up') }}", "{{ 'x' | round }}", "{{ missing | round }}", "{{ 2.5 | round(1.0) }}"]) expect(() => render(template), template).toThrow(TemplateTypeError);
  });

  it("round with ceil or floor: math.ceil and math.floor give an int (no -0.0), and 10 ** precision is an exact int", () => {
    // do_round: func(value * (10**precision)) / (10**precision). An int times an int is exact and
    // an int divided by an int correctly rounded, so -808 stays -808.0 at any precision; ceil of
    // -0.4 is the int 0, so 0.0 (found by the Python oracle).
    expect(render("{{ -808 | round(20, 'floor') }} {{ -0.4 | round(0, 'ceil') }} {{ -1e-9 | round(3, 'ceil') }} {{ 2.675 | round(2, 'floor') }} {{ 1.5 | round(-1, 'ceil') }} {{ 1e-7 | round(23, 'floor') }}")).toBe(
      "-808.0 0.0 0.0 2.67 10.0 9.999999999999998e-08",
    );
    expect(() => render("{{ 1.5 | round(400, 'ceil') }}")).toThrow(TemplateTypeError); // int too large to convert to float
    expect(render("{{ 15 | round(400, 'ceil') }}")).toBe("15.0");
  });

  it("int: int(), a text read as an int in the base or else as a float, the default when neither works", () => {
    // do_int: int(value, base) for a text, int(value) otherwise; on TypeError/ValueError int(float(value)); then the default.
    expect(render("{{ '42' | int }} {{ ' 42 ' | int }} {{ '42.23' | int }} {{ '-3.9' | int }} {{ '1e3' | int }} {{ '1_000' | int }} {{ 'nan' | int }}")).toBe("42 42 42 -3 1000 1000 0");
    expect(render("{{ 'abc' | int }} {{ 'abc' | int(-1) }} {{ 'abc' | int(default='n/a') }} {{ '0x1F' | int(base=16) }} {{ '0b101' | int(0, 2) }} {{ '1f' | int(base=16.0) }}")).toBe("0 -1 n/a 31 5 0");
    expect(render("{{ 3.99 | int }} {{ -3.99 | int }} {{ true | int }} {{ none | int }} {{ [1] | int }}")).toBe("3 -3 1 0 0");
    expect(() => render("{{ missing | int }}")).toThrow(UndefinedError); // Undefined.__int__
    // Jinja 3.1.6's do_int catches OverflowError only in its int(float(value)) fallback.
    expect(render("{{ 'inf' | int }} {{ '1e400' | int(-1) }}")).toBe("0 -1");
    expect(() => render("{{ 1e400 | int }}")).toThrow(TemplateTypeError);
    // Python's int() and float() read the decimal digits of any script.
    expect(render("{{ '٣' | int }} {{ '１２' | int }} {{ '٣.٥' | float }}")).toBe("3 12 3.5");
  });

  it("float: float(), the default when it cannot read the value", () => {
    expect(render("{{ '1.5' | float }} {{ '3' | float }} {{ 3 | float }} {{ 'x' | float }} {{ 'x' | float(1) }} {{ ' -1_0.5 ' | float }} {{ 'inf' | float }} {{ true | float }} {{ none | float }}")).toBe(
      "1.5 3.0 3.0 0.0 1 -10.5 inf 1.0 0.0",
    );
    expect(() => render("{{ missing | float }}")).toThrow(UndefinedError); // Undefined.__float__
  });

  it("int and float strip white space as Python's int() and float() do: not U+001C to U+001F", () => {
    // CPython (_PyUnicode_TransformDecimalAndSpaceToASCII) turns white space beyond ASCII into
    // spaces and then strips ASCII white space only: the separators U+001C–U+001F, white space
    // to str.isspace(), are no white space to int() and float() (found by the Python oracle).
    expect(render("{{ x | float }}/{{ y | int }}/{{ z | float }}/{{ w | int }}", { x: "1\x1f", y: "\x1c7", z: "\x851.5\u3000", w: "\xa08\u2029" })).toBe("0.0/0/1.5/8");
  });
});

describe("printf-style formatting with `%` (Python's str % values)", () => {
  it("formats numbers and strings with flags, width and precision", () => {
    expect(render("{{ '%.2f' % 3.14159 }}|{{ '%d items' % 3 }}|{{ '%s and %s' % ('a', 'b') }}|{{ '%5.1f' % 2.25 }}|{{ '%05d' % -42 }}|{{ '%-4s' % 'ab' }}|")).toBe("3.14|3 items|a and b|  2.2|-0042|ab  |");
    expect(render("{{ '%x %X %o %#x' % (255, 255, 8, 255) }}|{{ '%e' % 12345.678 }}|{{ '%g %g %g' % (0.00001, 123456789, 100.0) }}|{{ '%r' % 'a' }}")).toBe("ff FF 10 0xff|1.234568e+04|1e-05 1.23457e+08 100|'a'");
    expect(render("{{ '%(name)s is %(age)d' % person }}|{{ '100%%' % () }}|{{ '%+d % d' % (5, 5) }}|{{ '%c' % 65 }}|{{ '%.3s' % 'abcdef' }}|{{ '%*d' % (4, 7) }}|{{ '%s' % [1, 2] }}|{{ '%s' % (1.0,) }}", { person: { name: "Ann", age: 30.5 } })).toBe(
      "Ann is 30|100%|+5  5|A|abc|   7|[1, 2]|1.0",
    );
    // Half to even on the exact binary value: 0.125 and 2.5 are exact halves.
    expect(render("{{ '%.2f' % 0.125 }} {{ '%.0f' % 2.5 }} {{ '%.1f' % -0.04 }}")).toBe("0.12 2 -0.0");
    expect(render("{{ '%.2f' % amount }}", withFloats({ amount: 30 }, ["amount"]))).toBe("30.00");
  });

  it("rounds at the value's own exponent, where rounding carries into a new first digit", () => {
    // CPython formats with dtoa at the value's exponent: 1e-7 is 9.99999999999999954748e-08 in
    // binary, so 17 digits are 9.9999999999999995e-08, not 1.0000000000000000e-07 (found by the
    // Python oracle); with 16 digits the carry is real.
    expect(render("{{ '%.17g' % x }} {{ '%.16e' % x }} {{ '%#.17g' % x }} {{ '%.16g' % x }} {{ '%.15e' % x }}", { x: 1e-7 })).toBe(
      "9.9999999999999995e-08 9.9999999999999995e-08 9.9999999999999995e-08 1e-07 1.000000000000000e-07",
    );
  });

  it("pads inf with zeros under `0`, as Python does", () => {
    expect(render("{{ '%05f|' % 1e400 }}{{ '%-6f|' % 1e400 }}")).toBe("00inf|inf   |");
  });

  it("raises Python's TypeError or ValueError for a wrong value or count", () => {
    for (const template of ["{{ '%5%' % () }}", "{{ '%d' % 'a' }}", "{{ '%s %s' % 'a' }}", "{{ '%s' % (1, 2) }}", "{{ 'abc' % 5 }}", "{{ '%z' % 1 }}", "{{ '%' % () }}", "{{ '%x' % 1.5 }}"]) {
      expect(() => render(template), template).toThrow(TemplateTypeError);
    }
  });
});

describe("format, list, sum, min, max, truncate and wordcount (jinja2/filters.py)", () => {
  it("format: do_format, str(value) % the positional arguments as a tuple or the keyword ones as a dict", () => {
    // do_format's documentation: "%s, %s!"|format(greeting, name) -> Hello, World!
    expect(render("{{ '%s, %s!' | format(greeting, name) }}", { greeting: "Hello", name: "World" })).toBe("Hello, World!");
    expect(render("{{ '%.2f' | format(3.14159) }}|{{ '%(x)s!' | format(x=1) }}|{{ 'plain' | format }}")).toBe("3.14|1!|plain");
    expect(() => render("{{ '%s' | format(1, x=2) }}")).toThrow(TemplateTypeError); // FilterArgumentError
    expect(() => render("{{ '%s' | format }}")).toThrow(TemplateTypeError); // not enough arguments
  });

  it("list: Python's list()", () => {
    expect(render("{{ 'ab' | list }} {{ d | list }} {{ (1, 2) | list }} {{ missing | list }}", { d: { a: 1, b: 2 } })).toBe("['a', 'b'] ['a', 'b'] [1, 2] []");
  });

  it("sum: Python's sum() of the items or of an attribute of each, from start", () => {
    // do_sum's documentation: items|sum(attribute='price').
    const items = [{ price: 2.5 }, { price: 1 }, { price: 3 }];
    expect(render("{{ [3, 1, 2] | sum }} {{ items | sum(attribute='price') }} {{ [1, 2.0] | sum }} {{ [[1], [2]] | sum(start=[]) }} {{ [] | sum }} {{ [1] | sum(start=10) }}", { items })).toBe("6 6.5 3.0 [1, 2] 0 11");
    expect(() => render("{{ ['a'] | sum }}")).toThrow(TemplateTypeError); // 0 + 'a'
    expect(() => render("{{ ['a'] | sum(start='') }}")).toThrow(TemplateTypeError); // sum() can't sum strings
  });

  it("min and max: the first smallest or largest item, texts compared in lower case unless case_sensitive", () => {
    const v = { w: ["b", "A", "c"], items: [{ price: 2.5 }, { price: 1 }] };
    expect(render("{{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ w | min }} {{ w | max }} {{ w | min(case_sensitive=true) }} {{ items | min(attribute='price') }} [{{ [] | max }}]", v)).toBe(
      "1 3 A c A {'price': 1} []",
    );
    expect(() => render("{{ ['a', 1] | min }}")).toThrow(TemplateTypeError);
  });

  it("truncate: the examples of do_truncate's documentation, with the default leeway 5", () => {
    expect(render("{{ s | truncate(9) }}|{{ s | truncate(9, True) }}|{{ s | truncate(11) }}|{{ s | truncate(11, False, '...', 0) }}", { s: "foo bar baz qux" })).toBe("foo...|foo ba...|foo bar baz qux|foo bar...");
    expect(render("[{{ missing | truncate(3) }}] {{ 'abcdefghij' | truncate(3, end='') }}")).toBe("[] abc");
    expect(() => render("{{ 'abcdefghij' | truncate(2) }}")).toThrow(TemplateTypeError); // assert length >= len(end)
  });

  it("wordcount: the runs of word characters", () => {
    expect(render("{{ 'Hello, big world_1!' | wordcount }} {{ '' | wordcount }}")).toBe("3 0");
  });
});

describe("Jinja's tests (jinja2/tests.py)", () => {
  it("odd, even and divisibleby are `value % n == 0` or `== 1`, with Python's `%`", () => {
    expect(render("{{ 3 is odd }} {{ 4 is even }} {{ -3 is odd }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ 4.0 is even }}")).toBe("True True True True False True");
    expect(() => render("{{ 'abc' is odd }}")).toThrow(TemplateTypeError); // 'abc' % 2 formats, and fails
    expect(() => render("{{ missing is even }}")).toThrow(UndefinedError);
  });

  it("the type tests", () => {
    expect(render("{{ 1 is integer }} {{ true is integer }} {{ 1.5 is float }} {{ 4.0 is float }} {{ 1 is float }} {{ true is number }} {{ 'a' is number }}")).toBe("True False True True False True False");
    expect(render("{{ 'a' is string }} {{ d is mapping }} {{ l is mapping }} {{ true is boolean }} {{ 1 is boolean }} {{ true is true }} {{ 1 is true }} {{ false is false }}", { d: {}, l: [] })).toBe(
      "True True False True False True False True",
    );
    expect(render("{{ l is sequence }} {{ 'a' is sequence }} {{ d.keys() is sequence }} {{ 3 is sequence }} {{ d.keys() is iterable }} {{ 3 is iterable }} {{ missing is iterable }}", { d: { a: 1 }, l: [] })).toBe(
      "True True False False True False True",
    );
    expect(render("{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ 'ABC' is upper }} {{ '123' is upper }} {{ missing is lower }}")).toBe("True False True False False");
  });

  it("the comparison tests and `in`, with a value after them or in parentheses, and `not`", () => {
    expect(render("{{ 3 is in [1, 3] }} {{ 3 is gt 2 }} {{ 3 is lessthan(2) }} {{ x is eq 'a' }} {{ x is equalto('b') }} {{ x is not ne 'a' }} {{ 2 is ge 2 }} {{ 2 is le 1 }}", { x: "a" })).toBe(
      "True True False True False True True False",
    );
  });
});

describe("still outside the subset", () => {
  it("refuses `is sameas` (Python's identity, which depends on the interpreter's caching)", () => {
    expect(refused("{{ x is sameas y }}").message).toContain("the test `is sameas`");
  });

  it("refuses unpacking a filter's arguments with `*` or `**` (valid Jinja, so FLW1061, not a syntax error)", () => {
    const error = refused("{{ '%s %s' | format(*l) }}");
    expect(error.kind).toBe("unsupported");
    expect(error.message).toContain("unpacking arguments with `*`");
  });


});
