/**
 * The typed input that the schema pass produces from YAML: flows and domain, every part with
 * its source range. Nothing here is normalized yet (no step ids, no implicit next).
 */
import type { Expression } from "../conditions/ast.ts";
import type { SourceRange } from "../source/source-file.ts";
import type { YamlNode } from "../source/yaml-nodes.ts";
import type { YamlTree } from "../source/yaml-tree.ts";

/** A condition as written: its text, where it is, and (after parsing) its syntax tree. */
export interface ConditionInput {
  /** The text every pass reads: for a branch or rejection, after the Jinja step's line breaks (condition-text.ts). */
  readonly text: string;
  /** The value as written in the YAML, where it differs from `text`. */
  readonly written?: string | undefined;
  readonly range: SourceRange;
  readonly tree: YamlTree;
  /** The scalar node (position and style), used to map offsets inside the text to offsets in the file. */
  readonly node: YamlNode | null | undefined;
  /** Set by the condition-parsing pass when the text is a valid condition. */
  ast?: Expression | undefined;
  /**
   * For a condition with Jinja statements (no `ast`), or a flow guard that reads as a condition
   * only rendered (no `ast`; it never holds): the text Rasa's validator checks, rendered with
   * every value `None`, and its syntax tree (spans relative to that text).
   */
  renderedWithNone?: { readonly text: string; readonly ast: Expression } | undefined;
}

export interface Named {
  readonly name: string;
  readonly range: SourceRange;
}

/** `true` (every flow), or a list of flow ids. `false` and absence both mean nothing. */
export type DigressionSetting = { readonly all: true; readonly range: SourceRange } | { readonly all: false; readonly flows: readonly Named[]; readonly range: SourceRange };

export interface NluTriggerInput {
  readonly intent: string;
  readonly confidenceThreshold: number;
  readonly range: SourceRange;
}

export type FlowGuardInput =
  | { readonly kind: "boolean"; readonly value: boolean; readonly range: SourceRange }
  | { readonly kind: "condition"; readonly condition: ConditionInput };

export interface FlowInput {
  readonly id: string;
  readonly idRange: SourceRange;
  readonly range: SourceRange;
  readonly tree: YamlTree;
  readonly description: string;
  readonly descriptionRange: SourceRange;
  readonly name?: string | undefined;
  readonly nameRange?: SourceRange | undefined;
  readonly guard?: FlowGuardInput | undefined;
  readonly alwaysIncludeInPrompt: boolean;
  readonly nluTrigger: readonly NluTriggerInput[];
  readonly persistedSlots: readonly Named[];
  readonly runPatternCompleted: boolean;
  readonly blockDigressions?: DigressionSetting | undefined;
  readonly askConfirmDigressions?: DigressionSetting | undefined;
  readonly translation?: Readonly<Record<string, { readonly name: string }>> | undefined;
  readonly steps: readonly StepInput[];
  readonly stepsRange: SourceRange;
  /** True for flows shipped with flowc (the default patterns). */
  readonly isDefault: boolean;
}

export interface StepBase {
  readonly customId?: string | undefined;
  readonly idRange?: SourceRange | undefined;
  readonly range: SourceRange;
  /** The range of the type key (`action:`, `collect:`, ...) and its value. */
  readonly headRange: SourceRange;
  readonly next?: NextInput | undefined;
  readonly description?: string | undefined;
  readonly metadata?: unknown;
}

export interface ActionStepInput extends StepBase {
  readonly kind: "action";
  readonly action: string;
  /** Where the name is written (the value of `action:`). */
  readonly actionRange: SourceRange;
  /** Where the name is written, for a name with a `{` (a Jinja template's errors point into it). */
  readonly actionSource: ScalarSource | undefined;
}

export interface RejectionInput {
  readonly condition: ConditionInput | { readonly booleanValue: boolean; readonly range: SourceRange };
  readonly utter: string;
  readonly utterRange: SourceRange;
}

export interface CollectStepInput extends StepBase {
  readonly kind: "collect";
  readonly collect: string;
  /** Where the slot's name is written (the value of `collect:`). */
  readonly collectRange: SourceRange;
  readonly utter?: string | undefined;
  readonly utterRange?: SourceRange | undefined;
  readonly askBeforeFilling: boolean;
  readonly resetAfterFlowEnds: boolean;
  readonly resetAfterFlowEndsRange?: SourceRange | undefined;
  readonly forceSlotFilling: boolean;
  readonly rejections: readonly RejectionInput[];
  readonly silenceTimeout?: number | Readonly<Record<string, number>> | undefined;
  readonly blockDigressions?: DigressionSetting | undefined;
  readonly askConfirmDigressions?: DigressionSetting | undefined;
}

export interface CallStepInput extends StepBase {
  readonly kind: "call";
  readonly call: string;
  readonly exitIfRange?: SourceRange | undefined;
}

export interface LinkStepInput extends StepBase {
  readonly kind: "link";
  readonly link: string;
}

export interface SlotAssignmentInput {
  readonly slot: string;
  readonly value: unknown;
  readonly range: SourceRange;
  /** A number written as a float (`3.0`): a Python float in Rasa, which prints as one. */
  readonly writtenAsFloat?: true | undefined;
}

export interface SetSlotsStepInput extends StepBase {
  readonly kind: "set_slots";
  readonly assignments: readonly SlotAssignmentInput[];
}

export interface NoopStepInput extends StepBase {
  readonly kind: "noop";
}

export type StepInput = ActionStepInput | CollectStepInput | CallStepInput | LinkStepInput | SetSlotsStepInput | NoopStepInput;
export type StepKind = StepInput["kind"];

