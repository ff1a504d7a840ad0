/**
 * A parsed response template as the body of a plain TypeScript function
 * `(v: TemplateVariables) => string`, written for a person to read: text becomes string
 * literals appended to `out`, `{% if %}` an `if`, `{% for %}` a `for` loop, and every value
 * goes through the helpers of runtime/templates.ts (imported as `$t`), which give Jinja's and
 * Python's behaviour (undefined values, truthiness, `str()`).
 */
import * as templates from "../../runtime/templates.ts";
import { statementExpressions, subExpressions } from "./jinja-checks.ts";
import { isFloatLiteral, type BinaryOperator, type CompareOperator, type Expr, type FilterName, type MacroDefinition, type TemplateNode } from "./jinja-syntax.ts";

export interface TemplateCode {
  /** The statements of the function body, one per line, without indentation. */
  readonly lines: readonly string[];
  /** Whether the body reads the variables (else the parameter is unused). */
  readonly usesVariables: boolean;
  /** The variables the template reads (loop variables aside), each with the offset of its first use. */
  readonly names: ReadonlyMap<string, number>;
}

interface Scope {
  readonly names: ReadonlyMap<string, string>;
  /** The names the enclosing scopes mention anywhere (Jinja's references of the outer frames). */
  readonly mentioned?: ReadonlySet<string>;
}

/**
 * The code of a name the template does not set itself, when the caller has its own way to read
 * it (conditions read their one root from a parameter); undefined: the variables' `v`.
 */
export type FreeNameCode = (name: string) => string | undefined;

class Generator {
  constructor(private readonly freeName: FreeNameCode = () => undefined) {}

  private readonly lines: string[] = [];
  private depth = 0;
  private counter = 0;
  usesVariables = false;
  readonly names = new Map<string, number>();
  private pendingText = "";
  /** The variable the text goes to: `out`, or a `{% set x %}…{% endset %}` block's own. */
  private out = "out";
  /** Loop variables whose `loop` the body used, by their identifier. */
  private readonly usedLoops = new Set<string>();
  /** Whether the template calls `.changed(…)` (of a loop), whose loops then keep what it was last called with. */
  private callsChanged = false;
  /** The identifiers of loop targets and `{% set %}` names, and those of them the template reads. */
  private readonly locals = new Set<string>();
  private readonly readLocals = new Set<string>();

  emit(line: string): void {
    this.flushText();
    this.lines.push(`${"  ".repeat(this.depth)}${line}`);
  }

  private flushText(): void {
    if (this.pendingText === "") return;
    const text = this.pendingText;
    this.pendingText = "";
    this.lines.push(`${"  ".repeat(this.depth)}${this.out} += ${JSON.stringify(text)};`);
  }

  nodes(nodes: readonly TemplateNode[], scope: Scope): void {
    for (const node of nodes) this.node(node, scope);
  }

  /**
   * The scope of the template, of a loop's body or `{% else %}`, or of a `{% set %}` block, with
   * a variable for each name a `{% set %}` in it assigns (not in a nested loop or block, a scope
   * of its own). Until assigned, such a name is what Jinja's analysis of the scope makes it: what
   * it is outside (Jinja reads a name set only in an `{% if %}` branch not taken from the outer
   * scope), or, where the scope assigns the name before it reads it and no outer scope mentions
   * it, undefined (which only a nested loop or block can see, before the assignment).
   */
  openScope(nodes: readonly TemplateNode[], scope: Scope): Scope {
    const assigned = new Set<string>();
    const collect = (list: readonly TemplateNode[]): void => {
      for (const node of list) {
        if (node.kind === "set") for (const name of node.targets) assigned.add(name);
        else if (node.kind === "macro") assigned.add(node.name);
        else if (node.kind === "if") {
          for (const branch of node.branches) collect(branch.body);
          collect(node.otherwise);
        }
      }
    };
    collect(nodes);
    const mentions = firstMentions(nodes);
    const mentioned = new Set([...(scope.mentioned ?? []), ...mentions.keys()]);
    if (assigned.size === 0) return { names: scope.names, mentioned };
    const names = new Map(scope.names);
    for (const name of assigned) {
      const id = `${safeIdentifier(name)}_${++this.counter}`;
      const outer = scope.names.get(name);
      const undefinedFirst = outer === undefined && mentions.get(name) === "store" && !scope.mentioned?.has(name);
      const free = outer === undefined && !undefinedFirst ? this.freeName(name) : undefined;
      if (outer !== undefined) this.readLocals.add(outer);
      else if (!undefinedFirst && free === undefined) this.usesVariables = true;
      this.locals.add(id);
      // (The outer value is read without recording the name as a variable the template reads.)
      this.emit(`let ${id} = ${outer ?? (undefinedFirst ? `$t.missing(${JSON.stringify(name)})` : free ?? `$t.lookup(v, ${JSON.stringify(name)})`)};`);
      names.set(name, id);
    }
    return { names, mentioned };
  }

