import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseDeliveryReports,
  parseIncomingMessage,
  type DeliveryReport,
  type IncomingMessage,
} from './webhook-schemas';

export interface ReceiverHandlers {
  /** Resolves once the reports are durably recorded; only then is the post acknowledged. */
  onDeliveryReports(reports: DeliveryReport[]): Promise<void>;
  /** `serviceId`: the service whose MO notify URL took the reply (`/mo/<serviceId>`; plain `/mo` is the Sandbox's). */
  onIncomingMessage(message: IncomingMessage, serviceId: string): Promise<void>;
}

export interface ReceiverOptions {
  /** Unguessable path segment: the only authentication the platform's webhooks allow. */
  secret: string;
  port?: number;
  maxBodyBytes?: number;
  handlers: ReceiverHandlers;
}

export interface Receiver {
  /** Base URL including the secret; DRs go to `${url}/dr`, replies to `${url}/mo`. */
  readonly url: string;
  readonly drUrl: string;
  readonly moUrl: string;
  /** What `GET ${url}/probe` answers, new each run: a request through a tunnel that gets it reached this receiver. */
  readonly probeNonce: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** The webhook endpoint for delivery reports and replies, on loopback only. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return answer(res, 413, 'body too large');
      console.error('receiver: could not record a webhook:', error instanceof Error ? error.message : error);
      answer(res, 500, 'not recorded');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const probeNonce = randomBytes(16).toString('hex');

  async function handle(req: HttpRequest, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === `/${options.secret}/probe` && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(probeNonce);
      return;
    }
    const mo = moService(path, options.secret);
    const kind = path === `/${options.secret}/dr` ? 'dr' : mo ? 'mo' : null;
    if (!kind) return answer(res, 404, 'not found');
    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    const body = parseJson(await readBody(req, maxBody));
    if (body === undefined) return answer(res, 400, 'invalid JSON');
    if (kind === 'dr') {
      const reports = parseDeliveryReports(body);
      if (typeof reports === 'string') return answer(res, 422, reports);
      await options.handlers.onDeliveryReports(reports);
    } else {
      const message = parseIncomingMessage(body);
      if (typeof message === 'string') return answer(res, 422, message);
      await options.handlers.onIncomingMessage(message, mo as string);
    }
    answer(res, 200, 'ok');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${options.secret}`;
  return {
    url,
    drUrl: `${url}/dr`,
    moUrl: `${url}/mo`,
    probeNonce,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SERVICE_ID = /^(?:sandbox|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The service a reply path names: `/<secret>/mo/<serviceId>`, or plain `/<secret>/mo` for the Sandbox. */
function moService(path: string, secret: string): string | null {
  const prefix = `/${secret}/mo`;
  if (path === prefix) return 'sandbox';
  if (!path.startsWith(`${prefix}/`)) return null;
  const id = path.slice(prefix.length + 1);
  return SERVICE_ID.test(id) ? id : null;
}

function readBody(req: HttpRequest, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      return reject(new BodyTooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  // A refused request may still be uploading; closing stops it. Recorded ones keep the connection for the next.
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status >= 400 && { connection: 'close' }),
  });
  res.end(JSON.stringify({ status, message }));
}
