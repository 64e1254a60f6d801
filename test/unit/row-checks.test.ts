// The preview's rows read in a worker thread, and on the main thread where the worker cannot run: either
// way each batch comes back as the campaign's checks read its rows, in the order the batches were given.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withShownLinks } from '../../shared/smartlinks';
import { compileTemplate, renderMessage } from '../../shared/template';
import { RowChecks } from '../../electron/commands/row-checks';
import { PhoneNormalizer } from '../../electron/core/recipients/phone-numbers';
import { readNumber } from '../../electron/core/recipients/prepare';
import { zonesOfNumber } from '../../electron/core/recipients/time-zones';

// The bundle's worker (the unit tests' global setup builds dist/node/).
const BUILT_WORKER = new URL('../../dist/node/row-check-worker.js', import.meta.url);
const COLUMNS = ['Name', 'Phone', 'City'];
const TEMPLATE = compileTemplate('Hi $(name), see you in $(City|town) {{link_a}} $(Name)!', COLUMNS);

/** Rows as exports have them: line breaks and separators inside cells, short rows, empty cells. */
function rows(batch: number): string[][] {
  const n = String(1_000_000 + batch * 7919).slice(-6);
  return [
    ['Ann', `07700 ${n}`, 'Leeds'],
    ['Zoë', `+44 7700 ${n}`, 'St. Helier'],
    ['Bob "B"', `+44 7700\n${n}`, 'Cardiff\r\nWales'],
    ['', '', ''],
    ['李', '   '],
    ['Dee', 'n/a', 'York'],
    ['Eve', `0044 7911 ${n}`, ''],
    ['Al', `+1 415-555-${n.slice(0, 4)}`, 'a,b'],
    ['Jo', '12345', 'Hull'],
    ['Mo', `(07911) ${n}\r\n`, 'Bath'],
    ['Ørjan'],
  ];
}

/** What the campaign's own functions make of each row. */
function expected(batch: string[][]) {
  const normalizer = new PhoneNormalizer('GB');
  return batch.map((row) => {
    const read = readNumber(row[1] ?? '', normalizer);
    return {
      ...read,
      zones: read.msisdn === null ? null : (zonesOfNumber(read.msisdn)?.key ?? null),
      message: JSON.stringify(withShownLinks(renderMessage(TEMPLATE, row).text)),
    };
  });
}

async function answers(checks: RowChecks, batches: string[][][]) {
  const read = await Promise.all(batches.map((batch) => checks.check(batch)));
  return read.map(({ numbers, reasons, messages, messageEnds, zoneKeys, zones }) => {
    const msisdns = numbers.split('\n');
    const keys = zoneKeys.split('\n');
    const text = Buffer.from(messages.buffer, messages.byteOffset, messages.length);
    const shown = [...messageEnds].map((end, i) =>
      text.toString('utf8', i === 0 ? 0 : messageEnds[i - 1], end),
    );
    return [...reasons].map((reason, i) => ({
      msisdn: reason === 0 ? msisdns[i] : null,
      reason,
      zones: reason === 0 ? (zones[i] === 0 ? null : keys[(zones[i] as number) - 1]) : null,
      message: shown[i],
    }));
  });
}

async function started(checks: RowChecks): Promise<void> {
  for (let waited = 0; !checks.threaded; waited += 20) {
    if (waited > 20_000) throw new Error('The worker did not start.');
    await sleep(20);
  }
}

describe('RowChecks', () => {
  const batches = Array.from({ length: 40 }, (_, i) => rows(i));

  it('reads batches in the worker, in order, as the campaign checks do', async () => {
    const checks = new RowChecks('GB', BUILT_WORKER);
    try {
      checks.use(TEMPLATE, 1, null);
      await started(checks);
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
      expect(checks.threaded).toBe(true);
    } finally {
      await checks.close();
    }
  });

  it('reads them on this thread when the worker cannot start', async () => {
    const checks = new RowChecks('GB', new URL('./no-such-worker.js', import.meta.url));
    try {
      checks.use(TEMPLATE, 1, null);
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
      await sleep(200);
      expect(checks.threaded).toBe(false);
      expect(await answers(checks, batches)).toEqual(batches.map(expected));
    } finally {
      await checks.close();
    }
  });

  it('reads the batches still waiting, and later ones, on this thread once the worker stops', async () => {
    const checks = new RowChecks('GB', BUILT_WORKER);
    checks.use(TEMPLATE, 1, null);
    await started(checks);
    const waiting = answers(checks, batches);
    await checks.close();
    expect(await waiting).toEqual(batches.map(expected));
    expect(checks.threaded).toBe(false);
    expect(await answers(checks, batches)).toEqual(batches.map(expected));
  });
});
