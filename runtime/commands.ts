/**
 * Commands: what a command generator produces for one user message, before the command
 * processor turns them into stack changes and slot sets (spec §d.1).
 *
 * This module parses the text DSL that Rasa's LLM command generators emit (§d.2) the way the
 * Rasa Pro 3.12 command parser does, plus the two corpus extensions of the scenarios file
 * (`/SetSlots(...)` button payloads and `<error>`). Pure functions, no I/O.
 *
 * Rasa 3.12 behaviour reproduced here (RasaHQ/rasa `generator/command_parser.py`,
 * `commands/*_command.py` `regex_pattern()`/`from_dsl()`, `commands/utils.py`,
 * `shared/core/command_payload_reader.py`):
 * * Every line is trimmed and matched against every command's regex; matching is
 *   case-sensitive, so `Start Flow x` is not a command.
 * * v2 regexes are anchored at the line start with `^[^\w]*`: only non-word characters may
 *   precede the keyword. `- start flow x` and `* start flow x` parse, `1. start flow x` does
 *   NOT (a digit is a word character). Newer Rasa versions (`^[\s\W\d]*`) also accept list
 *   numbering; we deliberately follow 3.12, the project's baseline. `\w` is Python's Unicode
 *   `\w` (letters, numbers, underscore), rendered here as `[\p{L}\p{N}_]`.
 * * Argument-less v2 commands (`cancel flow`, `offtopic reply`, `provide info`, `hand over`,
 *   `skip question`, `repeat message`, `cannot handle`, `change`) must fill the rest of the
 *   line (`$`); 3.12 does not allow trailing quotes or punctuation.
 * * Flow ids are `[A-Za-z0-9_-]+`, optionally quoted; for `start flow` the text after the id is
 *   ignored. A start flow is kept only for an available *user* flow, and in the end only for
 *   a startable one (`generator/command_generator.py`, `_check_commands_against_startable_flows`).
 */
import { pythonStrip } from "./python-strip.ts";

export type Command =
  | { readonly command: "start flow"; readonly flow: string }
  | {
      readonly command: "set slot";
      readonly name: string;
      readonly value: unknown;
      readonly extractor: "LLM" | "NLU" | "COMMAND_PAYLOAD_READER";
    }
  | { readonly command: "cancel flow" }
  | { readonly command: "clarify"; readonly options: readonly string[] }
  | { readonly command: "chitchat" }
  | { readonly command: "knowledge" }
  | { readonly command: "human handoff" }
  | { readonly command: "skip question" }
  | { readonly command: "repeat" }
  | { readonly command: "cannot handle"; readonly reason: string }
  | { readonly command: "error"; readonly errorType: string; readonly info?: Readonly<Record<string, unknown>> }
  | { readonly command: "change flow" };

export interface ParseContext {
  /** User flows whose guard is true now ∪ user flows on the stack (what the prompt lists): a Set, or anything that answers `has`. */
  readonly availableFlows: { has(flowId: string): boolean };
  /**
   * The flows a StartFlow may name at the end (guard true, or the current context's flow): the
   * generator's last check, which removes a StartFlow for a flow that is on the stack but no
   * longer startable. Without it, every available flow counts as startable.
   */
  readonly startableFlows?: { has(flowId: string): boolean };
  /**
   * The domain slots an LLM SetSlot may fill now by their mappings' conditions (the
   * generator's `_check_commands_against_slot_mappings`); an LLM SetSlot for another domain
   * slot is removed at the end. Without it, every slot may be filled.
   */
  readonly fillableSlots?: { has(name: string): boolean };
  /** Slot names of the domain (a Set, or anything that answers `has`). */
  readonly slots: { has(name: string): boolean };
}

