import { SEND_APIS, type CommandLineService, type SendApi } from '../../shared/api';
import { INSECURE_URL, keySafeUrl } from '../../shared/service-url';
import { MESSAGING_PATH } from '../core/sending/messaging-api';
import { SMS_PATH } from '../core/sending/sms-api';
import { UsageError } from './args';

export interface ExternalServiceArgs {
  /** The base URL (`https://api.us.webexconnect.io`); a full API address is taken back to its base. */
  apiUrl: string;
  rate: number | undefined;
  /** --api; by default the API a full address names, else Messaging API v1. */
  api: string | undefined;
  numbersWithPlus: boolean;
}

/**
 * A service named by --api-url; its key is read from CAMPAIGN_DESK_KEY (never from an argument) and given to the
 * core when it starts, see `commandLineKey`.
 */
export function externalService(args: ExternalServiceArgs): CommandLineService {
  if (!commandLineKey())
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
  return { baseUrl, api, rate: args.rate ?? 10, numbersWithPlus: args.numbersWithPlus };
}

/** The key of the service named on the command line, if CAMPAIGN_DESK_KEY holds one. */
export function commandLineKey(): string | undefined {
  return process.env.CAMPAIGN_DESK_KEY || undefined;
}

/** `--api messaging|sms`, checked. */
export function sendApi(value: string | undefined): SendApi | undefined {
  if (value === undefined) return undefined;
  if ((SEND_APIS as readonly string[]).includes(value)) return value as SendApi;
  throw new UsageError(`--api takes "messaging" (Messaging API v1) or "sms" (Send SMS API), not "${value}".`);
}
