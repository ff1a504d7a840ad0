/**
 * Every diagnostic of compiler/diagnostics/catalogue.ts can be triggered: one row per code
 * with the smallest assistant that reports it. Rows are grouped by pipeline stage; since the
 * pipeline stops between stages when a stage has errors, an assistant meant for a later stage
 * is valid for the earlier ones. For a warning, the assistant must compile without errors.
 *
 * Where a row has `at`, the YAML line carrying the marker `# <-` is where the diagnostic must
 * start (and, with `token`, the column of the first occurrence of that text on that line).
 *
 * The last tests check that no code of the catalogue is without a row, so a new code needs a
 * trigger here.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileFlows, type CompileResult, type Diagnostic } from "../../compiler/api.ts";
import { Diagnostics, type DiagnosticKey } from "../../compiler/diagnostics/catalogue.ts";
import { loadTestFiles, parseTestTexts } from "../../compiler/e2e/load-test-files.ts";
import { verifyOutput, writeOutput } from "../../compiler/emit/write-output.ts";
import { run as runCli } from "../support/cli.ts";
import { codes, compileStrings, warningCodes, type Files } from "../support/compile.ts";
import { temporaryFolder } from "../support/temp.ts";

const MARKER = "# <-";

interface Row {
  readonly key: DiagnosticKey;
  readonly title: string;
  /** Compiled with `compileStrings` (no environment variables). */
  readonly files?: Files;
  /** For rows that need real paths (I/O). */
  readonly compile?: () => CompileResult | Promise<CompileResult>;
  /** The file whose `# <-` line the diagnostic starts on; with `token`, also its column. */
  readonly at?: string | { readonly file: string; readonly token: string };
  /** I/O rows: the result says an input could not be read (CLI exit code 2). */
  readonly ioError?: boolean;
}

/** Strips the common indentation of a template literal (and its first and last line breaks). */
function yaml(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  const text = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  if (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indent = Math.min(...lines.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length));
  return `${lines.map((line) => line.slice(indent)).join("\n")}\n`;
}

// ------------------------------------------------------------------ shared pieces

const GREET_DOMAIN = yaml`
  responses:
    utter_greet:
      - text: Hello!
`;

const GREET_FLOWS = yaml`
  flows:
    greet:
      description: Greets the user.
      steps:
        - action: utter_greet
`;

/** A text slot `name` that a collect step can ask for. */
const NAME_DOMAIN = yaml`
  slots:
    name:
      type: text
      mappings:
        - type: from_llm
  responses:
    utter_greet:
      - text: Hello!
    utter_ask_name:
      - text: What is your name?
`;

/** Slots of every type that conditions compare against. */
const TYPED_DOMAIN = yaml`
  slots:
    name:
      type: text
    amount:
      type: float
    confirmed:
      type: bool
    premium:
      type: bool
    admin:
      type: bool
    account_type:
      type: categorical
      values: [credit, debit]
  responses:
    utter_greet:
      - text: Hello!
    utter_ask_name:
      - text: What is your name?
    utter_ask_account_type:
      - text: Which account?
    utter_ask_confirmed:
      - text: Shall I go ahead?
`;

/** A flow that collects `name` and branches on a condition (the `# <-` is on the `if`). */
function branchOn(condition: string): string {
  return yaml`
    flows:
      greet:
        description: Greets the user.
        steps:
          - collect: name
            next:
              - if: ${condition} ${MARKER}
                then: END
              - else: END
  `;
}

/** A flow guarded by a condition (the `# <-` is on the guard). */
function guardedBy(condition: string): string {
  return yaml`
    flows:
      greet:
        description: Greets the user.
        if: ${condition} ${MARKER}
        steps:
          - action: utter_greet
  `;
}

function temporaryDirectory(): string {
  return temporaryFolder("flowc-diagnostic-codes-");
}

/** Ten aliases of the level below per level: the last level expands to over 10^5 nodes. */
const BILLION_LAUGHS = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ..."bcdef".split("").map((name, i) => `${name}: &${name} [${Array(10).fill(`*${"abcdef"[i]}`).join(", ")}]`)].join("\n");

// ------------------------------------------------------------------ the table

