import type { CampaignWindow } from '../../shared/api';
import { parseSendWindow } from '../../shared/send-window';
import { UsageError } from './args';

/** The flags of `send` and `preview` that say when each row may go and where its zone is read, as parseArgs takes them. */
export const WINDOW_FLAGS = {
  'time-zone-column': { type: 'string' },
  window: { type: 'string' },
  'no-window': { type: 'boolean', default: false },
} as const;

/** `--window` as the campaign's own window, `--no-window` as none; neither: the service's. */
export function windowFromFlags(window: string | undefined, noWindow: boolean): CampaignWindow | undefined {
  if (noWindow && window !== undefined)
    throw new UsageError('--window and --no-window cannot both be given.');
  if (noWindow) return { mode: 'off' };
  if (window === undefined) return undefined;
  const parsed = parseSendWindow(window);
  if (typeof parsed === 'string') throw new UsageError(`--window: ${parsed}`);
  return { mode: 'own', window: parsed };
}
