import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, type StoredFileDamage } from '../../shared/api';
import { planLines } from '../../electron/commands/plan-lines';
import { dispatch } from '../../electron/core/dispatch';
import { Inbox } from '../../electron/core/inbox/inbox';
import { RECOVERED_REASON, SuppressionList } from '../../electron/core/recipients/suppression';
import { openConfSettings } from '../../electron/core/settings/conf-settings';
import { importCampaign, phone, rowsOf, tempHome } from './sending-support';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stored-log-damage-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Damage as disks and copies do it; every kind leaves bytes no entry could be read from. */
type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'cut'; at: number }
  | { kind: 'overwrite'; at: number; byte: number }
  | { kind: 'pad'; at: number; bytes: number[] };

const damage: fc.Arbitrary<Damage> = fc
  .oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('overwrite' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      byte: fc.constantFrom(0x00, 0xff, 0xc3),
    }),
    fc.record({
      kind: fc.constant('pad' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.array(fc.constantFrom(0x00, 0xff, 0x0a), { minLength: 1, maxLength: 8 }),
    }),
  )
  .map((d) => d as Damage);

function damaged(bytes: Buffer, d: Damage): Buffer {
  const at = Math.min(bytes.length - 1, Math.floor(d.at * bytes.length));
  switch (d.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'cut': {
      // The line loses its end from `at`; its newline stays.
      const end = bytes.indexOf(0x0a, at);
      return Buffer.concat([bytes.subarray(0, at), end === -1 ? Buffer.alloc(0) : bytes.subarray(end)]);
    }
    case 'overwrite': {
      const copy = Buffer.from(bytes);
      // 0xC3 before an ASCII byte is not UTF-8 either.
      copy[at] = copy[at] === d.byte ? 0xff : d.byte;
      return copy;
    }
    case 'pad':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(d.bytes), bytes.subarray(at)]);
  }
}

interface Split {
  /** Lines identical to one of the original file's (the last one with or without its newline): all must be read. */
  intact: string[];
  /** Every other line holding more than blanks, the last one without its newline too. */
  broken: { line: number; offset: number; text: string }[];
}

/** The damaged file's lines, told apart by comparing them with the lines written, not by parsing them. */
function split(bytes: Buffer, original: ReadonlySet<string>): Split {
  const intact: string[] = [];
  const broken: Split['broken'] = [];
  let offset = 0;
  let line = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(0x0a, offset);
    const stop = end === -1 ? bytes.length : end;
    const text = bytes.toString('utf8', offset, stop);
    line++;
    // A whole entry that lost only its newline is still read.
    if (original.has(text)) intact.push(text);
    else if (text.trim() !== '') broken.push({ line, offset, text });
    offset = stop + 1;
  }
  return { intact, broken };
}

/** The report names the first damaged lines by number and byte, and counts them all. */
function expectReported(damage: StoredFileDamage | null, file: string, broken: Split['broken']): void {
  if (broken.length === 0) {
    expect(damage).toBeNull();
    return;
  }
  expect(damage?.file).toBe(file);
  expect(damage?.lines).toBe(broken.length);
  const first = damage?.notes[0] as string;
  expect(first.startsWith(`${file}: `)).toBe(true);
  for (const b of broken.slice(0, 3))
    expect(first).toContain(
      `${b.line.toLocaleString('en-US')} (at byte ${b.offset.toLocaleString('en-US')})`,
    );
  if (broken.length > 3) expect(first).toContain(`and ${broken.length - 3} more`);
  expect(damage?.notes.at(-1)).toContain('The file is kept as it is');
}

/** Appending after damage leaves the damaged bytes as they were and starts on a line of its own. */
function expectAppendedAfter(after: Buffer, before: Buffer): void {
  expect(after.subarray(0, before.length).equals(before)).toBe(true);
  const needsNewline = before.length > 0 && before[before.length - 1] !== 0x0a;
  expect(after[before.length]).toBe(needsNewline ? 0x0a : '{'.charCodeAt(0));
}

