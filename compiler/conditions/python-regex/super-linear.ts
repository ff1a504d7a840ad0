/**
 * The static check for super-linear backtracking (ReDoS) in a translated pattern: exponential
 * ambiguity, polynomial ambiguity and backreferences, found on a position automaton of the
 * analysis view that the emitter built. A finding is a warning; the translation stands.
 */
import { MAXREPEAT } from "./constants.ts";
import type { ANode } from "./emit.ts";
import { matcherSet } from "./matchers.ts";
import { RangeSet } from "./range-set.ts";
import { Sub, type CpSpan, type Op } from "./tree.ts";

interface Finding {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Counted repeats up to this bound are unrolled; larger ones are analysed as loops (`x{≤2}x*`):
 * an ambiguous body repeated `{1,10}` times is as bad in practice as one under `*`.
 */
const UNROLL_LIMIT = 3;
const MAX_POSITIONS = 300;
const MAX_TRIPLES = 200_000;
const MAX_PRODUCT_EDGES = 2_000_000;

class TooLarge {}

interface Frag {
  first: Map<number, number>;
  last: Map<number, number>;
  /** Positions after which the fragment can end without passing an assertion. */
  lastClean: Set<number>;
  /** Number of ways (capped at 2) to match the empty string. */
  nullAny: number;
  /** Can match the empty string without any assertion. */
  nullClean: boolean;
}

function cap(n: number): number {
  return Math.min(2, n);
}

function addInto(target: Map<number, number>, source: Map<number, number>, times: number): void {
  if (times === 0) return;
  for (const [id, mult] of source) target.set(id, cap((target.get(id) ?? 0) + mult * times));
}

/** The position automaton (Glushkov) of a pattern, with edge multiplicities. */
class Positions {
  readonly sets: RangeSet[] = [];
  /** For each position, the enclosing repeats that can loop (max ≥ 2), outermost first. */
  readonly loops: (Op & { op: "REPEAT" })[][] = [];
  /** follow[0] is the initial state; position ids start at 1. */
  readonly follow: Map<number, number>[] = [new Map()];
  /** Where each transition comes from ("x,y" → multiplicity and the repeat looping back, if any). */
  readonly origins = new Map<string, { mult: number; loop: (Op & { op: "REPEAT" }) | null }[]>();

  build(node: ANode, loops: (Op & { op: "REPEAT" })[]): Frag {
    switch (node.k) {
      case "pos": {
        if (this.sets.length >= MAX_POSITIONS) throw new TooLarge();
        this.sets.push(matcherSet(node.matcher));
        this.loops.push(loops);
        this.follow.push(new Map());
        const id = this.sets.length;
        return { first: new Map([[id, 1]]), last: new Map([[id, 1]]), lastClean: new Set([id]), nullAny: 0, nullClean: false };
      }
      case "eps":
        return { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: node.clean };
      case "seq": {
        let result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
        for (const item of node.items) result = this.concat(result, this.build(item, loops));
        return result;
      }
      case "alt": {
        const result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 0, nullClean: false };
        for (const item of node.items) {
          const frag = this.build(item, loops);
          addInto(result.first, frag.first, 1);
          addInto(result.last, frag.last, 1);
          for (const id of frag.lastClean) result.lastClean.add(id);
          result.nullAny = cap(result.nullAny + frag.nullAny);
          result.nullClean ||= frag.nullClean;
        }
        return result;
      }
      case "rep":
        return this.repeat(node, loops);
    }
  }

