import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls, type CallInput, type TunnelStatus } from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { startReceiver } from '../../electron/core/receiver/receiver';
import { openConfSettings } from '../../electron/core/settings/conf-settings';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';
import { startLocaltunnelServer, type LocaltunnelServer } from '../support/localtunnel-server';
import { importCampaign, rowsOf, tempHome, waitFor, type Home } from './sending-support';
import { deskErrorOf } from './support/desk-error';

const KEY = 'tunnel-test-key-71c2';
const NGROK_TOKEN = '2abcDEFghiJKLmnoPQRstuVWXyz_0123456789sealed';

let home: Home;
let sim: Simulator;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  home = await tempHome();
  sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10 });
});

afterEach(async () => {
  await home.cleanup();
  for (const close of closers.splice(0).reverse()) await close();
  await sim.close();
});

/** Every tunnel status the desk pushed. */
function statuses(desk: Desk): TunnelStatus[] {
  const seen: TunnelStatus[] = [];
  desk.bus.subscribe((event, payload) => {
    if (event === 'tunnel.status') seen.push(payload as TunnelStatus);
  });
  return seen;
}

async function saveService(desk: Desk, input: Partial<CallInput<'services.save'>>) {
  const result = await dispatch(desk.handlers, 'services.save', {
    name: 'Real account',
    baseUrl: sim.url,
    key: KEY,
    rate: 50,
    ...input,
  });
  if (!result.ok) throw new Error(result.error.message);
  return calls['services.save'].output.parse(result.value);
}

async function statusOf(desk: Desk, serviceId: string): Promise<TunnelStatus> {
  const all = await desk.handlers['tunnels.list']({});
  const found = all.find((s) => s.serviceId === serviceId);
  if (!found) throw new Error(`no tunnel status for ${serviceId}`);
  return found;
}

async function waitForStatus(
  desk: Desk,
  serviceId: string,
  check: (s: TunnelStatus) => boolean,
  timeoutMs = 15_000,
) {
  await waitFor(async () => check(await statusOf(desk, serviceId)), timeoutMs);
  return statusOf(desk, serviceId);
}

function receiverRoot(desk: Desk): { port: number; secretPath: string } {
  const url = new URL(desk.receiver.url);
  return { port: Number(url.port), secretPath: url.pathname };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A reverse proxy on loopback that forwards every request to `port`: a URL the user set up. */
function reverseProxy(port: number): Promise<string> {
  return listen(
    createServer((req, res) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    }),
  );
}

