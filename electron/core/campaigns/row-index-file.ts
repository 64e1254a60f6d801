import { open, rename, rm } from 'node:fs/promises';

/**
 * A campaign's rows by key on disk, so that a report or a reply finds its campaign without opening every
 * campaign: the keys sorted (each a whole number below 2^53, held as a float64) then their rows (uint32), searched
 * by halving with positioned reads. A key may stand for more than one value (a transid's key is a hash): the
 * rows found are candidates, verified in the opened campaign. The header names what the index was made from (the
 * journal's stamp): an index made from another state is not used.
 *
 *   "CDRX" | version u32 | count u32 | stamp length u32 | stamp (utf8) | count × f64 keys | count × u32 rows
 */
const MAGIC = 'CDRX';
const VERSION = 1;
const HEADER = 16;
/** A stamp is a file's size and time: a few dozen bytes. */
const MAX_STAMP = 256;
/** One key and one row for each row of a campaign (rows are at most 2^32): the file's bound. */
export const MAX_INDEX_ENTRIES = 2 ** 32 - 1;

/** The key of a phone number in E.164: its digits (at most 15, so below 2^53). */
export function numberKey(msisdn: string): number {
  return Number(msisdn.slice(1));
}

/**
 * The key of a transid: 48 bits from two FNV-1a hashes of its characters (differently seeded). Not secret, just
 * quick: a million transids hash in well under a second, and a shared key only makes one more candidate.
 */
export function transidKey(transid: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < transid.length; i++) {
    const c = transid.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x10000 + ((b ^ (b >>> 15)) & 0xffff);
}

/** Rows read, or entries moved by a pass of the sort, between turns given back to the event loop. */
const CHUNK = 65_536;
const RADIX = 0x10000;
const TWO_32 = 2 ** 32;

/** Lets timers, requests and reports waiting on the event loop run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the index of the rows `keyOf` gives a key (a whole number below 2^53; null: no entry), replacing the
 * file atomically. A million rows take a few hundred milliseconds, given back to the event loop every
 * CHUNK rows and between the passes of the sort, so reports and the app are not held meanwhile.
 */
export async function writeRowIndex(
  path: string,
  stamp: string,
  keyOf: (row: number) => number | null,
  rows: number,
): Promise<void> {
  const keys = new Float64Array(rows);
  const keyRows = new Uint32Array(rows);
  let count = 0;
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    if (key !== null && !Number.isNaN(key)) {
      keys[count] = key;
      keyRows[count++] = row;
    }
    if (row % CHUNK === CHUNK - 1) await turn();
  }
  const order = await sortByKey(keys.subarray(0, count));
  const sortedKeys = new Float64Array(count);
  const sortedRows = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = order[i] as number;
    sortedKeys[i] = keys[at] as number;
    sortedRows[i] = keyRows[at] as number;
  }
  const stampBytes = Buffer.from(stamp.slice(0, MAX_STAMP));
  const header = Buffer.alloc(HEADER);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(stampBytes.length, 12);
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.write(Buffer.concat([header, stampBytes]));
    await file.write(new Uint8Array(sortedKeys.buffer));
    await file.write(new Uint8Array(sortedRows.buffer));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

/**
 * The rows the index holds under `key`; null when the file is missing, damaged or was made from another state
 * than `stamp` (the campaign must then be opened to know).
 */
export async function searchRowIndex(path: string, stamp: string, key: number): Promise<number[] | null> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(HEADER);
    if ((await file.read(header, 0, HEADER, 0)).bytesRead < HEADER) return null;
    if (header.toString('latin1', 0, 4) !== MAGIC || header.readUInt32LE(4) !== VERSION) return null;
    const count = header.readUInt32LE(8);
    const stampLength = header.readUInt32LE(12);
    if (stampLength > MAX_STAMP) return null;
    const keysAt = HEADER + stampLength;
    const rowsAt = keysAt + count * 8;
    if (size !== rowsAt + count * 4) return null;
    const stampBytes = Buffer.alloc(stampLength);
    await file.read(stampBytes, 0, stampLength, HEADER);
    if (stampBytes.toString() !== stamp) return null;
    const cell = Buffer.alloc(8);
    const keyAt = async (i: number) => {
      await file.read(cell, 0, 8, keysAt + i * 8);
      return cell.readDoubleLE(0);
    };
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((await keyAt(mid)) < key) low = mid + 1;
      else high = mid;
    }
    const rows: number[] = [];
    for (let i = low; i < count && (await keyAt(i)) === key; i++) {
      await file.read(cell, 0, 4, rowsAt + i * 4);
      rows.push(cell.readUInt32LE(0));
    }
    return rows;
  } finally {
    await file.close();
  }
}

/**
 * The positions of `keys` in ascending order, equal keys in the order they come: a radix sort of 16 bits a
 * pass (four passes cover 53 bits), where a comparator sort of a million keys would hold the event loop for
 * seconds.
 */
async function sortByKey(keys: Float64Array): Promise<Uint32Array> {
  const count = keys.length;
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    low[i] = key % TWO_32;
    high[i] = Math.floor(key / TWO_32);
  }
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let next = new Uint32Array(count);
  const buckets = new Uint32Array(RADIX);
  for (const [part, shift] of [
    [low, 0],
    [low, 16],
    [high, 0],
    [high, 16],
  ] as const) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) {
      const digit = ((part[i] as number) >>> shift) & 0xffff;
      buckets[digit] = (buckets[digit] as number) + 1;
    }
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const n = buckets[d] as number;
      buckets[d] = sum;
      sum += n;
    }
    for (let i = 0; i < count; i++) {
      const at = order[i] as number;
      const digit = ((part[at] as number) >>> shift) & 0xffff;
      const to = buckets[digit] as number;
      next[to] = at;
      buckets[digit] = to + 1;
    }
    [order, next] = [next, order];
    await turn();
  }
  return order;
}

export function removeRowIndex(path: string): Promise<void> {
  return rm(path, { force: true });
}
