import { request } from 'undici';
import { z } from 'zod';
import { classifyCode, QUEUED } from '../../../shared/platform-codes';
import { httpFailure, parseJson, parseRetryAfter, unreadableAnswer } from './http-failure';
import type { OutgoingMessage, PlatformClient, PlatformRequest, SendOutcome } from './platform-client';
import { smsApiSender } from '../../../shared/sender-id';

/**
 * The Send SMS API v1 (page "send-sms-api-v1"): one message a request, retried safely with an `Idempotency-Key`,
 * and a status lookup (page "get-sms-api-v1", in beta).
 *
 * The service key goes in `Authorization` as it is: page "get-sms-api-v1" says that header carries "either a JWT
 * signed by a secret key or the service key", and page "authentication-2" gives no other form for this API (the
 * official SDK sends `Bearer <JWT>`).
 */
export const SMS_PATH = '/v1/sms/messages';

export interface SmsTarget {
  baseUrl: string;
  key: string;
}

export function smsUrl(baseUrl: string, messageId?: string): string {
  const base = `${baseUrl.replace(/\/+$/, '')}${SMS_PATH}`;
  return messageId === undefined ? base : `${base}/${encodeURIComponent(messageId)}`;
}

/**
 * The request body for one message; `to` in E.164 with its plus, `from` the sender id, a number without its plus as
 * the page asks. Of the request
 * options the page documents `expireAt` and `dltTemplateId`. It documents no priority, so none is sent. Nor does it
 * name a field for a platform template's id: `content` is mandatory "if template is not provided", `substitutions`
 * fills "dynamic fields in an SMS template", and `contentType` takes only 'text' and 'unicode'. Rather than guess a
 * field, a campaign with a template is refused on this API before anything is sent (see send-problem.ts).
 */
export function toSmsRequest(m: OutgoingMessage, callbackUrl: string) {
  const { expiry, dltTemplateId } = m.options;
  return {
    from: smsApiSender(m.senderid),
    to: m.msisdn,
    content: m.text,
    contentType: m.encoding === 'UCS-2' ? 'unicode' : 'text',
    correlationId: m.ref,
    callbackData: m.ref,
    callbackUrl,
    ...(expiry !== undefined && { expireAt: expiry }),
    ...(dltTemplateId !== undefined && { dltTemplateId }),
  };
}

/** The request that sends one message, with its Idempotency-Key. */
export function smsRequest(
  target: SmsTarget,
  message: OutgoingMessage,
  callbackUrl: string,
): PlatformRequest {
  return {
    method: 'POST',
    url: smsUrl(target.baseUrl),
    headers: {
      authorization: target.key,
      'content-type': 'application/json',
      'idempotency-key': message.idempotencyKey,
    },
    body: toSmsRequest(message, callbackUrl),
  };
}

const Accepted = z.object({
  messageId: z.coerce.string().min(1),
  acceptedTime: z.coerce.string().optional(),
});
const Refusal = z.object({ code: z.coerce.string(), message: z.coerce.string().default('') });

export async function postSms(
  target: SmsTarget,
  message: OutgoingMessage,
  callbackUrl: string,
  timeoutMs = 30_000,
): Promise<SendOutcome> {
  const { url, method, headers, body } = smsRequest(target, message, callbackUrl);
  try {
    const res = await request(url, {
      method,
      headers,
      body: JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    return readSmsAnswer(res.statusCode, text, res.headers['retry-after']);
  } catch (error) {
    return httpFailure(error, url);
  }
}

/**
 * 202 with `messageId` is accepted; errors come as `{code, message}` (400 7004, 403 7001 on the page). What a repeated
 * Idempotency-Key gets is not documented: a 409 is read as "already accepted", and the row is then settled by its
 * reports or the status lookup. How this API answers its throttle is not documented either: any answer whose code is
 * 7020, or an HTTP 429, is read as the throttle.
 */
export function readSmsAnswer(
  status: number,
  text: string,
  retryAfter: string | string[] | undefined,
): SendOutcome {
  const body = parseJson(text);
  const accepted = Accepted.safeParse(body);
  // The documented 202 is acceptance even without a readable messageId: the row is then settled by its reports.
  if (status === 202 || (status >= 200 && status < 300 && accepted.success)) {
    return {
      kind: 'answered',
      results: [{ code: QUEUED, description: 'Accepted', transid: accepted.data?.messageId ?? null }],
    };
  }
  if (status === 409) {
    return {
      kind: 'answered',
      results: [
        {
          code: QUEUED,
          description: 'Accepted earlier (same Idempotency-Key)',
          transid: accepted.data?.messageId ?? null,
        },
      ],
    };
  }
  const refusal = Refusal.safeParse(body);
  // A 5xx may have been taken whatever its body says: it goes again with the same key.
  if (refusal.success && status < 500) {
    const { code, message } = refusal.data;
    const kind = classifyCode(code).kind;
    if (kind === 'throttled') return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter) };
    if (kind === 'service' || kind === 'request')
      return { kind: 'refused', scope: kind, code, description: message };
    return { kind: 'answered', results: [{ code, description: message, transid: null }] };
  }
  return unreadableAnswer(status, retryAfter);
}

/** What the status lookup says of one message; `status` as the platform spells it (DELIVERED, FAILED, …). */
export type LookupOutcome =
  | { kind: 'found'; status: string; statusTime: string | null; raw: unknown }
  /** 404: the platform does not know the message (yet, or any more). */
  | { kind: 'not-found' }
  /** Refused as a send would be (a wrong key gets 403 with 7001 on page "get-sms-api-v1"). */
  | Extract<SendOutcome, { kind: 'refused' }>
  | { kind: 'unreachable'; reason: string; detail: string | null }
  /** No answer, or one that is neither a status nor a refusal. */
  | { kind: 'failed'; reason: string; detail: string | null };

const StatusAnswer = z.object({ status: z.coerce.string().min(1), statusTime: z.coerce.string().optional() });

export async function lookupSms(
  target: SmsTarget,
  messageId: string,
  timeoutMs = 15_000,
): Promise<LookupOutcome> {
  const url = smsUrl(target.baseUrl, messageId);
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { authorization: target.key },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode === 404) return { kind: 'not-found' };
    const raw = parseJson(text);
    const found = StatusAnswer.safeParse(raw);
    if (res.statusCode === 200 && found.success)
      return { kind: 'found', status: found.data.status, statusTime: found.data.statusTime ?? null, raw };
    const answer = readSmsAnswer(res.statusCode, text, res.headers['retry-after']);
    if (answer.kind === 'refused') return answer;
    const refusal = Refusal.safeParse(raw);
    return {
      kind: 'failed',
      reason: refusal.success
        ? `code ${refusal.data.code}: ${refusal.data.message}`
        : `HTTP ${res.statusCode}`,
      detail: null,
    };
  } catch (error) {
    const failure = httpFailure(error, url);
    return failure.kind === 'unreachable'
      ? failure
      : { kind: 'failed', reason: failure.reason, detail: failure.detail };
  }
}

export function smsClient(target: SmsTarget, timeoutMs?: number): PlatformClient {
  return {
    perRequest: 1,
    idempotent: true,
    request: (messages, notifyUrl) => smsRequest(target, onlyMessage(messages), notifyUrl),
    send: (messages, notifyUrl) => postSms(target, onlyMessage(messages), notifyUrl, timeoutMs),
  };
}

function onlyMessage(messages: readonly OutgoingMessage[]): OutgoingMessage {
  const [message] = messages;
  if (!message || messages.length > 1) throw new Error('the Send SMS API sends one message a request');
  return message;
}
