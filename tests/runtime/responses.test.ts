/**
 * Responses at run time, on an assistant compiled from YAML: which variation is sent (the
 * channel and condition groups, a seeded or given random choice), `{slot}` placeholders in
 * texts and buttons, metadata passed through, compiled Jinja templates (with their undefined
 * and failing cases), and Rasa's internal-error stand-in when no variation fits.
 */
import { describe, expect, it } from "vitest";
import type { Assistant, CustomActionMap } from "../../runtime/assistant.ts";
import { seededRandom } from "../../runtime/assistant.ts";
import type { Message } from "../../runtime/events.ts";
import { pythonStr } from "../../runtime/conditions/template.ts";
import { interpolate } from "../../runtime/responses.ts";
import { TemplateTypeError } from "../../runtime/templates.ts";
import { assistantFromYaml } from "../support/assistant.ts";

const DOMAIN = `
slots:
  name:
    type: text
    mappings: [{type: controlled}]
  tier:
    type: categorical
    values: [gold, basic]
    mappings: [{type: controlled}]
  items:
    type: list
    mappings: [{type: controlled}]
  price:
    type: float
    mappings: [{type: from_llm}]
responses:
  utter_ask_price:
    - text: "What price?"
  utter_price:
    - text: "It costs {price}"
  utter_pick:
    - text: "one"
    - text: "two"
    - text: "three"
  utter_tier:
    - text: "Gold member {name}"
      condition:
        - type: slot
          name: tier
          value: GOLD
    - text: "Gold by predicate"
      condition: "slots.tier = 'gold'"
    - text: "Hello {name}"
  utter_buttons:
    - text: "Choose, {name}"
      buttons:
        - title: "Yes, {name}"
          payload: "/SetSlots(name={name})"
        - title: "Unknown {nobody}"
          payload: "/SetSlots(name=x)"
      custom: {greeting: "Hi {name}", count: 3, list: ["{name}!"]}
      metadata:
        rephrase: true
        extra: [1, {deep: null}]
  utter_jinja:
    - text: "{% for i in items %}{{ loop.index }}. {{ i | title }}{% if not loop.last %}, {% endif %}{% endfor %} for {{ nickname | default('you') }} ({{ items | length }})"
      buttons:
        - title: "{{ name | upper }}"
          payload: "/SetSlots(name={{ name }})"
      custom:
        card: {title: "{{ name }}", tags: ["{{ items | length }}", 7, "plain {{ missing.x }}"]}
      metadata: {template: jinja}
  utter_random:
    - text: "{{ ['a', 'b', 'c'] | random }}{{ items | random }}"
      metadata: {template: jinja}
  utter_plain_jinja:
    - text: "Hello {name}, no tags here"
      buttons:
        - title: "{name}"
          payload: "/SetSlots(name={{ name }})"
      metadata: {template: jinja}
  utter_undefined:
    - text: "{{ missing.attr }} stays as written"
      metadata: {template: jinja}
  utter_type_error:
    - text: "{{ name | length }}"
      metadata: {template: jinja}
  utter_channel:
    - text: "generic"
    - text: "for slack"
      channel: slack
  utter_only_gold:
    - text: "only gold"
      condition:
        - type: slot
          name: tier
          value: gold
  utter_ask_name:
    - text: "Your name?"
  utter_fixed_buttons:
    - text: "Pick one"
      buttons:
        - title: "A"
          payload: "/SetSlots(name=a)"
  utter_open_brace:
    - text: "Open {{ brace for {name}"
  utter_unknown_name:
    - text: "Hi {nobody}, {name}"
  utter_greet_buttons:
    - text: "Hi {name}"
      buttons:
        - title: "Bye"
          payload: "/SetSlots(name=bye)"
actions:
  - set_up
  - speak
`;

const FLOWS = `
flows:
  say:
    description: Says what the speak action asks for, once set_up has set the slots.
    steps:
      - action: set_up
      - action: speak
  ask_name:
    name: asking for a name
    description: Asks for the user's name.
    steps:
      - collect: name
  quote:
    description: Asks for a price and says it back.
    steps:
      - collect: price
      - action: utter_price
`;


const newBot = await assistantFromYaml(DOMAIN, FLOWS);

/**
 * One turn that starts `say`, whose `set_up` action sets `slots` and whose `speak` action sends
 * `responses`: the messages of those responses. (Two actions: as in Rasa, the messages a custom
 * action sends are rendered before the slots it sets apply.)
 */
