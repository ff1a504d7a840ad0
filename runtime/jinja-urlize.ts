/**
 * Jinja's `urlize` (jinja2.utils.urlize as 3.1.6 has it) and the HTML escaping it and `xmlattr`
 * use (markupsafe's `escape`): the text escaped, split at white space, and each word that is a
 * web address (`https://...`, `www....`, a domain of a common top-level domain, an IP address), a
 * `mailto:` address or an e-mail address made a link, leading `(`/`<` and trailing `)`, `>`,
 * `.`, `,` kept outside unless they balance the word's own brackets.
 */

/** markupsafe's `escape` of a text: `&`, `<`, `>`, `'` and `"` as HTML references. */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>'"]/g, (char) => (char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char === "'" ? "&#39;" : "&#34;"));
}

/** Python's white space (`\s` of a str pattern). */
const SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const W = "[\\p{L}\\p{N}_]";
const NOT_SPACE = `[^${SPACE}]`;

/** The patterns of a web address, an e-mail address, white space and a URI scheme, built on first use (a Unicode property regex costs every start-up its build). */
let patterns: { readonly http: RegExp; readonly email: RegExp; readonly split: RegExp; readonly scheme: RegExp } | undefined;

function urlPatterns(): NonNullable<typeof patterns> {
  return (patterns ??= {
    http: new RegExp(HTTP, "iu"),
    email: new RegExp(`^${NOT_SPACE}+@${W}(?:${W}|[.-])*\\.${W}+$`, "u"),
    split: new RegExp(`([${SPACE}]+)`, "u"),
    scheme: new RegExp(`^(?:${W}|[.+-]){2,}:/{0,2}$`, "u"),
  });
}

const HTTP =
  "^(?:" +
    `(?:https?://|www\\.)(?:(?:(?:${W}|[%-])+\\.)+)?(?:[a-z]{2,63}|xn--(?:${W}|%){2,59})` +
    `|(?:(?:${W}|[%-]){2,63}\\.)+(?:com|net|int|edu|gov|org|info|mil)` +
    "|(?:https?://)(?:(?:\\p{Nd}{1,3})(?:\\.\\p{Nd}{1,3}){3}|\\[(?:[\\p{Nd}a-f]{0,4}:){2}(?:[\\p{Nd}a-f]{0,4}:?){1,6}\\])" +
    ")" +
    "(?::\\p{Nd}{1,5})?" +
  `(?:[/?#]${NOT_SPACE}*)?$`;
const HEAD = /^(?:[(<]|&lt;)+/;
const TAIL = /(?:[)>.,\n]|&gt;)+$/;

export interface UrlizeOptions {
  readonly trimUrlLimit: number | null;
  /** The `rel` attribute's value (Jinja adds `noopener` by its policy), or null. */
  readonly rel: string | null;
  readonly target: string | null;
  readonly extraSchemes: readonly string[] | null;
}

/** Whether `scheme` is one Jinja accepts in `extra_schemes` (`tel:`, `ftp://`). */
export function isUriScheme(scheme: string): boolean {
  return urlPatterns().scheme.test(scheme);
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** `urlize(text, ...)` of a text (already Python's `str()` of the value). */
export function urlize(text: string, options: UrlizeOptions): string {
  const limit = options.trimUrlLimit;
  const trim = (url: string): string => {
    if (limit === null) return url;
    const points = [...url];
    return points.length > limit ? `${points.slice(0, Math.max(0, limit)).join("")}...` : url;
  };
  const relAttribute = options.rel ? ` rel="${htmlEscape(options.rel)}"` : "";
  const targetAttribute = options.target ? ` target="${htmlEscape(options.target)}"` : "";
  const { http, email, split } = urlPatterns();
  const words = htmlEscape(text).split(split);
  return words
    .map((word) => {
      let head = "";
      let middle = word;
      let tail = "";
      const lead = HEAD.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(head.length);
      }
      const trail = TAIL.exec(middle);
      if (trail) {
        tail = trail[0];
        middle = middle.slice(0, trail.index);
      }
      for (const [open, close] of [["(", ")"], ["<", ">"], ["&lt;", "&gt;"]] as const) {
        const opened = count(middle, open);
        if (opened <= count(middle, close)) continue;
        for (let moved = Math.min(opened, count(tail, close)); moved > 0; moved--) {
          const end = tail.indexOf(close) + close.length;
          middle += tail.slice(0, end);
          tail = tail.slice(end);
        }
      }
      if (http.test(middle)) {
        const href = middle.startsWith("https://") || middle.startsWith("http://") ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttribute}${targetAttribute}>${trim(middle)}</a>`;
      } else if (middle.startsWith("mailto:") && email.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes("@") && !middle.startsWith("www.") && !middle.startsWith("@") && !middle.includes(":") && email.test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else if (options.extraSchemes) {
        for (const scheme of options.extraSchemes) {
          if (middle !== scheme && middle.startsWith(scheme)) middle = `<a href="${middle}"${relAttribute}${targetAttribute}>${middle}</a>`;
        }
      }
      return head + middle + tail;
    })
    .join("");
}
