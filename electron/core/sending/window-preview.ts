import type { WindowPreview } from '../../../shared/api';
import type { SendWindow } from '../../../shared/send-window';
import type { RowZones } from '../recipients/row-zones';
import { previewWindow, type WindowRule } from './plan-window';
import { ZoneWindows } from './zone-windows';

/**
 * One campaign's window preview, asked at each view: its zone groups' spans are kept while its zones and window
 * stay the same, so that a view costs a look at each group rather than a search of the calendar.
 */
export class WindowPreviewer {
  private windows: ZoneWindows | null = null;

  preview(
    zones: RowZones,
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

  private windowsFor(zones: RowZones, window: SendWindow): ZoneWindows {
    const kept = this.windows;
    if (kept?.zones === zones && JSON.stringify(kept.window) === JSON.stringify(window)) return kept;
    this.windows = new ZoneWindows(zones, window);
    return this.windows;
  }
}
