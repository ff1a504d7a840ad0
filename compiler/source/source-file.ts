/**
 * A source text with its path as the user gave it, and the mapping from offsets to 1-based
 * line and column numbers that every diagnostic needs. Columns count UTF-16 code units, as
 * editors and TypeScript do.
 */
export class SourceFile {
  private readonly lineStarts: number[];

  constructor(
    /** Path as shown to the user (relative to the working directory where possible). */
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.lineStarts[low] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** A range of characters in a source file (offsets, end exclusive). */
export interface SourceRange {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}
