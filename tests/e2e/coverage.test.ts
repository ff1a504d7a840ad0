/**
 * `flowc test --coverage`: per user flow, the steps and branches the test cases exercised,
 * and the `file:line` of each one they did not; a collect step counts once reached even
 * when its slot is already filled; a step reached through `call` counts for the called flow;
 * patterns are not counted; the closing `N passed, N failed` line stays the last.
 */
import { describe, expect, it } from "vitest";
import { computeCoverage, coverageRecorder, formatItem, formatPct } from "../../compiler/e2e/coverage.ts";
import type { CompiledAssistant, Flow } from "../../runtime/model.ts";
import { project, run } from "../support/cli.ts";

const DOMAIN = `slots:
  amount:
    type: float
  name:
    type: text
responses:
  utter_ask_amount:
    - text: How much?
  utter_ask_name:
    - text: Who?
  utter_big:
    - text: Big.
  utter_done:
    - text: Done.
`;

// Line numbers matter: the report points at them (a step's line is that of its `action:`,
// `collect:` or `call:` key).
const FLOWS = `flows:
  pay:
    description: Pay someone.
    steps:
      - id: ask_amount
        collect: amount
        next:
          - if: slots.amount > 100
            then:
              - id: big
                action: utter_big
                next: END
          - else:
              - id: ask_who
                call: who
                next: done
      - id: done
        action: utter_done
  who:
    if: False
    description: Ask who.
    steps:
      - id: ask_name
        collect: name
`;

// The amount comes with the start: the collect step is reached but asks nothing.
const SMALL = `test_cases:
  - test_case: small_amount
    steps:
      - user: pay 5
        commands: [start flow pay, set slot amount 5]
      - utter: utter_ask_name
      - user: Ann
        commands: [set slot name Ann]
      - utter: utter_done
      - utter: utter_can_do_something_else
`;

const BIG = `test_cases:
  - test_case: big_amount
    steps:
      - user: pay
        commands: [start flow pay]
      - utter: utter_ask_amount
      - user: "500"
        commands: [set slot amount 500]
      - utter: utter_big
      - utter: utter_can_do_something_else
`;

describe("flowc test --coverage", () => {
  const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "e2e/small.yml": SMALL, "e2e/big.yml": BIG });

  it("lists the steps and branches no test case exercised, with their lines", async () => {
    const { code, out } = await run(["test", "e2e/small.yml", "--project", "domain.yml", "--project", "flows.yml", "--coverage"], dir);
    expect(out.split("\n")).toEqual([
      "passed: small_amount",
      "coverage of the user flows:",
      "  pay (flows.yml:2): steps 3/4 (75%), branches 1/2 (50%)",
      "    flows.yml:8  pay ask_amount branch if slots.amount > 100",
      "    flows.yml:11  pay big",
      "  who (flows.yml:19): steps 1/1 (100%), branches 0/0 (100%)",
      "  total: steps 4/5 (80%), branches 1/2 (50%)",
      "1 passed, 0 failed",
    ]);
    expect(code).toBe(0);
  });

  it("points an `else` that never ran at its own line", async () => {
    const { out } = await run(["test", "e2e/big.yml", "--project", "domain.yml", "--project", "flows.yml", "--coverage"], dir);
    expect(out).toContain("  pay (flows.yml:2): steps 2/4 (50%), branches 1/2 (50%)\n");
    expect(out).toContain("    flows.yml:13  pay ask_amount branch else\n");
    expect(out).toContain("    flows.yml:15  pay ask_who\n    flows.yml:18  pay done\n");
    expect(out).toContain("  who (flows.yml:19): steps 0/1 (0%), branches 0/0 (100%)\n    flows.yml:24  who ask_name\n");
    expect(out).toContain("  total: steps 2/5 (40%), branches 1/2 (50%)\n");
  });

  it("adds up over all test cases, and reports full coverage", async () => {
    const { code, out } = await run(["test", "e2e", "--project", "domain.yml", "--project", "flows.yml", "--coverage"], dir);
    expect(out).toContain("  pay (flows.yml:2): steps 4/4 (100%), branches 2/2 (100%)\n  who (flows.yml:19)");
    expect(out).toContain("  total: steps 5/5 (100%), branches 2/2 (100%)\n2 passed, 0 failed");
    expect(out).not.toContain("pattern_");
    expect(out.split("\n").at(-1)).toBe("2 passed, 0 failed");
    expect(code).toBe(0);
  });

  it("gives the same figures as a `coverage` object in JSON", async () => {
    const { out } = await run(["test", "e2e/small.yml", "--project", "domain.yml", "--project", "flows.yml", "--coverage", "--format", "json"], dir);
    const report = JSON.parse(out) as { passed: number; coverage: { flows: unknown[]; total: unknown } };
    expect(report.passed).toBe(1);
    expect(report.coverage.flows[0]).toEqual({
      flow: "pay",
      file: "flows.yml",
      line: 2,
      steps: { covered: 3, total: 4, pct: 75 },
      branches: { covered: 1, total: 2, pct: 50 },
      uncovered: [
        { kind: "branch", flow: "pay", step: "ask_amount", branch: "if slots.amount > 100", index: 0, file: "flows.yml", line: 8 },
        { kind: "step", flow: "pay", step: "big", file: "flows.yml", line: 11 },
      ],
    });
    expect(report.coverage.total).toEqual({ steps: { covered: 4, total: 5, pct: 80 }, branches: { covered: 1, total: 2, pct: 50 } });
  });

  it("reports nothing about coverage without the flag", async () => {
    const { out } = await run(["test", "e2e/small.yml", "--project", "domain.yml", "--project", "flows.yml"], dir);
    expect(out).not.toContain("coverage");
    const json = await run(["test", "e2e/small.yml", "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
    expect(JSON.parse(json.out)).not.toHaveProperty("coverage");
  });
});