  private repeat(node: ANode & { k: "rep" }, loops: (Op & { op: "REPEAT" })[]): Frag {
    const { min, max, body } = node;
    if (max === 0) return { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
    const inner = max >= 2 ? [...loops, node.op] : loops;
    const unbounded = max === MAXREPEAT || max > UNROLL_LIMIT;
    const copies = unbounded ? Math.min(min, 2) : min;
    let result: Frag = { first: new Map(), last: new Map(), lastClean: new Set(), nullAny: 1, nullClean: true };
    for (let i = 0; i < copies; i++) result = this.concat(result, this.build(body, inner));
    if (unbounded) return this.concat(result, this.star(body, inner, node.op));
    // x{0,k} = (x(x(…)?)?)?
    let optional: Frag | null = null;
    for (let i = 0; i < max - min; i++) {
      const frag = this.build(body, inner);
      const seq: Frag = optional === null ? frag : this.concat(frag, optional);
      optional = { ...seq, nullAny: cap(1 + seq.nullAny), nullClean: true };
    }
    return optional === null ? result : this.concat(result, optional);
  }

  private star(body: ANode, loops: (Op & { op: "REPEAT" })[], op: Op & { op: "REPEAT" }): Frag {
    const frag = this.build(body, loops);
    this.link(frag.last, frag.first, op);
    return { first: frag.first, last: frag.last, lastClean: new Set(frag.lastClean), nullAny: 1, nullClean: true };
  }

  private link(from: Map<number, number>, to: Map<number, number>, loop: (Op & { op: "REPEAT" }) | null = null): void {
    for (const [x, mx] of from) {
      const follow = this.follow[x]!;
      for (const [y, my] of to) {
        follow.set(y, cap((follow.get(y) ?? 0) + mx * my));
        const key = `${x},${y}`;
        const list = this.origins.get(key);
        const origin = { mult: cap(mx * my), loop };
        if (list === undefined) this.origins.set(key, [origin]);
        else list.push(origin);
      }
    }
  }

  private concat(a: Frag, b: Frag): Frag {
    this.link(a.last, b.first);
    const first = new Map(a.first);
    addInto(first, b.first, a.nullAny);
    const last = new Map(b.last);
    addInto(last, a.last, b.nullAny);
    const lastClean = new Set(b.lastClean);
    if (b.nullClean) for (const id of a.lastClean) lastClean.add(id);
    return { first, last, lastClean, nullAny: cap(a.nullAny * b.nullAny), nullClean: a.nullClean && b.nullClean };
  }
}

export function findSuperLinear(root: ANode, lookBodies: readonly ANode[], backrefs: readonly CpSpan[]): Finding | undefined {
  for (const node of [root, ...lookBodies]) {
    if (!hasLoop(node)) continue;
    const finding = analyse(node);
    if (finding !== undefined) return finding;
  }
  const backref = backrefs[0];
  if (backref !== undefined) return { label: "backreference", start: backref.start, end: backref.end };
  return undefined;
}

/** Whether the node can match the empty string: at all, and without passing an assertion. */
export function nullability(node: ANode): { any: boolean; clean: boolean } {
  switch (node.k) {
    case "pos":
      return { any: false, clean: false };
    case "eps":
      return { any: true, clean: node.clean };
    case "seq": {
      const parts = node.items.map(nullability);
      return { any: parts.every((part) => part.any), clean: parts.every((part) => part.clean) };
    }
    case "alt": {
      const parts = node.items.map(nullability);
      return { any: parts.some((part) => part.any), clean: parts.some((part) => part.clean) };
    }
    case "rep":
      return node.min === 0 ? { any: true, clean: true } : nullability(node.body);
  }
}

function hasLoop(node: ANode): boolean {
  switch (node.k) {
    case "pos":
    case "eps":
      return false;
    case "seq":
    case "alt":
      return node.items.some(hasLoop);
    case "rep":
      return node.max >= 2 || hasLoop(node.body);
  }
}

function analyse(root: ANode): Finding | undefined {
  const automaton = new Positions();
  let frag: Frag;
  try {
    frag = automaton.build(root, []);
  } catch (error) {
    if (error instanceof TooLarge) return undefined;
    throw error;
  }
  for (const [id, mult] of frag.first) automaton.follow[0]!.set(id, mult);
  const n = automaton.sets.length + 1;
  const succ: [number, number][][] = automaton.follow.map((follow) => [...follow]);

  // Intersections between the distinct character sets.
  const setIds: number[] = [0];
  const distinct: RangeSet[] = [];
  const byKey = new Map<string, number>();
  for (const set of automaton.sets) {
    const key = set.key;
    let id = byKey.get(key);
    if (id === undefined) {
      id = distinct.length;
      byKey.set(key, id);
      distinct.push(set);
    }
    setIds.push(id);
  }
  const pairCache = new Map<number, RangeSet>();
  const pairSet = (a: number, b: number): RangeSet => {
    const key = a * distinct.length + b;
    let set = pairCache.get(key);
    if (set === undefined) {
      set = distinct[a]!.intersect(distinct[b]!);
      pairCache.set(key, set);
    }
    return set;
  };
  const overlap = (x: number, y: number): boolean => !pairSet(setIds[x]!, setIds[y]!).isEmpty;
  const tripleCache = new Map<number, boolean>();
  const overlap3 = (x: number, y: number, z: number): boolean => {
    const [a, b, c] = [setIds[x]!, setIds[y]!, setIds[z]!];
    const key = (a * distinct.length + b) * distinct.length + c;
    let result = tripleCache.get(key);
    if (result === undefined) {
      result = !pairSet(a, b).intersect(distinct[c]!).isEmpty;
      tripleCache.set(key, result);
    }
    return result;
  };

  const eda = exponentialAmbiguity(n, succ, overlap, [0]);
  if (eda !== undefined) {
    const loop = culpritLoop(automaton, eda, overlap);
    if (loop !== undefined) return { label: repeatLabel(loop), start: loop.span.start, end: loop.span.end };
  }

  const pruned = frag.lastClean;
  const ida = polynomialAmbiguity(n, succ, pruned, overlap3, overlap);
  if (ida !== undefined) {
    const [p, q] = ida;
    const loopsP = automaton.loops[p - 1] ?? [];
    const loopsQ = automaton.loops[q - 1] ?? [];
    const lp = loopsP[loopsP.length - 1];
    const lq = loopsQ[loopsQ.length - 1];
    if (lp !== undefined && lq !== undefined) {
      if (lp === lq) {
        // Two copies of one loop: the counted repeat around it made them.
        const common = innermostCommonLoop([loopsP.slice(0, -1), loopsQ.slice(0, -1)]);
        const loop = common ?? lp;
        return { label: "quantified parts that can match the same text one after the other (polynomial backtracking)", start: loop.span.start, end: loop.span.end };
      }
      return {
        label: "quantified parts that can match the same text one after the other (polynomial backtracking)",
        start: Math.min(lp.span.start, lq.span.start),
        end: Math.max(lp.span.end, lq.span.end),
      };
    }
  }
  return undefined;
}

/**
 * The innermost repeat that is exponentially ambiguous on its own: its positions, with only the
 * transitions made inside it (`(a+)+` is named, not its inner `a+`).
 */
function culpritLoop(automaton: Positions, ids: readonly number[], overlap: (x: number, y: number) => boolean): (Op & { op: "REPEAT" }) | undefined {
  const chainOf = (id: number): readonly (Op & { op: "REPEAT" })[] => automaton.loops[id - 1] ?? [];
  const candidates: { loop: Op & { op: "REPEAT" }; depth: number }[] = [];
  for (const id of ids) {
    chainOf(id).forEach((loop, depth) => {
      if (!candidates.some((c) => c.loop === loop)) candidates.push({ loop, depth });
    });
  }
  candidates.sort((a, b) => b.depth - a.depth);
  const n = automaton.sets.length + 1;
  for (const { loop } of candidates) {
    const inside = (id: number): boolean => chainOf(id).includes(loop);
    const succ: [number, number][][] = [];
    for (let x = 0; x < n; x++) {
      const edges: [number, number][] = [];
      if (x > 0 && inside(x)) {
        const chain = chainOf(x);
        const depth = chain.indexOf(loop);
        for (const y of automaton.follow[x]!.keys()) {
          if (!inside(y)) continue;
          let mult = 0;
          for (const origin of automaton.origins.get(`${x},${y}`) ?? []) {
            if (origin.loop === null || chain.indexOf(origin.loop) >= depth) mult = cap(mult + origin.mult);
          }
          if (mult > 0) edges.push([y, mult]);
        }
      }
      succ.push(edges);
    }
    const starts: number[] = [];
    for (let x = 1; x < n; x++) if (inside(x)) starts.push(x * n + x);
    if (exponentialAmbiguity(n, succ, overlap, starts) !== undefined) return loop;
  }
  return candidates[candidates.length - 1]?.loop;
}

function repeatLabel(loop: Op & { op: "REPEAT" }): string {
  const nested = (sub: Sub): boolean =>
    sub.data.some((op) => {
      switch (op.op) {
        case "REPEAT":
          return op.max >= 2 || nested(op.item);
        case "SUBPATTERN":
        case "ATOMIC":
          return nested(op.p);
        case "BRANCH":
          return op.branches.some(nested);
        default:
          return false;
      }
    });
  if (nested(loop.item)) return "nested quantifier (exponential backtracking)";
  if (loop.item.data.some((op) => op.op === "BRANCH" || (op.op === "SUBPATTERN" && op.p.data.some((inner) => inner.op === "BRANCH")))) {
    return "overlapping alternatives under a quantifier (exponential backtracking)";
  }
  return "ambiguous repetition (exponential backtracking)";
}

function innermostCommonLoop(chains: readonly (readonly (Op & { op: "REPEAT" })[])[]): (Op & { op: "REPEAT" }) | undefined {
  const firstChain = chains[0];
  if (firstChain === undefined) return undefined;
  let common = firstChain.length;
  for (const chain of chains) {
    let i = 0;
    while (i < common && i < chain.length && chain[i] === firstChain[i]) i++;
    common = i;
  }
  return common === 0 ? undefined : firstChain[common - 1];
}

/**
 * Exponential degree of ambiguity: a state with two different paths back to itself reading the
 * same text. In the product automaton: a strongly connected component holding a pair (q, q)
 * and a pair (p, p') with p ≠ p', or a doubled transition. Returns the positions involved.
 */
function exponentialAmbiguity(
  n: number,
  succ: readonly (readonly [number, number])[][],
  overlap: (x: number, y: number) => boolean,
  starts: readonly number[],
): number[] | undefined {
  // A transition made in two ways on a cycle (`(a*)*`) is enough, and cheap to find.
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>([from]);
    const todo = [from];
    for (let head = 0; head < todo.length; head++) {
      for (const [y] of succ[todo[head]!]!) {
        if (y === to) return true;
        if (!seen.has(y)) {
          seen.add(y);
          todo.push(y);
        }
      }
    }
    return false;
  };
  const startPositions = new Set(starts.map((node) => Math.floor(node / n)));
  for (let x = 1; x < n; x++) {
    if (!startPositions.has(x) && !starts.includes(0)) continue;
    for (const [y, mult] of succ[x]!) if (mult >= 2 && overlap(y, y) && (y === x || reaches(y, x))) return [x, y];
  }
  if (n > 160) return undefined;
  let budget = MAX_PRODUCT_EDGES;
  const index = new Int32Array(n * n).fill(-1);
  const low = new Int32Array(n * n);
  const onStack = new Uint8Array(n * n);
  const stack: number[] = [];
  let counter = 0;
  const edges = (node: number): number[] => {
    const a = Math.floor(node / n);
    const b = node % n;
    const out: number[] = [];
    budget -= succ[a]!.length * succ[b]!.length;
    for (const [y1] of succ[a]!) for (const [y2] of succ[b]!) if (overlap(y1, y2)) out.push(y1 * n + y2);
    return out;
  };
  const doubled = (a: number, y: number): boolean => succ[a]!.some(([target, mult]) => target === y && mult >= 2);