  private node(node: TemplateNode, scope: Scope): void {
    switch (node.kind) {
      case "text":
        this.pendingText += node.text;
        return;
      case "set": {
        if (node.block) this.captureBlock(node.block, scope);
        const value = this.value(node.value, scope);
        const ids = node.targets.map((name) => scope.names.get(name)!);
        this.emit(ids.length === 1 ? `${ids[0]} = ${value};` : `[${ids.join(", ")}] = $t.unpack(${value}, ${ids.length});`);
        return;
      }
      case "setAttribute": {
        // Jinja checks the namespace before it computes the value.
        const namespace = this.value(node.namespace, scope);
        if (node.block) this.captureBlock(node.block, scope);
        this.emit(`$t.setAttribute(${namespace}, ${JSON.stringify(node.name)}, () => ${this.value(node.value, scope)});`);
        return;
      }
      case "with": {
        // The values are computed outside; the names, and any `{% set %}` inside, are the block's own.
        const names = new Map(scope.names);
        const values = node.assignments.map(([, value]) => this.value(value, scope));
        node.assignments.forEach(([name], i) => {
          const id = `${safeIdentifier(name)}_${++this.counter}`;
          this.locals.add(id);
          // (Declared, then assigned: unread, the declaration goes and the value is still computed, as it may raise.)
          this.emit(`let ${id} = $t.missing(${JSON.stringify(name)});`);
          this.emit(`${id} = ${values[i]};`);
          names.set(name, id);
        });
        this.nodes(node.body, this.openScope(node.body, { names, mentioned: new Set([...(scope.mentioned ?? []), ...node.assignments.map(([name]) => name)]) }));
        return;
      }
      case "output":
        if (node.block) this.captureBlock(node.block, scope);
        // A variable printed as it is: its scope knows whether its number is a Python float (a float slot's prints `50.0`).
        if (node.expr.kind === "name" && !scope.names.has(node.expr.name) && this.freeName(node.expr.name) === undefined) {
          this.value(node.expr, scope); // (records the variable)
          this.emit(`${this.out} += $t.outputVariable(v, ${JSON.stringify(node.expr.name)});`);
        } else this.emit(`${this.out} += $t.output(${this.value(node.expr, scope)});`);
        return;
      case "if":
        node.branches.forEach((branch, i) => {
          this.emit(`${i === 0 ? "if" : "} else if"} (${this.test(branch.test, scope)}) {`);
          this.block(branch.body, scope);
        });
        if (node.otherwise.length > 0) {
          this.emit("} else {");
          this.block(node.otherwise, scope);
        }
        this.emit("}");
        return;
      case "macro":
        this.emitMacro(scope.names.get(node.name)!, node.name, node.macro, scope);
        return;
      case "callBlock": {
        // (The caller is made before the call's arguments are computed, as in Jinja.)
        const caller = `caller${++this.counter}`;
        this.emitMacro(`const ${caller}`, null, node.caller, scope);
        this.emit(`${this.out} += $t.callBlockText(${this.callCode(node.call, scope, caller)});`);
        return;
      }
      case "for": {
        if (!node.recursive) {
          this.loop(node, scope, this.value(node.iterable, scope));
          return;
        }
        // A recursive loop: its body a function of the items and the depth, which `loop(items)` calls again one level deeper.
        const n = ++this.counter;
        const walk = `walk${n}`;
        this.renderingFunction(`const ${walk} = $t.recursiveLoop((iterable${n}, depth${n}) => {`, (header) => {
          this.emit('let out = "";');
          // (A body that never reads `loop` never reads the depth: `_` for noUnusedParameters.)
          if (!this.loop(node, scope, `iterable${n}`, { walk, depth: `depth${n}` })) this.lines[header] = this.lines[header]!.replace(`depth${n})`, `_depth${n})`);
        });
        this.emit(`${this.out} += ${walk}(${this.value(node.iterable, scope)}, 0);`);
        return;
      }
    }
  }

