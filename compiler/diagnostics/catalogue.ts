/**
 * The one catalogue of everything flowc can report. Codes are stable: tests, editors and
 * users' CI rely on them, so a code is never reused for another meaning. Codes are grouped by
 * stage — FLW0xxx input/output (the command line included), FLW1xxx syntax (YAML, schema, condition syntax), FLW2xxx
 * references, FLW3xxx types, FLW4xxx control flow — and FLW5xxx e2e test files (`flowc test`: the
 * files themselves, not the verdicts of their test cases; a test file's YAML and its reading keep
 * the FLW0xxx and FLW1xxx codes the assistant's files get). `rasa` names the rule of
 * shared/spec/flows-format.md §d that a diagnostic reproduces (absent for flowc's own analyses).
 *
 * Messages are templates: `{name}` is replaced by the argument of that name.
 */

export type Severity = "error" | "warning";
export type Category = "io" | "syntax" | "references" | "types" | "control-flow" | "e2e-tests";

export interface DiagnosticDefinition {
  readonly code: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly rasa?: string;
  readonly template: string;
}

function define<const T extends Record<string, Omit<DiagnosticDefinition, "category">>>(
  category: Category,
  entries: T,
): { [K in keyof T]: DiagnosticDefinition } {
  const out = {} as { [K in keyof T]: DiagnosticDefinition };
  for (const key of Object.keys(entries) as (keyof T)[]) {
    out[key] = { ...entries[key]!, category };
  }
  return out;
}

const io = define("io", {
  cannotRead: { code: "FLW0001", severity: "error", template: "cannot read {path}: {reason}" },
  noInputFiles: { code: "FLW0002", severity: "error", template: "no YAML files found under {paths}" },
  cannotWrite: { code: "FLW0003", severity: "error", template: "cannot write {path}: {reason}" },
  outputDrift: { code: "FLW0004", severity: "error", template: "{path} {problem}; run `flowc compile` to regenerate it" },
  usage: { code: "FLW0005", severity: "error", template: "flowc {command}: {problem}" },
});

