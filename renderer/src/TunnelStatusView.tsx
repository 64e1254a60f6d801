import type { TunnelState, TunnelStatus } from '../../shared/api';
import { formatDate } from './format';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
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
  onChanged: (status: TunnelStatus) => void;
}

/** A service's tunnel as it stands, the URL for replies to paste into the platform, and a way to reconnect. */
export function TunnelStatusView({ status, onChanged }: Props) {
  const desk = useDesk();
  const { busy, error, run } = useAction();
  const reconnect = () =>
    run(async () => onChanged(await desk.call('tunnels.reconnect', { serviceId: status.serviceId })));
  const copy = () => run(() => navigator.clipboard.writeText(status.moUrl));

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
      </dl>
      {status.kind !== 'none' && (
        <p className="muted small">
          Paste the replies URL into the service's MO notify URL on the platform; delivery reports find their
          way by themselves.
        </p>
      )}
      {status.error && (
        <p className="warning" data-testid="tunnel-error">
          {status.error}
        </p>
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
