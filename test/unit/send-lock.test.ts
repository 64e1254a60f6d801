import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SendLock } from '../../electron/core/sending/send-lock';

const ROUNDS = 20;
const RACER = join(import.meta.dirname, '../support/send-lock-racer.ts');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'send-lock-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the racer as its own Node process; resolves with the rounds it won. */
async function racer(args: (string | number)[]): Promise<number[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', RACER, dir, ...args.map(String)],
    { timeout: 60_000 },
  );
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line.endsWith(' won'))
    .map((line) => Number(line.split(' ')[0]));
}

describe('SendLock', () => {
  it('lets exactly one of two processes take over a lock left by a crashed one, every time', async () => {
    // A process that takes every round's lock and ends without letting go, as a crash does.
    expect(await racer([ROUNDS, 0, 0, 'leave'])).toHaveLength(ROUNDS);

    // Both started before the first instant, each spends its startup before it; rounds are 150 ms apart.
    const start = Date.now() + 4_000;
    const [a, b] = await Promise.all([racer([ROUNDS, start, 150]), racer([ROUNDS, start, 150])]);
    const winners = Array.from(
      { length: ROUNDS },
      (_, round) => [a, b].filter((w) => w.includes(round)).length,
    );
    expect(winners).toEqual(Array.from({ length: ROUNDS }, () => 1));
  });

  it('refuses while a live process holds the lock, and is free again once it lets go', async () => {
    const lock = await SendLock.acquire(dir, 'c0');
    expect(await SendLock.heldElsewhere(dir, 'c0')).toBe(false);
    // Another process cannot take it while this one runs.
    expect(await racer([1, 0, 0, 'leave'])).toEqual([]);
    await lock.release();
    expect(await racer([1, 0, 0, 'leave'])).toEqual([0]);
    // Held by a process that ended: stale, so not held elsewhere, and taken over here.
    expect(await SendLock.heldElsewhere(dir, 'c0')).toBe(false);
    const again = await SendLock.acquire(dir, 'c0');
    await again.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
