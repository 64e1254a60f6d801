import type { SkipReason } from './api';
import { deliveryCodeMeaning } from './delivery-codes';
import type { RowStatus } from './status';

/** Why a row is not sent, as the recipients table, the summary and the reports word it. */
export const REASON_LABELS: Record<SkipReason, string> = {
  'missing-number': 'no phone number',
  'invalid-number': 'invalid number',
  'opted-out': 'opted out',
  duplicate: 'duplicate number',
  'missing-value': 'missing value',
  'unknown-time-zone': 'unknown time zone',
  'frequency-cap': 'over the frequency cap',
};

/** Each row status in words, as the tables' status badges and the reports show it. */
export const STATUS_WORDS: Record<RowStatus, string> = {
  ready: 'Ready to send',
  skipped: 'Skipped',
  sending: 'Sending',
  queued: 'Queued',
  rejected: 'Rejected',
  unknown: 'Outcome unknown',
  submitted: 'Submitted',
  delivered: 'Delivered',
  undelivered: 'Undelivered',
  failed: 'Failed',
  expired: 'Expired',
  waiting: 'Waiting for its window',
};

/** The statuses whose words carry why: the platform's description of the failure, or the doubt. */
const EXPLAINED: ReadonlySet<RowStatus> = new Set([
  'rejected',
  'unknown',
  'undelivered',
  'failed',
  'expired',
]);

export interface WordedRow {
  status: RowStatus;
  reason: SkipReason | null;
  code: string | null;
  description: string | null;
}

/**
 * A row's status in a sentence's words: "Delivered", "Skipped: invalid number", "Failed: Unknown
 * subscriber" (the platform's description, else the documented meaning of its code), and "Not sent:
 * campaign cancelled" for a row a cancelled campaign never sent.
 */
export function statusInWords(row: WordedRow, cancelled: boolean): string {
  if (row.status === 'skipped' && row.reason !== null) return `Skipped: ${REASON_LABELS[row.reason]}`;
  if (row.status === 'ready' && cancelled) return 'Not sent: campaign cancelled';
  const words = STATUS_WORDS[row.status];
  if (!EXPLAINED.has(row.status)) return words;
  const why =
    row.description?.trim() || deliveryCodeMeaning(row.code) || (row.code ? `code ${row.code}` : '');
  return why === '' || why.toLowerCase() === words.toLowerCase() ? words : `${words}: ${why}`;
}
