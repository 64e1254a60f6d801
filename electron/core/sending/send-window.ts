import { DateTime } from 'luxon';
import { clockMinutes, type SendWindow } from '../../../shared/send-window';

/** An interval of instants (ms since the epoch) during which a row may be sent: `from` ≤ t < `to`. */
export interface OpenSpan {
  from: number;
  to: number;
}

/** Further than this from now, a window that has not opened in every zone of a row never will. */
const HORIZON_MS = 8 * 24 * 3600_000;
/** Each round moves the instant to a later opening; zones of one row agree within a few rounds. */
const MAX_ROUNDS = 64;

/**
 * The first span, at or after `at`, when the window is open in every one of `zones` at once: where a number may
 * be in several zones, the strictest reading applies. Null when no such instant comes within eight days (zones
 * so far apart that the window never overlaps, or a window of a few minutes across zones).
 */
export function nextOpenSpan(zones: readonly string[], window: SendWindow, at: number): OpenSpan | null {
  let t = at;
  for (let round = 0; round < MAX_ROUNDS && t - at <= HORIZON_MS; round++) {
    let latestFrom = t;
    let earliestTo = Infinity;
    for (const zone of zones) {
      const span = openSpanIn(zone, window, t);
      if (!span) return null;
      latestFrom = Math.max(latestFrom, span.from);
      earliestTo = Math.min(earliestTo, span.to);
    }
    if (latestFrom === t) return { from: t, to: earliestTo };
    t = latestFrom;
  }
  return null;
}

/**
 * The window's span in one zone that contains `at`, or else the next one to open, with `from` clipped to `at`.
 * Times are wall-clock times of the zone: a window opening at 02:30 on the night clocks skip that hour opens at
 * 03:30, and on the night they go back it closes when the clock first reads its `to` (see wallTime).
 */
export function openSpanIn(zone: string, window: SendWindow, at: number): OpenSpan | null {
  const start = clockMinutes(window.from);
  const end = clockMinutes(window.to);
  const today = DateTime.fromMillis(at, { zone }).startOf('day');
  if (!today.isValid) return null;
  // The window that opened yesterday may still be open past midnight.
  for (let offset = -1; offset <= 8; offset++) {
    const day = today.plus({ days: offset });
    if (!window.days.includes(day.weekday)) continue;
    const opens = wallTime(day, start, 'opens');
    const closes = wallTime(end > start ? day : day.plus({ days: 1 }), end, 'closes');
    if (closes <= at) continue;
    return { from: Math.max(opens, at), to: closes };
  }
  return null;
}

const AROUND_MS = 3 * 3600_000;

/**
 * An instant when the zone's clock reads `minutes` on `day`, chosen so that no instant of a span reads outside
 * it. Where the clock reads that time twice (it goes back), an opening is the second reading and a closing the
 * first; where it never reads it (it goes forward), an opening comes after the skipped time (Luxon moves it on)
 * and a closing before it.
 */
function wallTime(day: DateTime, minutes: number, side: 'opens' | 'closes'): number {
  const at = day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  const ms = at.toMillis();
  const zone = at.zone;
  // How far the clock moves forward (positive) or back (negative) around this time; 0 on most days.
  const shift =
    (DateTime.fromMillis(ms + AROUND_MS, { zone }).offset -
      DateTime.fromMillis(ms - AROUND_MS, { zone }).offset) *
    60_000;
  const reads = (t: number) => {
    const clock = DateTime.fromMillis(t, { zone });
    return clock.hour * 60 + clock.minute === minutes;
  };
  if (side === 'opens' && shift < 0 && reads(ms - shift)) return ms - shift;
  if (side === 'closes' && shift > 0 && !reads(ms)) return ms - shift;
  return ms;
}

/** The wall-clock time of an instant in a zone, "08:00". */
export function wallClockAt(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat('HH:mm');
}
