/**
 * The browser shell: serves the built renderer and the core API (HTTP calls + Server-Sent Events)
 * on 127.0.0.1, guarded by a per-launch token and a Host header check.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Desk } from './core/desk';
import { dispatch } from './core/dispatch';
import { DeskError } from './core/errors';
import { resolveDataDir } from './core/data-dir';
import { startNodeDesk } from './core/node-desk';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MAX_CALL_BODY = 256 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface BrowserShell {
  /** The address to open, token included in the fragment so it never reaches a log or a Referer. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startBrowserShell(
  desk: Desk,
  options: { port?: number; rendererDir: string },
): Promise<BrowserShell> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const streams = new Set<ServerResponse>();
  let allowedHosts: string[] = [];

  const unsubscribe = desk.bus.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      console.error('browser shell:', error);
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 421, 'Unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      const given = req.headers['x-desk-token'] ?? url.searchParams.get('token') ?? '';
      if (!sameSecret(String(given), token))
        return send(res, 401, {
          ok: false,
          error: { code: 'unauthorized', message: 'Missing or wrong token' },
        });
      if (url.pathname === '/api/events' && req.method === 'GET') return openStream(res);
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        const uploadId = await desk.uploads.receive(req).catch((error: unknown) => {
          const message = error instanceof DeskError ? error.message : 'The file could not be received.';
          send(res, 413, { ok: false, error: { code: 'upload-failed', message } });
          return null;
        });
        if (uploadId) send(res, 200, { ok: true, value: { uploadId } });
        return;
      }
      const call = url.pathname.match(/^\/api\/call\/([\w.]+)$/);
      if (call && req.method === 'POST') {
        const body = await readJson(req);
        if (body === undefined)
          return send(res, 400, {
            ok: false,
            error: { code: 'invalid-json', message: 'The request body is not JSON' },
          });
        return send(res, 200, await dispatch(desk.handlers, call[1] as string, body));
      }
      return send(res, 404, { ok: false, error: { code: 'not-found', message: 'No such endpoint' } });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only');
    return serveStatic(url.pathname, res);
  }

  function openStream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative =
      pathname === '/' ? 'index.html' : normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
    const file = join(rendererDir, relative);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'Not found');
    const body = await readFile(file).catch(() => null);
    if (!body) return send(res, 404, 'Not found');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolveListen);
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      unsubscribe();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CALL_BODY) {
        req.destroy();
        reject(new Error('request body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolveBody(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        resolveBody(undefined);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  });
  res.end(text);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'failure-share': { type: 'string' },
      'unknown-grace': { type: 'string' },
    },
  });
  const dataDir = resolveDataDir(values['data-dir']);
  const failureShare = values['failure-share'] === undefined ? undefined : Number(values['failure-share']);
  const unknownGraceMs =
    values['unknown-grace'] === undefined ? undefined : Number(values['unknown-grace']) * 1000;
  const desk = await startNodeDesk(dataDir, { sandbox: { failureShare }, unknownGraceMs });
  // This runs bundled, as dist/node/server.js, beside the built renderer in dist/renderer/.
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
  const shell = await startBrowserShell(desk, { port: values.port ? Number(values.port) : 0, rendererDir });
  console.log(`Campaign Desk is running at ${shell.url}`);
  const stop = async () => {
    await shell.close();
    await desk.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
