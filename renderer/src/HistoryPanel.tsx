import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText } from './format';
import { HistoryItem } from './HistoryItem';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';
import type { CampaignsStore } from './stores/campaigns-store';

interface Props {
  /** The campaigns by id: the list shows them as they change. */
  campaigns: CampaignsStore;
  onOpen: (campaign: CampaignView) => void;
  onDeleted: (id: string) => void;
}

export function HistoryPanel({ campaigns: store, onOpen, onDeleted }: Props) {
  const desk = useDesk();
  const [showArchived, setShowArchived] = useState(false);
  const campaigns = useSyncExternalStore(store.subscribe, () => store.list(showArchived));
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    desk.call('campaigns.list', { includeArchived: showArchived }).then(
      (list) => store.setList(list, showArchived),
      (e: unknown) => setError(errorText(e)),
    );
  }, [desk, store, showArchived]);
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
              store.put(view);
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
