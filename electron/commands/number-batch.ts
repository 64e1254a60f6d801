import type { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { readNumber } from '../core/recipients/prepare';

/** Phone cells as they cross to a worker: one string cut by the cells' lengths (a cell may hold any character). */
export interface CellBatch {
  cells: string;
  lengths: Uint32Array;
}

/** Per cell, its E.164 number ('' for none) joined by line breaks, and its reason code (0, missing or invalid). */
export interface CheckedBatch {
  numbers: string;
  reasons: Uint8Array<ArrayBuffer>;
}

export function cellBatch(cells: readonly string[]): CellBatch {
  const lengths = new Uint32Array(cells.length);
  for (let i = 0; i < cells.length; i++) lengths[i] = (cells[i] as string).length;
  return { cells: cells.join(''), lengths };
}

export function checkBatch({ cells, lengths }: CellBatch, normalizer: PhoneNormalizer): CheckedBatch {
  const reasons = new Uint8Array(lengths.length);
  const numbers: string[] = [];
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + (lengths[i] as number);
    const read = readNumber(cells.slice(at, end), normalizer);
    at = end;
    reasons[i] = read.reason;
    numbers.push(read.msisdn ?? '');
  }
  return { numbers: numbers.join('\n'), reasons };
}
