/**
 * A flow as its generated module writes it, and the one function that turns it into the
 * `Flow` the runtime executes. The generated form leaves out what every flow or step has in
 * common — `utter_ask_<slot>`, `action_ask_<slot>`, `false` and `true` settings, empty lists,
 * a static `next` as an object, the source file on every step — because an assistant of a
 * few hundred flows spent most of its cold start parsing those repetitions. `defineFlow`
 * puts them back once — the fields every flow is asked for before it runs (its id, guard,
 * name, description) when the module is imported, its other settings and its steps when they
 * are first read — so the rest of the runtime sees every field spelled out.
 *
 * The generated form mirrors Rasa's YAML: a step's kind is its key (`collect`, `action`,
 * `call`, `link`, `set_slots`, `noop`), and a branching `next` is a list of `if`/`then`
 * entries and an `else`. The steps are a table of JSON rows, one string per step, inside the
 * flow's `details` method, which also declares the flow's compiled conditions and holds its
 * other settings (see {@link FlowDetails}): until the flow first runs, V8 only pre-parses it.
 */
import { setOwn } from "./records.ts";
import { END, START, type ActionNameTemplate, type CollectStep, type Condition, type DigressionSetting, type Flow, type FlowGuard, type Next, type Predicate, type RejectionPredicate, type SetSlotsStep, type Step, type Mutable } from "./model.ts";

/** A step id, or where the flow ends or restarts. */
export type Target<StepId extends string> = StepId | typeof END | typeof START;

/** One `if` of a branching `next`: the condition's text, the name of its compiled test in the table's `tests`, and the target. */
export interface IfDefinition<StepId extends string> {
  readonly if: string;
  readonly test: string;
  readonly then: Target<StepId>;
}

/** A static `next` is the target; a branching one lists its `if`s and ends with an `else` (the flow ends without one). */
export type NextDefinition<StepId extends string> = Target<StepId> | readonly (IfDefinition<StepId> | { readonly else: Target<StepId> })[];

interface StepDefinitionBase<StepId extends string> {
  /** Absent when it is the id Rasa generates for the step in its row (see {@link generatedId}). */
  readonly id?: StepId;
  /** The step's line in the flow's file. */
  readonly line: number;
  /** Where the step goes; absent for the step on the next row, or the flow's end after the last one (as in Rasa's YAML). */
  readonly next?: NextDefinition<StepId>;
}

export interface ActionDefinition<StepId extends string> extends StepDefinitionBase<StepId> {
  readonly action: string;
  /** The name's compiled template in the table's `renders`, where the name needs more Jinja than bare `{{ context.<field> }}` holes. */
  readonly render?: string;
}

export interface CollectDefinition<StepId extends string> extends StepDefinitionBase<StepId> {
  readonly collect: string;
  /** Absent when it is `utter_ask_<slot>`. */
  readonly utter?: string;
  readonly description?: string;
  /** Each defaults to Rasa's default: false, true, false. */
  readonly askBeforeFilling?: boolean;
  readonly resetAfterFlowEnds?: boolean;
  readonly forceSlotFilling?: boolean;
  /** `test` names the compiled rejection condition in the table's `tests`. */
  readonly rejections?: readonly { readonly if: string; readonly test: string; readonly utter: string }[];
  readonly blockDigressions?: DigressionSetting;
  readonly askConfirmDigressions?: DigressionSetting;
  readonly silenceTimeout?: number | Readonly<Record<string, number>>;
}

export interface CallDefinition<StepId extends string> extends StepDefinitionBase<StepId> {
  readonly call: string;
}

export interface LinkDefinition<StepId extends string> {
  readonly id?: StepId;
  readonly line: number;
  readonly link: string;
}

/** A slot and its value; `valueRef` instead of `value` names a value JSON cannot write (such as `Infinity`) in the table's `values`. */
export type SlotSetting = { readonly slot: string; readonly value: unknown; readonly float?: true } | { readonly slot: string; readonly valueRef: string };

export interface SetSlotsDefinition<StepId extends string> extends StepDefinitionBase<StepId> {
  readonly set_slots: readonly SlotSetting[];
}

export interface NoopDefinition<StepId extends string> extends StepDefinitionBase<StepId> {
  readonly noop: true;
}