  let found: number[] | undefined;
  const work: { node: number; edges: number[]; i: number }[] = [];
  const visit = (node: number): void => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    work.push({ node, edges: edges(node), i: 0 });
  };
  for (const start of starts) {
    if (found !== undefined) break;
    if (index[start] !== -1) continue;
    visit(start);
    while (work.length > 0 && found === undefined) {
      if (budget < 0) return undefined;
      const frame = work[work.length - 1]!;
      if (frame.i < frame.edges.length) {
        const next = frame.edges[frame.i++]!;
        if (index[next] === -1) visit(next);
        else if (onStack[next]) low[frame.node] = Math.min(low[frame.node]!, index[next]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] !== index[frame.node]) continue;
      const component: number[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack[member] = 0;
        component.push(member);
        if (member === frame.node) break;
      }
      const members = new Set(component);
      const diagonal = component.filter((node) => Math.floor(node / n) === node % n);
      if (diagonal.length === 0) continue;
      const offDiagonal = component.some((node) => Math.floor(node / n) !== node % n);
      let doubledInside = false;
      for (const node of diagonal) {
        const a = Math.floor(node / n);
        for (const [y] of succ[a]!) if (members.has(y * n + y) && doubled(a, y)) doubledInside = true;
      }
      if (offDiagonal || doubledInside) {
        const ids = new Set<number>();
        for (const node of component) {
          ids.add(Math.floor(node / n));
          ids.add(node % n);
        }
        ids.delete(0);
        found = [...ids];
      }
    }
  }
  return found;
}

