import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls } from '../../shared/api';
import { DeskError } from '../../electron/core/errors';
import { NodeVault } from '../../electron/core/secrets/node-vault';
import { SANDBOX_ID, ServiceRegistry, type ServiceInput } from '../../electron/core/services';
import { openConfSettings } from '../../electron/core/settings/conf-settings';

const KEY = 'live-key-7c1e9b2a4d6f8e0a';
const OTHER_KEY = 'second-key-00aa11bb22cc';
const SANDBOX = { url: 'http://127.0.0.1:4010', key: 'sandbox-key-0123456789' };

let dir: string;
let defaultVault: NodeVault | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'services-test-'));
  defaultVault = undefined;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function registry(vault: NodeVault = (defaultVault ??= NodeVault.create(dir))): ServiceRegistry {
  return new ServiceRegistry(openConfSettings(dir), vault, SANDBOX);
}

/** The input as the API contract delivers it, defaults applied. */
function input(fields: Record<string, unknown>): ServiceInput {
  return calls['services.save'].input.parse(fields);
}

async function settingsText(): Promise<string> {
  return readFile(join(dir, 'settings.json'), 'utf8');
}

async function expectDeskError(fn: () => unknown, code: string): Promise<DeskError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DeskError);
  expect((caught as DeskError).code).toBe(code);
  return caught as DeskError;
}