  /**
   * A `{% for %}` loop over the value `iterable` (code), with `{% else %}`; `recursion`: a
   * recursive loop's function and depth. Whether the body reads `loop`.
   */
  private loop(node: Extract<TemplateNode, { kind: "for" }>, scope: Scope, iterable: string, recursion?: { readonly walk: string; readonly depth: string }): boolean {
    const n = ++this.counter;
    const items = `items${n}`;
    const index = `i${n}`;
    const loop = `loop${n}`;
    const names = new Map(scope.names);
    names.set("loop", loop);
    const targets = node.targets.map((name) => {
      const id = `${safeIdentifier(name)}_${n}`;
      names.set(name, id);
      this.locals.add(id);
      return id;
    });
    this.emit(`const ${items} = $t.iterate(${iterable})${node.test ? this.loopFilter(node.test, node.targets, targets, n, scope) : ""};`);
    const loopStart = this.lines.length;
    this.emit(`for (let ${index} = 0; ${index} < ${items}.length; ${index}++) {`);
    this.depth++;
    const header = this.lines.length;
    this.emit(targets.length === 1 ? `const ${targets[0]} = ${items}[${index}];` : `const [${targets.join(", ")}] = $t.unpack(${items}[${index}], ${targets.length});`);
    this.nodes(node.body, this.openScope(node.body, { names, mentioned: scope.mentioned ?? new Set() }));
    this.flushText();
    if (this.usedLoops.has(loop)) {
      const changes = this.callsChanged ? `changes${n}` : undefined;
      const extra = recursion ? `, ${changes ?? "undefined"}, ${recursion.walk}, ${recursion.depth}` : changes ? `, ${changes}` : "";
      this.lines.splice(header, 0, `${"  ".repeat(this.depth)}const ${loop} = $t.loopInfo(${index}, ${items}.length, ${items}${extra});`);
      if (changes) this.lines.splice(loopStart, 0, `${"  ".repeat(this.depth - 1)}const ${changes} = $t.loopChanges();`);
    }
    this.depth--;
    this.emit("}");
    if (node.otherwise.length > 0) {
      // (A scope of its own, as in Jinja: a `{% set %}` there does not reach past the loop.)
      this.emit(`if (${items}.length === 0) {`);
      this.depth++;
      this.nodes(node.otherwise, this.openScope(node.otherwise, scope));
      this.flushText();
      this.depth--;
      this.emit("}");
    }
    return this.usedLoops.has(loop);
  }

  /**
   * `{% macro %}` (or a `{% call %}` block's caller) as `target = $t.macro(…, (params) => { … })`:
   * a function of its own, whose body renders into its own `out` with the parameters as names of
   * its scope (a parameter not given takes its default, computed then, or the undefined value),
   * and `caller`, `kwargs` and `varargs` where the body reads them (Jinja's rule). Names from
   * outside are read when the macro is called, as Jinja's closures read them.
   */
  private emitMacro(target: string, name: string | null, macro: MacroDefinition, scope: Scope): void {
    const n = ++this.counter;
    const read = new Set<string>();
    for (const expr of statementExpressions(macro.body)) namesRead(expr, (found) => read.add(found));
    const catches = { caller: read.has("caller"), kwargs: read.has("kwargs"), varargs: read.has("varargs") };
    const names = new Map(scope.names);
    const ids = macro.parameters.map((parameter) => `${safeIdentifier(parameter.name)}_${n}`);
    const special = (["caller", "kwargs", "varargs"] as const).filter((key) => catches[key]);
    macro.parameters.forEach((parameter, i) => names.set(parameter.name, ids[i]!));
    for (const key of special) names.set(key, `${key}_${n}`);
    const signature = [...ids, ...special.map((key) => `${key}_${n}`)].join(", ");
    const flags = `{ caller: ${catches.caller}, kwargs: ${catches.kwargs}, varargs: ${catches.varargs} }`;
    this.renderingFunction(`${target} = $t.macro(${JSON.stringify(name)}, [${macro.parameters.map((p) => JSON.stringify(p.name)).join(", ")}], ${flags}, (${signature}) => {`, (header) => {
      macro.parameters.forEach((parameter, i) => {
        const fallback = parameter.fallback ? this.value(parameter.fallback, { names, mentioned: new Set([...(scope.mentioned ?? []), ...names.keys()]) }) : `$t.missing(${JSON.stringify(parameter.name)})`;
        this.emit(`if (${ids[i]} === undefined) ${ids[i]} = ${fallback};`);
      });
      this.emit('let out = "";');
      const bodyScope: Scope = { names, mentioned: new Set([...(scope.mentioned ?? []), ...macro.parameters.map((p) => p.name), ...special]) };
      this.nodes(macro.body, this.openScope(macro.body, bodyScope));
      this.flushText();
      // (`caller`, `kwargs` or `varargs` that only a nested macro reads is this one's too, as in Jinja, but unread here: `_` for noUnusedParameters.)
      for (const key of special) {
        const id = `${key}_${n}`;
        if (!this.lines.slice(header + 1).some((line) => new RegExp(`\\b${id}\\b`).test(line))) this.lines[header] = this.lines[header]!.replace(new RegExp(`\\b${id}\\b`), `_${id}`);
      }
    });
  }

