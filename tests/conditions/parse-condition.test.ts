/**
 * The condition parser must accept exactly what pypred accepts (shared/spec/conditions.md
 * §2–§4, §6.6, §7) and explain the rest with precise spans. The examples come from the spec;
 * the corpus test replays every line the reference library produced.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Expression, TemplatedText } from "../../compiler/conditions/ast.ts";
import { parseCondition } from "../../compiler/conditions/parse-condition.ts";
import type { ConditionSyntaxError } from "../../compiler/conditions/parse-condition.ts";

function parseOk(text: string, templates = false): Expression {
  const result = parseCondition(text, { templates });
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error.message}`);
  return result.ast;
}

function parseError(text: string, templates = false): ConditionSyntaxError {
  const result = parseCondition(text, { templates });
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.error;
}

function showText(parts: TemplatedText): string {
  return parts.map((part) => (typeof part === "string" ? part : `<${part.path.join(".")}>`)).join("");
}

/** A compact, test-side rendering of the tree: `and(a, or(b, c))`. */
function show(node: Expression): string {
  switch (node.kind) {
    case "and":
    case "or":
      return `${node.kind}(${show(node.left)}, ${show(node.right)})`;
    case "not":
      return `not(${show(node.operand)})`;
    case "compare":
      return `${node.operator}(${show(node.left)}, ${show(node.right)})`;
    case "contains":
    case "matches":
      return `${node.kind}(${show(node.left)}, ${show(node.right)})`;
    case "number":
      return `#${node.value}`;
    case "string":
      return `${node.quote}${showText(node.value)}${node.quote}`;
    case "word":
      return showText(node.parts);
    case "regex":
      return `/${showText(node.pattern)}/${node.flags}`;
    case "constant":
      return `:${String(node.value)}`;
    case "set":
      return `{${node.elements.map(show).join(" ")}}`;
    case "group":
      return `(${show(node.expression)})`;
  }
}

function parsesTo(text: string, expected: string, templates = false): void {
  expect(show(parseOk(text, templates)), text).toBe(expected);
}

function expectError(text: string, kind: ConditionSyntaxError["kind"], offending: string, templates = false): void {
  const error = parseError(text, templates);
  expect(error.kind, `${text}: ${error.message}`).toBe(kind);
  expect(text.slice(error.span.start, error.span.end), `${text}: ${error.message}`).toBe(offending);
}

describe("precedence and associativity (§3)", () => {
  it("gives and/or one level, grouped to the right", () => {
    parsesTo("a and b or c", "and(a, or(b, c))");
    parsesTo("a or b and c", "or(a, and(b, c))");
    parsesTo("a and b and c and d", "and(a, and(b, and(c, d)))");
    parsesTo("false and true or true", "and(:false, or(:true, :true))");
  });

  it("binds not tighter than and/or but looser than a comparison", () => {
    parsesTo("not a and b", "and(not(a), b)");
    parsesTo("not a = b", "not(=(a, b))");
    parsesTo("a and not b or c", "and(a, or(not(b), c))");
    parsesTo("not not x", "not(not(x))");
  });

  it("keeps parentheses as groups", () => {
    parsesTo("(a and b) or c", "or((and(a, b)), c)");
    parsesTo("(a > 1) = true", "=((>(a, #1)), :true)");
    parsesTo("x is (not y)", "=(x, (not(y)))");
  });

  it("allows at most one comparison per term", () => {
    expectError("a < b < c", "syntax", "<");
    expectError("a > 1 = true", "syntax", "=");
    expectError("x is not not y", "syntax", "not");
    expectError("x = not y", "syntax", "not");
  });
});

