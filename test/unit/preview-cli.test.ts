import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanWindow } from '../../shared/api';
import type { SendWindow } from '../../shared/send-window';
import { SuppressionList } from '../../electron/core/recipients/suppression';
import { insideWindow } from './window-clock';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CSV = [
  'Name,Contact,Note',
  'Ann,07911 123456,VIP',
  'Bob,+44 7911 123457,',
  'Ann again,07911123456,dup',
  'Cy,12,bad',
  'Dee,,none',
  'Łukasz,+48 512 345 678,€ fan',
].join('\n');

const KEYS = [
  'characters',
  'encoding',
  'message',
  'msisdn',
  'reason',
  'row',
  'segments',
  'status',
  'timeZones',
  'tooLong',
];

const UK_MOBILE = ['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/London'];

let tmp: string;
let file: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preview-cli-test-'));
  file = join(tmp, 'people.csv');
  await writeFile(file, CSV);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function preview(args: string[], home = join(tmp, 'home')): Promise<Run> {
  const env = { ...process.env };
  delete env.CAMPAIGN_DESK_HOME;
  delete env.CAMPAIGN_DESK_KEY;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/campaign-desk.js', 'preview', ...args, '--data-dir', home],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.concurrent('campaign-desk preview', () => {
  it('prints one JSON object per row in file order, then the summary', async () => {
    const run = await preview([file, '--text', 'Hi $(name|there): $(note|-)', '--country', 'GB', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(7);
    const rows = lines.slice(0, 6);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(KEYS);
    expect(rows).toEqual([
      {
        row: 1,
        msisdn: '+447911123456',
        timeZones: UK_MOBILE,
        status: 'ready',
        reason: null,
        message: 'Hi Ann: VIP',
        encoding: 'GSM-7',
        segments: 1,
        characters: 11,
        tooLong: false,
      },
      {
        row: 2,
        msisdn: '+447911123457',
        timeZones: UK_MOBILE,
        status: 'ready',
        reason: null,
        message: 'Hi Bob: -',
        encoding: 'GSM-7',
        segments: 1,
        characters: 9,
        tooLong: false,
      },
      {
        row: 3,
        msisdn: '+447911123456',
        timeZones: UK_MOBILE,
        status: 'skipped',
        reason: 'duplicate',
        message: 'Hi Ann again: dup',
        encoding: 'GSM-7',
        segments: 1,
        characters: 17,
        tooLong: false,
      },
      {
        row: 4,
        msisdn: null,
        timeZones: [],
        status: 'skipped',
        reason: 'invalid-number',
        message: 'Hi Cy: bad',
        encoding: 'GSM-7',
        segments: 1,
        characters: 10,
        tooLong: false,
      },
      {
        row: 5,
        msisdn: null,
        timeZones: [],
        status: 'skipped',
        reason: 'missing-number',
        message: 'Hi Dee: none',
        encoding: 'GSM-7',
        segments: 1,
        characters: 12,
        tooLong: false,
      },
      {
        row: 6,
        msisdn: '+48512345678',
        timeZones: ['Europe/Warsaw'],
        status: 'ready',
        reason: null,
        message: 'Hi Łukasz: € fan',
        encoding: 'UCS-2',
        segments: 1,
        characters: 16,
        tooLong: false,
      },
    ]);
    expect(Object.keys(lines[6] as object)).toEqual(['summary']);
    expect(lines[6]).toEqual({
      summary: expect.objectContaining({
        rows: 6,
        ready: 3,
        skipped: 3,
        skippedBy: { duplicate: 1, 'invalid-number': 1, 'missing-number': 1 },
        segments: 3,
        tooLong: 0,
        phoneColumn: 'Contact',
      }),
    });
  });

  it('flags an empty cell without a fallback as missing-value', async () => {
    const run = await preview([file, '--text', 'Note: $(Note)', '--country', 'GB', '--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines[1]).toMatchObject({ row: 2, status: 'skipped', reason: 'missing-value', message: 'Note: ' });
    expect(lines.at(-1)).toMatchObject({
      summary: { skippedBy: expect.objectContaining({ 'missing-value': 1 }) },
    });
  });

  it('skips the numbers on the opt-out list of the data folder', async () => {
    const home = join(tmp, 'home-with-opt-outs');
    const list = await SuppressionList.open(join(home, 'suppression.ndjson'));
    await list.add(['+447911123457'], 'replied STOP');
    await list.close();
    const run = await preview([file, '--text', 'Hi', '--country', 'GB', '--json'], home);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines[1]).toMatchObject({
      row: 2,
      msisdn: '+447911123457',
      status: 'skipped',
      reason: 'opted-out',
    });
    expect(lines.at(-1)).toMatchObject({
      summary: { ready: 2, skippedBy: expect.objectContaining({ 'opted-out': 1 }) },
    });
  });

  it('warns of a damaged opt-out list, and skips the number still read from it', async () => {
    const home = join(tmp, 'home-with-damaged-opt-outs');
    await mkdir(home, { recursive: true });
    const line = (msisdn: string) =>
      JSON.stringify({ t: 'add', at: '2026-01-02T03:04:05.000Z', msisdn, reason: 'STOP' });
    await writeFile(
      join(home, 'suppression.ndjson'),
      `${line('+447911123457').replace('"add"', '"\u0000dd"')}\n${line('+447911123458').slice(0, 50)}\n`,
    );
    const run = await preview([file, '--text', 'Hi', '--country', 'GB', '--json'], home);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'Warning: Opt-out list: 2 lines of its file were damaged: lines 1 (at byte 0) and 2 (at byte 85).',
    );
    expect(run.stderr).toContain('+447911123457 was read from them and is treated as opted out.');
    expect(run.stderr).toContain(
      'a number that opted out may be missing from the list and could be messaged',
    );
    expect(jsonLines(run.stdout)[1]).toMatchObject({ row: 2, status: 'skipped', reason: 'opted-out' });
  });

  it('prints a line per row and summary lines in text mode', async () => {
    const run = await preview([file, '--text', 'Hi $(name|there)', '--country', 'GB', '--no-window']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^\s+1\s+\+447911123456\s+Europe\/Guernsey\+2\s+ready\s+GSM-7\s+1\s+"Hi Ann"$/);
    expect(lines[3]).toMatch(/^\s+4\s+-\s+-\s+skipped\s+invalid-number\s+GSM-7\s+1\s+"Hi Cy"$/);
    expect(lines[5]).toMatch(/^\s+6\s+\+48512345678\s+Europe\/Warsaw\s+ready\s+UCS-2\s+1\s+"Hi Łukasz"$/);
    expect(lines[6]).toBe('Phone column: "Contact", found by its content (80 % numbers, 100 % mobiles).');
    expect(lines[7]).toBe(
      '6 rows: 3 ready, 3 skipped (duplicate 1, invalid-number 1, missing-number 1); 3 segments to send.',
    );
    expect(lines[8]).toBe(
      '  No send window: every message goes at once, whatever the hour where its recipient is.',
    );
  });

  it('uses the default country given by --country', async () => {
    const run = await preview([file, '--text', 'Hi', '--country', 'US', '--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.slice(0, 6).map((l) => l.msisdn)).toEqual([
      null,
      '+447911123457',
      null,
      null,
      null,
      '+48512345678',
    ]);
  });

  it('exits 1 naming an unknown placeholder, and prints no rows', async () => {
    const run = await preview([file, '--text', 'Hi $(nmae)', '--country', 'GB', '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('$(nmae)');
    expect(run.stdout).toBe('');
  });

  it('takes --phone-column by name or by 1-based position', async () => {
    const args = [file, '--text', 'Hi', '--country', 'GB', '--json', '--phone-column'];
    const [byName, byOtherCase, byPosition, bySecond, unknown] = await Promise.all(
      ['note', 'NOTE', '3', '2', 'Fax'].map((column) => preview([...args, column])),
    );
    for (const run of [byName, byOtherCase, byPosition] as Run[]) {
      expect(run.code).toBe(0);
      const lines = jsonLines(run.stdout);
      expect(lines.slice(0, 6).map((l) => l.reason)).toEqual([
        'invalid-number',
        'missing-number',
        'invalid-number',
        'invalid-number',
        'invalid-number',
        'invalid-number',
      ]);
      expect(lines.at(-1)).toMatchObject({ summary: { phoneColumn: 'Note', ready: 0 } });
    }
    expect(jsonLines(bySecond?.stdout ?? '').at(-1)).toMatchObject({
      summary: { phoneColumn: 'Contact', ready: 3 },
    });
    expect(unknown?.code).toBe(1);
    expect(unknown?.stderr).toContain('"Fax"');
  });

  it('exits 1 when a smartlink is used without --smartlink, and counts it at link length once given', async () => {
    // Ann's message is 150 characters (154 septets) as typed, 163 septets with the link: two segments.
    const text = `Hi $(name|there), ${'x'.repeat(132)}{{link_5}}`;
    const [missing, given] = await Promise.all([
      preview([file, '--text', text, '--country', 'GB', '--json']),
      preview([file, '--text', text, '--country', 'GB', '--json', '--smartlink', '5:30d']),
    ]);
    expect(missing?.code).toBe(1);
    expect(missing?.stderr).toContain('{{link_5}}');
    expect(missing?.stdout).toBe('');

    expect(given?.code).toBe(0);
    const first = jsonLines(given?.stdout ?? '')[0];
    expect(first).toMatchObject({ row: 1, message: `Hi Ann, ${'x'.repeat(132)}[link: 5]`, segments: 2 });
  });

  it("prints the rows over Messaging API v1's 1,024 characters, then exits 1 naming the first", async () => {
    const long = join(tmp, 'long.csv');
    await writeFile(long, ['name,phone', 'Ann,07911 123456', 'Bob,07911 123457'].join('\n'));
    const text = (length: number) => `Hi $(name), ${'x'.repeat(length - 'Hi Ann, '.length)}`;
    const [json, plain, longest] = await Promise.all([
      preview([long, '--text', text(1100), '--country', 'GB', '--json']),
      preview([long, '--text', text(1100), '--country', 'GB']),
      preview([long, '--text', text(1024), '--country', 'GB', '--json']),
    ]);
    const problem =
      "Error: Row 1's message is 1,100 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values (2 rows are too long: 1 and 2).\n";
    expect(json.code).toBe(1);
    expect(json.stderr).toBe(problem);
    const lines = jsonLines(json.stdout);
    expect(lines.slice(0, 2)).toMatchObject([
      { row: 1, status: 'ready', characters: 1100, tooLong: true },
      { row: 2, status: 'ready', characters: 1100, tooLong: true },
    ]);
    expect(lines[2]).toMatchObject({ summary: { ready: 2, tooLong: 2 } });

    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(problem);
    expect(plain.stdout.split('\n')[0]).toMatch(
      /" {2}too long: 1,100 characters; Messaging API v1 takes at most 1,024$/,
    );

    expect(longest.code).toBe(0);
    expect(jsonLines(longest.stdout)[0]).toMatchObject({ characters: 1024, tooLong: false });
  });

  it('reads an Excel workbook, the sheet named by --sheet, with numbers Excel stored as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRows([['Note'], ['Call Ann back on Tuesday']]);
    const customers = wb.addWorksheet('Customers');
    customers.addRow(['Name', 'Mobile']);
    customers.addRow(['Ann', 447911123456]);
    customers.addRow(['Bob', 7.911123457e9]);
    const book = join(tmp, 'customers.xlsx');
    await wb.xlsx.writeFile(book);

    const [chosen, byDefault, csvWithSheet] = await Promise.all([
      preview([book, '--sheet', 'Customers', '--text', 'Hi $(Name)', '--country', 'GB', '--json']),
      preview([book, '--text', 'Hi $(Name)', '--country', 'GB', '--json']),
      preview([file, '--sheet', 'Customers', '--text', 'Hi', '--country', 'GB']),
    ]);
    expect(chosen.stderr).toBe('');
    expect(chosen.code).toBe(0);
    expect(jsonLines(chosen.stdout).slice(0, 2)).toMatchObject([
      { row: 1, msisdn: '+447911123456', status: 'ready', message: 'Hi Ann' },
      { row: 2, msisdn: '+447911123457', status: 'ready', message: 'Hi Bob' },
    ]);
    // The first sheet with rows is read when no sheet is named.
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).toBe('Error: Choose the column that holds the phone numbers.\n');
    expect(csvWithSheet.code).toBe(2);
    expect(csvWithSheet.stderr).toContain('--sheet applies to Excel workbooks; this file is text (CSV).');
  });

  it('refuses a file that is not text, saying so', async () => {
    const image = join(tmp, 'logo.csv');
    await writeFile(
      image,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    );
    const run = await preview([image, '--text', 'Hi', '--country', 'GB']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('This file is not a text or spreadsheet file (it holds binary data');
    expect(run.stdout).toBe('');
  });
});

/** Rows of four zones, and the zone each number is in, as libphonenumber's mapping has it. */
const ZONED = [
  ['NY one', '+1 212 555 0100', 'America/New_York'],
  ['NY two', '+1 212 555 0101', 'America/New_York'],
  ['LA one', '+1 415 555 0102', 'America/Los_Angeles'],
  ['LA two', '+1 415 555 0103', 'America/Los_Angeles'],
  ['LA three', '+1 415 555 0104', 'America/Los_Angeles'],
  ['London', '+44 20 7946 0010', 'Europe/London'],
  ['Sydney one', '+61 2 9123 4567', 'Australia/Sydney'],
  ['Sydney two', '+61 2 9123 4568', 'Australia/Sydney'],
] as const;

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** "HH:MM" of minutes after midnight, wrapped to one day. */
function clock(minutes: number): string {
  const m = (((minutes % 1440) + 1440) % 1440) as number;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Four hours around the time in New York now, on quarter hours: open there, shut (by at least 45 minutes) in
 * Los Angeles, three hours behind, and in London and Sydney, further ahead.
 */
function windowAroundNewYork(now: number): SendWindow {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const minutes = part('hour') * 60 + part('minute');
  const from = Math.floor((minutes - 120) / 15) * 15;
  return { from: clock(from), to: clock(from + 240), days: EVERY_DAY };
}

describe.concurrent('campaign-desk preview, send windows', () => {
  let zoned: string;
  beforeAll(async () => {
    zoned = join(tmp, 'zoned.csv');
    await writeFile(zoned, ['name,phone', ...ZONED.map(([name, phone]) => `${name},${phone}`)].join('\n'));
  });

  it("says which rows go now and which wait for their window, by each recipient's clock now", async () => {
    const now = Date.now();
    const window = windowAroundNewYork(now);
    const flag = `${window.from}-${window.to}`;
    const [json, text] = await Promise.all([
      preview([zoned, '--text', 'Hi $(name)', '--window', flag, '--json']),
      preview([zoned, '--text', 'Hi $(name)', '--window', flag]),
    ]);
    // Intl's clocks, not the code under test, say which zones are open now and still five minutes on.
    const open = (zone: string) =>
      insideWindow(now, zone, window) && insideWindow(now + 300_000, zone, window);
    const goNow = ZONED.filter(([, , zone]) => open(zone)).length;
    const waitingZones = [...new Set(ZONED.map(([, , zone]) => zone).filter((zone) => !open(zone)))];
    expect(goNow).toBeGreaterThan(0);
    expect(waitingZones.length).toBeGreaterThan(0);

    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines.slice(0, ZONED.length).map((l) => l.timeZones)).toEqual(ZONED.map(([, , zone]) => [zone]));
    const summary = (lines.at(-1) as { summary: { window: unknown } }).summary;
    const plan = PlanWindow.parse(summary.window);
    expect(plan).toMatchObject({ window, source: 'campaign', now: goNow, zoneUnknown: 0 });
    expect(
      plan.waiting
        .map((w) => w.zones)
        .flat()
        .sort(),
    ).toEqual(waitingZones.sort());
    for (const wait of plan.waiting) {
      const [zone] = wait.zones as [string];
      expect(wait.rows).toBe(ZONED.filter(([, , z]) => z === zone).length);
      expect(wait.theirTime).toBe(window.from);
      // It opens then, on that zone's clock, and not a minute before.
      const opens = Date.parse(wait.opensAt);
      expect(insideWindow(opens, zone, window)).toBe(true);
      expect(insideWindow(opens - 60_000, zone, window)).toBe(false);
    }
    expect(plan.lastOpensAt).toBe(plan.waiting.at(-1)?.opensAt);

    expect(text.code).toBe(0);
    const out = text.stdout.split('\n');
    expect(out[0]).toMatch(/^\s+1\s+\+12125550100\s+America\/New_York\s+ready\s+GSM-7/);
    expect(out).toContain(
      `  ${goNow} of ${ZONED.length} rows go at once; the rest wait for this campaign's window, ${window.from}–${window.to} on each recipient's clock.`,
    );
    for (const zone of waitingZones) {
      const rows = ZONED.filter(([, , z]) => z === zone).length;
      const words = `${rows === 1 ? '1 row waits' : `${rows} rows wait`} for ${window.from} their time (${zone.replace(/_/g, ' ')}), `;
      expect(out.filter((line) => line.startsWith(`    ${words}`) && line.endsWith(' yours'))).toHaveLength(
        1,
      );
    }
    expect(out.filter((line) => /^ {2}It finishes after .+ your time\.$/.test(line))).toHaveLength(1);
  });

  it("says every row goes at once with --no-window, and uses a new service's 08:00-21:00 by default", async () => {
    const [off, byDefault, offText, both, bad] = await Promise.all([
      preview([zoned, '--text', 'Hi', '--no-window', '--json']),
      preview([zoned, '--text', 'Hi', '--json']),
      preview([zoned, '--text', 'Hi', '--no-window']),
      preview([zoned, '--text', 'Hi', '--no-window', '--window', '08:00-21:00']),
      preview([zoned, '--text', 'Hi', '--window', '8am-9pm']),
    ]);
    expect(off.code).toBe(0);
    const offWindow = (jsonLines(off.stdout).at(-1) as { summary: { window: unknown } }).summary.window;
    expect(PlanWindow.parse(offWindow)).toEqual({
      window: null,
      source: 'off',
      now: ZONED.length,
      waiting: [],
      lastOpensAt: null,
      zoneUnknown: 0,
    });
    expect(offText.stdout).toContain(
      '\n  No send window: every message goes at once, whatever the hour where its recipient is.\n',
    );
    expect(offText.stdout).not.toContain(' wait');

    expect(byDefault.code).toBe(0);
    const plan = PlanWindow.parse(
      (jsonLines(byDefault.stdout).at(-1) as { summary: { window: unknown } }).summary.window,
    );
    expect(plan).toMatchObject({
      window: { from: '08:00', to: '21:00', days: EVERY_DAY },
      source: 'service',
    });
    const now = Date.now();
    const shut = ZONED.filter(([, , zone]) => !insideWindow(now, zone, plan.window as SendWindow)).length;
    // Unless a zone's window opened or closed in between, the rows waiting are those Intl says are shut.
    const edge = ZONED.some(
      ([, , zone]) =>
        insideWindow(now - 120_000, zone, plan.window as SendWindow) !==
        insideWindow(now + 120_000, zone, plan.window as SendWindow),
    );
    if (!edge) expect(plan.waiting.reduce((sum, w) => sum + w.rows, 0)).toBe(shut);

    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--window and --no-window cannot both be given.');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--window: "8am-9pm" is not a window');
  });

  it("takes each row's zone from a time-zone column, and skips a row whose cell names no zone", async () => {
    const withZones = join(tmp, 'with-zones.csv');
    await writeFile(
      withZones,
      [
        'name,phone,Time zone',
        'Moved to Sydney,+1 212 555 0100,australia/sydney',
        'Stayed,+1 415 555 0102,',
        'Nowhere,+1 212 555 0105,Mars/Olympus',
        'Alias,+44 20 7946 0011,US/Eastern',
      ].join('\n'),
    );
    const renamed = join(tmp, 'where.csv');
    await writeFile(renamed, ['name,phone,Where', 'Ann,+1 212 555 0100,Europe/Paris'].join('\n'));
    const [json, text, given] = await Promise.all([
      preview([withZones, '--text', 'Hi $(name)', '--no-window', '--json']),
      preview([withZones, '--text', 'Hi $(name)', '--no-window']),
      preview([renamed, '--text', 'Hi', '--time-zone-column', 'where', '--json']),
    ]);
    expect(json.code).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines.slice(0, 4)).toMatchObject([
      { row: 1, timeZones: ['Australia/Sydney'], status: 'ready' },
      { row: 2, timeZones: ['America/Los_Angeles'], status: 'ready' },
      { row: 3, msisdn: '+12125550105', timeZones: [], status: 'skipped', reason: 'unknown-time-zone' },
      { row: 4, timeZones: ['America/New_York'], status: 'ready' },
    ]);
    expect(lines[4]).toMatchObject({
      summary: { ready: 3, skippedBy: { 'unknown-time-zone': 1 }, window: { now: 3, zoneUnknown: 0 } },
    });
    expect(text.stdout.split('\n')[0]).toMatch(/^\s+1\s+\+12125550100\s+Australia\/Sydney\s+ready/);
    expect(text.stdout.split('\n')[2]).toMatch(/^\s+3\s+\+12125550105\s+-\s+skipped\s+unknown-time-zone\s/);

    expect(given.code).toBe(0);
    expect(jsonLines(given.stdout)[0]).toMatchObject({ timeZones: ['Europe/Paris'] });
  });

  it('prints the rows, then exits 1 saying so, when some could never be sent within the window', async () => {
    // +7 800 numbers may be in Moscow, Almaty or Aqtobe, two hours apart: an hour's window never opens in all three.
    const russia = join(tmp, 'russia.csv');
    await writeFile(russia, ['name,phone', 'Olga,+7 800 555 3535', 'Ann,+44 20 7946 0010'].join('\n'));
    const args = [russia, '--text', 'Hi $(name)', '--window', '08:00-09:00'];
    const [json, text] = await Promise.all([preview([...args, '--json']), preview(args)]);
    const problem =
      'Error: 1 row could never be sent within 08:00–09:00: its number may be in any of several time zones ' +
      '(Asia/Almaty, Asia/Aqtobe, Europe/Moscow) whose windows never overlap. Give those rows a time-zone ' +
      'column in the file, or widen the window.\n';
    expect(json.code).toBe(1);
    expect(json.stderr).toBe(problem);
    const lines = jsonLines(json.stdout);
    expect(lines.slice(0, 2)).toMatchObject([
      { row: 1, msisdn: '+78005553535', timeZones: ['Asia/Almaty', 'Asia/Aqtobe', 'Europe/Moscow'] },
      { row: 2, msisdn: '+442079460010', timeZones: ['Europe/London'] },
    ]);
    expect(lines[2]).toMatchObject({ summary: { ready: 2, window: null } });
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(problem);
    expect(text.stdout).toMatch(/^\s+1\s+\+78005553535\s+Asia\/Almaty\+2\s+ready/);
    expect(text.stdout).toContain('2 rows: 2 ready, 0 skipped; 2 segments to send.\n');
  });
});
