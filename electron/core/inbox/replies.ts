import type { CampaignRegistry } from '../campaigns/campaign-registry';
import type { Handlers } from '../dispatch';
import type { EventBus } from '../event-bus';
import type { IncomingMessage } from '../receiver/webhook-schemas';
import type { ServiceRegistry } from '../services';
import type { Inbox } from './inbox';

/** Replies received (MO), the inbox's listing and export, and the keywords by which a reply opts out. */
export class Replies {
  constructor(
    private readonly inbox: Inbox,
    private readonly registry: CampaignRegistry,
    private readonly services: ServiceRegistry,
    private readonly bus: EventBus,
    /** Adds numbers in E.164 to the opt-out list; resolves how many were new. */
    private readonly optOut: (msisdns: readonly string[], reason: string) => Promise<number>,
  ) {}

  readonly handlers: Pick<
    Handlers,
    'inbox.list' | 'inbox.export' | 'optOut.keywords' | 'optOut.setKeywords'
  > = {
    'inbox.list': async (query) => {
      const listed = this.inbox.list(query);
      const kept = new Set(await this.registry.storedIds());
      const entries = listed.entries.map((e) =>
        e.match && !kept.has(e.match.campaignId) ? { ...e, match: { ...e.match, deleted: true } } : e,
      );
      return { ...listed, entries, dropped: this.inbox.dropped(), damage: this.inbox.damage };
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

  async record(message: IncomingMessage, serviceId: string): Promise<void> {
    // Campaigns not open are known by their summaries; one whose summary cannot say is opened.
    const { sent, unknown } = await this.registry.onDisk.sentThrough(serviceId);
    for (const id of unknown) await this.registry.openOrSay(id);
    const entry = await this.inbox.record(serviceId, message, {
      campaigns: [
        ...[...this.registry.openCampaigns()].map((open) => open.campaign),
        ...sent.filter((c) => !this.registry.opened(c.id)),
      ],
      holding: (candidates, msisdn) => this.registry.onDisk.openHolding(candidates, msisdn),
      serviceName: this.serviceNames().get(serviceId) ?? removedService(serviceId),
      optOut: async (msisdn, reason) => void (await this.optOut([msisdn], reason)),
    });
    if (entry) this.bus.emit('inbox.received', entry);
  }

  /** Every service's name by id, read once for all the replies that name one. */
  private serviceNames(): Map<string, string> {
    return new Map(this.services.list().map((s) => [s.id, s.name]));
  }
}

function removedService(id: string): string {
  return `a removed service (${id})`;
}