describe("operators", () => {
  it("maps = == is to '=' and != / is not to '!='", () => {
    const cases: [string, string, string][] = [
      ["a = 1", "=", "="],
      ["a == 1", "=", "=="],
      ["a is 1", "=", "is"],
      ["a != 1", "!=", "!="],
      ["a is not 1", "!=", "is not"],
      ["a IS NOT 1", "!=", "IS NOT"],
      ["a < 1", "<", "<"],
      ["a <= 1", "<=", "<="],
      ["a > 1", ">", ">"],
      ["a >= 1", ">=", ">="],
    ];
    for (const [text, operator, operatorText] of cases) {
      const node = parseOk(text);
      expect(node.kind).toBe("compare");
      if (node.kind !== "compare") continue;
      expect(node.operator, text).toBe(operator);
      expect(node.operatorText, text).toBe(operatorText);
      expect(text.slice(node.operatorSpan.start, node.operatorSpan.end)).toBe(operatorText);
    }
  });

  it("treats `> =` as two tokens", () => {
    expectError("a > = 1", "syntax", "=");
    expectError("a === 1", "syntax", "=");
  });

  it("parses contains and matches", () => {
    parsesTo("slots.tags contains 'a'", "contains(slots.tags, 'a')");
    parsesTo("slots.name matches /^a/", "matches(slots.name, /^a/)");
  });
});

describe("keywords (§2)", () => {
  it("are case-insensitive", () => {
    parsesTo("TRUE AND NOT False", "and(:true, not(:false))");
    parsesTo("x Is Not Null", "!=(x, :null)");
    parsesTo("x = UNDEFINED or x = Empty", "or(=(x, :undefined), =(x, :empty))");
    parsesTo("x CONTAINS 1 Or y MATCHES 'z'", "or(contains(x, #1), matches(y, 'z'))");
  });

  it("only match a whole word", () => {
    parsesTo("None", "None");
    parsesTo("nil = yes", "=(nil, yes)");
    parsesTo("not.null", "not.null");
    parsesTo("notx", "notx");
    parsesTo("true5", "true5");
    expectError("a and-5", "syntax", "and-5");
  });

  it("keep the text as written on constants", () => {
    const node = parseOk("NULL");
    expect(node).toMatchObject({ kind: "constant", value: null, text: "NULL" });
  });
});

