import type { SendWindow } from '../../../shared/send-window';
import type { ZoneGroups } from '../recipients/row-zones';
import { nextOpenSpan, type OpenSpan } from './send-window';

/**
 * Rows are not taken for sending in the last minute of their window: a request may wait for its tokens, and the
 * platform hands the message on after it answers. The window's end is when the last message may reach a phone.
 */
export const CLOSING_MARGIN_MS = 60_000;

const NEVER_HOLDS_MS = 86_400_000;

/** Past its window's end, a group is looked at again; no window: it never opens. */
type Span = OpenSpan | null;

/**
 * When each zone group of a campaign's rows may be sent under one send window, remembered per group until the
 * span it found has passed: the campaign view and the sender ask about every group often, a zone's clock seldom
 * changes its answer.
 */
export class ZoneWindows {
  private readonly spans: (Span | undefined)[];
  /** When each group's span was looked for: it holds from then until it ends, not before (a preview asks ahead). */
  private readonly askedAt: Float64Array;

  constructor(
    readonly zones: ZoneGroups,
    readonly window: SendWindow,
  ) {
    this.spans = new Array<Span | undefined>(zones.groups);
    this.askedAt = new Float64Array(zones.groups);
  }

  /**
   * The group's span at or after `now` (the end already less the closing margin); null when its window never opens
   * in all of its zones at once. Group 0 (no zone known) is always open.
   */
  span(group: number, now: number): Span {
    if (group === 0) return { from: now, to: Infinity };
    const known = this.spans[group];
    const asked = this.askedAt[group] as number;
    // Whether zones' windows ever meet can change with their clocks (one of them on summer time): asked daily.
    if (known !== undefined && asked <= now && now < (known === null ? asked + NEVER_HOLDS_MS : known.to))
      return known;
    const found = this.find(group, now);
    this.spans[group] = found;
    this.askedAt[group] = now;
    return found;
  }

  isOpen(group: number, now: number): boolean {
    const span = this.span(group, now);
    return span !== null && span.from <= now;
  }

  /** When the group's window next opens, `now` when it is open; null: never. */
  opensAt(group: number, now: number): number | null {
    const span = this.span(group, now);
    return span === null ? null : Math.max(span.from, now);
  }

  private find(group: number, now: number): Span {
    const zones = this.zones.group(group).zones;
    let at = now;
    // A span shorter than the margin is no span to send in: look past it.
    for (let tries = 0; tries < 16; tries++) {
      const span = nextOpenSpan(zones, this.window, at);
      if (span === null) return null;
      if (span.to - CLOSING_MARGIN_MS > span.from)
        return { from: span.from, to: span.to - CLOSING_MARGIN_MS };
      at = span.to;
    }
    return null;
  }
}
