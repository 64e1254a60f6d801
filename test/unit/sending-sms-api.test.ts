import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { startSimulator } from '../../electron/core/simulator/simulator';
import {
  acceptedRows,
  expectAtMostOnce,
  importCampaign,
  journal,
  QUIET_SANDBOX,
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

/** A campaign on a service that uses the Send SMS API of the desk's own simulator. */
async function smsCampaign(desk: Desk, rows: number, rate = 500): Promise<string> {
  const service = await desk.handlers['services.save']({
    name: 'Send SMS API',
    baseUrl: desk.simulator.url,
    key: desk.services.resolve('sandbox').key,
    rate,
    pricePerSegment: 0,
    api: 'sms',
    numbersWithPlus: true,
    sendWindow: null,
  });
  const id = await importCampaign(desk, rows);
  await desk.update(id, { serviceId: service.id });
  return id;
}

describe('sending through the Send SMS API', () => {
  it('sends one message a request, each with its own Idempotency-Key, and every row is delivered once', async () => {
    const desk = await home.start();
    const id = await smsCampaign(desk, 40);
    await desk.send(id);
    await desk.finished(id);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 40 });
    expect(desk.simulator.requests.every((r) => r.destinations === 1)).toBe(true);
    expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(40);
    const rows = await rowsOf(desk, id);
    expect(new Set(rows.map((r) => r.transid)).size).toBe(40);
  });

  it('sends a sender number without its plus, as the page asks of `from`', async () => {
    const desk = await home.start();
    const id = await smsCampaign(desk, 3);
    await desk.update(id, { senderId: '+447700900123' });
    await desk.send(id);
    await desk.finished(id);
    expect(desk.simulator.accepted.map((m) => m.senderid)).toEqual(Array(3).fill('447700900123'));
  });

  it('retries timeouts, resets and 5xx with the same key: no row unknown, none sent twice', async () => {
    const desk = await home.start();
    desk.simulator.setFaults({ serverErrorShare: 0.25, dropAfterAcceptShare: 0.25 });
    const id = await smsCampaign(desk, 120, 1000);
    await desk.send(id);
    await desk.finished(id);
    const answers = desk.simulator.requests.map((r) => r.answer);
    expect(answers.filter((a) => a === 'dropped').length).toBeGreaterThan(5);
    expect(answers.filter((a) => a === 'server-error').length).toBeGreaterThan(5);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 120 });
    const accepted = await expectAtMostOnce(desk, desk.simulator, id);
    expect(accepted.size).toBe(120);
  });

  it('backs off on the throttle (7020) and sends every row once', async () => {
    const desk = await home.start({ sandbox: { ...QUIET_SANDBOX, tps: 20 } });
    const id = await smsCampaign(desk, 60, 200);
    await desk.send(id);
    await desk.finished(id);
    expect(desk.simulator.requests.some((r) => r.answer === 'throttled')).toBe(true);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 60 });
    expect((await expectAtMostOnce(desk, desk.simulator, id)).size).toBe(60);
  });

  it('stops at once on a refused key (403, 7001) and leaves every unsent row ready', async () => {
    const desk = await home.start();
    const id = await smsCampaign(desk, 30, 100);
    desk.simulator.setFaults({ revokedKey: true });
    await desk.send(id);
    await desk.finished(id);
    const stopped = await view(desk, id);
    expect(stopped.state).toBe('draft');
    expect(stopped.error).toContain(
      'refused the request: authentication failed: the service key is wrong (code 7001',
    );
    expect(stopped.counts).toEqual({ ready: 30 });
  });

  it('sends again with the same key the rows a lost answer left unknown, and the platform sends none twice', async () => {
    const desk = await home.start();
    // Every answer lost and no retry within the run, reports lost too: the rows are left unknown, though all were
    // accepted.
    desk.simulator.setFaults({ dropAfterAcceptShare: 1, lostReports: true });
    const id = await smsCampaign(desk, 4);
    await desk.send(id, { keyRetryMs: 0 });
    await desk.finished(id);
    expect((await view(desk, id)).counts.unknown).toBe(4);
    expect(acceptedRows(desk.simulator, id).size).toBe(4);

    desk.simulator.setFaults({ lostReports: true });
    await desk.send(id);
    await desk.finished(id);
    // The platform answered the repeats with the messages it had taken the first time, and sent none again.
    expect((await view(desk, id)).counts).toEqual({ queued: 4 });
    expect([...acceptedRows(desk.simulator, id).values()]).toEqual(Array(4).fill(1));
    expect((await rowsOf(desk, id)).map((r) => r.transid).sort()).toEqual(
      desk.simulator.accepted.map((m) => m.transid).sort(),
    );
    expect((await journal(home.dir, id)).some((e) => e.t === 'retry')).toBe(true);
  });

  it('settles through the status lookup the rows whose reports never came, and the report says so', async () => {
    const desk = await home.start({ statusLookupAfterMs: 300 });
    desk.simulator.setFaults({ lostReports: true });
    const id = await smsCampaign(desk, 8);
    await desk.send(id);
    await desk.finished(id);
    expect((await view(desk, id)).counts).toEqual({ queued: 8 });
    await waitFor(async () => (await view(desk, id)).counts.delivered === 8, 8000);
    const csv = (await desk.report(id)).csv;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]?.split(',').at(-1)).toBe('cd_settled_by');
    expect(lines.slice(1).every((line) => line.endsWith(',status lookup'))).toBe(true);
  });
});