describe("lexical structure (§2 table)", () => {
  it("reads numbers, NUMBER before words", () => {
    expect(parseOk("-5")).toMatchObject({ kind: "number", value: -5, text: "-5" });
    expect(parseOk("-0.5")).toMatchObject({ kind: "number", value: -0.5 });
    expect(parseOk("007")).toMatchObject({ kind: "number", value: 7, text: "007" });
    expect(parseOk("12.25")).toMatchObject({ kind: "number", value: 12.25 });
  });

  it("reads Unicode decimal digits as Python's float() does", () => {
    parsesTo("slots.n > ١٨", ">(slots.n, #18)");
    expect(parseOk("-１２.５")).toMatchObject({ kind: "number", value: -12.5 });
  });

  it("reads words made of \\w - . : ;", () => {
    for (const word of [".5", "-.5", "--5", "-", "a-5", "x:y;z", "slots.first-name", "slots.a:b", "slots.名前", "x²"]) {
      expect(parseOk(word), word).toMatchObject({ kind: "word", parts: [word], text: word });
    }
  });

  it("rejects a number followed by a word or number", () => {
    expectError("5.", "syntax", ".");
    expectError("1e5", "syntax", "e5");
    expectError("1_000", "syntax", "_000");
    expectError("0x10", "syntax", "x10");
    expectError("1.2.3", "syntax", ".3");
    expectError("5-3", "syntax", "-3");
    expectError("18abc", "syntax", "abc");
    expectError("slots.age_f > 1e1", "syntax", "e1");
  });

  it("handles signs", () => {
    expectError("- 1", "syntax", "1");
    expectError("+1", "lex", "+");
    parsesTo("slots.age>-1", ">(slots.age, #-1)");
    parsesTo("slots.n=18", "=(slots.n, #18)");
  });

  it("reads quoted strings without escapes", () => {
    expectError('"a""b"', "syntax", '"b"');
    expectError('"abc"def', "syntax", "def");
    expectError('slots.name = "a\\"b"', "lex", '"');
    expectError("'it\\'s'", "lex", "'");
    parsesTo("'a\"b' = \"it's\"", "=('a\"b', \"it's\")");
    parsesTo('"line\nbreak"', '"line\nbreak"');
    expect(parseOk('""')).toMatchObject({ kind: "string", quote: '"', value: [], text: '""' });
  });

  it("skips comments and only space, tab, \\r and \\n", () => {
    parsesTo("slots.x#c", "slots.x");
    parsesTo("a # c\n= b", "=(a, b)");
    parsesTo("slots.name\r\n=\t'Alice'", "=(slots.name, 'Alice')");
    expectError("slots.name\u00a0= 'Alice'", "lex", "\u00a0");
    expectError("a =\f1", "lex", "\f");
    expectError("a =\v1", "lex", "\v");
  });

  it("reads /regex/flags literals", () => {
    expect(parseOk("/abc/iS")).toMatchObject({ kind: "regex", pattern: ["abc"], flags: "iS", text: "/abc/iS" });
    parsesTo("/a b\nc/", "/a b\nc/");
    expectError("/abc/x", "syntax", "x");
    expectError("a / b", "lex", "/ b");
  });

  it("reports illegal characters", () => {
    for (const char of [",", "!", "[", "]", "&", "|", "*", "?", "@", "$", "%", "^", "`", "\\", "~"]) {
      expectError(`a ${char} b`, "lex", char);
    }
    expectError("a = 😀", "lex", "😀");
  });

  it("reports a lone surrogate (a YAML `\\ud800` escape) as an illegal character", () => {
    for (const char of ["\ud800", "\udfff"]) {
      expectError(`a = ${char}`, "lex", char);
      expect(parseError(char).message).toBe(`U+${char.charCodeAt(0).toString(16).toUpperCase()} is not allowed in a condition`);
    }
  });

  it("rejects empty input", () => {
    for (const text of ["", "   ", "# only a comment", "\n\t"]) {
      const error = parseError(text);
      expect(error.kind).toBe("syntax");
      expect(error.message).toBe("empty condition");
    }
  });

  it("reads set literals separated by whitespace", () => {
    parsesTo("{'WARN' 'ERR'} contains slots.level", "contains({'WARN' 'ERR'}, slots.level)");
    parsesTo("{} or true", "or({}, :true)");
    parsesTo("{1 (2) x}", "{#1 (#2) x}");
    const error = parseError('{"WARN", "ERR"} contains slots.level');
    expect(error).toMatchObject({ kind: "lex", span: { start: 7, end: 8 } });
    expect(error.message).toBe("a comma is not allowed here: set elements are separated by spaces");
  });
});

