/**
 * Python's `str.strip()` without arguments, where Rasa applies it to text flowc also reads: the
 * text of e2e `user` and `bot` steps, each line of a command generator's output, a
 * `/SetSlots(...)` payload, and the check for an empty user message. Python strips what
 * `str.isspace()` calls white space, which is not what JavaScript's `trim()` strips: Python also
 * strips the separators U+001C to U+001F and U+0085, and keeps U+FEFF, which `trim()` strips.
 */

/** Python's `str.strip()`: `text` without the white space (`str.isspace()`) at either end. */
export function pythonStrip(text: string): string {
  return stripEnds(text, isPythonSpace);
}

/**
 * What Python's `float()` and `int()` strip around the number in a text: CPython first turns
 * each white space character beyond ASCII into a space, then strips ASCII white space only, so
 * the separators U+001C to U+001F stay (and `float("1\x1f")` fails).
 */
export function pythonNumberStrip(text: string): string {
  return stripEnds(text, isNumberSpace);
}

/** `text` without the code units `isSpace` accepts at either end (itself when there are none). */
function stripEnds(text: string, isSpace: (code: number) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isNumberSpace(code: number): boolean {
  return (code < 0x1c || code > 0x1f) && isPythonSpace(code);
}

/** Python's `str.isspace()` for one UTF-16 code unit (no white space lies outside the BMP). */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code >= 0x1c || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}
