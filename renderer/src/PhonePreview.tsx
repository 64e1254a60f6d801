import type { RowView } from '../../shared/api';
import { clockTime } from '../../shared/window-words';
import { REASON_LABELS, userTimeZone } from './format';
import type { MessagePreview } from './hooks/useMessagePreview';

interface Props {
  senderId: string;
  preview: MessagePreview | null;
  row: RowView | undefined;
  phoneColumn: number | null;
}

export function PhonePreview({ senderId, preview, row, phoneColumn }: Props) {
  const to = row && (row.msisdn ?? (phoneColumn === null ? '' : row.values[phoneColumn]));
  return (
    <figure className="phone" aria-label="Message preview">
      <div className="phone-top">
        <span className="phone-sender">{senderId.trim() || 'Sender ID'}</span>
        {to && <span className="phone-to">to {to}</span>}
      </div>
      <div className="phone-screen">
        {preview?.text ? (
          <p className="bubble" data-testid="preview-bubble">
            {preview.text}
          </p>
        ) : (
          <p className="muted small">{preview ? 'Write a message to see it here.' : 'Loading…'}</p>
        )}
      </div>
      <figcaption className="small">
        {row ? `Row ${(row.index + 1).toLocaleString()}` : 'Select a row in the table to preview it.'}
        {row?.reason && <span className="warning"> · not sent: {REASON_LABELS[row.reason]}</span>}
        {row?.windowOpensAt && (
          <span data-testid="preview-row-wait">
            {' '}
            · waits for its window: until {clockTime(row.windowOpensAt, row.timeZones[0] ?? 'UTC')} their time
            ({clockTime(row.windowOpensAt, userTimeZone())} yours)
          </span>
        )}
      </figcaption>
    </figure>
  );
}
