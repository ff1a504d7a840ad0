/**
 * A second pass over how responses are rendered and sent, each expectation derived from Rasa
 * Pro 3.12's code before flowc ran:
 * * rasa/core/nlg/interpolator.py `interpolate_format_template` (every `{x}` without a newline or
 *   brace rewritten to `{0[x]}`, `str.format` with the dict of the names found that have a
 *   value; a `KeyError` sends the text as written, a result holding `0[` is retried as
 *   `template.format({})`, any other error fails the action) and `interpolate` (strings, lists
 *   and dict values of `text`, `image`, `custom`, `buttons`; keys and non-strings untouched);
 *   worked through with CPython 3.11's `str.format` for the texts below;
 * * rasa/core/nlg/generator.py `ResponseVariationFilter` (list conditions: every entry must hold,
 *   two strings compare by `casefold()`, anything else by Python's `==`; the four groups; the
 *   internal-error stand-in) and rasa/core/nlg/response.py (the variables: `context`, then the
 *   slots, then the action's kwargs; the engine from `metadata.template`);
 * * rasa/core/actions/action.py (`ActionBotResponse`: a response name without a response sends
 *   nothing; `RemoteAction._utter_responses`).
 */
import { describe, expect, it } from "vitest";
import type { CustomActionMap } from "../../runtime/assistant.ts";
import type { Message } from "../../runtime/events.ts";
import { deterministicOptions } from "../../compiler/e2e/run-test-cases.ts";
import { assistantFromYaml } from "../support/assistant.ts";

/** Texts whose `str.format` rendering under Rasa's rewrite was worked out with CPython 3.11 (null: the action fails, nothing is sent). */
const FORMAT_CASES: readonly (readonly [template: string, expected: string | null])[] = [
  // a format spec or a conversion is part of the key Rasa looks up: no value has it, KeyError
  ["Total {amount:.2f}", "Total {amount:.2f}"],
  ["Hi {name!r}", "Hi {name!r}"],
  ["Hi {name!s}", "Hi {name!s}"],
  // blanks inside the braces are part of the key too
  ["Hi { name }", "Hi { name }"],
  // an index or an attribute inside the name: a key no value has
  ["Hi {name[0]}", "Hi {name[0]}"],
  ["Hi {a.b}", "Hi {a.b}"],
  ["Hi {0[name]}", "Hi {0[name]}"],
  // a newline inside the braces: not rewritten, Python looks up a keyword argument: KeyError
  ["Hi {na\nme}", "Hi {na\nme}"],
  // three braces: a literal brace around the value
  ["Set {{{name}}}", "Set {Ann}"],
  // four: the inner `{name}` is rewritten, comes out as `{0[name]}`, and `format({})` undoubles the original
  ["Set {{{{name}}}}", "Set {{name}}"],
  ["{name}{name}", "AnnAnn"],
  ["{name} }}", "Ann }"],
  // a doubled placeholder next to a real one: `format({})` then fails on the real one, KeyError
  ["{name} and {{x}}", "{name} and {{x}}"],
  // str() of every kind of value
  // a custom action's whole number is a Python int in Rasa, float slot or not (JSON's `5` reads as one)
  ["Price {amount} {none}", "Price 5 None"],
  ["{flag} {count} {ratio}", "True 3 2.5"],
  ["{big} {small} {neg}", "10000000000000000 1.5e-07 0"],
  ["Items {items}", "Items ['a', \"O'Brien\"]"],
  ["Data {d}", "Data {'k': 1, 'n': None}"],
  // a value holding `0[`: `format({})` fails on `{weird}`, KeyError
  ["Hi {weird}", "Hi {weird}"],
  // a `0[` in the rendering, from the literal text or where a value ending in 0 meets a `[`: `format({})`, KeyError
  ["Code 0[1] for {name}", "Code 0[1] for {name}"],
  ["{zero}{bracketed}", "{zero}{bracketed}"],
  ["{zero}[{name}]", "{zero}[{name}]"],
  ["[{zero}]", "[0]"],
  // a name with a dash is one key
  ["Hi {first-name}", "Hi Bo"],
  // the first error decides
  ["{nobody} }", "{nobody} }"],
  ["} {nobody}", null],
  ["Hi {name", null],
  ["Hi name}", null],
  ["{name}}", null],
  ["{{name}", null],
];