async function say(bot: Assistant, responses: readonly string[], slots: Record<string, unknown> = {}): Promise<readonly Message[]> {
  const state = bot.initialState();
  const actions: CustomActionMap = { set_up: () => ({ slots }), speak: () => ({ messages: responses.map((response) => ({ response })) }) };
  const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
  // The flow then ends, and pattern_completed has its own message.
  return turn.messages.filter((m) => m.response !== undefined && responses.includes(m.response));
}

async function texts(bot: Assistant, responses: readonly string[], slots: Record<string, unknown> = {}): Promise<(string | undefined)[]> {
  return (await say(bot, responses, slots)).map((m) => m.text);
}

describe("variation choice", () => {
  it("gives the same sequence for the same seed, and still varies", async () => {
    const picks = Array.from({ length: 30 }, () => "utter_pick");
    const first = await texts(newBot({ seed: 7 }), picks);
    const again = await texts(newBot({ seed: 7 }), picks);
    const other = await texts(newBot({ seed: 8 }), picks);
    expect(again).toEqual(first);
    expect(new Set(first)).toEqual(new Set(["one", "two", "three"]));
    expect(other).not.toEqual(first);
  });

  it("keeps one sequence per assistant across turns", async () => {
    const bot = newBot({ seed: 3 });
    const turns = [...(await texts(bot, ["utter_pick", "utter_pick"])), ...(await texts(bot, ["utter_pick", "utter_pick"]))];
    expect(turns).toEqual(await texts(newBot({ seed: 3 }), ["utter_pick", "utter_pick", "utter_pick", "utter_pick"]));
  });

  it("maps the random number onto the variations in domain order", async () => {
    expect(await texts(newBot({ random: () => 0 }), ["utter_pick"])).toEqual(["one"]);
    expect(await texts(newBot({ random: () => 0.5 }), ["utter_pick"])).toEqual(["two"]);
    expect(await texts(newBot({ random: () => 0.999 }), ["utter_pick"])).toEqual(["three"]);
  });

  it("draws the `random` filter's picks from the same source, after the variation's", async () => {
    const items = { items: ["x", "y"] };
    expect(await texts(newBot({ random: () => 0 }), ["utter_random"], items)).toEqual(["ax"]);
    expect(await texts(newBot({ random: () => 0.5 }), ["utter_random"], items)).toEqual(["by"]);
    expect(await texts(newBot({ random: () => 0.999 }), ["utter_random"], items)).toEqual(["cy"]);
    // One variation, so the draws are the filter's: the first for the text's list, the second for the slot's.
    const draws = [0.1, 0.9];
    expect(await texts(newBot({ random: () => draws.shift()! }), ["utter_random"], items)).toEqual(["ay"]);
    const seeded = Array.from({ length: 20 }, () => "utter_random");
    expect(await texts(newBot({ seed: 5 }), seeded, items)).toEqual(await texts(newBot({ seed: 5 }), seeded, items));
  });

  it("seededRandom gives numbers in [0, 1), the same for the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const numbers = Array.from({ length: 1000 }, () => a());
    expect(numbers.every((n) => n >= 0 && n < 1)).toBe(true);
    expect(Array.from({ length: 1000 }, () => b())).toEqual(numbers);
  });

  it("prefers variations whose condition holds, comparing slot conditions case-insensitively", async () => {
    const gold = { tier: "gold", name: "Ann" };
    expect(await texts(newBot({ random: () => 0 }), ["utter_tier"], gold)).toEqual(["Gold member Ann"]);
    expect(await texts(newBot({ random: () => 0.9 }), ["utter_tier"], gold)).toEqual(["Gold by predicate"]);
    expect(await texts(newBot({ random: () => 0.9 }), ["utter_tier"], { tier: "basic", name: "Ann" })).toEqual(["Hello Ann"]);
  });

  it("prefers the output channel's variations, and ignores other channels'", async () => {
    expect(await texts(newBot({ random: () => 0.9 }), ["utter_channel"])).toEqual(["generic"]);
    expect(await texts(newBot({ random: () => 0.9, channel: "slack" }), ["utter_channel"])).toEqual(["for slack"]);
    expect(await texts(newBot({ random: () => 0.9, channel: "web" }), ["utter_channel"])).toEqual(["generic"]);
  });

  it("sends the internal-error response's text under the response's name when no variation fits", async () => {
    const bot = newBot();
    const [message] = await say(bot, ["utter_only_gold"], { tier: "basic" });
    const internalError = bot.compiled.responses["utter_internal_error_rasa"]!.variations[0]!.text;
    expect(message).toEqual({ response: "utter_only_gold", text: internalError });
    expect(await texts(bot, ["utter_only_gold"], { tier: "gold" })).toEqual(["only gold"]);
  });
});

