/**
 * How the platform's answer codes are acted on (imiconnect-api.md §4, pages "send-message-api-v1" and
 * "rate-limits-for-messaging-apis"). Both send APIs use the same codes.
 */
export const QUEUED = '1001';
/** The tenant's transactions per second were exceeded: nothing was queued, the same request may go again. */
export const THROTTLED = '7020';

/** The key or the service is wrong: nothing can be sent through it until the user fixes it. */
const SERVICE_REFUSALS: Readonly<Record<string, string>> = {
  '7001': 'authentication failed: the service key is wrong',
  '7002': 'the service key is missing',
  '7007': 'the service is inactive',
  '7104': 'the app id is invalid',
};

/** Our request is wrong as a whole: sending it again changes nothing. */
const REQUEST_REFUSALS: Readonly<Record<string, string>> = {
  '7000': 'the request is not valid JSON',
  '7003': 'a mandatory parameter is missing',
  '7004': 'a parameter is invalid',
  '7009': 'the request has too many destinations',
  '7022': 'the request is too large',
};

export type CodeClass =
  | { kind: 'queued' }
  | { kind: 'throttled' }
  | { kind: 'service'; meaning: string }
  | { kind: 'request'; meaning: string }
  /** Any other code: a refusal of that destination (or of the request), kept with its description. */
  | { kind: 'other' };

export function classifyCode(code: string): CodeClass {
  const c = code.trim();
  if (c === QUEUED) return { kind: 'queued' };
  if (c === THROTTLED) return { kind: 'throttled' };
  if (Object.hasOwn(SERVICE_REFUSALS, c)) return { kind: 'service', meaning: SERVICE_REFUSALS[c] as string };
  if (Object.hasOwn(REQUEST_REFUSALS, c)) return { kind: 'request', meaning: REQUEST_REFUSALS[c] as string };
  return { kind: 'other' };
}
