import { request } from 'undici';
import { z } from 'zod';
import type { Smartlink } from '../../../shared/api';

export interface OutgoingMessage {
  correlationid: string;
  /** E.164 with its plus sign; the API takes digits only. */
  msisdn: string;
  text: string;
  senderid: string;
  /** Every smartlink the text uses, as `{{link_<id>}}`. */
  smartlinks: readonly Smartlink[];
}

export interface DestinationResult {
  correlationid: string;
  code: string;
  description: string;
  transid: string | null;
}

export type SendOutcome =
  /** The API read the request: one entry per destination (code 1001 = queued). */
  | { kind: 'answered'; results: DestinationResult[] }
  | { kind: 'rate-limited'; retryAfterMs: number | null }
  /** Refused as a whole with a readable reason: nothing in it was queued. */
  | { kind: 'refused'; status: number; code: string; description: string; authentication: boolean }
  /** The request never reached the service (refused connection, unknown host, bad certificate). */
  | { kind: 'unreachable'; reason: string }
  /** No readable answer (timeout, reset, unreadable 5xx): some messages may have been queued. */
  | { kind: 'ambiguous'; reason: string };

const Entry = z.object({
  code: z.coerce.string(),
  description: z.coerce.string().default(''),
  transid: z.coerce.string().optional(),
  correlationid: z.coerce.string().optional(),
});
const ResponseBody = z.object({ response: z.array(Entry) });

export function messagingUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/resources/v1/messaging`;
}

export function toMessageObject(m: OutgoingMessage, notifyUrl: string) {
  return {
    deliverychannel: 'sms',
    channels: {
      sms: { text: m.text, senderid: m.senderid, type: 1 },
      ...(m.smartlinks.length > 0 && {
        smartlinks: m.smartlinks.map((l) => ({
          linkid: /^\d+$/.test(l.linkid) ? Number(l.linkid) : l.linkid,
          validity: l.validity,
        })),
      }),
    },
    destination: [{ msisdn: [m.msisdn.replace(/^\+/, '')], correlationid: m.correlationid }],
    notifyurl: notifyUrl,
  };
}

export async function postMessages(
  baseUrl: string,
  key: string,
  messages: readonly OutgoingMessage[],
  notifyUrl: string,
  timeoutMs = 30_000,
): Promise<SendOutcome> {
  let status: number;
  let text: string;
  let retryAfter: string | string[] | undefined;
  try {
    const res = await request(messagingUrl(baseUrl), {
      method: 'POST',
      headers: { key, 'content-type': 'application/json' },
      body: JSON.stringify(messages.map((m) => toMessageObject(m, notifyUrl))),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    retryAfter = res.headers['retry-after'];
    text = await res.body.text();
  } catch (error) {
    const reason = describeNetworkError(error);
    return NEVER_CONNECTED.has(errorCode(error))
      ? { kind: 'unreachable', reason }
      : { kind: 'ambiguous', reason };
  }
  if (status === 429) return { kind: 'rate-limited', retryAfterMs: parseRetryAfter(retryAfter) };
  const body = ResponseBody.safeParse(parseJson(text));
  if (status === 401 || status === 403) {
    const first = body.success ? body.data.response[0] : undefined;
    return {
      kind: 'refused',
      status,
      code: first?.code ?? String(status),
      description: first?.description ?? 'Authentication failed',
      authentication: true,
    };
  }
  if (!body.success) return { kind: 'ambiguous', reason: `HTTP ${status} with an unreadable body` };
  const entries = body.data.response;
  if (status >= 200 && status < 300) {
    return { kind: 'answered', results: matchEntries(messages, entries) };
  }
  if (status >= 400 && status < 500) {
    const first = entries[0];
    return {
      kind: 'refused',
      status,
      code: first?.code ?? String(status),
      description: first?.description ?? `HTTP ${status}`,
      authentication: false,
    };
  }
  return { kind: 'ambiguous', reason: `HTTP ${status}` };
}

/** Pairs entries with messages by correlation id, falling back to order; a message with no entry is unknown. */
function matchEntries(
  messages: readonly OutgoingMessage[],
  entries: z.infer<typeof Entry>[],
): DestinationResult[] {
  const byId = new Map(entries.filter((e) => e.correlationid).map((e) => [e.correlationid, e]));
  return messages.map((m, i) => {
    const e = byId.get(m.correlationid) ?? (byId.size === 0 ? entries[i] : undefined);
    return e
      ? {
          correlationid: m.correlationid,
          code: e.code,
          description: e.description,
          transid: e.transid ?? null,
        }
      : {
          correlationid: m.correlationid,
          code: '',
          description: 'No answer for this destination',
          transid: null,
        };
  });
}

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
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return '';
}

function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function parseRetryAfter(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
