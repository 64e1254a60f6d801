import type { RowPatch, RowView } from '../../../shared/api';

interface Page {
  revision: number;
  rows: readonly RowView[];
}

/** Whether a pushed patch is at least as new as the row fetched (ties go to the patch, which came later). */
function patchIsCurrent(patch: RowPatch, row: RowView): boolean {
  return (patch.updatedAt ?? '') >= (row.updatedAt ?? '');
}

/**
 * The rows of one list (a campaign's rows through one filter) as fetched page by page, with the status
 * updates pushed since. Patches are kept only for the rows of the pages held, and a page fetched again drops
 * those it already shows, so an update costs its own size and what is held is bounded by the pages.
 * Plain TypeScript: React reads it through `subscribe` and `version` (useSyncExternalStore).
 */
export class RowsStore {
  private readonly pages = new Map<number, Page>();
  /** The page each held row is on, by row index. */
  private readonly pageOf = new Map<number, number>();
  private readonly patches = new Map<number, RowPatch>();
  /** Patches for rows not held that came while pages were on their way: they may be on them. */
  private readonly arriving = new Map<number, RowPatch>();
  /** Pages asked for and not yet answered, as `page:revision`. */
  private readonly requested = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private changes = 0;
  /** The list's length; null until a page told it (a filtered list's is known only then). */
  total: number | null;
  /** The revision `total` was counted at. */
  private totalRevision: number;

  constructor(
    readonly pageSize: number,
    /** Pages held around the last one fetched; farther ones are dropped and fetched again if needed. */
    private readonly maxPages: number,
    total: number | null,
    revision: number,
  ) {
    this.total = total;
    this.totalRevision = revision;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes each time what `rowAt` or `total` give changes. */
  version = (): number => this.changes;

  /** How many patches are held: at most one a held row, plus those that came while pages were on their way. */
  get patchCount(): number {
    return this.patches.size + this.arriving.size;
  }

  /** Whether a page should be asked for at a revision: it is missing or older, and not already asked for. */
  claim(page: number, revision: number): boolean {
    const tag = `${page}:${revision}`;
    if (this.pages.get(page)?.revision === revision || this.requested.has(tag)) return false;
    this.requested.add(tag);
    return true;
  }

  /** A page asked for could not be fetched; it may be asked for again. */
  fail(page: number, revision: number): void {
    this.requested.delete(`${page}:${revision}`);
    this.settle();
  }

  receive(page: number, revision: number, rows: readonly RowView[], total: number): void {
    this.requested.delete(`${page}:${revision}`);
    // Until it arrives the older page stays on screen, so edits don't blank the table.
    if ((this.pages.get(page)?.revision ?? -1) <= revision) {
      this.dropPage(page);
      this.pages.set(page, { revision, rows });
      for (const row of rows) {
        this.pageOf.set(row.index, page);
        const patch = this.arriving.get(row.index) ?? this.patches.get(row.index);
        if (patch && patchIsCurrent(patch, row)) this.patches.set(row.index, patch);
        else this.patches.delete(row.index);
      }
      for (const p of [...this.pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page))) {
        if (this.pages.size <= this.maxPages) break;
        this.dropPage(p);
      }
      if (revision >= this.totalRevision) {
        this.total = total;
        this.totalRevision = revision;
      }
    }
    this.settle();
  }

  /** Status updates pushed by the core: kept for the rows held, and while pages are on their way. */
  patch(rows: readonly RowPatch[]): void {
    let kept = false;
    for (const patch of rows) {
      if (this.pageOf.has(patch.index)) this.patches.set(patch.index, patch);
      else if (this.requested.size > 0) this.arriving.set(patch.index, patch);
      else continue;
      kept = true;
    }
    if (kept) this.changed();
  }

  /** The row at a position of the list, as last fetched and with any status update since. */
  rowAt(position: number): RowView | undefined {
    const row = this.pages.get(Math.floor(position / this.pageSize))?.rows[position % this.pageSize];
    const patch = row && this.patches.get(row.index);
    return row && patch && patchIsCurrent(patch, row) ? { ...row, ...patch } : row;
  }

  private dropPage(page: number): void {
    for (const row of this.pages.get(page)?.rows ?? []) {
      if (this.pageOf.get(row.index) !== page) continue;
      this.pageOf.delete(row.index);
      this.patches.delete(row.index);
    }
    this.pages.delete(page);
  }

  private settle(): void {
    if (this.requested.size === 0) this.arriving.clear();
    this.changed();
  }

  private changed(): void {
    this.changes++;
    for (const listener of this.listeners) listener();
  }
}
