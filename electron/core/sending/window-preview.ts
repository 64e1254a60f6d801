import type { WindowPreview } from '../../../shared/api';
import type { SendWindow } from '../../../shared/send-window';
import type { ZoneGroups } from '../recipients/row-zones';
import { previewWindow, type WindowRule } from './plan-window';
import { ZoneWindows } from './zone-windows';

/**
 * One campaign's window preview, asked at each view: its zone groups' spans are kept while its zones and window
 * stay the same, so that a view costs a look at each group rather than a search of the calendar.
 */
export class WindowPreviewer {
  private windows: ZoneWindows | null = null;

  preview(
    zones: ZoneGroups,
    readyIn: ReadonlyMap<number, number>,
    rule: WindowRule,
    at: number,
  ): WindowPreview {
    return previewWindow(
      readyIn,
      rule,
      rule.window === null ? null : this.windowsFor(zones, rule.window),
      at,
    );
  }

  /** When a row of `group` would go if sent at `at` and has to wait (ISO); null when it would go then, or never. */
  opensAt(zones: ZoneGroups, group: number, rule: WindowRule, at: number): string | null {
    if (rule.window === null || group === 0) return null;
    const opens = this.windowsFor(zones, rule.window).opensAt(group, at);
    return opens === null || opens <= at ? null : new Date(opens).toISOString();
  }

  private windowsFor(zones: ZoneGroups, window: SendWindow): ZoneWindows {
    const kept = this.windows;
    if (kept?.zones === zones && JSON.stringify(kept.window) === JSON.stringify(window)) return kept;
    this.windows = new ZoneWindows(zones, window);
    return this.windows;
  }
}