/** `RASA_PATTERN_CANNOT_HANDLE_DEFAULT`: the reason of a CannotHandleCommand() without arguments. */
export const CANNOT_HANDLE_DEFAULT = "cannot_handle_default";
/** `RASA_PATTERN_INTERNAL_ERROR_DEFAULT`: the error type of an ErrorCommand() without arguments. */
export const INTERNAL_ERROR_DEFAULT = "rasa_internal_error_default";
/** The error type of the ErrorCommand a command generator returns for an empty or blank message (§d.2). */
export const INTERNAL_ERROR_USER_INPUT_EMPTY = "rasa_internal_error_user_input_empty";
/** The error type of the ErrorCommand a command generator returns for a message longer than {@link MAX_USER_INPUT_CHARACTERS}. */
export const INTERNAL_ERROR_USER_INPUT_TOO_LONG = "rasa_internal_error_user_input_too_long";
/** Rasa's default `user_input.max_characters` of its LLM command generators: longer messages are not sent to the LLM. */
export const MAX_USER_INPUT_CHARACTERS = 420;
/** The command payload reader ignores a payload with more than this many `=` characters. */
export const MAX_PAYLOAD_SLOTS = 10;

const PAYLOAD_PREFIX = "/SetSlots(";
const ERROR_LINE = "<error>";
/** `<error TYPE>`: an ErrorCommand of another error type (what a generator says of an empty message). */
const TYPED_ERROR_LINE = /^<error ([A-Za-z0-9_]+)>$/;

/**
 * The ErrorCommand a `<error>` or `<error TYPE>` line stands for, or undefined. The too-long
 * error carries the limit in its `info`, as Rasa's command generators set it
 * (`info={"max_characters": …}`, which `pattern_internal_error` sees as `context.info`).
 */
function errorLine(line: string): Command | undefined {
  if (line === ERROR_LINE) return { command: "error", errorType: INTERNAL_ERROR_DEFAULT };
  if (!line.startsWith("<error ")) return undefined;
  const typed = TYPED_ERROR_LINE.exec(line);
  if (typed === null) return undefined;
  const errorType = typed[1]!;
  return errorType === INTERNAL_ERROR_USER_INPUT_TOO_LONG ? { command: "error", errorType, info: { max_characters: MAX_USER_INPUT_CHARACTERS } } : { command: "error", errorType };
}

// ---------------------------------------------------------------------------------------------
// Regexes, transcribed from the 3.12 command classes. `P` is Python's `^[^\w]*` (Unicode `\w`).

const P = String.raw`^[^\p{L}\p{N}_]*`;

/**
 * A command regex, built the first time a line is tried against it: building a regex with
 * Unicode property classes costs V8 a tenth of a millisecond or more, and a process parsing
 * only `start flow` and `set slot` lines never needs most of the twenty-two.
 */
