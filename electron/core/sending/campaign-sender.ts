import type { CampaignView, ServiceView } from '../../../shared/api';
import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import { TEXT_LIMITS } from '../../../shared/text-limits';
import { DeskError } from '../errors';
import type { ResolvedService } from '../services';
import { clientFor } from './client-for';
import type { SendGate } from './frequency-caps';
import { beforeSending, DISK_FULL_WHILE_SENDING, isDiskFull } from './disk-full';
import { ProgressMeter, type SendProgress } from './progress-meter';
import { startSending, type SendRun } from './send-campaign';
import { checkConfirmed, buildSendPlan } from './send-plan';
import { sendProblem } from './send-problem';
import { SendLock } from './send-lock';
import { MAX_BATCH, sendSettings, type SendTuning } from './send-settings';

export interface SendOptions extends SendTuning {
  /** A service given for this send only (the CLI's --api-url), instead of the campaign's stored one. */
  service?: ResolvedService;
  /** The digest of the send plan the user confirmed: sending is refused unless it is still what would go out. */
  digest?: string;
}

/** What the sender needs from the desk around it. */
export interface SenderHost {
  campaign(id: string): Promise<OpenCampaign>;
  record(open: OpenCampaign, events: JournalEvent[]): Promise<void>;
  /** Applies events the journal could not take (a full disk), so that the campaign shows how sending ended. */
  showUnrecorded(open: OpenCampaign, events: JournalEvent[]): Promise<void>;
  view(open: OpenCampaign): Promise<CampaignView>;
  /** Pushes the campaign's view: its rows now wait for their window. */
  announce(open: OpenCampaign): void;
  resolveService(id: string): ResolvedService;
  /** Where the service's delivery reports should go now; asked again for every batch. */
  notifyUrl(serviceId: string): string;
  progress(progress: SendProgress): void;
  optedOut(msisdn: string): boolean;
  /** Checks the ready rows against the frequency cap of the campaign's service as it stands now (see `full` there). */
  followCap(open: OpenCampaign, full: boolean): Promise<void>;
  /** Skips rows found over the frequency cap as they were about to go, and shows them so. */
  skipOverCap(open: OpenCampaign, rows: number[]): void;
  /** The frequency cap a run through `service` keeps to; `capped` skips rows found over it. */
  capGate(service: ServiceView, open: OpenCampaign, capped: (rows: number[]) => void): SendGate;
  /** A run began or ended. */
  runsChanged(): void;
}

interface Running {
  run: SendRun;
  finished: Promise<void>;
}

const PROGRESS_EVERY_MS = 250;
/**
 * How long after its key was first sent an unknown row may go again with that Idempotency-Key. How long the platform
 * remembers a key is not documented (imiconnect-api.md: about an hour); with the retries of a run (KEY_RETRY_MS) on
 * top, a key is never sent more than 40 minutes after its first use.
 */
const KEY_REUSE_MS = 30 * 60_000;

/** Starts, pauses, cancels and resumes campaigns; one run per campaign across processes (a lock file). */
export class CampaignSender {
  private readonly running = new Map<string, Running>();
  /** How runs that failed on a full disk ended, shown but not yet journaled: journaled before the next run. */
  private readonly owed = new Map<string, JournalEvent[]>();

  constructor(
    private readonly host: SenderHost,
    private readonly locksDir: string,
    /** How long an unknown row waits for a report before the user may send it again. */
    readonly unknownGraceMs: number,
  ) {}

  isSending(id: string): boolean {
    return this.running.has(id);
  }

  /** Whether any campaign is being sent by this process. */
  get anySending(): boolean {
    return this.running.size > 0;
  }

  /** Whether another live process is sending this campaign. */
  sendingElsewhere(id: string): Promise<boolean> {
    return SendLock.heldElsewhere(this.locksDir, id);
  }

