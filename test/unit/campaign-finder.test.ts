import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CampaignsOnDisk } from '../../electron/core/campaigns/campaigns-on-disk';
import type { Desk } from '../../electron/core/desk';
import {
  deliveryReport,
  importCampaign,
  journal,
  phone,
  postDr,
  rowsOf,
  tempHome,
  waitFor,
  type Home,
} from './sending-support';

// After a restart, a report naming only its transid and a reply find their campaign through the indexes each
// campaign leaves on disk: only that campaign is opened, and a missing or damaged index costs time, never a match.
let home: Home;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

const folder = (id: string) => join(home.dir, 'home', 'campaigns', id);
const noReports = {
  failureShare: 0,
  submittedDelayMs: 5,
  finalDelayMs: 10,
  seed: 3,
  tps: null,
  deliveryReports: false,
};

async function sendQueued(desk: Desk, rows: number): Promise<string> {
  const id = await importCampaign(desk, rows);
  const { digest } = await desk.handlers['campaigns.plan']({ id });
  await desk.send(id, { digest, rate: 200 });
  await desk.finished(id);
  return id;
}

it('applies a report naming only a transid to its campaign, opening that campaign alone', async () => {
  const first = await home.start({ sandbox: noReports, restoreSchedules: false });
  const ids = [await sendQueued(first, 3), await sendQueued(first, 6), await sendQueued(first, 4)];
  await importCampaign(first, 2);
  const transid = (await rowsOf(first, ids[1] as string))[4]?.transid as string;
  expect(transid).toBeTruthy();
  await home.close(first);

  const second = await home.start({ sandbox: noReports, restoreSchedules: false });
  expect(await postDr(second, deliveryReport('', 'Delivered', transid))).toBe(200);
  await waitFor(async () => (await journal(home.dir, ids[1] as string)).some((e) => e.t === 'dr'));
  expect(second.openCampaigns).toBe(1);
  expect((await rowsOf(second, ids[1] as string))[4]).toMatchObject({ status: 'delivered', transid });
  // A transid no campaign sent is unmatched, and opens nothing.
  expect(await postDr(second, deliveryReport('', 'Delivered', 'no-such-transid'))).toBe(200);
  await waitFor(async () => (await second.handlers['receiver.stats']({})).unmatched === 1);
  expect(second.openCampaigns).toBe(1);
});

it('links a reply to the campaign holding its number, opening only the campaigns whose index may hold it', async () => {
  const first = await home.start({ sandbox: noReports, restoreSchedules: false });
  const small = await sendQueued(first, 2);
  const large = await sendQueued(first, 5);
  await home.close(first);

  const second = await home.start({ sandbox: noReports, restoreSchedules: false });
  await second.simulator.injectMo({ from: phone(4), text: 'Who is this?' });
  const entries = async (desk: Desk) => (await desk.handlers['inbox.list']({ offset: 0, limit: 10 })).entries;
  await waitFor(async () => (await entries(second)).length === 1);
  expect((await entries(second))[0]?.match).toMatchObject({ campaignId: large, row: 4 });
  expect(second.openCampaigns).toBe(1);
  await home.close(second);

  // The small campaign's index is damaged, the large one's gone: both are opened, the reply still goes right.
  await writeFile(join(folder(small), 'numbers.idx'), 'damaged');
  await rm(join(folder(large), 'numbers.idx'));
  const third = await home.start({ sandbox: noReports, restoreSchedules: false });
  await third.simulator.injectMo({ from: phone(4), text: 'Hello?' });
  await waitFor(async () => (await entries(third)).length === 2);
  expect((await entries(third)).map((e) => e.match?.campaignId)).toEqual([large, large]);
  expect(third.openCampaigns).toBe(2);
  await home.close(third);

  // Written again when they closed: the next reply opens one campaign again.
  const fourth = await home.start({ sandbox: noReports, restoreSchedules: false });
  await fourth.simulator.injectMo({ from: phone(3), text: 'Thanks' });
  await waitFor(async () => (await entries(fourth)).length === 3);
  expect((await entries(fourth)).find((e) => e.text === 'Thanks')?.match).toMatchObject({
    campaignId: large,
    row: 3,
  });
  expect(fourth.openCampaigns).toBe(1);
});

it('finds a campaign another process sent after this one knew it as a draft', async () => {
  const first = await home.start({ sandbox: noReports, restoreSchedules: false });
  const id = await importCampaign(first, 2);
  await home.close(first);
  const campaigns = join(home.dir, 'home', 'campaigns');
  // The summaries as the receiving desk keeps them, over the same folder as the desk that sends.
  const onDisk = new CampaignsOnDisk(
    {
      folder: (campaign) => join(campaigns, campaign),
      storedIds: async () => [id],
      opened: () => undefined,
      openOrSay: async () => null,
    },
    { textApi: () => 'messaging', optOutsPath: join(home.dir, 'home', 'suppression.ndjson') },
  );
  expect(await onDisk.sentThrough('sandbox')).toEqual({ sent: [], unknown: [] });

  const sender = await home.start({ sandbox: noReports, restoreSchedules: false });
  const { digest } = await sender.handlers['campaigns.plan']({ id });
  await sender.send(id, { digest });
  await sender.finished(id);
  await home.close(sender);
  const { sent } = await onDisk.sentThrough('sandbox');
  expect(sent.map((c) => c.id)).toEqual([id]);
});
