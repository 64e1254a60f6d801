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

/** Writes the index of `entries` (key and row pairs), replacing the file atomically. */
export async function writeRowIndex(
  path: string,
  stamp: string,
  keyOf: (row: number) => number | null,
  rows: number,
): Promise<void> {
  const keys = new Float64Array(rows);
  let count = 0;
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    keys[row] = key ?? NaN;
    if (key !== null) count++;
  }
  const order = new Uint32Array(count);
  let next = 0;
  for (let row = 0; row < rows; row++) if (!Number.isNaN(keys[row])) order[next++] = row;
  order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  const stampBytes = Buffer.from(stamp.slice(0, MAX_STAMP));
  const header = Buffer.alloc(HEADER);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(stampBytes.length, 12);
  const sortedKeys = Float64Array.from(order, (row) => keys[row] as number);
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.write(Buffer.concat([header, stampBytes]));
    await file.write(new Uint8Array(sortedKeys.buffer));
    await file.write(new Uint8Array(order.buffer));
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

export function removeRowIndex(path: string): Promise<void> {
  return rm(path, { force: true });
}
