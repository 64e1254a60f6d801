import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { importCampaign, tempHome, type Home } from './sending-support';

// History lists campaigns from the small summary each keeps in its folder, opening one only when its summary
// is missing, damaged or older than its files: the list must be the very one the opened campaigns give.
let home: Home;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

const folder = (id: string) => join(home.dir, 'home', 'campaigns', id);
const list = (desk: Desk) => desk.handlers['campaigns.list']({ includeArchived: true });

async function sendToTheEnd(desk: Desk, rows: number): Promise<string> {
  const id = await importCampaign(desk, rows);
  const { digest } = await desk.handlers['campaigns.plan']({ id });
  await desk.send(id, { digest, rate: 200 });
  await desk.finished(id);
  expect(await desk.settled(id, 10_000)).toBe(true);
  return id;
}

it('lists drafts, sent, archived, scheduled and damaged campaigns from their summaries exactly as opened', async () => {
  const first = await home.start({ restoreSchedules: false });
  const draft = await importCampaign(first, 5);
  const archived = await importCampaign(first, 3);
  await first.handlers['campaigns.archive']({ id: archived, archived: true });
  const scheduled = await importCampaign(first, 4);
  const at = new Date(Date.now() + 3_600_000).toISOString();
  const { digest } = await first.handlers['campaigns.plan']({ id: scheduled, at });
  await first.handlers['campaigns.schedule']({ id: scheduled, at, digest });
  const sent = await sendToTheEnd(first, 30);
  const damaged = await sendToTheEnd(first, 20);
  await home.close(first);

  // A line in the middle of a journal is damaged: the campaign says what it made of its rows.
  const journalPath = join(folder(damaged), 'journal.ndjson');
  const lines = (await readFile(journalPath, 'utf8')).split('\n');
  lines[3] = '{"t":"result","row":';
  await writeFile(journalPath, lines.join('\n'));
  for (const id of [draft, archived, scheduled, sent, damaged])
    await rm(join(folder(id), 'summary.json'), { force: true });

  const opening = await home.start({ restoreSchedules: false });
  const opened = await list(opening);
  expect(opening.openCampaigns).toBe(5);
  expect(opened.map((c) => c.state).sort()).toEqual([
    'completed',
    'completed',
    'draft',
    'draft',
    'scheduled',
  ]);
  expect(opened.find((c) => c.id === damaged)?.journalDamage).toHaveLength(1);
  await home.close(opening);

  const summarized = await home.start({ restoreSchedules: false });
  expect(await list(summarized)).toEqual(opened);
  expect(summarized.openCampaigns).toBe(0);
  expect(await summarized.handlers['campaigns.list']({})).toEqual(opened.filter((c) => c.id !== archived));
  expect(summarized.openCampaigns).toBe(0);
  await home.close(summarized);
});

it('opens a campaign whose summary is damaged or older than its journal or definition, and writes it again', async () => {
  const first = await home.start({ restoreSchedules: false });
  const draft = await importCampaign(first, 5);
  const renamed = await importCampaign(first, 5);
  const damaged = await importCampaign(first, 5);
  const untouched = await importCampaign(first, 5);
  await home.close(first);

  // Another Campaign Desk scheduled the draft and renamed the other; a summary was cut short.
  const startAt = new Date(Date.now() + 3_600_000).toISOString();
  await appendFile(
    join(folder(draft), 'journal.ndjson'),
    JSON.stringify({ t: 'schedule', at: new Date().toISOString(), startAt, error: null }) + '\n',
  );
  const defPath = join(folder(renamed), 'campaign.json');
  const def = JSON.parse(await readFile(defPath, 'utf8')) as { name: string };
  await writeFile(defPath, JSON.stringify({ ...def, name: 'Spring sale' }, null, 2));
  const summaryPath = join(folder(damaged), 'summary.json');
  await writeFile(summaryPath, (await readFile(summaryPath, 'utf8')).slice(0, 40));

  const second = await home.start({ restoreSchedules: false });
  const views = await list(second);
  expect(second.openCampaigns).toBe(3);
  expect(views.find((c) => c.id === draft)).toMatchObject({ state: 'scheduled', scheduledAt: startAt });
  expect(views.find((c) => c.id === renamed)?.name).toBe('Spring sale');
  expect(views.map((c) => c.id).sort()).toEqual([draft, renamed, damaged, untouched].sort());
  await home.close(second);

  const third = await home.start({ restoreSchedules: false });
  expect(await list(third)).toEqual(views);
  expect(third.openCampaigns).toBe(0);
});
