import type { SendApi } from './api';

export interface TextLimit {
  api: SendApi;
  /** The API's name as said mid-sentence. */
  name: string;
  /** The most characters one message may have. */
  max: number;
}

/**
 * The longest text each send API takes: Messaging API v1's `text` (page "send-message-api-v1") and the
 * Send SMS API's `content`, which the platform recommends keeping under about 450.
 */
export const TEXT_LIMITS: { readonly [A in SendApi]: TextLimit & { api: A } } = {
  messaging: { api: 'messaging', name: 'Messaging API v1', max: 1024 },
  sms: { api: 'sms', name: 'the Send SMS API', max: 4000 },
};

/**
 * The characters of a text as the limit counts them. The docs say "characters" and no more: we count code
 * points (an emoji is one), and a smartlink as the `{{link_<id>}}` written in the text, since that is what
 * the request carries; whether the platform checks the length before or after putting its short link in
 * is not documented.
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) continue;
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}

/** E.g. "1,100 characters; Messaging API v1 takes at most 1,024". */
export function describeLength(characters: number, limit: TextLimit): string {
  return `${characters.toLocaleString('en')} characters; ${limit.name} takes at most ${limit.max.toLocaleString('en')}`;
}
