/**
 * Every worked case of shared/validation/cases.yml: the assistant must compile (`ok`) or fail
 * with at least one error (`error`); `expect_rasa_3_12` wins where present, since flowc
 * follows Rasa 3.12.
 */
import { describe, expect, it } from "vitest";
import { compileStrings } from "../support/compile.ts";
import { validationCases } from "../support/shared.ts";

describe("shared validation cases", () => {
  const cases = validationCases();

  it("has cases to run", () => {
    expect(cases.length).toBeGreaterThan(50);
  });

  for (const testCase of cases) {
    const expected = testCase.expect_rasa_3_12 ?? testCase.expect;
    it(`${testCase.name} (${testCase.rule}) is ${expected}`, () => {
      const files: Record<string, string> = { "domain.yml": testCase.domain, "flows.yml": testCase.flows };
      (testCase.extra_flows_files ?? []).forEach((extra, index) => {
        files[`extra_${index}.yml`] = typeof extra === "string" ? extra : (extra.flows ?? extra.content ?? "");
      });
      const result = compileStrings(files);
      const summary = result.errors.map((d) => `${d.code} ${d.message}`);
      if (expected === "ok") expect(summary).toEqual([]);
      else expect(summary.length).toBeGreaterThan(0);
    });
  }
});
