import type { FrequencyCap, SendPlan, ServiceView } from '../../../shared/api';
import type { Campaign } from '../campaigns/campaign';
import type { JournalEvent } from '../campaigns/journal-events';
import type { Handlers } from '../dispatch';
import { DeskError } from '../errors';
import type { ServiceRegistry } from '../services';
import type { ContactHistory } from './contact-history';

/** What a campaign's rows are checked against: a stamp that changes with the cap and the history, and the check. */
export interface CapCheck {
  stamp: string;
  /** Whether a number already had as many messages as the cap allows; null when the service has no cap. */
  over: ((msisdn: string) => boolean) | null;
}

/** Per service, at most N messages to one number in D days: the settings, the history they count, the checks. */
export class FrequencyCaps {
  constructor(
    private readonly history: ContactHistory,
    private readonly services: ServiceRegistry,
    /** After a cap was set: the open campaigns follow it. */
    private readonly capsChanged: () => Promise<void>,
  ) {}

  readonly handlers: Pick<Handlers, 'services.setFrequencyCap'> = {
    'services.setFrequencyCap': async ({ id, cap }) => {
      const saved = this.services.setFrequencyCap(id, cap);
      await this.capsChanged();
      return saved;
    },
  };

  /** The check for a campaign sent through `serviceId`, as the history stands now. */
  async check(serviceId: string): Promise<CapCheck> {
    const cap = this.capOf(serviceId);
    if (!cap) return { stamp: 'off', over: null };
    const count = await this.history.counter(serviceId, cap.days);
    // Messages leave the window as time passes: a check holds for a minute at most.
    const minute = Math.floor(this.history.now() / 60);
    return {
      stamp: `${serviceId} ${cap.messages}/${cap.days} ${this.history.version} ${minute}`,
      over: (msisdn) => count(msisdn) >= cap.messages,
    };
  }

  /** The cap as the send plan shows it, with what the history could not read. */
  async planNote(serviceId: string): Promise<SendPlan['frequencyCap']> {
    const cap = this.capOf(serviceId);
    if (!cap) return null;
    const damage = await this.history.damage(serviceId);
    return {
      ...cap,
      damage: damage && damageSentence(damage.lines, new Date((damage.until + cap.days * 86_400) * 1000)),
    };
  }

  /** The frequency cap a run through `service` keeps to, message by message; without a cap, it still counts them. */
  gate(service: ServiceView, campaign: Campaign, capped: (rows: number[]) => void): SendGate {
    return new SendGate(this.history, service.id, service.frequencyCap, campaign, capped);
  }

  private capOf(serviceId: string): FrequencyCap | null {
    try {
      return this.services.get(serviceId).frequencyCap;
    } catch (error) {
      // A removed service, or damaged settings (said where services are listed): nothing is sent through it anyway.
      if (error instanceof DeskError) return null;
      throw error;
    }
  }
}

function damageSentence(lines: number, until: Date): string {
  const what = lines === 1 ? 'One line' : `${lines} lines`;
  return `${what} of this service's contact history could not be read. To stay under the cap, until ${until.toISOString().slice(0, 10)} each counts as a message already sent to every number.`;
}

/**
 * One run's side of the cap: rows are counted in the history before their batch is journaled (a crash can only
 * count a message that never went), and taken back when they are released unsent or the platform refuses them.
 */
export class SendGate {
  /** The rows this run counted, and when. */
  private readonly counted = new Map<number, number>();

  constructor(
    private readonly history: ContactHistory,
    private readonly serviceId: string,
    private readonly cap: FrequencyCap | null,
    private readonly campaign: Campaign,
    /** Rows whose number reached the cap since the plan was confirmed: they are skipped, never sent. */
    private readonly capped: (rows: number[]) => void,
  ) {}

  /** Of the rows about to go, those that may: the others are skipped as over the frequency cap. */
  async admit(rows: number[]): Promise<number[]> {
    // A row going again with its Idempotency-Key is the same message: it was counted when that key was first sent.
    const retried = rows.filter((row) => this.campaign.goesWithSameKey(row));
    const fresh = rows.filter((row) => !this.campaign.goesWithSameKey(row));
    const msisdns = fresh.map((row) => this.campaign.msisdn(row) as string);
    const { admitted, at } = await this.history.admit(this.serviceId, msisdns, this.cap);
    const over = fresh.filter((_, i) => !admitted[i]);
    if (over.length > 0) this.capped(over);
    const passed = fresh.filter((_, i) => admitted[i]);
    for (const row of passed) this.counted.set(row, at);
    return [...retried, ...passed].sort((a, b) => a - b);
  }

  /** Follows what the run journaled: messages released unsent or refused are taken back. */
  async follow(events: readonly JournalEvent[]): Promise<void> {
    const back = new Map<number, number[]>();
    const takeBack = (row: number) => {
      const at = this.counted.get(row);
      if (at === undefined) return;
      this.counted.delete(row);
      back.set(at, [...(back.get(at) ?? []), row]);
    };
    for (const event of events) {
      if (event.t === 'released') event.rows.forEach(takeBack);
      else if (event.t === 'result' && event.status === 'rejected') takeBack(event.row);
      else if (event.t === 'result') this.counted.delete(event.row);
    }
    for (const [at, rows] of back) {
      await this.history.takeBack(
        this.serviceId,
        rows.map((row) => this.campaign.msisdn(row) as string),
        at,
      );
    }
  }
}
