import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_SEND_WINDOW, SendWindow } from '../../shared/send-window';
import {
  DEFAULT_CURRENCY,
  FrequencyCap,
  SendApi,
  type CommandLineService,
  type ServiceView,
} from '../../shared/api';
import { keyHost, keySafeUrl } from '../../shared/service-url';
import type { calls } from '../../shared/api';
import { DeskError } from './errors';
import type { ServiceTunnelConfig } from './receiver/tunnels/tunnel-manager';
import { NO_TUNNEL, StoredTunnel, storedTunnel, tunnelView } from './receiver/tunnels/tunnel-settings';
import { bindUnboundKey, openKeyFor, sealKeyFor } from './secrets/host-bound-key';
import { maskSecret, type Vault } from './secrets/vault';
import type { SettingsStore } from './settings/settings-store';

export const SANDBOX_ID = 'sandbox';
/** The id under which a service named on the command line is recorded in a campaign's journal. */
export const COMMAND_LINE_SERVICE = 'cli';
/** The Sandbox's messages per second, which its simulator enforces as a tenant's TPS. */
export const SANDBOX_RATE = 200;

const StoredService = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  sealedKey: z.string().nullable(),
  keyHint: z.string().nullable(),
  rate: z.number(),
  pricePerSegment: z.number(),
  /** Absent in settings written before prices had a currency. */
  currency: z.string().default(DEFAULT_CURRENCY),
  api: SendApi.default('messaging'),
  /** Absent in settings written before the setting existed, when numbers went out without their plus. */
  numbersWithPlus: z.boolean().default(false),
  /** Absent in settings written before services had tunnels. */
  tunnel: StoredTunnel.default(NO_TUNNEL),
  /** Absent in settings written before send windows: the hours US rules expect, as for a new service. */
  sendWindow: SendWindow.nullable().default(DEFAULT_SEND_WINDOW),
  /** Absent in settings written before services had a frequency cap: none. */
  frequencyCap: FrequencyCap.nullable().default(null),
});
type StoredService = z.infer<typeof StoredService>;

/** Per service id, the default country of the last campaign sent through it: a new campaign's. */
const LAST_COUNTRIES = 'lastCountryByService';
const LastCountries = z.record(z.string(), z.string());
/** The Sandbox's frequency cap: its other settings are fixed, so it is kept apart from the stored services. */
const SANDBOX_CAP = 'sandboxFrequencyCap';

export type ServiceInput = z.output<(typeof calls)['services.save']['input']>;

export interface ResolvedService {
  view: ServiceView;
  baseUrl: string;
  key: string;
}

export interface Sandbox {
  url: string;
  key: string;
}

/** The Sandbox service (the embedded simulator) plus the user's IMIconnect services, keys sealed. */
export class ServiceRegistry {
  /** The stored services as last read or written: the settings file is read once, not on every view pushed. */
  private cached: StoredService[] | null = null;

  constructor(
    private readonly store: SettingsStore,
    private readonly vault: Vault,
    private readonly sandbox: Sandbox,
    /** The key of a service named on the command line (CAMPAIGN_DESK_KEY); kept in memory only. */
    private readonly commandLineKey?: string,
  ) {
    this.bindUnboundKeys();
  }

  /** Keys saved before keys were bound to hosts are bound to their service's host as it stands now. */
  private bindUnboundKeys(): void {
    let services: StoredService[];
    try {
      services = this.stored();
    } catch {
      return; // Damaged settings are reported where services are listed.
    }
    let changed = false;
    const bound = services.map((s) => {
      const sealed = s.sealedKey && bindUnboundKey(this.vault, s.sealedKey, hostOf(s.baseUrl));
      if (!sealed) return s;
      changed = true;
      return { ...s, sealedKey: sealed };
    });
    if (changed) this.store.set('services', bound);
  }

  list(): ServiceView[] {
    return [this.sandboxView(), ...this.stored().map(toView)];
  }

  get(id: string): ServiceView {
    const found = this.list().find((s) => s.id === id);
    if (!found) throw new DeskError('unknown-service', `There is no service with id "${id}".`);
    return found;
  }

