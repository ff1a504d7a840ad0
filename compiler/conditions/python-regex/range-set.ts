/**
 * Sets of code points as sorted, disjoint ranges: what a character class, a category or a
 * case-insensitive literal matches, built and combined before it is written as JavaScript.
 */
import { MAX_CP } from "./constants.ts";

export type Range = readonly [number, number];

export class RangeSet {
  static readonly EMPTY = new RangeSet([]);
  static readonly ALL = new RangeSet([[0, MAX_CP]]);

  private constructor(readonly ranges: readonly Range[]) {}

  static of(lo: number, hi = lo): RangeSet {
    return new RangeSet([[lo, hi]]);
  }

  static from(list: Iterable<Range>): RangeSet {
    const sorted = [...list].sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return new RangeSet(out);
  }

  static fromCodePoints(cps: Iterable<number>): RangeSet {
    const list: Range[] = [];
    for (const cp of cps) list.push([cp, cp]);
    return RangeSet.from(list);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = this.ranges[mid]!;
      if (cp < range[0]) hi = mid - 1;
      else if (cp > range[1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: RangeSet): RangeSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return RangeSet.from([...this.ranges, ...other.ranges]);
  }

  complement(): RangeSet {
    const out: Range[] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CP) out.push([next, MAX_CP]);
    return new RangeSet(out);
  }

  intersect(other: RangeSet): RangeSet {
    const out: Range[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const a = this.ranges[i]!;
      const b = other.ranges[j]!;
      const lo = Math.max(a[0], b[0]);
      const hi = Math.min(a[1], b[1]);
      if (lo <= hi) out.push([lo, hi]);
      if (a[1] < b[1]) i++;
      else j++;
    }
    return new RangeSet(out);
  }

  subtract(other: RangeSet): RangeSet {
    return this.intersect(other.complement());
  }

  get key(): string {
    return this.ranges.map(([lo, hi]) => `${lo}-${hi}`).join(",");
  }

  /** The single code point of the set, if it has exactly one. */
  get single(): number | undefined {
    const only = this.ranges[0];
    return this.ranges.length === 1 && only !== undefined && only[0] === only[1] ? only[0] : undefined;
  }
}

/** A code point in upper-case hexadecimal digits, as the tables and messages write it. */
export function hex(cp: number): string {
  return cp.toString(16).toUpperCase();
}
