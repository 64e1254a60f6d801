import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendSettings } from '../../electron/core/sending/send-settings';
import {
  acceptedRows,
  deliveryReport,
  expectAtMostOnce,
  importCampaign,
  journal,
  postDr,
  QUIET_SANDBOX,
  rowsOf,
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

describe('sending: throttling', () => {
  it('caps batches at min(1000, rate) and keeps at most the allowed number of requests in flight', async () => {
    expect(sendSettings(5000, { batchSize: 5000 }).batchSize).toBe(1000);
    expect(sendSettings(10, { batchSize: 50 }).batchSize).toBe(10);
    expect(sendSettings(200).batchSize).toBeLessThanOrEqual(200);

    const desk = await home.start();
    desk.simulator.setFaults({ latencyMs: 30 });
    const id = await importCampaign(desk, 3000);
    await desk.send(id, { rate: 5000, batchSize: 4000, maxInFlight: 3 });
    await desk.finished(id);
    expect((await view(desk, id)).counts.queued ?? 0).toBeGreaterThan(0);
    const sizes = desk.simulator.requests.map((r) => r.destinations);
    expect(Math.max(...sizes)).toBe(1000);
    expect(desk.simulator.maxConcurrent).toBeLessThanOrEqual(3);
    expect([...acceptedRows(desk.simulator, id).keys()]).toHaveLength(3000);
  });
});

describe("sending: the platform's throttle", () => {
  it('backs off on 7020 (whole requests and single destinations), sends every row exactly once and counts none as rejected', async () => {
    // A tenant of 30 TPS (burst to 45) sent to at 200 msg/s: most requests meet the limit.
    const desk = await home.start({ sandbox: { ...QUIET_SANDBOX, tps: 30 } });
    const id = await importCampaign(desk, 120);
    await desk.send(id, { rate: 200 });
    await desk.finished(id);
    const { requests } = desk.simulator;
    expect(requests.some((r) => r.answer === 'throttled')).toBe(true);
    expect(requests.some((r) => r.answer === 'answered' && r.throttled > 0)).toBe(true);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 120 });
    const accepted = await expectAtMostOnce(desk, desk.simulator, id);
    expect(accepted.size).toBe(120);
  });

  for (const retryAfterSeconds of [1, null]) {
    it(`honours an HTTP 429 ${retryAfterSeconds ? 'and its Retry-After' : 'without Retry-After'}, should one ever come`, async () => {
      const desk = await home.start();
      desk.simulator.setFaults({ http429: { perSecond: 30, retryAfterSeconds } });
      const id = await importCampaign(desk, 60);
      await desk.send(id, { rate: 200 });
      await desk.finished(id);
      expect(desk.simulator.requests.some((r) => r.answer === 'throttled')).toBe(true);
      expect(await desk.settled(id, 5000)).toBe(true);
      expect((await view(desk, id)).counts).toEqual({ delivered: 60 });
      expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(60);
    });
  }
});

describe('sending: answers the service gives', () => {
  it('makes a row the service refuses by name rejected, with its code and description', async () => {
    const desk = await home.start();
    // The platform finds row 3's message too long, which the app took to be short enough.
    desk.simulator.setFaults({ maxTextLength: 100 });
    const id = await importCampaign(desk, 6, {
      template: 'Hi $(name) $(note)',
      note: (row) => (row === 3 ? 'x'.repeat(200) : 'ok'),
    });
    await desk.send(id);
    await desk.finished(id);
    expect(await desk.settled(id, 5000)).toBe(true);
    const rows = await rowsOf(desk, id);
    expect(rows[3]).toMatchObject({
      status: 'rejected',
      code: '7107',
      description: 'Message length exceeded',
    });
    expect((await view(desk, id)).counts).toEqual({ delivered: 5, rejected: 1 });
    expect([...acceptedRows(desk.simulator, id).keys()].sort()).toEqual([0, 1, 2, 4, 5]);
  });

  it('stops at once when the key is refused mid-campaign, leaves unsent rows ready, and resumes exactly once', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 200);
    await desk.send(id, { rate: 200 });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 40);
    desk.simulator.setFaults({ revokedKey: true });
    await desk.finished(id);
    const stopped = await view(desk, id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.error).toMatch(
      /^The service "Sandbox \(built-in simulator\)" refused the request: authentication failed: the service key is wrong \(code 7001: Authentication failed\.\)/,
    );
    expect(stopped.counts.sending ?? 0).toBe(0);
    expect(stopped.counts.unknown ?? 0).toBe(0);
    const accepted = await expectAtMostOnce(desk, desk.simulator, id);
    expect(stopped.counts.ready).toBe(200 - accepted.size);
    // Stopped at once: nowhere near the whole campaign went out.
    expect(accepted.size).toBeLessThan(150);

    desk.simulator.setFaults({});
    await desk.send(id, { rate: 200 });
    await desk.finished(id);
    expect((await view(desk, id)).state).toBe('completed');
    expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(200);
  });
});

