import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RowDetails } from '../../shared/api';
import { deliveryCodeMeaning } from '../../shared/delivery-codes';
import { DeliveryHistory, parseReportTime } from '../../electron/core/campaigns/delivery-history';
import type { Desk } from '../../electron/core/desk';
import { deskErrorOf } from './support/desk-error';
import { importCampaign, journal, postDr, rowsOf, tempHome, waitFor, type Home } from './sending-support';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('DeliveryHistory', () => {
  const submitted = {
    status: 'submitted',
    code: '7501',
    description: 'Submitted',
    carrier: 'USTMO',
  } as const;
  const delivered = {
    status: 'delivered',
    code: '7500',
    description: 'Delivered',
    carrier: 'USTMO',
  } as const;

  it('keeps each row’s reports in the platform’s time order, whatever order they arrive in', () => {
    const history = new DeliveryHistory(3);
    history.add(1, { ...delivered, at: iso(T0 + 5000), reportedAt: iso(T0 + 4000) });
    history.add(1, { ...submitted, at: iso(T0 + 6000), reportedAt: iso(T0 + 1000) });
    history.add(2, { ...submitted, at: iso(T0 + 7000), reportedAt: null });

    expect(history.events(1).map((e) => [e.status, e.reportedAt, e.receivedAt])).toEqual([
      ['submitted', iso(T0 + 1000), iso(T0 + 6000)],
      ['delivered', iso(T0 + 4000), iso(T0 + 5000)],
    ]);
    expect(history.events(1)[1]).toMatchObject({ code: '7500', meaning: 'Delivered', carrier: 'USTMO' });
    expect(history.events(2)).toEqual([
      {
        receivedAt: iso(T0 + 7000),
        reportedAt: null,
        status: 'submitted',
        code: '7501',
        description: 'Submitted',
        meaning: 'Submitted',
        carrier: 'USTMO',
      },
    ]);
    expect(history.events(0)).toEqual([]);
  });

  it('keeps a report posted twice once, and a report with equal time after those before it', () => {
    const history = new DeliveryHistory(1);
    const first = history.add(0, { ...submitted, at: iso(T0), reportedAt: iso(T0) });
    expect(history.add(0, { ...submitted, at: iso(T0 + 3000), reportedAt: iso(T0) })).toBe(first);
    history.add(0, { ...delivered, at: iso(T0 + 4000), reportedAt: iso(T0) });
    expect(history.size).toBe(2);
    expect(history.events(0).map((e) => e.status)).toEqual(['submitted', 'delivered']);
  });

  it('dates a row by the report that settled it, and names its carrier', () => {
    const history = new DeliveryHistory(2);
    expect(history.deliveredAt(0)).toBeNull();
    const final = history.add(0, {
      ...delivered,
      at: iso(T0 + 9000),
      reportedAt: '2026-03-01 11:00:02+01:00',
    });
    history.settle(0, final);
    expect(history.deliveredAt(0)).toBe(iso(T0 + 2000));
    expect(history.carrierOf(0)).toBe('USTMO');
    // No readable time stamp: the time received.
    history.settle(
      1,
      history.add(1, { ...delivered, carrier: null, at: iso(T0 + 9000), reportedAt: 'soon' }),
    );
    expect(history.deliveredAt(1)).toBe(iso(T0 + 9000));
    expect(history.carrierOf(1)).toBeNull();
  });

  it('grows past its first capacity without losing a report', () => {
    const rows = 3000;
    const history = new DeliveryHistory(rows);
    for (let row = 0; row < rows; row++) {
      history.add(row, { ...submitted, carrier: `C${row % 7}`, at: iso(T0 + row), reportedAt: null });
      history.settle(row, history.add(row, { ...delivered, at: iso(T0 + row + 1), reportedAt: null }));
    }
    expect(history.size).toBe(2 * rows);
    expect(history.events(2999).map((e) => [e.status, e.carrier])).toEqual([
      ['submitted', 'C3'],
      ['delivered', 'USTMO'],
    ]);
    expect(history.deliveredAt(1234)).toBe(iso(T0 + 1235));
  });
});

describe('parseReportTime', () => {
  it('reads the platform’s time stamps, with or without a zone, and refuses anything else', () => {
    expect(parseReportTime('2022-10-10T13:53:13.749+01:00')).toBe(Date.parse('2022-10-10T12:53:13.749Z'));
    expect(parseReportTime('2022-10-10T13:53:13.749+0100')).toBe(Date.parse('2022-10-10T12:53:13.749Z'));
    expect(parseReportTime('2022-10-10T13:53:13.749')).toBe(Date.parse('2022-10-10T13:53:13.749Z'));
    expect(parseReportTime('2022-10-10 13:53:13Z')).toBe(Date.parse('2022-10-10T13:53:13Z'));
    for (const bad of ['', 'yesterday', '2022-13-45T99:99:99Z', '1665410000', null, undefined]) {
      expect(parseReportTime(bad)).toBeNull();
    }
  });
});

describe('deliveryCodeMeaning', () => {
  it('gives the documented meaning of send and report codes, and null for others', () => {
    expect(deliveryCodeMeaning('7500')).toBe('Delivered');
    expect(deliveryCodeMeaning('7203')).toBe('Unknown subscriber');
    expect(deliveryCodeMeaning('7107')).toBe('Message length exceeded');
    expect(deliveryCodeMeaning('1001')).toBe('Queued');
    expect(deliveryCodeMeaning('9999')).toBeNull();
    expect(deliveryCodeMeaning('toString')).toBeNull();
    expect(deliveryCodeMeaning(null)).toBeNull();
  });
});