describe("validity beyond syntax (§4)", () => {
  it("rejects a falsy root", () => {
    for (const text of ["undefined", "EMPTY", "{}", "{ }", "(undefined)", "(({}))"]) {
      expect(parseError(text).kind, text).toBe("ast");
    }
    expectError("(undefined)", "ast", "undefined");
    for (const text of ["not empty", "{x}", "{} or true", "null", "false"]) parseOk(text);
  });

  it("restricts the right side of contains", () => {
    for (const right of ['"a"', "a", "1", "true", "false", "null", "('a')", "/x/"]) parseOk(`x contains ${right}`);
    expectError("x contains undefined", "ast", "undefined");
    expectError("x contains empty", "ast", "empty");
    expectError("x contains {a}", "ast", "{a}");
    expectError("x contains (a = b)", "ast", "a = b");
  });

  it("restricts the right side of matches to string tokens", () => {
    for (const right of ['"a"', "a", "/a/", "('a')"]) parseOk(`x matches ${right}`);
    for (const right of ["5", "true", "null", "undefined", "empty", "{'a'}"]) {
      expectError(`x matches ${right}`, "ast", right);
    }
    expectError('x matches ("A" and "B")', "ast", '"A" and "B"');
  });

  it("rejects the regex flag l", () => {
    expectError("slots.s matches /x/l", "ast", "l");
    expectError("slots.s matches (/x/iL)", "ast", "L");
    parseOk("slots.s = /x/l");
  });

  it("rejects a set directly inside a set", () => {
    expectError("{{1}} contains 1", "ast", "{1}");
    expectError("{1 {2}} contains 2", "ast", "{2}");
    expectError("{ {} }", "ast", "{}");
    expectError("{ ({1}) } = x", "ast", "{1}");
    parseOk("{(a = {1})}");
  });

  it("does not apply pypred's validation pass inside set literals", () => {
    // pypred validates by walking left/right children, which a set literal does not have;
    // only the checks made while building the tree (matches operand, nested sets) apply.
    parseOk("{(a contains {})}");
    parseOk("{(a matches /x/l)}");
    expectError("{(a matches 5)}", "ast", "5");
  });

  it("reports the first problem in the text", () => {
    expectError("x contains {} or y matches 5", "ast", "{}");
  });
});

describe("matches patterns (§6.6, pypred HEAD)", () => {
  function pattern(text: string, templates = false): [string, string] {
    const node = parseOk(text, templates);
    if (node.kind !== "matches") throw new Error(`${text} is not a matches node`);
    return [showText(node.pattern), node.flags];
  }

  it("takes pattern and flags from a regex literal", () => {
    expect(pattern("x matches /abc/i")).toEqual(["abc", "i"]);
    expect(pattern("x matches /ABC/SiM")).toEqual(["ABC", "sim"]);
    expect(pattern("x matches (/a.c/)")).toEqual(["a.c", ""]);
  });

  it("keeps the slashes of a quoted /…/", () => {
    expect(pattern('x matches "/abc/i"')).toEqual(["/abc/i", ""]);
    expect(pattern("x matches '\\d{5}'")).toEqual(["\\d{5}", ""]);
    expect(pattern("x matches \"'x'\"")).toEqual(["'x'", ""]);
  });

  it("uses a word's text, never its value", () => {
    expect(pattern("slots.name matches slots.name")).toEqual(["slots.name", ""]);
  });

  it("strips quotes when the token spans a newline", () => {
    expect(pattern("x matches \"'a\nb'\"")).toEqual(["a\nb", ""]);
    expect(pattern("x matches /a\nb/i")).toEqual(["/a\nb/i", ""]);
  });

  it("keeps holes in the pattern", () => {
    expect(pattern('x matches "^{{context.p}}$"', true)).toEqual(["^<context.p>$", ""]);
    expect(pattern("x matches /{{ context.p }}/I", true)).toEqual(["<context.p>", "i"]);
  });
});

