/**
 * The compiled code of condition templates beyond plain holes (conditions.md §7: Rasa renders
 * the condition with Jinja's default settings): nested `{% if %}` blocks, filters with
 * arguments, `in` and `not in`, `~`, subscripts, comparisons of two values, arithmetic, the
 * inline `if`, `{% set %}` and `{% for %}`, run as generated modules run them. Each expected text is what Jinja2 3.1.6
 * renders for the template, checked with the real Jinja (the oracle cases in
 * jinja-oracle-cases.test.ts check the same pieces on random templates).
 */
import { describe, expect, it } from "vitest";
import { compileCondition } from "../../compiler/conditions/compile-condition.ts";
import { ConditionEvaluator, instantiate } from "../../compiler/conditions/condition-function.ts";

const evaluator = new ConditionEvaluator();

/** Whether the branch condition `slots.r = "<template>"` holds with `context` when `r` is `expected`: the template renders as `expected`. */
function rendersAs(template: string, context: Record<string, unknown>, expected: string): boolean {
  const result = evaluator.evaluate(`slots.r = "${template}"`, { slots: { r: expected }, context }, "branch");
  expect(result).toMatchObject({ valid: true });
  return (result as { result: boolean }).result;
}

describe("condition templates with the response templates' expressions", () => {
  it("nested {% if %} blocks: a nested test is read only where its branch is taken", () => {
    const template = "{% if context.n > 2 %}{% if context.k in ['a', 'b'] %}A{% else %}B{% endif %}{% else %}C{% endif %}";
    expect(rendersAs(template, { n: 3, k: "a" }, "A")).toBe(true);
    expect(rendersAs(template, { n: 3, k: "z" }, "B")).toBe(true);
    expect(rendersAs(template, { n: 1, k: "a" }, "C")).toBe(true);
    // Jinja: `{% if false %}{% if context.a.b %}…` never reads `context.a.b`, which would raise.
    expect(rendersAs("{% if context.n > 5 %}{% if context.a.b %}X{% endif %}{% else %}Y{% endif %}", { n: 1 }, "Y")).toBe(true);
  });

  it("filters with arguments and `~`", () => {
    const template = "{{ context.name | default('anon') | replace('a', 'A') ~ '!' }}";
    expect(rendersAs(template, {}, "Anon!")).toBe(true);
    expect(rendersAs(template, { name: "sara" }, "sArA!")).toBe(true);
  });

  it("subscripts", () => {
    expect(rendersAs("{{ context['xs'][1] }}|{{ context.xs[-1] }}", { xs: ["p", "q", "r"] }, "q|r")).toBe(true);
  });

  it("arithmetic, tests and the inline if", () => {
    const template = "{{ context.a * 2 + 1 if context.a is number else 'x' }}";
    expect(rendersAs(template, { a: 4 }, "9")).toBe(true);
    expect(rendersAs(template, { a: "s" }, "x")).toBe(true);
    expect(rendersAs(template, { a: 2.5 }, "6.0")).toBe(true);
  });

  it("comparisons of two values and `not in`", () => {
    const template = "{% if context.a < context.b %}lt{% elif context.a not in context.b %}out{% else %}in{% endif %}";
    expect(rendersAs(template, { a: 1, b: 2 }, "lt")).toBe(true);
    expect(rendersAs(template, { a: "x", b: "abc" }, "out")).toBe(true);
    expect(rendersAs(template, { a: "b", b: "abc" }, "in")).toBe(true);
  });

  it("the response templates' methods, globals, slices, dict literals, ** and loop filters, and a namespace set in a loop", () => {
    // (The texts are Jinja2 3.1.6's renderings of the same templates.)
    expect(rendersAs("{{ context.name.upper()[:2] ~ (2 ** 3) }}", { name: "bob" }, "BO8")).toBe(true);
    expect(rendersAs("{% set ns = namespace(a=1) %}{% for i in range(4) if i is odd %}{% set ns.a = ns.a + i %}{% endfor %}{{ ns.a }}", {}, "5")).toBe(true);
    expect(rendersAs("{{ {'x': context.n}.x * 2 }}|{{ context.xs[::-1] | join }}", { n: 3, xs: ["a", "b", "c"] }, "6|cba")).toBe(true);
    expect(rendersAs("{{ range(context.n) | sum }}{{ dict(a=1).get('b', 'z') }}", { n: 4 }, "6z")).toBe(true);
  });

  it("refuses a namespace's attribute set outside a loop, which the condition's own walk does not run", () => {
    const compilation = compileCondition("{% set ns = namespace(a=1) %}{% set ns.a = 2 %}slots.r == {{ ns.a }}", "branch");
    expect(compilation.ok).toBe(false);
    expect(!compilation.ok && compilation.error.message).toMatch(/set ns\.name = … %}` outside a `{% for %}` loop is not supported in conditions/);
  });

  it("an attribute of an undefined value raises, and a type error too: the condition is invalid", () => {
    expect(evaluator.evaluate('slots.r = "{{ context.a.b }}"', { slots: {}, context: {} }, "branch")).toMatchObject({ valid: false });
    expect(evaluator.evaluate("slots.r = \"{{ context.a + 1 }}\"", { slots: {}, context: { a: "s" } }, "branch")).toMatchObject({ valid: false });
  });

  it("a float slot's whole number stays a Python float through arithmetic in a rejection", () => {
    // Jinja: Template("{{ slots.age + 1 }}|{{ slots.age // 5 }}|{{ slots }}").render({"slots": {"age": 18.0}}) is "19.0|3.0|{'age': 18.0}".
    const compilation = compileCondition(`"{{ slots.age + 1 }}|{{ slots.age // 5 }}|{{ slots }}" = "19.0|3.0|{'age': 18.0}"`, "rejection", { floatSlot: "age" });
    expect(compilation.ok).toBe(true);
    if (compilation.ok) expect(instantiate(compilation.compiled)({ age: 18 }, undefined)).toBe(true);
  });

  it("{% set %}: later reads see the value, earlier ones the name's value before it, a set in a branch only where it is taken", () => {
    const doubled = "{% set x = context.a * 2 %}{% if x > 5 %}big {{ x }}{% else %}small{% endif %}";
    expect(rendersAs(doubled, { a: 3 }, "big 6")).toBe(true);
    expect(rendersAs(doubled, { a: 2 }, "small")).toBe(true);
    const branch = "{% set x = 'a' %}{% if context.b %}{% set x = 'b' %}{% endif %}{{ x }}";
    expect(rendersAs(branch, { b: 1 }, "b")).toBe(true);
    expect(rendersAs(branch, {}, "a")).toBe(true);
    expect(rendersAs("{{ x }}{% set x = 1 %}{{ x }}|{{ context }}{% set context = 5 %}{{ context }}", {}, "1|{}5")).toBe(true);
    expect(rendersAs("{% set a, b = context.pair %}{{ b }}-{{ a }}", { pair: ["p", "q"] }, "q-p")).toBe(true);
  });

  it("more `{% if %}` blocks than flowc compiles one text for each way through: the text is rendered whole and read at run time", () => {
    // Nine blocks one after another: 512 ways. Jinja renders `slots.r = 'ab…'` from the letters the tests choose.
    const blocks = Array.from({ length: 9 }, (_, i) => `{% if context.a${i} %}${i}{% else %}-{% endif %}`).join("");
    const compilation = compileCondition(`slots.r = '${blocks}'`, "branch");
    expect(compilation.ok).toBe(true);
    expect(evaluator.evaluate(`slots.r = '${blocks}'`, { slots: { r: "-1-3-----" }, context: { a1: true, a3: 1 } }, "branch")).toMatchObject({ valid: true, result: true });
  });

  it("a hole printing a brace: spliced in at run time, where pypred reads it as Jinja left it", () => {
    // Jinja: `{{ '{' }}'a' 'b'{{ '}' }} contains slots.x` renders `{'a' 'b'} contains slots.x`.
    const set = "{{ '{' }}'a' 'b'{{ '}' }} contains slots.x";
    expect(evaluator.evaluate(set, { slots: { x: "a" }, context: {} }, "branch")).toMatchObject({ valid: true, result: true });
    expect(evaluator.evaluate(set, { slots: { x: "c" }, context: {} }, "branch")).toMatchObject({ valid: true, result: false });
    // Jinja: `"{{ '{{slots.age}}' }}" = "{{ '{{' }}slots.age}}"` renders `"{{slots.age}}" = "{{slots.age}}"`.
    expect(evaluator.evaluate(`"{{ '{{slots.age}}' }}" = "{{ '{{' }}slots.age}}"`, { slots: {}, context: {} }, "branch")).toMatchObject({ valid: true, result: true });
  });

  it("{% for %}: the loop prints its text where it stands, with `loop`, `else`, and a set inside the loop its own", () => {
    const list = "{% for x in context.xs %}{{ x }}{% if not loop.last %},{% endif %}{% else %}none{% endfor %}";
    expect(rendersAs(list, { xs: ["a", "b"] }, "a,b")).toBe(true);
    expect(rendersAs(list, { xs: [] }, "none")).toBe(true);
    expect(rendersAs(list, {}, "none")).toBe(true);
    // Jinja: a `{% set %}` inside the loop does not change the name outside it.
    expect(rendersAs("{% set n = 0 %}{% for k, v in context.d.items() %}{% set n = n + v %}{{ k }}={{ v * 2 }};{% endfor %}{{ n }}", { d: { a: 1, b: 2 } }, "a=2;b=4;0")).toBe(true);
  });
  it("dict() of an undefined value raises, and an escaped text counted is a number wherever it is used", () => {
    // Jinja: dict(context.d) looks up the undefined value's `keys`: UndefinedError, so the branch is not taken.
    expect(rendersAs("{{ dict(context.d)|length }}", { d: { a: 1 } }, "1")).toBe(true);
    expect(evaluator.evaluate(`slots.r = "{{ dict(context.d)|length }}"`, { slots: { r: "0" }, context: {} }, "branch")).toMatchObject({ valid: false });
    // Jinja: `(context.s|e|length) + 1` is 12 for `<a> b` (`&lt;a&gt; b`): length makes Markup a number.
    expect(rendersAs("{{ (context.s|e|length) + 1 }}/{{ context.s|forceescape|wordcount > 1 }}", { s: "<a> b" }, "12/True")).toBe(true);
  });
  it("a {% for %} hole's own variables do not hide the condition's {% set %} names, `%` takes a range for a mapping, a set global's name is the value set", () => {
    // Jinja: the loop reads the outer `ns` until its own `{% set ns %}`; the template renders as nothing.
    const loop = "{% set x = 1 %}{% set ns = namespace(t=0) %}{% for v in range(3) %}{% set ns.t = 1 %}{% set ns = namespace(t=0) %}{% endfor %}{{ ns.t }}";
    expect(rendersAs(loop, {}, "1")).toBe(true);
    // Jinja: a range has `__getitem__`, so `'abc' % range(3)` formats nothing and raises nothing.
    expect(rendersAs("{{ 'abc' % range(3) }}/{{ 'a%sc' % range(2) }}", {}, "abc/arange(0, 2)c")).toBe(true);
    // Jinja: `{% set range = 1 %}{{ range(3) }}` calls the 1: a TypeError, so the branch is not taken (flowc printed range(0, 3), computed when it compiled).
    expect(evaluator.evaluate(`slots.r = "{% set range = 1 %}{{ range(3) }}"`, { slots: { r: "range(0, 3)" }, context: {} }, "branch")).toMatchObject({ valid: false });
  });
  it("a Jinja global read as a value, not called, is refused: Jinja's is defined and prints as its class", () => {
    // Jinja: `{{ range }}` prints `<class 'range'>`, `{{ dict is defined }}` is `True`; flowc has no such value.
    for (const text of ["slots.r = '{{ range }}'", "{% if dict is defined %}x{% endif %} = 1", "{% for v in [1] %}{{ cycler }}{% endfor %} = 1"]) {
      expect(compileCondition(text, "branch")).toMatchObject({ ok: false, error: { kind: "unsupported" } });
    }
    // A name a `{% set %}` or a loop assigns is that value.
    expect(rendersAs("{% set range = 'r' %}{{ range }}{% for dict in [1] %}{{ dict }}{% endfor %}", {}, "r1")).toBe(true);
  });
});
