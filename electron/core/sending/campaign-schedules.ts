import type { CampaignView } from '../../../shared/api';
import type { OpenCampaign } from '../campaigns/campaign-store';
import type { JournalEvent } from '../campaigns/journal-events';
import { isStartMissed } from '../campaigns/missed-start';
import { DeskError } from '../errors';
import type { SettingsStore } from '../settings/settings-store';

export interface SchedulesHost {
  campaign(id: string): Promise<OpenCampaign>;
  record(open: OpenCampaign, events: JournalEvent[]): Promise<void>;
  view(open: OpenCampaign): Promise<CampaignView>;
  /** Pushes the campaign's view: its start was missed. */
  announce(open: OpenCampaign): Promise<void>;
  /** The set of armed starts changed (the computer is kept awake before one). */
  startsChanged(): void;
  /** Starts sending the confirmed plan; rejects with the reason when the campaign cannot be sent (or changed). */
  send(id: string, digest: string | undefined): Promise<unknown>;
  /** Rejects unless `digest` is the campaign's send plan as it stands. */
  checkPlan(open: OpenCampaign, digest: string): void;
}

/** Settings key listing campaigns that may be scheduled, so a restart finds them without opening them all. */
const INDEX_KEY = 'scheduledCampaigns';
/** setTimeout cannot wait longer than about 24.8 days at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Scheduled starts. The journal holds each schedule; a small index in the settings names the campaigns
 * to look at when the app starts, so that a schedule survives a restart. A start missed while the app was
 * closed or the computer slept (missed-start.ts) is not made late: the campaign waits for the user's choice.
 */
export class CampaignSchedules {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The armed campaigns and their start times (ms since the epoch). */
  private readonly starts = new Map<string, { open: OpenCampaign; at: number }>();

  constructor(
    private readonly host: SchedulesHost,
    private readonly settings: SettingsStore,
  ) {}

  /** Arms the schedules found in the index; campaigns no longer scheduled leave it. */
  async restore(): Promise<void> {
    for (const id of this.index()) {
      const open = await this.host.campaign(id).catch(() => null);
      if (open?.campaign.state === 'scheduled') this.arm(open);
      else this.setIndex(this.index().filter((other) => other !== id));
    }
  }

  /**
   * Looks at every armed start again at once: after the computer woke, timers that stood still through
   * the sleep would otherwise fire late.
   */
  recheck(): void {
    for (const { open } of [...this.starts.values()]) this.arm(open);
  }

  /** The earliest armed start, if any. */
  nextStart(): number | null {
    let next: number | null = null;
    for (const { at } of this.starts.values()) if (next === null || at < next) next = at;
    return next;
  }

  async schedule(id: string, at: string | null, digest?: string): Promise<CampaignView> {
    const open = await this.host.campaign(id);
    const { campaign } = open;
    const now = new Date().toISOString();
    if (at === null) {
      if (campaign.state === 'scheduled') {
        this.disarm(id);
        await this.host.record(open, [{ t: 'schedule', at: now, startAt: null, error: null }]);
      }
      return this.host.view(open);
    }
    if (campaign.state !== 'draft' && campaign.state !== 'scheduled')
      throw new DeskError('campaign-started', 'Only a campaign not yet sent can be scheduled.');
    const problem = campaign.problem();
    if (problem) throw new DeskError('campaign-not-ready', problem);
    const startAt = new Date(at);
    if (startAt.getTime() <= Date.now())
      throw new DeskError('schedule-past', 'Choose a start time in the future.');
    if (digest !== undefined) this.host.checkPlan(open, digest);
    // The index is written first: a schedule it misses would never start, an extra entry is dropped on restore.
    this.setIndex([...new Set([...this.index(), id])]);
    await this.host.record(open, [
      { t: 'schedule', at: now, startAt: startAt.toISOString(), error: null, digest },
    ]);
    this.arm(open);
    return this.host.view(open);
  }

  /** Forgets the timer (the campaign started some other way, or the desk is closing). */
  disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (this.starts.delete(id)) this.host.startsChanged();
  }

  disarmAll(): void {
    for (const id of [...this.timers.keys()]) this.disarm(id);
  }

  private arm(open: OpenCampaign): void {
    const { id } = open.campaign;
    this.disarm(id);
    const wait = () => {
      const startAt = open.campaign.scheduledAt;
      if (startAt === null) return this.disarm(id);
      if (isStartMissed(startAt)) {
        this.disarm(id);
        void this.host
          .announce(open)
          .catch((e: unknown) => console.error(`campaign ${id}: could not show a missed start:`, e));
        return;
      }
      const left = Date.parse(startAt) - Date.now();
      if (left > 0) this.timers.set(id, setTimeout(wait, Math.min(left, LONGEST_TIMER_MS)));
      else void this.fire(open);
    };
    wait();
    const startAt = open.campaign.scheduledAt;
    if (this.timers.has(id) && startAt !== null) {
      this.starts.set(id, { open, at: Date.parse(startAt) });
      this.host.startsChanged();
    }
  }

  private async fire(open: OpenCampaign): Promise<void> {
    const { id } = open.campaign;
    this.disarm(id);
    if (open.campaign.state !== 'scheduled') return;
    try {
      await this.host.send(id, open.campaign.scheduledDigest ?? undefined);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const at = new Date().toISOString();
      await this.host
        .record(open, [{ t: 'schedule', at, startAt: null, error: `The scheduled start failed: ${reason}` }])
        .catch((e: unknown) => console.error(`campaign ${id}: could not record a failed start:`, e));
    }
    this.setIndex(this.index().filter((other) => other !== id));
  }

  private index(): string[] {
    const stored = this.settings.get(INDEX_KEY);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  private setIndex(ids: string[]): void {
    this.settings.set(INDEX_KEY, ids);
  }
}
