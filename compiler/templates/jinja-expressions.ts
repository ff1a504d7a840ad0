/**
 * Jinja's expression grammar over one tag's tokens (jinja-lexer.ts), loosest first as Jinja
 * binds them: the inline `if`, `or`, `and`, `not`, comparisons and `in`, `+` and `-`, `~`,
 * `*` `/` `//` `%`, `**` (left to right, between unary operands), unary signs, then filters,
 * tests, calls, attributes, subscripts and slices, and literals. What Jinja refuses is a syntax
 * error; what is valid Jinja outside flowc's subset is reported as unsupported.
 */
import { MARKUP_FILTERS } from "./jinja-checks.ts";
import type { Token } from "./jinja-lexer.ts";
import { ARGUMENT_TESTS, CALLING_FILTERS, FILTER_PARAMETERS, filterNamed, GLOBAL_FUNCTIONS, isFloatLiteral, JINJA_OTHER_TESTS, METHOD_NAMES, PLAIN_TESTS, SELECT_TESTS, SUPPORTED_FILTERS, SUPPORTED_TESTS, TemplateError, type CompareOperator, type Expr, type FilterName, type TestName } from "./jinja-syntax.ts";

/** Parses the expression tokens of one tag. */
export class ExpressionParser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly where: string,
  ) {}

  /** Where the last token read ends. */
  get previousEnd(): number {
    return this.tokens[this.index - 1]?.end ?? this.current.at;
  }

  get current(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const token = this.current;
    if (token.kind !== "end") this.index++;
    return token;
  }

  isOp(text: string): boolean {
    return this.current.kind === "op" && this.current.text === text;
  }

  isName(text: string): boolean {
    return this.current.kind === "name" && this.current.text === text;
  }

  expectOp(text: string): Token {
    if (!this.isOp(text)) this.syntax(`expected \`${text}\`, found ${describe(this.current)}`);
    return this.next();
  }

  expectName(): Token {
    if (this.current.kind !== "name") this.syntax(`expected a name, found ${describe(this.current)}`);
    return this.next();
  }

  atEnd(): boolean {
    return this.current.kind === "end";
  }

  syntax(message: string, token: Token = this.current): never {
    throw new TemplateError(message, "syntax", token.at, Math.max(token.end, token.at + 1));
  }

  unsupported(construct: string, token: Token = this.current, end = token.end): never {
    throw new TemplateError(`${construct} is not supported in ${this.where}`, "unsupported", token.at, Math.max(end, token.at + 1));
  }

  /** An expression, with Jinja's inline `a if b else c` (without `else`, an undefined value when `b` is false). */
  expression(): Expr {
    let value = this.or();
    while (this.isName("if")) {
      this.next();
      const test = this.or();
      let otherwise: Expr | undefined;
      if (this.isName("else")) {
        this.next();
        otherwise = this.expression();
      }
      value = { kind: "condition", test, then: value, otherwise };
    }
    return value;
  }

  /**
   * What a tag holds (Jinja's `parse_tuple`): an expression, or several separated by commas, a
   * tuple. `{{ }}` allows the inline `if`; the test of `{% if %}` and the iterable of
   * `{% for %}` do not (there Jinja reads a following `if` as the end of the expression).
   */
  tuple(withCondition: boolean): Expr {
    const parse = (): Expr => (withCondition ? this.expression() : this.or());
    const first = parse();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.isOp(",")) {
      this.next();
      if (this.atEnd() || this.isName("recursive")) break;
      items.push(parse());
    }
    return { kind: "tuple", items };
  }

  /** An expression without the inline `if`. */
  or(): Expr {
    let left = this.and();
    while (this.isName("or")) {
      this.next();
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName("and")) {
      this.next();
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName("not")) {
      this.next();
      return { kind: "not", operand: this.not() };
    }
    return this.compare();
  }

  private compareOperator(): CompareOperator | undefined {
    const token = this.current;
    if (token.kind === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(token.text)) return token.text as CompareOperator;
    if (this.isName("in")) return "in";
    if (this.isName("not") && this.tokens[this.index + 1]?.kind === "name" && this.tokens[this.index + 1]?.text === "in") return "not in";
    return undefined;
  }

  private compare(): Expr {
    const left = this.math();
    const operator = this.compareOperator();
    if (!operator) return left;
    this.next();
    if (operator === "not in") this.next();
    const right = this.math();
    if (this.compareOperator()) this.unsupported("a chained comparison");
    return { kind: "compare", operator, left, right };
  }

  /** `+` and `-`, whose operands are `~` concatenations (Jinja's precedence). */
  private math(): Expr {
    let left = this.concat();
    while (this.isOp("+") || this.isOp("-")) {
      const operator = this.next().text as "+" | "-";
      left = { kind: "binary", operator, left, right: this.concat() };
    }
    return left;
  }

  private concat(): Expr {
    const items = [this.product()];
    while (this.isOp("~")) {
      this.next();
      items.push(this.product());
    }
    return items.length === 1 ? items[0]! : { kind: "concat", items };
  }

  private product(): Expr {
    let left = this.power();
    while (this.isOp("*") || this.isOp("/") || this.isOp("//") || this.isOp("%")) {
      const operator = this.next().text as "*" | "/" | "//" | "%";
      left = { kind: "binary", operator, left, right: this.power() };
    }
    return left;
  }

  /** `**`, left to right, between unary operands (Jinja's `-2 ** 2` is `(-2) ** 2`). */
  private power(): Expr {
    let left = this.unary();
    while (this.isOp("**")) {
      this.next();
      left = { kind: "binary", operator: "**", left, right: this.unary() };
    }
    return left;
  }

  /**
   * A unary `-` or `+` applies to what follows with its attributes and items but not its
   * filters, which then apply to the result (Jinja's `-x | abs` is `abs(-x)`). A sign before a
   * number literal stays part of the literal.
   */
  private unary(withFilters = true): Expr {
    let value: Expr;
    if (this.isOp("-") || this.isOp("+")) {
      const sign = this.next();
      const operand = this.unary(false);
      const number = operand.kind === "literal" ? operand.number : undefined;
      if (operand.kind === "literal" && number && typeof operand.value === "number" && !/^[-+]/.test(number.text)) {
        // An int literal has no negative zero: `-0` is the int 0.
        const signed = sign.text === "-" ? (isFloatLiteral(number.text) ? -operand.value : 0 - operand.value) : operand.value;
        value = { kind: "literal", value: signed, number: { text: sign.text + number.text, at: sign.at, end: number.end } };
      } else value = { kind: "unary", operator: sign.text as "-" | "+", operand };
    } else value = this.postfix(this.primary());
    if (!withFilters) return value;
    for (;;) {
      if (this.isOp("|")) {
        this.next();
        value = this.filter(value);
      } else if (this.isName("is")) {
        this.next();
        value = this.test(value);
      } else return value;
    }
  }

  private primary(): Expr {
    const token = this.current;
    if (token.kind === "name") {
      this.next();
      if (token.text === "true" || token.text === "True") return { kind: "literal", value: true };
      if (token.text === "false" || token.text === "False") return { kind: "literal", value: false };
      if (token.text === "none" || token.text === "None") return { kind: "literal", value: null };
      // (Read as a value, Jinja's `lipsum` is a function, printed with its address; called, see postfix.)
      if (token.text === "lipsum" && !this.isOp("(")) this.unsupported("reading `lipsum` (Jinja's random placeholder text function)", token);
      if (this.isOp("(") && GLOBAL_FUNCTIONS.has(token.text)) {
        const { args, keywords } = this.callArguments();
        return { kind: "global", name: token.text, at: token.at, args, keywords };
      }
      return { kind: "name", name: token.text, at: token.at };
    }
    if (token.kind === "string") {
      let text = this.next().value as string;
      while (this.current.kind === "string") text += this.next().value as string;
      return { kind: "literal", value: text };
    }
    if (token.kind === "number") {
      this.next();
      return { kind: "literal", value: token.value as number, number: { text: token.text, at: token.at, end: token.end } };
    }
    if (this.isOp("(")) {
      this.next();
      // `()` is the empty tuple, `(a,)` a tuple of one.
      if (this.isOp(")")) {
        this.next();
        return { kind: "tuple", items: [] };
      }
      const inner = this.expression();
      if (!this.isOp(",")) {
        this.expectOp(")");
        return inner;
      }
      const items = [inner];
      while (this.isOp(",")) {
        this.next();
        if (this.isOp(")")) break;
        items.push(this.expression());
      }
      this.expectOp(")");
      return { kind: "tuple", items };
    }
    if (this.isOp("[")) {
      this.next();
      const items: Expr[] = [];
      while (!this.isOp("]")) {
        items.push(this.expression());
        if (!this.isOp(",")) break;
        this.next();
      }
      this.expectOp("]");
      return { kind: "list", items };
    }
    if (this.isOp("{")) return this.dict();
    return this.syntax(`unexpected ${describe(token)}`);
  }

  /** `{key: value, …}`: flowc's dicts have text keys, so each key must be written as a string. */
  private dict(): Expr {
    const open = this.expectOp("{");
    const entries: (readonly [string, Expr])[] = [];
    while (!this.isOp("}")) {
      const keyToken = this.current;
      const key = this.expression();
      if (key.kind !== "literal" || typeof key.value !== "string") this.unsupported("a dict key not written as a string", keyToken, this.tokens[this.index - 1]!.end);
      this.expectOp(":");
      entries.push([key.value, this.expression()]);
      if (!this.isOp(",")) break;
      this.next();
    }
    const close = this.expectOp("}");
    // flowc's dicts are JavaScript objects, which put keys that are array indices first, ascending.
    const written = [...new Set(entries.map(([key]) => key))];
    const held = Object.keys(Object.fromEntries(written.map((key) => [key, true])));
    if (written.some((key, i) => held[i] !== key)) this.unsupported("a dict whose keys of digits (`'1'`) come after other keys or out of order (flowc's dicts would hold them first, in order)", open, close.end);
    return { kind: "dict", entries };
  }

  private postfix(start: Expr): Expr {
    let value = start;
    for (;;) {
      if (this.isOp(".")) {
        this.next();
        const token = this.current;
        if (token.kind === "number" && Number.isInteger(token.value)) {
          this.next();
          value = { kind: "item", object: value, key: { kind: "literal", value: token.value as number }, end: token.end };
          continue;
        }
        const name = this.expectName();
        if (this.isOp("(")) {
          const open = this.current;
          if ((name.text === "keys" || name.text === "values" || name.text === "items") && this.tokens[this.index + 1]?.text === ")") {
            this.next();
            this.next();
            value = { kind: "view", object: value, method: name.text };
            continue;
          }
          if (!METHOD_NAMES.has(name.text)) this.unsupported(`calling \`.${name.text}(…)\`; methods that can be called: ${[...METHOD_NAMES].join(", ")}`, name, open.end);
          const { args, keywords } = this.callArguments();
          value = { kind: "method", object: value, name: name.text, args, keywords };
          continue;
        }
        value = { kind: "attr", object: value, name: name.text, end: name.end };
      } else if (this.isOp("[")) {
        const open = this.next();
        const key = this.isOp(":") ? undefined : this.expression();
        if (this.isOp(",")) this.unsupported("a tuple", open, this.current.end);
        if (this.isOp(":")) {
          value = this.slice(value, key);
          continue;
        }
        const close = this.expectOp("]");
        value = { kind: "item", object: value, key: key!, end: close.end };
      } else if (this.isOp("(")) {
        // Jinja's `lipsum` gives random text, which no template test could expect.
        if (value.kind === "name" && value.name === "lipsum") this.unsupported("calling `lipsum` (Jinja's random placeholder text)");
        const { args, keywords } = this.callArguments();
        value = { kind: "call", callee: value, args, keywords };
      } else return value;
    }
  }

  /** The rest of `[start:stop:step]` after `start` (Jinja's subscript), at the first `:`. */
  private slice(object: Expr, start: Expr | undefined): Expr {
    this.expectOp(":");
    const part = (): Expr | undefined => (this.isOp("]") || this.isOp(",") || this.isOp(":") ? undefined : this.expression());
    const stop = part();
    let step: Expr | undefined;
    if (this.isOp(":")) {
      this.next();
      step = part();
    }
    if (this.isOp(",")) this.unsupported("a tuple of slices");
    this.expectOp("]");
    return { kind: "slice", object, start, stop, step };
  }

  /** The filters of `{% filter a | b %}`, applied to the block's text (the first without `|`). */
  filterStatement(): Expr {
    return this.filterChain(this.filter({ kind: "captured" }));
  }

  /** The filters after `{% set x` of a block assignment, applied to its text. */
  filterChain(value: Expr): Expr {
    let out = value;
    while (this.isOp("|")) {
      this.next();
      out = this.filter(out);
    }
    return out;
  }

  private filter(value: Expr): Expr {
    const token = this.expectName();
    const name = filterNamed(token.text);
    // Jinja looks filters up when it compiles the template: an unknown name is its error.
    if (!name) throw new TemplateError(`Jinja has no filter named \`${token.text}\``, "syntax", token.at, token.end);
    const parameters: readonly string[] = FILTER_PARAMETERS[name];
    if (name === "format") return this.formatFilter(value);
    if (CALLING_FILTERS.has(name)) return this.callingFilter(value, name, token);
    const { args, keywords } = this.callArguments((argToken, keyword, index) => {
      if (keyword === undefined) {
        if (index >= parameters.length) this.unsupported(`a ${ordinal(index + 1)} argument to the filter \`${token.text}\``, argToken);
      } else if (!parameters.includes(keyword)) this.unsupported(`the argument \`${keyword}\` of the filter \`${token.text}\``, argToken);
    });
    // Checked against the positional arguments only: keywords may come in any order.
    const positional = args.length;
    for (const [keyword, arg] of keywords) {
      const position = parameters.indexOf(keyword);
      if (position < positional) this.syntax(`the filter \`${token.text}\` got the argument \`${keyword}\` twice`, token);
      while (args.length < position) args.push({ kind: "missing" });
      args[position] = arg;
    }
    return { kind: "filter", value, name, args, at: token.at, end: token.end };
  }

  /** `*args` and `**kwargs` in a filter's arguments: valid Jinja, outside the subset. */
  private refuseUnpacking(): void {
    if (this.isOp("*") || this.isOp("**")) this.unsupported(`unpacking arguments with \`${this.current.text}\``);
  }

  /** `| format(…)`: any positional arguments, or keyword arguments (Jinja's `do_format` refuses both at once, at run time). */
  private formatFilter(value: Expr): Expr {
    const { args, keywords } = this.callArguments();
    return { kind: "filter", value, name: "format", args, keywords };
  }

  /**
   * `| map(…)`, `| select(…)`, `| reject(…)`, `| selectattr(…)`, `| rejectattr(…)`: the name
   * of the filter or test they call must be written as a string (flowc compiles the call), and
   * be one flowc has; `map` takes `attribute=` and `default=` instead.
   */
  private callingFilter(value: Expr, name: FilterName, token: Token): Expr {
    const { args, keywords } = this.callArguments();
    const stringArg = (index: number): string | undefined => {
      const arg = args[index];
      return arg?.kind === "literal" && typeof arg.value === "string" ? arg.value : undefined;
    };
    if (name === "map") {
      if (args.length === 0 && keywords.some(([key]) => key === "attribute")) {
        const other = keywords.find(([key]) => key !== "attribute" && key !== "default");
        if (other) this.unsupported(`the argument \`${other[0]}\` of \`map(attribute=…)\``, token);
        return { kind: "filter", value, name, args, keywords };
      }
      const filter = stringArg(0);
      const called = filter !== undefined ? filterNamed(filter) : undefined;
      // (`escape` gives Jinja's Markup, which a list prints unlike text.)
      // (`random` draws from the response's random source, which `map` does not hand its filter.)
      if (called === undefined || called === "format" || called === "random" || MARKUP_FILTERS.has(called) || CALLING_FILTERS.has(called)) {
        this.unsupported(filter === undefined ? "`map` without a filter's name written as a string or `attribute=`" : `\`map('${filter}')\`: supported filters: ${SUPPORTED_FILTERS.replace(/\b(escape|forceescape|safe|format|map|random|select|reject|selectattr|rejectattr), /g, "")}`, token);
      }
      if (keywords.length > 0) this.unsupported("keyword arguments to the filter `map` calls", token);
      if (args.length - 1 > FILTER_PARAMETERS[called].length) this.unsupported(`a ${ordinal(args.length)} argument to the filter \`${filter}\``, token);
      return { kind: "filter", value, name, args: [{ kind: "literal", value: called }, ...args.slice(1)] };
    }
    if (keywords.length > 0) this.unsupported(`keyword arguments to the filter \`${name}\``, token);
    const byAttribute = name === "selectattr" || name === "rejectattr";
    if (byAttribute && args.length === 0) this.unsupported(`\`${name}\` without an attribute`, token);
    const testAt = byAttribute ? 1 : 0;
    if (args.length > testAt) {
      const test = stringArg(testAt);
      const known = test !== undefined && Object.hasOwn(SELECT_TESTS, test) ? SELECT_TESTS[test] : undefined;
      if (known === undefined) this.unsupported(test === undefined ? `\`${name}\` with a test's name not written as a string` : `the test \`${test}\` in \`${name}\`; supported tests: ${SUPPORTED_TESTS}`, token);
      const arity = (PLAIN_TESTS as readonly string[]).includes(known) ? 0 : 1;
      if (args.length - testAt - 1 > arity) this.unsupported(`a ${ordinal(args.length - testAt)} argument to the test \`${test}\``, token);
      args[testAt] = { kind: "literal", value: known };
    }
    return { kind: "filter", value, name, args };
  }

  /**
   * A call's positional and keyword arguments, as written (none without `(…)`); `check` sees each
   * argument's first token as it comes, with its keyword or its position among the positional ones.
   */
  callArguments(check?: (argToken: Token, keyword: string | undefined, index: number) => void): { args: Expr[]; keywords: (readonly [string, Expr])[] } {
    const args: Expr[] = [];
    const keywords: (readonly [string, Expr])[] = [];
    if (!this.isOp("(")) return { args, keywords };
    this.next();
    while (!this.isOp(")")) {
      const argToken = this.current;
      this.refuseUnpacking();
      if (argToken.kind === "name" && this.tokens[this.index + 1]?.text === "=" && this.tokens[this.index + 1]?.kind === "op") {
        this.next();
        this.next();
        check?.(argToken, argToken.text, keywords.length);
        // Jinja's compiled Python refuses a repeated keyword argument.
        if (keywords.some(([key]) => key === argToken.text)) this.syntax(`the keyword argument \`${argToken.text}\` is repeated`, argToken);
        keywords.push([argToken.text, this.expression()]);
      } else {
        if (keywords.length > 0) this.syntax("a positional argument follows a keyword argument", argToken);
        check?.(argToken, undefined, args.length);
        args.push(this.expression());
      }
      if (!this.isOp(",")) break;
      this.next();
    }
    this.expectOp(")");
    return { args, keywords };
  }

  private test(value: Expr): Expr {
    let negated = false;
    if (this.isName("not")) {
      this.next();
      negated = true;
    }
    const token = this.expectName();
    // Jinja looks tests up by name, and has none named `None`: `{{ x is None }}` is its error, and
    // `{% if x is None %}` raises when rendered.
    if (token.text === "None") throw new TemplateError("`is None`: Jinja has no test named `None` (it raises); the test is `is none`", "unsupported", token.at, token.end);
    const written = token.text;
    const plain = (PLAIN_TESTS as readonly string[]).includes(written);
    const withArgument = Object.hasOwn(ARGUMENT_TESTS, written) ? ARGUMENT_TESTS[written as keyof typeof ARGUMENT_TESTS] : undefined;
    if (!plain && !withArgument) {
      if (!JINJA_OTHER_TESTS.has(token.text)) throw new TemplateError(`Jinja has no test named \`${token.text}\``, "syntax", token.at, token.end);
      throw new TemplateError(`the test \`is ${token.text}\` is not supported in ${this.where}; supported tests: ${SUPPORTED_TESTS}`, "unsupported", token.at, token.end);
    }
    if (withArgument) {
      // Jinja passes `(…)` or one following value (a name, string, number, list, with its
      // attributes and items) to the test.
      if (this.isOp("(")) {
        const open = this.next();
        if (this.isOp(")")) this.unsupported(`the test \`is ${token.text}\` without its argument`, open, this.current.end);
        const arg = this.expression();
        if (this.isOp(",")) this.unsupported(`a second argument to the test \`is ${token.text}\``);
        if (this.current.kind === "name" && this.tokens[this.index + 1]?.text === "=") this.unsupported(`a keyword argument to the test \`is ${token.text}\``);
        this.expectOp(")");
        return { kind: "test", value, name: withArgument, args: [arg], negated };
      }
      const after = this.current;
      if ((after.kind === "name" && !["else", "or", "and"].includes(after.text)) || after.kind === "string" || after.kind === "number" || this.isOp("[")) {
        if (after.kind === "name" && after.text === "is") this.syntax("tests chained with `is`", after);
        return { kind: "test", value, name: withArgument, args: [this.postfix(this.primary())], negated };
      }
      return this.unsupported(`the test \`is ${token.text}\` without its argument`, token);
    }
    const name = written as TestName;
    if (this.isOp("(")) this.unsupported(`arguments to the test \`is ${token.text}\``);
    // Jinja passes a following name, string, number, list or dict to the test as its argument
    // (`x is none not in l` is `x is none(not) …`), which these tests do not take (a TypeError
    // when it is rendered), and refuses a second `is`.
    const after = this.current;
    if ((after.kind === "name" && !["else", "or", "and"].includes(after.text)) || after.kind === "string" || after.kind === "number" || this.isOp("[") || this.isOp("{")) {
      if (after.kind === "name" && after.text === "is") this.syntax("tests chained with `is`", after);
      this.unsupported(`an argument to the test \`is ${token.text}\` (Jinja passes it ${describe(after)})`, after);
    }
    return { kind: "test", value, name, args: [], negated };
  }
}

function ordinal(n: number): string {
  return n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`;
}

export function describe(token: Token): string {
  return token.kind === "end" ? "the end of the tag" : `\`${token.text}\``;
}
