import { useCallback, useState } from 'react';
import { problemOf, type Problem } from '../format';

/** Runs one user action at a time, keeping whether one is under way and the error of the last. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | Problem | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
