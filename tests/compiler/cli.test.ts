/**
 * The CLI contract of design §3.1 for `flowc compile`: text and JSON output, exit codes,
 * and the example assistant compiling cleanly. Runs `main` in process; the malformed-input
 * test runs the real binary.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { project, run } from "../support/cli.ts";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";


const DOMAIN = `
slots:
  amount:
    type: float
responses:
  utter_ask_amount:
    - text: How much?
`;

const BROKEN_FLOWS = `flows:
  send_money:
    description: Sends money.
    steps:
      - collect: amount
        next: confirm
`;

describe("flowc compile", () => {
  it("checks the example assistant with no errors and no warnings", async () => {
    const result = await run(["compile", "flows", "--no-emit", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ errors: [], warnings: [] });
  });

  it("defaults to flows/ and reports how many flows it checked", async () => {
    const result = await run(["compile", "--no-emit"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^checked \d+ flows: 0 errors, 0 warnings$/m);
  });

  it("prints file:line:col, the code, an excerpt with carets and a suggestion", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": BROKEN_FLOWS });
    const result = await run(["compile", "."], dir);
    expect(result.code).toBe(1);
    const lines = result.out.split("\n");
    const header = lines.findIndex((l) => l.startsWith("flows.yml:6:15: error FLW2001:"));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe("6 |         next: confirm");
    expect(lines[header + 2]).toBe("  |               ^^^^^^^");
    expect(result.out).toContain("1 error, 0 warnings");
  });

  it("writes JSON diagnostics with 1-based positions", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": BROKEN_FLOWS });
    const result = await run(["compile", ".", "--format", "json"], dir);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out) as { errors: Record<string, unknown>[]; warnings: unknown[] };
    expect(json.errors).toEqual([
      expect.objectContaining({ code: "FLW2001", severity: "error", file: "flows.yml", line: 6, column: 15, endLine: 6, endColumn: 22, flow: "send_money", step: "send_money_0_collect_amount" }),
    ]);
  });

  it("counts warnings as errors with --strict", async () => {
    const flows = `flows:
  helper:
    description: Never started.
    if: False
    steps:
      - collect: amount
`;
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": flows });
    const relaxed = await run(["compile", ".", "--format", "json"], dir);
    expect(relaxed.code).toBe(0);
    expect((JSON.parse(relaxed.out) as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toEqual([Diagnostics.unusedFlow.code]);
    const strict = await run(["compile", ".", "--strict", "--format", "json"], dir);
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.out) as { errors: { code: string; severity: string }[] }).errors).toEqual([expect.objectContaining({ code: Diagnostics.unusedFlow.code, severity: "error" })]);
  });

  it("exits with 2 on a path that cannot be read", async () => {
    const dir = project({});
    const result = await run(["compile", "missing", "--format", "json"], dir);
    expect(result.code).toBe(2);
    expect((JSON.parse(result.out) as { errors: { code: string }[] }).errors[0]?.code).toBe(Diagnostics.cannotRead.code);
  });

  it("exits with 2 on usage errors", async () => {
    expect((await run(["compile", "--format", "xml"])).code).toBe(2);
    expect((await run(["compile", "--bogus"])).code).toBe(2);
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(["--help"])).code).toBe(0);
  });
});

describe("README", () => {
  it("lists every diagnostic code", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const missing = Object.values(Diagnostics).map((d) => d.code).filter((code) => !readme.includes(`| ${code} |`));
    expect(missing).toEqual([]);
  });
});

describe("flowc eval", () => {
  it("evaluates one condition on a document", async () => {
    const result = await run(["eval", "slots.age < 18 and not slots.vip", "--doc", '{"slots": {"age": 17, "vip": false}}']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ valid: true, result: true, error: null });
  });

  it("reports an invalid condition and an evaluation that raises", async () => {
    expect(JSON.parse((await run(["eval", "slots.age <"])).out)).toMatchObject({ valid: false, result: null });
    expect(JSON.parse((await run(["eval", "slots.name > 1", "--doc", '{"slots": {"name": "Alice"}}'])).out)).toMatchObject({ valid: true, result: null });
  });

  it("renders Jinja holes at branch sites only", async () => {
    const doc = '{"context": {"collect": "age"}, "slots": {"age": 30}}';
    expect(JSON.parse((await run(["eval", "slots.{{context.collect}} is not null", "--doc", doc, "--site", "branch"])).out)).toMatchObject({ valid: true, result: true });
    expect(JSON.parse((await run(["eval", "slots.{{context.collect}} is not null", "--doc", doc, "--site", "guard"])).out)).toMatchObject({ valid: false });
  });

  it("rejects bad usage", async () => {
    expect((await run(["eval"])).code).toBe(2);
    expect((await run(["eval", "true", "--doc", "{nope"])).code).toBe(2);
    expect((await run(["eval", "true", "--site", "nowhere"])).code).toBe(2);
  });
});