  save(input: ServiceInput): ServiceView {
    if (input.id === SANDBOX_ID)
      throw new DeskError('sandbox-readonly', 'The Sandbox service cannot be changed.');
    const services = this.stored();
    const existing = input.id ? services.find((s) => s.id === input.id) : undefined;
    if (input.id && !existing)
      throw new DeskError('unknown-service', `There is no service with id "${input.id}".`);
    const baseUrl = input.baseUrl.replace(/\/+$/, '');
    const host = hostOf(baseUrl);
    const next: StoredService = {
      id: existing?.id ?? randomUUID(),
      name: input.name,
      baseUrl,
      sealedKey: input.key
        ? sealKeyFor(this.vault, input.key, host)
        : existing?.sealedKey
          ? this.keptKey(existing, existing.sealedKey, host, input.keepKeyForHost)
          : null,
      keyHint: input.key ? maskSecret(input.key) : (existing?.keyHint ?? null),
      rate: input.rate,
      pricePerSegment: input.pricePerSegment,
      currency: input.currency ?? existing?.currency ?? DEFAULT_CURRENCY,
      api: input.api,
      numbersWithPlus: input.numbersWithPlus,
      tunnel: input.tunnel
        ? storedTunnel(input.tunnel, existing?.tunnel ?? NO_TUNNEL, this.vault)
        : (existing?.tunnel ?? NO_TUNNEL),
      sendWindow:
        input.sendWindow === undefined ? (existing?.sendWindow ?? DEFAULT_SEND_WINDOW) : input.sendWindow,
      frequencyCap: existing?.frequencyCap ?? null,
    };
    this.store.set(
      'services',
      existing ? services.map((s) => (s.id === next.id ? next : s)) : [...services, next],
    );
    this.cached = null;
    return toView(next);
  }

  /** Sets or (null) removes the service's frequency cap; the Sandbox's too. */
  setFrequencyCap(id: string, cap: FrequencyCap | null): ServiceView {
    if (id === SANDBOX_ID) {
      this.store.set(SANDBOX_CAP, cap);
      return this.sandboxView();
    }
    const services = this.stored();
    const existing = services.find((s) => s.id === id);
    if (!existing) throw new DeskError('unknown-service', `There is no service with id "${id}".`);
    const next = { ...existing, frequencyCap: cap };
    this.store.set(
      'services',
      services.map((s) => (s.id === id ? next : s)),
    );
    this.cached = null;
    return toView(next);
  }

  /** The stored key, sealed for `host`: moved to another host only when the save confirms that host. */
  private keptKey(
    existing: StoredService,
    sealed: string,
    host: string,
    confirmed: string | undefined,
  ): string {
    const before = hostOf(existing.baseUrl);
    if (before === host) return sealed;
    if (confirmed !== host) {
      throw new DeskError(
        'key-for-other-host',
        `The key of "${existing.name}" was entered for ${before}. To send to ${host}, enter the key again, or confirm that the same key is for ${host}.`,
      );
    }
    return sealKeyFor(this.vault, openKeyFor(this.vault, sealed, before, existing.name), host);
  }

  remove(id: string): void {
    this.get(id);
    if (id === SANDBOX_ID) throw new DeskError('sandbox-readonly', 'The Sandbox service cannot be removed.');
    this.store.set(
      'services',
      this.stored().filter((s) => s.id !== id),
    );
    this.cached = null;
    const countries = this.lastCountries();
    delete countries[id];
    this.store.set(LAST_COUNTRIES, countries);
  }

  /** The default country of the last campaign sent through the service, if any. */
  lastCountry(id: string): string | undefined {
    return this.lastCountries()[id];
  }

  rememberCountry(id: string, country: string): void {
    this.store.set(LAST_COUNTRIES, { ...this.lastCountries(), [id]: country });
  }

  private lastCountries(): Record<string, string> {
    return LastCountries.safeParse(this.store.get(LAST_COUNTRIES)).data ?? {};
  }

