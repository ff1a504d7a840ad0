/**
 * Robustness: more than 1,000 malformed variants of the example assistant in flows/ —
 * truncated files, values of the wrong type at every level, random bytes, deep nesting, huge
 * scalars, alias bombs, duplicate keys and conditions replaced by token soup — all generated
 * from a fixed seed. Whatever the input, the compiler must answer with diagnostics: never an
 * exception, a stack trace, an internal error or a hang.
 *
 * Every variant is compiled in-process through the API. A sample of them also runs through
 * the real CLI as a subprocess (started before the in-process run, so that the two overlap on
 * a machine with two cores), whose exit code must agree with the API.
 *
 * FLOWC_MALFORMED_REPORT=1 also prints the variants that compiled without errors and the
 * slowest ones.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document } from "yaml";
import { compileFlows, type CompileResult, type Diagnostic } from "../../compiler/api.ts";
import { formatText, toJson } from "../../compiler/diagnostics/format.ts";
import { temporaryFolder } from "../support/temp.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED = 0x5eed_f10c;

// ---------------------------------------------------------------------------
// The seed: the example assistant, as paths under flows/.

const SEED_FILES = ["bank.yml", "shop.yml", "domain/bank.yml", "domain/shop.yml"] as const;
type SeedFile = (typeof SEED_FILES)[number];
const FLOWS_FILES: readonly SeedFile[] = ["bank.yml", "shop.yml"];

const seedText: Readonly<Record<SeedFile, string>> = Object.fromEntries(
  SEED_FILES.map((file) => [file, readFileSync(join(ROOT, "flows", file), "utf8")]),
) as Record<SeedFile, string>;

// ---------------------------------------------------------------------------
// Variants

const FAMILIES = [
  "truncation",
  "wrong-type",
  "random-bytes",
  "deep-nesting",
  "huge-scalar",
  "alias-bomb",
  "duplicate-key",
  "condition-soup",
] as const;
type Family = (typeof FAMILIES)[number];

/** `error`: certainly malformed; `valid`: certainly fine; `unknown`: the mutation may leave a valid assistant. */
type Expectation = "error" | "valid" | "unknown";

interface Variant {
  readonly id: number;
  readonly family: Family;
  readonly label: string;
  readonly expect: Expectation;
  /** The one file that differs from the seed. */
  readonly file: SeedFile;
  readonly text: string;
  /** For random bytes: the bytes as they are written to disk for the CLI. */
  readonly bytes?: Uint8Array;
}

type Draft = Omit<Variant, "id">;

/** mulberry32: small, fast and deterministic. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---- YAML documents of the seed, and every node in them with its path and level

type Segment = string | number;
type ValueKind = "number" | "bool" | "null" | "list" | "mapping" | "string";
const VALUE_KINDS: readonly ValueKind[] = ["number", "bool", "null", "list", "mapping", "string"];

const LEVELS = [
  "flows",
  "flow",
  "flow property",
  "step",
  "step property",
  "next item",
  "rejection",
  "slot",
  "response",
  "variation",
] as const;
type Level = (typeof LEVELS)[number] | "other";

/** Levels where the original is a mapping or list that the format needs: any other kind is an error. */
const CONTAINER_LEVELS: ReadonlySet<Level> = new Set(["flow", "step", "next item", "rejection", "slot", "response", "variation"]);

interface NodeSite {
  readonly file: SeedFile;
  readonly path: readonly Segment[];
  readonly kind: ValueKind;
  readonly level: Level;
}

const STRINGIFY = { lineWidth: 0, minContentWidth: 0 } as const;

function parseSeed(file: SeedFile): Document {
  return parseDocument(seedText[file], { version: "1.2", schema: "core" });
}

function kindOf(node: unknown): ValueKind {
  if (isMap(node)) return "mapping";
  if (isSeq(node)) return "list";
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return "null";
    if (typeof value === "boolean") return "bool";
    if (typeof value === "number" || typeof value === "bigint") return "number";
    return "string";
  }
  return "null";
}

function levelOf(file: SeedFile, path: readonly Segment[]): Level {
  const [first] = path;
  const last = path.at(-1);
  const previous = path.at(-2);
  if (FLOWS_FILES.includes(file)) {
    if (first !== "flows") return "other";
    if (path.length === 1) return "flows";
    if (path.length === 2) return "flow";
    if (path.length === 3) return "flow property";
    const isStepList = (segment: Segment | undefined) => segment === "steps" || segment === "then" || segment === "else";
    if (typeof last === "number" && isStepList(previous)) return "step";
    if (typeof last === "number" && previous === "next") return "next item";
    if (typeof last === "number" && previous === "rejections") return "rejection";
    if (typeof last === "string" && typeof previous === "number" && isStepList(path.at(-3))) return "step property";
    return "other";
  }
  if (first === "slots" && path.length === 2) return "slot";
  if (first === "responses" && path.length === 2) return "response";
  if (first === "responses" && path.length === 3) return "variation";
  return "other";
}