describe("Jinja holes (§7)", () => {
  it("parses holes in words, strings and regexes", () => {
    parsesTo("slots.{{context.collect}} is not null", "!=(slots.<context.collect>, :null)", true);
    parsesTo("slots.{{ context.collect }} > 17", ">(slots.<context.collect>, #17)", true);
    parsesTo("{{context.flow_id}} = transfer_money", "=(<context.flow_id>, transfer_money)", true);
    parsesTo('"{{context.previous_flow_name}}" != "greeting"', '!=("<context.previous_flow_name>", "greeting")', true);
    parsesTo("validate_{{context.collect}}", "validate_<context.collect>", true);
    parsesTo("slots.age < {{slots.age}}", "<(slots.age, <slots.age>)", true);
    parsesTo("not {{context.is_reset_only}}", "not(<context.is_reset_only>)", true);
    parsesTo("x matches /^{{context.p}}/", "matches(x, /^<context.p>/)", true);
  });

  it("builds hole nodes with paths and spans", () => {
    const text = "slots.{{ context.collect }}";
    const node = parseOk(text, true);
    expect(node.kind).toBe("word");
    if (node.kind !== "word") return;
    const [prefix, hole] = node.parts;
    expect(prefix).toBe("slots.");
    expect(hole).toMatchObject({ kind: "hole", path: ["context", "collect"] });
    if (typeof hole !== "object") return;
    expect(text.slice(hole.span.start, hole.span.end)).toBe("{{ context.collect }}");
    expect(node.text).toBe(text);
  });

  it("never reads a word with a hole as a keyword or number", () => {
    expectError("a and{{x}} b", "syntax", "and{{x}}", true);
    parsesTo("18{{x}}", "18<x>", true);
  });

  it("rejects Jinja beyond dotted-name holes with a clear error", () => {
    expectError("{% if x %}true{% endif %}", "lex", "{% if x %}", true);
    expectError("{#c#}true", "lex", "{#c#}", true);
    expectError("{{ context.collect | upper }} = 1", "lex", "{{ context.collect | upper }}", true);
    expectError("{{1}} contains 1", "lex", "{{1}}", true);
    expectError('slots.s = "{{"', "lex", "{{", true);
    expect(parseError("{#c#}true", true).message).toMatch(/not supported/);
  });

  it("leaves `{{` alone when templates are off", () => {
    parsesTo('x = "{{context.a}}"', '=(x, "{{context.a}}")');
    expectError("{{context.is_reset_only}}", "ast", "{context.is_reset_only}");
    expectError("slots.{{context.collect}} is not null", "syntax", "{");
    expectError("x = {%", "lex", "%");
  });
});

describe("spans", () => {
  it("covers every node", () => {
    const text = "not (a = 1) and {b 'c'} contains \"d\"";
    const root = parseOk(text);
    const slice = (node: { span: { start: number; end: number } }): string => text.slice(node.span.start, node.span.end);
    expect(slice(root)).toBe(text);
    if (root.kind !== "and") throw new Error("expected and");
    expect(text.slice(root.operatorSpan.start, root.operatorSpan.end)).toBe("and");
    expect(slice(root.left)).toBe("not (a = 1)");
    if (root.left.kind !== "not") throw new Error("expected not");
    expect(slice(root.left.operand)).toBe("(a = 1)");
    if (root.right.kind !== "contains") throw new Error("expected contains");
    expect(slice(root.right.left)).toBe("{b 'c'}");
    expect(slice(root.right.right)).toBe('"d"');
    expect(text.slice(root.right.operatorSpan.start, root.right.operatorSpan.end)).toBe("contains");
  });

  it("spans `is not` from `is` to `not`", () => {
    const text = "x is   not 1";
    const node = parseOk(text);
    if (node.kind !== "compare") throw new Error("expected compare");
    expect(text.slice(node.operatorSpan.start, node.operatorSpan.end)).toBe("is   not");
    expect(node.operatorText).toBe("is not");
  });
});

describe("error messages", () => {
  it("words a syntax error for a person", () => {
    const error = parseError("18abc");
    expect(error.message).toBe("unexpected `abc` after `18`; expected `and`, `or`, an operator or the end of the condition");
    expect(error.expected).toEqual(["`and`", "`or`", "an operator", "the end of the condition"]);
  });

  it("points at the end for an unexpected end", () => {
    const error = parseError("a and ");
    expect(error.kind).toBe("syntax");
    expect(error.span).toEqual({ start: 6, end: 6 });
    expect(error.message).toMatch(/^unexpected end of the condition after `and`/);
    expect(error.expected).toEqual(["`not`", "a value"]);
  });

  it("lists what may follow inside parentheses and sets", () => {
    expect(parseError("(a = 1 b)").expected).toContain("`)`");
    expect(parseError("{1 2").expected).toEqual(["a value", "`}`"]);
  });

  it("names an unterminated string", () => {
    const error = parseError("x = 'abc");
    expect(error).toMatchObject({ kind: "lex", span: { start: 4, end: 8 } });
    expect(error.message).toMatch(/unterminated string/);
  });
});

