import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CampaignPatch, CampaignView, RowFilter, RowPatch } from '../../shared/api';
import { Campaign, type Checks } from './campaigns/campaign';
import { CampaignStore, type OpenCampaign } from './campaigns/campaign-store';
import { CampaignChecker } from './campaigns/checks';
import type { CampaignDefinition } from './campaigns/definition';
import { Journal } from './campaigns/journal';
import type { JournalEvent } from './campaigns/journal-events';
import { buildReportCsv, buildSkippedCsv } from './campaigns/report';
import { RowQuery } from './campaigns/row-query';
import type { Handlers } from './dispatch';
import { DeskError } from './errors';
import { EventBus } from './event-bus';
import { startReceiver, type Receiver } from './receiver/receiver';
import type { DeliveryReport, IncomingMessage } from './receiver/webhook-schemas';
import { cancelled, detectPhoneColumn, parseRecipientsCsv } from './recipients/csv-import';
import { decodeText } from './recipients/decode';
import type { RecipientTable } from './recipients/recipient-table';
import { PhoneNormalizer } from './recipients/phone-numbers';
import { SuppressionList } from './recipients/suppression';
import type { Vault } from './secrets/vault';
import { sendCampaign } from './sending/send-campaign';
import { SANDBOX_ID, ServiceRegistry, type ResolvedService } from './services';
import type { SettingsStore } from './settings/settings-store';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator/simulator';
import { Uploads } from './uploads';

export interface DeskOptions {
  dataDir: string;
  vault: Vault;
  settings: SettingsStore;
  version: string;
  /** Tuning of the embedded simulator behind the Sandbox service. */
  sandbox?: Pick<SimulatorOptions, 'failureShare' | 'submittedDelayMs' | 'finalDelayMs' | 'seed'>;
  /** Overrides the notify URL sent with messages (a tunnel's public URL); defaults to the local receiver. */
  publicReceiverUrl?: string;
}

export interface SendOptions {
  /** A service given for this send only (the CLI's --api-url), instead of the campaign's stored one. */
  service?: ResolvedService;
  rate?: number;
  batchSize?: number;
}

type Logged = { at: string; raw: unknown };

export type ImportSource = { uploadId: string } | { text: string } | { bytes: Uint8Array };

interface Loaded extends OpenCampaign {
  checker: CampaignChecker;
  query: RowQuery;
  /** Aborts the check running for an earlier edit when a newer one arrives. */
  rechecking: AbortController | null;
}

/** The core: composes store, services, receiver and sender, and implements the API contract. */
export class Desk {
  readonly bus = new EventBus();
  readonly handlers: Handlers;
  private readonly open = new Map<string, Loaded>();
  private readonly imports = new Map<string, AbortController>();
  /** Cancels that arrived before their import began (the two calls can cross). */
  private readonly cancelledEarly = new Set<string>();
  private readonly sending = new Map<string, Promise<void>>();
  private allOpen = false;

  private constructor(
    private readonly options: DeskOptions,
    private readonly store: CampaignStore,
    readonly services: ServiceRegistry,
    readonly simulator: Simulator,
    readonly receiver: Receiver,
    private readonly inbox: Journal<Logged & IncomingMessage>,
    private readonly unmatched: Journal<Logged & { reason: string }>,
    readonly suppression: SuppressionList,
    readonly uploads: Uploads,
  ) {
    this.handlers = this.createHandlers();
  }

