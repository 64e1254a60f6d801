import { useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { ROW_STATUSES } from '../../shared/status';
import { downloadCsv, errorText, plural } from './format';
import { useDesk } from './hooks/useDesk';

interface Props {
  campaign: CampaignView;
  /** Saves pending edits, so that what is sent is what is on screen; false when they could not be. */
  beforeSend: () => Promise<boolean>;
  onSent: (campaign: CampaignView) => void;
}

export function SendPanel({ campaign, beforeSend, onSent }: Props) {
  const desk = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { counts } = campaign;
  const count = (status: keyof typeof counts) => counts[status] ?? 0;
  const sendable = campaign.rowCount - count('skipped');
  const sent = sendable - count('ready') - count('sending');
  const awaitingReports = count('sending') + count('queued') + count('submitted');

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const send = () =>
    run(async () => {
      if (!(await beforeSend())) return;
      onSent(await desk.call('campaigns.send', { id: campaign.id }));
    });

  const exportReport = () =>
    run(async () => {
      const { fileName, csv } = await desk.call('campaigns.report', { id: campaign.id });
      downloadCsv(fileName, csv);
    });

  if (campaign.state === 'draft') {
    return (
      <section className="card send" aria-labelledby="send-title">
        <h2 id="send-title">Send</h2>
        <p>
          {plural(count('ready'), 'recipient')} ready
          {count('skipped') > 0 && ` · ${count('skipped').toLocaleString()} skipped (see the table)`}
        </p>
        <p className="problem" role="status" data-testid="problem">
          {campaign.problem}
        </p>
        <button
          type="button"
          className="button primary"
          disabled={campaign.problem !== null || busy}
          onClick={() => void send()}
        >
          Send campaign
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
    );
  }

  const stateText =
    campaign.state === 'sending'
      ? 'Sending…'
      : campaign.state === 'stopped'
        ? 'Sending stopped.'
        : awaitingReports > 0
          ? 'All messages handed to the service; waiting for delivery reports…'
          : 'Finished.';

  return (
    <section className="card send" aria-labelledby="send-title">
      <h2 id="send-title">Delivery</h2>
      <p role="status" data-testid="send-state">
        {stateText}
      </p>
      <progress
        className="send-progress"
        max={Math.max(sendable, 1)}
        value={sent}
        aria-label="Messages sent"
      />
      <p data-testid="sent-progress">
        {sent.toLocaleString()} of {plural(sendable, 'message')} sent
      </p>
      <ul className="counts" aria-label="Rows by status">
        {ROW_STATUSES.filter((status) => count(status) > 0).map((status) => (
          <li key={status} data-testid={`count-${status}`}>
            <span className={`status status-${status}`}>{status}</span> {count(status).toLocaleString()}
          </li>
        ))}
      </ul>
      {count('unknown') > 0 && (
        <p className="warning small">
          The service gave no clear answer for {plural(count('unknown'), 'message')}: they may or may not have
          been sent. The table shows the reason for each.
        </p>
      )}
      {campaign.error && (
        <p className="error" role="alert">
          {campaign.error}
        </p>
      )}
      {campaign.state === 'stopped' && count('ready') > 0 && (
        <>
          {campaign.problem && <p className="problem">{campaign.problem}</p>}
          <button
            type="button"
            className="button primary"
            disabled={campaign.problem !== null || busy}
            onClick={() => void send()}
          >
            Resume sending ({plural(count('ready'), 'message')} not sent)
          </button>
        </>
      )}
      <button type="button" className="button" disabled={busy} onClick={() => void exportReport()}>
        Export report
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
