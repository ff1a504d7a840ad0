/**
 * A string that a simple regular expression matches, for `slots.x matches "..."` conditions:
 * `flowc gen-tests` needs a slot value that takes the branch (and one that does not). Covers
 * what such conditions are usually made of — literals, escapes (`\d`, `\w`, `\s`, `\.`),
 * classes (`[A-Z]`, `[^ ]`), groups with alternatives (the first is taken), quantifiers (the
 * fewest repetitions allowed), anchors and inline flags; anything else (look-arounds,
 * back-references) gives `undefined`, and the generator then has no value for it.
 *
 *   sampleMatch("^[A-Z]{2}[0-9]{6}$") === "AA000000"
 */

class Unsupported extends Error {}

export function sampleMatch(pattern: string): string | undefined {
  try {
    const parser = new Parser(pattern);
    const text = parser.alternatives();
    if (parser.at < pattern.length) return undefined;
    return text;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Characters tried, in order, for `.` and negated classes. */
const ANY = ["a", "A", "0", "_", "-", "x"];

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  private peek(): string | undefined {
    return this.text[this.at];
  }

  /** `a|b|c`: the first alternative. */
  alternatives(): string {
    const first = this.sequence();
    while (this.peek() === "|") {
      this.at++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") return out;
      const atom = this.atom();
      out += this.quantified(atom);
    }
  }

  private quantified(atom: string): string {
    const c = this.peek();
    let times = 1;
    if (c === "*" || c === "?") {
      this.at++;
      times = 0;
    } else if (c === "+") {
      this.at++;
    } else if (c === "{") {
      const match = /^\{(\d*)(,(\d*))?\}/.exec(this.text.slice(this.at));
      if (!match) return atom; // a literal brace, as in Python
      this.at += match[0].length;
      times = Number(match[1] === "" ? "0" : match[1]);
    } else return atom;
    if (this.peek() === "?" || this.peek() === "+") this.at++; // lazy or possessive
    return atom.repeat(times);
  }

  private atom(): string {
    const c = this.peek()!;
    this.at++;
    switch (c) {
      case "^":
      case "$":
        return "";
      case ".":
        return "a";
      case "\\":
        return this.escape();
      case "[":
        return this.characterClass();
      case "(":
        return this.group();
      case "*":
      case "+":
      case "?":
        throw new Unsupported();
      default:
        return c;
    }
  }

  private escape(): string {
    const c = this.peek();
    if (c === undefined) throw new Unsupported();
    this.at++;
    switch (c) {
      case "d":
        return "0";
      case "w":
        return "a";
      case "s":
        return " ";
      case "D":
      case "W":
      case "S":
        return c === "D" ? "a" : c === "W" ? "-" : "a";
      case "A":
      case "Z":
      case "b":
      case "B":
      case "z":
        return "";
      case "n":
        return "\n";
      case "t":
        return "\t";
      default:
        if (/[0-9]/.test(c)) throw new Unsupported(); // a back-reference
        return c;
    }
  }

  /** `[...]`: its first member, or for `[^...]` the first of {@link ANY} it does not hold. */
  private characterClass(): string {
    const negated = this.peek() === "^";
    if (negated) this.at++;
    const members: ((ch: string) => boolean)[] = [];
    let first: string | undefined;
    let started = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Unsupported();
      if (c === "]" && started) {
        this.at++;
        break;
      }
      started = true;
      this.at++;
      let low = c;
      let test: ((ch: string) => boolean) | undefined;
      if (c === "\\") {
        const e = this.peek();
        if (e === undefined) throw new Unsupported();
        this.at++;
        if (e === "d") test = (ch) => /[0-9]/.test(ch);
        else if (e === "w") test = (ch) => /\w/.test(ch);
        else if (e === "s") test = (ch) => /\s/.test(ch);
        else if (/[DWS]/.test(e)) test = (ch) => new RegExp(`\\${e}`).test(ch);
        low = e === "d" ? "0" : e === "w" ? "a" : e === "s" ? " " : e === "D" || e === "S" ? "a" : e === "W" ? "-" : e;
      }
      if (!test && this.peek() === "-" && this.text[this.at + 1] !== "]" && this.text[this.at + 1] !== undefined) {
        this.at++;
        let high = this.peek()!;
        this.at++;
        if (high === "\\") {
          high = this.peek() ?? "";
          this.at++;
        }
        const from = low;
        test = (ch) => ch >= from && ch <= high;
      }
      const member = low;
      members.push(test ?? ((ch) => ch === member));
      first ??= low;
    }
    if (!negated) {
      if (first === undefined) throw new Unsupported();
      return first;
    }
    const outside = ANY.find((ch) => !members.some((m) => m(ch)));
    if (outside === undefined) throw new Unsupported();
    return outside;
  }

  private group(): string {
    if (this.peek() === "?") {
      const rest = this.text.slice(this.at);
      const flags = /^\?[aiLmsux]+\)/.exec(rest);
      if (flags) {
        this.at += flags[0].length;
        return "";
      }
      const named = /^\?(:|P<[A-Za-z_][A-Za-z0-9_]*>|[aiLmsux-]+:)/.exec(rest);
      if (!named) throw new Unsupported(); // look-arounds, comments, conditionals
      this.at += named[0].length;
    }
    const inside = this.alternatives();
    if (this.peek() !== ")") throw new Unsupported();
    this.at++;
    return inside;
  }
}
