import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Moves focus to the returned element when `key` changes (and on mount with `onMount`): the view changed under
 * the user, so focus must land on what replaced it rather than fall to the page body.
 */
export function useFocusOnChange<T extends HTMLElement>(key: unknown, onMount = false): RefObject<T | null> {
  const target = useRef<T>(null);
  const last = useRef<{ key: unknown } | null>(onMount ? null : { key });
  useEffect(() => {
    if (last.current !== null && Object.is(last.current.key, key)) return;
    last.current = { key };
    target.current?.focus();
  }, [key]);
  return target;
}

/** A focus request to give `useFocusOnChange` as its key: each call of the function moves focus once more. */
export function useFocusRequest(): [number, () => void] {
  const [requests, setRequests] = useState(0);
  return [requests, () => setRequests((n) => n + 1)];
}
