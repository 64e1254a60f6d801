import type { SkipReason } from '../../shared/api';

export const REASON_LABELS: Record<SkipReason, string> = {
  'missing-number': 'no phone number',
  'invalid-number': 'invalid number',
  duplicate: 'duplicate number',
};

/** The message to show for a failed call: DeskCallError messages are written for the user. */
export function errorText(error: unknown): string {
  if (error instanceof TypeError && error.message === 'Failed to fetch') {
    return 'Campaign Desk cannot reach its core. Restart the app and try again.';
  }
  return error instanceof Error ? error.message : String(error);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;
}

export function formatMoney(amount: number): string {
  return amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
