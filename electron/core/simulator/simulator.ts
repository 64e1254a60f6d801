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
  type ReceivedOptions,
  type Smartlink,
} from './message-schema.js';
import { postJson } from './post-json.js';
import { RateWindow } from './rate-window.js';
import { TpsWindow } from './tps-window.js';
import { checkSmsRequest, SMS_ERRORS, SmsMessages, smsOptions, type SmsError } from './sms-messages.js';
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
  /**
   * The tenant's transactions per second, shared by every request: beyond it the burst allowance (1.5 × TPS, at
   * most 100 more) is queued "in burst mode", and anything over that is refused with 7020 (page
   * "rate-limits-for-messaging-apis"). The documented 30-minutes-a-day budget of burst mode is not simulated.
   * null or absent: no limit.
   */
  tps?: number | null;
  /** Destinations must carry their `+`, as on tenants with "+E.164 format" enabled. */
  requirePlus?: boolean;
  moNotifyUrl?: string;
  /** How many more times a delivery report the notify URL did not take is posted again. */
  reportRetries?: number;
  /** Off: no delivery reports at all (for measuring the messaging API alone). */
  deliveryReports?: boolean;
  /** Destinations with reports still to post beyond which sends are throttled (7020); MAX_PENDING_REPORTS unless set. */
  maxPendingReports?: number;
  faults?: SimulatorFaults;
}

/** What can go wrong with the platform; every share is drawn per request from the seeded generator. */
export interface SimulatorFaults {
  /**
   * An HTTP 429 with `Retry-After` for whole requests beyond this many destinations a second: not what the
   * platform documents (it answers 7020, see `tps`), kept to show that such an answer would be honoured.
   */
  http429?: { perSecond: number; retryAfterSeconds: number | null };
  /** 0..1 share of requests answered 503 with a body that is not the API's; nothing in them is queued. */
  serverErrorShare?: number;
  /** Every answer waits this long after its destinations were queued. */
  latencyMs?: number;
  /** 0..1 share of requests whose destinations are queued, after which the connection is dropped unanswered. */
  dropAfterAcceptShare?: number;
  /** Every key is refused (7001), as when a key is revoked in the middle of a campaign. */
  revokedKey?: boolean;
  duplicateReports?: boolean;
  /** The final report comes before 'Submitted'. */
  reportsOutOfOrder?: boolean;
  /** Both reports are posted, and answered, before the send's own response goes out. */
  reportsBeforeResponse?: boolean;
  /** No report is posted (a receiver that slept through them); the status lookup still knows each message's fate. */
  lostReports?: boolean;
  /**
   * Texts longer than this many characters are refused (7107), below the 1,024 the app checks against: the
   * platform counting otherwise than the app does, which its docs ("characters") leave open.
   */
  maxTextLength?: number;
}

export type RequestAnswer = 'answered' | 'throttled' | 'server-error' | 'dropped' | 'refused';

export interface RequestRecord {
  /** Date.now() when the request's body had arrived. */
  at: number;
  destinations: number;
  answer: RequestAnswer;
  /** Destinations of an answered request refused with 7020 (the rest of the second's allowance was used). */
  throttled: number;
}

export interface AcceptedMessage {
  transid: string;
  correlationid: string;
  msisdn: string;
  text: string;
  /** "1" GSM-7 text, "4" Unicode. */
  type: string;
  senderid: string;
  callbackData: string;
  notifyurl?: string;
  smartlinks?: Smartlink[];
  /** The request options it read, whichever API's fields carried them. */
  options: ReceivedOptions;
  /** The message object (Messaging API v1) or the request body (Send SMS API), as it arrived. */
  body: unknown;
  acceptedAt: string;
}

export interface InjectedMo {
  from: string;
  text: string;
  /** The service's short code; defaults to 56263. */
  to?: string;
}

