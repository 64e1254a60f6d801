import { z } from 'zod';
import { SendApi, TestSendView } from '../../../shared/api';
import { SendWindow } from '../../../shared/send-window';
import type { SendDetails } from './campaign';
import type { HistoryState } from './delivery-history';

const Nullable = z.string().nullable();
const Damage = z.object({
  line: z.number().int().nullable(),
  sent: z.array(z.number()),
  unknown: z.array(z.number()),
});

/** What of a campaign's replayed state is not rows: small, kept as JSON. */
export const ReplayScalars = z.object({
  started: z.boolean(),
  firstStart: Nullable,
  lastEnd: Nullable,
  ended: z
    .object({
      state: z.enum(['completed', 'stopped', 'paused', 'cancelled']),
      error: Nullable,
      detail: Nullable,
    })
    .nullable(),
  schedule: z.object({ startAt: Nullable, error: Nullable, digest: Nullable }),
  answered: z.boolean(),
  withdrawn: z.object({ error: z.string(), detail: Nullable }).nullable(),
  tests: z.array(TestSendView),
  service: z
    .object({
      id: z.string(),
      baseUrl: z.string(),
      api: SendApi,
      numbersWithPlus: z.boolean(),
      rate: z.number().nullable(),
    })
    .nullable(),
  /** The send window of the last run's start; absent in snapshots written before windows: none. */
  window: SendWindow.nullable().default(null),
  altered: Damage.nullable(),
  largestBatch: z.number().int().min(0),
  lastAt: Nullable,
  resends: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  keySentAt: z.array(z.tuple([z.number().int().min(0), z.string()])),
  /** Transids that no longer are their row's own (the row was sent again): reports naming them still find it. */
  formerTransids: z.array(z.tuple([z.string(), z.number().int().min(0)])),
});
export type ReplayScalars = z.infer<typeof ReplayScalars>;

/**
 * Everything replaying a campaign's journal builds, taken from the campaign at one moment: what a snapshot holds.
 * Rows' statuses are as the journal makes them (the opt-out list's late effects are left out: loading applies them).
 */
export interface ReplayState {
  /** Digest of the rows' statuses before any event, as their checks make them: the state holds only for those. */
  checks: string;
  status: Uint8Array;
  /** Per row, what `details` held (undefined for a row never sent); the entries are never changed in place. */
  details: readonly (SendDetails | undefined)[];
  attempted: Uint32Array;
  lookedUp: Uint32Array;
  doubted: Uint32Array;
  trust: Uint8Array;
  history: HistoryState;
  scalars: ReplayScalars;
}
