import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJournalEvent } from '../../electron/core/campaigns/journal-events';
import {
  acceptedRows,
  expectAtMostOnce,
  importCampaign,
  journal,
  phone,
  tempHome,
  view,
  waitFor,
  type Home,
} from './sending-support';
import { deskErrorOf } from './support/desk-error';

let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  await home.cleanup();
});

describe('send plan', () => {
  it('sums up what would go out: counts, skips by reason, segments, cost, first and last messages', async () => {
    const desk = await home.start();
    const service = desk.services.save({
      name: 'Shop',
      baseUrl: desk.simulator.url,
      key: 'k',
      rate: 50,
      pricePerSegment: 0.05,
      currency: 'EUR',
      api: 'messaging',
      numbersWithPlus: false,
      sendWindow: null,
    });
    // Row 1 has no number, row 3 repeats row 0's.
    const csv = [
      'name,phone,note',
      `Ann,${phone(0)},short`,
      'Bob,,short',
      `Cy,${phone(2)},${'long '.repeat(40)}`,
      `Di,${phone(0)},short`,
      `Ed,${phone(4)},short {{link_promo}}`,
    ].join('\n');
    const { id } = await desk.importRecipients('people.csv', { text: csv });
    await desk.update(id, {
      phoneColumn: 1,
      defaultCountry: 'US',
      template: 'Hi $(name): $(note)',
      senderId: 'ACME',
      serviceId: service.id,
      smartlinks: [{ linkid: 'promo', validity: 2, unit: 'days' }],
    });

    const plan = await desk.handlers['campaigns.plan']({ id });
    expect(plan).toMatchObject({
      campaignId: id,
      ready: 3,
      skipped: { 'missing-number': 1, duplicate: 1 },
      senderId: 'ACME',
      service: { id: service.id, name: 'Shop' },
      api: 'messaging',
      startAt: null,
      first: { row: 0, msisdn: phone(0).slice(1), text: 'Hi Ann: short', segments: 1 },
      // The smartlink goes as written: the platform puts the short link in.
      last: { row: 4, msisdn: phone(4).slice(1), text: 'Hi Ed: short {{link_promo}}', segments: 1 },
    });
    const cy = (await desk.handlers['campaigns.rows']({ id, offset: 2, limit: 1 })).rows[0];
    expect(plan.segments).toBe(2 + (cy?.segments ?? 0));
    expect(cy?.segments).toBeGreaterThan(1);
    expect(plan.cost).toEqual({ amount: plan.segments * 0.05, currency: 'EUR', pricePerSegment: 0.05 });
    expect(plan.digest).toMatch(/^[a-f0-9]{64}$/);

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const later = await desk.handlers['campaigns.plan']({ id, at });
    expect(later.startAt).toBe(at);
    // The same messages whenever they go: the same digest.
    expect(later.digest).toBe(plan.digest);
  });

  it('has a new digest when the message, the sender or the rows change, and the same one otherwise', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 20);
    const digest = async () => (await desk.handlers['campaigns.plan']({ id })).digest;
    const first = await digest();
    expect(await digest()).toBe(first);
    // A change that is not sent (the name) keeps it.
    await desk.update(id, { name: 'Renamed' });
    expect(await digest()).toBe(first);

    await desk.update(id, { template: 'Hi $(name), your order is in.' });
    const byText = await digest();
    expect(byText).not.toBe(first);
    await desk.update(id, { senderId: 'SHOP' });
    const bySender = await digest();
    expect(bySender).not.toBe(byText);
    await desk.update(id, { requestOptions: { priority: 3 } });
    const byOptions = await digest();
    expect(byOptions).not.toBe(bySender);
    // One number joins the opt-out list: one row fewer.
    await desk.addSuppressed([phone(7)], 'US', 'asked');
    const byRows = await digest();
    expect(byRows).not.toBe(byOptions);
    await desk.handlers['suppression.remove']({ numbers: [phone(7)] });
    expect(await digest()).toBe(byOptions);
  });

  it('refuses to send without a confirmed plan or with one that changed since, and journals the digest sent', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 5);
    expect((await deskErrorOf(desk.handlers['campaigns.send']({ id }))).code).toBe('plan-not-confirmed');
    const { digest } = await desk.handlers['campaigns.plan']({ id });
    await desk.update(id, { template: 'Something else, $(name)' });
    const stale = await deskErrorOf(desk.handlers['campaigns.send']({ id, digest }));
    expect(stale.code).toBe('plan-changed');
    expect(stale.message).toMatch(/^The campaign changed after you confirmed it.*Review the plan again\.$/);
    expect(desk.simulator.accepted).toEqual([]);
    expect((await view(desk, id)).state).toBe('draft');

    const confirmed = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest: confirmed.digest });
    await desk.finished(id);
    expect(acceptedRows(desk.simulator, id).size).toBe(5);
    expect(desk.simulator.accepted[0]?.text).toBe(confirmed.first.text);
    const start = (await journal(home.dir, id)).find((e) => e.t === 'start');
    expect(start).toMatchObject({ digest: confirmed.digest });
  });

  it('refuses a schedule whose plan changed, and a scheduled start whose rows changed since', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 5);
    const at = new Date(Date.now() + 600).toISOString();
    const { digest } = await desk.handlers['campaigns.plan']({ id, at });
    await desk.update(id, { senderId: 'OTHER' });
    expect((await deskErrorOf(desk.handlers['campaigns.schedule']({ id, at, digest }))).code).toBe(
      'plan-changed',
    );
    const confirmed = await desk.handlers['campaigns.plan']({ id, at });
    await desk.handlers['campaigns.schedule']({ id, at, digest: confirmed.digest });
    // An opt-out while it waits changes the rows: the start waits for a new confirmation.
    await desk.addSuppressed([phone(2)], 'US', 'asked');
    await waitFor(async () => (await view(desk, id)).state !== 'scheduled');
    const failed = await view(desk, id);
    expect(failed.state).toBe('draft');
    expect(failed.error).toMatch(/The scheduled start failed: The campaign changed after you confirmed it/);
    expect(desk.simulator.accepted).toEqual([]);
  });

  it('reads journals written before plans had digests', () => {
    expect(parseJournalEvent({ t: 'start', at: '2026-01-01T00:00:00Z', notifyUrl: 'http://x/dr' })).toEqual({
      t: 'start',
      at: '2026-01-01T00:00:00Z',
      notifyUrl: 'http://x/dr',
    });
    expect(
      parseJournalEvent({ t: 'schedule', at: '2026-01-01T00:00:00Z', startAt: '2026-01-02T00:00:00Z' }),
    ).toMatchObject({ t: 'schedule', startAt: '2026-01-02T00:00:00Z', error: null });
  });
});

