import type { RowView } from '../../shared/api';
import { REASON_LABELS } from './format';

function detailOf(row: RowView): string {
  if (row.reason === 'missing-value' && row.emptyPlaceholders.length > 0) {
    return `${REASON_LABELS[row.reason]}: ${row.emptyPlaceholders.map((name) => `$(${name})`).join(', ')}`;
  }
  if (row.reason) return REASON_LABELS[row.reason];
  return [row.code, row.description].filter((part) => part !== null && part !== '').join(' ');
}

export function StatusCell({ row }: { row: RowView }) {
  const detail = detailOf(row);
  return (
    <>
      <span className={`status status-${row.status}`} data-testid={`status-${row.index}`}>
        {row.status}
      </span>
      {detail && (
        <span className="status-detail" data-testid={`detail-${row.index}`} title={detail}>
          {detail}
        </span>
      )}
    </>
  );
}
