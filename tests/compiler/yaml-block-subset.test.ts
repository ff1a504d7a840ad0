/**
 * The direct reader of plain block YAML (compiler/source/yaml-block-subset.ts) must build
 * exactly the tree that js-yaml's path builds — same nodes, values and positions — or give up.
 * Compared here on the repository's YAML files, on texts written for the edge cases, and on
 * seeded random edits of them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBlockSubset, type SubsetHost } from "../../compiler/source/yaml-block-subset.ts";
import { SourceFile } from "../../compiler/source/source-file.ts";
import { parseYaml } from "../../compiler/source/yaml-parse.ts";
import { DEFAULT_LIMITS, YamlTree } from "../../compiler/source/yaml-tree.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** Whether the direct reader reads the text (with a host that accepts everything). */
function readsDirectly(text: string): boolean {
  const host: SubsetHost = {
    endCollection: (node) => ({ node, tail: "collection", trail: node.end, pending: undefined }),
    resolve: (value) => value,
  };
  return readBlockSubset(text, host) !== undefined;
}

/** Through the direct reader when it reads the text; its values are compared by `sameTree`. */
function direct(text: string) {
  const { values, ...parsed } = parseYaml(text, { maxDepth: 200 });
  if (values) sameTree(text, parsed.root, values);
  return parsed;
}

/** The values converted while reading are those `YamlTree` converts, with the same ranges. */
function sameTree(text: string, rootNode: ReturnType<typeof parseYaml>["root"], values: NonNullable<ReturnType<typeof parseYaml>["values"]>): void {
  const file = new SourceFile("f.yml", text);
  const read = new YamlTree(file, rootNode, {}, DEFAULT_LIMITS, values);
  const walked = new YamlTree(file, rootNode, {});
  expect(read.root).toEqual(walked.root);
  const compare = (a: unknown, b: unknown): void => {
    if (a === null || typeof a !== "object" || b === null || typeof b !== "object") return;
    expect(read.rangeOf(a)).toEqual(walked.rangeOf(b));
    const keys = Array.isArray(a) ? [...a.keys(), a.length] : [...Object.keys(a), "missing"];
    for (const key of keys) {
      expect(read.valueRange(a, key)).toEqual(walked.valueRange(b, key));
      expect(read.keyRange(a, key)).toEqual(walked.keyRange(b, key));
      expect(read.valueNode(a, key)).toBe(walked.valueNode(b, key));
      compare((a as Record<string | number, unknown>)[key], (b as Record<string | number, unknown>)[key]);
    }
  };
  compare(read.root, walked.root);
}

function viaJsYaml(text: string) {
  return parseYaml(text, { maxDepth: 200, direct: false });
}