describe('pause and cancel', () => {
  it('no message goes out once a pause has answered, beyond the requests already out', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3000);
    const { digest } = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 200);
    const paused = await desk.handlers['campaigns.pause']({ id });
    const atPause = desk.simulator.accepted.length;
    expect(paused.state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(desk.simulator.accepted.length).toBe(atPause);
    expect(paused.counts.ready).toBeGreaterThan(0);

    // The rows left are then cancelled for good; none of them is ever sent.
    const cancelled = await desk.handlers['campaigns.cancel']({ id });
    expect(cancelled.state).toBe('cancelled');
    expect((await deskErrorOf(desk.handlers['campaigns.send']({ id }))).code).toBe('campaign-cancelled');
    await expectAtMostOnce(desk, desk.simulator, id);
    expect(desk.simulator.accepted.length).toBe(atPause);
  });

  it('a paused campaign resumes without a new plan: its definition was frozen when it started', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 1000);
    const { digest } = await desk.handlers['campaigns.plan']({ id });
    await desk.handlers['campaigns.send']({ id, digest });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 100);
    await desk.handlers['campaigns.pause']({ id });
    await desk.handlers['campaigns.send']({ id });
    await desk.finished(id);
    expect((await view(desk, id)).counts.ready ?? 0).toBe(0);
    await expectAtMostOnce(desk, desk.simulator, id);
    const starts = (await journal(home.dir, id)).filter((e) => e.t === 'start');
    expect(starts).toHaveLength(2);
    expect(starts[1]?.t === 'start' && starts[1].digest).toMatch(/^[a-f0-9]{64}$/);
  });
});
