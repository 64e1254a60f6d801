// The streamed `preview` against what a campaign of the same file says row by row (the checks and the
// renderer `send` uses), on a contact export as people have them: BOM, CRLF, quoted cells holding commas,
// quotes and line breaks, repeated, invalid, opted-out and missing numbers, empty placeholders, time zones
// from the numbers and from a time-zone column.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanWindow } from '../../shared/api';
import { DEFAULT_SEND_WINDOW } from '../../shared/send-window';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { Campaign } from '../../electron/core/campaigns/campaign';
import { CampaignChecker } from '../../electron/core/campaigns/checks';
import type { CampaignDefinition } from '../../electron/core/campaigns/definition';
import { parseRecipientsCsv } from '../../electron/core/recipients/csv-import';
import { decodeText } from '../../electron/core/recipients/decode';
import { choosePhoneColumn, SAMPLE_ROWS } from '../../electron/core/recipients/phone-column';
import { SuppressionList } from '../../electron/core/recipients/suppression';
import { findTimeZoneColumn } from '../../electron/core/recipients/time-zones';
import { effectiveWindow, planWindow } from '../../electron/core/sending/plan-window';
import { mulberry32 } from '../../electron/core/simulator/seeded-random';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROWS = SAMPLE_ROWS + 5_000;
const OPTED_OUT = ['+447700900123', '+447911123456'];
const TEMPLATE = 'Hi $(First Name), your order $(Order) ships to $(City|your town). {{link_t1}} Reply STOP';

let tmp: string;
let home: string;
let file: string;

