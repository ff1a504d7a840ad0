/**
 * A deterministic command generator: what stands in for Rasa's LLM command generator when
 * there is no LLM (`flowc chat`, `flowc test` steps without `commands`). It reads the user's
 * message against the conversation state and the assistant's catalogue (flow names,
 * descriptions, the slots they collect, slot types and allowed values) — what an LLM's prompt
 * shows — and writes command DSL lines, which then go through the same parser as an LLM's
 * output (`parseCommands`), so unavailable flows and unknown slots are dropped the same way.
 *
 * The rules, first match wins:
 * 1. A line in the command language (`start flow x`, `set slot a b`, `/SetSlots(a=b)`,
 *    `<error>`, v1 `StartFlow(x)`, ...) is used as it is.
 * 2. "cancel", "stop", "forget it", "never mind" (alone or with "that", "it", "the transfer",
 *    ...) cancel the current flow.
 * 3. "repeat", "say that again" repeat the last messages; "human", "agent", "real person"
 *    ask for a human.
 * 4. A correction: a new value for a slot the active flow already filled — the slot named in
 *    the message ("change the amount to 60") or the one filled slot whose type fits the value
 *    ("actually make it 60" → the flow's one filled number slot) — when the message has a cue
 *    ("actually", "instead", "I meant", "change", "make it", "sorry", "wait", "no, 40", ...)
 *    or does not answer the typed question pending ("60" while a yes/no question waits).
 * 5. An answer to the pending question, coerced to the asked slot's type: numbers ("50",
 *    "$1,250.50", "fifty five", "minus 5"), yes/no ("yes", "sure", "nope", ...), categorical
 *    values matched loosely (case, a value named among other words, a prefix). With a cue but
 *    no correction found, the message is still the answer ("sorry, 50").
 * 6. Words matching a startable flow's name, id or description start it (stemmed, with a
 *    few everyday synonyms: "pay" is "send"): the best score
 *    (name and id words count double, the whole name as a phrase more) wins, a tie asks the
 *    user to choose (`disambiguate flows a b`). The flow's slots that the message also fills
 *    are set with it ("send 50 to John": the flow's one number slot, a name after "to",
 *    "for", "pay", ... for a text slot about a name or person, a categorical value named).
 *    While a question is pending, a flow needs one of its name words in the message (after
 *    an answer that does not fit a typed question, or a message phrased as a question or
 *    request: "what is...", "I want...", "...?"), or else its whole name or two of its name
 *    words (while a text question is pending), so that an answer is not taken for a request.
 * 7. Any other message while a question is pending is its answer as typed: text slots take
 *    it, typed slots get it raw and the collect step's type check rejects it with its
 *    "please answer with a number" message.
 * 8. Anything else: `cannot handle`.
 *
 * Before any rule, as every Rasa command generator does before it asks its LLM: an empty or
 * blank message (Python's strip) is `<error rasa_internal_error_user_input_empty>`, which
 * `pattern_internal_error` answers with `utter_user_input_empty_error_rasa` (spec §d.2).
 * After rule 1 (a payload is read before any LLM is asked, so its length does not count), a
 * message of more than 420 characters (Python's `len`: code points), Rasa's default
 * `user_input.max_characters`, is `<error rasa_internal_error_user_input_too_long>`, answered
 * with `utter_user_input_too_long_error_rasa`.
 *
 * Pure functions over plain data, like the rest of the runtime.
 */
import { INTERNAL_ERROR_USER_INPUT_EMPTY, INTERNAL_ERROR_USER_INPUT_TOO_LONG, isCommandLine, MAX_USER_INPUT_CHARACTERS } from "./commands.ts";
import { startableFlows } from "./guards.ts";
import type { CompiledAssistant, FlowCatalogueEntry, SlotDefinition, SlotType } from "./model.ts";
import { pythonStrip } from "./python-strip.ts";
import { ownValue } from "./records.ts";
import { askedSlot, top, topUserFlowFrame } from "./stack.ts";
import type { ConversationState } from "./state.ts";

