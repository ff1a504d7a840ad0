/**
 * The fields of a response variation beside `text`, `image` and `custom` that Rasa passes on,
 * each expectation derived from Rasa Pro 3.12's code before flowc ran:
 * * rasa/core/nlg/response.py `TemplatedNaturalLanguageGenerator._fill_response`: the chosen
 *   variation is deep-copied whole, and the keys of `RESPONSE_KEYS_TO_INTERPOLATE`
 *   (rasa/shared/core/domain.py: `text`, `image`, `custom`, `buttons`, `attachment`,
 *   `quick_replies`) are interpolated with the engine `metadata.template` names; `elements` is
 *   not among them;
 * * rasa/core/nlg/interpolator.py `interpolate`: every string inside those values — in lists and
 *   in mapping values at any depth — is filled in (format or Jinja); keys and non-strings stay;
 *   a format placeholder without a value, or a Jinja undefined, leaves that string as written;
 * * rasa/core/actions/action.py `create_bot_utterance`: the bot event's data carries `elements`,
 *   `quick_replies`, `buttons`, `attachment`, `image`, `custom`, each as the rendered variation
 *   holds it (a button keeps every key it was written with).
 */
import { describe, expect, it } from "vitest";
import type { Message, RuntimeEvent } from "../../runtime/events.ts";
import { assistantFromYaml, talk } from "../support/assistant.ts";

const DOMAIN = `
slots:
  name: {type: text, mappings: [{type: controlled}]}
  amount: {type: float, mappings: [{type: controlled}]}
responses:
  utter_buttons_plain:
    - text: "Pick one"
      buttons:
        - {title: "Site", payload: "site", url: "https://a.example", type: web_url}
  utter_buttons_format:
    - text: "Pick one, {name}"
      buttons:
        - title: "Site of {name}"
          payload: "site"
          url: "https://a.example/{name}?n={amount}"
          weight: 3
          flag: true
          nothing: null
          extra: {label: "{name}", tags: ["{name}", 1]}
  utter_buttons_fixed_text:
    - text: "Pick one"
      buttons:
        - {title: "Site", payload: "site", url: "https://a.example/{name}"}
  utter_buttons_missing:
    - text: "Pick one, {name}"
      buttons:
        - {title: "Site", payload: "site", url: "https://a.example/{nobody}", alt: "{name}"}
  utter_quick:
    - text: "Choose"
      quick_replies:
        - {content_type: text, title: "Yes, {name}", payload: "yes", image_url: "https://x.example/{name}.png"}
        - {content_type: user_email}
  utter_attachment:
    - text: "Your file"
      attachment:
        type: file
        payload: {url: "https://x.example/{name}.pdf", sizes: ["{amount}", 3]}
  utter_elements:
    - text: "Cards"
      elements:
        - title: "Card for {name}"
          buttons: [{title: "Go {name}", payload: "go"}]
  utter_all:
    - text: "All"
      quick_replies: [{title: "Q", payload: "q"}]
      attachment: {type: image}
      elements: [{title: "E"}]
      metadata: {rephrase: false}
  utter_jinja:
    - text: "Hi {{ name }}"
      metadata: {template: jinja}
      buttons:
        - {title: "{{ name | upper }}", payload: "pick", url: "https://x.example/{{ name | lower }}", weight: 2, plain: "{name}"}
      quick_replies:
        - {title: "{% if amount > 1 %}many{% else %}few{% endif %}", payload: "q"}
        - {title: "{{ missing.x }}", payload: "r"}
      attachment: {payload: {url: "{{ name }}.pdf", list: ["{{ amount }}", 2]}}
      elements: [{title: "{{ name }}"}]
actions: []
`;

const FLOWS = `
flows:
  show:
    description: Sets the slots, then sends the response the test names.
    steps:
      - set_slots: [{name: Ann}, {amount: 5}]
      - action: utter_buttons_plain
      - action: utter_buttons_format
      - action: utter_buttons_fixed_text
      - action: utter_buttons_missing
      - action: utter_quick
      - action: utter_attachment
      - action: utter_elements
      - action: utter_all
      - action: utter_jinja
`;

const bot = await assistantFromYaml(DOMAIN, FLOWS);
const [turn] = await talk(bot(), [["start flow show"]]);

function sent(response: string): Message {
  const message = turn!.messages.find((m) => m.response === response);
  if (!message) throw new Error(`${response} was not sent`);
  return message;
}

function botEvent(response: string): RuntimeEvent {
  const event = turn!.events.find((e) => e.event === "bot" && e.response === response);
  if (!event) throw new Error(`no bot event for ${response}`);
  return event;
}

describe("buttons keep every key they are written with (Rasa copies the variation whole)", () => {
  it("a button without placeholders is sent with its other keys as written", () => {
    expect(sent("utter_buttons_plain")).toEqual({ response: "utter_buttons_plain", text: "Pick one", buttons: [{ title: "Site", payload: "site", url: "https://a.example", type: "web_url" }] });
  });

  it("every string of a button is filled in, at any depth; numbers, booleans and null stay", () => {
    // interpolator.interpolate over `buttons`: each string, in nested mappings and lists too; the YAML int 5 a set_slots step puts in a float slot prints as 5
    expect(sent("utter_buttons_format").buttons).toEqual([
      { title: "Site of Ann", payload: "site", url: "https://a.example/Ann?n=5", weight: 3, flag: true, nothing: null, extra: { label: "Ann", tags: ["Ann", 1] } },
    ]);
  });

  it("a placeholder in another key of a button is filled in even when the text has none", () => {
    expect(sent("utter_buttons_fixed_text")).toEqual({ response: "utter_buttons_fixed_text", text: "Pick one", buttons: [{ title: "Site", payload: "site", url: "https://a.example/Ann" }] });
  });

  it("a placeholder without a value leaves only its own string as written", () => {
    // interpolate_format_template: a KeyError returns that string unchanged; the others are filled in
    expect(sent("utter_buttons_missing").buttons).toEqual([{ title: "Site", payload: "site", url: "https://a.example/{nobody}", alt: "Ann" }]);
  });

  it("the bot event carries the same buttons", () => {
    expect(botEvent("utter_buttons_format")).toMatchObject({ event: "bot", buttons: sent("utter_buttons_format").buttons });
  });
});

