import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CampaignView, SendPlan } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { journal, rowsOf, tempHome, view, type Home } from './sending-support';
import { insideWindow, quarterHour } from './window-clock';

/** Recipients in four zones: London, New York, Los Angeles and Sydney, three each, interleaved. */
const ZONE_NUMBERS = [
  ['Europe/London', (i: number) => `+4420794600${String(10 + i)}`],
  ['America/New_York', (i: number) => `+1212555${String(1000 + i)}`],
  ['America/Los_Angeles', (i: number) => `+1415555${String(1000 + i)}`],
  ['Australia/Sydney', (i: number) => `+612925010${String(10 + i)}`],
] as const;
const PER_ZONE = 3;

function zonedCsv(extra: (zone: number, i: number) => string[] = () => []): string {
  const lines = ['name,phone,tz'];
  for (let i = 0; i < PER_ZONE; i++)
    ZONE_NUMBERS.forEach(([, number], zone) =>
      lines.push([`P${zone}-${i}`, number(i), ...extra(zone, i)].join(',')),
    );
  return lines.join('\n');
}

let home: Home;
let desk: Desk;

beforeEach(async () => {
  home = await tempHome();
  desk = await home.start();
});

afterEach(async () => {
  vi.useRealTimers();
  await home.cleanup();
});

async function draft(csv: string, window = '08:00-21:00'): Promise<string> {
  const imported = await desk.handlers['campaigns.import']({ fileName: 'people.csv', source: { text: csv } });
  const [from, to] = window.split('-') as [string, string];
  const updated = await desk.handlers['campaigns.update']({
    id: imported.id,
    patch: {
      phoneColumn: 1,
      template: 'Hi $(name)',
      senderId: 'ACME',
      // The Sandbox sends at any hour: the campaign keeps a window of its own.
      sendWindow: { mode: 'own', window: { from, to, days: [1, 2, 3, 4, 5, 6, 7] } },
    },
  });
  expect(updated.problem).toBeNull();
  return imported.id;
}

/** Waits on real time: the wall clock is the test's to move. */
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const settledCount = async (id: string) => {
  const counts = (await view(desk, id)).counts;
  return counts.delivered ?? 0;
};

function setClock(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(iso) });
}

