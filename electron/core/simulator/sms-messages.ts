import { z } from 'zod';
import { characterCount, TEXT_LIMITS } from '../../../shared/text-limits';
import type { DeliveryOutcome } from './dr-scheduler.js';
import type { ReceivedOptions } from './message-schema.js';

/** Send SMS API refusals as page "send-sms-api-v1" prints them: `{code, message}` with an HTTP status. */
export const SMS_ERRORS = {
  invalidKey: { status: 403, code: '7001', message: 'Authentication failed.' },
  invalidJson: { status: 400, code: '7000', message: 'Invalid JSON' },
  mandatoryMissing: { status: 400, code: '7003', message: 'Mandatory parameter missing' },
  // The page's own sample, double space and all.
  invalidContentType: { status: 400, code: '7004', message: 'Invalid parameter -  : contentType' },
  invalidTo: { status: 400, code: '7004', message: 'Invalid parameter -  : to' },
  invalidExpireAt: { status: 400, code: '7004', message: 'Invalid parameter -  : expireAt' },
  tooLong: { status: 400, code: '7107', message: 'Message length exceeded' },
  // Not documented for this API: our inference, HTTP 429 with the Messaging API's 7020.
  throttled: { status: 429, code: '7020', message: 'You have reached maximum transaction limit' },
} as const;
export type SmsError = (typeof SMS_ERRORS)[keyof typeof SMS_ERRORS];

const SmsRequest = z.looseObject({
  from: z.string().min(1),
  to: z.string().min(1),
  content: z.string(),
  contentType: z.string().optional(),
  correlationId: z.string().max(50).optional(),
  callbackData: z.string().max(2000).optional(),
  callbackUrl: z.string().optional(),
  expireAt: z.string().optional(),
  dltTemplateId: z.string().optional(),
});
export type SmsRequest = z.infer<typeof SmsRequest>;

/** The request as the platform would read it, or the documented refusal. */
export function checkSmsRequest(
  value: unknown,
): { ok: true; request: SmsRequest } | { ok: false; error: SmsError } {
  const parsed = SmsRequest.safeParse(value);
  if (!parsed.success) return { ok: false, error: SMS_ERRORS.mandatoryMissing };
  const request = parsed.data;
  if (!['text', 'unicode', undefined].includes(request.contentType))
    return { ok: false, error: SMS_ERRORS.invalidContentType };
  if (!/^\+\d{6,15}$/.test(request.to)) return { ok: false, error: SMS_ERRORS.invalidTo };
  // The page's sample leaves optional fields "" (unset); any other expireAt must be a time.
  if (request.expireAt && Number.isNaN(Date.parse(request.expireAt)))
    return { ok: false, error: SMS_ERRORS.invalidExpireAt };
  if (characterCount(request.content) > TEXT_LIMITS.sms.max) return { ok: false, error: SMS_ERRORS.tooLong };
  return { ok: true, request };
}

/** The request options it came with: `expireAt` and `dltTemplateId`, those left "" taken as unset. */
export function smsOptions(request: SmsRequest): ReceivedOptions {
  return {
    ...(request.expireAt && { expiry: request.expireAt }),
    ...(request.dltTemplateId && { dltTemplateId: request.dltTemplateId }),
  };
}

/** How the status lookup spells a status: DELIVERED and FAILED are documented; the others are our inference. */
const LOOKUP_STATUS: Record<DeliveryOutcome['deliveryStatus'], string> = {
  Submitted: 'SUBMITTED',
  Delivered: 'DELIVERED',
  'Un-Delivered': 'UNDELIVERED',
  Failed: 'FAILED',
};

interface Tracked {
  acceptedTime: string;
  statusTime: string;
  correlationId: string;
  from: string;
  to: string;
  contentType: string;
  content: string;
  status: string;
}

/**
 * The messages the Send SMS API took, by messageId (for the status lookup) and by Idempotency-Key (a repeat gets the
 * first answer and is not sent again), the oldest forgotten first beyond `capacity` or after `keyTtlMs`.
 */
export class SmsMessages {
  private readonly byId = new Map<string, Tracked>();
  private readonly byKey = new Map<string, { at: number; answer: Record<string, string> }>();

  constructor(
    private readonly capacity = 100_000,
    private readonly keyTtlMs = 60 * 60_000,
  ) {}

  answerFor(key: string | undefined): Record<string, string> | undefined {
    if (key === undefined) return undefined;
    const found = this.byKey.get(key);
    if (found && Date.now() - found.at <= this.keyTtlMs) return found.answer;
    if (found) this.byKey.delete(key);
    return undefined;
  }

  accept(messageId: string, key: string | undefined, request: SmsRequest): Record<string, string> {
    const acceptedTime = new Date().toISOString();
    const answer = { acceptedTime, messageId, correlationId: request.correlationId ?? '' };
    if (key !== undefined) remember(this.byKey, key, { at: Date.now(), answer }, this.capacity);
    remember(
      this.byId,
      messageId,
      {
        acceptedTime,
        statusTime: acceptedTime,
        correlationId: request.correlationId ?? '',
        from: request.from,
        to: request.to,
        contentType: request.contentType ?? 'text',
        content: request.content,
        status: 'ACCEPTED',
      },
      this.capacity,
    );
    return answer;
  }

  /** A status reached; a final one is never undone by a late 'Submitted'. */
  reached(messageId: string, outcome: DeliveryOutcome): void {
    const tracked = this.byId.get(messageId);
    if (!tracked || (tracked.status !== 'ACCEPTED' && tracked.status !== 'SUBMITTED')) return;
    tracked.status = LOOKUP_STATUS[outcome.deliveryStatus];
    tracked.statusTime = new Date().toISOString();
  }

  lookup(messageId: string): (Tracked & { messageId: string }) | undefined {
    const tracked = this.byId.get(messageId);
    return tracked && { ...tracked, messageId };
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.set(key, value);
  if (map.size > capacity) map.delete(map.keys().next().value as string);
}
