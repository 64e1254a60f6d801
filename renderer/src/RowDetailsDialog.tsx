import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RowDetails } from '../../shared/api';
import { errorText, formatDuration, formatTime, zoneName } from './format';
import { useDesk, useDeskEvent } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaignId: string;
  /** The row shown, by its index in the file. */
  row: number;
  onClose: () => void;
}

function Detail({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** Everything known about one row: what was sent, every delivery report, and the replies. */
export function RowDetailsDialog({ campaignId, row, onClose }: Props) {
  const desk = useDesk();
  const dialog = useRef<HTMLDialogElement>(null);
  const [details, setDetails] = useState<RowDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useDeskEvent('rows.updated', (update) => {
    if (update.campaignId === campaignId && update.rows.some((p) => p.index === row))
      setRevision((n) => n + 1);
  });

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    let live = true;
    desk.call('campaigns.row', { id: campaignId, row }).then(
      (d) => {
        if (!live) return;
        setDetails(d);
        setError(null);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [desk, campaignId, row, revision]);

  const d = details?.index === row ? details : null;
  return (
    <dialog ref={dialog} className="row-details" aria-labelledby="row-details-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="row-details-title">Row {row + 1}</h2>
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <ErrorNote error={error} />
      {d === null ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="details">
            <Detail label="Number" testId="row-msisdn">
              {d.msisdn ?? '—'}
            </Detail>
            <Detail label="Time zone" testId="row-zones">
              {d.timeZones.length === 0
                ? 'not known: sent at any hour'
                : `${d.timeZones.map(zoneName).join(', ')} (${d.timeZoneFromFile ? "from the file's time-zone column" : 'from the number'})`}
            </Detail>
            <Detail label="Status" testId="row-status">
              <span className={`status status-${d.status}`}>{d.status}</span>
            </Detail>
            <Detail label="Code" testId="row-code">
              {d.code === null ? '—' : `${d.code}${d.meaning ? ` · ${d.meaning}` : ''}`}
            </Detail>
            <Detail label="Description" testId="row-description">
              {d.description ?? '—'}
            </Detail>
            <Detail label="Carrier" testId="row-carrier">
              {d.carrier ?? '—'}
            </Detail>
            <Detail label="Sent" testId="row-sent-at">
              {d.sentAt ? formatTime(d.sentAt) : '—'}
            </Detail>
            <Detail label="Final report" testId="row-delivered-at">
              {d.deliveredAt ? formatTime(d.deliveredAt) : '—'}
            </Detail>
            <Detail label="Time to deliver" testId="row-time-to-deliver">
              {d.secondsToDeliver === null ? '—' : formatDuration(d.secondsToDeliver)}
            </Detail>
          </dl>
          <p className="message-sent" data-testid="row-message">
            {d.message}
          </p>
          <h3 id="row-history-title">Delivery reports</h3>
          {d.history.length === 0 ? (
            <p className="muted">No delivery report has arrived for this message.</p>
          ) : (
            <table className="history-table" aria-labelledby="row-history-title" data-testid="row-history">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Platform time</th>
                  <th scope="col">Status</th>
                  <th scope="col">Code</th>
                  <th scope="col">Carrier</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((e, i) => (
                  <tr key={i}>
                    <td>{formatTime(e.receivedAt)}</td>
                    <td>{e.reportedAt ? formatTime(e.reportedAt) : '—'}</td>
                    <td>
                      <span className={`status status-${e.status}`}>{e.status}</span>
                    </td>
                    <td title={e.description ?? undefined}>
                      {e.code ?? '—'}
                      {e.meaning ? ` · ${e.meaning}` : e.description ? ` · ${e.description}` : ''}
                    </td>
                    <td>{e.carrier ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 id="row-replies-title">Replies</h3>
          {d.replies.length === 0 ? (
            <p className="muted">No reply from this number.</p>
          ) : (
            <ul className="replies" aria-labelledby="row-replies-title">
              {d.replies.map((reply) => (
                <li key={reply.id}>
                  <span className="muted small">{formatTime(reply.receivedAt)}</span> {reply.text}
                  {reply.action === 'opted-out' && <span className="status status-skipped">opted out</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </dialog>
  );
}
