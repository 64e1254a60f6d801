import type { CampaignRegistry } from '../campaigns/campaign-registry';
import type { OpenCampaign } from '../campaigns/campaign-store';
import type { Handlers } from '../dispatch';
import type { Uploads } from '../uploads';
import { choosePhoneColumn, noPhoneColumn } from './phone-column';
import { PhoneNormalizer } from './phone-numbers';
import { parseSource } from './recipient-imports';
import type { SuppressionList } from './suppression';

/** The opt-out list, and the campaigns following it whenever it changes. */
export class OptOuts {
  constructor(
    private readonly suppression: SuppressionList,
    private readonly registry: CampaignRegistry,
    private readonly uploads: Uploads,
  ) {}

  readonly handlers: Pick<
    Handlers,
    'suppression.list' | 'suppression.add' | 'suppression.remove' | 'suppression.import'
  > = {
    'suppression.list': async ({ search, offset, limit }) => ({
      ...this.suppression.list(search, offset, limit),
      damage: this.suppression.damage,
    }),
    'suppression.add': ({ numbers, defaultCountry, reason }) =>
      this.addSuppressed(numbers, defaultCountry, reason),
    'suppression.remove': async ({ numbers }) => {
      const removed = await this.suppression.remove(numbers);
      if (removed > 0) await this.recheckDrafts();
      return { removed };
    },
    'suppression.import': async ({ fileName, source, defaultCountry }) => {
      const { table } = await parseSource(this.uploads, source);
      const column = choosePhoneColumn(table, defaultCountry)?.column;
      if (column === undefined) throw noPhoneColumn(fileName, defaultCountry);
      const numbers = Array.from({ length: table.size }, (_, row) => table.cell(row, column));
      const added = await this.addSuppressed(numbers, defaultCountry, `imported from ${fileName}`);
      return { ...added, column: table.columns[column] as string };
    },
  };

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
  async suppress(msisdns: readonly string[], reason: string): Promise<number> {
    const added = await this.suppression.add(msisdns, reason);
    if (added > 0) await this.recheckDrafts();
    return added;
  }

  /**
   * After the suppression list changed: campaigns being or once sent skip (or take back) the rows concerned at
   * once, then drafts are checked again.
   */
  private async recheckDrafts(): Promise<void> {
    const opened = () => this.registry.openCampaigns();
    for (const loaded of opened()) if (loaded.campaign.isStarted) this.followOptOuts(loaded);
    for (const loaded of opened()) {
      const { campaign } = loaded;
      if (campaign.isStarted) continue;
      const checks = await loaded.checker.check(campaign.definition);
      // Sending may have begun while the rows were checked.
      if (campaign.isStarted) this.followOptOuts(loaded);
      else campaign.redefine(campaign.definition, checks);
      await this.registry.announce(campaign);
    }
  }

  private followOptOuts(open: OpenCampaign): void {
    const patches = open.campaign.followOptOuts(this.suppression.has);
    if (patches.length > 0) this.registry.showPatches(open, patches);
  }
}
