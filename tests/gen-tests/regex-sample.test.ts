/** Strings that simple regular expressions match (for `matches` conditions), checked with the regex itself. */
import { describe, expect, it } from "vitest";
import { sampleMatch } from "../../compiler/gen-tests/regex-sample.ts";

describe("sampleMatch", () => {
  const cases: [string, RegExp][] = [
    ["^[A-Z]{2}[0-9]{6}$", /^[A-Z]{2}[0-9]{6}$/],
    ["(stolen|theft|fraud)", /(stolen|theft|fraud)/],
    ["^\\d+(\\.\\d{1,2})?$", /^\d+(\.\d{1,2})?$/],
    ["^[^@ ]+@[^@ ]+\\.[a-z]{2,}$", /^[^@ ]+@[^@ ]+\.[a-z]{2,}$/],
    ["^(?:DE|AT)\\d{20}$", /^(?:DE|AT)\d{20}$/],
    ["^\\w+-\\w*$", /^\w+-\w*$/],
  ];
  for (const [pattern, regex] of cases) {
    it(`matches ${pattern}`, () => {
      const sample = sampleMatch(pattern);
      expect(sample).toBeDefined();
      expect(regex.test(sample!)).toBe(true);
    });
  }

  it("drops an inline flag group", () => {
    expect(sampleMatch("(?i)(yes|yeah)")).toBe("yes");
  });

  it("gives nothing for what it cannot sample", () => {
    expect(sampleMatch("(?=a)b")).toBeUndefined();
    expect(sampleMatch("(a)\\1")).toBeUndefined();
  });
});
