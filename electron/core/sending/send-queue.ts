import type { Campaign } from '../campaigns/campaign';
import type { ZoneWindows } from './zone-windows';

/** One zone group's rows still to send, in file order. */
interface Lane {
  group: number;
  rows: number[];
  next: number;
}

/**
 * The ready rows of a run, by zone group, handed out only while their group's window is open (the run's window,
 * from its start: `campaign.sendWindows`). Without a window, every row is in one group that never shuts.
 */
export class SendQueue {
  private readonly lanes: Lane[] = [];
  private readonly laneOf = new Map<number, Lane>();
  private readonly windows: ZoneWindows | null;

  constructor(private readonly campaign: Campaign) {
    this.windows = campaign.sendWindows;
    for (const row of campaign.readyRows()) this.laneFor(this.groupOf(row)).rows.push(row);
  }

  /** Up to `max` rows open at `now` that `accept` takes; rows no longer ready are passed over for good. */
  take(max: number, now: number, accept: (row: number) => boolean): number[] {
    const rows: number[] = [];
    for (const lane of this.lanes) {
      if (!this.isGroupOpen(lane.group, now)) continue;
      while (rows.length < max && lane.next < lane.rows.length) {
        const row = lane.rows[lane.next++] as number;
        // A late report can settle a row that was sent again on the user's word; it must not go a third time.
        if (this.campaign.statusOf(row) === 'ready' && accept(row)) rows.push(row);
      }
      if (rows.length === max) break;
    }
    return rows;
  }

  /** Rows taken but not sent (their window shut first): they wait for it again. */
  putBack(rows: readonly number[]): void {
    for (const row of rows) this.laneFor(this.groupOf(row)).rows.push(row);
  }

  isOpen(row: number, now: number): boolean {
    return this.isGroupOpen(this.groupOf(row), now);
  }

  /**
   * When a window opens for rows still waiting, `now` if one is open with rows left; null when no row is left to
   * send. The plan refused windows that never open, so every waiting row has a time.
   */
  nextOpening(now: number): number | null {
    let soonest: number | null = null;
    for (const lane of this.lanes) {
      while (
        lane.next < lane.rows.length &&
        this.campaign.statusOf(lane.rows[lane.next] as number) !== 'ready'
      )
        lane.next++;
      if (lane.next === lane.rows.length) continue;
      const opens = this.windows ? this.windows.opensAt(lane.group, now) : now;
      if (opens !== null && (soonest === null || opens < soonest)) soonest = opens;
    }
    return soonest;
  }

  private isGroupOpen(group: number, now: number): boolean {
    return this.windows === null || this.windows.isOpen(group, now);
  }

  private groupOf(row: number): number {
    return this.windows === null ? 0 : this.campaign.zones.groupOf(row);
  }

  private laneFor(group: number): Lane {
    let lane = this.laneOf.get(group);
    if (!lane) {
      lane = { group, rows: [], next: 0 };
      this.laneOf.set(group, lane);
      this.lanes.push(lane);
    }
    return lane;
  }
}
