/** The pushed events' names, apart from their schemas so that the renderer need not load zod. */
export const EVENT_NAMES = [
  'import.progress',
  'campaign.updated',
  'rows.updated',
  'send.progress',
  'tunnel.status',
  'inbox.received',
  'power.status',
] as const;
