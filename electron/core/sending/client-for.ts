import type { ResolvedService } from '../services';
import { messagingClient } from './messaging-api';
import type { PlatformClient } from './platform-client';

/** The send API client for a service, its key opened. */
export function clientFor(service: ResolvedService, timeoutMs: number): PlatformClient {
  return messagingClient(
    { baseUrl: service.baseUrl, key: service.key, numbersWithPlus: service.view.numbersWithPlus },
    timeoutMs,
  );
}
