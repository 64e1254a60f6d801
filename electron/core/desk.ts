import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CampaignRegistry } from './campaigns/campaign-registry';
import { CampaignReports } from './campaigns/campaign-reports';
import { CampaignStore } from './campaigns/campaign-store';
import type { AnyCallInput, AnyCallName, AnyCallOutput } from '../../shared/api';
import {
  call,
  joinCommandLineHandlers,
  joinHandlers,
  type CommandLineHandlers,
  type Handlers,
} from './dispatch';
import { EventBus } from './event-bus';
import { Inbox } from './inbox/inbox';
import { Replies } from './inbox/replies';
import { KeepAwake } from './power/keep-awake';
import { WakeWatch } from './power/wake-watch';
import { DeliveryIntake } from './receiver/delivery-intake';
import type { Receiver } from './receiver/receiver';
import { ReportLogs, type ReportLogRotations } from './receiver/report-logs';
import { receiverSecret, startStableReceiver } from './receiver/stable-receiver';
import { systemCountry } from './recipients/countries';
import { OptOuts } from './recipients/opt-outs';
import { RecipientImports } from './recipients/recipient-imports';
import { SuppressionList } from './recipients/suppression';
import type { Vault } from './secrets/vault';
import { ServiceConnections } from './service-connections';
import type { SendOptions } from './sending/campaign-sender';
import { CampaignSending } from './sending/campaign-sending';
import { ContactHistory } from './sending/contact-history';
import { FrequencyCaps } from './sending/frequency-caps';
import { SANDBOX_ID, SANDBOX_RATE, ServiceRegistry } from './services';
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
    | 'maxPendingReports'
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
  /** How long an open campaign nobody asks for stays in memory (default 10 minutes; see idle-eviction.ts). */
  idleCampaignMs?: number;
  /** The key of a service named on the command line (CAMPAIGN_DESK_KEY): only the command line's calls use it. */
  commandLineKey?: string;
  /** The time in milliseconds, as the frequency caps read it (default: the system clock). */
  clock?: () => number;
  /** How the inbox, reports kept beside the campaigns and refused posts are bounded (defaults beside each). */
  rotations?: ReportLogRotations & { inbox?: Rotation; rejected?: Rotation };
}

export type { SendOptions };
export type { ImportSource } from './recipients/recipient-imports';

/** The files and servers the rooms share, made before them. */
interface Parts {
  store: CampaignStore;
  services: ServiceRegistry;
  simulator: Simulator;
  receiver: Receiver;
  inbox: Inbox;
  reportLogs: ReportLogs;
  suppression: SuppressionList;
  uploads: Uploads;
  contactHistory: ContactHistory;
}

/** The core: composes the domain rooms, each owning its state and its calls of the API contract. */
export class Desk {
  readonly bus = new EventBus();
  /** The contract's calls: the table the app and the browser shell serve. */
  readonly handlers: Handlers;
  /** The command line's own calls, reached through `call` only. */
  private readonly commandLineHandlers: CommandLineHandlers;
  readonly services: ServiceRegistry;
  readonly simulator: Simulator;
  readonly receiver: Receiver;
  readonly suppression: SuppressionList;
  readonly uploads: Uploads;
  /** Keeps the computer awake while sending and before a scheduled start, where the shell can. */
  readonly keepAwake: KeepAwake;
  readonly registry: CampaignRegistry;
  readonly imports: RecipientImports;
  readonly optOuts: OptOuts;
  readonly sending: CampaignSending;
  readonly reports: CampaignReports;
  readonly connections: ServiceConnections;
  readonly intake: DeliveryIntake;
  readonly replies: Replies;
  readonly caps: FrequencyCaps;
  private readonly wakeWatch: WakeWatch;
  /** Set once closing began: the runs paused then change nothing else. */
  private closing = false;

  // What the command line and the tests drive beyond the contract's calls, by the room that owns it.
  readonly importRecipients: RecipientImports['importRecipients'] = (...a) =>
    this.imports.importRecipients(...a);
  readonly update: CampaignRegistry['update'] = (...a) => this.registry.update(...a);
  readonly campaign: CampaignRegistry['campaign'] = (id) => this.registry.campaign(id);
  readonly addSuppressed: OptOuts['addSuppressed'] = (...a) => this.optOuts.addSuppressed(...a);
  readonly send: CampaignSending['send'] = (...a) => this.sending.send(...a);
  readonly finished: CampaignSending['finished'] = (id) => this.sending.finished(id);
  readonly settled: CampaignSending['settled'] = (...a) => this.sending.settled(...a);
  readonly pause: CampaignSending['pause'] = (id) => this.sending.pause(id);
  readonly cancel: CampaignSending['cancel'] = (id) => this.sending.cancel(id);
  readonly schedule: CampaignSending['schedule'] = (...a) => this.sending.schedule(...a);
  readonly testSend: CampaignSending['testSend'] = (...a) => this.sending.testSend(...a);
  readonly resendUnknown: CampaignSending['resendUnknown'] = (...a) => this.sending.resendUnknown(...a);
  readonly report: CampaignReports['report'] = (id) => this.reports.report(id);

