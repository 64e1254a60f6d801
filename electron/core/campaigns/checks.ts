import { compileTemplate } from '../../../shared/template';
import { checkMessages, checkNumbers, type NumberCheck, type PrepareHooks } from '../recipients/prepare';
import type { RecipientTable } from '../recipients/recipient-table';
import type { Checks } from './campaign';
import type { CampaignDefinition } from './definition';

type NumberInputs = Pick<CampaignDefinition, 'phoneColumn' | 'timeZoneColumn' | 'defaultCountry'>;

/**
 * Checks a campaign's rows for a definition, reusing the number check when only the message changed:
 * editing the text of a million-row campaign re-renders messages but does not re-parse a number.
 */
export class CampaignChecker {
  private cached: { inputs: NumberInputs; suppressionVersion: number; numbers: NumberCheck } | null = null;

  constructor(
    private readonly table: RecipientTable,
    private readonly optedOut: {
      has(msisdn: string): boolean;
      readonly size: number;
      readonly version: number;
    },
  ) {}

  async check(def: CampaignDefinition, hooks: PrepareHooks = {}): Promise<Checks> {
    const inputs = {
      phoneColumn: def.phoneColumn,
      timeZoneColumn: def.timeZoneColumn,
      defaultCountry: def.defaultCountry,
    };
    const reuse =
      this.cached &&
      this.cached.inputs.phoneColumn === inputs.phoneColumn &&
      this.cached.inputs.timeZoneColumn === inputs.timeZoneColumn &&
      this.cached.inputs.defaultCountry === inputs.defaultCountry &&
      this.cached.suppressionVersion === this.optedOut.version;
    const half = (offset: number) => ({
      signal: hooks.signal,
      onProgress: (f: number) => hooks.onProgress?.(offset + f / 2),
    });
    const numbers = reuse
      ? (this.cached as { numbers: NumberCheck }).numbers
      : await checkNumbers(
          this.table,
          { phone: def.phoneColumn, timeZone: def.timeZoneColumn },
          def.defaultCountry,
          this.optedOut,
          half(0),
        );
    this.cached = { inputs, suppressionVersion: this.optedOut.version, numbers };
    const messages = await checkMessages(this.table, compileTemplate(def.template, def.columns), half(0.5));
    return { numbers, messages };
  }
}
