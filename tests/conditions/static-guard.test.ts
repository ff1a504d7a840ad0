/** Guards that no document can make true: the flow starts only through call or link. */
import { describe, expect, it } from "vitest";
import { guardIsStaticallyFalse, startableOnlyViaLink } from "../../compiler/conditions/static-guard.ts";
import { parseCondition } from "../../compiler/conditions/parse-condition.ts";
import type { FlowGuardInput } from "../../compiler/model/input.ts";

function guard(text: string): FlowGuardInput {
  const parsed = parseCondition(text, { templates: false });
  const range = { file: { path: "f.yml", text, position: () => ({ line: 1, column: 1 }) }, start: 0, end: 0 } as never;
  return { kind: "condition", condition: { text, range, tree: undefined as never, node: undefined, ast: parsed.ok ? parsed.ast : undefined } };
}

describe("statically false guards", () => {
  it("recognises false booleans and lookup-free conditions that are false or raise", () => {
    expect(guardIsStaticallyFalse({ kind: "boolean", value: false, range: undefined as never })).toBe(true);
    expect(guardIsStaticallyFalse(guard("False"))).toBe(true);
    expect(guardIsStaticallyFalse(guard("1 = 2"))).toBe(true);
    expect(guardIsStaticallyFalse(guard("'a' > 1"))).toBe(true); // raises: not startable
  });

  it("leaves guards that read the document, or are true, alone", () => {
    expect(guardIsStaticallyFalse(undefined)).toBe(false);
    expect(guardIsStaticallyFalse({ kind: "boolean", value: true, range: undefined as never })).toBe(false);
    expect(guardIsStaticallyFalse(guard("true"))).toBe(false);
    expect(guardIsStaticallyFalse(guard("slots.logged_in"))).toBe(false);
    expect(guardIsStaticallyFalse(guard("gold = false"))).toBe(false); // a lookup, even if undefined
  });

  it("makes a flow startable only via link as Rasa does: false on an empty document, not raising", () => {
    // Flow.is_startable_only_via_link (conditions.md §1): an exception while evaluating gives False.
    expect(startableOnlyViaLink({ kind: "boolean", value: false, range: undefined as never })).toBe(true);
    expect(startableOnlyViaLink(guard("1 = 2"))).toBe(true);
    expect(startableOnlyViaLink(guard("'a' > 1"))).toBe(false);
    expect(startableOnlyViaLink(guard("not (0 < '')"))).toBe(false);
    expect(startableOnlyViaLink(guard("true"))).toBe(false);
    expect(startableOnlyViaLink(guard("slots.logged_in = false"))).toBe(false);
  });
});