  /**
   * Emits `opening`, then what `body` emits (given the index of the opening's line), then
   * `return out;` and `});`: a function that renders into an `out` of its own, as a macro's
   * body or a recursive loop's does. `body` declares that `out`.
   */
  private renderingFunction(opening: string, body: (header: number) => void): void {
    this.flushText();
    const header = this.lines.length;
    this.emit(opening);
    this.depth++;
    const outer = this.out;
    this.out = "out";
    body(header);
    this.flushText();
    this.emit("return out;");
    this.out = outer;
    this.depth--;
    this.emit("});");
  }

  /** A call as written (`m(…)`, `range(…)`), with `caller=` added for a `{% call %}` block. */
  private callCode(call: Expr, scope: Scope, caller: string): string {
    const keywords = (call.kind === "call" || call.kind === "global" ? call.keywords : []).map(([key, arg]) => `[${JSON.stringify(key)}, ${this.value(arg, scope)}]`);
    keywords.push(`["caller", ${caller}]`);
    if (call.kind === "global") {
      const local = scope.names.get(call.name) ?? this.freeName(call.name);
      if (scope.names.has(call.name)) this.readLocals.add(local!);
      else if (local === undefined) this.usesVariables = true;
      return `$t.callGlobal(${local !== undefined ? `{ ${JSON.stringify(call.name)}: ${local} }` : "v"}, ${JSON.stringify(call.name)}, [${call.args.map((arg) => this.value(arg, scope)).join(", ")}], [${keywords.join(", ")}])`;
    }
    if (call.kind !== "call") throw new Error("a {% call %} block's call");
    return `$t.callValue(${this.value(call.callee, scope)}, [${call.args.map((arg) => this.value(arg, scope)).join(", ")}], [${keywords.join(", ")}])`;
  }

  /** The identifier of the text the last `{% set %}` block rendered, which its value reads as `captured`. */
  private captured = "";

  /**
   * Renders the body of a `{% set x %}…{% endset %}` block into a text of its own (a scope of its
   * own too: a `{% set %}` inside assigns a name of the block only, as in Jinja).
   */
  private captureBlock(body: readonly TemplateNode[], scope: Scope): void {
    const id = `text${++this.counter}`;
    this.emit(`let ${id} = "";`);
    const outer = this.out;
    this.out = id;
    this.nodes(body, this.openScope(body, scope));
    this.flushText();
    this.out = outer;
    this.captured = id;
  }

  /**
   * A loop filter as `.filter(…)` of the items: the test sees the loop's targets (unpacked from
   * the item) and the names outside, as in Jinja; `loop` is not yet this loop's.
   */
  private loopFilter(test: Expr, names: readonly string[], bodyIds: readonly string[], n: number, scope: Scope): string {
    // (Identifiers of their own: the body's may go unread, and then are not declared.)
    const ids = bodyIds.map((id) => `${id}t`);
    const testNames = new Map(scope.names);
    names.forEach((name, i) => testNames.set(name, ids[i]!));
    const read = new Set<string>();
    namesRead(test, (name) => read.add(name));
    const code = this.test(test, { names: testNames, ...(scope.mentioned ? { mentioned: scope.mentioned } : {}) });
    if (names.length === 1) return `.filter((${read.has(names[0]!) ? ids[0] : ""}) => ${code})`;
    const item = `item${n}`;
    const unpacked = names.some((name) => read.has(name)) ? `const [${ids.map((id, i) => (read.has(names[i]!) ? id : "")).join(", ")}] = ` : "";
    return `.filter((${item}) => { ${unpacked}$t.unpack(${item}, ${names.length}); return ${code}; })`;
  }

  private block(nodes: readonly TemplateNode[], scope: Scope): void {
    this.flushText();
    this.depth++;
    this.nodes(nodes, scope);
    this.flushText();
    this.depth--;
  }

