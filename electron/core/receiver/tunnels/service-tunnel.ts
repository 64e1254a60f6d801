import type { TunnelKind, TunnelStatus } from '../../../../shared/api';
import { DeskError } from '../../errors';
import { probeReceiver } from './probe';
import type { OpenTunnel, TunnelProvider } from './tunnel';

/** What every service's tunnel shares: the local receiver, and where status changes go. */
export interface TunnelEnv {
  /** The local receiver's root, secret path included: `http://127.0.0.1:<port>/<secret>`. */
  receiverUrl: string;
  probeNonce: string;
  /** How often an open tunnel is probed again. */
  probeEveryMs: number;
  emit(status: TunnelStatus): void;
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** The URLs the platform posts to for a service, through `root` (the receiver's root, secret included). */
export function receiverUrls(root: string, serviceId: string): Pick<TunnelStatus, 'drUrl' | 'moUrl'> {
  return { drUrl: `${root}/dr`, moUrl: `${root}/mo/${serviceId}` };
}

/**
 * One service's tunnel: opens it, probes it through its public URL, and when it drops (or stops
 * answering after it did) opens it again, waiting longer after each failure, up to RETRY_MAX_MS.
 */
export class ServiceTunnel {
  private current: TunnelStatus;
  private tunnel: OpenTunnel | null = null;
  /** Bumped by every new attempt and by close(): callbacks of older attempts are ignored. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private readonly local: Pick<TunnelStatus, 'drUrl' | 'moUrl'>;
  private readonly secretPath: string;

  constructor(
    serviceId: string,
    kind: Exclude<TunnelKind, 'none'>,
    private readonly provider: TunnelProvider,
    private readonly env: TunnelEnv,
    /** Whether a tunnel that stops answering is opened again (not for a URL the user set up). */
    private readonly redialWhenUnreachable: boolean,
  ) {
    this.local = receiverUrls(env.receiverUrl, serviceId);
    this.secretPath = new URL(env.receiverUrl).pathname;
    this.current = {
      serviceId,
      kind,
      state: 'off',
      publicUrl: null,
      reachable: null,
      checkedAt: null,
      error: null,
      errorDetail: null,
      ...this.local,
    };
  }

  get status(): TunnelStatus {
    return this.current;
  }

  start(): Promise<void> {
    return this.dial('connecting');
  }

  /** Closes the tunnel and opens it again; resolves once the attempt succeeded (and was probed) or failed. */
  async reconnect(): Promise<TunnelStatus> {
    await this.takeDown();
    this.failures = 0;
    await this.dial('reconnecting');
    return this.current;
  }

  /** Probes the open tunnel now, or dials now a failed one waiting to try again; an attempt under way goes on. */
  checkNow(): void {
    const { state } = this.current;
    if (state === 'open') {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.probe(this.generation);
    } else if (state === 'failed') {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.failures = 0;
      void this.dial('reconnecting');
    }
  }

  async close(): Promise<void> {
    await this.takeDown();
    this.set({ state: 'off', publicUrl: null, reachable: null, ...this.local });
  }

  private async dial(state: 'connecting' | 'reconnecting'): Promise<void> {
    const generation = ++this.generation;
    this.set({ state, publicUrl: null, reachable: null, checkedAt: null, ...this.local });
    let tunnel: OpenTunnel;
    try {
      tunnel = await this.provider.open(Number(new URL(this.env.receiverUrl).port));
    } catch (error) {
      if (generation !== this.generation) return;
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failures++);
      this.set({
        state: 'failed',
        error: `${messageOf(error)} Trying again in ${Math.round(delay / 1000)} s.`,
        errorDetail: error instanceof DeskError ? error.detail : null,
      });
      this.later(delay, () => void this.dial('reconnecting'));
      return;
    }
    if (generation !== this.generation) {
      await tunnel.close();
      return;
    }
    this.tunnel = tunnel;
    this.failures = 0;
    this.set({
      state: 'open',
      publicUrl: tunnel.url,
      error: null,
      errorDetail: null,
      ...receiverUrls(`${tunnel.url}${this.secretPath}`, this.current.serviceId),
    });
    tunnel.onDrop((reason, detail) => {
      if (generation === this.generation) void this.lost(reason, detail);
    });
    await this.probe(generation);
  }

  private async probe(generation: number): Promise<void> {
    const { publicUrl, reachable } = this.current;
    if (publicUrl === null) return;
    const problem = await probeReceiver(publicUrl, this.secretPath, this.env.probeNonce);
    if (generation !== this.generation) return;
    if (problem && reachable === true && this.redialWhenUnreachable) {
      return this.lost(`The tunnel stopped reaching this computer: ${problem.reason}.`, problem.detail);
    }
    this.set({
      reachable: problem === null,
      checkedAt: new Date().toISOString(),
      error: problem && `The tunnel is open, but ${problem.reason}.`,
      errorDetail: problem?.detail ?? null,
    });
    this.later(this.env.probeEveryMs, () => void this.probe(generation));
  }

  private async lost(reason: string, detail: string | null = null): Promise<void> {
    await this.takeDown();
    this.set({ error: reason, errorDetail: detail });
    await this.dial('reconnecting');
  }

  private async takeDown(): Promise<void> {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const tunnel = this.tunnel;
    this.tunnel = null;
    await tunnel?.close();
  }

  private later(ms: number, run: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(run, ms);
    this.timer.unref();
  }

  private set(patch: Partial<TunnelStatus>): void {
    const next = { ...this.current, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.env.emit(next);
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
