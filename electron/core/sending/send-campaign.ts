import type { Campaign } from '../campaigns/campaign';
import type { JournalEvent } from '../campaigns/journal-events';
import { deliveryCodeMeaning } from '../../../shared/delivery-codes';
import { classifyCode, QUEUED, THROTTLED } from '../../../shared/platform-codes';
import { validityMinutes } from '../../../shared/smartlinks';
import { rowRef } from './correlation-id';
import type { DestinationResult, OutgoingMessage, PlatformClient, SendOutcome } from './platform-client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SendSettings } from './send-settings';
import { TokenBucket } from './token-bucket';
import { SendQueue } from './send-queue';

export interface SendContext {
  campaign: Campaign;
  client: PlatformClient;
  /** The service's name, for the messages that say why sending stopped. */
  serviceName: string;
  baseUrl: string;
  /** Asked for every request, so that batches after a tunnel's reconnect carry its new URL. */
  notifyUrl(): string;
  settings: SendSettings;
  /** Journals the events durably, then applies them to the campaign. */
  record(events: JournalEvent[]): Promise<void>;
  /** Called once the service's answer for `count` rows is journaled. */
  onAnswered?(count: number): void;
  /** Of a batch's rows, those the service's frequency cap lets go now, counted before they go; the others it skips. */
  admit(rows: number[]): Promise<number[]>;
  /** Whether the number is on the opt-out list now: it may have joined since the rows were checked. */
  optedOut(msisdn: string): boolean;
  /** Every row left waits for its window to open: the view shows them waiting. */
  onWaiting?(): void;
}

export type SendEnd = Extract<JournalEvent, { t: 'end' }>;
type Stop = Pick<SendEnd, 'state' | 'error' | 'detail'>;
/** Why a try of a request went unanswered, in words and as the network error said it. */
type Lost = { reason: string; detail: string | null };

export interface SendRun {
  /** Resolves once every worker is idle and the run's end is journaled. */
  readonly done: Promise<SendEnd>;
  /** No new batch goes out; requests already out finish and are recorded. */
  pause(): void;
  cancel(): void;
}

/** After this many requests in a row without a readable answer, sending stops rather than guess on. */
const MAX_AMBIGUOUS_IN_A_ROW = 5;
/**
 * While every row left waits for its window, workers look at the clock this often: a wall clock moved on (sleep,
 * a changed time zone) is noticed within it, and a window opens on time to within it.
 */
const WINDOW_POLL_MS = 1000;

/** `<reference>-<the campaign's nonce>`: stable for a row's attempt, unique across data folders. */
export function idempotencyKey(campaign: Campaign, reference: string): string {
  const { keyNonce } = campaign.definition;
  return keyNonce === '' ? reference : `${reference}-${keyNonce}`;
}

export function outgoingMessage(campaign: Campaign, row: number, msisdn?: string): OutgoingMessage {
  const to = msisdn ?? campaign.msisdn(row);
  if (!to) throw new Error(`row ${row} has no number to send to`);
  return {
    ref: rowRef(campaign.id, row),
    msisdn: to,
    text: campaign.message(row),
    encoding: campaign.encodingOf(row),
    senderid: campaign.definition.senderId,
    smartlinks: campaign.smartlinksUsed.map((l) => ({
      linkid: l.linkid,
      validityMinutes: validityMinutes(l),
    })),
    options: campaign.requestOptions(row),
    idempotencyKey: idempotencyKey(campaign, `${rowRef(campaign.id, row)}.${campaign.attemptOf(row)}`),
  };
}

/**
 * Sends every ready row once: workers (at most `maxInFlight`) take batches of ready rows, journal the
 * batch, wait for their tokens, post it and journal the answer. A row journaled in a batch is never
 * sent again by the engine unless the journal also says it was released unsent; only `ready` rows are.
 */
