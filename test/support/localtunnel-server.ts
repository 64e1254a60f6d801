/**
 * A localtunnel server on loopback, speaking the protocol of the npm `localtunnel` client (v2):
 * `GET /?new` hands out a tunnel `{ id, port, max_conn_count, url }`; the client opens up to
 * `max_conn_count` TCP sockets to `port`; every connection to the tunnel's public port is relayed,
 * raw bytes both ways, over one idle client socket (the client opens a new socket when one closes).
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface HandedTunnel {
  id: string;
  /** The public URL the client was given. */
  url: string;
}

export interface LocaltunnelServer {
  /** What the client takes as `host`. */
  readonly url: string;
  /** Every tunnel handed out, oldest first. */
  readonly tunnels: readonly HandedTunnel[];
  /** Closes the tunnel's ports and sockets, as when the server loses it; the client's reconnects are refused. */
  drop(id: string): Promise<void>;
  close(): Promise<void>;
}

const MAX_CONN = 4;
/** How long a public connection waits for a client socket to come free. */
const WAIT_FOR_SOCKET_MS = 5_000;

interface Live {
  clientServer: Server;
  publicServer: Server;
  sockets: Set<Socket>;
  idle: Socket[];
  waiting: ((socket: Socket) => void)[];
}

export async function startLocaltunnelServer(): Promise<LocaltunnelServer> {
  const tunnels: HandedTunnel[] = [];
  const live = new Map<string, Live>();

  const api = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/' || !url.searchParams.has('new')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('localtunnel server');
      return;
    }
    openTunnel().then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });

  async function openTunnel() {
    const id = randomBytes(6).toString('hex');
    const tunnel: Live = {
      clientServer: createServer(),
      publicServer: createServer(),
      sockets: new Set(),
      idle: [],
      waiting: [],
    };
    tunnel.clientServer.on('connection', (socket) => {
      tunnel.sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.once('close', () => {
        tunnel.sockets.delete(socket);
        tunnel.idle = tunnel.idle.filter((s) => s !== socket);
      });
      const waiter = tunnel.waiting.shift();
      if (waiter) waiter(socket);
      else tunnel.idle.push(socket);
    });
    tunnel.publicServer.on('connection', (visitor) => {
      tunnel.sockets.add(visitor);
      visitor.on('error', () => visitor.destroy());
      visitor.once('close', () => tunnel.sockets.delete(visitor));
      visitor.pause();
      const relay = (socket: Socket) => {
        clearTimeout(timer);
        visitor.pipe(socket).pipe(visitor);
        visitor.once('close', () => socket.destroy());
        socket.once('close', () => visitor.destroy());
        visitor.resume();
      };
      const timer = setTimeout(() => {
        tunnel.waiting = tunnel.waiting.filter((w) => w !== relay);
        visitor.destroy();
      }, WAIT_FOR_SOCKET_MS);
      const idle = tunnel.idle.shift();
      if (idle) relay(idle);
      else tunnel.waiting.push(relay);
    });
    const [port, publicPort] = await Promise.all([listen(tunnel.clientServer), listen(tunnel.publicServer)]);
    live.set(id, tunnel);
    const url = `http://127.0.0.1:${publicPort}`;
    tunnels.push({ id, url });
    return { id, port, max_conn_count: MAX_CONN, url };
  }

  async function drop(id: string): Promise<void> {
    const tunnel = live.get(id);
    if (!tunnel) return;
    live.delete(id);
    const closed = Promise.all([close(tunnel.clientServer), close(tunnel.publicServer)]);
    for (const socket of tunnel.sockets) socket.destroy();
    await closed;
  }

  const port = await listen(api);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    drop,
    async close() {
      await Promise.all([...live.keys()].map(drop));
      api.closeAllConnections();
      await close(api);
    },
  };
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
