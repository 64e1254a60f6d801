import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../../shared/api';
import { ROW_STATUSES } from '../../shared/status';
import { formatDuration, plural } from './format';
import { useDashboard } from './hooks/useDashboard';
import { ErrorNote } from './ErrorNote';
import { NextWindowLine } from './SendProgressLine';

const DELIVERED_COLOR = '#1d6f6a';
const FAILED_COLOR = '#b3261e';

function rateText(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function bucketLabel(iso: string, bucketSeconds: number): string {
  const date = new Date(iso);
  if (bucketSeconds >= 86_400) return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
  return date.toLocaleTimeString(
    undefined,
    bucketSeconds < 60 ? { timeStyle: 'medium' } : { timeStyle: 'short' },
  );
}

const UNITS = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
] as const;

/** `second`, `10 seconds`, `5 minutes`, `day`, …: the buckets are whole units. */
function bucketText(seconds: number): string {
  const [size, unit] = UNITS.find(([size]) => seconds % size === 0) ?? UNITS[3];
  return seconds === size ? unit : `${seconds / size} ${unit}s`;
}

function chartSummary(d: Dashboard): string {
  return (
    `Final delivery reports per ${bucketText(d.bucketSeconds)}: ${d.delivered.toLocaleString()} delivered, ` +
    `${d.failed.toLocaleString()} failed, over ${plural(d.timeline.length, 'interval')}.`
  );
}

function DeliveryChart({ dashboard }: { dashboard: Dashboard }) {
  const data = dashboard.timeline.map((p) => ({ ...p, label: bucketLabel(p.at, dashboard.bucketSeconds) }));
  return (
    <figure className="chart" aria-labelledby="delivery-chart-title">
      <figcaption id="delivery-chart-title">Delivery over time</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          title="Delivery over time"
          aria-label={chartSummary(dashboard)}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="delivered"
            name="Delivered"
            stackId="reports"
            fill={DELIVERED_COLOR}
            maxBarSize={48}
            isAnimationActive={false}
          />
          <Bar
            dataKey="failed"
            name="Failed"
            stackId="reports"
            fill={FAILED_COLOR}
            maxBarSize={48}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** A sent campaign's delivery figures, chart and failures, following its reports as they arrive. */
export function DeliveryDashboard({
  campaignId,
  nextWindowAt,
}: {
  campaignId: string;
  nextWindowAt: string | null;
}) {
  const { dashboard, error } = useDashboard(campaignId);
  return (
    <section className="card dashboard" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Delivery reports</h2>
      <ErrorNote error={error} />
      {dashboard === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="figures">
            <div>
              <dt>Sent</dt>
              <dd data-testid="dash-sent">{dashboard.sent.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Delivered</dt>
              <dd data-testid="dash-delivered">{dashboard.delivered.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd data-testid="dash-failed">{dashboard.failed.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Delivery rate</dt>
              <dd data-testid="dash-rate">{rateText(dashboard.deliveryRate)}</dd>
            </div>
            <div>
              <dt>Median time to deliver</dt>
              <dd data-testid="dash-median">
                {dashboard.medianSecondsToDeliver === null
                  ? '—'
                  : formatDuration(dashboard.medianSecondsToDeliver)}
              </dd>
            </div>
            <div>
              <dt>Replies</dt>
              <dd data-testid="dash-replies">{dashboard.replies.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Opt-outs</dt>
              <dd data-testid="dash-opt-outs">{dashboard.optOuts.toLocaleString()}</dd>
            </div>
          </dl>
          <ul className="counts" aria-label="Rows by status, as of the last report">
            {ROW_STATUSES.filter((s) => (dashboard.counts[s] ?? 0) > 0).map((status) => (
              <li key={status} data-testid={`dash-count-${status}`}>
                <span className={`status status-${status}`}>{status}</span>{' '}
                {(dashboard.counts[status] ?? 0).toLocaleString()}
              </li>
            ))}
          </ul>
          <NextWindowLine at={nextWindowAt} testId="dashboard-next-window" />
          {dashboard.timeline.length > 0 && <DeliveryChart dashboard={dashboard} />}
          {dashboard.failures.length > 0 && (
            <table className="failures" aria-labelledby="failures-title">
              <caption id="failures-title">Failures by code</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Meaning</th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                </tr>
              </thead>
              <tbody>
                {dashboard.failures.map((f) => (
                  <tr key={f.code ?? ''} data-testid={`failure-${f.code ?? 'none'}`}>
                    <td>{f.code ?? '—'}</td>
                    <td>{f.meaning}</td>
                    <td className="num">{f.count.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