  /** Starts or resumes sending the campaign's ready rows; resolves once sending has begun. */
  async send(id: string, options: SendOptions = {}): Promise<CampaignView> {
    const open = await this.host.campaign(id);
    const { campaign } = open;
    if (this.running.has(id)) throw new DeskError('campaign-sending', 'This campaign is being sent.');
    if (campaign.state === 'cancelled')
      throw new DeskError('campaign-cancelled', 'This campaign was cancelled; it can no longer be sent.');
    const service = options.service ?? this.host.resolveService(campaign.definition.serviceId);
    // A service given for this send only (the CLI's) may use another API than the campaign's own.
    campaign.limitTextTo(TEXT_LIMITS[service.view.api]);
    const lock = await SendLock.acquire(this.locksDir, id).catch((error: unknown) => {
      throw beforeSending(error);
    });
    let started = false;
    try {
      await this.recordOwed(open);
      const retried = await this.retryWithSameKey(open, service);
      // A confirmed plan holds with fewer rows: those over the cap since are skipped, never others sent.
      await this.host.followCap(open, options.digest === undefined);
      const problem = campaign.problem() ?? sendProblem(campaign, service.view);
      if (problem !== null) {
        // Back to unknown: they were made ready for this run only.
        if (retried.length > 0)
          await this.host.record(open, [{ t: 'released', at: new Date().toISOString(), rows: retried }]);
        throw campaign.state === 'completed'
          ? new DeskError('campaign-started', 'This campaign has already been sent.')
          : new DeskError('campaign-not-ready', problem);
      }
      const plan = buildSendPlan(campaign, service.view, null);
      if (options.digest !== undefined) checkConfirmed(options.digest, plan);
      const notifyUrl = () => this.host.notifyUrl(service.view.id);
      const settings = sendSettings(service.view.rate, options, service.view.api === 'sms' ? 1 : MAX_BATCH);
      const start: JournalEvent[] = [
        {
          t: 'start',
          at: new Date().toISOString(),
          notifyUrl: notifyUrl(),
          serviceId: service.view.id,
          baseUrl: service.baseUrl,
          api: service.view.api,
          numbersWithPlus: service.view.numbersWithPlus,
          rate: Number.isFinite(settings.rate) ? settings.rate : null,
          digest: plan.digest,
          window: plan.window.window,
        },
      ];
      await this.host.record(open, start).catch((error: unknown) => {
        throw beforeSending(error);
      });
      const { counts, rowCount } = campaign.view(0, 0);
      const total = rowCount - (counts.skipped ?? 0);
      const meter = new ProgressMeter(id, total, total - (counts.ready ?? 0), settings.rate);
      let lastProgress = 0;
      const gate = this.host.capGate(service.view, open, (rows) => this.host.skipOverCap(open, rows));
      const run = startSending({
        campaign,
        client: clientFor(service, settings.requestTimeoutMs),
        serviceName: service.view.name,
        baseUrl: service.baseUrl,
        notifyUrl,
        settings,
        record: async (events) => {
          await this.host.record(open, events);
          await gate.follow(events);
        },
        admit: (rows) => gate.admit(rows),
        optedOut: (msisdn) => this.host.optedOut(msisdn),
        onWaiting: () => this.host.announce(open),
        onAnswered: (count) => {
          meter.add(count);
          if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = performance.now();
          this.host.progress(meter.snapshot());
        },
      });
      const finished = run.done
        .then(() => undefined)
        .catch(async (error: unknown) => {
          console.error(`campaign ${id}: sending failed:`, error);
          const events = failedRunEvents(open, error);
          await this.host.record(open, events).catch(async () => {
            this.owed.set(id, events);
            await this.host.showUnrecorded(open, events);
          });
        })
        .finally(async () => {
          this.running.delete(id);
          this.host.runsChanged();
          this.host.progress(meter.snapshot());
          await lock.release();
        });
      this.running.set(id, { run, finished });
      this.host.runsChanged();
      started = true;
    } finally {
      if (!started) await lock.release();
    }
    return this.host.view(open);
  }

  /**
   * Rows left unknown by a lost answer or a closed app, sent through the same Send SMS API service (same address)
   * recently enough that the platform still knows their Idempotency-Key: they may go again with that key.
   */
  sameKeyRows(open: OpenCampaign, service: ResolvedService): number[] {
    const through = open.campaign.sentThrough;
    const same =
      service.view.api === 'sms' &&
      through?.api === 'sms' &&
      through.id === service.view.id &&
      through.baseUrl === service.baseUrl;
    return same ? open.campaign.unknownSentSince(Date.now() - KEY_REUSE_MS) : [];
  }

