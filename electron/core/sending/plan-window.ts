import type { CampaignDefinition } from '../campaigns/definition';
import type { ZoneGroups } from '../recipients/row-zones';
import type { PlanWindow, ServiceView, WindowPreview, WindowWait } from '../../../shared/api';
import { describeSendWindow, type SendWindow } from '../../../shared/send-window';
import { DeskError } from '../errors';
import { wallClockAt } from './send-window';
import { ZoneWindows } from './zone-windows';

/** The window a campaign is sent under: its own, none, or its service's. */
export function effectiveWindow(
  def: Pick<CampaignDefinition, 'sendWindow'>,
  service: Pick<ServiceView, 'sendWindow'>,
): WindowRule {
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

export type WindowRule = { window: SendWindow | null; source: PlanWindow['source'] };

/** Rows whose window never opens in all of their zones at once, and those zones. */
interface NeverRows {
  rows: number;
  zones: string[];
}

/**
 * Which of the ready rows (counted per zone group in `readyIn`) go as soon as sending starts at `at`, and which
 * wait, until when. Refuses a plan where rows could never be sent: zones whose windows never meet.
 */
export function planWindow(
  zones: ZoneGroups,
  readyIn: ReadonlyMap<number, number>,
  rule: WindowRule,
  at: number,
): PlanWindow {
  const windows = rule.window === null ? null : new ZoneWindows(zones, rule.window);
  const { plan, never } = shapeWindow(readyIn, rule, windows, at);
  if (never.rows > 0) throw neverOpens(never, rule.window as SendWindow);
  return plan;
}

/**
 * What `planWindow` will say if the campaign is sent at `at`, with the rows it would refuse said rather than
 * refused, and when that changes next. `windows`: the rule's window over the campaign's zones, kept by the caller
 * (its spans are remembered); null when the rule has none.
 */
export function previewWindow(
  readyIn: ReadonlyMap<number, number>,
  rule: WindowRule,
  windows: ZoneWindows | null,
  at: number,
): WindowPreview {
  const { plan, never } = shapeWindow(readyIn, rule, windows, at);
  let changesAt = Infinity;
  if (windows !== null) {
    for (const group of readyIn.keys()) {
      const span = windows.span(group, at);
      if (span !== null) changesAt = Math.min(changesAt, span.from > at ? span.from : span.to);
    }
  }
  return {
    ...plan,
    now: plan.now - never.rows,
    at: new Date(at).toISOString(),
    changesAt: changesAt === Infinity ? null : new Date(changesAt).toISOString(),
    never:
      never.rows > 0
        ? { rows: never.rows, words: neverOpens(never, rule.window as SendWindow).message }
        : null,
  };
}

function shapeWindow(
  readyIn: ReadonlyMap<number, number>,
  rule: WindowRule,
  windows: ZoneWindows | null,
  at: number,
): { plan: PlanWindow; never: NeverRows } {
  const ready = [...readyIn.values()].reduce((sum, n) => sum + n, 0);
  const zoneUnknown = readyIn.get(0) ?? 0;
  const never: NeverRows = { rows: 0, zones: [] };
  if (windows === null)
    return { plan: { ...rule, now: ready, waiting: [], lastOpensAt: null, zoneUnknown }, never };
  // Every zone of each wait, kept until the few shown are chosen: alphabetically, so that whatever order the
  // groups come in (the plan counts them in row order), the same zones are named.
  const waits = new Map<string, { wait: WindowWait; zones: Set<string> }>();
  let waitingRows = 0;
  for (const [group, rows] of readyIn) {
    // Group 0 (no zone known) is always open: only groups with zones get this far.
    const opens = windows.opensAt(group, at);
    if (opens !== null && opens <= at) continue;
    const groupZones = windows.zones.group(group).zones;
    if (opens === null) {
      never.rows += rows;
      never.zones.push(...groupZones.filter((z) => !never.zones.includes(z)));
      continue;
    }
    waitingRows += rows;
    const theirTime = wallClockAt(opens, groupZones[0] as string);
    const key = `${opens} ${theirTime}`;
    const found = waits.get(key) ?? {
      wait: { rows: 0, opensAt: new Date(opens).toISOString(), theirTime, zones: [] },
      zones: new Set<string>(),
    };
    found.wait.rows += rows;
    for (const zone of groupZones) found.zones.add(zone);
    waits.set(key, found);
  }
  const waiting = [...waits.values()]
    .map(({ wait, zones }) => ({ ...wait, zones: [...zones].sort().slice(0, ZONES_SHOWN) }))
    .sort(
      (a, b) =>
        a.opensAt.localeCompare(b.opensAt) ||
        a.theirTime.localeCompare(b.theirTime) ||
        a.zones.join().localeCompare(b.zones.join()),
    );
  const plan = {
    ...rule,
    now: ready - waitingRows,
    waiting,
    lastOpensAt: waiting.at(-1)?.opensAt ?? null,
    zoneUnknown,
  };
  return { plan, never };
}

function neverOpens(never: { rows: number; zones: string[] }, window: SendWindow): DeskError {
  const shown = [...never.zones].sort().slice(0, 3).join(', ') + (never.zones.length > 3 ? ', …' : '');
  return new DeskError(
    'no-send-window',
    `${never.rows} ${never.rows === 1 ? 'row' : 'rows'} could never be sent within ${describeSendWindow(window)}: ` +
      `${never.rows === 1 ? 'its number' : 'their numbers'} may be in any of several time zones (${shown}) whose ` +
      'windows never overlap. Give those rows a time-zone column in the file, or widen the window.',
  );
}
