// A view push on a 1,000,000-row campaign sent with one row in a hundred left unknown (no answer): the view
// as the campaign keeps it (the unknown rows tracked as they change), beside the same figure found by a pass
// over every row, as the view did before. Each view follows a report that settles one unknown row.
import { performance } from 'node:perf_hooks';
import type { Campaign } from '../electron/core/campaigns/campaign';
import { recipientsFixture } from './recipients-fixture';
import { at, sentCampaign } from './sent-campaign';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PUSHES = 200;
const GRACE = 10 * 60_000;

const { campaign, ready } = await sentCampaign(await recipientsFixture(ROWS), (row) =>
  row % 100 === 7 ? 'unknown' : 'queued',
);
const unknown = ready.filter((row) => campaign.statusOf(row) === 'unknown');

/** The unknown rows' resend time found as the view found it before: a pass over every row. */
function byPassOverRows(c: Campaign): string | null {
  let latest = -Infinity;
  for (let row = 0; row < c.size; row++) {
    if (c.statusOf(row) !== 'unknown') continue;
    latest = Math.max(latest, Date.parse(c.sendDetails(row)?.sentAt ?? '') || 0);
  }
  return latest === -Infinity ? null : new Date(latest + GRACE).toISOString();
}

function settle(i: number): void {
  campaign.apply({
    t: 'dr',
    at: at(3_600_000 + i),
    row: unknown[i] as number,
    status: 'delivered',
    code: null,
    description: null,
    transid: null,
    carrier: null,
    reportedAt: null,
  });
}

function time(push: (i: number) => void, from: number): number {
  const start = performance.now();
  for (let i = 0; i < PUSHES; i++) {
    settle(from + i);
    push(i);
  }
  return (performance.now() - start) / PUSHES;
}

const before = time(() => {
  const view = campaign.view(0, GRACE);
  view.unknownResendableAt = byPassOverRows(campaign);
}, 0);
const after = time(() => campaign.view(0, GRACE), PUSHES);
if (campaign.view(0, GRACE).unknownResendableAt !== byPassOverRows(campaign))
  throw new Error('the kept figure differs from a pass over the rows');

console.log(`rows ${ROWS}, unknown ${unknown.length}, ${PUSHES} pushes each after one report`);
console.log(`view push, resend time by a pass over the rows (before): ${before.toFixed(3)} ms`);
console.log(`view push, resend time kept as rows change (now):        ${after.toFixed(3)} ms`);
