/**
 * The output contract of code generation (design §3.4, README "Using the generated code") for
 * assistants whose names are awkward in TypeScript: slots, responses and flows named
 * `__proto__`, `constructor` or a reserved word, names that are not identifiers, categorical
 * values with quotes, backslashes and non-ASCII letters, an assistant without custom actions.
 * Each is generated into a folder beside a hand-written module of type tests (each
 * `@ts-expect-error` must meet an error), the whole type-checked once under the README's
 * strict settings, and imported to see that its tables hold every name.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFlows, type CompileResult } from "../../compiler/api.ts";
import { createAssistant } from "../../runtime/assistant.ts";
import type { CompiledAssistant } from "../../runtime/model.ts";
import { temporaryFolder } from "../support/temp.ts";
import { typeCheck } from "../support/typecheck.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Awkward {
  /** The YAML sources. */
  readonly sources: Readonly<Record<string, string>>;
  /** Hand-written modules put beside the generated ones (type tests). */
  readonly uses: Readonly<Record<string, string>>;
}

const ASSISTANTS: Readonly<Record<string, Awkward>> = {
  names: {
    sources: {
      "domain.yml": `actions: [action_check]
slots:
  __proto__:
    type: bool
  constructor:
    type: text
    initial_value: built
  class:
    type: text
  my-slot:
    type: float
    min_value: 1
    max_value: 5
    initial_value: 2.5
  kat:
    type: categorical
    values: ['a"b', 'c\\d', "ü", "*/"]
  items:
    type: list
    initial_value: [1, two]
  blob:
    type: any
    initial_value: {k: v}
  flag:
    type: bool
    initial_value: true
responses:
  __proto__:
    - text: "Proto."
  utter_hi:
    - text: "Hi {class}, {unknown_slot}."
  utter_ask___proto__: [{text: "Proto?"}]
  utter_ask_class: [{text: "Class?"}]
  utter_ask_my-slot: [{text: "How many?"}]
  utter_ask_kat: [{text: "Which?"}]
`,
      "flows.yml": `flows:
  __proto__:
    description: Asks for the prototype.
    steps:
      - collect: __proto__
      - action: __proto__
  class:
    description: Asks for the class.
    steps:
      - id: ask-class
        collect: class
        description: the class of the thing
      - collect: my-slot
      - collect: kat
      - action: action_check
      - action: utter_hi
  default:
    name: "a */ b"
    description: "y */ z"
    steps:
      - action: utter_hi
`,
    },
    uses: {
      "types.ts": `import { defineActions, type CustomActions, type FlowId, type ResponseName, type SlotName, type Slots } from "./index.ts";
import type { StepId } from "./flows/class.ts";

export const kat: Slots["kat"][] = ["a\\"b", "c\\\\d", "ü", "*/", null];
// @ts-expect-error "a" is not a value of kat
export const notKat: Slots["kat"] = "a";
export const proto: Slots["__proto__"] = true;
export const built: Slots["constructor"] = "x";
export const items: Slots["items"] = [1, "x"];
// @ts-expect-error a list slot holds an array
export const notItems: Slots["items"] = "x";
export const blob: Slots["blob"] = { anything: [1] };
export const count: Slots["my-slot"] = 2.5;
export const names: SlotName[] = ["__proto__", "constructor", "class", "my-slot"];
// @ts-expect-error not a slot
export const notName: SlotName = "my_slot";
export const flows: FlowId[] = ["__proto__", "class", "default"];
export const responses: ResponseName[] = ["__proto__", "utter_hi"];
export const step: StepId = "ask-class";
// @ts-expect-error not a step of flow class
export const notStep: StepId = "ask_class";
export const action: keyof CustomActions = "action_check";

export const actions = defineActions({
  action_check: ({ slots }) => ({ slots: { "my-slot": (slots["my-slot"] ?? 0) + 1, kat: "a\\"b", items: ["x"], blob: 1, flag: null, constructor: "c", class: slots.class } }),
});
// @ts-expect-error a string in a float slot
defineActions({ action_check: () => ({ slots: { "my-slot": "3" } }) });
// @ts-expect-error a value outside a categorical slot's values
defineActions({ action_check: () => ({ slots: { kat: "c\\\\d\\\\" } }) });
// @ts-expect-error "true" is not a bool
defineActions({ action_check: () => ({ slots: { flag: "true" } }) });
// @ts-expect-error my_slot is not a slot (my-slot is)
defineActions({ action_check: () => ({ slots: { my_slot: 3 } }) });
// @ts-expect-error an unknown slot in one of the results
defineActions({ action_check: () => (Math.random() > 0.5 ? { slots: { class: "a" } } : { slots: { klass: "a" } }) });
// @ts-expect-error missing action_check
defineActions({});
`,
    },
  },
  reserved: {
    sources: {
      "domain.yml": "responses:\n  utter_hi: [{text: Hi.}]\n",
      "flows.yml": `flows:\n${[
        "default",
        "enum",
        "await",
        "eval",
        "arguments",
        "let",
        "yield",
        "Slots",
        "FlowId",
        "CustomActions",
        "assistantHash",
        "assistant",
        "defineActions",
        "defineCatalogue",
        "catalogue",
        "1flow",
        "my-flow",
        "my_flow",
      ]
        .map((id, i) => `  ${id}:\n    name: flow ${i}\n    description: flow number ${i}, ${id}\n    steps:\n      - action: utter_hi\n`)
        .join("")}`,
    },
    uses: {
      "types.ts": `import { assistant, defineActions, type CustomActions, type FlowId } from "./index.ts";

export const ids: FlowId[] = ["default", "enum", "await", "eval", "arguments", "Slots", "FlowId", "CustomActions", "assistant", "1flow", "my-flow", "my_flow"];
export const flow: "default" = assistant.flows.default.id;
export const actions = defineActions({});
// @ts-expect-error the assistant has no custom actions
defineActions({ action_check: () => undefined });
// @ts-expect-error the assistant has no custom actions
export const action: keyof CustomActions = "action_check";
`,
    },
  },
  paths: {
    sources: {
      "my dir*/domain.yml": `slots:
  amount:
    type: float
    validation:
      rejections:
        - if: slots.amount < 0
          utter: utter_negative
responses:
  utter_ask_amount: [{text: "How much?"}]
  utter_negative: [{text: "No."}]
  utter_sum:
    - condition: slots.amount > 10
      text: "{{ amount }} is a lot"
      metadata: {template: jinja}
  # Loop targets and {% set %} names the template never reads: the code still type-checks (noUnusedLocals).
  utter_parts:
    - text: "{% for k, v in [[1, 2]] %}x{{ k }}{% endfor %}{% for k, v in [[1, 2]] %}x{% endfor %}{% for x in [1] %}y{% endfor %}{% set unused = 1 %}{% set a, b = 1, 2 %}{{ b }}{% for i in [1] %}{% set c = i %}{% endfor %}"
      metadata: {template: jinja}
  # Methods, globals, slices, **, dicts, {% set %} blocks and namespaces, escape and the later filters: the code type-checks.
  utter_more:
    - text: "{% set ns = namespace(t=0) %}{% for i in range(3) %}{% set ns.t = ns.t + i ** 2 %}{% set ns.s %}{{ i }}{% endset %}{% else %}{% set gone = 1 %}{% endfor %}{% set blk | upper %}{{ amount }}{{ blk }}{% endset %}{% set unread %}x{% endset %}{{ blk[1:] }}{{ ns.t }}{{ {'a': 1}.get('a', 2) }}{{ 'a,b'.split(',', maxsplit=1) }}{{ '{:>5.1f}'.format(amount) }}{{ dict(a=1) | xmlattr }}{{ 'x' | e }}{{ [1, 2] | batch(1) | list }}{{ 'w.org' | urlize }}{{ range(2)[::-1] | list }}{% for k, v in {'a': 1}.items() if v %}.{% endfor %}{% for x in [1] if true %}{% endfor %}{% with q = 1 %}{% endwith %}{% filter upper %}{% with r = 2 %}{{ r }}{% endwith %}{% endfilter %}{% raw %}{{ x }}{% endraw %}{% set j = joiner() %}{% set cy = cycler(1) %}{{ j() }}{{ cy.next() }}{{ cy.current }}"
      metadata: {template: jinja}
  # Macros (a parameter never read, varargs, kwargs, caller), {% call %}, random, pprint, loop.changed, globals and number methods: the code type-checks.
  utter_macros:
    - text: "{% macro m(a, unread, b=a ~ '!') %}{{ b }}{{ varargs }}{{ kwargs }}{{ caller() }}{% endmacro %}{% macro never() %}{% endmacro %}{% call(x) m(1, 2, 3, k=4) %}{{ x }}{% endcall %}{{ m }}{{ [1] | random }}{{ {'a': 1} | pprint }}{% for i in [1, 1] %}{{ loop.changed(i) }}{% endfor %}{{ range }}{{ amount.is_integer() }}{{ amount.real }}{% for t in [[1]] recursive %}{{ loop(t) if t is iterable }}{% endfor %}r{% for t in [1] recursive %}{% endfor %}{% macro outer(p) %}{% macro inner() %}{{ caller() }}{{ kwargs }}{% endmacro %}{{ inner() }}{% endmacro %}"
      metadata: {template: jinja}
`,
      "my dir*/flows\u2028.yml": `flows:
  spend:
    description: Spends.
    if: slots.amount > 1
    steps:
      - collect: amount
        next:
          - if: slots.amount > 2
            then:
              - action: utter_sum
                next: END
          - else: END
`,
    },
    uses: {},
  },
  catalogue: {
    sources: {
      "domain.yml": `slots:
  recipient:
    type: text
  kind:
    type: categorical
    values: [fast, "slow 'n' steady"]
  vip:
    type: bool
responses:
  utter_ask_recipient: [{text: "To whom?"}]
  utter_ask_kind: [{text: "Which kind?"}]
`,
      "flows.yml": `flows:
  transfer:
    name: send money
    description: Sends money.
    if: slots.vip
    always_include_in_prompt: true
    steps:
      - collect: recipient
        description: who gets the money
      - call: pick_kind
  pick_kind:
    description: Picks a kind.
    if: False
    steps:
      - collect: kind
        description: how fast it goes
      - collect: recipient
`,
    },
    uses: {},
  },
  asks: {
    sources: {
      "domain.yml": `actions: [action_ask_amount, validate_amount, action_unused, "action-with-dash"]
slots:
  amount:
    type: float
`,
      "flows.yml": `flows:
  pay:
    description: Pays.
    steps:
      - collect: amount
      - action: action-with-dash
`,
    },
    uses: {
      "types.ts": `import { defineActions, type CustomActions } from "./index.ts";

export const used: (keyof CustomActions)[] = ["action_ask_amount", "validate_amount", "action-with-dash"];
// @ts-expect-error declared in the domain but used by no flow
export const unused: keyof CustomActions = "action_unused";
export const actions = defineActions({
  action_ask_amount: () => ({ messages: [{ text: "How much?" }] }),
  validate_amount: ({ slots }) => (slots.amount !== null && slots.amount < 0 ? { slots: { amount: null } } : undefined),
  "action-with-dash": async () => undefined,
});
// @ts-expect-error validate_amount is missing
defineActions({ action_ask_amount: () => undefined, "action-with-dash": () => undefined });
`,
    },
  },
  steps: {
    sources: {
      "domain.yml": "responses:\n  utter_a: [{text: A}]\n  utter_b: [{text: B}]\n",
      "flows.yml": `flows:
  hi:
    description: Says A, B and A.
    steps:
      - action: utter_a
        next: __proto__
      - id: __proto__
        action: utter_b
        next: constructor
      - id: constructor
        action: utter_a
`,
    },
    uses: {
      "types.ts": `import type { StepId } from "./flows/hi.ts";

export const ids: StepId[] = ["hi_0_utter_a", "__proto__", "constructor"];
// @ts-expect-error not a step of hi
export const notId: StepId = "toString";
`,
    },
  },
  cases: {
    sources: {
      "domain.yml": "responses:\n  utter_upper:\n    - text: Upper.\n  utter_lower:\n    - text: Lower.\n  utter_shout:\n    - text: Shout.\n",
      "flows.yml":
        "flows:\n  Send:\n    description: Sends upper.\n    steps:\n      - action: utter_upper\n  send:\n    description: Sends lower.\n    steps:\n      - action: utter_lower\n  SEND:\n    description: Sends loud.\n    steps:\n      - action: utter_shout\n",
    },
    uses: {},
  },
  bare: {
    sources: {
      "domain.yml": "slots:\n  done:\n    type: bool\n",
      "flows.yml": "flows:\n  finish:\n    description: Finishes.\n    persisted_slots: [done]\n    steps:\n      - set_slots:\n          - done: true\n",
    },
    uses: {
      "types.ts": `import { defineActions, type ResponseName, type SlotName } from "./index.ts";

export const actions = defineActions({});
export const slot: SlotName = "done";
export const response: ResponseName = "utter_ask_rephrase";
// @ts-expect-error the domain has no responses of its own
export const notResponse: ResponseName = "utter_done";
`,
    },
  },
};

