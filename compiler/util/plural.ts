/** `1 flow`, `2 flows`: a count and its noun, for the CLI's summary lines. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
