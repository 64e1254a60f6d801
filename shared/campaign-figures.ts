import type { StatusCounts } from './api';
import type { RowStatus } from './status';

const NOT_SENT: ReadonlySet<RowStatus> = new Set(['ready', 'skipped', 'sending']);
const FAILED: ReadonlySet<RowStatus> = new Set(['rejected', 'undelivered', 'failed', 'expired']);

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
    if (!NOT_SENT.has(status)) sent += count;
    if (FAILED.has(status)) failed += count;
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