const ROWS: readonly Row[] = [
  // ---- I/O
  {
    key: "cannotRead",
    title: "a path that does not exist",
    compile: () => compileFlows({ paths: ["does/not/exist"], cwd: temporaryDirectory(), env: {} }),
    ioError: true,
  },
  {
    key: "noInputFiles",
    title: "a directory without YAML files",
    compile: () => compileFlows({ paths: [temporaryDirectory()], env: {} }),
    ioError: true,
  },
  {
    key: "cannotWrite",
    title: "an output folder under a file",
    compile: async () => {
      const blocker = join(temporaryDirectory(), "not-a-folder");
      writeFileSync(blocker, "");
      return outputResult(writeOutput(join(blocker, "generated"), [{ path: "index.ts", text: "" }], "generated").problems);
    },
  },
  {
    key: "outputDrift",
    title: "--verify against an empty output folder",
    compile: () => outputResult(verifyOutput(temporaryDirectory(), [{ path: "index.ts", text: "x" }], "generated")),
  },
  {
    key: "usage",
    title: "an unknown option of `flowc compile --format json`",
    compile: async () => {
      const result = await runCli(["compile", "--format", "json", "--bogus"]);
      // The JSON form of a diagnostic without a file has what a Diagnostic without a range has.
      const report = JSON.parse(result.out) as { errors: Diagnostic[]; warnings: Diagnostic[] };
      return { errors: report.errors, warnings: report.warnings, outputFiles: [], ioError: result.code === 2 };
    },
    ioError: true,
  },

  // ---- syntax: YAML
  {
    key: "yamlSyntax",
    title: "an unterminated flow sequence",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                next: [END
      `,
    },
  },
  {
    key: "duplicateKey",
    title: "the same flow id twice in one file",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          greet: # <-
            description: Greets the user again.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "greet" },
  },
  {
    key: "undefinedEnvVar",
    title: "an unset ${VAR} in a plain scalar",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets \${FLOWC_TEST_SURELY_UNSET_VARIABLE} # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "Greets" },
  },
  {
    key: "aliasBomb",
    title: "nested anchors and aliases (billion laughs)",
    files: { "domain.yml": GREET_DOMAIN, "flows.yml": GREET_FLOWS, "bomb.yml": BILLION_LAUGHS },
  },
  {
    key: "tooDeep",
    title: "YAML nested 250 levels deep",
    files: { "domain.yml": GREET_DOMAIN, "flows.yml": GREET_FLOWS, "deep.yml": `x: ${"[".repeat(250)}${"]".repeat(250)}\n` },
  },
  {
    key: "lenientIndentation",
    title: "a quoted response text continued at the start of the line",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: "Hello
        there!" # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "there" },
  },
  {
    key: "mergeConflict",
    title: "a domain committed with Git's conflict markers",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
        <<<<<<< HEAD # <-
            - text: "Hello!"
        =======
            - text: "Hi!"
        >>>>>>> other-branch
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "<<<<<<<" },
  },

  // ---- syntax: flows schema
  {
    key: "flowsNotMapping",
    title: "`flows:` without a value",
    files: { "domain.yml": GREET_DOMAIN, "flows.yml": 'version: "3.1"\nflows: # <-\n' },
    // Line only: the empty value has no text of its own.
    at: "flows.yml",
  },
  {
    key: "versionNotString",
    title: "an unquoted version number",
    files: { "domain.yml": GREET_DOMAIN, "flows.yml": `version: 3.1 ${MARKER}\n${GREET_FLOWS}` },
    at: { file: "flows.yml", token: "3.1" },
  },
  {
    key: "unknownFlowKey",
    title: "an unknown flow property",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            tags: [greeting] # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "tags" },
  },
  {
    key: "missingFlowKey",
    title: "a flow without steps",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet: # <-
            description: Greets the user.
      `,
    },
    at: { file: "flows.yml", token: "greet" },
  },
  {
    key: "wrongFlowPropertyType",
    title: "a string where a flow property needs a boolean",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            run_pattern_completed: "yes" # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: '"yes"' },
  },
  {
    key: "invalidNluTrigger",
    title: "an empty nlu_trigger list",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            nlu_trigger: [] # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "[]" },
  },
  {
    key: "stepTypeKey",
    title: "a step without a step type",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - utter: utter_greet # <-
      `,
    },
    at: { file: "flows.yml", token: "utter" },
  },
  {
    key: "unknownStepKey",
    title: "a description on an action step",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                description: Says hello. # <-
      `,
    },
    at: { file: "flows.yml", token: "description" },
  },
  {
    key: "noopWithoutNext",
    title: "a noop step without next",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
              - noop: true # <-
      `,
    },
    at: { file: "flows.yml", token: "noop" },
  },
  {
    key: "invalidNext",
    title: "a plain step inside a next list",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                next:
                  - action: utter_greet # <-
      `,
    },
    at: { file: "flows.yml", token: "action" },
  },
  {
    key: "wrongStepPropertyType",
    title: "`yes` (a string in YAML 1.2) where a boolean is needed",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                ask_before_filling: yes # <-
      `,
    },
    at: { file: "flows.yml", token: "yes" },
  },
  {
    key: "mcpCall",
    title: "a call with mcp_server but no mapping",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - call: search_tool
                mcp_server: search # <-
      `,
    },
    at: { file: "flows.yml", token: "mcp_server" },
  },
  {
    key: "invalidSilenceTimeout",
    title: "a negative silence_timeout",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                silence_timeout: -5 # <-
      `,
    },
    at: { file: "flows.yml", token: "-5" },
  },
  {
    key: "ignoredProperty",
    title: "an unknown step property in a flow whose id Rasa's schema skips",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          say-hello:
            description: Greets the user.
            steps:
              - action: utter_greet
                colour: blue # <-
      `,
    },
    at: { file: "flows.yml", token: "colour" },
  },
  {
    key: "ignoredBranchKey",
    title: "a `next` beside the target of an `else` branch",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                next:
                  - else: END
                    next: END # <-
      `,
    },
    at: { file: "flows.yml", token: "next" },
  },

  // ---- syntax: domain schema
  {
    key: "invalidDomain",
    title: "intents given as a single name",
    files: {
      "domain.yml": yaml`
        intents: greet # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "greet" },
  },
  {
    key: "unknownSlotType",
    title: "a slot of type `string`",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: string # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "string" },
  },
  {
    key: "responseWithoutVariations",
    title: "a response with an empty list",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: Hello!
          utter_bye: [] # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "utter_bye" },
  },
  {
    key: "unknownSlotKey",
    title: "a misspelt slot property",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: text
            influence_conversations: false # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "influence_conversations" },
  },
  {
    key: "invalidResponse",
    title: "a response text that is a number",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: 42 # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "42" },
  },
  {
    key: "invalidSlotMapping",
    title: "a slot mapping of a type Rasa does not know",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: text
            mappings:
              - type: from_llms # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "from_llms" },
  },
  {
    key: "domainVersionInvalid",
    title: "a domain file whose `version` is no version number",
    files: {
      "domain.yml": yaml`
        version: "latest" # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: '"latest"' },
  },
  {
    key: "domainVersionLower",
    title: "a domain file of an older format version",
    files: {
      "domain.yml": yaml`
        version: "2.0" # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: '"2.0"' },
  },
  {
    key: "domainVersionGreater",
    title: "a domain file of a newer format version than Rasa Pro 3.12 reads",
    files: {
      "domain.yml": yaml`
        version: "3.10" # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: '"3.10"' },
  },

  // ---- syntax: conditions
  {
    key: "conditionSyntax",
    title: "a condition ending in `and`",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("slots.name = 'Ann' and") },
    at: "flows.yml",
  },
  {
    key: "conditionInvalid",
    title: "a condition that is just `undefined`",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("undefined") },
    at: { file: "flows.yml", token: "undefined" },
  },
  {
    key: "conditionIsBoolean",
    title: "a branch condition given as a YAML boolean",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("true") },
    at: { file: "flows.yml", token: "true" },
  },
  {
    key: "guardNeverHolds",
    title: "a flow guard that is a condition only once its Jinja hole is rendered",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            if: "{{context.flow_id}} = 'greet'" # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: '"{{context' },
  },

  // ---- structure: response templates
  {
    key: "responseTemplateSyntax",
    title: "a Jinja response template with an `{% if %}` that is never closed",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: "Hello{% if name %} there" # <-
              metadata: {template: jinja}
      `,
    },
    at: { file: "domain.yml", token: "if name" },
  },
  {
    key: "responseTemplateUnsupported",
    title: "a Jinja response template with a test outside the compiled subset",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: "Hello {{ name is sameas none }}" # <-
              metadata: {template: jinja}
      `,
    },
    at: { file: "domain.yml", token: "sameas" },
  },
  {
    key: "actionTemplateSyntax",
    title: "an action name whose Jinja template Jinja refuses",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: "utter_{{context.flow_id | }}" # <-
      `,
    },
    at: { file: "flows.yml", token: "}}\"" },
  },
  {
    key: "actionTemplateUnsupported",
    title: "an action name whose Jinja template draws at random (a name has no random source)",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: "utter_{{context.flow_id | random }}" # <-
      `,
    },
    at: { file: "flows.yml", token: "random" },
  },
  {
    key: "unknownTemplateEngine",
    title: "a response asking for a template engine Rasa does not have",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: "Hello"
              metadata: {template: mustache} # <-
      `,
    },
    at: { file: "domain.yml", token: "mustache" },
  },

  {
    key: "formatPlaceholderNotFilled",
    title: "a format template reading a slot as `{slots.name}`",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        slots:
          name:
            type: text
        responses:
          utter_greet:
            - text: "Hello {slots.name}" # <-
      `,
    },
    at: { file: "domain.yml", token: "{slots.name}" },
  },
  {
    key: "placeholderNearSlot",
    title: "a format placeholder that misspells a slot",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        slots:
          name:
            type: text
        responses:
          utter_greet:
            - text: "Hello {nam}" # <-
      `,
    },
    at: { file: "domain.yml", token: "{nam}" },
  },
  {
    key: "templateReadsSlots",
    title: "a Jinja template reading a slot as `slots.name`",
    files: {
      "flows.yml": GREET_FLOWS,
      "domain.yml": yaml`
        slots:
          name:
            type: text
        responses:
          utter_greet:
            - text: "Hello {{ slots.name }}" # <-
              metadata: {template: jinja}
      `,
    },
    at: { file: "domain.yml", token: "slots.name" },
  },

  // ---- structure: flow structure (F rules)
  {
    key: "unknownStep",
    title: "next names a step that does not exist",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                next: goodbye # <-
      `,
    },
    at: { file: "flows.yml", token: "goodbye" },
  },
  {
    key: "emptyFlow",
    title: "steps: []",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps: [] # <-
      `,
    },
    at: { file: "flows.yml", token: "[]" },
  },
  {
    key: "emptyBranch",
    title: "then: []",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                next:
                  - if: slots.name = 'Ann'
                    then: [] # <-
                  - else: END
      `,
    },
    at: { file: "flows.yml", token: "[]" },
  },
  {
    key: "linkWithNext",
    title: "a link step with a next",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - link: say_goodbye
                next: END # <-
          say_goodbye:
            description: Says goodbye.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "END" },
  },
  {
    key: "missingNext",
    title: "the last step of a branch without next",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                next:
                  - if: slots.name = 'Ann'
                    then:
                      - action: utter_greet # <-
                  - else: END
      `,
    },
    at: { file: "flows.yml", token: "action" },
  },
  {
    key: "unreachableStep",
    title: "a step after next: END",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
                next: END
              - action: utter_greet # <-
      `,
    },
    at: { file: "flows.yml", token: "action" },
  },
  {
    key: "missingElse",
    title: "a next list without else",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                next:
                  - if: slots.name = 'Ann' # <-
                    then: END
      `,
    },
    // The range is the whole `next` list, which starts at its first item.
    at: { file: "flows.yml", token: "-" },
  },
  {
    key: "duplicateStepId",
    title: "two steps with the same id",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - id: hello
                action: utter_greet
              - id: hello # <-
                action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "hello" },
  },
  {
    key: "reservedStepId",
    title: "a step with the id END",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - id: END # <-
                action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "END" },
  },
  {
    key: "invalidSlotName",
    title: "collecting a slot whose name starts with a digit",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: 1st_choice # <-
      `,
    },
    at: { file: "flows.yml", token: "collect" },
  },
  {
    key: "invalidFlowId",
    title: "a flow id with a space",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet user: # <-
            description: Greets the user.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "greet user" },
  },

  // ---- structure: merging files
  {
    key: "duplicateFlowAcrossFiles",
    title: "the same flow id in two flows files",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": GREET_FLOWS,
      "more_flows.yml": yaml`
        flows:
          greet: # <-
            description: Greets the user once more.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "more_flows.yml", token: "greet" },
  },
  {
    key: "duplicateDomainListItem",
    title: "an action listed twice",
    files: {
      "domain.yml": yaml`
        actions:
          - action_check_balance
          - action_check_balance # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "action_check_balance" },
  },
  {
    key: "duplicateDomainDefinition",
    title: "the same slot in two domain files",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": GREET_FLOWS,
      "shop.yml": yaml`
        slots:
          name: # <-
            type: text
      `,
    },
    at: { file: "shop.yml", token: "name" },
  },

  // ---- structure: references between flows
  {
    key: "unknownCalledFlow",
    title: "a call to a flow that does not exist",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - call: missing_flow # <-
      `,
    },
    at: { file: "flows.yml", token: "call" },
  },
  {
    key: "unknownLinkedFlow",
    title: "a link to a flow that does not exist",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - link: missing_flow # <-
      `,
    },
    at: { file: "flows.yml", token: "link" },
  },
  {
    key: "userFlowUsesPattern",
    title: "a user flow linking to a pattern other than human handoff",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - link: pattern_cancel_flow # <-
      `,
    },
    at: { file: "flows.yml", token: "link" },
  },
  {
    key: "patternUsesFlow",
    title: "a pattern with a call step",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          pattern_greet_again:
            description: Greets the user once more.
            steps:
              - call: greet # <-
      `,
    },
    at: { file: "flows.yml", token: "call" },
  },
  {
    key: "nluTriggerIntentTwice",
    title: "one intent triggering two flows",
    files: {
      "domain.yml": `intents:\n  - greet\n${GREET_DOMAIN}`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            nlu_trigger:
              - intent: greet
            steps:
              - action: utter_greet
          welcome:
            description: Welcomes the user.
            nlu_trigger:
              - intent: greet # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "intent" },
  },
  {
    key: "exitIfOnFlowCall",
    title: "exit_if on a call to a flow",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          check_in:
            description: Checks in with the user.
            steps:
              - call: greet
                exit_if: ["slots.name = 'Ann'"] # <-
      `,
    },
    at: { file: "flows.yml", token: "exit_if" },
  },
  {
    key: "calledFlowLinks",
    title: "a called flow that links",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - call: say_goodbye
          say_goodbye:
            description: Says goodbye.
            steps:
              - link: greet # <-
      `,
    },
    at: { file: "flows.yml", token: "link" },
  },
  {
    key: "recursiveCall",
    title: "a flow calling itself",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
              - call: greet # <-
      `,
    },
    at: { file: "flows.yml", token: "call" },
  },
  {
    key: "noFlows",
    title: "a domain file and no flows",
    files: { "domain.yml": GREET_DOMAIN },
  },

  // ---- semantics: domain
  {
    key: "emptyDomain",
    title: "no flows and a domain file with nothing in it",
    files: {
      "domain.yml": yaml`
        version: "3.1"
        intents: []
      `,
      "flows.yml": yaml`
        flows: {}
      `,
    },
  },
  {
    key: "noDomain",
    title: "flows whose domain file was left out (these name only a default action)",
    files: {
      "flows.yml": yaml`
        flows:
          start_over:
            description: Starts the conversation over.
            steps:
              - action: action_restart
      `,
    },
  },
  {
    key: "buttonPayloadInvalid",
    title: "a button payload that sets a slot the domain does not have",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: Hello!
              buttons:
                - title: Go
                  payload: /SetSlots(nobody=1) # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "/SetSlots" },
  },
  {
    key: "responseConditionOperand",
    title: "a response condition whose tested operand is a quoted string",
    files: {
      "domain.yml": yaml`
        slots:
          tier:
            type: categorical
            values: [gold, silver]
        responses:
          utter_greet:
            - text: Hello!
              condition: "'slots.tier' = 'gold'" # <-
            - text: Hi!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "'slots.tier'" },
  },
  {
    key: "responseEmptyPlaceholder",
    title: "a response text with an empty placeholder",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: Hello {}! # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "Hello {}" },
  },
  {
    key: "responseConditionWithoutSlots",
    title: "a response condition that reads only the context",
    files: {
      "domain.yml": yaml`
        responses:
          utter_greet:
            - text: Hello again!
              condition: context.flow_id = "greet" # <-
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "context" },
  },
  {
    key: "floatRange",
    title: "a float slot with min_value above max_value",
    files: {
      "domain.yml": yaml`
        slots:
          amount: # <-
            type: float
            min_value: 10
            max_value: 5
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "amount" },
  },
  {
    key: "anySlotFeaturized",
    title: "an `any` slot with influence_conversation: true",
    files: {
      "domain.yml": yaml`
        slots:
          anything: # <-
            type: any
            influence_conversation: true
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "anything" },
  },
  {
    key: "categoricalValuesDubious",
    title: "categorical values that differ only in case",
    files: {
      "domain.yml": yaml`
        slots:
          account_type:
            type: categorical
            values:
              - credit
              - Credit # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "Credit" },
  },
  {
    key: "initialValueOutOfRange",
    title: "a float initial value above max_value",
    files: {
      "domain.yml": yaml`
        slots:
          amount:
            type: float
            min_value: 0
            max_value: 10
            initial_value: 20 # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "20" },
  },
  {
    key: "nluCorrectionIgnored",
    title: "allow_nlu_correction on a slot that only the LLM fills",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: text
            mappings:
              - type: from_llm
                allow_nlu_correction: true # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "allow_nlu_correction" },
  },
  {
    key: "initialValueType",
    title: "a number as the initial value of a text slot",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: text
            initial_value: 5 # <-
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "5" },
  },
  {
    key: "validationResponseMissing",
    title: "slot validation naming a missing response",
    files: {
      "domain.yml": yaml`
        slots:
          amount:
            type: float
            validation:
              rejections:
                - if: slots.amount < 1
                  utter: utter_amount_too_small # <-
        responses:
          utter_greet:
            - text: Hello!
          utter_ask_amount:
            - text: How much?
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "utter_amount_too_small" },
  },
  {
    key: "nluTriggerIntentUnknown",
    title: "an nlu_trigger intent missing from the domain",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            nlu_trigger:
              - intent: hello_there # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "intent" },
  },

  // ---- semantics: steps against the domain
  {
    key: "collectSlotNotInDomain",
    title: "collecting a slot the domain lacks",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: email # <-
      `,
    },
    at: { file: "flows.yml", token: "collect" },
  },
  {
    key: "setSlotNotInDomain",
    title: "setting a slot the domain lacks",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - set_slots:
                  - email: null # <-
      `,
    },
    at: { file: "flows.yml", token: "email" },
  },
  {
    key: "actionNotInDomain",
    title: "an action the domain lacks",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: action_check_balance # <-
      `,
    },
    at: { file: "flows.yml", token: "action" },
  },
  {
    key: "collectAskedTwice",
    title: "both utter_ask_<slot> and action_ask_<slot>",
    files: {
      "domain.yml": `actions:\n  - action_ask_name\n${NAME_DOMAIN}`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name # <-
      `,
    },
    at: { file: "flows.yml", token: "collect" },
  },
  {
    key: "collectCannotAsk",
    title: "neither utter_ask_<slot> nor action_ask_<slot>",
    files: {
      "domain.yml": yaml`
        slots:
          email:
            type: text
        responses:
          utter_greet:
            - text: Hello!
      `,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: email # <-
      `,
    },
    at: { file: "flows.yml", token: "collect" },
  },
  {
    key: "responseNotInDomain",
    title: "a collect rejection naming a missing response",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                rejections:
                  - if: slots.name = 'admin'
                    utter: utter_name_taken # <-
      `,
    },
    at: { file: "flows.yml", token: "utter_name_taken" },
  },
  {
    key: "collectListSlot",
    title: "collecting a list slot",
    files: {
      "domain.yml": `slots:\n  tags:\n    type: list\n${GREET_DOMAIN}`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: tags # <-
      `,
    },
    at: { file: "flows.yml", token: "collect" },
  },
  {
    key: "setListSlot",
    title: "setting a list slot",
    files: {
      "domain.yml": `slots:\n  tags:\n    type: list\n${GREET_DOMAIN}`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - set_slots:
                  - tags: null # <-
      `,
    },
    at: { file: "flows.yml", token: "tags" },
  },
  {
    key: "resetAfterFlowEndsDeprecated",
    title: "reset_after_flow_ends: false",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                reset_after_flow_ends: false # <-
      `,
    },
    at: { file: "flows.yml", token: "reset_after_flow_ends" },
  },

  // ---- semantics: flow names, persistence, digressions
  {
    key: "duplicateFlowName",
    title: "two flows with the same name",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          welcome:
            name: greet # <-
            description: Welcomes the user.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "greet" },
  },
  {
    key: "duplicateDescription",
    title: "two descriptions equal but for punctuation",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          welcome:
            description: Greets the user! # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "Greets" },
  },
  {
    key: "persistedAndReset",
    title: "persisted_slots and reset_after_flow_ends: false together",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            persisted_slots: [name]
            steps:
              - collect: name
                reset_after_flow_ends: false # <-
      `,
    },
    at: { file: "flows.yml", token: "reset_after_flow_ends" },
  },
  {
    key: "persistedSlotUnused",
    title: "a persisted slot that no step collects or sets",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            persisted_slots: [name] # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "name" },
  },
  {
    key: "digressionUnknownFlow",
    title: "block_digressions naming a flow that does not exist",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            block_digressions: [order_pizza] # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "order_pizza" },
  },
  {
    key: "digressionListsOverlap",
    title: "the same flow blocked and confirmed",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            block_digressions: [greet]
            ask_confirm_digressions: [greet] # <-
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "greet" },
  },

  // ---- semantics: conditions (Rasa's rules)
  {
    key: "conditionUnknownSlot",
    title: "a branch condition naming an unknown slot",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("slots.nickname = 'Ann'") },
    at: { file: "flows.yml", token: "slots.nickname" },
  },
  {
    key: "conditionWithoutNamespace",
    title: "a branch condition without slots. or context.",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("name = 'Ann'") },
    at: { file: "flows.yml", token: "name = 'Ann'" },
  },
  {
    key: "categoricalValueNotAllowed",
    title: "a categorical slot compared with a value it does not have",
    files: {
      "domain.yml": TYPED_DOMAIN,
      "flows.yml": branchOn("slots.account_type = 'Credit'").replace("collect: name", "collect: account_type"),
    },
    at: { file: "flows.yml", token: "'Credit'" },
  },  {
    key: "categoricalComparedToNumber",
    title: "a categorical slot compared with a plain number",
    files: {
      "domain.yml": TYPED_DOMAIN,
      "flows.yml": branchOn("slots.account_type = 1").replace("collect: name", "collect: account_type"),
    },
    at: { file: "flows.yml", token: "1" },
  },

  {
    key: "boolComparedToNonBool",
    title: "a bool slot compared with a string in a branch",
    files: {
      "domain.yml": TYPED_DOMAIN,
      "flows.yml": branchOn("slots.confirmed = 'yes'").replace("collect: name", "collect: confirmed"),
    },
    at: { file: "flows.yml", token: "'yes'" },
  },
  {
    key: "contextUnknownField",
    title: "a branch condition reading a context field no frame has",
    files: { "domain.yml": NAME_DOMAIN, "flows.yml": branchOn("context.latest_message.text = 'yes'") },
    at: { file: "flows.yml", token: "context.latest_message" },
  },
  {
    key: "guardUnknownSlot",
    title: "a flow guard naming an unknown slot",
    files: { "domain.yml": GREET_DOMAIN, "flows.yml": guardedBy("slots.vip") },
    at: { file: "flows.yml", token: "slots.vip" },
  },
  {
    key: "rejectionOtherSlot",
    title: "a rejection reading a slot other than the collected one",
    files: {
      "domain.yml": `${TYPED_DOMAIN}  utter_ask_amount:\n    - text: How much?\n  utter_amount_too_small:\n    - text: That is too little.\n`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: amount
                rejections:
                  - if: slots.amount < 1 and slots.name = 'Ann' # <-
                    utter: utter_amount_too_small
      `,
    },
    at: { file: "flows.yml", token: "slots.name" },
  },

  // ---- semantics: conditions against slot types (flowc's warnings)
  {
    key: "orderingOnNonNumber",
    title: "`>` on a text slot in a branch",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn("slots.name > 'M'") },
    at: { file: "flows.yml", token: ">" },
  },
  {
    key: "boolComparedToString",
    title: "a bool slot compared with a string in a guard",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.confirmed = 'yes'") },
    at: { file: "flows.yml", token: "'yes'" },
  },
  {
    key: "categoricalLiteralOutside",
    title: "a categorical slot compared with an unknown value in a guard",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.account_type = 'savings'") },
    at: { file: "flows.yml", token: "'savings'" },
  },
  {
    key: "bareWordUndefined",
    title: "an unquoted word compared with a text slot",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn("slots.name = lost") },
    at: { file: "flows.yml", token: "lost" },
  },
  {
    key: "mixedAndOr",
    title: "`and` and `or` without parentheses",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.confirmed and slots.premium or slots.admin") },
    at: { file: "flows.yml", token: "or slots.admin" },
  },
  {
    key: "literalTypeMismatch",
    title: "a float slot compared with a string",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.amount = '5'") },
    at: { file: "flows.yml", token: "'5'" },
  },

  {
    key: "rejectionFailsOnNull",
    title: "a rejection that raises when its slot is null",
    files: {
      "domain.yml": `${TYPED_DOMAIN}  utter_ask_amount:\n    - text: How much?\n  utter_amount_too_small:\n    - text: That is too little.\n`,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: amount
                rejections:
                  - if: slots.amount < 1 # <-
                    utter: utter_amount_too_small
      `,
    },
    at: { file: "flows.yml", token: "slots.amount < 1" },
  },
  {
    key: "templateNameNotRendered",
    title: "a slot read in a branch condition's template, which Rasa renders with `context` only",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn("'{{slots.name}} = \"x\"'") },
    at: { file: "flows.yml", token: "slots.name" },
  },
  {
    key: "neverLooksInto",
    title: "`contains` on a float slot in a guard",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.amount contains 5") },
    at: { file: "flows.yml", token: "contains" },
  },
  {
    key: "containsNonText",
    title: "a text slot that `contains` a number in a guard",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": guardedBy("slots.name contains 5") },
    at: { file: "flows.yml", token: "5" },
  },
  {
    key: "quotedPayloadValue",
    title: "a button payload that sets a slot to a value in quotes, which the click keeps",
    files: {
      "domain.yml": yaml`
        slots:
          name:
            type: text
        responses:
          utter_greet:
            - text: Hello!
              buttons:
                - title: Ann
                  payload: /SetSlots(name="Ann") # <-
      `,
      "flows.yml": GREET_FLOWS,
    },
    at: { file: "domain.yml", token: "/SetSlots" },
  },
  {
    key: "buttonValueRefused",
    title: "a button payload that sets a categorical slot to a value outside its values",
    files: {
      "domain.yml": yaml`
        slots:
          size:
            type: categorical
            values: [small, large]
        responses:
          utter_ask_size:
            - text: Which size?
              buttons:
                - title: Huge
                  payload: /SetSlots(size=huge) # <-
      `,
      "flows.yml": yaml`
        flows:
          order:
            description: Orders a pizza.
            steps:
              - collect: size
      `,
    },
    at: { file: "domain.yml", token: "huge" },
  },
  {
    key: "superLinearRegex",
    title: "a regex whose matching time can explode",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn('slots.name matches "(a+)+$"') },
    at: { file: "flows.yml", token: '"(a+)+$"' },
  },
  {
    key: "templateChangesTokens",
    title: "a template hole spliced into a word",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn("slots.{{context.collect}} is not null") },
    at: { file: "flows.yml", token: "{{context.collect}}" },
  },
  {
    key: "conditionNotCompilable",
    title: "a conditional group, which JavaScript regexes cannot express",
    files: { "domain.yml": TYPED_DOMAIN, "flows.yml": branchOn('slots.name matches "(a)?(?(1)b|c)"') },
    at: { file: "flows.yml", token: '"(a)?(?(1)b|c)"' },
  },

  // ---- semantics: control flow (flowc's analyses)
  {
    key: "silentLoop",
    title: "a step that goes back to itself without asking",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - id: again
                action: utter_greet # <-
                next: again
      `,
    },
    at: { file: "flows.yml", token: "action" },
  },
  {
    key: "shadowedBranch",
    title: "the same branch condition twice",
    files: {
      "domain.yml": NAME_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - collect: name
                next:
                  - if: slots.name = 'Ann'
                    then: END
                  - if: slots.name = 'Ann' # <-
                    then: END
                  - else: END
      `,
    },
    at: { file: "flows.yml", token: "slots.name" },
  },
  {
    key: "unusedFlow",
    title: "a flow guarded by False that nothing calls",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          helper: # <-
            description: Helps out.
            if: False
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "helper" },
  },
  {
    key: "silentCompletionLoop",
    title: "a pattern_completed of the assistant's own that links to a flow that never asks",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user.
            steps:
              - action: utter_greet
          pattern_completed:
            description: Greets again when everything is done.
            steps:
              - link: greet # <-
      `,
    },
    at: { file: "flows.yml", token: "link" },
  },
  {
    key: "unanswerableQuestion",
    title: "a collect with ask_before_filling of a slot only a controlled mapping fills, asked without buttons",
    files: {
      "domain.yml": yaml`
        slots:
          license_type:
            type: text
            mappings:
              - type: controlled
        responses:
          utter_ask_license_type:
            - text: "Which license do you have?"
      `,
      "flows.yml": yaml`
        flows:
          check_license:
            description: Checks a license.
            steps:
              - collect: license_type # <-
                ask_before_filling: true
      `,
    },
    at: { file: "flows.yml", token: "license_type" },
  },
  {
    key: "stepsAfterStackReset",
    title: "a step after an action_session_start step",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          greet:
            description: Greets the user and starts over.
            steps:
              - action: action_session_start # <-
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "action_session_start" },
  },
  {
    key: "unknownPattern",
    title: "a flow named pattern_ that is none of Rasa's patterns",
    files: {
      "domain.yml": GREET_DOMAIN,
      "flows.yml": yaml`
        flows:
          pattern_greet: # <-
            description: Greets the user.
            steps:
              - action: utter_greet
      `,
    },
    at: { file: "flows.yml", token: "pattern_greet" },
  },

  // ---- e2e test files (`flowc test`; every place that reports each code: tests/e2e/test-file-codes.test.ts)
  {
    key: "noTestCases",
    title: "a test path without test cases",
    compile: () => testFilesResult(["flows.yml"], { "flows.yml": "flows: {}\n" }),
  },
  {
    key: "testCaseNotFound",
    title: "`PATH::name` of no test case",
    compile: () => testFilesResult(["e2e::nobody"], { "e2e/t.yml": TEST_FILE }),
  },
  { key: "unknownTestKey", title: "an unknown key of a user step", compile: () => testTextsResult(TEST_FILE.replace("- user: hi", "- user: hi\n        asserts: []")) },
  { key: "wrongTestValue", title: "`commands` that is not a list", compile: () => testTextsResult(TEST_FILE.replace("- user: hi", "- user: hi\n        commands: start flow greet")) },
  { key: "missingTestKey", title: "a test case without a name", compile: () => testTextsResult("test_cases:\n  - steps: [{user: hi}]\n") },
  { key: "testCaseWithoutSteps", title: "`steps: []`", compile: () => testTextsResult("test_cases:\n  - test_case: t\n    steps: []\n") },
  { key: "stepKind", title: "a step of two kinds", compile: () => testTextsResult(TEST_FILE.replace("- utter: utter_greet", "- utter: utter_greet\n        bot: Hello!")) },
  { key: "secondTestDefinition", title: "two test cases of one name in a file", compile: () => testTextsResult(`${TEST_FILE}  - test_case: t\n    steps: [{user: hi}]\n`) },
  { key: "stubForNoTestCase", title: "a `test_case::action` stub of no test case", compile: () => testTextsResult(`stub_custom_actions:\n  nobody::a: {}\n${TEST_FILE}`) },
  { key: "testNameNotAllowed", title: "a fixture name starting with a digit", compile: () => testTextsResult(`fixtures:\n  - 1f: [{s: 1}]\n${TEST_FILE}`) },
  { key: "checksNothing", title: "a blank `bot:` step", compile: () => testTextsResult(TEST_FILE.replace("- utter: utter_greet", "- bot: ' '")) },
  { key: "unknownAssertion", title: "an assertion Rasa does not have", compile: () => testTextsResult(TEST_FILE.replace("- user: hi", "- user: hi\n        assertions: [{what_is_this: x}]")) },
  { key: "llmJudgeAssertion", title: "an assertion that needs an LLM judge", compile: () => testTextsResult(TEST_FILE.replace("- user: hi", "- user: hi\n        assertions: [{generative_response_is_grounded: {threshold: 0.9}}]")) },
  { key: "regexNotRunnable", title: "a `text_matches` that is no regular expression", compile: () => testTextsResult(TEST_FILE.replace("- user: hi", "- user: hi\n        assertions: [{bot_uttered: {text_matches: \"(\"}}]")) },

  // ---- e2e test files: what flowc test warns of and runs (through `flowc test --format json`)
  { key: "blankUserStep", title: "a blank `user:` step", compile: () => testWarningsResult(`${TEST_FILE}      - user: " "\n`) },
  { key: "notOfTheAssistant", title: "an `utter:` step naming no response", compile: () => testWarningsResult(TEST_FILE.replace("utter_greet", "utter_gret")) },
  { key: "undefinedTestName", title: "a fixture no test file defines", compile: () => testWarningsResult(TEST_FILE.replace("  - test_case: t\n", "  - test_case: t\n    fixtures: [none]\n")) },
  { key: "fixtureSlotUnknown", title: "a fixture setting a slot the assistant lacks", compile: () => testWarningsResult(`fixtures:\n  - f: [{colour: red}]\n${TEST_FILE.replace("  - test_case: t\n", "  - test_case: t\n    fixtures: [f]\n")}`) },
  { key: "testCaseOutsideList", title: "a file with one test case at its top, without `test_cases`", compile: () => testWarningsResult(TEST_FILE, { "one.yml": "test_case: u\nsteps:\n  - user: hi\n" }) },
  { key: "stepCheckIgnored", title: "an `utter:` step in a test case with assertions", compile: () => testWarningsResult(TEST_FILE.replace("      - user: hi\n", "      - user: hi\n        assertions: []\n")) },
];

