/**
 * Our reference of a message, sent as its correlation id and as its callbackData, which every delivery report
 * echoes: `<campaign>.<row>` for a campaign's row, `<campaign>.t<test>` for a test message.
 */
export type MessageRef =
  { kind: 'row'; campaignId: string; row: number } | { kind: 'test'; campaignId: string; test: number };

const REF = /^([a-z0-9-]{1,64})\.(t?)(\d{1,9})$/;

export function rowRef(campaignId: string, row: number): string {
  return `${campaignId}.${row}`;
}

export function testRef(campaignId: string, test: number): string {
  return `${campaignId}.t${test}`;
}

/** What a reference names; null for anything that is not one of ours. */
export function parseRef(ref: string | null | undefined): MessageRef | null {
  const match = ref?.match(REF);
  if (!match) return null;
  const campaignId = match[1] as string;
  const n = Number(match[3]);
  return match[2] ? { kind: 'test', campaignId, test: n } : { kind: 'row', campaignId, row: n };
}
