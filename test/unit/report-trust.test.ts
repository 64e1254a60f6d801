import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  importCampaign,
  journal,
  postDr,
  QUIET_SANDBOX,
  rowsOf,
  tempHome,
  waitFor,
  type Home,
} from './sending-support';

/** Every message fails, and its first report comes late enough for a forged one to arrive before it. */
const SLOW_FAILING = { ...QUIET_SANDBOX, failureShare: 1, submittedDelayMs: 1_500, finalDelayMs: 50 };

/** A report such as anyone who saw one could post: the row's reference, but not the transid of its message. */
function forged(correlationid: string, transid = '') {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp: new Date().toISOString(),
        Description: 'Delivered',
        code: '7500',
        deliveryStatus: 'Delivered',
        destination: '14155000000',
      },
      carrier: 'FORGED',
      transid,
      correlationid,
    },
  };
}

describe('reports that name a row only by its reference', () => {
  let home: Home;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  it('cannot fix a final status while the platform’s last report is still to come', async () => {
    const desk = await home.start({
      sandbox: { ...QUIET_SANDBOX, failureShare: 1, submittedDelayMs: 5, finalDelayMs: 1_500 },
    });
    const id = await importCampaign(desk, 1);
    await desk.send(id);
    await desk.finished(id);
    // The platform's "submitted", with the transid.
    await waitFor(async () => (await rowsOf(desk, id))[0]?.status === 'submitted');

    const { unmatched } = await desk.handlers['receiver.stats']({});
    expect(await postDr(desk, forged(`${id}.0`))).toBe(200);
    expect(await postDr(desk, forged(`${id}.0`, 'made-up-transid'))).toBe(200);
    await waitFor(async () => (await desk.handlers['receiver.stats']({})).unmatched === unmatched + 2);
    expect((await rowsOf(desk, id))[0]?.status).toBe('submitted');

    expect(await desk.settled(id, 10_000)).toBe(true);
    expect(['undelivered', 'failed', 'expired']).toContain((await rowsOf(desk, id))[0]?.status);
    const row = await desk.handlers['campaigns.row']({ id, row: 0 });
    expect(row.history.map((e) => e.carrier)).not.toContain('FORGED');
  });

  it('give way to the reports with the row’s own transid, and cannot override them', async () => {
    const desk = await home.start({ sandbox: SLOW_FAILING });
    const id = await importCampaign(desk, 2);
    await desk.send(id);
    await desk.finished(id);
    const queued = await rowsOf(desk, id);
    expect(queued.map((r) => r.status)).toEqual(['queued', 'queued']);

    // Before the platform's reports: taken, as nothing better is known yet.
    expect(await postDr(desk, forged(`${id}.0`))).toBe(200);
    await waitFor(async () => (await rowsOf(desk, id))[0]?.status === 'delivered');

    // The platform's own reports, with the transids, settle both rows, row 0's forged "delivered" overruled.
    const FAILED = ['undelivered', 'failed', 'expired'];
    await waitFor(async () => (await rowsOf(desk, id)).every((r) => FAILED.includes(r.status)));
    expect(await desk.settled(id, 10_000)).toBe(true);
    const settled = await rowsOf(desk, id);

    // After them, reports without the row's transid, or with another, change nothing and are kept as unmatched.
    const { unmatched } = await desk.handlers['receiver.stats']({});
    expect(await postDr(desk, forged(`${id}.0`))).toBe(200);
    expect(await postDr(desk, forged(`${id}.1`, 'made-up-transid'))).toBe(200);
    await waitFor(async () => (await desk.handlers['receiver.stats']({})).unmatched === unmatched + 2);
    expect(await rowsOf(desk, id)).toEqual(settled);
    const dr = (await journal(home.dir, id)).filter((e) => e.t === 'dr');
    expect(dr.filter((e) => e.carrier === 'FORGED').map((e) => e.row)).toEqual([0]);

    // Read again from the journal, the rows are as they were.
    await home.close(desk);
    const again = await home.start({ sandbox: SLOW_FAILING });
    expect((await rowsOf(again, id)).map((r) => r.status)).toEqual(settled.map((r) => r.status));
  });
});