describe('the opt-out list, damaged', () => {
  const NUMBERS = Array.from({ length: 24 }, (_, i) => `+1415555${String(2000 + i)}`);
  let original: Buffer;
  let lines: Set<string>;

  beforeAll(async () => {
    const path = join(dir, 'original-suppression.ndjson');
    const list = await SuppressionList.open(path);
    for (let i = 0; i < NUMBERS.length; i += 3) await list.add(NUMBERS.slice(i, i + 3), `reason ${i}`);
    await list.close();
    original = await readFile(path);
    lines = new Set(original.toString('utf8').split('\n').slice(0, -1));
  });

  it('reads every intact line, treats numbers read from damaged lines as opted out, and rewrites nothing', async () => {
    let runs = 0;
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 3 }), async (damages) => {
        const path = join(dir, `suppression-${runs++}.ndjson`);
        const bytes = damages.reduce(damaged, original);
        await writeFile(path, bytes);
        const { intact, broken } = split(bytes, lines);

        const list = await SuppressionList.open(path);
        expect((await readFile(path)).equals(bytes)).toBe(true);
        const listed = new Set(list.list(undefined, 0, 1000).entries.map((e) => e.msisdn));
        const expected = new Set(intact.map((l) => (JSON.parse(l) as { msisdn: string }).msisdn));
        for (const b of broken) for (const [, n] of b.text.matchAll(/"(\+\d+)"/g)) expected.add(n as string);
        expect(listed).toEqual(expected);
        expectReported(list.damage, 'Opt-out list', broken);
        if (broken.length > 0) reported++;
        const unread = broken.filter((b) => !/"\+\d+"/.test(b.text)).length;
        expect(list.damage?.notes.some((n) => n.includes('could be messaged')) ?? false).toBe(unread > 0);

        await list.add(['+14155559999'], 'added after the damage');
        await list.close();
        expectAppendedAfter(await readFile(path), bytes);
        const again = await SuppressionList.open(path);
        expect(again.has('+14155559999')).toBe(true);
        for (const n of expected) expect(again.has(n)).toBe(true);
        expect(again.damage?.lines ?? 0).toBe(broken.length);
        await again.close();
      }),
      { numRuns: 60 },
    );
    expect(reported).toBeGreaterThan(20);
  }, 60_000);

  it('keeps a number opted out when its line is damaged, until a later readable line removes it', async () => {
    const path = join(dir, 'suppression-order.ndjson');
    const add = (n: string) =>
      JSON.stringify({ t: 'add', at: '2026-01-02T03:04:05.000Z', msisdn: n, reason: 'x' });
    const remove = (n: string) => JSON.stringify({ t: 'remove', at: '2026-01-03T03:04:05.000Z', msisdn: n });
    const written = [
      add('+14155550001').replace('"add"', '"a\u0000d"'),
      remove('+14155550002').slice(0, -1),
      add('+14155550003'),
      add('+14155550003').replace('"t"', '"\u00ff"'),
      remove('+14155550003'),
      '{"t":"add","at":"2026-01-02T03:04:05.000Z","msisdn":"+141555',
    ];
    await writeFile(path, written.map((l) => `${l}\n`).join(''));
    const at = (line: number) =>
      written.slice(0, line - 1).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
    const list = await SuppressionList.open(path);
    const entries = list.list(undefined, 0, 10).entries;
    expect(entries.map((e) => [e.msisdn, e.reason, e.addedAt])).toEqual([
      ['+14155550002', RECOVERED_REASON, '2026-01-03T03:04:05.000Z'],
      ['+14155550001', RECOVERED_REASON, '2026-01-02T03:04:05.000Z'],
    ]);
    expect(list.damage).toEqual({
      file: 'Opt-out list',
      lines: 4,
      notes: [
        `Opt-out list: 4 lines of its file were damaged: lines 1 (at byte 0), 2 (at byte ${at(2)}), 4 (at byte ${at(4)}) and 1 more.`,
        '+14155550001, +14155550002 and +14155550003 were read from them and are treated as opted out.',
        'One damaged line names no number that can be read: a number that opted out may be missing from the list and could be messaged. Check the list before sending, and add again any number you know opted out.',
        'The file is kept as it is: nothing in it is deleted, and what is added goes on a fresh line after it.',
      ],
    });
    await list.close();
  });
});

