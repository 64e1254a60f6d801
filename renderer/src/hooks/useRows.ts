import { useCallback, useRef, useState } from 'react';
import type { RowPatch, RowView } from '../../../shared/api';
import { errorText } from '../format';
import { useDesk, useDeskEvent } from './useDesk';

export interface Rows {
  /** The row as last fetched, with any status update received since; undefined until its page arrives. */
  rowAt(index: number): RowView | undefined;
  /** Fetches the pages covering rows first..last that are missing or older than the current revision. */
  ensure(first: number, last: number): void;
  error: string | null;
}

const PAGE_SIZE = 200;

interface Page {
  revision: number;
  rows: readonly RowView[];
}

/** A page cache over `campaigns.rows`, refetched per revision and patched live by `rows.updated`. */
export function useRows(campaignId: string, revision: number): Rows {
  const desk = useDesk();
  const [pages, setPages] = useState<ReadonlyMap<number, Page>>(new Map());
  const [patches, setPatches] = useState<ReadonlyMap<number, RowPatch>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<string>());

  useDeskEvent('rows.updated', (update) => {
    if (update.campaignId !== campaignId) return;
    setPatches((current) => {
      const next = new Map(current);
      for (const patch of update.rows) next.set(patch.index, patch);
      return next;
    });
  });

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        const tag = `${revision}:${page}`;
        if (pages.get(page)?.revision === revision || requested.current.has(tag)) continue;
        requested.current.add(tag);
        desk.call('campaigns.rows', { id: campaignId, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
          ({ rows }) => {
            setError(null);
            // Until it arrives the older page stays on screen, so edits don't blank the table.
            setPages((current) =>
              (current.get(page)?.revision ?? -1) > revision
                ? current
                : new Map(current).set(page, { revision, rows }),
            );
          },
          (e: unknown) => {
            requested.current.delete(tag);
            setError(errorText(e));
          },
        );
      }
    },
    [desk, campaignId, revision, pages],
  );

  const rowAt = useCallback(
    (index: number) => {
      const row = pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE];
      const patch = patches.get(index);
      // Events and fetched pages travel separately, so whichever is newer wins.
      if (!row || !patch || (patch.updatedAt ?? '') < (row.updatedAt ?? '')) return row;
      return { ...row, ...patch };
    },
    [pages, patches],
  );

  return { rowAt, ensure, error };
}
