import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { RowFilter, RowView } from '../../../shared/api';
import { RowsStore } from '../stores/rows-store';
import { errorText } from '../format';
import { useDesk, useDeskEvent } from './useDesk';

export interface Rows {
  /** Rows passing the filter; null while a new filter's first page is on its way. */
  total: number | null;
  /** The row at a position of the filtered list, as last fetched and with any status update since. */
  rowAt(position: number): RowView | undefined;
  /** Fetches the pages covering positions first..last that are missing or older than the revision. */
  ensure(first: number, last: number): void;
  error: string | null;
}

const PAGE_SIZE = 200;
/** Pages kept around the last one fetched; farther ones are dropped and fetched again if needed. */
const MAX_PAGES = 40;

export function filterKey(filter: RowFilter): string {
  return JSON.stringify([filter.status ?? null, filter.reason ?? null, filter.search?.trim() ?? '']);
}

export function isFiltered(filter: RowFilter): boolean {
  return Boolean(filter.status || filter.reason || filter.search?.trim());
}

/** A campaign's rows store for as long as `key` stays the same, patched live; a new one when it changes. */
function useRowsStore(campaignId: string, key: string, make: () => RowsStore): RowsStore {
  const [held, setHeld] = useState(() => ({ key, store: make() }));
  const current = held.key === key ? held : { key, store: make() };
  if (current !== held) setHeld(current);
  useSyncExternalStore(current.store.subscribe, current.store.version);
  useDeskEvent('rows.updated', (update) => {
    if (update.campaignId === campaignId) current.store.patch(update.rows);
  });
  return current.store;
}

/**
 * A page cache over `campaigns.rows` for one filter: refetched per revision (edits that change rows),
 * reset when the filter changes, patched live by `rows.updated`.
 */
export function useRows(campaignId: string, revision: number, filter: RowFilter, rowCount: number): Rows {
  const desk = useDesk();
  const key = filterKey(filter);
  const unfiltered = !isFiltered(filter);
  const [error, setError] = useState<string | null>(null);
  const store = useRowsStore(
    campaignId,
    `${campaignId}:${key}`,
    () => new RowsStore(PAGE_SIZE, MAX_PAGES, unfiltered ? rowCount : null, revision),
  );

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (!store.claim(page, revision)) continue;
        desk
          .call('campaigns.rows', {
            id: campaignId,
            offset: page * PAGE_SIZE,
            limit: PAGE_SIZE,
            filter: unfiltered ? undefined : filter,
          })
          .then(
            ({ total, rows }) => {
              setError(null);
              store.receive(page, revision, rows, total);
            },
            (e: unknown) => {
              setError(errorText(e));
              store.fail(page, revision);
            },
          );
      }
    },
    [desk, campaignId, revision, unfiltered, filter, store],
  );

  // A filtered list's length is only known from its pages; an empty list shows none to fetch, so its
  // first page is asked for again at each revision in case rows joined it.
  const total = store.total;
  useEffect(() => {
    if (total === null || total === 0) ensure(0, 0);
  }, [total, ensure]);

  const version = store.version();
  // A new function for each change of the store, so that what is drawn from it is drawn again.
  const rowAt = useCallback((position: number) => store.rowAt(position), [store, version]);

  return { total, rowAt, ensure, error };
}

/** One row by its index in the file, refetched per revision and patched live: the previewed row. */
export function useRow(campaignId: string, index: number, revision: number): RowView | undefined {
  const desk = useDesk();
  // A list of one-row pages, holding the one row.
  const store = useRowsStore(campaignId, `${campaignId}:${index}`, () => new RowsStore(1, 1, null, revision));

  useEffect(() => {
    if (!store.claim(index, revision)) return;
    desk.call('campaigns.rows', { id: campaignId, offset: index, limit: 1 }).then(
      ({ total, rows }) => store.receive(index, revision, rows, total),
      () => store.fail(index, revision),
    );
  }, [desk, store, campaignId, index, revision]);

  return store.rowAt(index);
}
