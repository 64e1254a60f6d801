import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type {
  CampaignPatch,
  CampaignView,
  RowFilter,
  RowPatch,
  SendPlan,
  ServiceView,
} from '../../shared/api';
import { TEXT_LIMITS, type TextLimit } from '../../shared/text-limits';
import { expiryPassed } from '../../shared/request-options';
import { Campaign, SENDABLE_STATES, type Checks, type SentThrough } from './campaigns/campaign';
import { CampaignStore, type OpenCampaign } from './campaigns/campaign-store';
import type { SnapshotKeeper } from './campaigns/snapshot-keeper';
import { CampaignManager } from './campaigns/campaign-manager';
import { CampaignChecker } from './campaigns/checks';
import { buildDashboard } from './campaigns/dashboard';
import type { CampaignDefinition } from './campaigns/definition';
import type { JournalEvent } from './campaigns/journal-events';
import { buildReportCsv, buildSkippedCsv } from './campaigns/report';
import { ReportRepeats } from './campaigns/report-repeats';
import { buildRowDetails } from './campaigns/row-details';
import { RowPatchBuffer } from './campaigns/row-patch-buffer';
import { RowQuery } from './campaigns/row-query';
import type { Handlers } from './dispatch';
import { DeskError } from './errors';
import { EventBus } from './event-bus';
import { Inbox } from './inbox/inbox';
import { startReceiver, type Receiver, type ReceiverOptions } from './receiver/receiver';
import {
  ReportLogs,
  type ReportLogRotations,
  type ReportPayload,
  type UnmatchedReport,
} from './receiver/report-logs';
import { receiverWarning } from './receiver/tunnels/receiver-warning';
import { TunnelManager } from './receiver/tunnels/tunnel-manager';
import type { DeliveryReport, IncomingMessage } from './receiver/webhook-schemas';
import { cancelled } from './recipients/csv-import';
import type { WorkbookOptions } from './recipients/workbook-import';
import { readRecipientFile, readRecipientText, type RecipientFile } from './recipients/recipient-file';
import type { RecipientTable } from './recipients/recipient-table';
import { systemCountry } from './recipients/countries';
import { choosePhoneColumn, noPhoneColumn } from './recipients/phone-column';
import { PhoneNormalizer } from './recipients/phone-numbers';
import { SuppressionList } from './recipients/suppression';
import type { Vault } from './secrets/vault';
import { CampaignSchedules } from './sending/campaign-schedules';
import { KeepAwake } from './power/keep-awake';
import { WakeWatch } from './power/wake-watch';
import { CampaignSender, type SendOptions } from './sending/campaign-sender';
import { checkKey } from './sending/key-check';
import { previewRequest } from './sending/request-preview';
import { buildSendPlan, checkConfirmed } from './sending/send-plan';
import { sendProblem } from './sending/send-problem';
import { sendTestMessage } from './sending/test-send';
import { SANDBOX_ID, SANDBOX_RATE, ServiceRegistry, type ResolvedService } from './services';
import { lookUpOpenRows } from './sending/status-lookup';
import type { SettingsStore } from './settings/settings-store';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator/simulator';
import type { Rotation } from './storage/rotating-files';
import { Uploads } from './uploads';

export interface DeskOptions {
  dataDir: string;
  vault: Vault;
  settings: SettingsStore;
  version: string;
  /** Tuning of the embedded simulator behind the Sandbox service. */
  sandbox?: Pick<
    SimulatorOptions,
    | 'failureShare'
    | 'submittedDelayMs'
    | 'finalDelayMs'
    | 'seed'
    | 'faults'
    | 'reportRetries'
    | 'tps'
    | 'requirePlus'
    | 'deliveryReports'
  >;
  /** The country of the system locale, a new campaign's default country (default: read from the locale). */
  systemCountry?: string;
  /** Overrides the notify URL sent with messages, whatever the services' tunnels; defaults to them. */
  publicReceiverUrl?: string;
  /** Opens the services' tunnels (default); command-line runs leave them closed. */
  openTunnels?: boolean;
  /** How long a row whose outcome is unknown waits for a report before it may be sent again (default 10 min). */
  unknownGraceMs?: number;
  /** Arms the scheduled starts found on disk (the app does; a command-line run leaves them to the app). */
  restoreSchedules?: boolean;
  /**
   * How long after sending a Send SMS API row without its final report is settled through the status lookup
   * (default 5 minutes, checked every minute); null: only when asked (`settleByLookup`), as the CLI does.
   */
  statusLookupAfterMs?: number | null;
  /** How the inbox, reports kept beside the campaigns and refused posts are bounded (defaults beside each). */
  rotations?: ReportLogRotations & { inbox?: Rotation; rejected?: Rotation };
}

export type { SendOptions };

/** `<campaign>.t<test>`: the correlation id of a test message. */
const TEST_CORRELATION = /^([a-z0-9-]{1,64})\.t(\d{1,9})$/;
/** `<campaign>.<row>`: a row's correlation id, also sent as its callbackData. */
const ROW_REF = /^([a-z0-9-]{1,64})\.(\d{1,9})$/;
const DEFAULT_UNKNOWN_GRACE_MS = 10 * 60_000;
/** While a campaign is being sent, its view (it counts every row) and row changes go out at most this often. */
const VIEW_EVERY_MS = 250;
const TUNNEL_PROBE_EVERY_MS = 60_000;
const DEFAULT_LOOKUP_AFTER_MS = 5 * 60_000;
const LOOKUP_EVERY_MS = 60_000;