describe('ServiceRegistry', () => {
  it('starts with the Sandbox service only', () => {
    expect(registry().list()).toEqual([
      {
        id: SANDBOX_ID,
        name: 'Sandbox (built-in simulator)',
        kind: 'sandbox',
        baseUrl: SANDBOX.url,
        keyHint: 'built-in',
        rate: 200,
        pricePerSegment: 0,
        currency: 'USD',
        api: 'messaging',
        numbersWithPlus: true,
        tunnel: { kind: 'none', target: null, tokenHint: null },
        // It reaches no phone.
        sendWindow: null,
        frequencyCap: null,
      },
    ]);
    expect(registry().resolve(SANDBOX_ID)).toMatchObject({ baseUrl: SANDBOX.url, key: SANDBOX.key });
  });

  it('stores only the sealed key on disk and shows a masked hint', async () => {
    const services = registry();
    const saved = services.save(
      input({
        name: 'Production',
        baseUrl: 'https://api.imiconnect.io/',
        key: KEY,
        rate: 20,
        pricePerSegment: 0.05,
      }),
    );
    expect(saved).toEqual({
      id: expect.any(String),
      name: 'Production',
      kind: 'imiconnect',
      baseUrl: 'https://api.imiconnect.io',
      keyHint: '••••8e0a',
      rate: 20,
      pricePerSegment: 0.05,
      currency: 'USD',
      api: 'messaging',
      numbersWithPlus: true,
      tunnel: { kind: 'none', target: null, tokenHint: null },
      // A new service keeps to the hours US rules expect, on each recipient's clock.
      sendWindow: { from: '08:00', to: '21:00', days: [1, 2, 3, 4, 5, 6, 7] },
      frequencyCap: null,
    });
    expect(JSON.stringify(saved)).not.toContain(KEY);

    const onDisk = await settingsText();
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain(KEY.slice(0, 12));
    const stored = (JSON.parse(onDisk) as { services: { sealedKey: string }[] }).services;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.sealedKey).toMatch(/^v1\./);

    expect(services.list()).toEqual([expect.objectContaining({ id: SANDBOX_ID }), saved]);
    expect(JSON.stringify(services.list())).not.toContain(KEY);
  });

  it('resolves the key, also from a fresh registry over the same folder', () => {
    const saved = registry().save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    expect(registry(NodeVault.create(dir)).resolve(saved.id)).toEqual({
      view: saved,
      baseUrl: 'https://api.imiconnect.com',
      key: KEY,
    });
  });

  it('applies the contract defaults for rate and price', () => {
    const saved = registry().save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    expect(saved).toMatchObject({ rate: 10, pricePerSegment: 0 });
  });

  it('prices in the currency given (US dollars by default), kept when an edit leaves it out', () => {
    const services = registry();
    const base = { name: 'Shop', baseUrl: 'https://api.imiconnect.io', key: KEY };
    expect(services.save(input(base)).currency).toBe('USD');
    const euro = services.save(input({ ...base, currency: ' eur ' }));
    expect(euro.currency).toBe('EUR');
    expect(services.save(input({ ...base, id: euro.id, rate: 30 })).currency).toBe('EUR');
    expect(registry().get(euro.id).currency).toBe('EUR');
    expect(() => input({ ...base, currency: 'euro' })).toThrow(/three-letter currency code/);
  });

  it('keeps a send window of 08:00–21:00 by default, kept when an edit leaves it out, off when set to none', () => {
    const services = registry();
    const base = { name: 'Shop', baseUrl: 'https://api.imiconnect.io', key: KEY };
    const saved = services.save(input(base));
    expect(saved.sendWindow).toEqual({ from: '08:00', to: '21:00', days: [1, 2, 3, 4, 5, 6, 7] });
    const weekdays = { from: '09:00', to: '17:30', days: [5, 1, 2, 3, 4, 4] };
    expect(services.save(input({ ...base, id: saved.id, sendWindow: weekdays })).sendWindow).toEqual({
      from: '09:00',
      to: '17:30',
      days: [1, 2, 3, 4, 5],
    });
    expect(services.save(input({ ...base, id: saved.id, rate: 30 })).sendWindow).toMatchObject({
      from: '09:00',
    });
    expect(services.save(input({ ...base, id: saved.id, sendWindow: null })).sendWindow).toBeNull();
    expect(registry().get(saved.id).sendWindow).toBeNull();
    expect(() => input({ ...base, sendWindow: { from: '9am', to: '17:00', days: [1] } })).toThrow(
      /08:00 or 21:30/,
    );
    expect(() => input({ ...base, sendWindow: { from: '09:00', to: '17:00', days: [] } })).toThrow(
      /at least one day/,
    );
  });

  it('keeps the stored key when a service is edited without one', async () => {
    const services = registry();
    const saved = services.save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    const sealedBefore = await settingsText().then(
      (t) => (JSON.parse(t) as { services: { sealedKey: string }[] }).services[0]?.sealedKey,
    );

    const edited = services.save(
      input({ id: saved.id, name: 'Prod EU', baseUrl: 'https://API.imiconnect.com:443/', rate: 50 }),
    );
    expect(edited).toMatchObject({ id: saved.id, name: 'Prod EU', keyHint: '••••8e0a', rate: 50 });
    expect(services.resolve(saved.id).key).toBe(KEY);
    const sealedAfter = await settingsText().then(
      (t) => (JSON.parse(t) as { services: { sealedKey: string }[] }).services[0]?.sealedKey,
    );
    expect(sealedAfter).toBe(sealedBefore);
    expect(services.list()).toHaveLength(2);
  });

  it('asks for the key again when the base URL moves to another host, unless that host is confirmed', async () => {
    const services = registry();
    const saved = services.save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    const moved = { id: saved.id, name: 'Prod', baseUrl: 'https://collector.example.net:8443/v1' };

    const refused = await expectDeskError(() => services.save(input(moved)), 'key-for-other-host');
    expect(refused.message).toBe(
      'The key of "Prod" was entered for api.imiconnect.com. To send to collector.example.net:8443, enter the key again, or confirm that the same key is for collector.example.net:8443.',
    );
    // A confirmation naming another host than the new one confirms nothing.
    await expectDeskError(
      () => services.save(input({ ...moved, keepKeyForHost: 'collector.example.net' })),
      'key-for-other-host',
    );
    expect(registry().resolve(saved.id)).toMatchObject({ baseUrl: 'https://api.imiconnect.com', key: KEY });

    const kept = services.save(input({ ...moved, keepKeyForHost: 'collector.example.net:8443' }));
    expect(kept).toMatchObject({ baseUrl: 'https://collector.example.net:8443/v1', keyHint: '••••8e0a' });
    expect(registry().resolve(saved.id).key).toBe(KEY);

    const typedAgain = services.save(
      input({ ...saved, baseUrl: 'https://api.eu.webexconnect.io', key: OTHER_KEY }),
    );
    expect(registry().resolve(typedAgain.id)).toMatchObject({
      baseUrl: 'https://api.eu.webexconnect.io',
      key: OTHER_KEY,
    });
  });

  it('does not open a key whose service was moved to another host in the settings file', async () => {
    const saved = registry().save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    await writeFile(
      join(dir, 'settings.json'),
      (await settingsText()).replace('https://api.imiconnect.com', 'https://attacker.example.org'),
    );
    const error = await expectDeskError(() => registry().resolve(saved.id), 'key-for-other-host');
    expect(error.message).toBe(
      'The key of "Prod" was entered for api.imiconnect.com, not for attacker.example.org; enter the key again to send there.',
    );
  });

  it('binds a key saved before keys had hosts to its service host, so that moving the host later does not take it along', async () => {
    const vault = NodeVault.create(dir);
    const saved = registry(vault).save(
      input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }),
    );
    // As settings were written before: the key sealed alone.
    const settings = JSON.parse(await settingsText()) as { services: { sealedKey: string }[] };
    settings.services[0]!.sealedKey = vault.seal(KEY);
    await writeFile(join(dir, 'settings.json'), JSON.stringify(settings));

    expect(registry(vault).resolve(saved.id).key).toBe(KEY);
    await writeFile(
      join(dir, 'settings.json'),
      (await settingsText()).replace('https://api.imiconnect.com', 'https://attacker.example.org'),
    );
    await expectDeskError(() => registry(vault).resolve(saved.id), 'key-for-other-host');
  });

  it('takes plain http base URLs only for this computer, and sends no key to one stored before', async () => {
    expect(() => input({ name: 'Plain', baseUrl: 'http://api.imiconnect.com', key: KEY })).toThrow(
      /must start with https:\/\//,
    );
    for (const baseUrl of ['http://127.0.0.1:4010', 'http://localhost:8080', 'http://[::1]:9000']) {
      expect(registry().save(input({ name: 'Local', baseUrl, key: KEY })).baseUrl).toBe(baseUrl);
    }

    const saved = registry().save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    await writeFile(
      join(dir, 'settings.json'),
      (await settingsText()).replace('https://api.imiconnect.com', 'http://api.imiconnect.com'),
    );
    const error = await expectDeskError(() => registry().resolve(saved.id), 'insecure-url');
    expect(error.message).toBe(
      'The service "Prod" would send its key unencrypted to http://api.imiconnect.com; change its base URL to one starting with https://.',
    );
  });

  it('replaces the key when an edit carries a new one', async () => {
    const services = registry();
    const saved = services.save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    const edited = services.save(
      input({ id: saved.id, name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: OTHER_KEY }),
    );
    expect(edited.keyHint).toBe('••••22cc');
    expect(services.resolve(saved.id).key).toBe(OTHER_KEY);
    const onDisk = await settingsText();
    expect(onDisk).not.toContain(OTHER_KEY);
    expect(onDisk).not.toContain(KEY);
  });

  it("keeps a frequency cap, the Sandbox's too, across an edit and a fresh registry", () => {
    const services = registry();
    const saved = services.save(input({ name: 'Shop', baseUrl: 'https://api.imiconnect.io', key: KEY }));
    services.setFrequencyCap(saved.id, { messages: 2, days: 7 });
    services.save(input({ id: saved.id, name: 'Shop renamed', baseUrl: 'https://api.imiconnect.io' }));
    services.setFrequencyCap(SANDBOX_ID, { messages: 1, days: 30 });
    const again = registry();
    expect(again.get(saved.id).frequencyCap).toEqual({ messages: 2, days: 7 });
    expect(again.get(SANDBOX_ID).frequencyCap).toEqual({ messages: 1, days: 30 });
    again.setFrequencyCap(saved.id, null);
    expect(registry().get(saved.id).frequencyCap).toBeNull();
    expect(() => again.setFrequencyCap('nope', null)).toThrow('There is no service with id "nope".');
  });

  it('refuses to edit or remove the Sandbox service', async () => {
    const services = registry();
    await expectDeskError(
      () => services.save(input({ id: SANDBOX_ID, name: 'Mine', baseUrl: 'https://example.com', key: KEY })),
      'sandbox-readonly',
    );
    await expectDeskError(() => services.remove(SANDBOX_ID), 'sandbox-readonly');
    expect(services.list()).toHaveLength(1);
    expect(services.list()[0]).toMatchObject({ id: SANDBOX_ID, name: 'Sandbox (built-in simulator)' });
  });

  it('refuses to edit a service that does not exist', async () => {
    await expectDeskError(
      () => registry().save(input({ id: 'nope', name: 'X', baseUrl: 'https://example.com', key: KEY })),
      'unknown-service',
    );
    await expectDeskError(() => registry().resolve('nope'), 'unknown-service');
  });

  it('asks for a key before a service without one can send', async () => {
    const saved = registry().save(input({ name: 'Keyless', baseUrl: 'https://example.com' }));
    expect(saved.keyHint).toBeNull();
    const error = await expectDeskError(() => registry().resolve(saved.id), 'missing-key');
    expect(error.message).toContain('Keyless');
  });

  it('removes a service', async () => {
    const services = registry();
    const a = services.save(input({ name: 'A', baseUrl: 'https://a.example.com', key: KEY }));
    const b = services.save(input({ name: 'B', baseUrl: 'https://b.example.com', key: OTHER_KEY }));
    services.remove(a.id);
    expect(services.list().map((s) => s.id)).toEqual([SANDBOX_ID, b.id]);
    await expectDeskError(() => services.resolve(a.id), 'unknown-service');
    expect(registry().resolve(b.id).key).toBe(OTHER_KEY);
  });

  it('reports vault-locked when the stored key was sealed under another passphrase', async () => {
    const saved = registry(NodeVault.create(dir, 'first passphrase')).save(
      input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }),
    );
    const error = await expectDeskError(
      () => registry(NodeVault.create(dir, 'other passphrase')).resolve(saved.id),
      'vault-locked',
    );
    expect(error.message).not.toContain(KEY);
  });

  it('reports damaged settings as settings-corrupt', async () => {
    const services = registry();
    services.save(input({ name: 'Prod', baseUrl: 'https://api.imiconnect.com', key: KEY }));
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ services: [{ id: 1 }] }));
    await expectDeskError(() => registry().list(), 'settings-corrupt');
  });
});
