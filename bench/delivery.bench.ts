// Delivery tracking of a 1,000,000-row campaign with two reports per row (Submitted, then a final one):
// the memory the per-row report history takes, beside an object per report, and the time the dashboard,
// a row's details and the delivery report take to build.
import { buildDashboard } from '../electron/core/campaigns/dashboard';
import type { JournalEvent } from '../electron/core/campaigns/journal-events';
import { buildReportCsv } from '../electron/core/campaigns/report';
import { buildRowDetails } from '../electron/core/campaigns/row-details';
import { mulberry32 } from '../electron/core/simulator/seeded-random';
import { recipientsFixture } from './recipients-fixture';
import { at, sentCampaign } from './sent-campaign';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

const { campaign, ready } = await sentCampaign(await recipientsFixture(ROWS));

/** Two reports per sent row, a tenth of them undelivered, from a handful of carriers. */
function* reports(): Generator<JournalEvent> {
  const random = mulberry32(5);
  const carriers = ['UKVOD', 'UKO2', 'UKEE', 'UKTHREE'];
  for (const [i, row] of ready.entries()) {
    const carrier = carriers[row % carriers.length] as string;
    const common = { t: 'dr', row, transid: `t-${row}`, carrier, raw: null } as const;
    const submitted = i + 2000 + Math.floor(random() * 3000);
    const final = submitted + 1000 + Math.floor(random() * 20_000);
    yield {
      ...common,
      at: at(submitted + 40),
      reportedAt: at(submitted),
      status: 'submitted',
      code: '7501',
      description: 'Submitted',
    };
    yield random() < 0.1
      ? {
          ...common,
          at: at(final + 40),
          reportedAt: at(final),
          status: 'undelivered',
          code: '7203',
          description: 'Unknown subscriber',
        }
      : {
          ...common,
          at: at(final + 40),
          reportedAt: at(final),
          status: 'delivered',
          code: '7500',
          description: 'Delivered',
        };
  }
}

function heapMb(): number {
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

const beforeHistory = heapMb();
for (const event of reports()) campaign.apply(event);
const historyMb = heapMb() - beforeHistory;

// Baseline: the same reports kept as one object per report in a list per row.
const beforeObjects = heapMb();
const objects = new Map<number, object[]>();
for (const event of reports()) {
  if (event.t !== 'dr') continue;
  const list = objects.get(event.row) ?? [];
  list.push({
    receivedAt: event.at,
    reportedAt: event.reportedAt,
    status: event.status,
    code: event.code,
    description: event.description,
    carrier: event.carrier,
  });
  objects.set(event.row, list);
}
const objectsMb = heapMb() - beforeObjects;
objects.clear();

function medianMs(run: () => unknown, times = 5): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[times >> 1] as number;
}

const dashboard = buildDashboard(campaign, { replies: 0, optOuts: 0 });
console.log(
  `${ROWS.toLocaleString()} rows, ${ready.length.toLocaleString()} sent, ` +
    `${campaign.history.size.toLocaleString()} reports in the history`,
);
console.log(
  `report history        : ${(campaign.history.byteLength / 1e6).toFixed(1)} MB in typed arrays, ` +
    `${historyMb.toFixed(1)} MB heap growth while recording`,
);
console.log(
  `baseline: object each : ${objectsMb.toFixed(1)} MB heap (same reports, a list of objects per row)`,
);
console.log(
  `dashboard             : ${medianMs(() => buildDashboard(campaign, { replies: 0, optOuts: 0 })).toFixed(0)} ms ` +
    `(median of 5; delivered ${dashboard.delivered}, failed ${dashboard.failed}, ` +
    `median ${dashboard.medianSecondsToDeliver?.toFixed(1)} s, ${dashboard.timeline.length} points of ${dashboard.bucketSeconds} s)`,
);
console.log(
  `row details           : ${(medianMs(() => buildRowDetails(campaign, ready[ready.length >> 1] as number, []), 101) * 1000).toFixed(0)} µs`,
);
console.log(`delivery report CSV   : ${(medianMs(() => buildReportCsv(campaign), 1) / 1000).toFixed(2)} s`);