export type ImportSource = { uploadId: string } | { text: string } | { bytes: Uint8Array };

interface Loaded extends OpenCampaign {
  snapshots: SnapshotKeeper;
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
  private readonly sender: CampaignSender;
  private readonly schedules: CampaignSchedules;
  private readonly manager: CampaignManager;
  private readonly tunnels: TunnelManager;
  /** Keeps the computer awake while sending and before a scheduled start, where the shell can. */
  readonly keepAwake: KeepAwake;
  private readonly wakeWatch: WakeWatch;
  private readonly viewTimers = new Map<string, NodeJS.Timeout>();
  private readonly rowPatches = new RowPatchBuffer(VIEW_EVERY_MS, (campaignId, rows) =>
    this.bus.emit('rows.updated', { campaignId, rows }),
  );
  private allOpen = false;
  private readonly lookups: NodeJS.Timeout | null;
  private lookingUp = false;
  /** Stops status lookups under way when the desk closes. */
  private readonly closing = new AbortController();
  /** Reports since the start that named no row (the receiver counts the rest of ReceiverStats). */
  private unmatchedReports = 0;
  private readonly repeats = new ReportRepeats();

  private constructor(
    private readonly options: DeskOptions,
    private readonly store: CampaignStore,
    readonly services: ServiceRegistry,
    readonly simulator: Simulator,
    readonly receiver: Receiver,
    private readonly inbox: Inbox,
    private readonly reportLogs: ReportLogs,
    readonly suppression: SuppressionList,
    readonly uploads: Uploads,
  ) {
    this.handlers = this.createHandlers();
    const host = {
      campaign: (id: string) => this.campaign(id),
      record: (open: OpenCampaign, events: JournalEvent[]) => this.record(open, events),
      view: (open: OpenCampaign) => this.view(open.campaign),
    };
    this.sender = new CampaignSender(
      {
        ...host,
        resolveService: (id) => this.services.resolve(id),
        notifyUrl: (serviceId) => this.notifyUrl(serviceId),
        progress: (progress) => this.bus.emit('send.progress', progress),
        showUnrecorded: (open, events) => this.applyEvents(open, events),
        optedOut: this.suppression.has,
        runsChanged: () => this.keepAwake.refresh(),
      },
      join(options.dataDir, 'locks'),
      options.unknownGraceMs ?? DEFAULT_UNKNOWN_GRACE_MS,
    );
    this.schedules = new CampaignSchedules(
      {
        ...host,
        send: (id, digest) => this.send(id, { digest }),
        announce: async (open) => this.bus.emit('campaign.updated', await this.view(open.campaign)),
        startsChanged: () => this.keepAwake.refresh(),
        checkPlan: (open, digest) =>
          checkConfirmed(
            digest,
            buildSendPlan(open.campaign, this.services.get(open.campaign.definition.serviceId), null),
          ),
      },
      options.settings,
    );
    this.keepAwake = new KeepAwake(
      { sending: () => this.sender.anySending, nextStart: () => this.schedules.nextStart() },
      (status) => this.bus.emit('power.status', status),
    );
    this.wakeWatch = new WakeWatch(() => this.wake());
    this.wakeWatch.start();
    this.manager = new CampaignManager(
      {
        campaign: (id) => this.campaign(id),
        view: (campaign) => this.view(campaign),
        create: (def, table) => this.createCampaign(def, table),
        isSending: (id) => this.sender.isSending(id),
        forget: (id) => this.forget(id),
      },
      store,
      join(options.dataDir, 'locks'),
    );
    this.tunnels = new TunnelManager(
      {
        receiverUrl: receiver.url,
        probeNonce: receiver.probeNonce,
        probeEveryMs: TUNNEL_PROBE_EVERY_MS,
        emit: (status) => this.bus.emit('tunnel.status', status),
      },
      options.vault,
      options.openTunnels !== false,
    );
    this.syncTunnels();
    const lookupAfter =
      options.statusLookupAfterMs === undefined ? DEFAULT_LOOKUP_AFTER_MS : options.statusLookupAfterMs;
    this.lookups =
      lookupAfter === null
        ? null
        : setInterval(
            () => void this.settleOverdue(lookupAfter),
            Math.min(LOOKUP_EVERY_MS, lookupAfter || 1000),
          );
    this.lookups?.unref();
  }

