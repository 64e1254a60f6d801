import { z } from 'zod';
import { SendApi } from '../../../shared/api';
import { SendWindow } from '../../../shared/send-window';

const At = z.string();
const Nullable = z.string().nullable();

export const JournalEvent = z.discriminatedUnion('t', [
  /** Sending began (or resumed): from here on the definition is frozen. Names the service, never its key. */
  z.object({
    t: z.literal('start'),
    at: At,
    notifyUrl: z.string(),
    serviceId: z.string().optional(),
    baseUrl: z.string().optional(),
    /** Absent in journals written before the Send SMS API was supported. */
    api: SendApi.optional(),
    numbersWithPlus: z.boolean().optional(),
    /** Messages per second; null for no limit. */
    rate: z.number().nullable().optional(),
    /** The send plan's digest (send-plan.ts) of what this run set out to send; absent in older journals. */
    digest: z.string().optional(),
    /**
     * When rows may reach their recipients, on each one's clock; null or absent (older journals): any hour. Kept
     * here so that a resumed or restarted run waits for the windows its plan showed.
     */
    window: SendWindow.nullable().optional(),
  }),
  /** The campaign will start by itself at `startAt`; null withdraws the schedule, with the reason if it failed. */
  z.object({
    t: z.literal('schedule'),
    at: At,
    startAt: Nullable,
    error: Nullable.default(null),
    /** The digest of the send plan confirmed for the start; absent in older journals. */
    digest: z.string().optional(),
  }),
  /** A request carrying these rows is about to go out. */
  z.object({ t: z.literal('batch'), at: At, rows: z.array(z.number().int().min(0)) }),
  /** The API's answer for one row of a batch. */
  z.object({
    t: z.literal('result'),
    at: At,
    row: z.number().int().min(0),
    status: z.enum(['queued', 'rejected', 'unknown']),
    code: Nullable,
    description: Nullable,
    transid: Nullable,
  }),
  /** The API refused a whole request (bad key, malformed request): nothing in it was queued. */
  z.object({ t: z.literal('released'), at: At, rows: z.array(z.number().int().min(0)) }),
  /** The user chose to send these unknown rows again, after their grace window passed without a report. */
  z.object({ t: z.literal('resend'), at: At, rows: z.array(z.number().int().min(0)) }),
  /**
   * Unknown rows of an API with an Idempotency-Key, sent again with the same key while the platform still knows it
   * (their first try was recent): the platform sends a repeat of a key no second time.
   */
  z.object({ t: z.literal('retry'), at: At, rows: z.array(z.number().int().min(0)) }),
  z.object({
    t: z.literal('dr'),
    at: At,
    row: z.number().int().min(0),
    status: z.enum(['submitted', 'delivered', 'undelivered', 'failed', 'expired']),
    code: Nullable,
    description: Nullable,
    transid: Nullable,
    carrier: Nullable,
    /** The platform's own time stamp, as it gave it (absent in journals written before it was kept). */
    reportedAt: Nullable.optional(),
    /** `lookup`: not a report the platform posted but its status lookup's answer (Send SMS API). */
    via: z.enum(['report', 'lookup']).optional(),
    /** The status lookup's answer; a posted report's payload is kept in report-payloads.ndjson (in older journals, here). */
    raw: z.unknown().optional(),
  }),
  /**
   * A run ended. A run that ends `stopped` before the service answered for any row of the campaign and with none in
   * flight (a refused key, an unreachable service: every request released) sent nothing: that withdraws the start,
   * and the campaign is a draft again, its error kept. Campaign.apply derives this on replay, so journals written
   * before the rule read the same way. A row with any answer (even unknown: a lost answer may hide a message that
   * went out) keeps the campaign sent.
   */
  z.object({
    t: z.literal('end'),
    at: At,
    state: z.enum(['completed', 'stopped', 'paused', 'cancelled']),
    error: Nullable,
    /** The technical account behind `error` (a network error's code); absent in older journals. */
    detail: Nullable.optional(),
  }),
  /** A test message: the campaign's text for one row, sent to a number of the user's choosing. */
  z.object({
    t: z.literal('test'),
    at: At,
    test: z.number().int().min(0),
    row: z.number().int().min(0),
    msisdn: z.string(),
    status: z.enum(['queued', 'rejected', 'unknown']),
    code: Nullable,
    description: Nullable,
    transid: Nullable,
  }),
  z.object({
    t: z.literal('test-dr'),
    at: At,
    test: z.number().int().min(0),
    status: z.enum(['submitted', 'delivered', 'undelivered', 'failed', 'expired']),
    code: Nullable,
    description: Nullable,
    /** In journals written before payloads had a file of their own (report-payloads.ndjson). */
    raw: z.unknown().optional(),
  }),
]);
export type JournalEvent = z.infer<typeof JournalEvent>;

export function parseJournalEvent(value: unknown): JournalEvent | null {
  const parsed = JournalEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}
