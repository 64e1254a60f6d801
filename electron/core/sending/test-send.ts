import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import { DeskError } from '../errors';
import type { ResolvedService } from '../services';
import { postMessages } from './imiconnect-client';
import { outgoingMessage } from './send-campaign';

export function testCorrelationId(campaignId: string, test: number): string {
  return `${campaignId}.t${test}`;
}

/**
 * Sends row `row`'s message, exactly as it would go out, to one number of the user's choosing, and
 * returns the journal event of its answer. Rows are untouched; the test's reports arrive as `test-dr`.
 */
export async function sendTestMessage(args: {
  open: OpenCampaign;
  row: number;
  msisdn: string;
  service: ResolvedService;
  notifyUrl: string;
}): Promise<Extract<JournalEvent, { t: 'test' }>> {
  const { campaign } = args.open;
  const test = campaign.testCount;
  const message = {
    ...outgoingMessage(campaign, args.row, args.msisdn),
    correlationid: testCorrelationId(campaign.id, test),
  };
  const outcome = await postMessages(
    args.service.baseUrl,
    args.service.key,
    [message],
    args.notifyUrl,
    15_000,
  );
  const base = { t: 'test', at: new Date().toISOString(), test, row: args.row, msisdn: args.msisdn } as const;
  switch (outcome.kind) {
    case 'answered': {
      const r = outcome.results[0];
      const queued = r?.code === '1001';
      return {
        ...base,
        status: queued ? 'queued' : r?.code ? 'rejected' : 'unknown',
        code: r?.code || null,
        description: r?.description ?? null,
        transid: r?.transid ?? null,
      };
    }
    case 'ambiguous':
      return { ...base, status: 'unknown', code: null, description: outcome.reason, transid: null };
    case 'refused':
      return {
        ...base,
        status: 'rejected',
        code: outcome.code,
        description: outcome.authentication
          ? `The service refused the key: ${outcome.description}`
          : outcome.description,
        transid: null,
      };
    case 'rate-limited':
      throw new DeskError('service-busy', 'The service asked to slow down; try the test again in a moment.');
    case 'unreachable':
      throw new DeskError(
        'service-unreachable',
        `Cannot reach the service at ${args.service.baseUrl}: ${outcome.reason}`,
      );
  }
}
