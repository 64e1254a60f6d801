import { readFile } from 'node:fs/promises';
import { DeskError } from '../core/errors';
import { normalizeColumnName } from '../../shared/template';
import { Smartlink } from '../../shared/api';
import { UsageError } from './usage-error';

export { UsageError };

export function columnIndex(columns: string[], wanted: string): number {
  const byName = columns.findIndex((c) => normalizeColumnName(c) === normalizeColumnName(wanted));
  if (byName >= 0) return byName;
  const position = Number(wanted);
  if (Number.isInteger(position) && position >= 1 && position <= columns.length) return position - 1;
  throw new DeskError(
    'unknown-column',
    `--phone-column "${wanted}" is not a column of the file (${columns.join(', ')}).`,
  );
}

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} takes a whole number of at least 1, not "${value}".`);
  return n;
}

export function nonNegativeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} takes a number of seconds, not "${value}".`);
  return n;
}

/** The bytes of a recipient file named on the command line, or a DeskError saying why not. */
export async function readRecipientFile(file: string): Promise<Uint8Array> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DeskError(
      'file-unreadable',
      `Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
}

const UNITS = { m: 'minutes', h: 'hours', d: 'days' } as const;

/** `--smartlink <linkid>:<validity><m|h|d>`: the link's validity with its unit, e.g. `5:30d`, `promo:90m`. */
export function parseSmartlink(value: string): Smartlink {
  const match = value.match(/^([A-Za-z0-9_-]{1,40}):(\d{1,7})([mhd])$/);
  const parsed = match
    ? Smartlink.safeParse({
        linkid: match[1],
        validity: Number(match[2]),
        unit: UNITS[match[3] as keyof typeof UNITS],
      })
    : null;
  if (!parsed?.success)
    throw new UsageError(
      `--smartlink takes <linkid>:<validity> with a unit, m (minutes), h (hours) or d (days), up to ten years, e.g. 5:30d or promo:90m, not "${value}".`,
    );
  return parsed.data;
}