function collectSites(file: SeedFile): NodeSite[] {
  const sites: NodeSite[] = [];
  const visit = (node: unknown, path: Segment[]) => {
    if (path.length > 0) sites.push({ file, path, kind: kindOf(node), level: levelOf(file, path) });
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(parseSeed(file).contents, []);
  return sites;
}

function wrongValue(kind: ValueKind, random: Random): unknown {
  switch (kind) {
    case "number":
      return random.pick([42, -1, 0, 3.5, 1e21, -0.25]);
    case "bool":
      return random.chance(0.5);
    case "null":
      return null;
    case "list":
      return random.pick<unknown[]>([[], ["wrong"], [1, "x", null], [{ a: 1 }], [[]]]);
    case "mapping":
      return random.pick<Record<string, unknown>>([{}, { unexpected: 1 }, { wrong: "value", other: [1, 2] }, { "": null }]);
    case "string":
      return random.pick(["wrong", "", "   ", "42", "true", "null", "[1, 2]", "{a: 1}", "utter_nowhere", "é∂ƒ"]);
  }
}

function replaced(file: SeedFile, path: readonly Segment[], value: unknown): string {
  const document = parseSeed(file);
  document.setIn(path, document.createNode(value));
  return document.toString(STRINGIFY);
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

// ---- families

function truncations(random: Random): Draft[] {
  const out: Draft[] = [];
  for (const file of SEED_FILES) {
    const text = seedText[file];
    const offsets = [0, 1, ...Array.from({ length: 43 }, () => random.int(text.length))];
    for (const offset of offsets) {
      out.push({ family: "truncation", label: `${file} cut at offset ${offset} of ${text.length}`, expect: "unknown", file, text: text.slice(0, offset) });
    }
  }
  return out;
}

function wrongTypes(random: Random): Draft[] {
  const sites = SEED_FILES.flatMap(collectSites);
  const out: Draft[] = [];
  const make = (site: NodeSite, kind: ValueKind, certain: boolean): Draft => {
    const value = wrongValue(kind, random);
    return {
      family: "wrong-type",
      label: `${site.file}: ${site.level} at ${site.path.join(".")} (${site.kind}) replaced by ${kind} ${describeValue(value)}`,
      expect: certain ? "error" : "unknown",
      file: site.file,
      text: replaced(site.file, site.path, value),
    };
  };
  // Every level, with every wrong kind, a few times each.
  for (const level of LEVELS) {
    const atLevel = sites.filter((site) => site.level === level);
    if (atLevel.length === 0) throw new Error(`the seed has no node at level ${level}`);
    for (const kind of VALUE_KINDS) {
      const candidates = atLevel.filter((site) => site.kind !== kind);
      if (candidates.length === 0) continue;
      for (let i = 0; i < 4; i++) {
        const site = random.pick(candidates);
        // `flows: null` is an empty flows file in Rasa; every other kind is not a mapping. An
        // empty item (null, false, "") of a `next` list too is refused by Rasa's schema (S10),
        // which runs before the loader that would skip it.
        const certain = CONTAINER_LEVELS.has(level) || (level === "flows" && kind !== "null");
        out.push(make(site, kind, certain));
      }
    }
  }
  // Any node at any depth.
  for (let i = 0; i < 130; i++) {
    const site = random.pick(sites);
    const kind = random.pick(VALUE_KINDS.filter((k) => k !== site.kind));
    out.push(make(site, kind, false));
  }
  return out;
}

/** Bytes that YAML and the compiler are most likely to trip over, mixed with random ones. */
const NASTY_BYTES = [0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b, 0x7f, 0x80, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf8, 0xfe, 0xff, 0x22, 0x27, 0x3a, 0x2d, 0x23, 0x26, 0x2a, 0x21, 0x25, 0x40, 0x60, 0x7b, 0x7d, 0x5b, 0x5d, 0x7c, 0x3e, 0x3f, 0x20];
const NASTY_CHARS = ["\u0000", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff", "\u0085", "\u2028", "\u2029", "\u00a0", "\u200b", "\u202e", "\t", "\r", "\r\n", "\u001b[31m", "\\", "\\u", "%YAML 1.1\n", "---\n", "...\n", "!!binary ", "!<tag:x> ", "&", "*"];

function randomBytes(random: Random, length: number, nasty: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.chance(nasty) ? random.pick(NASTY_BYTES) : random.int(256);
  return bytes;
}

function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function randomByteVariants(random: Random): Draft[] {
  const out: Draft[] = [];
  const utf8 = new TextDecoder("utf-8");
  const encoder = new TextEncoder();
  for (let i = 0; i < 40; i++) {
    const file = random.pick(SEED_FILES);
    const bytes = randomBytes(random, random.between(1, 4000), random.pick([0, 0.3, 0.9]));
    out.push({ family: "random-bytes", label: `${file} replaced by ${bytes.length} random bytes (UTF-8 decoded)`, expect: "unknown", file, text: utf8.decode(bytes), bytes });
  }
  for (let i = 0; i < 20; i++) {
    const file = random.pick(SEED_FILES);
    const bytes = randomBytes(random, random.between(1, 2000), 0.5);
    const text = String.fromCharCode(...bytes);
    out.push({ family: "random-bytes", label: `${file} replaced by ${bytes.length} random bytes (Latin-1 decoded)`, expect: "unknown", file, text });
  }
  for (let i = 0; i < 60; i++) {
    const file = random.pick(SEED_FILES);
    const original = encoder.encode(seedText[file]);
    const at = random.int(original.length + 1);
    const inserted = randomBytes(random, random.between(1, 64), 0.7);
    const bytes = concatBytes(original.subarray(0, at), inserted, original.subarray(at));
    out.push({ family: "random-bytes", label: `${file} with ${inserted.length} random bytes inserted at byte ${at}`, expect: "unknown", file, text: utf8.decode(bytes), bytes });
  }
  for (let i = 0; i < 20; i++) {
    const file = random.pick(SEED_FILES);
    let text = seedText[file];
    const count = random.between(1, 5);
    for (let j = 0; j < count; j++) {
      const at = random.int(text.length + 1);
      text = text.slice(0, at) + random.pick(NASTY_CHARS) + text.slice(at);
    }
    out.push({ family: "random-bytes", label: `${file} with ${count} control/special characters inserted`, expect: "unknown", file, text });
  }
  return out;
}

function deepNesting(random: Random): Draft[] {
  const out: Draft[] = [];
  const add = (file: SeedFile, label: string, text: string) => out.push({ family: "deep-nesting", label: `${file}: ${label}`, expect: "error", file, text });
  const depths = [250, 1_000, 5_000];
  const seqs = (depth: number, inner = "") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
  const maps = (depth: number) => `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`;
  for (const depth of depths) {
    add("bank.yml", `flows: [[[…]]] ${depth} deep`, `flows: ${seqs(depth)}\n`);
    add("bank.yml", `flows: [[[… ${depth} deep, unclosed`, `flows: ${"[".repeat(depth)}\n`);
    add("shop.yml", `a step that is [[[…]]] ${depth} deep`, seedText["shop.yml"].replace("- collect: dress_style", `- ${seqs(depth, "x")}\n      - collect: dress_style`));
    add("shop.yml", `flow description {a: {a: …}} ${depth} deep`, seedText["shop.yml"].replace(/description: Help the user[^\n]*/, `description: ${maps(depth)}`));
    add("domain/bank.yml", `slots: {a: {a: …}} ${depth} deep`, seedText["domain/bank.yml"].replace("slots:\n", `slots:\n  deep: ${maps(depth)}\n`));
    add("domain/shop.yml", `{a: [{a: [ … ${depth} deep, mixed`, `slots: ${"{a: [".repeat(depth)}${"]}".repeat(depth)}\n`);
    add("domain/shop.yml", `a "- - - …" block sequence ${depth} deep`, `actions:\n  ${"- ".repeat(depth)}x\n`);
  }
  for (const depth of [20_000, 100_000]) {
    add("bank.yml", `flows: [[[…]]] ${depth} deep`, `flows: ${seqs(depth)}\n`);
    add("bank.yml", `flows: [[[… ${depth} deep, unclosed`, `flows: ${"[".repeat(depth)}\n`);
  }
  add("domain/shop.yml", "slots: {a: {a: …}} 20000 deep", `slots: ${maps(20_000)}\n`);
  for (const depth of [250, 1_000, 3_000]) {
    const indented = Array.from({ length: depth }, (_, i) => `${" ".repeat(i + 2)}k${i}:`).join("\n");
    add("bank.yml", `block mappings ${depth} deep`, `flows:\n${indented} leaf\n`);
    const sequences = Array.from({ length: depth }, (_, i) => `${" ".repeat(i + 2)}-`).join("\n");
    add("domain/bank.yml", `block sequences ${depth} deep`, `intents:\n${sequences} leaf\n`);
  }
  for (let i = 0; i < 10; i++) {
    const depth = random.between(201, 3_000);
    const file = random.pick(SEED_FILES);
    const text = seedText[file];
    const lines = text.split("\n");
    const at = random.int(lines.length);
    const line = lines[at] ?? "";
    const indent = line.length - line.trimStart().length;
    const nested = random.chance(0.5) ? seqs(depth, "x") : maps(depth);
    lines.splice(at, 0, `${" ".repeat(indent)}deep_${i}: ${nested}`);
    add(file, `${depth} levels inserted at line ${at + 1}`, lines.join("\n"));
  }
  return out;
}

function hugeScalars(): Draft[] {
  const FIVE_MB = 5 * 1024 * 1024;
  const bank = seedText["bank.yml"];
  const shop = seedText["shop.yml"];
  const huge = (file: SeedFile, label: string, text: string, expect: Expectation): Draft => ({ family: "huge-scalar", label: `${file}: ${label}`, expect, file, text });
  return [
    huge("bank.yml", "5 MB flow description", bank.replace(/description: Send money[^\n]*/, `description: ${"x".repeat(FIVE_MB)}`), "valid"),
    huge("shop.yml", "5 MB quoted collect description", shop.replace(/description: the kind of dress[^\n]*/, `description: "${"é ".repeat(FIVE_MB / 2)}"`), "valid"),
    huge("shop.yml", "1 MB string in a branch condition", shop.replace("if: slots.found_dress is null", `if: "slots.found_dress = '${"y".repeat(FIVE_MB / 5)}'"`), "unknown"),
    huge("shop.yml", "branch condition of 100k `(`", shop.replace("if: slots.found_dress is null", `if: "${"(".repeat(100_000)}"`), "error"),
    huge("bank.yml", "flow guard of 100k `(` closed around a slot", bank.replace("if: slots.logged_in", `if: "${"(".repeat(100_000)}slots.logged_in${")".repeat(100_000)}"`), "error"),
    huge("shop.yml", "rejection of 50k `not`", shop.replace(`if: 'not (slots.order_number matches "^[A-Z]{2}[0-9]{6}$")'`, `if: "${"not ".repeat(50_000)}slots.order_number"`), "error"),
    huge("bank.yml", "branch of 5k `and`s", bank.replace("if: slots.recipient_known", `if: "${"slots.recipient_known and ".repeat(5_000)}true"`), "error"),
    huge("bank.yml", "a description that is a 100k-digit number", bank.replace(/description: Send money[^\n]*/, `description: ${"9".repeat(100_000)}`), "error"),
    huge("domain/bank.yml", "1 MB response text", seedText["domain/bank.yml"].replace(`"Who would you like to send money to?"`, `"${"{recipient} ".repeat(100_000)}"`), "unknown"),
    huge("shop.yml", "1 MB flow id", shop.replace("track_dress_order:", `${"t".repeat(1024 * 1024)}:`), "unknown"),
  ];
}

function aliasBombs(): Draft[] {
  const out: Draft[] = [];
  /** `width` aliases per level, `levels` levels: width^levels nodes when expanded. */
  const bomb = (width: number, levels: number, asMapping: boolean) => {
    const lines = [`b0: &b0 [${Array.from({ length: width }, () => "lol").join(", ")}]`];
    for (let level = 1; level <= levels; level++) {
      const items = Array.from({ length: width }, (_, i) => (asMapping ? `k${i}: *b${level - 1}` : `*b${level - 1}`));
      lines.push(asMapping ? `b${level}: &b${level} {${items.join(", ")}}` : `b${level}: &b${level} [${items.join(", ")}]`);
    }
    return { anchors: lines.join("\n"), top: `*b${levels}` };
  };
  const shapes: readonly [number, number, boolean][] = [
    [10, 9, false],
    [10, 9, true],
    [2, 30, false],
    [100, 4, false],
    [3, 20, true],
  ];
  const placements: readonly ((anchors: string, top: string) => [SeedFile, string, string])[] = [
    (anchors, top) => ["domain/bank.yml", "as `slots`", `bombs:\n${indent(anchors, 2)}\nslots: ${top}\n`],
    (anchors) => ["domain/shop.yml", "under an unused key", `${seedText["domain/shop.yml"]}\nunused:\n${indent(anchors, 2)}\n`],
    (anchors, top) => ["bank.yml", "as `flows`", `anchors:\n${indent(anchors, 2)}\nflows: ${top}\n`],
    (anchors, top) => ["shop.yml", "as a flow description", `anchors:\n${indent(anchors, 2)}\n${seedText["shop.yml"].replace(/description: Help the user[^\n]*/, `description: ${top}`)}`],
    (anchors, top) => ["shop.yml", "as steps", `anchors:\n${indent(anchors, 2)}\n${seedText["shop.yml"].replace("steps:\n      - collect: order_number", `steps: ${top}\n    unused_steps:\n      - collect: order_number`)}`],
    (anchors, top) => ["bank.yml", "as a mapping key", `anchors:\n${indent(anchors, 2)}\n? ${top}\n: x\n${seedText["bank.yml"]}`],
  ];
  // Every shape in three of the places, every place with two or three shapes (each bomb costs
  // the expansion of 100,000 nodes before it is stopped).
  shapes.forEach(([width, levels, asMapping], index) => {
    const { anchors, top } = bomb(width, levels, asMapping);
    const shape = `${width}^${levels}${asMapping ? " mappings" : ""}`;
    for (let k = 0; k < 3; k++) {
      const [file, label, text] = placements[(index * 3 + k) % placements.length]!(anchors, top);
      out.push({ family: "alias-bomb", label: `${file}: ${shape}, ${label}`, expect: "error", file, text });
    }
  });
  // A quadratic one: 1,000 aliases to a list of 1,000.
  const wide = `[${Array.from({ length: 1000 }, () => "x").join(", ")}]`;
  const refs = `[${Array.from({ length: 1000 }, () => "*w").join(", ")}]`;
  out.push({ family: "alias-bomb", label: "domain/bank.yml: 1000 × 1000 aliases as intents", expect: "error", file: "domain/bank.yml", text: `wide: &w ${wide}\nintents: ${refs}\n${seedText["domain/bank.yml"].replace(/^intents:\n.*\n/m, "")}` });
  const base = `{${Array.from({ length: 200 }, (_, i) => `k${i}: x`).join(", ")}}`;
  out.push({ family: "alias-bomb", label: "bank.yml: 1000 merge keys `<<` of a 200-key mapping", expect: "error", file: "bank.yml", text: `base: &w ${base}\nmerged: [${Array.from({ length: 1000 }, () => "{<<: *w}").join(", ")}]\n${seedText["bank.yml"]}` });
  // Many aliases (each used to cost a walk over the whole document: minutes for 40,000).
  out.push({ family: "alias-bomb", label: "domain/shop.yml: 11,000 aliases of a 10-item list", expect: "error", file: "domain/shop.yml", text: `${seedText["domain/shop.yml"]}\nanchor: &a [${Array.from({ length: 10 }, () => "x").join(", ")}]\nmany: [${Array.from({ length: 11_000 }, () => "*a").join(", ")}]\n` });
  return out;
}

function indent(text: string, by: number): string {
  return text
    .split("\n")
    .map((line) => `${" ".repeat(by)}${line}`)
    .join("\n");
}

function duplicateKeys(random: Random): Draft[] {
  const out: Draft[] = [];
  const mapSites = SEED_FILES.flatMap((file) => [
    { file, path: [] as Segment[] },
    ...collectSites(file)
      .filter((site) => site.kind === "mapping")
      .map((site) => ({ file, path: [...site.path] })),
  ]);
  for (let i = 0; i < 90; i++) {
    const { file, path } = random.pick(mapSites);
    const document = parseSeed(file);
    const map = path.length === 0 ? document.contents : document.getIn(path, true);
    if (!isMap(map) || map.items.length === 0) {
      i--;
      continue;
    }
    const original = random.pick(map.items);
    if (!isScalar(original.key)) {
      i--;
      continue;
    }
    const key = new Scalar(original.key.value);
    if (random.chance(0.3)) key.type = random.pick([Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE]);
    const value = random.chance(0.5) ? document.createNode(random.pick(["again", 7, null, true])) : original.value;
    const pair = document.createPair(key, value);
    map.items.splice(random.int(map.items.length + 1), 0, pair);
    out.push({ family: "duplicate-key", label: `${file}: key \`${String(original.key.value)}\` twice at ${path.join(".") || "the top level"}`, expect: "error", file, text: document.toString(STRINGIFY) });
  }
  // Flow-style mappings and the same key spelled differently.
  out.push({ family: "duplicate-key", label: "shop.yml: a flow-style step with `action` twice", expect: "error", file: "shop.yml", text: seedText["shop.yml"].replace("- action: find_dress", "- {action: find_dress, action: find_dress}") });
  out.push({ family: "duplicate-key", label: "bank.yml: `description` and \"description\"", expect: "error", file: "bank.yml", text: seedText["bank.yml"].replace("    name: send money\n", `    name: send money\n    "description": twice\n`) });
  out.push({ family: "duplicate-key", label: "domain/bank.yml: `slots` twice at the top level", expect: "error", file: "domain/bank.yml", text: `${seedText["domain/bank.yml"]}\nslots: {}\n` });
  out.push({ family: "duplicate-key", label: "bank.yml: `flows` twice at the top level", expect: "error", file: "bank.yml", text: `${seedText["bank.yml"]}\nflows: {}\n` });
  out.push({ family: "duplicate-key", label: "shop.yml: a flow id twice in one file", expect: "error", file: "shop.yml", text: `${seedText["shop.yml"]}\n  shop_for_dress:\n    description: again\n    steps:\n      - action: utter_dress_ordered\n` });
  out.push({ family: "duplicate-key", label: "domain/shop.yml: a response twice", expect: "error", file: "domain/shop.yml", text: seedText["domain/shop.yml"].replace("responses:\n", `responses:\n  utter_dress_ordered:\n    - text: first\n`) });
  out.push({ family: "duplicate-key", label: "domain/shop.yml: `type` twice in a slot", expect: "error", file: "domain/shop.yml", text: seedText["domain/shop.yml"].replace("  buy_dress:\n    type: bool\n", "  buy_dress:\n    type: bool\n    type: text\n") });
  out.push({ family: "duplicate-key", label: "bank.yml: null key twice", expect: "error", file: "bank.yml", text: seedText["bank.yml"].replace("    name: send money\n", "    name: send money\n    ~: a\n    null: b\n") });
  return out;
}

const SOUP_TOKENS = [
  "slots.amount", "slots.recipient", "slots.", "slots", "context.collect", "x", "and", "or", "not", "(", ")", "{", "}",
  "'x'", '"y"', "'unterminated", '"', "42", "-1.5", "1e3", "0x1F", "=", "==", "!=", "<", ">=", "is", "contains",
  "matches", "/re/", "/[/", "/(?P<x>/", "null", "true", "false", "undefined", "empty", ",", "!", "&&", "||", "[", "]",
  "+", "{{", "}}", "{{ slots.amount }}", "{{ 1 + 2 }}", "{%", "%}", "{#", "#}", "\u00a0", "\t", "\n", "é", "∅", "\u0000",
  "\\", "$", "${UNSET_VARIABLE}", "#", ":", "- ", "*", "&a", "?", "\u202e", "😀", "in", "if", "else",
];

function conditionSoup(random: Random): Draft[] {
  const out: Draft[] = [];
  const sites = FLOWS_FILES.flatMap(collectSites).filter(
    (site) => site.path.at(-1) === "if" && site.kind === "string" && site.path.length > 3,
  );
  // The flow guard of check_balance is a condition as well.
  const guard = collectSites("bank.yml").find((site) => site.path.join(".") === "flows.check_balance.if");
  if (guard) sites.push(guard);
  if (sites.length < 10) throw new Error(`only ${sites.length} conditions in the seed`);
  for (let i = 0; i < 180; i++) {
    const site = random.pick(sites);
    const count = random.between(1, 12);
    const soup = Array.from({ length: count }, () => random.pick(SOUP_TOKENS)).join(random.pick([" ", "", "  "]));
    out.push({ family: "condition-soup", label: `${site.file}: condition at ${site.path.join(".")} replaced by ${JSON.stringify(soup)}`, expect: "unknown", file: site.file, text: replaced(site.file, site.path, soup) });
  }
  return out;
}

function generateVariants(seed: number): Variant[] {
  const random = new Random(seed);
  const drafts = [
    ...truncations(random),
    ...wrongTypes(random),
    ...randomByteVariants(random),
    ...deepNesting(random),
    ...hugeScalars(),
    ...aliasBombs(),
    ...duplicateKeys(random),
    ...conditionSoup(random),
  ];
  return drafts.map((draft, id) => ({ id, ...draft }));
}

// ---------------------------------------------------------------------------
// Checking one result

const USER_PREFIX = "flows/";

function inputsOf(variant: Variant): { path: string; text: string }[] {
  return SEED_FILES.map((file) => ({ path: `${USER_PREFIX}${file}`, text: file === variant.file ? variant.text : seedText[file] }));
}

const LEAKED_INTERNALS = /\bat Object\.|^\s+at |Maximum call stack|Cannot read propert|is not a function|is not iterable|\[object Object\]/m;

/** Problems with one diagnostic (empty when it is well-formed). */
function diagnosticProblems(d: Diagnostic, texts: ReadonlyMap<string, string>, linesOf: Map<string, readonly string[]>): string[] {
  const problems: string[] = [];
  const where = `${d.code} "${d.message.slice(0, 120)}"`;
  if (!/^FLW\d{4}$/.test(d.code)) problems.push(`bad code ${where}`);
  if (d.severity !== "error" && d.severity !== "warning") problems.push(`bad severity ${d.severity} ${where}`);
  if (typeof d.message !== "string" || d.message.trim() === "") problems.push(`empty message ${where}`);
  else if (LEAKED_INTERNALS.test(d.message)) problems.push(`internals in message ${where}`);
  if (d.range) {
    const { file, start, end } = d.range;
    const text = texts.get(file.path) ?? (file.path.startsWith("<flowc>/") ? file.text : undefined);
    if (text === undefined) problems.push(`range in unknown file ${file.path}: ${where}`);
    else if (file.text !== text) problems.push(`range file text differs from input ${file.path}: ${where}`);
    else {
      const ok = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= text.length && end >= start && end <= text.length + 1;
      if (!ok) problems.push(`range ${start}..${end} outside ${file.path} (${text.length} chars): ${where}`);
      const json = toJson(d);
      const lines = linesOf.get(file.path) ?? text.split("\n");
      linesOf.set(file.path, lines);
      const within = (line: number | null, column: number | null) =>
        line !== null && column !== null && line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1] ?? "").length + 1;
      if (!within(json.line, json.column) || !within(json.endLine, json.endColumn)) {
        problems.push(`line/column ${json.line}:${json.column}-${json.endLine}:${json.endColumn} outside ${file.path}: ${where}`);
      }
    }
  }
  const text = formatText(d);
  if (text.trim() === "" || LEAKED_INTERNALS.test(text.replace(/^\s*\d+ \|.*$/gm, ""))) problems.push(`bad text form ${where}`);
  return problems;
}

interface Outcome {
  readonly errors: number;
  readonly warnings: number;
  readonly problems: readonly string[];
}

function compileVariant(variant: Variant): Outcome {
  const inputs = inputsOf(variant);
  let result: CompileResult;
  try {
    result = compileFlows({ inputs, env: {} });
  } catch (error) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { errors: 0, warnings: 0, problems: [`threw: ${stack.split("\n").slice(0, 6).join(" | ")}`] };
  }
  const texts = new Map(inputs.map((input) => [input.path, input.text]));
  const lines = new Map<string, readonly string[]>();
  const problems: string[] = [];
  if (result.ioError) problems.push("ioError for in-memory inputs");
  for (const d of [...result.errors, ...result.warnings]) {
    try {
      problems.push(...diagnosticProblems(d, texts, lines));
    } catch (error) {
      problems.push(`formatting ${d.code} threw: ${String(error)}`);
    }
  }
  if (variant.expect === "error" && result.errors.length === 0) problems.push("certainly malformed, but no errors");
  if (variant.expect === "valid" && result.errors.length > 0) {
    problems.push(`valid, but errors: ${result.errors.slice(0, 3).map((d) => `${d.code} ${d.message.slice(0, 100)}`).join("; ")}`);
  }
  return { errors: result.errors.length, warnings: result.warnings.length, problems };
}

// ---------------------------------------------------------------------------
// The CLI as a subprocess

interface CliRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

const CLI_TIMEOUT_MS = 20_000;

function runCli(path: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, "bin/flowc.js"), "compile", path, "--no-emit", "--format", "json"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, CLI_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const finish = (code: number | null, signal: string | null, extra = "") => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") + extra, ms: Date.now() - started });
    };
    child.on("error", (error) => finish(null, null, `spawn failed: ${error.message}`));
    child.on("close", (code, signal) => finish(code, signal));
  });
}

