import { access, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { deskErrorOf } from './support/desk-error';
import {
  acceptedRows,
  deliveryReport,
  importCampaign,
  journal,
  phone,
  postDr,
  rowsOf,
  tempHome,
  view,
  waitFor,
  type Home,
} from './sending-support';

let home: Home;

beforeEach(async () => {
  home = await tempHome();
});

afterEach(async () => {
  await home.cleanup();
});

const folderOf = (id: string) => join(home.dir, 'home', 'campaigns', id);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function sendAndSettle(desk: Desk, id: string): Promise<void> {
  await desk.send(id);
  await desk.finished(id);
  expect(await desk.settled(id, 5000)).toBe(true);
}

/** An address where nothing listens. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe('a start that sent nothing', () => {
  it('leaves the campaign an editable draft when the key is refused, with the reason, after a restart too', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 30);
    desk.simulator.setFaults({ revokedKey: true });
    await desk.send(id, { batchSize: 10 });
    await desk.finished(id);

    const failed = await view(desk, id);
    expect(failed).toMatchObject({ state: 'draft', startedAt: null, endedAt: null, counts: { ready: 30 } });
    expect(failed.error).toMatch(/refused the request: authentication failed/);
    expect(acceptedRows(desk.simulator, id).size).toBe(0);
    // The journal keeps the whole story: the start, the released batches and the end.
    expect((await journal(home.dir, id)).map((e) => e.t)).toEqual(
      expect.arrayContaining(['start', 'batch', 'released', 'end']),
    );

    const edited = await desk.update(id, { template: 'Hello $(name)', senderId: 'SHOP' });
    expect(edited).toMatchObject({ state: 'draft', template: 'Hello $(name)', senderId: 'SHOP' });
    expect(edited.error).toBe(failed.error);

    await home.close(desk);
    const again = await home.start();
    expect(await view(again, id)).toMatchObject({
      state: 'draft',
      error: failed.error,
      template: 'Hello $(name)',
    });
    expect((await rowsOf(again, id)).every((r) => r.status === 'ready' && r.sentAt === null)).toBe(true);
    await again.update(id, { template: 'Hi again $(name)' });

    await sendAndSettle(again, id);
    expect(await view(again, id)).toMatchObject({
      state: 'completed',
      error: null,
      counts: { delivered: 30 },
    });
    expect(again.simulator.accepted.map((m) => m.text)).toContain('Hi again Person 0');
    expect([...acceptedRows(again.simulator, id).values()].every((n) => n === 1)).toBe(true);
  });

  it('leaves it a draft when the service cannot be reached', async () => {
    const desk = await home.start();
    const service = await desk.handlers['services.save']({
      name: 'Nowhere',
      baseUrl: await closedPort(),
      key: 'some-key',
      rate: 100,
      pricePerSegment: 0,
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
    });
    const id = await importCampaign(desk, 5);
    await desk.update(id, { serviceId: service.id });
    await desk.send(id);
    await desk.finished(id);
    const failed = await view(desk, id);
    expect(failed).toMatchObject({ state: 'draft', counts: { ready: 5 } });
    expect(failed.error).toMatch(
      /^Cannot reach the service at http:\/\/127\.0\.0\.1:\d+: .*Nothing was sent/,
    );
    expect((await desk.update(id, { serviceId: 'sandbox' })).serviceId).toBe('sandbox');
  });

  it('is withdrawn from its schedule too: a draft, not a schedule in the past', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3);
    desk.simulator.setFaults({ revokedKey: true });
    await desk.schedule(id, new Date(Date.now() + 300).toISOString());
    await waitFor(async () => (await journal(home.dir, id)).some((e) => e.t === 'end'));
    await desk.finished(id);
    expect(await view(desk, id)).toMatchObject({ state: 'draft', scheduledAt: null });
    expect((await view(desk, id)).error).toMatch(/authentication failed/);
  });

  it('keeps the campaign locked when a request went out and its answer was lost', async () => {
    const desk = await home.start();
    desk.simulator.setFaults({ dropAfterAcceptShare: 1 });
    const id = await importCampaign(desk, 100);
    await desk.send(id, { batchSize: 10, maxInFlight: 1 });
    await desk.finished(id);
    const stopped = await view(desk, id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.error).toMatch(/no readable answer to 5 requests in a row/);
    // Those messages did go out: the simulator took them (and their reports may since have settled them).
    expect(acceptedRows(desk.simulator, id).size).toBe(50);
    expect(stopped.counts.ready).toBe(50);
    expect((await deskErrorOf(desk.update(id, { template: 'Changed' }))).code).toBe('campaign-started');

    await home.close(desk);
    const again = await home.start();
    expect((await view(again, id)).state).toBe('stopped');
    expect((await deskErrorOf(again.update(id, { template: 'Changed' }))).code).toBe('campaign-started');
  });
});

describe('rename, duplicate, archive', () => {
  it('renames a campaign in any state, across a restart, and refuses an empty name', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 2);
    expect((await desk.handlers['campaigns.rename']({ id, name: 'Spring sale' })).name).toBe('Spring sale');
    await sendAndSettle(desk, id);
    const renamed = await desk.handlers['campaigns.rename']({ id, name: 'Spring sale (sent)' });
    expect(renamed).toMatchObject({ name: 'Spring sale (sent)', state: 'completed' });
    const refused = await dispatch(desk.handlers, 'campaigns.rename', { id, name: '  ' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/Give the campaign a name/) },
    });

    await home.close(desk);
    const again = await home.start();
    expect(await view(again, id)).toMatchObject({ name: 'Spring sale (sent)', state: 'completed' });
  });

  it('duplicates a sent campaign as a new draft with its definition and rows, and nothing of its sending', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 4, { template: 'Hi $(name), $(note)', note: (row) => `N${row}` });
    await desk.update(id, { smartlinks: [{ linkid: 'promo', validity: 2, unit: 'days' }] });
    await sendAndSettle(desk, id);
    const source = await view(desk, id);

    const copy = await desk.handlers['campaigns.duplicate']({ id });
    expect(copy.id).not.toBe(id);
    expect(copy).toMatchObject({
      name: `Copy of ${source.name}`,
      state: 'draft',
      template: source.template,
      senderId: 'ACME',
      serviceId: source.serviceId,
      phoneColumn: source.phoneColumn,
      columns: source.columns,
      smartlinks: source.smartlinks,
      counts: { ready: 4 },
      startedAt: null,
      testSend: null,
      origin: { kind: 'copy', campaignId: id, campaignName: source.name },
    });
    expect((await rowsOf(desk, copy.id)).map((r) => r.values)).toEqual(
      (await rowsOf(desk, id)).map((r) => r.values),
    );
    expect(await journal(home.dir, copy.id).catch(() => [])).toEqual([]);

    await sendAndSettle(desk, copy.id);
    expect((await view(desk, copy.id)).counts).toEqual({ delivered: 4 });
    expect(acceptedRows(desk.simulator, copy.id).size).toBe(4);
    expect((await view(desk, id)).counts).toEqual({ delivered: 4 });
  });

  it('hides archived campaigns from the list unless asked, across a restart, and takes them back', async () => {
    const desk = await home.start();
    const kept = await importCampaign(desk, 1);
    const archived = await importCampaign(desk, 1);
    expect((await desk.handlers['campaigns.archive']({ id: archived, archived: true })).archived).toBe(true);
    const ids = async (d: Desk, includeArchived?: boolean) =>
      (await d.handlers['campaigns.list']({ includeArchived })).map((c) => c.id).sort();
    expect(await ids(desk)).toEqual([kept]);
    expect(await ids(desk, true)).toEqual([kept, archived].sort());

    await home.close(desk);
    const again = await home.start();
    expect(await ids(again)).toEqual([kept]);
    await again.handlers['campaigns.archive']({ id: archived, archived: false });
    expect(await ids(again)).toEqual([kept, archived].sort());
  });
});

describe('delete', () => {
  it('removes the campaign and its files; replies to it stay, naming a deleted campaign', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3);
    const other = await importCampaign(desk, 1);
    await sendAndSettle(desk, id);
    await desk.simulator.injectMo({ from: phone(1), text: 'Thanks' });
    await waitFor(async () => (await desk.handlers['inbox.list']({ offset: 0, limit: 10 })).total === 1);
    expect(await exists(folderOf(id))).toBe(true);

    expect(await desk.handlers['campaigns.delete']({ id })).toEqual({});
    expect(await exists(folderOf(id))).toBe(false);
    expect(await exists(folderOf(other))).toBe(true);
    expect((await deskErrorOf(desk.handlers['campaigns.get']({ id }))).code).toBe('unknown-campaign');
    expect((await desk.handlers['campaigns.list']({ includeArchived: true })).map((c) => c.id)).toEqual([
      other,
    ]);
    const { entries } = await desk.handlers['inbox.list']({ offset: 0, limit: 10 });
    expect(entries[0]?.match).toMatchObject({ campaignId: id, row: 1, deleted: true });

    // A late report for one of its messages is unmatched, not an error.
    expect(await postDr(desk, deliveryReport(`${id}.0`, 'Delivered'))).toBe(200);
    expect((await desk.handlers['receiver.stats']({})).unmatched).toBe(1);
    await home.close(desk);
    const again = await home.start();
    expect((await again.handlers['campaigns.list']({})).map((c) => c.id)).toEqual([other]);
    expect(await readdir(join(home.dir, 'home', 'campaigns'))).toEqual([other]);
  });

  it('is not undone by calls arriving while its files are removed', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 50);
    await sendAndSettle(desk, id);
    const errors: unknown[] = [];
    const logged = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      let deleted = false;
      const deleting = desk.handlers['campaigns.delete']({ id }).finally(() => (deleted = true));
      // Asked again and again while the delete runs, so that some calls fall between closing and removing.
      const during: Promise<unknown>[] = [];
      while (!deleted) {
        during.push(
          desk.handlers['campaigns.get']({ id }).catch(() => null),
          desk.handlers['campaigns.list']({ includeArchived: true }),
          postDr(desk, deliveryReport(`${id}.3`, 'Delivered')),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      await deleting;
      await Promise.all(during);
      // Past the summary's write delay: a campaign opened again meanwhile would write into its removed folder.
      await new Promise((resolve) => setTimeout(resolve, 2500));
    } finally {
      console.error = logged;
    }
    expect(errors).toEqual([]);
    expect(await exists(folderOf(id))).toBe(false);
    expect((await deskErrorOf(desk.handlers['campaigns.get']({ id }))).code).toBe('unknown-campaign');
    expect(desk.openCampaigns).toBe(0);
  });

  it('is refused while the campaign is being sent or is scheduled, saying why', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 40);
    await desk.send(id, { rate: 20 });
    const sending = await deskErrorOf(desk.handlers['campaigns.delete']({ id }));
    expect(sending.code).toBe('campaign-sending');
    expect(sending.message).toMatch(/is being sent; pause or cancel it before deleting it/);
    await desk.cancel(id);

    const later = await importCampaign(desk, 1);
    await desk.schedule(later, new Date(Date.now() + 3_600_000).toISOString());
    const scheduled = await deskErrorOf(desk.handlers['campaigns.delete']({ id: later }));
    expect(scheduled.code).toBe('campaign-scheduled');
    expect(await exists(folderOf(id))).toBe(true);
    expect(await exists(folderOf(later))).toBe(true);

    await desk.handlers['campaigns.delete']({ id });
    expect(await exists(folderOf(id))).toBe(false);
  });
});

describe('send again to the rows that failed', () => {
  it('makes a draft of the rejected and undelivered rows with their reasons; opted-out numbers are skipped', async () => {
    const desk = await home.start({
      sandbox: { failureShare: 0.4, submittedDelayMs: 5, finalDelayMs: 10, seed: 3, tps: null },
    });
    desk.simulator.setFaults({ maxTextLength: 100 });
    const id = await importCampaign(desk, 20, {
      template: 'Hi $(name) $(note)',
      note: (row) => (row === 7 ? 'x'.repeat(200) : 'ok'),
    });
    await sendAndSettle(desk, id);
    const rows = await rowsOf(desk, id);
    const failed = rows.filter((r) => ['rejected', 'undelivered', 'failed', 'expired'].includes(r.status));
    expect(rows[7]).toMatchObject({ status: 'rejected', code: '7107' });
    expect(failed.filter((r) => r.status === 'undelivered').length).toBeGreaterThan(0);
    const optedOut = failed.find((r) => r.status === 'undelivered');
    await desk.addSuppressed([optedOut?.msisdn ?? ''], 'US', 'asked by phone');

    const again = await desk.handlers['campaigns.sendAgainFailed']({ id });
    expect(again).toMatchObject({
      state: 'draft',
      name: `Failed rows of ${(await view(desk, id)).name}`,
      template: 'Hi $(name) $(note)',
      senderId: 'ACME',
      serviceId: 'sandbox',
      columns: ['name', 'phone', 'note', 'previous_status', 'previous_code', 'previous_reason'],
      rowCount: failed.length,
      origin: { kind: 'failed-rows', campaignId: id },
      skipCounts: { 'opted-out': 1 },
    });
    const copied = await rowsOf(desk, again.id);
    expect(copied.map((r) => r.values.slice(0, 3))).toEqual(failed.map((r) => r.values));
    expect(copied.map((r) => r.values.slice(3, 5))).toEqual(failed.map((r) => [r.status, r.code ?? '']));
    expect(copied.find((r) => r.values[0] === 'Person 7')?.values[5]).toBe('Message length exceeded');
    for (const row of copied) expect(row.values[5]).not.toBe('');

    // Its own failures, sent again, replace the previous columns rather than add more.
    desk.simulator.setFaults({ maxTextLength: 1 });
    await sendAndSettle(desk, again.id);
    const third = await desk.handlers['campaigns.sendAgainFailed']({ id: again.id });
    expect(third).toMatchObject({ columns: again.columns, rowCount: failed.length - 1 });
    expect((await rowsOf(desk, third.id)).map((r) => r.values.slice(3))).toEqual(
      Array(failed.length - 1).fill(['rejected', '7107', 'Message length exceeded']),
    );
  });

  it('is refused before the campaign is done sending, and when nothing failed', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3);
    expect((await deskErrorOf(desk.handlers['campaigns.sendAgainFailed']({ id }))).code).toBe(
      'campaign-not-done',
    );
    await sendAndSettle(desk, id);
    const none = await deskErrorOf(desk.handlers['campaigns.sendAgainFailed']({ id }));
    expect(none).toMatchObject({ code: 'nothing-failed', message: 'No message of this campaign failed.' });
  });
});