function domain(): string {
  const responses = FORMAT_CASES.flatMap(([template], i) => [
    // one plain variation (flowc's planned path) …
    `  utter_plain_${i}:\n    - text: ${JSON.stringify(template)}`,
    // … and the same text among variations to choose from (the general path)
    `  utter_general_${i}:\n    - text: ${JSON.stringify(template)}\n    - text: "never"\n      channel: nowhere`,
  ]);
  return `
slots:
  name: {type: text, mappings: [{type: controlled}]}
  none: {type: text, mappings: [{type: controlled}]}
  weird: {type: text, mappings: [{type: controlled}]}
  amount: {type: float, mappings: [{type: controlled}]}
  big: {type: float, mappings: [{type: controlled}]}
  small: {type: float, mappings: [{type: controlled}]}
  neg: {type: float, mappings: [{type: controlled}]}
  flag: {type: bool, mappings: [{type: controlled}]}
  items: {type: list, mappings: [{type: controlled}]}
  d: {type: any, mappings: [{type: controlled}]}
  count: {type: any, mappings: [{type: controlled}]}
  ratio: {type: any, mappings: [{type: controlled}]}
  zero: {type: text, mappings: [{type: controlled}]}
  bracketed: {type: text, mappings: [{type: controlled}]}
  first-name: {type: text, mappings: [{type: controlled}]}
responses:
${responses.join("\n")}
actions:
  - set_up
  - speak
`;
}

const FLOWS = `
flows:
  say:
    description: Says what the speak action asks for, once set_up has set the slots.
    steps:
      - action: set_up
      - action: speak
`;

const VALUES = { name: "Ann", amount: 5, big: 1e16, small: 1.5e-7, neg: -0, flag: true, items: ["a", "O'Brien"], d: { k: 1, n: null }, count: 3, ratio: 2.5, weird: "x0[y", zero: "0", bracketed: "[x]", "first-name": "Bo" };

const newBot = await assistantFromYaml(domain(), FLOWS);

/** The messages of `responses`, sent by a custom action after another one set `slots` (as Rasa renders an action's messages before its slots apply). */
async function say(responses: readonly string[], slots: Record<string, unknown>, make = newBot): Promise<readonly Message[]> {
  const bot = make();
  const state = bot.initialState();
  const actions: CustomActionMap = { set_up: () => ({ slots }), speak: () => ({ messages: responses.map((response) => ({ response })) }) };
  const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
  return turn.messages.filter((m) => m.response !== undefined && responses.includes(m.response));
}

describe("format templates: what Rasa's interpolator makes of every kind of placeholder and value", () => {
  FORMAT_CASES.forEach(([template, expected], i) => {
    it(`${JSON.stringify(template)} → ${expected === null ? "nothing sent" : JSON.stringify(expected)}`, async () => {
      for (const name of [`utter_plain_${i}`, `utter_general_${i}`]) {
        const sent = await say([name], VALUES);
        expect(sent.map((m) => m.text), name).toEqual(expected === null ? [] : [expected]);
      }
    });
  });
});


