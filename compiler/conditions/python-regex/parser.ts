/**
 * The recursive descent of `re._parser` (3.11): `_parse_sub`, `_parse`, the groups, the
 * character classes and the inline flags, with Python's error messages and positions and the
 * optimisations that change the tree; then the checks `re._compiler` makes before compiling
 * (fixed-width look-behind, flag compatibility).
 */
import { DIGITS, F_ASCII, F_LOCALE, F_TEMPLATE, F_UNICODE, F_VERBOSE, GLOBAL_FLAGS, INLINE_FLAGS, MAXGROUPS, MAXREPEAT, REPEAT_CHARS, SPECIAL_CHARS, TYPE_FLAGS, WHITESPACE } from "./constants.ts";
import { isIdentifier, MAX_NESTING, PyError, pyLen, pyRepr, TooDeep } from "./errors.ts";
import { classEscape, mainEscape, type EscapeResult } from "./escapes.ts";
import { getwidth, Source, State } from "./tokenizer.ts";
import { opEquals, Sub, uniq, UNKNOWN_CP, type CpSpan, type Op, type SetItem } from "./tree.ts";

export interface Parsed {
  readonly pattern: string;
  readonly root: Sub;
  /** The global flags after fix_flags (UNICODE added unless ASCII). */
  readonly flags: number;
  readonly state: State;
}

export function parse(pattern: string, flags: number): Parsed {
  const source = new Source(pattern);
  const state = new State(flags);
  const root = parseSub(source, state, (flags & F_VERBOSE) !== 0, 0);
  state.flags = fixFlags(state.flags, source.cps.length);
  if (source.next !== null) throw source.error("unbalanced parenthesis");
  for (const [g, pos] of state.grouprefpos) {
    if (g >= state.groups) throw new PyError(`invalid group reference ${g}`, pos, pos, pos + 1);
  }
  return { pattern, root, flags: state.flags, state };
}

function fixFlags(flags: number, length: number): number {
  if (flags & F_LOCALE) throw new PyError("cannot use LOCALE flag with a str pattern", null, 0, length);
  if (!(flags & F_ASCII)) return flags | F_UNICODE;
  if (flags & F_UNICODE) throw new PyError("ASCII and UNICODE flags are incompatible", null, 0, length);
  return flags;
}

function parseSub(source: Source, state: State, verbose: boolean, nested: number): Sub {
  if (nested > MAX_NESTING) throw new TooDeep(`the pattern nests groups more than ${MAX_NESTING} levels deep`, source.tell());
  const items: Sub[] = [];
  const start = source.tell();
  for (;;) {
    items.push(parseSeq(source, state, verbose, nested + 1, nested === 0 && items.length === 0));
    if (!source.match("|")) break;
    if (nested === 0) verbose = (state.flags & F_VERBOSE) !== 0;
  }
  if (items.length === 1) return items[0]!;
  const span: CpSpan = { start, end: source.tell() };
  const sub = new Sub();

  // check if all items share a common "prefix"; move it out of the branch
  for (;;) {
    let prefix: Op | null = null;
    let shared = true;
    for (const item of items) {
      const head = item.data[0];
      if (head === undefined) {
        shared = false;
        break;
      }
      if (prefix === null) prefix = head;
      else if (!opEquals(head, prefix)) {
        shared = false;
        break;
      }
    }
    if (!shared || prefix === null) break;
    for (const item of items) item.data.shift();
    sub.data.push(prefix);
  }

  // check if the branch can be replaced by a character set
  const set: SetItem[] = [];
  let allSet = true;
  for (const item of items) {
    const op = item.data[0];
    if (item.data.length !== 1 || op === undefined) {
      allSet = false;
      break;
    }
    if (op.op === "LITERAL" && op.cp !== UNKNOWN_CP) set.push({ op: "LITERAL", cp: op.cp });
    else if (op.op === "IN" && op.items[0]?.op !== "NEGATE") set.push(...op.items);
    else {
      allSet = false;
      break;
    }
  }
  if (allSet) {
    sub.data.push({ op: "IN", items: uniq(set), span });
    return sub;
  }
  sub.data.push({ op: "BRANCH", branches: items, span });
  return sub;
}

