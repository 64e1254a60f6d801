import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import {
  acceptedRows,
  journal,
  recipientsCsv,
  runCli,
  tempHome,
  waitFor,
  type CliRun,
  type Home,
} from './sending-support';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'cli-sending-key-9d2c';

let home: Home;
let sim: Simulator;
let csv: string;

beforeAll(async () => {
  home = await tempHome();
  // Reports the notify URL did not take are posted again, so that those posted between a paused process's
  // exit and the resumed one's start (it listens on the same port) still arrive.
  sim = await startSimulator({
    keys: [KEY],
    failureShare: 0,
    submittedDelayMs: 5,
    finalDelayMs: 5,
    reportRetries: 10,
  });
  csv = join(home.dir, 'people.csv');
  await writeFile(csv, recipientsCsv(400));
});

afterAll(async () => {
  await sim.close();
  await home.cleanup();
});

function cli(args: string[], dataDir = join(home.dir, 'home')): CliRun {
  return runCli(args, dataDir, { CAMPAIGN_DESK_KEY: KEY });
}

const send = (id: string, extra: string[] = []) =>
  cli([
    'send',
    csv,
    '--text',
    'Hi $(name)',
    '--sender',
    'ACME',
    '--campaign-id',
    id,
    '--no-window',
    '--api-url',
    sim.url,
    '--report',
    join(home.dir, `${id}-report.csv`),
    ...extra,
  ]);

