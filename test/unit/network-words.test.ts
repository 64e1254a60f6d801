import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkProblem } from '../../electron/core/network-words';
import { httpFailure } from '../../electron/core/sending/http-failure';
import { postMessagingBody } from '../../electron/core/sending/messaging-api';

/** What undici throws for a real request to `url`. */
async function failureOf(url: string): Promise<unknown> {
  try {
    const res = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    await res.body.dump();
  } catch (error) {
    return error;
  }
  throw new Error(`${url} answered`);
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function listening(server: Server | TlsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('network failures in words', () => {
  it('an unknown host says no server answers to its name, the code in the detail', async () => {
    const url = 'http://no-such-host.invalid/v1/messaging';
    const problem = networkProblem(await failureOf(url), url);
    expect(problem.sentence).toBe(
      "no server answers to the name no-such-host.invalid: check the Base URL and this computer's internet connection",
    );
    expect(problem.detail).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(problem.sentence).not.toMatch(/ENOTFOUND|getaddrinfo/);
  });

  it('a refused port says nothing answered there; a request to it is never sent', async () => {
    const url = await closedPort();
    const failure = httpFailure(await failureOf(url), url);
    expect(failure).toEqual({
      kind: 'unreachable',
      reason: `nothing answered at ${url.slice('http://'.length)}: the computer there refused the connection; check the Base URL (and its port)`,
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('a connection cut before any answer says so, and may have been taken', async () => {
    const server = createServer((socket) => socket.destroy());
    const url = `http://127.0.0.1:${await listening(server)}`;
    try {
      const failure = httpFailure(await failureOf(url), url);
      expect(failure.kind).toBe('ambiguous');
      expect(failure.reason).toBe('the connection to 127.0.0.1 was cut before an answer came');
      expect(failure.detail).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
    } finally {
      server.close();
    }
  });

  it('an answer that does not come in time is a timeout in words', async () => {
    const server = createServer(() => undefined);
    const url = `http://127.0.0.1:${await listening(server)}`;
    try {
      const outcome = await postMessagingBody({ baseUrl: url, key: 'secret-key-77' }, {}, [{ ref: '' }], 300);
      expect(outcome).toMatchObject({
        kind: 'ambiguous',
        reason: expect.stringMatching(/^127\.0\.0\.1 did not answer in time/),
        detail: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT'),
      });
      expect(JSON.stringify(outcome)).not.toContain('secret-key-77');
    } finally {
      server.close();
    }
  });

  describe('a server with a self-signed certificate', () => {
    let dir: string;
    let server: TlsServer;
    let url: string;

    beforeAll(async () => {
      // openssl makes the certificate at test time; no certificate is kept in the repository.
      dir = await mkdtemp(join(tmpdir(), 'tls-words-'));
      await promisify(execFile)('openssl', [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ]);
      server = createTlsServer({
        key: await readFile(join(dir, 'key.pem')),
        cert: await readFile(join(dir, 'cert.pem')),
      });
      url = `https://127.0.0.1:${await listening(server)}/`;
    });

    afterAll(async () => {
      server?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('is refused before anything is sent, in words about trust, the code in the detail', async () => {
      const failure = httpFailure(await failureOf(url), url);
      expect(failure).toEqual({
        kind: 'unreachable',
        reason:
          'the security certificate of 127.0.0.1 is not signed by an authority this computer trusts (it may be self-signed), so the connection was not made',
        detail: expect.stringContaining('DEPTH_ZERO_SELF_SIGNED_CERT'),
      });
    });
  });
});
