import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CampaignView, RowFilter } from '../../shared/api';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { errorText, formatTime, plural, REASON_LABELS, zoneName, zonesText } from './format';
import { useDesk } from './hooks/useDesk';
import { useFocusOnChange, useFocusRequest } from './hooks/useFocusOnChange';
import { filterKey, isFiltered, useRows } from './hooks/useRows';
import { RecipientsSummary } from './RecipientsSummary';
import { StatusCell } from './StatusCell';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaign: CampaignView;
  /** Grows whenever the rows may have changed, so that fetched pages are refreshed. */
  revision: number;
  /** The previewed row, by its index in the file. */
  selected: number;
  onSelect: (index: number) => void;
  /** Once the campaign has been sent, a click (or Enter) on a row opens its delivery details. */
  onOpen: ((index: number) => void) | null;
}

const ROW_HEIGHT = 40;
/**
 * Browsers cap an element's height (Chromium near 33.5 million pixels); past that rows would be out of
 * reach, so very long lists get shorter rows: 33 px for a million.
 */
const MAX_SCROLL_HEIGHT = 33_000_000;
const MIN_ROW_HEIGHT = 24;
const VISIBLE_ROWS = 12;
const SEARCH_DELAY_MS = 300;
/** While scrolling, pages are requested at most this often. */
const FETCH_INTERVAL_MS = 80;
const KEY_STEPS: Record<string, number> = { Enter: 0, ' ': 0, ArrowDown: 1, ArrowUp: -1 };

function rowHeightFor(rowCount: number): number {
  if (rowCount * ROW_HEIGHT <= MAX_SCROLL_HEIGHT) return ROW_HEIGHT;
  return Math.max(MIN_ROW_HEIGHT, Math.floor(MAX_SCROLL_HEIGHT / rowCount));
}

function describeFilter(filter: RowFilter): string {
  const parts: string[] = [];
  if (filter.status) parts.push(filter.status);
  if (filter.reason) parts.push(`skipped: ${REASON_LABELS[filter.reason]}`);
  if (filter.search) parts.push(`containing “${filter.search}”`);
  return parts.join(', ');
}

