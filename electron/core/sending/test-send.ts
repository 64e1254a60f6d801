import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import { DeskError } from '../errors';
import type { ResolvedService } from '../services';
import { QUEUED } from '../../../shared/platform-codes';
import { clientFor } from './client-for';
import { testRef } from './correlation-id';
import { idempotencyKey, outgoingMessage, refusalMessage } from './send-campaign';

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
  const ref = testRef(campaign.id, test);
  // Its own key: the row's would make the platform take the row's real message later for a repeat of the test.
  const message = {
    ...outgoingMessage(campaign, args.row, args.msisdn),
    ref,
    idempotencyKey: idempotencyKey(campaign, ref),
  };
  const outcome = await clientFor(args.service, 15_000).send([message], args.notifyUrl);
  const base = { t: 'test', at: new Date().toISOString(), test, row: args.row, msisdn: args.msisdn } as const;
  switch (outcome.kind) {
    case 'answered': {
      const r = outcome.results[0];
      if (r?.code === '7020') throw busy();
      return {
        ...base,
        status: r?.code === QUEUED ? 'queued' : r?.code ? 'rejected' : 'unknown',
        code: r?.code || null,
        description: r?.description ?? null,
        transid: r?.transid ?? null,
      };
    }
    case 'ambiguous':
      return { ...base, status: 'unknown', code: null, description: outcome.reason, transid: null };
    case 'refused':
      throw new DeskError('service-refused', refusalMessage(args.service.view.name, outcome));
    case 'throttled':
      throw busy();
    case 'unreachable':
      throw new DeskError(
        'service-unreachable',
        `Cannot reach the service at ${args.service.baseUrl}: ${outcome.reason}.`,
        outcome.detail,
      );
  }
}

function busy(): DeskError {
  return new DeskError(
    'service-busy',
    'The service is at its limit of messages per second; try the test again in a moment.',
  );
}
