// The preview's number checks read in a worker thread, and on the main thread where the worker cannot run:
// either way each batch comes back as readNumber reads its cells, in the order the batches were given.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { NumberChecks } from '../../electron/commands/number-checks';
import { PhoneNormalizer } from '../../electron/core/recipients/phone-numbers';
import { readNumber } from '../../electron/core/recipients/prepare';

// The bundle's worker (the unit tests' global setup builds dist/node/).
const BUILT_WORKER = new URL('../../dist/node/number-check-worker.js', import.meta.url);

/** Phone cells as exports have them, line breaks and separators inside cells included. */
function cells(batch: number): string[] {
  const n = String(1_000_000 + batch * 7919).slice(-6);
  return [
    `07700 ${n}`,
    `+44 7700 ${n}`,
    `+44 7700\n${n}`,
    '',
    '   ',
    'n/a',
    `0044 7911 ${n}`,
    `+1 415-555-${n.slice(0, 4)}`,
    '12345',
    `(07911) ${n}\r\n`,
    '+33 6 12 34 56 78',
  ];
}

function expected(batch: string[]): { msisdn: string | null; reason: number }[] {
  const normalizer = new PhoneNormalizer('GB');
  return batch.map((cell) => readNumber(cell, normalizer));
}

async function answers(checks: NumberChecks, batches: string[][]) {
  const checked = await Promise.all(batches.map((batch) => checks.check(batch)));
  return checked.map(({ numbers, reasons }) => {
    const msisdns = numbers.split('\n');
    return [...reasons].map((reason, i) => ({ msisdn: reason === 0 ? msisdns[i] : null, reason }));
  });
}

async function started(checks: NumberChecks): Promise<void> {
  for (let waited = 0; !checks.threaded; waited += 20) {
    if (waited > 20_000) throw new Error('The worker did not start.');
    await sleep(20);
  }
}

describe('NumberChecks', () => {
  const batches = Array.from({ length: 40 }, (_, i) => cells(i));

  it('reads batches in the worker, in order, as readNumber does', async () => {
    const checks = new NumberChecks('GB', BUILT_WORKER);
    try {
      await started(checks);
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
      expect(checks.threaded).toBe(true);
    } finally {
      await checks.close();
    }
  });

  it('reads them on this thread when the worker cannot start', async () => {
    const checks = new NumberChecks('GB', new URL('./no-such-worker.js', import.meta.url));
    try {
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
      await sleep(200);
      expect(checks.threaded).toBe(false);
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
    } finally {
      await checks.close();
    }
  });

  it('reads the batches still waiting, and later ones, on this thread once the worker stops', async () => {
    const checks = new NumberChecks('GB', BUILT_WORKER);
    await started(checks);
    const waiting = answers(checks, batches);
    await checks.close();
    expect(await waiting).toEqual(batches.map(expected));
    expect(checks.threaded).toBe(false);
    expect(await answers(checks, batches)).toEqual(batches.map(expected));
  });
});