describe('rows wait for the window on their own clock', () => {
  it('plans, then sends a campaign of four zones as each opens, and finishes when the last one has gone', async () => {
    // 12:00 in London; 07:00 in New York, 04:00 in Los Angeles, 23:00 in Sydney.
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(zonedCsv());
    const plan: SendPlan = await desk.handlers['campaigns.plan']({ id });
    expect(plan.window).toMatchObject({
      source: 'campaign',
      now: PER_ZONE,
      lastOpensAt: '2026-12-01T21:00:00.000Z',
    });
    expect(plan.window.waiting).toEqual([
      {
        rows: PER_ZONE,
        opensAt: '2026-12-01T13:00:00.000Z',
        theirTime: '08:00',
        zones: ['America/New_York'],
      },
      {
        rows: PER_ZONE,
        opensAt: '2026-12-01T16:00:00.000Z',
        theirTime: '08:00',
        zones: ['America/Los_Angeles'],
      },
      {
        rows: PER_ZONE,
        opensAt: '2026-12-01T21:00:00.000Z',
        theirTime: '08:00',
        zones: ['Australia/Sydney'],
      },
    ]);

    await desk.handlers['campaigns.send']({ id, digest: plan.digest });
    await until(async () => (await settledCount(id)) === PER_ZONE);
    let shown: CampaignView = await view(desk, id);
    expect(shown.state).toBe('sending');
    expect(shown.counts.waiting).toBe(3 * PER_ZONE);
    expect(shown.nextWindowAt).toBe('2026-12-01T13:00:00.000Z');
    const waitingRows = (
      await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 100, filter: { status: 'waiting' } })
    ).rows;
    expect(waitingRows.map((r) => r.timeZones[0]).sort()).toEqual([
      ...Array(PER_ZONE).fill('America/Los_Angeles'),
      ...Array(PER_ZONE).fill('America/New_York'),
      ...Array(PER_ZONE).fill('Australia/Sydney'),
    ]);

    // Nothing more goes while every window left is shut.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(desk.simulator.accepted).toHaveLength(PER_ZONE);

    for (const [at, sent] of [
      ['2026-12-01T13:00:05Z', 2 * PER_ZONE],
      ['2026-12-01T16:00:05Z', 3 * PER_ZONE],
      ['2026-12-01T21:00:05Z', 4 * PER_ZONE],
    ] as const) {
      vi.setSystemTime(Date.parse(at));
      await until(async () => (await settledCount(id)) === sent);
    }
    await until(async () => (await view(desk, id)).state === 'completed');
    shown = await view(desk, id);
    expect(shown.counts).toEqual({ delivered: 4 * PER_ZONE });

    // Every message went inside its window, on its recipient's clock.
    const zoneOf = new Map((await rowsOf(desk, id)).map((r) => [r.index, r.timeZones]));
    const starts = (await journal(home.dir, id)).filter((e) => e.t === 'start');
    expect(starts.at(-1)).toMatchObject({ window: { from: '08:00', to: '21:00' } });
    for (const e of await journal(home.dir, id)) {
      if (e.t !== 'batch') continue;
      for (const row of e.rows) {
        const [zone] = zoneOf.get(row) as string[];
        const hour = Number(
          new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
            Date.parse(e.at),
          ),
        );
        expect(hour, `row ${row} (${zone}) sent at ${e.at}`).toBeGreaterThanOrEqual(8);
        expect(hour).toBeLessThan(21);
      }
    }
  });

  it("keeps every row's window across a pause and a restart", async () => {
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(zonedCsv());
    const plan = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest: plan.digest });
    await until(async () => (await settledCount(id)) === PER_ZONE);
    await desk.handlers['campaigns.pause']({ id });
    await until(async () => (await view(desk, id)).state === 'paused');
    expect((await view(desk, id)).counts.waiting).toBe(3 * PER_ZONE);

    await home.close(desk);
    desk = await home.start();
    const reopened = await view(desk, id);
    expect(reopened).toMatchObject({
      state: 'paused',
      counts: { delivered: PER_ZONE, waiting: 3 * PER_ZONE },
    });

    // Resumed once New York has opened: New York goes, the others still wait.
    vi.setSystemTime(Date.parse('2026-12-01T14:00:00Z'));
    const again = await desk.handlers['campaigns.plan']({ id });
    expect(again.window).toMatchObject({ now: PER_ZONE });
    expect(again.window.waiting.map((w) => w.zones)).toEqual([['America/Los_Angeles'], ['Australia/Sydney']]);
    await desk.handlers['campaigns.send']({ id, digest: again.digest });
    await until(async () => (await settledCount(id)) === 2 * PER_ZONE);
    expect((await view(desk, id)).counts.waiting).toBe(2 * PER_ZONE);
    expect(desk.simulator.accepted.map((m) => m.msisdn).filter((n) => n.includes('1212555'))).toHaveLength(
      PER_ZONE,
    );
  });

  it("takes a row's zone from the file's time-zone column, and skips a row whose zone it cannot read", async () => {
    setClock('2026-12-01T12:00:00Z');
    // Every number is given Tokyo's zone (21:00 there), one row a zone that does not exist.
    const id = await draft(zonedCsv((zone, i) => [zone === 0 && i === 0 ? 'Mars/Olympus' : 'asia/tokyo']));
    const shown = await view(desk, id);
    expect(shown.timeZoneColumn).toBe(2);
    expect(shown.skipCounts).toEqual({ 'unknown-time-zone': 1 });
    const [first, second] = (await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 2 })).rows;
    expect(first).toMatchObject({ status: 'skipped', reason: 'unknown-time-zone' });
    expect(second).toMatchObject({ timeZones: ['Asia/Tokyo'], timeZoneFromFile: true });
    const plan = await desk.handlers['campaigns.plan']({ id });
    expect(plan.window).toMatchObject({
      now: 0,
      waiting: [{ rows: 4 * PER_ZONE - 1, theirTime: '08:00', zones: ['Asia/Tokyo'] }],
    });

    // Without the column, the numbers say.
    await desk.handlers['campaigns.update']({ id, patch: { timeZoneColumn: null } });
    const byNumber = await desk.handlers['campaigns.plan']({ id });
    expect(byNumber.window.now).toBe(PER_ZONE);
  });

  it('refuses a plan whose rows could never be sent: zones whose windows never meet', async () => {
    setClock('2026-12-01T12:00:00Z');
    // +7 800 numbers may be in Moscow, Almaty or Aqtobe, two hours apart: an hour's window never opens in all three.
    const id = await draft(
      ['name,phone', 'Olga,+78005553535', 'Ann,+442079460010'].join('\n'),
      '08:00-09:00',
    );
    await expect(desk.handlers['campaigns.plan']({ id })).rejects.toMatchObject({
      code: 'no-send-window',
      message: expect.stringMatching(/^1 row could never be sent within 08:00–09:00: .*Asia\/Almaty/),
    });
    await desk.handlers['campaigns.update']({
      id,
      patch: {
        sendWindow: { mode: 'own', window: { from: '08:00', to: '12:00', days: [1, 2, 3, 4, 5, 6, 7] } },
      },
    });
    // 12:00 in London is past its window, and 15:00 in Moscow: all wait, the +7 800 row until 08:00 in Moscow.
    const plan = await desk.handlers['campaigns.plan']({ id });
    expect(plan.window.now).toBe(0);
    expect(plan.window.waiting.map((w) => [w.rows, w.opensAt])).toEqual([
      [1, '2026-12-02T05:00:00.000Z'],
      [1, '2026-12-02T08:00:00.000Z'],
    ]);
  });
});

