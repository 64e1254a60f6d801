import type { CampaignDefinition } from '../campaigns/definition';
import type { ZoneGroups } from '../recipients/row-zones';
import type { PlanWindow, ServiceView, WindowWait } from '../../../shared/api';
import { describeSendWindow, type SendWindow } from '../../../shared/send-window';
import { DeskError } from '../errors';
import { wallClockAt } from './send-window';
import { ZoneWindows } from './zone-windows';

/** The window a campaign is sent under: its own, none, or its service's. */
export function effectiveWindow(
  def: Pick<CampaignDefinition, 'sendWindow'>,
  service: Pick<ServiceView, 'sendWindow'>,
): { window: SendWindow | null; source: PlanWindow['source'] } {
  switch (def.sendWindow.mode) {
    case 'off':
      return { window: null, source: 'off' };
    case 'own':
      return { window: def.sendWindow.window, source: 'campaign' };
    case 'service':
      return { window: service.sendWindow, source: 'service' };
  }
}

const ZONES_SHOWN = 4;

/**
 * Which of the ready rows (counted per zone group in `readyIn`) go as soon as sending starts at `at`, and which
 * wait, until when. Refuses a plan where rows could never be sent: zones whose windows never meet.
 */
export function planWindow(
  zones: ZoneGroups,
  readyIn: ReadonlyMap<number, number>,
  rule: { window: SendWindow | null; source: PlanWindow['source'] },
  at: number,
): PlanWindow {
  const ready = [...readyIn.values()].reduce((sum, n) => sum + n, 0);
  const zoneUnknown = readyIn.get(0) ?? 0;
  if (rule.window === null) return { ...rule, now: ready, waiting: [], lastOpensAt: null, zoneUnknown };
  const windows = new ZoneWindows(zones, rule.window);
  const waits = new Map<string, WindowWait>();
  const never: { rows: number; zones: string[] } = { rows: 0, zones: [] };
  let waitingRows = 0;
  for (const [group, rows] of readyIn) {
    const opens = windows.opensAt(group, at);
    const groupZones = zones.group(group).zones;
    if (opens === null) {
      never.rows += rows;
      never.zones.push(...groupZones.filter((z) => !never.zones.includes(z)));
      continue;
    }
    if (opens <= at) continue;
    waitingRows += rows;
    const theirTime = wallClockAt(opens, groupZones[0] as string);
    const key = `${opens} ${theirTime}`;
    const wait = waits.get(key) ?? { rows: 0, opensAt: new Date(opens).toISOString(), theirTime, zones: [] };
    wait.rows += rows;
    for (const zone of groupZones)
      if (wait.zones.length < ZONES_SHOWN && !wait.zones.includes(zone)) wait.zones.push(zone);
    waits.set(key, wait);
  }
  if (never.rows > 0) throw neverOpens(never, rule.window);
  const waiting = [...waits.values()].sort((a, b) => a.opensAt.localeCompare(b.opensAt));
  return {
    ...rule,
    now: ready - waitingRows,
    waiting,
    lastOpensAt: waiting.at(-1)?.opensAt ?? null,
    zoneUnknown,
  };
}

function neverOpens(never: { rows: number; zones: string[] }, window: SendWindow): DeskError {
  const shown = never.zones.slice(0, 3).join(', ') + (never.zones.length > 3 ? ', …' : '');
  return new DeskError(
    'no-send-window',
    `${never.rows} ${never.rows === 1 ? 'row' : 'rows'} could never be sent within ${describeSendWindow(window)}: ` +
      `${never.rows === 1 ? 'its number' : 'their numbers'} may be in any of several time zones (${shown}) whose ` +
      'windows never overlap. Give those rows a time-zone column in the file, or widen the window.',
  );
}
