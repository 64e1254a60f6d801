import type { SendProgress } from './hooks/useSendProgress';

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** The measured rate and the time left, as the core estimates them. */
export function SendProgressLine({ progress }: { progress: SendProgress }) {
  return (
    <p className="small muted" data-testid="send-rate">
      {progress.perSecond.toLocaleString()} messages/s
      {progress.etaSeconds !== null && ` · about ${duration(progress.etaSeconds)} left`}
    </p>
  );
}