/** A test file (of `flowc test`) with one good test case, `t`. */
const TEST_FILE = "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n      - utter: utter_greet\n";

/** The problems of test files given as text, in the shape the table's runner reads. */
function testTextsResult(text: string): CompileResult {
  return outputResult(parseTestTexts([{ path: "t.yml", text }]).problems);
}

/** What `flowc test --format json` reports of a test file run against the greeting assistant: its errors (none, for a warning's row) and warnings. */
async function testWarningsResult(text: string, others: Readonly<Record<string, string>> = {}): Promise<CompileResult> {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "domain.yml"), GREET_DOMAIN);
  writeFileSync(join(dir, "flows.yml"), GREET_FLOWS);
  writeFileSync(join(dir, "t.yml"), text);
  for (const [name, other] of Object.entries(others)) writeFileSync(join(dir, name), other);
  const result = await runCli(["test", "t.yml", ...Object.keys(others), "--project", "domain.yml", "--project", "flows.yml", "--format", "json"], dir);
  // The JSON form of a diagnostic: its code and message are what the table's runner reads.
  const report = JSON.parse(result.out) as { errors?: Diagnostic[]; warnings?: Diagnostic[] };
  return { errors: report.errors ?? [], warnings: report.warnings ?? [], outputFiles: [], ioError: result.code === 2 };
}