let base = "";
const results = new Map<string, CompileResult>();
let problems: string[] = [];

beforeAll(() => {
  base = temporaryFolder(".vitest-tmp-awkward-", ROOT);
  const roots: string[] = [];
  for (const [name, assistant] of Object.entries(ASSISTANTS)) {
    const dir = join(base, name);
    const inputs = Object.entries(assistant.sources).map(([path, text]) => ({ path, text }));
    const result = compileFlows({ inputs, cwd: ROOT, outDir: relative(ROOT, dir), env: {} });
    results.set(name, result);
    for (const file of result.outputFiles) {
      mkdirSync(join(dir, file.path, ".."), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    for (const [path, text] of Object.entries(assistant.uses)) {
      writeFileSync(join(dir, path), text);
      roots.push(join(dir, path));
    }
    roots.push(join(dir, "index.ts"));
  }
  problems = roots.length > 0 && [...results.values()].every((r) => r.errors.length === 0) ? typeCheck(roots, base) : ["not compiled"];
}, 120_000);

async function load(name: string): Promise<CompiledAssistant> {
  const module = (await import(pathToFileURL(join(base, name, "index.ts")).href)) as { assistant: CompiledAssistant };
  return module.assistant;
}

function problemsOf(name: string): string[] {
  return problems.filter((p) => p.startsWith(`${name}/`) || !p.includes("/"));
}

describe("an assistant with awkward slot, response and flow names", () => {
  it("compiles without errors", () => {
    expect(results.get("names")?.errors).toEqual([]);
  });

  it("type-checks strictly, with the type tests beside it meeting their errors", () => {
    expect(problemsOf("names")).toEqual([]);
  });

  it("keeps a slot, a response and a flow named __proto__ in the assistant's tables", async () => {
    const assistant = await load("names");
    expect(Object.hasOwn(assistant.slots, "__proto__")).toBe(true);
    expect(assistant.slots["__proto__"]?.type).toBe("bool");
    expect(Object.hasOwn(assistant.responses, "__proto__")).toBe(true);
    expect(assistant.responses["__proto__"]?.variations[0]?.text).toBe("Proto.");
    expect(Object.hasOwn(assistant.flows, "__proto__")).toBe(true);
    expect(Object.keys(assistant.flows)).toEqual(expect.arrayContaining(["__proto__", "class", "default"]));
    expect(Object.getPrototypeOf(assistant.flows)).toBe(Object.prototype);
  });

  it("writes the initial values and bounds of slots of each type", async () => {
    const { slots } = await load("names");
    expect(slots["constructor"]?.initialValue).toBe("built");
    expect(slots["my-slot"]).toMatchObject({ type: "float", initialValue: 2.5, minValue: 1, maxValue: 5 });
    expect(slots["items"]?.initialValue).toEqual([1, "two"]);
    expect(slots["blob"]?.initialValue).toEqual({ k: "v" });
    expect(slots["flag"]?.initialValue).toBe(true);
    expect(slots["class"]?.initialValue).toBeNull();
    expect(slots["kat"]?.values).toEqual(['a"b', "c\\d", "ü", "*/"]);
  });

  it("lists the slots a flow collects in the catalogue, with descriptions and allowed values", async () => {
    const { catalogue } = await load("names");
    const entry = catalogue.find((e) => e.id === "class");
    expect(entry?.slots).toEqual([
      { name: "class", type: "text", description: "the class of the thing" },
      { name: "my-slot", type: "float" },
      { name: "kat", type: "categorical", allowedValues: ['a"b', "c\\d", "ü", "*/"] },
    ]);
    expect(catalogue.find((e) => e.id === "__proto__")?.slots.map((s) => s.name)).toEqual(["__proto__"]);
  });

  it("keeps a flow name and description holding `*/` inside the flow's comment", async () => {
    const flow = results.get("names")?.outputFiles.find((f) => f.path === "flows/default.ts")?.text ?? "";
    expect(flow).toContain("/** a *\\/ b: y *\\/ z */\n");
    const assistant = await load("names");
    expect(assistant.flows["default"]).toMatchObject({ name: "a */ b", description: "y */ z" });
  });

  it("is byte-identical on a re-run", () => {
    const again = compileFlows({ inputs: Object.entries(ASSISTANTS["names"]!.sources).map(([path, text]) => ({ path, text })), cwd: ROOT, outDir: relative(ROOT, join(base, "names")), env: {} });
    expect(again.outputFiles).toEqual(results.get("names")?.outputFiles);
  });
});

describe("flow ids that are reserved words or names the index declares", () => {
  it("compile and type-check strictly, with no custom actions to implement", () => {
    expect(results.get("reserved")?.errors).toEqual([]);
    expect(problemsOf("reserved")).toEqual([]);
  });

  it("are each a flow of the imported assistant", async () => {
    const assistant = await load("reserved");
    for (const id of ["default", "enum", "await", "eval", "arguments", "let", "yield", "Slots", "FlowId", "CustomActions", "assistantHash", "assistant", "defineActions", "defineCatalogue", "catalogue", "1flow", "my-flow", "my_flow"]) {
      expect(assistant.flows[id]?.id, id).toBe(id);
    }
  });
});

describe("source paths holding `*/` and a line separator", () => {
  it("stay inside the comments that name them, and the code type-checks", () => {
    expect(results.get("paths")?.errors).toEqual([]);
    expect(problemsOf("paths")).toEqual([]);
    const files = results.get("paths")?.outputFiles ?? [];
    expect(files.find((f) => f.path === "flows/spend.ts")?.text.split("\n")[0]).toBe("// generated by flowc from my dir*/flows .yml; do not edit");
    expect(files.find((f) => f.path === "flows/spend.ts")?.text).toContain("/** my dir*\\/flows\u2028.yml:4: `slots.amount > 1` */");
    expect(files.find((f) => f.path === "slots.ts")?.text).toMatch(/\/\*\* my dir\*\\\/domain\.yml:6: `slots\.amount < 0` \*\/\nfunction \w+\(/);
    expect(files.find((f) => f.path === "responses.ts")?.text).toMatch(/\/\*\* my dir\*\\\/domain\.yml:12: `slots\.amount > 10` \*\/\nfunction \w+\(/);
  });

  it("are kept as written in the conditions' data", async () => {
    const assistant = await load("paths");
    expect(assistant.slots["amount"]?.validation?.rejections[0]?.condition.location).toBe("my dir*/domain.yml:6");
  });
});


describe("the flow catalogue", () => {
  it("lists the user flows with their guards and the slots they and the flows they call collect", async () => {
    const { catalogue } = await load("catalogue");
    expect(catalogue).toEqual([
      {
        id: "transfer",
        name: "send money",
        description: "Sends money.",
        guard: "slots.vip",
        alwaysIncludeInPrompt: true,
        slots: [
          { name: "recipient", type: "text", description: "who gets the money" },
          { name: "kind", type: "categorical", description: "how fast it goes", allowedValues: ["fast", "slow 'n' steady"] },
        ],
      },
      {
        id: "pick_kind",
        name: "pick kind",
        description: "Picks a kind.",
        guard: "False",
        alwaysIncludeInPrompt: false,
        slots: [
          { name: "kind", type: "categorical", description: "how fast it goes", allowedValues: ["fast", "slow 'n' steady"] },
          { name: "recipient", type: "text" },
        ],
      },
    ]);
  });
});


describe("the custom actions of an assistant", () => {
  it("are those its steps run and the question and validation actions of the slots it collects", () => {
    expect(results.get("asks")?.errors).toEqual([]);
    expect(problemsOf("asks")).toEqual([]);
    const actions = results.get("asks")?.outputFiles.find((f) => f.path === "actions.ts")?.text ?? "";
    expect(actions).toContain('"action-with-dash"(context: ActionContext<Slots>): ActionReturn<Slots, ResponseName>;');
    expect(actions).not.toContain("action_unused");
  });

  it("include the domain's own action_session_start, which every session's start runs, even when no flow runs it", () => {
    const domain = "responses:\n  utter_hi:\n    - text: Hi\nactions:\n  - action_session_start\n";
    const flows = "flows:\n  hi:\n    description: Say hi.\n    steps:\n      - action: utter_hi\n  pattern_session_start:\n    description: Flow for starting the conversation\n    steps:\n      - action: utter_hi\n";
    const compile = (domainText: string) => compileFlows({ inputs: [{ path: "domain.yml", text: domainText }, { path: "flows.yml", text: flows }], cwd: ROOT, outDir: "generated-session-start", env: {} });
    const result = compile(domain);
    expect(result.errors).toEqual([]);
    const actions = result.outputFiles.find((f) => f.path === "actions.ts")?.text ?? "";
    expect(actions).toContain("action_session_start(context: ActionContext<Slots>): ActionReturn<Slots, ResponseName>;");
    // Not listed: Rasa's default runs, nothing to implement.
    const unlisted = compile(domain.replace("actions:\n  - action_session_start\n", ""));
    expect(unlisted.outputFiles.find((f) => f.path === "actions.ts")?.text ?? "").not.toContain("action_session_start");
  });
});

describe("step ids named like Object's own properties", () => {
  it("are steps of the flow's table, which a conversation runs in order", async () => {
    expect(results.get("steps")?.errors).toEqual([]);
    expect(problemsOf("steps")).toEqual([]);
    const assistant = await load("steps");
    const flow = assistant.flows["hi"]!;
    expect(Object.keys(flow.steps)).toEqual(["hi_0_utter_a", "__proto__", "constructor"]);
    expect(Object.hasOwn(flow.steps, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(flow.steps)).toBe(Object.prototype);
    const bot = createAssistant(assistant, { actions: {} });
    const state = bot.initialState();
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow hi"]));
    expect(turn.actions.slice(0, 3)).toEqual(["utter_a", "utter_b", "utter_a"]);
  });
});

describe("flow ids that differ only in case", () => {
  it("get module files that differ on a case-insensitive disk too, and each runs its own flow", async () => {
    expect(results.get("cases")?.errors).toEqual([]);
    expect(problemsOf("cases")).toEqual([]);
    const modules = results.get("cases")!.outputFiles.map((f) => f.path).filter((path) => path.toLowerCase().startsWith("flows/send"));
    expect(modules).toHaveLength(3);
    expect(new Set(modules.map((path) => path.toLowerCase())).size).toBe(3);
    expect(modules).toContain("flows/Send.ts"); // the first keeps its plain name
    const bot = createAssistant(await load("cases"), { actions: {} });
    for (const [id, response] of [["Send", "utter_upper"], ["send", "utter_lower"], ["SEND", "utter_shout"]] as const) {
      const state = bot.initialState();
      const turn = await bot.handle(state, bot.parseCommands(state, [`start flow ${id}`]));
      expect(turn.actions[0], id).toBe(response);
    }
  });
});

describe("an assistant without responses or custom actions of its own", () => {
  it("compiles, type-checks strictly and runs", async () => {
    expect(results.get("bare")?.errors).toEqual([]);
    expect(problemsOf("bare")).toEqual([]);
    const assistant = await load("bare");
    expect(assistant.customActions).toEqual([]);
    const bot = createAssistant(assistant, { actions: {} });
    const state = bot.initialState();
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow finish"]));
    expect(turn.state.slots["done"]).toBe(true);
  });
});

describe("every awkward assistant's generated files", () => {
  it("each start with the header naming their sources", () => {
    for (const [name, result] of results) {
      for (const file of result.outputFiles) expect(file.text, `${name}/${file.path}`).toMatch(/^\/\/ generated by flowc from [^\n]+; do not edit\n/);
    }
  });

  it("never write the any type", () => {
    for (const [name, result] of results) {
      for (const file of result.outputFiles) expect(file.text, `${name}/${file.path}`).not.toMatch(/(:|<|\bas)\s*any\b|\bany\[\]/);
    }
  });
});
