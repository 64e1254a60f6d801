import type { TunnelState, TunnelStatus } from '../../shared/api';
import { formatDate } from './format';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
import { DetailsToggle } from './DetailsToggle';
import { ErrorNote } from './ErrorNote';

const STATE_TEXT: Record<TunnelState, string> = {
  off: 'Off',
  connecting: 'Connecting…',
  open: 'Open',
  reconnecting: 'Reconnecting…',
  failed: 'Failed',
};

interface Props {
  status: TunnelStatus;
  /** Whether the service runs on this computer (the simulator, a local server): its local address is the one. */
  local: boolean;
  onChanged: (status: TunnelStatus) => void;
}

/**
 * Why there is no address for the platform to post replies to, with what to do; null when `moUrl` is one. A
 * loopback address is never offered to a platform out on the internet: it would lead nowhere.
 */
export function noRepliesAddress(status: TunnelStatus, local: boolean): string | null {
  if (local || status.state === 'open') return null;
  const lead = 'There is no public address for replies yet';
  if (status.kind === 'none')
    return `${lead}: this service has no tunnel, so the platform cannot reach this computer. Edit the service and choose a tunnel.`;
  switch (status.state) {
    case 'connecting':
    case 'reconnecting':
      return `${lead}: the tunnel is still connecting. The address appears here once it is open.`;
    case 'failed':
      return `${lead}: the tunnel could not be opened (see below). Check this computer's internet connection and the tunnel settings, then press Reconnect.`;
    case 'off':
      return `${lead}: the tunnel is not open. Press Reconnect to open it.`;
  }
}

/** A service's tunnel as it stands, the URL for replies to paste into the platform, and a way to reconnect. */
export function TunnelStatusView({ status, local, onChanged }: Props) {
  const desk = useDesk();
  const { busy, error, run } = useAction();
  const reconnect = () =>
    run(async () => onChanged(await desk.call('tunnels.reconnect', { serviceId: status.serviceId })));
  const copy = () => run(() => navigator.clipboard.writeText(status.moUrl));
  const noAddress = noRepliesAddress(status, local);

  return (
    <div className="tunnel-status" data-testid="tunnel-status">
      <dl>
        {status.kind !== 'none' && (
          <>
            <dt>Status</dt>
            <dd data-testid="tunnel-state" className={`tunnel-${status.state}`}>
              {STATE_TEXT[status.state]}
              {status.publicUrl && ` at ${status.publicUrl}`}
            </dd>
            <dt>Reachable</dt>
            <dd data-testid="tunnel-reachable">
              {status.reachable === null
                ? 'not checked yet'
                : `${status.reachable ? 'yes' : 'no'}${status.checkedAt ? ` (checked ${formatDate(status.checkedAt)})` : ''}`}
            </dd>
          </>
        )}
        <dt>Replies URL</dt>
        {noAddress ? (
          <dd data-testid="no-replies-url">{noAddress}</dd>
        ) : (
          <dd className="copyable">
            <input
              readOnly
              aria-label="MO notify URL"
              value={status.moUrl}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="button" onClick={() => void copy()}>
              Copy
            </button>
          </dd>
        )}
      </dl>
      {status.kind !== 'none' && !noAddress && (
        <p className="muted small">
          Paste the replies URL into the service's MO notify URL on the platform; delivery reports find their
          way by themselves.
        </p>
      )}
      {status.error && (
        <div className="warning" data-testid="tunnel-error">
          <p>{status.error}</p>
          {status.errorDetail && <DetailsToggle detail={status.errorDetail} />}
        </div>
      )}
      {status.kind !== 'none' && (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void reconnect()}>
            Reconnect
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
