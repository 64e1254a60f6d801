/**
 * Options sent with every message of a campaign besides its text: an expiry, a priority, a platform template with
 * its parameters and India's DLT template id. Which API takes which is decided where each API's body is built.
 */
export const PRIORITIES = [1, 2, 3] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { 1: 'low', 2: 'medium', 3: 'high' };

/** Whether an expiry has passed, so that the platform would no longer deliver a message sent now. */
export function expiryPassed(expiry: string, now = Date.now()): boolean {
  return Date.parse(expiry) <= now;
}