describe('before sending, the campaign says which rows would go now and which would wait', () => {
  /** What the send plan says of the window, and the preview's own fields. */
  const planPart = ({ at, changesAt, never, ...plan }: NonNullable<CampaignView['windowPreview']>) => plan;

  it('counts them as the plan does, and again when a window opens', async () => {
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(zonedCsv());
    const preview = (await view(desk, id)).windowPreview;
    const plan = await desk.handlers['campaigns.plan']({ id });
    expect(preview).not.toBeNull();
    expect(planPart(preview as NonNullable<typeof preview>)).toEqual(plan.window);
    // New York opens first (08:00 there); London's window shuts later, at 21:00 less the closing minute.
    expect(preview).toMatchObject({
      now: PER_ZONE,
      at: '2026-12-01T12:00:00.000Z',
      changesAt: '2026-12-01T13:00:00.000Z',
      never: null,
    });
    // Each row says when it would go: London's now, New York's at 08:00 there.
    const [london, newYork] = (await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 2 })).rows;
    expect(london?.windowOpensAt).toBeNull();
    expect(newYork?.windowOpensAt).toBe('2026-12-01T13:00:00.000Z');

    vi.setSystemTime(Date.parse('2026-12-01T13:00:00Z'));
    expect((await view(desk, id)).windowPreview).toMatchObject({
      now: 2 * PER_ZONE,
      changesAt: '2026-12-01T16:00:00.000Z',
    });
    // London's rows stop being taken a minute before its window shuts at 21:00, when Sydney's opens.
    vi.setSystemTime(Date.parse('2026-12-01T20:59:30Z'));
    const late = (await view(desk, id)).windowPreview;
    expect(late?.waiting.map((w) => w.zones)).toEqual([['Australia/Sydney'], ['Europe/London']]);
    expect(late?.now).toBe(2 * PER_ZONE);
  });

  it("follows the service's window, none, or the campaign's own, and says nothing once sending", async () => {
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(zonedCsv());
    await desk.handlers['campaigns.update']({ id, patch: { sendWindow: { mode: 'service' } } });
    // The Sandbox reaches no phone, so it has no window.
    expect((await view(desk, id)).windowPreview).toEqual({
      window: null,
      source: 'service',
      now: 4 * PER_ZONE,
      waiting: [],
      lastOpensAt: null,
      zoneUnknown: 0,
      at: '2026-12-01T12:00:00.000Z',
      changesAt: null,
      never: null,
    });
    await desk.handlers['campaigns.update']({ id, patch: { sendWindow: { mode: 'off' } } });
    expect((await view(desk, id)).windowPreview).toMatchObject({ source: 'off', now: 4 * PER_ZONE });

    await desk.handlers['campaigns.update']({
      id,
      patch: {
        sendWindow: { mode: 'own', window: { from: '08:00', to: '21:00', days: [1, 2, 3, 4, 5, 6, 7] } },
      },
    });
    const plan = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest: plan.digest });
    expect((await view(desk, id)).windowPreview).toBeNull();
  });

  it('works it out for a scheduled start, which the clock does not change until it comes', async () => {
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(zonedCsv());
    // At 17:00 London, New York and Los Angeles are open; Sydney opens at 21:00.
    const at = '2026-12-01T17:00:00.000Z';
    const plan = await desk.handlers['campaigns.plan']({ id, at });
    await desk.handlers['campaigns.schedule']({ id, at, digest: plan.digest });
    const preview = (await view(desk, id)).windowPreview;
    // Asked again when the start comes.
    expect(preview).toMatchObject({ at, changesAt: at, now: 3 * PER_ZONE });
    expect(planPart(preview as NonNullable<typeof preview>)).toEqual(plan.window);

    // Scheduled for tomorrow, then not: the spans looked up for tomorrow do not hide today's.
    const tomorrow = '2026-12-02T10:00:00.000Z';
    const later = await desk.handlers['campaigns.plan']({ id, at: tomorrow });
    await desk.handlers['campaigns.schedule']({ id, at: tomorrow, digest: later.digest });
    expect((await view(desk, id)).windowPreview?.at).toBe(tomorrow);
    await desk.handlers['campaigns.schedule']({ id, at: null });
    const today = (await view(desk, id)).windowPreview;
    expect(today).toMatchObject({ at: '2026-12-01T12:00:00.000Z', now: PER_ZONE });
    expect(planPart(today as NonNullable<typeof today>)).toEqual(
      (await desk.handlers['campaigns.plan']({ id })).window,
    );
  });

  it('counts a number whose zone no one knows as going at once, in the plan and before it', async () => {
    setClock('2026-12-01T12:00:00Z');
    // An international freephone number belongs to no country, so to no zone; New York waits for 08:00.
    const id = await draft(['name,phone', 'Free,+80012345678', 'Bob,+12125551000'].join('\n'));
    const plan = await desk.handlers['campaigns.plan']({ id });
    expect(plan.window).toMatchObject({
      now: 1,
      zoneUnknown: 1,
      waiting: [{ rows: 1, zones: ['America/New_York'] }],
    });
    expect(
      planPart((await view(desk, id)).windowPreview as NonNullable<CampaignView['windowPreview']>),
    ).toEqual(plan.window);
  });

  it('says which rows could never be sent, in the words the plan refuses them with', async () => {
    setClock('2026-12-01T12:00:00Z');
    const id = await draft(
      ['name,phone', 'Olga,+78005553535', 'Ann,+442079460010'].join('\n'),
      '08:00-09:00',
    );
    const refusal = await desk.handlers['campaigns.plan']({ id }).catch((error: Error) => error.message);
    const preview = (await view(desk, id)).windowPreview;
    expect(preview?.never).toEqual({ rows: 1, words: refusal });
    // Ann's London window opens tomorrow at 08:00; nothing goes now.
    expect(preview).toMatchObject({ now: 0, waiting: [{ rows: 1, zones: ['Europe/London'] }] });
  });
});

