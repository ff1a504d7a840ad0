/**
 * Spec-traceability tests for design §3.1 (`flowc compile` and `flowc eval` as a user runs
 * them) and §5 ("every diagnostic points into the YAML ... of the character inside a
 * condition string ... with an excerpt and carets"): the variants the older CLI tests leave
 * out. Expectations come from the spec and the YAML written here, not from flowc's output.
 */
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { project, run, runBin } from "../support/cli.ts";

const flowc = runBin;
/** A Node stack trace's frame line. */
const STACK = /\n\s+at /;

const DOMAIN = `slots:
  amount:
    type: float
  name:
    type: text
responses:
  utter_ask_amount:
    - text: How much?
  utter_done:
    - text: Done.
`;

interface JsonDiagnostic {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

describe("a diagnostic inside a quoted condition covers the whole token as written (design §3.1 JSON D, §5)", () => {
  // Each condition is `slots.name = "a" "b"` (or with single quotes): pypred reads two
  // strings in a row, a syntax error at the second one (conditions.md §3). The token is
  // written with escapes in the YAML, so its carets span the escapes: endColumn is
  // exclusive (README, `compile --format json`), just after the token's closing escape.
  const LINES = [
    String.raw`          - if: "slots.name = \"a\" \"b\""`,
    String.raw`          - if: 'slots.name = ''a'' ''b'''`,
    String.raw`          - if: "slots.name = \x22a\x22 \x22b\x22"`,
  ];
  const TOKENS = [String.raw`\"b\"`, "''b''", String.raw`\x22b\x22`];
  const FLOWS = `flows:
  pay:
    description: Pays.
    steps:
      - collect: amount
        next:
${LINES.map((line) => `${line}\n            then: END\n`).join("")}          - else: END
`;
  const lineOf = (index: number) => FLOWS.split("\n").indexOf(LINES[index]!) + 1;

  it("in JSON: the token's first column and, exclusive, the column after its last escape", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS });
    const result = await run(["compile", ".", "--no-emit", "--format", "json"], dir);
    expect(result.code).toBe(1);
    const { errors } = JSON.parse(result.out) as { errors: JsonDiagnostic[] };
    expect(errors.map((e) => [e.code, e.line, e.column, e.endLine, e.endColumn])).toEqual(
      LINES.map((line, i) => {
        const column = line.lastIndexOf(TOKENS[i]!) + 1;
        return [Diagnostics.conditionSyntax.code, lineOf(i), column, lineOf(i), column + TOKENS[i]!.length];
      }),
    );
  });

  it("in text: one caret under each character of the token as written", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS });
    const lines = (await run(["compile", ".", "--no-emit"], dir)).out.split("\n");
    LINES.forEach((line, i) => {
      const at = lines.findIndex((l) => l.startsWith(`flows.yml:${lineOf(i)}:`));
      expect(lines[at + 2]!.replace(/^ *\| /, "").length, line).toBe(line.lastIndexOf(TOKENS[i]!) + TOKENS[i]!.length);
      expect(lines[at + 2]!.trim().replace(/^\| */, ""), line).toBe("^".repeat(TOKENS[i]!.length));
    });
  });
});

describe("flowc compile PATH: which files contribute what (design §3.1)", () => {
  const FLOWS = "flows:\n  pay:\n    description: Pays.\n    steps:\n      - action: check_funds\n      - action: utter_done\n";

  it("takes the custom actions of a file that holds only `actions:`, and skips files with other keys than flows and domain keys", async () => {
    // `actions` is a domain key: the file contributes domain; `stories`/`rules` files are
    // skipped; `intents` and `session_config` are domain keys that change nothing here.
    const dir = project({
      "a/domain.yml": DOMAIN,
      "a/actions.yaml": 'version: "3.1"\nactions:\n  - check_funds\n',
      "a/flows.yml": FLOWS,
      "a/stories.yml": 'version: "3.1"\nstories:\n  - story: s\n    steps: []\nrules: []\n',
      "a/session.yml": 'version: "3.1"\nsession_config:\n  session_expiration_time: 60\nintents:\n  - greet\n',
    });
    const result = await run(["compile", "a", "--no-emit", "--format", "json"], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ errors: [], warnings: [] });
    // without the file, check_funds is no action of the domain (flows-format.md V6)
    const without = project({ "a/domain.yml": DOMAIN, "a/flows.yml": FLOWS });
    const missing = await run(["compile", "a", "--no-emit", "--format", "json"], without);
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.out) as { errors: JsonDiagnostic[] }).errors.map((e) => e.code)).toEqual([Diagnostics.actionNotInDomain.code]);
  });
});

