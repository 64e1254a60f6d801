import type { EventPayload } from '../../shared/api';

type Progress = EventPayload<'send.progress'>;

/** One line: bar, percentage, counts, rate and time left, fitted to `columns`. */
export function progressLine(p: Progress, columns: number): string {
  const share = p.total === 0 ? 1 : p.done / p.total;
  const stats = ` ${Math.floor(share * 100)}% ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} · ${p.perSecond.toLocaleString('en')} msg/s · ETA ${formatDuration(p.etaSeconds)}`;
  const width = Math.max(10, Math.min(40, columns - stats.length - 3));
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${stats}`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