describe('campaign-desk send / resume / report', () => {
  it('names the campaign with --campaign-id, prints it first, refuses the id twice, and reports by id', async () => {
    const first = send('named-one', ['--rate', '1000', '--wait', '5']);
    expect(await first.code).toBe(0);
    expect(first.output().split('\n')[0]).toBe('Campaign named-one: 400 rows, 400 ready, 0 skipped');
    expect(first.output()).toMatch(/^Sent: delivered 400$/m);

    const again = send('named-one');
    expect(await again.code).toBe(1);
    expect(again.output()).toContain(
      'A campaign with id "named-one" already exists; continue it with: campaign-desk resume named-one',
    );
    expect(acceptedRows(sim, 'named-one').size).toBe(400);

    const out = join(home.dir, 'named-one.csv');
    const report = cli(['report', 'named-one', '--out', out]);
    expect(await report.code).toBe(0);
    expect(report.output()).toBe(`Report written to ${out}\n`);
    const rows = Papa.parse<string[]>(await readFile(out, 'utf8'), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(401);
    const status = rows[0]?.indexOf('cd_status') ?? -1;
    expect(rows.slice(1).every((r) => r[status] === 'delivered')).toBe(true);
  });

  it('writes the report as an Excel workbook for a file ending in .xlsx, its times in the zone asked for', async () => {
    const xlsx = join(home.dir, 'excel-one.xlsx');
    const sent = cli([
      'send',
      csv,
      '--text',
      'Hi $(name)',
      '--sender',
      'ACME',
      '--campaign-id',
      'excel-one',
      '--no-window',
      '--api-url',
      sim.url,
      '--rate',
      '1000',
      '--wait',
      '5',
      '--report',
      xlsx,
    ]);
    expect(await sent.code).toBe(0);
    const badZone = cli(['report', 'excel-one', '--out', xlsx, '--time-zone', 'Nowhere/Else']);
    expect(await badZone.code).toBe(1);
    expect(badZone.output()).toContain('"Nowhere/Else" is not a time zone this computer knows.');
    await expect(readFile(`${xlsx}.part`)).rejects.toThrow(/ENOENT/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.getWorksheet('Report');
    expect(sheet?.rowCount).toBe(401);
    const header = (sheet?.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const sentAt = sheet?.getRow(2).getCell(header.indexOf(`cd_sent_at (${zone})`) + 1);
    expect(sentAt?.type).toBe(ExcelJS.ValueType.Date);
    expect(sheet?.getRow(2).getCell(header.indexOf('cd_number') + 1).type).toBe(ExcelJS.ValueType.String);
  });

  it('refuses a message longer than Messaging API v1 takes with exit 1, naming the row, before sending anything', async () => {
    const long = join(home.dir, 'long.csv');
    await writeFile(
      long,
      recipientsCsv(3, (row) => (row === 1 ? 'x'.repeat(1100) : 'ok')),
    );
    const run = cli([
      'send',
      long,
      '--text',
      '$(note)',
      '--sender',
      'ACME',
      '--campaign-id',
      'too-long',
      '--no-window',
      '--api-url',
      sim.url,
    ]);
    expect(await run.code).toBe(1);
    expect(run.output()).toContain(
      "\nError: Row 2's message is 1,100 characters; Messaging API v1 takes at most 1,024. Shorten the message or that row's values.\n",
    );
    expect(acceptedRows(sim, 'too-long').size).toBe(0);
  });

  it('pauses cleanly on Ctrl-C (exit 3), and resume <id> sends the rest exactly once (exit 0)', async () => {
    sim.setFaults({ latencyMs: 30 });
    const run = send('interrupted', ['--rate', '100', '--wait', '0']);
    await waitFor(() => acceptedRows(sim, 'interrupted').size >= 40, 20_000);
    run.signal('SIGINT');
    expect(await run.code).toBe(3);
    expect(run.output()).toMatch(/^Pausing: waiting for the requests already sent to be answered…$/m);
    expect(run.output()).toMatch(/^Paused: /m);
    expect(run.output()).toContain('Resume with: campaign-desk resume interrupted');
    const events = await journal(home.dir, 'interrupted');
    expect(events.filter((e) => e.t === 'end')).toEqual([expect.objectContaining({ state: 'paused' })]);
    // Paused cleanly: every request that went out was answered and recorded.
    const batched = new Set(events.flatMap((e) => (e.t === 'batch' ? e.rows : [])));
    const answered = new Set(
      events.flatMap((e) => (e.t === 'result' ? [e.row] : e.t === 'released' ? e.rows : [])),
    );
    expect([...batched].filter((row) => !answered.has(row))).toEqual([]);
    const sentBeforePause = acceptedRows(sim, 'interrupted').size;
    expect(sentBeforePause).toBeLessThan(400);

    sim.setFaults({});
    const resumed = cli(['resume', 'interrupted', '--wait', '5', '--json']);
    expect(await resumed.code).toBe(0);
    // Its JSON lines are on stdout; what the receiver warns of goes to stderr and is no line of them.
    const lines = resumed
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      event: 'campaign',
      campaign: 'interrupted',
      state: 'paused',
      ready: 400 - sentBeforePause,
      unknown: 0,
    });
    expect(lines.at(-1)).toMatchObject({ event: 'summary', state: 'completed', counts: { delivered: 400 } });
    const accepted = acceptedRows(sim, 'interrupted');
    expect(accepted.size).toBe(400);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
  });

  it('refuses to send a campaign another process is sending, and exits 1 when sending stops on an error', async () => {
    sim.setFaults({ latencyMs: 30 });
    const running = send('busy', ['--rate', '100', '--wait', '0']);
    await waitFor(() => acceptedRows(sim, 'busy').size >= 20, 20_000);
    const second = cli(['resume', 'busy']);
    expect(await second.code).toBe(1);
    expect(second.output()).toMatch(
      /^Error: This campaign is being sent by another Campaign Desk \(process \d+\)\.$/m,
    );
    sim.setFaults({ revokedKey: true });
    expect(await running.code).toBe(1);
    expect(running.output()).toMatch(/^Stopped: /m);
    expect(running.output()).toMatch(
      /^Error: The service "127\.0\.0\.1:\d+" refused the request: authentication failed/m,
    );
    expect(running.output()).not.toContain(KEY);
    sim.setFaults({});
  });

  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasScript)('draws a progress bar with the rate and time left on a terminal', async () => {
    const dataDir = join(home.dir, 'tty-home');
    const command = [
      process.execPath,
      'bin/campaign-desk.js',
      'send',
      csv,
      '--text',
      "'Hi $(name)'",
      '--sender',
      'ACME',
      '--campaign-id',
      'on-a-terminal',
      '--no-window',
      '--api-url',
      sim.url,
      '--rate',
      '400',
      '--wait',
      '0',
      '--data-dir',
      dataDir,
      '--report',
      join(home.dir, 'on-a-terminal-report.csv'),
      '--yes',
    ].join(' ');
    // `script` gives the command a pseudo-terminal, as a user's shell would. Run asynchronously: the
    // simulator it talks to lives in this process.
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'script',
        ['-qfec', command, '/dev/null'],
        { cwd: ROOT, env: { ...process.env, CAMPAIGN_DESK_KEY: KEY }, encoding: 'utf8' },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ).stdin?.end(),
    );
    const bars = out.split('\r').filter((frame) => frame.startsWith('['));
    expect(bars.length).toBeGreaterThan(1);
    expect(bars.at(-1)).toMatch(/^\[#+\] 100% 400\/400 · [\d.,]+ msg\/s · ETA 0:00/);
    expect(bars.some((bar) => /\] \d+% [\d,]+\/400 · [\d.,]+ msg\/s · ETA \d+:\d\d/.test(bar))).toBe(true);
  });
  it.skipIf(!hasScript)('on a terminal, prints the plan and sends nothing unless told yes', async () => {
    const command = [
      process.execPath,
      'bin/campaign-desk.js',
      'send',
      csv,
      '--text',
      "'Hi $(name)'",
      '--sender',
      'ACME',
      '--campaign-id',
      'declined',
      '--no-window',
      '--api-url',
      sim.url,
      '--data-dir',
      join(home.dir, 'declined-home'),
    ].join(' ');
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        'script',
        ['-qfec', command, '/dev/null'],
        { cwd: ROOT, env: { ...process.env, CAMPAIGN_DESK_KEY: KEY }, encoding: 'utf8' },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
      child.stdout?.on('data', (chunk: string) => {
        if (chunk.includes('[y/N]')) child.stdin?.end('n\n');
      });
    });
    expect(out.stdout).toMatch(/Plan: 400 messages, none skipped; 400 segments, cost 0\.00 USD/);
    expect(out.stdout).toContain('first: row 1 to +');
    expect(out.stdout).toContain('Nothing sent: the plan was not confirmed.');
    expect(out.code).toBe(1);
    expect(acceptedRows(sim, 'declined').size).toBe(0);
  });
});