describe('the Send SMS API: keys that must not be reused', () => {
  it('gives a test message a key of its own: the row it previews is still sent for real afterwards', async () => {
    const desk = await home.start();
    const id = await smsCampaign(desk, 3);
    await desk.handlers['campaigns.testSend']({ id, row: 0, msisdn: '+14155550199' });
    await desk.send(id);
    await desk.finished(id);
    expect(acceptedRows(desk.simulator, id).size).toBe(3);
    expect(desk.simulator.accepted.map((m) => m.msisdn)).toContain('+14155550199');
  });

  it('leaves a row unknown, not ready, when a try went unanswered and the service then cannot be reached', async () => {
    const sim = await startSimulator({ keys: ['k-1'], submittedDelayMs: 5, finalDelayMs: 5 });
    const desk = await home.start();
    const service = await desk.handlers['services.save']({
      name: 'Goes away',
      baseUrl: sim.url,
      key: 'k-1',
      rate: 10,
      pricePerSegment: 0,
      api: 'sms',
      numbersWithPlus: true,
      sendWindow: null,
    });
    const id = await importCampaign(desk, 1);
    await desk.update(id, { serviceId: service.id });
    sim.setFaults({ dropAfterAcceptShare: 1, lostReports: true });
    await desk.send(id);
    await waitFor(() => sim.requests.some((r) => r.answer === 'dropped'));
    await sim.close();
    await desk.finished(id);
    const ended = await view(desk, id);
    expect(ended.state).toBe('stopped');
    expect(ended.counts).toEqual({ unknown: 1 });
  });

  it('puts rows sent again with their key back to unknown when that run cannot send them', async () => {
    const sim = await startSimulator({ keys: ['k-2'], submittedDelayMs: 5, finalDelayMs: 5 });
    const desk = await home.start();
    const service = await desk.handlers['services.save']({
      name: 'Flaky',
      baseUrl: sim.url,
      key: 'k-2',
      rate: 10,
      pricePerSegment: 0,
      api: 'sms',
      numbersWithPlus: true,
      sendWindow: null,
    });
    const id = await importCampaign(desk, 2);
    await desk.update(id, { serviceId: service.id });
    sim.setFaults({ dropAfterAcceptShare: 1, lostReports: true });
    await desk.send(id, { keyRetryMs: 0 });
    await desk.finished(id);
    const before = await rowsOf(desk, id);
    expect(before.map((r) => r.status)).toEqual(['unknown', 'unknown']);
    await sim.close();

    await desk.send(id);
    await desk.finished(id);
    const after = await rowsOf(desk, id);
    expect(after.map((r) => r.status)).toEqual(['unknown', 'unknown']);
    // Still dated from the key's first use: the window for sending it again does not move.
    expect(after.map((r) => r.sentAt)).toEqual(before.map((r) => r.sentAt));
    expect((await journal(home.dir, id)).filter((e) => e.t === 'retry')).toHaveLength(1);
  });

  it('sends unknown rows again with their own key when asked to resend them while the key is fresh', async () => {
    const desk = await home.start({ unknownGraceMs: 0 });
    desk.simulator.setFaults({ dropAfterAcceptShare: 1, lostReports: true });
    const id = await smsCampaign(desk, 3);
    await desk.send(id, { keyRetryMs: 0 });
    await desk.finished(id);
    expect((await view(desk, id)).counts).toEqual({ unknown: 3 });
    desk.simulator.setFaults({ lostReports: true });
    await desk.resendUnknown(id);
    await desk.finished(id);
    expect((await view(desk, id)).counts).toEqual({ queued: 3 });
    expect([...acceptedRows(desk.simulator, id).values()]).toEqual([1, 1, 1]);
    expect((await journal(home.dir, id)).some((e) => e.t === 'resend')).toBe(false);
  });
});