/** One row of a step table, parsed. */
export type StepDefinition<StepId extends string> =
  | ActionDefinition<StepId>
  | CollectDefinition<StepId>
  | CallDefinition<StepId>
  | LinkDefinition<StepId>
  | SetSlotsDefinition<StepId>
  | NoopDefinition<StepId>;

/**
 * A flow's steps as its module writes them: `rows` holds one string per step, each a JSON
 * object (a {@link StepDefinition}: `id`, `line`, the kind as its key, then the step's
 * settings), in the order written; the compiled conditions are functions, which the rows name
 * in `test`. A row leaves out an `id` that is Rasa's generated one for its position,
 * `<flow id>_<row index>_<kind>` (see {@link generatedId}).
 *
 * Why strings: V8 pre-parses an object literal token by token even inside a function that
 * never runs, but skips over a string literal quickly (faster than over a template literal,
 * whose raw and cooked texts it keeps both), and `JSON.parse` reads the few tables a
 * conversation reaches quickly.
 */
export interface StepTable {
  /** The compiled conditions of the steps (branches and rejections), by name. */
  readonly tests?: Readonly<Record<string, Predicate | RejectionPredicate>>;
  /** Values of `set_slots` that JSON cannot write, by name. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** The compiled templates of action names, by name. */
  readonly renders?: Readonly<Record<string, ActionNameTemplate>>;
  /** One JSON object per step. */
  readonly rows: readonly string[];
}

/**
 * What a flow's module writes in its `details` method: the settings only a running flow (or a
 * saved conversation's check of it) reads, and the step table.
 */
export interface FlowDetails<StepId extends string> extends StepTable {
  /** The file of the flow and its line there. */
  readonly file: string;
  readonly line: number;
  /** Defaults to whether the guard is `false`. */
  readonly startableOnlyViaLink?: boolean;
  readonly nluTrigger?: readonly { readonly intent: string; readonly confidenceThreshold: number }[];
  readonly persistedSlots?: readonly string[];
  /** Defaults to true. */
  readonly runPatternCompleted?: boolean;
  readonly blockDigressions?: DigressionSetting;
  readonly askConfirmDigressions?: DigressionSetting;
  readonly start: StepId;
  /** A slot alone where `resetAfterFlowEnds` is true (a literal object per slot costs the import more than a string). */
  readonly collects?: readonly (string | { readonly slot: string; readonly resetAfterFlowEnds: boolean })[];
  readonly sets?: readonly string[];
  /** See `Flow.fingerprint`. */
  readonly fingerprint: string;
}

/**
 * A flow as its module writes it: what every flow of an assistant is asked for before it runs
 * — its id, whether it is a pattern and its guard (which flows may start), its name,
 * description and prompt setting (the catalogue) — and a method returning the rest.
 */
export interface FlowDefinition<FlowId extends string, StepId extends string> {
  readonly id: FlowId;
  readonly name: string;
  readonly description: string;
  readonly isPattern?: boolean;
  /** `false` or `true` for a constant `if:`, else the condition. */
  readonly guard?: boolean | { readonly if: string; readonly test: Predicate };
  readonly alwaysIncludeInPrompt?: boolean;
  /** The rest of the flow, as a method: V8 only pre-parses it until the flow first runs. */
  readonly details: () => FlowDetails<StepId>;
}

const NONE: readonly never[] = [];

function collectEntryOf(entry: NonNullable<FlowDetails<string>["collects"]>[number]): Flow["collects"][number] {
  return typeof entry === "string" ? { slot: entry, resetAfterFlowEnds: true } : entry;
}

/** The settings of a flow that its `details` method holds, spelled out. */
interface FlowSettings<StepId extends string> {
  readonly location: string;
  readonly fingerprint: string;
  readonly startableOnlyViaLink: boolean;
  readonly nluTrigger: Flow["nluTrigger"];
  readonly persistedSlots: readonly string[];
  readonly runPatternCompleted: boolean;
  readonly blockDigressions: DigressionSetting | undefined;
  readonly askConfirmDigressions: DigressionSetting | undefined;
  readonly start: StepId;
  readonly collects: Flow["collects"];
  readonly sets: readonly string[];
}

