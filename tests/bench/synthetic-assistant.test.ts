import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileFlows } from "../../compiler/api.ts";
import { formatText } from "../../compiler/diagnostics/format.ts";
import { generateAssistant } from "../../bench/synthetic-assistant.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = { [key: string]: Json };
type Branch = { if?: Json; then?: Json; else?: Json };

interface Usage {
  steps: number;
  kinds: Set<string>;
  conditions: string[];
  rejections: number;
  /** A then/else list holding a step whose own `next` has a then/else list. */
  nestedTwice: boolean;
  thenLists: number;
  elseLists: number;
}

function walkSteps(steps: Step[], usage: Usage, depth: number): void {
  for (const step of steps) {
    usage.steps++;
    for (const kind of ["action", "collect", "call", "link", "set_slots", "noop"]) if (kind in step) usage.kinds.add(kind);
    const rejections = step["rejections"];
    if (Array.isArray(rejections)) {
      usage.rejections += rejections.length;
      for (const rejection of rejections as Branch[]) usage.conditions.push(String(rejection.if));
    }
    const next = step["next"];
    if (!Array.isArray(next)) continue;
    for (const branch of next as Branch[]) {
      if (branch.if !== undefined) usage.conditions.push(String(branch.if));
      for (const key of ["then", "else"] as const) {
        const list = branch[key];
        if (!Array.isArray(list)) continue;
        if (key === "then") usage.thenLists++;
        else usage.elseLists++;
        if (depth >= 1) usage.nestedTwice = true;
        walkSteps(list as Step[], usage, depth + 1);
      }
    }
  }
}

// (uniqueKeys: false: yaml's duplicate-key check is quadratic in the size of a mapping.)
function usageOf(files: readonly { path: string; text: string }[]): Usage & { flows: number; childFlows: number } {
  const usage: Usage = { steps: 0, kinds: new Set(), conditions: [], rejections: 0, nestedTwice: false, thenLists: 0, elseLists: 0 };
  let flows = 0;
  let childFlows = 0;
  for (const file of files) {
    const document = parse(file.text, { uniqueKeys: false }) as { flows?: Record<string, { if?: Json; steps: Step[] }> };
    for (const flow of Object.values(document.flows ?? {})) {
      flows++;
      if (flow.if === false) childFlows++;
      walkSteps(flow.steps, usage, 0);
    }
  }
  return { ...usage, flows, childFlows };
}

describe("synthetic assistant generator", () => {
  it("is deterministic: the same flow count gives byte-identical files", () => {
    for (const n of [1, 7, 50, 250]) {
      const first = generateAssistant(n);
      const second = generateAssistant(n);
      expect(second.files).toEqual(first.files);
    }
    expect(generateAssistant(50, { domainLayout: "split" }).files).toEqual(generateAssistant(50, { domainLayout: "split" }).files);
  });

  it("writes one domain file and one flows file per 100 flows", () => {
    const paths = generateAssistant(250).files.map((f) => f.path);
    expect(paths).toEqual(["domain/domain.yml", "data/flows_000.yml", "data/flows_001.yml", "data/flows_002.yml"]);
    const split = generateAssistant(250, { domainLayout: "split" }).files.map((f) => f.path);
    expect(split.filter((p) => p.startsWith("domain/"))).toEqual(["domain/shared.yml", "domain/domain_000.yml", "domain/domain_001.yml", "domain/domain_002.yml"]);
  });

  it("has about ten steps per flow and five slots per flow", () => {
    for (const n of [50, 1000]) {
      const { files } = generateAssistant(n);
      const usage = usageOf(files);
      expect(usage.flows).toBe(n);
      const perFlow = usage.steps / usage.flows;
      expect(perFlow).toBeGreaterThanOrEqual(8.5);
      expect(perFlow).toBeLessThanOrEqual(12);
      const domain = parse(files[0]!.text, { uniqueKeys: false }) as { slots: Record<string, unknown> };
      const slotsPerFlow = Object.keys(domain.slots).length / n;
      expect(slotsPerFlow).toBeGreaterThanOrEqual(4);
      expect(slotsPerFlow).toBeLessThanOrEqual(7);
    }
  });

  it("uses calls, links, set_slots, noop, rejections, nested branches, matches and set contains", () => {
    const usage = usageOf(generateAssistant(50).files);
    expect([...usage.kinds].sort()).toEqual(["action", "call", "collect", "link", "noop", "set_slots"]);
    expect(usage.childFlows).toBe(10);
    expect(usage.rejections).toBeGreaterThan(0);
    expect(usage.conditions.some((c) => /<= 0/.test(c))).toBe(true);
    expect(usage.thenLists).toBeGreaterThan(0);
    expect(usage.elseLists).toBeGreaterThan(0);
    expect(usage.nestedTwice).toBe(true);
    expect(usage.conditions.some((c) => / matches "/.test(c))).toBe(true);
    expect(usage.conditions.some((c) => /^\{'[a-z]+' '[a-z]+'\} contains slots\./.test(c))).toBe(true);
    expect(usage.conditions.some((c) => /^not slots\.\w+$/.test(c))).toBe(true);
    expect(usage.conditions.some((c) => / and \(.* or .*\)$/.test(c))).toBe(true);
    expect(usage.conditions.some((c) => / is null$/.test(c))).toBe(true);
  });

  it("compiles with no errors and no warnings", () => {
    for (const domainLayout of ["single", "split"] as const) {
      const { files } = generateAssistant(50, { domainLayout });
      const result = compileFlows({ inputs: files, env: {} });
      expect(result.errors.map((d) => formatText(d))).toEqual([]);
      expect(result.warnings.map((d) => formatText(d))).toEqual([]);
      expect(result.assistant?.flows.filter((f) => !f.input.isDefault)).toHaveLength(50);
    }
  });

  it("compiles when the flow count is not a multiple of five or of a hundred", () => {
    for (const n of [1, 2, 4, 6, 123]) {
      const result = compileFlows({ inputs: generateAssistant(n).files, env: {} });
      expect([...result.errors, ...result.warnings].map((d) => formatText(d)), `N = ${n}`).toEqual([]);
    }
  });
});
