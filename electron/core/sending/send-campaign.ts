import { smartlinkIds } from '../../../shared/smartlinks';
import type { Campaign } from '../campaigns/campaign';
import type { JournalEvent } from '../campaigns/journal-events';
import type { ResolvedService } from '../services';
import { postMessages, type OutgoingMessage } from './imiconnect-client';
import { TokenBucket } from './token-bucket';

export interface SendContext {
  campaign: Campaign;
  service: ResolvedService;
  notifyUrl: string;
  /** Messages per second; defaults to the service's rate. */
  rate?: number;
  /** Messages per request; capped at min(1000, rate). */
  batchSize?: number;
  /** Journals the events durably, then applies them to the campaign. */
  record(events: JournalEvent[]): Promise<void>;
}

export type SendEnd = Extract<JournalEvent, { t: 'end' }>;

const MAX_BATCH = 1000;
const QUEUED = '1001';

export function correlationId(campaignId: string, row: number): string {
  return `${campaignId}.${row}`;
}

/** Sends every ready row once, in batches of at most min(1000, rate), at the service's rate. */
export async function sendCampaign(ctx: SendContext): Promise<SendEnd> {
  const { campaign, service } = ctx;
  const rate = ctx.rate ?? service.view.rate;
  const batchSize = Math.min(MAX_BATCH, rate, ctx.batchSize ?? MAX_BATCH);
  const bucket = new TokenBucket(rate, batchSize);
  const ready: number[] = [];
  for (let row = 0; row < campaign.size; row++) if (campaign.statusOf(row) === 'ready') ready.push(row);
  const { senderId, template, smartlinks } = campaign.definition;
  const used = new Set(smartlinkIds(template));
  const linksUsed = smartlinks.filter((l) => used.has(l.linkid));

  for (let i = 0; i < ready.length; i += batchSize) {
    const rows = ready.slice(i, i + batchSize);
    const messages: OutgoingMessage[] = rows.map((row) => {
      const p = campaign.prepared(row);
      if (!p.msisdn) throw new Error(`row ${row} is ready without a number`);
      return {
        correlationid: correlationId(campaign.id, row),
        msisdn: p.msisdn,
        text: p.message,
        senderid: senderId,
        smartlinks: linksUsed,
      };
    });
    await bucket.take(rows.length);
    await ctx.record([{ t: 'batch', at: now(), rows }]);
    const end = await deliverBatch(ctx, rows, messages);
    if (end) {
      await ctx.record([end]);
      return end;
    }
  }
  const end: SendEnd = { t: 'end', at: now(), state: 'completed', error: null };
  await ctx.record([end]);
  return end;
}

async function deliverBatch(
  ctx: SendContext,
  rows: number[],
  messages: OutgoingMessage[],
): Promise<SendEnd | null> {
  const { baseUrl, key } = ctx.service;
  for (let attempt = 0; ; attempt++) {
    const outcome = await postMessages(baseUrl, key, messages, ctx.notifyUrl);
    switch (outcome.kind) {
      case 'rate-limited':
        await sleep(outcome.retryAfterMs ?? backoffMs(attempt));
        continue;
      case 'answered':
        await ctx.record(
          outcome.results.map((r, i) => ({
            t: 'result',
            at: now(),
            row: rows[i] as number,
            status: r.code === QUEUED ? 'queued' : r.code === '' ? 'unknown' : 'rejected',
            code: r.code || null,
            description: r.description,
            transid: r.transid,
          })),
        );
        return null;
      case 'ambiguous':
        await ctx.record(
          rows.map((row) => ({
            t: 'result',
            at: now(),
            row,
            status: 'unknown',
            code: null,
            description: `No readable answer from the service (${outcome.reason})`,
            transid: null,
          })),
        );
        return null;
      case 'unreachable':
        await ctx.record([{ t: 'released', at: now(), rows }]);
        return {
          t: 'end',
          at: now(),
          state: 'stopped',
          error: `Cannot reach the service at ${baseUrl}: ${outcome.reason}. Nothing was sent; unsent rows stay ready.`,
        };
      case 'refused': {
        await ctx.record([{ t: 'released', at: now(), rows }]);
        const error = outcome.authentication
          ? `The service refused the key (HTTP ${outcome.status}, code ${outcome.code}: ${outcome.description}). Check the service key; unsent rows stay ready.`
          : `The service refused the request (HTTP ${outcome.status}, code ${outcome.code}: ${outcome.description}); unsent rows stay ready.`;
        return { t: 'end', at: now(), state: 'stopped', error };
      }
    }
  }
}

function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function now(): string {
  return new Date().toISOString();
}