/** The command lines for one user message (rule order in the module comment). */
export function generateCommandLines(assistant: CompiledAssistant, state: ConversationState, message: string): string[] {
  const text = pythonStrip(message);
  if (text === "") return [`<error ${INTERNAL_ERROR_USER_INPUT_EMPTY}>`];
  if (isCommandLine(text)) return [text];
  if (codePoints(text) > MAX_USER_INPUT_CHARACTERS) return [`<error ${INTERNAL_ERROR_USER_INPUT_TOO_LONG}>`];
  const words = normalize(text);
  if (CANCEL.test(words)) return ["cancel flow"];
  if (REPEAT.test(words)) return ["repeat message"];
  if (HANDOFF.test(words)) return ["hand over"];

  const pending = pendingSlot(assistant, state);
  const typed = pending !== undefined && pending.type !== "text" && pending.type !== "any" ? pending : undefined;
  const cue = CORRECTION_CUE.test(words);
  // without a cue, only a message that does not answer the typed question is a correction
  const answer = typed ? coerceAnswer(typed, text) : undefined;
  if (typed && answer !== undefined && !cue) return [setSlot(typed.name, answer)];
  if (cue || typed) {
    const correction = correctionOf(assistant, state, text, pending?.name);
    if (correction) return [setSlot(correction.slot, correction.value)];
  }
  if (typed && answer !== undefined) return [setSlot(typed.name, answer)];
  // A pending typed question's answer did not fit, so one of a flow's name words is enough to
  // start it, as it is for a question or request while a free-text question waits; other
  // free text needs the flow's name or two of its words.
  const flows = matchFlows(assistant, state, text, pending === undefined ? 0 : typed || REQUEST.test(words) || text.endsWith("?") ? 1 : 2);
  if (flows.length === 1) return [`start flow ${flows[0]!.id}`, ...slotsMentioned(assistant, flows[0]!, text).map(([slot, value]) => setSlot(slot, value))];
  if (flows.length > 1) return [`disambiguate flows ${flows.map((flow) => flow.id).join(" ")}`];
  if (pending) return [setSlot(pending.name, text)];
  return ["cannot handle"];
}

// ---------------------------------------------------------------------------------------------
// the conversation

/** The slot the assistant is asking for now: a collect step's, or a slot validation's refill. */
export function pendingSlot(assistant: CompiledAssistant, state: Pick<ConversationState, "stack">): SlotDefinition | undefined {
  const frame = top(state.stack);
  const name = askedSlot(frame);
  return typeof name === "string" ? ownValue(assistant.slots, name) : undefined;
}

function activeFlow(assistant: CompiledAssistant, state: ConversationState): FlowCatalogueEntry | undefined {
  const frame = topUserFlowFrame(state.stack);
  return frame === undefined ? undefined : assistant.catalogue.find((entry) => entry.id === frame.flow_id);
}

function setSlot(slot: string, value: string): string {
  return `set slot ${slot} ${value}`;
}

// ---------------------------------------------------------------------------------------------
// words

/** Lower case, apostrophes dropped, every run of other characters than letters and digits one space. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const CANCEL =
  /^(?:(?:no|oh|ok|okay|please|just|actually|hmm)\s+)*(?:cancel|stop|abort|quit|forget (?:it|that|about it)|never ?mind|i changed my mind|i dont want (?:it|this|that|to do (?:it|this|that))(?: any ?more)?)(?:\s+(?:it|that|this|everything|all|please|now|the \p{L}+|my \p{L}+))*$/u;
const REPEAT = /^(?:please\s+)?(?:repeat(?: that| please| it)?|say (?:that|it) again|come again|what did you say)$/u;
/** How questions and requests begin: rarely how someone answers a free-text question. */
const REQUEST = /^(?:what|where|when|why|how|can|could|would|will|is|are|do|does|i want|i would like|id like|i need|please)\b/u;
const HANDOFF = /\b(?:human|real person|agent|operator|speak to someone|talk to someone)\b/u;

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the i im id ive me my mine you your yours we our us it its is are was were be been am do does did to of in on at for from by with " +
    "and or but if so than then that this these those there here what which who whom whose how when where why can could would should will " +
    "shall may might must want wanted like need needs please help some any all just also too very really about into out up down over " +
    "again now today get got make let lets go going know tell give show hi hello hey thanks thank ok okay yes no not user users their them " +
    "they he she his her one much many more most other another after before as"
  ).split(" "),
);

