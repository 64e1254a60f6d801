/**
 * What a sender id may be. The platform's pages do not state a format (the Send SMS API only says "sender
 * id, short code or long code without `+`"); this is the GSM rule every network applies to the originating
 * address (3GPP TS 23.040): a name of at most 11 characters, or a number of at most 15 digits (E.164).
 * Names are held to letters A–Z and digits, the characters every network passes unchanged.
 */
const MAX_NAME = 11;
const MAX_DIGITS = 15;

/** Why `senderId` would be cut or refused by the networks, in words for the user; null when it is fine. */
export function senderIdProblem(senderId: string): string | null {
  const id = senderId.trim();
  if (id === '') return 'Enter the sender ID.';
  const digits = /^\+?(\d+)$/.exec(id)?.[1];
  if (digits !== undefined) {
    return digits.length <= MAX_DIGITS
      ? null
      : `A sender number has at most ${MAX_DIGITS} digits; "${id}" has ${digits.length}.`;
  }
  const others = [...new Set(id.replace(/[A-Za-z0-9]/g, ''))];
  if (others.length > 0) {
    const named = others.map((c) => (c === ' ' ? 'spaces' : `"${c}"`)).join(', ');
    return `A sender name may hold only letters A–Z and digits; "${id}" has ${named}. Remove them, or use a number.`;
  }
  if (id.length > MAX_NAME) {
    return `A sender name has at most ${MAX_NAME} letters and digits; "${id}" has ${id.length}. Networks cut or refuse longer names.`;
  }
  return null;
}

/** The Send SMS API's `from`: a number goes without its `+`. */
export function smsApiSender(senderId: string): string {
  return senderId.trim().replace(/^\+(?=\d+$)/, '');
}