const syntax = define("syntax", {
  yamlSyntax: { code: "FLW1001", severity: "error", rasa: "Y1", template: "invalid YAML: {reason}" },
  duplicateKey: { code: "FLW1002", severity: "error", rasa: "Y2", template: "the key `{key}` appears twice in this mapping" },
  undefinedEnvVar: { code: "FLW1003", severity: "error", rasa: "Y4", template: "environment variable `{name}` is not set, so `{text}` cannot be expanded" },
  aliasBomb: { code: "FLW1004", severity: "error", template: "YAML aliases expand to more than {limit} nodes; refusing to expand them" },
  tooDeep: { code: "FLW1005", severity: "error", template: "YAML nesting deeper than {limit} levels" },
  lenientIndentation: { code: "FLW1006", severity: "warning", rasa: "Y1", template: "{reason}: the YAML spec refuses such a line, Rasa's YAML reader takes it as part of the value" },
  mergeConflict: { code: "FLW1007", severity: "error", rasa: "Y1", template: "invalid YAML: `{marker}` is a merge conflict marker, left in the file by a merge that was not finished" },
  flowsNotMapping: { code: "FLW1010", severity: "error", rasa: "S1", template: "`flows` must be a mapping from flow ids to flows, but it is {found}" },
  versionNotString: { code: "FLW1011", severity: "error", rasa: "S2", template: "`version` must be a string such as \"3.1\", but it is {found}" },
  unknownFlowKey: { code: "FLW1012", severity: "error", rasa: "S3", template: "unknown flow property `{key}`" },
  missingFlowKey: { code: "FLW1013", severity: "error", rasa: "S4", template: "flow `{flow}` has no `{key}`, which every flow needs" },
  wrongFlowPropertyType: { code: "FLW1014", severity: "error", rasa: "S5", template: "flow property `{key}` must be {expected}, but it is {found}" },
  invalidNluTrigger: { code: "FLW1015", severity: "error", rasa: "S6", template: "invalid `nlu_trigger`: {reason}" },
  stepTypeKey: { code: "FLW1016", severity: "error", rasa: "S7", template: "{reason}" },
  unknownStepKey: { code: "FLW1017", severity: "error", rasa: "S8", template: "unknown property `{key}` on {kind} step" },
  noopWithoutNext: { code: "FLW1018", severity: "error", rasa: "S9", template: "a `noop` step must have a `next`" },
  invalidNext: { code: "FLW1019", severity: "error", rasa: "S10", template: "invalid `next`: {reason}" },
  wrongStepPropertyType: { code: "FLW1020", severity: "error", rasa: "S11", template: "step property `{key}` must be {expected}, but it is {found}" },
  mcpCall: { code: "FLW1021", severity: "error", rasa: "S12", template: "{reason}" },
  invalidSilenceTimeout: { code: "FLW1022", severity: "error", rasa: "L2", template: "`silence_timeout` must be a number of seconds ≥ 0 (or a map from channel to such a number), but it is {found}" },
  ignoredProperty: { code: "FLW1023", severity: "warning", rasa: "S13", template: "unknown property `{key}` on {kind} is ignored: Rasa does not check flow `{flow}` against its schema (its id has a `-` or starts with a digit) and reads only the properties it knows" },
  ignoredBranchKey: { code: "FLW1024", severity: "warning", rasa: "S10", template: "`{key}` in {kind} is ignored: Rasa reads only its {known}" },
  invalidDomain: { code: "FLW1030", severity: "error", template: "domain `{key}` must be {expected}, but it is {found}" },
  unknownSlotType: { code: "FLW1031", severity: "error", rasa: "D2", template: "slot `{slot}` has the unknown type `{type}`" },
  responseWithoutVariations: { code: "FLW1032", severity: "error", rasa: "D6", template: "response `{response}` has no variations" },
  unknownSlotKey: { code: "FLW1033", severity: "error", template: "slot `{slot}` has the property `{key}`, which Rasa does not take for a slot of type `{type}`: it refuses the domain" },
  invalidResponse: { code: "FLW1034", severity: "error", template: "response `{response}`: {reason}" },
  invalidSlotMapping: { code: "FLW1035", severity: "error", template: "slot `{slot}` has {reason}, which Rasa refuses when it loads the domain" },
  domainVersionInvalid: { code: "FLW1036", severity: "warning", template: "`version` {version} is not a version number: Rasa warns and reads this domain file as a version 3.1 file" },
  domainVersionLower: { code: "FLW1037", severity: "warning", template: "`version` {version} is lower than 3.1, the format version of Rasa Pro 3.12: Rasa warns and reads this domain file as a version 3.1 file" },
  domainVersionGreater: {
    code: "FLW1038",
    severity: "warning",
    template: "`version` {version} is greater than 3.1, the format version of Rasa Pro 3.12: Rasa skips this domain file when it is the whole domain (`--domain {file}`), and reads it, with a warning, when it is one file of a domain folder; flowc reads it",
  },
  conditionSyntax: { code: "FLW1040", severity: "error", rasa: "V10/V13/V17", template: "invalid {site} condition: {reason}" },
  conditionInvalid: { code: "FLW1041", severity: "error", rasa: "V10/V13/V17", template: "invalid {site} condition: {reason}" },
  conditionNotCompilable: { code: "FLW1044", severity: "error", template: "flowc cannot compile this {site} condition with the same meaning: {reason}" },
  guardNeverHolds: {
    code: "FLW1045",
    severity: "warning",
    rasa: "V10",
    template: "this flow guard holds Jinja, which Rasa's validator renders but its runtime does not: as written it is no condition, so flow `{flow}` never starts by a command (only by `call` or `link`, or while it is on the stack)",
  },
  conditionIsBoolean: { code: "FLW1042", severity: "error", rasa: "V16", template: "a {site} condition must be a condition string, not the YAML boolean `{value}`" },
  responseTemplateSyntax: { code: "FLW1060", severity: "error", template: "invalid Jinja template in response `{response}`: {reason}" },
  responseTemplateUnsupported: { code: "FLW1061", severity: "error", template: "flowc cannot compile this Jinja template of response `{response}`: {reason}" },
  unknownTemplateEngine: { code: "FLW1062", severity: "error", template: "response `{response}` asks for the template engine `{engine}`; Rasa has only `format` and `jinja`" },
  actionTemplateSyntax: { code: "FLW1063", severity: "error", template: "invalid Jinja template in the action name `{action}`: {reason}" },
  actionTemplateUnsupported: { code: "FLW1064", severity: "error", template: "flowc cannot compile the Jinja template of the action name `{action}`: {reason}" },
});