describe("placeholders, buttons and metadata", () => {
  it("fills buttons' titles and payloads, leaves a text with an unknown name as written, and passes metadata through", async () => {
    const [message] = await say(newBot(), ["utter_buttons"], { name: "Ann" });
    expect(message).toEqual({
      response: "utter_buttons",
      text: "Choose, Ann",
      buttons: [
        { title: "Yes, Ann", payload: "/SetSlots(name=Ann)" },
        { title: "Unknown {nobody}", payload: "/SetSlots(name=x)" },
      ],
      custom: { greeting: "Hi Ann", count: 3, list: ["Ann!"] },
      metadata: { rephrase: true, extra: [1, { deep: null }] },
    });
  });

  it("takes extra values from a custom action's message, over the slots", async () => {
    const bot = newBot();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({ slots: { name: "Ann", items: [] } }), speak: () => ({ messages: [{ response: "utter_buttons", values: { name: "Zed" } }, { response: "utter_jinja", values: { nickname: "pal" } }] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    expect(turn.messages.slice(0, 2).map((m) => m.text)).toEqual(["Choose, Zed", " for pal (0)"]);
  });

  it("renders a custom action's messages before the slots it returns apply, as Rasa's RemoteAction does", async () => {
    // rasa/core/actions/action.py RemoteAction.run: `_utter_responses(responses, ..., tracker)` renders
    // from the tracker the action ran on, and returns `bot_messages + events`.
    const bot = newBot();
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({}), speak: () => ({ slots: { name: "Ann" }, messages: [{ response: "utter_greet_buttons" }, { response: "utter_greet_buttons", values: { name: "Bo" } }] }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    expect(turn.messages.slice(0, 2).map((m) => m.text)).toEqual(["Hi None", "Hi Bo"]);
    const at = turn.events.findIndex((e) => e.event === "action" && e.name === "speak");
    expect(turn.events.slice(at + 1, at + 4).map((e) => e.event)).toEqual(["bot", "bot", "slot"]);
  });

  it("prints a float slot's value as Python prints a float, as Rasa coerces it with float()", async () => {
    for (const [value, text] of [["50", "It costs 50.0"], ["2.5", "It costs 2.5"], ["-0", "It costs -0.0"], ["1e16", "It costs 1e+16"]] as const) {
      const bot = newBot();
      const state = bot.initialState();
      const turn = await bot.handle(state, bot.parseCommands(state, ["start flow quote", `set slot price ${value}`]));
      expect(turn.messages.find((m) => m.response === "utter_price")?.text).toBe(text);
    }
  });

  it("prints an unset slot as None", async () => {
    expect(await texts(newBot(), ["utter_buttons"])).toEqual(["Choose, None"]);
  });
});

describe("responses of one plain variation (sent without choosing or parsing again)", () => {
  async function sent(bot: Assistant, responses: readonly string[], slots: Record<string, unknown> = {}) {
    const state = bot.initialState();
    const actions: CustomActionMap = { set_up: () => ({ slots }), speak: () => ({ messages: responses.map((response) => ({ response })) }) };
    const turn = await bot.handle(state, bot.parseCommands(state, ["start flow say"]), { actions });
    return { messages: turn.messages.filter((m) => responses.includes(m.response!)), events: turn.events.filter((e) => e.event === "bot" && responses.includes(e.response!)) };
  }

  it("sends a fixed text with its buttons, the same every time, with its bot event", async () => {
    const bot = newBot();
    const message = { response: "utter_fixed_buttons", text: "Pick one", buttons: [{ title: "A", payload: "/SetSlots(name=a)" }] };
    for (let turn = 0; turn < 2; turn++) {
      const { messages, events } = await sent(bot, ["utter_fixed_buttons", "utter_fixed_buttons"]);
      expect(messages).toEqual([message, message]);
      expect(events).toEqual([{ event: "bot", ...message }, { event: "bot", ...message }]);
      expect(Object.keys(events[0]!)).toEqual(["event", "response", "text", "buttons"]);
    }
  });

  it("fills a text's placeholders each time, with the slots of the moment", async () => {
    const bot = newBot();
    expect((await sent(bot, ["utter_greet_buttons"], { name: "Ann" })).messages).toEqual([{ response: "utter_greet_buttons", text: "Hi Ann", buttons: [{ title: "Bye", payload: "/SetSlots(name=bye)" }] }]);
    const { messages, events } = await sent(bot, ["utter_greet_buttons"], { name: "Bo" });
    expect(messages.map((m) => m.text)).toEqual(["Hi Bo"]);
    expect(events).toEqual([{ event: "bot", response: "utter_greet_buttons", text: "Hi Bo", buttons: [{ title: "Bye", payload: "/SetSlots(name=bye)" }] }]);
    expect((await sent(bot, ["utter_open_brace"], { name: "Ann" })).messages).toEqual([{ response: "utter_open_brace", text: "Open { brace for Ann" }]);
    expect((await sent(bot, ["utter_unknown_name"], { name: "Ann" })).messages).toEqual([{ response: "utter_unknown_name", text: "Hi {nobody}, {name}" }]);
    expect((await sent(bot, ["utter_price"], { price: 7 })).messages).toEqual([{ response: "utter_price", text: "It costs 7" }]); // a custom action's whole number: a Python int
  });
});

describe("format templates as Python's str.format runs them", () => {
  const values = new Map<string, unknown>([
    ["name", "Ann"],
    ["n", 2.5],
    ["none", null],
    ["list", ["a", 1]],
  ]);
  const variables = { has: (k: string) => values.has(k), get: (k: string) => values.get(k), text: (k: string) => pythonStr(values.get(k)) };

  it("fills every placeholder with str() of its value", () => {
    expect(interpolate("Hi {name}, {n} {none} {list}", variables)).toBe("Hi Ann, 2.5 None ['a', 1]");
    expect(interpolate("no placeholders", variables)).toBe("no placeholders");
  });

  it("leaves the whole text as written when one name has no value", () => {
    expect(interpolate("Hi {name}, {missing}", variables)).toBe("Hi {name}, {missing}");
    expect(interpolate("Item {1}", variables)).toBe("Item {1}");
  });

  it("un-doubles braces, and keeps a placeholder inside doubled braces unfilled", () => {
    expect(interpolate("Use {{ and }} here", variables)).toBe("Use { and } here");
    expect(interpolate("x}} {name}", variables)).toBe("x} Ann");
    // Rasa retries `template.format({})`, which fails on `{name}`: the text stays as written.
    expect(interpolate("Use {{ and }} for {name}", variables)).toBe("Use {{ and }} for {name}");
    expect(interpolate("Hi {{name}}", variables)).toBe("Hi {name}");
    expect(interpolate("Hi {{name}} and {name}", variables)).toBe("Hi {{name}} and {name}");
    // A value that puts `0[` into the text sends Rasa down the same path: `format({})`, which fails on `{list}`.
    expect(interpolate("Code 0{list}", variables)).toBe("Code 0{list}");
  });

  it("fails on a lone brace, as Rasa's action does", () => {
    expect(() => interpolate("Smile :}", variables)).toThrow(TemplateTypeError);
    expect(() => interpolate("Open { here", variables)).toThrow(TemplateTypeError);
  });
});

describe("Jinja templates", () => {
  it("runs the compiled template over the slots, for the text and the buttons", async () => {
    const [message] = await say(newBot(), ["utter_jinja"], { items: ["apple", "kiwi pie"], name: "Ann" });
    expect(message).toEqual({
      response: "utter_jinja",
      text: "1. Apple, 2. Kiwi Pie for you (2)",
      buttons: [{ title: "ANN", payload: "/SetSlots(name=Ann)" }],
      custom: { card: { title: "Ann", tags: ["2", 7, "plain {{ missing.x }}"] } },
      metadata: { template: "jinja" },
    });
  });

  it("does not fill `{name}` placeholders in a Jinja variation", async () => {
    const [message] = await say(newBot(), ["utter_plain_jinja"], { name: "Ann" });
    expect([message?.text, message?.buttons]).toEqual(["Hello {name}, no tags here", [{ title: "{name}", payload: "/SetSlots(name=Ann)" }]]);
  });

  it("sends the template as written when it reads an attribute of an undefined value", async () => {
    expect(await texts(newBot(), ["utter_undefined"])).toEqual(["{{ missing.attr }} stays as written"]);
  });

  it("sends nothing for a template that fails, and carries on", async () => {
    expect(await texts(newBot(), ["utter_type_error", "utter_pick"], {})).toHaveLength(1);
    expect(await texts(newBot(), ["utter_type_error"], { name: "Ann" })).toEqual(["3"]);
  });

  it("gives the default patterns' templates the frame's fields as `context`", async () => {
    const bot = newBot();
    const first = await bot.handle(bot.initialState(), bot.parseCommands(bot.initialState(), ["start flow ask_name"]));
    expect(first.messages.map((m) => m.text)).toEqual(["Your name?"]);
    const cancel = await bot.handle(first.state, bot.parseCommands(first.state, ["cancel flow"]));
    expect(cancel.messages.map((m) => [m.response, m.text])).toContainEqual(["utter_flow_cancelled_rasa", "All right, I have stopped asking for a name."]);
  });
});
