import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverStats } from '../../../shared/api';
import type { Rotation } from '../storage/rotating-files';
import { KEPT_BODY_BYTES, RejectedLog } from './rejected-log';
import { DEFAULT_RATE_LIMITS, SourceLimiter, sourceOf, type RateLimits } from './source-limiter';
import {
  nestedDeeperThan,
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
  /** Reports one post may carry (the platform posts them one by one). */
  maxReportsPerPost?: number;
  /** Per-source limits; any left out keep their default. */
  rateLimits?: Partial<RateLimits>;
  /** Where refused posts are kept (see RejectedLog); none are kept without it. */
  rejectedLog?: string;
  /** How that file is bounded (default REJECTED_ROTATION). */
  rejectedRotation?: Rotation;
  handlers: ReceiverHandlers;
}

export interface Receiver {
  /** Base URL including the secret; DRs go to `${url}/dr`, replies to `${url}/mo`. */
  readonly url: string;
  readonly drUrl: string;
  readonly moUrl: string;
  /** What `GET ${url}/probe` answers, new each run: a request through a tunnel that gets it reached this receiver. */
  readonly probeNonce: string;
  /** What was taken in and refused since the receiver started; unmatched reports are the desk's to count. */
  stats(): Omit<ReceiverStats, 'unmatched' | 'unmatchedDropped' | 'payloadsDropped'>;
  close(): Promise<void>;
}

type Refusal = { status: 400 | 413 | 422; message: string };

const MAX_DEPTH = 32;
const MAX_CONNECTIONS = 1024;

/** The webhook endpoint for delivery reports and replies, on loopback only. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const maxReports = options.maxReportsPerPost ?? 100;
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const limiter = new SourceLimiter(limits);
  const rejected = options.rejectedLog
    ? await RejectedLog.open(options.rejectedLog, options.rejectedRotation)
    : null;
  const stats = { deliveryReports: 0, replies: 0, rejected: 0, rateLimited: 0 };
  // Posts being recorded: closing waits for them, so that what was taken in is written before the stores close.
  const recording = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handled = handle(req, res).catch((error: unknown) => {
      // A client that hung up mid-body needs no answer nor a line in the log.
      if (req.destroyed && !req.complete) return;
      console.error('receiver: could not record a webhook:', error instanceof Error ? error.message : error);
      answer(res, 500, 'not recorded');
    });
    recording.add(handled);
    void handled.finally(() => recording.delete(handled));
  });
  // Posts come over kept-alive connections (the Sandbox's pool holds MAX_POSTS_IN_FLIGHT); beyond this many open
  // at once, new ones are closed on arrival, so that a flood of connections cannot exhaust the descriptors.
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const probeNonce = randomBytes(16).toString('hex');

  async function handle(req: HttpRequest, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const mo = moService(path, options.secret);
    const endpoint: Endpoint | null =
      path === `/${options.secret}/dr` ? { kind: 'dr' } : mo ? { kind: 'mo', serviceId: mo } : null;
    const probe = path === `/${options.secret}/probe`;
    const source = sourceOf(req);
    const cost =
      endpoint || probe ? 1 : path.startsWith(`/${options.secret}/`) ? limits.refusedCost : limits.strayCost;
    const admission = limiter.admit(source, cost);
    if (!admission.admitted) {
      stats.rateLimited++;
      return answer(res, 429, 'too many requests', { 'retry-after': String(admission.retryAfterSeconds) });
    }
    if (probe && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(probeNonce);
      return;
    }
    if (!endpoint) return answer(res, 404, 'not found');
    if (req.method !== 'POST') {
      limiter.charge(source, limits.refusedCost - 1);
      return answer(res, 405, 'POST only');
    }
    const body = await readBody(req, maxBody);
    const refusal = body.complete
      ? await take(endpoint, body.bytes)
      : ({ status: 413, message: 'body too large' } as const);
    if (!refusal) return answer(res, 200, 'ok');
    stats.rejected++;
    limiter.charge(source, limits.refusedCost - 1);
    rejected?.add(
      {
        at: new Date().toISOString(),
        source,
        endpoint: endpoint.kind,
        status: refusal.status,
        reason: refusal.message,
        contentType: req.headers['content-type']?.slice(0, 200) ?? null,
        bytes: body.received,
      },
      body.bytes,
    );
    answer(res, refusal.status, refusal.message);
  }

  /** Records a post's reports or reply; the refusal when it holds none. */
  async function take(endpoint: Endpoint, bytes: Buffer): Promise<Refusal | null> {
    const text = decodeUtf8(bytes);
    if (text === null) return { status: 400, message: 'invalid UTF-8' };
    const body = parseJson(text);
    if (body === undefined) return { status: 400, message: 'invalid JSON' };
    if (nestedDeeperThan(body, MAX_DEPTH))
      return { status: 422, message: `JSON nested deeper than ${MAX_DEPTH} levels` };
    if (endpoint.kind === 'dr') {
      if (Array.isArray(body) && body.length > maxReports)
        return { status: 413, message: `${body.length} reports in one post; at most ${maxReports}` };
      const reports = parseDeliveryReports(body);
      if (typeof reports === 'string') return { status: 422, message: reports };
      await options.handlers.onDeliveryReports(reports);
      stats.deliveryReports += reports.length;
    } else {
      const message = parseIncomingMessage(body);
      if (typeof message === 'string') return { status: 422, message };
      await options.handlers.onIncomingMessage(message, endpoint.serviceId);
      stats.replies++;
    }
    return null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  }).catch(async (error: unknown) => {
    await rejected?.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${options.secret}`;
  return {
    url,
    drUrl: `${url}/dr`,
    moUrl: `${url}/mo`,
    probeNonce,
    stats: () => ({ ...stats, rejectedDropped: rejected?.dropped ?? null }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await Promise.all(recording);
      await rejected?.close();
    },
  };
}

type Endpoint = { kind: 'dr' } | { kind: 'mo'; serviceId: string };

const SERVICE_ID = /^(?:sandbox|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The service a reply path names: `/<secret>/mo/<serviceId>`, or plain `/<secret>/mo` for the Sandbox. */
function moService(path: string, secret: string): string | null {
  const prefix = `/${secret}/mo`;
  if (path === prefix) return 'sandbox';
  if (!path.startsWith(`${prefix}/`)) return null;
  const id = path.slice(prefix.length + 1);
  return SERVICE_ID.test(id) ? id : null;
}

interface Body {
  bytes: Buffer;
  received: number;
  complete: boolean;
}

/**
 * The body, or as much of it as was read before it passed `limit` (when its declared length is over the
 * limit, nothing is read). An oversized body is answered while the client may still be sending it.
 */
function readBody(req: HttpRequest, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) {
      req.resume();
      return resolve({ bytes: Buffer.alloc(0), received: 0, complete: false });
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      // Paused, it emits no more data; the answer closes the connection.
      req.pause();
      chunks.push(chunk.subarray(0, KEPT_BODY_BYTES));
      resolve({ bytes: Buffer.concat(chunks), received, complete: false });
    });
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), received, complete: true }));
    req.on('error', reject);
    // Without an end first: the client hung up mid-body.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request closed'));
    });
  });
}

function decodeUtf8(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function answer(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  // A refused request may still be uploading; closing stops it. Recorded ones keep the connection for the next.
  res.writeHead(status, {
    'content-type': 'application/json',
    ...headers,
    ...(status >= 400 && { connection: 'close' }),
  });
  res.end(JSON.stringify({ status, message }));
}
