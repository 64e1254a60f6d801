import { useEffect, useState } from 'react';

/** The current time, refreshed when `until` (an ISO time) passes, so that views waiting for it re-render. */
export function useNowUntil(until: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const left = Date.parse(until) - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(left + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [until, now]);
  return now;
}