  /** Makes the same-key rows ready for this run; returns them. */
  private async retryWithSameKey(open: OpenCampaign, service: ResolvedService): Promise<number[]> {
    const rows = this.sameKeyRows(open, service);
    if (rows.length > 0) await this.host.record(open, [{ t: 'retry', at: new Date().toISOString(), rows }]);
    return rows;
  }

  /** Journals how a run that failed on a full disk ended, so that the journal says what the campaign shows. */
  private async recordOwed(open: OpenCampaign): Promise<void> {
    const owed = this.owed.get(open.campaign.id);
    if (!owed) return;
    await this.host.record(open, owed).catch((error: unknown) => {
      throw beforeSending(error);
    });
    this.owed.delete(open.campaign.id);
  }

  /** Resolves when the campaign's current run (if any) has ended and been recorded. */
  finished(id: string): Promise<void> {
    return this.running.get(id)?.finished ?? Promise.resolve();
  }

  /** Stops taking new batches and resolves once the requests already out are answered and recorded. */
  async pause(id: string): Promise<CampaignView> {
    const running = this.running.get(id);
    if (!running) throw new DeskError('campaign-not-sending', 'This campaign is not being sent.');
    running.run.pause();
    await running.finished;
    return this.host.view(await this.host.campaign(id));
  }

  async cancel(id: string): Promise<CampaignView> {
    const running = this.running.get(id);
    if (running) {
      running.run.cancel();
      await running.finished;
      return this.host.view(await this.host.campaign(id));
    }
    const open = await this.host.campaign(id);
    await this.recordOwed(open);
    if (!['paused', 'stopped'].includes(open.campaign.state))
      throw new DeskError(
        'campaign-not-sending',
        'Only a campaign being sent, paused or stopped can be cancelled.',
      );
    await this.host.record(open, [
      { t: 'end', at: new Date().toISOString(), state: 'cancelled', error: null },
    ]);
    return this.host.view(open);
  }

  /** Makes unknown rows past their grace window ready again, then sends them. */
  async resendUnknown(id: string, options: SendOptions = {}): Promise<CampaignView> {
    const open = await this.host.campaign(id);
    const { campaign } = open;
    if (this.running.has(id)) throw new DeskError('campaign-sending', 'This campaign is being sent.');
    if (campaign.state === 'cancelled')
      throw new DeskError('campaign-cancelled', 'This campaign was cancelled; it can no longer be sent.');
    const service = options.service ?? this.host.resolveService(campaign.definition.serviceId);
    // Rows that can still go with their Idempotency-Key go first, with it (a later resend gives the rest new keys).
    if (this.sameKeyRows(open, service).length > 0) return this.send(id, { ...options, service });
    const rows = campaign.unknownPastGrace(this.unknownGraceMs);
    if (rows.length === 0) {
      const at = campaign.unknownResendableAt(this.unknownGraceMs);
      throw at
        ? new DeskError(
            'grace-window',
            `Wait until ${at}: a delivery report may still show that these messages were sent.`,
          )
        : new DeskError('nothing-unknown', 'No message of this campaign has an unknown outcome.');
    }
    await this.host.record(open, [{ t: 'resend', at: new Date().toISOString(), rows }]);
    return this.send(id, { ...options, service });
  }

  /** Pauses every run; resolves once all are recorded. */
  async pauseAll(): Promise<void> {
    for (const { run } of this.running.values()) run.pause();
    await Promise.allSettled([...this.running.values()].map((r) => r.finished));
  }
}

/**
 * How a run that failed on this computer ends: stopped, with rows whose answer could not be recorded (a full disk)
 * unknown, as a restart would find them.
 */
function failedRunEvents(open: OpenCampaign, error: unknown): JournalEvent[] {
  const at = new Date().toISOString();
  const detail = error instanceof Error ? error.message : String(error);
  if (!isDiskFull(error))
    return [
      {
        t: 'end',
        at,
        state: 'stopped',
        error:
          'Sending stopped on a fault of this computer (the details say which). Rows not yet sent stay ready; resume to go on.',
        detail,
      },
    ];
  return [
    ...open.campaign.interruptedResults(
      at,
      'Sending stopped on a full disk before its answer was recorded: it may have been sent',
    ),
    { t: 'end', at, state: 'stopped', error: DISK_FULL_WHILE_SENDING, detail },
  ];
}