describe("quick_replies, attachment and elements are sent (BotUttered's data)", () => {
  it("quick_replies: every string filled in, as Rasa interpolates `quick_replies`", () => {
    expect(sent("utter_quick")).toEqual({
      response: "utter_quick",
      text: "Choose",
      quick_replies: [{ content_type: "text", title: "Yes, Ann", payload: "yes", image_url: "https://x.example/Ann.png" }, { content_type: "user_email" }],
    });
  });

  it("attachment: every string filled in, as Rasa interpolates `attachment`", () => {
    expect(sent("utter_attachment")).toEqual({ response: "utter_attachment", text: "Your file", attachment: { type: "file", payload: { url: "https://x.example/Ann.pdf", sizes: ["5", 3] } } });
  });

  it("elements: sent as written, since `elements` is not a key Rasa interpolates", () => {
    expect(sent("utter_elements")).toEqual({ response: "utter_elements", text: "Cards", elements: [{ title: "Card for {name}", buttons: [{ title: "Go {name}", payload: "go" }] }] });
  });

  it("all of them together, beside metadata, in the message and its bot event", () => {
    const expected = { response: "utter_all", text: "All", quick_replies: [{ title: "Q", payload: "q" }], attachment: { type: "image" }, elements: [{ title: "E" }], metadata: { rephrase: false } };
    expect(sent("utter_all")).toEqual(expected);
    expect(botEvent("utter_all")).toEqual({ event: "bot", ...expected });
  });
});

describe("a Jinja variation renders the strings of buttons, quick_replies and attachment, not elements", () => {
  it("each string through its own template; an undefined leaves that string as written", () => {
    // interpolate_jinja_template per string: Template(s).render(values); UndefinedError → s unchanged.
    // `{name}` is not a Jinja tag: it stays as written.
    expect(sent("utter_jinja")).toEqual({
      response: "utter_jinja",
      text: "Hi Ann",
      buttons: [{ title: "ANN", payload: "pick", url: "https://x.example/ann", weight: 2, plain: "{name}" }],
      quick_replies: [
        { title: "many", payload: "q" },
        { title: "{{ missing.x }}", payload: "r" },
      ],
      attachment: { payload: { url: "Ann.pdf", list: ["5", 2] } },
      elements: [{ title: "{{ name }}" }],
      metadata: { template: "jinja" },
    });
  });
});

/**
 * A custom action's messages: rasa/core/actions/action.py `RemoteAction._utter_responses`. With a
 * `response`, the rendered response is merged with the action's other fields that Python finds
 * true (an empty list is dropped); where the response has no such key the action's value is
 * kept as sent, since only the response goes through the NLG. (Where both have one, Rasa's
 * versions differ on which wins, so that is not tested.) Without a `response`, the action's
 * message is sent as it is.
 */
const ACTION_DOMAIN = `
slots:
  name: {type: text, mappings: [{type: controlled}]}
responses:
  utter_hello:
    - text: "Hello {name}"
actions:
  - speak
`;

const ACTION_FLOWS = `
flows:
  talk:
    description: Sets the name, then lets the speak action talk.
    steps:
      - set_slots: [{name: Ann}]
      - action: speak
`;

const actionBot = await assistantFromYaml(ACTION_DOMAIN, ACTION_FLOWS);

async function spoken(messages: readonly Record<string, unknown>[]): Promise<readonly Message[]> {
  const assistant = actionBot();
  const state = assistant.initialState();
  const turn = await assistant.handle(state, assistant.parseCommands(state, ["start flow talk"]), { actions: { speak: () => ({ messages }) } });
  // (the flow's end then sends utter_can_do_something_else)
  return turn.messages.filter((m) => m.response !== "utter_can_do_something_else");
}

describe("a custom action's message sends quick_replies, attachment and elements", () => {
  it("beside a response that has none of them: the action's values, as sent", async () => {
    const quick = [{ title: "Yes {name}", payload: "yes" }];
    const attachment = { type: "file", payload: { url: "https://x.example/{name}.pdf" } };
    const elements = [{ title: "Card" }];
    expect(await spoken([{ response: "utter_hello", quick_replies: quick, attachment, elements }])).toEqual([
      { response: "utter_hello", text: "Hello Ann", quick_replies: quick, attachment, elements },
    ]);
  });

  it("a value Python finds false is dropped", async () => {
    expect(await spoken([{ response: "utter_hello", quick_replies: [], attachment: {}, elements: [] }])).toEqual([{ response: "utter_hello", text: "Hello Ann" }]);
  });

  it("without a response: the message as the action gives it", async () => {
    const message = { text: "Pick", quick_replies: [{ title: "A", payload: "a" }], attachment: { type: "image" }, elements: [{ title: "E" }] };
    expect(await spoken([message])).toEqual([message]);
  });
});
