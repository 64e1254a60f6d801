const SEPARATOR = '\u0000';
const SEPARATORS = /\u0000/g;

/**
 * The imported rows, each kept as one string with its cells joined by NUL: a million rows then cost
 * one string apiece instead of an array and a string per cell. A NUL inside a cell (never meaningful
 * in a spreadsheet) is stored as U+FFFD.
 */
export class RecipientTable {
  private constructor(
    readonly columns: readonly string[],
    private readonly packed: readonly string[],
  ) {}

  static fromPacked(columns: readonly string[], packed: readonly string[]): RecipientTable {
    return new RecipientTable(columns, packed);
  }

  static fromRows(columns: readonly string[], rows: readonly (readonly string[])[]): RecipientTable {
    return new RecipientTable(columns, rows.map(packRow));
  }

  get size(): number {
    return this.packed.length;
  }

  values(row: number): string[] {
    const packed = this.packed[row];
    if (packed === undefined) throw new RangeError(`row ${row} out of range`);
    return packed.split(SEPARATOR);
  }

  /** The packed form of a row, for storage. */
  packedRow(row: number): string {
    return this.packed[row] ?? '';
  }
}

export function packRow(cells: readonly string[]): string {
  return cells.map((c) => (c.includes(SEPARATOR) ? c.replace(SEPARATORS, '\ufffd') : c)).join(SEPARATOR);
}