/** Jinja templates with the outputs Jinja 3.1 gives under Rasa's `Template(text).render(values)` (worked out with jinja2 3.1.6). */
const JINJA_CASES: readonly (readonly [template: string, expected: string])[] = [
  ["{{ none | default('d') }}", "None"],
  ["{{ missing | default('d') }}", "d"],
  ["{{ empty | default('d', true) }}", "d"],
  ["{{ none | default('d', true) }}", "d"],
  ["{{ items | join(', ') }}", "a, b"],
  ["{{ items | join }}", "ab"],
  ["{{ nums }}", "[1, 2.5]"],
  ["{{ d }}", "{'k': 'v', 'n': None}"],
  ["{{ d.k }}|{{ d['n'] }}|{{ d.missing }}", "v|None|"],
  ["{{ name | title }}", "Ann Lee"],
  ["{{ name | upper }}", "ANN LEE"],
  ["{{ items | length }} {{ d | length }} {{ name | count }}", "2 2 7"],
  ["{% if flag %}yes{% else %}no{% endif %}", "no"],
  ["{% if none is none %}N{% endif %}", "N"],
  ["{% if missing is undefined %}U{% endif %}", "U"],
  ["{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "k=v;n=None;"],
  ["{% for i in items %}{{ loop.index }}{{ i }}{% if not loop.last %},{% endif %}{% endfor %}", "1a,2b"],
  ["{{ 'a' in items }} {{ 'z' not in items }}", "True True"],
  ["{{ count > 2 and flag }}", "False"],
  ["{{ count == 3 }}", "True"],
  ["{{ [1, 'x', none] }}", "[1, 'x', None]"],
  ["{{ d.keys() }}", "dict_keys(['k', 'n'])"],
  ["{{ true }} {{ none }}", "True None"],
  ["{{ context.flow_id }}", "say"],
  ["{{ items[0] }}{{ items[5] }}", "a"],
  ["{{ count or 'z' }} {{ flag or 'z' }} {{ flag and 'z' }}", "3 z False"],
  ["  {%- if true %} trimmed {% endif -%}  ", " trimmed "],
  ["{# comment #}x", "x"],
  ["{{ name }}\n", "ann lee"],
];

const DOMAIN_2 = `
slots:
  name: {type: text, mappings: [{type: controlled}]}
  tier: {type: text, mappings: [{type: controlled}]}
  flag: {type: bool, mappings: [{type: controlled}]}
  count: {type: any, mappings: [{type: controlled}]}
  amount: {type: float, mappings: [{type: from_llm}]}
  items: {type: list, mappings: [{type: controlled}]}
  nums: {type: list, mappings: [{type: controlled}]}
  none: {type: text, mappings: [{type: controlled}]}
  empty: {type: text, mappings: [{type: controlled}]}
  d: {type: any, mappings: [{type: controlled}]}
responses:
  utter_both:
    - text: "both"
      condition:
        - {type: slot, name: tier, value: Gold}
        - {type: slot, name: flag, value: true}
    - text: "default"
  utter_second_string:
    - text: "both strings"
      condition:
        - {type: slot, name: flag, value: true}
        - {type: slot, name: tier, value: Gold}
    - text: "default"
  utter_count_true:
    - text: "equal to True"
      condition: [{type: slot, name: count, value: true}]
    - text: "default"
  utter_count_one:
    - text: "equal to 1"
      condition: [{type: slot, name: count, value: 1}]
    - text: "default"
  utter_unset:
    - text: "unset"
      condition: [{type: slot, name: name, value: null}]
    - text: "default"
  utter_list:
    - text: "same list"
      condition: [{type: slot, name: items, value: [a, b]}]
    - text: "default"
  utter_amount:
    - text: "five"
      condition: [{type: slot, name: amount, value: 5}]
    - text: "default"
  utter_channels:
    - text: "conditional, no channel"
      condition: [{type: slot, name: flag, value: true}]
    - text: "slack"
      channel: slack
  utter_only_channels:
    - text: "slack"
      channel: slack
    - text: "web"
      channel: web
  utter_conditional_channel:
    - text: "conditional slack"
      channel: slack
      condition: [{type: slot, name: flag, value: true}]
    - text: "default slack"
      channel: slack
    - text: "default"
  utter_collector:
    - text: "any channel"
    - text: "e2e tests"
      channel: collector
  utter_image:
    - text: "Look, {name}"
      image: "https://example.com/{name}.png"
  utter_image_jinja:
    - text: "Look"
      image: "https://example.com/{{ name | lower }}.png"
      metadata: {template: jinja}
  utter_custom:
    - custom:
        "{name}": "key stays"
        blocks:
          - {type: section, text: "Hi {name}", n: 3}
          - ["{name}", 4, true, null, ["deep {name}"]]
        missing: "Hi {nobody}"
  utter_custom_fails:
    - text: "fine"
      custom:
        ok: "Hi {name}"
        bad: "Hi }"
  utter_button_values:
    - text: "Pick"
      buttons:
        - title: "Send {amount} to {name}"
          payload: '/SetSlots(name={name}, tier={amount})'
  utter_button_fails:
    - text: "Pick"
      buttons:
        - title: "fine"
          payload: "/SetSlots(name=a)"
        - title: "bad }"
          payload: "/SetSlots(name=b)"
  utter_ask_amount:
    - text: "How much?"
  utter_amount_jinja:
    - text: "{{ amount }} / {{ amount | default(0) }}"
      metadata: {template: jinja}
${JINJA_CASES.map(([template], i) => `  utter_jinja_case_${i}:\n    - text: ${JSON.stringify(template)}\n      metadata: {template: jinja}`).join("\n")}
  utter_jinja_values:
    - text: "{{ flag }} {{ none_at_all }}|{{ items }} {{ name }}"
      metadata: {template: jinja}
actions:
  - set_up
  - speak
`;

const FLOWS_2 = `${FLOWS}
  quote:
    description: Asks for an amount and says it back.
    steps:
      - collect: amount
      - action: utter_amount_jinja
`;

const newBot2 = await assistantFromYaml(DOMAIN_2, FLOWS_2);

async function say2(responses: readonly string[], slots: Record<string, unknown>, options: Parameters<typeof newBot2>[0] = {}): Promise<readonly Message[]> {
  return say(responses, slots, () => newBot2(options));
}

describe("variation choice: list conditions as Rasa's ResponseVariationFilter checks them", () => {
  it("needs every entry of the list to hold, whatever the order of string and non-string entries", async () => {
    expect((await say2(["utter_both"], { tier: "GOLD", flag: true })).map((m) => m.text)).toEqual(["both"]);
    expect((await say2(["utter_both"], { tier: "GOLD", flag: false })).map((m) => m.text)).toEqual(["default"]);
    expect((await say2(["utter_second_string"], { tier: "silver", flag: true })).map((m) => m.text)).toEqual(["default"]);
    expect((await say2(["utter_second_string"], { tier: "gold", flag: true })).map((m) => m.text)).toEqual(["both strings"]);
  });

  it("compares anything but two strings with Python's ==: 1 == True, 5.0 == 5, lists element by element without casefold, None == None", async () => {
    expect((await say2(["utter_count_true", "utter_count_one"], { count: 1 })).map((m) => m.text)).toEqual(["equal to True", "equal to 1"]);
    expect((await say2(["utter_count_true", "utter_count_one"], { count: true })).map((m) => m.text)).toEqual(["equal to True", "equal to 1"]);
    // a string is never equal to a number or a bool
    expect((await say2(["utter_count_true", "utter_count_one"], { count: "1" })).map((m) => m.text)).toEqual(["default", "default"]);
    expect((await say2(["utter_amount"], { amount: 5 })).map((m) => m.text)).toEqual(["five"]);
    expect((await say2(["utter_unset"], {})).map((m) => m.text)).toEqual(["unset"]);
    expect((await say2(["utter_unset"], { name: "Ann" })).map((m) => m.text)).toEqual(["default"]);
    expect((await say2(["utter_list"], { items: ["a", "b"] })).map((m) => m.text)).toEqual(["same list"]);
    expect((await say2(["utter_list"], { items: ["A", "b"] })).map((m) => m.text)).toEqual(["default"]);
  });
});

describe("variation choice: channels", () => {
  it("prefers an unconditional variation of the output channel over a conditional one without a channel", async () => {
    expect((await say2(["utter_channels"], { flag: true }, { channel: "slack" })).map((m) => m.text)).toEqual(["slack"]);
    expect((await say2(["utter_channels"], { flag: true })).map((m) => m.text)).toEqual(["conditional, no channel"]);
  });

  it("prefers a conditional variation of the channel, and falls back to the channel's unconditional ones, not to those without a channel", async () => {
    expect((await say2(["utter_conditional_channel"], { flag: true }, { channel: "slack" })).map((m) => m.text)).toEqual(["conditional slack"]);
    expect((await say2(["utter_conditional_channel"], { flag: false }, { channel: "slack" })).map((m) => m.text)).toEqual(["default slack"]);
    expect((await say2(["utter_conditional_channel"], { flag: true })).map((m) => m.text)).toEqual(["default"]);
  });

  it("sends the internal-error stand-in when every variation is for another channel", async () => {
    const bot = newBot2();
    const internalError = bot.compiled.responses["utter_internal_error_rasa"]!.variations[0]!.text;
    expect(await say2(["utter_only_channels"], {})).toEqual([{ response: "utter_only_channels", text: internalError }]);
    expect((await say2(["utter_only_channels"], {}, { channel: "web" })).map((m) => m.text)).toEqual(["web"]);
  });
});

describe("the output channel of e2e tests", () => {
  // rasa/e2e_test/e2e_test_runner.py sends each user step with a CollectingOutputChannel, whose
  // name() is "collector" (rasa/core/channels/channel.py): its variations come first.
  it("is Rasa's collector channel in flowc test's options", async () => {
    expect((await say2(["utter_collector"], {}, deterministicOptions())).map((m) => m.text)).toEqual(["e2e tests"]);
  });
});

describe("what is interpolated: image, custom, buttons", () => {
  it("fills the image's placeholders, with format or Jinja", async () => {
    expect(await say2(["utter_image", "utter_image_jinja"], { name: "Ann" })).toEqual([
      { response: "utter_image", text: "Look, Ann", image: "https://example.com/Ann.png" },
      { response: "utter_image_jinja", text: "Look", image: "https://example.com/ann.png", metadata: { template: "jinja" } },
    ]);
  });

  it("fills every string inside custom (dict values, list items, nested lists), never keys or other values, each string on its own", async () => {
    expect(await say2(["utter_custom"], { name: "Ann" })).toEqual([
      {
        response: "utter_custom",
        custom: { "{name}": "key stays", blocks: [{ type: "section", text: "Hi Ann", n: 3 }, ["Ann", 4, true, null, ["deep Ann"]]], missing: "Hi {nobody}" },
      },
    ]);
  });

  it("sends nothing when one string inside custom or a button fails to format (the action fails in Rasa)", async () => {
    expect(await say2(["utter_custom_fails", "utter_button_fails"], { name: "Ann" })).toEqual([]);
  });

  it("fills button titles and payloads from the slots and a custom action's values, a whole number as the Python int a custom action's JSON gives", async () => {
    expect(await say2(["utter_button_values"], { name: "Ann", amount: 20 })).toEqual([
      { response: "utter_button_values", text: "Pick", buttons: [{ title: "Send 20 to Ann", payload: "/SetSlots(name=Ann, tier=20)" }] },
    ]);
    const bot = newBot2();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({ slots: { name: "Ann" } }), speak: () => ({ messages: [{ response: "utter_button_values", values: { name: "Bo", amount: "ten" } }] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    expect(turn.messages[0]?.buttons).toEqual([{ title: "Send ten to Bo", payload: "/SetSlots(name=Bo, tier=ten)" }]);
  });
});

describe("Jinja values", () => {
  it("prints Python's str() of bools, lists and strings, and an undefined name as nothing", async () => {
    expect((await say2(["utter_jinja_values"], { flag: true, items: ["a", "b"], name: "Ann" })).map((m) => m.text)).toEqual(["True |['a', 'b'] Ann"]);
  });
});

describe("Jinja templates: values, filters, tests and blocks as Jinja renders them", () => {
  JINJA_CASES.forEach(([template, expected], i) => {
    it(`${JSON.stringify(template)} → ${JSON.stringify(expected)}`, async () => {
      const slots = { name: "ann lee", none: null, flag: false, items: ["a", "b"], nums: [1, 2.5], d: { k: "v", n: null }, count: 3, empty: "" };
      expect((await say2([`utter_jinja_case_${i}`], slots)).map((m) => m.text)).toEqual([expected]);
    });
  });
});

describe("Jinja and float slots", () => {
  // rasa/dialogue_understanding/commands/set_slot_command.py: SlotSet(name, slot.coerce_value(value)),
  // FloatSlot.coerce_value is float(), so the slot holds 50.0 and Jinja prints Python's str(): `50.0`.
  it("prints a float slot's value read by name as Python prints the float Rasa stored", async () => {
    const bot = newBot2();
    const state = bot.initialState();
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow quote", "set slot amount 50"]));
    expect(turn.messages.find((m) => m.response === "utter_amount_jinja")?.text?.split(" / ")[0]).toBe("50.0");
  });
});

describe("responses a custom action names that the domain lacks", () => {
  it("sends nothing for them, not even the text given with them (ActionBotResponse / _utter_responses skip a message whose response renders to None)", async () => {
    const bot = newBot2();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({}), speak: () => ({ messages: [{ response: "utter_nowhere" }, { response: "utter_nowhere_either", text: "given" }, { text: "plain" }] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    expect(turn.messages.filter((m) => m.response === undefined || m.response.startsWith("utter_nowhere"))).toEqual([{ text: "plain" }]);
  });

  it("sends a custom action's own text as given, without filling placeholders (no response, nothing is interpolated)", async () => {
    const bot = newBot2();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({ slots: { name: "Ann" } }), speak: () => ({ messages: [{ text: "Hi {name} }" }] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    expect(turn.messages[0]).toEqual({ text: "Hi {name} }" });
  });
});

describe("a custom action's message that names a response and gives fields of its own", () => {
  // rasa/core/actions/action.py RemoteAction._utter_responses (every CALM version in the index):
  // the response is rendered (nothing at all when it renders to None), then the action's `buttons`
  // are appended to the response's, and the action's truthy fields are merged with the rendered
  // message. Where both have a field, the versions differ (`draft.update(response)` lets the
  // action's win, `response.update(draft)` the response's), so only fields the response lacks are tested.
  async function sent(message: Record<string, unknown>): Promise<readonly Message[]> {
    const bot = newBot2();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({ slots: { name: "Ann" } }), speak: () => ({ messages: [message as never] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    return turn.messages.filter((m) => m.response === message["response"]);
  }

  it("appends the action's buttons, as given, after the response's", async () => {
    expect(await sent({ response: "utter_button_values", values: { amount: 3 }, buttons: [{ title: "More {name}", payload: "/SetSlots(name=x)" }] })).toEqual([
      {
        response: "utter_button_values",
        text: "Pick",
        buttons: [
          { title: "Send 3 to Ann", payload: "/SetSlots(name=Ann, tier=3)" },
          { title: "More {name}", payload: "/SetSlots(name=x)" },
        ],
      },
    ]);
  });

  it("gives the action's text and image where the response has none; an empty text counts as none", async () => {
    const [message] = await sent({ response: "utter_custom", text: "From the action", image: "https://example.com/a.png" });
    expect([message?.text, message?.image, (message?.custom as { missing?: string } | undefined)?.missing]).toEqual(["From the action", "https://example.com/a.png", "Hi {nobody}"]);
    expect((await sent({ response: "utter_custom", text: "" }))[0]?.text).toBeUndefined();
  });
});
