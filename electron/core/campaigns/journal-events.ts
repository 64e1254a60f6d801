import { z } from 'zod';

const At = z.string();
const Nullable = z.string().nullable();

export const JournalEvent = z.discriminatedUnion('t', [
  /** Sending began: from here on the definition is frozen. */
  z.object({ t: z.literal('start'), at: At, notifyUrl: z.string() }),
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
  z.object({
    t: z.literal('dr'),
    at: At,
    row: z.number().int().min(0),
    status: z.enum(['submitted', 'delivered', 'undelivered', 'failed', 'expired']),
    code: Nullable,
    description: Nullable,
    transid: Nullable,
    carrier: Nullable,
    raw: z.unknown(),
  }),
  z.object({ t: z.literal('end'), at: At, state: z.enum(['completed', 'stopped']), error: Nullable }),
]);
export type JournalEvent = z.infer<typeof JournalEvent>;

export function parseJournalEvent(value: unknown): JournalEvent | null {
  const parsed = JournalEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}
