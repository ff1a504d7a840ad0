/**
 * How Rasa's validator renders a condition's holes (validator-rendering.ts). The expectations
 * are what Jinja 3.1 renders with `{"slots": {<each domain slot>: None}, "context": {<each
 * pattern frame field>: None}}` (a response condition: `slots` only), checked with the real
 * Jinja: a missing key or name renders as nothing, Jinja reads a dict's attribute before its
 * key, and reading an attribute of an undefined value raises.
 */
import { describe, expect, it } from "vitest";
import { parseJinja } from "../../compiler/conditions/jinja.ts";
import { validatorHole, validatorRendering } from "../../compiler/conditions/validator-rendering.ts";

const slots = new Set(["age", "items"]);
const hole = (path: string, site: "branch" | "response" = "branch") => validatorHole(path.split("."), site, slots);

describe("validatorHole", () => {
  it("renders a domain slot and a frame field as None", () => {
    expect(hole("slots.age")).toBe("None");
    expect(hole("context.collect")).toBe("None");
  });

  it("renders a missing key or an undefined name as nothing", () => {
    expect(hole("slots.nickname")).toBe("");
    expect(hole("context.foo")).toBe("");
    expect(hole("x")).toBe("");
  });

  it("renders an attribute of None as nothing, and fails on an attribute of an undefined value", () => {
    expect(hole("slots.age.real")).toBe("");
    expect(hole("slots.nickname.x")).toBeUndefined();
    expect(hole("x.y")).toBeUndefined();
  });

  it("reads a dict's method before a slot of the same name", () => {
    const method = hole("slots.items");
    expect(method).not.toBe("None");
    expect(method).toMatch(/^</); // no pypred value starts so: the text does not parse outside quotes
    expect(hole("context.keys")).toBe(method);
  });

  it("has no context for a response condition", () => {
    expect(hole("context.collect", "response")).toBeUndefined();
    expect(hole("slots.age", "response")).toBe("None");
  });
});

describe("validatorRendering", () => {
  const chosen = (text: string, site: "branch" | "response" = "branch") => {
    const { text: rendered, failure } = validatorRendering(parseJinja(text), text, site, slots, false);
    return failure ? `fails at ${failure.written}` : rendered;
  };

  it("takes the branch None selects", () => {
    expect(chosen("{% if slots.age %}a{% else %}b{% endif %}")).toBe("b");
    expect(chosen("{% if slots.age == None %}a{% else %}b{% endif %}")).toBe("a");
  });

  it("finds an undefined value unequal to None, and a method true", () => {
    expect(chosen("{% if slots.nickname == None %}a{% else %}b{% endif %}")).toBe("b");
    expect(chosen("{% if slots.items %}a{% else %}b{% endif %}")).toBe("a");
  });

  it("fails on a test that reads an attribute of an undefined name", () => {
    expect(chosen("{% if context.flow_id %}a{% endif %}", "response")).toBe("fails at context.flow_id");
    expect(chosen("{% if true %}a{% elif context.flow_id %}b{% endif %}", "response")).toBe("a");
  });
});