/**
 * Runs tasks from a list; each `addWorker()` adds one more task at a time (so the CLI runs can
 * use one core while the in-process run uses the other, and both once that is done).
 */
class TaskQueue<T, R> {
  private next = 0;
  private readonly results: R[] = [];
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly items: readonly T[],
    private readonly task: (item: T) => Promise<R>,
  ) {}

  addWorker(): void {
    this.workers.push(
      (async () => {
        while (this.next < this.items.length) {
          const index = this.next++;
          this.results[index] = await this.task(this.items[index]!);
        }
      })(),
    );
  }

  /** All results, in the order of the items (the tasks must not reject). */
  async done(): Promise<R[]> {
    if (this.workers.length === 0) this.addWorker();
    await Promise.all(this.workers);
    return this.results;
  }
}

function writeVariant(root: string, variant: Variant): string {
  const dir = join(root, `variant-${variant.id}`);
  for (const file of SEED_FILES) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    if (file !== variant.file) writeFileSync(path, seedText[file]);
    else writeFileSync(path, variant.bytes ?? variant.text);
  }
  return dir;
}

/** A sample for the CLI: the expensive families in full measure, a few of every other. */
function cliSample(variants: readonly Variant[]): Variant[] {
  const random = new Random(SEED ^ 0xc11);
  const picks: Variant[] = [];
  const take = (family: Family, count: number, filter: (v: Variant) => boolean = () => true) => {
    const pool = variants.filter((v) => v.family === family && filter(v) && !picks.includes(v));
    for (let i = 0; i < count && pool.length > 0; i++) picks.push(pool.splice(random.int(pool.length), 1)[0]!);
  };
  take("deep-nesting", 1, (v) => v.label.includes("100000"));
  take("deep-nesting", 1, (v) => v.label.includes("block mappings 3000"));
  take("huge-scalar", 1, (v) => v.label.includes("5 MB flow description"));
  take("huge-scalar", 1, (v) => v.label.includes("100k `(`"));
  take("alias-bomb", 2);
  take("random-bytes", 1, (v) => v.bytes !== undefined && v.label.includes("replaced"));
  take("random-bytes", 1, (v) => v.label.includes("inserted"));
  take("truncation", 1);
  take("wrong-type", 2);
  take("duplicate-key", 1);
  take("condition-soup", 1);
  return picks;
}

