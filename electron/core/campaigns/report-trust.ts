const NONE = 0;
/** The row's status was set by a report that named the row by reference alone. */
const BY_REFERENCE = 1;
/** A report with the row's own transid came. */
const BY_TRANSID = 2;

/**
 * Per row, whether its delivery reports named it by the transid the API gave its message, or only by its
 * reference (the correlation id or callbackData, which anyone who saw a report can copy). Once a report
 * came with the row's own transid, reports naming the row only by reference no longer set its status;
 * and the first report with the transid replaces a status that one by reference alone had set, final or not.
 */
export class ReportTrust {
  private level: Uint8Array;

  constructor(rows: number) {
    this.level = new Uint8Array(rows).fill(NONE);
  }

  /** Whether a report about the row, carrying the row's own transid or not, may set its status. */
  accepts(row: number, ownTransid: boolean): boolean {
    return ownTransid || this.level[row] !== BY_TRANSID;
  }

  /** Whether a report with the row's own transid replaces its status, whatever that status is. */
  overrules(row: number, ownTransid: boolean): boolean {
    return ownTransid && this.level[row] === BY_REFERENCE;
  }

  /** Notes a report the row accepted; `applied` whether it set the row's status. */
  note(row: number, ownTransid: boolean, applied: boolean): void {
    if (ownTransid) this.level[row] = BY_TRANSID;
    else if (applied && this.level[row] === NONE) this.level[row] = BY_REFERENCE;
  }

  /** A copy of what it holds, per row. */
  state(): Uint8Array {
    return this.level.slice();
  }

  /** Whether `restore` takes `level`: one for as many rows, of levels it knows. */
  fits(level: Uint8Array): boolean {
    return level.length === this.level.length && level.every((l) => l <= BY_TRANSID);
  }

  /** Takes in what `state` copied out (and `fits` took). */
  restore(level: Uint8Array): void {
    this.level = level;
  }
}
