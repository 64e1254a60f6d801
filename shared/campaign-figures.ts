import type { StatusCounts } from './api';
import { FINAL_STATUSES, ROW_STATUSES, type RowStatus } from './status';

const NOT_SENT: ReadonlySet<RowStatus> = new Set(['ready', 'waiting', 'skipped', 'sending']);

/** Rows handed to the service, whatever became of them: all but those not (or not yet) sent. */
export const SENT_STATUSES: ReadonlySet<RowStatus> = new Set(ROW_STATUSES.filter((s) => !NOT_SENT.has(s)));
/** Final, sent and not delivered. */
export const FAILED_STATUSES: ReadonlySet<RowStatus> = new Set(
  [...FINAL_STATUSES].filter((s) => SENT_STATUSES.has(s) && s !== 'delivered'),
);

export interface CampaignFigures {
  ready: number;
  /** Rows handed to the service, whatever became of them. */
  sent: number;
  delivered: number;
  /** Rejected, undelivered, failed and expired rows. */
  failed: number;
  /** delivered ÷ sent; null before anything was sent. */
  deliveryRate: number | null;
}

/** A campaign's headline figures, from its status counts. */
export function campaignFigures(counts: StatusCounts): CampaignFigures {
  let sent = 0;
  let failed = 0;
  for (const [status, count] of Object.entries(counts) as [RowStatus, number][]) {
    if (SENT_STATUSES.has(status)) sent += count;
    if (FAILED_STATUSES.has(status)) failed += count;
  }
  const delivered = counts.delivered ?? 0;
  return {
    ready: counts.ready ?? 0,
    sent,
    delivered,
    failed,
    deliveryRate: sent > 0 ? delivered / sent : null,
  };
}
