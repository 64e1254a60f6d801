import { describe, expect, it } from 'vitest';
import type { PlanWindow } from '../../shared/api';
import { DEFAULT_SEND_WINDOW } from '../../shared/send-window';
import { clockTime, waitWords, windowSummary } from '../../shared/window-words';

const plan = (over: Partial<PlanWindow>): PlanWindow => ({
  window: DEFAULT_SEND_WINDOW,
  source: 'service',
  now: 0,
  waiting: [],
  lastOpensAt: null,
  zoneUnknown: 0,
  ...over,
});

describe('what the send window does, in words', () => {
  it('says whose window it is, and how many rows go at once', () => {
    expect(windowSummary(plan({ window: null, source: 'off' }), 3)).toBe(
      'No send window: every message goes at once, whatever the hour where its recipient is.',
    );
    expect(windowSummary(plan({ window: null }), 3)).toBe(
      'No send window on this service: every message goes at once, whatever the hour where its recipient is.',
    );
    expect(windowSummary(plan({ now: 1 }), 1)).toBe(
      "The one row is inside the service's window, 08:00–21:00 on each recipient's clock: it goes at once.",
    );
    expect(windowSummary(plan({ now: 1200, source: 'campaign' }), 1200)).toBe(
      "All 1,200 rows are inside this campaign's window, 08:00–21:00 on each recipient's clock: they go at once.",
    );
    const wait = {
      rows: 412,
      opensAt: '2026-12-01T13:00:00.000Z',
      theirTime: '08:00',
      zones: ['America/New_York'],
    };
    expect(windowSummary(plan({ now: 800, waiting: [wait] }), 1212)).toBe(
      "800 of 1,212 rows go at once; the rest wait for the service's window, 08:00–21:00 on each recipient's clock.",
    );
  });

  it("says when rows wait for, on their clock and on the user's, the day named when it is not today", () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const wait = (rows: number, opensAt: string, zones: string[]) => ({
      rows,
      opensAt,
      theirTime: '08:00',
      zones,
    });
    expect(waitWords(wait(412, '2026-12-01T13:00:00.000Z', ['America/New_York']), 'Europe/London', now)).toBe(
      '412 rows wait for 08:00 their time (America/New York), 13:00 yours',
    );
    expect(waitWords(wait(1, '2026-12-01T21:00:00.000Z', ['Australia/Sydney']), 'Europe/Berlin', now)).toBe(
      '1 row waits for 08:00 their time (Australia/Sydney), 22:00 yours',
    );
    // 08:00 in Sydney on Wednesday is Tuesday evening in New York, Wednesday morning in Tokyo.
    expect(clockTime('2026-12-01T21:00:00.000Z', 'America/New_York', now)).toBe('16:00');
    expect(clockTime('2026-12-01T21:00:00.000Z', 'Asia/Tokyo', now)).toBe('Wed 06:00');
  });
});
