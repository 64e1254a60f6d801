import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../electron/core/campaigns/journal';
import { canMountSmallDisk, mountSmallDisk } from '../support/small-disk';

interface Entry {
  n: number;
  text?: string;
}

const parseEntry = (value: unknown): Entry | null =>
  typeof value === 'object' && value !== null && typeof (value as Entry).n === 'number'
    ? (value as Entry)
    : null;

let dir: string;
let path: string;
const opened: Journal<Entry>[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-test-'));
  path = join(dir, 'journal.ndjson');
});

afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openJournal(at = path) {
  const result = await Journal.open(at, parseEntry);
  opened.push(result.journal);
  return result;
}

async function closeJournal(journal: Journal<Entry>): Promise<void> {
  opened.splice(opened.indexOf(journal), 1);
  await journal.close();
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('Journal', () => {
  it('creates a missing file and replays nothing', async () => {
    const { events } = await openJournal();
    expect(events).toEqual([]);
    expect((await stat(path)).size).toBe(0);
  });

  it('replays appended events in order after a reopen', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    await journal.appendAll([{ n: 2 }, { n: 3, text: 'Grüße € 😀' }]);
    await closeJournal(journal);
    expect(lines(await readFile(path, 'utf8')).map((l) => JSON.parse(l) as Entry)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3, text: 'Grüße € 😀' },
    ]);

    const again = await openJournal();
    expect(again.events).toEqual([{ n: 1 }, { n: 2 }, { n: 3, text: 'Grüße € 😀' }]);
    await again.journal.append({ n: 4 });
    await closeJournal(again.journal);
    expect((await openJournal()).events.map((e) => e.n)).toEqual([1, 2, 3, 4]);
  });

  it('ignores a torn last line and truncates it so the next append starts clean', async () => {
    const good = [{ n: 1, text: 'naïve €' }, { n: 2 }].map((e) => JSON.stringify(e) + '\n').join('');
    await writeFile(path, good + '{"n":3,"text":"cut he');
    const { journal, events } = await openJournal();
    expect(events).toEqual([{ n: 1, text: 'naïve €' }, { n: 2 }]);
    // Byte length, not character length: the good lines hold multi-byte characters.
    expect((await stat(path)).size).toBe(Buffer.byteLength(good));

    await journal.append({ n: 4 });
    await closeJournal(journal);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(good + '{"n":4}\n');
    expect((await openJournal()).events.map((e) => e.n)).toEqual([1, 2, 4]);
  });

  it('reports a line of invalid UTF-8 as damaged and cuts a torn tail after it at its byte', async () => {
    const damaged = Buffer.concat([
      Buffer.from('{"n":1}\n{"n":2,"text":"'),
      Buffer.from([0xc3, 0x28, 0xff]), // not UTF-8: decoded, these bytes would count differently
      Buffer.from('"}\n'),
    ]);
    await writeFile(path, Buffer.concat([damaged, Buffer.from('{"n":3,"te')]));
    const opened = await openJournal();
    const { journal, events } = opened;
    expect(events.map((e) => e.n)).toEqual([1]);
    expect(opened.damaged.map((d) => [d.line, d.offset])).toEqual([[2, 8]]);
    await journal.append({ n: 4 });
    await closeJournal(journal);
    const bytes = await readFile(path);
    expect(bytes.equals(Buffer.concat([damaged, Buffer.from('{"n":4}\n')]))).toBe(true);
    expect(bytes.includes(0)).toBe(false);
  });

  it('drops a torn line that happens to be valid JSON, since it lacks its newline', async () => {
    await writeFile(path, '{"n":1}\n{"n":2}');
    const { events } = await openJournal();
    expect(events).toEqual([{ n: 1 }]);
    expect(await readFile(path, 'utf8')).toBe('{"n":1}\n');
  });

  it('reports complete lines it cannot read, by number and byte, without dropping the ones after them', async () => {
    await writeFile(path, '{"n":1}\nnot json\n{"other":true}\n\n{"n":2}\n');
    const { events, damaged } = await openJournal();
    expect(events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(damaged).toEqual([
      { line: 2, offset: 8, after: 1, text: 'not json' },
      { line: 3, offset: 17, after: 1, text: '{"other":true}' },
    ]);
    expect(await readFile(path, 'utf8')).toBe('{"n":1}\nnot json\n{"other":true}\n\n{"n":2}\n');
  });

  it('still reads an event glued onto the part of a line a failed write left', async () => {
    await writeFile(path, '{"n":1}\n{"n":2,"text":"cut h{"n":3,"text":"{x}"}\n{"n":4}\n');
    const { events, damaged } = await openJournal();
    expect(events).toEqual([{ n: 1 }, { n: 3, text: '{x}' }, { n: 4 }]);
    expect(damaged).toMatchObject([{ line: 2, offset: 8, after: 1 }]);
  });

  it('reads the same lines whatever the size of the chunks it reads the file in', async () => {
    // Damage, a glued event, multi-byte characters and a torn tail, each straddling some chunk boundary.
    const text =
      '{"n":1,"text":"caf\u00e9 \u20ac"}\nnot json at all\n{"n":2,"text":"cut h{"n":3,"text":"{x}"}\n' +
      `{"n":4,"text":"${'long '.repeat(40)}"}\n{"other":1}\n\n{"n":5}\n{"n":6,"te`;
    const read = async (chunkBytes: number) => {
      await writeFile(path, text);
      const seen: unknown[] = [];
      const journal = await Journal.stream(path, parseEntry, {
        chunkBytes,
        sink: { event: (e) => seen.push(e), damaged: (d) => seen.push(d) },
      });
      await journal.close();
      return { seen, file: await readFile(path, 'utf8') };
    };
    const whole = await read(1024 * 1024);
    expect(whole.seen).toHaveLength(7);
    expect(whole.file).toBe(text.slice(0, text.lastIndexOf('\n') + 1));
    for (const chunkBytes of [1, 2, 3, 5, 7, 8, 13, 16, 31, 64, 100, 211]) {
      expect(await read(chunkBytes)).toEqual(whole);
    }
  });

  it('starts reading at a given line, numbering the lines after it from there', async () => {
    await writeFile(path, '{"n":1}\nnot json\n{"n":2}\nbad\n');
    const seen: unknown[] = [];
    const journal = await Journal.stream(path, parseEntry, {
      from: { offset: 17, line: 2 },
      chunkBytes: 4,
      sink: { event: (e) => seen.push(e), damaged: (d) => seen.push(d) },
    });
    opened.push(journal);
    expect(seen).toEqual([{ n: 2 }, { line: 4, offset: 25, after: 1, text: 'bad' }]);
  });

  it('resolves each append only once its line is in the file', async () => {
    const { journal } = await openJournal();
    const seen: boolean[] = [];
    const appends = Array.from({ length: 40 }, (_, n) =>
      journal.append({ n }).then(() => {
        seen.push(readFileSync(path, 'utf8').includes(`{"n":${n}}\n`));
      }),
    );
    await Promise.all(appends);
    expect(seen).toEqual(Array.from({ length: 40 }, () => true));
    expect(lines(await readFile(path, 'utf8')).map((l) => (JSON.parse(l) as Entry).n)).toEqual(
      Array.from({ length: 40 }, (_, n) => n),
    );
  });

  it('keeps order when appends arrive while a group is being written', async () => {
    const { journal } = await openJournal();
    const first = journal.appendAll([{ n: 0 }, { n: 1 }]);
    const later: Promise<void>[] = [];
    // Issued after the first group has started its write.
    const chained = first.then(() => journal.append({ n: 4 }));
    later.push(journal.append({ n: 2 }), journal.append({ n: 3 }), chained);
    await Promise.all([first, ...later]);
    expect((await readFile(path, 'utf8')).split('\n').slice(0, -1)).toEqual([
      '{"n":0}',
      '{"n":1}',
      '{"n":2}',
      '{"n":3}',
      '{"n":4}',
    ]);
  });

  it('resolves an empty group at once without writing', async () => {
    const { journal } = await openJournal();
    await journal.appendAll([]);
    expect((await stat(path)).size).toBe(0);
  });

  it('waits for pending appends before closing', async () => {
    const { journal } = await openJournal();
    const pending = Array.from({ length: 10 }, (_, n) => journal.append({ n }));
    await closeJournal(journal);
    await Promise.all(pending);
    expect(lines(await readFile(path, 'utf8'))).toHaveLength(10);
  });

  it('rejects an append after close instead of hanging', async () => {
    const { journal } = await openJournal();
    await closeJournal(journal);
    await expect(journal.append({ n: 1 })).rejects.toThrow();
  });

  describe.skipIf(!canMountSmallDisk)('on a disk that fills up', () => {
    it('cuts off what a failed write left, so that the next append starts on a line of its own', async () => {
      const disk = mountSmallDisk('64k');
      try {
        const at = join(disk.dir, 'journal.ndjson');
        const { journal } = await openJournal(at);
        await journal.append({ n: 1 });
        await disk.fill();
        // Longer than the free end of the file's last page: part of it is written before the disk refuses the rest.
        const refused = journal.append({ n: 2, text: 'x'.repeat(9000) });
        await expect(refused).rejects.toMatchObject({ code: 'ENOSPC' });
        expect(await readFile(at, 'utf8')).toBe('{"n":1}\n');
        await disk.free();
        await journal.append({ n: 3 });
        await closeJournal(journal);
        expect(await readFile(at, 'utf8')).toBe('{"n":1}\n{"n":3}\n');
        const again = await openJournal(at);
        expect(again.events.map((e) => e.n)).toEqual([1, 3]);
        expect(again.damaged).toEqual([]);
      } finally {
        disk.unmount();
      }
    });

    it('never cuts what another process appended: the next append then starts with a newline', async () => {
      const disk = mountSmallDisk('64k');
      try {
        const at = join(disk.dir, 'journal.ndjson');
        const { journal } = await openJournal(at);
        await journal.append({ n: 1 });
        await disk.fill();
        // The command line, say, appends to the same journal (into the room left in its last block).
        await appendFile(at, '{"n":9}\n');
        await expect(journal.append({ n: 2, text: 'x'.repeat(9000) })).rejects.toMatchObject({
          code: 'ENOSPC',
        });
        await disk.free();
        await journal.append({ n: 3 });
        await closeJournal(journal);
        const again = await openJournal(at);
        expect(again.events.map((e) => e.n)).toEqual([1, 9, 3]);
        // What the failed write left is a line of its own, reported as damaged.
        expect(again.damaged).toMatchObject([{ line: 3 }]);
        expect(again.damaged[0]?.text).toMatch(/^\{"n":2,"text":"x+$/);
      } finally {
        disk.unmount();
      }
    });
  });
});
