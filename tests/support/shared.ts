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
  readonly note?: string;
  readonly domain: string;
  readonly flows: string;
  readonly extra_flows_files?: readonly (string | { readonly path?: string; readonly flows?: string; readonly content?: string })[];
}

export function validationCases(): ValidationCase[] {
  return load(readShared("validation/cases.yml"), { schema: CORE_SCHEMA }) as ValidationCase[];
}
