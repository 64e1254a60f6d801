import { powerMonitor, powerSaveBlocker } from 'electron';
import type { Desk } from './core/desk';

/**
 * Keeps the computer awake while the desk needs it (powerSaveBlocker lets the screen sleep, not the system),
 * and tells the desk when the system resumes, so that tunnels and schedules are looked at again at once.
 */
export function keepAwakeWithElectron(desk: Desk): void {
  let blocker: number | null = null;
  desk.keepAwake.useBlocker({
    start() {
      blocker ??= powerSaveBlocker.start('prevent-app-suspension');
    },
    stop() {
      if (blocker !== null) powerSaveBlocker.stop(blocker);
      blocker = null;
    },
  });
  powerMonitor.on('resume', () => desk.wake());
}
