import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrScheduler, SIMULATED_CARRIER, type DeliveryJob, type FailedPost } from './dr-scheduler.js';
import {
  API_ERRORS,
  checkMessage,
  MAX_DESTINATIONS_PER_REQUEST,
  type ApiError,
  type DestinationOutcome,
  type Smartlink,
} from './message-schema.js';
import { postJson } from './post-json.js';
import { RateWindow } from './rate-window.js';
import { mulberry32 } from './seeded-random.js';

export interface SimulatorOptions {
  /** 0 picks a free port. The simulator only ever listens on 127.0.0.1. */
  port?: number;
  /** Accepted service keys (the `key` header). */
  keys: string[];
  submittedDelayMs?: number;
  /** Delay between the 'Submitted' report and the final one. */
  finalDelayMs?: number;
  /** 0..1 share of destinations whose final report is undelivered. */
  failureShare?: number;
  seed?: number;
  moNotifyUrl?: string;
  /** How many more times a delivery report the notify URL did not take is posted again. */
  reportRetries?: number;
  /** Off: no delivery reports at all (for measuring the messaging API alone). */
  deliveryReports?: boolean;
  faults?: SimulatorFaults;
}

/** What can go wrong with the platform; every share is drawn per request from the seeded generator. */
export interface SimulatorFaults {
  /** Destinations beyond this many within any one second get HTTP 429 for their whole request. */
  rateLimit?: { perSecond: number; retryAfterSeconds: number | null };
  /** 0..1 share of requests answered 503 with a body that is not the API's; nothing in them is queued. */
  serverErrorShare?: number;
  /** Every answer waits this long after its destinations were queued. */
  latencyMs?: number;
  /** 0..1 share of requests whose destinations are queued, after which the connection is dropped unanswered. */
  dropAfterAcceptShare?: number;
  /** Every key is refused with 401, as when a key is revoked in the middle of a campaign. */
  revokedKey?: boolean;
  duplicateReports?: boolean;
  /** The final report comes before 'Submitted'. */
  reportsOutOfOrder?: boolean;
  /** Both reports are posted, and answered, before the send's own response goes out. */
  reportsBeforeResponse?: boolean;
}

export type RequestAnswer = 'answered' | 'rate-limited' | 'server-error' | 'dropped' | 'refused';

export interface RequestRecord {
  /** Date.now() when the request's body had arrived. */
  at: number;
  destinations: number;
  answer: RequestAnswer;
}

export interface AcceptedMessage {
  transid: string;
  correlationid: string;
  msisdn: string;
  text: string;
  senderid: string;
  notifyurl?: string;
  smartlinks?: Smartlink[];
  acceptedAt: string;
}

export interface InjectedMo {
  from: string;
  text: string;
  /** The service's short code; defaults to 56263. */
  to?: string;
}

export interface Simulator {
  /** Base URL; the messaging API is at `${url}/resources/v1/messaging`. */
  readonly url: string;
  /** Every destination the simulator queued, in order. */
  readonly accepted: readonly AcceptedMessage[];
  /** Delivery reports that could not be posted, or were answered with a non-2xx status. */
  readonly failedPosts: readonly FailedPost[];
  /** Every messaging request whose body was read, with what became of it. */
  readonly requests: readonly RequestRecord[];
  /** The most messaging requests that were being handled at one time. */
  readonly maxConcurrent: number;
  /** Replaces the fault modes; requests already being handled keep the ones they started with. */
  setFaults(faults: SimulatorFaults): void;
  setMoNotifyUrl(url: string): void;
  /** POSTs an MO payload to the MO notify URL; rejects when none is set or the post fails. */
  injectMo(mo: InjectedMo): Promise<void>;
  /** Resolves once every scheduled delivery report has been posted (or failed to post). */
  idle(): Promise<void>;
  /** Stops the server and cancels pending delivery reports. */
  close(): Promise<void>;
}

export const MESSAGING_PATH = '/resources/v1/messaging';
export const MO_HOOK_PATH = '/simulator/mo';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_MO_HOOK_BODY_BYTES = 64 * 1024;
const DEFAULT_SHORT_CODE = '56263';

