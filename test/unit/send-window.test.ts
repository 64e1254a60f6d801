import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowZones } from '../../electron/core/recipients/row-zones';
import { nextOpenSpan, openSpanIn } from '../../electron/core/sending/send-window';
import { ZoneWindows } from '../../electron/core/sending/zone-windows';
import { insideWindow, quarterHour } from './window-clock';
import {
  DEFAULT_SEND_WINDOW,
  describeSendWindow,
  parseSendWindow,
  type SendWindow,
} from '../../shared/send-window';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const span = (zones: string[], window: SendWindow, when: string) => {
  const found = nextOpenSpan(zones, window, at(when));
  return found && { from: iso(found.from), to: iso(found.to) };
};
const window = (text: string) => parseSendWindow(text) as SendWindow;

describe('send windows as written', () => {
  it('reads hours and days as the command line writes them', () => {
    expect(parseSendWindow('08:00-21:00')).toEqual(DEFAULT_SEND_WINDOW);
    expect(parseSendWindow('9:00–17:30 Mon-Fri')).toEqual({
      from: '09:00',
      to: '17:30',
      days: [1, 2, 3, 4, 5],
    });
    expect(parseSendWindow('22:00-02:00 Fri-Mon')).toEqual({
      from: '22:00',
      to: '02:00',
      days: [1, 5, 6, 7],
    });
    expect(parseSendWindow('10:00-16:00 saturday, Sun')).toEqual({
      from: '10:00',
      to: '16:00',
      days: [6, 7],
    });
  });

  it('says what is wrong with a window it cannot read', () => {
    expect(parseSendWindow('8-9')).toMatch(/write it as 08:00-21:00/);
    expect(parseSendWindow('08:00-08:00')).toMatch(/opens and closes at the same time/);
    expect(parseSendWindow('25:00-08:00')).toMatch(/a time such as 08:00/);
    expect(parseSendWindow('08:00-21:00 Mon-Funday')).toMatch(/"Mon-Funday" is not a day of the week/);
  });

  it('describes a window in the words the plan uses', () => {
    expect(describeSendWindow(DEFAULT_SEND_WINDOW)).toBe('08:00–21:00');
    expect(describeSendWindow(window('09:00-17:00 Mon-Fri'))).toBe('09:00–17:00 Mon–Fri');
    expect(describeSendWindow(window('09:00-17:00 Mon,Tue,Sat,Sun'))).toBe('09:00–17:00 Mon, Tue, Sat, Sun');
  });
});