describe('the inbox, damaged', () => {
  const settings = () => openConfSettings(join(dir, 'settings'));
  let original: Buffer;
  let lines: Set<string>;

  beforeAll(async () => {
    const path = join(dir, 'original-inbox.ndjson');
    const text = Array.from({ length: 20 }, (_, i) => {
      const from = `1415555${String(3000 + i)}`;
      return JSON.stringify({
        id: `reply-${i}`,
        serviceId: 'sandbox',
        from,
        msisdn: `+${from}`,
        to: '56263',
        text: i % 3 === 0 ? `Merci, à bientôt ✓ ${i}` : `reply ${i}`,
        receivedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        match: null,
        action: null,
        tid: `tid-${i}`,
        raw: { oa: from, message: `reply ${i}` },
      });
    });
    original = Buffer.from(text.map((l) => `${l}\n`).join(''));
    await writeFile(path, original);
    lines = new Set(text);
  });

  it('shows every intact reply, counts the damaged lines, rewrites nothing, and appends on a fresh line', async () => {
    let runs = 0;
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 3 }), async (damages) => {
        const path = join(dir, `inbox-${runs++}.ndjson`);
        const bytes = damages.reduce(damaged, original);
        await writeFile(path, bytes);
        const { intact, broken } = split(bytes, lines);

        const inbox = await Inbox.open(path, settings());
        expect((await readFile(path)).equals(bytes)).toBe(true);
        const shown = new Set(inbox.list({ offset: 0, limit: 1000 }).entries.map((e) => e.id));
        for (const l of intact) expect(shown).toContain((JSON.parse(l) as { id: string }).id);
        // Nothing is made up: an entry glued after damage is still one that was written.
        for (const id of shown) expect(id).toMatch(/^reply-\d+$/);
        expectReported(inbox.damage, 'Inbox', broken);
        if (broken.length > 0) reported++;

        const entry = await inbox.record(
          'sandbox',
          { oa: '14155559999', da: '56263', text: 'after', receivedAt: null, tid: 'tid-after', raw: {} },
          { campaigns: [], holding: async () => [], serviceName: 'Sandbox', optOut: async () => {} },
        );
        await inbox.close();
        expectAppendedAfter(await readFile(path), bytes);
        const again = await Inbox.open(path, settings());
        const ids = again.list({ offset: 0, limit: 1000 }).entries.map((e) => e.id);
        expect(ids[0]).toBe(entry?.id);
        expect(new Set(ids.slice(1))).toEqual(shown);
        expect(again.damage?.lines ?? 0).toBe(broken.length);
        await again.close();
      }),
      { numRuns: 60 },
    );
    expect(reported).toBeGreaterThan(20);
  }, 60_000);

  it('names the older file a damaged line is in', async () => {
    const path = join(dir, 'rotated-inbox.ndjson');
    const [first, second] = [...lines];
    await writeFile(`${path}.1`, `${first}\n${(second as string).slice(0, 40)}\n`);
    await writeFile(path, `${second}\n`);
    const inbox = await Inbox.open(path, settings(), { maxBytes: 1 << 20, keep: 2 });
    expect(inbox.damage?.notes.slice(0, 2)).toEqual([
      `Inbox: line 2 (at byte ${Buffer.byteLength(first as string) + 1} of rotated-inbox.ndjson.1) of its file was damaged.`,
      'The reply on it is not shown, nor exported.',
    ]);
    expect(inbox.list({ offset: 0, limit: 10 }).total).toBe(2);
    await inbox.close();
  });
});

describe('a damaged opt-out list, before sending', () => {
  it('skips the numbers read from it, and the send plan, the list and the command line all name it', async () => {
    const home = await tempHome();
    try {
      const data = join(home.dir, 'home');
      const readable = JSON.stringify({
        t: 'add',
        at: '2026-01-02T03:04:05.000Z',
        msisdn: phone(1),
        reason: 'x',
      });
      const desk0 = await home.start();
      await home.close(desk0);
      await writeFile(
        join(data, 'suppression.ndjson'),
        `${readable.replace('"add"', '"\u0000dd"')}\n{"t":"add","at":"2026-01-02T03:0\n`,
      );
      await writeFile(join(data, 'inbox.ndjson'), '{"id":"cut short\n');
      const desk = await home.start();
      const id = await importCampaign(desk, 3);
      expect((await rowsOf(desk, id)).map((r) => r.status)).toEqual(['ready', 'skipped', 'ready']);

      const answer = async <N extends 'campaigns.plan' | 'suppression.list' | 'inbox.list'>(
        name: N,
        input: Parameters<(typeof desk.handlers)[N]>[0],
      ) => {
        const result = await dispatch(desk.handlers, name, input);
        if (!result.ok) throw new Error(result.error.message);
        expect(calls[name].output.parse(result.value)).toEqual(result.value);
        return result.value as Awaited<ReturnType<(typeof desk.handlers)[N]>>;
      };
      const plan = await answer('campaigns.plan', { id });
      expect(plan.optOutDamage?.lines).toBe(2);
      expect(plan.optOutDamage?.notes[1]).toBe(`${phone(1)} was read from them and is treated as opted out.`);
      expect(plan.optOutDamage?.notes[2]).toContain('could be messaged');
      expect((await answer('suppression.list', { offset: 0, limit: 10 })).damage).toEqual(plan.optOutDamage);
      expect((await answer('inbox.list', { offset: 0, limit: 10 })).damage?.notes[0]).toBe(
        'Inbox: line 1 (at byte 0) of its file was damaged.',
      );
      const printed = planLines(plan);
      expect(printed).toContain(`Warning: ${plan.optOutDamage?.notes[0]}`);
      expect(printed).toContain(`  ${plan.optOutDamage?.notes[2]}`);
    } finally {
      await home.cleanup();
    }
  });
});
