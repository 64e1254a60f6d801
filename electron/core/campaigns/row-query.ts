import type { RowFilter } from '../../../shared/api';
import type { Campaign } from './campaign';

/** Row indexes passing a filter, cached per campaign until its rows change. */
export class RowQuery {
  private cache: { key: string; revision: number; rows: number[] } | null = null;

  constructor(private readonly campaign: Campaign) {}

  /** Null when no filter applies: every row, in file order. */
  rows(filter: RowFilter | undefined): number[] | null {
    const needle = filter?.search?.trim().toLowerCase() ?? '';
    if (!filter?.status && !filter?.reason && needle === '') return null;
    const c = this.campaign;
    const now = Date.now();
    // Rows move between ready and waiting as windows open and shut, with no change to the rows.
    const key = JSON.stringify([filter?.status, filter?.reason, needle, c.windowSignature(now)]);
    if (this.cache?.key === key && this.cache.revision === c.revision) return this.cache.rows;
    const rows: number[] = [];
    for (let row = 0; row < c.size; row++) {
      if (filter?.status && c.shownStatus(row, now) !== filter.status) continue;
      if (filter?.reason && c.reasonOf(row) !== filter.reason) continue;
      if (needle !== '' && !this.contains(row, needle)) continue;
      rows.push(row);
    }
    this.cache = { key, revision: c.revision, rows };
    return rows;
  }

  /** The next row after `after`, wrapping around, that is skipped or too long to send; null when none is. */
  nextProblem(after: number): number | null {
    const c = this.campaign;
    for (let step = 1; step <= c.size; step++) {
      const row = (after + step + c.size) % c.size;
      if (c.statusOf(row) === 'skipped' || c.isTooLong(row)) return row;
    }
    return null;
  }

  private contains(row: number, needle: string): boolean {
    const c = this.campaign;
    if (c.table.packedRow(row).toLowerCase().includes(needle)) return true;
    const p = c.prepared(row);
    return (p.msisdn ?? '').includes(needle) || p.message.toLowerCase().includes(needle);
  }
}