describe('sending: answers that say nothing', () => {
  it('marks the rows of an unreadable 5xx unknown, never resends them by itself, and lets them be sent again after the grace window', async () => {
    // Long enough that the check of the window below comes inside it, however busy the machine.
    const desk = await home.start({ unknownGraceMs: 4000 });
    desk.simulator.setFaults({ serverErrorShare: 0.3 });
    const id = await importCampaign(desk, 100);
    await desk.send(id, { rate: 500, batchSize: 10, maxInFlight: 1 });
    await desk.finished(id);
    const failed = desk.simulator.requests.filter((r) => r.answer === 'server-error');
    expect(failed.length).toBeGreaterThan(0);
    const first = await view(desk, id);
    expect(first.counts.unknown).toBe(failed.length * 10);
    expect(first.unknownResendableAt).not.toBeNull();
    for (const row of await rowsOf(desk, id)) {
      if (row.status === 'unknown')
        expect(row.description).toMatch(/^No readable answer from the service \(HTTP 503/);
    }
    // No report can come for them, but a resend waits for the grace window all the same.
    expect((await deskErrorOf(desk.resendUnknown(id))).code).toBe('grace-window');
    expect(acceptedRows(desk.simulator, id).size).toBe(100 - failed.length * 10);

    desk.simulator.setFaults({});
    await waitFor(() => Date.parse(first.unknownResendableAt ?? '') <= Date.now());
    await desk.resendUnknown(id);
    await desk.finished(id);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 100 });
    expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(100);
    const resent = (await journal(home.dir, id)).filter((e) => e.t === 'resend');
    expect(resent.flatMap((e) => (e.t === 'resend' ? e.rows : []))).toHaveLength(failed.length * 10);
  });

  for (const fault of ['drop', 'timeout'] as const) {
    it(`reconciles rows left unknown by ${fault === 'drop' ? 'a connection dropped after the batch was accepted' : 'a request that timed out'} from their delivery reports, and resends none`, async () => {
      const desk = await home.start({ unknownGraceMs: 0 });
      desk.simulator.setFaults(fault === 'drop' ? { dropAfterAcceptShare: 1 } : { latencyMs: 1000 });
      const id = await importCampaign(desk, 40);
      await desk.send(id, { rate: 400, batchSize: 10, requestTimeoutMs: 200 });
      await desk.finished(id);
      const sent = await view(desk, id);
      expect(sent.state).toBe('completed');
      expect(journalStatuses(await journal(home.dir, id))).toEqual({ unknown: 40 });
      // Each row's reports carry its correlation id, which settles it.
      expect(await desk.settled(id, 5000)).toBe(true);
      expect((await view(desk, id)).counts).toEqual({ delivered: 40 });
      expect((await deskErrorOf(desk.resendUnknown(id))).code).toBe('nothing-unknown');
      expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(40);
    });
  }

  it('stops rather than guess on when the service keeps giving no readable answer', async () => {
    const desk = await home.start();
    desk.simulator.setFaults({ serverErrorShare: 1 });
    const id = await importCampaign(desk, 100);
    await desk.send(id, { rate: 500, batchSize: 10, maxInFlight: 1 });
    await desk.finished(id);
    const stopped = await view(desk, id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.error).toMatch(/no readable answer to 5 requests in a row/);
    expect(stopped.counts).toEqual({ unknown: 50, ready: 50 });
  });
});

