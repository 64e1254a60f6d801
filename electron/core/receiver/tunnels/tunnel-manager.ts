import type { TunnelStatus } from '../../../../shared/api';
import { DeskError } from '../../errors';
import type { Vault } from '../../secrets/vault';
import { receiverUrls, ServiceTunnel, type TunnelEnv } from './service-tunnel';
import { tunnelProvider, type StoredTunnel } from './tunnel-settings';

export interface ServiceTunnelConfig {
  serviceId: string;
  tunnel: StoredTunnel;
}

interface Entry {
  /** The stored settings it was opened with, to tell when they change. */
  key: string;
  tunnel: ServiceTunnel | null;
  status: TunnelStatus;
}

/** Every service's tunnel: opened when the desk starts and whenever a service's tunnel settings change. */
export class TunnelManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly env: TunnelEnv,
    private readonly vault: Vault,
    /** Off: tunnels stay closed (command-line runs); the statuses say so. */
    private readonly enabled: boolean,
  ) {}

  /** Brings the tunnels in line with the services' settings: opens new ones, closes and reopens changed ones. */
  sync(configs: readonly ServiceTunnelConfig[]): void {
    const seen = new Set<string>();
    for (const { serviceId, tunnel } of configs) {
      seen.add(serviceId);
      const key = JSON.stringify(tunnel);
      const existing = this.entries.get(serviceId);
      if (existing?.key === key) continue;
      void existing?.tunnel?.close();
      const off: TunnelStatus = {
        serviceId,
        kind: tunnel.kind,
        state: 'off',
        publicUrl: null,
        reachable: null,
        checkedAt: null,
        error: null,
        errorDetail: null,
        ...receiverUrls(this.env.receiverUrl, serviceId),
      };
      if (tunnel.kind === 'none' || !this.enabled) {
        this.entries.set(serviceId, { key, tunnel: null, status: off });
        if (existing) this.env.emit(off);
        continue;
      }
      const opened = new ServiceTunnel(
        serviceId,
        tunnel.kind,
        tunnelProvider(tunnel, this.vault),
        this.env,
        tunnel.kind !== 'public-url',
      );
      this.entries.set(serviceId, { key, tunnel: opened, status: off });
      void opened.start();
    }
    for (const [serviceId, entry] of this.entries) {
      if (seen.has(serviceId)) continue;
      this.entries.delete(serviceId);
      void entry.tunnel?.close();
    }
  }

  list(): TunnelStatus[] {
    return [...this.entries.values()].map((entry) => entry.tunnel?.status ?? entry.status);
  }

  /** Where delivery reports for the service's messages go now: through its tunnel while open, else locally. */
  drUrl(serviceId: string): string {
    return (this.entries.get(serviceId)?.tunnel?.status ?? receiverUrls(this.env.receiverUrl, serviceId))
      .drUrl;
  }

  reconnect(serviceId: string): Promise<TunnelStatus> {
    const entry = this.entries.get(serviceId);
    if (!entry) throw new DeskError('unknown-service', `There is no service with id "${serviceId}".`);
    if (!entry.tunnel) {
      throw new DeskError(
        'no-tunnel',
        this.enabled
          ? 'This service has no tunnel; choose one under Services.'
          : 'Tunnels are not opened in this run.',
      );
    }
    return entry.tunnel.reconnect();
  }

  /** Probes every open tunnel now, and dials at once those waiting to try again (the computer woke). */
  checkNow(): void {
    for (const entry of this.entries.values()) entry.tunnel?.checkNow();
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.tunnel?.close()));
    this.entries.clear();
  }
}