describe('localtunnel, end to end on loopback', () => {
  let lt: LocaltunnelServer;
  beforeEach(async () => {
    lt = await startLocaltunnelServer();
    closers.push(() => lt.close());
  });

  it('carries delivery reports through the tunnel, and after a drop reopens it with a new URL that later batches carry', async () => {
    const desk = await home.start();
    const seen = statuses(desk);
    const { secretPath } = receiverRoot(desk);
    const service = await saveService(desk, { tunnel: { kind: 'localtunnel', host: lt.url } });
    expect(service.tunnel).toEqual({ kind: 'localtunnel', target: lt.url, tokenHint: null });

    const first = await waitForStatus(desk, service.id, (s) => s.reachable === true);
    const firstUrl = lt.tunnels[0]?.url as string;
    expect(first).toMatchObject({
      state: 'open',
      kind: 'localtunnel',
      publicUrl: firstUrl,
      error: null,
      drUrl: `${firstUrl}${secretPath}/dr`,
      moUrl: `${firstUrl}${secretPath}/mo/${service.id}`,
    });
    expect(seen.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'open']));

    // Reports travel simulator → tunnel server → localtunnel client → receiver.
    const before = await importCampaign(desk, 6);
    expect((await desk.update(before, { serviceId: service.id })).receiverWarning).toBeNull();
    await desk.send(before);
    expect(await desk.settled(before, 10_000)).toBe(true);
    expect((await rowsOf(desk, before)).map((r) => r.status)).toEqual(Array(6).fill('delivered'));
    expect(new Set(sim.accepted.map((m) => m.notifyurl))).toEqual(new Set([first.drUrl]));

    // A slow campaign, its tunnel dropped once a few batches are out.
    const during = await importCampaign(desk, 40);
    await desk.update(during, { serviceId: service.id });
    const acceptedBefore = sim.accepted.length;
    await desk.send(during, { rate: 20, batchSize: 2 });
    await waitFor(() => sim.accepted.length >= acceptedBefore + 6);
    await lt.drop(lt.tunnels[0]?.id as string);
    const reopened = await waitForStatus(
      desk,
      service.id,
      (s) => s.state === 'open' && s.publicUrl !== firstUrl && s.reachable === true,
    );
    const secondUrl = lt.tunnels[1]?.url as string;
    expect(reopened.publicUrl).toBe(secondUrl);
    expect(reopened.drUrl).toBe(`${secondUrl}${secretPath}/dr`);
    const afterDrop = seen.slice(seen.findIndex((s) => s.state === 'open' && s.publicUrl === firstUrl) + 1);
    expect(afterDrop.map((s) => s.state)).toContain('reconnecting');
    expect(afterDrop.find((s) => s.state === 'reconnecting')?.error).toMatch(/localtunnel tunnel was lost/);

    await desk.finished(during);
    const sent = sim.accepted.slice(acceptedBefore).map((m) => m.notifyurl);
    expect(sent).toHaveLength(40);
    expect(sent[0]).toBe(first.drUrl);
    const firstOnNewUrl = sent.indexOf(reopened.drUrl);
    expect(firstOnNewUrl).toBeGreaterThan(0);
    expect(firstOnNewUrl).toBeLessThan(40);
    // Once a batch carried the new URL, every later one did.
    expect(new Set(sent.slice(firstOnNewUrl))).toEqual(new Set([reopened.drUrl]));
    // Rows sent with the new URL get their reports through the new tunnel.
    const throughNew = sim.accepted
      .filter((m) => m.notifyurl === reopened.drUrl && m.correlationid.startsWith(`${during}.`))
      .map((m) => Number(m.correlationid.slice(during.length + 1)));
    await waitFor(async () => {
      const rows = await rowsOf(desk, during);
      return throughNew.every((row) => rows[row]?.status === 'delivered');
    });
  }, 60_000);

  it('reports an unreachable localtunnel server as failed, with the reason, and warns the campaign', async () => {
    const desk = await home.start();
    const deadHost = 'http://127.0.0.1:1';
    const service = await saveService(desk, { tunnel: { kind: 'localtunnel', host: deadHost } });
    const failed = await waitForStatus(desk, service.id, (s) => s.state === 'failed');
    expect(failed.error).toContain(
      `Cannot reach the localtunnel server at ${deadHost}: nothing answered at 127.0.0.1:1: the computer there refused the connection; check the localtunnel server address (and its port).`,
    );
    expect(failed.error).not.toContain('ECONNREFUSED');
    expect(failed.errorDetail).toContain('ECONNREFUSED');
    expect(failed.drUrl).toBe(desk.receiver.drUrl);
    const id = await importCampaign(desk, 2);
    const campaign = await desk.update(id, { serviceId: service.id });
    expect(campaign.receiverWarning).toMatch(
      /^Delivery reports from "Real account" cannot reach this computer/,
    );
  });
});

