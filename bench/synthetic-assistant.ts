/**
 * Synthetic Rasa CALM assistants for the compile-time benchmarks: `generateAssistant(n)` returns
 * a domain file and flows files (100 flows per file) with n flows that flowc compiles with no
 * errors and no warnings. The output depends only on n (a seeded PRNG per flow, no clock).
 *
 * Every fifth flow (index ≡ 4 mod 5) is a child flow (`if: False`, never links) called by the
 * flow before it and sometimes by one more. The other flows have about eleven steps each
 * (children about five, about ten overall) in this shape, with variations drawn per flow:
 *
 *   ask_amount  collect a float, with a rejection (`slots.x is not null and slots.x <= 0` …)
 *   (code)      collect a text, sometimes with a `matches` rejection
 *   (tier)      sometimes collect a shared categorical slot
 *   lookup      custom action, then a `noop` that branches (and/or with parentheses, a set
 *               `contains`, `matches`), with nested lists, `set_slots` and the `call`
 *   (review)    sometimes a custom action branching on `not slots.flag` / a categorical value
 *   confirm     collect a bool with `ask_before_filling: true`; yes → submit, then `is null`
 *               in a nested list; no → reset the amount and go back to ask_amount (a loop that
 *               asks the user)
 *   wrap        a response, and for about a third of the flows a `link` to another flow
 *
 * Slots: six per parent flow, three per child flow, plus three shared slots (bool, categorical,
 * float) per 20 flows that many flows read and some collect.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { seededRandom } from "../runtime/assistant.ts";

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export interface GeneratedAssistant {
  readonly files: GeneratedFile[];
}

export const FLOWS_PER_FILE = 100;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness


class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(lowInclusive: number, highExclusive: number): number {
    return lowInclusive + Math.floor(this.next() * (highExclusive - lowInclusive));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }
  /** `count` distinct items, in the order they appear in `items`. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(this.int(0, items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]!);
  }
}

/** The seed of flow `index`: murmur3's finalizer, so that neighbouring flows differ. */
function flowSeed(index: number): number {
  let h = (0x5eed1234 ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// A minimal YAML writer (block style, stable quoting)

/** A scalar written as is, e.g. `False`. */
class Raw {
  constructor(readonly text: string) {}
}

type Yaml = string | number | boolean | null | Raw | readonly Yaml[] | { readonly [key: string]: Yaml };

const PLAIN = /^[A-Za-z][A-Za-z0-9_ .,()-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

function scalar(value: string | number | boolean | null | Raw): string {
  if (value instanceof Raw) return value.text;
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(" ")) return value;
  if (!value.includes("'") && !value.includes("\n")) return `'${value}'`;
  return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
}

function isScalar(value: Yaml): value is string | number | boolean | null | Raw {
  return value === null || typeof value !== "object" || value instanceof Raw;
}

function writeYaml(value: Yaml, indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  if (isScalar(value)) {
    out.push(`${pad}${scalar(value)}`);
  } else if (Array.isArray(value)) {
    for (const item of value as readonly Yaml[]) {
      if (isScalar(item)) {
        out.push(`${pad}- ${scalar(item)}`);
        continue;
      }
      const start = out.length;
      writeYaml(item, indent + 2, out);
      out[start] = `${pad}- ${out[start]!.slice(indent + 2)}`;
    }
  } else {
    for (const [key, item] of Object.entries(value as { readonly [key: string]: Yaml })) {
      if (isScalar(item)) out.push(`${pad}${key}: ${scalar(item)}`);
      else if (Array.isArray(item) && item.length === 0) out.push(`${pad}${key}: []`);
      else {
        out.push(`${pad}${key}:`);
        writeYaml(item, indent + 2, out);
      }
    }
  }
}

function yamlText(header: string, value: Yaml): string {
  const out: string[] = [];
  writeYaml(value, 0, out);
  return `${header}${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const VERBS = ["renew", "cancel", "order", "update", "transfer", "book", "report", "upgrade", "pause", "verify", "refund", "schedule", "close", "open", "change", "review"];
const NOUNS = ["policy", "subscription", "parcel", "address", "payment", "appointment", "claim", "plan", "account", "identity", "invoice", "delivery", "loan", "card", "contract", "ticket", "voucher", "reservation"];
const CATEGORY_VALUES = ["alpha", "beta", "gamma", "delta", "omega", "sigma"];
const TIER_VALUES = ["bronze", "silver", "gold", "platinum"];

// ---------------------------------------------------------------------------------------------
// The assistant

interface Slot {
  readonly type: "text" | "bool" | "float" | "categorical";
  readonly mapping: "from_llm" | "controlled";
  readonly values?: readonly string[];
  readonly initialValue?: boolean;
}

interface Domain {
  readonly slots: Map<string, Slot>;
  readonly responses: Map<string, string>;
  readonly actions: string[];
  readonly intents: string[];
}

interface Plan {
  readonly n: number;
  readonly width: number;
  readonly sharedGroups: number;
  readonly ids: string[];
  readonly isChild: (index: number) => boolean;
  /** The children flow `index` calls. */
  readonly calls: Map<number, number[]>;
}

function isChildIndex(index: number): boolean {
  return index % 5 === 4;
}

function plan(n: number): Plan {
  const width = Math.max(5, String(Math.max(0, n - 1)).length);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const random = new Random(flowSeed(i));
    const number = String(i).padStart(width, "0");
    ids.push(isChildIndex(i) ? `${random.pick(NOUNS)}_details_${number}` : `${random.pick(VERBS)}_${random.pick(NOUNS)}_${number}`);
  }
  const calls = new Map<number, number[]>();
  const addCall = (caller: number, child: number) => calls.set(caller, [...(calls.get(caller) ?? []), child]);
  for (let child = 4; child < n; child += 5) {
    addCall(child - 1, child); // every child has a caller
    if (new Random(flowSeed(child) ^ 0xca11).chance(0.5)) addCall(child - 3, child);
  }
  return { n, width, sharedGroups: Math.max(2, Math.ceil(n / 20)), ids, isChild: isChildIndex, calls };
}

/** The next parent flow after `index` (wrapping around), or undefined if there is none. */
function linkTarget(p: Plan, index: number): number | undefined {
  for (let k = 1; k < p.n; k++) {
    const target = (index + k) % p.n;
    if (!p.isChild(target)) return target;
  }
  return undefined;
}

function addSlot(domain: Domain, name: string, slot: Slot): void {
  if (!domain.slots.has(name)) domain.slots.set(name, slot);
}

function addResponse(domain: Domain, name: string, text: string): string {
  if (!domain.responses.has(name)) domain.responses.set(name, text);
  return name;
}

function addAction(domain: Domain, name: string): string {
  domain.actions.push(name);
  return name;
}

type Step = { readonly [key: string]: Yaml };

function sharedSlots(domain: Domain, group: number): { flag: string; tier: string; score: string } {
  const flag = `shared_flag_${group}`;
  const tier = `shared_tier_${group}`;
  const score = `shared_score_${group}`;
  addSlot(domain, flag, { type: "bool", mapping: "controlled", initialValue: false });
  addSlot(domain, tier, { type: "categorical", mapping: "from_llm", values: TIER_VALUES });
  addSlot(domain, score, { type: "float", mapping: "controlled" });
  addResponse(domain, `utter_ask_${tier}`, `Which membership tier are you on (group ${group})?`);
  return { flag, tier, score };
}

function parentFlow(p: Plan, index: number, domain: Domain, sharedDomain: Domain): { [key: string]: Yaml } {
  const random = new Random(flowSeed(index));
  const id = p.ids[index]!;
  const [verb, noun] = id.split("_") as [string, string];
  const s = `f${String(index).padStart(p.width, "0")}`;
  const shared = sharedSlots(sharedDomain, random.int(0, p.sharedGroups));
  const categories = random.sample(CATEGORY_VALUES, 3);
  const [cat1, cat2, cat3] = categories as [string, string, string];

  const amount = `${s}_amount`;
  const code = `${s}_code`;
  const category = `${s}_category`;
  const confirmed = `${s}_confirmed`;
  const result = `${s}_result`;
  const note = `${s}_note`;
  addSlot(domain, amount, { type: "float", mapping: "from_llm" });
  addSlot(domain, category, { type: "categorical", mapping: "controlled", values: categories });
  addSlot(domain, confirmed, { type: "bool", mapping: "from_llm" });
  addSlot(domain, result, { type: "text", mapping: "controlled" });
  addSlot(domain, note, { type: "text", mapping: "controlled" });
  addResponse(domain, `utter_ask_${amount}`, `How much is the ${noun} for, in EUR?`);
  addResponse(domain, `utter_ask_${confirmed}`, `Shall I ${verb} the ${noun} for {${amount}} EUR now?`);

  const steps: Step[] = [];
  // Null-checked, as Rasa 3.12 also runs rejections on a slot set back to null (FLW3109).
  const amountRejection = `slots.${amount} is not null and ${random.pick([`slots.${amount} <= 0`, `(slots.${amount} <= 0 or slots.${amount} > ${random.int(2, 50) * 1000})`, `slots.${amount} < 1`])}`;
  steps.push({
    id: "ask_amount",
    collect: amount,
    description: `amount of the ${noun} to ${verb}, in EUR, a positive number`,
    ...(random.chance(0.85) ? { rejections: [{ if: amountRejection, utter: addResponse(domain, `utter_${amount}_invalid`, "The amount has to be a positive number.") }] } : {}),
  });

  const hasCode = random.chance(0.6);
  if (hasCode) {
    addSlot(domain, code, { type: "text", mapping: "from_llm" });
    addResponse(domain, `utter_ask_${code}`, `What is the ${noun} reference? It looks like AB1234.`);
    const rejection = random.chance(0.5)
      ? { rejections: [{ if: `not (slots.${code} matches "^[A-Z]{2}\\d+$")`, utter: addResponse(domain, `utter_${code}_invalid`, "That reference should be two capital letters followed by digits.") }] }
      : {};
    steps.push({ collect: code, description: `the ${noun} reference, two capital letters followed by digits`, ...rejection });
  }

  const collectsTier = random.chance(0.25);
  if (collectsTier) steps.push({ collect: shared.tier, description: "the membership tier of the user, one of bronze, silver, gold or platinum" });

  steps.push({ action: addAction(domain, `action_${s}_lookup`) }); // sets category and result

  const hasReview = random.chance(0.5);
  const afterBranch = hasReview ? "review" : "confirm";
  const children = p.calls.get(index) ?? [];
  const callSteps = children.map((child, k): Step => ({ call: p.ids[child]!, ...(k === children.length - 1 ? { next: afterBranch } : {}) }));
  const elseTarget: Yaml = callSteps.length > 0 ? callSteps : afterBranch;

  const andOr = `slots.${amount} > ${random.int(1, 50) * 10} and (slots.${category} = "${cat1}" or slots.${shared.flag})`;
  const contains = `{'${cat2}' '${cat3}'} contains slots.${category}`;
  const noted = addResponse(domain, `utter_${s}_noted`, `I have noted that this ${noun} needs extra care.`);
  const setNote: Step = { set_slots: [{ [note]: random.pick(["priority", "follow up", "manual check"]) }] };
  if (hasCode && random.chance(0.6)) {
    steps.push({
      noop: true,
      next: [
        { if: `slots.${code} matches "^[A-Z]{2}\\d+"`, then: [setNote, { action: noted, next: afterBranch }] },
        { if: andOr, then: afterBranch },
        { else: elseTarget },
      ],
    });
  } else if (random.chance(0.5)) {
    steps.push({
      noop: true,
      next: [
        { if: andOr, then: afterBranch },
        { if: contains, then: [{ action: noted, next: afterBranch }] },
        { else: elseTarget },
      ],
    });
  } else {
    steps.push({
      noop: true,
      next: [
        { if: contains, then: [setNote, { action: noted, next: afterBranch }] },
        { if: `slots.${shared.score} >= 0.${random.int(1, 10)} or slots.${amount} < ${random.int(2, 9)}`, then: afterBranch },
        { else: elseTarget },
      ],
    });
  }

  if (hasReview) {
    const flagged = addResponse(domain, `utter_${s}_flagged`, `This ${noun} is flagged for a manual review.`);
    const condition = collectsTier ? `slots.${shared.tier} = "${random.pick(TIER_VALUES)}"` : `not slots.${shared.flag}`;
    steps.push({
      id: "review",
      action: addAction(domain, `action_${s}_review`),
      next: [{ if: condition, then: [{ action: flagged, next: "confirm" }] }, { else: "confirm" }],
    });
  }

  const submit = addAction(domain, `action_${s}_submit`); // sets result
  const failed = addResponse(domain, `utter_${s}_failed`, `Sorry, the ${noun} could not be processed: {${result}}.`);
  const submitStep: Step = random.chance(0.6)
    ? { action: submit, next: [{ if: `slots.${result} is null`, then: [{ action: failed, next: "END" }] }, { else: "wrap" }] }
    : { action: submit, next: "wrap" };
  steps.push({
    id: "confirm",
    collect: confirmed,
    ask_before_filling: true,
    description: `whether the user confirms to ${verb} the ${noun}`,
    next: [{ if: `slots.${confirmed}`, then: [submitStep] }, { else: [{ set_slots: [{ [amount]: null }], next: "ask_amount" }] }],
  });
  steps.push({ id: "wrap", action: addResponse(domain, `utter_${s}_done`, `Done: your ${noun} is taken care of.`) });

  const target = random.chance(0.35) ? linkTarget(p, index) : undefined;
  if (target !== undefined) steps.push({ link: p.ids[target]! });

  const flow: { [key: string]: Yaml } = {
    description: `Synthetic flow ${index}: ${verb} the user's ${noun} after checking its details and asking for confirmation.`,
  };
  if (random.chance(0.1)) {
    const intent = `start_${id}`;
    domain.intents.push(intent);
    flow["nlu_trigger"] = [{ intent }];
  }
  flow["steps"] = steps;
  return flow;
}

function childFlow(p: Plan, index: number, domain: Domain): { [key: string]: Yaml } {
  const random = new Random(flowSeed(index));
  const noun = p.ids[index]!.split("_")[0]!;
  const s = `f${String(index).padStart(p.width, "0")}`;
  const count = `${s}_count`;
  const detail = `${s}_detail`;
  const ok = `${s}_ok`;
  addSlot(domain, count, { type: "float", mapping: "from_llm" });
  addSlot(domain, detail, { type: "text", mapping: "from_llm" });
  addSlot(domain, ok, { type: "bool", mapping: "controlled" });
  addResponse(domain, `utter_ask_${count}`, `How many ${noun} items are there?`);
  addResponse(domain, `utter_ask_${detail}`, `Anything else I should know about the ${noun}?`);

  const steps: Step[] = [
    {
      collect: count,
      description: `number of ${noun} items, at least one`,
      rejections: [{ if: `slots.${count} is not null and slots.${count} <= 0`, utter: addResponse(domain, `utter_${count}_invalid`, "Please give a number of at least one.") }],
    },
    { collect: detail, description: `free-text details about the ${noun}` },
    {
      action: addAction(domain, `action_${s}_check`), // sets ok
      next: [
        { if: `slots.${ok} and slots.${count} >= ${random.int(2, 20)}`, then: [{ action: addResponse(domain, `utter_${s}_ok`, `The ${noun} details look fine.`), next: "END" }] },
        { if: `slots.${detail} is null`, then: "END" },
        { else: [{ set_slots: [{ [ok]: false }] }, { action: addResponse(domain, `utter_${s}_not_ok`, `I will pass the ${noun} details on for a check.`), next: "END" }] },
      ],
    },
  ];
  return {
    if: new Raw("False"),
    description: `Synthetic child flow ${index}: collect extra details about a ${noun}, only as part of another flow.`,
    steps,
  };
}

function domainText(domain: Domain, what: string): string {
  const slots: { [key: string]: Yaml } = {};
  for (const [name, slot] of domain.slots) {
    slots[name] = {
      type: slot.type,
      ...(slot.values ? { values: slot.values } : {}),
      ...(slot.initialValue !== undefined ? { initial_value: slot.initialValue } : {}),
      mappings: [{ type: slot.mapping }],
    };
  }
  const responses: { [key: string]: Yaml } = {};
  for (const [name, text] of domain.responses) responses[name] = [{ text }];
  return yamlText(`# Synthetic assistant (bench/synthetic-assistant.ts): ${what}.\n`, {
    version: "3.1",
    ...(domain.intents.length > 0 ? { intents: domain.intents } : {}),
    slots,
    actions: domain.actions,
    responses,
  });
}

export interface GenerateOptions {
  /**
   * `"single"` (default): one domain file, `domain/domain.yml`. `"split"`: the shared slots in
   * `domain/shared.yml` and the slots, responses and actions of each flows file in a domain
   * file of its own, `domain/domain_NNN.yml`, as large projects organise their domain.
   */
  readonly domainLayout?: "single" | "split";
}

function emptyDomain(): Domain {
  return { slots: new Map(), responses: new Map(), actions: [], intents: [] };
}

export function generateAssistant(flowCount: number, options: GenerateOptions = {}): GeneratedAssistant {
  if (!Number.isInteger(flowCount) || flowCount < 1) throw new Error(`flowCount must be a positive integer, not ${flowCount}`);
  const split = options.domainLayout === "split";
  const p = plan(flowCount);
  const shared = emptyDomain();
  const domainFiles: GeneratedFile[] = [];
  const flowsFiles: GeneratedFile[] = [];
  const fileCount = Math.ceil(flowCount / FLOWS_PER_FILE);
  const fileWidth = Math.max(3, String(fileCount - 1).length);
  for (let file = 0; file < fileCount; file++) {
    const number = String(file).padStart(fileWidth, "0");
    const domain = split ? emptyDomain() : shared;
    const flows: { [key: string]: Yaml } = {};
    const start = file * FLOWS_PER_FILE;
    const end = Math.min(flowCount, start + FLOWS_PER_FILE);
    for (let i = start; i < end; i++) flows[p.ids[i]!] = p.isChild(i) ? childFlow(p, i, domain) : parentFlow(p, i, domain, shared);
    const text = yamlText(`# Synthetic assistant (bench/synthetic-assistant.ts): flows ${start} to ${end - 1} of ${flowCount}.\n`, { version: "3.1", flows });
    flowsFiles.push({ path: `data/flows_${number}.yml`, text });
    if (split) domainFiles.push({ path: `domain/domain_${number}.yml`, text: domainText(domain, `the domain of flows ${start} to ${end - 1}`) });
  }
  domainFiles.unshift({ path: split ? "domain/shared.yml" : "domain/domain.yml", text: domainText(shared, split ? "the shared slots" : "the domain") });
  return { files: [...domainFiles, ...flowsFiles] };
}

/** Writes `generateAssistant(flowCount)` under `directory` and returns the paths written. */
export function writeAssistant(directory: string, flowCount: number, options: GenerateOptions = {}): string[] {
  const written: string[] = [];
  for (const file of generateAssistant(flowCount, options).files) {
    const path = join(directory, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    written.push(path);
  }
  return written;
}

// `npx tsx bench/synthetic-assistant.ts DIR N`: write an assistant, e.g. to look at it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [directory, count, layout] = process.argv.slice(2);
  if (directory === undefined || count === undefined || (layout !== undefined && layout !== "single" && layout !== "split")) {
    process.stderr.write("usage: npx tsx bench/synthetic-assistant.ts DIR FLOW_COUNT [single|split]\n");
    process.exitCode = 2;
  } else {
    const paths = writeAssistant(directory, Number(count), layout === undefined ? {} : { domainLayout: layout });
    process.stdout.write(`wrote ${paths.length} files under ${directory}\n`);
  }
}
