/**
 * A scheduled start this late (the computer slept through it, or the app was closed) is not made by itself:
 * the user chooses to send now, skip it or pick a new time. Within it, a start woken a little late still goes.
 */
export const MISSED_AFTER_MS = 2 * 60_000;

export function isStartMissed(startAt: string, now: number = Date.now()): boolean {
  return now - Date.parse(startAt) > MISSED_AFTER_MS;
}
