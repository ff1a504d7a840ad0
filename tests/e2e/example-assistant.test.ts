/**
 * The example assistant's own e2e tests (e2e_tests/, one or more test cases per flow:
 * corrections, a cancellation, an interruption with return, digressions blocked and
 * confirmed) pass through `flowc test`, as the README tells users to run them.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../compiler/cli.ts";

describe("the example assistant's e2e tests", () => {
  it("all pass against the compiled example", async () => {
    const out: string[] = [];
    const code = await main(["test", "e2e_tests", "--project", "flows"], { out: (t) => out.push(t), err: (t) => out.push(t) });
    const text = out.join("\n");
    expect(text).toMatch(/^\d+ passed, 0 failed$/m);
    expect(Number(/^(\d+) passed/m.exec(text)?.[1])).toBeGreaterThanOrEqual(20);
    expect(code, text).toBe(0);
  });
});