export interface Simulator {
  /** Base URL; Messaging API v1 is at `${url}/resources/v1/messaging`, the Send SMS API at `${url}/v1/sms/messages`. */
  readonly url: string;
  /** The destinations the simulator queued, in order: the first KEPT_RECORDS of them. */
  readonly accepted: readonly AcceptedMessage[];
  /** How many destinations the simulator queued, including those beyond the ones kept in `accepted`. */
  readonly acceptedCount: number;
  /** Delivery reports that could not be posted, or were answered with a non-2xx status (the first thousand). */
  readonly failedPosts: readonly FailedPost[];
  /** How many delivery reports could not be posted, including those beyond `failedPosts`. */
  readonly failedPostCount: number;
  /** The messaging requests whose body was read, with what became of them: the first KEPT_RECORDS of them. */
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
export const SMS_PATH = '/v1/sms/messages';
export const MO_HOOK_PATH = '/simulator/mo';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_MO_HOOK_BODY_BYTES = 64 * 1024;
const DEFAULT_SHORT_CODE = '56263';
/**
 * Destinations and requests remembered for inspection; a long-running Sandbox or a large campaign only counts
 * the rest, so that its memory stays bounded.
 */
export const KEPT_RECORDS = 20_000;
/**
 * Destinations whose delivery reports are still to post, beyond which the Sandbox throttles sends with 7020 as a
 * tenant's account does beyond its TPS: reports are posted only as fast as the receiver takes them (about 2,600 a
 * second, two a destination), so a campaign sent faster builds a backlog. 200,000 holds a whole 100,000-row
 * campaign sent at 10,000 msg/s (which ends sending in 10 s, its reports about 75 s later) twice over, in about
 * 25 MB; a million-row campaign at that rate is held back to the pace of its reports instead of running out of
 * memory.
 */
export const MAX_PENDING_REPORTS = 200_000;

const injectedMoSchema = z.object({
  from: z.string().min(1),
  text: z.string(),
  to: z.string().min(1).optional(),
});

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const keys = new Set(options.keys);
  const accepted: AcceptedMessage[] = [];
  let acceptedCount = 0;
  const requests: RequestRecord[] = [];
  const logRequest = (record: RequestRecord) => {
    if (requests.length < KEPT_RECORDS) requests.push(record);
  };
  const keep = (message: AcceptedMessage) => {
    acceptedCount++;
    if (accepted.length < KEPT_RECORDS) accepted.push(message);
  };
  let moNotifyUrl = options.moNotifyUrl;
  const seed = options.seed ?? randomInt(2 ** 32);
  const smsMessages = new SmsMessages();
  const deliveryReports = new DrScheduler({
    submittedDelayMs: options.submittedDelayMs ?? 50,
    finalDelayMs: options.finalDelayMs ?? 200,
    failureShare: options.failureShare ?? 0.1,
    seed,
    retries: options.reportRetries ?? 0,
    onStatus: (transid, outcome) => smsMessages.reached(transid, outcome),
  });
  const maxPending = options.maxPendingReports ?? MAX_PENDING_REPORTS;
  /** How many more destinations the backlog of reports takes now. */
  const backlogRoom = () =>
    options.deliveryReports === false ? Infinity : Math.max(0, maxPending - deliveryReports.pendingCount);
  const chance = mulberry32(seed ^ 0x5bd1e995);
  let faults: SimulatorFaults = {};
  let http429Window: RateWindow | null = null;
  const tps = options.tps ?? null;
  const throttle = tps === null ? null : new TpsWindow(tps);
  let handling = 0;
  let maxConcurrent = 0;

  function setFaults(next: SimulatorFaults): void {
    faults = { ...next };
    deliveryReports.faults = {
      duplicate: next.duplicateReports,
      outOfOrder: next.reportsOutOfOrder,
      lost: next.lostReports,
    };
    http429Window = next.http429 ? new RateWindow(next.http429.perSecond, 1000) : null;
  }
  setFaults(options.faults ?? {});

  async function injectMo(mo: InjectedMo): Promise<void> {
    if (moNotifyUrl === undefined) throw new Error('No MO notify URL is set');
    const oa = mo.from.replace(/\D/g, '');
    const now = new Date();
    // The 6.20 sample of page "sms-outbound-webhooks", with its `userld` and `Channel` as printed.
    const status = await postJson(moNotifyUrl, {
      userld: String(randomInt(1000, 10_000)),
      Channel: 'SMS',
      da: mo.to ?? DEFAULT_SHORT_CODE,
      message_source: 'SMS',
      oa,
      message: mo.text,
      messageCount: '1',
      tid: randomUUID(),
      datetime: now.toISOString(),
      ts: now.toISOString(),
      x_networkid: SIMULATED_CARRIER,
    });
    if (status >= 300) throw new Error(`MO notify URL answered HTTP ${status}`);
  }

  function queue(
    outcome: Extract<DestinationOutcome, { queued: true }>,
    transid: string,
    description: string,
    reports: DeliveryJob[],
  ) {
    const { msisdn, correlationid, message } = outcome;
    keep({
      transid,
      correlationid,
      msisdn,
      text: message.text,
      type: message.type,
      senderid: message.senderid,
      callbackData: message.callbackData,
      ...(message.notifyurl !== undefined && { notifyurl: message.notifyurl }),
      ...(message.smartlinks !== undefined && { smartlinks: message.smartlinks }),
      options: message.options,
      body: message.body,
      acceptedAt: new Date().toISOString(),
    });
    if (message.notifyurl !== undefined && options.deliveryReports !== false) {
      reports.push({
        notifyurl: message.notifyurl,
        transid,
        msisdn,
        callbackData: message.callbackData,
      });
    }
    return { code: '1001', description, transid };
  }