describe("computeCoverage", () => {
  const never = { source: "slots.x", location: "f.yml:9", test: () => false };
  const flow = (id: string, isPattern: boolean) =>
    ({
      id,
      name: id,
      description: "",
      location: `f.yml:${isPattern ? 1 : 2}`,
      isPattern,
      startableOnlyViaLink: false,
      alwaysIncludeInPrompt: false,
      nluTrigger: [],
      persistedSlots: [],
      runPatternCompleted: true,
      start: "a",
      steps: {
        a: { id: "a", location: "f.yml:5", kind: "noop", next: { kind: "branch", branches: [{ condition: never, to: "b" }, { condition: never, to: "c" }], otherwise: "END" } },
        b: { id: "b", location: "f.yml:12", kind: "action", action: "utter_b", next: { kind: "static", to: "END" } },
        c: { id: "c", location: "f.yml:14", kind: "link", flow: "other" },
      },
      collects: [],
      sets: [],
    }) as unknown as Flow;
  const assistant = { flows: { main: flow("main", false), pattern_x: flow("pattern_x", true) } } as unknown as CompiledAssistant;

  it("counts what the recorder saw, leaves patterns out, and puts an else without IR on its step's line", () => {
    const recorder = coverageRecorder();
    recorder.step("main", "a");
    recorder.branch("main", "a", 2);
    recorder.step("main", "c");
    recorder.step("pattern_x", "b");
    const report = computeCoverage(assistant, recorder);
    expect(report.flows.map((f) => f.flowId)).toEqual(["main"]);
    expect(report.total.steps).toEqual({ covered: 2, total: 3, pct: (2 / 3) * 100 });
    expect(report.total.branches).toEqual({ covered: 1, total: 3, pct: (1 / 3) * 100 });
    expect(report.flows[0]!.uncovered.map(formatItem)).toEqual(["f.yml:9  main a branch if slots.x", "f.yml:9  main a branch if slots.x", "f.yml:12  main b"]);
    expect(report.flows[0]!.items.find((item) => item.label === "else")).toMatchObject({ file: "f.yml", line: 5, covered: true });
  });

  it("rounds percentages down, so that only full coverage reads 100%", () => {
    expect([formatPct(100), formatPct(50), formatPct((2 / 3) * 100), formatPct(99.96), formatPct(0)]).toEqual(["100%", "50%", "66.6%", "99.9%", "0%"]);
  });
});
