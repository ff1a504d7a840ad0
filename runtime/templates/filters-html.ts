/** The filters of HTML and URLs: escape, safe, attr, xmlattr, urlize, striptags, urlencode (plain text, as Jinja gives them without autoescape). */
import { compareCodePoints } from "../conditions/pypred.ts";
import { htmlUnescape } from "../html-unescape.ts";
import { htmlEscape, isUriScheme, urlize as urlizeText } from "../jinja-urlize.ts";
import { pySplit } from "../python-str.ts";
import { argumentError } from "./arguments.ts";
import { jinjaTest } from "./tests.ts";
import { attr, dictView, each, GroupTuple, isDict, LoopContext, Macro, Namespace, numeric, PyClass, PyFloat, pythonRepr, str, TemplateTypeError, truthy, typeName, Undefined, undefinedError, unpack } from "./values.ts";

/** `| striptags`: markupsafe's `striptags` - comments, then tags, removed, white space runs made one space, references unescaped. */
export function striptags(value: unknown): string {
  let text = str(value);
  for (let start = text.indexOf("<!--"); start >= 0; start = text.indexOf("<!--")) {
    const end = text.indexOf("-->", start);
    if (end < 0) break;
    text = text.slice(0, start) + text.slice(end + 3);
  }
  for (let start = text.indexOf("<"); start >= 0; start = text.indexOf("<")) {
    const end = text.indexOf(">", start);
    if (end < 0) break;
    text = text.slice(0, start) + text.slice(end + 1);
  }
  return htmlUnescape(pySplit(text, null, -1).join(" "));
}

/** Python's `urllib.parse.quote` of a text's UTF-8 (letters, digits and `_.-~` kept, `/` too unless `forQuery`, which writes a space as `+`). */
function urlQuote(value: unknown, forQuery: boolean): string {
  let quoted: string;
  try {
    quoted = encodeURIComponent(str(value));
  } catch {
    throw new TemplateTypeError("'utf-8' codec can't encode a surrogate: surrogates not allowed");
  }
  quoted = quoted.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return forQuery ? quoted.replace(/%20/g, "+") : quoted.replace(/%2F/g, "/");
}

/** `| urlencode`: a text (or anything not iterable, as text) quoted for a URL; a dict's or an iterable's `(key, value)` pairs as a query string. */
export function urlencode(value: unknown): string {
  const iterable = !(typeof value === "string") && jinjaTest("iterable", value);
  if (!iterable) return urlQuote(value, false);
  const pairs = isDict(value) ? dictView(value, "items").items : [...each(value)];
  return pairs
    .map((pair) => {
      const [key, entry] = unpack(pair, 2);
      return `${urlQuote(key, true)}=${urlQuote(entry, true)}`;
    })
    .join("&");
}

/**
 * `| escape` (`| e`) and `| forceescape`: markupsafe's `escape` of the value's text. (Jinja's
 * result is `Markup`; the compiler accepts the filter only where that makes no difference.)
 */
export function escape(value: unknown): string {
  return htmlEscape(str(value));
}

/** `| safe`: the value's text (Jinja's Markup, accepted by the compiler only where that makes no difference). */
export function safe(value: unknown): string {
  return str(value);
}

/**
 * `| attr(name)`: Python's getattr, without Jinja's fall back to the item: a namespace's, the
 * loop's, a group's, a macro's, a number's (`real`, …) and a global's class's attributes; anything else has
 * none flowc holds (a dict's keys are not attributes), so the result is undefined.
 */
export function attrFilter(value: unknown, name?: unknown): unknown {
  if (name === undefined) argumentError("do_attr", "missing 1 required positional argument: 'name'");
  if (typeof name !== "string") throw new TemplateTypeError(`attribute name must be string, not '${typeName(name)}'`);
  const key = name;
  if (value instanceof Undefined) undefinedError(value, `, so it has no attribute '${key}'`);
  if (value instanceof Namespace || value instanceof LoopContext || value instanceof GroupTuple || value instanceof PyClass || value instanceof Macro || typeof value === "number" || typeof value === "boolean" || value instanceof PyFloat) return attr(value, key);
  return new Undefined(key);
}

/** `| forceescape` */
export function forceescape(value: unknown): string {
  return htmlEscape(str(value));
}

const ATTRIBUTE_KEY = /[ \t\n\r\f\v/>=]/;

/** `| xmlattr(autospace)`: a dict's items as `key="value"` attributes (values escaped; None and undefined ones left out). */
export function xmlattr(value: unknown, autospace: unknown = true): string {
  if (value instanceof Undefined) undefinedError(value, ", so it has no attribute 'items'");
  if (!isDict(value)) throw new TemplateTypeError(`'${typeName(value)}' object has no attribute 'items'`);
  const attributes: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || entry instanceof Undefined) continue;
    if (ATTRIBUTE_KEY.test(key)) throw new TemplateTypeError(`Invalid character in attribute name: ${pythonRepr(key)}`);
    attributes.push(`${htmlEscape(key)}="${htmlEscape(str(entry))}"`);
  }
  const out = attributes.join(" ");
  return truthy(autospace) && out ? " " + out : out;
}

/** `| urlize(trim_url_limit, nofollow, target, rel, extra_schemes)`: web and e-mail addresses in the text made links (`rel="noopener"`, Jinja's policy). */
export function urlize(value: unknown, trimUrlLimit: unknown = null, nofollow: unknown = false, target: unknown = null, rel: unknown = null, extraSchemes: unknown = null): string {
  const relText = truthy(rel) ? rel : "";
  if (typeof relText !== "string") throw new TemplateTypeError(`'${typeName(relText)}' object has no attribute 'split'`);
  const parts = new Set(pySplit(relText, null, -1));
  if (truthy(nofollow)) parts.add("nofollow");
  parts.add("noopener");
  const schemes = extraSchemes === null ? null : [...each(extraSchemes)];
  for (const scheme of schemes ?? []) {
    if (typeof scheme !== "string" || !isUriScheme(scheme)) throw new TemplateTypeError(`${pythonRepr(scheme)} is not a valid URI scheme prefix.`);
  }
  if (trimUrlLimit !== null && !numeric(trimUrlLimit)) throw new TemplateTypeError("'>' not supported");
  return urlizeText(str(value), {
    trimUrlLimit: trimUrlLimit === null ? null : numeric(trimUrlLimit)!.n,
    rel: [...parts].sort(compareCodePoints).join(" "),
    target: target === null || !truthy(target) ? null : str(target),
    extraSchemes: schemes as string[] | null,
  });
}
