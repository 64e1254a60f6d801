import { DeskError } from '../errors';

export const DISK_FULL_WHILE_SENDING =
  'The disk is full: Campaign Desk could not record what it sent; sending stopped. No message will be sent twice for it. Free some space and resume.';

/** Whether a write failed for want of space (or of the user's disk quota). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The error a send that could not begin shows: in plain words when the disk is full. */
export function beforeSending(error: unknown): unknown {
  if (!isDiskFull(error)) return error;
  return new DeskError(
    'disk-full',
    'The disk is full: Campaign Desk could not record the start of sending, so nothing was sent. Free some space and try again.',
    (error as Error).message,
  );
}