  /**
   * The lines, without the variables the template never reads (generated modules are checked
   * with `noUnusedLocals`): such a loop target or `{% set %}` name is not declared, left out of
   * a destructuring, and its assignment keeps only the value (still computed: it may raise).
   */
  finish(): string[] {
    this.flushText();
    const unread = new Set([...this.locals].filter((id) => !this.readLocals.has(id)));
    if (unread.size === 0) return this.lines;
    return this.lines.flatMap((line) => {
      const code = line.trimStart();
      const indent = line.slice(0, line.length - code.length);
      const declaration = /^(?:const|let) ([^\s=[]+) = /.exec(code);
      if (declaration && unread.has(declaration[1]!)) return [];
      const destructuring = /^((?:const )?\[)([^\]]*)(\] = [\s\S]*)$/.exec(code);
      if (destructuring) return [indent + destructuring[1]! + destructuring[2]!.split(", ").map((id) => (unread.has(id) ? "" : id)).join(", ") + destructuring[3]!];
      const assignment = /^([^\s=]+) = ([\s\S]*)$/.exec(code);
      if (assignment && unread.has(assignment[1]!)) return [indent + assignment[2]!];
      return [line];
    });
  }

  /** An expression as a JavaScript boolean. */
  test(expr: Expr, scope: Scope): string {
    switch (expr.kind) {
      case "not":
        return `!${this.atom(this.test(expr.operand, scope))}`;
      case "and":
        return `${this.atom(this.test(expr.left, scope))} && ${this.atom(this.test(expr.right, scope))}`;
      case "or":
        return `${this.atom(this.test(expr.left, scope))} || ${this.atom(this.test(expr.right, scope))}`;
      case "compare":
      case "test":
        return this.value(expr, scope);
      default:
        return `$t.truthy(${this.value(expr, scope)})`;
    }
  }

  private atom(code: string): string {
    return /^[!$\w.]+(\(.*\))?$/.test(code) && !code.includes(" && ") && !code.includes(" || ") ? code : `(${code})`;
  }

