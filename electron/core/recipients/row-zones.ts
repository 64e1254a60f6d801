import type { ZoneSet } from './time-zones';

const SETS_REMEMBERED = 10_000;

/**
 * Zone groups as the window arithmetic reads them: group 0 is rows with no zone known, each other group a set
 * of zones. A campaign's RowZones is one; the command-line preview keeps only the groups, not the rows.
 */
export interface ZoneGroups {
  /** How many groups there are, 0 included. */
  readonly groups: number;
  /** The zones of a group other than 0. */
  group(group: number): { readonly zones: readonly string[] };
}

/**
 * Each row's time zones, as a small number per row into the few distinct sets a campaign has (a few hundred at
 * most: the sets are per number prefix), so that rows can be grouped by zone without a string per row.
 */
export class RowZones implements ZoneGroups {
  /** 0: no zone known; otherwise 1 + index into `sets`. */
  private readonly ofRow: Uint16Array;
  private readonly sets: ZoneSet[] = [];
  private readonly indexOf = new Map<string, number>();
  /**
   * The same, by the set itself: rows share their prefix's (or their cell's) set, and a string key per row would
   * cost more. Bounded: a file's time-zone cells may each make a set of their own.
   */
  private readonly indexOfSet = new Map<ZoneSet, number>();

  constructor(rows: number) {
    this.ofRow = new Uint16Array(rows);
  }

  set(row: number, set: ZoneSet | null): void {
    if (set === null) return;
    let index = this.indexOfSet.get(set);
    if (index === undefined) {
      const key = set.key + set.source;
      index = this.indexOf.get(key);
      if (index === undefined) {
        this.sets.push(set);
        index = this.sets.length;
        this.indexOf.set(key, index);
      }
      if (this.indexOfSet.size < SETS_REMEMBERED) this.indexOfSet.set(set, index);
    }
    this.ofRow[row] = index;
  }

  /** The row's zones, or null when neither its number nor the file says. */
  of(row: number): ZoneSet | null {
    const index = this.ofRow[row] ?? 0;
    return index === 0 ? null : (this.sets[index - 1] as ZoneSet);
  }

  /** The group a row is in: 0 for no zone known, else its set's number (see `group`). */
  groupOf(row: number): number {
    return this.ofRow[row] ?? 0;
  }

  /** The set of a group other than 0. */
  group(group: number): ZoneSet {
    return this.sets[group - 1] as ZoneSet;
  }

  /** How many groups there are, 0 included. */
  get groups(): number {
    return this.sets.length + 1;
  }
}
