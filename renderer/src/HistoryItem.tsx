import type { CampaignView } from '../../shared/api';
import { campaignFigures } from '../../shared/campaign-figures';
import { CampaignActions } from './CampaignActions';
import { ErrorNote } from './ErrorNote';
import { formatDate, formatMoney, plural } from './format';
import { useAction } from './hooks/useAction';
import { ReportExports } from './ReportExports';

interface Props {
  campaign: CampaignView;
  onOpen: (campaign: CampaignView) => void;
  onChanged: (campaign: CampaignView) => void;
  onDeleted: () => void;
}

/** One campaign in History: what it is, its figures, and what can be done with it. */
export function HistoryItem({ campaign: c, onOpen, onChanged, onDeleted }: Props) {
  const exporting = useAction();
  const f = campaignFigures(c.counts);
  return (
    <li className="card history-item" aria-label={c.name}>
      <div>
        <h3>{c.name}</h3>
        <p className="muted small">
          {formatDate(c.createdAt)} · {c.fileName} · {plural(c.rowCount, 'row')}
        </p>
        <p className="small">
          <span className={`state state-${c.state}`}>{c.state}</span>
          {c.startMissed && <span className="state state-missed">start missed</span>}
          {c.archived && <span className="state state-archived">archived</span>}
          {c.startedAt && ` · sent ${formatDate(c.startedAt)}`}
          {c.endedAt && c.state !== 'sending' && ` · ended ${formatDate(c.endedAt)}`}
        </p>
      </div>
      {f.sent > 0 ? (
        <dl className="history-figures" aria-label={`Figures of ${c.name}`}>
          <dt>Sent</dt>
          <dd>{f.sent.toLocaleString()}</dd>
          <dt>Delivered</dt>
          <dd>{`${f.delivered.toLocaleString()} delivered`}</dd>
          <dt>Failed</dt>
          <dd>{f.failed.toLocaleString()}</dd>
          <dt>Delivery rate</dt>
          <dd>{f.deliveryRate === null ? '–' : `${(f.deliveryRate * 100).toFixed(1)}%`}</dd>
          <dt>Cost</dt>
          <dd>{formatMoney(c.estimatedCost)}</dd>
        </dl>
      ) : (
        <p className="muted small">{plural(f.ready, 'message')} ready, not sent</p>
      )}
      <div className="history-actions">
        <button type="button" className="button" aria-label={`Open ${c.name}`} onClick={() => onOpen(c)}>
          Open
        </button>
        {f.sent > 0 && (
          <ReportExports campaignId={c.id} campaignName={c.name} busy={exporting.busy} run={exporting.run} />
        )}
      </div>
      <ErrorNote error={exporting.error} />
      <CampaignActions
        campaign={c}
        failed={f.failed}
        onCreated={onOpen}
        onChanged={onChanged}
        onDeleted={onDeleted}
      />
    </li>
  );
}