/** A crude stem, enough for "sending" ~ "send", "cards" ~ "card", "ordered" ~ "order". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Everyday words for what flow names and descriptions usually say. */
const SYNONYMS: Readonly<Record<string, string>> = {
  pay: "send",
  wire: "send",
  remit: "send",
  purchase: "buy",
  cash: "money",
  fund: "money",
};

/** The stemmed content words of a text, everyday synonyms mapped to one word. */
function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const word of normalize(text.replace(/_/g, " ")).split(" ")) {
    if (word.length > 1 && !STOP_WORDS.has(word) && !/^\p{N}+$/u.test(word)) {
      const stemmed = stem(word);
      words.add(SYNONYMS[stemmed] ?? stemmed);
    }
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// values

const YES: ReadonlySet<string> = new Set(["yes", "y", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "true", "correct", "right", "absolutely", "definitely", "certainly", "affirmative", "please", "confirm", "confirmed", "agreed", "fine"]);
const NO: ReadonlySet<string> = new Set(["no", "n", "nope", "nah", "false", "never", "negative", "dont", "not", "wrong"]);
const YES_PHRASES = /^(?:of course|go ahead|do it|sounds good|thats right|why not|i do|yes please)\b/u;
const NO_PHRASES = /^(?:no thanks|not really|i dont|do not|rather not)\b/u;

/** yes/no in words, or undefined. */
export function parseYesNo(text: string): boolean | undefined {
  const words = normalize(text);
  if (NO_PHRASES.test(words)) return false;
  if (YES_PHRASES.test(words)) return true;
  const first = words.split(" ")[0] ?? "";
  if (YES.has(first)) return true;
  if (NO.has(first)) return false;
  return undefined;
}

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000, million: 1_000_000 };

/**
 * The first number in a text: digits with an optional sign, currency sign, thousands commas
 * and decimals (`$1,250.50`, `-5`, `50,5`), or — with `words` — English number words
 * (`fifty five`, `one hundred and twenty`, `minus five`). Undefined when there is none.
 * Words are only read in a direct answer to a number question: elsewhere "the other one" or
 * "no one" would be numbers.
 */
export function parseNumber(text: string, words = true): number | undefined {
  const digits = /(?<![\p{L}\p{N}.,])([-−]|\bminus\s+|\bnegative\s+)?[$€£]?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:[.,](\d+))?(?![\p{N}])/iu.exec(text);
  const spelled = words ? numberFromWords(text) : undefined;
  if (digits && (spelled === undefined || digits.index <= spelled.index)) {
    const whole = (digits[2] ?? "").replace(/,/g, "");
    const value = Number(digits[3] === undefined ? whole : `${whole}.${digits[3]}`);
    return digits[1] === undefined ? value : -value;
  }
  return spelled?.value;
}

function numberFromWords(text: string): { value: number; index: number } | undefined {
  const tokens = [...text.toLowerCase().matchAll(/[\p{L}]+/gu)];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]![0];
    if (!(word in UNITS) && !(word === "a" && tokens[i + 1]?.[0] !== undefined && tokens[i + 1]![0] in SCALES)) continue;
    const negative = i > 0 && (tokens[i - 1]![0] === "minus" || tokens[i - 1]![0] === "negative");
    let total = 0;
    let current = 0;
    for (let j = i; j < tokens.length; j++) {
      const token = tokens[j]![0];
      if (token === "a" && j === i) current = 1;
      else if (token in UNITS) current += UNITS[token]!;
      else if (token === "hundred") current = (current || 1) * 100;
      else if (token in SCALES) {
        total += (current || 1) * SCALES[token]!;
        current = 0;
      } else if (token !== "and" || !(tokens[j + 1]?.[0] !== undefined && tokens[j + 1]![0] in UNITS)) break;
    }
    const value = total + current;
    const start = negative ? tokens[i - 1]!.index : tokens[i]!.index;
    return { value: negative ? -value : value, index: start };
  }
  return undefined;
}

