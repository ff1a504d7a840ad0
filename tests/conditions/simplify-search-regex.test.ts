/**
 * compiler/conditions/simplify-search-regex.ts: a `matches` pattern loses what cannot change
 * whether it matches somewhere, and nothing else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simplifyForSearch } from "../../compiler/conditions/simplify-search-regex.ts";

describe("simplifyForSearch", () => {
  it.each([
    ["\\p{Nd}{5}(-\\p{Nd}{4})?", "\\p{Nd}{5}"],
    ["[^\\n]*rasa[^\\n]*", "rasa"],
    ["colou?r", "colou?r"],
    ["ab?c*d{0,3}(?:e|f)*?", "a"],
    ["(a)(b)+", "(?:a)(?:b)+"],
    ["(?<year>\\d{4})-(?<month>\\d\\d)", "(?:\\d{4})-(?:\\d\\d)"],
    ["a?", ""],
    ["^[A-Z]{2}\\p{Nd}+(?=\\n?$)", "^[A-Z]{2}\\p{Nd}+(?=\\n?$)"],
    ["x[)(]?", "x"],
    ["a\\u{1F600}?", "a"],
    ["a\\uD83D\\uDE00?", "a"],
    ["\\(b\\)?", "\\(b"],
  ])("%s -> %s", (source, simplified) => {
    expect(simplifyForSearch(source)).toBe(simplified);
  });

  it("keeps patterns with backreferences, and trailing items after a top-level |, as they are", () => {
    expect(simplifyForSearch("(a)b?\\1c?")).toBe("(a)b?\\1c?");
    expect(simplifyForSearch("(?<q>['\"])x\\k<q>y*")).toBe("(?<q>['\"])x\\k<q>y*");
    expect(simplifyForSearch("(a)|b?")).toBe("(?:a)|b?");
  });

  it("never changes whether a pattern matches a text (random patterns and texts)", () => {
    const atom = fc.constantFrom("a", "b", ".", "\\p{Nd}", "[ab]", "[^a]", "\\n", "^", "$", "(?=a)", "(?<=b)", "(?!a)", "\\u{1F600}", "\\uD83D\\uDE00");
    const quantifier = fc.constantFrom("", "", "?", "*", "+", "{0,2}", "{2}", "{1,}", "??", "*?");
    const unbounded = /[*+]|\{1,\}/;
    const item: fc.Arbitrary<string> = fc.letrec<{ item: string; group: string }>((tie) => ({
      item: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.tuple(atom, quantifier).map(([a, q]) => (/^[$^]|^\(\?[=!<]/.test(a) ? a : a + q)), tie("group")),
      // A group whose contents repeat without bound is not itself repeated without bound: nested
      // unbounded repetition makes V8's backtracking exponential on some texts (one random run
      // took 100 s on CI). Repeated groups are still drawn, with bounded contents.
      group: fc
        .tuple(fc.constantFrom("(", "(?:", "(?<g>"), fc.array(tie("item"), { minLength: 1, maxLength: 3 }), fc.constantFrom("", "|b"), quantifier)
        .map(([open, items, alt, q]) => `${open}${items.join("")}${alt})${unbounded.test(items.join("")) && unbounded.test(q) ? "?" : q}`),
    })).item;
    const pattern = fc.tuple(fc.array(item, { minLength: 1, maxLength: 5 }), fc.constantFrom("", "|a")).map(([items, alt]) => items.join("").replace(/\(\?<g>/g, (m, at: number, all: string) => (all.indexOf("(?<g>") === at ? m : "(")) + alt);
    const text = fc.array(fc.constantFrom("a", "b", "1", "\n", "\u{1F600}", "x"), { maxLength: 8 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 6 }), (source, texts) => {
        let original: RegExp;
        try {
          original = new RegExp(source, "u");
        } catch {
          return; // a random pattern JavaScript refuses: not one the translation writes
        }
        const simplified = new RegExp(simplifyForSearch(source), "u");
        for (const t of texts) expect(simplified.test(t), `${source} on ${JSON.stringify(t)}`).toBe(original.test(t));
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
