import type { PowerStatus } from '../../../shared/api';

/** How the shell keeps the computer from sleeping (Electron's powerSaveBlocker); the browser shell has none. */
export interface SleepBlocker {
  start(): void;
  stop(): void;
}

export interface AwakeSources {
  /** Whether a campaign is being sent by this process. */
  sending(): boolean;
  /** The earliest scheduled start armed in this process (ms since the epoch), if any. */
  nextStart(): number | null;
}

/** From this long before a scheduled start, the computer is kept awake so that the start is not slept through. */
export const AWAKE_BEFORE_START_MS = 10 * 60_000;
/** setTimeout cannot wait longer than about 24.8 days at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps the computer awake while a campaign is sent, and from AWAKE_BEFORE_START_MS before a scheduled
 * start, through the shell's blocker; says whether it is needed and whether it can be done.
 */
export class KeepAwake {
  private needed = false;
  private blocker: SleepBlocker | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sources: AwakeSources,
    private readonly emit: (status: PowerStatus) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get status(): PowerStatus {
    return { needed: this.needed, canKeepAwake: this.blocker !== null };
  }

  /** The shell's way to keep the computer awake; taken at once if it is needed already. */
  useBlocker(blocker: SleepBlocker): void {
    this.blocker?.stop();
    this.blocker = blocker;
    if (this.needed) blocker.start();
    this.emit(this.status);
  }

  /** Works out again whether the computer must stay awake: after a run started or ended, or a schedule changed. */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.now();
    const next = this.sources.nextStart();
    const soon = next !== null && next - now <= AWAKE_BEFORE_START_MS;
    const needed = this.sources.sending() || soon;
    if (next !== null && !soon) {
      const wait = Math.min(next - AWAKE_BEFORE_START_MS - now, LONGEST_TIMER_MS);
      this.timer = setTimeout(() => this.refresh(), wait);
      this.timer.unref();
    }
    if (needed === this.needed) return;
    this.needed = needed;
    if (needed) this.blocker?.start();
    else this.blocker?.stop();
    this.emit(this.status);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.needed) this.blocker?.stop();
    this.needed = false;
  }
}