/** The problems of the test files under `paths` of a folder of `files`. */
function testFilesResult(paths: readonly string[], files: Readonly<Record<string, string>>): CompileResult {
  const dir = temporaryDirectory();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return outputResult(loadTestFiles(paths, dir).problems);
}

/**
 * Codes of the catalogue that nothing reports yet. Each must disappear from here (and get a
 * row) as soon as a pass reports it; the test "nothing reports the codes listed as not yet
 * triggerable" enforces that.
 */
const NOT_YET_TRIGGERABLE: Partial<Record<DiagnosticKey, string>> = {
};

/** Problems of writing or verifying output, in the shape the table's runner reads. */
function outputResult(errors: readonly Diagnostic[]): CompileResult {
  return { errors, warnings: [], outputFiles: [], ioError: false };
}

// ------------------------------------------------------------------ running the table

function run(row: Row): CompileResult | Promise<CompileResult> {
  if (row.compile) return row.compile();
  if (row.files) return compileStrings(row.files);
  throw new Error(`row ${row.key} has neither files nor compile`);
}

function describeAll(result: CompileResult): string {
  return [...result.errors, ...result.warnings].map(describeOne).join("\n") || "(no diagnostics)";
}

function describeOne(d: Diagnostic): string {
  const where = d.range ? `${d.range.file.path}:${d.range.file.position(d.range.start).line}:${d.range.file.position(d.range.start).column}` : "-";
  return `${where} ${d.code} ${d.message}`;
}

