import type { CampaignView } from '../../shared/api';
import { formatDate, plural } from './format';
import { useNowUntil } from './hooks/useNow';

interface Props {
  campaign: CampaignView;
  busy: boolean;
  onResend: () => void;
}

/**
 * Messages the service gave no clear answer for: delivery reports may still settle them; once their
 * grace window passes without one, the user may choose to send them again.
 */
export function UnknownRowsNotice({ campaign, busy, onResend }: Props) {
  const unknown = campaign.counts.unknown ?? 0;
  const now = useNowUntil(campaign.unknownResendableAt);
  if (unknown === 0) return null;
  const resendableAt = campaign.unknownResendableAt;
  const canResend = resendableAt !== null && Date.parse(resendableAt) <= now && campaign.state !== 'sending';
  return (
    <div className="warning small" data-testid="unknown-notice">
      <p>
        The service gave no clear answer for {plural(unknown, 'message')}: they may or may not have been sent.
        The table shows the reason for each; a delivery report settles them when it arrives.
      </p>
      {canResend ? (
        <button type="button" className="button" disabled={busy} onClick={onResend}>
          Send again {plural(unknown, 'message')} with no sign of delivery
        </button>
      ) : (
        resendableAt && (
          <p>If no report arrives by {formatDate(resendableAt)}, you can choose to send them again.</p>
        )
      )}
    </div>
  );
}
