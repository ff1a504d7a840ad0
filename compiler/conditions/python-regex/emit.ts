/**
 * Writes the parse tree as JavaScript regex source with Python's meaning for every construct
 * (see ../translate-regex.ts), collecting what JavaScript cannot express, and builds the
 * analysis view of the pattern that the super-linear check reads.
 */
import { F_ASCII, F_DOTALL, F_IGNORECASE, F_MULTILINE, MAXREPEAT, TYPE_FLAGS } from "./constants.ts";
import { classMatcherParts, ignoreCaseLiteral, type Untranslatable } from "./ignore-case.ts";
import { emitMatcher, type CharMatcher } from "./matchers.ts";
import type { Parsed } from "./parser.ts";
import { RangeSet } from "./range-set.ts";
import { Sub, type AtCode, type CpSpan, type Op } from "./tree.ts";
import { UNICODE_WORD_CLASS } from "./unicode.ts";

/** The analysis view of the pattern (for the super-linear check). */
export type ANode =
  | { k: "pos"; matcher: CharMatcher }
  | { k: "eps"; clean: boolean }
  | { k: "seq"; items: ANode[] }
  | { k: "alt"; items: ANode[] }
  | { k: "rep"; min: number; max: number; body: ANode; op: Op & { op: "REPEAT" } };

interface Emitted {
  readonly src: string;
  /** A JS quantifier may follow directly. */
  readonly atom: boolean;
  readonly an: ANode;
}

type PathEntry = Op | { alternative: Sub };

function combineFlags(flags: number, add: number, del: number): number {
  if (add & TYPE_FLAGS) flags &= ~TYPE_FLAGS;
  return (flags | add) & ~del;
}

export class Emitter {
  readonly problems: Untranslatable[] = [];
  readonly lookBodies: ANode[] = [];
  readonly backrefs: CpSpan[] = [];
  private readonly groupPaths = new Map<number, PathEntry[]>();
  private readonly jsNames = new Map<number, string>();
  /** JS capture group numbers: Python's groups, shifted by the groups that emulate atomic ones. */
  private readonly jsNumbers = new Map<number, number>();
  private jsGroups = 0;

  constructor(parsed: Parsed) {
    parsed.state.groupnames.forEach((name, gid) => {
      if (name !== null && jsGroupNameOk(name)) this.jsNames.set(gid, name);
    });
  }

  private refuse(message: string, span: CpSpan): void {
    this.problems.push({ message, start: span.start, end: span.end });
  }

  emitSub(sub: Sub, flags: number, path: PathEntry[]): Emitted {
    if (sub.data.length === 1) return this.emitOp(sub.data[0]!, flags, path);
    const parts = sub.data.map((op) => this.emitOp(op, flags, path));
    return { src: parts.map((part) => part.src).join(""), atom: false, an: { k: "seq", items: parts.map((part) => part.an) } };
  }

  private charOp(matcher: CharMatcher): Emitted {
    return { src: emitMatcher(matcher), atom: true, an: { k: "pos", matcher } };
  }

  private emitOp(op: Op, flags: number, path: PathEntry[]): Emitted {
    const ignoreCase = (flags & F_IGNORECASE) !== 0;
    const ascii = (flags & F_ASCII) !== 0;
    switch (op.op) {
      case "LITERAL":
      case "NOT_LITERAL": {
        const ranges = ignoreCase ? ignoreCaseLiteral(op.cp, ascii) : RangeSet.of(op.cp);
        return this.charOp({ ranges, props: [], notWord: false, negate: op.op === "NOT_LITERAL" });
      }
      case "NAMED":
        this.refuse(`the named character escape \\N{${op.name}} is not supported (flowc has no Unicode name table); write the character itself or \\uXXXX`, op.span);
        return { src: "(?:)", atom: true, an: { k: "eps", clean: true } };
      case "IN": {
        const negate = op.items[0]?.op === "NEGATE";
        const parts = classMatcherParts(op.items, flags, op.span, this.problems);
        return this.charOp({ ...parts, negate });
      }
      case "ANY":
        // DOTALL: any character; otherwise anything but "\n" (JS `.` also excludes "\r", U+2028, U+2029)
        return this.charOp({ ranges: flags & F_DOTALL ? RangeSet.EMPTY : RangeSet.of(0x0a), props: [], notWord: false, negate: true });
      case "AT":
        return { src: emitAt(op.at, flags), atom: false, an: { k: "eps", clean: false } };
      case "BRANCH": {
        const branches = op.branches.map((branch) => this.emitSub(branch, flags, [...path, op, { alternative: branch }]));
        return { src: `(?:${branches.map((b) => b.src).join("|")})`, atom: true, an: { k: "alt", items: branches.map((b) => b.an) } };
      }
      case "SUBPATTERN": {
        const inner = combineFlags(flags, op.add, op.del);
        const innerPath = [...path, op];
        if (op.group !== null) this.groupPaths.set(op.group, innerPath);
        // Numbered before the body's groups, in the order of their opening parentheses.
        if (op.group !== null) this.jsNumbers.set(op.group, ++this.jsGroups);
        const body = this.emitSub(op.p, inner, innerPath);
        if (op.group === null) return { src: `(?:${body.src})`, atom: true, an: body.an };
        const jsName = this.jsNames.get(op.group);
        const open = jsName === undefined ? "(" : `(?<${jsName}>`;
        return { src: `${open}${body.src})`, atom: true, an: body.an };
      }
      case "REPEAT": {
        // Possessive = an atomic group around the greedy repeat (Python 3.11).
        const atomic = op.kind === "POSSESSIVE" ? this.openAtomic(path) : undefined;
        const body = this.emitSub(op.item, flags, [...path, op]);
        const bodySrc = body.atom ? body.src : `(?:${body.src})`;
        const quantifier = quantifierText(op.min, op.max) + (op.kind === "MIN" ? "?" : "");
        const an: ANode = { k: "rep", min: op.min, max: op.max, body: body.an, op };
        if (atomic !== undefined) return { src: atomic(bodySrc + quantifier), atom: true, an };
        return { src: bodySrc + quantifier, atom: false, an };
      }
      case "GROUPREF":
        return this.emitBackref(op, flags, path);
      case "GROUPREF_EXISTS":
        this.refuse("conditional groups `(?(group)yes|no)` have no JavaScript equivalent", op.span);
        return { src: "(?:)", atom: true, an: { k: "eps", clean: false } };
      case "ASSERT": {
        const body = this.emitSub(op.p, flags, [...path, op]);
        this.lookBodies.push(body.an);
        const open = op.dir > 0 ? (op.negate ? "(?!" : "(?=") : op.negate ? "(?<!" : "(?<=";
        return { src: `${open}${body.src})`, atom: false, an: { k: "eps", clean: false } };
      }
      case "ATOMIC": {
        const atomic = this.openAtomic(path);
        const body = this.emitSub(op.p, flags, [...path, op]);
        return { src: atomic(body.src), atom: true, an: body.an };
      }
    }
  }

