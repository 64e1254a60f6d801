import { networkInterfaces } from 'node:os';

export type WakeReason = 'resumed' | 'network';

export interface WakeWatchOptions {
  /** How often the clock and the network are looked at. */
  everyMs?: number;
  /** A tick this much later than due means the computer slept in between (timers stand still in sleep). */
  sleptAfterMs?: number;
  now?: () => number;
  /** What tells one network from another: by default the machine's external addresses. */
  network?: () => string;
}

/** The computer's external addresses, sorted: it changes when the computer joins another network. */
export function networkSignature(): string {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => !address.internal)
    .map((address) => `${address.family}:${address.address}`)
    .sort()
    .join(',');
}

/**
 * Notices a resume from sleep (a tick that comes far later than it was due, since the clock runs on while
 * timers stand still) and a change of network, where no shell event says so (the browser shell, the CLI).
 */
export class WakeWatch {
  private readonly everyMs: number;
  private readonly sleptAfterMs: number;
  private readonly now: () => number;
  private readonly network: () => string;
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private lastNetwork = '';

  constructor(
    private readonly onWake: (reason: WakeReason) => void,
    options: WakeWatchOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 5_000;
    this.sleptAfterMs = options.sleptAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.network = options.network ?? networkSignature;
  }

  start(): void {
    this.lastTick = this.now();
    this.lastNetwork = this.network();
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = this.now();
    const late = now - this.lastTick - this.everyMs;
    this.lastTick = now;
    const network = this.network();
    const changed = network !== this.lastNetwork;
    this.lastNetwork = network;
    if (late >= this.sleptAfterMs) this.onWake('resumed');
    else if (changed) this.onWake('network');
  }
}
