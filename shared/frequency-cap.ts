import type { FrequencyCap } from './api';

/** A frequency cap in words: "At most 2 messages to one number every 7 days". */
export function frequencyCapWords(cap: FrequencyCap): string {
  const messages = cap.messages === 1 ? '1 message' : `${cap.messages} messages`;
  const days = cap.days === 1 ? 'day' : `${cap.days} days`;
  return `At most ${messages} to one number every ${days}`;
}
