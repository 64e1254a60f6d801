import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../format';
import { useDebounced } from './useDebounced';

export interface Page<T> {
  total: number;
  entries: T[];
}

export interface PageQuery {
  search: string | undefined;
  offset: number;
  limit: number;
}

/**
 * A list fetched a page at a time with a debounced search: going back a page when the one shown emptied,
 * fetching again on `refresh()` and whenever `fetchPage` changes (a new filter: pass it from useCallback).
 */
export function usePagedList<P extends Page<unknown>>(
  fetchPage: (query: PageQuery) => Promise<P>,
  pageSize: number,
  onError: (message: string) => void,
) {
  const [searchInput, setSearchInput] = useState('');
  const search = useDebounced(searchInput.trim(), 300);
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<P | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    fetchPage({ search: search === '' ? undefined : search, offset, limit: pageSize }).then(
      (result) => {
        if (!live) return;
        // A removal can leave the page past the end.
        if (result.entries.length === 0 && offset > 0) setOffset(Math.max(0, offset - pageSize));
        else setList(result);
      },
      (e: unknown) => live && onError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [fetchPage, search, offset, version, pageSize, onError]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  /** A new search starts from the first page. */
  const searchFor = useCallback((text: string) => {
    setSearchInput(text);
    setOffset(0);
  }, []);
  return { list, search, searchInput, searchFor, offset, setOffset, refresh };
}
