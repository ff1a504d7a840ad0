/**
 * `flowc chat` as a new user would try it: the example assistant driven through standard input
 * (one message per line, in plain words) completes a money transfer with a correction, asks
 * which flow an ambiguous request means, cancels a dress purchase, and stops at `/quit`; the
 * README's transcript is what it prints; and the ways it refuses to start.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { project, run } from "../support/cli.ts";

const root = resolve(import.meta.dirname, "../..");

function chatThroughStdin(args: readonly string[], messages: readonly string[]) {
  const result = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "chat", ...args], { cwd: root, input: `${messages.join("\n")}\n`, encoding: "utf8" });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Each expected line appears in `out`, in this order. */
function expectInOrder(out: string, expected: readonly string[]): void {
  const lines = out.split("\n");
  let at = 0;
  for (const line of expected) {
    const found = lines.findIndex((candidate, index) => index >= at && candidate.includes(line));
    expect(found, `"${line}" after line ${at} of:\n${out}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

describe("flowc chat on the example assistant", () => {
  it("transfers money with a correction, clarifies, cancels a purchase and ends at /quit", () => {
    const { code, out, err } = chatThroughStdin(
      ["--inspect"],
      ["I want to send money to John", "50", "actually make it 60", "1", "what's my balance?", "I'm looking for a dress", "buy a dress", "cancel", "/quit", "send 5 to Mary"],
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expectInOrder(out, [
      "custom actions from flows/actions.ts",
      "you> I want to send money to John",
      "bot> How much would you like to send to John?",
      "commands: start flow transfer_money; set slot recipient \"John\"",
      "stack:    transfer_money@ask_amount (regular) > pattern_collect_information@",
      "you> 50",
      "bot> Just to be sure: shall I send 50.0 EUR to John?",
      "1. Yes, send it",
      "2. No, don't send",
      "slots:    recipient=\"John\", recipient_known=true, amount=50",
      "you> actually make it 60",
      "bot> Got it, I have updated that for you.",
      "bot> Just to be sure: shall I send 60.0 EUR to John?",
      "you> 1",
      "bot> All done. The money is on its way to John.",
      "bot> Is there anything else I can do for you?",
      "stack:    (empty)",
      "you> what's my balance?",
      "bot> Your current balance is 1190 EUR.",
      "you> I'm looking for a dress",
      "Which one do you mean: buy a dress or track dress order?",
      "commands: clarify shop_for_dress track_dress_order",
      "you> buy a dress",
      "bot> What kind of dress are you looking for?",
      "1. Casual",
      "you> cancel",
      "bot> All right, I have stopped buy a dress.",
      "you> /quit",
    ]);
    expect(out).not.toContain("send 5 to Mary");
  });
});

describe("the README's chat transcript", () => {
  it("is what `npm run chat` prints for the messages it shows", () => {
    const readme = readFileSync(resolve(root, "README.md"), "utf8");
    const transcript = /```\n\$ npm run chat\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(transcript).toBeDefined();
    const messages = transcript!.split("\n").filter((line) => line.startsWith("you> ")).map((line) => line.slice(5));
    expect(messages.length).toBeGreaterThan(3);
    const { code, out } = chatThroughStdin([], messages);
    expect(code).toBe(0);
    expect(out).toBe(transcript);
  });
});

describe("flowc chat: its first line", () => {
  it("counts the flows as `compile` does, a pattern override among them", () => {
    const dir = project({
      "domain.yml": "responses:\n  utter_hi:\n    - text: Hi.\n  utter_stopped:\n    - text: Stopped.\n",
      "flows.yml": "flows:\n  hello:\n    description: Say hello.\n    steps:\n      - action: utter_hi\n  pattern_cancel_flow:\n    description: Cancels the flow.\n    steps:\n      - action: action_cancel_flow\n      - action: utter_stopped\n",
    });
    const chat = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "chat", "."], { cwd: dir, input: "", encoding: "utf8" });
    const compile = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "compile", ".", "--no-emit"], { cwd: dir, encoding: "utf8" });
    expect(compile.stdout).toContain("checked 2 flows");
    expect(chat.stdout.split("\n")[0]).toBe("flowc chat: 2 flows from .; /quit or Ctrl-D ends the chat");
  });
});

describe("flowc chat: the session's start", () => {
  const DOMAIN = readFileSync(resolve(root, "tests/e2e/session-start/domain.yml"), "utf8");
  const FLOWS = readFileSync(resolve(root, "tests/e2e/session-start/flows.yml"), "utf8");
  const ACTIONS = 'export const actions = {\n  action_session_start: () => ({ slots: { tier: "gold" }, messages: [{ text: "Welcome back!", buttons: [{ title: "Help", payload: "start flow help" }] }] }),\n};\n';

  it("runs the assistant's own action_session_start and prints its messages before the first prompt, and again after /restart", () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "actions.ts": ACTIONS });
    const chat = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "chat", "."], { cwd: dir, input: "1\n/restart\n", encoding: "utf8" });
    expect(chat.status).toBe(0);
    const lines = chat.stdout.split("\n");
    // The session's message comes before the first message of the user; its slot leads the flow to the gold branch, and its button works.
    expect(lines.slice(1, 7)).toEqual(["bot> Welcome back!", "     1. Help", "you> 1", "bot> Gold service.", "bot> Is there anything else I can do for you?", "you> /restart"]);
    expect(lines.slice(7, 10)).toEqual(["(a new conversation)", "bot> Welcome back!", "     1. Help"]);
  });

  it("names an action_session_start that throws, and goes on", () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "actions.ts": 'export const actions = { action_session_start: () => { throw new Error("no profile"); } };\n' });
    const chat = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "chat", "."], { cwd: dir, input: "start flow help\n", encoding: "utf8" });
    const lines = chat.stdout.split("\n");
    expect(lines.slice(1, 4)).toEqual(["  (custom action action_session_start failed: no profile)", "you> start flow help", "bot> Basic service."]);
  });

  it("prints nothing for Rasa's default session start", () => {
    const dir = project({ "domain.yml": DOMAIN.replace("actions:\n  - action_session_start\n", ""), "flows.yml": FLOWS });
    const chat = spawnSync(process.execPath, [resolve(root, "bin/flowc.js"), "chat", "."], { cwd: dir, input: "start flow help\n", encoding: "utf8" });
    expect(chat.stdout.split("\n").slice(1, 3)).toEqual(["you> start flow help", "bot> Basic service."]);
  });
});

describe("flowc chat: refusals", () => {
  const DOMAIN = "slots:\n  name:\n    type: text\n    mappings: [{type: from_llm}]\nresponses:\n  utter_ask_name:\n    - text: Name?\nactions:\n  - greet\n";
  const FLOWS = "flows:\n  hello:\n    description: Say hello.\n    steps:\n      - collect: name\n      - action: greet\n";

  it("prints the compile errors and exits 2 when the assistant does not compile", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS.replace("collect: name", "collect: nam") });
    const result = await run(["chat", "."], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("flows.yml:5:9: error FLW2006");
    expect(result.err).toContain("flowc chat: the assistant in . does not compile (1 error)");
  });

  it("exits 2 when the actions module is not one function per action, or missing", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS, "actions.ts": "export const actions = { greet: 1 };\n" });
    const result = await run(["chat", "."], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("flowc chat: actions.ts: `greet` must be a function");
    const missing = await run(["chat", ".", "--actions", "nowhere.ts"], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("nowhere.ts does not exist");
  });

  it("refuses an unknown option", async () => {
    const result = await run(["chat", "--verbose"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--verbose");
  });
});
