import type { RowPatch } from '../../../shared/api';

/**
 * Row changes of one push interval, merged per row (the last change wins) and handed on once per interval:
 * a row that goes sending, queued, submitted and delivered within it crosses to the UI once. At most one
 * patch a row of the campaign is held, so the buffer is bounded by the campaign's size.
 */
export class RowPatchBuffer {
  private readonly pending = new Map<string, Map<number, RowPatch>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly everyMs: number,
    private readonly emit: (campaignId: string, rows: RowPatch[]) => void,
  ) {}

  add(campaignId: string, patches: readonly RowPatch[]): void {
    if (patches.length === 0) return;
    let rows = this.pending.get(campaignId);
    if (!rows) this.pending.set(campaignId, (rows = new Map()));
    for (const patch of patches) rows.set(patch.index, patch);
    if (!this.timers.has(campaignId))
      this.timers.set(
        campaignId,
        setTimeout(() => this.flush(campaignId), this.everyMs),
      );
  }

  /** Hands on what is held for a campaign now: before its view is pushed, so rows never lag their counts. */
  flush(campaignId: string): void {
    clearTimeout(this.timers.get(campaignId));
    this.timers.delete(campaignId);
    const rows = this.pending.get(campaignId);
    this.pending.delete(campaignId);
    if (rows) this.emit(campaignId, [...rows.values()]);
  }

  /** Forgets what is held for a campaign (deleted) or for all (the desk closes). */
  drop(campaignId?: string): void {
    for (const id of campaignId === undefined ? [...this.timers.keys()] : [campaignId]) {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
      this.pending.delete(id);
    }
  }
}