const references = define("references", {
  unknownStep: { code: "FLW2001", severity: "error", rasa: "F5", template: "step `{step}` goes to `{target}`, which is not a step of flow `{flow}`" },
  unknownCalledFlow: { code: "FLW2002", severity: "error", rasa: "F13", template: "step `{step}` calls `{target}`, which is not a flow" },
  unknownLinkedFlow: { code: "FLW2003", severity: "error", rasa: "F15", template: "step `{step}` links to `{target}`, which is not a flow" },
  userFlowUsesPattern: { code: "FLW2004", severity: "error", rasa: "F16", template: "step `{step}` {verb} pattern `{target}`; {reason}" },
  patternUsesFlow: { code: "FLW2005", severity: "error", rasa: "F17", template: "pattern `{flow}`: {reason}" },
  collectSlotNotInDomain: { code: "FLW2006", severity: "error", rasa: "V1", template: "slot `{slot}` is collected here but is not a slot of the domain" },
  setSlotNotInDomain: { code: "FLW2007", severity: "error", rasa: "V5", template: "slot `{slot}` is set here but is not a slot of the domain" },
  actionNotInDomain: { code: "FLW2008", severity: "error", rasa: "V6", template: "action `{action}` is neither a custom action listed in the domain, a response nor a default action" },
  conditionUnknownSlot: { code: "FLW2009", severity: "error", rasa: "V11", template: "condition refers to `slots.{slot}`, which is not a slot of the domain" },
  digressionUnknownFlow: { code: "FLW2010", severity: "error", rasa: "X1", template: "`{key}` names `{target}`, which is not a flow" },
  duplicateFlowAcrossFiles: { code: "FLW2011", severity: "error", rasa: "L1", template: "flow `{flow}` is defined again; it is already defined in {other}" },
  duplicateDomainListItem: { code: "FLW2012", severity: "error", rasa: "D1", template: "`{name}` is listed twice in `{key}`" },
  duplicateDomainDefinition: { code: "FLW2013", severity: "error", rasa: "D9", template: "{kind} `{name}` is defined in two domain files; it is already defined in {other}" },
  validationResponseMissing: { code: "FLW2014", severity: "error", rasa: "D8", template: "slot `{slot}` validation uses the response `{response}`, which the domain does not define" },
  collectAskedTwice: { code: "FLW2015", severity: "error", rasa: "V3", template: "slot `{slot}` has both the response `{response}` and the action `{action}` to ask for it; keep only one" },
  collectCannotAsk: { code: "FLW2016", severity: "error", rasa: "V4", template: "nothing asks for slot `{slot}`: define the response `{response}` or the action `{action}`, or give the slot an `initial_value`" },
  nluTriggerIntentUnknown: { code: "FLW2017", severity: "warning", rasa: "V21", template: "intent `{intent}` is not listed in the domain's `intents`" },
  nluTriggerIntentTwice: { code: "FLW2018", severity: "error", rasa: "F11", template: "intent `{intent}` triggers both `{flow}` and `{other}`; an intent may trigger only one flow" },
  duplicateFlowName: { code: "FLW2019", severity: "error", rasa: "V8", template: "flow `{flow}` has the name \"{name}\", which flow `{other}` has too; flow names must be unique" },
  duplicateDescription: { code: "FLW2020", severity: "error", rasa: "V9", template: "flow `{flow}` has the same description as flow `{other}` (punctuation ignored); descriptions must be unique" },
  duplicateStepId: { code: "FLW2021", severity: "error", rasa: "F18", template: "step id `{step}` is used twice in flow `{flow}`" },
  reservedStepId: { code: "FLW2022", severity: "error", rasa: "F8", template: "step id `{step}` is reserved: `START`, `END` and ids starting with `NEXT:` cannot be used" },
  invalidSlotName: { code: "FLW2023", severity: "error", rasa: "F9", template: "slot name `{slot}` must start with a letter or `_` and contain only letters, digits, `_` and `-`" },
  invalidFlowId: { code: "FLW2024", severity: "error", rasa: "F10", template: "flow id `{flow}` must contain only ASCII letters, digits, `_` and `-`, and must not start with `-`" },
  responseNotInDomain: { code: "FLW2025", severity: "warning", template: "response `{response}` is not defined in the domain; the message will fail at run time" },
  guardUnknownSlot: { code: "FLW2026", severity: "warning", template: "flow guard refers to `slots.{slot}`, which is not a slot of the domain; it is always undefined" },
  exitIfOnFlowCall: { code: "FLW2027", severity: "error", rasa: "F14", template: "`exit_if` is only allowed on calls to sub-agents, and `{target}` is a flow" },
  noFlows: { code: "FLW2028", severity: "warning", rasa: "V22", template: "no flows were found" },
  emptyDomain: { code: "FLW2029", severity: "error", rasa: "D10", template: "the domain is empty and there are no flows: no file holds slots, responses, actions, intents, entities or forms" },
  noDomain: { code: "FLW2038", severity: "warning", template: "no file among the paths holds a domain (`slots`, `responses`, `actions`, …), so every slot, response and custom action the flows name is unknown; add the domain's files or folder to the paths" },
  conditionWithoutNamespace: { code: "FLW2030", severity: "error", rasa: "V12/V17", template: "this {site} condition does not refer to any `slots.` or `context.` value; a bare name is an undefined lookup, not a slot" },
  contextUnknownField: { code: "FLW2040", severity: "warning", template: "`context.{field}` is always undefined: {site}'s `context` holds the fields of the frame on top of the dialogue stack (`flow_id`, `step_id`, and a pattern's own, such as `collect`), and `{field}` is none of them" },
  placeholderNearSlot: { code: "FLW2039", severity: "warning", template: "the placeholder `{placeholder}` names no slot, only something close to slot `{slot}`: unless a custom action's message gives it a value, Rasa sends it as written" },
  formatPlaceholderNotFilled: { code: "FLW2032", severity: "warning", template: "the placeholder `{placeholder}` is never filled: a format template looks up `{key}` as one name, so Rasa sends the text as written; {hint}" },
  templateReadsSlots: { code: "FLW2033", severity: "warning", template: "`slots` is not a variable of response templates, which read each slot by its name (`{example}`); Rasa sends this text unrendered" },
  rejectionOtherSlot: { code: "FLW2031", severity: "warning", template: "a rejection only sees the slot it checks (`slots.{collected}`); `slots.{slot}` is undefined there" },
  responseEmptyPlaceholder: { code: "FLW2034", severity: "error", rasa: "D7", template: "response `{response}` has an empty placeholder `{}` in its `{key}`; write the name of the slot to fill in between the braces" },
  buttonPayloadInvalid: { code: "FLW2036", severity: "error", rasa: "D7", template: "a button of response `{response}` has the payload `{payload}`, which triggers nothing: {reason}" },
  responseConditionOperand: { code: "FLW2037", severity: "error", rasa: "D7", template: "Rasa's validator reads `{operand}` as the slot this response condition tests, and it is not `slots.<name>`; put the `slots.` reference first (`slots.x = 'v'`)" },
  responseConditionWithoutSlots: { code: "FLW2035", severity: "error", rasa: "D7", template: "this response condition does not refer to any `slots.` value; a response condition sees only the slots, not `context`" },
});