/** The one allowed value of a categorical slot that the text names, matched loosely. */
export function matchCategorical(values: readonly string[], text: string): string | undefined {
  const folded = text.trim().toLowerCase();
  const exact = values.filter((value) => value.toLowerCase() === folded);
  if (exact.length === 1) return exact[0];
  const named = valuesNamed(values, text);
  if (named.length === 1) return named[0];
  if (folded.length >= 2) {
    const prefixed = values.filter((value) => value.toLowerCase().startsWith(folded));
    if (prefixed.length === 1) return prefixed[0];
  }
  if (folded.length >= 3) {
    const contained = values.filter((value) => value.toLowerCase().includes(folded));
    if (contained.length === 1) return contained[0];
  }
  return undefined;
}

/**
 * The values a text names as whole words, in any case ("the Credit card" names `credit`, and
 * `new york` is named as a phrase); a one-letter value (`S`, `M`) only in its own case, so
 * that "I'm" does not name `M`.
 */
function valuesNamed(values: readonly string[], text: string): string[] {
  const phrase = ` ${normalize(text)} `;
  return values.filter((value) =>
    value.length > 1
      ? normalize(value) !== "" && phrase.includes(` ${normalize(value)} `)
      : new RegExp(`(?<![\\p{L}\\p{N}'’])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}'’])`, "u").test(text),
  );
}

/** The answer in the slot's type as a DSL value, or undefined when the text is not one. */
function coerceAnswer(slot: { readonly type: SlotType; readonly values?: readonly string[] | undefined }, text: string): string | undefined {
  switch (slot.type) {
    case "float": {
      const number = parseNumber(text);
      return number === undefined ? undefined : String(number);
    }
    case "bool": {
      const bool = parseYesNo(text);
      return bool === undefined ? undefined : String(bool);
    }
    case "categorical":
      return matchCategorical(slot.values ?? [], text);
    default:
      return text;
  }
}

/** A text slot that holds someone's name, going by its name or description. */
function isNameSlot(slot: { readonly name: string; readonly type: SlotType; readonly description?: string | undefined }): boolean {
  if (slot.type !== "text") return false;
  return /(?:^|_)(?:name|recipient|person|payee)$/.test(slot.name) || /\b(?:name|person)\b/i.test(slot.description ?? "");
}

/**
 * Capitalised words after "to", "for" or a verb of giving: "send 50 to John Smith" →
 * "John Smith", "pay Mary 30" → "Mary".
 */