class CommandRegExp {
  #regex: RegExp | undefined;
  #afterPrefix: RegExp | undefined;
  constructor(readonly source: string) {}
  exec(line: string): RegExpExecArray | null {
    // A line that starts with a word character leaves nothing for the prefix `P` to match, and
    // the rest of the regex has no Unicode property class: much quicker to build.
    if (this.source.startsWith(P) && WORD_START.test(line)) return (this.#afterPrefix ??= new RegExp(`^${this.source.slice(P.length)}`, "u")).exec(line);
    return (this.#regex ??= new RegExp(this.source, "u")).exec(line);
  }
}

/** An ASCII word character first (a character `P` does not match). */
const WORD_START = /^[A-Za-z0-9_]/;

const re = (source: string): CommandRegExp => new CommandRegExp(source);

/** A parsed-but-not-yet-validated command, as `from_dsl` builds it. */
type Raw =
  | { readonly kind: "set slot"; readonly name: string; readonly value: string | null }
  | { readonly kind: "start flow"; readonly flow: string }
  | { readonly kind: "clarify"; readonly options: readonly string[] }
  | { readonly kind: "simple"; readonly command: Command };

interface Pattern {
  /**
   * Text that every match contains: a line without it is not tried against the regex. V8
   * compiles a regex when it first runs it, and the v2 ones, with their Unicode classes, took
   * a few milliseconds to compile at a process's first message.
   */
  readonly literal: string;
  readonly regex: CommandRegExp;
  readonly build: (match: RegExpExecArray) => Raw;
}

const simple = (command: Command) => (): Raw => ({ kind: "simple", command });
const setSlot = (m: RegExpExecArray): Raw => ({
  kind: "set slot",
  name: (m[1] ?? "").trim(),
  value: nullableSlotValue(cleanExtractedValue(m[2] ?? "")),
});
const startFlow = (m: RegExpExecArray): Raw => ({ kind: "start flow", flow: (m[1] ?? "").trim() });
const clarify = (m: RegExpExecArray): Raw => ({ kind: "clarify", options: cleanedOptions(m[1] ?? "") });

/**
 * The 3.12 parser's command list, in its order (SetSlot, StartFlow, CancelFlow, ChitChat,
 * SkipQuestion, KnowledgeAnswer, HumanHandoff, Clarify, RepeatBotMessages). CannotHandle and
 * ChangeFlow are appended: the brief asks for them (their classes define DSL regexes, although
 * the 3.12 parser's default list does not include them — an LLM rarely emits them).
 */
const V2: readonly Pattern[] = [
  { literal: "set slot ", regex: re(`${P}set slot ['"]?([a-zA-Z_][a-zA-Z0-9_-]*)['"]? ['"]?(.+?)['"]?$`), build: setSlot },
  { literal: "start flow ", regex: re(`${P}start flow ['"]?([a-zA-Z0-9_-]+)['"]?`), build: startFlow },
  { literal: "cancel flow", regex: re(`${P}cancel flow$`), build: simple({ command: "cancel flow" }) },
  { literal: "offtopic reply", regex: re(`${P}offtopic reply$`), build: simple({ command: "chitchat" }) },
  { literal: "skip question", regex: re(`${P}skip question$`), build: simple({ command: "skip question" }) },
  { literal: "provide info", regex: re(`${P}provide info$`), build: simple({ command: "knowledge" }) },
  { literal: "hand over", regex: re(`${P}hand over$`), build: simple({ command: "human handoff" }) },
  { literal: "disambiguate flows ", regex: re(`${P}disambiguate flows (["'a-zA-Z0-9_, ]*)$`), build: clarify },
  { literal: "repeat message", regex: re(`${P}repeat message$`), build: simple({ command: "repeat" }) },
  { literal: "cannot handle", regex: re(`${P}cannot handle$`), build: simple({ command: "cannot handle", reason: CANNOT_HANDLE_DEFAULT }) },
  { literal: "change", regex: re(`${P}change$`), build: simple({ command: "change flow" }) },
];

/** v1 (`SingleStepLLMCommandGenerator`) regexes: unanchored searches, same order as V2. */
const V1: readonly Pattern[] = [
  { literal: "SetSlot(", regex: re(String.raw`SetSlot\(['"]?([a-zA-Z_][a-zA-Z0-9_-]*)['"]?, ?['"]?(.*)['"]?\)`), build: setSlot },
  { literal: "StartFlow(", regex: re(String.raw`StartFlow\(['"]?([a-zA-Z0-9_-]+)['"]?\)`), build: startFlow },
  { literal: "CancelFlow()", regex: re(String.raw`CancelFlow\(\)`), build: simple({ command: "cancel flow" }) },
  { literal: "ChitChat()", regex: re(String.raw`ChitChat\(\)`), build: simple({ command: "chitchat" }) },
  { literal: "SkipQuestion()", regex: re(String.raw`SkipQuestion\(\)`), build: simple({ command: "skip question" }) },
  { literal: "SearchAndReply()", regex: re(String.raw`SearchAndReply\(\)`), build: simple({ command: "knowledge" }) },
  { literal: "HumanHandoff()", regex: re(String.raw`HumanHandoff\(\)`), build: simple({ command: "human handoff" }) },
  { literal: "Clarify(", regex: re(String.raw`Clarify\((["'a-zA-Z0-9_, ]*)\)`), build: clarify },
  { literal: "RepeatLastBotMessages()", regex: re(String.raw`RepeatLastBotMessages\(\)`), build: simple({ command: "repeat" }) },
  { literal: "CannotHandle()", regex: re(String.raw`CannotHandle\(\)`), build: simple({ command: "cannot handle", reason: CANNOT_HANDLE_DEFAULT }) },
  { literal: "ChangeFlow()", regex: re(String.raw`ChangeFlow\(\)`), build: simple({ command: "change flow" }) },
];

// ---------------------------------------------------------------------------------------------
// Value helpers (`commands/utils.py`).

/** `clean_extracted_value`: strip any run of `'`, `"` and spaces at both ends. */
function cleanExtractedValue(value: string): string {
  return value.replace(/^['" ]+|['" ]+$/g, "");
}

const NONE_VALUES: ReadonlySet<string> = new Set(["[missing information]", "[missing]", "None", "undefined", "null"]);

/** `get_nullable_slot_value`: empty and the none-like spellings (case-sensitive) become null. */
function nullableSlotValue(value: string): string | null {
  return value === "" || NONE_VALUES.has(value) ? null : value;
}

/** `extract_cleaned_options`: split on commas/spaces, strip quotes, sort (code-point order, like Python). */
function cleanedOptions(text: string): string[] {
  return text
    .replace(/[, ]/g, " ")
    .split(" ")
    .filter((option) => option !== "")
    .map((option) => option.replace(/^"+|"+$/g, "").replace(/^'+|'+$/g, ""))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Python's `str.splitlines()` boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/u;

// ---------------------------------------------------------------------------------------------
// Validation against the available flows (`command_parser.py` additional parsing logic).

/**
 * `start_flow_by_name`: a StartFlow only for an available user flow. Ids starting with
 * `pattern_` are never user flows in Rasa (`user_flow_ids` excludes patterns), so they are
 * rejected even if a caller put one into `availableFlows`.
 */
function startFlowByName(flow: string | null, context: ParseContext): Command | undefined {
  if (flow === null || flow.startsWith("pattern_") || !context.availableFlows.has(flow)) return undefined;
  return { command: "start flow", flow };
}

function validate(raw: Raw, context: ParseContext): Command | undefined {
  switch (raw.kind) {
    case "simple":
      return raw.command;
    case "start flow":
      return startFlowByName(raw.flow, context);
    case "set slot":
      // The LLM sometimes "starts" a flow by setting the `flow_name` slot: Rasa turns that into
      // a StartFlow (validated like one). A SetSlot for a slot that is not in the domain is
      // still produced here: dropping it is the command processor's job (§a.3, §a.6), exactly
      // as in Rasa, where the parser does not look at the domain.
      if (raw.name === "flow_name") return startFlowByName(raw.value, context);
      return { command: "set slot", name: raw.name, value: raw.value, extractor: "LLM" };
    case "clarify": {
      // `_parse_clarify_command`: no options → dropped (`clarify_options_optional` is off);
      // options filtered to available user flows, keeping the sorted order and duplicates;
      // one distinct valid option → StartFlow; several → Clarify with the valid options as
      // Rasa builds it (duplicates are kept, as `valid_options` is not deduplicated);
      // none → dropped.
      const valid = raw.options.filter((option) => startFlowByName(option, context) !== undefined);
      const distinct = new Set(valid);
      const [first] = valid;
      if (distinct.size === 1 && first !== undefined) return { command: "start flow", flow: first };
      if (valid.length > 1) return { command: "clarify", options: valid };
      return undefined;
    }
  }
}

/** Every pattern that matches the line, in parser order (a v1 line can match several). */
function matchLine(line: string, patterns: readonly Pattern[]): Raw[] {
  const raws: Raw[] = [];
  for (const pattern of patterns) {
    if (!line.includes(pattern.literal)) continue;
    const match = pattern.regex.exec(line);
    if (match !== null) raws.push(pattern.build(match));
  }
  return raws;
}

// ---------------------------------------------------------------------------------------------
// Public API.

/**
 * Parses the `commands:` lines of one user message into commands, like Rasa's LLM output
 * parser followed by the generator's "nothing parsed" fallback, plus the corpus extensions.
 *
 * * `[]` → `[]` (the command processor receives an empty list).
 * * Each element is split into lines (Python `splitlines`) and each line trimmed.
 * * A line that is exactly `<error>` → ErrorCommand (`rasa_internal_error_default`), what Rasa
 *   emits when the LLM call fails; `<error TYPE>` → ErrorCommand of that error type (what
 *   Rasa's command generators emit for an empty message, `rasa_internal_error_user_input_empty`).
 * * A line starting with `/SetSlots(` → the command payload reader ({@link parsePayload}); as
 *   in Rasa (which passes the domain), if any slot of the payload is not in `context.slots`
 *   the whole payload yields nothing, and so does a payload with more than 10 `=`.
 * * Other lines are DSL. DSL version: v2 (`CompactLLMCommandGenerator`, 3.12 default) is used
 *   when at least one DSL line *matches* a v2 regex (even if the resulting command is then
 *   dropped, e.g. `start flow` of an unavailable flow: the output is recognisably v2). Only
 *   when no DSL line matches any v2 regex are the DSL lines parsed with the v1 syntax
 *   (`StartFlow(x)`...). Rasa itself fixes one syntax per generator; the fallback lets the
 *   corpus use either.
 * * Output order = line order; within a line, parser order.
 * * If no line yields a command — unparsable lines, and also lines that parsed but were
 *   dropped (unavailable flow, disambiguation without valid option, rejected payload) —
 *   the result is one CannotHandle (`cannot_handle_default`). This is Rasa's
 *   `if not commands and not prior_commands` check, which runs after the parser has already
 *   dropped invalid commands; payload / error commands count as commands.
 * * Last, with `context.startableFlows`, a StartFlow of a flow that is available (on the
 *   stack) but not startable is removed (the command generator's double check of guarded
 *   flows), and with `context.fillableSlots` an LLM SetSlot whose slot mappings' conditions
 *   do not hold now; what remains may then be empty, with no CannotHandle.
 */
export function parseCommandLines(lines: readonly string[], context: ParseContext): Command[] {
  if (lines.length === 0) return [];

  type Entry =
    | { readonly kind: "fixed"; readonly commands: readonly Command[] }
    | { readonly kind: "dsl"; readonly line: string; readonly v2: readonly Raw[] };
  const entries: Entry[] = [];
  for (const element of lines) {
    for (const rawLine of element.split(LINE_BREAK)) {
      const line = pythonStrip(rawLine);
      if (line === "") continue;
      const error = line.charCodeAt(0) === 60 /* < */ ? errorLine(line) : undefined;
      if (error !== undefined) {
        entries.push({ kind: "fixed", commands: [error] });
      } else if (line.startsWith(PAYLOAD_PREFIX)) {
        const payload = parsePayload(line) ?? [];
        const known = payload.every((command) => command.command === "set slot" && context.slots.has(command.name));
        entries.push({ kind: "fixed", commands: known ? payload : [] });
      } else {
        entries.push({ kind: "dsl", line, v2: matchLine(line, V2) });
      }
    }
  }

  // Each DSL line is matched against the v2 regexes once: the matches decide the version and, for v2, are the commands.
  const isV2 = entries.some((entry) => entry.kind === "dsl" && entry.v2.length > 0);

  const commands: Command[] = [];
  for (const entry of entries) {
    if (entry.kind === "fixed") {
      commands.push(...entry.commands);
      continue;
    }
    for (const raw of isV2 ? entry.v2 : matchLine(entry.line, V1)) {
      const command = validate(raw, context);
      if (command !== undefined) commands.push(command);
    }
  }
  if (commands.length === 0) return [{ command: "cannot handle", reason: CANNOT_HANDLE_DEFAULT }];
  return commands.some((c) => removedByGenerator(c, context)) ? commands.filter((c) => !removedByGenerator(c, context)) : commands;
}

/**
 * The command generator's checks after the parse (and after the CannotHandle for "nothing
 * parsed"), which may leave no command at all: `_check_commands_against_startable_flows`
 * removes a StartFlow for a flow that is not startable, and
 * `_check_commands_against_slot_mappings` an LLM SetSlot for a domain slot that none of its
 * mappings may fill now (slots outside the domain and button payloads are left to the command
 * processor).
 */
function removedByGenerator(command: Command, context: ParseContext): boolean {
  if (command.command === "start flow") return context.startableFlows !== undefined && !context.startableFlows.has(command.flow);
  if (command.command === "set slot" && command.extractor === "LLM") return context.fillableSlots !== undefined && context.slots.has(command.name) && !context.fillableSlots.has(command.name);
  return false;
}

/**
 * Whether a line of text is written in the command language rather than in words: `<error>`
 * (or `<error TYPE>`), a `/SetSlots(...)` payload, or a line that some v2 or v1 command regex matches (what
 * {@link parseCommandLines} would read as a command, before checking flows and slots).
 */
export function isCommandLine(text: string): boolean {
  const line = pythonStrip(text);
  if (errorLine(line) !== undefined || line.startsWith(PAYLOAD_PREFIX)) return true;
  return matchLine(line, V2).length > 0 || matchLine(line, V1).length > 0;
}

/** `SET_SLOTS_PATTERN` of the payload reader, applied with `findall` to the whole text. */
const PAYLOAD_PAIR = /([^(),=]+)=([^(),]+)/gu;

/**
 * A `/SetSlots(name=value, …)` button payload as Rasa's `CommandPayloadReader` reads it:
 * `undefined` when the (trimmed) text does not start with `/SetSlots(`; otherwise one SetSlot
 * (extractor `COMMAND_PAYLOAD_READER`) per `name=value` pair, in order.
 * * More than 10 `=` characters in the text → `[]` (Rasa's ReDoS guard ignores the payload; the
 *   message then goes on to the LLM, which in the corpus means "this line yields nothing").
 * * Names and values are trimmed of whitespace only: quotes are NOT stripped (Rasa does not),
 *   so `name="Ann"` sets `"Ann"` with its quotes.
 * * `none`, `null`, `undefined` in any case → null. Everything else stays the literal string
 *   (`True`, `50`): coercion by slot type happens when the slot is set (§a.6).
 * * No domain check here; {@link parseCommandLines} drops the whole payload when a slot is
 *   unknown, as the reader does when given the domain.
 */
export function parsePayload(text: string): Command[] | undefined {
  const trimmed = pythonStrip(text);
  if (!trimmed.startsWith(PAYLOAD_PREFIX)) return undefined;
  if ((trimmed.match(/=/g) ?? []).length > MAX_PAYLOAD_SLOTS) return [];
  return payloadPairs(trimmed).map(({ name, value }) => {
    const isNone = ["none", "null", "undefined"].includes(value.toLowerCase());
    return { command: "set slot", name, value: isNone ? null : value, extractor: "COMMAND_PAYLOAD_READER" };
  });
}

/**
 * Every `name=value` pair the payload reader finds in `text` (its `findall`), both sides trimmed
 * of whitespace, with where the trimmed value is in `text` (its first character's index and the
 * index after its last), for a diagnostic that points at the value.
 */
export function payloadPairs(text: string): { readonly name: string; readonly value: string; readonly start: number; readonly end: number }[] {
  return [...text.matchAll(PAYLOAD_PAIR)].map((match) => {
    const written = match[2] ?? "";
    const value = pythonStrip(written);
    // The trimmed value starts after the white space the strip removed, which cannot start it.
    const start = match.index + (match[1] ?? "").length + 1 + (value === "" ? 0 : written.indexOf(value));
    return { name: pythonStrip(match[1] ?? ""), value, start, end: start + value.length };
  });
}

/**
 * A SetSlot's extractor as Rasa writes it where it keeps it (`SetSlotExtractor.<name>.value`, as
 * in a correction frame's `filled_by`): the button payload reader's is `CommandPayloadReader`.
 */
export function extractorValue(extractor: string): string {
  return extractor === "COMMAND_PAYLOAD_READER" ? "CommandPayloadReader" : extractor;
}

/**
 * The JSON form of a command as Rasa stores it in `parse_data["commands"]` (`Command.as_dict`:
 * the dataclass fields plus `command`), used in traces. `command` comes first here.
 * ChangeFlow's JSON name is `change_flow` in Rasa (not `change flow`); ErrorCommand carries
 * `error_type` and its `info` (empty but for the too-long input error); SetSlot carries its
 * `extractor`.
 */
export function describeCommand(command: Command): { command: string; [field: string]: unknown } {
  switch (command.command) {
    case "start flow":
      return { command: command.command, flow: command.flow };
    case "set slot":
      return { command: command.command, name: command.name, value: command.value, extractor: command.extractor };
    case "clarify":
      return { command: command.command, options: [...command.options] };
    case "cannot handle":
      return { command: command.command, reason: command.reason };
    case "error":
      return { command: command.command, error_type: command.errorType, info: { ...command.info } };
    case "change flow":
      return { command: "change_flow" };
    case "cancel flow":
    case "chitchat":
    case "knowledge":
    case "human handoff":
    case "skip question":
    case "repeat":
      return { command: command.command };
  }
}

/** Whether a SetSlot names an extractor flowc knows. */
function isExtractor(value: unknown): boolean {
  return value === "LLM" || value === "NLU" || value === "COMMAND_PAYLOAD_READER";
}

/** What a command without text field `name` lacks. */
function noText(name: string): string {
  return `has no text \`${name}\``;
}

/**
 * What is wrong with `command` as a {@link Command} an application hands to `handle` (built by
 * hand, or read from JSON, rather than by `parseCommands`), or undefined when nothing is: a
 * missing or mistyped field would otherwise be skipped silently or fail deep in the turn.
 */
function commandProblem(command: unknown): string | undefined {
  if (typeof command !== "object" || command === null) return "is not an object";
  const fields = command as Readonly<Record<string, unknown>>;
  switch (fields["command"]) {
    case "start flow":
      return typeof fields["flow"] === "string" ? undefined : noText("flow");
    case "set slot":
      if (typeof fields["name"] !== "string") return noText("name");
      return isExtractor(fields["extractor"]) ? undefined : "has no `extractor` (LLM, NLU or COMMAND_PAYLOAD_READER)";
    case "clarify":
      return Array.isArray(fields["options"]) && fields["options"].every((option) => typeof option === "string") ? undefined : "has no list of texts `options`";
    case "cannot handle":
      return typeof fields["reason"] === "string" ? undefined : noText("reason");
    case "error":
      return typeof fields["errorType"] === "string" ? undefined : noText("errorType");
    case "cancel flow":
    case "chitchat":
    case "knowledge":
    case "human handoff":
    case "skip question":
    case "repeat":
    case "change flow":
      return undefined;
    default:
      return `names no command flowc knows (\`command\`: ${JSON.stringify(fields["command"]) ?? "missing"})`;
  }
}

/** Throws a TypeError naming the first of `commands` that is not a {@link Command}. */
export function checkCommands(commands: unknown): asserts commands is readonly Command[] {
  if (!Array.isArray(commands)) throw new TypeError("handle: the commands must be a list (parseCommands makes one from command lines)");
  for (let i = 0; i < commands.length; i++) {
    const problem = commandProblem(commands[i]);
    if (problem !== undefined) throw new TypeError(`handle: commands[${i}] ${problem}: ${JSON.stringify(commands[i]) ?? String(commands[i])}`);
  }
}
