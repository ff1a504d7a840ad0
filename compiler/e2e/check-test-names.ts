/**
 * The names a test file asserts on that the assistant does not have: a response of a
 * `bot_uttered` / `bot_did_not_utter` assertion or an `utter:` step, a slot of a `slot_was_set` /
 * `slot_was_not_set` assertion or step, a flow of a `flow_started` / `flow_completed` /
 * `flow_cancelled` assertion. Such a name is mostly a typo, and Rasa's runner says nothing of
 * it: an assertion that looks for it fails with only the turn's events to go by, and one that
 * looks for its absence always holds. `flowc test` warns of each (FLW5041), with the closest
 * name the assistant has as the warning's suggestion, at the name itself; the test cases run as
 * they are.
 *
 * Warns, for example, of:  - utter: utter_menuu    (the domain has `utter_menu`)
 *
 * It warns the same way (FLW5042) of a fixture or metadata name that no test file defines: Rasa's runner
 * keeps only the fixtures a test case names (an unknown name sets nothing), and logs an unknown
 * metadata name and sends no metadata for it (rasa/e2e_test/e2e_test_runner.py).
 */
import type { CompiledAssistant } from "../../runtime/model.ts";
import { didYouMean } from "../util/suggest.ts";
import { testWarning, type NameUse, type Place, type SessionStartChecks, type TestSuite, type TestWarning, type UserStep } from "./test-model.ts";

export function checkTestNames(suite: TestSuite, compiled: CompiledAssistant): TestWarning[] {
  const known = {
    // A stub's message may name a response the domain lacks: the turn sends it as the stub writes it.
    response: new Set([...Object.keys(compiled.responses), ...stubResponses(suite)]),
    slot: new Set(Object.keys(compiled.slots)),
    flow: new Set(Object.keys(compiled.flows)),
  };
  const warnings: TestWarning[] = [];
  const check = (kind: keyof typeof known, name: string | undefined, at: Place): void => {
    if (name === undefined || known[kind].has(name)) return;
    warnings.push(testWarning("notOfTheAssistant", { name, kind }, at, suite.ranges, didYouMean(name, known[kind])));
  };
  /** The step-style checks after a user step, or before the first one. */
  const checkSteps = (steps: SessionStartChecks | UserStep): void => {
    for (const bot of steps.botSteps) if (bot.kind === "utter") check("response", bot.response, bot.at);
    for (const slot of [...steps.slotWasSet, ...steps.slotWasNotSet]) check("slot", slot.name, slot.nameAt ?? slot.at);
  };
  for (const testCase of suite.testCases) {
    for (const step of testCase.steps) {
      for (const assertion of step.assertions) {
        switch (assertion.kind) {
          case "bot_uttered":
          case "bot_did_not_utter":
            check("response", assertion.bot.utterName, assertion.bot.utterNameAt ?? assertion.at);
            break;
          case "slot_was_set":
          case "slot_was_not_set":
            for (const slot of assertion.slots) check("slot", slot.name, slot.nameAt ?? slot.at);
            break;
          case "flow_started":
          case "flow_completed":
          case "flow_cancelled":
            check("flow", assertion.flowId, assertion.flowIdAt ?? assertion.at);
            break;
        }
      }
      checkSteps(step);
    }
    if (testCase.sessionStart) checkSteps(testCase.sessionStart);
  }
  const defined = (kind: string, names: ReadonlyMap<string, unknown>, uses: readonly NameUse[] | undefined, consequence: string): void => {
    for (const use of uses ?? []) {
      if (names.has(use.name)) continue;
      const known = names.size > 0 ? ` (${kind}: ${[...names.keys()].join(", ")})` : "";
      warnings.push(testWarning("undefinedTestName", { kind: kind === "fixtures" ? "fixture" : kind, name: use.name, defined: known, consequence }, use.at, suite.ranges));
    }
  };
  defined("fixtures", suite.fixtures, suite.fixtureUses, "sets nothing for it");
  defined("metadata", suite.metadata, suite.metadataUses, "sends none for it");
  return warnings;
}

/** The response names the messages of every stub of the suite give. */
function* stubResponses(suite: TestSuite): Iterable<string> {
  const stubTables = [suite.stubs, suite.sharedStubs, ...suite.fileStubs.values(), ...suite.testCases.flatMap((testCase) => testCase.steps.map((step) => step.stubs))];
  for (const stubs of stubTables) for (const stub of stubs.values()) for (const message of stub.messages) if (message.response !== undefined) yield message.response;
}
