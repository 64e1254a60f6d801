import { join } from 'node:path';
import type { CampaignView, CommandLineService, SendPlan } from '../../../shared/api';
import { TEXT_LIMITS } from '../../../shared/text-limits';
import { SENDABLE_STATES } from '../campaigns/campaign';
import type { CampaignRegistry } from '../campaigns/campaign-registry';
import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import type { CommandLineHandlers, Handlers } from '../dispatch';
import { DeskError } from '../errors';
import type { EventBus } from '../event-bus';
import { PhoneNormalizer } from '../recipients/phone-numbers';
import type { SuppressionList } from '../recipients/suppression';
import type { ResolvedService, ServiceRegistry } from '../services';
import type { SettingsStore } from '../settings/settings-store';
import { CampaignSchedules } from './campaign-schedules';
import { CampaignSender, type SendOptions } from './campaign-sender';
import type { FrequencyCaps } from './frequency-caps';
import { previewRequest } from './request-preview';
import { buildSendPlan, checkConfirmed } from './send-plan';
import { sendProblem } from './send-problem';
import { lookUpOpenRows } from './status-lookup';
import { sendTestMessage } from './test-send';

const DEFAULT_UNKNOWN_GRACE_MS = 10 * 60_000;
const DEFAULT_LOOKUP_AFTER_MS = 5 * 60_000;
const LOOKUP_EVERY_MS = 60_000;

export interface SendingOptions {
  dataDir: string;
  settings: SettingsStore;
  unknownGraceMs?: number;
  statusLookupAfterMs?: number | null;
  /** Where the service's delivery reports should go now. */
  notifyUrl(serviceId: string): string;
  /** A run began or ended, or the armed starts changed. */
  runsChanged(): void;
  caps: FrequencyCaps;
}

/** Sending campaigns: plans, runs, pauses, schedules, test messages and settling rows by the status lookup. */
export class CampaignSending {
  private readonly sender: CampaignSender;
  private readonly schedules: CampaignSchedules;
  private readonly lookups: NodeJS.Timeout | null;
  private lookingUp = false;
  /** Stops status lookups under way when the desk closes. */
  private readonly closing = new AbortController();