export type TargetInput =
  | { readonly kind: "id"; readonly id: string; readonly range: SourceRange }
  | { readonly kind: "steps"; readonly steps: readonly StepInput[]; readonly range: SourceRange; readonly key: "then" | "else" };

export type BranchInput =
  | { readonly kind: "if"; readonly condition: ConditionInput | { readonly booleanValue: boolean; readonly range: SourceRange }; readonly then: TargetInput; readonly range: SourceRange }
  | { readonly kind: "else"; readonly target: TargetInput; readonly range: SourceRange };

export type NextInput =
  | { readonly kind: "static"; readonly target: string; readonly range: SourceRange }
  | { readonly kind: "branches"; readonly branches: readonly BranchInput[]; readonly range: SourceRange };

// ---------------------------------------------------------------- domain

export const SLOT_TYPES = ["text", "bool", "float", "categorical", "any", "list"] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

export interface SlotInput {
  readonly name: string;
  readonly nameRange: SourceRange;
  readonly range: SourceRange;
  readonly type: SlotType;
  readonly hasInitialValue: boolean;
  readonly initialValue: unknown;
  readonly initialValueRange?: SourceRange | undefined;
  /** An initial value written as a float (`0.0`): a Python float in Rasa, which prints as one. */
  readonly initialValueWrittenAsFloat?: true | undefined;
  /** Categorical values (strings, as Rasa stores them), `null`s dropped. */
  readonly values: readonly string[];
  readonly minValue: number;
  readonly maxValue: number;
  readonly influenceConversation: boolean;
  readonly mappings: readonly Readonly<Record<string, unknown>>[];
  readonly validation?: {
    readonly rejections: readonly RejectionInput[];
    readonly refillUtter?: string | undefined;
    readonly refillUtterRange?: SourceRange | undefined;
  } | undefined;
  readonly isDefault: boolean;
}

export interface ButtonInput {
  readonly title: string;
  readonly payload: string;
  /** Where the payload is written (absent for buttons flowc builds itself). */
  readonly payloadRange?: SourceRange | undefined;
  /** The payload's scalar node, to point at a part of the payload (absent with `payloadRange`). */
  readonly payloadNode?: YamlNode | null | undefined;
  /** The button as written, when it has keys beside `title` and `payload` (Rasa sends them all). */
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

export interface VariationInput {
  readonly range: SourceRange;
  readonly text?: string | undefined;
  readonly buttons: readonly ButtonInput[];
  readonly image?: string | undefined;
  readonly custom?: unknown;
  /** Sent on as Rasa sends them: `quick_replies` and `attachment` with their strings filled in, `elements` as written. */
  readonly quickReplies?: readonly unknown[] | undefined;
  readonly attachment?: Readonly<Record<string, unknown>> | undefined;
  readonly elements?: readonly unknown[] | undefined;
  /** The variation's `id`, which must be unique in the domain. */
  readonly id?: string | undefined;
  readonly channel?: string | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** A pypred condition string, or Rasa's classic list of slot conditions. */
  readonly condition?: ConditionInput | readonly { readonly name: string; readonly value: unknown }[] | undefined;
  /** With `metadata.template`: where the engine's name and the templated strings are, to point inside them. */
  readonly templateSources?: VariationTemplateSources | undefined;
  /** The first key Rasa interpolates (`text`, `image`, `custom`, `buttons`, `attachment`, `quick_replies`) holding an empty `{}` placeholder, blanks allowed inside, and where its value is. */
  readonly emptyPlaceholder?: { readonly key: string; readonly range: SourceRange } | undefined;
}

/** A string scalar of the YAML: its range and node (to map offsets inside the string to the file). */
export interface ScalarSource {
  readonly range: SourceRange;
  readonly node: YamlNode | null | undefined;
}

export interface VariationTemplateSources {
  readonly engine: ScalarSource;
  readonly text?: ScalarSource | undefined;
  readonly image?: ScalarSource | undefined;
  /** Per button: its title, its payload, and every string under its other keys. */
  readonly buttons: readonly { readonly title: ScalarSource; readonly payload: ScalarSource; readonly others: readonly NestedString[] }[];
  /** Every string inside `custom`, with its path of keys and indexes. */
  readonly custom: readonly NestedString[];
  /** The same inside `quick_replies` and `attachment`, which Rasa renders too. */
  readonly quickReplies: readonly NestedString[];
  readonly attachment: readonly NestedString[];
}

/** A string inside a nested value of a variation, with its path of keys and indexes. */
export interface NestedString {
  readonly path: readonly (string | number)[];
  readonly text: string;
  readonly source: ScalarSource;
}

export interface ResponseInput {
  readonly name: string;
  readonly nameRange: SourceRange;
  readonly variations: readonly VariationInput[];
  readonly isDefault: boolean;
}

export interface ActionInput {
  readonly name: string;
  readonly range: SourceRange;
  readonly sendDomain: boolean;
}

/** The domain part of one file. */
export interface DomainPartInput {
  readonly tree: YamlTree;
  readonly isDefault: boolean;
  readonly slots: readonly SlotInput[];
  readonly responses: readonly ResponseInput[];
  readonly actions: readonly ActionInput[];
  readonly intents: readonly Named[];
  readonly entities: readonly Named[];
  /** The names of `forms`; each is an action of the domain. */
  readonly forms: readonly Named[];
  /**
   * Whether the file sets something beyond its named items that makes Rasa count the domain as
   * not empty: `session_config` or `config` values other than the defaults, or `e2e_actions`.
   */
  readonly hasOwnSettings: boolean;
  /** Whether the file's `session_config` sets `carry_over_slots_to_new_session: false`. */
  readonly carriesNoSlotsOver: boolean;
}

export interface FlowsPartInput {
  readonly tree: YamlTree;
  readonly isDefault: boolean;
  readonly flows: readonly FlowInput[];
}
