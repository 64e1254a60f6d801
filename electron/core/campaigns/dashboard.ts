import { campaignFigures, FAILED_STATUSES, SENT_STATUSES } from '../../../shared/campaign-figures';
import type { Dashboard, StatusCounts } from '../../../shared/api';
import { deliveryCodeMeaning } from '../../../shared/delivery-codes';
import { ROW_STATUSES, type RowStatus } from '../../../shared/status';
import type { Campaign } from './campaign';

/** What the inbox knows of a campaign: replies from its numbers, and those that opted out. */
export interface InboxFigures {
  replies: number;
  optOuts: number;
}

/** The chart has at most this many points, whatever the campaign's time span. */
export const MAX_TIMELINE_POINTS = 120;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Round bucket sizes, smallest first. */
const BUCKETS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
].map((s) => s * SECOND);

/** Looked up once per row, by the status's name. */
const KINDS = Object.fromEntries(
  ROW_STATUSES.map((s, index) => [s, { index, sent: SENT_STATUSES.has(s), failed: FAILED_STATUSES.has(s) }]),
) as Record<RowStatus, { index: number; sent: boolean; failed: boolean }>;

/** A campaign's delivery figures, in one pass over its rows. */
export function buildDashboard(campaign: Campaign, inbox: InboxFigures): Dashboard {
  const byStatus = new Float64Array(ROW_STATUSES.length);
  const toDeliver = new Float64Array(campaign.size);
  let delivering = 0;
  const finalAt = new Float64Array(campaign.size);
  const finalDelivered = new Uint8Array(campaign.size);
  let finals = 0;
  let lastFinal = -Infinity;
  const failures = new Map<string | null, { meaning: string; count: number }>();
  // Rows of one batch share their sentAt string: parse it once.
  let sentText: string | null = null;
  let sentMs = NaN;

  // Counted as the campaign view counts them: ready rows whose window is shut are waiting.
  const now = Date.now();
  for (let row = 0; row < campaign.size; row++) {
    const status = campaign.shownStatus(row, now);
    const kind = KINDS[status];
    bump(byStatus, kind.index);
    if (!kind.sent) continue;
    const details = campaign.sendDetails(row);
    const finalMs = campaign.history.deliveredAtMs(row);
    const delivered = status === 'delivered';
    if (finalMs !== null && (delivered || kind.failed)) {
      finalAt[finals] = finalMs;
      finalDelivered[finals++] = delivered ? 1 : 0;
      if (finalMs > lastFinal) lastFinal = finalMs;
    }
    if (delivered && finalMs !== null && details?.sentAt) {
      if (details.sentAt !== sentText) {
        sentText = details.sentAt;
        sentMs = Date.parse(sentText);
      }
      if (!Number.isNaN(sentMs)) toDeliver[delivering++] = Math.max(0, (finalMs - sentMs) / SECOND);
    }
    if (kind.failed) {
      const code = details?.code ?? null;
      const failure = failures.get(code);
      if (failure) failure.count++;
      else
        failures.set(code, {
          meaning: deliveryCodeMeaning(code) ?? details?.description ?? 'No code given',
          count: 1,
        });
    }
  }

  const counts: StatusCounts = {};
  ROW_STATUSES.forEach((status, i) => {
    if (byStatus[i]) counts[status] = byStatus[i];
  });
  const { sent, delivered, failed, deliveryRate } = campaignFigures(counts);
  const { startedAt } = campaign;
  const timeline = startedAt
    ? buildTimeline(Date.parse(startedAt), lastFinal, finalAt.subarray(0, finals), finalDelivered)
    : { bucketSeconds: 1, timeline: [] };

  return {
    campaignId: campaign.id,
    counts,
    sent,
    delivered,
    failed,
    deliveryRate,
    medianSecondsToDeliver: median(toDeliver.subarray(0, delivering)),
    ...timeline,
    failures: [...failures]
      .map(([code, f]) => ({ code, meaning: f.meaning, count: f.count }))
      .sort((a, b) => b.count - a.count || (a.code ?? '').localeCompare(b.code ?? '')),
    replies: inbox.replies,
    optOuts: inbox.optOuts,
  };
}

/** The smallest round bucket that spans `fromMs`..`toMs` in at most MAX_TIMELINE_POINTS buckets. */
export function bucketFor(fromMs: number, toMs: number): { startMs: number; bucketMs: number } {
  const fits = (bucketMs: number) =>
    Math.floor(toMs / bucketMs) - Math.floor(fromMs / bucketMs) < MAX_TIMELINE_POINTS;
  // Past the largest round bucket, whole days; two points are kept spare for the alignment.
  const bucketMs =
    BUCKETS_MS.find(fits) ?? Math.ceil((toMs - fromMs) / (MAX_TIMELINE_POINTS - 2) / DAY) * DAY;
  return { startMs: Math.floor(fromMs / bucketMs) * bucketMs, bucketMs };
}

function buildTimeline(
  startMs: number,
  lastFinalMs: number,
  finalAt: Float64Array,
  finalDelivered: Uint8Array,
): Pick<Dashboard, 'bucketSeconds' | 'timeline'> {
  const { startMs: from, bucketMs } = bucketFor(startMs, Math.max(startMs, lastFinalMs));
  const points = Math.floor((Math.max(startMs, lastFinalMs) - from) / bucketMs) + 1;
  const delivered = new Float64Array(points);
  const failed = new Float64Array(points);
  for (let i = 0; i < finalAt.length; i++) {
    // A platform clock behind ours can date a report before the campaign started: it counts in the first bucket.
    const bucket = Math.max(0, Math.floor(((finalAt[i] as number) - from) / bucketMs));
    bump(finalDelivered[i] ? delivered : failed, bucket);
  }
  return {
    bucketSeconds: bucketMs / SECOND,
    timeline: Array.from({ length: points }, (_, i) => ({
      at: new Date(from + i * bucketMs).toISOString(),
      delivered: delivered[i] as number,
      failed: failed[i] as number,
    })),
  };
}

function bump(counts: Float64Array, at: number): void {
  counts[at] = (counts[at] as number) + 1;
}

/** The median, found in linear time (a full sort of a million values takes several times longer). */
export function median(values: Float64Array): number | null {
  const n = values.length;
  if (n === 0) return null;
  const upper = select(values, n >> 1);
  if (n % 2) return upper;
  // After selection every value left of the middle is at most `upper`: the lower middle is their largest.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) lower = Math.max(lower, values[i] as number);
  return (lower + upper) / 2;
}

/** The k-th smallest value (Hoare's quickselect, middle pivot); reorders `values` around it. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}
