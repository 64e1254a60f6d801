import { request } from 'undici';
import { z } from 'zod';
import { classifyCode } from '../../../shared/platform-codes';
import { httpFailure, parseJson, parseRetryAfter, unreadableAnswer } from './http-failure';
import type {
  DestinationResult,
  OutgoingMessage,
  PlatformClient,
  PlatformRequest,
  SendOutcome,
} from './platform-client';

/** Messaging API v1 (page "send-message-api-v1"): batches of up to 1000 destinations, key in the `key` header. */
export const MESSAGING_PATH = '/resources/v1/messaging';
/** At most this many destinations per request, and at most the tenant's TPS. */
export const MAX_DESTINATIONS = 1000;

export interface MessagingTarget {
  baseUrl: string;
  key: string;
  /** Destinations go out as `+44…` (tenants with "+E.164 format" on require it) or as `44…`. */
  numbersWithPlus: boolean;
}

export function messagingUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${MESSAGING_PATH}`;
}

/**
 * The message object for one destination; the text's encoding decides `type` ("4" Unicode, "1" GSM-7 text). The
 * request options go where docs.imiconnect.com "sms" (Messaging API v1) puts them, each only when set.
 */
export function toMessageObject(m: OutgoingMessage, notifyUrl: string, numbersWithPlus: boolean) {
  const { expiry, priority, template, dltTemplateId } = m.options;
  return {
    deliverychannel: 'sms',
    channels: {
      sms: {
        text: m.text,
        senderid: m.senderid,
        type: m.encoding === 'UCS-2' ? '4' : '1',
        // Unverified: the 6.20 pages name `extras.dlt_templateid`, but no documented sample shows it in a request.
        ...(dltTemplateId !== undefined && { extras: { dlt_templateid: dltTemplateId } }),
      },
      ...(m.smartlinks.length > 0 && {
        smartlinks: m.smartlinks.map((l) => ({
          linkid: /^\d+$/.test(l.linkid) ? Number(l.linkid) : l.linkid,
          validity: l.validityMinutes,
        })),
      }),
    },
    destination: [
      { msisdn: [numbersWithPlus ? m.msisdn : m.msisdn.replace(/^\+/, '')], correlationid: m.ref },
    ],
    callbackData: m.ref,
    notifyurl: notifyUrl,
    ...(expiry !== undefined && { expiry }),
    // A string on the page, as `type` is.
    ...(priority !== undefined && { priority: String(priority) }),
    ...(template !== undefined && {
      message: {
        template: template.id,
        ...(Object.keys(template.parameters).length > 0 && { parameters: template.parameters }),
      },
    }),
  };
}

/** The service key goes in `key` (`Authorization` takes a JWT, page "send-message-api-v1"). */
function messagingHeaders(key: string): Record<string, string> {
  return { key, 'content-type': 'application/json' };
}

/** The request that sends `messages`, one message object each. */
export function messagingRequest(
  target: MessagingTarget,
  messages: readonly OutgoingMessage[],
  notifyUrl: string,
): PlatformRequest {
  return {
    method: 'POST',
    url: messagingUrl(target.baseUrl),
    headers: messagingHeaders(target.key),
    body: messages.map((m) => toMessageObject(m, notifyUrl, target.numbersWithPlus)),
  };
}

export function postMessages(
  target: MessagingTarget,
  messages: readonly OutgoingMessage[],
  notifyUrl: string,
  timeoutMs = 30_000,
): Promise<SendOutcome> {
  return postMessagingBody(target, messagingRequest(target, messages, notifyUrl).body, messages, timeoutMs);
}

/** POSTs `body` with the service key and reads the answer as one for `messages`. */
export async function postMessagingBody(
  target: Pick<MessagingTarget, 'baseUrl' | 'key'>,
  body: unknown,
  messages: readonly Pick<OutgoingMessage, 'ref'>[],
  timeoutMs: number,
): Promise<SendOutcome> {
  const url = messagingUrl(target.baseUrl);
  try {
    const res = await request(url, {
      method: 'POST',
      headers: messagingHeaders(target.key),
      body: JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    return readMessagingAnswer(res.statusCode, text, res.headers['retry-after'], messages);
  } catch (error) {
    return httpFailure(error, url);
  }
}

const Entry = z.object({
  code: z.coerce.string(),
  description: z.coerce.string().default(''),
  transid: z.coerce.string().optional(),
  correlationid: z.coerce.string().optional(),
});
type Entry = z.infer<typeof Entry>;

/**
 * Reads an answer as the platform gives it (page "send-message-api-v1", §4 of imiconnect-api.md): `response` is an
 * array of per-destination entries, or a single object when the request as a whole was refused, and either can
 * come with any HTTP status (errors come as HTTP 200 objects).
 */
export function readMessagingAnswer(
  status: number,
  text: string,
  retryAfter: string | string[] | undefined,
  messages: readonly Pick<OutgoingMessage, 'ref'>[],
): SendOutcome {
  const body = parseJson(text);
  const response = isObject(body) ? body['response'] : undefined;
  if (Array.isArray(response)) {
    const entries = response.map((raw) => Entry.safeParse(raw).data ?? null);
    if (status === 429) return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter) };
    return { kind: 'answered', results: matchEntries(messages, entries) };
  }
  const entry = Entry.safeParse(response);
  if (entry.success) return readObjectAnswer(entry.data, retryAfter, messages.length);
  return unreadableAnswer(status, retryAfter);
}

function readObjectAnswer(
  entry: Entry,
  retryAfter: string | string[] | undefined,
  count: number,
): SendOutcome {
  const code = classifyCode(entry.code);
  const result: DestinationResult = {
    code: entry.code,
    description: entry.description,
    transid: entry.transid || null,
  };
  switch (code.kind) {
    case 'throttled':
      return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter) };
    case 'service':
    case 'request':
      return { kind: 'refused', scope: code.kind, code: entry.code, description: entry.description };
    case 'queued':
    case 'other':
      // For a single destination an object is its own answer; for a batch it cannot say which one it means.
      return count === 1
        ? { kind: 'answered', results: [result] }
        : code.kind === 'other'
          ? { kind: 'refused', scope: 'other', code: entry.code, description: entry.description }
          : { kind: 'ambiguous', reason: `one answer (${entry.code}) for ${count} messages`, detail: null };
  }
}

/**
 * Entries come in request order (page "api-faqs"), with `correlationid` often empty: an entry naming a correlation
 * id answers for that message, an entry without one answers for the message at its place when every message has
 * exactly one entry. A message left without an entry gets code '' (no answer).
 */
function matchEntries(
  messages: readonly Pick<OutgoingMessage, 'ref'>[],
  entries: (Entry | null)[],
): DestinationResult[] {
  const byId = new Map<string, Entry>();
  for (const e of entries) if (e?.correlationid) byId.set(e.correlationid, e);
  const inOrder = entries.length === messages.length;
  return messages.map((m, i) => {
    const at = entries[i];
    const e = byId.get(m.ref) ?? (inOrder && at && !at.correlationid ? at : undefined);
    return e
      ? { code: e.code, description: e.description, transid: e.transid || null }
      : { code: '', description: 'No answer for this destination', transid: null };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function messagingClient(target: MessagingTarget, timeoutMs?: number): PlatformClient {
  return {
    perRequest: MAX_DESTINATIONS,
    idempotent: false,
    request: (messages, notifyUrl) => messagingRequest(target, messages, notifyUrl),
    send: (messages, notifyUrl) => postMessages(target, messages, notifyUrl, timeoutMs),
  };
}
