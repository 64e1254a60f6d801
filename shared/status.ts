export const ROW_STATUSES = [
  'ready',
  'skipped',
  'sending',
  'queued',
  'rejected',
  'unknown',
  'submitted',
  'delivered',
  'undelivered',
  'failed',
  'expired',
  // Last, so that the statuses stored as bytes keep their numbers: a ready row whose send window is shut. Never
  // stored; the views say it of ready rows while a run with a window waits for theirs (see ZoneRows).
  'waiting',
] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Each status's place in ROW_STATUSES: how statuses are kept in a byte per row. */
export const STATUS_INDEX: ReadonlyMap<RowStatus, number> = new Map(ROW_STATUSES.map((s, i) => [s, i]));

export const FINAL_STATUSES: ReadonlySet<RowStatus> = new Set([
  'skipped',
  'rejected',
  'delivered',
  'undelivered',
  'failed',
  'expired',
]);

const RANK: Record<RowStatus, number> = {
  ready: 0,
  waiting: 0,
  sending: 1,
  queued: 2,
  unknown: 2,
  submitted: 3,
  skipped: 4,
  rejected: 4,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  expired: 4,
};

export function isFinal(status: RowStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** Whether a row in `current` may move to `next`: forward only, and never out of a final state. */
export function canAdvance(current: RowStatus, next: RowStatus): boolean {
  if (isFinal(current)) return false;
  return RANK[next] > RANK[current] || (current === 'unknown' && next === 'queued');
}

export type DeliveryOutcome = Extract<
  RowStatus,
  'submitted' | 'delivered' | 'undelivered' | 'failed' | 'expired'
>;

/** Maps a DR's deliveryStatus and code to a row status; null for reports that carry no delivery state (clicks). */
export function statusFromDeliveryReport(deliveryStatus: string, code: string): DeliveryOutcome | null {
  if (code === '7208') return 'expired';
  switch (deliveryStatus.toLowerCase().replace(/[^a-z]/g, '')) {
    case 'submitted':
      return 'submitted';
    case 'delivered':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
      return 'failed';
    case 'expired':
      return 'expired';
    default:
      return null;
  }
}
