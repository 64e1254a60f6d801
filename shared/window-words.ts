import type { PlanWindow, WindowWait } from './api';
import { describeSendWindow } from './send-window';

const TIME = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** "14:00", or "Wed 02:00" when it is not on the same day as `now`, on the clock of `zone`. */
export function clockTime(iso: string, zone: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  const day = (ms: number) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'short' }).format(ms);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...TIME }).format(at);
  if (day(at) === day(now)) return time;
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short' }).format(at);
  return `${weekday} ${time}`;
}

/** "412 rows wait for 08:00 their time (America/New_York), 14:00 yours". */
export function waitWords(wait: WindowWait, yourZone: string, now: number = Date.now()): string {
  const rows = wait.rows === 1 ? '1 row waits' : `${wait.rows.toLocaleString('en-US')} rows wait`;
  const zones = wait.zones.map((zone) => zone.replace(/_/g, ' ')).join(', ');
  return `${rows} for ${wait.theirTime} their time (${zones}), ${clockTime(wait.opensAt, yourZone, now)} yours`;
}

/** What the window does to a send, in a sentence: the window and how many rows go at once. */
export function windowSummary(plan: PlanWindow, ready: number): string {
  if (plan.window === null)
    return plan.source === 'off'
      ? 'No send window: every message goes at once, whatever the hour where its recipient is.'
      : 'No send window on this service: every message goes at once, whatever the hour where its recipient is.';
  const window = `${describeSendWindow(plan.window)} on each recipient's clock`;
  const from = plan.source === 'campaign' ? "this campaign's window" : "the service's window";
  if (plan.waiting.length === 0 && ready === 1)
    return `The one row is inside ${from}, ${window}: it goes at once.`;
  if (plan.waiting.length === 0)
    return `All ${ready.toLocaleString('en-US')} rows are inside ${from}, ${window}: they go at once.`;
  return `${plan.now.toLocaleString('en-US')} of ${ready.toLocaleString('en-US')} rows go at once; the rest wait for ${from}, ${window}.`;
}
