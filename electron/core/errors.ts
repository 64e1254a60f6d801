/** An error whose message is written for the user; `code` lets shells and tests tell errors apart. */
export class DeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}