const types = define("types", {
  collectListSlot: { code: "FLW3001", severity: "error", rasa: "V2", template: "slot `{slot}` is a list slot; list slots cannot be collected in flows" },
  setListSlot: { code: "FLW3002", severity: "error", rasa: "V5", template: "slot `{slot}` is a list slot; list slots cannot be set by `set_slots`" },
  categoricalValueNotAllowed: { code: "FLW3003", severity: "error", rasa: "V14", template: "{value} is not a value of categorical slot `{slot}` (values: {values})" },
  boolComparedToNonBool: { code: "FLW3004", severity: "error", rasa: "V15", template: "bool slot `{slot}` may only be compared with `true` or `false` in a branch condition, not with {value}" },
  floatRange: { code: "FLW3005", severity: "error", rasa: "D3", template: "float slot `{slot}` has `min_value` {min} not below `max_value` {max}" },
  anySlotFeaturized: { code: "FLW3006", severity: "error", rasa: "D4", template: "slot `{slot}` of type `any` cannot have `influence_conversation: true`" },
  categoricalValuesDubious: { code: "FLW3007", severity: "warning", rasa: "D5", template: "categorical slot `{slot}`: {reason}" },
  initialValueOutOfRange: { code: "FLW3008", severity: "warning", rasa: "D3", template: "initial value {value} of float slot `{slot}` is outside [{min}, {max}]" },
  initialValueType: { code: "FLW3009", severity: "warning", template: "the initial value of {type} slot `{slot}` is {value}, and a {type} slot holds {holds}" },
  categoricalComparedToNumber: { code: "FLW3010", severity: "error", rasa: "V14", template: "categorical slot `{slot}` is compared with the number {value} in a branch condition; Rasa's validator fails on a number here, and a categorical slot holds text: write '{value}'" },
  nluCorrectionIgnored: { code: "FLW3011", severity: "warning", template: "`allow_nlu_correction` of slot `{slot}` has no effect: {reason}" },
  orderingOnNonNumber: { code: "FLW3101", severity: "warning", template: "`{operator}` on {type} slot `{slot}`: {consequence}" },
  boolComparedToString: { code: "FLW3102", severity: "warning", template: "bool slot `{slot}` compared with {value}; a bool never equals a string" },
  categoricalLiteralOutside: { code: "FLW3103", severity: "warning", template: "{value} is not a value of categorical slot `{slot}` (values: {values}); this comparison is {verdict}" },
  bareWordUndefined: { code: "FLW3104", severity: "warning", template: "`{word}` is not a string but a lookup that is always undefined" },
  mixedAndOr: { code: "FLW3105", severity: "warning", template: "`and` and `or` mixed without parentheses: they have the same precedence and group to the right, so this reads as `{reading}`" },
  superLinearRegex: { code: "FLW3107", severity: "warning", template: "matching this regex can take time that grows faster than the length of the text ({construct}), and user text reaches it at run time" },
  templateChangesTokens: { code: "FLW3108", severity: "warning", template: "`{hole}` is spliced into the condition before it is parsed: a value that is not {shape} changes the condition itself, and flowc then parses the rendered text at run time" },
  literalTypeMismatch: { code: "FLW3106", severity: "warning", template: "{type} slot `{slot}` compared with {value}; {consequence}" },
  rejectionFailsOnNull: { code: "FLW3109", severity: "warning", template: "this rejection raises when `{slot}` is null ({error}); Rasa 3.12 also runs rejections on a slot set back to null (after a rejection, or when the flow that filled it ended), and the user then gets the internal-error message" },
  templateNameNotRendered: { code: "FLW3110", severity: "warning", template: "`{{{path}}}` reads `{name}`, but Rasa renders a {site} condition's template with `{scope}` only: {consequence}" },
  neverLooksInto: { code: "FLW3111", severity: "warning", template: "`{operator}` on {type} slot `{slot}` is always false: {reason}" },
  quotedPayloadValue: { code: "FLW3113", severity: "warning", template: "a button of response `{response}` sets slot `{slot}` to {value} with its quotes: Rasa's payload reader keeps them, so a click sets the text {value}, not `{bare}`" },
  buttonValueRefused: { code: "FLW3114", severity: "warning", template: "a button of response `{response}` sets {type} slot `{slot}` to `{value}`, {why}: when a collect step of the slot checks it, Rasa sets the slot back to null, answers with `{rejection}` and asks again, so the button never fills the slot" },
  containsNonText: { code: "FLW3112", severity: "warning", template: "{type} slot `{slot}` `contains` {value}: pypred looks for a text in a text and raises on anything else, so the condition raises whenever the slot holds a value" },
});

