/** Type-checking generated code in tests, under the settings the README promises it passes. */
import { relative } from "node:path";
import ts from "typescript";

/**
 * The diagnostics of a program of `roots` (and what they import), as `file: message` relative to
 * `base`; `overrides` change the settings (an application's own, such as plain `strict`).
 */
export function typeCheck(roots: readonly string[], base: string, overrides: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram(roots, {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    verbatimModuleSyntax: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: [],
    skipLibCheck: true,
    ...overrides,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    return `${d.file ? relative(base, d.file.fileName).split("\\").join("/") : ""}${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}
