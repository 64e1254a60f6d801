import type { Campaign } from '../campaigns/campaign';
import type { JournalEvent } from '../campaigns/journal-events';
import { lookupSms, type SmsTarget } from './sms-api';
import { TokenBucket } from './token-bucket';

type Dr = Extract<JournalEvent, { t: 'dr' }>;

/**
 * The row status a lookup's `status` stands for. Page "get-sms-api-v1" shows only DELIVERED (the official SDK adds
 * FAILED); the other spellings are read by the words they contain, and anything else is left open.
 */
export function statusOfLookup(status: string): Dr['status'] | null {
  const s = status.toUpperCase().replace(/[^A-Z]/g, '');
  if (s.startsWith('UNDELIVER')) return 'undelivered';
  if (s.startsWith('DELIVER')) return 'delivered';
  if (s.startsWith('FAIL') || s.startsWith('REJECT')) return 'failed';
  if (s.startsWith('EXPIR')) return 'expired';
  return null;
}

const IN_FLIGHT = 4;

/**
 * Asks the platform for the status of each row accepted before `cutoff` whose final report has not come (a laptop
 * that slept, a tunnel that dropped: the platform is not documented to post a missed report again), at most
 * `perSecond` lookups a second. Returns the events to journal: one per row the platform gave a final status for.
 */
export async function lookUpOpenRows(
  campaign: Campaign,
  target: SmsTarget,
  cutoff: number,
  perSecond: number,
  signal?: AbortSignal,
): Promise<Dr[]> {
  const rows = campaign.openSentBefore(cutoff);
  const bucket = new TokenBucket(perSecond);
  const events: Dr[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < rows.length && !signal?.aborted) {
      const row = rows[next++] as number;
      const transid = campaign.transidOf(row) as string;
      await bucket.take(1, signal);
      const found = await lookupSms(target, transid);
      if (found.kind !== 'found') continue;
      const status = statusOfLookup(found.status);
      if (status === null) continue;
      events.push({
        t: 'dr',
        at: new Date().toISOString(),
        row,
        status,
        code: null,
        description: `${found.status} (status lookup)`,
        transid,
        carrier: null,
        reportedAt: found.statusTime,
        via: 'lookup',
        raw: found.raw,
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, rows.length) }, worker)).catch((error) => {
    if (!signal?.aborted) throw error;
  });
  return events;
}
