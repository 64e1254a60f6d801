import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptedRows,
  importCampaign,
  journal,
  reportPayloads,
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

describe('test message', () => {
  it('sends the previewed message of the chosen row to one number, leaves the rows alone and follows its reports', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3, {
      template: 'Hi $(name), code $(note)',
      note: (row) => `N${row}`,
    });
    const before = await rowsOf(desk, id);

    const tested = await desk.handlers['campaigns.testSend']({ id, row: 2, msisdn: '(415) 555-0199' });
    expect(tested.state).toBe('draft');
    expect(tested.testSend).toMatchObject({ row: 2, msisdn: '+14155550199', status: 'queued', code: '1001' });
    expect(desk.simulator.accepted).toEqual([
      expect.objectContaining({ msisdn: '+14155550199', text: 'Hi Person 2, code N2', senderid: 'ACME' }),
    ]);
    expect(acceptedRows(desk.simulator, id).size).toBe(0);
    await waitFor(async () => (await view(desk, id)).testSend?.status === 'delivered');
    expect(await rowsOf(desk, id)).toEqual(before);
    expect((await view(desk, id)).counts).toEqual({ ready: 3 });
    // Its reports are journaled as they came.
    const reports = (await journal(home.dir, id)).filter((e) => e.t === 'test-dr');
    expect(reports.length).toBeGreaterThan(0);
    // Their payloads beside the campaign, as they came.
    await waitFor(async () => (await reportPayloads(home.dir).catch(() => [])).length === reports.length);
    const payloads = await reportPayloads(home.dir);
    for (const payload of payloads) {
      expect(payload).toMatchObject({ campaignId: id, test: 0 });
      expect(payload.raw).toMatchObject({ deliveryInfoNotification: { callbackData: `${id}.t0` } });
    }

    expect((await deskErrorOf(desk.testSend(id, 0, 'not a number'))).code).toBe('invalid-number');
    // Kept across a restart.
    await home.close(desk);
    const again = await home.start();
    expect((await view(again, id)).testSend).toMatchObject({ msisdn: '+14155550199', status: 'delivered' });
  });

  it('shows the refusal when the service refuses the test', async () => {
    const desk = await home.start();
    desk.simulator.setFaults({ maxTextLength: 100 });
    const id = await importCampaign(desk, 2, { template: '$(note)', note: () => 'x'.repeat(200) });
    const tested = await desk.testSend(id, 0, '+14155550199');
    expect(tested.testSend).toMatchObject({
      status: 'rejected',
      code: '7107',
      description: 'Message length exceeded',
    });
  });
});

describe('scheduled start', () => {
  it('starts by itself at the chosen time and cannot be edited while scheduled', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 5);
    const at = new Date(Date.now() + 700).toISOString();
    const { digest } = await desk.handlers['campaigns.plan']({ id, at });
    const scheduled = await desk.handlers['campaigns.schedule']({ id, at, digest });
    expect(scheduled).toMatchObject({ state: 'scheduled', scheduledAt: at });
    expect((await deskErrorOf(desk.update(id, { template: 'Changed' }))).code).toBe('campaign-scheduled');
    expect(desk.simulator.accepted).toEqual([]);
    await waitFor(async () => (await view(desk, id)).state !== 'scheduled');
    const startedAt = (await journal(home.dir, id)).find((e) => e.t === 'start')?.at ?? '';
    expect(Date.parse(startedAt)).toBeGreaterThanOrEqual(Date.parse(at));
    await desk.finished(id);
    expect(await desk.settled(id, 5000)).toBe(true);
    expect((await view(desk, id)).counts).toEqual({ delivered: 5 });
  });

  it('keeps the schedule across a restart, and can withdraw it', async () => {
    const desk = await home.start();
    const kept = await importCampaign(desk, 4);
    const withdrawn = await importCampaign(desk, 4);
    const at = new Date(Date.now() + 1500).toISOString();
    await desk.schedule(kept, at);
    await desk.schedule(withdrawn, at);
    expect((await desk.schedule(withdrawn, null)).state).toBe('draft');
    await home.close(desk);

    const again = await home.start();
    expect((await view(again, kept)).state).toBe('scheduled');
    await waitFor(async () => (await view(again, kept)).state === 'completed');
    expect(acceptedRows(again.simulator, kept).size).toBe(4);
    expect((await view(again, withdrawn)).state).toBe('draft');
    expect(acceptedRows(again.simulator, withdrawn).size).toBe(0);
  });

  it('starts at once on opening when the time passed while the app was closed', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 3);
    await desk.schedule(id, new Date(Date.now() + 200).toISOString());
    await home.close(desk);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await home.start();
    await waitFor(async () => (await view(again, id)).state === 'completed');
    expect(acceptedRows(again.simulator, id).size).toBe(3);
  });

  it('refuses a time in the past and a campaign that cannot be sent', async () => {
    const desk = await home.start();
    const id = await importCampaign(desk, 2);
    expect((await deskErrorOf(desk.schedule(id, new Date(Date.now() - 1000).toISOString()))).code).toBe(
      'schedule-past',
    );
    await desk.update(id, { senderId: '' });
    expect((await deskErrorOf(desk.schedule(id, new Date(Date.now() + 60_000).toISOString()))).code).toBe(
      'campaign-not-ready',
    );
  });
});
