import type { Campaign } from '../campaigns/campaign';
import type { CampaignDefinition } from '../campaigns/definition';
import { NumberIndex } from './number-index';

export interface ReplyTarget {
  campaign: Campaign;
  row: number;
}

/** Finds the campaign row a reply answers: the one last sent to its number through its service. */
export class ReplyMatcher {
  /** Built on first need; a sent campaign's numbers no longer change. */
  private readonly indexes = new WeakMap<Campaign, NumberIndex>();

  /** Among `campaigns` (those sent through the reply's service), the row last sent to `msisdn`. */
  match(campaigns: readonly Campaign[], msisdn: string): ReplyTarget | null {
    let best: ReplyTarget | null = null;
    let bestAt = '';
    for (const campaign of campaigns) {
      for (const row of this.index(campaign).rowsOf(msisdn)) {
        if (!campaign.wasSent(row)) continue;
        const at = campaign.outcome(row)?.sentAt ?? '';
        if (best === null || at > bestAt) {
          best = { campaign, row };
          bestAt = at;
        }
      }
    }
    return best;
  }

  private index(campaign: Campaign): NumberIndex {
    let index = this.indexes.get(campaign);
    if (!index) {
      index = NumberIndex.of(campaign);
      this.indexes.set(campaign, index);
    }
    return index;
  }
}

/** What tells whether, and through which service, a campaign (open or not) was sent. */
export interface SentCampaign {
  readonly id: string;
  readonly definition: CampaignDefinition;
  readonly isStarted: boolean;
  readonly sentThrough: { id: string } | null;
}

/** The campaigns sent (at least in part) through a service, newest first. */
export function sentThrough<C extends SentCampaign>(campaigns: Iterable<C>, serviceId: string): C[] {
  return [...campaigns]
    .filter((c) => c.isStarted && (c.sentThrough?.id ?? c.definition.serviceId) === serviceId)
    .sort((a, b) => b.definition.createdAt.localeCompare(a.definition.createdAt));
}
