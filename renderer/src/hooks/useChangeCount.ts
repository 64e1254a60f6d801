import { useState } from 'react';

/** How many times `key` has changed since the component mounted. */
export function useChangeCount(key: string): number {
  const [seen, setSeen] = useState({ key, count: 0 });
  if (seen.key === key) return seen.count;
  const next = { key, count: seen.count + 1 };
  setSeen(next);
  return next.count;
}
