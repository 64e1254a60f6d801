import localtunnel from 'localtunnel';
import { request } from 'undici';
import { DeskError } from '../../errors';
import { networkProblem } from '../../network-words';
import { DropSignal, withTimeout, type TunnelProvider } from './tunnel';

export const DEFAULT_LOCALTUNNEL_HOST = 'https://localtunnel.me';
const REACH_TIMEOUT_MS = 10_000;
const OPEN_TIMEOUT_MS = 20_000;

/**
 * Tunnels through a localtunnel server with the npm client. The client retries its first request
 * forever, so the server is asked once beforehand, to report an unreachable host instead of waiting.
 */
export function localtunnelProvider(host: string): TunnelProvider {
  return {
    async open(localPort) {
      await expectReachable(host);
      const drops = new DropSignal();
      let settle: (err?: string) => void = () => undefined;
      const opened = new Promise<void>((resolve, reject) => {
        settle = (err) =>
          err
            ? reject(
                new DeskError(
                  'tunnel-refused',
                  `The localtunnel server at ${host} gave no tunnel.`,
                  String(err),
                ),
              )
            : resolve();
      });
      const client = localtunnel({ port: localPort, host, local_host: '127.0.0.1' }, (err) => settle(err));
      // The client reports its sockets being refused: the server no longer holds the tunnel.
      client.on('error', (error: Error) =>
        drops.drop(
          'The localtunnel tunnel was lost: its server stopped taking the connections.',
          error.message,
        ),
      );
      await withTimeout(
        opened,
        OPEN_TIMEOUT_MS,
        `The localtunnel server at ${host} gave no tunnel within ${OPEN_TIMEOUT_MS / 1000} s.`,
        // Closed already: a tunnel handed out late has its sockets closed as they open.
        () => undefined,
      ).catch((error: unknown) => {
        client.close();
        throw error;
      });
      return {
        url: client.url.replace(/\/+$/, ''),
        onDrop: drops.onDrop,
        close: async () => client.close(),
      };
    },
  };
}

async function expectReachable(host: string): Promise<void> {
  try {
    const res = await request(host, {
      headersTimeout: REACH_TIMEOUT_MS,
      bodyTimeout: REACH_TIMEOUT_MS,
      signal: AbortSignal.timeout(REACH_TIMEOUT_MS),
    });
    await res.body.dump();
  } catch (error) {
    const { sentence, detail } = networkProblem(error, host, 'the localtunnel server address');
    throw new DeskError(
      'tunnel-unreachable',
      `Cannot reach the localtunnel server at ${host}: ${sentence}.`,
      detail,
    );
  }
}