describe('a public URL the user set up', () => {
  it('is probed through: reachable when it leads to the receiver, a warning when it does not', async () => {
    const desk = await home.start();
    const { port, secretPath } = receiverRoot(desk);
    const proxy = await reverseProxy(port);
    const good = await saveService(desk, {
      name: 'Proxied',
      tunnel: { kind: 'public-url', url: `${proxy}/` },
    });
    expect(good.tunnel).toEqual({ kind: 'public-url', target: proxy, tokenHint: null });
    const open = await waitForStatus(desk, good.id, (s) => s.reachable !== null);
    expect(open).toMatchObject({
      state: 'open',
      publicUrl: proxy,
      reachable: true,
      error: null,
      drUrl: `${proxy}${secretPath}/dr`,
    });
    expect(open.checkedAt).not.toBeNull();

    // Something answers at the wrong URL, but not this receiver.
    const other = await listen(createServer((_req, res) => res.end('hello')));
    const wrong = await saveService(desk, { name: 'Mistyped', tunnel: { kind: 'public-url', url: other } });
    const unreachable = await waitForStatus(desk, wrong.id, (s) => s.reachable !== null);
    expect(unreachable.reachable).toBe(false);
    expect(unreachable.error).toContain(`something else answered at ${other}`);
    const id = await importCampaign(desk, 2);
    const campaign = await desk.update(id, { serviceId: wrong.id });
    expect(campaign.receiverWarning).toContain('cannot reach this computer');
    expect(campaign.receiverWarning).toContain(other);
    // Warned, not blocked.
    expect(campaign.problem).toBeNull();
  });

  it('is probed again at once when the computer wakes or changes networks, not a minute later', async () => {
    const desk = await home.start();
    const { port } = receiverRoot(desk);
    const proxy = await reverseProxy(port);
    // What the network lets through: the tunnel's URL leads to the receiver, or to nothing.
    let connected = true;
    const gate = await listen(
      createServer((req, res) => {
        if (!connected) return res.writeHead(502).end('Bad gateway');
        const upstream = httpRequest(`${proxy}${req.url}`, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end();
      }),
    );
    const service = await saveService(desk, { name: 'Gated', tunnel: { kind: 'public-url', url: gate } });
    const first = await waitForStatus(desk, service.id, (s) => s.reachable !== null);
    expect(first.reachable).toBe(true);

    connected = false;
    desk.wake();
    const lost = await waitForStatus(desk, service.id, (s) => s.reachable === false, 3_000);
    expect(lost.error).toContain('The tunnel is open, but');
    connected = true;
    desk.wake();
    await waitForStatus(desk, service.id, (s) => s.reachable === true, 3_000);
  });

  it('warns about a real service without a tunnel, not about one on this computer', async () => {
    const desk = await home.start();
    const local = await saveService(desk, { name: 'Local', tunnel: { kind: 'none' } });
    const remote = await saveService(desk, {
      name: 'Remote',
      baseUrl: 'https://api.imiconnect.io',
      tunnel: { kind: 'none' },
    });
    const id = await importCampaign(desk, 2);
    expect((await desk.update(id, { serviceId: local.id })).receiverWarning).toBeNull();
    expect((await desk.update(id, { serviceId: remote.id })).receiverWarning).toMatch(/has no tunnel/);
    expect(await statusOf(desk, remote.id)).toMatchObject({
      state: 'off',
      drUrl: desk.receiver.drUrl,
      moUrl: `${desk.receiver.url}/mo/${remote.id}`,
    });
    expect((await desk.update(id, { serviceId: 'sandbox' })).receiverWarning).toBeNull();
  });
});

describe('ngrok', () => {
  it('keeps the token sealed, shows only its hint, and reports a failed connect without it', async () => {
    const desk = await home.start();
    expect(
      (await deskErrorOf(desk.handlers['services.save'](parseSave({ tunnel: { kind: 'ngrok' } })))).code,
    ).toBe('missing-authtoken');

    const service = await saveService(desk, { tunnel: { kind: 'ngrok', authtoken: NGROK_TOKEN } });
    expect(service.tunnel).toEqual({
      kind: 'ngrok',
      target: null,
      tokenHint: `••••${NGROK_TOKEN.slice(-4)}`,
    });
    const settingsFile = await readFile(join(home.dir, 'home', 'settings.json'), 'utf8');
    expect(settingsFile).not.toContain(NGROK_TOKEN);
    expect(settingsFile).toContain('sealedToken');

    // No network here: the connect fails, at the latest when the provider's 20 s timeout gives up.
    const failed = await waitForStatus(desk, service.id, (s) => s.state === 'failed', 25_000);
    expect(failed.error).toMatch(/ngrok/);
    expect(failed.error).not.toContain(NGROK_TOKEN);
    const id = await importCampaign(desk, 2);
    const campaign = await desk.update(id, { serviceId: service.id });
    expect(campaign.receiverWarning).toContain('its tunnel failed');
    expect(campaign.receiverWarning).not.toContain(NGROK_TOKEN);

    // Saved again without a token: the stored one is kept; the domain changes.
    const sealed = JSON.parse(settingsFile).services[0].tunnel.sealedToken as string;
    const edited = await saveService(desk, {
      id: service.id,
      key: undefined,
      tunnel: { kind: 'ngrok', domain: 'desk.example.ngrok.app' },
    });
    expect(edited.tunnel).toEqual({
      kind: 'ngrok',
      target: 'desk.example.ngrok.app',
      tokenHint: `••••${NGROK_TOKEN.slice(-4)}`,
    });
    const again = JSON.parse(await readFile(join(home.dir, 'home', 'settings.json'), 'utf8'));
    expect(again.services[0].tunnel.sealedToken).toBe(sealed);
  }, 40_000);
});

describe('settings and receiver', () => {
  it('reads services saved before tunnels existed as having none', async () => {
    const settings = openConfSettings(join(home.dir, 'home'));
    settings.set('services', [
      {
        id: 'old-one',
        name: 'Old',
        baseUrl: 'https://api.imiconnect.io',
        sealedKey: null,
        keyHint: null,
        rate: 10,
        pricePerSegment: 0,
      },
    ]);
    const desk = await home.start();
    const [, old] = await desk.handlers['services.list']({});
    expect(old?.tunnel).toEqual({ kind: 'none', target: null, tokenHint: null });
    expect((await statusOf(desk, 'old-one')).state).toBe('off');
    // Saved again with no tunnel given: still none.
    const saved = await saveService(desk, {
      id: 'old-one',
      name: 'Old',
      baseUrl: 'https://api.imiconnect.io',
    });
    expect(saved.tunnel.kind).toBe('none');
  });

  it('answers its probe with this run’s nonce', async () => {
    const receiver = await startReceiver({
      secret: 'f00dfeedf00dfeedf00dfeedf00dfeed',
      handlers: { onDeliveryReports: async () => undefined, onIncomingMessage: async () => undefined },
    });
    closers.push(() => receiver.close());
    const probe = await request(`${receiver.url}/probe`);
    expect(await probe.body.text()).toBe(receiver.probeNonce);
    const other = await startReceiver({
      secret: 'f00dfeedf00dfeedf00dfeedf00dfeed',
      handlers: { onDeliveryReports: async () => undefined, onIncomingMessage: async () => undefined },
    });
    closers.push(() => other.close());
    expect(other.probeNonce).not.toBe(receiver.probeNonce);
  });

  it('sends the Sandbox simulator’s replies to the Sandbox’s MO URL', async () => {
    const desk = await home.start();
    const sandbox = await statusOf(desk, 'sandbox');
    expect(sandbox).toMatchObject({ kind: 'none', state: 'off', moUrl: `${desk.receiver.url}/mo/sandbox` });
    await desk.simulator.injectMo({ from: '+14155552671', text: 'hello' });
    const inbox = await readFile(join(home.dir, 'home', 'inbox.ndjson'), 'utf8');
    expect(JSON.parse(inbox.trim())).toMatchObject({ serviceId: 'sandbox' });
  });
});

function parseSave(extra: Partial<CallInput<'services.save'>>) {
  return calls['services.save'].input.parse({ name: 'No token', baseUrl: sim.url, key: KEY, ...extra });
}
