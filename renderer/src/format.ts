import { DeskCallError } from './api/desk-client';

export { REASON_LABELS } from '../../shared/status-words';

/** An error as the screen shows it: a sentence, and the technical account behind a Details toggle. */
export interface Problem {
  text: string;
  detail: string | null;
}

/** The message to show for a failed call: DeskCallError messages are written for the user. */
export function errorText(error: unknown): string {
  return problemOf(error).text;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof TypeError && error.message === 'Failed to fetch') {
    return {
      text: 'Campaign Desk cannot reach its core. Restart the app and try again.',
      detail: error.message,
    };
  }
  if (error instanceof DeskCallError) return { text: error.message, detail: error.detail };
  return { text: error instanceof Error ? error.message : String(error), detail: null };
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;
}

/** A file size as people read one: `64 MB`, `512 KB`. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Math.round(mb).toLocaleString()} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function formatMoney(amount: number): string {
  return amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function percent(fraction: number): string {
  return `${Math.floor(Math.min(Math.max(fraction, 0), 1) * 100)}%`;
}

/** Offers `csv` as a download, as the core wrote it (with its byte order mark). */
export function downloadCsv(fileName: string, csv: string): void {
  offer(fileName, new Blob([csv], { type: 'text/csv;charset=utf-8' }));
}

function offer(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Released later: the download reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers an Excel workbook, sent by the core as base64, as a download. */
export function downloadXlsx(fileName: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  offer(fileName, new Blob([bytes], { type: XLSX_TYPE }));
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The user's time zone (an IANA name such as Europe/Paris), for exports that write times. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A date and time to the second, in the user's locale. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A duration such as `4.2 s`, `3 min 5 s` or `2 h 10 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "America/New York": a zone's IANA name as read, without its underscores. */
export function zoneName(zone: string): string {
  return zone.replace(/_/g, ' ');
}

/** The zones a recipient may be in, short: "Europe/London", "America/Chicago +3" for several, "" for none. */
export function zonesText(zones: readonly string[]): string {
  if (zones.length === 0) return '';
  const first = zoneName(zones[0] as string);
  return zones.length === 1 ? first : `${first} +${zones.length - 1}`;
}