  /** Counts the send requests being handled at once. */
  async function counted(answer: () => Promise<void>): Promise<void> {
    handling++;
    maxConcurrent = Math.max(maxConcurrent, handling);
    try {
      await answer();
    } finally {
      handling--;
    }
  }

  function handleMessaging(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return counted(() => answerMessaging(req, res, faults));
  }

  /**
   * Answers as the platform does (page "send-message-api-v1", imiconnect-api.md §4): a request refused as a whole
   * gets HTTP 200 with `response` an object; otherwise `response` is an array in request order whose entries carry
   * an empty correlation id and transids sharing one stem (`<stem>`, `<stem>_1`, `<stem>_2`, page "api-faqs").
   */
  async function answerMessaging(req: IncomingMessage, res: ServerResponse, f: SimulatorFaults) {
    const body = await readJsonBody(req, res, MAX_BODY_BYTES);
    if (body === undefined) return;
    const outcomes = (Array.isArray(body.value) ? body.value : [body.value]).flatMap((m) =>
      checkMessage(m, { requirePlus: options.requirePlus === true, maxTextLength: f.maxTextLength }),
    );
    const log = (answer: RequestAnswer, throttled = 0) =>
      logRequest({ at: Date.now(), destinations: outcomes.length, answer, throttled });
    if (outcomes.length > MAX_DESTINATIONS_PER_REQUEST) {
      log('refused');
      sendRefusal(res, API_ERRORS.tooManyDestinations);
      return;
    }
    if (http429Window && !http429Window.tryTake(outcomes.length)) {
      log('throttled');
      const retryAfter = f.http429?.retryAfterSeconds;
      if (retryAfter != null) res.setHeader('retry-after', String(retryAfter));
      sendRefusal(res, API_ERRORS.throttled, 429);
      return;
    }
    const queueable = outcomes.filter((o) => o.queued).length;
    // Destinations beyond the backlog's room are answered 7020, as beyond the TPS, and take none of its allowance.
    const takeable = Math.min(queueable, backlogRoom());
    const allowance = throttle ? throttle.take(takeable) : { normal: takeable, burst: 0 };
    if (queueable > 0 && allowance.normal + allowance.burst === 0) {
      log('throttled');
      sendRefusal(res, API_ERRORS.throttled);
      return;
    }
    if (chance() < (f.serverErrorShare ?? 0)) {
      log('server-error');
      sendUnavailable(res);
      return;
    }
    const reports: DeliveryJob[] = [];
    const stem = randomUUID();
    let taken = 0;
    const response = outcomes.map((outcome, i) => {
      const transid = i === 0 ? stem : `${stem}_${i}`;
      if (!outcome.queued) return { ...outcome.error, correlationid: '' };
      taken++;
      if (taken > allowance.normal + allowance.burst) return { ...API_ERRORS.throttled, correlationid: '' };
      const description = taken > allowance.normal ? 'Queued in burst mode' : 'Queued';
      return { ...queue(outcome, transid, description, reports), correlationid: '' };
    });
    if (f.reportsBeforeResponse) await Promise.all(reports.map((job) => deliveryReports.deliverNow(job)));
    else for (const job of reports) deliveryReports.schedule(job);
    if (f.latencyMs) await sleep(f.latencyMs);
    if (chance() < (f.dropAfterAcceptShare ?? 0)) {
      log('dropped');
      res.socket?.destroy();
      return;
    }
    log('answered', Math.max(0, queueable - allowance.normal - allowance.burst));
    sendJson(res, 200, { response });
  }

