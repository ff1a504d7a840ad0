/** Loading: YAML 1.2 scalars, duplicate keys, env vars, anchors and merges, file kinds, domain merging. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFlows } from "../../compiler/api.ts";
import { Diagnostics } from "../../compiler/diagnostics/catalogue.ts";
import { codes, compileStrings, warningCodes } from "../support/compile.ts";
import { temporaryFolder } from "../support/temp.ts";

const DOMAIN = `
slots:
  confirmed: {type: bool}
responses:
  utter_ask_confirmed: [{text: "Sure?"}]
  utter_greet: [{text: "Hello!"}]
`;

const greet = (extra = "") => `flows:
  greet:
    description: Greets.${extra}
    steps:
      - action: utter_greet
`;

describe("load YAML files", () => {
  it("reads yes/no as strings and True/False as booleans (YAML 1.2)", () => {
    const yes = compileStrings({ domain: DOMAIN, flows: greet("\n    always_include_in_prompt: yes") });
    expect(codes(yes)).toEqual([Diagnostics.wrongFlowPropertyType.code]);
    expect(yes.errors[0]?.notes?.[0]).toContain("YAML 1.2");
    expect(compileStrings({ domain: DOMAIN, flows: greet("\n    always_include_in_prompt: True") }).errors).toEqual([]);
  });

  it("reports a duplicate key over the second occurrence", () => {
    const result = compileStrings({ domain: DOMAIN, flows: `flows:\n  greet:\n    description: A.\n    description: B.\n    steps: []\n` });
    expect(codes(result)).toEqual([Diagnostics.duplicateKey.code]);
    const range = result.errors[0]!.range!;
    expect([range.file.position(range.start), range.file.position(range.end)]).toEqual([{ line: 4, column: 5 }, { line: 4, column: 16 }]);
  });

  it("expands ${VAR} in plain scalars only, and rejects unset variables", () => {
    const flows = greet().replace("description: Greets.", "description: Greets ${WHO}.");
    const set = compileStrings({ domain: DOMAIN, flows }, { env: { WHO: "everyone" } });
    expect(set.errors).toEqual([]);
    expect(set.assistant?.flowsById.get("greet")?.input.description).toBe("Greets everyone.");
    expect(codes(compileStrings({ domain: DOMAIN, flows }, { env: {} }))).toEqual([Diagnostics.undefinedEnvVar.code]);
    const quoted = compileStrings({ domain: DOMAIN, flows: greet().replace("description: Greets.", "description: 'Greets ${WHO}.'") }, { env: {} });
    expect(quoted.assistant?.flowsById.get("greet")?.input.description).toBe("Greets ${WHO}.");
  });

  it("follows anchors, aliases and merge keys", () => {
    const result = compileStrings({
      domain: DOMAIN,
      flows: `base: &base
  description: Greets.
  steps:
    - action: utter_greet
flows:
  greet: *base
  welcome:
    <<: *base
    description: Welcomes.
`,
    });
    expect(result.errors).toEqual([]);
    expect(result.assistant?.flowsById.get("welcome")?.steps.map((s) => s.id)).toEqual(["welcome_0_utter_greet"]);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i - 1]}`).join(", ")}]`);
    const result = compileStrings({ domain: DOMAIN, flows: `${levels.join("\n")}\nflows:\n  bomb:\n    description: Boom.\n    steps: *i\n` });
    expect(codes(result)).toEqual([Diagnostics.aliasBomb.code]);
  });

  it("skips files with neither flows nor domain keys, and merges several domain files", () => {
    const dir = temporaryFolder("flowc-load-");
    mkdirSync(join(dir, "domain"));
    writeFileSync(join(dir, "domain", "a.yml"), "slots:\n  confirmed: {type: bool}\nresponses:\n  utter_ask_confirmed: [{text: Sure?}]\n");
    writeFileSync(join(dir, "domain", "b.yaml"), "intents: [greet]\nentities: [city]\nforms: {}\nsession_config: {session_expiration_time: 60}\nresponses:\n  utter_greet: [{text: Hi}]\n");
    writeFileSync(join(dir, "nlu.yml"), "version: '3.1'\nnlu:\n  - intent: greet\n    examples: |\n      - hi\n");
    writeFileSync(join(dir, "flows.yml"), `${greet()}      - collect: confirmed\n`);
    writeFileSync(join(dir, "notes.txt"), "not yaml: [");
    const result = compileFlows({ paths: ["."], cwd: dir, env: {} });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect([...(result.assistant?.domain.intents.keys() ?? [])]).toEqual(["greet"]);
  });

  it("does not search hidden folders, node_modules or a Python virtual environment (a folder with pyvenv.cfg)", () => {
    // A Rasa project's `python -m venv venv` holds Rasa's own package, with flows and domains of
    // its templates and default patterns; Rasa itself reads only `data/` and `domain/`.
    const dir = temporaryFolder("flowc-load-");
    writeFileSync(join(dir, "domain.yml"), DOMAIN);
    writeFileSync(join(dir, "flows.yml"), greet());
    const copy = `${DOMAIN}${greet()}`;
    for (const folder of [".rasa", "node_modules", join("venv", "lib", "site-packages", "rasa")]) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, "copy.yml"), copy);
    }
    writeFileSync(join(dir, "venv", "pyvenv.cfg"), "home = /usr/bin\n");
    const result = compileFlows({ paths: ["."], cwd: dir, env: {} });
    expect(result.errors).toEqual([]);
    expect(result.assistant?.flows.filter((flow) => !flow.isPattern).map((flow) => flow.id)).toEqual(["greet"]);
  });

  it("does not expand the variables of a file it skips, such as endpoints.yml's `${REDIS_HOST}`", () => {
    // Rasa reads endpoints.yml where the service runs, with its environment; flowc does not use it.
    const endpoints = "tracker_store:\n  type: redis\n  url: ${REDIS_HOST}\n";
    const skipped = compileStrings({ domain: DOMAIN, flows: greet(), "endpoints.yml": endpoints });
    expect(codes(skipped)).toEqual([]);
    const read = compileStrings({ domain: `${DOMAIN}session_config:\n  session_expiration_time: \${SESSION_MINUTES}\n`, flows: greet() });
    expect(codes(read)).toEqual([Diagnostics.undefinedEnvVar.code]);
  });

  it("skips another tool's YAML whatever tags or duplicate keys it holds, and still refuses them in a file of the assistant", () => {
    // A project folder may hold a CloudFormation template (`!Ref`), mkdocs.yml (`!!python/name:`)
    // or a compose file with a repeated key: none has flows or domain keys, so none is read.
    const others = {
      "template.yml": "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n      Tags: !GetAtt [A, B]\n",
      "mkdocs.yml": "site_name: Docs\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
      "compose.yml": "services:\n  web: {image: a}\nservices:\n  db: {image: b}\n",
    };
    expect(codes(compileStrings({ domain: DOMAIN, flows: greet(), ...others }))).toEqual([]);
    const tagged = compileStrings({ domain: `${DOMAIN}actions: [!Ref action_check]\n`, flows: greet() });
    expect(codes(tagged)).toEqual([Diagnostics.yamlSyntax.code]);
    expect(tagged.errors[0]?.message).toContain("unknown tag `!Ref`");
  });

  it("skips a file that is no YAML when no line of it starts with a key of flows or domain, as Rasa's file-kind check", () => {
    // Rasa tells a data file's kind by its lines (a line starting with `flows:`, `nlu:`, ...,
    // indentation stripped) before reading it, and leaves any other file unread: a broken
    // file of another kind (here patterns written in a format of one's own, with `: ` inside a
    // plain text) never stops training.
    const patterns = "patterns:\n  - id: greeting\n    steps:\n      - collect: greeting\n        description: Accept: hello, hi\n";
    expect(codes(compileStrings({ domain: DOMAIN, flows: greet(), "patterns.yml": patterns }))).toEqual([]);
    expect(codes(compileStrings({ domain: DOMAIN, flows: greet(), "bell.yml": "note: a bell \u0007\n" }))).toEqual([]);
    // A line that starts with a key of flows or domain, at any depth, makes it a file of the assistant.
    for (const key of ["flows", "slots", "responses"]) {
      const result = compileStrings({ domain: DOMAIN, flows: greet(), "patterns.yml": `${patterns}  ${key}:\n` });
      expect(codes(result)).toEqual([Diagnostics.yamlSyntax.code]);
      expect(result.errors[0]?.range?.file.path).toBe("patterns.yml");
    }
    expect(codes(compileStrings({ domain: DOMAIN, flows: `${greet()}# Accept: a bell \u0007\n` }))).toEqual([Diagnostics.yamlSyntax.code]);
  });

  it("warns of a line Rasa's reader is lenient with only in a file of the assistant", () => {
    const other = 'site_name: "Docs\nof mine"\n';
    expect(warningCodes(compileStrings({ domain: DOMAIN, flows: greet(), "mkdocs.yml": other }))).toEqual([]);
    const own = compileStrings({ domain: `${DOMAIN}  utter_bye: [{text: "Bye\nnow"}]\n`, flows: greet() });
    expect(warningCodes(own)).toEqual([Diagnostics.lenientIndentation.code]);
  });

  it("reads a folder once when a link leads back to it", () => {
    const dir = temporaryFolder("flowc-load-");
    mkdirSync(join(dir, "inner"));
    writeFileSync(join(dir, "inner", "domain.yml"), DOMAIN);
    writeFileSync(join(dir, "inner", "flows.yml"), `${greet()}      - collect: confirmed\n`);
    symlinkSync(dir, join(dir, "inner", "up"), "dir");
    const result = compileFlows({ paths: ["."], cwd: dir, env: {} });
    expect(result.errors).toEqual([]);
    expect(result.assistant?.flows.filter((flow) => !flow.isPattern).map((flow) => flow.id)).toEqual(["greet"]);
  });

  it("rejects a slot defined in two domain files, pointing at both", () => {
    const result = compileStrings({ "a.yml": DOMAIN, "b.yml": "slots:\n  confirmed: {type: text}\n", flows: greet() });
    expect(codes(result)).toEqual([Diagnostics.duplicateDomainDefinition.code]);
    expect(result.errors[0]?.message).toContain("a.yml:3");
    expect(result.errors[0]?.range?.file.path).toBe("b.yml");
  });

  it("rejects a flow id defined in two files", () => {
    const result = compileStrings({ domain: DOMAIN, "a.yml": greet(), "b.yml": greet() });
    expect(codes(result)).toEqual([Diagnostics.duplicateFlowAcrossFiles.code]);
  });

  it("refuses characters YAML 1.2 does not allow, pointing at them", () => {
    const result = compileStrings({ domain: DOMAIN, flows: greet().replace("Greets.", "Greets\u0007.") });
    expect(codes(result)).toEqual([Diagnostics.yamlSyntax.code]);
    expect(result.errors[0]?.message).toContain("U+0007");
    expect(result.errors[0]?.range?.file.position(result.errors[0].range.start)).toEqual({ line: 3, column: 24 });
  });

  it("reports an unclosed deep flow sequence once per position", () => {
    const result = compileStrings({ domain: DOMAIN, flows: `flows: ${"[".repeat(500)}` });
    const positions = result.errors.map((e) => `${e.code}@${e.range?.start}`);
    expect(positions.length).toBeGreaterThan(0);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it("only warns when there are no flows at all", () => {
    const result = compileStrings({ domain: DOMAIN });
    expect(result.errors).toEqual([]);
    expect(warningCodes(result)).toEqual([Diagnostics.noFlows.code]);
  });
});
