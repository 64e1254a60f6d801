import { useState } from 'react';
import { SKIP_REASONS, type CampaignView, type RowFilter } from '../../shared/api';
import { ROW_STATUSES } from '../../shared/status';
import { downloadCsv, errorText, REASON_LABELS } from './format';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

type CountFilter = Pick<RowFilter, 'status' | 'reason'>;

interface Props {
  campaign: CampaignView;
  filter: CountFilter;
  onFilter: (filter: CountFilter) => void;
}

/** Rows per status and per skip reason; each count shows those rows in the table. */
export function RecipientsSummary({ campaign, filter, onFilter }: Props) {
  const desk = useDesk();
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const skipped = campaign.counts.skipped ?? 0;
  const statuses = ROW_STATUSES.filter((status) => (campaign.counts[status] ?? 0) > 0);
  const reasons = SKIP_REASONS.filter((reason) => (campaign.skipCounts[reason] ?? 0) > 0);
  const showing = (f: CountFilter) => f.status === filter.status && f.reason === filter.reason;

  async function exportSkipped() {
    setError(null);
    setExporting(true);
    try {
      const { fileName, csv } = await desk.call('campaigns.exportSkipped', { id: campaign.id });
      downloadCsv(fileName, csv);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <div className="summary">
      <div className="summary-counts" role="group" aria-label="Show rows by status">
        <CountButton
          label="all"
          count={campaign.rowCount}
          pressed={showing({})}
          onClick={() => onFilter({})}
        />
        {statuses.map((status) => (
          <CountButton
            key={status}
            testId={`show-${status}`}
            label={status}
            className={`status status-${status}`}
            count={campaign.counts[status] ?? 0}
            pressed={showing({ status })}
            onClick={() => onFilter({ status })}
          />
        ))}
      </div>
      {reasons.length > 0 && (
        <div className="summary-counts" role="group" aria-label="Show skipped rows by reason">
          <span className="muted small">Skipped because of:</span>
          {reasons.map((reason) => (
            <CountButton
              key={reason}
              testId={`show-${reason}`}
              label={REASON_LABELS[reason]}
              count={campaign.skipCounts[reason] ?? 0}
              pressed={showing({ reason })}
              onClick={() => onFilter({ reason })}
            />
          ))}
          <button
            type="button"
            className="link-button"
            disabled={skipped === 0 || exporting}
            onClick={() => void exportSkipped()}
          >
            Export skipped rows
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

interface CountButtonProps {
  label: string;
  count: number;
  pressed: boolean;
  onClick: () => void;
  className?: string;
  testId?: string;
}

function CountButton({ label, count, pressed, onClick, className, testId }: CountButtonProps) {
  return (
    <button
      type="button"
      className="count-button"
      aria-pressed={pressed}
      data-testid={testId}
      onClick={onClick}
    >
      <span className={className}>{label}</span> <strong>{count.toLocaleString()}</strong>
    </button>
  );
}
