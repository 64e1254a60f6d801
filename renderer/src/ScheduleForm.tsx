import { useState, type FormEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText, formatDate } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';
import { SendPlanDialog } from './SendPlanDialog';

interface Props {
  campaign: CampaignView;
  beforeSend: () => Promise<boolean>;
  onDone: (campaign: CampaignView) => void;
  /** Opens the send plan, to send now (one of the choices after a missed start). */
  onSendNow: () => void;
}

/**
 * Picks a start time (kept across restarts), or shows the one set with a way to withdraw it. A start that
 * was missed (the computer slept, the app was closed) asks what to do instead.
 */
export function ScheduleForm({ campaign, beforeSend, onDone, onSendNow }: Props) {
  const desk = useDesk();
  const [at, setAt] = useState('');
  /** After a missed start, the user chose to pick a new time. */
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The start time whose send plan is on screen. */
  const [reviewing, setReviewing] = useState<string | null>(null);

  async function withdraw() {
    setBusy(true);
    setError(null);
    try {
      onDone(await desk.call('campaigns.schedule', { id: campaign.id, at: null }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    // datetime-local gives the user's local time without a zone; Date reads it as local.
    const startAt = new Date(at).toISOString();
    setBusy(true);
    setError(null);
    try {
      if (await beforeSend()) setReviewing(startAt);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function schedule(startAt: string, digest: string) {
    const scheduled = await desk.call('campaigns.schedule', { id: campaign.id, at: startAt, digest });
    setReviewing(null);
    setPicking(false);
    onDone(scheduled);
  }

  const missed = campaign.startMissed && campaign.scheduledAt !== null;
  return (
    <div className="schedule">
      {missed && (
        <div className="warning missed-start" role="alert" data-testid="missed-start">
          <p>
            This campaign was to start at {formatDate(campaign.scheduledAt as string)}, but this computer was
            asleep or Campaign Desk was closed then. It does not start late by itself: send it now, skip this
            start, or pick a new time.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={busy || campaign.problem !== null}
              onClick={onSendNow}
            >
              Send now
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void withdraw()}>
              Skip this start
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setPicking(true)}>
              Pick a new time
            </button>
          </div>
        </div>
      )}
      {missed && !picking ? null : campaign.scheduledAt && !missed ? (
        <div className="actions">
          <p data-testid="scheduled-at">Starts by itself at {formatDate(campaign.scheduledAt)}.</p>
          <button type="button" className="button" disabled={busy} onClick={() => void withdraw()}>
            Cancel schedule
          </button>
        </div>
      ) : (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Schedule">
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
      {reviewing && (
        <SendPlanDialog
          campaign={campaign}
          at={reviewing}
          confirmLabel="Confirm and schedule"
          onConfirm={(digest) => schedule(reviewing, digest)}
          onClose={() => setReviewing(null)}
        />
      )}
    </div>
  );
}
