/**
 * The example assistant's own e2e tests (e2e_tests/, one or more test cases per flow:
 * corrections, a cancellation, an interruption with return, digressions blocked and
 * confirmed) pass through `flowc test`, as the README tells users to run them, and run every
 * step and every branch of every user flow of the example (`flowc test --coverage`).
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

  it("exercise every step and every branch of every user flow", async () => {
    const out: string[] = [];
    const code = await main(["test", "e2e_tests", "--project", "flows", "--coverage", "--format", "json"], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(code, out.join("\n")).toBe(0);
    type Count = { covered: number; total: number; pct: number };
    const { coverage } = JSON.parse(out.join("\n")) as { coverage: { flows: { flow: string; steps: Count; branches: Count; uncovered: unknown[] }[]; total: { steps: Count; branches: Count } } };
    expect(coverage.flows.map((flow) => flow.flow).sort()).toEqual(["add_recipient", "check_balance", "feedback", "replace_card", "shop_for_dress", "track_dress_order", "transfer_money"]);
    for (const flow of coverage.flows) {
      expect(flow.uncovered, flow.flow).toEqual([]);
      expect([flow.steps.pct, flow.branches.pct], flow.flow).toEqual([100, 100]);
    }
    expect(coverage.total.steps.total).toBeGreaterThanOrEqual(40);
    expect(coverage.total.branches.total).toBeGreaterThanOrEqual(20);
    expect(coverage.total.steps.covered).toBe(coverage.total.steps.total);
    expect(coverage.total.branches.covered).toBe(coverage.total.branches.total);
  });
});