  /** An expression as a JavaScript value. */
  value(expr: Expr, scope: Scope): string {
    switch (expr.kind) {
      case "name": {
        const local = scope.names.get(expr.name);
        if (local) {
          this.readLocals.add(local);
          if (expr.name === "loop") this.usedLoops.add(local);
          return local;
        }
        if (!this.names.has(expr.name)) this.names.set(expr.name, expr.at);
        const free = this.freeName(expr.name);
        if (free !== undefined) return free;
        this.usesVariables = true;
        return `$t.lookup(v, ${JSON.stringify(expr.name)})`;
      }
      case "literal":
        // A whole float literal (`1.0`, `2e3`) is a Python float, which a JavaScript number alone is not.
        if (typeof expr.value === "number" && Number.isInteger(expr.value) && expr.number && isFloatLiteral(expr.number.text)) return `$t.pyFloat(${Object.is(expr.value, -0) ? "-0" : String(expr.value)})`;
        return literal(expr.value);
      case "list":
        return `[${expr.items.map((item) => this.value(item, scope)).join(", ")}]`;
      case "tuple":
        return `new $t.Tuple([${expr.items.map((item) => this.value(item, scope)).join(", ")}])`;
      case "missing":
        return "undefined";
      case "captured":
        return this.captured;
      case "method": {
        if (expr.name === "changed") this.callsChanged = true;
        const keywords = expr.keywords.length > 0 ? `, [${expr.keywords.map(([key, arg]) => `[${JSON.stringify(key)}, ${this.value(arg, scope)}]`).join(", ")}]` : "";
        return `$t.callMethod(${this.value(expr.object, scope)}, ${JSON.stringify(expr.name)}, [${expr.args.map((arg) => this.value(arg, scope)).join(", ")}]${keywords})`;
      }
      case "global": {
        // (A variable of the same name hides the global: the call reads the variable, or the variables.)
        const keywords = expr.keywords.length > 0 ? `, [${expr.keywords.map(([key, arg]) => `[${JSON.stringify(key)}, ${this.value(arg, scope)}]`).join(", ")}]` : "";
        const local = scope.names.get(expr.name) ?? this.freeName(expr.name);
        if (scope.names.has(expr.name)) this.readLocals.add(local!);
        else if (local === undefined) this.usesVariables = true;
        return `$t.callGlobal(${local !== undefined ? `{ ${JSON.stringify(expr.name)}: ${local} }` : "v"}, ${JSON.stringify(expr.name)}, [${expr.args.map((arg) => this.value(arg, scope)).join(", ")}]${keywords})`;
      }
      case "call": {
        const keywords = expr.keywords.length > 0 ? `, [${expr.keywords.map(([key, arg]) => `[${JSON.stringify(key)}, ${this.value(arg, scope)}]`).join(", ")}]` : "";
        return `$t.callValue(${this.value(expr.callee, scope)}, [${expr.args.map((arg) => this.value(arg, scope)).join(", ")}]${keywords})`;
      }
      case "slice": {
        const part = (e: Expr | undefined): string => (e ? this.value(e, scope) : "null");
        return `$t.slice(${this.value(expr.object, scope)}, ${part(expr.start)}, ${part(expr.stop)}, ${part(expr.step)})`;
      }
      case "dict":
        return `$t.dictLiteral([${expr.entries.map(([key, value]) => `[${JSON.stringify(key)}, ${this.value(value, scope)}]`).join(", ")}])`;
      case "binary":
        if (expr.operator === "**" && !isConstant(expr.right)) {
          // Jinja computes a constant when it compiles the template and writes a negative one into
          // its Python code bare, so `-2 ** n` (and `(1 - 3) ** n`) is Python's `-(2 ** n)`.
          const base = negativeConstant(expr.left);
          if (base !== undefined) return `$t.neg($t.pow(${numberCode(base)}, ${this.value(expr.right, scope)}))`;
        }
        return `$t.${BINARY_FUNCTIONS[expr.operator]}(${this.value(expr.left, scope)}, ${this.value(expr.right, scope)})`;
      case "unary":
        return `$t.${expr.operator === "-" ? "neg" : "pos"}(${this.value(expr.operand, scope)})`;
      case "concat":
        return `$t.concat(${expr.items.map((item) => this.value(item, scope)).join(", ")})`;
      case "condition":
        return `(${this.test(expr.test, scope)} ? ${this.value(expr.then, scope)} : ${expr.otherwise ? this.value(expr.otherwise, scope) : "$t.noElse()"})`;
      case "attr":
        return `$t.attr(${this.value(expr.object, scope)}, ${JSON.stringify(expr.name)})`;
      case "item":
        return `$t.item(${this.value(expr.object, scope)}, ${this.value(expr.key, scope)})`;
      case "view":
        return `$t.dictView(${this.value(expr.object, scope)}, ${JSON.stringify(expr.method)})`;
      case "filter": {
        // Jinja's escape leaves its own result and tojson's (Markup, already safe) as they are.
        if (expr.name === "escape" && expr.value.kind === "filter" && (expr.value.name === "escape" || expr.value.name === "forceescape" || expr.value.name === "safe" || expr.value.name === "tojson")) return this.value(expr.value, scope);
        const fn = filterFunction(expr.name);
        if (expr.name === "random") {
          // (It draws from the variables' random source: a response's is the assistant's variation choice.)
          this.usesVariables = true;
          return `$t.random(${this.value(expr.value, scope)}, v)`;
        }
        if (expr.name === "map") {
          const keywords = new Map(expr.keywords ?? []);
          const attribute = keywords.get("attribute");
          const fallback = keywords.get("default");
          if (attribute) return `$t.mapAttribute(${this.value(expr.value, scope)}, ${this.value(attribute, scope)}${fallback ? `, ${this.value(fallback, scope)}` : ""})`;
          const [called, ...args] = expr.args;
          const name = (called as { readonly value: FilterName }).value;
          return `$t.mapFilter(${this.value(expr.value, scope)}, $t.${filterFunction(name)}, [${args.map((arg) => this.value(arg, scope)).join(", ")}])`;
        }
        if (expr.name === "select" || expr.name === "reject" || expr.name === "selectattr" || expr.name === "rejectattr") {
          const byAttribute = expr.name.endsWith("attr");
          const [attribute, test, ...args] = byAttribute ? expr.args : [undefined, ...expr.args];
          const testName = test ? JSON.stringify((test as { readonly value: string }).value) : "null";
          const keep = expr.name.startsWith("select");
          return `$t.select(${this.value(expr.value, scope)}, ${keep}, ${attribute ? this.value(attribute, scope) : "undefined"}, ${testName}, [${args.map((arg) => this.value(arg!, scope)).join(", ")}])`;
        }
        if (expr.name === "format") {
          const keywords = (expr.keywords ?? []).map(([key, arg]) => `[${JSON.stringify(key)}, ${this.value(arg, scope)}]`);
          return `$t.format(${this.value(expr.value, scope)}, [${expr.args.map((arg) => this.value(arg, scope)).join(", ")}], [${keywords.join(", ")}])`;
        }
        return `$t.${fn}(${[this.value(expr.value, scope), ...expr.args.map((arg) => this.value(arg, scope))].join(", ")})`;
      }
      case "test": {
        const value = this.value(expr.value, scope);
        if (expr.name !== "none" && expr.name !== "defined" && expr.name !== "undefined") {
          const code = `$t.jinjaTest(${JSON.stringify(expr.name)}, ${[value, ...expr.args.map((arg) => this.value(arg, scope))].join(", ")})`;
          return expr.negated ? `!${code}` : code;
        }
        const code = expr.name === "none" ? `$t.isNone(${value})` : `$t.isDefined(${value})`;
        return expr.negated !== (expr.name === "undefined") ? `!${code}` : code;
      }
      case "not":
        return `!${this.atom(this.test(expr.operand, scope))}`;
      case "and":
      case "or":
        return `$t.${expr.kind}(${this.value(expr.left, scope)}, () => ${this.value(expr.right, scope)})`;
      case "compare":
        return compareCode(expr.operator, this.value(expr.left, scope), this.value(expr.right, scope));
    }
  }
}