export function RecipientsTable({ campaign, revision, selected, onSelect, onOpen }: Props) {
  const desk = useDesk();
  const [counted, setCounted] = useState<Pick<RowFilter, 'status' | 'reason'>>({});
  const [searchInput, setSearchInput] = useState('');
  // Clear filter takes itself away: focus goes to the search field, at the head of the filter tools.
  const [cleared, requestSearchFocus] = useFocusRequest();
  const searchField = useFocusOnChange<HTMLInputElement>(cleared);
  const [search, setSearch] = useState('');
  const filter = useMemo<RowFilter>(
    () => ({ ...counted, search: search === '' ? undefined : search }),
    [counted, search],
  );
  const filtered = isFiltered(filter);
  const rows = useRows(campaign.id, revision, filter, campaign.rowCount);
  const count = rows.total ?? 0;
  const rowHeight = rowHeightFor(campaign.rowCount);
  // The selected row's position in the list shown, when known (-1: not in it, or not located).
  const [cursor, setCursor] = useState({ key: filterKey(filter), position: filtered ? -1 : selected });
  const position = cursor.key === filterKey(filter) ? cursor.position : -1;
  const [scrollTarget, setScrollTarget] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [jumping, setJumping] = useState(false);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index;
  const last = items.at(-1)?.index;
  const { ensure } = rows;
  const { isScrolling } = virtualizer;
  const lastFetch = useRef(0);

  useEffect(() => {
    if (first === undefined || last === undefined) return;
    const wait = isScrolling ? FETCH_INTERVAL_MS - (performance.now() - lastFetch.current) : 0;
    const load = () => {
      lastFetch.current = performance.now();
      ensure(first, last);
    };
    if (wait <= 0) return load();
    const timer = setTimeout(load, wait);
    return () => clearTimeout(timer);
  }, [first, last, ensure, isScrolling]);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchInput.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchInput]);

  // A jump waits until the list it lands in is long enough to hold its target. The page scrolls too
  // when the list is below the fold, so that the row is in sight.
  useEffect(() => {
    if (scrollTarget === null || rows.total === null || scrollTarget >= rows.total) return;
    virtualizer.scrollToIndex(scrollTarget, { align: 'center' });
    scrollRef.current?.scrollIntoView({ block: 'nearest' });
    setScrollTarget(null);
  }, [scrollTarget, rows.total, virtualizer]);

  function select(index: number, at: number) {
    onSelect(index);
    setCursor({ key: filterKey(filter), position: at });
  }

  function open(index: number, at: number) {
    select(index, at);
    onOpen?.(index);
  }

  function showOnly(next: Pick<RowFilter, 'status' | 'reason'>) {
    setNotice(null);
    setCounted(next);
    virtualizer.scrollToOffset(0);
  }

  function clearFilter() {
    setNotice(null);
    setCounted({});
    setSearchInput('');
    setSearch('');
  }

  async function nextProblem() {
    setNotice(null);
    setJumping(true);
    try {
      // A list of skipped rows holds only problems: step through it. Otherwise ask the core for the
      // next problem in the file and show the whole file to land on it.
      if (filtered && (filter.reason !== undefined || filter.status === 'skipped')) {
        if (count === 0) return setNotice('No row is in this list.');
        const at = (position + 1) % count;
        const { rows: page } = await desk.call('campaigns.rows', {
          id: campaign.id,
          offset: at,
          limit: 1,
          filter,
        });
        if (!page[0]) return;
        select(page[0].index, at);
        setScrollTarget(at);
        return;
      }
      const { index } = await desk.call('campaigns.nextProblem', { id: campaign.id, after: selected });
      if (index === null) return setNotice('No problem rows: every row can be sent.');
      if (filtered) clearFilter();
      onSelect(index);
      setCursor({ key: filterKey({}), position: index });
      setScrollTarget(index);
    } catch (e) {
      setNotice(errorText(e));
    } finally {
      setJumping(false);
    }
  }

  function onKeyDown(e: KeyboardEvent, at: number) {
    const step = KEY_STEPS[e.key];
    const next = at + (step ?? 0);
    const row = rows.rowAt(next);
    if (step === undefined || next < 0 || next >= count || !row) return;
    e.preventDefault();
    if (e.key === 'Enter' && onOpen) return open(row.index, next);
    select(row.index, next);
    virtualizer.scrollToIndex(next);
    scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus();
  }

  const phoneHeader = campaign.phoneColumn === null ? 'Phone' : campaign.columns[campaign.phoneColumn];
  const focusable = position >= 0 && position < count ? position : (first ?? 0);

  return (
    <section className="card table-card" aria-labelledby="recipients-title">
      <div className="table-title">
        <h2 id="recipients-title">Recipients</h2>
        <span className="muted small">
          {plural(campaign.rowCount, 'row')} ·{' '}
          {onOpen ? 'click a row to see its delivery reports' : 'click a row to preview its message'}
        </span>
      </div>
      <RecipientsSummary campaign={campaign} filter={counted} onFilter={showOnly} />
      <div className="table-tools">
        <input
          type="search"
          className="table-search"
          ref={searchField}
          aria-label="Search recipients"
          placeholder="Search names, numbers, messages…"
          maxLength={200}
          value={searchInput}
          onChange={(e) => setSearchInput(e.target.value)}
        />
        <button
          type="button"
          className="button"
          disabled={jumping}
          title="Select the next row that will not be sent or whose message is too long"
          onClick={() => void nextProblem()}
        >
          Next problem
        </button>
        {filtered && (
          <p className="active-filter" role="status" data-testid="active-filter">
            <span>
              Showing{' '}
              {rows.total === null
                ? '…'
                : `${count.toLocaleString()} of ${campaign.rowCount.toLocaleString()}`}{' '}
              rows: {describeFilter(filter)}
            </span>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                clearFilter();
                requestSearchFocus();
              }}
            >
              Clear filter
            </button>
          </p>
        )}
      </div>
      {notice && (
        <p className="muted small" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={rows.error} />
      <div
        role="table"
        aria-labelledby="recipients-title"
        aria-rowcount={count + 1}
        className={`table${onOpen ? ' table-sent' : ''}`}
      >
        <div role="row" className="table-row table-head" aria-rowindex={1}>
          <span role="columnheader" className="num">
            #
          </span>
          <span role="columnheader">{phoneHeader}</span>
          <span role="columnheader">Sent to</span>
          <span role="columnheader">Time zone</span>
          <span role="columnheader">Message</span>
          <span role="columnheader" className="num">
            Segments
          </span>
          <span role="columnheader">Status</span>
          {onOpen && <span role="columnheader">Final report</span>}
        </div>
        {rows.total === 0 && (
          <p className="muted table-empty" data-testid="no-rows">
            No row matches.
          </p>
        )}
        <div
          ref={scrollRef}
          className="table-scroll"
          role="rowgroup"
          style={{ height: Math.min(count, VISIBLE_ROWS) * rowHeight }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows.rowAt(item.index);
              const isSelected = row !== undefined && row.index === selected;
              return (
                <div
                  key={item.index}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-current={isSelected ? 'true' : undefined}
                  data-index={item.index}
                  data-testid={row ? `row-${row.index}` : undefined}
                  tabIndex={item.index === focusable ? 0 : -1}
                  className={`table-row${isSelected ? ' selected' : ''}`}
                  style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}
                  onClick={() => row && open(row.index, item.index)}
                  onKeyDown={(e) => onKeyDown(e, item.index)}
                >
                  {row ? (
                    <>
                      <span role="cell" className="num">
                        {row.index + 1}
                      </span>
                      <span role="cell" className="ellipsis">
                        {campaign.phoneColumn === null ? '' : row.values[campaign.phoneColumn]}
                      </span>
                      <span role="cell" className="ellipsis" data-testid={`msisdn-${row.index}`}>
                        {row.msisdn ?? '—'}
                      </span>
                      <span
                        role="cell"
                        className="zone-cell"
                        data-testid={`zone-${row.index}`}
                        title={row.timeZones.map(zoneName).join(', ') || undefined}
                      >
                        <span className="ellipsis">{zonesText(row.timeZones) || '—'}</span>
                        {row.timeZoneFromFile && <span className="from-file">from file</span>}
                      </span>
                      <span
                        role="cell"
                        className="ellipsis"
                        data-testid={`message-${row.index}`}
                        title={row.message}
                      >
                        {row.message}
                      </span>
                      <span role="cell" className="num">
                        {row.segments}
                      </span>
                      <span role="cell" className="status-cell">
                        <StatusCell row={row} limit={TEXT_LIMITS[campaign.messageLength.api]} />
                      </span>
                      {onOpen && (
                        <span
                          role="cell"
                          className="ellipsis"
                          data-testid={`delivered-at-${row.index}`}
                          title={row.deliveredAt ? formatTime(row.deliveredAt) : undefined}
                        >
                          {row.deliveredAt ? new Date(row.deliveredAt).toLocaleTimeString() : ''}
                        </span>
                      )}
                    </>
                  ) : (
                    <>
                      <span role="cell" className="num" />
                      <span role="cell" className="muted loading-cell">
                        Loading…
                      </span>
                    </>
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
