/**
 * What the platform's SMS codes mean, from its documented tables: the answers to a send (1001 and the
 * 7000–7108 errors) and the delivery report codes (7500 delivered, 7501 submitted, 72xx failures, …).
 */
const MEANINGS: Readonly<Record<string, string>> = {
  '1001': 'Queued',
  '7000': 'Invalid JSON',
  '7003': 'Mandatory parameter missing',
  '7004': 'Invalid parameters',
  '7005': 'Request expired',
  '7006': 'Internal error (may be temporary)',
  '7009': 'Maximum number of destinations reached',
  '7020': 'Maximum transaction limit reached',
  '7022': 'JSON size exceeded',
  '7101': 'Invalid sender ID',
  '7102': 'Invalid destination address',
  '7107': 'Message length exceeded',
  '7108': 'Invalid template ID',
  '7109': 'Recipient on Do-Not-Disturb',
  '7111': 'Spam detected',
  '7201': 'Failed at operator',
  '7202': 'Failed at platform',
  '7203': 'Unknown subscriber',
  '7204': 'No credit',
  '7205': 'Binary error',
  '7206': 'SIM full',
  '7207': 'Out of coverage',
  '7208': 'Expired',
  '7209': 'Multipart message failed',
  '7210': 'Billing configuration error',
  '7211': 'Billing error at operator',
  '7280': 'Deleted',
  '7281': '10DLC campaign error',
  '7282': 'Invalid route',
  '7283': 'Landline number',
  '7284': 'Duplicate caught by the platform’s duplication guard',
  '7302': 'Rate limit exceeded',
  '7500': 'Delivered',
  '7501': 'Submitted',
  '7513': 'Unregistered device',
  '7518': 'Unknown',
  '7607': 'Invalid message type',
  '7720': 'Recipient blocked',
};

/** The documented meaning of a code; null for a code the platform's tables do not list. */
export function deliveryCodeMeaning(code: string | null): string | null {
  if (code === null) return null;
  return Object.hasOwn(MEANINGS, code.trim()) ? (MEANINGS[code.trim()] as string) : null;
}
