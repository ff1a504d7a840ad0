/**
 * The Jinja subset of response templates: each construct compiled and run (the generated
 * function body is plain JavaScript over runtime/templates.ts), Python's rendering of values,
 * Jinja's undefined values, and every construct outside the subset rejected with its code and
 * position.
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { TemplateTypeError, UndefinedError } from "../../runtime/templates.ts";
import { compileStrings } from "../support/compile.ts";
import { refused, render } from "../support/templates.ts";

describe("expressions", () => {
  it("renders names, attributes and items", () => {
    expect(render("Hello {{ name }}!", { name: "Ann" })).toBe("Hello Ann!");
    expect(render("{{ context.flow_id }}", { context: { flow_id: "pay" } })).toBe("pay");
    expect(render("{{ items[0] }}/{{ items[-1] }}/{{ items.1 }}", { items: ["a", "b", "c"] })).toBe("a/c/b");
    expect(render('{{ d["k"] }}{{ d[key] }}', { d: { k: "x", y: "z" }, key: "y" })).toBe("xz");
    expect(render("{{ 'lit' }} {{ 42 }} {{ -3 }} {{ true }} {{ none }}")).toBe("lit 42 -3 True None");
  });

  it("prints values as Python's str() does", () => {
    expect(render("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}", { a: null, b: true, c: ["x", 1, null], d: { k: [false] }, e: 2.5, f: "it's" })).toBe(
      "None|True|['x', 1, None]|{'k': [False]}|2.5|it's",
    );
    expect(render("{{ l }}", { l: ["it's"] })).toBe(`["it's"]`);
  });

  it("renders a missing name or key as nothing, and fails on anything asked of it", () => {
    expect(render("[{{ missing }}]")).toBe("[]");
    expect(render("[{{ context.missing }}]", { context: {} })).toBe("[]");
    expect(render("[{{ items[5] }}]", { items: [] })).toBe("[]");
    expect(() => render("{{ missing.x }}")).toThrow(UndefinedError);
    expect(() => render("{{ missing.keys() }}")).toThrow(UndefinedError);
    expect(() => render("{{ name.keys() }}", { name: "text" })).toThrow(UndefinedError);
  });

  it("has the dict views keys(), values() and items()", () => {
    const d = { a: 1, b: "two" };
    expect(render("{{ d.keys() | join(', ') }}", { d })).toBe("a, b");
    expect(render("{{ d.values() | join(', ') }}", { d })).toBe("1, two");
    expect(render("{{ d.items() }}", { d })).toBe("dict_items([('a', 1), ('b', 'two')])");
    expect(render("{{ d.keys() }}", { d })).toBe("dict_keys(['a', 'b'])");
    expect(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", { d })).toBe("a=1;b=two;");
  });
});

describe("filters", () => {
  it("lower, upper and title (Jinja's title: words start after spaces, dashes and brackets)", () => {
    expect(render("{{ s | lower }} {{ s | upper }}", { s: "MiXed" })).toBe("mixed MIXED");
    expect(render("{{ s | title }}", { s: "they're bill's FRIENDS" })).toBe("They're Bill's Friends");
    expect(render("{{ s | title }}", { s: "half-price (week) deal" })).toBe("Half-Price (Week) Deal");
    expect(render("{{ n | upper }}", { n: null })).toBe("NONE");
    expect(render("[{{ missing | upper }}]")).toBe("[]");
  });

  it("default for undefined values, and for false ones with boolean", () => {
    expect(render("{{ missing | default('x') }}")).toBe("x");
    expect(render("{{ n | default('x') }}", { n: null })).toBe("None");
    expect(render("{{ s | default('x', true) }}", { s: "" })).toBe("x");
    expect(render("{{ s | default('x', boolean=true) }}", { s: "" })).toBe("x");
    expect(render("{{ missing | d('y') }}")).toBe("y");
    expect(render("[{{ missing | default }}]")).toBe("[]");
  });

  it("length counts characters, items and keys", () => {
    expect(render("{{ s | length }}", { s: "héllo" })).toBe("5");
    expect(render("{{ l | length }} {{ d | count }} {{ missing | length }}", { l: [1, 2, 3], d: { a: 1 } })).toBe("3 1 0");
    expect(() => render("{{ n | length }}", { n: 3 })).toThrow(TemplateTypeError);
  });

  it("join with and without a separator", () => {
    expect(render("{{ l | join }}", { l: [1, 2] })).toBe("12");
    expect(render("{{ l | join(', ') }}", { l: ["a", null, true] })).toBe("a, None, True");
    expect(render("{{ l | join(d='-') }}", { l: ["a", "b"] })).toBe("a-b");
    expect(render("[{{ missing | join(',') }}]")).toBe("[]");
    expect(() => render("{{ n | join }}", { n: 5 })).toThrow(TemplateTypeError);
  });
});

describe("statements", () => {
  it("if, elif and else with Python's comparisons and truthiness", () => {
    const t = "{% if n > 10 %}big{% elif n == 1 %}one{% else %}other{% endif %}";
    expect(render(t, { n: 11 })).toBe("big");
    expect(render(t, { n: 1.0 })).toBe("one");
    expect(render(t, { n: 5 })).toBe("other");
    expect(render("{% if l %}some{% else %}none{% endif %}", { l: [] })).toBe("none");
    expect(render("{% if d %}some{% endif %}", { d: { a: 1 } })).toBe("some");
    expect(render("{% if x is defined and x is not none %}yes{% else %}no{% endif %}", { x: null })).toBe("no");
    expect(render("{% if missing is undefined %}u{% endif %}")).toBe("u");
    expect(render("{% if not a or b %}t{% endif %}", { a: true, b: "x" })).toBe("t");
    expect(render("{% if 'b' in l and 'z' not in l %}in{% endif %}", { l: ["a", "b"] })).toBe("in");
    expect(render("{% if 'ell' in s %}sub{% endif %}", { s: "hello" })).toBe("sub");
    expect(render("{% if s in ['x', 'y'] %}listed{% endif %}", { s: "y" })).toBe("listed");
    expect(render("{% if b == 1 %}eq{% endif %}", { b: true })).toBe("eq");
    expect(() => render("{% if n < 'a' %}{% endif %}", { n: 1 })).toThrow(TemplateTypeError);
    expect(() => render("{% if missing < 1 %}{% endif %}")).toThrow(UndefinedError);
  });

  it("for with loop variables and else", () => {
    const t = "{% for x in l %}{{ loop.index }}:{{ x }}{% if not loop.last %}, {% endif %}{% else %}empty{% endfor %}";
    expect(render(t, { l: ["a", "b", "c"] })).toBe("1:a, 2:b, 3:c");
    expect(render(t, { l: [] })).toBe("empty");
    expect(render(t)).toBe("empty");
    expect(render("{% for c in s %}{{ c }}.{% endfor %}", { s: "ab" })).toBe("a.b.");
    expect(render("{% for k in d %}{{ k }}{% endfor %}", { d: { x: 1, y: 2 } })).toBe("xy");
    expect(render("{% for x in l %}{% for y in x %}{{ loop.index0 }}{{ y }}{% endfor %};{% endfor %}", { l: [["a", "b"], ["c"]] })).toBe("0a1b;0c;");
    expect(() => render("{% for x in n %}{% endfor %}", { n: 3 })).toThrow(TemplateTypeError);
  });

  it("a loop variable hides a slot of the same name only inside the loop", () => {
    expect(render("{% for name in l %}{{ name }}{% endfor %}/{{ name }}", { l: ["a"], name: "slot" })).toBe("a/slot");
  });

  it("comments, whitespace control and the trailing newline", () => {
    expect(render("a{# note #}b")).toBe("ab");
    expect(render("a  {%- if true -%}  b  {%- endif %}  c")).toBe("ab  c");
    expect(render("x {{- ' y ' -}} z")).toBe("x y z");
    expect(render("Hi\n")).toBe("Hi");
    expect(render("Hi\n\n")).toBe("Hi\n");
    expect(render("")).toBe("");
  });
});

// Expectations rendered by Jinja 3.1.6 as Rasa 3.12's interpolate_jinja_template calls it
// (Template(text).render(values)); more in response-filter-oracle-cases.jsonl.
describe("filters that order, pick and reshape, and {% set %}", () => {
  const people = [{ name: "Ann", age: 30 }, { name: "bob", age: 25 }, { name: "Cy", age: 30 }];

  it("sorts, picks and maps as Jinja does", () => {
    expect(render("{{ p | sort(attribute='age,name') | map(attribute='name') | join(', ') }}", { p: people })).toBe("bob, Ann, Cy");
    expect(render("{{ p | selectattr('age', '>', 26) | map(attribute='name') | join }}", { p: people })).toBe("AnnCy");
    expect(render("{{ l | reject('odd') | list }} {{ l | unique | list }} {{ l | reverse | list }}", { l: [3, 1, 2, 1] })).toBe("[2] [3, 1, 2] [1, 2, 1, 3]");
    expect(render("{{ d | dictsort(by='value') }} {{ d | tojson }}", { d: { b: "x", a: "<y>" } })).toBe(String.raw`[('a', '<y>'), ('b', 'x')] {"a": "\u003cy\u003e", "b": "x"}`);
    expect(render("[{{ 'ab' | center(7) }}] {{ 'a\nb\n\nc' | indent(2) }}")).toBe("[   ab  ] a\n  b\n\n  c");
  });

  it("gives an iterator where Jinja gives one: true when empty, no length, walked once", () => {
    expect(render("{% if l | select('odd') %}yes{% endif %}", { l: [] })).toBe("yes");
    expect(() => render("{{ l | select | length }}", { l: [1] })).toThrow(TemplateTypeError);
    expect(render("{% set g = l | map('string') %}{{ g | join }}|{{ g | join }}", { l: [1, 2] })).toBe("12|");
  });

  it("scopes {% set %} as Jinja does: each loop pass starts from the outer value", () => {
    expect(render("{% set x = 0 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }},{% endfor %}{{ x }}")).toBe("1,2,0");
    expect(render("{{ x }}{% if false %}{% set x = 2 %}{% endif %}{{ x }}", { x: 9 })).toBe("99");
  });
});

describe("constructs outside the subset", () => {
  const cases: [string, string, string][] = [
    ["{{ lipsum }}", "reading `lipsum`", "lipsum"],
    ["{{ lipsum(2) }}", "calling `lipsum`", "("],
    ["{{ l | map('random') }}", "`map('random')`", "map"],
    ["{{ l | select('sameas', 1) }}", "the test `sameas` in `select`", "select"],
    ["{{ l | select(t) }}", "a test's name not written as a string", "select"],
    ["{% include 'x.html' %}", "the statement `{% include %}`", "include"],
    ["{% macro m(caller) %}{% endmacro %}", "a macro parameter named `caller`", "caller"],
    ["{{ 'a' + name | e }}", "`escape` whose result (Jinja's Markup", "e"],
    ["{% set x = name | escape %}", "`escape` whose result", "escape"],
    ["{{ [name | forceescape] }}", "`forceescape` whose result", "forceescape"],
    ["{{ l | map('e') | list }}", "`map('e')`", "map"],
    ["{{ s.encode('utf-8') }}", "calling `.encode(…)`", "encode"],
    ["{% if n is sameas m %}{% endif %}", "the test `is sameas`", "sameas"],
    ["{{ {1: 'a'} }}", "a dict key not written as a string", "1"],
    ["{{ {'b': 1, '2': 2} }}", "a dict whose keys of digits", "{'b': 1, '2': 2}"],
    ["{{ l[1:2, 3] }}", "a tuple of slices", ","],
    ["{{ l[1, 2] }}", "a tuple", ","],
    ["{% if 1 < n < 5 %}{% endif %}", "a chained comparison", "<"],
    ["{{ l | join(attribute='x', sep=', ') }}", "the argument `sep`", "sep"],
    ["{{ s | upper(1) }}", "a first argument to the filter `upper`", "1"],
    ["{% macro m(a, varargs) %}{% endmacro %}", "a macro parameter named `varargs`", "varargs"],
    ["{% call x.upper() %}{% endcall %}", "a `{% call %}` of a method", "x.upper()"],
  ];
  for (const [template, construct, token] of cases) {
    it(`rejects ${construct}, pointing at it`, () => {
      const error = refused(template);
      expect(error.kind).toBe("unsupported");
      expect(error.message).toContain(construct);
      expect(template.slice(error.start, error.end)).toContain(token);
    });
  }

  it("lists the filters `map` can call when it names another", () => {
    expect(refused("{{ l | map('random') }}").message).toContain(
      "supported filters: abs, attr, batch, capitalize, center, default, dictsort, filesizeformat, first, float, groupby, indent, int, items, join, last, length, list, lower, max, min, pprint, replace, reverse, round, slice, sort, string, striptags, sum, title, tojson, trim, truncate, unique, upper, urlencode, urlize, wordcount, wordwrap, xmlattr",
    );
  });

  const syntax: [string, string][] = [
    ["{{ name", "missing end of tag"],
    ["{% if x %}open", "has no `{% endif %}`"],
    ["{% endif %}", "without an open"],
    ["{% for x in l %}{% endif %}", "closes a `{% for %}` block"],
    ["{{ }}", "empty"],
    ["{{ a b }}", "unexpected `b`"],
    ["{% else %}", "outside"],
    ["{{ 'open }}", "missing end of tag"],
  ];
  for (const [template, message] of syntax) {
    it(`reports the syntax error in ${JSON.stringify(template)}`, () => {
      const error = refused(template);
      expect(error.kind).toBe("syntax");
      expect(error.message).toContain(message);
    });
  }
});

describe("the pass", () => {
  const flows = `
flows:
  greet:
    description: Greets the user.
    steps:
      - action: utter_greet
`;

  it("reports an unsupported construct at its line and column in the YAML, with every problem of the domain", () => {
    const result = compileStrings({
      flows,
      domain: `
responses:
  utter_greet:
    - text: "Hi {{ name | pprint(3) }}"
      metadata: {template: jinja}
    - text: "Bye {{ x.encode(3) }}"
      metadata:
        template: jinja
`,
    });
    expect(result.errors.map((e) => [e.code, e.range?.file.position(e.range.start).line, e.range?.file.position(e.range.start).column])).toEqual([
      ["FLW1061", 4, 34],
      ["FLW1061", 6, 23],
    ]);
    expect(result.errors[0]!.message).toContain("a first argument to the filter `pprint` is not supported");
  });

  it("points into block scalars and button payloads too", () => {
    const result = compileStrings({
      flows,
      domain: `
responses:
  utter_greet:
    - text: |
        Hello
        {{ lipsum }}
      buttons:
        - title: ok
          payload: "/SetSlots(x={{ lipsum(2) }})"
      metadata: {template: jinja}
`,
    });
    expect(result.errors.map((e) => [e.code, e.range?.file.position(e.range.start).line, e.range?.file.position(e.range.start).column])).toEqual([
      ["FLW1061", 6, 12],
      ["FLW1061", 9, 42],
    ]);
  });

  it("warns about namespaced placeholders only in format templates, and about `slots` only in Jinja ones", () => {
    const result = compileStrings({
      flows,
      domain: `
slots:
  name:
    type: text
responses:
  utter_greet:
    - text: "Hi {slots.name} {{ slots.name }}"
    - text: "Hi {slots.name} {{ name }}"
      metadata: {template: jinja}
`,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.range?.file.position(w.range.start).column])).toEqual([["FLW2032", 17]]);
  });

  it("leaves `{name}` placeholders of format templates alone, and accepts `template: format`", () => {
    const result = compileStrings({
      flows,
      domain: `
responses:
  utter_greet:
    - text: "Hi {name} {{ not jinja"
    - text: "Hi {name}"
      metadata: {template: format}
`,
    });
    expect(result.errors).toEqual([]);
  });

  it("warns of a `{name}` that is no slot but close to one, with the slot, and of no other name", () => {
    const domain = (text: string) => `
slots:
  order_id:
    type: text
responses:
  utter_greet:
    - text: "${text}"
      buttons:
        - title: "Track {order_idd}"
          payload: "/SetSlots(order_id=1)"
`;
    const result = compileStrings({ flows, domain: domain("Order {orderid}: {value}, {courier}, {{order_i}}") });
    expect(result.warnings.filter((w) => w.code === "FLW2039").map((w) => [toJson(w).line, w.suggestion])).toEqual([
      [7, "did you mean `{order_id}`?"],
      [9, "did you mean `{order_id}`?"],
    ]);
    expect(compileStrings({ flows, domain: domain("Order {order_id}").replace("{order_idd}", "{order_id}") }).warnings.map((w) => w.code)).not.toContain("FLW2039");
  });
});
