import { readFile } from 'node:fs/promises';
import { DeskError } from '../core/errors';
import { normalizeColumnName } from '../../shared/template';

/** A mistake in the command line itself: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

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
