/**
 * The parse tree of a Python regex, as `re._parser` builds it (its SubPattern data): the
 * opcodes, the items of a character set, and the equalities the parser's optimisations need.
 */

export type Category = "DIGIT" | "NOT_DIGIT" | "SPACE" | "NOT_SPACE" | "WORD" | "NOT_WORD";
export type SetItem = { op: "NEGATE" } | { op: "LITERAL"; cp: number } | { op: "RANGE"; lo: number; hi: number } | { op: "CATEGORY"; cat: Category };
export type AtCode = "BEGINNING" | "BEGINNING_STRING" | "END" | "END_STRING" | "BOUNDARY" | "NON_BOUNDARY";

export interface CpSpan {
  readonly start: number;
  readonly end: number;
}

/** `\N{...}`: the code point is not known here (no Unicode name table in JS). */
export const UNKNOWN_CP = -1;

export type Op =
  | { op: "LITERAL"; cp: number; span: CpSpan }
  | { op: "NOT_LITERAL"; cp: number; span: CpSpan }
  | { op: "IN"; items: SetItem[]; span: CpSpan }
  | { op: "ANY"; span: CpSpan }
  | { op: "AT"; at: AtCode; span: CpSpan }
  | { op: "BRANCH"; branches: Sub[]; span: CpSpan }
  | { op: "SUBPATTERN"; group: number | null; name: string | null; add: number; del: number; p: Sub; span: CpSpan }
  | { op: "REPEAT"; kind: "MAX" | "MIN" | "POSSESSIVE"; min: number; max: number; item: Sub; span: CpSpan }
  | { op: "GROUPREF"; gid: number; span: CpSpan }
  | { op: "GROUPREF_EXISTS"; gid: number; yes: Sub; no: Sub | null; span: CpSpan }
  | { op: "ASSERT"; dir: 1 | -1; negate: boolean; p: Sub; span: CpSpan }
  | { op: "ATOMIC"; p: Sub; span: CpSpan }
  | { op: "NAMED"; name: string; span: CpSpan };

export class Sub {
  width: [number, number] | null = null;
  constructor(readonly data: Op[] = []) {}
}

function setItemEquals(a: SetItem, b: SetItem): boolean {
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "NEGATE":
      return true;
    case "LITERAL":
      return a.cp === (b as typeof a).cp;
    case "RANGE":
      return a.lo === (b as typeof a).lo && a.hi === (b as typeof a).hi;
    case "CATEGORY":
      return a.cat === (b as typeof a).cat;
  }
}

/** Python's `(op, av) == (op, av)`: sub-patterns compare by identity. */
export function opEquals(a: Op, b: Op): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  switch (a.op) {
    case "LITERAL":
    case "NOT_LITERAL":
      return a.cp === (b as typeof a).cp;
    case "ANY":
      return true;
    case "AT":
      return a.at === (b as typeof a).at;
    case "GROUPREF":
      return a.gid === (b as typeof a).gid;
    case "IN": {
      const other = (b as typeof a).items;
      return a.items.length === other.length && a.items.every((item, i) => setItemEquals(item, other[i]!));
    }
    case "NAMED":
      return a.name === (b as typeof a).name;
    default:
      return false;
  }
}

export function uniq(items: SetItem[]): SetItem[] {
  const out: SetItem[] = [];
  for (const item of items) if (!out.some((seen) => setItemEquals(seen, item))) out.push(item);
  return out;
}