  static async start(options: DeskOptions): Promise<Desk> {
    const sandboxKey = randomBytes(16).toString('hex');
    const simulator = await startSimulator({ keys: [sandboxKey], ...options.sandbox });
    const secret = receiverSecret(options.settings);
    // The receiver must listen before the desk exists; posts only arrive once `ref.desk` is set.
    const ref: { desk?: Desk } = {};
    const receiver = await startReceiver({
      secret,
      handlers: {
        onDeliveryReports: (reports) => (ref.desk as Desk).recordDeliveryReports(reports),
        onIncomingMessage: (message) => (ref.desk as Desk).recordIncomingMessage(message),
      },
    });
    simulator.setMoNotifyUrl(receiver.moUrl);
    const keep = (v: unknown) => v as never;
    const inbox = await Journal.open(join(options.dataDir, 'inbox.ndjson'), keep);
    const unmatched = await Journal.open(join(options.dataDir, 'unmatched-reports.ndjson'), keep);
    const suppression = await SuppressionList.open(join(options.dataDir, 'suppression.ndjson'));
    const uploads = new Uploads(join(options.dataDir, 'uploads'));
    await uploads.clearLeftovers();
    ref.desk = new Desk(
      options,
      new CampaignStore(join(options.dataDir, 'campaigns')),
      new ServiceRegistry(options.settings, options.vault, { url: simulator.url, key: sandboxKey }),
      simulator,
      receiver,
      inbox.journal,
      unmatched.journal,
      suppression,
      uploads,
    );
    return ref.desk;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.sending.values());
    await this.simulator.close();
    await this.receiver.close();
    await Promise.all([...this.open.values()].map((o) => o.journal.close()));
    await this.inbox.close();
    await this.unmatched.close();
    await this.suppression.close();
  }

  /**
   * Imports a recipient file as a new draft campaign: decode, parse, check every row, save. Reports
   * progress as `import.progress` events and can be cancelled with `cancelImport(importId)`.
   */
  async importRecipients(
    fileName: string,
    source: ImportSource,
    importId = randomBytes(8).toString('hex'),
  ): Promise<CampaignView> {
    const abort = new AbortController();
    if (this.cancelledEarly.delete(importId)) abort.abort();
    this.imports.set(importId, abort);
    let last = 0;
    const progress = (
      phase: 'reading' | 'parsing' | 'checking' | 'saving',
      rows: number,
      fraction: number,
      done = false,
    ) => {
      const now = performance.now();
      if (!done && now - last < 100) return;
      last = now;
      this.bus.emit('import.progress', { importId, fileName, phase, rows, fraction, done });
    };
    try {
      progress('reading', 0, 0);
      if (abort.signal.aborted) throw cancelled();
      const text = await this.sourceText(source);
      const table = await parseRecipientsCsv(text, {
        signal: abort.signal,
        onProgress: (p) => progress('parsing', p.rows, p.fraction),
      });
      const now = new Date();
      const def: CampaignDefinition = {
        id: CampaignStore.newId(now),
        name: fileName.replace(/\.[^.]*$/, ''),
        createdAt: now.toISOString(),
        fileName,
        columns: [...table.columns],
        phoneColumn: detectPhoneColumn(table),
        defaultCountry: 'US',
        template: '',
        senderId: '',
        serviceId: SANDBOX_ID,
        smartlinks: [],
      };
      const checker = new CampaignChecker(table, this.suppression);
      const checks = await checker.check(def, {
        signal: abort.signal,
        onProgress: (f) => progress('checking', table.size, f),
      });
      progress('saving', table.size, 0);
      if (abort.signal.aborted) throw cancelled();
      await this.store.create(def, table);
      const loaded = await this.adopt(def, table, checks, checker);
      progress('saving', table.size, 1, true);
      return this.view(loaded.campaign);
    } finally {
      this.imports.delete(importId);
    }
  }

  cancelImport(importId: string): void {
    const running = this.imports.get(importId);
    if (running) running.abort();
    else if (this.cancelledEarly.size < 100) this.cancelledEarly.add(importId);
  }

  private async sourceText(source: ImportSource): Promise<string> {
    if ('text' in source) return source.text;
    const bytes = 'bytes' in source ? source.bytes : await this.uploads.take(source.uploadId);
    return decodeText(bytes).text;
  }

  async update(id: string, patch: CampaignPatch): Promise<CampaignView> {
    const loaded = await this.campaign(id);
    const { campaign } = loaded;
    if (campaign.isStarted)
      throw new DeskError('campaign-started', 'This campaign has been sent; it can no longer change.');
    if (patch.phoneColumn !== undefined && patch.phoneColumn >= campaign.table.columns.length) {
      throw new DeskError('invalid-column', 'That phone column does not exist in the file.');
    }
    if (patch.serviceId !== undefined) this.services.get(patch.serviceId);
    const def = { ...campaign.definition, ...patch };
    loaded.rechecking?.abort();
    const abort = new AbortController();
    loaded.rechecking = abort;
    const checks = await loaded.checker.check(def, { signal: abort.signal });
    await this.store.saveDefinition(def);
    campaign.redefine(def, checks);
    loaded.rechecking = null;
    return this.view(campaign);
  }

  /** Re-checks draft campaigns after the suppression list changed, so opted-out numbers are skipped. */
  private async recheckDrafts(): Promise<void> {
    for (const loaded of this.open.values()) {
      const { campaign } = loaded;
      if (campaign.isStarted) continue;
      campaign.redefine(campaign.definition, await loaded.checker.check(campaign.definition));
      this.bus.emit('campaign.updated', await this.view(campaign));
    }
  }

  async addSuppressed(numbers: readonly string[], defaultCountry: string, reason: string) {
    const normalizer = new PhoneNormalizer(defaultCountry);
    const valid: string[] = [];
    const invalid: string[] = [];
    for (const raw of numbers) {
      const n = raw.trim() === '' ? null : normalizer.normalize(raw.trim());
      if (n) valid.push(n);
      else if (raw.trim() !== '') invalid.push(raw);
    }
    const added = await this.suppression.add(valid, reason);
    if (added > 0) await this.recheckDrafts();
    return { added, invalid };
  }

  /** Starts sending; resolves once sending has begun. `finished(id)` resolves when it ends. */
  async send(id: string, options: SendOptions = {}): Promise<CampaignView> {
    const open = await this.campaign(id);
    const { campaign } = open;
    if (this.sending.has(id)) throw new DeskError('campaign-sending', 'This campaign is being sent.');
    if (campaign.state === 'completed')
      throw new DeskError('campaign-started', 'This campaign has already been sent.');
    const problem = campaign.problem();
    if (problem) throw new DeskError('campaign-not-ready', problem);
    const service = options.service ?? this.services.resolve(campaign.definition.serviceId);
    const notifyUrl = this.notifyUrl();
    await this.record(open, [{ t: 'start', at: new Date().toISOString(), notifyUrl }]);
    const run = sendCampaign({
      campaign,
      service,
      notifyUrl,
      rate: options.rate,
      batchSize: options.batchSize,
      record: (events) => this.record(open, events),
    })
      .then(() => undefined)
      .catch(async (error: unknown) => {
        console.error(`campaign ${id}: sending failed:`, error);
        const message = error instanceof Error ? error.message : String(error);
        await this.record(open, [
          { t: 'end', at: new Date().toISOString(), state: 'stopped', error: `Sending stopped: ${message}` },
        ]).catch(() => undefined);
      })
      .finally(() => this.sending.delete(id));
    this.sending.set(id, run);
    return this.view(campaign);
  }

  finished(id: string): Promise<void> {
    return this.sending.get(id) ?? Promise.resolve();
  }

  /** Resolves true once no row awaits an answer or a report, false when `timeoutMs` passes first. */
  async settled(id: string, timeoutMs: number): Promise<boolean> {
    const { campaign } = await this.campaign(id);
    if (campaign.isSettled()) return true;
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = this.bus.subscribe(() => {
        if (campaign.isSettled()) finish(true);
      });
    });
  }

  async report(id: string): Promise<{ fileName: string; csv: string }> {
    const { campaign } = await this.campaign(id);
    return { fileName: `${campaign.definition.name}-report.csv`, csv: buildReportCsv(campaign) };
  }

  async view(campaign: OpenCampaign['campaign']): Promise<CampaignView> {
    const service = this.services.list().find((s) => s.id === campaign.definition.serviceId);
    const view = campaign.view(service?.pricePerSegment ?? 0);
    if (view.problem !== null || (view.state !== 'draft' && view.state !== 'stopped')) return view;
    if (!service) return { ...view, problem: 'The chosen service no longer exists; choose another.' };
    if (service.keyHint === null) {
      return { ...view, problem: `The service "${service.name}" has no key; set it under Services.` };
    }
    return view;
  }

  async campaign(id: string): Promise<Loaded> {
    const cached = this.open.get(id);
    if (cached) return cached;
    let stored;
    try {
      stored = await this.store.load(id);
    } catch (error) {
      if (error instanceof DeskError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new DeskError('unknown-campaign', `There is no campaign with id "${id}".`);
      }
      throw error;
    }
    const again = this.open.get(id);
    if (again) {
      await stored.journal.close();
      return again;
    }
    const checker = new CampaignChecker(stored.table, this.suppression);
    const campaign = new Campaign(stored.def, stored.table, await checker.check(stored.def));
    for (const event of stored.events) campaign.apply(event);
    const loaded: Loaded = {
      campaign,
      journal: stored.journal,
      checker,
      query: new RowQuery(campaign),
      rechecking: null,
    };
    this.open.set(id, loaded);
    if (campaign.state === 'sending' && !this.sending.has(id)) await this.markInterrupted(loaded);
    return loaded;
  }

  /** Takes a campaign just created (its table and checks in hand) into the open set, without reading it back. */
  private async adopt(
    def: CampaignDefinition,
    table: RecipientTable,
    checks: Checks,
    checker: CampaignChecker,
  ): Promise<Loaded> {
    const { journal } = await this.store.openJournal(def.id);
    const campaign = new Campaign(def, table, checks);
    const loaded: Loaded = { campaign, journal, checker, query: new RowQuery(campaign), rechecking: null };
    this.open.set(def.id, loaded);
    return loaded;
  }

  private async markInterrupted(open: OpenCampaign): Promise<void> {
    const at = new Date().toISOString();
    await this.record(open, [
      ...open.campaign.settleInterrupted().map((row): JournalEvent => ({
        t: 'result',
        at,
        row,
        status: 'unknown',
        code: null,
        description: 'The app closed while this message was being sent',
        transid: null,
      })),
      { t: 'end', at, state: 'stopped', error: 'Sending was interrupted when the app closed.' },
    ]);
  }

  private notifyUrl(): string {
    return this.options.publicReceiverUrl ? `${this.options.publicReceiverUrl}/dr` : this.receiver.drUrl;
  }

  private async record(open: OpenCampaign, events: JournalEvent[]): Promise<void> {
    await open.journal.appendAll(events);
    const patches: RowPatch[] = [];
    let campaignChanged = false;
    for (const event of events) {
      const changed = open.campaign.apply(event);
      patches.push(...changed);
      campaignChanged ||= changed.length > 0 || event.t === 'start' || event.t === 'end';
    }
    if (patches.length > 0) this.bus.emit('rows.updated', { campaignId: open.campaign.id, rows: patches });
    if (campaignChanged) this.bus.emit('campaign.updated', await this.view(open.campaign));
  }

  private async recordDeliveryReports(reports: DeliveryReport[]): Promise<void> {
    const at = new Date().toISOString();
    const byCampaign = new Map<OpenCampaign, JournalEvent[]>();
    const unmatched: (Logged & { reason: string })[] = [];
    for (const report of reports) {
      const target = report.status ? await this.locate(report) : null;
      if (!target || !report.status) {
        unmatched.push({
          at,
          raw: report.raw,
          reason: report.status ? 'no matching row' : 'no delivery state',
        });
        continue;
      }
      const events = byCampaign.get(target.open) ?? [];
      events.push({
        t: 'dr',
        at,
        row: target.row,
        status: report.status,
        code: report.code,
        description: report.description,
        transid: report.transid,
        carrier: report.carrier,
        raw: report.raw,
      });
      byCampaign.set(target.open, events);
    }
    await Promise.all([
      this.unmatched.appendAll(unmatched),
      ...[...byCampaign].map(([open, events]) => this.record(open, events)),
    ]);
  }

  private async recordIncomingMessage(message: IncomingMessage): Promise<void> {
    await this.inbox.append({ at: new Date().toISOString(), ...message });
  }

  /** Finds a report's row: by correlation id (`<campaign>.<row>`), then by transid. */
  private async locate(report: DeliveryReport): Promise<{ open: OpenCampaign; row: number } | null> {
    const match = report.correlationid?.match(/^([a-z0-9-]{1,64})\.(\d{1,9})$/);
    if (match) {
      const open = await this.campaign(match[1] as string).catch(() => null);
      const row = Number(match[2]);
      if (open?.campaign.wasSent(row)) return { open, row };
    }
    if (!report.transid) return null;
    const found = this.findTransid(report.transid);
    if (found || this.allOpen) return found;
    await this.openAll();
    return this.findTransid(report.transid);
  }

  private findTransid(transid: string): { open: OpenCampaign; row: number } | null {
    for (const open of this.open.values()) {
      const row = open.campaign.rowOfTransid(transid);
      if (row !== undefined) return { open, row };
    }
    return null;
  }

  /** Opens every stored campaign once, so that reports naming only a transid find theirs after a restart. */
  private async openAll(): Promise<OpenCampaign[]> {
    const opened: OpenCampaign[] = [];
    for (const id of await this.store.ids()) {
      const open = await this.campaign(id).catch((error: unknown) => {
        console.error(`campaign ${id} cannot be opened:`, error instanceof Error ? error.message : error);
        return null;
      });
      if (open) opened.push(open);
    }
    this.allOpen = true;
    return opened;
  }

  private createHandlers(): Handlers {
    return {
      'app.info': async () => ({ version: this.options.version, dataDir: this.options.dataDir }),
      'services.list': async () => this.services.list(),
      'services.save': async (input) => this.services.save(input),
      'services.remove': async ({ id }) => {
        this.services.remove(id);
        return {};
      },
      'campaigns.list': async () => {
        const views = await Promise.all((await this.openAll()).map((open) => this.view(open.campaign)));
        return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },
      'campaigns.import': ({ fileName, source, importId }) =>
        this.importRecipients(fileName, source, importId),
      'imports.cancel': async ({ importId }) => {
        this.cancelImport(importId);
        return {};
      },
      'campaigns.get': async ({ id }) => this.view((await this.campaign(id)).campaign),
      'campaigns.update': ({ id, patch }) => this.update(id, patch),
      'campaigns.rows': async ({ id, offset, limit, filter }) => {
        const { campaign, query } = await this.campaign(id);
        const matching = query.rows(filter as RowFilter | undefined);
        const total = matching ? matching.length : campaign.size;
        const rows = [];
        for (let i = offset; i < Math.min(total, offset + limit); i++) {
          rows.push(campaign.rowView(matching ? (matching[i] as number) : i));
        }
        return { total, rows };
      },
      'campaigns.nextProblem': async ({ id, after }) => ({
        index: (await this.campaign(id)).query.nextProblem(after),
      }),
      'campaigns.exportSkipped': async ({ id }) => {
        const { campaign } = await this.campaign(id);
        return { fileName: `${campaign.definition.name}-skipped.csv`, csv: buildSkippedCsv(campaign) };
      },
      'suppression.list': async ({ search, offset, limit }) => this.suppression.list(search, offset, limit),
      'suppression.add': ({ numbers, defaultCountry, reason }) =>
        this.addSuppressed(numbers, defaultCountry, reason),
      'suppression.remove': async ({ numbers }) => {
        const removed = await this.suppression.remove(numbers);
        if (removed > 0) await this.recheckDrafts();
        return { removed };
      },
      'suppression.import': async ({ fileName, source, defaultCountry }) => {
        const table = await parseRecipientsCsv(await this.sourceText(source));
        const column = detectPhoneColumn(table) ?? 0;
        const numbers = Array.from({ length: table.size }, (_, row) => table.values(row)[column] ?? '');
        return this.addSuppressed(numbers, defaultCountry, `imported from ${fileName}`);
      },
      'campaigns.send': ({ id }) => this.send(id),
      'campaigns.report': ({ id }) => this.report(id),
    };
  }
}

function receiverSecret(settings: SettingsStore): string {
  const stored = settings.get('receiverSecret');
  if (typeof stored === 'string' && /^[a-f0-9]{32,}$/.test(stored)) return stored;
  const secret = randomBytes(24).toString('hex');
  settings.set('receiverSecret', secret);
  return secret;
}