describe("corpus (shared/conditions/corpus.jsonl)", () => {
  interface CorpusLine {
    expr: string;
    valid: boolean;
    error: string | null;
    site?: "branch" | "rejection" | "guard";
    rendered?: string;
  }

  const corpusUrl = new URL("../../../shared/conditions/corpus.jsonl", import.meta.url);
  const lines: CorpusLine[] = readFileSync(corpusUrl, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusLine);

  /** Invalid only because Python's `re` refuses the pattern: checked by another module. */
  function failsOnlyInPythonRe(line: CorpusLine): boolean {
    return !line.valid && line.error !== null && line.error.startsWith("ast: regex does not compile") && !line.error.includes("LOCALE");
  }

  /** Jinja that is not a `{{ dotted.path }}` hole: `{% %}`, `{# #}`, filters, literals. */
  function usesUnsupportedJinja(text: string): boolean {
    return /\{[%#]/.test(text) || /\{\{(?![ \t\r\n]*[A-Za-z_][\w.]*[ \t\r\n]*\}\})/.test(text);
  }

  it("agrees with pypred on validity for every line", () => {
    let checked = 0;
    let regexOnly = 0;
    let notRendered = 0;
    const disagreements: string[] = [];
    for (const line of lines) {
      const templated = line.site === "branch" || line.site === "rejection";
      if (templated && line.rendered === undefined) {
        notRendered += 1;
        continue;
      }
      const text = templated ? (line.rendered ?? "") : line.expr;
      const result = parseCondition(text, { templates: false });
      if (failsOnlyInPythonRe(line)) {
        regexOnly += 1;
        if (!result.ok) disagreements.push(`regex-only line rejected: ${JSON.stringify(text)}`);
        continue;
      }
      checked += 1;
      if (result.ok !== line.valid) disagreements.push(`${JSON.stringify(text)}: expected valid=${line.valid}`);
    }
    expect(disagreements).toEqual([]);
    expect(lines.length).toBe(3200);
    expect(checked).toBe(3175);
    expect(regexOnly).toBe(13);
    expect(notRendered).toBe(12);
  });

  it("uses the corpus error class as the error kind", () => {
    let compared = 0;
    for (const line of lines) {
      if (line.valid || line.site !== undefined || failsOnlyInPythonRe(line)) continue;
      const result = parseCondition(line.expr, { templates: false });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(`${result.error.kind}:`, line.expr).toBe(line.error?.slice(0, result.error.kind.length + 1));
      compared += 1;
    }
    expect(compared).toBe(282);
  });

  it("parses the holes of every valid branch and rejection condition", () => {
    let parsed = 0;
    let unsupported = 0;
    for (const line of lines) {
      if ((line.site !== "branch" && line.site !== "rejection") || !line.valid) continue;
      const result = parseCondition(line.expr, { templates: true });
      if (usesUnsupportedJinja(line.expr)) {
        unsupported += 1;
        expect(result.ok ? "ok" : result.error.kind, line.expr).toBe("lex");
        continue;
      }
      expect(result.ok ? "ok" : result.error.message, line.expr).toBe("ok");
      parsed += 1;
    }
    expect(parsed).toBe(57);
    expect(unsupported).toBe(10);
  });

  it("rejects the lines Jinja itself cannot parse", () => {
    const syntaxErrors = lines.filter((line) => line.error?.startsWith("jinja: TemplateSyntaxError"));
    expect(syntaxErrors.length).toBe(4);
    for (const line of syntaxErrors) {
      const result = parseCondition(line.expr, { templates: true });
      expect(result.ok ? "ok" : result.error.kind, line.expr).toBe("lex");
    }
  });
});