describe("flowc as a process on bad input: a clear message and exit code, never a stack trace (design §3.1)", () => {
  it("exits 1 on YAML that does not parse, as `file:line:col: error FLW1001: ...` with an excerpt", () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": "flows:\n  pay:\n    steps: [\n" });
    const result = flowc(["compile", ".", "--no-emit"], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^flows\\.yml:\\d+:\\d+: error ${Diagnostics.yamlSyntax.code}: `, "m"));
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  });

  it("exits 1 on `flows:` of the wrong type, pointing at it", () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": "flows:\n  - pay\n" });
    const result = flowc(["compile", ".", "--no-emit", "--format", "json"], dir);
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { errors: JsonDiagnostic[] }).errors).toEqual([expect.objectContaining({ code: Diagnostics.flowsNotMapping.code, line: 2 })]);
    expect(result.stderr).not.toMatch(STACK);
  });

  const USAGE_ERRORS = [
    ["compile", "--out"],
    ["compile", "--format"],
    ["compile", "--no-such-flag"],
    ["test", "e2e", "--project", ".", "--trace"],
    ["test", "e2e", "--project"],
    ["eval", "true", "--doc"],
    ["eval", "true", "--site"],
    ["eval", "true", "false"],
    ["eval", "true", "--doc", "[not json"],
  ];
  it.each(USAGE_ERRORS.map((args) => [args.join(" "), args] as const))("exits 2 (usage error) on `flowc %s`: an option without its value, an unknown flag, a second EXPR, a --doc that is not JSON", (_, args) => {
    const dir = project({ "domain.yml": DOMAIN });
    const result = flowc([...args], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toBe("");
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).not.toContain("internal error");
  });
});

describe("design §1: the compiler warns about each condition trap at every site, rejections too", () => {
  // conditions.md §3 (`and`/`or` one precedence level, grouped to the right) and §6.1 (a bare
  // word is a lookup, undefined); tests/compiler/diagnostic-codes.test.ts has them in a guard
  // and a branch.
  const MIXED = "          - if: slots.amount < 1 or slots.amount > 5 and slots.amount != 3";
  const BARE = "          - if: slots.amount = seventeen";
  const FLOWS = `flows:
  pay:
    description: Pays.
    steps:
      - collect: amount
        rejections:
${MIXED}
            utter: utter_done
${BARE}
            utter: utter_done
`;

  it("reports FLW3105 at the operator that regroups, and FLW3104 at the bare word, as warnings that do not block", async () => {
    const dir = project({ "domain.yml": DOMAIN, "flows.yml": FLOWS });
    const result = await run(["compile", ".", "--no-emit", "--format", "json"], dir);
    expect(result.code).toBe(0);
    const { warnings } = JSON.parse(result.out) as { warnings: JsonDiagnostic[] };
    const lines = FLOWS.split("\n");
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: Diagnostics.mixedAndOr.code, line: lines.indexOf(MIXED) + 1, column: MIXED.indexOf(" and ") + 2 }),
        expect.objectContaining({ code: Diagnostics.bareWordUndefined.code, line: lines.indexOf(BARE) + 1, column: BARE.indexOf("seventeen") + 1 }),
      ]),
    );
  });
});