/**
 * A flow as `defineFlow` returns it: what every flow is asked for before it runs set when the
 * module is imported, the rest read from the definition's `details` the first time any of it
 * is (a conversation reaches a few flows of hundreds, and the literal of every flow's
 * settings, compiled and built at import, was a good part of the cold start), and the steps
 * built from its table the first time they are read. One class for every flow, so that
 * reading a field stays a monomorphic property access.
 */
class DefinedFlow<FlowId extends string, StepId extends string> implements Flow<FlowId, StepId> {
  readonly id: FlowId;
  readonly name: string;
  readonly description: string;
  readonly isPattern: boolean;
  declare readonly guard?: FlowGuard;
  readonly alwaysIncludeInPrompt: boolean;
  #details: FlowDetails<StepId> | undefined;
  #settings: FlowSettings<StepId> | undefined;
  #steps: Flow<FlowId, StepId>["steps"] | undefined;
  readonly #definition: FlowDefinition<FlowId, StepId>;

  constructor(definition: FlowDefinition<FlowId, StepId>) {
    this.id = definition.id;
    this.name = definition.name;
    this.description = definition.description;
    this.isPattern = definition.isPattern ?? false;
    // An optional field stays absent rather than `undefined`.
    if (definition.guard !== undefined) (this as Mutable<Flow>).guard = guardOf(definition.guard);
    this.alwaysIncludeInPrompt = definition.alwaysIncludeInPrompt ?? false;
    this.#details = undefined;
    this.#settings = undefined;
    this.#steps = undefined;
    this.#definition = definition;
  }

  get location(): string {
    return this.#spelledOut().location;
  }
  get fingerprint(): string {
    return this.#spelledOut().fingerprint;
  }
  get startableOnlyViaLink(): boolean {
    return this.#spelledOut().startableOnlyViaLink;
  }
  get nluTrigger(): Flow["nluTrigger"] {
    return this.#spelledOut().nluTrigger;
  }
  get persistedSlots(): readonly string[] {
    return this.#spelledOut().persistedSlots;
  }
  get runPatternCompleted(): boolean {
    return this.#spelledOut().runPatternCompleted;
  }
  get blockDigressions(): DigressionSetting | undefined {
    return this.#spelledOut().blockDigressions;
  }
  get askConfirmDigressions(): DigressionSetting | undefined {
    return this.#spelledOut().askConfirmDigressions;
  }
  get start(): StepId {
    return this.#spelledOut().start;
  }
  get collects(): Flow["collects"] {
    return this.#spelledOut().collects;
  }
  get sets(): readonly string[] {
    return this.#spelledOut().sets;
  }

