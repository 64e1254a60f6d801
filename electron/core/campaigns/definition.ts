import { z } from 'zod';
import { CampaignOrigin, CampaignWindow, RequestOptions, Smartlink } from '../../../shared/api';

export const CampaignDefinition = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  fileName: z.string(),
  /** The workbook sheet the rows came from; null for a CSV. */
  sheet: z.string().nullable().default(null),
  /** Every sheet of the workbook, so that another can be imported instead; empty for a CSV. */
  sheets: z.array(z.string()).default([]),
  columns: z.array(z.string()),
  phoneColumn: z.number().int().nullable(),
  /** The column naming each row's time zone; null (and absent in older definitions): the number says. */
  timeZoneColumn: z.number().int().nullable().default(null),
  /** Absent in definitions saved before send windows: the service's. */
  sendWindow: CampaignWindow.default({ mode: 'service' }),
  defaultCountry: z.string(),
  template: z.string(),
  senderId: z.string(),
  serviceId: z.string(),
  smartlinks: z.array(Smartlink).default([]),
  /**
   * Random, drawn once per campaign, part of every Idempotency-Key it sends: two data folders (or machines) on one
   * account may name campaigns alike, and the platform must not take one's message for a repeat of the other's.
   * Empty for campaigns made before it existed.
   */
  keyNonce: z.string().default(''),
  /** Absent in definitions saved before request options existed: none set. */
  requestOptions: RequestOptions.default({}),
  /** Labels, not part of what is sent: they may change in any state. */
  archived: z.boolean().default(false),
  /** The campaign it was made from (a copy, or the rows that failed there); null for one imported from a file. */
  origin: CampaignOrigin.nullable().default(null),
});
export type CampaignDefinition = z.infer<typeof CampaignDefinition>;
