/**
 * Stubbed custom actions: Rasa's `stub_custom_actions` turned into the per-turn action
 * overrides of `Assistant.handle`. A stub's slot events become the action's slot settings and
 * its responses its messages. For one step, the step's own stubs (flowc's extension 2) win
 * over `test_case::name`, which wins over a `name` stub of the test case's own file (as in
 * Rasa, a file's `name` stubs reach no other file, but those of the test files of the same file
 * name in other folders, which Rasa cannot tell apart), which wins over one of a file of stubs
 * without test cases; an action without a stub keeps whatever the
 * assistant was created with (in `flowc test`, nothing: it runs and returns nothing).
 */
import type { CustomAction, CustomActionMap } from "../../runtime/assistant.ts";
import { basename } from "node:path";
import { stubNamesOf, type Stub, type TestCase, type TestSuite, type UserStep } from "./test-model.ts";

/** The stubs of `testCase`'s `step`; without a step, those of the session's start (`action_session_start`'s stub, when there is one). */
export function stubbedActions(suite: TestSuite, testCase: TestCase, step?: Pick<UserStep, "stubs">): CustomActionMap {
  const chosen = new Map<string, Stub>(suite.sharedStubs);
  // Rasa keys a file's `name` stubs by the file's name without its folder, a later file's over an earlier's.
  const fileName = basename(testCase.at.file);
  for (const [file, stubs] of suite.fileStubs) {
    const isTestFile = suite.testFiles?.has(file) ?? suite.testCases.some((other) => other.at.file === file);
    if (isTestFile && basename(file) === fileName) for (const [name, stub] of stubs) chosen.set(name, stub);
  }
  for (const name of stubNamesOf(testCase.name)) {
    const prefix = `${name}::`;
    for (const [key, stub] of suite.stubs) if (key.startsWith(prefix)) chosen.set(key.slice(prefix.length), stub);
  }
  for (const [name, stub] of step?.stubs ?? []) chosen.set(name, stub);
  const actions: Record<string, CustomAction> = {};
  for (const [name, stub] of chosen) actions[name] = actionOf(stub);
  return actions;
}

/** A stub's number written as a float (`1250.0`) is a Python float, as Rasa's YAML reader gives it. */
function actionOf(stub: Stub): CustomAction {
  const slots: Record<string, unknown> = {};
  for (const { name, value } of stub.slots) slots[name] = value;
  const floats = stub.slots.filter((slot) => slot.float).map((slot) => slot.name);
  return () => ({ slots: { ...slots }, messages: stub.messages.map((message) => ({ ...message })), ...(floats.length > 0 ? { floats } : {}) });
}
