import type { ErrorCode } from '../../shared/api';

/**
 * An error whose message is written for the user; `code` lets shells and tests tell errors apart. `detail` is the
 * technical account behind the sentence (a network error's code, the raw answer), shown only on request; it never
 * holds a key.
 */
export class DeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}
