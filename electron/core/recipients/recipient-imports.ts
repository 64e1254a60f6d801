import { findTimeZoneColumn } from './time-zones';
import { randomBytes } from 'node:crypto';
import type { CampaignView } from '../../../shared/api';
import type { CampaignRegistry } from '../campaigns/campaign-registry';
import { CampaignStore } from '../campaigns/campaign-store';
import { CampaignChecker } from '../campaigns/checks';
import type { CampaignDefinition } from '../campaigns/definition';
import type { CommandLineHandlers, Handlers } from '../dispatch';
import { DeskError } from '../errors';
import type { EventBus } from '../event-bus';
import { SANDBOX_ID } from '../services';
import type { Uploads } from '../uploads';
import { cancelled } from './csv-import';
import { choosePhoneColumn } from './phone-column';
import { readRecipientFile, readRecipientText, type RecipientFile } from './recipient-file';
import type { SuppressionList } from './suppression';
import type { WorkbookOptions } from './workbook-import';

export type ImportSource = { uploadId: string } | { text: string } | { bytes: Uint8Array };

export interface ImportOptions {
  /** Names the campaign (the CLI's --campaign-id); by default one is generated. */
  campaignId?: string;
  /**
   * Numbers written without a country code are read as this country's; the phone column is found with it.
   * By default the last one used through the Sandbox, else the system's.
   */
  defaultCountry?: string;
  /** For a workbook, the sheet to import; by default the first one with data. */
  sheet?: string;
}

/** A CSV (as text or bytes in any encoding) or an .xlsx workbook, told apart by its bytes. */
export async function parseSource(
  uploads: Uploads,
  source: ImportSource,
  options: WorkbookOptions = {},
): Promise<RecipientFile> {
  if ('text' in source) return readRecipientText(source.text, options);
  return readRecipientFile('bytes' in source ? source.bytes : await uploads.take(source.uploadId), options);
}

/** Recipient files becoming draft campaigns, with their progress and cancellation. */
export class RecipientImports {
  private readonly imports = new Map<string, AbortController>();
  /** Cancels that arrived before their import began (the two calls can cross). */
  private readonly cancelledEarly = new Set<string>();

  constructor(
    private readonly registry: CampaignRegistry,
    private readonly store: CampaignStore,
    private readonly uploads: Uploads,
    private readonly suppression: SuppressionList,
    private readonly bus: EventBus,
    /** The country a new campaign takes by default through the service. */
    private readonly countryOf: (serviceId: string) => string,
  ) {}

  readonly handlers: Pick<Handlers, 'campaigns.import' | 'imports.cancel'> = {
    'campaigns.import': ({ fileName, source, importId, sheet }) =>
      this.importRecipients(fileName, source, importId, { sheet }),
    'imports.cancel': async ({ importId }) => {
      this.cancel(importId);
      return {};
    },
  };

  readonly commandLineHandlers: Pick<CommandLineHandlers, 'cli.import'> = {
    'cli.import': async ({ fileName, uploadId, campaignId, defaultCountry }) => {
      const bytes = await this.uploads.take(uploadId);
      if (campaignId !== undefined && (await this.registry.exists(campaignId)))
        throw new DeskError(
          'campaign-exists',
          `A campaign with id "${campaignId}" already exists; continue it with: campaign-desk resume ${campaignId}`,
        );
      return this.importRecipients(fileName, { bytes }, undefined, { campaignId, defaultCountry });
    },
  };

  /**
   * Imports a recipient file as a new draft campaign: decode, parse, check every row, save. Reports
   * progress as `import.progress` events and can be cancelled with `cancel(importId)`.
   */
  async importRecipients(
    fileName: string,
    source: ImportSource,
    importId = randomBytes(8).toString('hex'),
    { campaignId, defaultCountry, sheet }: ImportOptions = {},
  ): Promise<CampaignView> {
    const country = defaultCountry ?? this.countryOf(SANDBOX_ID);
    const abort = new AbortController();
    if (this.cancelledEarly.delete(importId)) abort.abort();
    this.imports.set(importId, abort);
    let last = 0;
    const progress = (
      phase: 'reading' | 'parsing' | 'checking' | 'saving',
      rows: number,
      fraction: number,
      done = false,
    ) => {
      const now = performance.now();
      if (!done && now - last < 100) return;
      last = now;
      this.bus.emit('import.progress', { importId, fileName, phase, rows, fraction, done });
    };
    try {
      progress('reading', 0, 0);
      if (abort.signal.aborted) throw cancelled();
      const { table, ...sheets } = await parseSource(this.uploads, source, {
        sheet,
        signal: abort.signal,
        onProgress: (p) => progress('parsing', p.rows, p.fraction),
      });
      const now = new Date();
      const def: CampaignDefinition = {
        id: campaignId ?? CampaignStore.newId(now),
        name: fileName.replace(/\.[^.]*$/, ''),
        createdAt: now.toISOString(),
        fileName,
        ...sheets,
        columns: [...table.columns],
        phoneColumn: choosePhoneColumn(table, country)?.column ?? null,
        timeZoneColumn: findTimeZoneColumn(table.columns),
        sendWindow: { mode: 'service' },
        defaultCountry: country,
        template: '',
        senderId: '',
        serviceId: SANDBOX_ID,
        smartlinks: [],
        keyNonce: randomBytes(6).toString('hex'),
        requestOptions: {},
        archived: false,
        origin: null,
      };
      const checker = new CampaignChecker(table, this.suppression);
      const checks = await checker.check(def, {
        signal: abort.signal,
        onProgress: (f) => progress('checking', table.size, f),
      });
      progress('saving', table.size, 0);
      if (abort.signal.aborted) throw cancelled();
      await this.store.create(def, table);
      const loaded = await this.registry.adopt(def, table, checks, checker);
      progress('saving', table.size, 1, true);
      return this.registry.view(loaded.campaign);
    } finally {
      this.imports.delete(importId);
    }
  }

  cancel(importId: string): void {
    const running = this.imports.get(importId);
    if (running) running.abort();
    else if (this.cancelledEarly.size < 100) this.cancelledEarly.add(importId);
  }
}
