import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  numberKey,
  searchRowIndex,
  transidKey,
  writeRowIndex,
} from '../../electron/core/campaigns/row-index-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'row-index-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const numbers = ['+14155000003', '+14155000001', null, '+14155000003', '+447400123456', '+14155000001'];

it('finds every row under a key by halving the file, and none for a key it does not hold', async () => {
  const path = join(dir, 'numbers.idx');
  await writeRowIndex(path, '120:1', (row) => ((n) => (n ? numberKey(n) : null))(numbers[row] ?? null), 6);
  expect(await searchRowIndex(path, '120:1', numberKey('+14155000003'))).toEqual([0, 3]);
  expect(await searchRowIndex(path, '120:1', numberKey('+14155000001'))).toEqual([1, 5]);
  expect(await searchRowIndex(path, '120:1', numberKey('+447400123456'))).toEqual([4]);
  expect(await searchRowIndex(path, '120:1', numberKey('+14155000002'))).toEqual([]);
  // Twelve bytes a row held, beside the header.
  expect((await readFile(path)).length).toBe(16 + '120:1'.length + 5 * 12);
});

it('holds the transids of a large campaign, found in a few reads', async () => {
  const path = join(dir, 'transids.idx');
  const rows = 200_000;
  await writeRowIndex(path, 's', (row) => (row % 10 === 3 ? null : transidKey(`t-${row}`)), rows);
  for (const row of [0, 1, 99_999, 199_999])
    expect(await searchRowIndex(path, 's', transidKey(`t-${row}`))).toEqual([row]);
  expect(await searchRowIndex(path, 's', transidKey('t-13'))).toEqual([]);
  expect(await searchRowIndex(path, 's', transidKey('t-200000'))).toEqual([]);
});

it('is not used when it was made from another state of the journal, or is missing or damaged', async () => {
  const path = join(dir, 'numbers.idx');
  await writeRowIndex(path, '120:1', (row) => ((n) => (n ? numberKey(n) : null))(numbers[row] ?? null), 6);
  expect(await searchRowIndex(path, '121:2', numberKey('+14155000003'))).toBeNull();
  expect(await searchRowIndex(join(dir, 'none.idx'), '120:1', 1)).toBeNull();
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, bytes.length - 3));
  expect(await searchRowIndex(path, '120:1', numberKey('+14155000003'))).toBeNull();
  await writeFile(path, Buffer.concat([Buffer.from('XXXX'), bytes.subarray(4)]));
  expect(await searchRowIndex(path, '120:1', numberKey('+14155000003'))).toBeNull();
});

it('keeps its keys in order across the whole range of keys, equal keys by row', async () => {
  const path = join(dir, 'keys.idx');
  // Keys that differ only in high bits, only in low bits, and the largest a key can be.
  const keys = [2 ** 53 - 1, 2 ** 32, 5, 2 ** 32 + 5, 2 ** 48 + 1, 5, 2 ** 48, 2 ** 32, 0];
  await writeRowIndex(path, 's', (row) => keys[row] ?? null, keys.length);
  const bytes = await readFile(path);
  const sorted = new Float64Array(bytes.buffer.slice(bytes.byteOffset + 17, bytes.byteOffset + 17 + 72));
  expect([...sorted]).toEqual([...keys].sort((a, b) => a - b));
  expect(await searchRowIndex(path, 's', 5)).toEqual([2, 5]);
  expect(await searchRowIndex(path, 's', 2 ** 32)).toEqual([1, 7]);
  expect(await searchRowIndex(path, 's', 2 ** 53 - 1)).toEqual([0]);
  expect(await searchRowIndex(path, 's', 2 ** 48 + 1)).toEqual([4]);
});
