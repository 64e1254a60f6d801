import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { plural } from './format';
import type { Rows } from './hooks/useRows';
import { StatusCell } from './StatusCell';

interface Props {
  campaign: CampaignView;
  rows: Rows;
  selected: number;
  onSelect: (index: number) => void;
}

const ROW_HEIGHT = 40;
const VISIBLE_ROWS = 12;
const KEY_STEPS: Record<string, number> = { Enter: 0, ' ': 0, ArrowDown: 1, ArrowUp: -1 };

export function RecipientsTable({ campaign, rows, selected, onSelect }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: campaign.rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index;
  const last = items.at(-1)?.index;
  const { ensure } = rows;

  useEffect(() => {
    if (first !== undefined && last !== undefined) ensure(first, last);
  }, [first, last, ensure]);

  function onKeyDown(e: KeyboardEvent, index: number) {
    const step = KEY_STEPS[e.key];
    const next = index + (step ?? 0);
    if (step === undefined || next < 0 || next >= campaign.rowCount) return;
    e.preventDefault();
    onSelect(next);
    virtualizer.scrollToIndex(next);
    scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus();
  }

  const phoneHeader = campaign.phoneColumn === null ? 'Phone' : campaign.columns[campaign.phoneColumn];

  return (
    <section className="card table-card" aria-labelledby="recipients-title">
      <div className="table-title">
        <h2 id="recipients-title">Recipients</h2>
        <span className="muted small">
          {plural(campaign.rowCount, 'row')} · click a row to preview its message
        </span>
      </div>
      {rows.error && (
        <p className="error" role="alert">
          {rows.error}
        </p>
      )}
      <div
        role="table"
        aria-labelledby="recipients-title"
        aria-rowcount={campaign.rowCount + 1}
        className="table"
      >
        <div role="row" className="table-row table-head" aria-rowindex={1}>
          <span role="columnheader" className="num">
            #
          </span>
          <span role="columnheader">{phoneHeader}</span>
          <span role="columnheader">Number (E.164)</span>
          <span role="columnheader">Message</span>
          <span role="columnheader" className="num">
            Segments
          </span>
          <span role="columnheader">Status</span>
        </div>
        <div
          ref={scrollRef}
          className="table-scroll"
          role="rowgroup"
          style={{ height: Math.min(campaign.rowCount, VISIBLE_ROWS) * ROW_HEIGHT }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows.rowAt(item.index);
              return (
                <div
                  key={item.index}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-current={item.index === selected ? 'true' : undefined}
                  data-index={item.index}
                  data-testid={`row-${item.index}`}
                  tabIndex={item.index === selected ? 0 : -1}
                  className={`table-row${item.index === selected ? ' selected' : ''}`}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => onSelect(item.index)}
                  onKeyDown={(e) => onKeyDown(e, item.index)}
                >
                  <span role="cell" className="num">
                    {item.index + 1}
                  </span>
                  {row ? (
                    <>
                      <span role="cell" className="ellipsis">
                        {campaign.phoneColumn === null ? '' : row.values[campaign.phoneColumn]}
                      </span>
                      <span role="cell" className="ellipsis" data-testid={`msisdn-${item.index}`}>
                        {row.msisdn ?? '—'}
                      </span>
                      <span
                        role="cell"
                        className="ellipsis"
                        data-testid={`message-${item.index}`}
                        title={row.message}
                      >
                        {row.message}
                      </span>
                      <span role="cell" className="num">
                        {row.segments}
                      </span>
                      <span role="cell" className="status-cell">
                        <StatusCell row={row} />
                      </span>
                    </>
                  ) : (
                    <span role="cell" className="muted loading-cell">
                      Loading…
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
