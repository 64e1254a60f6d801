import type { CampaignView } from '../../../shared/api';
import { DeskError } from '../errors';
import type { RecipientTable } from '../recipients/recipient-table';
import { SendLock } from '../sending/send-lock';
import type { Campaign } from './campaign';
import { derivedDefinition, failedRowsTable } from './campaign-copies';
import type { CampaignStore, OpenCampaign } from './campaign-store';
import type { CampaignDefinition } from './definition';

/** What managing campaigns needs from the desk around it. */
export interface ManagerHost {
  campaign(id: string): Promise<OpenCampaign>;
  view(campaign: Campaign): Promise<CampaignView>;
  /** Saves a new draft campaign, checks its rows and opens it. */
  create(def: CampaignDefinition, table: RecipientTable): Promise<OpenCampaign>;
  /** Whether this process is sending the campaign now. */
  isSending(id: string): boolean;
  /** Closes the campaign and forgets it, before its files go. */
  forget(id: string): Promise<void>;
}

/** States in which a campaign is done sending: what failed in it can be sent again as a new campaign. */
const DONE_STATES: readonly CampaignView['state'][] = ['completed', 'stopped', 'cancelled'];

/** Renames, copies, archives and deletes campaigns, and makes a new one of a campaign's failed rows. */
export class CampaignManager {
  constructor(
    private readonly host: ManagerHost,
    private readonly store: CampaignStore,
    private readonly locksDir: string,
  ) {}

  rename(id: string, name: string): Promise<CampaignView> {
    return this.relabel(id, { name });
  }

  archive(id: string, archived: boolean): Promise<CampaignView> {
    return this.relabel(id, { archived });
  }

  async duplicate(id: string): Promise<CampaignView> {
    const { campaign } = await this.host.campaign(id);
    const source = campaign.definition;
    const def = derivedDefinition(source, `Copy of ${source.name}`, origin('copy', source));
    return this.host.view((await this.host.create(def, campaign.table)).campaign);
  }

  async sendAgainFailed(id: string): Promise<CampaignView> {
    const { campaign } = await this.host.campaign(id);
    const { state } = campaign;
    if (this.host.isSending(id) || !DONE_STATES.includes(state))
      throw new DeskError(
        'campaign-not-done',
        `The rows that failed can be sent again once the campaign is done sending; it is ${state}.`,
      );
    const table = failedRowsTable(campaign);
    if (table === null) throw new DeskError('nothing-failed', 'No message of this campaign failed.');
    const source = campaign.definition;
    const def = derivedDefinition(
      source,
      `Failed rows of ${source.name}`,
      origin('failed-rows', source),
      table.columns,
    );
    return this.host.view((await this.host.create(def, table)).campaign);
  }

  /** Removes the campaign's folder. Refused while it is being sent (here or by another process) or scheduled. */
  async delete(id: string): Promise<void> {
    const { campaign } = await this.host.campaign(id);
    const { name } = campaign.definition;
    if (this.host.isSending(id))
      throw new DeskError(
        'campaign-sending',
        `"${name}" is being sent; pause or cancel it before deleting it.`,
      );
    if (campaign.state === 'scheduled')
      throw new DeskError(
        'campaign-scheduled',
        `"${name}" is scheduled to start by itself; cancel the schedule before deleting it.`,
      );
    // Held while the files go, so that no other process starts sending it meanwhile.
    const lock = await SendLock.acquire(this.locksDir, id).catch(() => {
      throw new DeskError(
        'campaign-sending',
        `"${name}" is being sent by another Campaign Desk; it can be deleted once that stops.`,
      );
    });
    try {
      await this.host.forget(id);
      await this.store.remove(id);
    } finally {
      await lock.release();
    }
  }

  private async relabel(
    id: string,
    changes: Partial<Pick<CampaignDefinition, 'name' | 'archived'>>,
  ): Promise<CampaignView> {
    const { campaign } = await this.host.campaign(id);
    // Hidden, it would go on sending (or start by itself) out of sight.
    if (changes.archived && this.host.isSending(id))
      throw new DeskError('campaign-sending', 'A campaign being sent cannot be archived; pause it first.');
    if (changes.archived && campaign.state === 'scheduled')
      throw new DeskError(
        'campaign-scheduled',
        'A scheduled campaign cannot be archived; cancel the schedule first.',
      );
    await this.store.saveDefinition({ ...campaign.definition, ...changes });
    campaign.relabel(changes);
    return this.host.view(campaign);
  }
}

function origin(kind: 'copy' | 'failed-rows', source: CampaignDefinition) {
  return { kind, campaignId: source.id, campaignName: source.name };
}