  /**
   * Atomic groups and possessive quantifiers (Python 3.11) as JavaScript's usual emulation
   * `(?=(X))\N`: a look-ahead is never re-entered once it has matched, and the backreference
   * consumes exactly what it matched. The capture group is numbered here, before the body's
   * groups. Inside a look-behind JavaScript matches right to left, so the backreference would
   * come before its group; but there Python allows only fixed-width patterns, whose atomic parts
   * end where they would end anyway, so a plain group means the same.
   */
  private openAtomic(path: readonly PathEntry[]): (body: string) => string {
    if (path.some((entry) => "op" in entry && entry.op === "ASSERT" && entry.dir < 0)) return (body) => `(?:${body})`;
    const number = ++this.jsGroups;
    return (body) => `(?:(?=(${body}))\\${number})`;
  }

  private emitBackref(op: Op & { op: "GROUPREF" }, flags: number, path: PathEntry[]): Emitted {
    this.backrefs.push(op.span);
    const an: ANode = { k: "eps", clean: false };
    if (flags & F_IGNORECASE) {
      this.refuse("a case-insensitive backreference: Python compares lower-case forms, JavaScript has no equivalent without its own `i` flag", op.span);
      return { src: "(?:)", atom: true, an };
    }
    const groupPath = this.groupPaths.get(op.gid) ?? [];
    let common = 0;
    while (common < groupPath.length && common < path.length && groupPath[common] === path[common]) common++;
    for (const entry of groupPath.slice(common)) {
      if (!mandatoryOnTheWay(entry)) {
        this.refuse(
          `the backreference refers to group ${op.gid}, which may not take part in the match where the reference is used: Python then fails, JavaScript matches the empty string`,
          op.span,
        );
        return { src: "(?:)", atom: true, an };
      }
    }
    const jsName = this.jsNames.get(op.gid);
    return { src: jsName === undefined ? `(?:\\${this.jsNumbers.get(op.gid) ?? op.gid})` : `\\k<${jsName}>`, atom: true, an };
  }
}

/** Whether a group below this entry always takes part once the entry is passed. */
function mandatoryOnTheWay(entry: PathEntry): boolean {
  if ("alternative" in entry) return false;
  // An atomic group keeps the captures of the one way its body matched.
  if (entry.op === "SUBPATTERN" || entry.op === "ATOMIC") return true;
  // JS resets captures at each iteration; with an exact count every iteration sets the group.
  if (entry.op === "REPEAT") return entry.min === entry.max && entry.min >= 1 && entry.kind !== "POSSESSIVE";
  return false;
}

function jsGroupNameOk(name: string): boolean {
  try {
    new RegExp(`(?<${name}>)`, "u");
    return true;
  } catch {
    return false;
  }
}

function quantifierText(min: number, max: number): string {
  const unbounded = max === MAXREPEAT;
  if (min === 0 && unbounded) return "*";
  if (min === 1 && unbounded) return "+";
  if (min === 0 && max === 1) return "?";
  if (unbounded) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

function emitAt(at: AtCode, flags: number): string {
  const multiline = (flags & F_MULTILINE) !== 0;
  const ascii = (flags & F_ASCII) !== 0;
  switch (at) {
    case "BEGINNING_STRING":
      return "^";
    case "END_STRING":
      return "$";
    case "BEGINNING":
      // MULTILINE: at the start or after "\n" (only "\n": JS `m` would also accept "\r", U+2028, U+2029)
      return multiline ? "(?<![^\\n])" : "^";
    case "END":
      // MULTILINE: before "\n" or at the end; otherwise at the end or before a final "\n"
      return multiline ? "(?![^\\n])" : "(?=\\n?$)";
    case "BOUNDARY":
      return ascii ? "\\b" : `(?:(?<=[${UNICODE_WORD_CLASS}])(?![${UNICODE_WORD_CLASS}])|(?<![${UNICODE_WORD_CLASS}])(?=[${UNICODE_WORD_CLASS}]))`;
    case "NON_BOUNDARY":
      // CPython ≤ 3.13: \B never matches an empty input.
      return ascii ? "(?!^$)\\B" : `(?!^$)(?:(?<=[${UNICODE_WORD_CLASS}])(?=[${UNICODE_WORD_CLASS}])|(?<![${UNICODE_WORD_CLASS}])(?![${UNICODE_WORD_CLASS}]))`;
  }
}