  static async start(options: DeskOptions): Promise<Desk> {
    const sandboxKey = randomBytes(16).toString('hex');
    // The Sandbox answers 7020 beyond its rate, as a tenant's account does beyond its TPS.
    const simulator = await startSimulator({ keys: [sandboxKey], tps: SANDBOX_RATE, ...options.sandbox });
    const secret = receiverSecret(options.settings);
    // The receiver must listen before the desk exists; posts only arrive once `ref.desk` is set.
    const ref: { desk?: Desk } = {};
    const receiver = await startStableReceiver(options.settings, {
      secret,
      rejectedLog: join(options.dataDir, 'rejected-posts.ndjson'),
      rejectedRotation: options.rotations?.rejected,
      handlers: {
        onDeliveryReports: (reports) => (ref.desk as Desk).recordDeliveryReports(reports),
        onIncomingMessage: (message, serviceId) =>
          (ref.desk as Desk).recordIncomingMessage(message, serviceId),
      },
    });
    simulator.setMoNotifyUrl(`${receiver.url}/mo/${SANDBOX_ID}`);
    const { rotations } = options;
    const inbox = await Inbox.open(join(options.dataDir, 'inbox.ndjson'), options.settings, rotations?.inbox);
    const reportLogs = await ReportLogs.open(options.dataDir, rotations);
    const suppression = await SuppressionList.open(join(options.dataDir, 'suppression.ndjson'));
    const uploads = new Uploads(join(options.dataDir, 'uploads'));
    await uploads.clearLeftovers();
    ref.desk = new Desk(
      options,
      new CampaignStore(join(options.dataDir, 'campaigns')),
      new ServiceRegistry(options.settings, options.vault, { url: simulator.url, key: sandboxKey }),
      simulator,
      receiver,
      inbox,
      reportLogs,
      suppression,
      uploads,
    );
    if (options.restoreSchedules !== false) await ref.desk.schedules.restore();
    return ref.desk;
  }

  /**
   * After the computer woke from sleep or changed networks: tunnels are probed (or dialled) again at once, and
   * starts due while it slept are looked at now (a missed one waits for the user).
   */
  wake(): void {
    this.tunnels.checkNow();
    this.schedules.recheck();
    this.keepAwake.refresh();
  }

