/**
 * Reading YAML source text where js-yaml's events do not say enough: blanks, breaks and comments
 * between tokens, where a node's content starts after its anchor and tag, where an empty value
 * sits, document markers, and the `-` that js-yaml reads into the wrong sequence.
 */
import { Event, NO_EVENTS, type YamlError } from "./yaml-nodes.ts";

export const SPACE = 0x20;
const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const HASH = 0x23;

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

export function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/** Past spaces and tabs. */
export function skipBlanks(s: string, p: number): number {
  while (isBlank(s.charCodeAt(p))) p++;
  return p;
}

/** Past the rest of the line (not its line break). */
export function toEndOfLine(s: string, p: number): number {
  const n = s.length;
  while (p < n && !isBreak(s.charCodeAt(p))) p++;
  return p;
}

/** Past one line break, if there is one at `p`. */
export function skipBreak(s: string, p: number): number {
  const c = s.charCodeAt(p);
  if (c === CR) return s.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
  return c === LF ? p + 1 : p;
}

/** Past white space, line breaks and comments (js-yaml's `skipSeparationSpace`). */
export function skipSeparation(s: string, p: number): number {
  for (;;) {
    p = skipBlanks(s, p);
    if (s.charCodeAt(p) === HASH) p = toEndOfLine(s, p);
    const after = skipBreak(s, p);
    if (after === p) return p;
    p = after;
  }
}

/** The start of the line of `p` (on the first line, after a byte-order mark). */
export function lineStartOf(s: string, p: number): number {
  let i = p;
  while (i > 0 && !isBreak(s.charCodeAt(i - 1))) i--;
  return i === 0 && p > 0 && s.charCodeAt(0) === 0xfeff ? 1 : i;
}

/** Past an anchor (`&a`) or a tag (`!t`, `!<t>`) at `p`. */
export function skipProperty(s: string, p: number): number {
  const n = s.length;
  if (s.charCodeAt(p) === 0x21 && s.charCodeAt(p + 1) === 0x3c) {
    const close = s.indexOf(">", p + 2);
    return close < 0 ? n : close + 1;
  }
  const anchor = s.charCodeAt(p) === 0x26;
  p++;
  for (; p < n; p++) {
    const c = s.charCodeAt(p);
    if (isBlank(c) || isBreak(c) || (anchor && isFlowIndicator(c))) break;
  }
  return p;
}

/** Where the content of a node opened at `open` starts: past separation, anchor and tag. */
export function startOfContent(s: string, open: number): number {
  const first = s.charCodeAt(open);
  if (first !== SPACE && first !== TAB && first !== LF && first !== CR && first !== HASH && first !== 0x21 && first !== 0x26) return open;
  let p = skipSeparation(s, open);
  let sawBreak = hasBreak(s, open, p);
  let tag = false;
  let anchor = false;
  for (;;) {
    const c = s.charCodeAt(p);
    // After a line break, a second tag or anchor belongs to a nested node (js-yaml's rule).
    if (c === 0x21 && !(sawBreak && tag)) tag = true;
    else if (c === 0x26 && !(sawBreak && anchor)) anchor = true;
    else return p;
    const after = skipProperty(s, p);
    const next = skipSeparation(s, after);
    if (!sawBreak && hasBreak(s, after, next)) sawBreak = true;
    p = next;
  }
}

function hasBreak(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isBreak(s.charCodeAt(i))) return true;
  return false;
}

/** Where an empty node sits after an indicator (`:`, `-`) ending at `p`: past spaces and any anchor or tag on that line. */
export function emptyPosition(s: string, p: number): number {
  p = skipBlanks(s, p);
  for (;;) {
    const c = s.charCodeAt(p);
    if (c !== 0x21 && c !== 0x26) return p;
    p = skipBlanks(s, skipProperty(s, p));
  }
}

/**
 * js-yaml reads a `-` after an empty entry (`-` alone on its line) as the next entry of the
 * same sequence even when it is less indented (it belongs to a sequence around it). Where
 * that happened in the block sequence whose content starts at `content`: the `-`, or -1.
 */
function stolenDash(s: string, content: number, children: readonly Event[]): number {
  if (s.charCodeAt(content) !== 0x2d) return -1;
  const column = content - lineStartOf(s, content);
  let dash = content;
  let next = 0;
  let afterEmpty = false;
  for (;;) {
    const c = s.charCodeAt(dash + 1);
    if (s.charCodeAt(dash) !== 0x2d || !(Number.isNaN(c) || isBlank(c) || isBreak(c))) return -1;
    if (dash - lineStartOf(s, dash) !== column) return afterEmpty ? dash : -1;
    const at = skipSeparation(s, dash + 1);
    const child = children[next];
    if (child && child.open === at) {
      if (child.close < child.open) return -1; // still open: js-yaml stopped inside it
      next++;
      afterEmpty = false;
      dash = skipSeparation(s, child.close);
    } else {
      afterEmpty = true;
      dash = at;
    }
  }
}

/** The first `stolenDash` among the events under `top` (for a file js-yaml could not read). */
export function firstStolenDash(s: string, top: Event): number {
  let first = -1;
  const stack: Event[] = [top];
  while (stack.length > 0) {
    const event = stack.pop()!;
    const children = event.children ?? NO_EVENTS;
    if (event !== top && (event.kind === "sequence" || event.close < 0)) {
      const dash = stolenDash(s, startOfContent(s, event.open), children);
      if (dash >= 0 && (first < 0 || dash < first)) first = dash;
    }
    for (const child of children) stack.push(child);
  }
  return first;
}

export function stolenDashError(dash: number): YamlError {
  return {
    kind: "syntax",
    message: "a `-` with nothing after it, followed by a less indented `-`, is not supported (js-yaml reads both into one list): write `- null` or remove the empty item",
    start: dash,
    end: dash + 1,
  };
}

/** Just after the `---` that starts the file's document, or -1 when it has none. */
export function documentMarkerEnd(s: string, shift: number): number {
  let p = skipSeparation(s, shift);
  while (s.charCodeAt(p) === 0x25) p = skipSeparation(s, toEndOfLine(s, p)); // directives
  if (!s.startsWith("---", p)) return -1;
  const c = s.charCodeAt(p + 3);
  return Number.isNaN(c) || isBlank(c) || isBreak(c) ? p + 3 : -1;
}

/** Where the file's next document begins, after one that ended at `end`. */
export function startOfNextDocument(s: string, end: number): number {
  let p = skipSeparation(s, end);
  if (s.startsWith("...", p)) p = skipSeparation(s, p + 3);
  return Math.min(p, s.length);
}
