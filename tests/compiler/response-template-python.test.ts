/**
 * The Python of Jinja response templates beyond operators and filters (README: "A variation
 * with `metadata: {template: jinja}` ..."): Rasa renders a variation with `jinja2.Template(text)`
 * (rasa/core/nlg/interpolator.py interpolate_jinja_template), not a sandbox, so a value's
 * methods are Python's and the globals `range`, `dict` and `namespace` are Jinja's. Every
 * expectation below was printed by Jinja 3.1.6 on CPython 3.11 (the random ones are in
 * response-method-oracle-cases.jsonl), except where a test names flowc's own decision. A
 * TemplateTypeError stands for an exception other than UndefinedError (Rasa sends nothing); an
 * UndefinedError makes Rasa send the template as written.
 */
import { describe, expect, it } from "vitest";
import { TemplateTypeError, UndefinedError } from "../../runtime/templates.ts";
import { refused, render, withFloats } from "../support/templates.ts";

describe("methods of the values", () => {
  it("are Python's str methods on a text", () => {
    const v = { s: "  ann-marie o'neil  " };
    expect(render("{{ s.strip().title() }}|{{ s.split() }}|{{ s.strip().split('-', 1) }}|{{ s.rsplit(None, 1) }}|{{ s.count('n') }}|{{ s.find('o') }}", v)).toBe(
      "Ann-Marie O'Neil|['ann-marie', \"o'neil\"]|['ann', \"marie o'neil\"]|['  ann-marie', \"o'neil\"]|3|12",
    );
    expect(render("{{ 'x'.center(5, '*') }}|{{ '7'.zfill(3) }}|{{ '-7'.zfill(4) }}|{{ 'a.b.c'.rpartition('.') }}|{{ '²'.isdigit() }}{{ '²'.isdecimal() }}")).toBe("**x**|007|-007|('a.b', '.', 'c')|TrueFalse");
  });

  it("format a text with Python's str.format and its mini-language", () => {
    const v = withFloats({ amount: 1234.5, n: 7 }, ["amount"]);
    expect(render("{{ '{:,.2f}'.format(amount) }}|{{ '{:>6}|{:<4}|{:^5}'.format('ab', n, 'c') }}|{{ '{0}{0}'.format(n) }}|{{ '{x:08.3f}'.format(x=amount) }}|{{ '{:.3}'.format(100.0) }}", v)).toBe(
      "1,234.50|    ab|7   |  c  |77|1234.500|1e+02",
    );
    expect(() => render("{{ '{:d}'.format(2.5) }}")).toThrow(TemplateTypeError); // ValueError: Unknown format code 'd'
    expect(() => render("{{ '{}{}'.format(1) }}")).toThrow(TemplateTypeError); // IndexError
  });

  it("calling a method a value lacks is Jinja's undefined (the template as written); a wrong argument is Python's TypeError", () => {
    expect(() => render("{{ n.upper() }}", { n: 5 })).toThrow(UndefinedError);
    expect(() => render("{{ missing.upper() }}")).toThrow(UndefinedError);
    expect(() => render("{{ s.upper(1) }}", { s: "a" })).toThrow(TemplateTypeError);
    expect(() => render("{{ d.upper() }}", { d: { upper: 1 } })).toThrow(TemplateTypeError); // the item found is not callable
  });

  it("are dict.get, list.count and list.index, and loop.cycle", () => {
    expect(render("{{ d.get('a') }} {{ d.get('x', 'no') }} {{ d.get('x') }} {{ l.count(1) }} {{ l.index(2) }}", { d: { a: 1 }, l: [1, 2, 1] })).toBe("1 no None 2 1");
    expect(render("{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}")).toBe("aba");
  });

  it("refuses a method flowc does not have, naming it", () => {
    expect(refused("{{ s.encode('utf-8') }}").message).toContain("calling `.encode(…)`");
  });
});

describe("the globals range, dict and namespace", () => {
  it("range gives Python's range, printed as one, sliced into one", () => {
    expect(render("{{ range(3) }} {{ range(1, 10, 3) | list }} {{ range(10)[2:8:3] }} {{ 3 in range(5) }} {{ range(5, 0, -2) | join(',') }}")).toBe("range(0, 3) [1, 4, 7] range(2, 8, 3) True 5,3,1");
    expect(() => render("{{ range(1.5) }}")).toThrow(TemplateTypeError);
  });

  it("a namespace's attributes change from inside a loop", () => {
    expect(render("{% set ns = namespace(total=0) %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns }}")).toBe("6 <Namespace {'total': 6}>");
    expect(() => render("{% set n.x = 1 %}", { n: 5 })).toThrow(TemplateTypeError); // TemplateRuntimeError
  });

  it("joiner and cycler", () => {
    expect(render("{% set c = joiner(', ') %}{% for x in [1, 2, 3] %}{{ c() }}{{ x }}{% endfor %}")).toBe("1, 2, 3");
    expect(render("{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.current }}{{ c.reset() }}{{ c.current }}")).toBe("abaNonea");
    expect(() => render("{{ n() }}", { n: 5 })).toThrow(TemplateTypeError); // 'int' object is not callable
    expect(() => render("{{ missing() }}")).toThrow(UndefinedError);
  });

  it("a variable of the same name hides a global", () => {
    expect(() => render("{{ range(3) }}", { range: 1 })).toThrow(TemplateTypeError); // 'int' object is not callable
  });
});

