import { useEffect, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText, formatDate, plural } from './format';
import { useDesk } from './hooks/useDesk';

export function HistoryPanel({ onOpen }: { onOpen: (campaign: CampaignView) => void }) {
  const desk = useDesk();
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    desk.call('campaigns.list', {}).then(setCampaigns, (e: unknown) => setError(errorText(e)));
  }, [desk]);

  return (
    <div className="history">
      <h2>Campaigns</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {campaigns?.length === 0 && (
        <p className="muted">No campaigns yet. Import a recipient file to start one.</p>
      )}
      {campaigns === null && !error && <p className="muted">Loading…</p>}
      <ul className="history-list" aria-label="Past campaigns">
        {campaigns?.map((c) => (
          <li key={c.id} className="card history-item" aria-label={c.name}>
            <div>
              <h3>{c.name}</h3>
              <p className="muted small">
                {formatDate(c.createdAt)} · {c.fileName} · {plural(c.rowCount, 'row')}
              </p>
            </div>
            <p className="small">
              <span className={`state state-${c.state}`}>{c.state}</span>
              {c.state !== 'draft' && ` · ${(c.counts.delivered ?? 0).toLocaleString()} delivered`}
            </p>
            <button type="button" className="button" aria-label={`Open ${c.name}`} onClick={() => onOpen(c)}>
              Open
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