/** The runtime/templates.ts function of a filter: its own name, but for these. */
const FILTER_FUNCTIONS: Readonly<Partial<Record<FilterName, string>>> = {
  default: "defaultTo",
  float: "toFloat",
  int: "toInt",
  map: "mapFilter",
  reject: "select",
  selectattr: "select",
  rejectattr: "select",
  slice: "sliceFilter",
  attr: "attrFilter",
};

function filterFunction(name: FilterName): string {
  return FILTER_FUNCTIONS[name] ?? name;
}

/** The runtime/templates.ts function of each operator. */
const BINARY_FUNCTIONS: Readonly<Record<BinaryOperator, string>> = { "+": "add", "-": "sub", "*": "mul", "/": "truediv", "//": "floordiv", "%": "mod", "**": "pow" };

function compareCode(operator: CompareOperator, left: string, right: string): string {
  switch (operator) {
    case "==":
      return `$t.eq(${left}, ${right})`;
    case "!=":
      return `!$t.eq(${left}, ${right})`;
    case "in":
      return `$t.isIn(${left}, ${right})`;
    case "not in":
      return `!$t.isIn(${left}, ${right})`;
    default:
      return `$t.compare(${left}, ${JSON.stringify(operator)}, ${right})`;
  }
}

function literal(value: string | number | boolean | null): string {
  if (typeof value === "number" && !Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return JSON.stringify(value);
}

/** A loop variable's name as an identifier (a numbered suffix follows, so it never clashes with a keyword). */
function safeIdentifier(name: string): string {
  return name.replace(/[^\p{ID_Continue}$]/gu, "_");
}

/**
 * One expression as JavaScript, the way a template's `{{ }}` (`output`: its printed text) or
 * `{% if %}` (`test`: a boolean) uses it, with the names it reads through `freeName`.
 */
export function expressionCode(expr: Expr, use: "output" | "test" | "value", freeName: FreeNameCode): string {
  const generator = new Generator(freeName);
  const scope: Scope = { names: new Map() };
  if (use === "test") return generator.test(expr, scope);
  const value = generator.value(expr, scope);
  return use === "output" ? `$t.output(${value})` : value;
}

/**
 * Statements (a `{% for %}` block) as one JavaScript expression, the text they print, with the
 * names they read through `freeName` (see {@link expressionCode}).
 */
export function blockCode(nodes: readonly TemplateNode[], freeName: FreeNameCode): string {
  const generator = new Generator(freeName);
  generator.nodes(nodes, generator.openScope(nodes, { names: new Map() }));
  const body = generator.finish().map((line) => line.trimStart());
  return `(() => {\nlet out = "";\n${body.join("\n")}\nreturn out;\n})()`;
}

/** The number a constant expression of numbers and arithmetic is (Python's, as Jinja computes it when it compiles), if it is one and it computes. */
function constantNumber(expr: Expr): number | templates.PyFloat | undefined {
  try {
    switch (expr.kind) {
      case "literal":
        if (typeof expr.value !== "number") return undefined;
        return expr.number && isFloatLiteral(expr.number.text) ? templates.pyFloat(expr.value) : expr.value;
      case "unary": {
        const operand = constantNumber(expr.operand);
        return operand === undefined ? undefined : (templates[expr.operator === "-" ? "neg" : "pos"](operand) as number | templates.PyFloat);
      }
      case "binary": {
        const left = constantNumber(expr.left);
        const right = constantNumber(expr.right);
        if (left === undefined || right === undefined) return undefined;
        const result = templates[BINARY_FUNCTIONS[expr.operator] as "add"](left, right);
        return typeof result === "number" || result instanceof templates.PyFloat ? result : undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined; // (Jinja leaves a constant that raises to be computed, and raise, when rendered.)
  }
}

/** The magnitude of a constant that is a negative number (or `-0.0`), if the expression is one. */
function negativeConstant(expr: Expr): number | templates.PyFloat | undefined {
  const value = constantNumber(expr);
  const n = value instanceof templates.PyFloat ? value.value : value;
  if (n === undefined || !(n < 0 || Object.is(n, -0))) return undefined;
  return value instanceof templates.PyFloat ? new templates.PyFloat(-n) : typeof value === "number" && !Number.isInteger(value) ? -n : 0 - n;
}

/** A number as generated code: a whole Python float boxed, as float literals are. */
function numberCode(value: number | templates.PyFloat): string {
  return value instanceof templates.PyFloat ? `$t.pyFloat(${Object.is(value.value, -0) ? "-0" : String(value.value)})` : literal(value);
}

/** Whether Jinja computes an expression when it compiles the template (it reads no variable and calls nothing). */
function isConstant(expr: Expr): boolean {
  if (expr.kind === "name" || expr.kind === "global" || expr.kind === "method" || expr.kind === "call" || expr.kind === "captured") return false;
  return subExpressions(expr).every((part) => part === undefined || isConstant(part));
}

/** The names an expression reads. */
function namesRead(expr: Expr | undefined, into: (name: string) => void): void {
  if (!expr) return;
  if (expr.kind === "name" || expr.kind === "global") into(expr.name);
  for (const part of subExpressions(expr)) namesRead(part, into);
}

/**
 * How Jinja's analysis of a scope first meets each name it mentions: read ("load") or assigned
 * ("store"), in the order of the template. A nested loop's body and else and a `{% set %}`
 * block's body are scopes of their own (a loop's iterable belongs to this one). A name first met
 * in an `{% if %}` counts as read, whatever the `{% if %}` does with it (Jinja 3.1's branch_update).
 */
function firstMentions(nodes: readonly TemplateNode[], first = new Map<string, "load" | "store">()): Map<string, "load" | "store"> {
  const load = (expr: Expr | undefined): void =>
    namesRead(expr, (name) => {
      if (!first.has(name)) first.set(name, "load");
    });
  const store = (name: string): void => {
    if (!first.has(name)) first.set(name, "store");
  };
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        break;
      case "output":
        load(node.expr);
        break;
      case "with":
        for (const [, value] of node.assignments) load(value);
        break;
      case "set":
        if (!node.block) load(node.value);
        node.targets.forEach(store);
        break;
      case "setAttribute":
        if (!node.block) load(node.value);
        load(node.namespace);
        break;
      case "for":
        load(node.iterable);
        break;
      case "macro":
        store(node.name);
        break;
      case "callBlock":
        load(node.call);
        break;
      case "if": {
        // Jinja's analysis makes every name an `{% if %}` assigns (and did not assign before) read from outside.
        const inner = new Map<string, "load" | "store">();
        for (const branch of node.branches) {
          namesRead(branch.test, (name) => inner.set(name, "load"));
          firstMentions(branch.body, inner);
        }
        firstMentions(node.otherwise, inner);
        for (const name of inner.keys()) if (!first.has(name)) first.set(name, "load");
        break;
      }
    }
  }
  return first;
}

/**
 * The function body of a parsed template; `freeName`: how it reads the names it does not set
 * itself, when not from the variables `v` (an action name's template reads `context`).
 */
export function templateCode(nodes: readonly TemplateNode[], freeName?: FreeNameCode): TemplateCode {
  const generator = new Generator(freeName);
  generator.nodes(nodes, generator.openScope(nodes, { names: new Map() }));
  const body = generator.finish();
  const simple = body.length === 1 && body[0]!.startsWith("out += ") ? body[0]!.slice("out += ".length, -1) : undefined;
  const { usesVariables, names } = generator;
  if (body.length === 0) return { lines: ['return "";'], usesVariables, names };
  if (simple !== undefined) return { lines: [`return ${simple};`], usesVariables, names };
  return { lines: ['let out = "";', ...body, "return out;"], usesVariables, names };
}
