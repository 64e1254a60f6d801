import { clockTime } from '../../shared/window-words';
import { userTimeZone } from './format';
import type { SendProgress } from './hooks/useSendProgress';

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/**
 * The measured rate and the time left, as the core estimates them; no time left while rows wait for their window
 * (the window's opening says when they go).
 */
export function SendProgressLine({ progress, waiting }: { progress: SendProgress; waiting: boolean }) {
  return (
    <p className="small muted" data-testid="send-rate">
      {progress.perSecond.toLocaleString()} messages/s
      {progress.etaSeconds !== null && !waiting && ` · about ${duration(progress.etaSeconds)} left`}
    </p>
  );
}

/** While rows wait for their window: when the next one opens, on the user's clock. */
export function NextWindowLine({ at, testId = 'next-window' }: { at: string | null; testId?: string }) {
  if (at === null) return null;
  return (
    <p className="small" data-testid={testId}>
      Next window opens at {clockTime(at, userTimeZone())} (your time).
    </p>
  );
}
