/** The platform takes at most 1000 destinations per request, and at most the service's TPS. */
export const MAX_BATCH = 1000;
/** Default batches go out about this often per second, so that no one-second window runs far over the rate. */
const BATCHES_PER_SECOND = 20;

export interface SendSettings {
  /** Messages per second; Infinity for no limit. */
  rate: number;
  /** Messages per request: at most min(1000, rate). */
  batchSize: number;
  /** Requests out at once. */
  maxInFlight: number;
  requestTimeoutMs: number;
  /**
   * How long a request whose answer was lost is sent again with the same Idempotency-Key, from its first try. The
   * platform's pages do not say how long a key is remembered (imiconnect-api.md says about an hour): we stay well
   * inside that.
   */
  keyRetryMs: number;
}

export interface SendTuning {
  rate?: number;
  batchSize?: number;
  maxInFlight?: number;
  requestTimeoutMs?: number;
  keyRetryMs?: number;
}

/** One message a request: enough requests in flight to reach the rate with answers taking about half a second. */
const SMS_ANSWER_SECONDS = 0.5;
const MAX_SMS_IN_FLIGHT = 64;
/** Rows a worker journals at once with no rate limit, one message a request. */
const SMS_ROWS_PER_WORKER = 16;
export const KEY_RETRY_MS = 10 * 60_000;

export function sendSettings(
  serviceRate: number,
  tuning: SendTuning = {},
  perRequest: number = MAX_BATCH,
): SendSettings {
  const rate = tuning.rate ?? serviceRate;
  const cap = Math.min(MAX_BATCH, Math.max(1, Math.floor(rate)));
  const maxInFlight =
    tuning.maxInFlight ??
    (perRequest === 1 ? Math.min(MAX_SMS_IN_FLIGHT, Math.max(4, Math.ceil(rate * SMS_ANSWER_SECONDS))) : 4);
  // One message a request: each worker journals a few rows at a time, so that every worker has rows to send.
  const perBatch = perRequest === 1 ? BATCHES_PER_SECOND * maxInFlight : BATCHES_PER_SECOND;
  const batchSize =
    tuning.batchSize ??
    (rate === Infinity
      ? perRequest === 1
        ? SMS_ROWS_PER_WORKER
        : MAX_BATCH
      : Math.max(1, Math.ceil(rate / perBatch)));
  return {
    rate,
    batchSize: Math.min(cap, batchSize),
    maxInFlight,
    requestTimeoutMs: tuning.requestTimeoutMs ?? 30_000,
    keyRetryMs: tuning.keyRetryMs ?? KEY_RETRY_MS,
  };
}
