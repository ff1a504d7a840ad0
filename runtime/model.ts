/**
 * The shape of a compiled assistant: what flowc generates and what the runtime executes. All
 * plain data (plus predicate functions), typed so that generated code is checked by `tsc`:
 * step ids, flow ids, slot names and response names are literal types in generated modules.
 */
import type { TemplateVariables } from "./templates.ts";

/** Slot values as the runtime keeps them: every slot present, `null` when unset. */
export type SlotValues = Readonly<Record<string, unknown>>;

/** The top stack frame's fields, as conditions see them (`context.flow_id`, `context.collect`, ...). */
export type FrameContext = Readonly<Record<string, unknown>>;

/** A compiled condition of a flow guard or a `next` branch: throws `ConditionError` where pypred raises. */
export type Predicate = (slots: SlotValues, context: FrameContext) => boolean;

/**
 * The compiled Jinja template of an action step's name that needs more than bare
 * `{{ context.<field> }}` holes (`utter_{{context.flow_id|upper}}`): renders it with the frame's
 * context; throws where Jinja raises (reading an attribute of an undefined value).
 */
export type ActionNameTemplate = (context: FrameContext) => string;

/** A compiled rejection condition: its document holds only the collected slot. */
export type RejectionPredicate = (slots: SlotValues) => boolean;

export interface Condition<P = Predicate> {
  /** The condition as written in the YAML. */
  readonly source: string;
  /** `file:line` of the condition (generated modules keep it in the comment above the test). */
  readonly location?: string;
  readonly test: P;
}

export const START = "START";
export const END = "END";

/** Rasa's default actions: always available, never listed in the domain. */
export const DEFAULT_ACTION_NAMES: readonly string[] = [
  "action_listen",
  "action_restart",
  "action_session_start",
  "action_default_fallback",
  "action_deactivate_loop",
  "action_revert_fallback_events",
  "action_default_ask_affirmation",
  "action_default_ask_rephrase",
  "action_two_stage_fallback",
  "action_unlikely_intent",
  "action_back",
  "action_extract_slots",
  "action_cancel_flow",
  "action_correct_flow_slot",
  "action_clarify_flows",
  "action_run_slot_rejections",
  "action_clean_stack",
  "action_trigger_search",
  "action_trigger_chitchat",
  "action_hangup",
  "action_repeat_bot_messages",
  "action_block_digressions",
  "action_continue_digression",
  "action_cancel_interrupted_flows",
  "action_continue_interrupted_flow",
  "action_send_text",
  "action_reset_routing",
];

/** Where a step goes next: one static target, or branches tried in order with an `else`. */
export type Next<StepId extends string = string> =
  | { readonly kind: "static"; readonly to: StepId | typeof END | typeof START }
  | {
      readonly kind: "branch";
      readonly branches: readonly { readonly condition: Condition; readonly to: StepId | typeof END | typeof START }[];
      readonly otherwise: StepId | typeof END | typeof START;
    };

/** `true` (every flow) or the ids of the flows a digression setting names. */
export type DigressionSetting = true | readonly string[];

interface StepBase<StepId extends string> {
  readonly id: StepId;
  /** `file:line` of the step. */
  readonly location: string;
}

export interface ActionStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "action";
  /** The action or response name; may hold a Jinja hole such as `{{context.utter}}`. */
  readonly action: string;
  /** The name's template compiled, where it needs more than bare `{{ context.<field> }}` holes. */
  readonly render?: ActionNameTemplate;
  readonly next: Next<StepId>;
}

export interface Rejection {
  readonly condition: Condition<RejectionPredicate>;
  readonly utter: string;
}

export interface CollectStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "collect";
  readonly slot: string;
  /** The question: `utter:` or `utter_ask_<slot>`. */
  readonly utter: string;
  /** `action_ask_<slot>`. */
  readonly askAction: string;
  readonly description?: string;
  readonly askBeforeFilling: boolean;
  readonly resetAfterFlowEnds: boolean;
  readonly forceSlotFilling: boolean;
  readonly rejections: readonly Rejection[];
  readonly blockDigressions?: DigressionSetting;
  readonly askConfirmDigressions?: DigressionSetting;
  readonly silenceTimeout?: number | Readonly<Record<string, number>>;
  readonly next: Next<StepId>;
}

export interface CallStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "call";
  readonly flow: string;
  readonly next: Next<StepId>;
}

export interface LinkStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "link";
  readonly flow: string;
}

export interface SetSlotsStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "set_slots";
  /** `float`: the value is a number written as a float (`3.0`), a Python float that prints as one. */
  readonly slots: readonly { readonly slot: string; readonly value: unknown; readonly float?: true }[];
  readonly next: Next<StepId>;
}

export interface NoopStep<StepId extends string = string> extends StepBase<StepId> {
  readonly kind: "noop";
  readonly next: Next<StepId>;
}

export type Step<StepId extends string = string> =
  | ActionStep<StepId>
  | CollectStep<StepId>
  | CallStep<StepId>
  | LinkStep<StepId>
  | SetSlotsStep<StepId>
  | NoopStep<StepId>;

export type FlowGuard = { readonly kind: "always"; readonly value: boolean } | ({ readonly kind: "condition" } & Condition);

