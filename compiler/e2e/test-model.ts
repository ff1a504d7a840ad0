/**
 * E2E test cases as `flowc test` runs them (design §3.2): Rasa's e2e test format read into
 * plain data, each part with the place in the test file it came from, so that a failure can
 * point at the assertion that failed. The loader builds these; the runner and the checker
 * only read them.
 */
import type { TestFileDiagnosticKey } from "../diagnostics/catalogue.ts";
import { createDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { SourceRange } from "../source/source-file.ts";

/** Where something is written in a test file (1-based line and column). */
export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A problem with a test file: a diagnostic of the catalogue (an FLW5xxx code, or the FLW0xxx and
 * FLW1xxx codes of reading YAML), reported with its place, and no test runs. A path that cannot
 * be read, or holds no test case, has no place in a file: the message names it.
 */
export interface TestFileProblem extends Diagnostic, Partial<Place> {}

/** A slot named in `slot_was_set` / `slot_was_not_set`, with a value or any value. */
export interface SlotCheck {
  readonly name: string;
  /** Absent: any value. */
  readonly value?: { readonly is: unknown };
  /** Where a failure is reported, as Rasa reports it: an assertion's entry, or a step-style step. */
  readonly at: Place;
  /** Where the slot's name is written, for a warning about the name itself. */
  readonly nameAt?: Place;
}

export interface BotCheck {
  readonly utterName?: string;
  /** Where `utter_name`'s value is written, for a warning about the name itself. */
  readonly utterNameAt?: Place;
  /** A Python regular expression as written, and its JavaScript translation; searched for in the text. */
  readonly textMatches?: { readonly source: string; readonly regex: RegExp };
  /** A button without `title` or `payload` matches only a button without it. */
  readonly buttons?: readonly { readonly title?: string; readonly payload?: string }[];
}

/** The assertions style (Rasa 3.10+), checked against the events of the user turn. */
export type Assertion = { readonly at: Place } & (
  | { readonly kind: "bot_uttered"; readonly bot: BotCheck }
  | { readonly kind: "bot_did_not_utter"; readonly bot: BotCheck }
  | { readonly kind: "slot_was_set"; readonly slots: readonly SlotCheck[] }
  | { readonly kind: "slot_was_not_set"; readonly slots: readonly SlotCheck[] }
  | { readonly kind: "action_executed"; readonly action: string }
  | { readonly kind: "flow_started"; readonly flowId: string; readonly flowIdAt?: Place }
  | { readonly kind: "flow_completed"; readonly flowId: string; readonly stepId?: string; readonly flowIdAt?: Place }
  | { readonly kind: "flow_cancelled"; readonly flowId: string; readonly stepId?: string; readonly flowIdAt?: Place }
  | { readonly kind: "pattern_clarification_contains"; readonly flowNames: readonly string[] }
);

/** A bot step of the step style: the next message of the turn, by response name or text. */
export type BotStep = { readonly at: Place } & ({ readonly kind: "utter"; readonly response: string } | { readonly kind: "bot"; readonly text: string });

/** What a stubbed custom action does: set slots and send messages. */
export interface Stub {
  /** `float`: a number written as a float (`1250.0`), a Python float that prints as one. */
  readonly slots: readonly { readonly name: string; readonly value: unknown; readonly float?: true }[];
  readonly messages: readonly StubMessage[];
}

export interface StubMessage {
  readonly response?: string;
  readonly text?: string;
  readonly buttons?: readonly { readonly title: string; readonly payload: string }[];
  readonly image?: string;
  readonly custom?: unknown;
  readonly quick_replies?: unknown;
  readonly attachment?: unknown;
  readonly elements?: unknown;
  /** Beside `response`: values for its placeholders, over the slots. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** A `user:` step with everything that belongs to its turn. */
export interface UserStep {
  /** The step's place among the test case's `user:` steps as written, from 0 (a blank one, which is skipped, counts). */
  readonly index: number;
  readonly user: string;
  /** The command DSL lines of extension 1; absent: the command generator's turn. */
  readonly commands?: readonly string[];
  /** Extension 2: stubs for this step only, over the test file's. */
  readonly stubs: ReadonlyMap<string, Stub>;
  readonly assertions: readonly Assertion[];
  /**
   * Rasa's `assertion_order_enabled: true`: each assertion looks only at the events after the
   * one the previous assertion matched.
   */
  readonly assertionOrder?: boolean;
  /** `utter:` and `bot:` steps that follow, in order. */
  readonly botSteps: readonly BotStep[];
  /** `slot_was_set:` and `slot_was_not_set:` steps that follow. */
  readonly slotWasSet: readonly SlotCheck[];
  readonly slotWasNotSet: readonly SlotCheck[];
  /** The name of the metadata entry sent with this message, over the test case's. */
  readonly metadata?: string;
  readonly at: Place;
}

/**
 * `utter:`, `bot:` and slot steps written before the first `user:` step that sends a message:
 * Rasa's runner checks them against what the session's start did (its turn -1:
 * action_session_start, the assistant's own when the domain lists it; then the fixtures' slots).
 */
export interface SessionStartChecks {
  readonly botSteps: readonly BotStep[];
  readonly slotWasSet: readonly SlotCheck[];
  readonly slotWasNotSet: readonly SlotCheck[];
  /** The first of those steps. */
  readonly at: Place;
}

export interface TestCase {
  readonly name: string;
  readonly steps: readonly UserStep[];
  /** Steps before the first user step, checked against the session's start (absent: none). */
  readonly sessionStart?: SessionStartChecks;
  /** Names of the fixtures that set slots before the first turn. */
  readonly fixtures: readonly string[];
  /**
   * True when some user step has `assertions` (even an empty list, as Rasa decides): then a
   * turn without bot steps may send anything.
   */
  readonly usesAssertions: boolean;
  /** The name of the metadata entry sent with every user message of the test case. */
  readonly metadata?: string;
  readonly at: Place;
}

export interface TestSuite {
  readonly testCases: readonly TestCase[];
  /**
   * Stubs by the key they are written with, `name` or `test_case::name`. A `test_case::name`
   * stub applies wherever that test case is; a `name` stub, as in Rasa, only to the test cases
   * of its own file ({@link fileStubs}; here, a name stubbed in several files is the first one's).
   */
  readonly stubs: ReadonlyMap<string, Stub>;
  /**
   * The `name` stubs of each file (by its path, in reading order), for the test cases of that file
   * and, as Rasa keys them by the file's name without its folder, of the test files of the same name.
   */
  readonly fileStubs: ReadonlyMap<string, ReadonlyMap<string, Stub>>;
  /** The files with a `test_cases` key (absent: those with a test case). */
  readonly testFiles?: ReadonlySet<string>;
  /** The `name` stubs of the files without test cases, for every test case (under its file's own). */
  readonly sharedStubs: ReadonlyMap<string, Stub>;
  /** Fixtures by name: slot values. */
  /** Each fixture's slot settings; `float`: a number written as a float (`1250.0`), a Python float that prints as one. */
  readonly fixtures: ReadonlyMap<string, readonly FixtureSetting[]>;
  /** Where each fixture is defined (absent: not known). */
  readonly fixturePlaces?: ReadonlyMap<string, Place>;
  /** Metadata entries by name: what Rasa attaches to a user message. */
  readonly metadata: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Each fixture name a test case lists and each metadata name a test case or step gives, where it is written (absent: not known). */
  readonly fixtureUses?: readonly NameUse[];
  readonly metadataUses?: readonly NameUse[];
  /** The range in its file of each place the loader made (absent, or no entry: only the place is known), for the warnings given there. */
  readonly ranges?: PlaceRanges;
}

/** The ranges of places, looked up by the place itself. */
export interface PlaceRanges {
  get(at: Place): SourceRange | undefined;
}

/**
 * What Rasa's runner would log and go past: `flowc test` warns of it, as a warning of the
 * catalogue (FLW504x) with its place and, where the loader knows it, its range, and runs the
 * test cases.
 */
export interface TestWarning extends Diagnostic, Place {}

/** The warning `key` of the catalogue with `args`, at `at` (and its range in `ranges`, if there). */
export function testWarning(key: TestFileDiagnosticKey, args: Readonly<Record<string, string>>, at: Place, ranges?: PlaceRanges, suggestion?: string): TestWarning {
  const { file, line, column } = at;
  return { ...createDiagnostic(key, args, { range: ranges?.get(at), suggestion }), file, line, column };
}

export interface NameUse {
  readonly name: string;
  readonly at: Place;
}

/**
 * The name a `test_case::action` stub gives a test case: Rasa looks a stub up by the test case's
 * name with spaces turned into underscores (so a test case `send money` takes the stubs
 * `send_money::action`).
 */
export function stubNamesOf(testCase: string): readonly string[] {
  return [testCase.replaceAll(" ", "_")];
}

/** One slot a fixture sets (see TestSuite.fixtures). */
export interface FixtureSetting {
  readonly name: string;
  readonly value: unknown;
  readonly float?: true;
}
