import { describeLength, type TextLimit } from '../../../shared/text-limits';

/** The ready rows whose message is longer than the limit: how many, and the first few by index. */
export interface TooLongRows {
  count: number;
  first: number[];
}

const NAMED = 3;

export function findTooLong(
  characters: Uint32Array,
  max: number,
  isReady: (row: number) => boolean,
): TooLongRows {
  const tally = new TooLongTally();
  for (let row = 0; row < characters.length; row++) {
    if ((characters[row] as number) > max && isReady(row)) tally.add(row, characters[row] as number);
  }
  return tally;
}

/** The too-long ready rows counted as they come, in row order, keeping only those describeTooLong names. */
export class TooLongTally implements TooLongRows {
  count = 0;
  readonly first: number[] = [];
  /** By row, the characters of the rows in `first` (the others are holes). */
  readonly characters: number[] = [];

  add(row: number, characters: number): void {
    this.count++;
    if (this.first.length === NAMED) return;
    this.first.push(row);
    this.characters[row] = characters;
  }
}

/** Names the first row too long by its number in the file, and how many there are; null when none is. */
export function describeTooLong(
  found: TooLongRows,
  characters: ArrayLike<number>,
  limit: TextLimit,
): string | null {
  const [row] = found.first;
  if (row === undefined) return null;
  const first = `Row ${row + 1}'s message is ${describeLength(characters[row] as number, limit)}. Shorten the message or that row's values`;
  if (found.count === 1) return `${first}.`;
  const named = found.first.map((r) => String(r + 1));
  const more = found.count - named.length;
  const list =
    more > 0
      ? `${named.join(', ')} and ${more.toLocaleString('en')} more`
      : `${named.slice(0, -1).join(', ')} and ${named.at(-1) as string}`;
  return `${first} (${found.count.toLocaleString('en')} rows are too long: ${list}).`;
}
