interface Props {
  offset: number;
  pageSize: number;
  total: number;
  onOffset: (offset: number) => void;
  /** What the two buttons say, e.g. Newer / Older for a list newest first. */
  labels?: { back: string; forward: string };
}

/** Back and forward through a list fetched a page at a time; shown only when there is more than a page. */
export function Pager({
  offset,
  pageSize,
  total,
  onOffset,
  labels = { back: 'Previous', forward: 'Next' },
}: Props) {
  if (total <= pageSize) return null;
  return (
    <div className="pager">
      <button
        type="button"
        className="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        {labels.back}
      </button>
      <span className="small">
        {(offset + 1).toLocaleString()}–{Math.min(offset + pageSize, total).toLocaleString()} of{' '}
        {total.toLocaleString()}
      </span>
      <button
        type="button"
        className="button"
        disabled={offset + pageSize >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {labels.forward}
      </button>
    </div>
  );
}
