import type { RowView } from '../../shared/api';
import { REASON_LABELS } from './format';

export function StatusCell({ row }: { row: RowView }) {
  const detail = row.reason
    ? REASON_LABELS[row.reason]
    : [row.code, row.description].filter((part) => part !== null && part !== '').join(' ');
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
