import { useCallback, useEffect, useRef, useState } from 'react';
import type { RowFilter, RowPatch, RowView } from '../../../shared/api';
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

interface Page {
  revision: number;
  rows: readonly RowView[];
}

interface Cache {
  /** The filter the pages are a list of. */
  key: string;
  pages: ReadonlyMap<number, Page>;
  total: number | null;
  /** The revision `total` was counted at. */
  totalRevision: number;
}

export function filterKey(filter: RowFilter): string {
  return JSON.stringify([filter.status ?? null, filter.reason ?? null, filter.search?.trim() ?? '']);
}

export function isFiltered(filter: RowFilter): boolean {
  return Boolean(filter.status || filter.reason || filter.search?.trim());
}

/** Patches received from `rows.updated`, by row index; whichever is newer, patch or fetched row, wins. */
function usePatches(campaignId: string) {
  const [patches, setPatches] = useState<ReadonlyMap<number, RowPatch>>(new Map());
  useDeskEvent('rows.updated', (update) => {
    if (update.campaignId !== campaignId) return;
    setPatches((current) => {
      const next = new Map(current);
      for (const patch of update.rows) next.set(patch.index, patch);
      return next;
    });
  });
  return useCallback(
    (row: RowView | undefined) => {
      const patch = row && patches.get(row.index);
      if (!row || !patch || (patch.updatedAt ?? '') < (row.updatedAt ?? '')) return row;
      return { ...row, ...patch };
    },
    [patches],
  );
}

/**
 * A page cache over `campaigns.rows` for one filter: refetched per revision (edits that change rows),
 * reset when the filter changes, patched live by `rows.updated`.
 */
export function useRows(campaignId: string, revision: number, filter: RowFilter, rowCount: number): Rows {
  const desk = useDesk();
  const key = filterKey(filter);
  const unfiltered = !isFiltered(filter);
  const fresh = (): Cache => ({
    key,
    pages: new Map(),
    total: unfiltered ? rowCount : null,
    totalRevision: revision,
  });
  const [cache, setCache] = useState<Cache>(fresh);
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<string>());
  const patched = usePatches(campaignId);
  const current = cache.key === key ? cache : fresh();
  if (cache.key !== key) setCache(current);

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        const tag = `${key}:${revision}:${page}`;
        if (current.pages.get(page)?.revision === revision || requested.current.has(tag)) continue;
        requested.current.add(tag);
        desk
          .call('campaigns.rows', {
            id: campaignId,
            offset: page * PAGE_SIZE,
            limit: PAGE_SIZE,
            filter: unfiltered ? undefined : filter,
          })
          .then(
            ({ total, rows }) => {
              requested.current.delete(tag);
              setError(null);
              setCache((c) => {
                if (c.key !== key) return c;
                // Until it arrives the older page stays on screen, so edits don't blank the table.
                if ((c.pages.get(page)?.revision ?? -1) > revision) return c;
                const pages = new Map(c.pages).set(page, { revision, rows });
                for (const p of [...pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page))) {
                  if (pages.size <= MAX_PAGES) break;
                  pages.delete(p);
                }
                const newer = revision >= c.totalRevision;
                return {
                  ...c,
                  pages,
                  total: newer ? total : c.total,
                  totalRevision: newer ? revision : c.totalRevision,
                };
              });
            },
            (e: unknown) => {
              requested.current.delete(tag);
              setError(errorText(e));
            },
          );
      }
    },
    [desk, campaignId, revision, key, unfiltered, filter, current.pages],
  );

  // A filtered list's length is only known from its pages; an empty list shows none to fetch, so its
  // first page is asked for again at each revision in case rows joined it.
  const total = current.total;
  useEffect(() => {
    if (total === null || total === 0) ensure(0, 0);
  }, [total, ensure]);

  const rowAt = useCallback(
    (position: number) =>
      patched(current.pages.get(Math.floor(position / PAGE_SIZE))?.rows[position % PAGE_SIZE]),
    [current.pages, patched],
  );

  return { total, rowAt, ensure, error };
}

/** One row by its index in the file, refetched per revision and patched live: the previewed row. */
export function useRow(campaignId: string, index: number, revision: number): RowView | undefined {
  const desk = useDesk();
  const [fetched, setFetched] = useState<{ index: number; revision: number; row: RowView } | null>(null);
  const patched = usePatches(campaignId);

  useEffect(() => {
    let live = true;
    desk.call('campaigns.rows', { id: campaignId, offset: index, limit: 1 }).then(
      ({ rows }) => {
        const row = rows[0];
        if (live && row) setFetched({ index, revision, row });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [desk, campaignId, index, revision]);

  return patched(fetched?.index === index ? fetched.row : undefined);
}