// ---------------------------------------------------------------------------

describe("malformed inputs", () => {
  const variants = generateVariants(SEED);
  const outcomes = new Map<number, Outcome>();
  const sample = cliSample(variants);
  let tmp = "";
  let cli: TaskQueue<{ variant: Variant | undefined; path: string }, { variant: Variant | undefined; run: CliRun }> | undefined;

  beforeAll(() => {
    // Start the CLI runs now: they overlap with the in-process run below.
    tmp = temporaryFolder("flowc-malformed-");
    const jobs: { variant: Variant | undefined; path: string }[] = [
      { variant: undefined, path: join(tmp, "does-not-exist") },
      ...sample.map((variant) => ({ variant, path: writeVariant(tmp, variant) })),
    ];
    cli = new TaskQueue(jobs, async (job) => ({ variant: job.variant, run: await runCli(job.path) }));
    for (let i = 1; i < availableParallelism(); i++) cli.addWorker();
  });

  afterAll(async () => {
    // When the CLI test was filtered out, its runs are still going: let them finish before
    // the file's own afterAll (tests/support/temp.ts) removes their folder.
    await cli?.done();
  }, 240_000);

  it("generates at least 1,000 variants from every family and every level", () => {
    expect(variants.length).toBeGreaterThanOrEqual(1000);
    for (const family of FAMILIES) expect(variants.filter((v) => v.family === family).length, family).toBeGreaterThan(0);
    const labels = variants.filter((v) => v.family === "wrong-type").map((v) => v.label);
    for (const level of LEVELS) expect(labels.some((label) => label.includes(`: ${level} at `)), level).toBe(true);
    // Deterministic: the same seed gives the same variants.
    expect(generateVariants(SEED).map((v) => v.text.length)).toEqual(variants.map((v) => v.text.length));
  });

  it("compiles the seed, and the seed written back by the yaml package, without errors", () => {
    const seed: Variant = { id: -1, family: "truncation", label: "the seed itself", expect: "valid", file: "bank.yml", text: seedText["bank.yml"] };
    expect(compileVariant(seed).problems).toEqual([]);
    for (const file of SEED_FILES) {
      const rewritten: Variant = { ...seed, label: `${file} rewritten`, file, text: parseSeed(file).toString(STRINGIFY) };
      expect(compileVariant(rewritten).problems).toEqual([]);
    }
  });

  it(
    "answers every variant with well-formed diagnostics, and errors for every certainly malformed one",
    async () => {
      const failures: string[] = [];
      const timings: [number, Variant][] = [];
      for (const variant of variants) {
        const started = performance.now();
        const outcome = compileVariant(variant);
        timings.push([performance.now() - started, variant]);
        outcomes.set(variant.id, outcome);
        for (const problem of outcome.problems) failures.push(`#${variant.id} [${variant.family}] ${variant.label}: ${problem}`);
        // Let the CLI subprocesses' events through (the loop is otherwise synchronous).
        await new Promise((resolve) => setImmediate(resolve));
      }
      const table = FAMILIES.map((family) => {
        const mine = variants.filter((v) => v.family === family);
        const withErrors = mine.filter((v) => (outcomes.get(v.id)?.errors ?? 0) > 0).length;
        const certain = mine.filter((v) => v.expect === "error").length;
        return { family, variants: mine.length, certain, withErrors };
      });
      console.log(table.map((row) => `${row.family.padEnd(15)} ${String(row.variants).padStart(4)} variants, ${String(row.withErrors).padStart(4)} with errors (${row.certain} certainly malformed)`).join("\n"));
      if (process.env.FLOWC_MALFORMED_REPORT) {
        const accepted = variants.filter((v) => v.expect === "unknown" && outcomes.get(v.id)?.errors === 0);
        console.log(`accepted without errors:\n${accepted.map((v) => `  #${v.id} [${v.family}] ${v.label.slice(0, 160)}`).join("\n")}`);
        timings.sort((a, b) => b[0] - a[0]);
        console.log(timings.slice(0, 25).map(([ms, v]) => `${ms.toFixed(0).padStart(6)} ms  #${v.id} [${v.family}] ${v.label}`).join("\n"));
      }
      expect({ failures: failures.length, first: failures.slice(0, 30) }).toEqual({ failures: 0, first: [] });
      // Where a mutation may happen to leave a valid assistant, it still almost never does.
      for (const row of table) expect(row.withErrors / row.variants, row.family).toBeGreaterThanOrEqual(row.family === "huge-scalar" ? 0.5 : 0.75);
    },
    240_000,
  );

  it(
    "the CLI exits with 1 (or 0 where the API found no errors) and prints JSON diagnostics, never a stack trace",
    async () => {
      expect(sample.length).toBeGreaterThanOrEqual(12);
      for (let i = 0; i < 2; i++) cli!.addWorker();
      const runs = await cli!.done();
      const failures: string[] = [];
      for (const { variant, run } of runs) {
        const name = variant ? `#${variant.id} [${variant.family}] ${variant.label}` : "a path that does not exist";
        const fail = (problem: string) => failures.push(`${name}: ${problem}`);
        if (run.timedOut) fail(`no answer within ${CLI_TIMEOUT_MS / 1000} s`);
        if (/^\s+at /m.test(run.stderr) || /internal error/i.test(run.stderr)) fail(`stderr: ${run.stderr.slice(0, 500)}`);
        let json: { errors?: unknown; warnings?: unknown } = {};
        try {
          json = JSON.parse(run.stdout) as typeof json;
        } catch {
          fail(`stdout is not JSON: ${run.stdout.slice(0, 200)}`);
        }
        if (!Array.isArray(json.errors) || !Array.isArray(json.warnings)) {
          fail("stdout has no `errors` and `warnings` lists");
          continue;
        }
        for (const d of [...json.errors, ...json.warnings] as { code?: unknown; message?: unknown; line?: unknown }[]) {
          if (typeof d.code !== "string" || !/^FLW\d{4}$/.test(d.code)) fail(`bad code ${String(d.code)}`);
          if (typeof d.message !== "string" || d.message.trim() === "" || LEAKED_INTERNALS.test(d.message)) fail(`bad message ${String(d.message)}`);
          if (d.line !== null && !(typeof d.line === "number" && d.line >= 1)) fail(`bad line ${String(d.line)}`);
        }
        if (variant === undefined) {
          if (run.code !== 2) fail(`exit code ${run.code}, expected 2`);
          if (!json.errors.some((d) => (d as { code?: unknown }).code === "FLW0001")) fail("no FLW0001 error");
          continue;
        }
        const api = outcomes.get(variant.id) ?? compileVariant(variant);
        const expected = api.errors > 0 ? 1 : 0;
        if (variant.expect === "error" && run.code !== 1) fail(`exit code ${run.code}, expected 1`);
        if (run.code !== expected) fail(`exit code ${run.code} (signal ${run.signal}), the API found ${api.errors} errors`);
        // How far yaml gets into thousands of levels before it gives up depends on the stack size,
        // and so does the number of errors about the levels it saw.
        if (variant.family !== "deep-nesting" && json.errors.length !== api.errors) fail(`${json.errors.length} errors in JSON, the API found ${api.errors}`);
      }
      expect(failures).toEqual([]);
    },
    240_000,
  );
});
