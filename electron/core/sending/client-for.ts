import type { ResolvedService } from '../services';
import { messagingClient } from './messaging-api';
import type { PlatformClient } from './platform-client';
import { smsClient } from './sms-api';

/** The send API client for a service, with the key it is given; `timeoutMs` per request, else the API's own. */
export function clientFor(service: ResolvedService, timeoutMs?: number): PlatformClient {
  if (service.view.api === 'sms') return smsClient({ baseUrl: service.baseUrl, key: service.key }, timeoutMs);
  return messagingClient(
    { baseUrl: service.baseUrl, key: service.key, numbersWithPlus: service.view.numbersWithPlus },
    timeoutMs,
  );
}
