/**
 * Closes open campaigns nobody used for a while, so that memory holds the campaigns in use rather than every
 * campaign ever opened. A campaign is used when anything asks for it (the app showing it, a report or a reply
 * for it); one being sent, scheduled or in the middle of a change is never closed. A closed campaign is opened
 * again, from its files, by whatever next asks for it.
 */

/** A campaign nobody asked for this long is closed: long enough that a campaign in use is rarely read again. */
export const DEFAULT_IDLE_MS = 10 * 60_000;
const MAX_CHECK_EVERY_MS = 60_000;

export interface EvictionHost {
  /** The open campaigns' ids. */
  openIds(): Iterable<string>;
  /** Whether the campaign must stay open now (being sent, scheduled, changing). */
  isBusy(id: string): boolean;
  /** Closes the campaign and drops it from memory. */
  evict(id: string): void;
}

export class IdleEviction {
  private readonly lastUsed = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly host: EvictionHost,
    private readonly idleMs = DEFAULT_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(10, Math.min(idleMs, MAX_CHECK_EVERY_MS)));
    this.timer.unref();
  }

  /** The campaign was asked for. */
  touch(id: string): void {
    this.lastUsed.set(id, this.now());
  }

  forget(id: string): void {
    this.lastUsed.delete(id);
  }

  /** Closes every open campaign idle for longer than the idle time; returns their ids. */
  sweep(): string[] {
    const closed: string[] = [];
    const cutoff = this.now() - this.idleMs;
    for (const id of [...this.host.openIds()]) {
      if ((this.lastUsed.get(id) ?? -Infinity) > cutoff || this.host.isBusy(id)) continue;
      this.lastUsed.delete(id);
      this.host.evict(id);
      closed.push(id);
    }
    return closed;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