function parseSeq(source: Source, state: State, verbose: boolean, nested: number, first: boolean): Sub {
  const sub = new Sub();
  const data = sub.data;
  for (;;) {
    const tokenStart = source.tell();
    const token = source.next;
    if (token === null) break;
    if (token === "|" || token === ")") break;
    source.get();

    if (verbose) {
      if (WHITESPACE.has(token)) continue;
      if (token === "#") {
        for (;;) {
          const t = source.get();
          if (t === null || t === "\n") break;
        }
        continue;
      }
    }

    if (token[0] === "\\") {
      data.push(mainEscape(source, token, state, tokenStart));
    } else if (!SPECIAL_CHARS.has(token)) {
      data.push({ op: "LITERAL", cp: token.codePointAt(0) ?? 0, span: { start: tokenStart, end: source.tell() } });
    } else if (token === "[") {
      data.push(parseClass(source, tokenStart));
    } else if (REPEAT_CHARS.has(token)) {
      const here = source.tell();
      let min: number;
      let max: number;
      if (token === "?") [min, max] = [0, 1];
      else if (token === "*") [min, max] = [0, MAXREPEAT];
      else if (token === "+") [min, max] = [1, MAXREPEAT];
      else {
        if (source.next === "}") {
          data.push({ op: "LITERAL", cp: 0x7b, span: { start: tokenStart, end: here } });
          continue;
        }
        [min, max] = [0, MAXREPEAT];
        let lo = "";
        let hi = "";
        while (source.next !== null && DIGITS.has(source.next)) lo += source.get();
        if (source.match(",")) {
          while (source.next !== null && DIGITS.has(source.next)) hi += source.get();
        } else {
          hi = lo;
        }
        if (!source.match("}")) {
          data.push({ op: "LITERAL", cp: 0x7b, span: { start: tokenStart, end: here } });
          source.seek(here);
          continue;
        }
        if (lo !== "") {
          if (BigInt(lo) >= BigInt(MAXREPEAT)) throw new PyError("the repetition number is too large", null, tokenStart, source.tell());
          min = Number(lo);
        }
        if (hi !== "") {
          if (BigInt(hi) >= BigInt(MAXREPEAT)) throw new PyError("the repetition number is too large", null, tokenStart, source.tell());
          max = Number(hi);
          if (max < min) throw source.error("min repeat greater than max repeat", source.tell() - here);
        }
      }
      const last = data[data.length - 1];
      if (last === undefined || last.op === "AT") throw source.error("nothing to repeat", source.tell() - here + 1);
      if (last.op === "REPEAT") throw source.error("multiple repeat", source.tell() - here + 1);
      const item = last.op === "SUBPATTERN" && last.group === null && last.add === 0 && last.del === 0 ? last.p : new Sub([last]);
      const kind = source.match("?") ? "MIN" : source.match("+") ? "POSSESSIVE" : "MAX";
      data[data.length - 1] = { op: "REPEAT", kind, min, max, item, span: { start: last.span.start, end: source.tell() } };
    } else if (token === ".") {
      data.push({ op: "ANY", span: { start: tokenStart, end: source.tell() } });
    } else if (token === "(") {
      const result = parseGroup(source, state, verbose, nested, first, sub, tokenStart);
      if (result === "global-flags") verbose = (state.flags & F_VERBOSE) !== 0;
    } else if (token === "^") {
      data.push({ op: "AT", at: "BEGINNING", span: { start: tokenStart, end: source.tell() } });
    } else if (token === "$") {
      data.push({ op: "AT", at: "END", span: { start: tokenStart, end: source.tell() } });
    }
  }

  // unpack non-capturing groups
  for (let i = data.length - 1; i >= 0; i--) {
    const op = data[i]!;
    if (op.op === "SUBPATTERN" && op.group === null && op.add === 0 && op.del === 0) data.splice(i, 1, ...op.p.data);
  }
  return sub;
}

function parseClass(source: Source, here: number): Op {
  const set: SetItem[] = [];
  const negate = source.match("^");
  const toItem = (result: EscapeResult): SetItem =>
    result.kind === "category" ? { op: "CATEGORY", cat: result.cat } : { op: "LITERAL", cp: result.kind === "literal" ? result.cp : UNKNOWN_CP };
  let named: string | null = null;
  const noteNamed = (result: EscapeResult): void => {
    if (result.kind === "named" && named === null) named = result.name;
  };
  for (;;) {
    const token = source.get();
    if (token === null) throw source.error("unterminated character set", source.tell() - here);
    if (token === "]" && set.length > 0) break;
    let code1: SetItem;
    if (token[0] === "\\") {
      const result = classEscape(source, token);
      noteNamed(result);
      code1 = toItem(result);
    } else {
      code1 = { op: "LITERAL", cp: token.codePointAt(0) ?? 0 };
    }
    if (source.match("-")) {
      const that = source.get();
      if (that === null) throw source.error("unterminated character set", source.tell() - here);
      if (that === "]") {
        set.push(code1, { op: "LITERAL", cp: 0x2d });
        break;
      }
      let code2: SetItem;
      if (that[0] === "\\") {
        const result = classEscape(source, that);
        noteNamed(result);
        code2 = toItem(result);
      } else {
        code2 = { op: "LITERAL", cp: that.codePointAt(0) ?? 0 };
      }
      const message = `bad character range ${token}-${that}`;
      if (code1.op !== "LITERAL" || code2.op !== "LITERAL") throw source.error(message, pyLen(token) + 1 + pyLen(that));
      if (code1.cp === UNKNOWN_CP || code2.cp === UNKNOWN_CP) {
        set.push({ op: "LITERAL", cp: UNKNOWN_CP });
        continue;
      }
      if (code2.cp < code1.cp) throw source.error(message, pyLen(token) + 1 + pyLen(that));
      set.push({ op: "RANGE", lo: code1.cp, hi: code2.cp });
    } else {
      set.push(code1);
    }
  }
  const span: CpSpan = { start: here, end: source.tell() };
  if (named !== null) return { op: "NAMED", name: named, span };
  const items = uniq(set);
  const only = items[0];
  if (items.length === 1 && only !== undefined && only.op === "LITERAL") {
    return negate ? { op: "NOT_LITERAL", cp: only.cp, span } : { op: "LITERAL", cp: only.cp, span };
  }
  return { op: "IN", items: negate ? [{ op: "NEGATE" }, ...items] : items, span };
}

