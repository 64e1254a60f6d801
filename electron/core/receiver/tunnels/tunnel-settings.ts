import { z } from 'zod';
import type { TunnelInput, TunnelSettingsView } from '../../../../shared/api';
import { DeskError } from '../../errors';
import { maskSecret, type Vault } from '../../secrets/vault';
import { DEFAULT_LOCALTUNNEL_HOST, localtunnelProvider } from './localtunnel-provider';
import { ngrokProvider } from './ngrok-provider';
import { publicUrlProvider } from './public-url-provider';
import type { TunnelProvider } from './tunnel';

/** A service's tunnel as stored in the settings: the ngrok token sealed by the vault. */
export const StoredTunnel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('localtunnel'), host: z.string() }),
  z.object({ kind: z.literal('public-url'), url: z.string() }),
  z.object({
    kind: z.literal('ngrok'),
    sealedToken: z.string(),
    tokenHint: z.string(),
    domain: z.string().nullable(),
  }),
]);
export type StoredTunnel = z.infer<typeof StoredTunnel>;

export const NO_TUNNEL: StoredTunnel = { kind: 'none' };

/** The stored tunnel for `input`; an ngrok input without a token keeps the token stored before. */
export function storedTunnel(input: TunnelInput, before: StoredTunnel, vault: Vault): StoredTunnel {
  switch (input.kind) {
    case 'none':
      return NO_TUNNEL;
    case 'localtunnel':
      return { kind: 'localtunnel', host: (input.host ?? DEFAULT_LOCALTUNNEL_HOST).replace(/\/+$/, '') };
    case 'public-url':
      return { kind: 'public-url', url: input.url.replace(/\/+$/, '') };
    case 'ngrok': {
      const domain = input.domain ? input.domain.replace(/^https?:\/\//, '').replace(/\/+$/, '') : null;
      if (input.authtoken) {
        return {
          kind: 'ngrok',
          sealedToken: vault.seal(input.authtoken),
          tokenHint: maskSecret(input.authtoken),
          domain,
        };
      }
      if (before.kind !== 'ngrok')
        throw new DeskError('missing-authtoken', 'An ngrok tunnel needs your ngrok authtoken.');
      return { ...before, domain };
    }
  }
}

export function tunnelView(stored: StoredTunnel): TunnelSettingsView {
  switch (stored.kind) {
    case 'none':
      return { kind: 'none', target: null, tokenHint: null };
    case 'localtunnel':
      return { kind: 'localtunnel', target: stored.host, tokenHint: null };
    case 'public-url':
      return { kind: 'public-url', target: stored.url, tokenHint: null };
    case 'ngrok':
      return { kind: 'ngrok', target: stored.domain, tokenHint: stored.tokenHint };
  }
}

export function tunnelProvider(
  stored: Exclude<StoredTunnel, { kind: 'none' }>,
  vault: Vault,
): TunnelProvider {
  switch (stored.kind) {
    case 'localtunnel':
      return localtunnelProvider(stored.host);
    case 'public-url':
      return publicUrlProvider(stored.url);
    case 'ngrok':
      return ngrokProvider({ authtoken: () => vault.open(stored.sealedToken), domain: stored.domain });
  }
}
