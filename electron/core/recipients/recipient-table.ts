const SEPARATOR = '\u0000';

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

  /** The row's cells, one per column (a short row is padded with empty cells). */
  values(row: number): string[] {
    const packed = this.packed[row];
    if (packed === undefined) throw new RangeError(`row ${row} out of range`);
    const cells = packed.split(SEPARATOR);
    while (cells.length < this.columns.length) cells.push('');
    return cells;
  }

  *columnCells(column: number): Generator<string> {
    for (let row = 0; row < this.packed.length; row++) yield this.cell(row, column);
  }

  /** One cell, without splitting the whole row. */
  cell(row: number, column: number): string {
    const packed = this.packed[row];
    if (packed === undefined) throw new RangeError(`row ${row} out of range`);
    let start = 0;
    for (let c = 0; c < column; c++) {
      const next = packed.indexOf(SEPARATOR, start);
      if (next === -1) return '';
      start = next + 1;
    }
    const end = packed.indexOf(SEPARATOR, start);
    return end === -1 ? packed.slice(start) : packed.slice(start, end);
  }

  /** The packed form of a row, for storage. */
  packedRow(row: number): string {
    return this.packed[row] ?? '';
  }
}

export function packRow(cells: readonly string[]): string {
  return cells.some((c) => c.includes(SEPARATOR))
    ? cells.map((c) => c.replaceAll(SEPARATOR, '\ufffd')).join(SEPARATOR)
    : cells.join(SEPARATOR);
}
