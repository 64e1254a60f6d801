import { DeskError } from '../../errors';
import { maskSecret } from '../../secrets/vault';
import { DropSignal, withTimeout, type TunnelProvider } from './tunnel';

const OPEN_TIMEOUT_MS = 20_000;

export interface NgrokSettings {
  /** Opened only when the tunnel opens. */
  authtoken: () => string;
  domain: string | null;
}

/** Tunnels through ngrok's agent library, loaded on first use: its native part may be missing. */
export function ngrokProvider(settings: NgrokSettings): TunnelProvider {
  return {
    async open(localPort) {
      const ngrok = await import('@ngrok/ngrok').catch((error: unknown) => {
        throw new DeskError(
          'tunnel-unavailable',
          'ngrok cannot run on this computer. Choose another tunnel.',
          messageOf(error),
        );
      });
      const authtoken = settings.authtoken();
      const scrub = (text: string) => text.split(authtoken).join(maskSecret(authtoken));
      const drops = new DropSignal();
      const forwarding = ngrok.forward({
        addr: `127.0.0.1:${localPort}`,
        authtoken,
        ...(settings.domain && { domain: settings.domain }),
        onStatusChange: (status) => {
          if (status === 'closed') drops.drop('The ngrok session was lost.');
        },
      });
      const listener = await withTimeout(
        forwarding,
        OPEN_TIMEOUT_MS,
        `ngrok did not open a tunnel within ${OPEN_TIMEOUT_MS / 1000} s.`,
        (late) => void late.close().catch(() => undefined),
      ).catch((error: unknown) => {
        throw new DeskError(
          'tunnel-refused',
          "ngrok could not open a tunnel: check the authtoken and the domain, and this computer's internet connection.",
          scrub(messageOf(error)),
        );
      });
      const url = listener.url();
      if (!url) {
        await listener.close().catch(() => undefined);
        throw new Error('ngrok opened a tunnel without a URL.');
      }
      return {
        url: url.replace(/\/+$/, ''),
        onDrop: drops.onDrop,
        close: () => listener.close().catch(() => undefined),
      };
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
