import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactHistory } from '../../electron/core/sending/contact-history';

const DAY = 86_400;
const CAP = { messages: 1, days: 7 };
let dir: string;
let clock: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contact-history-'));
  clock = 1_800_000_000;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const openHistory = () => ContactHistory.open(dir, () => clock);
const file = (service = 'sandbox') => join(dir, `${service}.log`);

describe('contact history', () => {
  it('lets a number have as many messages as the cap allows, per service, within its days', async () => {
    const history = await openHistory();
    expect((await history.admit('sandbox', ['+14155000001', '+14155000001'], CAP)).admitted).toEqual([
      true,
      false,
    ]);
    expect((await history.admit('other', ['+14155000001'], CAP)).admitted).toEqual([true]);
    clock += 7 * DAY - 1;
    expect((await history.admit('sandbox', ['+14155000001'], CAP)).admitted).toEqual([false]);
    clock += 1;
    expect((await history.admit('sandbox', ['+14155000001'], CAP)).admitted).toEqual([true]);
    expect(await history.count('sandbox', '+14155000001', 30)).toBe(2);
    await history.close();
  });

  it('keeps what it counted across a restart, and takes back what was never sent', async () => {
    const first = await openHistory();
    const { at } = await first.admit('sandbox', ['+14155000001', '+14155000002'], CAP);
    await first.takeBack('sandbox', ['+14155000002'], at);
    // No close: the lines were synced before admit resolved, as before a request goes out.
    const second = await openHistory();
    expect(await second.count('sandbox', '+14155000001', 7)).toBe(1);
    expect(await second.count('sandbox', '+14155000002', 7)).toBe(0);
    await second.close();
    await first.close();
  });

  it('cuts a torn last line: its message was never sent', async () => {
    await writeFile(file(), `${clock} 14155000001\n${clock} 141550`);
    const history = await openHistory();
    expect(await history.count('sandbox', '+14155000001', 7)).toBe(1);
    expect(await history.damage('sandbox')).toBeNull();
    expect(await readFile(file(), 'utf8')).toBe(`${clock} 14155000001\n`);
    await history.close();
  });

  it('counts a damaged line as a message to every number until the cap lets it go, and says so', async () => {
    await writeFile(file(), `${clock - DAY} 14155000001\n\u0000\u0000garbled\n${clock} 14155000002\n`);
    const history = await openHistory();
    // The damaged line stood before a message sent now: it may have been any number, as late as now.
    expect(await history.count('sandbox', '+14155009999', 7)).toBe(1);
    expect(await history.damage('sandbox')).toEqual({ lines: 1, until: clock });
    expect((await history.admit('sandbox', ['+14155009999'], CAP)).admitted).toEqual([false]);
    expect((await history.admit('sandbox', ['+14155009999'], { messages: 2, days: 7 })).admitted).toEqual([
      true,
    ]);
    clock += 7 * DAY;
    expect(await history.count('sandbox', '+14155008888', 7)).toBe(0);
    await history.close();
  });

  it('drops messages older than 90 days when it compacts, keeping unreadable ones as unreadable', async () => {
    const old = clock - 91 * DAY;
    await writeFile(file(), `${old} 14155000001\nbroken\n${clock - DAY} 14155000002\n`);
    const history = await openHistory();
    expect(await history.count('sandbox', '+14155000001', 90)).toBe(1);
    await history.close();
    expect(await readFile(file(), 'utf8')).toBe(`${clock - DAY} 14155000002\n${clock - DAY} ?\n`);
    const again = await openHistory();
    expect(await again.count('sandbox', '+14155000002', 90)).toBe(2);
    expect(await again.damage('sandbox')).toEqual({ lines: 1, until: clock - DAY });
    await again.close();
  });

  it('stays bounded while messages are counted and taken back', async () => {
    const history = await openHistory();
    for (let i = 0; i < 30; i++) {
      const numbers = Array.from(
        { length: 1000 },
        (_, n) => `+1415${String(5_000_000 + n).padStart(7, '0')}`,
      );
      const { at } = await history.admit('sandbox', numbers, { messages: 100, days: 90 });
      await history.takeBack('sandbox', numbers, at);
    }
    await history.close();
    // 60,000 lines written; the file was rewritten whenever it held over 10,000 dead lines.
    expect((await stat(file())).size).toBeLessThan(10_200 * 28);
  });

  it('loads a million messages in time and memory linear in them', async () => {
    const load = async (messages: number) => {
      await writeFile(file(), '');
      for (let from = 0; from < messages; from += 100_000) {
        let text = '';
        for (let i = from; i < Math.min(messages, from + 100_000); i++)
          text += `${clock - (i % (80 * DAY))} ${14155000000 + (i % (messages * 0.4))}\n`;
        await appendFile(file(), text);
      }
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const history = await openHistory();
      expect(await history.count('sandbox', '+14155000007', 90)).toBe(3);
      const ms = performance.now() - started;
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      const mib = (await stat(file())).size / 2 ** 20;
      console.log(
        `contact history: ${messages.toLocaleString('en')} messages (${mib.toFixed(1)} MiB) loaded in ${ms.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MiB`,
      );
      await history.close();
      return ms;
    };
    const small = await load(200_000);
    const large = await load(1_000_000);
    // Five times the messages: well under 25 times the time (a quadratic load), whatever else the machine runs.
    expect(large / small).toBeLessThan(12);
  }, 120_000);
});
