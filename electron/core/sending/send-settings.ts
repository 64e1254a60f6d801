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
}

export interface SendTuning {
  rate?: number;
  batchSize?: number;
  maxInFlight?: number;
  requestTimeoutMs?: number;
}

export function sendSettings(serviceRate: number, tuning: SendTuning = {}): SendSettings {
  const rate = tuning.rate ?? serviceRate;
  const cap = Math.min(MAX_BATCH, Math.max(1, Math.floor(rate)));
  const batchSize =
    tuning.batchSize ?? (rate === Infinity ? MAX_BATCH : Math.max(1, Math.ceil(rate / BATCHES_PER_SECOND)));
  return {
    rate,
    batchSize: Math.min(cap, batchSize),
    maxInFlight: tuning.maxInFlight ?? 4,
    requestTimeoutMs: tuning.requestTimeoutMs ?? 30_000,
  };
}
