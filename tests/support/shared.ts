/** Paths to the shared specification material that sits beside the repository (../shared). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";

export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));

export function readShared(path: string): string {
  return readFileSync(`${SHARED}${path}`, "utf8");
}

export interface ValidationCase {
  readonly name: string;
  readonly rule: string;
  readonly expect: "ok" | "error";
  readonly expect_rasa_3_12?: "ok" | "error";
  /** flowc's answer where it deliberately differs from Rasa 3.12 (it refuses what either 3.12 or the 3.14 baseline refuses); a `note` says why. */
  readonly expect_flowc?: "ok" | "error";
  readonly note?: string;
  readonly domain: string;
  readonly flows: string;
  readonly extra_flows_files?: readonly (string | { readonly path?: string; readonly flows?: string; readonly content?: string })[];
  /** tests/compiler/more-validation-cases.yml only: the code of an expected error. */
  readonly code?: string;
  /** tests/compiler/more-validation-cases.yml only: `file:line:col` an expected error points at. */
  readonly at?: string;
  /** more-validation-cases-2.yml only: the code of an expected warning. */
  readonly warning?: string;
  /** `file:line:col` the expected `warning` points at (more-validation-cases-28.yml on). */
  readonly warning_at?: string;
  /** The code of a warning the compile must not report, or a list of such codes (more-validation-cases-28.yml on). */
  readonly no_warning?: string | readonly string[];
}

export function validationCases(): ValidationCase[] {
  return load(readShared("validation/cases.yml"), { schema: CORE_SCHEMA }) as ValidationCase[];
}

/** The cases of tests/compiler/more-validation-cases.yml (same format, rules the shared ones miss). */
export function moreValidationCases(file = "more-validation-cases.yml"): ValidationCase[] {
  return load(readFileSync(new URL(`../compiler/${file}`, import.meta.url), "utf8"), { schema: CORE_SCHEMA }) as ValidationCase[];
}

/** A case's files, named as the validation tests name them. */
export function caseFiles(testCase: ValidationCase): Record<string, string> {
  const files: Record<string, string> = { "domain.yml": testCase.domain, "flows.yml": testCase.flows };
  (testCase.extra_flows_files ?? []).forEach((extra, index) => {
    files[`extra_${index}.yml`] = typeof extra === "string" ? extra : (extra.flows ?? extra.content ?? "");
  });
  return files;
}
