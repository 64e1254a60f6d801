import { useEffect, useState } from 'react';
import type { ReceiverStats } from '../../shared/api';
import { errorText, formatSize, plural } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

const REFRESH_MS = 5_000;

/** What the webhook receiver took in and refused since the app started, refreshed every few seconds. */
export function ReceiverStatsView() {
  const desk = useDesk();
  const [stats, setStats] = useState<ReceiverStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      desk.call('receiver.stats', {}).then(
        (s) => current && (setStats(s), setError(null)),
        (e: unknown) => current && setError(errorText(e)),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [desk]);

  return (
    <section className="card receiver-stats" aria-labelledby="receiver-stats-title">
      <h3 id="receiver-stats-title">Receiver</h3>
      <p className="muted small">
        Delivery reports and replies taken in since the app started. Reports that match no message sent from
        here, and posts refused as not being reports, are kept in Campaign Desk&apos;s data folder on this
        computer, the oldest deleted past a size limit.
      </p>
      <ErrorNote error={error} />
      {stats && (
        <dl className="figures" aria-label="Receiver figures">
          <dt>Delivery reports</dt>
          <dd>{stats.deliveryReports.toLocaleString()}</dd>
          <dt>Replies</dt>
          <dd>{stats.replies.toLocaleString()}</dd>
          <dt>Unmatched reports</dt>
          <dd>{stats.unmatched.toLocaleString()}</dd>
          <dt>Refused posts</dt>
          <dd>{stats.rejected.toLocaleString()}</dd>
          <dt>Rate-limited</dt>
          <dd>{stats.rateLimited.toLocaleString()}</dd>
        </dl>
      )}
      {stats?.unmatchedDropped && (
        <p className="notice small" data-testid="unmatched-dropped">
          The oldest {plural(stats.unmatchedDropped.count, 'unmatched report')} were deleted to keep them
          under {formatSize(stats.unmatchedDropped.limitBytes)}.
        </p>
      )}
      {stats?.payloadsDropped && (
        <p className="notice small" data-testid="payloads-dropped">
          The platform&apos;s payloads of the oldest {plural(stats.payloadsDropped.count, 'delivery report')}{' '}
          were deleted to keep them under {formatSize(stats.payloadsDropped.limitBytes)}; what each report
          said stays with its campaign.
        </p>
      )}
      {stats?.rejectedDropped && (
        <p className="notice small" data-testid="rejected-dropped">
          {plural(stats.rejectedDropped.count, 'refused post')} were deleted or not kept, to keep them under{' '}
          {formatSize(stats.rejectedDropped.limitBytes)}.
        </p>
      )}
    </section>
  );
}
