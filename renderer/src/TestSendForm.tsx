import { useState, type FormEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaign: CampaignView;
  /** The row whose message (as previewed) is sent. */
  row: number;
  beforeSend: () => Promise<boolean>;
  onDone: (campaign: CampaignView) => void;
}

/** Sends the previewed message to one number of the user's choosing, before the campaign. */
export function TestSendForm({ campaign, row, beforeSend, onDone }: Props) {
  const desk = useDesk();
  const [msisdn, setMsisdn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const test = campaign.testSend;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (await beforeSend()) onDone(await desk.call('campaigns.testSend', { id: campaign.id, row, msisdn }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="test-send" onSubmit={(e) => void submit(e)} aria-label="Test message">
      <label htmlFor="test-number">Send row {row + 1}&apos;s message to</label>
      <div className="inline-form">
        <input
          id="test-number"
          type="tel"
          placeholder="+1 415 555 0100"
          value={msisdn}
          onChange={(e) => setMsisdn(e.target.value)}
        />
        <button
          type="submit"
          className="button"
          disabled={busy || msisdn.trim() === '' || campaign.problem !== null}
        >
          Send test
        </button>
      </div>
      {test && (
        <p className="small" role="status" data-testid="test-result">
          Test to {test.msisdn}: <span className={`status status-${test.status}`}>{test.status}</span>
          {[test.code, test.description].filter(Boolean).length > 0 &&
            ` ${[test.code, test.description].filter(Boolean).join(' ')}`}
        </p>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