/**
 * Polynomial degree of ambiguity: positions p ≠ q such that some text leads p→p, p→q and q→q
 * (the triple product reaches (p, q, q) from (p, p, q)). Positions after which the pattern can
 * end without any assertion are left out: a backtracking matcher that reaches them has matched.
 */
function polynomialAmbiguity(
  n: number,
  succ: readonly (readonly [number, number])[][],
  pruned: ReadonlySet<number>,
  overlap3: (x: number, y: number, z: number) => boolean,
  overlap: (x: number, y: number) => boolean,
): [number, number] | undefined {
  if (n > 160) return undefined;
  const budget = { left: MAX_TRIPLES };
  const live = (x: number): boolean => x !== 0 && !pruned.has(x);
  // reach[x] = positions reachable from x in one or more steps (through live positions)
  const reach: Set<number>[] = [];
  for (let x = 0; x < n; x++) {
    const seen = new Set<number>();
    const todo = [x];
    while (todo.length > 0) {
      const cur = todo.pop()!;
      for (const [y] of succ[cur]!) {
        if (!live(y) || seen.has(y)) continue;
        seen.add(y);
        todo.push(y);
      }
    }
    reach.push(seen);
  }
  for (let p = 1; p < n; p++) {
    if (!live(p) || !reach[p]!.has(p)) continue;
    for (const q of reach[p]!) {
      if (q === p || !reach[q]!.has(q)) continue;
      // quick necessary condition: (p,p) reaches (p,q) and (p,q) reaches (q,q) in the pair product
      if (!pairReaches(n, succ, live, overlap, budget, [p, p], [p, q]) || !pairReaches(n, succ, live, overlap, budget, [p, q], [q, q])) continue;
      const seen = new Set<number>();
      const todo: number[] = [(p * n + p) * n + q];
      for (let head = 0; head < todo.length; head++) {
        if (--budget.left < 0) return undefined;
        const cur = todo[head]!;
        const c = cur % n;
        const b = Math.floor(cur / n) % n;
        const a = Math.floor(cur / (n * n));
        for (const [y1] of succ[a]!) {
          if (!live(y1)) continue;
          for (const [y2] of succ[b]!) {
            if (!live(y2) || !overlap(y1, y2)) continue;
            for (const [y3] of succ[c]!) {
              if (!live(y3) || !overlap3(y1, y2, y3)) continue;
              if (y1 === p && y2 === q && y3 === q) return [p, q];
              const key = (y1 * n + y2) * n + y3;
              if (seen.has(key)) continue;
              seen.add(key);
              todo.push(key);
            }
          }
        }
      }
    }
  }
  return undefined;
}

function pairReaches(
  n: number,
  succ: readonly (readonly [number, number])[][],
  live: (x: number) => boolean,
  overlap: (x: number, y: number) => boolean,
  budget: { left: number },
  [a0, b0]: readonly [number, number],
  [a1, b1]: readonly [number, number],
): boolean {
  const seen = new Set<number>();
  const todo = [a0 * n + b0];
  for (let head = 0; head < todo.length; head++) {
    if (--budget.left < 0) return false;
    const cur = todo[head]!;
    const a = Math.floor(cur / n);
    const b = cur % n;
    for (const [y1] of succ[a]!) {
      if (!live(y1)) continue;
      for (const [y2] of succ[b]!) {
        if (!live(y2) || !overlap(y1, y2)) continue;
        if (y1 === a1 && y2 === b1) return true;
        const key = y1 * n + y2;
        if (seen.has(key)) continue;
        seen.add(key);
        todo.push(key);
      }
    }
  }
  return false;
}