/** A CRM export: BOM, CRLF, a header with spaces, quoted cells where the tool saw a comma, quote or break. */
function contactExport(rows: number, seed = 7): string {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const firsts = ['Ann', 'Bob', 'Zoë', 'José', 'Łukasz', '', 'Mary-Jane', 'Dee "DJ"', '李', 'Ørjan'];
  const cities = ['London', 'Leeds, West Yorkshire', '', 'St. Helier', 'Cardiff\r\nWales', 'York'];
  const numbers = (i: number): string => {
    const n = String(10_000_000 + ((i * 7919) % 90_000_000)).slice(0, 8);
    return pick([
      `07${n.slice(0, 3)} ${n.slice(3)}6`,
      `+44 7${n.slice(0, 3)} ${n.slice(3)}6`,
      `+447${n}6`,
      `(07${n.slice(0, 3)}) ${n.slice(3)}-6`,
      `0044 7${n}6`,
      `+1 415-555-${n.slice(0, 4)}`,
      '12345',
      'n/a',
      '',
      '  ',
      pick(OPTED_OUT),
      '07911 123457',
      '+33 6 12 34 56 78',
    ]);
  };
  // Mostly empty: the number's zones apply. None of these is a zone the numbers above are in on their own.
  const zones = ['', '', '', '', 'Asia/Tokyo', 'us/eastern', 'Nowhere/Land'];
  const lines = ['First Name,Last Name,Mobile Phone,Order,City,Notes,Time zone'];
  for (let i = 0; i < rows; i++) {
    const notes = pick(['', 'VIP', 'said "call after 5"', 'line one\nline two', 'a,b,c']);
    const zone = pick(zones);
    lines.push(
      [pick(firsts), pick(['Smith', "O'Brien", 'Müller']), numbers(i), `ORD-${i}`, pick(cities), notes, zone]
        .map(quote)
        .join(','),
    );
    // Blank lines, as some tools leave between records, are skipped.
    if (i % 5_000 === 17) lines.push('');
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function preview(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' };
  delete env.CAMPAIGN_DESK_HOME;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/campaign-desk.js', 'preview', ...args, '--data-dir', home],
      { cwd: ROOT, env, timeout: 60_000, maxBuffer: 1 << 28 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/**
 * What `preview --json` printed before rows were streamed: every row as the campaign of the file has it; and
 * the summary's window as the campaign's plan would have it at an instant.
 */
interface CampaignLines {
  /** The lines, given the summary's window. */
  text(window: PlanWindow | null): string;
  windowAt(at: number): PlanWindow;
}

async function campaignLines(
  path: string,
  template: string,
  limit = TEXT_LIMITS.messaging,
): Promise<CampaignLines> {
  const table = await parseRecipientsCsv(decodeText(await readFile(path)).text);
  const def: CampaignDefinition = {
    id: 'preview',
    name: path,
    createdAt: new Date().toISOString(),
    fileName: path,
    sheet: null,
    sheets: [],
    columns: [...table.columns],
    phoneColumn: choosePhoneColumn(table, 'GB')?.column ?? null,
    timeZoneColumn: findTimeZoneColumn(table.columns),
    sendWindow: { mode: 'service' },
    defaultCountry: 'GB',
    template,
    senderId: 'preview',
    serviceId: 'sandbox',
    smartlinks: [{ linkid: 't1', validity: 30, unit: 'days' }],
    keyNonce: '',
    requestOptions: {},
    archived: false,
    origin: null,
  };
  const suppression = await SuppressionList.open(join(home, 'suppression.ndjson'));
  const checks = await new CampaignChecker(table, suppression).check(def);
  await suppression.close();
  const campaign = new Campaign(def, table, checks, limit);
  const lines: string[] = [];
  const readyIn = new Map<number, number>();
  for (let row = 0; row < campaign.size; row++) {
    const r = campaign.prepared(row);
    const group = campaign.zones.groupOf(row);
    if (campaign.statusOf(row) === 'ready') readyIn.set(group, (readyIn.get(group) ?? 0) + 1);
    lines.push(
      JSON.stringify({
        row: row + 1,
        msisdn: r.msisdn,
        timeZones: campaign.zones.of(row)?.zones ?? [],
        status: campaign.statusOf(row),
        reason: r.reason,
        message: r.message,
        encoding: r.encoding,
        segments: r.segments,
        characters: r.characters,
        tooLong: campaign.isTooLong(row),
      }),
    );
  }
  const view = campaign.view(0, 0);
  const summary = {
    rows: view.rowCount,
    ready: view.counts.ready ?? 0,
    skipped: view.counts.skipped ?? 0,
    skippedBy: view.skipCounts,
    segments: view.totalSegments,
    tooLong: view.messageLength.tooLong,
    phoneColumn: def.phoneColumn === null ? null : def.columns[def.phoneColumn],
    phoneColumnGiven: false,
    phoneColumnChoice: view.phoneColumnChoice,
  };
  // A preview is planned under a new service's window.
  const rule = effectiveWindow(def, { sendWindow: DEFAULT_SEND_WINDOW });
  return {
    text: (window) => `${[...lines, JSON.stringify({ summary: { ...summary, window } })].join('\n')}\n`,
    windowAt: (at) => planWindow(campaign.zones, readyIn, rule, at),
  };
}

/**
 * The preview run between `before` and `after` printed what the campaign says: its window that of the plan at
 * one of those instants (the same unless a zone's window opened or closed in between).
 */
function expectCampaignsLines(stdout: string, expected: CampaignLines, before: number, after: number) {
  const window = (
    JSON.parse(stdout.trimEnd().split('\n').at(-1) as string) as { summary: { window: PlanWindow } }
  ).summary.window;
  expect([expected.windowAt(before), expected.windowAt(after)]).toContainEqual(window);
  const text = expected.text(window);
  expect(stdout.length).toBe(text.length);
  expect(stdout === text).toBe(true);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preview-stream-test-'));
  home = join(tmp, 'home');
  const list = await SuppressionList.open(join(home, 'suppression.ndjson'));
  await list.add(OPTED_OUT, 'replied STOP');
  await list.close();
  file = join(tmp, 'contacts.csv');
  await writeFile(file, contactExport(ROWS));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// One at a time, each with time to spare: every test runs the CLI over 25,000 rows, and so does its campaign.
describe('campaign-desk preview, streamed', { timeout: 120_000 }, () => {
  it('prints, byte for byte, what the campaign of the file says of each row and in sum', async () => {
    const before = Date.now();
    const [run, expected] = await Promise.all([
      preview([file, '--text', TEMPLATE, '--country', 'GB', '--smartlink', 't1:30d', '--json']),
      campaignLines(file, TEMPLATE),
    ]);
    const after = Date.now();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The file holds every kind of row this compares.
    const all = expected.text(null);
    const summary = JSON.parse(all.trimEnd().split('\n').at(-1) as string).summary;
    expect(summary.rows).toBe(ROWS);
    expect(Object.keys(summary.skippedBy).sort()).toEqual([
      'duplicate',
      'invalid-number',
      'missing-number',
      'missing-value',
      'opted-out',
      'unknown-time-zone',
    ]);
    expect(all).toContain('"encoding":"UCS-2"');
    for (const zones of ['[]', '["Asia/Tokyo"]', '["America/New_York"]', '["America/Los_Angeles"]'])
      expect(all).toContain(`"timeZones":${zones}`);
    expect(all).toContain('"Europe/London"]');
    expect(expected.windowAt(before).zoneUnknown).toBe(0);
    expectCampaignsLines(run.stdout, expected, before, after);
  });

  it('names the too-long rows as the campaign does, after printing every row', async () => {
    const long = `${'x'.repeat(1_010)} $(Notes)`;
    const before = Date.now();
    const [run, expected] = await Promise.all([
      preview([file, '--text', long, '--country', 'GB', '--json']),
      campaignLines(file, long),
    ]);
    expect(run.code).toBe(1);
    expectCampaignsLines(run.stdout, expected, before, Date.now());
    expect(run.stderr).toMatch(/^Error: Row \d+'s message is 1,0\d\d characters; .* rows are too long: /);
  });

  it('finds a column that only a row past the first ones has, for a placeholder naming it', async () => {
    const text = contactExport(SAMPLE_ROWS + 10, 3).replace(/\r\n$/, ',extra cell\r\n');
    const wide = join(tmp, 'wide.csv');
    await writeFile(wide, text);
    const template = 'Hi $(First Name|you): $(Column 8|none)';
    const before = Date.now();
    const [run, expected] = await Promise.all([
      preview([wide, '--text', template, '--country', 'GB', '--smartlink', 't1:30d', '--json']),
      campaignLines(wide, template),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-2)).toContain('"message":"Hi ');
    expect(run.stdout.trimEnd().split('\n').at(-2)).toContain(': extra cell"');
    expectCampaignsLines(run.stdout, expected, before, Date.now());
  });

  it('says which country numbers without a code are read as, once, when no --country is given', async () => {
    const run = await preview([file, '--text', 'Hi', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'Numbers without a country code are read as GB (United Kingdom), the country of the system locale en-GB. Choose another with --country.\n',
    );
  });

  it('stops at a broken quote with the line it is on, as the import does', async () => {
    const text = contactExport(SAMPLE_ROWS + 5_000, 5).replace(
      /\r\n$/,
      '\r\nAnn,Smith,07911 123456,"ORD-x,York\r\n',
    );
    const broken = join(tmp, 'broken.csv');
    await writeFile(broken, text);
    const run = await preview([broken, '--text', 'Hi', '--country', 'GB', '--json']);
    const imported = await parseRecipientsCsv(text).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(imported).toMatch(/^The file is not valid CSV: on line \d+, a quoted cell is never closed\.$/);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`Error: ${imported}\n`);
  });
});
