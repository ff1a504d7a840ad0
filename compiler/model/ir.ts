/**
 * The intermediate representation that checks and code generation work on: each flow as a
 * flat list of steps with Rasa's step ids and explicit links (implicit `next` resolved,
 * nested `then`/`else` lists flattened), plus the merged domain.
 */
import type { Expression } from "../conditions/ast.ts";
import type { SourceRange } from "../source/source-file.ts";
import type {
  ActionInput,
  ConditionInput,
  FlowInput,
  Named,
  ResponseInput,
  SlotInput,
  StepInput,
} from "./input.ts";

export const START = "START";
export const END = "END";

export interface ConditionIR {
  readonly input: ConditionInput;
  readonly ast: Expression;
}

export type LinkIR =
  | { readonly kind: "static"; readonly target: string; readonly range: SourceRange; readonly implicit: boolean }
  | {
      readonly kind: "if";
      /** The parsed condition; undefined for a YAML boolean or a condition with Jinja statements. */
      readonly condition: ConditionIR | undefined;
      /** The condition as written (undefined for a YAML boolean). */
      readonly input?: ConditionInput | undefined;
      readonly booleanValue?: boolean | undefined;
      readonly target: string;
      readonly range: SourceRange;
    }
  | { readonly kind: "else"; readonly target: string; readonly range: SourceRange };

export interface StepIR {
  readonly id: string;
  /** Position in the flow's depth-first pre-order walk (Rasa's `idx`). */
  readonly index: number;
  readonly input: StepInput;
  readonly links: readonly LinkIR[];
  /** True when the step is the last one of a nested then/else list and has no `next`. */
  readonly missingNext: boolean;
}

export interface FlowIR {
  readonly id: string;
  readonly input: FlowInput;
  /** The readable name: `name`, or the id with `_` and `-` turned into spaces. */
  readonly name: string;
  readonly isPattern: boolean;
  readonly steps: readonly StepIR[];
  /** Step lookup by id, first match in pre-order wins (Rasa's lookup). */
  readonly stepsById: ReadonlyMap<string, StepIR>;
  readonly firstStepId: string | undefined;
}

export interface DomainIR {
  readonly slots: ReadonlyMap<string, SlotInput>;
  readonly responses: ReadonlyMap<string, ResponseInput>;
  /** Custom actions listed in the domain. */
  readonly actions: ReadonlyMap<string, ActionInput>;
  readonly intents: ReadonlyMap<string, Named>;
  /**
   * True when the user's domain files, merged, hold nothing (Rasa's `Domain.is_empty`): no
   * slots, responses, actions, intents, entities or forms, and default settings only.
   */
  readonly isEmpty: boolean;
  /**
   * Whether a session start carries the slots over (`session_config.carry_over_slots_to_new_session`):
   * true unless a domain file sets it false.
   */
  readonly carryOverSlots: boolean;
}

export interface AssistantIR {
  readonly flows: readonly FlowIR[];
  readonly flowsById: ReadonlyMap<string, FlowIR>;
  readonly domain: DomainIR;
  /** Slots each flow collects or sets, including those of the flows it calls (transitively). */
  readonly flowSlots: ReadonlyMap<string, FlowSlots>;
}

export interface FlowSlots {
  /** Slots of collect steps of this flow and of called flows, in order of first appearance. */
  readonly collected: readonly string[];
  /** Slots of set_slots steps of this flow and of called flows. */
  readonly set: readonly string[];
}

/** Rasa's default actions: always available, never listed in the domain (the runtime's list). */
export { DEFAULT_ACTION_NAMES as DEFAULT_ACTIONS } from "../../runtime/model.ts";

/** Intents every Rasa domain has without listing them (Rasa's default intents, `silence_timeout` included). */
export const DEFAULT_INTENTS: ReadonlySet<string> = new Set(["restart", "back", "out_of_scope", "session_start", "nlu_fallback", "silence_timeout"]);

export function defaultFlowName(id: string): string {
  return id.replace(/[_-]/g, " ");
}