export interface Flow<FlowId extends string = string, StepId extends string = string> {
  readonly id: FlowId;
  readonly name: string;
  readonly description: string;
  /** `file:line` of the flow. */
  readonly location: string;
  /** A hash of what the flow does (not where it is written): a saved conversation running the flow compares it (§a.2.2). */
  readonly fingerprint: string;
  readonly isPattern: boolean;
  readonly guard?: FlowGuard;
  /** True when the guard is statically false: the flow starts only through `call` or `link`. */
  readonly startableOnlyViaLink: boolean;
  readonly alwaysIncludeInPrompt: boolean;
  readonly nluTrigger: readonly { readonly intent: string; readonly confidenceThreshold: number }[];
  readonly persistedSlots: readonly string[];
  readonly runPatternCompleted: boolean;
  /** Absent or undefined when the flow has none (a generated flow reads it from its module when first asked). */
  readonly blockDigressions?: DigressionSetting | undefined;
  readonly askConfirmDigressions?: DigressionSetting | undefined;
  /** The first step (what `START` leads to). */
  readonly start: StepId;
  readonly steps: { readonly [K in StepId]: Step<StepId> };
  /** The slot of each collect step of this flow and the flows it calls, with `reset_after_flow_ends`, in Rasa's `steps_with_calls_resolved` order (a called flow's steps right after its call step). */
  readonly collects: readonly { readonly slot: string; readonly resetAfterFlowEnds: boolean }[];
  /** The slot of each entry of the set_slots steps of this flow and the flows it calls, in the same order. */
  readonly sets: readonly string[];
}

export type SlotType = "text" | "bool" | "float" | "categorical" | "any" | "list";

export interface SlotDefinition {
  readonly name: string;
  readonly type: SlotType;
  readonly initialValue: unknown;
  /** The initial value is a number written as a float (`0.0`): a Python float, which prints as one. */
  readonly initialFloat?: true;
  /** Categorical values in the domain's casing. */
  readonly values?: readonly string[];
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly mappings: readonly { readonly type: string; readonly [key: string]: unknown }[];
  readonly validation?: { readonly rejections: readonly Rejection[]; readonly refillUtter: string };
}

/** A button: its title and payload, and any other key it is written with (Rasa passes them all on, with their strings filled in). */
export interface Button {
  readonly title: string;
  readonly payload: string;
  readonly [key: string]: unknown;
}

/**
 * A Jinja response template compiled to a function of the template variables: every slot by
 * name, `context` (the current frame's fields) and the extra values of the message.
 */
export type TemplateFunction = (variables: TemplateVariables) => string;

export interface CompiledCustom {
  readonly [key: string]: TemplateFunction | CompiledCustom;
}

export interface ResponseVariation {
  readonly text?: string;
  readonly buttons: readonly Button[];
  readonly image?: string;
  readonly custom?: unknown;
  /** Sent with their strings filled in, as those of `custom` (Rasa interpolates `quick_replies` and `attachment`). */
  readonly quick_replies?: readonly unknown[];
  readonly attachment?: Readonly<Record<string, unknown>>;
  /** Sent as written: Rasa does not interpolate `elements`. */
  readonly elements?: readonly unknown[];
  readonly channel?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** A compiled condition, or Rasa's classic slot conditions. */
  readonly condition?: Condition | readonly { readonly slot: string; readonly value: unknown }[];
  /** With `metadata: {template: jinja}`: the compiled templates of the text, the image, the buttons, `custom`, `quick_replies` and `attachment`. */
  readonly jinja?: {
    readonly text?: TemplateFunction;
    readonly image?: TemplateFunction;
    /** Per button, by index: the templates of its title, payload and other strings, keyed like the button (none for a text without Jinja tags). */
    readonly buttons?: readonly CompiledCustom[];
    /** The functions of the strings inside `custom`, nested like `custom` (an array's items by index). */
    readonly custom?: CompiledCustom;
    /** The same for `quick_replies` (its items by index) and `attachment`. */
    readonly quick_replies?: CompiledCustom;
    readonly attachment?: CompiledCustom;
  };
}

export interface Response {
  readonly name: string;
  readonly variations: readonly ResponseVariation[];
}

/** What a command generator's prompt needs to know of a startable flow. */
export interface FlowCatalogueEntry {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly guard?: string;
  readonly alwaysIncludeInPrompt: boolean;
  readonly slots: readonly { readonly name: string; readonly type: SlotType; readonly description?: string; readonly allowedValues?: readonly string[] }[];
}

export interface CompiledAssistant<FlowId extends string = string> {
  /** A hash of the whole compiled assistant; saved conversations carry it. */
  readonly hash: string;
  readonly flows: { readonly [K in FlowId]: Flow<K> };
  readonly slots: Readonly<Record<string, SlotDefinition>>;
  readonly responses: Readonly<Record<string, Response>>;
  /** Custom actions the assistant uses (flow steps, `action_ask_<slot>`, `validate_<slot>`). */
  readonly customActions: readonly string[];
  /**
   * The domain's `actions:` list. The names an assistant knows are these, its responses, Rasa's
   * default actions ({@link DEFAULT_ACTION_NAMES}) and `flow_<id>` for each of its flows.
   */
  readonly domainActions: readonly string[];
  readonly intents: readonly string[];
  readonly catalogue: readonly FlowCatalogueEntry[];
  /**
   * `false` when the domain's `session_config.carry_over_slots_to_new_session` is false: a
   * session start (`startSession`, or a flow step that runs Rasa's default
   * `action_session_start`) then puts the slots back to their initial values. Left out when
   * slots are carried over (Rasa's default).
   */
  readonly carryOverSlots?: false;
}

/** `T` with its properties writable: for the define-* functions, which fill an object field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
