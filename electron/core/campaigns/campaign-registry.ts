import { join } from 'node:path';
import type { CampaignPatch, CampaignView, RowFilter, RowPatch, ServiceView } from '../../../shared/api';
import { expiryPassed } from '../../../shared/request-options';
import { TEXT_LIMITS, type TextLimit } from '../../../shared/text-limits';
import type { Handlers } from '../dispatch';
import { DeskError } from '../errors';
import type { EventBus } from '../event-bus';
import { choosePhoneColumn } from '../recipients/phone-column';
import type { RecipientTable } from '../recipients/recipient-table';
import type { SuppressionList } from '../recipients/suppression';
import type { ServiceRegistry } from '../services';
import type { CapCheck } from '../sending/frequency-caps';
import { Campaign, SENDABLE_STATES, type Checks } from './campaign';
import { CampaignManager } from './campaign-manager';
import type { CampaignStore, OpenCampaign } from './campaign-store';
import { summaryView } from './campaign-summary';
import { CampaignsOnDisk } from './campaigns-on-disk';
import { CampaignChecker } from './checks';
import type { CampaignDefinition } from './definition';
import { IdleEviction } from './idle-eviction';
import type { JournalEvent } from './journal-events';
import { RowPatchBuffer } from './row-patch-buffer';
import { RowQuery } from './row-query';
import type { SnapshotKeeper } from './snapshot-keeper';

/** While a campaign is being sent, its view (it counts every row) and row changes go out at most this often. */
const VIEW_EVERY_MS = 250;

export interface Loaded extends OpenCampaign {
  snapshots: SnapshotKeeper;
  checker: CampaignChecker;
  query: RowQuery;
  /** Aborts the check running for an earlier edit when a newer one arrives. */
  rechecking: AbortController | null;
}

/** What the registry needs from sending and tunnels. */
export interface RegistryHost {
  /** Whether this process is sending the campaign now. */
  isSending(id: string): boolean;
  /** Whether another process holds the campaign's send lock. */
  sendingElsewhere(id: string): Promise<boolean>;
  unknownGraceMs(): number;
  receiverWarning(service: ServiceView): string | null;
  /** The campaign is going away: its scheduled start with it. */
  disarm(id: string): void;
  /** The country a new campaign takes by default through the service: the last one sent through it, else the system's. */
  countryOf(serviceId: string): string;
  /** What the rows of a campaign sent through the service are checked against: its frequency cap. */
  capCheck(serviceId: string): Promise<CapCheck>;
}

/**
 * The open campaigns: loads each once, edits and manages drafts, journals events and tells the renderer what
 * changed. Every other room reaches a campaign through here.
 */
export class CampaignRegistry {
  private readonly open = new Map<string, Loaded>();
  private readonly manager: CampaignManager;
  private readonly viewTimers = new Map<string, NodeJS.Timeout>();
  private readonly rowPatches: RowPatchBuffer;
  readonly onDisk: CampaignsOnDisk;
  private readonly eviction: IdleEviction;
  /** Journal writes under way, by campaign: a campaign is not closed in the middle of one. */
  private readonly recording = new Map<string, number>();
  /** Campaigns being closed: opened again only once their journal is closed. */
  private readonly evicting = new Map<string, Promise<void>>();
  /** Campaigns deleted (or being deleted) since the start: never opened again from their vanishing folder. */
  private readonly deleted = new Set<string>();

  constructor(
    private readonly host: RegistryHost,
    private readonly store: CampaignStore,
    private readonly services: ServiceRegistry,
    private readonly suppression: SuppressionList,
    private readonly bus: EventBus,
    dataDir: string,
    /** How long an open campaign nobody asks for stays in memory (default 10 minutes; see idle-eviction.ts). */
    idleCampaignMs?: number,
  ) {
    this.onDisk = new CampaignsOnDisk(
      {
        folder: (id) => store.dir(id),
        storedIds: () => this.storedIds(),
        opened: (id) => this.open.get(id),
        openOrSay: (id) => this.openOrSay(id),
      },
      {
        textApi: (serviceId) => this.textLimitOf(serviceId).api,
        optOutsPath: join(dataDir, 'suppression.ndjson'),
      },
    );
    this.eviction = new IdleEviction(
      {
        openIds: () => this.open.keys(),
        isBusy: (id) => this.mustStayOpen(id),
        evict: (id) => this.evict(id),
      },
      idleCampaignMs,
    );
    this.rowPatches = new RowPatchBuffer(VIEW_EVERY_MS, (campaignId, rows) =>
      this.bus.emit('rows.updated', { campaignId, rows }),
    );
    this.manager = new CampaignManager(
      {
        campaign: (id) => this.campaign(id),
        view: (campaign) => this.view(campaign),
        create: (def, table) => this.createCampaign(def, table),
        isSending: (id) => host.isSending(id),
        forget: (id) => this.forget(id),
      },
      store,
      join(dataDir, 'locks'),
    );
  }

