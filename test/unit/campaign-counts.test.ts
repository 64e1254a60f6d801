import { expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { Campaign } from '../../electron/core/campaigns/campaign';
import { CampaignChecker } from '../../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../../electron/core/campaigns/definition';
import { parseRecipientsCsv } from '../../electron/core/recipients/csv-import';
import type { CampaignView } from '../../shared/api';

// The view a campaign pushes keeps its counts as rows change instead of passing over every row: after every
// kind of change it must still say what a count over the rows says.
const ROWS = 400;
const at = (ms: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + ms).toISOString();

function countOverRows(campaign: Campaign) {
  const counts: Record<string, number> = {};
  const skipCounts: Record<string, number> = {};
  let totalSegments = 0;
  let longest: { row: number; characters: number } | null = null;
  let tooLong = 0;
  for (let row = 0; row < campaign.size; row++) {
    const status = campaign.statusOf(row);
    counts[status] = (counts[status] ?? 0) + 1;
    const reason = campaign.reasonOf(row);
    if (reason) skipCounts[reason] = (skipCounts[reason] ?? 0) + 1;
    else totalSegments += campaign.segmentsOf(row);
    if (status !== 'ready') continue;
    const characters = campaign.prepared(row).characters;
    if (campaign.isTooLong(row)) tooLong++;
    if (!longest || characters > longest.characters) longest = { row, characters };
  }
  return { counts, skipCounts, totalSegments, longest, tooLong };
}

function shown(view: CampaignView) {
  return {
    counts: view.counts,
    skipCounts: view.skipCounts,
    totalSegments: view.totalSegments,
    longest: view.messageLength.longest,
    tooLong: view.messageLength.tooLong,
  };
}

it('shows the same counts, segments and longest ready message as a count over the rows, after every change', async () => {
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) {
    // Names of many lengths, a few long enough for two segments or over the Send SMS API's limit; some numbers bad.
    const name = 'x'.repeat((i * 37) % 211) + (i % 97 === 0 ? 'y'.repeat(1000) : '');
    lines.push(`${name},${i % 23 === 0 ? 'nope' : `+1415${5_000_000 + i}`}`);
  }
  const table = await parseRecipientsCsv(lines.join('\n'));
  const def: CampaignDefinition = {
    id: 'counts',
    name: 'counts',
    createdAt: at(0),
    fileName: 'people.csv',
    sheet: null,
    sheets: [],
    columns: [...table.columns],
    phoneColumn: 1,
    timeZoneColumn: null,
    sendWindow: { mode: 'service' },
    defaultCountry: 'US',
    template: 'Hi $(name), your order is ready.',
    senderId: 'ACME',
    serviceId: 'sandbox',
    smartlinks: [],
    keyNonce: '',
    requestOptions: {},
    archived: false,
    origin: null,
  };
  const checks = await new CampaignChecker(table, { has: () => false, size: 0, version: 0 }).check(def);
  const campaign = new Campaign(def, table, checks, TEXT_LIMITS.sms);
  const expectCounted = () => expect(shown(campaign.view(0, 60_000))).toEqual(countOverRows(campaign));

  expectCounted();
  expect(campaign.view(0, 60_000).messageLength.tooLong).toBe(0);
  campaign.limitTextTo(TEXT_LIMITS.messaging);
  expectCounted();
  expect(campaign.view(0, 60_000).messageLength.tooLong).toBe(4);

  const optedOut = new Set([`+1415${5_000_000 + 5}`, `+1415${5_000_000 + 194}`]);
  campaign.followOptOuts((msisdn) => optedOut.has(msisdn));
  expectCounted();
  expect(campaign.view(0, 60_000).skipCounts['opted-out']).toBe(2);

  const ready = campaign.readyRows();
  campaign.apply({ t: 'start', at: at(0), notifyUrl: 'http://127.0.0.1/dr' });
  // The rows with the longest messages go first, so that the longest ready one keeps moving.
  const byLength = [...ready].sort(
    (a, b) => campaign.prepared(b).characters - campaign.prepared(a).characters,
  );
  for (let i = 0; i < byLength.length; i += 50) {
    const rows = byLength.slice(i, i + 50);
    campaign.apply({ t: 'batch', at: at(i), rows });
    expectCounted();
    for (const row of rows) {
      const status = row % 11 === 0 ? 'rejected' : row % 13 === 0 ? 'unknown' : 'queued';
      campaign.apply({
        t: 'result',
        at: at(i),
        row,
        status,
        code: null,
        description: null,
        transid: `t-${row}`,
      });
    }
    expectCounted();
    if (i === 100) {
      // Taken off the list while sending: the row comes back ready.
      optedOut.delete(`+1415${5_000_000 + 5}`);
      campaign.followOptOuts((msisdn) => optedOut.has(msisdn));
      expectCounted();
    }
  }
  campaign.apply({ t: 'end', at: at(10_000), state: 'completed', error: null });
  expect(campaign.isSettled()).toBe(false);
  expect(campaign.view(0, 60_000).messageLength.longest).toEqual({ row: 5, characters: expect.any(Number) });
  for (const row of byLength) {
    if (campaign.statusOf(row) !== 'queued' && campaign.statusOf(row) !== 'unknown') continue;
    const status = row % 7 === 0 ? 'undelivered' : 'delivered';
    campaign.apply({
      t: 'dr',
      at: at(20_000),
      row,
      status,
      code: null,
      description: null,
      transid: null,
      carrier: null,
      raw: {},
    });
  }
  expectCounted();
  // Every sent row is final; the one taken off the opt-out list while sending waits, ready.
  expect(campaign.readyRows()).toEqual([5]);
  expect(campaign.isSettled()).toBe(true);
});
