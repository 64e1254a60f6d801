import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { Campaign } from '../../electron/core/campaigns/campaign';
import { CampaignChecker } from '../../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../../electron/core/campaigns/definition';
import type { JournalEvent } from '../../electron/core/campaigns/journal-events';
import { parseRecipientsCsv } from '../../electron/core/recipients/csv-import';

// The view says from when unknown rows may go again, and the sender picks those past their grace, without a
// pass over the rows: after any sequence of events both must say what a pass over the rows says.
const ROWS = 40;
const GRACE = 60_000;
const at = (ms: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + ms).toISOString();

async function freshCampaign(): Promise<Campaign> {
  const lines = ['name,phone'];
  for (let i = 0; i < ROWS; i++) lines.push(`P${i},${i % 9 === 0 ? 'nope' : `+1415${5_000_000 + i}`}`);
  const table = await parseRecipientsCsv(lines.join('\n'));
  const def: CampaignDefinition = {
    id: 'unknown',
    name: 'unknown',
    createdAt: at(0),
    fileName: 'people.csv',
    sheet: null,
    sheets: [],
    columns: [...table.columns],
    phoneColumn: 1,
    timeZoneColumn: null,
    sendWindow: { mode: 'service' },
    defaultCountry: 'US',
    template: 'Hi $(name)',
    senderId: 'ACME',
    serviceId: 'sandbox',
    smartlinks: [],
    keyNonce: '',
    requestOptions: {},
    archived: false,
    origin: null,
  };
  const checks = await new CampaignChecker(table, { has: () => false, size: 0, version: 0 }).check(def);
  return new Campaign(def, table, checks, TEXT_LIMITS.messaging);
}

function passOverRows(campaign: Campaign, now: number) {
  let latest: number | null = null;
  const pastGrace: number[] = [];
  for (let row = 0; row < campaign.size; row++) {
    if (campaign.statusOf(row) !== 'unknown') continue;
    const sentAt = Date.parse(campaign.sendDetails(row)?.sentAt ?? '');
    latest = Math.max(latest ?? -Infinity, sentAt || 0);
    if (sentAt + GRACE <= now) pastGrace.push(row);
  }
  return {
    resendableAt: latest === null ? null : new Date(latest + GRACE).toISOString(),
    pastGrace,
  };
}

const row = fc.integer({ min: 0, max: ROWS - 1 });
const rows = fc.uniqueArray(row, { minLength: 1, maxLength: 8 });
const time = fc.integer({ min: 0, max: 600_000 });
const status = fc.constantFrom('queued', 'unknown', 'rejected', 'submitted', 'delivered', 'undelivered');
const event: fc.Arbitrary<JournalEvent> = fc.oneof(
  fc.record({ t: fc.constant('start' as const), at: time.map(at), notifyUrl: fc.constant('') }),
  fc.record({ t: fc.constant('batch' as const), at: time.map(at), rows }),
  fc.record({ t: fc.constant('released' as const), at: time.map(at), rows }),
  fc.record({ t: fc.constantFrom('resend' as const, 'retry' as const), at: time.map(at), rows }),
  fc.record({
    t: fc.constant('result' as const),
    at: time.map(at),
    row,
    status,
    code: fc.constant(null),
    description: fc.constant(null),
    transid: fc.option(row.map((r) => `t-${r}`)),
  }),
  fc.record({
    t: fc.constant('dr' as const),
    at: time.map(at),
    row,
    status,
    code: fc.constant(null),
    description: fc.constant(null),
    transid: fc.option(row.map((r) => `t-${r}`)),
    carrier: fc.constant(null),
    reportedAt: fc.constant(null),
  }),
  fc.record({
    t: fc.constant('end' as const),
    at: time.map(at),
    state: fc.constantFrom('stopped' as const, 'paused' as const, 'completed' as const),
    error: fc.constant(null),
  }),
) as fc.Arbitrary<JournalEvent>;

it('keeps the unknown rows and their latest send time as a pass over the rows finds them, after any events', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(event, { maxLength: 60 }), time, async (events, now) => {
      const campaign = await freshCampaign();
      for (const e of events) {
        campaign.apply(e);
        const expected = passOverRows(campaign, Date.parse(at(now)));
        expect(campaign.unknownResendableAt(GRACE)).toBe(expected.resendableAt);
        expect(campaign.view(0, GRACE).unknownResendableAt).toBe(expected.resendableAt);
        expect(campaign.unknownPastGrace(GRACE, Date.parse(at(now)))).toEqual(expected.pastGrace);
      }
      // Interrupted rows become unknown all at once, as a crash-resume makes them.
      for (const e of campaign.interruptedResults(at(now), 'interrupted')) campaign.apply(e);
      const expected = passOverRows(campaign, Date.parse(at(now)));
      expect(campaign.unknownResendableAt(GRACE)).toBe(expected.resendableAt);
      expect(campaign.unknownPastGrace(GRACE, Date.parse(at(now)))).toEqual(expected.pastGrace);
    }),
    { numRuns: 300 },
  );
});