  readonly handlers: Pick<
    Handlers,
    | 'campaigns.list'
    | 'campaigns.get'
    | 'campaigns.update'
    | 'campaigns.rename'
    | 'campaigns.duplicate'
    | 'campaigns.archive'
    | 'campaigns.delete'
    | 'campaigns.sendAgainFailed'
    | 'campaigns.rows'
    | 'campaigns.nextProblem'
  > = {
    'campaigns.list': ({ includeArchived }) => this.listCampaigns(includeArchived === true),
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
      // Without it, rows only do not say when they would wait for their window.
      const service = this.serviceOf(campaign.definition.serviceId);
      const rows = [];
      for (let i = offset; i < Math.min(total, offset + limit); i++) {
        rows.push(campaign.rowView(matching ? (matching[i] as number) : i, service));
      }
      return { total, rows };
    },
    'campaigns.nextProblem': async ({ id, after }) => ({
      index: (await this.campaign(id)).query.nextProblem(after),
    }),
  };

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
    if (typeof patch.timeZoneColumn === 'number' && patch.timeZoneColumn >= campaign.table.columns.length)
      throw new DeskError('invalid-column', 'That time-zone column does not exist in the file.');
    if (patch.serviceId !== undefined) this.services.get(patch.serviceId);
    const expiry = patch.requestOptions?.expiry;
    if (expiry !== undefined && expiryPassed(expiry))
      throw new DeskError('expiry-passed', `The expiry (${expiry}, UTC) has passed; choose a later one.`);
    // A field given as undefined (as callers may spread optional values) leaves the definition's own.
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const def: CampaignDefinition = { ...campaign.definition, ...given };
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
    if (def.defaultCountry !== this.host.countryOf(def.serviceId)) return null;
    return this.host.countryOf(patch.serviceId);
  }

  /**
   * The text limit of the API a campaign's service uses. A removed service, or saved services that cannot be
   * read (said where services are listed), leave Messaging API v1's: the default API, and the stricter.
   */
  private textLimitOf(serviceId: string): TextLimit {
    return TEXT_LIMITS[this.serviceOf(serviceId)?.api ?? 'messaging'];
  }

  /** The service of that id; undefined when it was removed, or the saved services cannot be read. */
  private serviceOf(serviceId: string): ServiceView | undefined {
    try {
      return this.services.list().find((s) => s.id === serviceId);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      return undefined;
    }
  }

  /** After a service was saved or removed: its campaigns check their rows against its API's text limit. */
  async followServices(): Promise<void> {
    for (const { campaign } of this.open.values()) {
      if (campaign.limitTextTo(this.textLimitOf(campaign.definition.serviceId)))
        this.bus.emit('campaign.updated', await this.view(campaign));
    }
  }

  /**
   * History's list: open campaigns as they stand, the others from their summaries; a campaign whose summary is
   * missing, damaged or older than its files is opened (and its summary written again).
   */
  private async listCampaigns(includeArchived: boolean): Promise<CampaignView[]> {
    const views: CampaignView[] = [];
    for (const id of await this.storedIds()) {
      const summarized = this.open.has(id) ? null : await this.onDisk.summarized(id);
      if (summarized) {
        if (!includeArchived && summarized.def.archived) continue;
        const service = this.services.list().find((s) => s.id === summarized.def.serviceId);
        const price = service?.pricePerSegment ?? 0;
        views.push(this.serviceView(summaryView(summarized, price, this.host.unknownGraceMs()), service));
        continue;
      }
      const open = await this.openOrSay(id);
      if (!open || (!includeArchived && open.campaign.definition.archived)) continue;
      // As a summary lists it: what the clock makes of a draft is for the campaign once opened (campaigns.get).
      views.push({ ...(await this.view(open.campaign)), windowPreview: null });
    }
    return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async view(campaign: Campaign): Promise<CampaignView> {
    const open = this.open.get(campaign.id);
    // A run keeps to the cap message by message (see SendGate); other campaigns show it as it stands.
    if (open?.campaign === campaign && !this.host.isSending(campaign.id)) await this.followCap(open, false);
    // A campaign closed since it was found has no say in its summary any more.
    if (this.open.get(campaign.id)?.campaign === campaign) this.onDisk.changed(campaign);
    const service = this.services.list().find((s) => s.id === campaign.definition.serviceId);
    return this.serviceView(
      campaign.view(service?.pricePerSegment ?? 0, this.host.unknownGraceMs(), service),
      service,
    );
  }

  /** A campaign's view with what its service says of it: where reports go, and what stops it being sent. */
  private serviceView(campaignView: CampaignView, service: ServiceView | undefined): CampaignView {
    const view = { ...campaignView, receiverWarning: service ? this.host.receiverWarning(service) : null };
    if (view.problem !== null || !SENDABLE_STATES.includes(view.state)) return view;
    if (!service) return { ...view, problem: 'The chosen service no longer exists; choose another.' };
    if (service.keyHint === null) {
      return { ...view, problem: `The service "${service.name}" has no key; set it under Services.` };
    }
    return view;
  }

  /**
   * Checks the ready rows against the frequency cap of the campaign's service. `full` (for a send plan): rows
   * skipped by it come back where the cap now lets them. Otherwise, unless the rows were checked against the cap
   * and history as they stand, rows are only skipped (a plan confirmed before still holds: see
   * Campaign.followCap), or checked in full when the cap itself changed.
   */
  async followCap(open: OpenCampaign, full: boolean): Promise<void> {
    const { campaign } = open;
    const cap = await this.host.capCheck(campaign.definition.serviceId);
    if (!full && campaign.capStamp === cap.stamp) return;
    const sameCap = campaign.capStamp !== null && capPart(campaign.capStamp) === capPart(cap.stamp);
    const patches = campaign.followCap(cap.over, cap.stamp, !full && sameCap);
    if (patches.length > 0) this.rowPatches.add(campaign.id, patches);
  }

  /**
   * After a frequency cap changed, or a run began or ended: the open campaigns that may still be sent, and are not
   * being sent, follow the cap as it stands; those whose rows changed are shown again.
   */
  async followCaps(): Promise<void> {
    for (const open of [...this.open.values()]) {
      const { campaign } = open;
      if (this.host.isSending(campaign.id) || !SENDABLE_STATES.includes(campaign.state)) continue;
      const before = campaign.revision;
      await this.followCap(open, false);
      if (campaign.revision !== before) await this.pushView(open);
    }
  }

  /** Pushes the campaign's view to the renderer. */
  async announce(campaign: Campaign): Promise<void> {
    this.bus.emit('campaign.updated', await this.view(campaign));
  }

  async campaign(id: string): Promise<Loaded> {
    this.eviction.touch(id);
    const cached = this.open.get(id);
    if (cached) return cached;
    await this.evicting.get(id);
    if (this.deleted.has(id)) throw noSuchCampaign(id);
    let stored;
    try {
      stored = await this.store.load(id);
    } catch (error) {
      if (error instanceof DeskError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchCampaign(id);
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
    if (again || this.deleted.has(id)) {
      await snapshots.stop();
      await journal.close();
      if (again) return again;
      throw noSuchCampaign(id);
    }
    // A row sent, then released unsent, may have a number that opted out since.
    campaign.followOptOuts(this.suppression.has);
    const loaded = this.register(campaign, checker, { journal, snapshots });
    if (campaign.state === 'sending' && !this.host.isSending(id) && !(await this.host.sendingElsewhere(id))) {
      await this.markInterrupted(loaded);
    }
    return loaded;
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

  /** The campaign if it is open, without reading it. */
  opened(id: string): Loaded | undefined {
    return this.open.get(id);
  }

  openCampaigns(): IterableIterator<Loaded> {
    return this.open.values();
  }

  /** How many campaigns are open (held in memory). */
  get openCount(): number {
    return this.open.size;
  }

  /** The ids of the campaigns on disk, less those being deleted. */
  async storedIds(): Promise<string[]> {
    return (await this.store.ids()).filter((id) => !this.deleted.has(id));
  }

  /** Opens a campaign; one that cannot be opened is said on the console and skipped. */
  openOrSay(id: string): Promise<Loaded | null> {
    return this.campaign(id).catch((error: unknown) => {
      console.error(`campaign ${id} cannot be opened:`, error instanceof Error ? error.message : error);
      return null;
    });
  }

  /** Saves a new draft made from another campaign, checks its rows and opens it. */
  private async createCampaign(def: CampaignDefinition, table: RecipientTable): Promise<Loaded> {
    const checker = new CampaignChecker(table, this.suppression);
    const checks = await checker.check(def);
    await this.store.create(def, table);
    return this.adopt(def, table, checks, checker);
  }

  /** Whether an open campaign must stay in memory now: being sent, scheduled or in the middle of a change. */
  private mustStayOpen(id: string): boolean {
    const loaded = this.open.get(id);
    if (!loaded) return false;
    const { state } = loaded.campaign;
    return (
      this.host.isSending(id) ||
      state === 'sending' ||
      state === 'scheduled' ||
      loaded.rechecking !== null ||
      this.viewTimers.has(id) ||
      (this.recording.get(id) ?? 0) > 0
    );
  }

  /**
   * Closes an idle campaign, leaving its summary, indexes and snapshot on disk; whatever asks for it next opens it
   * again.
   */
  private evict(id: string): void {
    const loaded = this.open.get(id);
    if (!loaded) return;
    this.open.delete(id);
    const closing = (async () => {
      await this.onDisk.leaveOnDisk(loaded.campaign);
      await loaded.snapshots.close();
      await loaded.journal.close();
    })().finally(() => this.evicting.delete(id));
    this.evicting.set(id, closing);
  }

  /** Closes a campaign about to be deleted; reports for it are unmatched from now on. */
  private async forget(id: string): Promise<void> {
    this.deleted.add(id);
    const loaded = this.open.get(id);
    this.open.delete(id);
    this.eviction.forget(id);
    this.host.disarm(id);
    clearTimeout(this.viewTimers.get(id));
    this.viewTimers.delete(id);
    this.rowPatches.drop(id);
    this.onDisk.drop(id);
    loaded?.rechecking?.abort();
    await loaded?.snapshots.stop();
    await loaded?.journal.close();
  }

  /** Takes a campaign just created (its table and checks in hand) into the open set, without reading it back. */
  async adopt(
    def: CampaignDefinition,
    table: RecipientTable,
    checks: Checks,
    checker: CampaignChecker,
  ): Promise<Loaded> {
    const campaign = new Campaign(def, table, checks, this.textLimitOf(def.serviceId));
    const { journal, snapshots } = await this.store.replayInto(campaign);
    return this.register(campaign, checker, { journal, snapshots });
  }
  /** Puts a campaign read or created into the open set, with its journal, snapshots and row queries. */
  private register(
    campaign: Campaign,
    checker: CampaignChecker,
    files: Pick<Loaded, 'journal' | 'snapshots'>,
  ): Loaded {
    const loaded: Loaded = { campaign, ...files, checker, query: new RowQuery(campaign), rechecking: null };
    this.open.set(campaign.id, loaded);
    return loaded;
  }

  private async markInterrupted(open: OpenCampaign): Promise<void> {
    const at = new Date().toISOString();
    await this.record(open, [
      ...open.campaign.interruptedResults(at, 'The app closed while this message was being sent'),
      { t: 'end', at, state: 'stopped', error: 'Sending was interrupted when the app closed.' },
    ]);
  }

  async record(open: OpenCampaign, events: JournalEvent[]): Promise<void> {
    const { id } = open.campaign;
    // Closed while idle since it was found (a report waited for others): journaled in the campaign as it is now.
    const current = this.open.get(id) === open ? open : await this.campaign(id);
    this.recording.set(id, (this.recording.get(id) ?? 0) + 1);
    try {
      await current.journal.appendAll(events);
      await this.applyEvents(current, events);
    } finally {
      const left = (this.recording.get(id) as number) - 1;
      if (left > 0) this.recording.set(id, left);
      else this.recording.delete(id);
    }
  }

  /** Applies events to the open campaign and tells the renderer; `record` journals them first. */
  async applyEvents(open: OpenCampaign, events: JournalEvent[]): Promise<void> {
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

  /** Row changes made outside the journal (an opt-out followed), shown with the next push. */
  showPatches(open: OpenCampaign, patches: RowPatch[]): void {
    this.rowPatches.add(open.campaign.id, patches);
    this.pushViewSoon(open);
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

  /** Stops pushing views; pending row changes are dropped. */
  stopPushing(): void {
    for (const timer of this.viewTimers.values()) clearTimeout(timer);
    this.rowPatches.drop();
  }

  /** Stops closing idle campaigns (the desk is closing). */
  stopEvicting(): void {
    this.eviction.stop();
  }

  /** Leaves every open campaign's summary, indexes and snapshot on disk and closes the journals. */
  async close(): Promise<void> {
    await Promise.all(this.evicting.values());
    for (const { campaign } of this.open.values()) await this.onDisk.leaveOnDisk(campaign);
    await Promise.all(
      [...this.open.values()].map(async (o) => {
        await o.snapshots.close();
        await o.journal.close();
      }),
    );
  }
}

/** The cap a stamp was made for (see FrequencyCaps.check), without the history's version and the time. */
function capPart(stamp: string): string {
  return stamp.split(' ').slice(0, 2).join(' ');
}

function noSuchCampaign(id: string): DeskError {
  return new DeskError('unknown-campaign', `There is no campaign with id "${id}".`);
}
