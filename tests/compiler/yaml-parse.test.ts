/**
 * YAML through js-yaml: the positions of values and keys (the nodes' as the `yaml` package
 * gave them, which flowc used before; the ranges diagnostics get end with a node's text), and
 * the errors js-yaml would not report or reports elsewhere.
 */
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import type { YamlNode } from "../../compiler/source/yaml-nodes.ts";
import { parseYaml } from "../../compiler/source/yaml-parse.ts";
import { YamlTree, type PathSegment } from "../../compiler/source/yaml-tree.ts";
import { codes, compileStrings } from "../support/compile.ts";

const DOMAIN = "responses:\n  utter_greet:\n    - text: Hello!\n";
const FLOWS = "flows:\n  greet:\n    description: Greets.\n    steps:\n      - action: utter_greet\n";

function tree(text: string): YamlTree {
  const parsed = parseYaml(text, { maxDepth: 200 });
  expect(parsed.errors).toEqual([]);
  return new YamlTree(new SourceFile("f.yml", text), parsed.root, {});
}

/** `value start-end key start-end` of each path. */
function ranges(text: string, paths: readonly (readonly PathSegment[])[]): string[] {
  const t = tree(text);
  return paths.map((path) => {
    const value = t.rangeAt(path);
    const key = t.rangeAt(path, true);
    return `${path.join(".")} value ${value?.start}-${value?.end} key ${key?.start}-${key?.end}`;
  });
}

/** `start-end` of the parse tree's node at each path (mappings by scalar key, sequences by index). */
function nodeExtents(text: string, paths: readonly (readonly PathSegment[])[]): string[] {
  const parsed = parseYaml(text, { maxDepth: 200 });
  expect(parsed.errors).toEqual([]);
  return paths.map((path) => {
    let node: YamlNode | null | undefined = parsed.root;
    for (const segment of path) {
      if (node?.kind === "map") node = node.pairs.find((pair) => pair.key?.kind === "scalar" && pair.key.value === segment)?.value;
      else if (node?.kind === "seq" && typeof segment === "number") node = node.items[segment];
      else node = undefined;
    }
    return `${path.join(".")} ${node?.start}-${node?.end}`;
  });
}

describe("YAML values", () => {
  it("reads anchored, tagged and aliased nodes, and collections used as keys", () => {
    const text = "a: &x hello\nb: *x\nc: !!str &y 12\nd: *y\ne: &z [1, 2]\nf: *z\n? [p, q]\n: r\ng: &w\n  k: v\nh: *w\ni: !!str\nj:\n  - &v x y\n  - *v\n";
    expect(tree(text).root).toEqual({ a: "hello", b: "hello", c: "12", d: "12", e: [1, 2], f: [1, 2], '["p","q"]': "r", g: { k: "v" }, h: { k: "v" }, i: "", j: ["x y", "x y"] });
    expect(tree("&a top\n").root).toBe("top");
    expect(tree("--- !!str &a\n").root).toBe("");
  });
});