function yamlFiles(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yamlFiles(path, found);
    else if (/\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found;
}

const FLOWS = `# flows
version: "3.1"
flows:
  transfer_money:   # a comment
    description: 'Sends money, it''s quick: really'
    if: slots.x > 3 and slots.y = "a"
    steps:
      - id: ask
        collect: amount
        rejections:
          - if: "slots.amount <= 0"
            utter: utter_invalid
      # between entries
      -   action: action_check
          next:
            - if: slots.ok
              then: END
            - else:
                - set_slots:
                    - amount: null
                  next: ask

      - noop: true
        next: END    # trailing
  other-flow.v2:
    description: x#y -3 ~ 1e3 0x1F .inf true
    steps: []
    nlu_trigger: {}
      # deeper comment

# last
`;

const EDGE_CASES = [
  FLOWS,
  "a: 1\n",
  "a: 1",
  "a:\n  - x\n  - 'y'\n  - \"z\"\n",
  "a:\n  b:\n    c: d\n  e: f\n# end\n  # indented\n",
  "a:\n  - b: 1\n    c: 2\n    # at entries\n  - d: 3\n      # deeper\n\n",
  "1: a\ntrue: b\nnull: c\n0x10: d\n",
  "a: ''\nb: \"\"\nc: 'x''y'''\n",
  "a: [] # empty\nb: {}\n",
  "a: b #c\n#d\ne: f\n",
  `many:\n${Array.from({ length: 20 }, (_, i) => `  k${i}: ${i}\n`).join("")}  last:\n    - x\n`,
  "k:\n    - a\n    - b\n  # less\nz: 1\n",
];

/** Texts the reader leaves to js-yaml: outside its subset, or wrong. */
const GIVE_UPS = [
  "",
  "# only a comment\n",
  "- a\n- b\n",
  "a: &x 1\nb: *x\n",
  "a: !!str 1\n",
  "a: [1, 2]\n",
  "a: {b: 1}\n",
  "a: |\n  text\n",
  "a: >\n  text\n",
  "a: \"x\\ny\"\n",
  "a: 'x\n  y'\n",
  "a: x\n  y\n",
  "a:\nb: 1\n",
  "a:\n- x\n",
  "a:\n  -\n  - x\n",
  "a:\n  - - x\n",
  "'a': 1\n",
  "a b: 1\n",
  "a: b: c\n",
  "a:\t1\n",
  "a: 1\r\n",
  "\uFEFFa: 1\n",
  "a: 1\n---\nb: 2\n",
  "a: \"x\"# c\n",
  "a: 1\n b: 2\n",
  "a: @x\n",
  `${"k".repeat(1100)}: v\n`,
];

describe("the direct reader of block YAML", () => {
  it("reads the repository's YAML files as js-yaml's path does", () => {
    const files = [...yamlFiles(join(ROOT, "flows")), ...yamlFiles(join(ROOT, "e2e_tests")), ...yamlFiles(join(ROOT, "compiler", "defaults"))];
    expect(files.length).toBeGreaterThan(3);
    let read = 0;
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      if (readsDirectly(text)) read++;
      expect(direct(text), path).toEqual(viaJsYaml(text));
    }
    expect(read).toBeGreaterThan(0);
  });

  it("reads the subset, comments and blank lines included, with js-yaml's positions", () => {
    for (const text of EDGE_CASES) {
      expect(readsDirectly(text), text).toBe(true);
      expect(direct(text), text).toEqual(viaJsYaml(text));
    }
    const root = direct(FLOWS).root;
    expect(root?.kind).toBe("map");
  });

  it("leaves everything else to js-yaml, errors included", () => {
    for (const text of GIVE_UPS) {
      expect(readsDirectly(text), JSON.stringify(text)).toBe(false);
      expect(direct(text), text).toEqual(viaJsYaml(text));
    }
    // Keys of the same text, duplicates or not, are left to js-yaml's path, which reports duplicates.
    for (const text of ["a: 1\na: 2\n", "a:\n  1: x\n  1.0: y\n", "1e999: a\nInfinity: b\n"]) {
      expect(parseYaml(text, { maxDepth: 200 }).values, text).toBeUndefined();
      expect(direct(text), text).toEqual(viaJsYaml(text));
    }
    // A `\${VAR}` is expanded by `YamlTree`, from the nodes.
    expect(readsDirectly("a: \${X}\n")).toBe(true);
    expect(parseYaml("a: \${X}\n", { maxDepth: 200 }).values).toBeUndefined();
    expect(parseYaml("a: '\${X}'\n", { maxDepth: 200 }).values).toBeDefined();
    expect(direct("a: 1\na: 2\n").errors.map((e) => `${e.kind} ${e.start}`)).toEqual(["duplicate-key 5"]);
  });

  it("builds the same tree as js-yaml's path for random edits of those texts", () => {
    let seed = 20_251_121;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed % n;
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const texts = [FLOWS, ...EDGE_CASES, ...yamlFiles(join(ROOT, "flows")).map((path) => readFileSync(path, "utf8"))];
    let read = 0;
    for (let round = 0; round < 600; round++) {
      const lines = pick(texts).split("\n");
      for (let edits = 1 + random(3); edits > 0; edits--) {
        if (lines.length === 0) lines.push("");
        const i = random(lines.length);
        const line = lines[i]!;
        const indent = line.length - line.trimStart().length;
        switch (random(9)) {
          case 0:
            lines.splice(i, 0, `${" ".repeat(random(12))}# c`);
            break;
          case 1:
            lines.splice(i, 0, " ".repeat(random(4)));
            break;
          case 2:
            lines[i] = line + pick(["  ", " # t", "#t", " :x", ": y", ":", " '"]);
            break;
          case 3:
            lines[i] = " ".repeat(Math.max(0, indent + pick([-2, -1, 1, 2]))) + line.trimStart();
            break;
          case 4:
            lines.splice(i, 1);
            break;
          case 5:
            lines.splice(i, 0, line);
            break;
          case 6:
            lines[i] = line.replace(/: (.+)$/, `: ${pick(["true", "-3", "~", "''", "'a''b'", '"q"', "[]", "{}", "a #b", "a# b", "- x", "?x", "x:y", "x: y"])}`);
            break;
          case 7:
            lines.splice(i, 0, " ".repeat(indent) + pick(["- a", "- k: v", "k:", "k: v", "1: x", "- []"]));
            break;
          case 8:
            lines.splice(i + 1, 0, " ".repeat(indent + 2 + random(3)) + pick(["more", "# deeper", "- x", "k: v"]));
            break;
        }
      }
      const text = lines.join("\n") + pick(["", "\n", "\n\n", "  \n# end\n"]);
      if (readsDirectly(text)) read++;
      expect(direct(text), JSON.stringify(text)).toEqual(viaJsYaml(text));
    }
    expect(read).toBeGreaterThan(100);
  });
});