describe('no message outside its window (property, through the Sandbox)', () => {
  it("sends each message only while its window is open on its recipient's clock, whatever the window and the clock do", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({
            from: quarterHour,
            to: quarterHour,
            days: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
          })
          .filter((w) => w.from !== w.to),
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        fc.array(
          fc.integer({ min: 1, max: 40 }).map((quarters) => quarters * 15 * 60_000),
          { minLength: 2, maxLength: 3 },
        ),
        async (window, start, steps) => {
          setClock(new Date(start).toISOString());
          const id = await draft(zonedCsv());
          await desk.handlers['campaigns.update']({ id, patch: { sendWindow: { mode: 'own', window } } });
          const plan = await desk.handlers['campaigns.plan']({ id }).catch(() => null);
          if (plan === null) return;
          await desk.handlers['campaigns.send']({ id, digest: plan.digest });
          let now = start;
          for (const step of steps) {
            await new Promise((resolve) => setTimeout(resolve, 1300));
            now += step;
            vi.setSystemTime(now);
          }
          await new Promise((resolve) => setTimeout(resolve, 1300));
          await desk.handlers['campaigns.pause']({ id }).catch(() => undefined);
          await until(async () => (await view(desk, id)).state !== 'sending');
          const zoneOf = new Map((await rowsOf(desk, id)).map((r) => [r.index, r.timeZones]));
          for (const e of await journal(home.dir, id)) {
            if (e.t !== 'batch') continue;
            for (const row of e.rows)
              for (const zone of zoneOf.get(row) as string[])
                expect(insideWindow(Date.parse(e.at), zone, window), `row ${row} in ${zone} at ${e.at}`).toBe(
                  true,
                );
          }
        },
      ),
      { numRuns: 5 },
    );
  }, 120_000);
});
