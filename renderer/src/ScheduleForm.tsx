import { useState, type FormEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText, formatDate } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaign: CampaignView;
  beforeSend: () => Promise<boolean>;
  onDone: (campaign: CampaignView) => void;
}

/** Picks a start time (kept across restarts), or shows the one set with a way to withdraw it. */
export function ScheduleForm({ campaign, beforeSend, onDone }: Props) {
  const desk = useDesk();
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function call(next: string | null) {
    setBusy(true);
    setError(null);
    try {
      if (next === null || (await beforeSend())) {
        onDone(await desk.call('campaigns.schedule', { id: campaign.id, at: next }));
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    // datetime-local gives the user's local time without a zone; Date reads it as local.
    void call(new Date(at).toISOString());
  }

  return (
    <div className="schedule">
      {campaign.scheduledAt ? (
        <div className="actions">
          <p data-testid="scheduled-at">Starts by itself at {formatDate(campaign.scheduledAt)}.</p>
          <button type="button" className="button" disabled={busy} onClick={() => void call(null)}>
            Cancel schedule
          </button>
        </div>
      ) : (
        <form className="inline-form" onSubmit={submit} aria-label="Schedule">
          <label htmlFor="schedule-at">Start at</label>
          <input
            id="schedule-at"
            type="datetime-local"
            step={1}
            value={at}
            onChange={(e) => setAt(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy || at === '' || campaign.problem !== null}>
            Schedule
          </button>
        </form>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
