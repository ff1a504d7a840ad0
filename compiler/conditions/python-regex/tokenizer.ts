/**
 * `re._parser`'s tokenizer over the pattern's code points ({@link Source}: a backslash and the
 * next character form one token), the parser's state (groups, flags), and the width of a
 * subpattern (`getwidth`), which the look-behind checks need.
 */
import { MAXGROUPS, MAXREPEAT } from "./constants.ts";
import { isIdentifier, PyError, pyLen, pyRepr } from "./errors.ts";
import { Sub } from "./tree.ts";

export class Source {
  readonly cps: number[];
  private index = 0;
  next: string | null = null;
  private nextLen = 0;

  constructor(pattern: string) {
    this.cps = Array.from(pattern, (char) => char.codePointAt(0) ?? 0);
    this.advance();
  }

  private advance(): void {
    const i = this.index;
    const c = this.cps[i];
    if (c === undefined) {
      this.next = null;
      this.nextLen = 0;
      return;
    }
    if (c === 0x5c) {
      const d = this.cps[i + 1];
      if (d === undefined) {
        const pos = this.cps.length - 1;
        throw new PyError("bad escape (end of pattern)", pos, pos, pos + 1);
      }
      this.next = "\\" + String.fromCodePoint(d);
      this.nextLen = 2;
      this.index = i + 2;
    } else {
      this.next = String.fromCodePoint(c);
      this.nextLen = 1;
      this.index = i + 1;
    }
  }

  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const token = this.next;
    this.advance();
    return token;
  }

  getwhile(n: number, charset: ReadonlySet<string>): string {
    let result = "";
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || !charset.has(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }

  getuntil(terminator: string, name: string): string {
    let result = "";
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (result === "") throw this.error(`missing ${name}`);
        throw this.error(`missing ${terminator}, unterminated name`, pyLen(result));
      }
      if (c === terminator) {
        if (result === "") throw this.error(`missing ${name}`, 1);
        break;
      }
      result += c;
    }
    return result;
  }

  tell(): number {
    return this.index - this.nextLen;
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }

  error(msg: string, offset = 0): PyError {
    const here = this.tell();
    const pos = here - offset;
    const end = Math.min(this.cps.length, Math.max(here, pos + 1));
    return new PyError(msg, pos, pos, Math.max(end, pos));
  }

  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) throw this.error(`bad character in group name ${pyRepr(name)}`, pyLen(name) + offset);
  }
}

export class State {
  flags: number;
  readonly groupdict = new Map<string, number>();
  readonly groupwidths: ([number, number] | null)[] = [null];
  readonly groupnames: (string | null)[] = [null];
  lookbehindgroups: number | null = null;
  readonly grouprefpos = new Map<number, number>();

  constructor(flags: number) {
    this.flags = flags;
  }

  get groups(): number {
    return this.groupwidths.length;
  }

  opengroup(name: string | null, source: Source): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    this.groupnames.push(name);
    if (this.groups > MAXGROUPS) throw source.error("too many groups");
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw source.error(`redefinition of group name ${pyRepr(name)} as group ${gid}; was group ${ogid}`, pyLen(name) + 1);
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }

  closegroup(gid: number, p: Sub): void {
    this.groupwidths[gid] = getwidth(p, this);
  }

  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] != null;
  }

  checklookbehindgroup(gid: number, source: Source): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error("cannot refer to an open group");
      if (gid >= this.lookbehindgroups) throw source.error("cannot refer to group defined in the same lookbehind subpattern");
    }
  }
}

/** SubPattern.getwidth(): (min, max) length in code points, capped like CPython. */
export function getwidth(sub: Sub, state: State): [number, number] {
  if (sub.width !== null) return sub.width;
  let lo = 0;
  let hi = 0;
  for (const op of sub.data) {
    switch (op.op) {
      case "BRANCH": {
        let i = MAXREPEAT - 1;
        let j = 0;
        for (const branch of op.branches) {
          const [l, h] = getwidth(branch, state);
          i = Math.min(i, l);
          j = Math.max(j, h);
        }
        lo += i;
        hi += j;
        break;
      }
      case "ATOMIC":
      case "SUBPATTERN": {
        const [i, j] = getwidth(op.p, state);
        lo += i;
        hi += j;
        break;
      }
      case "REPEAT": {
        const [i, j] = getwidth(op.item, state);
        lo += i * op.min;
        hi += j * op.max;
        break;
      }
      case "ANY":
      case "IN":
      case "LITERAL":
      case "NOT_LITERAL":
      case "NAMED":
        lo += 1;
        hi += 1;
        break;
      case "GROUPREF": {
        const [i, j] = state.groupwidths[op.gid] ?? [0, 0];
        lo += i;
        hi += j;
        break;
      }
      case "GROUPREF_EXISTS": {
        let [i, j] = getwidth(op.yes, state);
        if (op.no !== null) {
          const [l, h] = getwidth(op.no, state);
          i = Math.min(i, l);
          j = Math.max(j, h);
        } else {
          i = 0;
        }
        lo += i;
        hi += j;
        break;
      }
      case "AT":
      case "ASSERT":
        break;
    }
  }
  sub.width = [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
  return sub.width;
}