/** A report about row `row` of campaign `id`, as the platform posts it. */
function report(
  id: string,
  row: number,
  r: { status: string; code: string; description: string; timeStamp?: string; carrier?: string },
) {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        ...(r.timeStamp ? { timeStamp: r.timeStamp } : {}),
        Description: r.description,
        code: r.code,
        deliveryStatus: r.status,
        destination: '14155000000',
      },
      carrier: r.carrier ?? 'USTMO',
      transid: '',
      correlationid: `${id}.${row}`,
    },
  };
}

describe('Delivery history through the receiver', () => {
  let home: Home;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  /** A sent campaign whose reports are left to the test: the Sandbox's own come after the test ends. */
  async function sentCampaign(): Promise<{ desk: Desk; id: string }> {
    const desk = await home.start({
      sandbox: { failureShare: 0, submittedDelayMs: 600_000, finalDelayMs: 600_000, seed: 1 },
    });
    const id = await importCampaign(desk, 3);
    await desk.send(id);
    await desk.finished(id);
    return { desk, id };
  }

  const row = (desk: Desk, id: string, r: number) =>
    desk.handlers['campaigns.row']({ id, row: r }).then((d) => RowDetails.parse(d));

  it('shows every report of a row in time order, settles on the first final one and never regresses', async () => {
    const { desk, id } = await sentCampaign();
    const sentAt = (await rowsOf(desk, id))[0]?.sentAt as string;
    const t = (s: number) => new Date(Date.parse(sentAt) + s * 1000).toISOString();
    // Out of order: Delivered arrives before Submitted, then Delivered again, then a contradicting Failed.
    const posts = [
      { status: 'Delivered', code: '7500', description: 'Delivered', timeStamp: t(4) },
      { status: 'Submitted', code: '7501', description: 'Submitted', timeStamp: t(1) },
      { status: 'Delivered', code: '7500', description: 'Delivered', timeStamp: t(4) },
      {
        status: 'Failed',
        code: '7201',
        description: 'Failed at operator',
        timeStamp: t(9),
        carrier: 'OTHER',
      },
    ];
    for (const post of posts) expect(await postDr(desk, report(id, 0, post))).toBe(200);

    const details = await row(desk, id, 0);
    expect(details).toMatchObject({
      status: 'delivered',
      code: '7500',
      description: 'Delivered',
      meaning: 'Delivered',
      carrier: 'USTMO',
      deliveredAt: t(4),
      secondsToDeliver: 4,
      replies: [],
    });
    expect(details.history.map((e) => [e.status, e.code, e.meaning, e.reportedAt, e.carrier])).toEqual([
      ['submitted', '7501', 'Submitted', t(1), 'USTMO'],
      ['delivered', '7500', 'Delivered', t(4), 'USTMO'],
      ['failed', '7201', 'Failed at operator', t(9), 'OTHER'],
    ]);
    for (const e of details.history)
      expect(Date.parse(e.receivedAt)).toBeGreaterThanOrEqual(Date.parse(sentAt));

    // A row with only an interim report: no delivery time yet.
    await postDr(desk, report(id, 1, { status: 'Submitted', code: '7501', description: 'Submitted' }));
    expect(await row(desk, id, 1)).toMatchObject({
      status: 'submitted',
      deliveredAt: null,
      secondsToDeliver: null,
      history: [{ status: 'submitted', reportedAt: null }],
    });
    expect(await row(desk, id, 2)).toMatchObject({ status: 'queued', history: [], carrier: null });
    expect((await deskErrorOf(desk.handlers['campaigns.row']({ id, row: 3 }))).code).toBe('invalid-row');
  });

  it('rebuilds the same history from the journal, also from reports journaled without their time stamp', async () => {
    const { desk, id } = await sentCampaign();
    const stamp = new Date(Date.now() + 2000).toISOString();
    await postDr(desk, report(id, 0, { status: 'Submitted', code: '7501', description: 'Submitted' }));
    await postDr(
      desk,
      report(id, 0, {
        status: 'Un-Delivered',
        code: '7203',
        description: 'Unknown subscriber',
        timeStamp: stamp,
      }),
    );
    await waitFor(async () => (await rowsOf(desk, id))[0]?.status === 'undelivered');
    const before = await Promise.all([0, 1, 2].map((r) => row(desk, id, r)));
    expect(before[0]).toMatchObject({
      deliveredAt: stamp,
      meaning: 'Unknown subscriber',
      secondsToDeliver: null,
    });
    await home.close(desk);

    const again = await home.start();
    expect(await Promise.all([0, 1, 2].map((r) => row(again, id, r)))).toEqual(before);
    await home.close(again);

    // A journal written before the platform's time stamp was kept: the time received stands in for it.
    const path = join(home.dir, 'home', 'campaigns', id, 'journal.ndjson');
    const events = await journal(home.dir, id);
    await writeFile(
      path,
      events.map((e) => JSON.stringify(e.t === 'dr' ? { ...e, reportedAt: undefined } : e) + '\n').join(''),
    );
    expect(await readFile(path, 'utf8')).not.toContain('reportedAt');
    const old = await home.start();
    const final = events.find((e) => e.t === 'dr' && e.status === 'undelivered');
    const reloaded = await row(old, id, 0);
    expect(reloaded).toMatchObject({ status: 'undelivered', deliveredAt: final?.at });
    expect(reloaded.history.map((e) => [e.status, e.reportedAt])).toEqual([
      ['submitted', null],
      ['undelivered', null],
    ]);
  });
});
