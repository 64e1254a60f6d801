import type { ServiceView, TunnelStatus } from '../../../../shared/api';
import { isLoopbackUrl } from '../../../../shared/platform-hosts';

const NO_TUNNEL = { kind: 'none', state: 'off', reachable: null, error: null } as const;

/**
 * Why the platform's delivery reports for `service` cannot reach this computer now; null when they can.
 * `tunnel` undefined: a service without one (given on the command line).
 */
export function receiverWarning(
  service: ServiceView,
  tunnel: Pick<TunnelStatus, 'kind' | 'state' | 'reachable' | 'error'> = NO_TUNNEL,
): string | null {
  if (service.kind === 'sandbox') return null;
  const lead = `Delivery reports from "${service.name}" cannot reach this computer`;
  switch (tunnel.state) {
    case 'off':
      if (tunnel.kind !== 'none') return `${lead}: its tunnel is not open.`;
      return isLoopbackUrl(service.baseUrl)
        ? null
        : `${lead}: it has no tunnel, so reports would go to an address on this computer only. Choose a tunnel for it under Services.`;
    case 'connecting':
    case 'reconnecting':
      return `${lead} until its tunnel is open (${tunnel.state}${tunnel.error ? `: ${tunnel.error}` : ''}).`;
    case 'failed':
      return `${lead}: its tunnel failed. ${tunnel.error ?? ''}`.trim();
    case 'open':
      return tunnel.reachable === false ? `${lead}. ${tunnel.error ?? ''}`.trim() : null;
  }
}