function nameAfterPreposition(text: string): string | undefined {
  const match = /\b(?:[Tt]o|[Ff]or|[Pp]ay|[Ss]end|[Gg]ive|[Tt]ransfer)\s+((?:\p{Lu}[\p{L}'’-]*)(?:\s+\p{Lu}[\p{L}'’-]*)*)/u.exec(text);
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------
// corrections

/** Words that announce a correction; a "no" followed by more ("no, 40") counts too. */
const CORRECTION_CUE = /\b(?:actually|instead|meant|mean|change|changed|make it|correction|rather|sorry|oops|wait|should be|update)\b|^(?:no|nope|nah) \S/u;

/**
 * Rule 4: a new value for a slot the active flow already filled (not the one being asked for,
 * which an answer fills anyway).
 */
function correctionOf(assistant: CompiledAssistant, state: ConversationState, text: string, pending: string | undefined): { slot: string; value: string } | undefined {
  const flow = activeFlow(assistant, state);
  if (!flow) return undefined;
  const filled = flow.slots.filter((slot) => slot.name !== pending && state.slots[slot.name] !== null && state.slots[slot.name] !== undefined);
  const words = contentWords(text);
  // the slots the message names; "the recipient" names `recipient` rather than `recipient_iban`
  const overlapping = filled.filter((slot) => [...contentWords(slot.name)].some((word) => words.has(word)));
  const fully = overlapping.filter((slot) => [...contentWords(slot.name)].every((word) => words.has(word)));
  const named = fully.length > 0 ? fully : overlapping;
  const candidates: { slot: string; value: string }[] = [];
  for (const slot of named.length > 0 ? named : filled) {
    const value = valueFromMessage(slot, text, named.length > 0);
    if (value !== undefined && String(state.slots[slot.name]) !== value) candidates.push({ slot: slot.name, value });
  }
  // a value that fits several filled slots corrects none of them
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A value for a slot found inside a longer message, or undefined. */
function valueFromMessage(slot: FlowCatalogueEntry["slots"][number], text: string, slotNamed: boolean): string | undefined {
  switch (slot.type) {
    case "float": {
      const number = parseNumber(text, false);
      return number === undefined ? undefined : String(number);
    }
    case "categorical":
      return matchCategorical(slot.allowedValues ?? [], text);
    case "text":
      if (isNameSlot(slot)) return nameAfterPreposition(text);
      if (slotNamed) return /\b(?:to|is|be)\s+(.+?)[.!]?$/u.exec(text)?.[1];
      return undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// starting flows

/**
 * Rule 6: the startable user flows whose words the message shares, best score first; one
 * flow, or several tied for the best score.
 */
function matchFlows(assistant: CompiledAssistant, state: ConversationState, text: string, nameWordsNeeded: number): FlowCatalogueEntry[] {
  // what Rasa's prompt lists: the retrieved flows that are startable now (`filter_flows`), so
  // not a flow further down the stack whose guard has become false
  const available = startableFlows(assistant, state);
  const words = contentWords(text);
  const phrase = ` ${normalize(text)} `;
  let best = 0;
  let matches: FlowCatalogueEntry[] = [];
  for (const { flow, nameWords, descriptionWords, names } of flowWords(assistant.catalogue)) {
    if (!available.has(flow.id)) continue;
    const namedAsPhrase = names.some((name) => phrase.includes(name));
    let nameHits = 0;
    let score = namedAsPhrase ? 5 : 0;
    for (const word of words) {
      if (nameWords.has(word)) {
        nameHits++;
        score += 2;
      } else if (descriptionWords.has(word)) score += 1;
    }
    if (!namedAsPhrase && nameHits < nameWordsNeeded) continue;
    if (score === 0) continue;
    if (score > best) {
      best = score;
      matches = [flow];
    } else if (score === best) matches.push(flow);
  }
  return matches;
}

interface FlowWords {
  readonly flow: FlowCatalogueEntry;
  readonly nameWords: ReadonlySet<string>;
  readonly descriptionWords: ReadonlySet<string>;
  /** The flow's name and its id with spaces, normalized and padded with spaces. */
  readonly names: readonly string[];
}

/** The words of each flow of a catalogue, worked out once per catalogue. */
const catalogueWords = new WeakMap<readonly FlowCatalogueEntry[], readonly FlowWords[]>();

function flowWords(catalogue: readonly FlowCatalogueEntry[]): readonly FlowWords[] {
  let entries = catalogueWords.get(catalogue);
  if (entries === undefined) {
    entries = catalogue.map((flow) => ({
      flow,
      nameWords: new Set([...contentWords(flow.name), ...contentWords(flow.id)]),
      descriptionWords: contentWords(flow.description),
      names: [flow.name, flow.id.replace(/_/g, " ")].map((name) => ` ${normalize(name)} `),
    }));
    catalogueWords.set(catalogue, entries);
  }
  return entries;
}

/** The flow's slots that a message starting it also fills ("send 50 to John"). */
function slotsMentioned(assistant: CompiledAssistant, flow: FlowCatalogueEntry, text: string): [string, string][] {
  const found: [string, string][] = [];
  const numberSlots = flow.slots.filter((slot) => slot.type === "float");
  const number = parseNumber(text, false);
  if (numberSlots.length === 1 && number !== undefined) found.push([numberSlots[0]!.name, String(number)]);
  const nameSlots = flow.slots.filter(isNameSlot);
  const name = nameAfterPreposition(text);
  if (nameSlots.length === 1 && name !== undefined) found.push([nameSlots[0]!.name, name]);
  for (const slot of flow.slots) {
    if (slot.type !== "categorical") continue;
    const named = valuesNamed(slot.allowedValues ?? assistant.slots[slot.name]?.values ?? [], text);
    if (named.length === 1) found.push([slot.name, named[0]!]);
  }
  return found;
}

/** The length of a text as Python's `len` counts it: code points, a surrogate pair as one. */
function codePoints(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;
