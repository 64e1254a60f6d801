import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../electron/core/desk';
import { startNodeDesk } from '../../electron/core/node-desk';
import { startBrowserShell, type BrowserShell } from '../../electron/server';

let root: string;
let desk: Desk;
let shell: BrowserShell;
let origin: string;
let token: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shell-test-'));
  const rendererDir = join(root, 'renderer');
  await import('node:fs/promises').then((fs) => fs.mkdir(rendererDir));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Campaign Desk</title>');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer folder');
  desk = await startNodeDesk(join(root, 'home'), {
    sandbox: { failureShare: 0, submittedDelayMs: 5, finalDelayMs: 5 },
  });
  shell = await startBrowserShell(desk, { rendererDir });
  const url = new URL(shell.url);
  origin = url.origin;
  token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
});

afterAll(async () => {
  await shell.close();
  await desk.close();
  await rm(root, { recursive: true, force: true });
});

function call(name: string, body: unknown, headers: Record<string, string> = { 'x-desk-token': token }) {
  return request(`${origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('browser shell', () => {
  it('listens on loopback and prints an address whose token sits in the fragment', () => {
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a content security policy, and nothing outside its folder', async () => {
    const page = await request(`${origin}/`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(await page.body.text()).toContain('Campaign Desk');
    const escape = await request(`${origin}/..%2fsecret.txt`);
    expect(escape.statusCode).toBe(404);
    expect(await escape.body.text()).not.toContain('outside');
  });

  it('refuses calls without the token or with a wrong one', async () => {
    for (const headers of [
      {},
      { 'x-desk-token': 'wrong' },
      { 'x-desk-token': token.slice(0, -1) + 'x' },
    ] as Record<string, string>[]) {
      const res = await call('services.list', {}, headers);
      expect(res.statusCode).toBe(401);
      expect(await res.body.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it("serves none of the command line's own calls: a path on this computer or a send's tuning is not the page's to give", async () => {
    const path = join(root, 'written-by-the-page.xlsx');
    for (const [name, body] of [
      ['cli.writeReportXlsx', { id: 'any', timeZone: 'UTC', path }],
      ['cli.send', { id: 'any', rate: 50 }],
      ['cli.import', { fileName: 'a.csv', uploadId: 'any' }],
    ] as const) {
      const res = await call(name, body);
      expect(await res.body.json()).toEqual({
        ok: false,
        error: { code: 'unknown-call', message: `No such call: ${name}` },
      });
    }
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('refuses requests whose Host header is not its own address', async () => {
    const res = await request(`${origin}/api/call/services.list`, {
      method: 'POST',
      headers: { host: 'evil.example:80', 'x-desk-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.statusCode).toBe(421);
    await res.body.dump();
  });

  it('validates every payload against the contract', async () => {
    const res = await call('campaigns.rows', { id: 'x', offset: -1, limit: 5 });
    const body = (await res.body.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid-input');
    expect(body.error.message).toContain('offset');
    const unknown = (await (await call('campaigns.deleteEverything', {})).body.json()) as {
      error: { code: string };
    };
    expect(unknown.error.code).toBe('unknown-call');
  });

  it('streams pushed events to a client holding the token', async () => {
    const res = await request(`${origin}/api/events?token=${encodeURIComponent(token)}`);
    expect(res.headers['content-type']).toBe('text/event-stream');
    let received = '';
    const sawProgress = new Promise<void>((resolve) => {
      res.body.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes('event: import.progress') && received.includes('"done":true')) resolve();
      });
    });
    const imported = await call('campaigns.import', {
      fileName: 'list.csv',
      source: { text: 'name,phone\nAnn,+14155552671\n' },
    });
    expect(await imported.body.json()).toMatchObject({ ok: true, value: { rowCount: 1, phoneColumn: 1 } });
    await sawProgress;
    expect(received).toContain('"fileName":"list.csv"');
    res.body.destroy();
  });

  it('never lets a service key out through the API', async () => {
    const key = 'live-key-7f3a9c21d4e8b605';
    const saved = await call('services.save', {
      name: 'Live',
      baseUrl: 'https://api.imiconnect.io',
      key,
      rate: 10,
    });
    const text = await saved.body.text();
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toMatchObject({ ok: true, value: { keyHint: '••••b605' } });
    const listed = await (await call('services.list', {})).body.text();
    expect(listed).not.toContain(key);
  });
});

describe('an error through the HTTP bridge', () => {
  it('carries the sentence and, apart, the technical detail, never the key', async () => {
    const json = async (name: string, body: unknown) => (await (await call(name, body)).body.json()) as never;
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const service = await json('services.save', {
      api: 'messaging',
      numbersWithPlus: true,
      sendWindow: null,
      name: 'Nowhere',
      baseUrl: `http://127.0.0.1:${port}`,
      key: 'bridge-key-5521',
      rate: 10,
      pricePerSegment: 0,
    });
    const imported = await json('campaigns.import', {
      fileName: 'people.csv',
      source: { text: 'name,phone\nAnn,+14155550101\n' },
    });
    await json('campaigns.update', {
      id: (imported as { value: { id: string } }).value.id,
      patch: {
        template: 'Hi $(name)',
        senderId: 'ACME',
        serviceId: (service as { value: { id: string } }).value.id,
      },
    });
    const answer = await json('campaigns.testSend', {
      id: (imported as { value: { id: string } }).value.id,
      row: 0,
      msisdn: '+14155550199',
    });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'service-unreachable',
        message: `Cannot reach the service at http://127.0.0.1:${port}: nothing answered at 127.0.0.1:${port}: the computer there refused the connection; check the Base URL (and its port).`,
        detail: expect.stringContaining('ECONNREFUSED'),
      },
    });
    expect(JSON.stringify(answer)).not.toContain('bridge-key-5521');
  });
});