describe('when a row may be sent, on its own clock', () => {
  it('waits overnight: 23:00 in London opens at 08:00 the next morning', () => {
    expect(span(['Europe/London'], DEFAULT_SEND_WINDOW, '2026-12-01T23:00:00Z')).toEqual({
      from: '2026-12-02T08:00:00.000Z',
      to: '2026-12-02T21:00:00.000Z',
    });
  });

  it('is open now inside the window, until it closes', () => {
    expect(span(['Europe/London'], DEFAULT_SEND_WINDOW, '2026-12-01T12:34:00Z')).toEqual({
      from: '2026-12-01T12:34:00.000Z',
      to: '2026-12-01T21:00:00.000Z',
    });
  });

  it('runs a window past midnight from the day it opens', () => {
    const night = window('22:00-02:00 Fri');
    // Friday 2026-12-04, 23:30 in Berlin: open until Saturday 02:00, though Saturday is not a day it opens on.
    expect(span(['Europe/Berlin'], night, '2026-12-04T22:30:00Z')).toEqual({
      from: '2026-12-04T22:30:00.000Z',
      to: '2026-12-05T01:00:00.000Z',
    });
    // Saturday 01:30 is still Friday's window; Saturday 03:00 waits for the next Friday.
    expect(span(['Europe/Berlin'], night, '2026-12-05T00:30:00Z')?.to).toBe('2026-12-05T01:00:00.000Z');
    expect(span(['Europe/Berlin'], night, '2026-12-05T02:00:00Z')?.from).toBe('2026-12-11T21:00:00.000Z');
  });

  it('keeps 08:00 on the wall clock across the northern changes of clocks (New York)', () => {
    // Clocks go forward on 2026-03-08 and back on 2026-11-01: 08:00 is 13:00Z, then 12:00Z, then 13:00Z again.
    expect(span(['America/New_York'], DEFAULT_SEND_WINDOW, '2026-03-08T06:00:00Z')?.from).toBe(
      '2026-03-08T12:00:00.000Z',
    );
    expect(span(['America/New_York'], DEFAULT_SEND_WINDOW, '2026-03-07T06:00:00Z')?.from).toBe(
      '2026-03-07T13:00:00.000Z',
    );
    expect(span(['America/New_York'], DEFAULT_SEND_WINDOW, '2026-11-01T06:00:00Z')).toEqual({
      from: '2026-11-01T13:00:00.000Z',
      to: '2026-11-02T02:00:00.000Z',
    });
  });

  it('keeps 08:00 on the wall clock across the southern changes of clocks (Sydney)', () => {
    // Clocks go back on 2026-04-05 and forward on 2026-10-04.
    expect(span(['Australia/Sydney'], DEFAULT_SEND_WINDOW, '2026-04-03T12:00:00Z')?.from).toBe(
      '2026-04-03T21:00:00.000Z',
    );
    expect(span(['Australia/Sydney'], DEFAULT_SEND_WINDOW, '2026-04-04T12:00:00Z')?.from).toBe(
      '2026-04-04T22:00:00.000Z',
    );
    expect(span(['Australia/Sydney'], DEFAULT_SEND_WINDOW, '2026-10-03T12:00:00Z')?.from).toBe(
      '2026-10-03T21:00:00.000Z',
    );
    expect(span(['Australia/Sydney'], DEFAULT_SEND_WINDOW, '2026-10-02T12:00:00Z')?.from).toBe(
      '2026-10-02T22:00:00.000Z',
    );
  });

  it('opens an hour late when the clock skips its opening time', () => {
    const early = window('02:30-05:00');
    expect(openSpanIn('America/New_York', early, at('2026-03-08T05:00:00Z'))).toEqual({
      from: at('2026-03-08T07:30:00Z'),
      to: at('2026-03-08T09:00:00Z'),
    });
  });

  it('opens at the second reading of its time on the night the clock goes back, and closes before a skipped one', () => {
    // Sydney, Sunday 2027-04-04: 03:00 becomes 02:00 again. Opened at the first 02:15, it would hold 02:00–02:14
    // of the second reading, which is before the window.
    expect(openSpanIn('Australia/Sydney', window('02:15-00:00 Sun'), at('2027-04-03T12:00:00Z'))?.from).toBe(
      at('2027-04-03T16:15:00Z'),
    );
    // New York, 2026-03-08: the clock skips 02:00–03:00, so it never reads 02:30; the window closes before.
    expect(
      openSpanIn('America/New_York', window('00:00-02:30'), at('2026-03-08T05:00:00Z'))?.to,
    ).toBeLessThanOrEqual(at('2026-03-08T07:00:00Z'));
  });

  it('applies the strictest window to a number that may be in several zones', () => {
    // 08:00 in Los Angeles is 11:00 in New York; 21:00 in New York is 18:00 in Los Angeles.
    expect(
      span(['America/New_York', 'America/Los_Angeles'], DEFAULT_SEND_WINDOW, '2026-12-01T09:00:00Z'),
    ).toEqual({ from: '2026-12-01T16:00:00.000Z', to: '2026-12-02T02:00:00.000Z' });
  });

  it('finds no time for zones whose windows never meet', () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC-11): their Mondays do not overlap.
    expect(
      nextOpenSpan(['Pacific/Kiritimati', 'Pacific/Pago_Pago'], window('08:00-21:00 Mon'), Date.now()),
    ).toBe(null);
  });
});

