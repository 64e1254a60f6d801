import type { ResolvedService } from '../core/services';
import { UsageError } from './args';

/** The id under which a service given on the command line is recorded in a campaign's journal. */
export const COMMAND_LINE_SERVICE = 'cli';

/** A service named by --api-url, its key read from CAMPAIGN_DESK_KEY (never from an argument). */
export function externalService(apiUrl: string, rate: number | undefined): ResolvedService {
  const key = process.env.CAMPAIGN_DESK_KEY;
  if (!key)
    throw new UsageError(
      'With --api-url the service key must be in the CAMPAIGN_DESK_KEY environment variable.',
    );
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UsageError(`--api-url is not a URL: ${apiUrl}`);
  }
  const baseUrl = url.origin + url.pathname.replace(/\/resources\/v1\/messaging\/?$/, '').replace(/\/+$/, '');
  return {
    baseUrl,
    key,
    view: {
      id: COMMAND_LINE_SERVICE,
      name: url.host,
      kind: 'imiconnect',
      baseUrl,
      keyHint: null,
      tunnel: { kind: 'none', target: null, tokenHint: null },
      rate: rate ?? 10,
      pricePerSegment: 0,
      api: 'messaging',
      numbersWithPlus: true,
    },
  };
}
