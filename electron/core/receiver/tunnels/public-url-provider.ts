import type { TunnelProvider } from './tunnel';

/** A URL the user made reach the receiver (a reverse proxy, a port forward): nothing to open or drop. */
export function publicUrlProvider(url: string): TunnelProvider {
  return {
    open: async () => ({
      url: url.replace(/\/+$/, ''),
      onDrop: () => undefined,
      close: async () => undefined,
    }),
  };
}
