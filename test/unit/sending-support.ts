/** What the sending tests share: a real desk in a fresh folder, generated recipients, and the journal. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { expect } from 'vitest';
import type { CampaignView, RowView } from '../../shared/api';
import type { JournalEvent } from '../../electron/core/campaigns/journal-events';
import type { Desk, DeskOptions } from '../../electron/core/desk';
import { startNodeDesk } from '../../electron/core/node-desk';
import type { Simulator } from '../../electron/core/simulator/simulator';

export interface Home {
  dir: string;
  desks: Desk[];
  start(options?: Partial<DeskOptions>): Promise<Desk>;
  close(desk: Desk): Promise<void>;
  cleanup(): Promise<void>;
}

/** The Sandbox with quick reports, all delivered, and no TPS of its own: tests choose their rates. */
export const QUIET_SANDBOX = { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10, seed: 11, tps: null };

export async function tempHome(): Promise<Home> {
  const dir = await mkdtemp(join(tmpdir(), 'sending-test-'));
  const desks: Desk[] = [];
  return {
    dir,
    desks,
    async start(options = {}) {
      const desk = await startNodeDesk(join(dir, 'home'), {
        sandbox: QUIET_SANDBOX,
        ...options,
      });
      desks.push(desk);
      return desk;
    },
    async close(desk) {
      desks.splice(desks.indexOf(desk), 1);
      await desk.close();
    },
    async cleanup() {
      for (const desk of desks.splice(0)) await desk.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A valid US number per row, all different. */
export function phone(row: number): string {
  return `+1415${String(5_000_000 + row).padStart(7, '0')}`;
}

export function recipientsCsv(rows: number, note: (row: number) => string = () => 'ok'): string {
  const lines = ['name,phone,note'];
  for (let i = 0; i < rows; i++) lines.push(`Person ${i},${phone(i)},${note(i)}`);
  return lines.join('\n');
}

export async function importCampaign(
  desk: Desk,
  rows: number,
  options: { template?: string; note?: (row: number) => string } = {},
): Promise<string> {
  const imported = await desk.importRecipients('people.csv', { text: recipientsCsv(rows, options.note) });
  const view = await desk.update(imported.id, {
    phoneColumn: 1,
    defaultCountry: 'US',
    template: options.template ?? 'Hi $(name), your order is ready.',
    senderId: 'ACME',
  });
  expect(view.problem).toBeNull();
  return imported.id;
}

export async function view(desk: Desk, id: string): Promise<CampaignView> {
  return desk.handlers['campaigns.get']({ id });
}

export async function rowsOf(desk: Desk, id: string): Promise<RowView[]> {
  const { total } = await desk.handlers['campaigns.rows']({ id, offset: 0, limit: 1 });
  const rows: RowView[] = [];
  for (let offset = 0; offset < total; offset += 1000) {
    rows.push(...(await desk.handlers['campaigns.rows']({ id, offset, limit: 1000 })).rows);
  }
  return rows;
}

/** How many times the simulator accepted each row of the campaign. */
export function acceptedRows(sim: Pick<Simulator, 'accepted'>, id: string): Map<number, number> {
  const times = new Map<number, number>();
  for (const m of sim.accepted) {
    const match = m.correlationid.match(/^(.+)\.(\d+)$/);
    if (match?.[1] !== id) continue;
    const row = Number(match[2]);
    times.set(row, (times.get(row) ?? 0) + 1);
  }
  return times;
}

/** No row was accepted twice, and every row the journal shows as accepted was accepted by the service. */
export async function expectAtMostOnce(desk: Desk, sim: Pick<Simulator, 'accepted'>, id: string) {
  const accepted = acceptedRows(sim, id);
  expect([...accepted.values()].filter((n) => n > 1)).toEqual([]);
  for (const row of await rowsOf(desk, id)) {
    if (['queued', 'submitted', 'delivered', 'undelivered', 'failed', 'expired'].includes(row.status)) {
      expect(accepted.has(row.index), `row ${row.index} is ${row.status}`).toBe(true);
    }
    if (row.status === 'ready') expect(accepted.has(row.index), `row ${row.index} is ready`).toBe(false);
  }
  return accepted;
}

export async function journal(dir: string, id: string): Promise<JournalEvent[]> {
  const text = await readFile(join(dir, 'home', 'campaigns', id, 'journal.ndjson'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalEvent);
}

/** The platform's payloads of the reports journaled in the campaigns, as kept beside them. */
export async function reportPayloads(
  dir: string,
): Promise<{ campaignId: string; row?: number; test?: number; raw: unknown }[]> {
  const text = await readFile(join(dir, 'home', 'report-payloads.ndjson'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { campaignId: string; row?: number; test?: number; raw: unknown });
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function postDr(desk: Desk, body: unknown): Promise<number> {
  const res = await request(desk.receiver.drUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.dump();
  return res.statusCode;
}

export function deliveryReport(correlationid: string, status: 'Delivered' | 'Submitted', transid = '') {
  return {
    deliveryInfoNotification: {
      deliveryInfo: {
        timeStamp: new Date().toISOString(),
        Description: status,
        code: status === 'Delivered' ? '7500' : '7501',
        deliveryStatus: status,
        destination: '14155000000',
      },
      carrier: 'TEST',
      transid,
      correlationid,
    },
  };
}

export interface CliRun {
  /** The exit code, once the process has ended. */
  code: Promise<number | null>;
  /** What it printed so far, stdout and stderr together. */
  output: () => string;
  /** What it printed on stdout alone: with --json, its JSON lines. */
  stdout: () => string;
  signal: (name: NodeJS.Signals) => void;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built command line in a process of its own, on the data folder given, as a user's shell runs it. */
export function runCli(args: string[], dataDir: string, env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['bin/campaign-desk.js', ...args, '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    code: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    output: () => out,
    stdout: () => stdout,
    signal: (name) => child.kill(name),
  };
}
