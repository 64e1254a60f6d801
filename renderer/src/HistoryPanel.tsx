import { useEffect, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { campaignFigures } from '../../shared/campaign-figures';
import { downloadCsv, errorText, formatDate, formatMoney, plural } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

export function HistoryPanel({ onOpen }: { onOpen: (campaign: CampaignView) => void }) {
  const desk = useDesk();
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    desk.call('campaigns.list', {}).then(setCampaigns, (e: unknown) => setError(errorText(e)));
  }, [desk]);

  function exportReport(c: CampaignView) {
    setError(null);
    desk.call('campaigns.report', { id: c.id }).then(
      ({ fileName, csv }) => downloadCsv(fileName, csv),
      (e: unknown) => setError(errorText(e)),
    );
  }

  return (
    <div className="history">
      <h2>Campaigns</h2>
      <ErrorNote error={error} />
      {campaigns?.length === 0 && (
        <p className="muted">No campaigns yet. Import a recipient file to start one.</p>
      )}
      {campaigns === null && !error && <p className="muted">Loading…</p>}
      <ul className="history-list" aria-label="Past campaigns">
        {campaigns?.map((c) => (
          <HistoryItem key={c.id} campaign={c} onOpen={() => onOpen(c)} onExport={() => exportReport(c)} />
        ))}
      </ul>
    </div>
  );
}

function HistoryItem({
  campaign: c,
  onOpen,
  onExport,
}: {
  campaign: CampaignView;
  onOpen: () => void;
  onExport: () => void;
}) {
  const f = campaignFigures(c.counts);
  return (
    <li className="card history-item" aria-label={c.name}>
      <div>
        <h3>{c.name}</h3>
        <p className="muted small">
          {formatDate(c.createdAt)} · {c.fileName} · {plural(c.rowCount, 'row')}
        </p>
        <p className="small">
          <span className={`state state-${c.state}`}>{c.state}</span>
          {c.startedAt && ` · sent ${formatDate(c.startedAt)}`}
          {c.endedAt && c.state !== 'sending' && ` · ended ${formatDate(c.endedAt)}`}
        </p>
      </div>
      {f.sent > 0 ? (
        <dl className="history-figures" aria-label={`Figures of ${c.name}`}>
          <dt>Sent</dt>
          <dd>{f.sent.toLocaleString()}</dd>
          <dt>Delivered</dt>
          <dd>{`${f.delivered.toLocaleString()} delivered`}</dd>
          <dt>Failed</dt>
          <dd>{f.failed.toLocaleString()}</dd>
          <dt>Delivery rate</dt>
          <dd>{f.deliveryRate === null ? '–' : `${(f.deliveryRate * 100).toFixed(1)}%`}</dd>
          <dt>Cost</dt>
          <dd>{formatMoney(c.estimatedCost)}</dd>
        </dl>
      ) : (
        <p className="muted small">{plural(f.ready, 'message')} ready, not sent</p>
      )}
      <div className="history-actions">
        <button type="button" className="button" aria-label={`Open ${c.name}`} onClick={onOpen}>
          Open
        </button>
        {f.sent > 0 && (
          <button
            type="button"
            className="button"
            aria-label={`Export the report of ${c.name}`}
            onClick={onExport}
          >
            Export report
          </button>
        )}
      </div>
    </li>
  );
}