const controlFlow = define("control-flow", {
  emptyFlow: { code: "FLW4001", severity: "error", rasa: "F1", template: "flow `{flow}` has no steps" },
  emptyBranch: { code: "FLW4002", severity: "error", rasa: "F2", template: "an empty `{key}` list: a branch needs at least one step" },
  linkWithNext: { code: "FLW4003", severity: "error", rasa: "F3", template: "link step `{step}` has a `next`; a link ends the flow, so it cannot have one" },
  missingNext: { code: "FLW4004", severity: "error", rasa: "F4", template: "step `{step}` is the last step of a branch and has no `next`; branches do not fall through, so say `next: END` or name a step" },
  unreachableStep: { code: "FLW4005", severity: "error", rasa: "F6", template: "step `{step}` can never be reached from the start of flow `{flow}`" },
  missingElse: { code: "FLW4006", severity: "error", rasa: "F7", template: "the branches of step `{step}` have no `else`" },
  calledFlowLinks: { code: "FLW4007", severity: "error", rasa: "F12", template: "flow `{flow}` is called by `{caller}` but has a link step (`{step}`); a called flow cannot link" },
  recursiveCall: { code: "FLW4008", severity: "error", rasa: "F20", template: "flows call each other in a cycle: {cycle}" },
  persistedAndReset: { code: "FLW4009", severity: "error", rasa: "V18", template: "flow `{flow}` has `persisted_slots` and step `{step}` of flow `{owner}` has `reset_after_flow_ends: false`; use only `persisted_slots`" },
  persistedSlotUnused: { code: "FLW4010", severity: "error", rasa: "V19", template: "persisted slot `{slot}` is not collected or set by any step of flow `{flow}` or the flows it calls" },
  resetAfterFlowEndsDeprecated: { code: "FLW4011", severity: "warning", rasa: "V20", template: "`reset_after_flow_ends` is deprecated; list the slot in the flow's `persisted_slots` instead" },
  digressionListsOverlap: { code: "FLW4012", severity: "error", rasa: "X2", template: "flow `{target}` is in both `block_digressions` and `ask_confirm_digressions`" },
  silentLoop: { code: "FLW4101", severity: "error", template: "these steps can repeat forever without asking the user anything: {cycle}" },
  shadowedBranch: { code: "FLW4102", severity: "warning", template: "this branch can never be taken: {reason}" },
  unusedFlow: { code: "FLW4103", severity: "warning", template: "flow `{flow}` can never start: its guard is always false and no flow calls or links to it" },
  silentCompletionLoop: { code: "FLW4104", severity: "warning", template: "these steps can repeat forever without asking the user anything, as `pattern_completed` runs again each time the flow it links to ends: {cycle}" },
  unanswerableQuestion: {
    code: "FLW4105",
    severity: "warning",
    template: "no reply can answer {asked}: slot `{slot}` has only {types} mappings, so Rasa 3.12 drops any value a reply gives it (the user is told to rephrase) and asks again, without end",
  },
  stepsAfterStackReset: { code: "FLW4106", severity: "warning", template: "the steps after `{action}` never run: it ends every flow on the dialogue stack, `{flow}` with it" },
  unknownPattern: { code: "FLW4107", severity: "warning", template: "flow `{flow}` never runs: its id starts with `pattern_`, so Rasa takes it for a pattern, and Rasa has no pattern of that name" },
});

