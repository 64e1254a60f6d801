import type { RowView } from '../../shared/api';
import { statusInWords } from '../../shared/status-words';
import { describeLength, type TextLimit } from '../../shared/text-limits';
import { plural, REASON_LABELS } from './format';

function detailOf(row: RowView): string {
  if (row.reason === 'missing-value' && row.emptyPlaceholders.length > 0) {
    return `${REASON_LABELS[row.reason]}: ${row.emptyPlaceholders.map((name) => `$(${name})`).join(', ')}`;
  }
  if (row.reason) return REASON_LABELS[row.reason];
  if (row.status === 'waiting') return 'for its window';
  return [row.code, row.description].filter((part) => part !== null && part !== '').join(' ');
}

/** `limit`: what the campaign's service's API takes, for rows too long to send. */
export function StatusCell({ row, limit }: { row: RowView; limit: TextLimit }) {
  const detail = detailOf(row);
  return (
    <>
      <span
        className={`status status-${row.status}`}
        data-testid={`status-${row.index}`}
        title={statusInWords(row, false)}
      >
        {row.status}
      </span>
      {row.tooLong ? (
        <span
          className="status-detail warning"
          data-testid={`detail-${row.index}`}
          title={describeLength(row.characters, limit)}
        >
          too long: {plural(row.characters, 'character')}, at most {limit.max.toLocaleString()}
        </span>
      ) : (
        detail && (
          <span className="status-detail" data-testid={`detail-${row.index}`} title={detail}>
            {detail}
          </span>
        )
      )}
    </>
  );
}