/** `(` has been read. Appends to `sub`; "global-flags" when the group was `(?flags)`. */
function parseGroup(source: Source, state: State, verbose: boolean, nested: number, first: boolean, sub: Sub, start: number): "global-flags" | undefined {
  const data = sub.data;
  const span = (): CpSpan => ({ start, end: source.tell() });
  let capture = true;
  let atomic = false;
  let name: string | null = null;
  let add = 0;
  let del = 0;
  if (source.match("?")) {
    const char = source.get();
    if (char === null) throw source.error("unexpected end of pattern");
    if (char === "P") {
      if (source.match("<")) {
        name = source.getuntil(">", "group name");
        source.checkgroupname(name, 1);
      } else if (source.match("=")) {
        const ref = source.getuntil(")", "group name");
        source.checkgroupname(ref, 1);
        const gid = state.groupdict.get(ref);
        if (gid === undefined) throw source.error(`unknown group name ${pyRepr(ref)}`, pyLen(ref) + 1);
        if (!state.checkgroup(gid)) throw source.error("cannot refer to an open group", pyLen(ref) + 1);
        state.checklookbehindgroup(gid, source);
        data.push({ op: "GROUPREF", gid, span: span() });
        return undefined;
      } else {
        const next = source.get();
        if (next === null) throw source.error("unexpected end of pattern");
        throw source.error(`unknown extension ?P${next}`, pyLen(next) + 2);
      }
    } else if (char === ":") {
      capture = false;
    } else if (char === "#") {
      for (;;) {
        if (source.next === null) throw source.error("missing ), unterminated comment", source.tell() - start);
        if (source.get() === ")") break;
      }
      return undefined;
    } else if (char === "=" || char === "!" || char === "<") {
      let dir: 1 | -1 = 1;
      let kind = char;
      let outerLookbehind: number | null = null;
      if (kind === "<") {
        const next = source.get();
        if (next === null) throw source.error("unexpected end of pattern");
        if (next !== "=" && next !== "!") throw source.error(`unknown extension ?<${next}`, pyLen(next) + 2);
        kind = next;
        dir = -1;
        outerLookbehind = state.lookbehindgroups;
        if (outerLookbehind === null) state.lookbehindgroups = state.groups;
      }
      const p = parseSub(source, state, verbose, nested + 1);
      if (dir < 0 && outerLookbehind === null) state.lookbehindgroups = null;
      if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
      data.push({ op: "ASSERT", dir, negate: kind === "!", p, span: span() });
      return undefined;
    } else if (char === "(") {
      parseConditional(source, state, verbose, nested, data, start);
      return undefined;
    } else if (char === ">") {
      capture = false;
      atomic = true;
    } else if (INLINE_FLAGS.has(char) || char === "-") {
      const flags = parseFlags(source, state, char);
      if (flags === null) {
        if (!first || data.length > 0) throw source.error("global flags not at the start of the expression", source.tell() - start);
        return "global-flags";
      }
      [add, del] = flags;
      capture = false;
    } else {
      throw source.error(`unknown extension ?${char}`, pyLen(char) + 1);
    }
  }

  const group = capture ? state.opengroup(name, source) : null;
  const subVerbose = (verbose || (add & F_VERBOSE) !== 0) && (del & F_VERBOSE) === 0;
  const p = parseSub(source, state, subVerbose, nested + 1);
  if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
  if (group !== null) state.closegroup(group, p);
  if (atomic) data.push({ op: "ATOMIC", p, span: span() });
  else data.push({ op: "SUBPATTERN", group, name, add, del, p, span: span() });
  return undefined;
}