const ZONES = [
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Santiago',
  'Pacific/Auckland',
  'Africa/Casablanca',
  'Asia/Tokyo',
];
const anyWindow = fc
  .record({ from: quarterHour, to: quarterHour, days: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }) })
  .filter((w) => w.from !== w.to);
const anyZones = fc.subarray(ZONES, { minLength: 1, maxLength: 3 });
const anyInstant = fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') });
const QUARTER_MS = 15 * 60_000;

/** Whether the zone's offset from UTC changes within two hours of an instant (the clocks change). */
const nearClockChange = (ms: number, zone: string) => {
  const offset = (t: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .format(t)
      .split(' ')
      .pop();
  return offset(ms - 2 * 3600_000) !== offset(ms + 2 * 3600_000);
};

describe('no message outside its window (properties)', () => {
  it('every instant of a span is inside the window in every zone of the row', () => {
    fc.assert(
      fc.property(anyZones, anyWindow, anyInstant, (zones, w, t) => {
        const found = nextOpenSpan(zones, w, t);
        if (!found) return;
        expect(found.from).toBeGreaterThanOrEqual(t);
        expect(found.to).toBeGreaterThan(found.from);
        const samples = [found.from, found.to - 1];
        for (let s = Math.ceil(found.from / QUARTER_MS) * QUARTER_MS; s < found.to; s += QUARTER_MS)
          samples.push(s);
        for (const sample of samples)
          for (const zone of zones) expect(insideWindow(sample, zone, w)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a row waits no longer than its window makes it, clock changes aside', () => {
    fc.assert(
      fc.property(anyZones, anyWindow, anyInstant, (zones, w, t) => {
        const found = nextOpenSpan(zones, w, t);
        const until = found ? found.from : t + 8 * 24 * 3600_000;
        for (let s = Math.ceil(t / QUARTER_MS) * QUARTER_MS; s < until; s += QUARTER_MS) {
          const openEverywhere = zones.every((zone) => insideWindow(s, zone, w));
          if (openEverywhere) expect(zones.some((zone) => nearClockChange(s, zone))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("a campaign's zone groups, remembered between questions", () => {
  const brisbaneAndSydney = (): RowZones => {
    const zones = new RowZones(1);
    zones.set(0, {
      key: 'Australia/Brisbane&Australia/Sydney',
      zones: ['Australia/Brisbane', 'Australia/Sydney'],
      source: 'column',
    });
    return zones;
  };
  const hour = { from: '08:00', to: '09:00', days: [1, 2, 3, 4, 5, 6, 7] };

  it('looks again at a window found never to open: zones may meet once a clock changes', () => {
    const windows = new ZoneWindows(brisbaneAndSydney(), hour);
    // In December Sydney keeps summer time, an hour ahead of Brisbane: their 08:00–09:00 never meet.
    expect(windows.opensAt(1, Date.parse('2026-12-01T00:00:00Z'))).toBeNull();
    // In July both read UTC+10: the window opens at 08:00 in both, 22:00 UTC.
    expect(windows.opensAt(1, Date.parse('2027-07-01T00:00:00Z'))).toBe(Date.parse('2027-07-01T22:00:00Z'));
  });

  it('answers for an earlier time after a later one with the span of the earlier', () => {
    const zones = new RowZones(1);
    zones.set(0, { key: 'Europe/London', zones: ['Europe/London'], source: 'column' });
    const windows = new ZoneWindows(zones, { ...hour, to: '21:00' });
    expect(windows.opensAt(1, Date.parse('2026-12-02T10:00:00Z'))).toBe(Date.parse('2026-12-02T10:00:00Z'));
    // Asked for the day before (a schedule taken back): that day's window, not the next day's.
    expect(windows.opensAt(1, Date.parse('2026-12-01T07:00:00Z'))).toBe(Date.parse('2026-12-01T08:00:00Z'));
  });
});