describe('sending: delivery reports that misbehave', () => {
  it('acknowledges a report only once it is in the journal on disk', async () => {
    const desk = await home.start({
      sandbox: { failureShare: 0, submittedDelayMs: 60_000, finalDelayMs: 0 },
    });
    const id = await importCampaign(desk, 3);
    await desk.send(id);
    await desk.finished(id);
    for (const row of [0, 1, 2]) {
      expect(await postDr(desk, deliveryReport(`${id}.${row}`, 'Delivered'))).toBe(200);
      const recorded = (await journal(home.dir, id)).filter((e) => e.t === 'dr');
      expect(recorded.map((e) => e.t === 'dr' && e.row)).toEqual([0, 1, 2].slice(0, row + 1));
    }
  });

  for (const faults of [
    { duplicateReports: true },
    { reportsOutOfOrder: true },
    { reportsBeforeResponse: true },
    { duplicateReports: true, reportsOutOfOrder: true, reportsBeforeResponse: true },
  ]) {
    it(`keeps each row at its final status when reports come ${JSON.stringify(faults)}`, async () => {
      const desk = await home.start({
        sandbox: { failureShare: 0.3, submittedDelayMs: 5, finalDelayMs: 5, seed: 3 },
      });
      desk.simulator.setFaults(faults);
      const id = await importCampaign(desk, 60);
      await desk.send(id, { rate: 600 });
      await desk.finished(id);
      expect(await desk.settled(id, 5000)).toBe(true);
      await desk.simulator.idle();
      const rows = await rowsOf(desk, id);
      expect(rows.every((r) => ['delivered', 'undelivered', 'failed'].includes(r.status))).toBe(true);
      expect(rows.some((r) => r.status !== 'delivered')).toBe(true);
      const accepted = desk.simulator.accepted.filter((m) => m.correlationid.startsWith(`${id}.`));
      for (const row of rows) {
        expect(row.transid).toBe(accepted.find((m) => m.correlationid === `${id}.${row.index}`)?.transid);
      }
      // What the journal replays after a restart is what was shown.
      await home.close(desk);
      const again = await home.start();
      expect(await rowsOf(again, id)).toEqual(rows);
    });
  }
});

describe('sending: pause, resume, cancel', () => {
  it('pauses between batches and resumes with the rows never sent, each exactly once', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 300);
    await desk.send(id, { rate: 300 });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 50);
    const paused = await desk.pause(id);
    expect(paused.state).toBe('paused');
    expect(paused.counts.sending ?? 0).toBe(0);
    const accepted = await expectAtMostOnce(desk, desk.simulator, id);
    expect(paused.counts.ready).toBe(300 - accepted.size);
    expect(paused.counts.ready).toBeGreaterThan(0);
    expect((await journal(home.dir, id)).filter((e) => e.t === 'end')).toEqual([
      { t: 'end', at: expect.any(String), state: 'paused', error: null },
    ]);

    await desk.send(id, { rate: 1000 });
    await desk.finished(id);
    expect((await view(desk, id)).state).toBe('completed');
    expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(300);
  });

  it('cancels for good: rows not sent stay unsent and the campaign cannot be sent again', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 300);
    await desk.send(id, { rate: 300 });
    await waitFor(() => acceptedRows(desk.simulator, id).size >= 30);
    await desk.pause(id);
    const cancelled = await desk.cancel(id);
    expect(cancelled.state).toBe('cancelled');
    const sent = acceptedRows(desk.simulator, id).size;
    expect(cancelled.counts.ready).toBe(300 - sent);
    const { csv } = await desk.handlers['campaigns.report']({ id });
    const statuses = Papa.parse<Record<string, string>>(csv.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data.map((r) => r.cd_status);
    expect(statuses.filter((s) => s === 'not sent: cancelled')).toHaveLength(300 - sent);
    expect(statuses.filter((s) => s === 'ready')).toHaveLength(0);
    expect((await deskErrorOf(desk.send(id))).code).toBe('campaign-cancelled');
    await home.close(desk);
    const again = await home.start();
    expect((await view(again, id)).state).toBe('cancelled');
  });
});

function journalStatuses(events: Awaited<ReturnType<typeof journal>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) if (e.t === 'result') counts[e.status] = (counts[e.status] ?? 0) + 1;
  return counts;
}
