import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuppressionList } from '../../electron/core/recipients/suppression';

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
  'tooLong',
];

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

  it('prints a line per row and a summary line in text mode', async () => {
    const run = await preview([file, '--text', 'Hi $(name|there)', '--country', 'GB']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^\s+1\s+\+447911123456\s+ready\s+GSM-7\s+1\s+"Hi Ann"$/);
    expect(lines[3]).toMatch(/^\s+4\s+-\s+skipped\s+invalid-number\s+GSM-7\s+1\s+"Hi Cy"$/);
    expect(lines[6]).toBe('Phone column: "Contact", found by its content (80 % numbers, 100 % mobiles).');
    expect(lines[7]).toBe(
      '6 rows: 3 ready, 3 skipped (duplicate 1, invalid-number 1, missing-number 1); 3 segments to send.',
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