function parseConditional(source: Source, state: State, verbose: boolean, nested: number, data: Op[], start: number): void {
  const condname = source.getuntil(")", "group name");
  let condgroup: number;
  if (isIdentifier(condname)) {
    const gid = state.groupdict.get(condname);
    if (gid === undefined) throw source.error(`unknown group name ${pyRepr(condname)}`, pyLen(condname) + 1);
    condgroup = gid;
  } else {
    const value = pyInt(condname);
    if (value === null || value < 0) throw source.error(`bad character in group name ${pyRepr(condname)}`, pyLen(condname) + 1);
    if (value === 0) throw source.error("bad group number", pyLen(condname) + 1);
    if (value >= MAXGROUPS) throw source.error(`invalid group reference ${value}`, pyLen(condname) + 1);
    if (!state.grouprefpos.has(value)) state.grouprefpos.set(value, source.tell() - pyLen(condname) - 1);
    condgroup = value;
  }
  state.checklookbehindgroup(condgroup, source);
  const yes = parseSeq(source, state, verbose, nested + 1, false);
  let no: Sub | null = null;
  if (source.match("|")) {
    no = parseSeq(source, state, verbose, nested + 1, false);
    if (source.next === "|") throw source.error("conditional backref with more than two branches");
  }
  if (!source.match(")")) throw source.error("missing ), unterminated subpattern", source.tell() - start);
  data.push({ op: "GROUPREF_EXISTS", gid: condgroup, yes, no, span: { start, end: source.tell() } });
}

/** Python's int(text) for a group number: whitespace, a sign, Unicode digits, single underscores. */
function pyInt(text: string): number | null {
  const trimmed = text.replace(/^[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu, "");
  const match = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(trimmed);
  if (match === null) return null;
  let value = 0;
  for (const char of (match[2] ?? "").replaceAll("_", "")) {
    let cp = char.codePointAt(0) ?? 0;
    let zero = cp;
    while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
    cp = (cp - zero) % 10;
    value = value * 10 + cp;
  }
  return match[1] === "-" ? -value : value;
}

function parseFlags(source: Source, state: State, first: string): [number, number] | null {
  let char: string | null = first;
  let add = 0;
  let del = 0;
  if (char !== "-") {
    for (;;) {
      const flag: number = INLINE_FLAGS.get(char) ?? 0;
      if (char === "L") throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      char = source.get();
      if (char === null) throw source.error("missing -, : or )");
      if (char === ")" || char === "-" || char === ":") break;
      if (!INLINE_FLAGS.has(char)) {
        throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing -, : or )", pyLen(char));
      }
    }
  }
  if (char === ")") {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_FLAGS) throw source.error("bad inline flags: cannot turn on global flag", 1);
  if (char === "-") {
    char = source.get();
    if (char === null) throw source.error("missing flag");
    if (!INLINE_FLAGS.has(char)) throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing flag", pyLen(char));
    for (;;) {
      const flag: number = INLINE_FLAGS.get(char) ?? 0;
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      char = source.get();
      if (char === null) throw source.error("missing :");
      if (char === ":") break;
      if (!INLINE_FLAGS.has(char)) throw source.error(/^\p{L}$/u.test(char) ? "unknown flag" : "missing :", pyLen(char));
    }
  }
  if (del & GLOBAL_FLAGS) throw source.error("bad inline flags: cannot turn off global flag", 1);
  if (add & del) throw source.error("bad inline flags: flag turned on and off", 1);
  return [add, del];
}

/**
 * The checks re._compiler makes while generating code: look-behind must be fixed-width, and the
 * (deprecated, otherwise meaningless) TEMPLATE flag refuses every repeat.
 */
export function compileChecks(parsed: Parsed): void {
  const walk = (sub: Sub): void => {
    for (const op of sub.data) {
      if (op.op === "REPEAT" && parsed.flags & F_TEMPLATE) {
        const name = op.kind === "MAX" ? "MAX_REPEAT" : op.kind === "MIN" ? "MIN_REPEAT" : "POSSESSIVE_REPEAT";
        throw new PyError(`internal: unsupported template operator ${name}`, null, op.span.start, op.span.end);
      }
      switch (op.op) {
        case "BRANCH":
          op.branches.forEach(walk);
          break;
        case "SUBPATTERN":
        case "ATOMIC":
          walk(op.p);
          break;
        case "REPEAT":
          walk(op.item);
          break;
        case "GROUPREF_EXISTS":
          walk(op.yes);
          if (op.no !== null) walk(op.no);
          break;
        case "ASSERT":
          if (op.dir < 0) {
            const [lo, hi] = getwidth(op.p, parsed.state);
            if (lo !== hi) throw new PyError("look-behind requires fixed-width pattern", null, op.span.start, op.span.end);
          }
          walk(op.p);
          break;
        default:
          break;
      }
    }
  };
  walk(parsed.root);
}