describe("slices, `**` and dict literals", () => {
  it("slice texts, lists and tuples as Python does", () => {
    expect(render("{{ s[1:3] }} {{ s[::-1] }} {{ s[-2:] }} {{ l[::2] }} {{ (1, 2, 3)[1:] }}", { s: "Hello", l: [1, 2, 3, 4] })).toBe("el olleH lo [1, 3] (2, 3)");
    expect(() => render("{{ s[::0] }}", { s: "x" })).toThrow(TemplateTypeError); // ValueError
    expect(() => render("{{ missing[1:] }}")).toThrow(UndefinedError);
  });

  it("`**` is Python's power, with Jinja's bare negative constant (`-2 ** n` is `-(2 ** n)`)", () => {
    // Jinja computes `-2` and `(0 - 2)` when it compiles and writes them into Python as `-2`.
    expect(render("{{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2 ** 0.5 }} {{ 2.5 ** 2 }} {{ -2 ** 2 }} {{ -2 ** n }} {{ (0 - 2) ** n }} {{ -n ** 2 }}", { n: 2 })).toBe("1024 0.5 1.4142135623730951 6.25 4 -4 -4 4");
    // Python's float ** is C's pow(), correctly rounded here (JavaScript's 2 ** 2.5 ends in 38).
    expect(render("{{ 2 ** 2.5 }}")).toBe("5.656854249492381");
    expect(() => render("{{ 0 ** -1 }}")).toThrow(TemplateTypeError); // ZeroDivisionError
  });

  it("flowc's own decision: a negative number to a fractional power, a complex number in Python, is a type error", () => {
    expect(() => render("{{ (0 - 8) ** 0.5 }}")).toThrow(TemplateTypeError);
  });

  it("dict literals keep their keys in order, a later equal key replacing the value", () => {
    expect(render("{{ {'b': 1, 'a': [2], 'b': 3} }} {{ {'x': n}.x }} {{ {} | length }}", { n: 5 })).toBe("{'b': 3, 'a': [2]} 5 0");
    // flowc's dicts are JavaScript objects, which hold keys of digits first: refused where that shows.
    expect(refused("{{ {'b': 1, '2': 2} }}").kind).toBe("unsupported");
    expect(refused("{{ {1: 'a'} }}").message).toContain("a dict key not written as a string");
  });
});

describe("statements", () => {
  it("`{% set x %}…{% endset %}` assigns the block's text, through its filters", () => {
    expect(render("{% set x | upper %}a{{ n }}b{% endset %}[{{ x }}]", { n: 5 })).toBe("[A5B]");
  });

  it("a name a scope assigns before reading it is undefined to a nested block or loop until assigned", () => {
    // Jinja's symbol analysis (jinja2/idtracking.py): the first mention is a store, with no outer reference.
    expect(render("{% set n %}[{{ n }}]{% endset %}{{ n }}", { n: 5 })).toBe("[]");
    expect(render("{% for i in [1] %}{{ n }}{% endfor %}{% set n = 1 %}{{ n }}", { n: 5 })).toBe("1");
    expect(render("{{ n }}{% set n %}[{{ n }}]{% endset %}{{ n }}", { n: 5 })).toBe("5[5]");
  });

  it("loop filters, {% with %}, {% filter %}, {% raw %} and {% print %}", () => {
    expect(render("{% for x in l if x > 1 %}{{ x }}{{ loop.index }}/{{ loop.length }};{% else %}none{% endfor %}", { l: [3, 1, 2] })).toBe("31/2;22/2;");
    expect(render("{% with a = 1, b = n %}{{ a }}{{ b }}{% set c = 3 %}{% endwith %}[{{ a }}{{ c }}]", { n: 5 })).toBe("15[]");
    expect(render("{% filter upper | replace('A', '4') %}a{{ n }}b{% endfilter %}", { n: 5 })).toBe("45B");
    expect(render("a {%- raw -%} {{ x }} {%- endraw -%} b {% print 1, 2 %}")).toBe("a{{ x }}b 12");
  });

  it("a tag Jinja does not know is its syntax error; one of its statements outside the subset is refused", () => {
    expect(refused("{% break %}").kind).toBe("syntax"); // the loopcontrols extension, which Rasa does not load
    expect(refused("{% include 'x.html' %}").kind).toBe("unsupported");
  });

  it("a filter or test Jinja does not have is its error when it compiles the template; one of its own outside the subset is refused", () => {
    // Jinja 3.1: "No filter named 'nofilter'." / "No test named 'notest'." (TemplateAssertionError, a syntax error).
    expect(refused("{{ x | nofilter }}").kind).toBe("syntax");
    expect(refused("{{ x is notest }}").kind).toBe("syntax");
    expect(refused("{{ x | map('random') }}").kind).toBe("unsupported");
    expect(refused("{{ x is sameas y }}").kind).toBe("unsupported");
  });
});

describe("filters that escape HTML", () => {
  it("escape where its Markup prints as its text; elsewhere it is refused", () => {
    expect(render("{{ '<a & \"b\">' | e }} {{ 'x' ~ '<' | escape }} {{ '<' | e | e }}")).toBe("&lt;a &amp; &#34;b&#34;&gt; x&lt; &lt;");
    expect(refused("{{ 'a' + x | e }}").message).toContain("Markup");
  });

  it("urlize and xmlattr give plain text, as Jinja does without autoescape", () => {
    expect(render("{{ 'see www.x.org, or me@y.io' | urlize }}")).toBe('see <a href="https://www.x.org" rel="noopener">www.x.org</a>, or <a href="mailto:me@y.io">me@y.io</a>');
    expect(render("<p{{ {'class': 'a b', 'id': none, 'title': '<t>'} | xmlattr }}>")).toBe('<p class="a b" title="&lt;t&gt;">');
  });
});
