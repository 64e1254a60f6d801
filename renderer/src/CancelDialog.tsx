import type { CampaignView } from '../../shared/api';
import { ErrorNote } from './ErrorNote';
import { plural, type Problem } from './format';
import { ModalDialog } from './ModalDialog';

interface Props {
  campaign: CampaignView;
  busy: boolean;
  error: string | Problem | null;
  /** The messages not yet sent are never sent. */
  onCancel: () => void;
  onResume: () => void;
  /** Leaves the campaign paused (Escape does the same). */
  onKeep: () => void;
}

/**
 * Asked once sending has stopped: the campaign is paused before this shows, so nothing more goes out while the
 * user reads it. The answer decides only what becomes of the messages not yet sent.
 */
export function CancelDialog({ campaign, busy, error, onCancel, onResume, onKeep }: Props) {
  const pausing = campaign.state === 'sending';
  const left = campaign.counts.ready ?? 0;
  const resumable = !pausing && left > 0 && campaign.problem === null;
  return (
    <ModalDialog labelledBy="cancel-title" className="cancel-dialog" onClose={onKeep}>
      <h2 id="cancel-title">Cancel “{campaign.name}”?</h2>
      <p role="status" data-testid="cancel-state">
        {pausing
          ? 'Pausing: no new message goes out. Waiting for the answers to the messages already on their way…'
          : `Sending is paused. ${plural(left, 'message')} not sent yet.`}
      </p>
      <p>
        Cancelling means the messages not yet sent will never be sent. Messages already sent still get their
        reports.
      </p>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="button danger" disabled={busy || pausing} onClick={onCancel}>
          Cancel the messages not sent
        </button>
        {resumable && (
          <button type="button" className="button" disabled={busy} onClick={onResume}>
            Resume sending
          </button>
        )}
        <button type="button" className="button" onClick={onKeep}>
          {campaign.state === 'stopped' ? 'Keep it' : 'Keep it paused'}
        </button>
      </div>
    </ModalDialog>
  );
}