/**
 * What makes `flowc test` refuse its test files (exit 2, nothing runs): one code per kind of
 * problem, the message saying which part of the format it is about. FLW500x: the test cases the
 * paths name; FLW501x: the shape of Rasa's e2e format; FLW502x: names defined twice or naming
 * nothing; FLW503x: what Rasa's schema or runner refuses, or flowc cannot run, in a well-formed file.
 * FLW504x are warnings: what Rasa's runner would log or pass over in silence, and go past; the
 * test cases run as they are written.
 */
const e2eTests = define("e2e-tests", {
  noTestCases: { code: "FLW5001", severity: "error", template: "no e2e test cases found in {paths} (a test file has a top-level `test_cases` list)" },
  testCaseNotFound: { code: "FLW5002", severity: "error", template: "test case `{name}` not found in {path}" },
  unknownTestKey: { code: "FLW5010", severity: "error", template: "unknown key `{key}` of {what} (expected {expected})" },
  wrongTestValue: { code: "FLW5011", severity: "error", template: "{reason}" },
  missingTestKey: { code: "FLW5012", severity: "error", template: "{what} needs {part}" },
  testCaseWithoutSteps: { code: "FLW5013", severity: "error", template: "a test case needs {what}" },
  stepKind: { code: "FLW5014", severity: "error", template: "a step {problem}" },
  secondTestDefinition: { code: "FLW5020", severity: "error", template: "a second {what}" },
  stubForNoTestCase: { code: "FLW5021", severity: "error", template: "the stub `{stub}` names no test case `{testCase}`" },
  testNameNotAllowed: { code: "FLW5030", severity: "error", template: "{reason}" },
  checksNothing: { code: "FLW5031", severity: "error", template: "{reason}" },
  unknownAssertion: { code: "FLW5032", severity: "error", template: "unknown assertion `{kind}`" },
  llmJudgeAssertion: { code: "FLW5033", severity: "error", template: "`{kind}` needs an LLM judge; flowc test runs without an LLM" },
  regexNotRunnable: { code: "FLW5034", severity: "error", template: "`text_matches` is not a regular expression flowc can run: {reason}" },
  blankUserStep: { code: "FLW5040", severity: "warning", template: "a blank `user:` step sends no message: Rasa's runner skips it, and the steps after it are checked against the turn before it" },
  notOfTheAssistant: { code: "FLW5041", severity: "warning", template: "`{name}` is not a {kind} of the assistant" },
  undefinedTestName: { code: "FLW5042", severity: "warning", template: "no {kind} named `{name}`{defined}: Rasa's runner {consequence}" },
  fixtureSlotUnknown: { code: "FLW5043", severity: "warning", template: "the fixture `{fixture}` sets `{slot}`, which is not a slot of the assistant: left out, as Rasa leaves it out" },
  testCaseOutsideList: { code: "FLW5044", severity: "warning", template: "this file has `test_case` and `steps` at its top but no `test_cases` list, so it is not read as a test file: its test case does not run" },
  stepCheckIgnored: { code: "FLW5045", severity: "warning", template: "this `{kind}` step is never checked: the test case has `assertions` (line {line}), and Rasa's runner judges a test case with assertions by its assertions alone" },
});

export const Diagnostics = { ...io, ...syntax, ...references, ...types, ...controlFlow, ...e2eTests };
export type DiagnosticKey = keyof typeof Diagnostics;
/** The keys of the FLW5xxx codes, those of the e2e test files' own problems and warnings. */
export type TestFileDiagnosticKey = keyof typeof e2eTests;

export function formatTemplate(template: string, args: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = args[name];
    return value === undefined ? whole : String(value);
  });
}
