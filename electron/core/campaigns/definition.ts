import { z } from 'zod';
import { RequestOptions, Smartlink } from '../../../shared/api';

export const CampaignDefinition = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  fileName: z.string(),
  columns: z.array(z.string()),
  phoneColumn: z.number().int().nullable(),
  defaultCountry: z.string(),
  template: z.string(),
  senderId: z.string(),
  serviceId: z.string(),
  smartlinks: z.array(Smartlink).default([]),
  /** Absent in definitions saved before request options existed: none set. */
  requestOptions: RequestOptions.default({}),
});
export type CampaignDefinition = z.infer<typeof CampaignDefinition>;