const injectedMoSchema = z.object({
  from: z.string().min(1),
  text: z.string(),
  to: z.string().min(1).optional(),
});

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const keys = new Set(options.keys);
  const accepted: AcceptedMessage[] = [];
  const requests: RequestRecord[] = [];
  let moNotifyUrl = options.moNotifyUrl;
  const seed = options.seed ?? randomInt(2 ** 32);
  const deliveryReports = new DrScheduler({
    submittedDelayMs: options.submittedDelayMs ?? 50,
    finalDelayMs: options.finalDelayMs ?? 200,
    failureShare: options.failureShare ?? 0.1,
    seed,
    retries: options.reportRetries ?? 0,
  });
  const chance = mulberry32(seed ^ 0x5bd1e995);
  let faults: SimulatorFaults = {};
  let rateWindow: RateWindow | null = null;
  let handling = 0;
  let maxConcurrent = 0;

  function setFaults(next: SimulatorFaults): void {
    faults = { ...next };
    deliveryReports.faults = { duplicate: next.duplicateReports, outOfOrder: next.reportsOutOfOrder };
    rateWindow = next.rateLimit ? new RateWindow(next.rateLimit.perSecond, 1000) : null;
  }
  setFaults(options.faults ?? {});

  async function injectMo(mo: InjectedMo): Promise<void> {
    if (moNotifyUrl === undefined) throw new Error('No MO notify URL is set');
    const oa = mo.from.replace(/\D/g, '');
    const now = new Date();
    const status = await postJson(moNotifyUrl, {
      userId: oa,
      channel: 'SMS',
      da: mo.to ?? DEFAULT_SHORT_CODE,
      oa,
      message: mo.text,
      messageCount: '1',
      tid: randomUUID(),
      datetime: now.toISOString(),
      ts: String(now.getTime()),
      x_networkid: SIMULATED_CARRIER,
    });
    if (status >= 300) throw new Error(`MO notify URL answered HTTP ${status}`);
  }

  function queue(outcome: Extract<DestinationOutcome, { queued: true }>, reports: DeliveryJob[]) {
    const { msisdn, correlationid, message } = outcome;
    const transid = randomUUID();
    accepted.push({
      transid,
      correlationid,
      msisdn,
      text: message.text,
      senderid: message.senderid,
      ...(message.notifyurl !== undefined && { notifyurl: message.notifyurl }),
      ...(message.smartlinks !== undefined && { smartlinks: message.smartlinks }),
      acceptedAt: new Date().toISOString(),
    });
    if (message.notifyurl !== undefined && options.deliveryReports !== false) {
      reports.push({
        notifyurl: message.notifyurl,
        transid,
        correlationid,
        msisdn,
        callbackData: message.callbackData,
      });
    }
    return { code: '1001', description: 'Queued', transid, correlationid };
  }

  async function handleMessaging(req: IncomingMessage, res: ServerResponse): Promise<void> {
    handling++;
    maxConcurrent = Math.max(maxConcurrent, handling);
    try {
      await answerMessaging(req, res, faults);
    } finally {
      handling--;
    }
  }

  async function answerMessaging(req: IncomingMessage, res: ServerResponse, f: SimulatorFaults) {
    const body = await readJsonBody(req, res, MAX_BODY_BYTES);
    if (body === undefined) return;
    const outcomes = (Array.isArray(body.value) ? body.value : [body.value]).flatMap(checkMessage);
    const log = (answer: RequestAnswer) =>
      requests.push({ at: Date.now(), destinations: outcomes.length, answer });
    if (outcomes.length > MAX_DESTINATIONS_PER_REQUEST) {
      log('refused');
      sendError(res, 400, API_ERRORS.tooManyDestinations);
      return;
    }
    if (rateWindow && !rateWindow.tryTake(outcomes.length)) {
      log('rate-limited');
      const retryAfter = f.rateLimit?.retryAfterSeconds;
      if (retryAfter != null) res.setHeader('retry-after', String(retryAfter));
      sendError(res, 429, API_ERRORS.rateLimited);
      return;
    }
    if (chance() < (f.serverErrorShare ?? 0)) {
      log('server-error');
      res
        .writeHead(503, { 'content-type': 'text/html' })
        .end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const reports: DeliveryJob[] = [];
    const response = outcomes.map((outcome) =>
      outcome.queued
        ? queue(outcome, reports)
        : {
            ...outcome.error,
            ...(outcome.correlationid !== undefined && { correlationid: outcome.correlationid }),
          },
    );
    if (f.reportsBeforeResponse) await Promise.all(reports.map((job) => deliveryReports.deliverNow(job)));
    else for (const job of reports) deliveryReports.schedule(job);
    if (f.latencyMs) await sleep(f.latencyMs);
    if (chance() < (f.dropAfterAcceptShare ?? 0)) {
      log('dropped');
      res.socket?.destroy();
      return;
    }
    log('answered');
    sendJson(res, 200, { response });
  }

  async function handleMoHook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req, res, MAX_MO_HOOK_BODY_BYTES);
    if (body === undefined) return;
    const mo = injectedMoSchema.safeParse(body.value);
    if (!mo.success) {
      sendError(res, 400, API_ERRORS.invalidParameter);
      return;
    }
    if (moNotifyUrl === undefined) {
      sendJson(res, 409, { error: 'No MO notify URL is set' });
      return;
    }
    try {
      await injectMo(mo.data);
    } catch (error) {
      sendJson(res, 502, { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    sendJson(res, 202, { status: 'delivered' });
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    [MESSAGING_PATH]: handleMessaging,
    [MO_HOOK_PATH]: handleMoHook,
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handler = req.method === 'POST' ? routes[path] : undefined;
    if (handler === undefined) {
      req.resume();
      sendJson(res, 404, { error: 'Not found' });
      return;
    }
    const key = req.headers['key'];
    if (typeof key !== 'string' || !keys.has(key) || faults.revokedKey) {
      req.resume();
      sendError(res, 401, API_ERRORS.invalidKey);
      return;
    }
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    failedPosts: deliveryReports.failedPosts,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    setFaults,
    setMoNotifyUrl(url) {
      moNotifyUrl = url;
    },
    injectMo,
    idle: () => deliveryReports.idle(),
    async close() {
      deliveryReports.cancel();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
      await deliveryReports.idle();
    },
  };
}

/** Reads and parses a JSON body; on failure answers the request itself and returns undefined. */
async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<{ value: unknown } | undefined> {
  const raw = await readBody(req, maxBytes);
  if (raw === undefined) {
    // The rest of the upload is not wanted; close instead of keeping the connection for reuse.
    res.setHeader('connection', 'close');
    sendError(res, 413, API_ERRORS.jsonTooLarge);
    return undefined;
  }
  try {
    return { value: JSON.parse(raw.toString('utf8')) };
  } catch {
    sendError(res, 400, API_ERRORS.invalidJson);
    return undefined;
  }
}

/** Resolves with the body, or undefined as soon as it exceeds maxBytes (the rest is drained and dropped). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length']) > maxBytes) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, { response: [error] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