/** 1-based line of the marker in the row's file, and the column of `token` on that line. */
function expectedPosition(row: Row): { file: string; line: number; column?: number } {
  const at = row.at!;
  const file = typeof at === "string" ? at : at.file;
  const text = row.files?.[file];
  if (text === undefined) throw new Error(`row ${row.key}: no file ${file}`);
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(MARKER));
  if (index === -1 || lines.slice(index + 1).some((line) => line.includes(MARKER))) throw new Error(`row ${row.key}: ${file} needs exactly one \`${MARKER}\``);
  if (typeof at === "string") return { file, line: index + 1 };
  const column = lines[index]!.indexOf(at.token);
  if (column === -1) throw new Error(`row ${row.key}: \`${at.token}\` is not on the marked line of ${file}`);
  return { file, line: index + 1, column: column + 1 };
}

describe("every diagnostic code can be triggered", () => {
  it("the base assistant compiles without any diagnostic", () => {
    const result = compileStrings({ "domain.yml": GREET_DOMAIN, "flows.yml": GREET_FLOWS });
    expect(describeAll(result)).toBe("(no diagnostics)");
  });

  for (const row of ROWS) {
    const definition = Diagnostics[row.key];
    it(`${definition.code} ${row.key} (${definition.severity}): ${row.title}`, async () => {
      const result = await run(row);
      const summary = describeAll(result);
      if (definition.severity === "error") {
        expect(codes(result), summary).toContain(definition.code);
      } else {
        expect(warningCodes(result), summary).toContain(definition.code);
        expect(result.errors.map(describeOne), "a warning's assistant must compile").toEqual([]);
      }
      if (row.ioError !== undefined) expect(result.ioError).toBe(row.ioError);
      if (row.at === undefined) return;
      const expected = expectedPosition(row);
      const diagnostic = [...result.errors, ...result.warnings].find((d) => d.code === definition.code)!;
      const range = diagnostic.range;
      expect(range, `${definition.code} has no range`).toBeDefined();
      const position = range!.file.position(range!.start);
      const actual = { file: range!.file.path, line: position.line, ...(expected.column === undefined ? {} : { column: position.column }) };
      expect(actual, summary).toEqual(expected);
    });
  }

  it("positions are checked for at least a third of the rows", () => {
    expect(ROWS.filter((row) => row.at !== undefined).length * 3).toBeGreaterThanOrEqual(ROWS.length);
  });

  it("every code of the catalogue has a row, unless nothing can report it yet", () => {
    const covered = new Set(ROWS.map((row) => Diagnostics[row.key].code));
    const exempt = new Set(Object.keys(NOT_YET_TRIGGERABLE).map((key) => Diagnostics[key as DiagnosticKey].code));
    const missing = Object.values(Diagnostics)
      .map((d) => d.code)
      .filter((code) => !covered.has(code) && !exempt.has(code));
    expect(missing).toEqual([]);
    expect([...exempt].filter((code) => covered.has(code)), "a code with a row is no longer untriggerable").toEqual([]);
  });

  it("each code has one row", () => {
    const seen = ROWS.map((row) => Diagnostics[row.key].code);
    expect(seen.filter((code, i) => seen.indexOf(code) !== i)).toEqual([]);
  });

  it("nothing reports the codes listed as not yet triggerable", () => {
    const root = fileURLToPath(new URL("../../compiler/", import.meta.url));
    const sources = (readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
      .filter((path) => path.endsWith(".ts") && !path.endsWith("catalogue.ts"))
      .map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));
    const used = Object.keys(NOT_YET_TRIGGERABLE).flatMap((key) => sources.filter((s) => s.text.includes(`"${key}"`)).map((s) => `${key} in ${s.path}`));
    expect(used, "give these codes a row and remove them from NOT_YET_TRIGGERABLE").toEqual([]);
  });
});
