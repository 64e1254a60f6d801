import { DEFAULT_CURRENCY, SEND_APIS, type SendApi } from '../../shared/api';
import { INSECURE_URL, keySafeUrl } from '../../shared/service-url';
import type { ResolvedService } from '../core/services';
import { MESSAGING_PATH } from '../core/sending/messaging-api';
import { SMS_PATH } from '../core/sending/sms-api';
import { UsageError } from './args';

/** The id under which a service given on the command line is recorded in a campaign's journal. */
export const COMMAND_LINE_SERVICE = 'cli';

export interface ExternalServiceArgs {
  /** The base URL (`https://api.us.webexconnect.io`); a full API address is taken back to its base. */
  apiUrl: string;
  rate: number | undefined;
  /** --api; by default the API a full address names, else Messaging API v1. */
  api: string | undefined;
  numbersWithPlus: boolean;
}

/** A service named by --api-url, its key read from CAMPAIGN_DESK_KEY (never from an argument). */
export function externalService(args: ExternalServiceArgs): ResolvedService {
  const key = process.env.CAMPAIGN_DESK_KEY;
  if (!key)
    throw new UsageError(
      'With --api-url the service key must be in the CAMPAIGN_DESK_KEY environment variable.',
    );
  let url: URL;
  try {
    url = new URL(args.apiUrl);
  } catch {
    throw new UsageError(`--api-url is not a URL: ${args.apiUrl}`);
  }
  if (!keySafeUrl(url.href))
    throw new UsageError(`--api-url ${INSECURE_URL}, so that the key is sent encrypted.`);
  const path = url.pathname.replace(/\/+$/, '');
  const named: SendApi | undefined = path.endsWith(SMS_PATH)
    ? 'sms'
    : path.endsWith(MESSAGING_PATH)
      ? 'messaging'
      : undefined;
  const api = sendApi(args.api) ?? named ?? 'messaging';
  const baseUrl = url.origin + path.replace(named === 'sms' ? SMS_PATH : MESSAGING_PATH, '');
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
      frequencyCap: null,
      rate: args.rate ?? 10,
      pricePerSegment: 0,
      currency: DEFAULT_CURRENCY,
      api,
      numbersWithPlus: args.numbersWithPlus,
    },
  };
}

/** `--api messaging|sms`, checked. */
export function sendApi(value: string | undefined): SendApi | undefined {
  if (value === undefined) return undefined;
  if ((SEND_APIS as readonly string[]).includes(value)) return value as SendApi;
  throw new UsageError(`--api takes "messaging" (Messaging API v1) or "sms" (Send SMS API), not "${value}".`);
}
