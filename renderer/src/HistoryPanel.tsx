import { useCallback, useEffect, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText } from './format';
import { HistoryItem } from './HistoryItem';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

interface Props {
  onOpen: (campaign: CampaignView) => void;
  /** A campaign renamed or archived here. */
  onChanged: (campaign: CampaignView) => void;
  onDeleted: (id: string) => void;
}

export function HistoryPanel({ onOpen, onChanged, onDeleted }: Props) {
  const desk = useDesk();
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    desk
      .call('campaigns.list', { includeArchived: showArchived })
      .then(setCampaigns, (e: unknown) => setError(errorText(e)));
  }, [desk, showArchived]);
  useEffect(load, [load]);

  return (
    <div className="history">
      <div className="history-head">
        <h2>Campaigns</h2>
        <label className="inline">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />{' '}
          Show archived
        </label>
      </div>
      <ErrorNote error={error} />
      {campaigns?.length === 0 && (
        <p className="muted">
          {showArchived ? 'No campaigns yet.' : 'No campaigns here.'} Import a recipient file to start one.
        </p>
      )}
      {campaigns === null && !error && <p className="muted">Loading…</p>}
      <ul className="history-list" aria-label="Past campaigns">
        {campaigns?.map((c) => (
          <HistoryItem
            key={c.id}
            campaign={c}
            onOpen={onOpen}
            onChanged={(view) => {
              onChanged(view);
              load();
            }}
            onDeleted={() => {
              onDeleted(c.id);
              load();
            }}
          />
        ))}
      </ul>
    </div>
  );
}