export function startSending(ctx: SendContext): SendRun {
  const { campaign, settings } = ctx;
  const bucket = new TokenBucket(settings.rate);
  const stopping = new AbortController();
  let stop: Stop | null = null;
  let ambiguousInARow = 0;
  /** Tries in a row, retries included, that went unanswered on an API with an Idempotency-Key. */
  let lostInARow = 0;
  const pendingAnswers: Promise<void>[] = [];
  let answerFailure: unknown = null;
  const queue = new SendQueue(campaign);
  /** Whether the view was told that every row left waits; told again after rows went. */
  let toldWaiting = false;

  const halt = (reason: Stop) => {
    stop ??= reason;
    stopping.abort();
  };

  function nextBatch(): number[] {
    // The desk marks rows whose number opted out as skipped; until it has, they are left alone here.
    return queue.take(settings.batchSize, Date.now(), (row) => !ctx.optedOut(campaign.msisdn(row) as string));
  }

  async function worker(): Promise<void> {
    while (!stopping.signal.aborted) {
      const next = nextBatch();
      if (next.length === 0) {
        const opens = queue.nextOpening(Date.now());
        if (opens === null) return;
        if (!toldWaiting) ctx.onWaiting?.();
        toldWaiting = true;
        if (!(await pause(Math.min(WINDOW_POLL_MS, Math.max(0, opens - Date.now()))))) return;
        continue;
      }
      toldWaiting = false;
      const rows = await ctx.admit(next);
      if (rows.length === 0) continue;
      const messages = rows.map((row) => outgoingMessage(campaign, row));
      await ctx.record([{ t: 'batch', at: now(), rows }]);
      // Tokens are taken after the journal write, so that a slow disk delays requests rather than bunching them.
      if (!(await takeTokens(rows.length))) {
        await ctx.record([{ t: 'released', at: now(), rows }]);
        return;
      }
      if (ctx.client.perRequest >= rows.length) await deliver(rows, messages);
      else await deliverOneByOne(rows, messages);
    }
  }

  /** For an API of one message a request: the batch's rows go in turn; a pause releases those not yet sent. */
  async function deliverOneByOne(rows: number[], messages: OutgoingMessage[]): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      if (stopping.signal.aborted) {
        await ctx.record([{ t: 'released', at: now(), rows: rows.slice(i) }]);
        return;
      }
      await deliver([rows[i] as number], [messages[i] as OutgoingMessage]);
    }
  }

  /** False when sending stopped while waiting: nothing was sent. */
  async function takeTokens(count: number): Promise<boolean> {
    try {
      await bucket.take(count, stopping.signal);
      return true;
    } catch {
      return false;
    }
  }

  async function deliver(rows: number[], messages: OutgoingMessage[]): Promise<void> {
    const firstTry = performance.now();
    /** Why a try of this request went unanswered: from then on its messages may have been taken. */
    let lost: Lost | null = null;
    for (let attempt = 0; ; attempt++) {
      // A window may have shut while the request waited for its tokens or out a throttle: those rows wait again.
      const shut = rows.flatMap((row, i) => (queue.isOpen(row, Date.now()) ? [] : [i]));
      if (shut.length > 0) {
        const late = shut.map((i) => rows[i] as number);
        // After a lost try, the message may have gone: the row is unknown, never sent again outside its window.
        await ctx.record(
          lost === null
            ? [{ t: 'released', at: now(), rows: late }]
            : answerEvents(late, { kind: 'ambiguous', ...lost }),
        );
        if (lost === null) queue.putBack(late);
        rows = rows.filter((_, i) => !shut.includes(i));
        messages = messages.filter((_, i) => !shut.includes(i));
        if (rows.length === 0) return;
      }
      const outcome = await ctx.client.send(messages, ctx.notifyUrl());
      if (outcome.kind === 'throttled') {
        if (await waitOutThrottle(rows, outcome.retryAfterMs ?? backoffMs(attempt), lost)) continue;
        return;
      }
      if (outcome.kind === 'ambiguous') {
        lost = { reason: outcome.reason, detail: outcome.detail };
        // With an Idempotency-Key, the same request again cannot send the message twice.
        if (ctx.client.idempotent && (await mayTryAgain(firstTry, attempt, rows.length))) continue;
      } else lostInARow = 0;
      // Destinations answered 7020 inside a readable answer were not queued: they alone go again.
      const retry = outcome.kind === 'answered' ? throttledIndexes(outcome.results) : [];
      const answered = retry.length === 0 ? rows : rows.filter((_, i) => !retry.includes(i));
      // A refusal after a lost try says nothing of what that try did.
      const settled =
        lost !== null && (outcome.kind === 'unreachable' || outcome.kind === 'refused')
          ? ({ kind: 'ambiguous', ...lost } as const)
          : withoutIndexes(outcome, retry);
      const answers = answerEvents(answered, settled);
      if (settled.kind === 'answered' || settled.kind === 'ambiguous') {
        // The worker moves on while the answers are written: the rows are already journaled as sent, so a
        // crash before this write leaves them unknown, never sent twice.
        pendingAnswers.push(
          ctx.record(answers).catch((error: unknown) => {
            answerFailure ??= error;
            halt({ state: 'stopped', error: 'The answers of the service could not be recorded.' });
          }),
        );
        ctx.onAnswered?.(answered.length);
      } else {
        await ctx.record(answers);
      }
      const reason = stopReason(outcome);
      if (reason) halt(reason);
      if (retry.length === 0) return;
      rows = retry.map((i) => rows[i] as number);
      messages = retry.map((i) => messages[i] as OutgoingMessage);
      if (!(await waitOutThrottle(rows, backoffMs(attempt), lost))) return;
    }
  }

  /**
   * Whether a request whose answer was lost goes again (same key): within the key's retry window, while the
   * service answers something now and then, after a pause and the rows' tokens (a retry counts against the rate).
   */
  async function mayTryAgain(firstTry: number, attempt: number, count: number): Promise<boolean> {
    lostInARow++;
    if (lostInARow >= MAX_AMBIGUOUS_IN_A_ROW * settings.maxInFlight) return false;
    if (performance.now() - firstTry >= settings.keyRetryMs) return false;
    return (await pause(retryPauseMs(attempt))) && (await takeTokens(count));
  }

  /** Waits `ms`; false when sending stopped meanwhile. */
  async function pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Holds every request for `ms`, then takes the rows' tokens again; false if sending stopped meanwhile. A throttled
   * request queued nothing, so its rows are released, safe to send after a resume, unless an earlier try of it went
   * unanswered (`lost`): then they are unknown.
   */
  async function waitOutThrottle(rows: number[], ms: number, lost: Lost | null): Promise<boolean> {
    bucket.hold(ms);
    if (await takeTokens(rows.length)) return true;
    await ctx.record(
      lost === null
        ? [{ t: 'released', at: now(), rows }]
        : answerEvents(rows, { kind: 'ambiguous', ...lost }),
    );
    return false;
  }

  function stopReason(outcome: Exclude<SendOutcome, { kind: 'throttled' }>): Stop | null {
    ambiguousInARow = outcome.kind === 'ambiguous' ? ambiguousInARow + 1 : 0;
    switch (outcome.kind) {
      case 'answered':
        return null;
      case 'ambiguous':
        return ambiguousInARow < MAX_AMBIGUOUS_IN_A_ROW
          ? null
          : {
              state: 'stopped',
              error: `The service gave no readable answer to ${MAX_AMBIGUOUS_IN_A_ROW} requests in a row (last: ${outcome.reason}). Their messages are marked unknown; unsent rows stay ready.`,
              detail: outcome.detail,
            };
      case 'unreachable':
        return {
          state: 'stopped',
          error: `Cannot reach the service at ${ctx.baseUrl}: ${outcome.reason}. Nothing was sent; unsent rows stay ready.`,
          detail: outcome.detail,
        };
      case 'refused':
        return { state: 'stopped', error: refusalMessage(ctx.serviceName, outcome) };
    }
  }

  // A worker that fails (its journal write failed) stops the others: their writes would fail alike.
  const workers = Array.from({ length: settings.maxInFlight }, () =>
    worker().catch((error: unknown) => {
      stopping.abort();
      throw error;
    }),
  );
  const done = Promise.allSettled(workers).then(async (results) => {
    await Promise.all(pendingAnswers);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (answerFailure) throw answerFailure;
    const end: SendEnd = { t: 'end', at: now(), ...(stop ?? { state: 'completed', error: null }) };
    await ctx.record([end]);
    return end;
  });
  return {
    done,
    pause: () => halt({ state: 'paused', error: null }),
    cancel: () => halt({ state: 'cancelled', error: null }),
  };
}

