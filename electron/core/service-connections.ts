import type { ServiceView } from '../../shared/api';
import type { CommandLineHandlers, Handlers } from './dispatch';
import type { EventBus } from './event-bus';
import type { Receiver } from './receiver/receiver';
import { receiverWarning } from './receiver/tunnels/receiver-warning';
import { TunnelManager } from './receiver/tunnels/tunnel-manager';
import type { Vault } from './secrets/vault';
import { checkKey } from './sending/key-check';
import type { ServiceRegistry } from './services';

const TUNNEL_PROBE_EVERY_MS = 60_000;

export interface ConnectionOptions {
  /** Overrides the notify URL sent with messages, whatever the services' tunnels. */
  publicReceiverUrl?: string;
  /** Opens the services' tunnels; command-line runs leave them closed. */
  openTunnels: boolean;
  /** After a service was saved or removed: the campaigns follow its API's text limit. */
  servicesChanged(): Promise<void>;
}

/** The services and the tunnel each keeps open, so that their delivery reports and replies reach this computer. */
export class ServiceConnections {
  private readonly tunnels: TunnelManager;

  constructor(
    private readonly services: ServiceRegistry,
    receiver: Pick<Receiver, 'url' | 'probeNonce'>,
    vault: Vault,
    bus: EventBus,
    private readonly options: ConnectionOptions,
  ) {
    this.tunnels = new TunnelManager(
      {
        receiverUrl: receiver.url,
        probeNonce: receiver.probeNonce,
        probeEveryMs: TUNNEL_PROBE_EVERY_MS,
        emit: (status) => bus.emit('tunnel.status', status),
      },
      vault,
      options.openTunnels,
    );
    this.syncTunnels();
  }

  readonly handlers: Pick<
    Handlers,
    | 'services.list'
    | 'services.save'
    | 'services.remove'
    | 'services.checkKey'
    | 'tunnels.list'
    | 'tunnels.reconnect'
  > = {
    'services.list': async () => this.services.list(),
    'services.save': async (input) => {
      const saved = this.services.save(input);
      this.syncTunnels();
      await this.options.servicesChanged();
      return saved;
    },
    'services.remove': async ({ id }) => {
      this.services.remove(id);
      this.syncTunnels();
      await this.options.servicesChanged();
      return {};
    },
    'services.checkKey': async ({ id }) => checkKey(this.services.resolve(id)),
    'tunnels.list': async () => this.tunnels.list(),
    'tunnels.reconnect': ({ serviceId }) => this.tunnels.reconnect(serviceId),
  };

  readonly commandLineHandlers: Pick<CommandLineHandlers, 'cli.receiverWarning'> = {
    'cli.receiverWarning': async ({ service }) => ({
      warning: this.receiverWarning(this.services.commandLine(service).view),
    }),
  };

  /** Why delivery reports sent through `service` would not reach this computer now; null when they would. */
  receiverWarning(service: ServiceView): string | null {
    if (this.options.publicReceiverUrl) return null;
    return receiverWarning(
      service,
      this.tunnels.list().find((t) => t.serviceId === service.id),
    );
  }

  notifyUrl(serviceId: string): string {
    const { publicReceiverUrl } = this.options;
    return publicReceiverUrl ? `${publicReceiverUrl}/dr` : this.tunnels.drUrl(serviceId);
  }

  /** Probes (or dials) the tunnels again at once: the computer woke or changed networks. */
  checkNow(): void {
    this.tunnels.checkNow();
  }

  close(): Promise<void> {
    return this.tunnels.close();
  }

  /** Opens, closes or reopens tunnels after the services' settings changed. */
  private syncTunnels(): void {
    try {
      this.tunnels.sync(this.services.tunnels());
    } catch (error) {
      // Damaged service settings are reported where services are listed; the desk still starts.
      console.error('tunnels:', error instanceof Error ? error.message : error);
    }
  }
}