  /**
   * The Send SMS API (pages "send-sms-api-v1" and "get-sms-api-v1"): one message a request with an Idempotency-Key
   * (a repeat within the key's hour gets the first answer and sends nothing), and the status lookup.
   */
  async function handleSms(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path.startsWith(`${SMS_PATH}/`)) {
      const found = smsMessages.lookup(decodeURIComponent(path.slice(SMS_PATH.length + 1)));
      if (found) sendJson(res, 200, found);
      else res.writeHead(404).end();
      return;
    }
    await counted(() => answerSms(req, res, faults));
  }

  async function answerSms(req: IncomingMessage, res: ServerResponse, f: SimulatorFaults): Promise<void> {
    const raw = await readBody(req, MAX_BODY_BYTES);
    const log = (answer: RequestAnswer) =>
      logRequest({ at: Date.now(), destinations: 1, answer, throttled: 0 });
    let value: unknown;
    try {
      value = raw === undefined ? undefined : JSON.parse(raw.toString('utf8'));
    } catch {
      value = undefined;
    }
    if (value === undefined) return sendSmsError(res, SMS_ERRORS.invalidJson);
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : undefined;
    const earlier = smsMessages.answerFor(idempotencyKey);
    if (earlier) {
      log('answered');
      sendJson(res, 202, earlier);
      return;
    }
    const checked = checkSmsRequest(value);
    if (!checked.ok) {
      log('refused');
      return sendSmsError(res, checked.error);
    }
    if (http429Window && !http429Window.tryTake(1)) {
      log('throttled');
      const retryAfter = f.http429?.retryAfterSeconds;
      if (retryAfter != null) res.setHeader('retry-after', String(retryAfter));
      return sendSmsError(res, SMS_ERRORS.throttled);
    }
    const allowance =
      backlogRoom() < 1 ? { normal: 0, burst: 0 } : throttle ? throttle.take(1) : { normal: 1, burst: 0 };
    if (allowance.normal + allowance.burst === 0) {
      log('throttled');
      return sendSmsError(res, SMS_ERRORS.throttled);
    }
    if (chance() < (f.serverErrorShare ?? 0)) {
      log('server-error');
      sendUnavailable(res);
      return;
    }
    const { request } = checked;
    const messageId = randomUUID();
    const answer = smsMessages.accept(messageId, idempotencyKey, request);
    keep({
      transid: messageId,
      correlationid: request.correlationId ?? '',
      msisdn: request.to,
      text: request.content,
      type: request.contentType === 'unicode' ? '4' : '1',
      senderid: request.from,
      callbackData: request.callbackData ?? '',
      ...(request.callbackUrl && { notifyurl: request.callbackUrl }),
      options: smsOptions(request),
      body: value,
      acceptedAt: answer.acceptedTime as string,
    });
    const job: DeliveryJob = {
      notifyurl: request.callbackUrl && options.deliveryReports !== false ? request.callbackUrl : null,
      transid: messageId,
      msisdn: request.to,
      callbackData: request.callbackData ?? '',
    };
    if (f.reportsBeforeResponse) await deliveryReports.deliverNow(job);
    else deliveryReports.schedule(job);
    if (f.latencyMs) await sleep(f.latencyMs);
    if (chance() < (f.dropAfterAcceptShare ?? 0)) {
      log('dropped');
      res.socket?.destroy();
      return;
    }
    log('answered');
    sendJson(res, 202, answer);
  }

  async function handleMoHook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req, res, MAX_MO_HOOK_BODY_BYTES);
    if (body === undefined) return;
    const mo = injectedMoSchema.safeParse(body.value);
    if (!mo.success) {
      sendJson(res, 400, { error: 'Expected {"from": "<number>", "text": "<message>"}' });
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
    if (path === SMS_PATH || path.startsWith(`${SMS_PATH}/`)) {
      // The service key as it is, or a token after "Bearer " (page "get-sms-api-v1").
      const auth = req.headers['authorization']?.replace(/^Bearer\s+/i, '');
      if (auth === undefined || !keys.has(auth) || faults.revokedKey) {
        req.resume();
        sendSmsError(res, SMS_ERRORS.invalidKey);
        return;
      }
      handleSms(req, res, path).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      });
      return;
    }
    const handler = req.method === 'POST' ? routes[path] : undefined;
    if (handler === undefined) {
      req.resume();
      sendJson(res, 404, { error: 'Not found' });
      return;
    }
    // The service key goes in `key`; `Authorization` takes a JWT (page "send-message-api-v1"), and public client
    // code shows the platform answering 7001 to a service key put there.
    const key = req.headers['key'] ?? (req.headers['authorization'] === undefined ? undefined : '');
    if (typeof key !== 'string' || !keys.has(key) || faults.revokedKey) {
      req.resume();
      if (path === MO_HOOK_PATH) sendJson(res, 401, { error: 'Wrong key' });
      else sendRefusal(res, key === undefined ? API_ERRORS.missingKey : API_ERRORS.invalidKey);
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
    get acceptedCount() {
      return acceptedCount;
    },
    failedPosts: deliveryReports.failedPosts,
    get failedPostCount() {
      return deliveryReports.failedPostCount;
    },
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
      await deliveryReports.close();
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
    sendRefusal(res, API_ERRORS.jsonTooLarge);
    return undefined;
  }
  try {
    return { value: JSON.parse(raw.toString('utf8')) };
  } catch {
    sendRefusal(res, API_ERRORS.invalidJson);
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

/** An overloaded platform's answer: a 503 whose body is not the API's, nothing in the request queued. */
function sendUnavailable(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
}

function sendSmsError(res: ServerResponse, error: SmsError): void {
  sendJson(res, error.status, { code: error.code, message: error.message });
}

/** A request refused as a whole: HTTP 200 with `response` an object, as the documented samples show. */
function sendRefusal(res: ServerResponse, error: ApiError, status = 200): void {
  sendJson(res, status, { response: { ...error, transid: randomUUID() } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