describe("YAML positions", () => {
  // The nodes end where the `yaml` package's `range[1]` did: a block collection after its last
  // entry's line break and the comment lines it takes, a block scalar after its last line break.
  it("ends a block collection's node after its last entry's line break and comment, and a block scalar's after its line break", () => {
    expect(nodeExtents("a: 1\nb:\n  c: x   # hi\n  d: [1, {e: f}]\n\n# c\nlist:\n  - x\n  -\n  - y: 2\n    z: 3\n\n", [["b"], ["b", "d"], ["list"], ["list", 2]])).toEqual(["b 10-39", "b.d 27-38", "list 52-78", "list.2 64-78"]);
    expect(nodeExtents("k: |\n  lit\n  more\n\nz: >-\n  folded\nq: 1\n", [["k"], ["z"]])).toEqual(["k 3-18", "z 22-34"]);
    expect(nodeExtents("a:\n  b:\n    c: 1\n\n  # comment\n\nd: 2", [["a"], ["a", "b"]])).toEqual(["a 5-17", "a.b 12-17"]);
    expect(nodeExtents("x:\n  a:\n    # c\n  b: 1\n", [["x"]])).toEqual(["x 5-23"]);
    expect(nodeExtents("k0:\n  - a\n # gap\n  -\n", [["k0"]])).toEqual(["k0 6-21"]);
  });

  // The ranges end with the node's text, on its last line: a range to the node's end would end
  // at the start of the next line.
  it("ends a block collection's range with its last entry's text, not after its line break and comment", () => {
    expect(ranges("a: 1\nb:\n  c: x   # hi\n  d: [1, {e: f}]\n\n# c\nlist:\n  - x\n  -\n  - y: 2\n    z: 3\n\n", [["b"], ["b", "c"], ["b", "d"], ["list"], ["list", 1], ["list", 2]])).toEqual([
      "b value 10-38 key 5-6",
      "b.c value 13-14 key 10-11",
      "b.d value 27-38 key 24-25",
      "list value 52-77 key 44-48",
      "list.1 value 59-59 key 59-59",
      "list.2 value 64-77 key 64-77",
    ]);
    // A last entry whose value is empty: the range ends after its `:`, not at the spaces or the comment after it.
    expect(ranges("a:\n  b: 1\n  c:   # none\n", [["a"]])).toEqual(["a value 5-14 key 0-1"]);
    // A last entry that is a block scalar, or an empty item.
    expect(ranges("a:\n  - x\n  - |\n    text\n\nb:\n  - x\n  -\n", [["a"], ["b"]])).toEqual(["a value 5-23 key 0-1", "b value 30-37 key 25-26"]);
  });

  it("gives every scalar style its extent (a block scalar's to the end of its last line with text), and an empty value a place after its `:`", () => {
    expect(ranges("k: |\n  lit\n  more\n\nz: >-\n  folded\nq: \"dq\"  \nr: 'sq'\nn:\ne: ~\n", [["k"], ["z"], ["q"], ["r"], ["n"], ["e"]])).toEqual([
      "k value 3-17 key 0-1",
      "z value 22-33 key 19-20",
      "q value 37-41 key 34-35",
      "r value 47-51 key 44-45",
      "n value 54-54 key 52-53",
      "e value 58-59 key 55-56",
    ]);
  });

  it("leaves the comment lines after a collection out of its range", () => {
    expect(ranges("a:\n  b:\n    c: 1\n\n  # comment\n\nd: 2", [["a"], ["a", "b"]])).toEqual(["a value 5-16 key 0-1", "a.b value 12-16 key 5-6"]);
    expect(ranges("x:\n  a:\n    # c\n  b: 1\n", [["x"], ["x", "a"]])).toEqual(["x value 5-22 key 0-1", "x.a value 7-7 key 5-6"]);
    expect(ranges("k0:\n  - a\n # gap\n  -\n", [["k0"], ["k0", 1]])).toEqual(["k0 value 6-20 key 0-2", "k0.1 value 20-20 key 20-20"]);
  });

  it("keeps offsets in the file with a byte-order mark and CRLF line breaks", () => {
    expect(ranges("\ufeffa: 1\r\nb:\r\n  - x\r\n", [["a"], ["b"], ["b", 0]])).toEqual(["a value 4-5 key 1-2", "b value 13-16 key 7-8", "b.0 value 15-16 key 15-16"]);
  });

  it("points merged keys and aliased values at the anchored node", () => {
    expect(ranges("base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\ny: *b\n", [["x", "a"], ["x", "c"], ["y"], ["y", "a"]])).toEqual([
      "x.a value 13-14 key 10-11",
      "x.c value 33-34 key 30-31",
      "y value 38-40 key 35-36",
      "y.a value 13-14 key 10-11",
    ]);
  });

  // Expected values from ruamel.yaml configured as Rasa 3.12's reader (Y3): `1_000` is 1000 there.
  it("resolves scalars by YAML 1.2 as Rasa reads it", () => {
    expect(tree("a: [yes, no, on, True, FALSE, ~, null, '', 0o17, 0x1F, +12, 1_000, .inf, -.Inf, 1e3, 2.50, '7']\n").root).toEqual({
      a: ["yes", "no", "on", true, false, null, null, "", 15, 31, 12, 1000, Infinity, -Infinity, 1000, 2.5, "7"],
    });
    expect(tree("a: !!str 12\nb: !!int '12'\nd: !!str\n").root).toEqual({ a: "12", b: 12, d: "" });
  });

  it("keeps `__proto__` as an ordinary key", () => {
    const root = tree("__proto__: {polluted: true}\n").root as Record<string, unknown>;
    expect(Object.keys(root)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("YAML errors", () => {
  it("reports every duplicate key at its first character, by the whole key", () => {
    const result = compileStrings({ domain: DOMAIN, flows: `${FLOWS}  greet:\n    description: Again.\n    steps: []\n` });
    expect(codes(result)).toEqual([Diagnostics.duplicateKey.code]);
    expect(result.errors[0]?.message).toContain("`greet`");
    expect(result.errors[0]?.range?.file.position(result.errors[0].range.start)).toEqual({ line: 6, column: 3 });
    // Keys are compared by value: `1` and `1.0` are the same number, `1` and `'1'` are not.
    expect(parseYaml("1: a\n1.0: b\n'1': c\n", { maxDepth: 200 }).errors.map((e) => `${e.kind} ${e.start}`)).toEqual(["duplicate-key 5"]);
  });

  it("reports a syntax error once, at its line", () => {
    const result = compileStrings({ domain: DOMAIN, flows: `${FLOWS}        next: [END\n` });
    expect(codes(result)).toEqual([Diagnostics.yamlSyntax.code]);
  });

  it("refuses what js-yaml would accept but YAML does not", () => {
    const errors = (text: string) => parseYaml(text, { maxDepth: 200 }).errors.map((e) => `${e.start}: ${e.message}`);
    // A comment without a space before it.
    expect(errors('a: "x"# c\n')).toEqual(["6: a comment must be separated from what precedes it by a space"]);
    // An implicit key longer than 1,024 characters.
    expect(errors(`${"k".repeat(1100)}: v\n`)).toEqual(["0: an implicit key must end with its `:` at most 1024 characters after it starts"]);
    // Two documents: from the second to the end.
    expect(parseYaml("a: 1\n---\nb: 2\n", { maxDepth: 200 }).errors.map((e) => `${e.start}-${e.end}`)).toEqual(["5-14"]);
  });

  it("reads continuation lines indented less than their node as Rasa's reader does, and says where", () => {
    // The YAML spec refuses them; ruamel (as PyYAML, whose scanner it shares: "instead of
    // checking indentation, we check for document separators") reads them as part of the value.
    const read = (text: string) => {
      const result = parseYaml(text, { maxDepth: 200 });
      return { errors: result.errors, lenient: (result.lenient ?? []).map((e) => `${e.start}: ${e.message}`), value: tree(text).root };
    };
    expect(read('a:\n  b: "x\n  y"\n')).toEqual({
      errors: [],
      lenient: ['13: this line continues the quoted text above but is indented less than it (is a closing " missing?)'],
      value: { a: { b: "x y" } },
    });
    expect(read("key: [a,\nb]\n")).toEqual({ errors: [], lenient: ["9: this line continues the value above but is indented less than it"], value: { key: ["a", "b"] } });
    // Once per node, at its first such line; an alias reads the same text.
    expect(read('p: &t "<a>\nb\n</a>"\nq: *t\n')).toEqual({
      errors: [],
      lenient: ['11: this line continues the quoted text above but is indented less than it (is a closing " missing?)'],
      value: { p: "<a> b </a>", q: "<a> b </a>" },
    });
  });

  it("says how far a badly indented line is indented, and between which blocks above it", () => {
    const messages = (text: string) => parseYaml(text, { maxDepth: 200 }).errors.map((e) => e.message);
    const flow = (steps: string) => `flows:\n  order:\n    description: Orders.\n    steps:\n      - collect: size\n        description: the size\n${steps}`;
    // A list item one space short of its list, one space past the key of the mapping around it.
    expect(messages(flow("     - collect: count\n"))).toEqual(["bad indentation of a mapping entry: this line is indented by 5 spaces, between `- collect:` (line 5, 6 spaces) and `steps:` (line 4, 4 spaces)"]);
    // A key one space short of the keys of its list item.
    expect(messages(flow("      - collect: count\n       description: how many\n"))).toEqual(["bad indentation of a sequence entry: this line is indented by 7 spaces, between `collect:` (line 7, 8 spaces) and `- collect:` (line 7, 6 spaces)"]);
    // A key one space past them: only the block above it is named.
    expect(messages(flow("      - collect: count\n         description: how many\n"))).toEqual(["bad indentation of a mapping entry: this line is indented by 9 spaces, and `collect:` (line 7, 8 spaces) above it"]);
    // The lines of a block scalar open no block.
    expect(messages("responses:\n  utter_a:\n    - text: |\n        Hello\n        there\n   utter_b:\n")).toEqual(["bad indentation of a mapping entry: this line is indented by 3 spaces, between `- text:` (line 3, 4 spaces) and `utter_a:` (line 2, 2 spaces)"]);
  });

  it("reports a quoted text that is never closed at its opening quote, not at the end of the file", () => {
    const errors = (text: string) => parseYaml(text, { maxDepth: 200 }).errors.map((e) => `${e.start}-${e.end}: ${e.message}`);
    // A response whose text runs on over lines that are indented enough, and never closes.
    expect(errors('responses:\n  utter_x:\n    - text: "One:\\n\n        two\\n\n\n')).toEqual(['34-35: this quoted text is never closed: the file ends before a closing "']);
    expect(errors("a: 'x\n")).toEqual(["3-4: this quoted text is never closed: the file ends before a closing '"]);
    expect(errors('a: [b, "c\n')).toEqual(['7-8: this quoted text is never closed: the file ends before a closing "']);
    expect(errors('a: "x"\nb: "y\n---\nc: 1\n')).toEqual(['10-11: this quoted text is never closed: the document ends (at `---` or `...`) before a closing "']);
    // Through the compiler: the line of the quote.
    const result = compileStrings({ domain: 'responses:\n  utter_greet:\n    - text: "Hello\n      there\n', flows: FLOWS });
    expect(result.errors.map((d) => [d.code, d.range?.start])).toEqual([[Diagnostics.yamlSyntax.code, 'responses:\n  utter_greet:\n    - text: '.length]]);
  });

  it("refuses an empty list item followed by a less indented one, which js-yaml misreads", () => {
    const result = parseYaml("a:\n  - b:\n      -\n  - c\n", { maxDepth: 200 });
    expect(result.errors.map((e) => e.start)).toEqual([20]);
    expect(result.errors[0]?.message).toContain("write `- null`");
  });

  it("reports nesting deeper than the limit at the first node too deep, however deep", () => {
    for (const depth of [250, 5_000, 100_000]) {
      // (a file with a key of the assistant: another tool's file is skipped, however deep)
      const result = compileStrings({ domain: DOMAIN, flows: FLOWS, "deep.yml": `actions: ${"[".repeat(depth)}${"]".repeat(depth)}\n` });
      expect(codes(result)).toEqual([Diagnostics.tooDeep.code]);
      expect(result.errors[0]?.range?.start).toBe(9 + 200);
    }
  });

  it("bounds aliases used as mapping keys too", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i - 1]}`).join(", ")}]`);
    const result = compileStrings({ domain: DOMAIN, flows: FLOWS, "bomb.yml": `${levels.join("\n")}\n? *i\n: x\n` });
    expect(codes(result)).toEqual([Diagnostics.aliasBomb.code]);
  });
});