  private constructor(
    options: DeskOptions,
    private readonly parts: Parts,
  ) {
    const { store, services, receiver, inbox, suppression, uploads } = parts;
    this.services = services;
    this.simulator = parts.simulator;
    this.receiver = receiver;
    this.suppression = suppression;
    this.uploads = uploads;
    const countryOf = (serviceId: string) =>
      services.lastCountry(serviceId) ?? options.systemCountry ?? systemCountry().country;
    this.registry = new CampaignRegistry(
      {
        isSending: (id) => this.sending.isSending(id),
        sendingElsewhere: (id) => this.sending.sendingElsewhere(id),
        unknownGraceMs: () => this.sending.unknownGraceMs,
        receiverWarning: (service) => this.connections.receiverWarning(service),
        disarm: (id) => this.sending.disarm(id),
        countryOf,
        capCheck: (serviceId) => this.caps.check(serviceId),
      },
      store,
      services,
      suppression,
      this.bus,
      options.dataDir,
      options.idleCampaignMs,
    );
    this.caps = new FrequencyCaps(parts.contactHistory, services, () => this.registry.followCaps());
    this.connections = new ServiceConnections(services, receiver, options.vault, this.bus, {
      publicReceiverUrl: options.publicReceiverUrl,
      openTunnels: options.openTunnels !== false,
      servicesChanged: () => this.registry.followServices(),
    });
    this.sending = new CampaignSending(this.registry, services, suppression, this.bus, {
      dataDir: options.dataDir,
      settings: options.settings,
      unknownGraceMs: options.unknownGraceMs,
      statusLookupAfterMs: options.statusLookupAfterMs,
      notifyUrl: (serviceId) => this.connections.notifyUrl(serviceId),
      runsChanged: () => {
        this.keepAwake.refresh();
        // Another campaign's run counted messages: the drafts show the frequency caps as they now stand.
        if (!this.closing)
          this.registry.followCaps().catch((error: unknown) => console.error('frequency caps:', error));
      },
      caps: this.caps,
    });
    this.keepAwake = new KeepAwake(
      { sending: () => this.sending.anySending, nextStart: () => this.sending.nextStart() },
      (status) => this.bus.emit('power.status', status),
    );
    this.wakeWatch = new WakeWatch(() => this.wake());
    this.wakeWatch.start();
    this.imports = new RecipientImports(this.registry, store, uploads, suppression, this.bus, countryOf);
    this.optOuts = new OptOuts(suppression, this.registry, uploads);
    this.reports = new CampaignReports(this.registry, inbox);
    this.intake = new DeliveryIntake(this.registry, parts.reportLogs, receiver);
    this.replies = new Replies(inbox, this.registry, services, this.bus, (msisdns, reason) =>
      this.optOuts.suppress(msisdns, reason),
    );
    this.handlers = joinHandlers(
      {
        'app.info': async () => ({ version: options.version, dataDir: options.dataDir }),
        'power.status': async () => this.keepAwake.status,
      },
      this.registry.handlers,
      this.imports.handlers,
      this.optOuts.handlers,
      this.sending.handlers,
      this.reports.handlers,
      this.connections.handlers,
      this.intake.handlers,
      this.replies.handlers,
      this.caps.handlers,
    );
    this.commandLineHandlers = joinCommandLineHandlers(
      this.imports.commandLineHandlers,
      this.sending.commandLineHandlers,
      this.reports.commandLineHandlers,
      this.connections.commandLineHandlers,
    );
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
        onDeliveryReports: (reports) => (ref.desk as Desk).intake.record(reports),
        onIncomingMessage: (message, serviceId) => (ref.desk as Desk).replies.record(message, serviceId),
      },
    });
    simulator.setMoNotifyUrl(`${receiver.url}/mo/${SANDBOX_ID}`);
    const { rotations } = options;
    const inbox = await Inbox.open(join(options.dataDir, 'inbox.ndjson'), options.settings, rotations?.inbox);
    const reportLogs = await ReportLogs.open(options.dataDir, rotations);
    const suppression = await SuppressionList.open(join(options.dataDir, 'suppression.ndjson'));
    const clock = options.clock ?? Date.now;
    const contactHistory = await ContactHistory.open(
      join(options.dataDir, 'contact-history'),
      () => clock() / 1000,
    );
    const uploads = new Uploads(join(options.dataDir, 'uploads'));
    await uploads.clearLeftovers();
    ref.desk = new Desk(options, {
      store: new CampaignStore(join(options.dataDir, 'campaigns')),
      services: new ServiceRegistry(
        options.settings,
        options.vault,
        { url: simulator.url, key: sandboxKey },
        options.commandLineKey,
      ),
      simulator,
      receiver,
      inbox,
      reportLogs,
      suppression,
      uploads,
      contactHistory,
    });
    if (options.restoreSchedules !== false) await ref.desk.sending.restoreSchedules();
    return ref.desk;
  }

  /**
   * A call of the contract or of the command line's own, validated as the app's and the browser's are (the
   * command line's way in; the other shells dispatch `handlers` alone).
   */
  call<N extends AnyCallName>(name: N, input: AnyCallInput<N>): Promise<AnyCallOutput<N>> {
    return call(this.handlers, this.commandLineHandlers, name, input);
  }

  /**
   * After the computer woke from sleep or changed networks: tunnels are probed (or dialled) again at once, and
   * starts due while it slept are looked at now (a missed one waits for the user).
   */
  wake(): void {
    this.connections.checkNow();
    this.sending.recheckSchedules();
    this.keepAwake.refresh();
  }

  /** How many campaigns are open (held in memory). */
  get openCampaigns(): number {
    return this.registry.openCount;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.registry.stopEvicting();
    this.wakeWatch.stop();
    this.keepAwake.close();
    await this.sending.close();
    await this.connections.close();
    this.registry.stopPushing();
    await this.simulator.close();
    await this.receiver.close();
    await this.registry.close();
    await this.parts.inbox.close();
    await this.parts.reportLogs.close();
    await this.suppression.close();
    await this.parts.contactHistory.close();
  }
}