  constructor(
    private readonly registry: CampaignRegistry,
    private readonly services: ServiceRegistry,
    private readonly suppression: SuppressionList,
    private readonly bus: EventBus,
    private readonly options: SendingOptions,
  ) {
    const host = {
      campaign: (id: string) => registry.campaign(id),
      record: (open: OpenCampaign, events: JournalEvent[]) => registry.record(open, events),
      view: (open: OpenCampaign) => registry.view(open.campaign),
      announce: (open: OpenCampaign) => registry.announce(open.campaign),
    };
    this.sender = new CampaignSender(
      {
        ...host,
        resolveService: (id) => services.resolve(id),
        notifyUrl: (serviceId) => options.notifyUrl(serviceId),
        progress: (progress) => bus.emit('send.progress', progress),
        showUnrecorded: (open, events) => registry.applyEvents(open, events),
        optedOut: suppression.has,
        followCap: (open, full) => registry.followCap(open, full),
        skipOverCap: (open, rows) => registry.showPatches(open, open.campaign.skipOverCap(rows)),
        capGate: (service, open, capped) => options.caps.gate(service, open.campaign, capped),
        runsChanged: () => options.runsChanged(),
      },
      join(options.dataDir, 'locks'),
      options.unknownGraceMs ?? DEFAULT_UNKNOWN_GRACE_MS,
    );
    this.schedules = new CampaignSchedules(
      {
        ...host,
        send: (id, digest) => this.send(id, { digest }),
        startsChanged: () => options.runsChanged(),
        checkPlan: (open, digest) =>
          checkConfirmed(
            digest,
            buildSendPlan(open.campaign, services.get(open.campaign.definition.serviceId), null),
          ),
      },
      options.settings,
    );
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

  readonly handlers: Pick<
    Handlers,
    | 'campaigns.plan'
    | 'campaigns.send'
    | 'campaigns.pause'
    | 'campaigns.cancel'
    | 'campaigns.schedule'
    | 'campaigns.testSend'
    | 'campaigns.resendUnknown'
    | 'campaigns.requestPreview'
  > = {
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
    'campaigns.requestPreview': async ({ id, row }) => {
      const { campaign } = await this.registry.campaign(id);
      if (row >= campaign.size) throw new DeskError('invalid-row', 'That row does not exist.');
      const service = this.services.get(campaign.definition.serviceId);
      return previewRequest(campaign, row, service, this.options.notifyUrl(service.id));
    },
  };

  readonly commandLineHandlers: Pick<
    CommandLineHandlers,
    | 'cli.plan'
    | 'cli.send'
    | 'cli.resendUnknown'
    | 'cli.sameKeyRows'
    | 'cli.sentThrough'
    | 'cli.scheduledDigest'
    | 'cli.finished'
    | 'cli.settled'
    | 'cli.settleByLookup'
  > = {
    'cli.plan': ({ id, service }) => this.plan(id, { service: this.services.commandLine(service) }),
    'cli.send': ({ id, service, ...tuning }) => this.send(id, { ...tuning, service: this.named(service) }),
    'cli.resendUnknown': ({ id, service, ...tuning }) =>
      this.resendUnknown(id, { ...tuning, service: this.named(service) }),
    'cli.sameKeyRows': async ({ id, service }) => ({ rows: await this.sameKeyRows(id, this.named(service)) }),
    'cli.sentThrough': async ({ id }) => ({
      through: (await this.registry.campaign(id)).campaign.sentThrough,
    }),
    'cli.scheduledDigest': async ({ id }) => ({
      digest: (await this.registry.campaign(id)).campaign.scheduledDigest,
    }),
    'cli.finished': async ({ id }) => {
      await this.finished(id);
      return {};
    },
    'cli.settled': async ({ id, timeoutMs }) => ({ settled: await this.settled(id, timeoutMs) }),
    'cli.settleByLookup': async ({ id, service }) => ({
      settled: await this.settleByLookup(id, this.named(service)),
    }),
  };

  /** The service named on the command line, if one was. */
  private named(service: CommandLineService | undefined): ResolvedService | undefined {
    return service && this.services.commandLine(service);
  }

  get unknownGraceMs(): number {
    return this.sender.unknownGraceMs;
  }

  get anySending(): boolean {
    return this.sender.anySending;
  }

  isSending(id: string): boolean {
    return this.sender.isSending(id);
  }

  sendingElsewhere(id: string): Promise<boolean> {
    return this.sender.sendingElsewhere(id);
  }

  nextStart(): ReturnType<CampaignSchedules['nextStart']> {
    return this.schedules.nextStart();
  }

  /** Arms the scheduled starts found on disk. */
  restoreSchedules(): Promise<void> {
    return this.schedules.restore();
  }

  /** Starts due while the computer slept are looked at now (a missed one waits for the user). */
  recheckSchedules(): void {
    this.schedules.recheck();
  }

  disarm(id: string): void {
    this.schedules.disarm(id);
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
    const open = await this.registry.campaign(id);
    const { campaign } = open;
    if (!SENDABLE_STATES.includes(campaign.state))
      throw new DeskError('campaign-not-ready', 'This campaign cannot be sent now.');
    await this.registry.followCap(open, true);
    if (service) campaign.limitTextTo(TEXT_LIMITS[service.view.api]);
    const view = service ? null : await this.registry.view(campaign);
    const problem =
      (view ? view.problem : campaign.problem()) ??
      sendProblem(campaign, service?.view ?? this.services.get(campaign.definition.serviceId));
    if (problem !== null) throw new DeskError('campaign-not-ready', problem);
    const startAt = at === undefined ? campaign.scheduledAt : new Date(at).toISOString();
    const through = service?.view ?? this.services.get(campaign.definition.serviceId);
    const plan = buildSendPlan(campaign, through, startAt, await this.options.caps.planNote(through.id));
    return { ...plan, optOutDamage: this.suppression.damage };
  }

  /** A send from the app: a campaign not yet started goes only as the plan the user confirmed. */
  private async sendConfirmed(id: string, digest: string | undefined): Promise<CampaignView> {
    const { campaign } = await this.registry.campaign(id);
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
  private async sameKeyRows(id: string, service?: ResolvedService): Promise<number> {
    const open = await this.registry.campaign(id);
    return this.sender.sameKeyRows(open, service ?? this.services.resolve(open.campaign.definition.serviceId))
      .length;
  }

  /** Sends row `row`'s message to `msisdn` through the campaign's service, leaving the rows untouched. */
  async testSend(id: string, row: number, msisdn: string): Promise<CampaignView> {
    const open = await this.registry.campaign(id);
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
    const notifyUrl = this.options.notifyUrl(service.view.id);
    const event = await sendTestMessage({ open, row, msisdn: to, service, notifyUrl });
    await this.registry.record(open, [event]);
    return this.registry.view(campaign);
  }

  /**
   * Settles through the platform's status lookup the rows of a campaign sent through the Send SMS API that were
   * accepted more than `olderThanMs` ago and still have no final report. Returns how many were settled.
   */
  async settleByLookup(id: string, service?: ResolvedService, olderThanMs = 0): Promise<number> {
    const open = await this.registry.campaign(id);
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
    if (events.length > 0) await this.registry.record(open, events);
    return events.length;
  }

  /** The periodic sweep: every open Send SMS API campaign whose reports are overdue. */
  private async settleOverdue(olderThanMs: number): Promise<void> {
    if (this.lookingUp) return;
    this.lookingUp = true;
    try {
      for (const { campaign } of this.registry.openCampaigns()) {
        const { id } = campaign;
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
    const { campaign } = await this.registry.campaign(id);
    if (campaign.isSettled()) return true;
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = this.bus.subscribe(() => {
        // Closed while idle and opened again: the campaign as it is now.
        if ((this.registry.opened(id)?.campaign ?? campaign).isSettled()) finish(true);
      });
    });
  }

  /** Stops the lookups and the armed starts, and pauses every run. */
  async close(): Promise<void> {
    if (this.lookups) clearInterval(this.lookups);
    this.closing.abort();
    this.schedules.disarmAll();
    await this.sender.pauseAll();
  }
}
