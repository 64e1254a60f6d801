import { networkProblem } from '../network-words';
import type { SendOutcome } from './platform-client';

/**
 * What a failed HTTP exchange means for messages: never sent, or perhaps sent. `reason` is a clause for the user;
 * `detail` the network error as Node gave it, null when there was none (an answer that could not be read).
 */
export type HttpFailure =
  /** The request never reached the service (refused connection, unknown host, bad certificate). */
  | { kind: 'unreachable'; reason: string; detail: string | null }
  /** No readable answer (timeout, reset): the service may have taken the request. */
  | { kind: 'ambiguous'; reason: string; detail: string | null };

/** Failures that happen before a byte of the request reaches the service, so nothing can have been queued. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `url` is where the request went, for the sentence to name. */
export function httpFailure(error: unknown, url: string): HttpFailure {
  const { sentence, detail, code } = networkProblem(error, url);
  return NEVER_CONNECTED.has(code)
    ? { kind: 'unreachable', reason: sentence, detail }
    : { kind: 'ambiguous', reason: sentence, detail };
}

/**
 * An answer whose body neither API can read, by its HTTP status alone: a 429 is the throttle, 401 and 403 refuse
 * the key, another 4xx (a wrong path answers 404) refused the request before anything was queued; anything else
 * (a 5xx, a 408, a 2xx without the expected body) may or may not have been taken.
 */
export function unreadableAnswer(
  status: number,
  retryAfter: string | string[] | undefined,
): Extract<SendOutcome, { kind: 'throttled' | 'refused' | 'ambiguous' }> {
  if (status === 429) return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter) };
  if (status === 401 || status === 403)
    return { kind: 'refused', scope: 'service', code: null, description: `HTTP ${status}` };
  if (status >= 400 && status < 500 && status !== 408)
    return { kind: 'refused', scope: 'other', code: null, description: `HTTP ${status}` };
  return { kind: 'ambiguous', reason: `HTTP ${status} with an unreadable body`, detail: null };
}

/** Milliseconds a `Retry-After` header asks for; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
