import type { RowZones } from '../recipients/row-zones';
import type { ZoneWindows } from '../sending/zone-windows';

/**
 * How many ready rows each zone group holds, kept as rows change, so that the rows waiting for their window
 * are counted per group (a few hundred at most) rather than per row.
 */
export class WaitingRows {
  private readonly readyIn: Uint32Array;

  constructor(
    readonly zones: RowZones,
    statuses: Uint8Array,
    ready: number,
  ) {
    this.readyIn = new Uint32Array(zones.groups);
    statuses.forEach((code, row) => {
      if (code === ready) (this.readyIn[zones.groupOf(row)] as number)++;
    });
  }

  moved(row: number, wasReady: boolean, isReady: boolean): void {
    if (wasReady === isReady) return;
    (this.readyIn[this.zones.groupOf(row)] as number) += isReady ? 1 : -1;
  }

  /** The ready rows whose window is shut at `now`, and when the first of them opens (null: none waits). */
  shut(windows: ZoneWindows, now: number): { rows: number; nextAt: number | null } {
    let rows = 0;
    let nextAt: number | null = null;
    this.readyIn.forEach((count, group) => {
      if (count === 0 || windows.isOpen(group, now)) return;
      rows += count;
      const opens = windows.opensAt(group, now);
      if (opens !== null && (nextAt === null || opens < nextAt)) nextAt = opens;
    });
    return { rows, nextAt };
  }

  /** The ready rows of each group that has any. */
  byGroup(): Map<number, number> {
    const counts = new Map<number, number>();
    this.readyIn.forEach((count, group) => {
      if (count > 0) counts.set(group, count);
    });
    return counts;
  }

  /** Which groups are open at `now`, as a string that changes when one opens or shuts. */
  openGroups(windows: ZoneWindows, now: number): string {
    let signature = '';
    for (let group = 0; group < this.readyIn.length; group++)
      signature += windows.isOpen(group, now) ? '1' : '0';
    return signature;
  }
}
