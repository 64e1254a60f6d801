import { randomUUID } from 'node:crypto';
import type { KeyCheck } from '../../../shared/api';
import { classifyCode } from '../../../shared/platform-codes';
import type { ResolvedService } from '../services';
import { postMessagingBody } from './messaging-api';
import { lookupSms } from './sms-api';

/**
 * Asks the platform whether it accepts a service's key, with a request that has no one to send to.
 *
 * The docs describe neither probe: which answer a good key gets is our inference from the documented codes.
 * - Messaging API v1: a message with no destination at all. A wrong key is answered 7001 (page
 *   "send-message-api-v1"); we read 7003 (mandatory parameter missing) or 7004 (invalid parameter) as the key having
 *   passed authentication and the request then failing for want of a recipient.
 * - Send SMS API: the status lookup of a message id made up here. Page "get-sms-api-v1" documents 403 with 7001 for
 *   a wrong key and 404 for a message it does not know; we read the 404 as the key having been accepted.
 */
export async function checkKey(service: ResolvedService, timeoutMs = 15_000): Promise<KeyCheck> {
  const result =
    service.view.api === 'sms'
      ? await checkSmsKey(service, timeoutMs)
      : await checkMessagingKey(service, timeoutMs);
  return withoutKey(result, service.key);
}

type Target = Pick<ResolvedService, 'baseUrl' | 'key'>;

const NO_DESTINATION = { deliverychannel: 'sms', channels: { sms: { text: 'key check' } } };
const PAST_AUTHENTICATION = new Set(['7003', '7004']);

async function checkMessagingKey(target: Target, timeoutMs: number): Promise<KeyCheck> {
  const outcome = await postMessagingBody(target, NO_DESTINATION, [{ ref: '' }], timeoutMs);
  switch (outcome.kind) {
    case 'answered': {
      const [entry] = outcome.results;
      const code = entry?.code ?? '';
      return readCode(code, entry?.description ?? '', classifyCode(code).kind === 'service');
    }
    case 'refused':
      return readCode(outcome.code, outcome.description, outcome.scope === 'service');
    case 'throttled':
      return {
        kind: 'unclear',
        answer: 'the platform is at its limit of requests per second (7020)',
        detail: null,
      };
    case 'unreachable':
      return { kind: 'unreachable', reason: outcome.reason, detail: outcome.detail };
    case 'ambiguous':
      return { kind: 'unclear', answer: outcome.reason, detail: outcome.detail };
  }
}

function readCode(code: string | null, description: string, refusesKey: boolean): KeyCheck {
  if (code !== null && PAST_AUTHENTICATION.has(code)) return { kind: 'valid' };
  if (refusesKey) return { kind: 'refused', code, description };
  return { kind: 'unclear', answer: said(code, description), detail: null };
}

async function checkSmsKey(target: Target, timeoutMs: number): Promise<KeyCheck> {
  const lookup = await lookupSms(target, randomUUID(), timeoutMs);
  switch (lookup.kind) {
    case 'not-found':
    case 'found':
      return { kind: 'valid' };
    case 'refused':
      return lookup.scope === 'service'
        ? { kind: 'refused', code: lookup.code, description: lookup.description }
        : { kind: 'unclear', answer: said(lookup.code, lookup.description), detail: null };
    case 'unreachable':
      return { kind: 'unreachable', reason: lookup.reason, detail: lookup.detail };
    case 'failed':
      return { kind: 'unclear', answer: lookup.reason, detail: lookup.detail };
  }
}

function said(code: string | null, description: string): string {
  return code ? `code ${code}${description ? `: ${description}` : ''}` : description;
}

/** Answers are shown as they came back: a service that echoes the key must not put it on screen. */
function withoutKey(result: KeyCheck, key: string): KeyCheck {
  const scrub = (text: string) => text.replaceAll(key, '••••');
  const scrubbed = (text: string | null) => (text === null ? null : scrub(text));
  switch (result.kind) {
    case 'valid':
      return result;
    case 'refused':
      return { ...result, description: scrub(result.description) };
    case 'unreachable':
      return { ...result, reason: scrub(result.reason), detail: scrubbed(result.detail) };
    case 'unclear':
      return { ...result, answer: scrub(result.answer), detail: scrubbed(result.detail) };
  }
}
