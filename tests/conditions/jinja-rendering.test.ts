/**
 * Jinja's rendering where flowc's subset had it differ, in condition templates (conditions.md
 * §7: default Jinja settings) and response templates: each case either renders as Jinja 3.1
 * does, or is refused at compile time — never a different text at run time.
 * - `title` is Jinja's own filter: the text split before runs of `-`, white space, `(`, `{`,
 *   `[`, `<`, each piece's first character upper case and the rest lower case (not Python's
 *   `str.title`, and not "after any non-letter").
 * - `capitalize` is Python's `str.capitalize`: the first character in title case.
 * - `trim` is Python's `str.strip()`.
 * - Literals print as Python's `str()`: `True`, `None`, a float literal `1.0` as `1.0`.
 */
import { describe, expect, it } from "vitest";
import { compileCondition } from "../../compiler/conditions/compile-condition.ts";
import { ConditionEvaluator } from "../../compiler/conditions/condition-function.ts";
import { render, refused } from "../support/templates.ts";

const evaluator = new ConditionEvaluator();

/** What a branch condition's template `{{ … }}` renders `value` as: read back by comparing. */
function rendersAs(hole: string, value: unknown, expected: string): boolean {
  const doc = { slots: { expected }, context: { v: value } };
  const result = evaluator.evaluate(`slots.expected = "${hole}"`, doc, "branch");
  expect(result).toMatchObject({ valid: true });
  return (result as { result: boolean }).result;
}

describe("condition templates", () => {
  it("title: Jinja's word split, not every non-letter", () => {
    expect(rendersAs("{{ context.v | title }}", "it's o'neil x_y a.b half-price (deal)", "It's O'neil X_y A.b Half-Price (Deal)")).toBe(true);
    expect(rendersAs("{{ context.v | title }}", "a\u0085b", "A\u0085B")).toBe(true);
  });

  it("capitalize: the first character in title case, astral characters whole", () => {
    expect(rendersAs("{{ context.v | capitalize }}", "\u01c6EMAL", "\u01c5emal")).toBe(true);
    expect(rendersAs("{{ context.v | capitalize }}", "\u00dfa", "Ssa")).toBe(true);
    expect(rendersAs("{{ context.v | capitalize }}", "\ufb01X", "Fix")).toBe(true);
    expect(rendersAs("{{ context.v | capitalize }}", "\u{10428}ABC", "\u{10400}abc")).toBe(true);
    expect(rendersAs("{{ context.v | capitalize }}", "\u1f80a", "\u1f88a")).toBe(true);
  });

  it("capitalize: a capital sigma after a letter, the first one included, lowers to the final ς", () => {
    // CPython's str.capitalize lowers the rest of the text in the context of the whole text
    // (its final-sigma rule sees the first character), so "ΑΣ" becomes "Ας"; Jinja's title
    // lowers each word's rest on its own, so "ΑΣ" stays "Ασ" there (found by the Python oracle).
    expect(rendersAs("{{ context.v | capitalize }}", "\u0391\u03a3 \u039f\u0394\u039f\u03a3", "\u0391\u03c2 \u03bf\u03b4\u03bf\u03c2")).toBe(true);
    expect(rendersAs("{{ context.v | capitalize }}", "\u03a3\u03a3", "\u03a3\u03c2")).toBe(true);
    expect(rendersAs("{{ context.v | title }}", "\u0391\u03a3", "\u0391\u03c3")).toBe(true);
    expect(render("{{ x | capitalize }}", { x: "T\u03a3" })).toBe("T\u03c2");
  });

  it("trim: Python's white space", () => {
    expect(rendersAs("{{ context.v | trim }}", "\x1c hi \x85", "hi")).toBe(true);
    expect(rendersAs("{{ context.v | trim }}", "\ufeffhi", "\ufeffhi")).toBe(true);
  });

  it("literals print as Python's str()", () => {
    expect(rendersAs("{{ true }} {{ True }} {{ none }} {{ None }} {{ false }}", null, "True True None None False")).toBe(true);
    expect(rendersAs("{{ 1.0 }} {{ 2.50 }} {{ -0.0 }} {{ 7 }}", null, "1.0 2.5 -0.0 7")).toBe(true);
    expect(rendersAs("{{ 12345678901234567890 }}", null, "12345678901234567890")).toBe(true);
  });

  it("unescapes a string literal as Jinja does", () => {
    // Jinja: Template(r"{{ 'a\tb' }}").render() is "a<TAB>b".
    expect(compileCondition(String.raw`slots.x = "{{ 'a\tb' }}"`, "branch").ok).toBe(true);
    expect(rendersAs(String.raw`{{ 'a\tb' }}`, null, "a\tb")).toBe(true);
  });
});

describe("response templates", () => {
  it("title splits at Python's white space", () => {
    expect(render("{{ s | title }}", { s: "a\u0085b c\ufeffd" })).toBe("A\u0085B C\ufeffd");
  });

  it("renders literals as Python's str(): True, None, floats that are not whole", () => {
    expect(render("{{ true }} {{ None }} {{ 2.5 }} {{ -3 }}")).toBe("True None 2.5 -3");
  });

  it("prints a whole float literal as Python's float and refuses an int literal JavaScript would round", () => {
    // Jinja parses `1.0` and `2e3` as Python floats: str(1.0) is '1.0', str([1.0]) is '[1.0]'
    expect(render("{{ 1.0 }}", {})).toBe("1.0");
    expect(render("{{ [1.0] }}", {})).toBe("[1.0]");
    expect(render("{{ x | default(2e3) }}", {})).toBe("2000.0");
    expect(render("{{ x or 0.0 }}", {})).toBe("0.0");
    expect(refused("{{ 12345678901234567890 }}").kind).toBe("unsupported");
    // Compared, a whole float is the int it equals.
    expect(render("{% if n >= 100.0 %}big{% else %}small{% endif %}", { n: 100 })).toBe("big");
    expect(render("{{ n == 1.0 }}", { n: 1 })).toBe("True");
  });
});

describe("texts ordered by code point, as Python orders them", () => {
  // conditions.md §6.4 "str vs str: by Unicode code point (Python), not UTF-16 units", and the
  // same in Jinja templates: a character beyond U+FFFF comes after U+E000–U+FFFF, and a lone
  // surrogate (a code point of its own to Python) before both. Found by the Python oracle.
  const pairs: [string, string][] = [
    ["\ue000", "\u{1f600}"],
    ["\uffff", "\u{10000}"],
    ["\ude00", "\ue000"],
    ["\ude00", "\u{1f600}"],
    ["\ud83dx", "\u{1f600}"],
    ["a\ud83d", "a\ud83dx"],
  ];

  it("in conditions", () => {
    for (const [low, high] of pairs) {
      const doc = { slots: { low, high } };
      expect(evaluator.evaluate("slots.low < slots.high", doc, "branch"), JSON.stringify([low, high])).toMatchObject({ valid: true, result: true });
      expect(evaluator.evaluate("slots.high < slots.low", doc, "branch"), JSON.stringify([low, high])).toMatchObject({ valid: true, result: false });
    }
  });

  it("in response templates: comparisons, min and max", () => {
    for (const [low, high] of pairs) {
      expect(render("{{ x < y }} {{ y < x }}", { x: low, y: high }), JSON.stringify([low, high])).toBe("True False");
      expect(render("{{ [y, x] | min == x }} {{ [x, y] | max == y }}", { x: low, y: high })).toBe("True True");
    }
    expect(render("{{ x | max }}", { x: "\u{1fbf2}\ude39*" })).toBe("\u{1fbf2}");
  });
});
