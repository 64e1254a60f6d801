import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { IdleEviction } from '../../electron/core/campaigns/idle-eviction';
import type { Desk } from '../../electron/core/desk';
import {
  deliveryReport,
  importCampaign,
  journal,
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
afterEach(() => home.cleanup());

const noReports = {
  failureShare: 0,
  submittedDelayMs: 5,
  finalDelayMs: 10,
  seed: 3,
  tps: null,
  deliveryReports: false,
};

it('closes the campaigns nobody asked for within the idle time, and never a busy one', () => {
  let now = 0;
  const open = new Set(['a', 'b', 'busy']);
  const eviction = new IdleEviction(
    { openIds: () => open, isBusy: (id) => id === 'busy', evict: (id) => open.delete(id) },
    1000,
    () => now,
  );
  try {
    eviction.touch('a');
    eviction.touch('b');
    eviction.touch('busy');
    now = 600;
    eviction.touch('b');
    expect(eviction.sweep()).toEqual([]);
    now = 1001;
    expect(eviction.sweep()).toEqual(['a']);
    now = 5000;
    expect(eviction.sweep()).toEqual(['b']);
    expect([...open]).toEqual(['busy']);
  } finally {
    eviction.stop();
  }
});

async function drsOf(id: string, row: number) {
  return (await journal(home.dir, id)).filter((e) => e.t === 'dr' && e.row === row);
}

it('closes an idle sent campaign and still applies its late reports, each journaled once', async () => {
  const desk: Desk = await home.start({ sandbox: noReports, idleCampaignMs: 100, restoreSchedules: false });
  const id = await importCampaign(desk, 5);
  const { digest } = await desk.handlers['campaigns.plan']({ id });
  await desk.send(id, { digest, rate: 200 });
  await desk.finished(id);
  const rows = await rowsOf(desk, id);
  expect(rows.map((r) => r.status)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
  await waitFor(() => desk.openCampaigns === 0, 5000);

  // A report naming its row, then one naming only its transid: each opens the campaign again.
  expect(await postDr(desk, deliveryReport(`${id}.2`, 'Delivered', rows[2]?.transid ?? ''))).toBe(200);
  await waitFor(async () => (await drsOf(id, 2)).length > 0);
  await waitFor(() => desk.openCampaigns === 0, 5000);
  expect(await postDr(desk, deliveryReport('', 'Delivered', rows[3]?.transid ?? ''))).toBe(200);
  await waitFor(async () => (await drsOf(id, 3)).length > 0);
  await waitFor(() => desk.openCampaigns === 0, 5000);
  // Closed with a snapshot of the journal's end: opened again, it reads no line of the journal.
  const journalSize = (await stat(join(home.dir, 'home', 'campaigns', id, 'journal.ndjson'))).size;
  expect((await desk.campaign(id)).snapshots.covers).toBe(journalSize);

  expect(await drsOf(id, 2)).toHaveLength(1);
  expect(await drsOf(id, 3)).toHaveLength(1);
  expect((await rowsOf(desk, id)).map((r) => r.status)).toEqual([
    'queued',
    'queued',
    'delivered',
    'delivered',
    'queued',
  ]);
  expect((await view(desk, id)).counts).toEqual({ queued: 3, delivered: 2 });
  expect(desk.openCampaigns).toBe(1);
});