/** The journal's account of one answer: per-row results, or the rows released when nothing was queued. */
function answerEvents(rows: number[], outcome: Exclude<SendOutcome, { kind: 'throttled' }>): JournalEvent[] {
  const at = now();
  switch (outcome.kind) {
    case 'answered':
      return outcome.results.map((r, i) => ({ t: 'result', at, row: rows[i] as number, ...resultOf(r) }));
    case 'ambiguous':
      return rows.map((row) => ({
        t: 'result',
        at,
        row,
        status: 'unknown',
        code: null,
        description: `No readable answer from the service (${outcome.reason})`,
        transid: null,
      }));
    case 'unreachable':
    case 'refused':
      return [{ t: 'released', at, rows }];
  }
}

function throttledIndexes(results: readonly DestinationResult[]): number[] {
  const indexes: number[] = [];
  results.forEach((r, i) => r.code.trim() === THROTTLED && indexes.push(i));
  return indexes;
}

function withoutIndexes<O extends Exclude<SendOutcome, { kind: 'throttled' }>>(
  outcome: O,
  drop: number[],
): O {
  if (drop.length === 0 || outcome.kind !== 'answered') return outcome;
  return { ...outcome, results: outcome.results.filter((_, i) => !drop.includes(i)) };
}

/** Why sending stopped when the service refused a request as a whole, in words that say what to do. */
export function refusalMessage(
  serviceName: string,
  refusal: Extract<SendOutcome, { kind: 'refused' }>,
): string {
  const said = refusal.code
    ? `code ${refusal.code}${refusal.description ? `: ${refusal.description}` : ''}`
    : refusal.description;
  const after = 'Nothing in that request was queued; unsent rows stay ready.';
  const code = refusal.code ? classifyCode(refusal.code) : null;
  switch (refusal.scope) {
    case 'service':
      return `The service "${serviceName}" refused the request: ${code?.kind === 'service' ? code.meaning : 'the key was not accepted'} (${said}). Check the service's key and settings under Services. ${after}`;
    case 'request':
      return `The service "${serviceName}" refused the request as malformed: ${code?.kind === 'request' ? code.meaning : 'it could not read it'} (${said}). ${after}`;
    case 'other': {
      const meaning = deliveryCodeMeaning(refusal.code);
      return `The service "${serviceName}" refused the request (${said}${meaning && meaning !== refusal.description ? `, ${meaning}` : ''}). ${after}`;
    }
  }
}

function resultOf(r: DestinationResult) {
  return {
    status: r.code.trim() === QUEUED ? 'queued' : r.code === '' ? 'unknown' : 'rejected',
    code: r.code || null,
    description: r.description,
    transid: r.transid,
  } as const;
}

/** Between tries of a request whose answer was lost: quick at first (such faults pass), then every 5 s. */
function retryPauseMs(attempt: number): number {
  const base = Math.min(5_000, 200 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function now(): string {
  return new Date().toISOString();
}
