import type { IncomingMessage } from '../receiver/webhook-schemas';

/** A short code or an alphanumeric sender id: a service's side of a conversation, never a customer's. */
const SERVICE_LIKE = /^(?:\d{3,8}|.*[A-Za-z].*)$/;

/**
 * Which side of a reply is the customer: the side that is not one of the service's numbers (its campaigns'
 * sender ids), else the side that is not a short code, else `oa` as in every documented sample. The platform's
 * pages disagree on what `oa` and `da` mean (page "sms-outbound-webhooks", 6.20), so each post is read on its own.
 */
export function customerSide(
  message: Pick<IncomingMessage, 'oa' | 'da'>,
  serviceNumbers: ReadonlySet<string>,
): { from: string; to: string | null } {
  const { oa, da } = message;
  const known = (side: string | null) => side !== null && serviceNumbers.has(digitsOrId(side));
  const serviceLike = (side: string | null) => side === null || known(side) || SERVICE_LIKE.test(side.trim());
  if (oa === null) return { from: da as string, to: null };
  if (da !== null && serviceLike(oa) && !serviceLike(da)) return { from: da, to: oa };
  return { from: oa, to: da };
}

/** How a sender id is compared: a number by its digits alone, a name in upper case. */
export function digitsOrId(value: string): string {
  const digits = value.replace(/[\s\-().+]/g, '');
  return /^\d+$/.test(digits) ? digits : value.trim().toUpperCase();
}