  async close(): Promise<void> {
    this.wakeWatch.stop();
    this.keepAwake.close();
    if (this.lookups) clearInterval(this.lookups);
    this.closing.abort();
    this.schedules.disarmAll();
    await this.sender.pauseAll();
    await this.tunnels.close();
    for (const timer of this.viewTimers.values()) clearTimeout(timer);
    this.rowPatches.drop();
    await this.simulator.close();
    await this.receiver.close();
    await Promise.all(
      [...this.open.values()].map(async (o) => {
        await o.snapshots.close();
        await o.journal.close();
      }),
    );
    await this.inbox.close();
    await this.reportLogs.close();
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
    {
      campaignId,
      defaultCountry,
      sheet,
    }: {
      /** Names the campaign (the CLI's --campaign-id); by default one is generated. */
      campaignId?: string;
      /**
       * Numbers written without a country code are read as this country's; the phone column is found with it.
       * By default the last one used through the Sandbox, else the system's.
       */
      defaultCountry?: string;
      /** For a workbook, the sheet to import; by default the first one with data. */
      sheet?: string;
    } = {},
  ): Promise<CampaignView> {
    const country = defaultCountry ?? this.services.lastCountry(SANDBOX_ID) ?? this.systemCountry();
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
      const { table, ...sheets } = await this.parseSource(source, {
        sheet,
        signal: abort.signal,
        onProgress: (p) => progress('parsing', p.rows, p.fraction),
      });
      const now = new Date();
      const def: CampaignDefinition = {
        id: campaignId ?? CampaignStore.newId(now),
        name: fileName.replace(/\.[^.]*$/, ''),
        createdAt: now.toISOString(),
        fileName,
        ...sheets,
        columns: [...table.columns],
        phoneColumn: choosePhoneColumn(table, country)?.column ?? null,
        defaultCountry: country,
        template: '',
        senderId: '',
        serviceId: SANDBOX_ID,
        smartlinks: [],
        keyNonce: randomBytes(6).toString('hex'),
        requestOptions: {},
        archived: false,
        origin: null,
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

  /** A CSV (as text or bytes in any encoding) or an .xlsx workbook, told apart by its bytes. */
  private async parseSource(source: ImportSource, options: WorkbookOptions = {}): Promise<RecipientFile> {
    if ('text' in source) return readRecipientText(source.text, options);
    return readRecipientFile(
      'bytes' in source ? source.bytes : await this.uploads.take(source.uploadId),
      options,
    );
  }

  async update(id: string, patch: CampaignPatch): Promise<CampaignView> {
    const loaded = await this.campaign(id);
    const { campaign } = loaded;
    if (campaign.isStarted)
      throw new DeskError('campaign-started', 'This campaign has been sent; it can no longer change.');
    if (campaign.state === 'scheduled')
      throw new DeskError(
        'campaign-scheduled',
        'This campaign is scheduled; cancel the schedule to change it.',
      );
    if (patch.phoneColumn !== undefined && patch.phoneColumn >= campaign.table.columns.length) {
      throw new DeskError('invalid-column', 'That phone column does not exist in the file.');
    }
    if (patch.serviceId !== undefined) this.services.get(patch.serviceId);
    const expiry = patch.requestOptions?.expiry;
    if (expiry !== undefined && expiryPassed(expiry))
      throw new DeskError('expiry-passed', `The expiry (${expiry}, UTC) has passed; choose a later one.`);
    const def = { ...campaign.definition, ...patch };
    const followed = this.countryOfNewService(campaign.definition, patch);
    if (followed) def.defaultCountry = followed;
    // No column held numbers of the old country: one may hold the new country's.
    if (def.phoneColumn === null && patch.phoneColumn === undefined)
      def.phoneColumn = choosePhoneColumn(campaign.table, def.defaultCountry)?.column ?? null;
    loaded.rechecking?.abort();
    const abort = new AbortController();
    loaded.rechecking = abort;
    const checks = await loaded.checker.check(def, { signal: abort.signal });
    // A rename or an archive made during the check stands.
    def.archived = campaign.definition.archived;
    def.name = patch.name ?? campaign.definition.name;
    await this.store.saveDefinition(def);
    campaign.redefine(def, checks);
    campaign.limitTextTo(this.textLimitOf(def.serviceId));
    loaded.rechecking = null;
    return this.view(campaign);
  }

  /**
   * A draft moved to another service takes the default a new campaign there would get (the country last
   * sent through it, else the system's), unless its country was chosen by hand: one that differs from the
   * default the old service gave it.
   */
  private countryOfNewService(def: CampaignDefinition, patch: CampaignPatch): string | null {
    if (patch.serviceId === undefined || patch.serviceId === def.serviceId) return null;
    if (patch.defaultCountry !== undefined) return null;
    const oldDefault = this.services.lastCountry(def.serviceId) ?? this.systemCountry();
    if (def.defaultCountry !== oldDefault) return null;
    return this.services.lastCountry(patch.serviceId) ?? this.systemCountry();
  }

  private systemCountry(): string {
    return this.options.systemCountry ?? systemCountry().country;
  }

  /**
   * The text limit of the API a campaign's service uses. A removed service, or saved services that cannot be
   * read (said where services are listed), leave Messaging API v1's: the default API, and the stricter.
   */
  private textLimitOf(serviceId: string): TextLimit {
    let services: ServiceView[] = [];
    try {
      services = this.services.list();
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
    }
    return TEXT_LIMITS[services.find((s) => s.id === serviceId)?.api ?? 'messaging'];
  }

  /** After a service was saved or removed: its campaigns check their rows against its API's text limit. */
  private async followServices(): Promise<void> {
    for (const { campaign } of this.open.values()) {
      if (campaign.limitTextTo(this.textLimitOf(campaign.definition.serviceId)))
        this.bus.emit('campaign.updated', await this.view(campaign));
    }
  }

  /**
   * After the suppression list changed: campaigns being or once sent skip (or take back) the rows concerned at
   * once, then drafts are checked again.
   */
  private async recheckDrafts(): Promise<void> {
    for (const loaded of this.open.values()) if (loaded.campaign.isStarted) this.followOptOuts(loaded);
    for (const loaded of this.open.values()) {
      const { campaign } = loaded;
      if (campaign.isStarted) continue;
      const checks = await loaded.checker.check(campaign.definition);
      // Sending may have begun while the rows were checked.
      if (campaign.isStarted) this.followOptOuts(loaded);
      else campaign.redefine(campaign.definition, checks);
      this.bus.emit('campaign.updated', await this.view(campaign));
    }
  }

  private followOptOuts(open: OpenCampaign): void {
    const patches = open.campaign.followOptOuts(this.suppression.has);
    if (patches.length === 0) return;
    this.rowPatches.add(open.campaign.id, patches);
    this.pushViewSoon(open);
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
    const added = await this.suppress(valid, reason);
    return { added, alreadyListed: new Set(valid).size - added, invalid };
  }

  /** Adds numbers already in E.164 to the opt-out list; the campaigns follow at once. */
  private async suppress(msisdns: readonly string[], reason: string): Promise<number> {
    const added = await this.suppression.add(msisdns, reason);
    if (added > 0) await this.recheckDrafts();
    return added;
  }

  /** Starts (or resumes) sending; resolves once sending has begun. `finished(id)` resolves when it ends. */
  async send(id: string, options: SendOptions = {}): Promise<CampaignView> {
    this.schedules.disarm(id);
    const view = await this.sender.send(id, options);
    // A service given on the command line is not one of the app's: nothing to remember it by.
    if (!options.service) this.services.rememberCountry(view.serviceId, view.defaultCountry);
    return view;
  }

  /**
   * What sending the campaign would do: through its service, or `service` (the command line's), now or at `at` (by
   * default its scheduled start). Refused, with the reason, for a campaign that cannot be sent as it stands.
   */
  async plan(
    id: string,
    { service, at }: { service?: ResolvedService; at?: string } = {},
  ): Promise<SendPlan> {
    const { campaign } = await this.campaign(id);
    if (!SENDABLE_STATES.includes(campaign.state))
      throw new DeskError('campaign-not-ready', 'This campaign cannot be sent now.');
    if (service) campaign.limitTextTo(TEXT_LIMITS[service.view.api]);
    const view = service ? null : await this.view(campaign);
    const problem =
      (view ? view.problem : campaign.problem()) ??
      sendProblem(campaign, service?.view ?? this.services.get(campaign.definition.serviceId));
    if (problem !== null) throw new DeskError('campaign-not-ready', problem);
    const startAt = at === undefined ? campaign.scheduledAt : new Date(at).toISOString();
    return buildSendPlan(
      campaign,
      service?.view ?? this.services.get(campaign.definition.serviceId),
      startAt,
    );
  }

  /** A send from the app: a campaign not yet started goes only as the plan the user confirmed. */
  private async sendConfirmed(id: string, digest: string | undefined): Promise<CampaignView> {
    const { campaign } = await this.campaign(id);
    if (digest === undefined && !campaign.isStarted)
      throw new DeskError('plan-not-confirmed', 'Review the send plan and confirm it before sending.');
    return this.send(id, { digest });
  }

  finished(id: string): Promise<void> {
    return this.sender.finished(id);
  }

  pause(id: string): Promise<CampaignView> {
    return this.sender.pause(id);
  }

  cancel(id: string): Promise<CampaignView> {
    return this.sender.cancel(id);
  }

  schedule(id: string, at: string | null, digest?: string): Promise<CampaignView> {
    return this.schedules.schedule(id, at, digest);
  }

  resendUnknown(id: string, options: SendOptions = {}): Promise<CampaignView> {
    return this.sender.resendUnknown(id, options);
  }

  /** How many unknown rows would go again with their Idempotency-Key if the campaign were sent now. */
  async sameKeyRows(id: string, service?: ResolvedService): Promise<number> {
    const open = await this.campaign(id);
    return this.sender.sameKeyRows(open, service ?? this.services.resolve(open.campaign.definition.serviceId))
      .length;
  }

  async exists(id: string): Promise<boolean> {
    try {
      await this.campaign(id);
      return true;
    } catch (error) {
      if (error instanceof DeskError && error.code === 'unknown-campaign') return false;
      throw error;
    }
  }

  /** The service a campaign was last sent through, as its journal names it. */
  async sentThrough(id: string): Promise<SentThrough | null> {
    return (await this.campaign(id)).campaign.sentThrough;
  }

  /** Sends row `row`'s message to `msisdn` through the campaign's service, leaving the rows untouched. */
  async testSend(id: string, row: number, msisdn: string): Promise<CampaignView> {
    const open = await this.campaign(id);
    const { campaign } = open;
    if (this.sender.isSending(id))
      throw new DeskError('campaign-sending', 'Pause the campaign to send a test message.');
    if (row >= campaign.size) throw new DeskError('invalid-row', 'That row does not exist.');
    const problem = campaign.problem();
    if (problem) throw new DeskError('campaign-not-ready', problem);
    const to = new PhoneNormalizer(campaign.definition.defaultCountry).normalize(msisdn);
    if (!to) throw new DeskError('invalid-number', `"${msisdn}" is not a valid phone number.`);
    const service = this.services.resolve(campaign.definition.serviceId);
    const unsendable = sendProblem(campaign, service.view);
    if (unsendable) throw new DeskError('campaign-not-ready', unsendable);
    const notifyUrl = this.notifyUrl(service.view.id);
    const event = await sendTestMessage({ open, row, msisdn: to, service, notifyUrl });
    await this.record(open, [event]);
    return this.view(campaign);
  }

  /**
   * Settles through the platform's status lookup the rows of a campaign sent through the Send SMS API that were
   * accepted more than `olderThanMs` ago and still have no final report. Returns how many were settled.
   */
  async settleByLookup(id: string, service?: ResolvedService, olderThanMs = 0): Promise<number> {
    const open = await this.campaign(id);
    const through = open.campaign.sentThrough;
    if (through?.api !== 'sms') return 0;
    const s = service ?? this.services.resolve(through.id);
    const events = await lookUpOpenRows(
      open.campaign,
      { baseUrl: s.baseUrl, key: s.key },
      Date.now() - olderThanMs,
      s.view.rate,
      this.closing.signal,
    );
    if (events.length > 0) await this.record(open, events);
    return events.length;
  }

  /** The periodic sweep: every open Send SMS API campaign whose reports are overdue. */
  private async settleOverdue(olderThanMs: number): Promise<void> {
    if (this.lookingUp) return;
    this.lookingUp = true;
    try {
      for (const [id, { campaign }] of this.open) {
        const through = campaign.sentThrough;
        // A service given on the command line only (its key is not stored) is looked up by that command.
        const known = through !== null && this.services.list().some((s) => s.id === through.id);
        if (through?.api !== 'sms' || !known || this.sender.isSending(id) || campaign.isSettled()) continue;
        await this.settleByLookup(id, undefined, olderThanMs).catch((error: unknown) => {
          console.error(
            `campaign ${id}: status lookup failed:`,
            error instanceof Error ? error.message : error,
          );
        });
      }
    } finally {
      this.lookingUp = false;
    }
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

  /** The delivery report as an Excel workbook, streamed to `output` (the command line writes a file). */
  async writeReportXlsx(id: string, timeZone: string, output: Writable): Promise<void> {
    const { campaign } = await this.campaign(id);
    // exceljs is large: loaded only when a workbook is asked for.
    const { writeReportXlsx } = await import('./campaigns/report-xlsx');
    await writeReportXlsx(campaign, timeZone, output);
  }

  /** The delivery report as an Excel workbook for the app to offer as a download (bounded in size). */
  async reportXlsx(id: string, timeZone: string): Promise<{ fileName: string; base64: string }> {
    const { campaign } = await this.campaign(id);
    const { reportXlsxBytes } = await import('./campaigns/report-xlsx');
    const bytes = await reportXlsxBytes(campaign, timeZone);
    return { fileName: `${campaign.definition.name}-report.xlsx`, base64: bytes.toString('base64') };
  }

  async view(campaign: OpenCampaign['campaign']): Promise<CampaignView> {
    const service = this.services.list().find((s) => s.id === campaign.definition.serviceId);
    const view = {
      ...campaign.view(service?.pricePerSegment ?? 0, this.sender.unknownGraceMs),
      receiverWarning: service ? this.receiverWarning(service) : null,
    };
    if (view.problem !== null || !SENDABLE_STATES.includes(view.state)) return view;
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
    const checker = new CampaignChecker(stored.table, this.suppression);
    const campaign = new Campaign(
      stored.def,
      stored.table,
      await checker.check(stored.def),
      this.textLimitOf(stored.def.serviceId),
    );
    const { journal, snapshots } = await this.store.replayInto(campaign);
    const again = this.open.get(id);
    if (again) {
      await snapshots.stop();
      await journal.close();
      return again;
    }
    // A row sent, then released unsent, may have a number that opted out since.
    campaign.followOptOuts(this.suppression.has);
    const loaded: Loaded = {
      campaign,
      journal,
      snapshots,
      checker,
      query: new RowQuery(campaign),
      rechecking: null,
    };
    this.open.set(id, loaded);
    if (
      campaign.state === 'sending' &&
      !this.sender.isSending(id) &&
      !(await this.sender.sendingElsewhere(id))
    ) {
      await this.markInterrupted(loaded);
    }
    return loaded;
  }

  /** Saves a new draft made from another campaign, checks its rows and opens it. */
  private async createCampaign(def: CampaignDefinition, table: RecipientTable): Promise<Loaded> {
    const checker = new CampaignChecker(table, this.suppression);
    const checks = await checker.check(def);
    await this.store.create(def, table);
    return this.adopt(def, table, checks, checker);
  }

  /** Closes a campaign about to be deleted; reports for it are unmatched from now on. */
  private async forget(id: string): Promise<void> {
    const loaded = this.open.get(id);
    this.open.delete(id);
    this.schedules.disarm(id);
    clearTimeout(this.viewTimers.get(id));
    this.viewTimers.delete(id);
    this.rowPatches.drop(id);
    loaded?.rechecking?.abort();
    await loaded?.snapshots.stop();
    await loaded?.journal.close();
  }

  /** Takes a campaign just created (its table and checks in hand) into the open set, without reading it back. */
  private async adopt(
    def: CampaignDefinition,
    table: RecipientTable,
    checks: Checks,
    checker: CampaignChecker,
  ): Promise<Loaded> {
    const campaign = new Campaign(def, table, checks, this.textLimitOf(def.serviceId));
    const { journal, snapshots } = await this.store.replayInto(campaign);
    const loaded: Loaded = {
      campaign,
      journal,
      snapshots,
      checker,
      query: new RowQuery(campaign),
      rechecking: null,
    };
    this.open.set(def.id, loaded);
    return loaded;
  }

  private async markInterrupted(open: OpenCampaign): Promise<void> {
    const at = new Date().toISOString();
    await this.record(open, [
      ...open.campaign.interruptedResults(at, 'The app closed while this message was being sent'),
      { t: 'end', at, state: 'stopped', error: 'Sending was interrupted when the app closed.' },
    ]);
  }

  /** Why delivery reports sent through `service` would not reach this computer now; null when they would. */
  receiverWarning(service: ServiceView): string | null {
    if (this.options.publicReceiverUrl) return null;
    return receiverWarning(
      service,
      this.tunnels.list().find((t) => t.serviceId === service.id),
    );
  }

  /** Opens, closes or reopens tunnels after the services' settings changed. */
  private syncTunnels(): void {
    try {
      this.tunnels.sync(this.services.tunnels());
    } catch (error) {
      // Damaged service settings are reported where services are listed; the desk still starts.
      console.error('tunnels:', error instanceof Error ? error.message : error);
    }
  }

  private notifyUrl(serviceId: string): string {
    const { publicReceiverUrl } = this.options;
    return publicReceiverUrl ? `${publicReceiverUrl}/dr` : this.tunnels.drUrl(serviceId);
  }

  private async record(open: OpenCampaign, events: JournalEvent[]): Promise<void> {
    await open.journal.appendAll(events);
    await this.applyEvents(open, events);
  }

  /** Applies events to the open campaign and tells the renderer; `record` journals them first. */
  private async applyEvents(open: OpenCampaign, events: JournalEvent[]): Promise<void> {
    const patches: RowPatch[] = [];
    let stateChanged = false;
    for (const event of events) {
      patches.push(...open.campaign.apply(event));
      stateChanged ||= !['batch', 'result', 'released', 'dr'].includes(event.t);
    }
    this.rowPatches.add(open.campaign.id, patches);
    if (stateChanged) await this.pushView(open);
    else if (patches.length > 0) this.pushViewSoon(open);
  }

  private async pushView(open: OpenCampaign): Promise<void> {
    clearTimeout(this.viewTimers.get(open.campaign.id));
    this.viewTimers.delete(open.campaign.id);
    const view = await this.view(open.campaign);
    this.rowPatches.flush(open.campaign.id);
    this.bus.emit('campaign.updated', view);
  }

  /** Row changes come by the thousand while sending; the campaign's view follows them a few times a second. */
  private pushViewSoon(open: OpenCampaign): void {
    const { id } = open.campaign;
    if (this.viewTimers.has(id)) return;
    this.viewTimers.set(
      id,
      setTimeout(() => {
        this.viewTimers.delete(id);
        void this.pushView(open);
      }, VIEW_EVERY_MS),
    );
  }

  private async recordDeliveryReports(reports: DeliveryReport[]): Promise<void> {
    const at = new Date().toISOString();
    const byCampaign = new Map<OpenCampaign, JournalEvent[]>();
    const unmatched: UnmatchedReport[] = [];
    const payloads: ReportPayload[] = [];
    const claimed: string[] = [];
    for (const report of reports) {
      const test = report.status ? await this.locateTest(report) : null;
      if (test && report.status) {
        const events = byCampaign.get(test.open) ?? [];
        events.push({
          t: 'test-dr',
          at,
          test: test.test,
          status: report.status,
          code: report.code,
          description: report.description,
        });
        byCampaign.set(test.open, events);
        payloads.push({ at, campaignId: test.open.campaign.id, test: test.test, raw: report.raw });
        continue;
      }
      const target = report.status ? await this.locate(report) : null;
      if (!target || !report.status) {
        unmatched.push({
          at,
          raw: report.raw,
          reason: report.status ? 'no matching row' : 'no delivery state',
        });
        continue;
      }
      if (!target.open.campaign.acceptsReport(target.row, report.transid)) {
        unmatched.push({ at, raw: report.raw, reason: 'names its row without the transid of its reports' });
        continue;
      }
      if (!this.repeats.claim(target.open.campaign, target.row, report, claimed)) continue;
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
        reportedAt: report.timestamp,
      });
      byCampaign.set(target.open, events);
      payloads.push({ at, campaignId: target.open.campaign.id, row: target.row, raw: report.raw });
    }
    await Promise.all([
      this.reportLogs.unmatched(unmatched),
      this.reportLogs.payloads(payloads),
      ...[...byCampaign].map(([open, events]) => this.record(open, events)),
    ]).finally(() => this.repeats.release(claimed));
    this.unmatchedReports += unmatched.length;
  }

  private async recordIncomingMessage(message: IncomingMessage, serviceId: string): Promise<void> {
    const entry = await this.inbox.record(serviceId, message, {
      campaigns: (await this.openAll()).map((open) => open.campaign),
      serviceName: this.serviceNames().get(serviceId) ?? removedService(serviceId),
      optOut: async (msisdn, reason) => void (await this.suppress([msisdn], reason)),
    });
    if (entry) this.bus.emit('inbox.received', entry);
  }

  /** Every service's name by id, read once for all the replies that name one. */
  private serviceNames(): Map<string, string> {
    return new Map(this.services.list().map((s) => [s.id, s.name]));
  }

  /** Finds the test message a report is about, by its reference (`<campaign>.t<test>`) in either field. */
  private async locateTest(report: DeliveryReport): Promise<{ open: OpenCampaign; test: number } | null> {
    const match = (report.correlationid ?? report.callbackData)?.match(TEST_CORRELATION);
    if (!match) return null;
    const id = match[1] as string;
    const open = this.open.get(id) ?? (await this.campaign(id).catch(() => null));
    const test = Number(match[2]);
    return open && test < open.campaign.testCount ? { open, test } : null;
  }

  /**
   * Finds a report's row: by the row reference in its correlation id, else by transid, else by the reference in
   * its callbackData (the platform's reports often leave the correlation id empty; page "sms-outbound-webhooks").
   */
  private async locate(report: DeliveryReport): Promise<{ open: OpenCampaign; row: number } | null> {
    const byCorrelation = await this.rowOfRef(report.correlationid, report);
    if (byCorrelation !== undefined) return byCorrelation;
    if (report.transid) {
      let found = this.findTransid(report.transid);
      if (!found && !this.allOpen) {
        await this.openAll();
        found = this.findTransid(report.transid);
      }
      // callbackData naming another sent row contradicts the transid: neither is trusted.
      if (found) return this.namesOtherRow(report.callbackData, found) ? null : found;
    }
    return (await this.rowOfRef(report.callbackData, report)) ?? null;
  }

  /** Whether `ref` names a sent row of an open campaign other than `row`. */
  private namesOtherRow(ref: string | null, row: { open: OpenCampaign; row: number }): boolean {
    const match = ref?.match(ROW_REF);
    if (!match) return false;
    const open = this.open.get(match[1] as string);
    const named = Number(match[2]);
    return open !== undefined && open.campaign.wasSent(named) && (open !== row.open || named !== row.row);
  }

  /** The sent row a reference names; null when its transid contradicts it; undefined when it names none. */
  private async rowOfRef(
    ref: string | null,
    report: DeliveryReport,
  ): Promise<{ open: OpenCampaign; row: number } | null | undefined> {
    const match = ref?.match(ROW_REF);
    if (!match) return undefined;
    const id = match[1] as string;
    const open = this.open.get(id) ?? (await this.campaign(id).catch(() => null));
    const row = Number(match[2]);
    if (!open?.campaign.wasSent(row)) return undefined;
    if (!report.transid || open.campaign.transidOf(row) === report.transid) return { open, row };
    // A transid already known for another row contradicts the reference: neither is trusted.
    const other = this.findTransid(report.transid);
    return !other || (other.open === open && other.row === row) ? { open, row } : null;
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
      'services.save': async (input) => {
        const saved = this.services.save(input);
        this.syncTunnels();
        await this.followServices();
        return saved;
      },
      'services.remove': async ({ id }) => {
        this.services.remove(id);
        this.syncTunnels();
        await this.followServices();
        return {};
      },
      'services.checkKey': async ({ id }) => checkKey(this.services.resolve(id)),
      'campaigns.list': async ({ includeArchived }) => {
        const shown = (await this.openAll()).filter(
          (o) => includeArchived || !o.campaign.definition.archived,
        );
        const views = await Promise.all(shown.map((open) => this.view(open.campaign)));
        return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },
      'campaigns.import': ({ fileName, source, importId, sheet }) =>
        this.importRecipients(fileName, source, importId, { sheet }),
      'imports.cancel': async ({ importId }) => {
        this.cancelImport(importId);
        return {};
      },
      'campaigns.get': async ({ id }) => this.view((await this.campaign(id)).campaign),
      'campaigns.update': ({ id, patch }) => this.update(id, patch),
      'campaigns.rename': ({ id, name }) => this.manager.rename(id, name),
      'campaigns.duplicate': ({ id }) => this.manager.duplicate(id),
      'campaigns.archive': ({ id, archived }) => this.manager.archive(id, archived),
      'campaigns.delete': async ({ id }) => {
        await this.manager.delete(id);
        return {};
      },
      'campaigns.sendAgainFailed': ({ id }) => this.manager.sendAgainFailed(id),
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
      'campaigns.requestPreview': async ({ id, row }) => {
        const { campaign } = await this.campaign(id);
        if (row >= campaign.size) throw new DeskError('invalid-row', 'That row does not exist.');
        const service = this.services.get(campaign.definition.serviceId);
        return previewRequest(campaign, row, service, this.notifyUrl(service.id));
      },
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
        const { table } = await this.parseSource(source);
        const column = choosePhoneColumn(table, defaultCountry)?.column;
        if (column === undefined) throw noPhoneColumn(fileName, defaultCountry);
        const numbers = Array.from({ length: table.size }, (_, row) => table.cell(row, column));
        const added = await this.addSuppressed(numbers, defaultCountry, `imported from ${fileName}`);
        return { ...added, column: table.columns[column] as string };
      },
      'campaigns.plan': ({ id, at }) => this.plan(id, { at }),
      'campaigns.send': ({ id, digest }) => this.sendConfirmed(id, digest),
      'campaigns.pause': ({ id }) => this.pause(id),
      'campaigns.cancel': ({ id }) => this.cancel(id),
      'campaigns.schedule': async ({ id, at, digest }) => {
        if (at !== null && digest === undefined)
          throw new DeskError('plan-not-confirmed', 'Review the send plan and confirm it before scheduling.');
        return this.schedule(id, at, digest);
      },
      'campaigns.testSend': ({ id, row, msisdn }) => this.testSend(id, row, msisdn),
      'campaigns.resendUnknown': ({ id }) => this.resendUnknown(id),
      'campaigns.report': ({ id }) => this.report(id),
      'campaigns.reportXlsx': ({ id, timeZone }) => this.reportXlsx(id, timeZone),
      'campaigns.row': async ({ id, row }) => {
        const { campaign } = await this.campaign(id);
        if (row >= campaign.size) throw new DeskError('invalid-row', 'That row does not exist.');
        return buildRowDetails(campaign, row, this.inbox.repliesTo(id, row));
      },
      'campaigns.dashboard': async ({ id }) =>
        buildDashboard((await this.campaign(id)).campaign, this.inbox.figuresOf(id)),
      'tunnels.list': async () => this.tunnels.list(),
      'tunnels.reconnect': ({ serviceId }) => this.tunnels.reconnect(serviceId),
      'power.status': async () => this.keepAwake.status,
      'receiver.stats': async () => ({
        ...this.receiver.stats(),
        unmatched: this.unmatchedReports,
        unmatchedDropped: this.reportLogs.unmatchedDropped,
        payloadsDropped: this.reportLogs.payloadsDropped,
      }),
      'inbox.list': async (query) => {
        const listed = this.inbox.list(query);
        const kept = new Set(await this.store.ids());
        const entries = listed.entries.map((e) =>
          e.match && !kept.has(e.match.campaignId) ? { ...e, match: { ...e.match, deleted: true } } : e,
        );
        return { ...listed, entries, dropped: this.inbox.dropped() };
      },
      'inbox.export': async ({ serviceId }) => {
        const names = this.serviceNames();
        const nameOf = (id: string) => names.get(id) ?? removedService(id);
        return {
          fileName: serviceId ? `replies-${nameOf(serviceId)}.csv` : 'replies.csv',
          csv: this.inbox.exportCsv(serviceId, nameOf),
        };
      },
      'optOut.keywords': async () => ({ keywords: this.inbox.keywords.list() }),
      'optOut.setKeywords': async ({ keywords }) => ({ keywords: this.inbox.keywords.set(keywords) }),
    };
  }
}

function removedService(id: string): string {
  return `a removed service (${id})`;
}

/** Listens on the port used last time, so that reports for messages sent before a restart still arrive. */
async function startStableReceiver(
  settings: SettingsStore,
  options: Omit<ReceiverOptions, 'port'>,
): Promise<Receiver> {
  const stored = settings.get('receiverPort');
  if (typeof stored === 'number') {
    const receiver = await startReceiver({ ...options, port: stored }).catch(() => null);
    // Busy (another Campaign Desk has it): a free port for this run, leaving the stored one alone.
    if (receiver) return receiver;
    return startReceiver(options);
  }
  const receiver = await startReceiver(options);
  settings.set('receiverPort', Number(new URL(receiver.url).port));
  return receiver;
}

function receiverSecret(settings: SettingsStore): string {
  const stored = settings.get('receiverSecret');
  if (typeof stored === 'string' && /^[a-f0-9]{32,}$/.test(stored)) return stored;
  const secret = randomBytes(24).toString('hex');
  settings.set('receiverSecret', secret);
  return secret;
}