  get steps(): Flow<FlowId, StepId>["steps"] {
    return (this.#steps ??= stepsOf(this.#definition.id, this.#readDetails()));
  }

  #readDetails(): FlowDetails<StepId> {
    return (this.#details ??= this.#definition.details());
  }

  #spelledOut(): FlowSettings<StepId> {
    return (this.#settings ??= flowSettingsOf(this.#readDetails(), this.#definition.guard === false));
  }
}

function flowSettingsOf<StepId extends string>(details: FlowDetails<StepId>, guardIsFalse: boolean): FlowSettings<StepId> {
  return {
    location: `${details.file}:${details.line}`,
    fingerprint: details.fingerprint,
    startableOnlyViaLink: details.startableOnlyViaLink ?? guardIsFalse,
    nluTrigger: details.nluTrigger ?? NONE,
    persistedSlots: details.persistedSlots ?? NONE,
    runPatternCompleted: details.runPatternCompleted ?? true,
    blockDigressions: details.blockDigressions,
    askConfirmDigressions: details.askConfirmDigressions,
    start: details.start,
    collects: details.collects === undefined ? NONE : details.collects.map(collectEntryOf),
    sets: details.sets ?? NONE,
  };
}

/**
 * A flow's fields as a plain object, each read by name: a generated flow reads most of them
 * from its module when first asked, so a spread (`{ ...flow }`) copies only a few.
 */
export function flowFields<FlowId extends string, StepId extends string>(flow: Flow<FlowId, StepId>): Flow<FlowId, StepId> {
  const { id, name, description, location, fingerprint, isPattern, guard, startableOnlyViaLink, alwaysIncludeInPrompt, nluTrigger, persistedSlots, runPatternCompleted, blockDigressions, askConfirmDigressions, start, steps, collects, sets } = flow;
  const fields: Mutable<Flow<FlowId, StepId>> = { id, name, description, location, fingerprint, isPattern, startableOnlyViaLink, alwaysIncludeInPrompt, nluTrigger, persistedSlots, runPatternCompleted, start, steps, collects, sets };
  if (guard !== undefined) fields.guard = guard;
  if (blockDigressions !== undefined) fields.blockDigressions = blockDigressions;
  if (askConfirmDigressions !== undefined) fields.askConfirmDigressions = askConfirmDigressions;
  return fields;
}

/** The flow the runtime executes (see {@link DefinedFlow}). */
export function defineFlow<FlowId extends string, StepId extends string>(definition: FlowDefinition<FlowId, StepId>): Flow<FlowId, StepId> {
  return new DefinedFlow(definition);
}

/**
 * The step table, every field spelled out. Optional fields are left out rather than set to
 * `undefined`, in the order a literal of the full form has them. Written for the interpreter
 * (this runs once per step, before anything is optimised): one object literal for each usual
 * shape, so that its fields stay in the object, and no object spreads.
 */
function stepsOf<FlowId extends string, StepId extends string>(flow: FlowId, table: FlowDetails<StepId>): Flow<FlowId, StepId>["steps"] {
  const file = table.file;
  const refs: References = { tests: table.tests ?? NO_REFERENCES, values: table.values ?? NO_REFERENCES, renders: table.renders ?? NO_REFERENCES, flow };
  const rows = JSON.parse(`[${table.rows.join(",")}]`) as readonly StepDefinition<StepId>[];
  const ids: StepId[] = [];
  for (let i = 0; i < rows.length; i++) ids.push(rows[i]!.id ?? generatedId(flow, i, rows[i]!));
  const steps: Record<string, Step<StepId>> = {};
  for (let i = 0; i < rows.length; i++) {
    const id = ids[i]!;
    setOwn(steps, id, stepOf(id, rows[i]!, file, ids[i + 1] ?? END, refs));
  }
  return steps as Flow<FlowId, StepId>["steps"];
}

/**
 * The id Rasa gives a step without one: the flow's id, the step's position in the flow (its
 * row), and its kind — the action's name, `collect_<slot>`, `call_<flow>`, `link_<flow>`,
 * `set_slots` or `noop`.
 */
export function generatedId<StepId extends string>(flow: string, row: number, step: StepDefinition<StepId>): StepId {
  let kind: string;
  if ("action" in step) kind = step.action;
  else if ("collect" in step) kind = `collect_${step.collect}`;
  else if ("call" in step) kind = `call_${step.call}`;
  else if ("link" in step) kind = `link_${step.link}`;
  else if ("set_slots" in step) kind = "set_slots";
  else kind = "noop";
  return `${flow}_${row}_${kind}` as StepId;
}

const NO_REFERENCES: Readonly<Record<string, never>> = {};

/** What the rows of a table name: its compiled conditions, the values JSON cannot write and the compiled templates of action names. */
interface References {
  readonly tests: Readonly<Record<string, Predicate | RejectionPredicate>>;
  readonly values: Readonly<Record<string, unknown>>;
  readonly renders: Readonly<Record<string, ActionNameTemplate>>;
  readonly flow: string;
}

function testOf(name: string, refs: References): Predicate | RejectionPredicate {
  const test = refs.tests[name];
  if (test === undefined) throw new Error(`flow ${refs.flow}: its step table names the test ${name}, which the flow does not define`);
  return test;
}

function renderOf(name: string, refs: References): ActionNameTemplate {
  const render = refs.renders[name];
  if (render === undefined) throw new Error(`flow ${refs.flow}: its step table names the action name template ${name}, which the flow does not define`);
  return render;
}

function guardOf(guard: NonNullable<FlowDefinition<string, string>["guard"]>): FlowGuard {
  return typeof guard === "boolean" ? { kind: "always", value: guard } : { kind: "condition", source: guard.if, test: guard.test };
}

function nextOf<StepId extends string>(next: NextDefinition<StepId> | undefined, below: Target<StepId>, refs: References): Next<StepId> {
  if (next === undefined) return { kind: "static", to: below };
  if (typeof next === "string") return { kind: "static", to: next };
  const branches: { readonly condition: Condition; readonly to: Target<StepId> }[] = [];
  let otherwise: Target<StepId> = END;
  for (const entry of next) {
    if ("if" in entry) branches.push({ condition: { source: entry.if, test: testOf(entry.test, refs) as Predicate }, to: entry.then });
    else otherwise = entry.else;
  }
  return { kind: "branch", branches, otherwise };
}

function stepOf<StepId extends string>(id: StepId, step: StepDefinition<StepId>, file: string, below: Target<StepId>, refs: References): Step<StepId> {
  const location = `${file}:${step.line}`;
  if ("action" in step) {
    if (step.render !== undefined) return { id, location, kind: "action", action: step.action, render: renderOf(step.render, refs), next: nextOf(step.next, below, refs) };
    return { id, location, kind: "action", action: step.action, next: nextOf(step.next, below, refs) };
  }
  if ("collect" in step) return collectOf(id, location, step, below, refs);
  if ("call" in step) return { id, location, kind: "call", flow: step.call, next: nextOf(step.next, below, refs) };
  if ("link" in step) return { id, location, kind: "link", flow: step.link };
  if ("set_slots" in step) return { id, location, kind: "set_slots", slots: settingsOf(step.set_slots, refs), next: nextOf(step.next, below, refs) };
  return { id, location, kind: "noop", next: nextOf(step.next, below, refs) };
}

function settingsOf(settings: readonly SlotSetting[], refs: References): SetSlotsStep["slots"] {
  const out: SetSlotsStep["slots"][number][] = [];
  for (const setting of settings) out.push("valueRef" in setting ? { slot: setting.slot, value: refs.values[setting.valueRef] } : setting);
  return out;
}

function collectOf<StepId extends string>(id: StepId, location: string, step: CollectDefinition<StepId>, below: Target<StepId>, refs: References): CollectStep<StepId> {
  const slot = step.collect;
  const kind = "collect";
  const utter = step.utter ?? `utter_ask_${slot}`;
  const askAction = `action_ask_${slot}`;
  const description = step.description;
  const askBeforeFilling = step.askBeforeFilling ?? false;
  const resetAfterFlowEnds = step.resetAfterFlowEnds ?? true;
  const forceSlotFilling = step.forceSlotFilling ?? false;
  const rejections = step.rejections === undefined ? NONE : rejectionsOf(step.rejections, refs);
  const next = nextOf(step.next, below, refs);
  if (step.blockDigressions === undefined && step.askConfirmDigressions === undefined && step.silenceTimeout === undefined) {
    if (description === undefined) return { id, location, kind, slot, utter, askAction, askBeforeFilling, resetAfterFlowEnds, forceSlotFilling, rejections, next };
    return { id, location, kind, slot, utter, askAction, description, askBeforeFilling, resetAfterFlowEnds, forceSlotFilling, rejections, next };
  }
  const collect = { id, location, kind, slot, utter, askAction } as Mutable<CollectStep<StepId>>;
  if (description !== undefined) collect.description = description;
  collect.askBeforeFilling = askBeforeFilling;
  collect.resetAfterFlowEnds = resetAfterFlowEnds;
  collect.forceSlotFilling = forceSlotFilling;
  collect.rejections = rejections;
  if (step.blockDigressions !== undefined) collect.blockDigressions = step.blockDigressions;
  if (step.askConfirmDigressions !== undefined) collect.askConfirmDigressions = step.askConfirmDigressions;
  if (step.silenceTimeout !== undefined) collect.silenceTimeout = step.silenceTimeout;
  collect.next = next;
  return collect;
}

function rejectionsOf(rejections: NonNullable<CollectDefinition<string>["rejections"]>, refs: References): CollectStep["rejections"] {
  const out: Mutable<CollectStep["rejections"]> = [];
  for (const r of rejections) out.push({ condition: { source: r.if, test: testOf(r.test, refs) as RejectionPredicate }, utter: r.utter });
  return out;
}