  /** Every service's tunnel settings, the ngrok token still sealed. */
  tunnels(): ServiceTunnelConfig[] {
    return [
      { serviceId: SANDBOX_ID, tunnel: NO_TUNNEL },
      ...this.stored().map((s) => ({ serviceId: s.id, tunnel: s.tunnel })),
    ];
  }

  /** The service with its key opened; only the sending path calls this. */
  resolve(id: string): ResolvedService {
    if (id === SANDBOX_ID)
      return { view: this.sandboxView(), baseUrl: this.sandbox.url, key: this.sandbox.key };
    const stored = this.stored().find((s) => s.id === id);
    if (!stored) throw new DeskError('unknown-service', `There is no service with id "${id}".`);
    if (!stored.sealedKey)
      throw new DeskError('missing-key', `The service "${stored.name}" has no key; set it first.`);
    if (!keySafeUrl(stored.baseUrl)) {
      throw new DeskError(
        'insecure-url',
        `The service "${stored.name}" would send its key unencrypted to ${stored.baseUrl}; change its base URL to one starting with https://.`,
      );
    }
    const key = openKeyFor(this.vault, stored.sealedKey, hostOf(stored.baseUrl), stored.name);
    return { view: toView(stored), baseUrl: stored.baseUrl, key };
  }

  /** A service named on the command line, with the key the core was started with; never stored. */
  commandLine(service: CommandLineService): ResolvedService {
    if (!this.commandLineKey)
      throw new DeskError(
        'missing-key',
        'A service named on the command line needs its key in the CAMPAIGN_DESK_KEY environment variable.',
      );
    return {
      baseUrl: service.baseUrl,
      key: this.commandLineKey,
      view: {
        id: COMMAND_LINE_SERVICE,
        name: new URL(service.baseUrl).host,
        kind: 'imiconnect',
        baseUrl: service.baseUrl,
        keyHint: null,
        tunnel: { kind: 'none', target: null, tokenHint: null },
        rate: service.rate,
        pricePerSegment: 0,
        currency: DEFAULT_CURRENCY,
        api: service.api,
        numbersWithPlus: service.numbersWithPlus,
        // As a new service's: `--window` gives the campaign its own, `--no-window` none.
        sendWindow: DEFAULT_SEND_WINDOW,
        frequencyCap: null,
      },
    };
  }

  private sandboxView(): ServiceView {
    return {
      id: SANDBOX_ID,
      name: 'Sandbox (built-in simulator)',
      kind: 'sandbox',
      baseUrl: this.sandbox.url,
      keyHint: 'built-in',
      rate: SANDBOX_RATE,
      pricePerSegment: 0,
      currency: DEFAULT_CURRENCY,
      api: 'messaging',
      numbersWithPlus: true,
      tunnel: { kind: 'none', target: null, tokenHint: null },
      // It reaches no phone: its messages go at any hour, unless a campaign keeps a window of its own.
      sendWindow: null,
      frequencyCap: FrequencyCap.nullable().safeParse(this.store.get(SANDBOX_CAP) ?? null).data ?? null,
    };
  }

  private stored(): StoredService[] {
    if (this.cached) return this.cached;
    const parsed = z.array(StoredService).safeParse(this.store.get('services') ?? []);
    if (!parsed.success) {
      throw new DeskError(
        'settings-corrupt',
        'The saved services cannot be read; the settings file is damaged.',
      );
    }
    this.cached = parsed.data;
    return parsed.data;
  }
}

/** The host a key is bound to; a stored base URL that cannot be read matches no host a save gives. */
function hostOf(baseUrl: string): string {
  return keyHost(baseUrl) ?? '(unreadable address)';
}

function toView(s: StoredService): ServiceView {
  return {
    id: s.id,
    name: s.name,
    kind: 'imiconnect',
    baseUrl: s.baseUrl,
    keyHint: s.keyHint,
    rate: s.rate,
    pricePerSegment: s.pricePerSegment,
    currency: s.currency,
    api: s.api,
    numbersWithPlus: s.numbersWithPlus,
    tunnel: tunnelView(s.tunnel),
    sendWindow: s.sendWindow,
    frequencyCap: s.frequencyCap,
  };
}
